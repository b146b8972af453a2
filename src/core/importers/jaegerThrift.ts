// A Jaeger Thrift `Batch` rendered as JSON (`{process, spans}` with `traceIdLow`/`traceIdHigh`,
// numeric i64 ids, `vType` tags): what jaeger-client libraries send and Jaeger's own converter
// fixtures hold (model/converter/thrift/jaeger/fixtures/thrift_batch_*.json). It is rewritten field by
// field into the Jaeger JSON trace shape, so one reader (./jaeger.ts) applies Jaeger's semantics
// (span.kind, error, otel.* tags, references) to both. The ids become hex first, from the exact text:
// JSON.parse would round an i64 beyond 2^53 and merge two spans into one.
import { quoteUnsafeIntegers } from '../otlp/fromJson';
import { isObject } from './json';
import { thriftId } from './zipkinThrift';
import { childPath, WarningCollector } from './warningCollector';

/** jaeger.thrift TagType and SpanRefType numbering. */
const TAG_TYPES = ['STRING', 'DOUBLE', 'BOOL', 'LONG', 'BINARY'];
const REF_TYPES = ['CHILD_OF', 'FOLLOWS_FROM'];
/** Thrift tag type -> the Jaeger JSON `type` and the Thrift field that holds the value. */
const TAG_FIELDS: Record<string, { type: string; field: string }> = {
  STRING: { type: 'string', field: 'vStr' },
  DOUBLE: { type: 'float64', field: 'vDouble' },
  BOOL: { type: 'bool', field: 'vBool' },
  LONG: { type: 'int64', field: 'vLong' },
  BINARY: { type: 'binary', field: 'vBinary' },
};

function isThriftSpan(v: unknown): boolean {
  return isObject(v) && ('traceIdLow' in v || 'traceIdHigh' in v);
}

/** `{process, spans: [{traceIdLow, …}]}`, or a list of such batches. */
export function isJaegerThriftBatch(v: unknown): boolean {
  const batch = Array.isArray(v) ? v.find(isObject) : v;
  return isObject(batch) && isObject(batch.process) && Array.isArray(batch.spans) && batch.spans.some(isThriftSpan);
}

/**
 * Rewrites a batch into a Jaeger JSON trace `{spans, processes}`, a list of batches into a list of
 * traces: the same nesting, so the reader's paths ($.spans[3].tags[1]) point into the file as it is.
 * `text` is the file's text, re-read with i64 numbers quoted so ids stay exact.
 */
export function thriftBatchesToJaegerJson(value: unknown, text: string | undefined, warnings: WarningCollector): unknown {
  if (text !== undefined) {
    const exactText = quoteUnsafeIntegers(text);
    if (exactText !== text) value = JSON.parse(exactText);
  }
  const trace = (b: unknown, path: string) => (isObject(b) ? batchTrace(b, path, warnings) : b);
  return Array.isArray(value) ? value.map((b, i) => trace(b, `$[${i}]`)) : trace(value, '$');
}

function batchTrace(batch: Record<string, unknown>, path: string, warnings: WarningCollector): unknown {
  const process = isObject(batch.process) ? { serviceName: batch.process.serviceName, tags: thriftTags(batch.process.tags) } : undefined;
  const spans = Array.isArray(batch.spans) ? batch.spans.map((s, i) => (isObject(s) ? jsonSpan(s, childPath(childPath(path, 'spans'), i), warnings) : s)) : batch.spans;
  return { spans, processes: process ? { p1: process } : {} };
}

function jsonSpan(s: Record<string, unknown>, path: string, warnings: WarningCollector): Record<string, unknown> {
  const traceID = traceHex(s.traceIdHigh, s.traceIdLow, path, warnings);
  const spanID = thriftId(s.spanId, childPath(path, 'spanId'), warnings);
  const references: unknown[] = [];
  if (Array.isArray(s.references)) {
    for (const r of s.references) {
      if (!isObject(r)) continue;
      const refType = typeof r.refType === 'number' ? REF_TYPES[r.refType] : r.refType;
      references.push({ refType, traceID: traceHex(r.traceIdHigh, r.traceIdLow, path, warnings), spanID: thriftId(r.spanId, childPath(path, 'references'), warnings) });
    }
  }
  // parentSpanId 0 means none; otherwise it is a CHILD_OF reference unless one already names it
  // (Jaeger's model.MaybeAddParentSpanID does the same).
  const parent = s.parentSpanId === undefined || s.parentSpanId === 0 || s.parentSpanId === '0' ? undefined : thriftId(s.parentSpanId, childPath(path, 'parentSpanId'), warnings);
  if (parent && !references.some((r) => isObject(r) && r.spanID === parent)) references.unshift({ refType: 'CHILD_OF', traceID, spanID: parent });
  return {
    // A missing id stays missing, so the reader names it ("traceID should be a non-empty string").
    traceID: traceID ?? s.traceIdLow,
    spanID: spanID ?? s.spanId,
    operationName: s.operationName,
    references,
    flags: s.flags,
    startTime: s.startTime,
    duration: s.duration,
    tags: thriftTags(s.tags),
    logs: Array.isArray(s.logs) ? s.logs.map((l) => (isObject(l) ? { timestamp: l.timestamp, fields: thriftTags(l.fields) } : l)) : s.logs,
    processID: 'p1',
  };
}

/** High and low i64 halves -> the id Jaeger prints: 16 hex digits, 32 when the high half is set. */
function traceHex(high: unknown, low: unknown, path: string, warnings: WarningCollector): string | undefined {
  const lo = thriftId(low, childPath(path, 'traceIdLow'), warnings);
  if (lo === undefined) return undefined;
  const hi = high === undefined || high === null ? undefined : thriftId(high, childPath(path, 'traceIdHigh'), warnings);
  return hi && !/^0+$/.test(hi) ? hi + lo : lo;
}

/** Thrift tags -> Jaeger JSON `{key, type, value}`; an unknown vType is passed on for the reader to name. */
function thriftTags(tags: unknown): unknown {
  if (!Array.isArray(tags)) return tags;
  return tags.map((t) => {
    if (!isObject(t)) return t;
    const name = typeof t.vType === 'number' ? TAG_TYPES[t.vType] : typeof t.vType === 'string' ? t.vType.toUpperCase() : 'STRING';
    const f = name !== undefined ? TAG_FIELDS[name] : undefined;
    if (!f) return { key: t.key, vType: t.vType };
    return { key: t.key, type: f.type, value: t[f.field] ?? (f.type === 'string' ? '' : undefined) };
  });
}
