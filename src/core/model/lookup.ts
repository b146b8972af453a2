// Finding a span by its ids in a file: trace id -> trace index per file and span id -> span index per
// trace, built on first use and kept as long as the file (weakly), so links and logs join cheaply.
import type { Trace, TraceFile } from './model';

const traceIndexCache = new WeakMap<TraceFile, Map<string, number>>();
const spanIndexCache = new WeakMap<Trace, Map<string, number>>();

/** Where a span is in the file, or undefined. With duplicate span ids, the first one. */
export function findSpan(file: TraceFile, traceId: string, spanId: string): { traceIndex: number; spanIndex: number } | undefined {
  let traces = traceIndexCache.get(file);
  if (!traces) {
    traces = new Map();
    file.traces.forEach((t, k) => {
      if (!traces!.has(t.traceId)) traces!.set(t.traceId, k);
    });
    traceIndexCache.set(file, traces);
  }
  const traceIndex = traces.get(traceId);
  if (traceIndex === undefined) return undefined;
  const trace = file.traces[traceIndex];
  let spans = spanIndexCache.get(trace);
  if (!spans) {
    spans = new Map();
    for (let k = 0; k < trace.spans.length; k++) if (!spans.has(trace.spans[k].spanId)) spans.set(trace.spans[k].spanId, k);
    spanIndexCache.set(trace, spans);
  }
  const spanIndex = spans.get(spanId);
  return spanIndex === undefined ? undefined : { traceIndex, spanIndex };
}
