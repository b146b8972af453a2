// Small span builders for the source-location and statistics tests.
import type { AttrValue, Span, SpanEvent } from '../../src/core/model/model';

const resource = { attributes: [], serviceName: 'svc' };
const scope = { name: 'test', attributes: [] };

export interface SpanInit {
  readonly traceId?: string;
  readonly spanId?: string;
  readonly parentSpanId?: string;
  /** Start and end, in ms from 0. */
  readonly startMs?: number;
  readonly endMs?: number;
  readonly error?: boolean;
  readonly events?: SpanEvent[];
}

export function makeSpan(name: string, attrs: Record<string, AttrValue>, events: SpanEvent[] = [], init: SpanInit = {}): Span {
  const ms = (v: number) => BigInt(Math.round(v * 1e6)) + 1_700_000_000_000_000_000n;
  return {
    traceId: init.traceId ?? 't1',
    spanId: init.spanId ?? 's1',
    ...(init.parentSpanId ? { parentSpanId: init.parentSpanId } : {}),
    name,
    kind: 1,
    startTimeUnixNano: ms(init.startMs ?? 0),
    endTimeUnixNano: ms(init.endMs ?? 1),
    attributes: Object.entries(attrs).map(([key, value]) => ({ key, value })),
    events: init.events ?? events,
    links: [],
    status: { code: init.error ? 2 : 0 },
    resource,
    scope,
  };
}
