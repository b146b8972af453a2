// Protobuf codec for ExportTraceServiceRequest / ExportTraceServiceResponse (./schema.ts): pbf for
// writing (its growable buffer, length back-patching and UTF-8 writer) and as the read cursor, with
// hand-written message readers. Why not protobufjs: see test/bench/protobufChoice.ts for measured
// decode speed; besides, 64-bit values go straight to exact bigints (no Long objects), attribute
// values decode straight into the model's AttrValue (no per-value wrapper objects to copy and
// collect), and every length is bounds-checked, so truncated or garbage input fails with the byte
// offset and field path instead of decoding junk.
//
// Reading follows proto3: unknown fields are skipped, the last value of a singular field wins, and
// two removed fields are still read for old senders:
// ResourceSpans field 1000 (instrumentation_library_spans, same layout as scope_spans) and
// Status field 1 (deprecated_code).
import { MAX_VALUE_DEPTH } from '../model/attributes';
import Pbf from 'pbf';
import type {
  OtlpAnyValue,
  OtlpEntityRef,
  OtlpEvent,
  OtlpExportTracePartialSuccess,
  OtlpExportTraceServiceRequest,
  OtlpExportTraceServiceResponse,
  OtlpInstrumentationScope,
  OtlpKeyValue,
  OtlpLink,
  OtlpResource,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpStatus,
  OtlpTracesData,
} from './types';

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', 'an invalid wire type', 'an invalid wire type'];

const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** AnyValue nesting limit (arrays/kvlists in arrays...), as protobuf parsers have: garbage cannot blow the stack. */
const MAX_DEPTH = MAX_VALUE_DEPTH;

/** A protobuf input that is not a well-formed message: where (byte offset) and what failed. */
export class ProtoDecodeError extends Error {
  constructor(
    /** What failed, including the field path, e.g. "resource_spans[0].scope_spans[0].spans[7].name: ..." */
    readonly detail: string,
    /** Byte offset in the decoded buffer where the problem was found. */
    readonly offset: number,
  ) {
    super(`${detail} (at byte ${offset})`);
    this.name = 'ProtoDecodeError';
  }
}

// ---------------------------------------------------------------- reading

/** Cursor over one buffer; `pbf.pos` is the position, `end` bounds the current message. */
type R = Pbf;

function fail(pbf: R, what: string, at = pbf.pos): never {
  throw new ProtoDecodeError(what, at);
}

/**
 * Reads an unsigned varint of up to 10 bytes as a number (exact below 2^53), never past `end`.
 * pbf's own readVarint does not bounds-check, so truncated input would read undefined bytes.
 */
function readVarintNum(pbf: R, end: number, what: string): number {
  const buf = pbf.buf;
  const at = pbf.pos;
  if (at < end) {
    const b = buf[at];
    if (b < 0x80) {
      pbf.pos = at + 1;
      return b;
    }
  }
  let value = 0;
  let scale = 1;
  for (let i = at; i < at + 10; i++) {
    if (i >= end) fail(pbf, `${what}: truncated varint`, at);
    const b = buf[i];
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      pbf.pos = i + 1;
      return value;
    }
    scale *= 128;
  }
  return fail(pbf, `${what}: varint longer than 10 bytes`, at);
}

/** Reads a field key. */
function readTag(pbf: R, end: number): number {
  const at = pbf.pos;
  const tag = readVarintNum(pbf, end, 'field key');
  if (tag > 0xffffffff || tag >>> 3 === 0) fail(pbf, `invalid field key ${tag} (field number ${Math.floor(tag / 8)})`, at);
  return tag;
}

function expectWire(pbf: R, tag: number, want: number, field: string): void {
  if ((tag & 7) !== want) fail(pbf, `${field}: expected ${WIRE_NAMES[want]} but found ${WIRE_NAMES[tag & 7]} (wire type ${tag & 7})`);
}

function readVarint32(pbf: R, end: number, tag: number, field: string): number {
  expectWire(pbf, tag, VARINT, field);
  const at = pbf.pos;
  const v = readVarintNum(pbf, end, field);
  if (v <= 0xffffffff) return v;
  // Wider than 32 bits (e.g. a negative enum, sign-extended to 10 bytes): keep the low 32 bits
  // exactly, as protobuf parsers do for 32-bit fields.
  pbf.pos = at;
  return Number(BigInt.asUintN(32, readVarint64(pbf, end, tag, field)));
}

/** int64 varint to an exact bigint (two's complement for negatives, 10 bytes). */
function readVarint64(pbf: R, end: number, tag: number, field: string): bigint {
  expectWire(pbf, tag, VARINT, field);
  const buf = pbf.buf;
  const at = pbf.pos;
  let lo = 0;
  let hi = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    if (i >= end) fail(pbf, `${field}: truncated varint`, at);
    const b = buf[i++];
    if (shift < 28) lo |= (b & 0x7f) << shift;
    else if (shift === 28) {
      lo |= (b & 0x0f) << 28;
      hi |= (b & 0x7f) >>> 4;
    } else hi |= (b & 0x7f) << (shift - 32);
    if (b < 0x80) break;
    shift += 7;
    if (shift > 63) fail(pbf, `${field}: varint longer than 10 bytes`, at);
  }
  pbf.pos = i;
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

