// Trace and run comparison in the catalog's worker (issue 11), next to the traces they read.
//
// * Trace diffs: both sides are traces the catalog already holds (sessions the host opened, so a
//   file or a collected trace is kept once); the TraceDiff columns stay here and the diff view asks
//   for windows of rows, each row already classified and measured by src/core/diff.
// * The baseline run: groups only. Its traces (a file, one trace, a collector snapshot) are indexed
//   once with the StatsService's resolver (LatencyIndex + runGroups) and then let go, so its memory
//   is a few hundred bytes per function; a slowest-span reference per group is kept for "compare
//   worst traces". Its trace ids are left out of the current statistics (see StatsService.exclude):
//   a baseline compared with itself would hide every change.
import {
  CHANGE_UNCHANGED,
  classifyGroupChange,
  diffRuns,
  diffTraces,
  functionGroup,
  operationKey,
  runGroups,
  SPAN_CHANGES,
  type DiffTolerance,
  type RunDiffEntry,
  type RunGroup,
  type TraceDiff,
} from '../diff';
import type { Trace } from '../model/model';
import type { FunctionStats, LatencyIndex, SpanRef } from '../source';
import type { DiffHeaderDto, DiffRowDto, DiffRowsDto, DiffSideDto } from '../../shared/diffProtocol';
import type { BaselineDelta, BaselineInfo, LensFunctionStats, WorstPair } from './protocol';

export interface DiffInput {
  readonly trace: Trace;
  /** Shown in the header: the file name, "dev collector". */
  readonly source: string;
}

interface OpenDiff {
  readonly diff: TraceDiff;
  readonly baseline: Trace;
  readonly candidate: Trace;
  /** Rows kept by "changed rows only": changed rows and their ancestors, in tree order. */
  readonly changedView: Int32Array;
}

/** Open trace diffs, by id. Each is dropped when its view closes. */
export class TraceDiffs {
  private readonly open = new Map<number, OpenDiff>();
  private nextId = 1;

  create(baseline: DiffInput, candidate: DiffInput, tolerance: DiffTolerance): { diffId: number; header: DiffHeaderDto } {
    const diff = diffTraces(baseline.trace, candidate.trace, tolerance);
    const n = diff.rowCount;
    let kept = 0;
    const view = new Int32Array(n);
    for (let r = 0; r < n; r++) if (diff.change[r] !== CHANGE_UNCHANGED || diff.changedDescendants[r] > 0) view[kept++] = r;
    const diffId = this.nextId++;
    this.open.set(diffId, { diff, baseline: baseline.trace, candidate: candidate.trace, changedView: view.slice(0, kept) });
    const side = (t: Trace, source: string): DiffSideDto => ({ source, traceId: t.traceId, rootName: t.rootName, rootService: t.rootService, durationNs: t.durationNs, spanCount: t.spans.length });
    return {
      diffId,
      header: {
        baseline: side(baseline.trace, baseline.source),
        candidate: side(candidate.trace, candidate.source),
        rowCount: n,
        changedViewCount: kept,
        counts: { ...diff.counts },
        thresholdPct: tolerance.threshold * 100,
        minDeltaMs: tolerance.minDeltaNs / 1e6,
      },
    };
  }

  /** View rows [start, end) of one diff, all rows or the changed-only view. */
  rows(diffId: number, changedOnly: boolean, start: number, end: number): DiffRowsDto {
    const d = this.get(diffId);
    const total = changedOnly ? d.changedView.length : d.diff.rowCount;
    const from = Math.max(0, Math.min(start, total));
    const to = Math.max(from, Math.min(end, total));
    const rows: DiffRowDto[] = [];
    for (let i = from; i < to; i++) rows.push(this.row(d, changedOnly ? d.changedView[i] : i));
    return { changedOnly, total, start: from, rows };
  }

  /** The two span indices of a row (for span detail and go to source, checked by the host). */
  private row(d: OpenDiff, r: number): DiffRowDto {
    const x = d.diff;
    const b = x.baselineSpan[r];
    const c = x.candidateSpan[r];
    const span = c >= 0 ? d.candidate.spans[c] : d.baseline.spans[b];
    const bNs = b >= 0 ? x.baselineDurationNs[r] : NaN;
    const cNs = c >= 0 ? x.candidateDurationNs[r] : NaN;
    const both = Number.isFinite(bNs) && Number.isFinite(cNs);
    const delta = both ? cNs - bNs : null;
    return {
      row: r,
      depth: x.depth[r],
      name: span.name,
      service: span.resource.serviceName,
      change: SPAN_CHANGES[x.change[r]],
      baselineSpan: b,
      candidateSpan: c,
      baselineNs: Number.isFinite(bNs) ? bNs : null,
      candidateNs: Number.isFinite(cNs) ? cNs : null,
      deltaNs: delta,
      deltaPct: delta !== null && bNs > 0 ? (100 * delta) / bNs : null,
      changedDescendants: x.changedDescendants[r],
      baselineCritical: x.onBaselineCriticalPath[r] === 1,
      candidateCritical: x.onCandidateCriticalPath[r] === 1,
    };
  }

