// Zipkin JSON: v2 (a list of spans, a list of traces, or one span), v1 (annotations with
// endpoints + binaryAnnotations; see zipkinV1.ts) and the proto3 JSON rendering of zipkin.proto
// (snake_case keys, base64 ids and addresses), and Zipkin v1 Thrift structs rendered as JSON
// (zipkinThrift.ts).
// Mapping follows the OpenTelemetry Collector's Zipkin receiver: localEndpoint.serviceName ->
// service.name, endpoint addresses -> net.host.ip/port and peer.service/net.peer.ip/port,
// otel.status_code / error tags -> status, otel.library.* -> scope, annotations -> events.
import { ImportError } from '../model/errors';
import { base64ToBytes, normalizeId, normalizeParentId, padHexId } from '../model/ids';
import { isObject } from './json';
import { quoteUnsafeIntegers } from '../otlp/fromJson';
import type { Attribute, AttrValue, FormatId, Resource, Span, SpanStatus, TraceFile } from '../model/model';
import { SpanKind, StatusCode } from '../model/model';
import { fromPlain } from '../model/attributes';
import { microsToNanos } from '../model/time';
import { assembleTraceFile } from '../model/trace';
import { ResourceInterner, ScopeInterner } from './sharedObjects';
import { childPath, describeValue, WarningCollector } from './warningCollector';
import { mergeSpansById, unifyTraceIds } from './zipkinMerge';
import { ipFromBytes } from './zipkinSpan';
import type { Endpoint, ZAnnotation, ZBinaryAnnotation, ZKind, ZSpan } from './zipkinSpan';
import { isThriftJson, readThriftRecord } from './zipkinThrift';
import { hasCoreAnnotations, mergeV1Records, splitByCoreAnnotations } from './zipkinV1';
import type { V1Record } from './zipkinV1';

const KINDS = new Set<string>(['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']);
/** zipkin.proto Span.Kind numbering (proto3 JSON may print enums as numbers). */
const PROTO_KINDS: (ZKind | undefined)[] = [undefined, 'CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER'];

interface Entry {
  readonly value: unknown;
  readonly path: string;
}

/** Lists the span records of any supported wrapper, with their JSON paths. */
function spanEntries(value: unknown): Entry[] {
  const out: Entry[] = [];
  if (Array.isArray(value)) {
    value.forEach((el, i) => {
      // A list of traces (GET /api/v2/traces) is a list of span lists.
      if (Array.isArray(el)) el.forEach((s, j) => out.push({ value: s, path: `$[${i}][${j}]` }));
      else out.push({ value: el, path: `$[${i}]` });
    });
    return out;
  }
  if (isObject(value)) {
    if (Array.isArray(value.spans)) {
      value.spans.forEach((s, i) => out.push({ value: s, path: `$.spans[${i}]` })); // proto3 ListOfSpans
      return out;
    }
    if (('traceId' in value || 'trace_id' in value) && 'id' in value) return [{ value, path: '$' }];
    throw new ImportError(
      `not a Zipkin span: expected traceId and id, found keys ${Object.keys(value).slice(0, 8).join(', ') || '(none)'}`,
      { path: '$' },
      'zipkin-v2',
    );
  }
  throw new ImportError(`expected a Zipkin span list or span object, got ${describeValue(value)}`, { path: '$' }, 'zipkin-v2');
}

class ZipkinReader {
  readonly warnings = new WarningCollector();
  sawV1 = false;
  private skippedFirst?: { message: string; path: string };

  private skip(message: string, path: string): undefined {
    this.skippedFirst ??= { message, path };
    this.warnings.add('skipped-records', 'span', `span left out: ${message}`, path);
    return undefined;
  }

  failIfNothingRead(count: number, format: FormatId): void {
    if (count > 0) return;
    if (this.skippedFirst) throw new ImportError(`no usable Zipkin span: ${this.skippedFirst.message}`, { path: this.skippedFirst.path }, format);
    throw new ImportError('the Zipkin file contains no spans', { path: '$' }, format);
  }

