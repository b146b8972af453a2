// The catalog calls of trace and run comparison (./protocol.ts, "Comparison"), kept out of
// serve.ts: serveCatalog spreads these into its call table and passes statsFunctionsInFile's
// answer through `annotate`.
import type { Collector } from '../collector/core';
import { DEFAULT_TOLERANCE, type DiffTolerance, type RunDiffEntry } from '../diff';
import type { Trace } from '../model/model';
import type { FunctionStats, SpanRef } from '../source';
import type { TraceCatalog } from './catalog';
import { BaselineRun, slowestByOperation, TraceDiffs, type BaselineTrace } from './compare';
import { LIVE_SOURCE } from './liveFeed';
import { loadTraceFile } from './load';
import type { BaselineInfo, BaselineSpec, LensFunctionStats, PickableTrace, WorstPair } from './protocol';
import type { StatsService } from './statsService';

export interface CompareContext {
  readonly catalog: TraceCatalog;
  readonly stats: StatsService;
  readonly collector: () => Collector | undefined;
  /** What the editor shows changed (the lens text, the Regressions view). */
  readonly changed: () => void;
}

export function compareCalls(ctx: CompareContext) {
  const { catalog, stats } = ctx;
  const diffs = new TraceDiffs();
  const baseline = new BaselineRun();
  let tolerance: DiffTolerance = DEFAULT_TOLERANCE;

  const sessionTrace = (sessionId: number, traceIndex: number): Trace => {
    const s = catalog.session(sessionId);
    s.checkTrace(traceIndex);
    return s.file.traces[traceIndex];
  };

  const collectedTrace = (traceId: string): Trace => {
    const t = ctx.collector()?.store.getTrace(traceId);
    if (!t) throw new Error(`collected trace ${traceId} is not in the dev collector (stopped, cleared or evicted)`);
    return t;
  };

  const baselineTraces = async (spec: BaselineSpec): Promise<{ kind: BaselineInfo['kind']; traces: BaselineTrace[] }> => {
    switch (spec.kind) {
      case 'session': {
        const s = catalog.session(spec.sessionId);
        const source = catalog.keyOf(spec.sessionId) ?? '';
        if (spec.traceIndex === undefined) return { kind: 'file', traces: s.file.traces.map((trace) => ({ trace, source })) };
        return { kind: 'trace', traces: [{ trace: sessionTrace(spec.sessionId, spec.traceIndex), source }] };
      }
      case 'file': {
        // A file not loaded is read here and let go once indexed: the catalog never holds it.
        const loaded = catalog.sessionOfKey(spec.key)?.file ?? (await loadTraceFile(spec.path, { maxFileSizeMB: spec.maxFileSizeMB }));
        return { kind: 'file', traces: loaded.traces.map((trace) => ({ trace, source: spec.key })) };
      }
      case 'collector': {
        const store = ctx.collector()?.store;
        if (!store) throw new Error('the dev collector is not running');
        const traces = store.traceIds().flatMap((id) => {
          const trace = store.getTrace(id);
          return trace ? [{ trace, source: LIVE_SOURCE }] : [];
        });
        if (!traces.length) throw new Error('the dev collector holds no traces yet');
        return { kind: 'collector', traces };
      }
      case 'collected':
        return { kind: 'trace', traces: [{ trace: collectedTrace(spec.traceId), source: LIVE_SOURCE }] };
    }
  };

  /** Whether the trace of a span reference can still be opened. */
  const isLoaded = (ref: SpanRef): boolean => {
    if (ref.source === LIVE_SOURCE) return !!ctx.collector()?.store.has(ref.traceId);
    return !!ref.source && !!catalog.sessionOfKey(ref.source)?.file.traces.some((t) => t.traceId === ref.traceId);
  };

  const withLoaded = (ref: SpanRef | undefined) => (ref ? { ref, loaded: isLoaded(ref) } : undefined);

  return {
    compareSetTolerance(t: DiffTolerance): void {
      tolerance = t;
      ctx.changed();
    },

    compareTraces(): PickableTrace[] {
      const out: PickableTrace[] = [];
      for (const s of catalog.sources()) {
        if (s.kind !== 'file') continue; // collected traces are listed from the store below
        s.traces.forEach((t, traceIndex) =>
          out.push({ source: s.key, kind: 'file', traceIndex, traceId: t.traceId, rootName: t.rootName, rootService: t.rootService, durationNs: t.durationNs, spanCount: t.spans.length }),
        );
      }
      for (const t of ctx.collector()?.store.summaries() ?? []) {
        out.push({ source: LIVE_SOURCE, kind: 'collected', traceIndex: 0, traceId: t.traceId, rootName: t.rootName, rootService: t.rootService, durationNs: t.durationNs, spanCount: t.spanCount });
      }
      return out;
    },

    diffOpen(b: { sessionId: number; traceIndex: number; label: string }, c: { sessionId: number; traceIndex: number; label: string }) {
      return diffs.create({ trace: sessionTrace(b.sessionId, b.traceIndex), source: b.label }, { trace: sessionTrace(c.sessionId, c.traceIndex), source: c.label }, tolerance);
    },
    diffRows: (diffId: number, changedOnly: boolean, start: number, end: number) => diffs.rows(diffId, changedOnly, start, end),
    diffClose: (diffId: number) => diffs.close(diffId),

    async baselineSet(spec: BaselineSpec, label: string): Promise<BaselineInfo> {
      const { kind, traces } = await baselineTraces(spec);
      const info = await baseline.set(label, kind, traces, stats.createIndex());
      stats.exclude(baseline.traceIds, `baseline set: ${label}`);
      ctx.changed();
      return info;
    },
    baselineClear(): void {
      if (!baseline.info) return;
      baseline.clear();
      stats.exclude(new Set(), 'baseline cleared');
      ctx.changed();
    },
    baselineInfo: (): BaselineInfo | undefined => baseline.info,
    async baselineRegressions(): Promise<RunDiffEntry[]> {
      await stats.idle();
      return baseline.regressions(stats.currentIndex, tolerance);
    },
    baselineWorst(key: string, kind: 'function' | 'operation'): WorstPair {
      let candidate: SpanRef | undefined;
      if (kind === 'operation') {
        // Operation groups: the index keeps no span references for them; one pass over the current traces.
        const found = new Map<string, SpanRef>();
        for (const { trace, source } of stats.currentTraces()) slowestByOperation(trace, source, new Set([key]), found);
        candidate = found.get(key);
      } else candidate = stats.slowestSpans(key)[0];
      return { baseline: withLoaded(baseline.worstOf(key)), candidate: withLoaded(candidate) };
    },

    /** statsFunctionsInFile with the baseline's comparison per function, when one is set. */
    annotate: (functions: readonly FunctionStats[]): LensFunctionStats[] => baseline.annotate(functions, tolerance),
  };
}
