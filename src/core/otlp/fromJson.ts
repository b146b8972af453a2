// OTLP JSON in all the dialects seen in real files -> wire messages (./types.ts) with string ids.
// Accepted: lowerCamelCase (the spec) and snake_case (original proto names, e.g. Grafana's Tempo
// test data) keys; ids in hex of any case or base64 (gogo/jsonpb, Tempo), junk ids kept verbatim;
// enums as numbers or names (SPAN_KIND_SERVER, STATUS_CODE_ERROR); 64-bit ints as strings or
// numbers; legacy instrumentationLibrarySpans/instrumentationLibrary and status.deprecatedCode.
// Anything else odd is kept as best as possible and reported as an 'invalid-value' warning with
// its JSON path; nothing here throws on bad values.
import type { AttrValue, Attribute } from '../model/model';
import { fromPlain, MAX_VALUE_DEPTH } from '../model/attributes';
import { ImportError } from '../model/errors';
import { base64ToBytes, normalizeId, normalizeParentId } from '../model/ids';
import { isObject } from '../importers/json';
import { parseNanos } from '../model/time';
import type { OtlpEntityRef, OtlpEvent, OtlpInstrumentationScope, OtlpKeyValue, OtlpLink, OtlpResource, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan, OtlpStatus, OtlpTracesData } from './types';
import type { WarningSink } from './warnings';

type Obj = Record<string, unknown>;

const NO_ATTRS: readonly OtlpKeyValue[] = [];
const NO_EVENTS: readonly OtlpEvent[] = [];
const NO_LINKS: readonly OtlpLink<string>[] = [];

/**
 * Where we are in the document, kept as a stack and only turned into text for a warning
 * (building a path string for every value would cost more than the parse).
 */
class JsonPath {
  private readonly parts: (string | number)[] = [];
  constructor(private readonly root: string) {}
  push(p: string | number): void {
    this.parts.push(p);
  }
  pop(): void {
    this.parts.pop();
  }
  at(last?: string): string {
    let s = this.root;
    for (const p of this.parts) s += typeof p === 'number' ? `[${p}]` : `.${p}`;
    return last === undefined ? s : `${s}.${last}`;
  }
}

/** Per-document reading state: warnings, the path, and JSON numbers too big to be exact. */
export class JsonReadContext {
  /** int64 values that arrived as JSON numbers beyond 2^53 (already rounded by JSON.parse). */
  unsafeNumbers = 0;
  firstUnsafeAt?: string;
  readonly path: JsonPath;
  /** Nesting of the AnyValue being read (see MAX_VALUE_DEPTH). */
  valueDepth = 0;
  constructor(
    readonly warnings: WarningSink,
    pathRoot = '$',
  ) {
    this.path = new JsonPath(pathRoot);
  }
  invalid(text: string, field?: string): void {
    this.warnings.add('invalid-value', text, this.path.at(field));
  }
}

/** The value under the camelCase key, else under the snake_case one. */
function pick(o: Obj, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

/** Name of the key actually present (for paths in warnings). */
function keyOf(o: Obj, camel: string, snake: string): string {
  return o[camel] !== undefined || o[snake] === undefined ? camel : snake;
}

function arrayField(o: Obj, camel: string, snake: string, ctx: JsonReadContext): { list: readonly unknown[]; key: string } {
  const v = pick(o, camel, snake);
  const key = keyOf(o, camel, snake);
  if (v === undefined || v === null) return { list: [], key };
  if (Array.isArray(v)) return { list: v, key };
  ctx.invalid(`field(s) that should be arrays are not, ignored`, key);
  return { list: [], key };
}

function stringField(o: Obj, camel: string, snake: string, ctx: JsonReadContext): string {
  const v = pick(o, camel, snake);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  ctx.invalid('string field(s) hold a non-string value, converted to text', keyOf(o, camel, snake));
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** uint32 / fixed32 fields (counts, flags): numbers or decimal strings. */
function uintField(o: Obj, camel: string, snake: string, ctx: JsonReadContext): number {
  const v = pick(o, camel, snake);
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 0xffffffff) return n;
  ctx.invalid('count/flags value(s) are not unsigned 32-bit integers, read as 0', keyOf(o, camel, snake));
  return 0;
}

/** fixed64 epoch-ns fields: decimal strings (exact) or JSON numbers; missing -> 0n. */
function nanosField(o: Obj, camel: string, snake: string, ctx: JsonReadContext): bigint {
  const v = pick(o, camel, snake);
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'number' && !Number.isSafeInteger(v) && Number.isFinite(v)) noteUnsafe(ctx, keyOf(o, camel, snake));
  const n = parseNanos(v);
  if (n !== undefined) return n;
  ctx.invalid('timestamp(s) are not numbers of nanoseconds, read as 0', keyOf(o, camel, snake));
  return 0n;
}