function readFixed32(pbf: R, end: number, tag: number, field: string): number {
  expectWire(pbf, tag, FIXED32, field);
  const p = pbf.pos;
  if (p + 4 > end) fail(pbf, `${field}: truncated fixed32`);
  const b = pbf.buf;
  pbf.pos = p + 4;
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

function readFixed64(pbf: R, end: number, tag: number, field: string): bigint {
  expectWire(pbf, tag, FIXED64, field);
  const p = pbf.pos;
  if (p + 8 > end) fail(pbf, `${field}: truncated fixed64`);
  const b = pbf.buf;
  pbf.pos = p + 8;
  const lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  const hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

function readDouble(pbf: R, end: number, tag: number, field: string): number {
  expectWire(pbf, tag, FIXED64, field);
  const p = pbf.pos;
  if (p + 8 > end) fail(pbf, `${field}: truncated double`);
  pbf.pos = p + 8;
  return (pbf.buf as Buffer).readDoubleLE(p);
}

/**
 * Reads a length prefix and returns the end of the payload, checked against the enclosing end.
 * `index` (for repeated fields) only goes into the error text, built when something fails.
 */
function readLenEnd(pbf: R, end: number, tag: number, field: string, index = -1): number {
  if ((tag & 7) !== LEN) expectWire(pbf, tag, LEN, index < 0 ? field : `${field}[${index}]`);
  const at = pbf.pos;
  const len = readVarintNum(pbf, end, field);
  const stop = pbf.pos + len;
  if (stop > end) {
    const name = index < 0 ? field : `${field}[${index}]`;
    fail(pbf, `${name}: length ${len} runs past the end of the enclosing message (${end - pbf.pos} bytes left)`, at);
  }
  return stop;
}

function readString(pbf: R, end: number, tag: number, field: string): string {
  const stop = readLenEnd(pbf, end, tag, field);
  return stop === pbf.pos ? '' : decodeUtf8(pbf, stop);
}

// Short ASCII strings (attribute keys, enum-like values, service and span names) repeat across
// spans. An interning table returns the same string for the same bytes without allocating a new
// one: less memory for the decoded trace and much less garbage-collection work while decoding.
const INTERN_MAX = 40;
const INTERN_SLOTS = 8192; // power of two
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

/** UTF-8 payload [pbf.pos, stop) to a string. */
function decodeUtf8(pbf: R, stop: number): string {
  const buf = pbf.buf as Buffer;
  const start = pbf.pos;
  pbf.pos = stop;
  const len = stop - start;
  if (len > INTERN_MAX) return buf.toString('utf8', start, stop);
  let h = len;
  let high = 0;
  for (let i = start; i < stop; i++) {
    const c = buf[i];
    high |= c;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (high >= 0x80) return buf.toString('utf8', start, stop);
  const slot = (h ^ (h >>> 13)) & (INTERN_SLOTS - 1);
  const cached = interned[slot];
  if (cached.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (cached.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const str = buf.toString('latin1', start, stop);
  interned[slot] = str;
  return str;
}

/** How the decoder hands out trace/span ids: raw bytes (the wire type), or hex text (for the importers). */
interface IdReader<Id> {
  readonly empty: Id;
  read(pbf: R, end: number, tag: number, field: string): Id;
}

const BYTE_IDS: IdReader<Uint8Array> = { empty: EMPTY_BYTES, read: readBytes };

/**
 * Ids straight to lower-case hex ('' when empty), Buffer's native hex encoder on the input: no
 * Uint8Array view per id, and a flat string the model can use as a map key without more work.
 */
const HEX_IDS: IdReader<string> = {
  empty: '',
  read(pbf, end, tag, field) {
    const stop = readLenEnd(pbf, end, tag, field);
    const start = pbf.pos;
    pbf.pos = stop;
    return stop === start ? '' : (pbf.buf as Buffer).toString('hex', start, stop);
  },
};

function readBytes(pbf: R, end: number, tag: number, field: string): Uint8Array {
  const stop = readLenEnd(pbf, end, tag, field);
  const start = pbf.pos;
  pbf.pos = stop;
  // A plain Uint8Array view (not a Buffer slice: cheaper, and what callers expect).
  return stop === start ? EMPTY_BYTES : new Uint8Array(pbf.buf.buffer, pbf.buf.byteOffset + start, stop - start);
}

/** Skips a field this reader does not know (forward compatibility), bounds-checked. */
function skipField(pbf: R, end: number, tag: number): void {
  const field = `field ${tag >>> 3}`;
  switch (tag & 7) {
    case VARINT:
      readVarint64(pbf, end, tag, field);
      return;
    case FIXED64:
      if (pbf.pos + 8 > end) fail(pbf, `${field}: truncated fixed64`);
      pbf.pos += 8;
      return;
    case LEN:
      pbf.pos = readLenEnd(pbf, end, tag, field);
      return;
    case FIXED32:
      if (pbf.pos + 4 > end) fail(pbf, `${field}: truncated fixed32`);
      pbf.pos += 4;
      return;
    default:
      fail(pbf, `${field}: unsupported wire type ${tag & 7} (${WIRE_NAMES[tag & 7]}): not a protobuf message, or corrupted`);
  }
}

/** Prefixes the field path on errors raised inside a nested message. */
function within(e: unknown, path: string): never {
  if (e instanceof ProtoDecodeError) throw new ProtoDecodeError(`${path}.${e.detail}`, e.offset);
  throw e;
}

function readAnyValue(pbf: R, end: number, depth: number): OtlpAnyValue {
  if (depth > MAX_DEPTH) fail(pbf, `value nested deeper than ${MAX_DEPTH} levels`);
  let value: OtlpAnyValue = null;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        value = readString(pbf, end, tag, 'string_value');
        break;
      case 2:
        value = readVarint32(pbf, end, tag, 'bool_value') !== 0;
        break;
      case 3:
        value = readVarint64(pbf, end, tag, 'int_value');
        break;
      case 4:
        value = readDouble(pbf, end, tag, 'double_value');
        break;
      case 5: {
        const stop = readLenEnd(pbf, end, tag, 'array_value');
        const values: OtlpAnyValue[] = [];
        try {
          while (pbf.pos < stop) {
            const t = readTag(pbf, stop);
            if (t >>> 3 === 1) values.push(readAnyValue(pbf, readLenEnd(pbf, stop, t, 'values', values.length), depth + 1));
            else skipField(pbf, stop, t);
          }
        } catch (e) {
          within(e, `array_value.values[${values.length}]`);
        }
        value = values;
        break;
      }
      case 6: {
        const stop = readLenEnd(pbf, end, tag, 'kvlist_value');
        const kvlist: OtlpKeyValue[] = [];
        try {
          while (pbf.pos < stop) {
            const t = readTag(pbf, stop);
            if (t >>> 3 === 1) kvlist.push(readKeyValue(pbf, readLenEnd(pbf, stop, t, 'values', kvlist.length), depth + 1));
            else skipField(pbf, stop, t);
          }
        } catch (e) {
          within(e, `kvlist_value.values[${kvlist.length}]`);
        }
        value = { kvlist };
        break;
      }
      case 7:
        value = readBytes(pbf, end, tag, 'bytes_value');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return value;
}

function readKeyValue(pbf: R, end: number, depth: number): OtlpKeyValue {
  let key = '';
  let value: OtlpAnyValue = null;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        key = readString(pbf, end, tag, 'key');
        break;
      case 2: {
        const stop = readLenEnd(pbf, end, tag, 'value');
        try {
          value = readAnyValue(pbf, stop, depth);
        } catch (e) {
          within(e, 'value');
        }
        break;
      }
      default:
        skipField(pbf, end, tag);
    }
  }
  return { key, value };
}

/** Appends one KeyValue (field payload) to `list` (allocated on first use), with the index in error paths. */
function pushKeyValue(pbf: R, end: number, tag: number, list: OtlpKeyValue[] | undefined, field: string): OtlpKeyValue[] {
  const out = list ?? [];
  const stop = readLenEnd(pbf, end, tag, field, out.length);
  try {
    out.push(readKeyValue(pbf, stop, 0));
  } catch (e) {
    within(e, `${field}[${out.length}]`);
  }
  return out;
}

// Most spans have no events or links, and many events no attributes: share one empty list.
const NO_ATTRIBUTES: readonly OtlpKeyValue[] = [];
const NO_EVENTS: readonly OtlpEvent[] = [];
const NO_LINKS: readonly OtlpLink<never>[] = [];

function readScope(pbf: R, end: number): OtlpInstrumentationScope {
  let name = '';
  let version = '';
  let attributes: OtlpKeyValue[] | undefined;
  let droppedAttributesCount = 0;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        name = readString(pbf, end, tag, 'name');
        break;
      case 2:
        version = readString(pbf, end, tag, 'version');
        break;
      case 3:
        attributes = pushKeyValue(pbf, end, tag, attributes, 'attributes');
        break;
      case 4:
        droppedAttributesCount = readVarint32(pbf, end, tag, 'dropped_attributes_count');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { name, version, attributes: attributes ?? NO_ATTRIBUTES, droppedAttributesCount };
}

function readEntityRef(pbf: R, end: number): OtlpEntityRef {
  let schemaUrl = '';
  let type = '';
  const idKeys: string[] = [];
  const descriptionKeys: string[] = [];
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        schemaUrl = readString(pbf, end, tag, 'schema_url');
        break;
      case 2:
        type = readString(pbf, end, tag, 'type');
        break;
      case 3:
        idKeys.push(readString(pbf, end, tag, 'id_keys'));
        break;
      case 4:
        descriptionKeys.push(readString(pbf, end, tag, 'description_keys'));
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { schemaUrl, type, idKeys, descriptionKeys };
}

function readResource(pbf: R, end: number): OtlpResource {
  let attributes: OtlpKeyValue[] | undefined;
  let droppedAttributesCount = 0;
  const entityRefs: OtlpEntityRef[] = [];
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        attributes = pushKeyValue(pbf, end, tag, attributes, 'attributes');
        break;
      case 2:
        droppedAttributesCount = readVarint32(pbf, end, tag, 'dropped_attributes_count');
        break;
      case 3: {
        const stop = readLenEnd(pbf, end, tag, 'entity_refs', entityRefs.length);
        try {
          entityRefs.push(readEntityRef(pbf, stop));
        } catch (e) {
          within(e, `entity_refs[${entityRefs.length}]`);
        }
        break;
      }
      default:
        skipField(pbf, end, tag);
    }
  }
  return { attributes: attributes ?? NO_ATTRIBUTES, droppedAttributesCount, entityRefs };
}

function readStatus(pbf: R, end: number): OtlpStatus {
  let message = '';
  let code = 0;
  let deprecatedCode = 0;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        deprecatedCode = readVarint32(pbf, end, tag, 'deprecated_code');
        break;
      case 2:
        message = readString(pbf, end, tag, 'message');
        break;
      case 3:
        code = readVarint32(pbf, end, tag, 'code');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { message, code, deprecatedCode };
}

function readEvent(pbf: R, end: number): OtlpEvent {
  let timeUnixNano = 0n;
  let name = '';
  let attributes: OtlpKeyValue[] | undefined;
  let droppedAttributesCount = 0;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        timeUnixNano = readFixed64(pbf, end, tag, 'time_unix_nano');
        break;
      case 2:
        name = readString(pbf, end, tag, 'name');
        break;
      case 3:
        attributes = pushKeyValue(pbf, end, tag, attributes, 'attributes');
        break;
      case 4:
        droppedAttributesCount = readVarint32(pbf, end, tag, 'dropped_attributes_count');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { timeUnixNano, name, attributes: attributes ?? NO_ATTRIBUTES, droppedAttributesCount };
}

function readLink<Id>(pbf: R, end: number, ids: IdReader<Id>): OtlpLink<Id> {
  let traceId = ids.empty;
  let spanId = ids.empty;
  let traceState = '';
  let attributes: OtlpKeyValue[] | undefined;
  let droppedAttributesCount = 0;
  let flags = 0;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        traceId = ids.read(pbf, end, tag, 'trace_id');
        break;
      case 2:
        spanId = ids.read(pbf, end, tag, 'span_id');
        break;
      case 3:
        traceState = readString(pbf, end, tag, 'trace_state');
        break;
      case 4:
        attributes = pushKeyValue(pbf, end, tag, attributes, 'attributes');
        break;
      case 5:
        droppedAttributesCount = readVarint32(pbf, end, tag, 'dropped_attributes_count');
        break;
      case 6:
        flags = readFixed32(pbf, end, tag, 'flags');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { traceId, spanId, traceState, attributes: attributes ?? NO_ATTRIBUTES, droppedAttributesCount, flags };
}

function readSpan<Id>(pbf: R, end: number, ids: IdReader<Id>): OtlpSpan<Id> {
  let traceId = ids.empty;
  let spanId = ids.empty;
  let traceState = '';
  let parentSpanId = ids.empty;
  let flags = 0;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  let attributes: OtlpKeyValue[] | undefined;
  let droppedAttributesCount = 0;
  let events: OtlpEvent[] | undefined;
  let droppedEventsCount = 0;
  let links: OtlpLink<Id>[] | undefined;
  let droppedLinksCount = 0;
  let status: OtlpStatus | undefined;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        traceId = ids.read(pbf, end, tag, 'trace_id');
        break;
      case 2:
        spanId = ids.read(pbf, end, tag, 'span_id');
        break;
      case 3:
        traceState = readString(pbf, end, tag, 'trace_state');
        break;
      case 4:
        parentSpanId = ids.read(pbf, end, tag, 'parent_span_id');
        break;
      case 5:
        name = readString(pbf, end, tag, 'name');
        break;
      case 6:
        kind = readVarint32(pbf, end, tag, 'kind');
        break;
      case 7:
        startTimeUnixNano = readFixed64(pbf, end, tag, 'start_time_unix_nano');
        break;
      case 8:
        endTimeUnixNano = readFixed64(pbf, end, tag, 'end_time_unix_nano');
        break;
      case 9:
        attributes = pushKeyValue(pbf, end, tag, attributes, 'attributes');
        break;
      case 10:
        droppedAttributesCount = readVarint32(pbf, end, tag, 'dropped_attributes_count');
        break;
      case 11: {
        events ??= [];
        const stop = readLenEnd(pbf, end, tag, 'events', events.length);
        try {
          events.push(readEvent(pbf, stop));
        } catch (e) {
          within(e, `events[${events.length}]`);
        }
        break;
      }
      case 12:
        droppedEventsCount = readVarint32(pbf, end, tag, 'dropped_events_count');
        break;
      case 13: {
        links ??= [];
        const stop = readLenEnd(pbf, end, tag, 'links', links.length);
        try {
          links.push(readLink(pbf, stop, ids));
        } catch (e) {
          within(e, `links[${links.length}]`);
        }
        break;
      }
      case 14:
        droppedLinksCount = readVarint32(pbf, end, tag, 'dropped_links_count');
        break;
      case 15: {
        const stop = readLenEnd(pbf, end, tag, 'status');
        try {
          status = readStatus(pbf, stop);
        } catch (e) {
          within(e, 'status');
        }
        break;
      }
      case 16:
        flags = readFixed32(pbf, end, tag, 'flags');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return {
    traceId,
    spanId,
    traceState,
    parentSpanId,
    flags,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes: attributes ?? NO_ATTRIBUTES,
    droppedAttributesCount,
    events: events ?? NO_EVENTS,
    droppedEventsCount,
    links: links ?? NO_LINKS,
    droppedLinksCount,
    status,
  };
}

/** Reads one message payload [pbf.pos, end). */
export type MessageReader<T> = (pbf: R, end: number) => T;

// TracesData and LogsData (and their Resource*/Scope* messages) have the same envelope, so one
// reader serves both signals: only the leaf (Span, LogRecord) and the names in error paths differ.

/** ScopeSpans / ScopeLogs: { scope = 1; repeated leaf = 2; schema_url = 3 }; `field` names the leaf list. */
export function readScopeGroup<T>(pbf: R, end: number, field: string, readLeaf: MessageReader<T>): { scope?: OtlpInstrumentationScope; items: T[]; schemaUrl: string } {
  let scope: OtlpInstrumentationScope | undefined;
  const items: T[] = [];
  let schemaUrl = '';
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1: {
        const stop = readLenEnd(pbf, end, tag, 'scope');
        try {
          scope = readScope(pbf, stop);
        } catch (e) {
          within(e, 'scope');
        }
        break;
      }
      case 2: {
        const stop = readLenEnd(pbf, end, tag, field, items.length);
        try {
          items.push(readLeaf(pbf, stop));
        } catch (e) {
          within(e, `${field}[${items.length}]`);
        }
        break;
      }
      case 3:
        schemaUrl = readString(pbf, end, tag, 'schema_url');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { scope, items, schemaUrl };
}

/**
 * ResourceSpans / ResourceLogs: { resource = 1; repeated scope group = 2; schema_url = 3 }, plus the
 * removed field 1000 (instrumentation_library_*, same layout) still sent by old SDKs.
 */
export function readResourceGroup<G>(pbf: R, end: number, field: string, legacyField: string, readGroup: MessageReader<G>): { resource?: OtlpResource; groups: G[]; schemaUrl: string } {
  let resource: OtlpResource | undefined;
  const groups: G[] = [];
  let schemaUrl = '';
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1: {
        const stop = readLenEnd(pbf, end, tag, 'resource');
        try {
          resource = readResource(pbf, stop);
        } catch (e) {
          within(e, 'resource');
        }
        break;
      }
      case 2:
      case 1000: {
        const name = tag >>> 3 === 2 ? field : legacyField;
        const stop = readLenEnd(pbf, end, tag, name, groups.length);
        try {
          groups.push(readGroup(pbf, stop));
        } catch (e) {
          within(e, `${name}[${groups.length}]`);
        }
        break;
      }
      case 3:
        schemaUrl = readString(pbf, end, tag, 'schema_url');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
  return { resource, groups, schemaUrl };
}

/** TracesData / LogsData in bytes[start, end): { repeated resource group = 1 }. */
export function readTopGroups<G>(bytes: Uint8Array, start: number, end: number, field: string, readGroup: MessageReader<G>): G[] {
  const pbf = reader(bytes);
  pbf.pos = start;
  const groups: G[] = [];
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    if (tag >>> 3 === 1) {
      const stop = readLenEnd(pbf, end, tag, field, groups.length);
      try {
        groups.push(readGroup(pbf, stop));
      } catch (e) {
        within(e, `${field}[${groups.length}]`);
      }
    } else skipField(pbf, end, tag);
  }
  return groups;
}

