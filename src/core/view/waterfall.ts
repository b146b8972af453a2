// Lays a trace out as waterfall rows: depth-first from the roots, children by start time (the order
// trace.ts already sorted them in). Everything is column arrays so that a 100k-span trace is a few
// typed arrays crossing postMessage, and the walk is iterative because real traces can be degenerate
// chains far deeper than the JS stack.
import { StatusCode, type Trace, type TraceFile } from '../model/model';
import { criticalPath } from '../analysis/criticalPath';
import { traceArrays } from '../model/traceArrays';
import { traceGenAi, traceGenAiTotals } from '../genai/totals';
import { RowFlag, type TraceSummaryDto, type WaterfallDto } from '../../shared/protocol';
import type { LogRecord } from '../model/logs';
import { fileLogIndex, type TraceLogs } from '../logs/join';
import { logMarkerColumns, spansWithLoggedException } from './logView';

/** Depth is a Uint16Array in the DTO; deeper rows are shown at this depth (indentation is moot there). */
export const MAX_DEPTH = 0xffff;

/** `logs`: the file's records and their join to this trace, for markers and logged exceptions. */
export function buildWaterfall(trace: Trace, traceIndex: number, logs?: { records: readonly LogRecord[]; joined: TraceLogs }): WaterfallDto {
  const { spans } = trace;
  const n = spans.length;
  const times = traceArrays(trace);
  const { childStart, childList } = times;
  const spanIndex = new Int32Array(n);
  const rowOfSpan = new Int32Array(n).fill(-1);
  const depth = new Uint16Array(n);
  const subtreeEnd = new Int32Array(n);

  // Explicit DFS stack: the span, and the position in childList of its next child to emit.
  const stackSpan = new Int32Array(n);
  const stackNext = new Int32Array(n);
  let row = 0;
  const emitTree = (root: number) => {
    if (rowOfSpan[root] >= 0) return;
    let sp = 0;
    const open = (s: number) => {
      rowOfSpan[s] = row;
      spanIndex[row] = s;
      depth[row] = sp < MAX_DEPTH ? sp : MAX_DEPTH;
      row++;
      stackSpan[sp] = s;
      stackNext[sp] = childStart[s];
      sp++;
    };
    open(root);
    while (sp > 0) {
      const s = stackSpan[sp - 1];
      const k = stackNext[sp - 1];
      if (k < childStart[s + 1]) {
        stackNext[sp - 1] = k + 1;
        // trace.ts cuts cycles, so a span is reached once; the check only guards a malformed Trace.
        if (rowOfSpan[childList[k]] < 0) open(childList[k]);
      } else {
        subtreeEnd[rowOfSpan[s]] = row;
        sp--;
      }
    }
  };
  for (const r of rootsByThread(trace)) emitTree(r);
  // Never drop a span: anything the roots did not reach (only possible in a hand-built Trace) is its own root.
  for (let i = 0; i < n && row < n; i++) emitTree(i);

  // Per-span facts in span order (sequential over the span objects), then scattered to rows through
  // typed arrays: walking span objects in row order is random access and cost several times more.
  const serviceIndex = new Map<string, number>();
  trace.services.forEach((s, i) => serviceIndex.set(s, i));
  const services = trace.services.slice();
  const spanService = new Uint16Array(n);
  const spanFlags = new Uint8Array(n);
  // Names are interned: a trace has few distinct names, and `new Array(n)` past ~100k elements is a
  // slow dictionary-mode array in V8 (and 1M strings cost seconds to structured-clone).
  const nameTable: string[] = [];
  const nameIds = new Map<string, number>();
  const spanName = new Uint32Array(n);
  let lastName: string | undefined;
  let lastNameId = 0;
  const firstEvent = new Int32Array(n + 1);
  let eventCount = 0;
  let lastResource: object | undefined;
  let svc = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    if (s.resource !== lastResource) {
      // Resources are shared by the spans of a batch, so consecutive spans usually repeat this lookup.
      lastResource = s.resource;
      const known = serviceIndex.get(s.resource.serviceName);
      if (known !== undefined) svc = known;
      else {
        svc = services.length;
        services.push(s.resource.serviceName);
        serviceIndex.set(s.resource.serviceName, svc);
      }
    }
    spanService[i] = svc < 0xffff ? svc : 0xffff;
    let f = 0;
    if (s.status.code === StatusCode.Error) f |= RowFlag.Error;
    if (s.events.length) f |= RowFlag.HasEvents;
    if (trace.issues[i]) f |= RowFlag.Issue;
    if (childStart[i + 1] > childStart[i]) f |= RowFlag.HasChildren;
    spanFlags[i] = f;
    const name = s.name;
    if (name !== lastName) {
      let id = nameIds.get(name);
      if (id === undefined) {
        id = nameTable.length;
        nameTable.push(name);
        nameIds.set(name, id);
      }
      lastName = name;
      lastNameId = id;
    }
    spanName[i] = lastNameId;
    firstEvent[i] = eventCount;
    eventCount += s.events.length;
  }
  firstEvent[n] = eventCount;

  const startNs = new Float64Array(n);
  const durationNsByRow = new Float64Array(n);
  const service = new Uint16Array(n);
  const flags = new Uint8Array(n);
  const nameIndex = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const i = spanIndex[r];
    const a = times.startNs[i];
    // Spans without a start timestamp (NaN) are drawn at the trace start with no width.
    if (a === a) {
      startNs[r] = a;
      const d = times.endNs[i] - a;
      durationNsByRow[r] = d > 0 ? d : 0;
    }
    service[r] = spanService[i];
    flags[r] = spanFlags[i];
    nameIndex[r] = spanName[i];
  }

  // Event markers in row order (the order the view draws them); offsets computed in span order.
  const t0 = trace.startTimeUnixNano;
  const offsetBySpanEvent = new Float64Array(eventCount);
  for (let i = 0, e = 0; i < n; i++) {
    if (!(spanFlags[i] & RowFlag.HasEvents)) continue;
    for (const ev of spans[i].events) offsetBySpanEvent[e++] = Number(ev.timeUnixNano - t0);
  }
  const eventRow = new Int32Array(eventCount);
  const eventNs = new Float64Array(eventCount);
  for (let r = 0, e = 0; r < n; r++) {
    const i = spanIndex[r];
    for (let k = firstEvent[i]; k < firstEvent[i + 1]; k++) {
      eventRow[e] = r;
      eventNs[e] = offsetBySpanEvent[k];
      e++;
    }
  }

  let logColumns: Pick<WaterfallDto, 'logRow' | 'logNs' | 'logSeverity'> = {};
  if (logs && logs.joined.bySpan.size) {
    logColumns = logMarkerColumns(trace, logs.records, logs.joined, rowOfSpan);
    for (const s of logs.joined.bySpan.keys()) flags[rowOfSpan[s]] |= RowFlag.HasLogs;
    for (const s of spansWithLoggedException(logs.records, logs.joined)) flags[rowOfSpan[s]] |= RowFlag.LoggedException | RowFlag.Error;
  }

  const path = criticalPath(trace);
  const criticalRow = new Int32Array(path.length);
  const criticalStartNs = new Float64Array(path.length);
  const criticalEndNs = new Float64Array(path.length);
  path.forEach((seg, k) => {
    const r = rowOfSpan[seg.spanIndex];
    criticalRow[k] = r;
    criticalStartNs[k] = seg.startNs;
    criticalEndNs[k] = seg.endNs;
    flags[r] |= RowFlag.CriticalPath;
  });

  return {
    traceIndex,
    traceId: trace.traceId,
    startTimeUnixNano: t0.toString(),
    durationNs: trace.durationNs,
    services,
    rowCount: n,
    spanIndex,
    depth,
    startNs,
    durationNsByRow,
    subtreeEnd,
    service,
    flags,
    nameTable,
    nameIndex,
    eventRow,
    eventNs,
    criticalRow,
    criticalStartNs,
    criticalEndNs,
    warnings: trace.warnings.map((w) => w.message),
    ...genAiKindColumn(trace, spanIndex),
    ...logColumns,
  };
}

