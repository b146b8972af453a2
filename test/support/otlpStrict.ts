// A strict checker for OTLP/JSON trace documents, written from opentelemetry-proto
// (trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto,
// collector/trace/v1/trace_service.proto) and the OTLP/JSON rules of the OTLP specification
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
//   - keys are the lowerCamelCase JSON names of the proto fields; nothing else is allowed;
//   - traceId / spanId / parentSpanId are hex (case-insensitive), not base64: 32 and 16 digits,
//     and all zeros is invalid (an absent or empty parentSpanId means a root);
//   - enums are integers (kind 0..5, status code 0..2);
//   - 64-bit integers are decimal strings or JSON integers; 32-bit ones are JSON integers;
//   - AnyValue holds at most one of its oneof fields (none = the "empty" value, which
//     common.proto allows), bytes are base64.
// It is deliberately independent of src/ (no project code), so it can judge the exporter. The
// field table is cross-checked against src/core/otlp/schema.ts in test/unit/otlpValid.test.ts.

type Kind =
  | 'string'
  | 'bool'
  | 'int64'
  | 'uint64'
  | 'uint32'
  | 'double'
  | 'bytes'
  | 'traceId'
  | 'spanId'
  | 'parentSpanId'
  | { enum: number }
  | { msg: string };

interface Field {
  readonly kind: Kind;
  readonly repeated?: boolean;
  /** Name of the oneof the field belongs to. */
  readonly oneof?: string;
  /** The proto field name (snake_case) and number, for the cross-check with the proto text. */
  readonly proto: string;
  readonly no: number;
}

const f = (proto: string, no: number, kind: Kind, extra: { repeated?: boolean; oneof?: string } = {}): Field => ({ proto, no, kind, ...extra });
const msg = (name: string): Kind => ({ msg: name });

/** Message name -> JSON field name -> field. The proto's own message names. */
export const OTLP_TRACE_MESSAGES: Record<string, Record<string, Field>> = {
  ExportTraceServiceRequest: {
    resourceSpans: f('resource_spans', 1, msg('ResourceSpans'), { repeated: true }),
  },
  TracesData: {
    resourceSpans: f('resource_spans', 1, msg('ResourceSpans'), { repeated: true }),
  },
  ResourceSpans: {
    resource: f('resource', 1, msg('Resource')),
    scopeSpans: f('scope_spans', 2, msg('ScopeSpans'), { repeated: true }),
    schemaUrl: f('schema_url', 3, 'string'),
  },
  Resource: {
    attributes: f('attributes', 1, msg('KeyValue'), { repeated: true }),
    droppedAttributesCount: f('dropped_attributes_count', 2, 'uint32'),
    entityRefs: f('entity_refs', 3, msg('EntityRef'), { repeated: true }),
  },
  EntityRef: {
    schemaUrl: f('schema_url', 1, 'string'),
    type: f('type', 2, 'string'),
    idKeys: f('id_keys', 3, 'string', { repeated: true }),
    descriptionKeys: f('description_keys', 4, 'string', { repeated: true }),
  },
  ScopeSpans: {
    scope: f('scope', 1, msg('InstrumentationScope')),
    spans: f('spans', 2, msg('Span'), { repeated: true }),
    schemaUrl: f('schema_url', 3, 'string'),
  },
  InstrumentationScope: {
    name: f('name', 1, 'string'),
    version: f('version', 2, 'string'),
    attributes: f('attributes', 3, msg('KeyValue'), { repeated: true }),
    droppedAttributesCount: f('dropped_attributes_count', 4, 'uint32'),
  },
  Span: {
    traceId: f('trace_id', 1, 'traceId'),
    spanId: f('span_id', 2, 'spanId'),
    traceState: f('trace_state', 3, 'string'),
    parentSpanId: f('parent_span_id', 4, 'parentSpanId'),
    flags: f('flags', 16, 'uint32'),
    name: f('name', 5, 'string'),
    kind: f('kind', 6, { enum: 5 }),
    startTimeUnixNano: f('start_time_unix_nano', 7, 'uint64'),
    endTimeUnixNano: f('end_time_unix_nano', 8, 'uint64'),
    attributes: f('attributes', 9, msg('KeyValue'), { repeated: true }),
    droppedAttributesCount: f('dropped_attributes_count', 10, 'uint32'),
    events: f('events', 11, msg('Span.Event'), { repeated: true }),
    droppedEventsCount: f('dropped_events_count', 12, 'uint32'),
    links: f('links', 13, msg('Span.Link'), { repeated: true }),
    droppedLinksCount: f('dropped_links_count', 14, 'uint32'),
    status: f('status', 15, msg('Status')),
  },
  'Span.Event': {
    timeUnixNano: f('time_unix_nano', 1, 'uint64'),
    name: f('name', 2, 'string'),
    attributes: f('attributes', 3, msg('KeyValue'), { repeated: true }),
    droppedAttributesCount: f('dropped_attributes_count', 4, 'uint32'),
  },
  'Span.Link': {
    traceId: f('trace_id', 1, 'traceId'),
    spanId: f('span_id', 2, 'spanId'),
    traceState: f('trace_state', 3, 'string'),
    attributes: f('attributes', 4, msg('KeyValue'), { repeated: true }),
    droppedAttributesCount: f('dropped_attributes_count', 5, 'uint32'),
    flags: f('flags', 6, 'uint32'),
  },
  Status: {
    message: f('message', 2, 'string'),
    code: f('code', 3, { enum: 2 }),
  },
  KeyValue: {
    key: f('key', 1, 'string'),
    value: f('value', 2, msg('AnyValue')),
  },
  AnyValue: {
    stringValue: f('string_value', 1, 'string', { oneof: 'value' }),
    boolValue: f('bool_value', 2, 'bool', { oneof: 'value' }),
    intValue: f('int_value', 3, 'int64', { oneof: 'value' }),
    doubleValue: f('double_value', 4, 'double', { oneof: 'value' }),
    arrayValue: f('array_value', 5, msg('ArrayValue'), { oneof: 'value' }),
    kvlistValue: f('kvlist_value', 6, msg('KeyValueList'), { oneof: 'value' }),
    bytesValue: f('bytes_value', 7, 'bytes', { oneof: 'value' }),
  },
  ArrayValue: {
    values: f('values', 1, msg('AnyValue'), { repeated: true }),
  },
  KeyValueList: {
    values: f('values', 1, msg('KeyValue'), { repeated: true }),
  },
};

