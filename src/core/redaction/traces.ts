// Redacted copies of traces: every string a user wrote (names, messages, attribute values) goes
// through the redactor; ids, times, kinds, status codes, trace states and counts are copied as they
// are, so a redacted file still opens and shows the same tree and timings.
//
// Spans come out as plain objects (lean spans decode attributes on demand; a copy must not keep the
// file's buffer), and each distinct Resource and Scope is redacted once and shared by every span that
// shared the original, which keeps memory bounded and the exporters' grouping by identity intact.
import { getAttr, serviceNameOf } from '../model/attributes';
import type { AttrValue, Resource, Scope, Span, SpanEvent, SpanLink, SpanStatus, Trace, TraceFile } from '../model/model';
import { buildTrace } from '../model/trace';
import { redactAttributes, type RedactionLocation, type Redactor } from './redactor';

class TraceRedaction {
  private readonly resources = new Map<Resource, Resource>();
  private readonly scopes = new Map<Scope, Scope>();
  // One location, updated in place: findings copy it, and a fresh object per field of 100k spans is garbage.
  private readonly where: { traceId: string; spanId: string; field: RedactionLocation['field'] } = { traceId: '', spanId: '', field: 'name' };

  constructor(private readonly r: Redactor) {
    r.locate(this.where);
  }

  private at(s: Span, field: RedactionLocation['field']): void {
    this.where.traceId = s.traceId;
    this.where.spanId = s.spanId;
    this.where.field = field;
  }

  done(): void {
    this.r.locate(undefined);
  }

  span(s: Span): Span {
    const r = this.r;
    this.at(s, 'name');
    const name = r.string(s.name);
    this.at(s, 'attribute');
    const attributes = redactAttributes(r, s.attributes);
    const events = s.events.length ? this.events(s, s.events) : s.events;
    const links = s.links.length ? this.links(s, s.links) : s.links;
    let status: SpanStatus = s.status;
    if (status.message) {
      this.at(s, 'status');
      const message = r.string(status.message);
      if (message !== status.message) status = { code: status.code, message };
    }
    const resource = this.resource(s);
    const scope = this.scope(s);
    return {
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name,
      kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano,
      endTimeUnixNano: s.endTimeUnixNano,
      attributes,
      events,
      links,
      status,
      resource,
      scope,
      traceState: s.traceState,
      flags: s.flags,
      droppedAttributesCount: s.droppedAttributesCount,
      droppedEventsCount: s.droppedEventsCount,
      droppedLinksCount: s.droppedLinksCount,
    };
  }

  private events(s: Span, events: readonly SpanEvent[]): readonly SpanEvent[] {
    this.at(s, 'event');
    let out: SpanEvent[] | undefined;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const name = this.r.string(e.name);
      const attributes = redactAttributes(this.r, e.attributes);
      if (name !== e.name || attributes !== e.attributes) (out ??= events.slice())[i] = { ...e, name, attributes };
    }
    return out ?? events;
  }

  private links(s: Span, links: readonly SpanLink[]): readonly SpanLink[] {
    this.at(s, 'link');
    let out: SpanLink[] | undefined;
    for (let i = 0; i < links.length; i++) {
      const l = links[i];
      const attributes = redactAttributes(this.r, l.attributes);
      if (attributes !== l.attributes) (out ??= links.slice())[i] = { ...l, attributes };
    }
    return out ?? links;
  }

  private resource(s: Span): Resource {
    const orig = s.resource;
    let res = this.resources.get(orig);
    if (res) return res;
    this.at(s, 'resource');
    const attributes = redactAttributes(this.r, orig.attributes);
    // serviceName mirrors service.name when present; otherwise it came from the source format.
    const serviceName = getAttr(attributes, 'service.name') !== undefined ? serviceNameOf(attributes) : this.r.string(orig.serviceName, 'service.name');
    res = attributes === orig.attributes && serviceName === orig.serviceName ? orig : { ...orig, attributes, serviceName };
    this.resources.set(orig, res);
    return res;
  }

  private scope(s: Span): Scope {
    const orig = s.scope;
    let sc = this.scopes.get(orig);
    if (sc) return sc;
    this.at(s, 'scope');
    const name = this.r.string(orig.name);
    const version = orig.version === undefined ? undefined : this.r.string(orig.version);
    const attributes = redactAttributes(this.r, orig.attributes);
    sc = name === orig.name && version === orig.version && attributes === orig.attributes ? orig : { ...orig, name, version, attributes };
    this.scopes.set(orig, sc);
    return sc;
  }
}

/** Copies with every string field redacted; ids, times, kinds, status codes, tree and counts unchanged. Records findings with trace/span id and field. */
export function redactTraces(traces: readonly Trace[], r: Redactor): Trace[] {
  const tr = new TraceRedaction(r);
  try {
    return traces.map((t) => {
      const spans = new Array<Span>(t.spans.length);
      for (let i = 0; i < spans.length; i++) spans[i] = tr.span(t.spans[i]);
      return buildTrace(t.traceId, spans);
    });
  } finally {
    tr.done();
  }
}

/** Redacted copies of loose spans (a received batch), sharing one redacted Resource/Scope per original. */
export function redactSpans(spans: readonly Span[], r: Redactor): Span[] {
  const tr = new TraceRedaction(r);
  try {
    return spans.map((s) => tr.span(s));
  } finally {
    tr.done();
  }
}

export function redactTraceFile(file: TraceFile, r: Redactor): TraceFile {
  return { format: file.format, traces: redactTraces(file.traces, r), spanCount: file.spanCount, warnings: file.warnings };
}

/**
 * Redacts a log record's body (OTLP AnyValue: a string, or structured). Logs are not in the model
 * yet; this is the one place their bodies will go through, with their ids for the findings.
 */
export function redactLogBody(body: AttrValue, r: Redactor, ids: { traceId?: string; spanId?: string } = {}): AttrValue {
  r.locate({ traceId: ids.traceId ?? '', spanId: ids.spanId ?? '', field: 'log' });
  try {
    return r.value(body);
  } finally {
    r.locate(undefined);
  }
}