  /**
   * One record -> its spans, or a v1 record (to be merged with the other records of its id and
   * then split into one span per side: a v1 record holding both sides of an RPC gives two).
   * `thrift`: decided on the record as first parsed (its ids were JSON numbers), when known.
   */
  read(entry: Entry, thrift?: boolean): ZSpan[] | V1Record {
    const { value: raw, path } = entry;
    if (!isObject(raw)) return this.skip(`expected a span object, got ${describeValue(raw)}`, path) ?? [];
    if (thrift ?? isThriftJson(raw)) {
      this.sawV1 = true;
      const rec = readThriftRecord(raw, path, this.warnings, (m, p) => this.skip(m, p));
      return rec ?? [];
    }
    const traceId = this.readTraceId(get(raw, 'traceId', 'trace_id'), childPath(path, 'traceId'));
    const id = this.readId(raw.id, 8, childPath(path, 'id'));
    if (traceId === undefined || id === undefined) return [];
    const rawParent = get(raw, 'parentId', 'parent_id');
    const parentId = typeof rawParent === 'string' ? normalizeParentId(rawParent) : undefined;

    const annotations = this.readAnnotations(raw.annotations, childPath(path, 'annotations'));
    const binaryAnnotations = this.readBinaryAnnotations(raw.binaryAnnotations, childPath(path, 'binaryAnnotations'));
    const span: ZSpan = {
      traceId,
      id,
      parentId: parentId === undefined ? undefined : padHexId(parentId, 16),
      name: typeof raw.name === 'string' ? raw.name : '',
      kind: this.readKind(raw.kind, childPath(path, 'kind')),
      start: this.readMicros(raw.timestamp, childPath(path, 'timestamp'), 'timestamp'),
      duration: this.readMicros(raw.duration, childPath(path, 'duration'), 'duration'),
      local: readEndpoint(get(raw, 'localEndpoint', 'local_endpoint')),
      remote: readEndpoint(get(raw, 'remoteEndpoint', 'remote_endpoint')),
      annotations,
      tags: this.readTags(raw.tags, childPath(path, 'tags')),
      shared: raw.shared === true,
      path,
    };
    const isV1 = binaryAnnotations.length > 0 || annotations.some((a) => a.endpoint !== undefined);
    if (isV1) this.sawV1 = true;
    if (!span.kind && isV1) return { ...span, binaryAnnotations };
    if (!span.kind && hasCoreAnnotations(annotations)) return splitByCoreAnnotations({ ...span, binaryAnnotations });
    return [span];
  }

  private readId(v: unknown, bytes: 8 | 16, path: string): string | undefined {
    if (typeof v !== 'string' || v === '') return this.skip(`${path.slice(path.lastIndexOf('.') + 1)} should be a hex id string, got ${describeValue(v)}`, path);
    // Zipkin ids are 64/128-bit hex that writers may send without leading zeros: pad them
    // (as Zipkin does) so "c26551047c72d19" and "0c26551047c72d19" name the same span.
    const id = normalizeId(v, bytes);
    return padHexId(id, bytes === 16 && id.length > 16 ? 32 : 16);
  }

  /**
   * zipkin2 Span.normalizeTraceId: lower-case hex padded to 16 or 32 digits, and a 128-bit id whose
   * high 64 bits are zero is the 64-bit id (rsocket and others pass the high half as zeros), so
   * "0000000000000000" + X and X are one trace. Zipkin truncates only a 32-digit id; Spanlens also
   * truncates a 17..31-digit one that pads to a zero high half, for the same reason.
   */
  private readTraceId(v: unknown, path: string): string | undefined {
    // zipkin.proto: trace_id is 8 or 16 bytes; base64 of 8 bytes is 12 characters ending in "=".
    const id = typeof v === 'string' && v.length === 12 && v.endsWith('=') ? this.readId(v, 8, path) : this.readId(v, 16, path);
    return id === undefined ? undefined : normalizeTraceId(id);
  }