const HEX32 = /^[0-9a-fA-F]{32}$/;
const HEX16 = /^[0-9a-fA-F]{16}$/;
const ZEROS = /^0+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$|^[A-Za-z0-9_-]*={0,2}$/;
const INT_RE = /^-?(0|[1-9]\d*)$/;

function checkScalar(kind: Kind, v: unknown, path: string, out: string[]): void {
  const bad = (why: string): void => {
    out.push(`${path}: ${why}, got ${describe(v)}`);
  };
  if (typeof kind === 'object') {
    if ('enum' in kind) {
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad('an enum must be an integer (OTLP/JSON)');
      if (v < 0 || v > kind.enum) bad(`enum value out of range 0..${kind.enum}`);
    }
    return;
  }
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') bad('expected a string');
      return;
    case 'bool':
      if (typeof v !== 'boolean') bad('expected true or false');
      return;
    case 'uint32':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) bad('expected an unsigned 32-bit integer (JSON number)');
      return;
    case 'int64':
    case 'uint64': {
      let n: bigint | undefined;
      if (typeof v === 'string' && INT_RE.test(v)) n = BigInt(v);
      else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
      if (n === undefined) return bad('a 64-bit integer must be a decimal string or a JSON integer');
      const [lo, hi] = kind === 'int64' ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
      if (n < lo || n > hi) bad(`out of ${kind} range`);
      return;
    }
    case 'double':
      if (typeof v === 'number') return;
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return;
      return bad('expected a JSON number (or "NaN", "Infinity", "-Infinity")');
    case 'bytes':
      if (typeof v !== 'string' || !BASE64.test(v)) bad('bytes must be base64');
      return;
    case 'traceId':
      if (typeof v !== 'string' || !HEX32.test(v)) return bad('a trace id must be 32 hex digits');
      if (ZEROS.test(v)) bad('an all-zero trace id is invalid');
      return;
    case 'spanId':
      if (typeof v !== 'string' || !HEX16.test(v)) return bad('a span id must be 16 hex digits');
      if (ZEROS.test(v)) bad('an all-zero span id is invalid');
      return;
    case 'parentSpanId':
      if (v === '') return; // a root
      if (typeof v !== 'string' || !HEX16.test(v)) return bad('a parent span id must be empty or 16 hex digits');
      if (ZEROS.test(v)) bad('an all-zero parent span id is invalid (a root has an empty or no parentSpanId)');
      return;
  }
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 60) + '…' : s;
}

function checkMessage(name: string, v: unknown, path: string, out: string[]): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    out.push(`${path}: expected a ${name} object, got ${describe(v)}`);
    return;
  }
  const fields = OTLP_TRACE_MESSAGES[name];
  const oneofs = new Map<string, string>();
  for (const [key, value] of Object.entries(v)) {
    const at = `${path}.${key}`;
    const field = fields[key];
    if (!field) {
      out.push(`${at}: ${name} has no field "${key}"`);
      continue;
    }
    if (value === null) {
      out.push(`${at}: null (an exporter leaves a field out instead)`);
      continue;
    }
    if (field.oneof) {
      const other = oneofs.get(field.oneof);
      if (other) out.push(`${at}: ${name}.${field.oneof} already set by "${other}" (a oneof holds one field)`);
      oneofs.set(field.oneof, key);
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        out.push(`${at}: a repeated field must be an array, got ${describe(value)}`);
        continue;
      }
      value.forEach((item, i) => checkValue(field.kind, item, `${at}[${i}]`, out));
    } else checkValue(field.kind, value, at, out);
  }
}

function checkValue(kind: Kind, v: unknown, path: string, out: string[]): void {
  if (typeof kind === 'object' && 'msg' in kind) checkMessage(kind.msg, v, path, out);
  else checkScalar(kind, v, path, out);
}

/**
 * Every problem of an OTLP/JSON `TracesData` (or `ExportTraceServiceRequest`, the same shape), as
 * "JSON path: what is wrong"; empty when the document is valid.
 */
export function otlpStrictProblems(doc: unknown, root = '$'): string[] {
  const out: string[] = [];
  checkMessage('TracesData', doc, root, out);
  return out;
}

/** The same for OTLP JSON Lines: one TracesData per non-empty line. */
export function otlpJsonLinesProblems(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      out.push(`line ${i + 1}: not JSON (${(e as Error).message})`);
      return;
    }
    out.push(...otlpStrictProblems(doc, `line ${i + 1}: $`));
  });
  return out;
}

/** Throws with the first problems when `doc` is not strictly valid. */
export function assertStrictOtlp(doc: unknown, what = 'document'): void {
  const problems = otlpStrictProblems(doc);
  if (problems.length) throw new Error(`${what} is not valid OTLP/JSON (${problems.length} problem(s)):\n  ${problems.slice(0, 10).join('\n  ')}`);
}
