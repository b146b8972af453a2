// A span as plain data. Lean spans keep attributes, events and links behind prototype getters,
// which a structured clone (postMessage) and assert's deep comparison both skip.
import type { Span } from './model';

export function plainSpan(s: Span): Span {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano,
    endTimeUnixNano: s.endTimeUnixNano,
    attributes: s.attributes,
    events: s.events,
    links: s.links,
    status: s.status,
    resource: s.resource,
    scope: s.scope,
    traceState: s.traceState,
    flags: s.flags,
    droppedAttributesCount: s.droppedAttributesCount,
    droppedEventsCount: s.droppedEventsCount,
    droppedLinksCount: s.droppedLinksCount,
  };
}
