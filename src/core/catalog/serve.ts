// The catalog's side of the thread boundary: the trace catalog, the statistics and (when started)
// the dev collector live here, and this answers the host's calls (./protocol.ts). The worker script
// calls it with parentPort; tests may call it with one end of a MessageChannel.
import * as fs from 'fs';
import type { MessagePort } from 'worker_threads';
import type { Collector } from '../collector/core';
import type { PortLike } from '../collector/protocol';
import { serveCollector } from '../collector/serve';
import { serializeOtlpJson } from '../exporters/otlpJson';
import { FORMAT_LABELS, type TraceFile } from '../model/model';
import { plainSpan } from '../model/plainSpan';
import type { RequestMethod } from '../../shared/protocol';
import { withLoggedExceptions } from '../logs/exceptions';
import { spanLogRecords } from '../view/logView';
import type { RawCodeSite, ResolvedSite } from '../source';
import { importTraceFile } from '../importers/importFile';
import { toErrorView } from '../view/errorView';
import type { TraceFileSession } from '../view/session';
import { TraceCatalog } from './catalog';
import { LIVE_SOURCE, LiveStatsFeed } from './liveFeed';
import { isCancellation, LoadCancelled, loadTraceFile } from './load';
import type { CatalogCalls, CatalogMethod, FromCatalog, HostCalls, SessionInfo, SessionSpec, ShareResult, ShareSource, SpanRefInfo, StatisticsScope, ToCatalog } from './protocol';
import { StatsService } from './statsService';
import { runAiTool } from '../ai/tools';
import { catalogAiContext, type AiCallOptions } from '../ai/catalogContext';
import { compareCalls } from './compareCalls';
import { createRedactor, type RedactionRules } from '../redaction';
import { shareTraces, type ShareFormat } from '../share';
import type { Trace } from '../model/model';

/** Progress messages at most this often per load. */
const PROGRESS_EVERY_MS = 100;