function readScopeSpans<Id>(pbf: R, end: number, ids: IdReader<Id>): OtlpScopeSpans<Id> {
  const g = readScopeGroup(pbf, end, 'spans', (p, e) => readSpan(p, e, ids));
  return { scope: g.scope, spans: g.items, schemaUrl: g.schemaUrl };
}

function readResourceSpans<Id>(pbf: R, end: number, ids: IdReader<Id>): OtlpResourceSpans<Id> {
  const g = readResourceGroup(pbf, end, 'scope_spans', 'instrumentation_library_spans', (p, e) => readScopeSpans(p, e, ids));
  return { resource: g.resource, scopeSpans: g.groups, schemaUrl: g.schemaUrl };
}

/**
 * A pbf cursor over a Buffer view of the input (no copy): the readers use Buffer's UTF-8 and double
 * decoding, which honour byteOffset (pbf's own DataView does not, so they are not used).
 */
function reader(bytes: Uint8Array): Pbf {
  return new Pbf(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

function decodeRequest<Id>(bytes: Uint8Array, start: number, end: number, ids: IdReader<Id>): OtlpTracesData<Id> {
  return { resourceSpans: readTopGroups(bytes, start, end, 'resource_spans', (p, e) => readResourceSpans(p, e, ids)) };
}

/**
 * Decodes an ExportTraceServiceRequest (or TracesData: same field 1) from `bytes[start, end)`.
 * Throws ProtoDecodeError with the byte offset (relative to `bytes`) and the field path.
 * Ids and bytes values are views into `bytes`: copy them if the buffer is reused.
 */
export function decodeTraceRequest(bytes: Uint8Array, start = 0, end = bytes.length): OtlpExportTraceServiceRequest {
  return decodeRequest(bytes, start, end, BYTE_IDS);
}

/**
 * The same, with trace/span ids as lower-case hex strings ('' when empty): what the importers
 * want (the model keeps hex ids), without a Uint8Array per id. Use with toModel's HEX_IDS.
 */
export function decodeTraceRequestHexIds(bytes: Uint8Array, start = 0, end = bytes.length): OtlpTracesData<string> {
  return decodeRequest(bytes, start, end, HEX_IDS);
}

/** Decodes an ExportTraceServiceResponse (what a collector answers). */
export function decodeTraceResponse(bytes: Uint8Array): OtlpExportTraceServiceResponse {
  const pbf = reader(bytes);
  const end = bytes.length;
  let partialSuccess: OtlpExportTracePartialSuccess | undefined;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    if (tag >>> 3 === 1) {
      const stop = readLenEnd(pbf, end, tag, 'partial_success');
      let rejectedSpans = 0n;
      let errorMessage = '';
      while (pbf.pos < stop) {
        const t = readTag(pbf, stop);
        if (t >>> 3 === 1) rejectedSpans = readVarint64(pbf, stop, t, 'partial_success.rejected_spans');
        else if (t >>> 3 === 2) errorMessage = readString(pbf, stop, t, 'partial_success.error_message');
        else skipField(pbf, stop, t);
      }
      partialSuccess = { rejectedSpans, errorMessage };
    } else skipField(pbf, end, tag);
  }
  return partialSuccess ? { partialSuccess } : {};
}

// ---------------------------------------------------------------- lean scanning
// The importers' lean path: every byte is validated exactly as the readers above would (same
// wire-type, length and varint checks, through the same primitives), but attributes, events and
// links are not materialised: a span keeps its byte range and is decoded again, with readSpan, on
// first access (decodeSpanHexIds). On any ProtoDecodeError the caller re-runs the exact decoder on
// the same bytes, which throws the identical error with its field path.

function skipLen(pbf: R, end: number, tag: number, field: string): void {
  pbf.pos = readLenEnd(pbf, end, tag, field);
}

function checkVarint(pbf: R, end: number, tag: number, field: string): void {
  expectWire(pbf, tag, VARINT, field);
  readVarintNum(pbf, end, field);
}

function checkFixed(pbf: R, end: number, tag: number, wire: number, size: number, field: string): void {
  expectWire(pbf, tag, wire, field);
  if (pbf.pos + size > end) fail(pbf, `${field}: truncated`);
  pbf.pos += size;
}

function checkAnyValue(pbf: R, end: number, depth: number): void {
  if (depth > MAX_DEPTH) fail(pbf, `value nested deeper than ${MAX_DEPTH} levels`);
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
      case 7:
        skipLen(pbf, end, tag, 'value');
        break;
      case 2:
      case 3:
        checkVarint(pbf, end, tag, 'value');
        break;
      case 4:
        checkFixed(pbf, end, tag, FIXED64, 8, 'double_value');
        break;
      case 5:
      case 6: {
        const kv = tag >>> 3 === 6;
        const stop = readLenEnd(pbf, end, tag, 'value');
        while (pbf.pos < stop) {
          const t = readTag(pbf, stop);
          if (t >>> 3 === 1) {
            const s = readLenEnd(pbf, stop, t, 'values');
            if (kv) checkKeyValue(pbf, s, depth + 1);
            else checkAnyValue(pbf, s, depth + 1);
          } else skipField(pbf, stop, t);
        }
        break;
      }
      default:
        skipField(pbf, end, tag);
    }
  }
}