function noteUnsafe(ctx: JsonReadContext, field: string): void {
  if (ctx.unsafeNumbers++ === 0) ctx.firstUnsafeAt = ctx.path.at(field);
}

function idField(o: Obj, camel: string, snake: string, bytes: 8 | 16, ctx: JsonReadContext): string {
  const v = pick(o, camel, snake);
  if (typeof v === 'string') return normalizeId(v, bytes);
  if (v === undefined || v === null) return '';
  ctx.invalid('id(s) are not strings, kept as text', keyOf(o, camel, snake));
  return String(v);
}

function parentIdField(o: Obj, ctx: JsonReadContext): string {
  const v = pick(o, 'parentSpanId', 'parent_span_id');
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string') {
    ctx.invalid('id(s) are not strings, kept as text', keyOf(o, 'parentSpanId', 'parent_span_id'));
    return String(v);
  }
  return normalizeParentId(v) ?? '';
}

const KIND_NAMES: Record<string, number> = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS_NAMES: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };

/** An enum as a number or its name, with or without the prefix, any case ("SPAN_KIND_SERVER", "server"). */
function enumField(o: Obj, camel: string, snake: string, prefix: string, names: Record<string, number>, what: string, ctx: JsonReadContext): number {
  const v = pick(o, camel, snake);
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const upper = v.trim().toUpperCase();
    const name = upper.startsWith(prefix) ? upper.slice(prefix.length) : upper;
    const n = names[name];
    if (n !== undefined) return n;
    if (/^\d+$/.test(upper)) return Number(upper);
  }
  ctx.invalid(`${what} value(s) are not known enum names or numbers, read as unset`, keyOf(o, camel, snake));
  return 0;
}

// ------------------------------------------------------------------ AnyValue

const INT_RE = /^\s*-?\d+\s*$/;

function intValue(v: unknown, ctx: JsonReadContext, field: string): AttrValue {
  if (typeof v === 'string') {
    if (INT_RE.test(v)) return BigInt(v.trim());
  } else if (typeof v === 'number') {
    if (Number.isInteger(v)) {
      if (!Number.isSafeInteger(v)) noteUnsafe(ctx, field);
      return BigInt(v);
    }
  } else if (typeof v === 'bigint') return v;
  ctx.invalid('intValue(s) are not integers, kept as given', field);
  return fromPlain(v);
}

function doubleValue(v: unknown, ctx: JsonReadContext, field: string): AttrValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    // proto3 JSON writes non-finite doubles as strings, and allows numeric strings.
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
  }
  ctx.invalid('doubleValue(s) are not numbers, kept as given', field);
  return fromPlain(v);
}

function boolValue(v: unknown, ctx: JsonReadContext, field: string): AttrValue {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  ctx.invalid('boolValue(s) are not booleans, kept as given', field);
  return fromPlain(v);
}

function bytesValue(v: unknown, ctx: JsonReadContext, field: string): AttrValue {
  if (typeof v === 'string' && /^[A-Za-z0-9+/\-_]*={0,2}$/.test(v)) return base64ToBytes(v.replace(/-/g, '+').replace(/_/g, '/'));
  ctx.invalid('bytesValue(s) are not base64, kept as given', field);
  return fromPlain(v);
}