export function serveCatalog(port: PortLike): void {
  const post = (m: FromCatalog) => port.postMessage(m);
  const postTransfer = (m: FromCatalog, list: ArrayBuffer[]) => (port as unknown as { postMessage(m: unknown, t: ArrayBuffer[]): void }).postMessage(m, list);
  const catalog = new TraceCatalog();
  let collector: Collector | undefined;

  // Calls to the host (site resolution), answered by `hostResult`.
  let nextHostCall = 1;
  const hostPending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const callHost = <M extends keyof HostCalls>(method: M, ...args: Parameters<HostCalls[M]>): Promise<ReturnType<HostCalls[M]>> => {
    const id = nextHostCall++;
    return new Promise((resolve, reject) => {
      hostPending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      post({ type: 'hostCall', id, method, args });
    });
  };
  // stderr: `spanlens mcp` runs this worker, and its stdout carries only protocol messages.
  const log = (message: string) => console.error(`[spanlens worker] ${message}`);

  const stats = new StatsService({
    resolve: (site: RawCodeSite) => callHost('resolveSite', site).catch(() => undefined) as Promise<ResolvedSite | undefined>,
    onChange: () => post({ type: 'statsChanged' }),
    log,
  });
  const feed = new LiveStatsFeed(() => collector, stats);
  const compare = compareCalls({ catalog, stats, collector: () => collector, changed: () => post({ type: 'statsChanged' }) });
  const { annotate: withBaseline, ...compareTable } = compare;

  // Trace files count in the statistics; a collected trace opened in a view does not (the
  // collector's own source counts it), so opening it leaves the figures as they were.
  catalog.onChange((c) => {
    if (c.kind !== 'file') return;
    if (c.type === 'removed' || c.type === 'replaced') stats.removeSource(c.key);
    if (c.type === 'added' || c.type === 'replaced') stats.addTraces(c.key, c.traces);
  });

  const collectedFile = (traceId: string): TraceFile => {
    const t = collector?.store.getTrace(traceId);
    if (!t) throw new Error(`collected trace ${traceId} is not in the dev collector (stopped, cleared or evicted)`);
    // The trace's OTLP log records travel with it (joined to spans by the view).
    const logs = collector!.logs.forTrace(traceId);
    return { format: 'otlp-proto', traces: [t], spanCount: t.spans.length, warnings: [], ...(logs.length ? { logs } : {}) };
  };

  const info = (sessionId: number, session: TraceFileSession, importMs: number): SessionInfo => ({
    sessionId,
    format: session.file.format,
    formatLabel: session.formatLabel,
    spanCount: session.file.spanCount,
    traces: session.summaries(),
    warnings: session.warningTexts(),
    importMs,
  });

  // The redaction settings (the host sends them on start and on change); masking on screen is on
  // by default, like the setting.
  let redaction: { rules: RedactionRules; maskOnScreen: boolean } = { rules: {}, maskOnScreen: true };

  const shareSourceTraces = (source: ShareSource): readonly Trace[] => {
    if (source.kind === 'collected') {
      if (!collector) throw new Error('the dev collector is not running');
      return collector.store.toTraceFile(source.traceIds).traces;
    }
    const s = catalog.session(source.sessionId);
    if (source.traceIndex === undefined) return s.file.traces;
    s.checkTrace(source.traceIndex);
    return [s.file.traces[source.traceIndex]];
  };

  const sessionOfSource = (source: string): TraceFileSession | undefined => {
    if (source === LIVE_SOURCE) return undefined;
    return catalog.sessionOfKey(source);
  };

  const calls: { [M in CatalogMethod]: (...args: any[]) => unknown } = {
    async openSession(spec: SessionSpec, loadId: number, cancel?: Int32Array): Promise<SessionInfo> {
      const isCancelled = () => (cancel ? Atomics.load(cancel, 0) === 1 : false);
      let lastProgress = 0;
      const load = async (): Promise<TraceFile> => {
        if (spec.kind === 'collected') return collectedFile(spec.traceId);
        if (spec.kind === 'bytes') return importTraceFile(spec.bytes, { fileName: spec.fileName });
        return loadTraceFile(spec.path, {
          maxFileSizeMB: spec.maxFileSizeMB,
          isCancelled,
          onProgress: (p) => {
            const now = Date.now();
            if (now - lastProgress < PROGRESS_EVERY_MS && p.bytesDone < p.bytesTotal) return;
            lastProgress = now;
            post({ type: 'progress', progress: { loadId, ...p } });
          },
        });
      };
      const { sessionId, session, importMs } = await catalog.open(spec.key, spec.kind === 'collected' ? 'collected' : 'file', load);
      if (isCancelled()) {
        catalog.close(sessionId);
        throw new LoadCancelled();
      }
      return info(sessionId, session, importMs);
    },
    closeSession: (sessionId: number) => catalog.close(sessionId),
    waterfall: (sessionId: number, traceIndex: number) => catalog.session(sessionId).waterfall(traceIndex),
    request: (sessionId: number, method: RequestMethod, params: never) =>
      catalog.session(sessionId).handle(method, params, method !== 'search' && redaction.maskOnScreen ? { mask: createRedactor(redaction.rules) } : {}),
    findSpan: (sessionId: number, traceId: string, spanId: string) => catalog.session(sessionId).findSpan(traceId, spanId),
    span: (sessionId: number, traceIndex: number, spanIndex: number) => {
      const s = catalog.session(sessionId);
      s.checkSpan(traceIndex, spanIndex);
      // With the exceptions logged on it as events: jump to code and stack frames map them too.
      return plainSpan(withLoggedExceptions(s.file.traces[traceIndex].spans[spanIndex], spanLogRecords(s.file, traceIndex, spanIndex)));
    },
    refreshSession(sessionId: number): SessionInfo {
      const key = catalog.keyOf(sessionId);
      const id = key && /^collected:(.+)$/.exec(key)?.[1];
      if (!key || !id) return info(sessionId, catalog.session(sessionId), 0);
      const session = catalog.replace(key, collectedFile(id)) ?? catalog.session(sessionId);
      return info(sessionId, session, 0);
    },
    saveOtlpJson(sessionId: number, traceIndex: number | undefined, file: string) {
      const f = catalog.session(sessionId).file;
      const traces = traceIndex === undefined ? f.traces : [f.traces[traceIndex]];
      const text = serializeOtlpJson(traces as TraceFile['traces'], { pretty: true });
      fs.writeFileSync(file, text);
      return { traces: traces.length, spans: traces.reduce((n, t) => n + t.spans.length, 0), bytes: Buffer.byteLength(text) };
    },
    spanRefInfo(source: string, traceId: string, spanId: string): SpanRefInfo | undefined {
      const session = sessionOfSource(source);
      const trace = session ? session.file.traces.find((t) => t.traceId === traceId) : source === LIVE_SOURCE ? collector?.store.getTrace(traceId) : undefined;
      const span = trace?.spans.find((s) => s.spanId === spanId);
      if (!trace || !span) return undefined;
      return {
        rootName: trace.rootName,
        rootService: trace.rootService,
        service: span.resource.serviceName,
        startTimeUnixNano: span.startTimeUnixNano.toString(),
        error: span.status.code === 2,
      };
    },
    aiTool(name: string, input: unknown, rules?: RedactionRules, options?: AiCallOptions): Promise<string> {
      // The caller's rules, else the ones the host set (the user's settings); the defaults always apply.
      const state = {
        sources: () => catalog.sources(),
        liveStore: () => collector?.store,
        functionStats: async () => {
          await stats.idle();
          return stats.files().flatMap((f) => stats.functionsInFile(f));
        },
        resolveSite: (site: RawCodeSite) => callHost('resolveSite', site) as Promise<ResolvedSite | undefined>,
      };
      return runAiTool(name, input, catalogAiContext(state, rules ?? redaction.rules, options));
    },
    setRedaction(rules: RedactionRules, maskOnScreen: boolean) {
      createRedactor(rules); // a bad pattern fails here, in the caller's face, not on every span
      redaction = { rules, maskOnScreen };
    },
    shareExport(source: ShareSource, format: ShareFormat, rules: RedactionRules | null, mode: 'preview' | 'write', file?: string): ShareResult {
      const out = shareTraces(shareSourceTraces(source), format, rules, { serialise: mode === 'write' });
      if (mode === 'preview') return out.preview;
      if (!file || out.text === undefined) throw new Error('shareExport: no file to write');
      fs.writeFileSync(file, out.text);
      return { ...out.preview, file, bytes: Buffer.byteLength(out.text) };
    },
    statsSetScope: (scope: StatisticsScope) => stats.setScope(scope),
    statsSelect(sessionId: number | undefined, traceIndex: number | undefined) {
      const key = sessionId !== undefined ? catalog.keyOf(sessionId) : undefined;
      const trace = key !== undefined && traceIndex !== undefined ? catalog.session(sessionId!).file.traces[traceIndex] : undefined;
      stats.select(key !== undefined && trace ? { source: key, traceIndex: traceIndex!, trace } : undefined);
    },
    statsFunctionsInFile: (file: string) => withBaseline(stats.functionsInFile(file)),
    statsGet: (key: string) => stats.get(key),
    statsHistogram: (key: string, bins: number) => stats.histogram(key, bins),
    statsSlowest: (key: string) => stats.slowestSpans(key),
    statsRebuild: (why: string) => stats.rebuild(why),
    statsInfo: () => stats.info(),
    statsIdle: () => stats.idle(),
    serveCollector(collectorPort: MessagePort) {
      serveCollector(collectorPort, {
        onStarted: (c) => {
          collector = c;
          feed.schedule();
        },
        onChange: () => feed.schedule(),
        onStopped: () => {
          collector = undefined;
          feed.forget();
        },
      });
    },
    ...compareTable,
    memory: () => {
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
    },
  };

  port.on('message', (raw: unknown) => {
    const msg = raw as ToCatalog;
    if (msg.type === 'hostResult') {
      const p = hostPending.get(msg.id);
      if (!p) return;
      hostPending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.error ?? 'host call failed'));
      return;
    }
    if (msg.type !== 'call') return;
    const fn = calls[msg.method];
    const args = msg.method === 'openSession' ? [...msg.args, msg.cancel] : msg.args;
    Promise.resolve()
      .then(() => (fn ? fn(...args) : Promise.reject(new Error(`unknown call ${String(msg.method)}`))))
      .then(
        (value) => {
          // Typed arrays (a waterfall's columns) are copied here and moved to the host, which then
          // receives them without deserialising anything on its own thread.
          const transfer = transferables(value);
          postTransfer({ type: 'result', id: msg.id, ok: true, value: transfer.value }, transfer.list);
        },
        (e: unknown) => {
          const cancelled = isCancellation(e);
          const spec = msg.method === 'openSession' ? (msg.args[0] as SessionSpec) : undefined;
          const errorView = spec && !cancelled ? toErrorView(e, spec.kind === 'collected' ? `collected trace ${spec.traceId}` : spec.fileName, FORMAT_LABELS) : undefined;
          post({ type: 'result', id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e), cancelled, errorView });
        },
      );
  });
}

/** The value with each top-level typed array replaced by a copy, and the copies' buffers to transfer. */
function transferables(value: unknown): { value: unknown; list: ArrayBuffer[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return { value, list: [] };
  const list: ArrayBuffer[] = [];
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView) && v.byteLength > 4096) {
      const copy = (v as unknown as { slice(): ArrayBufferView }).slice();
      list.push(copy.buffer as ArrayBuffer);
      (out ??= { ...(value as Record<string, unknown>) })[k] = copy;
    }
  }
  return { value: out ?? value, list };
}