  close(diffId: number): void {
    this.open.delete(diffId);
  }

  private get(diffId: number): OpenDiff {
    const d = this.open.get(diffId);
    if (!d) throw new Error(`the comparison #${diffId} is closed`);
    return d;
  }
}

/** One baseline trace and the source key the host reopens it by (a file URI, the collector). */
export interface BaselineTrace {
  readonly trace: Trace;
  readonly source: string;
}

interface BaselineState {
  readonly info: BaselineInfo;
  readonly groups: ReadonlyMap<string, RunGroup>;
  readonly list: readonly RunGroup[];
  /** The slowest span of each group, to open the baseline's worst trace. */
  readonly worst: ReadonlyMap<string, SpanRef>;
  readonly traceIds: ReadonlySet<string>;
}

/** The baseline run: its groups, compared with the current statistics on demand. */
export class BaselineRun {
  private state: BaselineState | undefined;

  get info(): BaselineInfo | undefined {
    return this.state?.info;
  }

  get traceIds(): ReadonlySet<string> {
    return this.state?.traceIds ?? new Set();
  }

  /** Indexes the traces into `index` (built with the StatsService's resolver) and keeps the groups. */
  async set(label: string, kind: BaselineInfo['kind'], traces: readonly BaselineTrace[], index: LatencyIndex): Promise<BaselineInfo> {
    let spans = 0;
    for (const t of traces) {
      await index.add(t.trace, t.source);
      spans += t.trace.spans.length;
    }
    const list = runGroups(index);
    const groups = new Map(list.map((g) => [g.key, g]));
    const worst = new Map<string, SpanRef>();
    for (const f of index.all()) if (f.slowest) worst.set(f.key, f.slowest);
    // Operation groups have no span references in the index: one pass for their slowest spans.
    const ops = new Set(list.filter((g) => g.kind === 'operation').map((g) => g.key));
    if (ops.size) for (const t of traces) slowestByOperation(t.trace, t.source, ops, worst);
    const info: BaselineInfo = { label, kind, traces: traces.length, spans, functions: list.filter((g) => g.kind === 'function').length, operations: ops.size, setAtMs: Date.now() };
    this.state = { info, groups, list, worst, traceIds: new Set(traces.map((t) => t.trace.traceId)) };
    return info;
  }

  clear(): void {
    this.state = undefined;
  }

  /** The lens figures with the baseline's comparison per function (the CodeLens and hover). */
  annotate(functions: readonly FunctionStats[], tolerance: DiffTolerance): LensFunctionStats[] {
    const s = this.state;
    if (!s) return [...functions];
    return functions.map((f) => {
      const b = s.groups.get(f.key)?.summary ?? null;
      const c = functionGroup(f).summary;
      const vsBaseline: BaselineDelta = {
        change: classifyGroupChange(b, c, tolerance),
        baseline: b,
        deltaP50Ms: b ? c.p50Ms - b.p50Ms : null,
        deltaP95Ms: b ? c.p95Ms - b.p95Ms : null,
      };
      return { ...f, vsBaseline };
    });
  }

  /** Regressed functions and operations, worst first (diffRuns' order: deltaP50 desc). */
  regressions(current: LatencyIndex, tolerance: DiffTolerance): RunDiffEntry[] {
    const s = this.state;
    if (!s) return [];
    return diffRuns(s.list, runGroups(current), tolerance).functions.filter((e) => e.change === 'regressed');
  }

  worstOf(key: string): SpanRef | undefined {
    return this.state?.worst.get(key);
  }
}

/** The slowest span per operation group (service + span name) of `keys`, merged into `out`. */
export function slowestByOperation(trace: Trace, source: string, keys: ReadonlySet<string>, out: Map<string, SpanRef>): void {
  for (const s of trace.spans) {
    const key = operationKey(s.resource.serviceName, s.name);
    if (!keys.has(key)) continue;
    const d = Number(s.endTimeUnixNano - s.startTimeUnixNano);
    const durationNs = d > 0 ? d : 0;
    const prev = out.get(key);
    if (!prev || durationNs > prev.durationNs) out.set(key, { traceId: s.traceId, spanId: s.spanId, durationNs, source });
  }
}

export type { WorstPair };