function arrayValue(v: unknown, ctx: JsonReadContext, field: string): AttrValue {
  if (!isObject(v)) {
    ctx.invalid('arrayValue(s) are not {"values": [...]} objects, kept as given', field);
    return fromPlain(v);
  }
  const values = v.values;
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) {
    ctx.invalid('arrayValue.values are not arrays, kept as given', field);
    return fromPlain(values);
  }
  ctx.path.push(field);
  ctx.path.push('values');
  const out: AttrValue[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    ctx.path.push(i);
    out[i] = anyValue(values[i], ctx);
    ctx.path.pop();
  }
  ctx.path.pop();
  ctx.path.pop();
  return out;
}

function kvlistValue(v: unknown, ctx: JsonReadContext, field: string): AttrValue {
  if (!isObject(v)) {
    ctx.invalid('kvlistValue(s) are not {"values": [...]} objects, kept as given', field);
    return fromPlain(v);
  }
  ctx.path.push(field);
  const kvlist = keyValues(v, 'values', 'values', ctx);
  ctx.path.pop();
  return { kvlist };
}

/**
 * AnyValue JSON -> AttrValue. `{}` and null are the empty value. Non-standard shapes (a bare
 * string, `{"anyValue": "x"}`) keep their content and are reported.
 */
export function anyValue(v: unknown, ctx: JsonReadContext): AttrValue {
  if (v === null || v === undefined) return null;
  if (ctx.valueDepth >= MAX_VALUE_DEPTH) {
    // The path down there is kilobytes long: name the attribute, not every level.
    const at = ctx.path.at();
    const value = at.indexOf('.value.');
    throw new ImportError(`an attribute value is nested deeper than ${MAX_VALUE_DEPTH} levels, which Spanlens does not read`, { path: value > 0 ? `${at.slice(0, value + 6)}…` : at });
  }
  ctx.valueDepth++;
  try {
    return anyValueAt(v, ctx);
  } finally {
    ctx.valueDepth--;
  }
}

function anyValueAt(v: unknown, ctx: JsonReadContext): AttrValue {
  if (typeof v !== 'object' || Array.isArray(v)) {
    ctx.invalid('attribute value(s) are not OTLP AnyValue objects (e.g. a bare value), kept as given');
    return fromPlain(v);
  }
  const o = v as Obj;
  let x: unknown;
  // Spec (camelCase) keys first, in order of frequency; snake_case after.
  if ((x = o.stringValue) !== undefined) return typeof x === 'string' ? x : notString(x, ctx, 'stringValue');
  if ((x = o.intValue) !== undefined) return intValue(x, ctx, 'intValue');
  if ((x = o.doubleValue) !== undefined) return doubleValue(x, ctx, 'doubleValue');
  if ((x = o.boolValue) !== undefined) return boolValue(x, ctx, 'boolValue');
  if ((x = o.arrayValue) !== undefined) return arrayValue(x, ctx, 'arrayValue');
  if ((x = o.kvlistValue) !== undefined) return kvlistValue(x, ctx, 'kvlistValue');
  if ((x = o.bytesValue) !== undefined) return bytesValue(x, ctx, 'bytesValue');
  if ((x = o.string_value) !== undefined) return typeof x === 'string' ? x : notString(x, ctx, 'string_value');
  if ((x = o.int_value) !== undefined) return intValue(x, ctx, 'int_value');
  if ((x = o.double_value) !== undefined) return doubleValue(x, ctx, 'double_value');
  if ((x = o.bool_value) !== undefined) return boolValue(x, ctx, 'bool_value');
  if ((x = o.array_value) !== undefined) return arrayValue(x, ctx, 'array_value');
  if ((x = o.kvlist_value) !== undefined) return kvlistValue(x, ctx, 'kvlist_value');
  if ((x = o.bytes_value) !== undefined) return bytesValue(x, ctx, 'bytes_value');
  const keys = Object.keys(o).filter((k) => o[k] !== null);
  if (keys.length === 0) return null;
  ctx.invalid(`attribute value(s) use keys that are not AnyValue fields (e.g. "${keys[0]}"), kept as given`);
  return keys.length === 1 ? fromPlain(o[keys[0]]) : fromPlain(o);
}

function notString(x: unknown, ctx: JsonReadContext, field: string): AttrValue {
  ctx.invalid('stringValue(s) are not strings, kept as given', field);
  return fromPlain(x);
}