function checkKeyValue(pbf: R, end: number, depth: number): void {
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    const f = tag >>> 3;
    if (f === 1) skipLen(pbf, end, tag, 'key');
    else if (f === 2) checkAnyValue(pbf, readLenEnd(pbf, end, tag, 'value'), depth);
    else skipField(pbf, end, tag);
  }
}

function checkKeyValueField(pbf: R, end: number, tag: number): void {
  checkKeyValue(pbf, readLenEnd(pbf, end, tag, 'attributes'), 0);
}

function checkEvent(pbf: R, end: number): void {
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        checkFixed(pbf, end, tag, FIXED64, 8, 'time_unix_nano');
        break;
      case 2:
        skipLen(pbf, end, tag, 'name');
        break;
      case 3:
        checkKeyValueField(pbf, end, tag);
        break;
      case 4:
        checkVarint(pbf, end, tag, 'dropped_attributes_count');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
}

function checkLink(pbf: R, end: number): void {
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
      case 2:
      case 3:
        skipLen(pbf, end, tag, 'link');
        break;
      case 4:
        checkKeyValueField(pbf, end, tag);
        break;
      case 5:
        checkVarint(pbf, end, tag, 'dropped_attributes_count');
        break;
      case 6:
        checkFixed(pbf, end, tag, FIXED32, 4, 'flags');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
}