  private readKind(v: unknown, path: string): ZKind | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && KINDS.has(v.toUpperCase())) return v.toUpperCase() as ZKind;
    if (typeof v === 'number' && PROTO_KINDS[v]) return PROTO_KINDS[v];
    if (v === 0 || v === 'SPAN_KIND_UNSPECIFIED') return undefined;
    this.warnings.add('invalid-value', 'kind', `kind should be CLIENT, SERVER, PRODUCER or CONSUMER, got ${describeValue(v)}; treated as a local span`, path);
    return undefined;
  }

  /** µs since the epoch (may be fractional). 0 and absent mean "not recorded" in Zipkin. */
  private readMicros(v: unknown, path: string, field: string): bigint | undefined {
    if (v === undefined || v === null) return undefined;
    const ns = typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? microsToNanos(v) : undefined;
    if (ns === undefined) {
      this.warnings.add('invalid-value', field, `${field} should be a number of microseconds, got ${describeValue(v)}; treated as absent`, path);
      return undefined;
    }
    return ns === 0n ? undefined : ns;
  }

  private readAnnotations(v: unknown, path: string): ZAnnotation[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.warnings.add('invalid-value', 'annotations', `annotations should be a list, got ${describeValue(v)}; ignored`, path);
      return [];
    }
    const out: ZAnnotation[] = [];
    v.forEach((a, i) => {
      const aPath = childPath(path, i);
      if (!isObject(a) || typeof a.value !== 'string') {
        this.warnings.add('invalid-value', 'annotation', `an annotation should be {timestamp, value}, got ${describeValue(a)}; ignored`, aPath);
        return;
      }
      const time = this.readMicros(a.timestamp, childPath(aPath, 'timestamp'), 'annotation timestamp');
      const endpoint = readEndpoint(a.endpoint);
      out.push(endpoint ? { time, value: a.value, endpoint } : { time, value: a.value });
    });
    return out;
  }

  private readBinaryAnnotations(v: unknown, path: string): ZBinaryAnnotation[] {
    if (!Array.isArray(v)) return [];
    const out: ZBinaryAnnotation[] = [];
    v.forEach((b, i) => {
      if (!isObject(b) || typeof b.key !== 'string') {
        this.warnings.add('invalid-value', 'binary-annotation', `a binary annotation should be {key, value, endpoint}, got ${describeValue(b)}; ignored`, childPath(path, i));
        return;
      }
      out.push({ key: b.key, value: b.value, endpoint: readEndpoint(b.endpoint) });
    });
    return out;
  }

  private readTags(v: unknown, path: string): Map<string, unknown> {
    const tags = new Map<string, unknown>();
    if (v === undefined || v === null) return tags;
    if (!isObject(v)) {
      this.warnings.add('invalid-value', 'tags', `tags should be an object of string values, got ${describeValue(v)}; ignored`, path);
      return tags;
    }
    for (const [k, val] of Object.entries(v)) tags.set(k, val);
    return tags;
  }
}

/** See ZipkinReader.readTraceId; ids that are not hex are kept as they are. */
export function normalizeTraceId(id: string): string {
  return id.length === 32 && id.startsWith('0000000000000000') && /^[0-9a-f]+$/.test(id) ? id.slice(16) : id;
}

function get(o: Record<string, unknown>, camel: string, snake: string): unknown {
  return o[camel] ?? o[snake];
}

function readEndpoint(v: unknown): Endpoint | undefined {
  if (!isObject(v)) return undefined;
  const ep: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number } = {};
  const name = get(v, 'serviceName', 'service_name');
  if (typeof name === 'string' && name !== '') ep.serviceName = name;
  const ipv4 = ipText(v.ipv4, 4);
  if (ipv4) ep.ipv4 = ipv4;
  const ipv6 = ipText(v.ipv6, 16);
  if (ipv6) ep.ipv6 = ipv6;
  if (typeof v.port === 'number' && v.port > 0) ep.port = v.port;
  return Object.keys(ep).length ? ep : undefined;
}