/** A list of KeyValue under `camel`/`snake` of `o`. */
function keyValues(o: Obj, camel: string, snake: string, ctx: JsonReadContext): readonly OtlpKeyValue[] {
  const { list, key } = arrayField(o, camel, snake, ctx);
  if (list.length === 0) return NO_ATTRS;
  const out: Attribute[] = new Array(list.length);
  ctx.path.push(key);
  for (let i = 0; i < list.length; i++) {
    const kv = list[i];
    ctx.path.push(i);
    if (isObject(kv)) {
      let k = kv.key;
      if (typeof k !== 'string') {
        ctx.invalid('attribute key(s) are not strings, converted to text', 'key');
        k = k === undefined || k === null ? '' : String(k);
      }
      if (kv.value !== undefined) ctx.path.push('value');
      const value = anyValue(kv.value, ctx);
      if (kv.value !== undefined) ctx.path.pop();
      out[i] = { key: k as string, value };
    } else {
      ctx.invalid('attribute(s) are not {"key", "value"} objects, kept as given');
      out[i] = { key: '', value: fromPlain(kv) };
    }
    ctx.path.pop();
  }
  ctx.path.pop();
  return out;
}

// ------------------------------------------------------------------ messages

export function scopeOf(o: Obj, ctx: JsonReadContext): OtlpInstrumentationScope | undefined {
  const key = o.scope !== undefined ? 'scope' : o.instrumentationLibrary !== undefined ? 'instrumentationLibrary' : 'instrumentation_library';
  const s = o[key];
  if (s === undefined || s === null) return undefined;
  if (!isObject(s)) {
    ctx.invalid('scope(s) are not objects, ignored', key);
    return undefined;
  }
  ctx.path.push(key);
  const scope = {
    name: stringField(s, 'name', 'name', ctx),
    version: stringField(s, 'version', 'version', ctx),
    attributes: keyValues(s, 'attributes', 'attributes', ctx),
    droppedAttributesCount: uintField(s, 'droppedAttributesCount', 'dropped_attributes_count', ctx),
  };
  ctx.path.pop();
  return scope;
}

function entityRefs(o: Obj, ctx: JsonReadContext): readonly OtlpEntityRef[] {
  const { list } = arrayField(o, 'entityRefs', 'entity_refs', ctx);
  const out: OtlpEntityRef[] = [];
  for (const e of list) {
    if (!isObject(e)) continue;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    out.push({
      schemaUrl: typeof pick(e, 'schemaUrl', 'schema_url') === 'string' ? (pick(e, 'schemaUrl', 'schema_url') as string) : '',
      type: typeof e.type === 'string' ? e.type : '',
      idKeys: strings(pick(e, 'idKeys', 'id_keys')),
      descriptionKeys: strings(pick(e, 'descriptionKeys', 'description_keys')),
    });
  }
  return out;
}

export function resourceOf(o: Obj, ctx: JsonReadContext): OtlpResource | undefined {
  const r = o.resource;
  if (r === undefined || r === null) return undefined;
  if (!isObject(r)) {
    ctx.invalid('resource(s) are not objects, ignored', 'resource');
    return undefined;
  }
  ctx.path.push('resource');
  const resource = {
    attributes: keyValues(r, 'attributes', 'attributes', ctx),
    droppedAttributesCount: uintField(r, 'droppedAttributesCount', 'dropped_attributes_count', ctx),
    entityRefs: entityRefs(r, ctx),
  };
  ctx.path.pop();
  return resource;
}

function statusOf(o: Obj, ctx: JsonReadContext): OtlpStatus | undefined {
  const s = o.status;
  if (s === undefined || s === null) return undefined;
  if (!isObject(s)) {
    ctx.invalid('status value(s) are not objects, ignored', 'status');
    return undefined;
  }
  ctx.path.push('status');
  const status = {
    message: stringField(s, 'message', 'message', ctx),
    code: enumField(s, 'code', 'code', 'STATUS_CODE_', STATUS_NAMES, 'status code', ctx),
    deprecatedCode: deprecatedCode(s, ctx),
  };
  ctx.path.pop();
  return status;
}