/** The eagerly decoded part of a span; the rest is re-read from bytes[start, end) on demand. */
export interface LeanProtoSpan {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  status: OtlpStatus | undefined;
  /** The Span message's payload range in the buffer. */
  start: number;
  end: number;
}

/** What the lean scan reports, in wire order (scope and resource once their message has ended). */
export interface LeanProtoVisitor {
  span(s: LeanProtoSpan): void;
  scopeSpansEnd(scope: OtlpInstrumentationScope | undefined, schemaUrl: string): void;
  resourceSpansEnd(resource: OtlpResource | undefined, schemaUrl: string): void;
}

/** Consecutive spans of a trace repeat its id: reuse the previous hex string for the same bytes. */
let lastIdBuf: Uint8Array | undefined;
let lastIdStart = 0;
let lastIdLen = 0;
let lastIdHex = '';

function readTraceIdHex(pbf: R, end: number, tag: number): string {
  const stop = readLenEnd(pbf, end, tag, 'trace_id');
  const start = pbf.pos;
  pbf.pos = stop;
  const len = stop - start;
  if (len === 0) return '';
  const buf = pbf.buf;
  if (buf === lastIdBuf && len === lastIdLen) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (buf[start + i] !== buf[lastIdStart + i]) {
        same = false;
        break;
      }
    }
    if (same) return lastIdHex;
  }
  lastIdBuf = buf;
  lastIdStart = start;
  lastIdLen = len;
  lastIdHex = (buf as Buffer).toString('hex', start, stop);
  return lastIdHex;
}

