// OTLP wire messages (./types.ts) -> model spans (../model.ts). Shared by the protobuf importer, the
// JSON importer (which first normalises its many dialects into the same wire shape) and the
// collector, so the three agree on every default: which empty values become "absent", how the
// legacy status is read, where an event's missing name comes from.
import type { Attributes, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink, SpanStatus, StatusCode } from '../model/model';
import { getAttr, serviceNameOf } from '../model/attributes';
import type { OtlpEvent, OtlpInstrumentationScope, OtlpKeyValue, OtlpLink, OtlpResource, OtlpSpan, OtlpStatus, OtlpTracesData } from './types';
import type { WarningSink } from './warnings';
import { idProblemKind, isOtlpHex, otlpIdProblem, quoteId } from '../model/ids';

/** How ids of type `Id` become model ids (lower-case hex, or a kept-verbatim junk string). */
export interface IdText<Id> {
  /** A trace or span id. */
  id(raw: Id, byteLength: 8 | 16): string;
  /** A parent span id; undefined for "no parent" (empty or all zeros). */
  parent(raw: Id): string | undefined;
}

const HEX = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

function hexOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]];
  return s;
}

/** Protobuf ids: bytes to lower-case hex (any length, so malformed ids stay visible). */
export const BYTES_IDS: IdText<Uint8Array> = {
  id: (raw) => hexOf(raw),
  parent(raw) {
    for (let i = 0; i < raw.length; i++) if (raw[i] !== 0) return hexOf(raw);
    return undefined;
  },
};

/** Hex ids from the protobuf decoder's hex mode ('' or all zeros = no parent). */
export const HEX_IDS: IdText<string> = {
  id: (raw) => raw,
  parent: (raw) => (raw === '' || /^0+$/.test(raw) ? undefined : raw),
};

/** JSON ids, already normalised by the JSON reader ('' = none). */
export const STRING_IDS: IdText<string> = {
  id: (raw) => raw,
  parent: (raw) => (raw === '' ? undefined : raw),
};

const EMPTY: Attributes = [];

/**
 * Attribute lists are shared with the wire message, not copied: OtlpKeyValue is the model's
 * Attribute (see ./types.ts). An empty list becomes one shared frozen-by-contract array.
 */
export function attributesFromOtlp(kvs: readonly OtlpKeyValue[]): Attributes {
  return kvs.length === 0 ? EMPTY : kvs;
}

export function resourceFromOtlp(r: OtlpResource | undefined, schemaUrl: string): Resource {
  const attributes = r ? attributesFromOtlp(r.attributes) : EMPTY;
  return {
    attributes,
    serviceName: serviceNameOf(attributes),
    droppedAttributesCount: r?.droppedAttributesCount || undefined,
    schemaUrl: schemaUrl || undefined,
  };
}

/** Maps a kind number; unknown values become Unspecified with a warning. */
export function kindOf(kind: number, warnings: WarningSink, where: SpanWhere): SpanKind {
  if (kind >= 0 && kind <= 5 && Number.isInteger(kind)) return kind as SpanKind;
  warnings.add('invalid-value', 'span kind value(s) outside SPAN_KIND_UNSPECIFIED..CONSUMER, shown as unspecified', where.text());
  return 0 as SpanKind;
}

/**
 * The status, including the pre-1.0 rule for `deprecated_code`: when `code` is unset and the
 * deprecated code is anything but OK (0), the span is an error (opentelemetry-proto #224).
 */
export function statusFromOtlp(s: OtlpStatus | undefined, warnings?: WarningSink, where?: SpanWhere): SpanStatus {
  if (s === undefined) return UNSET;
  let code = s.code;
  if (code === 0 && s.deprecatedCode !== 0) code = 2;
  if (!(code === 0 || code === 1 || code === 2)) {
    warnings?.add('invalid-value', 'status code value(s) outside UNSET/OK/ERROR, shown as unset', where?.text());
    code = 0;
  }
  if (s.message === '') return code === 0 ? UNSET : code === 1 ? OK : ERROR;
  return { code: code as StatusCode, message: s.message };
}

const UNSET: SpanStatus = { code: 0 as StatusCode };
const OK: SpanStatus = { code: 1 as StatusCode };
const ERROR: SpanStatus = { code: 2 as StatusCode };

/** Jaeger/Tempo-converted events carry their name in an `event` attribute instead. */
function eventName(name: string, attributes: Attributes): string {
  if (name !== '') return name;
  const v = getAttr(attributes, 'event');
  return typeof v === 'string' ? v : '';
}

function linkFromOtlp<Id>(l: OtlpLink<Id>, ids: IdText<Id>): SpanLink {
  return {
    traceId: ids.id(l.traceId, 16),
    spanId: ids.id(l.spanId, 8),
    traceState: l.traceState || undefined,
    attributes: attributesFromOtlp(l.attributes),
    droppedAttributesCount: l.droppedAttributesCount || undefined,
    flags: l.flags || undefined,
  };
}

/** A span's events as model events (shared empty list when none). */
export function eventsFromOtlp(list: readonly OtlpEvent[]): SpanEvent[] {
  if (!list.length) return EMPTY_EVENTS;
  const events: SpanEvent[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    const attributes = attributesFromOtlp(e.attributes);
    events[i] = { timeUnixNano: e.timeUnixNano, name: eventName(e.name, attributes), attributes, droppedAttributesCount: e.droppedAttributesCount || undefined };
  }
  return events;
}

