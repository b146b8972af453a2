// Log records joined to spans (issue 12): a record with a trace id and a span id belongs to that span,
// one with only a trace id (or a span id the trace does not hold) to the trace. Indices only, into
// `file.logs`, built once per file and held weakly with it: the records themselves are never copied.
import type { LogRecord } from '../model/logs';
import type { TraceFile } from '../model/model';
import { findSpan } from '../model/lookup';

export interface TraceLogs {
  /** Record indices (into file.logs) per span index, each list by time. */
  readonly bySpan: ReadonlyMap<number, readonly number[]>;
  /** Records of the trace that name no span it holds, by time. */
  readonly traceLevel: readonly number[];
  readonly count: number;
}

export interface FileLogIndex {
  /** Per trace index; undefined when the trace has no records. */
  readonly traces: readonly (TraceLogs | undefined)[];
  /** Records with no trace id, or the id of a trace that is not in the file. */
  readonly unattached: readonly number[];
}

const EMPTY: FileLogIndex = { traces: [], unattached: [] };
const cache = new WeakMap<TraceFile, FileLogIndex>();

export function fileLogIndex(file: TraceFile): FileLogIndex {
  const logs = file.logs;
  if (!logs || logs.length === 0) return EMPTY;
  let idx = cache.get(file);
  if (!idx) {
    idx = buildIndex(file, logs);
    cache.set(file, idx);
  }
  return idx;
}

export function traceLogs(file: TraceFile, traceIndex: number): TraceLogs | undefined {
  return fileLogIndex(file).traces[traceIndex];
}

function buildIndex(file: TraceFile, logs: readonly LogRecord[]): FileLogIndex {
  const bySpan: (Map<number, number[]> | undefined)[] = [];
  const traceLevel: (number[] | undefined)[] = [];
  const unattached: number[] = [];
  const traceOf = new Map<string, number>();
  file.traces.forEach((t, i) => {
    if (!traceOf.has(t.traceId)) traceOf.set(t.traceId, i);
  });
  for (let k = 0; k < logs.length; k++) {
    const r = logs[k];
    const t = r.traceId !== undefined ? traceOf.get(r.traceId) : undefined;
    if (t === undefined) {
      unattached.push(k);
      continue;
    }
    const at = r.spanId !== undefined ? findSpan(file, r.traceId!, r.spanId) : undefined;
    if (at) {
      const m = (bySpan[t] ??= new Map());
      const list = m.get(at.spanIndex);
      if (list) list.push(k);
      else m.set(at.spanIndex, [k]);
    } else (traceLevel[t] ??= []).push(k);
  }
  const byTime = (a: number, b: number) => (logs[a].timeUnixNano < logs[b].timeUnixNano ? -1 : logs[a].timeUnixNano > logs[b].timeUnixNano ? 1 : a - b);
  const traces: (TraceLogs | undefined)[] = file.traces.map((_, t) => {
    const m = bySpan[t];
    const level = traceLevel[t];
    if (!m && !level) return undefined;
    let count = level?.length ?? 0;
    for (const list of m?.values() ?? []) {
      list.sort(byTime);
      count += list.length;
    }
    level?.sort(byTime);
    return { bySpan: m ?? new Map(), traceLevel: level ?? [], count };
  });
  unattached.sort(byTime);
  return { traces, unattached };
}