function scanSpan(pbf: R, end: number, out: LeanProtoSpan): void {
  out.start = pbf.pos;
  out.end = end;
  out.traceId = '';
  out.spanId = '';
  out.traceState = '';
  out.parentSpanId = '';
  out.flags = 0;
  out.name = '';
  out.kind = 0;
  out.startTimeUnixNano = 0n;
  out.endTimeUnixNano = 0n;
  out.droppedAttributesCount = 0;
  out.droppedEventsCount = 0;
  out.droppedLinksCount = 0;
  out.status = undefined;
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    switch (tag >>> 3) {
      case 1:
        out.traceId = readTraceIdHex(pbf, end, tag);
        break;
      case 2:
        out.spanId = HEX_IDS.read(pbf, end, tag, 'span_id');
        break;
      case 3:
        out.traceState = readString(pbf, end, tag, 'trace_state');
        break;
      case 4:
        out.parentSpanId = HEX_IDS.read(pbf, end, tag, 'parent_span_id');
        break;
      case 5:
        out.name = readString(pbf, end, tag, 'name');
        break;
      case 6:
        out.kind = readVarint32(pbf, end, tag, 'kind');
        break;
      case 7:
        out.startTimeUnixNano = readFixed64(pbf, end, tag, 'start_time_unix_nano');
        break;
      case 8:
        out.endTimeUnixNano = readFixed64(pbf, end, tag, 'end_time_unix_nano');
        break;
      case 9:
        checkKeyValueField(pbf, end, tag);
        break;
      case 10:
        out.droppedAttributesCount = readVarint32(pbf, end, tag, 'dropped_attributes_count');
        break;
      case 11:
        checkEvent(pbf, readLenEnd(pbf, end, tag, 'events'));
        break;
      case 12:
        out.droppedEventsCount = readVarint32(pbf, end, tag, 'dropped_events_count');
        break;
      case 13:
        checkLink(pbf, readLenEnd(pbf, end, tag, 'links'));
        break;
      case 14:
        out.droppedLinksCount = readVarint32(pbf, end, tag, 'dropped_links_count');
        break;
      case 15:
        out.status = readStatus(pbf, readLenEnd(pbf, end, tag, 'status'));
        break;
      case 16:
        out.flags = readFixed32(pbf, end, tag, 'flags');
        break;
      default:
        skipField(pbf, end, tag);
    }
  }
}