/** Legacy Status.deprecated_code: 0 / "DEPRECATED_STATUS_CODE_OK" is OK, anything else an error. */
function deprecatedCode(s: Obj, ctx: JsonReadContext): number {
  const v = pick(s, 'deprecatedCode', 'deprecated_code');
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') return /^(DEPRECATED_STATUS_CODE_)?OK$/i.test(v.trim()) || v.trim() === '0' ? 0 : 2;
  ctx.invalid('status code value(s) are not known enum names or numbers, read as unset', keyOf(s, 'deprecatedCode', 'deprecated_code'));
  return 0;
}

function eventOf(e: unknown, ctx: JsonReadContext): OtlpEvent | undefined {
  if (!isObject(e)) {
    ctx.invalid('event(s) are not objects, ignored');
    return undefined;
  }
  return {
    timeUnixNano: nanosField(e, 'timeUnixNano', 'time_unix_nano', ctx),
    name: stringField(e, 'name', 'name', ctx),
    attributes: keyValues(e, 'attributes', 'attributes', ctx),
    droppedAttributesCount: uintField(e, 'droppedAttributesCount', 'dropped_attributes_count', ctx),
  };
}

function linkOf(l: unknown, ctx: JsonReadContext): OtlpLink<string> | undefined {
  if (!isObject(l)) {
    ctx.invalid('link(s) are not objects, ignored');
    return undefined;
  }
  return {
    traceId: idField(l, 'traceId', 'trace_id', 16, ctx),
    spanId: idField(l, 'spanId', 'span_id', 8, ctx),
    traceState: stringField(l, 'traceState', 'trace_state', ctx),
    attributes: keyValues(l, 'attributes', 'attributes', ctx),
    droppedAttributesCount: uintField(l, 'droppedAttributesCount', 'dropped_attributes_count', ctx),
    flags: uintField(l, 'flags', 'flags', ctx),
  };
}

function listOf<T>(o: Obj, camel: string, snake: string, ctx: JsonReadContext, read: (v: unknown, ctx: JsonReadContext) => T | undefined, empty: readonly T[]): readonly T[] {
  const { list, key } = arrayField(o, camel, snake, ctx);
  if (list.length === 0) return empty;
  const out: T[] = [];
  ctx.path.push(key);
  for (let i = 0; i < list.length; i++) {
    ctx.path.push(i);
    const x = read(list[i], ctx);
    if (x !== undefined) out.push(x);
    ctx.path.pop();
  }
  ctx.path.pop();
  return out;
}

function spanOf(s: unknown, ctx: JsonReadContext): OtlpSpan<string> | undefined {
  if (!isObject(s)) {
    ctx.invalid('span(s) are not objects, ignored');
    return undefined;
  }
  const traceId = idField(s, 'traceId', 'trace_id', 16, ctx);
  const spanId = idField(s, 'spanId', 'span_id', 8, ctx);
  if (traceId === '' || spanId === '') ctx.invalid('span(s) have no trace or span id', traceId === '' ? 'traceId' : 'spanId');
  return {
    traceId,
    spanId,
    traceState: stringField(s, 'traceState', 'trace_state', ctx),
    parentSpanId: parentIdField(s, ctx),
    flags: uintField(s, 'flags', 'flags', ctx),
    name: stringField(s, 'name', 'name', ctx),
    kind: enumField(s, 'kind', 'kind', 'SPAN_KIND_', KIND_NAMES, 'span kind', ctx),
    startTimeUnixNano: nanosField(s, 'startTimeUnixNano', 'start_time_unix_nano', ctx),
    endTimeUnixNano: nanosField(s, 'endTimeUnixNano', 'end_time_unix_nano', ctx),
    attributes: keyValues(s, 'attributes', 'attributes', ctx),
    droppedAttributesCount: uintField(s, 'droppedAttributesCount', 'dropped_attributes_count', ctx),
    events: listOf(s, 'events', 'events', ctx, eventOf, NO_EVENTS),
    droppedEventsCount: uintField(s, 'droppedEventsCount', 'dropped_events_count', ctx),
    links: listOf(s, 'links', 'links', ctx, linkOf, NO_LINKS),
    droppedLinksCount: uintField(s, 'droppedLinksCount', 'dropped_links_count', ctx),
    status: statusOf(s, ctx),
  };
}

