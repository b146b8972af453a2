// Exceptions that arrive as log records. Semantic conventions v1.40 record exceptions as log records
// (event name `exception`, or a domain event such as `http.client.request.exception` or
// `db.client.operation.exception` from v1.40/v1.41) instead of span events. Such a record marks its
// span as errored in the view, and its `exception.stacktrace` is mapped to code exactly like a span
// event's: the record is presented to the code-location layer as one more event of the span.
import type { LogRecord } from '../model/logs';
import type { Span, SpanEvent } from '../model/model';
import { plainSpan } from '../model/plainSpan';

const EXCEPTION_KEYS = new Set(['exception.type', 'exception.message', 'exception.stacktrace']);

export function isExceptionRecord(r: LogRecord): boolean {
  const name = r.eventName;
  if (name && (name === 'exception' || name.endsWith('.exception'))) return true;
  for (const a of r.attributes) if (EXCEPTION_KEYS.has(a.key)) return true;
  return false;
}

/** The records' exceptions as span events (time, event name, attributes), in record order. */
export function exceptionEvents(records: readonly LogRecord[]): SpanEvent[] {
  const out: SpanEvent[] = [];
  for (const r of records) {
    if (isExceptionRecord(r)) out.push({ timeUnixNano: r.timeUnixNano, name: r.eventName || 'exception', attributes: r.attributes });
  }
  return out;
}

/**
 * The span as the code-location layer should see it: its own events, then the exceptions logged on
 * it. The same span object when none was logged (the common case costs nothing).
 */
export function withLoggedExceptions(span: Span, records: readonly LogRecord[] | undefined): Span {
  if (!records || records.length === 0) return span;
  const extra = exceptionEvents(records);
  // plainSpan, not a spread: a lazily read span keeps its attributes behind prototype getters.
  return extra.length ? { ...plainSpan(span), events: [...span.events, ...extra] } : span;
}
