// Model -> OTLP JSON (TracesData), as the spec's JSON mapping writes it: lowerCamelCase keys, hex
// ids, nanosecond times and every int64 as decimal strings, enums as numbers. Spans are grouped
// back into ResourceSpans/ScopeSpans by the identity of their Resource and Scope objects (the
// importers share one object per source batch), so a file keeps its structure through a round trip.
import type { AttrValue, Attributes, Resource, Scope, Span, Trace, TraceFile } from '../model/model';
import { bytesToBase64 } from '../model/ids';
import { OtlpIdMapper, ORIGINAL_PARENT_SPAN_ID_ATTR, ORIGINAL_SPAN_ID_ATTR, ORIGINAL_TRACE_ID_ATTR } from './otlpIds';

/** JSON shapes written (a subset of what the importer reads: only the spec's spelling). */
export type OtlpJsonAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | 'NaN' | 'Infinity' | '-Infinity' }
  | { bytesValue: string }
  | { arrayValue: { values: OtlpJsonAnyValue[] } }
  | { kvlistValue: { values: OtlpJsonKeyValue[] } }
  | Record<string, never>;

export interface OtlpJsonKeyValue {
  key: string;
  value: OtlpJsonAnyValue;
}

export interface OtlpJsonSpan {
  traceId: string;
  spanId: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  events?: { timeUnixNano: string; name: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount?: number }[];
  droppedEventsCount?: number;
  links?: { traceId: string; spanId: string; traceState?: string; attributes: OtlpJsonKeyValue[]; droppedAttributesCount?: number; flags?: number }[];
  droppedLinksCount?: number;
  status: { code?: number; message?: string };
}

export interface OtlpJsonScopeSpans {
  scope: { name: string; version?: string; attributes?: OtlpJsonKeyValue[]; droppedAttributesCount?: number };
  spans: OtlpJsonSpan[];
  schemaUrl?: string;
}

export interface OtlpJsonResourceSpans {
  resource: { attributes: OtlpJsonKeyValue[]; droppedAttributesCount?: number };
  scopeSpans: OtlpJsonScopeSpans[];
  schemaUrl?: string;
}

export interface OtlpJsonTracesData {
  resourceSpans: OtlpJsonResourceSpans[];
}

export function anyValueToJson(v: AttrValue): OtlpJsonAnyValue {
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      return { doubleValue: Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' };
  }
  if (v === null) return {};
  if (v instanceof Uint8Array) return { bytesValue: bytesToBase64(v) };
  if (Array.isArray(v)) return { arrayValue: { values: (v as readonly AttrValue[]).map(anyValueToJson) } };
  return { kvlistValue: { values: attributesToJson((v as { kvlist: Attributes }).kvlist) } };
}

export function attributesToJson(attrs: Attributes): OtlpJsonKeyValue[] {
  const out: OtlpJsonKeyValue[] = new Array(attrs.length);
  for (let i = 0; i < attrs.length; i++) out[i] = { key: attrs[i].key, value: anyValueToJson(attrs[i].value) };
  return out;
}

/**
 * Ids: OTLP wants 16-byte trace and 8-byte span ids in hex, never all zeros. 64-bit (Jaeger/Zipkin)
 * hex ids are zero-padded; ids OTLP cannot carry are hashed and the model id kept in an attribute
 * (the exact rule: ./otlpIds.ts). The attribute is added once: a list that has it already keeps it.
 */
function withOriginal(attrs: OtlpJsonKeyValue[], key: string, original: string): void {
  if (!attrs.some((a) => a.key === key)) attrs.push({ key, value: { stringValue: original } });
}

function spanToJson(s: Span, ids: OtlpIdMapper): OtlpJsonSpan {
  const out: OtlpJsonSpan = { traceId: ids.traceId(s.traceId), spanId: ids.spanId(s.spanId) } as OtlpJsonSpan;
  if (s.traceState) out.traceState = s.traceState;
  // A span that names itself as its parent is a root (see buildTrace): written as one, the id kept.
  const selfParent = s.parentSpanId !== undefined && s.parentSpanId === s.spanId;
  if (s.parentSpanId !== undefined && !selfParent) out.parentSpanId = ids.spanId(s.parentSpanId);
  if (s.flags) out.flags = s.flags;
  out.name = s.name;
  out.kind = s.kind;
  out.startTimeUnixNano = s.startTimeUnixNano.toString();
  out.endTimeUnixNano = s.endTimeUnixNano.toString();
  out.attributes = attributesToJson(s.attributes);
  if (ids.isDerived(s.traceId, 32)) withOriginal(out.attributes, ORIGINAL_TRACE_ID_ATTR, s.traceId);
  if (ids.isDerived(s.spanId, 16)) withOriginal(out.attributes, ORIGINAL_SPAN_ID_ATTR, s.spanId);
  if (s.parentSpanId !== undefined && (selfParent || ids.isDerived(s.parentSpanId, 16))) withOriginal(out.attributes, ORIGINAL_PARENT_SPAN_ID_ATTR, s.parentSpanId);
  if (s.droppedAttributesCount) out.droppedAttributesCount = s.droppedAttributesCount;
  if (s.events.length) {
    out.events = s.events.map((e) => {
      const ev: NonNullable<OtlpJsonSpan['events']>[number] = { timeUnixNano: e.timeUnixNano.toString(), name: e.name, attributes: attributesToJson(e.attributes) };
      if (e.droppedAttributesCount) ev.droppedAttributesCount = e.droppedAttributesCount;
      return ev;
    });
  }
  if (s.droppedEventsCount) out.droppedEventsCount = s.droppedEventsCount;
  if (s.links.length) {
    out.links = s.links.map((l) => {
      const link = { traceId: ids.traceId(l.traceId), spanId: ids.spanId(l.spanId) } as NonNullable<OtlpJsonSpan['links']>[number];
      if (l.traceState) link.traceState = l.traceState;
      link.attributes = attributesToJson(l.attributes);
      if (ids.isDerived(l.traceId, 32)) withOriginal(link.attributes, ORIGINAL_TRACE_ID_ATTR, l.traceId);
      if (ids.isDerived(l.spanId, 16)) withOriginal(link.attributes, ORIGINAL_SPAN_ID_ATTR, l.spanId);
      if (l.droppedAttributesCount) link.droppedAttributesCount = l.droppedAttributesCount;
      if (l.flags) link.flags = l.flags;
      return link;
    });
  }
  if (s.droppedLinksCount) out.droppedLinksCount = s.droppedLinksCount;
  out.status = {};
  if (s.status.code) out.status.code = s.status.code;
  if (s.status.message) out.status.message = s.status.message;
  return out;
}