/**
 * Scans an ExportTraceServiceRequest in bytes[start, end) and reports every span to `v` (one
 * reused LeanProtoSpan object: copy what you keep). Yields after every 4096 spans so a caller can
 * report progress and honour cancellation. Throws ProtoDecodeError (its detail may be less precise
 * than decodeTraceRequest's: re-run that for the message).
 */
export function* scanTraceRequestLean(bytes: Uint8Array, start: number, end: number, v: LeanProtoVisitor): Generator<number, void> {
  const pbf = reader(bytes);
  pbf.pos = start;
  const span = {} as LeanProtoSpan;
  let count = 0;
  try {
    yield* scanRequestBody(pbf, end, v, span, count);
  } finally {
    lastIdBuf = undefined;
  }
}

function* scanRequestBody(pbf: R, end: number, v: LeanProtoVisitor, span: LeanProtoSpan, count: number): Generator<number, void> {
  while (pbf.pos < end) {
    const tag = readTag(pbf, end);
    if (tag >>> 3 !== 1) {
      skipField(pbf, end, tag);
      continue;
    }
    const rsEnd = readLenEnd(pbf, end, tag, 'resource_spans');
    let resource: OtlpResource | undefined;
    let rsSchema = '';
    while (pbf.pos < rsEnd) {
      const t = readTag(pbf, rsEnd);
      const f = t >>> 3;
      if (f === 1) resource = readResource(pbf, readLenEnd(pbf, rsEnd, t, 'resource'));
      else if (f === 2 || f === 1000) {
        const ssEnd = readLenEnd(pbf, rsEnd, t, 'scope_spans');
        let scope: OtlpInstrumentationScope | undefined;
        let ssSchema = '';
        while (pbf.pos < ssEnd) {
          const u = readTag(pbf, ssEnd);
          const g = u >>> 3;
          if (g === 1) scope = readScope(pbf, readLenEnd(pbf, ssEnd, u, 'scope'));
          else if (g === 2) {
            scanSpan(pbf, readLenEnd(pbf, ssEnd, u, 'spans'), span);
            v.span(span);
            if ((++count & 4095) === 0) yield count;
          } else if (g === 3) ssSchema = readString(pbf, ssEnd, u, 'schema_url');
          else skipField(pbf, ssEnd, u);
        }
        v.scopeSpansEnd(scope, ssSchema);
      } else if (f === 3) rsSchema = readString(pbf, rsEnd, t, 'schema_url');
      else skipField(pbf, rsEnd, t);
    }
    v.resourceSpansEnd(resource, rsSchema);
  }
}

/** One Span message (payload bytes[start, end)) with hex ids: the lazy half of the lean path. */
export function decodeSpanHexIds(bytes: Uint8Array, start: number, end: number): OtlpSpan<string> {
  const pbf = reader(bytes);
  pbf.pos = start;
  return readSpan(pbf, end, HEX_IDS);
}

// ---------------------------------------------------------------- writing
// proto3 encoding: default values (0, '', empty) are not written; oneof members always are.