/** Address text; proto3 JSON carries the raw address bytes in base64 instead. */
function ipText(v: unknown, bytes: 4 | 16): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const looksBase64 = v.length === Math.ceil(bytes / 3) * 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(v) && !/^[\d.]+$/.test(v);
  return (looksBase64 ? ipFromBytes(base64ToBytes(v)) : undefined) ?? v;
}

const KIND_MAP: Record<ZKind, SpanKind> = {
  CLIENT: SpanKind.Client,
  SERVER: SpanKind.Server,
  PRODUCER: SpanKind.Producer,
  CONSUMER: SpanKind.Consumer,
};

class SpanBuilder {
  private readonly resources = new ResourceInterner();
  private readonly byService = new Map<string | undefined, Resource>();
  private readonly scopes = new ScopeInterner();

  /** One Resource per service name: Zipkin has no other resource attributes. */
  private resourceFor(serviceName: string | undefined): Resource {
    let r = this.byService.get(serviceName);
    if (!r) {
      r = this.resources.get(serviceName ? [{ key: 'service.name', value: serviceName }] : []);
      this.byService.set(serviceName, r);
    }
    return r;
  }

  build(z: ZSpan): Span {
    const attributes: Attribute[] = [];
    let errorTag: string | undefined;
    let otelCode: string | undefined;
    let description: string | undefined;
    let scopeName: string | undefined;
    let scopeVersion: string | undefined;
    let traceState: string | undefined;
    let kind = z.kind ? KIND_MAP[z.kind] : SpanKind.Unspecified;
    for (const [key, value] of z.tags) {
      const s = typeof value === 'string' ? value : undefined;
      if (s !== undefined) {
        if (key === 'error') {
          // Zipkin marks failure by the presence of `error`; its value is the message.
          if (s.toLowerCase() === 'false') {
            attributes.push({ key, value: s });
            continue;
          }
          errorTag = s;
          if (s === '' || s.toLowerCase() === 'true') continue;
        } else if (key === 'otel.status_code') {
          otelCode = s.toUpperCase();
          continue;
        } else if (key === 'otel.status_description') {
          description = s;
          continue;
        } else if (key === 'otel.scope.name' || key === 'otel.library.name') {
          scopeName ??= s;
          continue;
        } else if (key === 'otel.scope.version' || key === 'otel.library.version') {
          scopeVersion ??= s;
          continue;
        } else if (key === 'w3c.tracestate') {
          traceState = s;
          continue;
        } else if (key === 'span.kind' && !z.kind && s === 'internal') {
          kind = SpanKind.Internal;
          continue;
        }
      }
      attributes.push({ key, value: s ?? fromPlain(value) });
    }
    addEndpointAttributes(attributes, z);

    let code = StatusCode.Unset;
    if (errorTag !== undefined || otelCode === 'ERROR' || otelCode === 'STATUS_CODE_ERROR') code = StatusCode.Error;
    else if (otelCode === 'OK' || otelCode === 'STATUS_CODE_OK') code = StatusCode.Ok;
    const message = description ?? (errorTag && errorTag.toLowerCase() !== 'true' ? errorTag : undefined);
    const status: SpanStatus = message !== undefined && code !== StatusCode.Unset ? { code, message } : { code };

    const start = z.start ?? 0n;
    // No timestamp: nothing to place the span by. No duration: a zero-length span (flagged).
    const end = z.start === undefined ? start : start + (z.duration ?? 0n);
    const span: Span = {
      traceId: z.traceId,
      spanId: z.id,
      parentSpanId: z.parentId,
      name: z.name,
      kind,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      attributes,
      events: z.annotations.map((a) => ({ timeUnixNano: a.time ?? start, name: a.value, attributes: [] })),
      links: [],
      status,
      resource: this.resourceFor(z.local?.serviceName),
      scope: this.scopes.get(scopeName, scopeVersion),
    };
    return traceState === undefined ? span : { ...span, traceState };
  }
}