/** The GenAI icon of each row (codes as GenAiKindCode), only for traces that have GenAI spans. */
function genAiKindColumn(trace: Trace, spanIndex: Int32Array): Pick<WaterfallDto, 'genAiKind'> {
  const g = traceGenAi(trace);
  if (!g.totals) return {};
  const genAiKind = new Uint8Array(spanIndex.length);
  for (let r = 0; r < spanIndex.length; r++) genAiKind[r] = g.kinds[spanIndex[r]];
  return { genAiKind };
}

/**
 * trace.roots, with the roots of one thread kept together: roots carrying `thread.id` (a Chrome
 * trace's top-level tasks; threads are attributes there, not spans) are grouped by resource and
 * thread id, groups in the order of their first root, roots by start within a group. Roots without
 * a thread id keep their place. So a Chrome timeline reads as process > thread > tasks, as in
 * Perfetto, instead of interleaving the tasks of every thread.
 */
export function rootsByThread(trace: Trace): readonly number[] {
  const roots = trace.roots;
  if (roots.length < 2) return roots;
  const perResource = new Map<object, Map<string, number[]>>();
  const order: number[][] = [];
  let grouped = false;
  for (const r of roots) {
    const s = trace.spans[r];
    const tid = s.attributes.find((a) => a.key === 'thread.id')?.value;
    if (tid === undefined) {
      order.push([r]);
      continue;
    }
    let byTid = perResource.get(s.resource);
    if (!byTid) perResource.set(s.resource, (byTid = new Map()));
    const key = String(tid);
    let g = byTid.get(key);
    if (!g) {
      byTid.set(key, (g = []));
      order.push(g);
    } else grouped = true;
    g.push(r);
  }
  if (!grouped) return roots;
  return order.flat();
}