function writeVarint64(pbf: Pbf, v: bigint): void {
  let u = BigInt.asUintN(64, v);
  pbf.realloc(10);
  while (u > 0x7fn) {
    pbf.buf[pbf.pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  pbf.buf[pbf.pos++] = Number(u);
}

function writeFixed32(pbf: Pbf, v: number): void {
  pbf.realloc(4);
  const b = pbf.buf;
  let p = pbf.pos;
  b[p++] = v & 0xff;
  b[p++] = (v >>> 8) & 0xff;
  b[p++] = (v >>> 16) & 0xff;
  b[p++] = (v >>> 24) & 0xff;
  pbf.pos = p;
}

function writeFixed64Field(pbf: Pbf, field: number, v: bigint): void {
  if (v === 0n) return;
  pbf.writeTag(field, FIXED64);
  const u = BigInt.asUintN(64, v);
  writeFixed32(pbf, Number(u & 0xffffffffn));
  writeFixed32(pbf, Number(u >> 32n));
}

function writeFixed32Field(pbf: Pbf, field: number, v: number): void {
  if (!v) return;
  pbf.writeTag(field, FIXED32);
  writeFixed32(pbf, v >>> 0);
}

function writeUint32Field(pbf: Pbf, field: number, v: number): void {
  if (v) pbf.writeVarintField(field, v >>> 0);
}

function writeEnumField(pbf: Pbf, field: number, v: number): void {
  // Enums are int32: negatives take 10 bytes (sign-extended), as protobuf specifies.
  if (!v) return;
  pbf.writeTag(field, VARINT);
  writeVarint64(pbf, BigInt(v | 0));
}

function writeStringField(pbf: Pbf, field: number, s: string): void {
  if (s) pbf.writeStringField(field, s);
}

function writeBytesField(pbf: Pbf, field: number, b: Uint8Array): void {
  if (b.length) pbf.writeBytesField(field, b);
}

function writeAnyValue(v: OtlpAnyValue, pbf: Pbf): void {
  switch (typeof v) {
    case 'string':
      pbf.writeStringField(1, v);
      return;
    case 'boolean':
      pbf.writeVarintField(2, v ? 1 : 0);
      return;
    case 'bigint':
      pbf.writeTag(3, VARINT);
      writeVarint64(pbf, v);
      return;
    case 'number':
      pbf.writeDoubleField(4, v);
      return;
  }
  if (v === null) return; // empty AnyValue
  if (v instanceof Uint8Array) pbf.writeBytesField(7, v);
  else if (Array.isArray(v)) pbf.writeMessage(5, writeArrayValue, v);
  else pbf.writeMessage(6, writeKeyValueList, (v as { kvlist: readonly OtlpKeyValue[] }).kvlist);
}

function writeArrayValue(values: readonly OtlpAnyValue[], pbf: Pbf): void {
  for (const v of values) pbf.writeMessage(1, writeAnyValue, v);
}

function writeKeyValueList(values: readonly OtlpKeyValue[], pbf: Pbf): void {
  for (const kv of values) pbf.writeMessage(1, writeKeyValue, kv);
}

function writeKeyValue(kv: OtlpKeyValue, pbf: Pbf): void {
  writeStringField(pbf, 1, kv.key);
  pbf.writeMessage(2, writeAnyValue, kv.value);
}

function writeAttributes(pbf: Pbf, field: number, attrs: readonly OtlpKeyValue[]): void {
  for (const kv of attrs) pbf.writeMessage(field, writeKeyValue, kv);
}

function writeScope(s: OtlpInstrumentationScope, pbf: Pbf): void {
  writeStringField(pbf, 1, s.name);
  writeStringField(pbf, 2, s.version);
  writeAttributes(pbf, 3, s.attributes);
  writeUint32Field(pbf, 4, s.droppedAttributesCount);
}

function writeEntityRef(e: OtlpEntityRef, pbf: Pbf): void {
  writeStringField(pbf, 1, e.schemaUrl);
  writeStringField(pbf, 2, e.type);
  for (const k of e.idKeys) pbf.writeStringField(3, k);
  for (const k of e.descriptionKeys) pbf.writeStringField(4, k);
}

function writeResource(r: OtlpResource, pbf: Pbf): void {
  writeAttributes(pbf, 1, r.attributes);
  writeUint32Field(pbf, 2, r.droppedAttributesCount);
  for (const e of r.entityRefs) pbf.writeMessage(3, writeEntityRef, e);
}

function writeStatus(s: OtlpStatus, pbf: Pbf): void {
  writeEnumField(pbf, 1, s.deprecatedCode);
  writeStringField(pbf, 2, s.message);
  writeEnumField(pbf, 3, s.code);
}

function writeEvent(e: OtlpEvent, pbf: Pbf): void {
  writeFixed64Field(pbf, 1, e.timeUnixNano);
  writeStringField(pbf, 2, e.name);
  writeAttributes(pbf, 3, e.attributes);
  writeUint32Field(pbf, 4, e.droppedAttributesCount);
}

function writeLink(l: OtlpLink, pbf: Pbf): void {
  writeBytesField(pbf, 1, l.traceId);
  writeBytesField(pbf, 2, l.spanId);
  writeStringField(pbf, 3, l.traceState);
  writeAttributes(pbf, 4, l.attributes);
  writeUint32Field(pbf, 5, l.droppedAttributesCount);
  writeFixed32Field(pbf, 6, l.flags);
}

function writeSpan(s: OtlpSpan, pbf: Pbf): void {
  writeBytesField(pbf, 1, s.traceId);
  writeBytesField(pbf, 2, s.spanId);
  writeStringField(pbf, 3, s.traceState);
  writeBytesField(pbf, 4, s.parentSpanId);
  writeStringField(pbf, 5, s.name);
  writeEnumField(pbf, 6, s.kind);
  writeFixed64Field(pbf, 7, s.startTimeUnixNano);
  writeFixed64Field(pbf, 8, s.endTimeUnixNano);
  writeAttributes(pbf, 9, s.attributes);
  writeUint32Field(pbf, 10, s.droppedAttributesCount);
  for (const e of s.events) pbf.writeMessage(11, writeEvent, e);
  writeUint32Field(pbf, 12, s.droppedEventsCount);
  for (const l of s.links) pbf.writeMessage(13, writeLink, l);
  writeUint32Field(pbf, 14, s.droppedLinksCount);
  if (s.status !== undefined) pbf.writeMessage(15, writeStatus, s.status);
  writeFixed32Field(pbf, 16, s.flags);
}

function writeScopeSpans(ss: OtlpScopeSpans, pbf: Pbf): void {
  if (ss.scope !== undefined) pbf.writeMessage(1, writeScope, ss.scope);
  for (const s of ss.spans) pbf.writeMessage(2, writeSpan, s);
  writeStringField(pbf, 3, ss.schemaUrl);
}

function writeResourceSpans(rs: OtlpResourceSpans, pbf: Pbf): void {
  if (rs.resource !== undefined) pbf.writeMessage(1, writeResource, rs.resource);
  for (const ss of rs.scopeSpans) pbf.writeMessage(2, writeScopeSpans, ss);
  writeStringField(pbf, 3, rs.schemaUrl);
}

/** Encodes an ExportTraceServiceRequest (byte-compatible with TracesData). */
export function encodeTraceRequest(req: OtlpExportTraceServiceRequest): Uint8Array {
  const pbf = new Pbf();
  for (const rs of req.resourceSpans) pbf.writeMessage(1, writeResourceSpans, rs);
  return pbf.finish();
}

/** Encodes an ExportTraceServiceResponse: empty (0 bytes) for full success, as collectors answer. */
export function encodeTraceResponse(res: OtlpExportTraceServiceResponse = {}): Uint8Array {
  const pbf = new Pbf();
  const ps = res.partialSuccess;
  if (ps !== undefined) {
    pbf.writeMessage(
      1,
      (p: OtlpExportTracePartialSuccess, w: Pbf) => {
        if (p.rejectedSpans !== 0n) {
          w.writeTag(1, VARINT);
          writeVarint64(w, p.rejectedSpans);
        }
        writeStringField(w, 2, p.errorMessage);
      },
      ps,
    );
  }
  return pbf.finish();
}

// ---------------------------------------------------------------- shared with the logs codec
// The logs messages (./logsCodec.ts) reuse the same bounds-checked primitives and the common
// messages (AnyValue, KeyValue, envelopes above), so both signals fail alike on bad bytes.
export type { IdReader, R as ProtoReader };
export { HEX_IDS as HEX_ID_READER, pushKeyValue, readAnyValue, readFixed32, readFixed64, readLenEnd, readString, readTag, readVarint32, reader, skipField, within };
