// What the views show of the log records joined to a trace (issue 12): record DTOs for the span
// detail and the trace-level list, the marker columns of the waterfall, and the spans an exception
// was logged on. Everything reads the join of ../logs/join.ts; nothing here copies a record.
import type { LogRecord } from '../model/logs';
import { severityName } from '../model/logs';
import type { Trace, TraceFile } from '../model/model';
import { formatAttrValue, getStringAttr } from '../model/attributes';
import { formatEpochNanos } from '../model/time';
import { traceLogs, type TraceLogs } from '../logs/join';
import { isExceptionRecord } from '../logs/exceptions';
import { LOG_SEVERITIES, type LogRecordDto, type SpanDetailDto, type TraceLogsDto, type WaterfallDto } from '../../shared/protocol';
import { maskedText, toAttributeDtos, type ScreenMask } from './detailMask';

/** Records listed per span and per trace; the counts stay complete. */
export const MAX_SPAN_LOGS = 500;
export const MAX_TRACE_LOGS = 2000;

/** The coarse severity code (index into LOG_SEVERITIES) of a record. */
export function severityCode(r: LogRecord): number {
  return LOG_SEVERITIES.indexOf(severityName(r.severityNumber));
}

export function logRecordDto(r: LogRecord, t0: bigint, mask?: ScreenMask): LogRecordDto {
  const severity = severityName(r.severityNumber);
  const body = r.body === undefined ? '' : formatAttrValue(r.body);
  const bodyMasked = body && mask ? maskedText(mask, body) : undefined;
  const text = r.severityText && r.severityText.toUpperCase() !== severity ? r.severityText : undefined;
  return {
    offsetNs: r.timeUnixNano > 0n ? Number(r.timeUnixNano - t0) : 0,
    time: r.timeUnixNano > 0n ? formatEpochNanos(r.timeUnixNano) : '(no time)',
    severityNumber: r.severityNumber,
    severity,
    ...(text ? { severityText: text } : {}),
    body: bodyMasked ? bodyMasked.text : body,
    ...(bodyMasked ? { bodyMasked: bodyMasked.masked } : {}),
    ...(r.eventName ? { eventName: r.eventName } : {}),
    attributes: toAttributeDtos(r.attributes, mask),
    ...(r.spanId ? { spanId: r.spanId } : {}),
    ...(isExceptionRecord(r) ? { exception: true } : {}),
  };
}

/** The records joined to one span, by time. */
export function spanLogRecords(file: TraceFile, traceIndex: number, spanIndex: number): LogRecord[] {
  const joined = traceLogs(file, traceIndex);
  const list = joined?.bySpan.get(spanIndex);
  return list ? list.map((k) => file.logs![k]) : [];
}

/** The span detail's Logs section and its logged exception. */
export function spanLogsDetail(file: TraceFile, traceIndex: number, spanIndex: number, mask?: ScreenMask): Pick<SpanDetailDto, 'logs' | 'logCount' | 'loggedException'> {
  const records = spanLogRecords(file, traceIndex, spanIndex);
  if (!records.length) return {};
  const t0 = file.traces[traceIndex].startTimeUnixNano;
  const exception = records.find(isExceptionRecord);
  return {
    logs: records.slice(0, MAX_SPAN_LOGS).map((r) => logRecordDto(r, t0, mask)),
    logCount: records.length,
    ...(exception ? { loggedException: exceptionText(exception) } : {}),
  };
}

function exceptionText(r: LogRecord): string {
  const type = getStringAttr(r.attributes, 'exception.type');
  const message = getStringAttr(r.attributes, 'exception.message') ?? (typeof r.body === 'string' ? r.body : undefined);
  const what = [type, message].filter(Boolean).join(': ');
  return what || r.eventName || 'exception';
}

/** The trace-level list: records with the trace's id and no span of it. */
export function traceLevelLogs(file: TraceFile, traceIndex: number, mask?: ScreenMask): TraceLogsDto {
  const joined = traceLogs(file, traceIndex);
  const list = joined?.traceLevel ?? [];
  const t0 = file.traces[traceIndex].startTimeUnixNano;
  return { records: list.slice(0, MAX_TRACE_LOGS).map((k) => logRecordDto(file.logs![k], t0, mask)), total: list.length };
}

/** Spans (by index) with an exception logged on them. */
export function spansWithLoggedException(records: readonly LogRecord[], joined: TraceLogs | undefined): Set<number> {
  const out = new Set<number>();
  if (!joined) return out;
  for (const [spanIndex, list] of joined.bySpan) if (list.some((k) => isExceptionRecord(records[k]))) out.add(spanIndex);
  return out;
}

/** The waterfall's log marker columns, in row order (rowOfSpan: the row of each span). */
export function logMarkerColumns(trace: Trace, records: readonly LogRecord[], joined: TraceLogs, rowOfSpan: Int32Array): Pick<WaterfallDto, 'logRow' | 'logNs' | 'logSeverity'> {
  let n = 0;
  for (const list of joined.bySpan.values()) n += list.length;
  const spansByRow = [...joined.bySpan.keys()].sort((a, b) => rowOfSpan[a] - rowOfSpan[b]);
  const logRow = new Int32Array(n);
  const logNs = new Float64Array(n);
  const logSeverity = new Uint8Array(n);
  const t0 = trace.startTimeUnixNano;
  let k = 0;
  for (const s of spansByRow) {
    for (const i of joined.bySpan.get(s)!) {
      const r = records[i];
      logRow[k] = rowOfSpan[s];
      logNs[k] = r.timeUnixNano > 0n ? Number(r.timeUnixNano - t0) : 0;
      logSeverity[k] = severityCode(r);
      k++;
    }
  }
  return { logRow, logNs, logSeverity };
}

/** Lower-case text of a record for the find bar: body, event name and attribute values. */
export function logSearchText(r: LogRecord): string {
  let t = r.body === undefined ? '' : formatAttrValue(r.body);
  if (r.eventName) t += `\n${r.eventName}`;
  for (const a of r.attributes) t += `\n${a.key}=${formatAttrValue(a.value)}`;
  return t.toLowerCase();
}