export function resourceToJson(r: Resource): OtlpJsonResourceSpans['resource'] {
  const out: OtlpJsonResourceSpans['resource'] = { attributes: attributesToJson(r.attributes) };
  if (r.droppedAttributesCount) out.droppedAttributesCount = r.droppedAttributesCount;
  return out;
}

export function scopeToJson(s: Scope): OtlpJsonScopeSpans['scope'] {
  const out: OtlpJsonScopeSpans['scope'] = { name: s.name };
  if (s.version) out.version = s.version;
  if (s.attributes.length) out.attributes = attributesToJson(s.attributes);
  if (s.droppedAttributesCount) out.droppedAttributesCount = s.droppedAttributesCount;
  return out;
}

function spansOf(input: TraceFile | readonly Trace[] | Trace): Iterable<Span> {
  if ('spans' in input) return input.spans;
  const traces = 'traces' in input ? input.traces : input;
  return (function* () {
    for (const t of traces) yield* t.spans;
  })();
}

/** Items with their Resource and Scope, as the exporters regroup them (spans, log records). */
export interface ResourceGroup<T> {
  readonly resource: Resource;
  readonly scopes: { readonly scope: Scope; readonly items: T[] }[];
}

/**
 * Groups items by the identity of their Resource, then Scope objects, both in first-seen order:
 * the importers share one object per source batch, so a file keeps its structure through a round trip.
 */
export function groupByResourceAndScope<T extends { readonly resource: Resource; readonly scope: Scope }>(items: Iterable<T>): ResourceGroup<T>[] {
  const byResource = new Map<Resource, { group: ResourceGroup<T>; byScope: Map<Scope, T[]> }>();
  const groups: ResourceGroup<T>[] = [];
  for (const item of items) {
    let r = byResource.get(item.resource);
    if (!r) {
      r = { group: { resource: item.resource, scopes: [] }, byScope: new Map() };
      byResource.set(item.resource, r);
      groups.push(r.group);
    }
    let list = r.byScope.get(item.scope);
    if (!list) {
      r.byScope.set(item.scope, (list = []));
      r.group.scopes.push({ scope: item.scope, items: list });
    }
    list.push(item);
  }
  return groups;
}

/** TracesData for a file, some traces, or one trace; ResourceSpans/ScopeSpans in first-seen order. */
export function toOtlpJson(input: TraceFile | readonly Trace[] | Trace, ids: OtlpIdMapper = new OtlpIdMapper()): OtlpJsonTracesData {
  const resourceSpans = groupByResourceAndScope(spansOf(input)).map((g) => {
    const rs: OtlpJsonResourceSpans = {
      resource: resourceToJson(g.resource),
      scopeSpans: g.scopes.map(({ scope, items }) => {
        const ss: OtlpJsonScopeSpans = { scope: scopeToJson(scope), spans: items.map((s) => spanToJson(s, ids)) };
        if (scope.schemaUrl) ss.schemaUrl = scope.schemaUrl;
        return ss;
      }),
    };
    if (g.resource.schemaUrl) rs.schemaUrl = g.resource.schemaUrl;
    return rs;
  });
  return { resourceSpans };
}

/** The TracesData as JSON text (compact unless `pretty`). */
export function serializeOtlpJson(input: TraceFile | readonly Trace[] | Trace, opts: { pretty?: boolean } = {}): string {
  return JSON.stringify(toOtlpJson(input), null, opts.pretty ? 2 : undefined);
}

/** OTLP JSON Lines, like the Collector file exporter: one TracesData per trace, one per line. */
export function toOtlpJsonLines(input: TraceFile | readonly Trace[]): string {
  const traces = 'traces' in input ? input.traces : input;
  const ids = new OtlpIdMapper();
  let out = '';
  for (const t of traces) out += JSON.stringify(toOtlpJson(t, ids)) + '\n';
  return out;
}
