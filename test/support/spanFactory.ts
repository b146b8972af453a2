// Hand-made spans for unit tests of the trace maths (waterfall, critical path, search, detail), so
// those tests do not depend on any importer. Times are offsets in ns (or µs via `us`) from T0.
import { SpanKind, StatusCode, type Attribute, type Resource, type Span, type SpanEvent, type SpanLink } from '../../src/core/model/model';
import { buildTrace } from '../../src/core/model/trace';
import type { Trace, TraceFile } from '../../src/core/model/model';

export const T0 = 1_700_000_000_000_000_000n;

const resources = new Map<string, Resource>();
export function resource(service: string, extra: Attribute[] = []): Resource {
  const key = service + JSON.stringify(extra, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  let r = resources.get(key);
  if (!r) resources.set(key, (r = { serviceName: service, attributes: [{ key: 'service.name', value: service }, ...extra] }));
  return r;
}

export interface SpanSpec {
  id: string;
  parent?: string;
  /** Offsets from T0 in ns. */
  start: number;
  end: number;
  name?: string;
  service?: string;
  traceId?: string;
  attrs?: Attribute[];
  resourceAttrs?: Attribute[];
  events?: Array<{ name: string; at: number; attrs?: Attribute[] }>;
  links?: Array<Partial<SpanLink> & { spanId: string }>;
  error?: boolean;
  /** Absolute start of 0 (no timestamp). */
  noStart?: boolean;
}

export function span(p: SpanSpec): Span {
  const events: SpanEvent[] = (p.events ?? []).map((e) => ({ name: e.name, timeUnixNano: T0 + BigInt(e.at), attributes: e.attrs ?? [] }));
  const links: SpanLink[] = (p.links ?? []).map((l) => ({ traceId: l.traceId ?? '', attributes: [], ...l }));
  return {
    traceId: p.traceId ?? 'aaaa',
    spanId: p.id,
    parentSpanId: p.parent,
    name: p.name ?? p.id,
    kind: SpanKind.Internal,
    startTimeUnixNano: p.noStart ? 0n : T0 + BigInt(p.start),
    endTimeUnixNano: T0 + BigInt(p.end),
    attributes: p.attrs ?? [],
    events,
    links,
    status: p.error ? { code: StatusCode.Error, message: 'boom' } : { code: StatusCode.Unset },
    resource: resource(p.service ?? 'svc', p.resourceAttrs),
    scope: { name: 'test-scope', version: '1.0', attributes: [] },
  };
}

/** Jaeger-style span: absolute epoch microseconds (not offsets from T0), as jaeger-ui's test cases give them. */
export function us(id: string, parent: string | undefined, startUs: number, durationUs: number, links?: SpanSpec['links']): Span {
  const s = span({ id, parent, start: 0, end: 0, links });
  return { ...s, startTimeUnixNano: BigInt(startUs) * 1000n, endTimeUnixNano: BigInt(startUs + durationUs) * 1000n };
}

export function trace(spans: Span[], traceId = 'aaaa'): Trace {
  return buildTrace(traceId, spans);
}

export function file(traces: Trace[]): TraceFile {
  return { format: 'otlp-json', traces, spanCount: traces.reduce((n, t) => n + t.spans.length, 0), warnings: [] };
}

/** A chain root -> s1 -> s2 ... of the given length, each child nested 1 ns inside its parent. */
export function chain(length: number): Span[] {
  const out: Span[] = [];
  for (let i = 0; i < length; i++) {
    out.push(span({ id: `s${i}`, parent: i ? `s${i - 1}` : undefined, start: i, end: 2 * length - i }));
  }
  return out;
}
