// Protobuf decoder for ExportLogsServiceRequest / LogsData
// (opentelemetry-proto logs/v1, collector/logs/v1), on the trace codec's primitives (./codec.ts):
// the same bounds checks, field paths and byte offsets on bad input. Ids come out as lower-case hex
// ('' when empty); ./logsToModel.ts decides which are valid.
// The response needs no codec of its own: ExportLogsServiceResponse has the layout of
// ExportTraceServiceResponse (partial_success = 1 { rejected_* int64 = 1; error_message = 2 }), so
// encodeTraceResponse writes it.
import {
  HEX_ID_READER,
  ProtoDecodeError,
  type ProtoReader as R,
  pushKeyValue,
  readAnyValue,
  readFixed32,
  readFixed64,
  readLenEnd,
  readResourceGroup,
  readScopeGroup,
  readString,
  readTag,
  readTopGroups,
  readVarint32,
  reader,
  skipField,
  within,
} from './codec';
import type { OtlpAnyValue, OtlpKeyValue, OtlpLogRecord, OtlpLogsData, OtlpResourceLogs, OtlpScopeLogs } from './types';

const NO_ATTRIBUTES: readonly OtlpKeyValue[] = [];

function readLogRecord(pbf: R, end: number): OtlpLogRecord<string> {
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: OtlpAnyValue | undefined;
  let attributes: OtlpKeyValue[] | undefined;
  let droppedAttributesCount = 0;
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        timeUnixNano = readFixed64(pbf, end, tag, 'time_unix_nano');
        break;
      case 11:
        observedTimeUnixNano = readFixed64(pbf, end, tag, 'observed_time_unix_nano');
        break;
      case 2:
        severityNumber = readVarint32(pbf, end, tag, 'severity_number') | 0;
        break;
      case 3:
        severityText = readString(pbf, end, tag, 'severity_text');
        break;
      case 5: {
        const stop = readLenEnd(pbf, end, tag, 'body');
        try {
          body = readAnyValue(pbf, stop, 0);
        } catch (e) {
          within(e, 'body');
        }
        break;
      }
      case 6:
        attributes = pushKeyValue(pbf, end, tag, attributes, 'attributes');
        break;
      case 7:
        droppedAttributesCount = readVarint32(pbf, end, tag, 'dropped_attributes_count');
        break;
      case 8:
        flags = readFixed32(pbf, end, tag, 'flags');
        break;
      case 9:
        traceId = HEX_ID_READER.read(pbf, end, tag, 'trace_id');
        break;
      case 10:
        spanId = HEX_ID_READER.read(pbf, end, tag, 'span_id');
        break;
      case 12:
        eventName = readString(pbf, end, tag, 'event_name');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { timeUnixNano, observedTimeUnixNano, severityNumber, severityText, body, attributes: attributes ?? NO_ATTRIBUTES, droppedAttributesCount, flags, traceId, spanId, eventName };
}

function readScopeLogs(pbf: R, end: number): OtlpScopeLogs<string> {
  const g = readScopeGroup(pbf, end, 'log_records', readLogRecord);
  return { scope: g.scope, logRecords: g.items, schemaUrl: g.schemaUrl };
}

function readResourceLogs(pbf: R, end: number): OtlpResourceLogs<string> {
  const g = readResourceGroup(pbf, end, 'scope_logs', 'instrumentation_library_logs', readScopeLogs);
  return { resource: g.resource, scopeLogs: g.groups, schemaUrl: g.schemaUrl };
}

/**
 * Decodes an ExportLogsServiceRequest (or LogsData: same field 1) from `bytes[start, end)`, ids as
 * lower-case hex. Throws ProtoDecodeError with the byte offset and the field path.
 */
export function decodeLogsRequestHexIds(bytes: Uint8Array, start = 0, end = bytes.length): OtlpLogsData<string> {
  return { resourceLogs: readTopGroups(bytes, start, end, 'resource_logs', readResourceLogs) };
}

// ---------------------------------------------------------------- which signal is it?
// TracesData and LogsData share their layout down to the leaf (field 1 of the request, field 2 of
// the resource and scope messages), so the leaf decides: a Span's field 1 is bytes (trace_id), a
// LogRecord's is fixed64 (time_unix_nano), and several other field numbers differ in wire type.

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;
/** Wire type per field number of Span and of LogRecord (-1: no such field). */
const SPAN_WIRE = [-1, LEN, LEN, LEN, LEN, LEN, VARINT, FIXED64, FIXED64, LEN, VARINT, LEN, VARINT, LEN, VARINT, LEN, FIXED32];
const LOG_WIRE = [-1, FIXED64, VARINT, LEN, -1, LEN, LEN, VARINT, FIXED32, LEN, LEN, FIXED64, LEN];

/** The signal of one leaf message bytes[pos, end), or undefined when its fields fit both. */
function leafSignal(pbf: R, end: number): 'traces' | 'logs' | undefined {
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    const f = tag >>> 3;
    const w = tag & 7;
    const span = SPAN_WIRE[f] === w;
    const log = LOG_WIRE[f] === w;
    if (span !== log) return span ? 'traces' : 'logs';
    skipField(pbf, end, tag);
  }
  return undefined;
}

/** scope_spans / scope_logs, and their removed instrumentation_library_* twin. */
const SCOPE_FIELDS = [2, 1000];

/** Calls `visit` for each payload of field `want` in bytes[pos, end) until it returns a value. */
function firstOf<T>(pbf: R, end: number, want: readonly number[], visit: (stop: number) => T | undefined): T | undefined {
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    if (want.includes(tag >>> 3) && (tag & 7) === LEN) {
      const stop = readLenEnd(pbf, end, tag, 'field');
      const r = visit(stop);
      if (r !== undefined) return r;
      pbf.pos = stop;
    } else skipField(pbf, end, tag);
  }
  return undefined;
}

/**
 * Whether an OTLP request in bytes[start, end) holds log records rather than spans. Looks at leaf
 * messages until one decides; undefined when none does (no leaf, or only fields both share), and on
 * malformed bytes (the real decoder then reports them).
 */
export function otlpProtoSignal(bytes: Uint8Array, start = 0, end = bytes.length): 'traces' | 'logs' | undefined {
  const pbf = reader(bytes);
  pbf.pos = start;
  try {
    return firstOf(pbf, end, [1], (rsEnd) => firstOf(pbf, rsEnd, SCOPE_FIELDS, (ssEnd) => firstOf(pbf, ssEnd, [2], (leafEnd) => leafSignal(pbf, leafEnd))));
  } catch (e) {
    if (e instanceof ProtoDecodeError) return undefined;
    throw e;
  }
}