/** Rows hidden when the given rows are collapsed, as ascending [from, to) ranges (nested ones merged). */
export function hiddenRanges(wf: WaterfallDto, collapsedRows: Iterable<number>): Array<[number, number]> {
  const rows = [...collapsedRows].filter((r) => r >= 0 && r < wf.rowCount).sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const r of rows) {
    const from = r + 1;
    const to = wf.subtreeEnd[r];
    if (to <= from) continue;
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

export function traceSummaries(file: TraceFile): TraceSummaryDto[] {
  const logIndex = fileLogIndex(file);
  return file.traces.map((t, traceIndex) => ({
    traceIndex,
    traceId: t.traceId,
    rootName: t.rootName,
    rootService: t.rootService,
    startTimeUnixNano: t.startTimeUnixNano.toString(),
    startMs: Number(t.startTimeUnixNano / 1_000_000n),
    durationNs: t.durationNs,
    spanCount: t.spans.length,
    errorCount: t.errorCount + loggedOnlyErrors(t, file.logs, logIndex.traces[traceIndex]),
    services: t.services,
    warningCount: t.warnings.length,
    ...genAiSummary(t),
    ...(logIndex.traces[traceIndex] ? { logCount: logIndex.traces[traceIndex]!.count } : {}),
  }));
}

function genAiSummary(t: Trace): Pick<TraceSummaryDto, 'genAi'> {
  const g = traceGenAiTotals(t);
  return g ? { genAi: { inputTokens: g.inputTokens, outputTokens: g.outputTokens, models: g.models } } : {};
}

/** Spans shown as errors only because an exception was logged on them (their status is not ERROR). */
function loggedOnlyErrors(t: Trace, records: readonly LogRecord[] | undefined, joined: TraceLogs | undefined): number {
  if (!records || !joined) return 0;
  let n = 0;
  for (const s of spansWithLoggedException(records, joined)) if (t.spans[s].status.code !== StatusCode.Error) n++;
  return n;
}