/** A span's links as model links (shared empty list when none). */
export function linksFromOtlp<Id>(list: readonly OtlpLink<Id>[], ids: IdText<Id>): SpanLink[] {
  return list.length ? list.map((l) => linkFromOtlp(l, ids)) : EMPTY_LINKS;
}

/** The model Scope of one ScopeSpans (one object per ScopeSpans, shared by its spans). */
export function scopeFromOtlp(sc: OtlpInstrumentationScope | undefined, schemaUrl: string): Scope {
  return {
    name: sc?.name ?? '',
    version: sc?.version || undefined,
    attributes: sc ? attributesFromOtlp(sc.attributes) : EMPTY,
    droppedAttributesCount: sc?.droppedAttributesCount || undefined,
    schemaUrl: schemaUrl || undefined,
  };
}

/**
 * Names each id of a span that OTLP does not allow (issue 10): an 'invalid-id' warning per field and
 * kind of problem, with the first span's path, value and reason. The ids are kept as they are (so
 * references in the same file still match); the exporter maps them (../exporters/otlpIds.ts).
 * Shared with the streaming JSON reader, so both readers warn alike.
 */
export function reportInvalidOtlpIds(s: { readonly traceId: string; readonly spanId: string; readonly parentSpanId?: string }, warnings: WarningSink, path: string): void {
  const check = (field: string, id: string, chars: 32 | 16) => {
    const why = otlpIdProblem(id, chars);
    if (why === undefined) return;
    warnings.add('invalid-id', `span(s) have an invalid ${field} (${idProblemKind(why)}; OTLP wants ${chars} hex digits, not all zeros), kept as given`, `${path}.${field} = ${quoteId(id)}: ${why}`);
  };
  check('traceId', s.traceId, 32);
  check('spanId', s.spanId, 16);
  if (s.parentSpanId !== undefined) check('parentSpanId', s.parentSpanId, 16);
}

function spanFromOtlp<Id>(s: OtlpSpan<Id>, resource: Resource, scope: Scope, ids: IdText<Id>, warnings: WarningSink, where: SpanWhere): Span {
  const events = eventsFromOtlp(s.events);
  const links = linksFromOtlp(s.links, ids);
  const traceId = ids.id(s.traceId, 16);
  const spanId = ids.id(s.spanId, 8);
  const parentSpanId = ids.parent(s.parentSpanId);
  if (!isOtlpHex(traceId, 32) || !isOtlpHex(spanId, 16) || (parentSpanId !== undefined && !isOtlpHex(parentSpanId, 16))) {
    reportInvalidOtlpIds({ traceId, spanId, parentSpanId }, warnings, where.text());
  }
  return {
    traceId,
    spanId,
    parentSpanId,
    name: s.name,
    kind: kindOf(s.kind, warnings, where),
    startTimeUnixNano: s.startTimeUnixNano,
    endTimeUnixNano: s.endTimeUnixNano,
    attributes: attributesFromOtlp(s.attributes),
    events,
    links,
    status: statusFromOtlp(s.status, warnings, where),
    resource,
    scope,
    traceState: s.traceState || undefined,
    flags: s.flags || undefined,
    droppedAttributesCount: s.droppedAttributesCount || undefined,
    droppedEventsCount: s.droppedEventsCount || undefined,
    droppedLinksCount: s.droppedLinksCount || undefined,
  };
}

/** Where the current span is, turned into a JSON path only when a warning needs it. */

export class SpanWhere {
  r = 0;
  c = 0;
  i = 0;
  constructor(private readonly prefix: string) {}
  text(): string {
    return `${this.prefix}.resourceSpans[${this.r}].scopeSpans[${this.c}].spans[${this.i}]`;
  }
}

const EMPTY_EVENTS: SpanEvent[] = [];
const EMPTY_LINKS: SpanLink[] = [];

/**
 * Appends the model spans of `data` to `out`. One Resource object per ResourceSpans and one
 * Scope object per ScopeSpans, shared by their spans (the exporter regroups by that identity).
 * `pathPrefix` names `data` in warnings (e.g. "$" or "line 3: $").
 */
export function spansFromOtlp<Id>(data: OtlpTracesData<Id>, ids: IdText<Id>, warnings: WarningSink, out: Span[], pathPrefix = '$'): Span[] {
  const rss = data.resourceSpans;
  const where = new SpanWhere(pathPrefix);
  for (let r = 0; r < rss.length; r++) {
    const rs = rss[r];
    const resource = resourceFromOtlp(rs.resource, rs.schemaUrl);
    for (let c = 0; c < rs.scopeSpans.length; c++) {
      const ss = rs.scopeSpans[c];
      const scope = scopeFromOtlp(ss.scope, ss.schemaUrl);
      const spans = ss.spans;
      for (let i = 0; i < spans.length; i++) {
        where.r = r;
        where.c = c;
        where.i = i;
        out.push(spanFromOtlp(spans[i], resource, scope, ids, warnings, where));
      }
    }
  }
  return out;
}