function scopeSpansOf(ss: unknown, ctx: JsonReadContext): OtlpScopeSpans<string> | undefined {
  if (!isObject(ss)) {
    ctx.invalid('scopeSpans entries are not objects, ignored');
    return undefined;
  }
  return {
    scope: scopeOf(ss, ctx),
    spans: listOf(ss, 'spans', 'spans', ctx, spanOf, []),
    schemaUrl: stringField(ss, 'schemaUrl', 'schema_url', ctx),
  };
}

function resourceSpansOf(rs: unknown, ctx: JsonReadContext): OtlpResourceSpans<string> | undefined {
  if (!isObject(rs)) {
    ctx.invalid('resourceSpans entries are not objects, ignored');
    return undefined;
  }
  let scopeSpans = listOf(rs, 'scopeSpans', 'scope_spans', ctx, scopeSpansOf, []);
  // Transition rule from the proto: read instrumentation_library_spans only when scope_spans is empty.
  if (scopeSpans.length === 0) scopeSpans = listOf(rs, 'instrumentationLibrarySpans', 'instrumentation_library_spans', ctx, scopeSpansOf, []);
  return {
    resource: resourceOf(rs, ctx),
    scopeSpans,
    schemaUrl: stringField(rs, 'schemaUrl', 'schema_url', ctx),
  };
}

/**
 * Reads `list` (the resourceSpans array, or Tempo's `batches`) named `key` under the context's
 * current path.
 */
export function tracesDataFromJson(list: unknown, key: string, ctx: JsonReadContext): OtlpTracesData<string> {
  const holder: Obj = { [key]: list };
  return { resourceSpans: listOf(holder, key, key, ctx, resourceSpansOf, []) };
}

// ------------------------------------------------------------------ big integers

const DIGITS_16 = /[:,[]\s*-?\d{16,}/;

/**
 * JSON.parse rounds integers beyond 2^53 (e.g. `"start_time_unix_nano": 1616072924071839000`
 * becomes ...838976). OTLP JSON accepts every int64/fixed64 as a string too, so quoting such
 * number tokens before parsing keeps them exact without a custom parser. Strings are skipped; a
 * text without any 16-digit number token is returned as is (the common case, checked by regex).
 */
export function quoteUnsafeIntegers(text: string): string {
  if (!DIGITS_16.test(text)) return text;
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // skip a string, honouring escapes
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else {
          i++;
          if (d === 34) break;
        }
      }
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const start = i;
      if (c === 45) i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const next = i < n ? text.charCodeAt(i) : 0;
      const integer = next !== 46 && next !== 101 && next !== 69; // not . e E
      if (integer && i - start >= 16 && !Number.isSafeInteger(Number(text.slice(start, i)))) {
        out += `${text.slice(last, start)}"${text.slice(start, i)}"`;
        last = i;
      }
      while (i < n && isNumberChar(text.charCodeAt(i))) i++;
      continue;
    }
    i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNumberChar(c: number): boolean {
  return isDigit(c) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
}

// ------------------------------------------------------------------ lazy parts (lean import)

/** A span's `attributes` value (parsed on first access by the lean importer), as read by spanOf. */
export function attributesFromJsonValue(list: unknown, ctx: JsonReadContext): readonly OtlpKeyValue[] {
  return keyValues({ attributes: list }, 'attributes', 'attributes', ctx);
}

/** A span's `events` value, as read by spanOf. */
export function eventsFromJsonValue(list: unknown, ctx: JsonReadContext): readonly OtlpEvent[] {
  return listOf({ events: list }, 'events', 'events', ctx, eventOf, NO_EVENTS);
}

/** A span's `links` value, as read by spanOf. */
export function linksFromJsonValue(list: unknown, ctx: JsonReadContext): readonly OtlpLink<string>[] {
  return listOf({ links: list }, 'links', 'links', ctx, linkOf, NO_LINKS);
}

// ------------------------------------------------------------------ shared with the logs reader
// ./logsJson.ts reads LogsData with the same dialect rules (snake_case, enum names, int64 strings).
export { enumField, idField, keyValues, listOf, nanosField, stringField, uintField };
export type { Obj as JsonObject };