/** Endpoint details as the OTel Collector's Zipkin receiver records them. */
function addEndpointAttributes(attributes: Attribute[], z: ZSpan): void {
  const add = (key: string, value: AttrValue | undefined) => {
    if (value !== undefined && !attributes.some((a) => a.key === key)) attributes.push({ key, value });
  };
  const l = z.local;
  const r = z.remote;
  add('net.host.ip', l?.ipv4 ?? l?.ipv6);
  add('net.host.port', l?.port !== undefined ? BigInt(l.port) : undefined);
  add('peer.service', r?.serviceName);
  add('net.peer.ip', r?.ipv4 ?? r?.ipv6);
  add('net.peer.port', r?.port !== undefined ? BigInt(r.port) : undefined);
}

/**
 * Imports Zipkin v2, v1, proto3 or Thrift-as-JSON. Throws ImportError when nothing usable is found.
 * `text`, the JSON `value` was parsed from, keeps int64 numbers exact: Thrift-as-JSON carries ids
 * as JSON numbers, which JSON.parse rounds beyond 2^53 (two spans could become one); when the text
 * holds such numbers it is parsed again with them quoted, and the ids are read with BigInt.
 */
export function importZipkin(value: unknown, text?: string): TraceFile {
  const entries = spanEntries(value);
  let thrift: boolean[] | undefined;
  if (text !== undefined) {
    const exactText = quoteUnsafeIntegers(text);
    if (exactText !== text) {
      // Which records are Thrift is read from the first parse, where ids are still numbers.
      thrift = entries.map((e) => isObject(e.value) && isThriftJson(e.value));
      const exact = spanEntries(JSON.parse(exactText));
      if (exact.length === entries.length) entries.splice(0, entries.length, ...exact);
      else thrift = undefined;
    }
  }
  const reader = new ZipkinReader();
  // v1 records of one span id are merged before they are split by side (zipkin 1.x MergeById):
  // cs in one record and cr in another still time the client.
  const slots: (ZSpan[] | V1Record)[] = [];
  const v1ByKey = new Map<string, { rec: V1Record; slot: number }>();
  entries.forEach((entry, i) => {
    const r = reader.read(entry, thrift?.[i]);
    if (Array.isArray(r)) {
      slots.push(r);
      return;
    }
    const key = `${r.traceId.slice(-16)} ${r.id}`;
    const known = v1ByKey.get(key);
    if (!known) {
      v1ByKey.set(key, { rec: r, slot: slots.length });
      slots.push(r);
    } else {
      known.rec = mergeV1Records(known.rec, r);
      slots[known.slot] = known.rec;
    }
  });
  const records: ZSpan[] = [];
  for (const slot of slots) for (const z of Array.isArray(slot) ? slot : splitByCoreAnnotations(slot)) records.push(z);
  const format: FormatId = reader.sawV1 ? 'zipkin-v1' : 'zipkin-v2';
  reader.failIfNothingRead(records.length, format);
  for (const z of records) {
    if (z.parentId !== undefined && z.parentId === z.id) {
      // zipkin2 Span.Builder: "prevents processing tools from looping" — a span that names
      // itself as parent is a root. Reported, not silently changed.
      reader.warnings.add('invalid-value', 'self-parent', `span ${z.id} names itself as its parent; treated as a root, as Zipkin does`, childPath(z.path, 'parentId'));
      z.parentId = undefined;
    }
  }
  unifyTraceIds(records);
  const builder = new SpanBuilder();
  const spans = mergeSpansById(records).map((z) => builder.build(z));
  return assembleTraceFile(format, spans, reader.warnings.toWarnings());
}
