// OTLP log documents as files: OTLP/JSON `{"resourceLogs": [...]}` (a whole file or one line of JSON
// Lines) and protobuf LogsData / ExportLogsServiceRequest (plain or the Collector file exporter's
// length-framed records). A file of logs alone opens with no traces: the records are what it holds.
import { ImportError } from '../model/errors';
import type { LogRecord } from '../model/logs';
import type { Span, TraceFile } from '../model/model';
import { assembleTraceFile } from '../model/trace';
import { JsonReadContext, quoteUnsafeIntegers } from '../otlp/fromJson';
import { ProtoDecodeError } from '../otlp/codec';
import { decodeLogsRequestHexIds, otlpProtoSignal } from '../otlp/logsCodec';
import { logsDataFromJson, resourceLogsKey } from '../otlp/logsJson';
import { logsFromOtlp } from '../otlp/logsToModel';
import { WarningSink } from '../otlp/warnings';
import { parseJson } from './json';
import { decodeInto, protoRecords, type ProtoRecord } from './otlpProto';

/** A parsed JSON document that is LogsData (and not also TracesData, which the trace reader takes). */
export function isLogsDocument(v: unknown): boolean {
  return resourceLogsKey(v) !== undefined && !('resourceSpans' in (v as object)) && !('resource_spans' in (v as object));
}

/** Appends the records of one parsed LogsData document to `out`; `pathRoot` names it in warnings. */
export function readLogsDocument(value: unknown, warnings: WarningSink, out: LogRecord[], pathRoot = '$'): void {
  const key = resourceLogsKey(value);
  if (key === undefined) return;
  const ctx = new JsonReadContext(warnings, pathRoot);
  const data = logsDataFromJson((value as Record<string, unknown>)[key], key, ctx);
  logsFromOtlp(data, warnings, out, pathRoot);
}

/** A whole-file LogsData document. `sourceText` keeps int64 JSON numbers above 2^53 exact. */
export function importOtlpLogsJson(value: unknown, sourceText?: string): TraceFile {
  if (sourceText !== undefined) {
    const exact = quoteUnsafeIntegers(sourceText);
    if (exact !== sourceText) value = parseJson(exact, { format: 'otlp-json' });
  }
  const warnings = new WarningSink();
  const logs: LogRecord[] = [];
  readLogsDocument(value, warnings, logs);
  return { ...assembleTraceFile('otlp-json', [], warnings.list()), logs };
}

/** Whether a protobuf file (plain or framed) holds log records: its first request decides. */
export function isOtlpProtoLogs(bytes: Uint8Array): boolean {
  try {
    for (const r of protoRecords(bytes, new WarningSink())) return otlpProtoSignal(bytes, r.start, r.end) === 'logs';
  } catch {
    return false; // the trace reader reports what is wrong with the framing
  }
  return false;
}

function decodeLogsInto(bytes: Uint8Array, r: ProtoRecord, out: LogRecord[], warnings: WarningSink): void {
  let data;
  try {
    data = decodeLogsRequestHexIds(bytes, r.start, r.end);
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw new ImportError(`invalid OTLP protobuf logs${r.label}: ${e.detail}`, { offset: e.offset }, r.format);
    throw e;
  }
  logsFromOtlp(data, warnings, out, r.label ? `${r.label.trim()} $` : '$');
}

/**
 * A protobuf file of log requests. Each framed record is read as the signal it holds, so a framed
 * file that interleaves trace and log records gives both.
 */
export function importOtlpProtoLogs(bytes: Uint8Array): TraceFile {
  const warnings = new WarningSink();
  const spans: Span[] = [];
  const logs: LogRecord[] = [];
  let format: ProtoRecord['format'] = 'otlp-proto-framed';
  for (const r of protoRecords(bytes, warnings)) {
    format = r.format;
    if (otlpProtoSignal(bytes, r.start, r.end) === 'logs') decodeLogsInto(bytes, r, logs, warnings);
    else decodeInto(bytes, r.start, r.end, spans, warnings, r.format, r.label);
  }
  return { ...assembleTraceFile(format, spans, warnings.list()), logs };
}
