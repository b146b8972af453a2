// Data recorded by the real OpenTelemetry JS SDK and serialised by its real OTLP exporters'
// serializers (JSON and protobuf) imports with exactly the content the SDK recorded.
import * as assert from 'assert';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AttrValue, Span, TraceFile } from '../../src/core/model/model';
import { importTraceFile } from '../../src/core/importers/importFile';
import { generateSpans, toOtlpJsonBytes, toOtlpProtoBytes } from '../support/generate';
import { plainSpan } from '../../src/core/model/plainSpan';

const allSpans = (f: TraceFile): Span[] => f.traces.flatMap((t) => t.spans);

const ns = (t: [number, number]) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** What the SDK's attribute value must become in the model (OTLP: integral numbers are intValue). */
function expectedValue(v: unknown): AttrValue {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(expectedValue);
  return v as AttrValue;
}

function expectedAttrs(attrs: Record<string, unknown>) {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: expectedValue(value) }));
}

/** Every field of the model span against the ReadableSpan the SDK produced. */
function assertSameAsSdk(s: Span, r: ReadableSpan): void {
  const ctx = r.spanContext();
  const where = `span ${ctx.spanId} (${r.name})`;
  assert.strictEqual(s.traceId, ctx.traceId, where);
  assert.strictEqual(s.spanId, ctx.spanId, where);
  assert.strictEqual(s.parentSpanId, r.parentSpanContext?.spanId, where);
  assert.strictEqual(s.name, r.name, where);
  assert.strictEqual(s.kind, r.kind + 1, where); // the API's kinds are the OTLP ones minus one
  assert.strictEqual(s.startTimeUnixNano, ns(r.startTime), where);
  assert.strictEqual(s.endTimeUnixNano, ns(r.endTime), where);
  assert.deepStrictEqual(s.attributes, expectedAttrs(r.attributes), where);
  assert.strictEqual(s.droppedAttributesCount, r.droppedAttributesCount || undefined, where);
  assert.deepStrictEqual(
    s.events.map((e) => [e.name, e.timeUnixNano, e.attributes]),
    r.events.map((e) => [e.name, ns(e.time as [number, number]), expectedAttrs(e.attributes ?? {})]),
    where,
  );
  assert.strictEqual(s.droppedEventsCount, r.droppedEventsCount || undefined, where);
  assert.deepStrictEqual(
    s.links.map((l) => [l.traceId, l.spanId, l.attributes, l.flags]),
    r.links.map((l) => [l.context.traceId, l.context.spanId, expectedAttrs(l.attributes ?? {}), l.context.traceFlags | 0x100]),
    where,
  );
  assert.strictEqual(s.droppedLinksCount, r.droppedLinksCount || undefined, where);
  assert.strictEqual(s.status.code, r.status.code, where);
  assert.strictEqual(s.status.message, r.status.message || undefined, where);
  assert.strictEqual(s.traceState, ctx.traceState?.serialize(), where);
  // flags: W3C trace flags, plus "is-remote known" (0x100) as the exporter writes it.
  assert.strictEqual(s.flags, ctx.traceFlags | 0x100, where);
  assert.deepStrictEqual(s.resource.attributes, expectedAttrs(r.resource.attributes), where);
  assert.strictEqual(s.resource.serviceName, r.resource.attributes['service.name'], where);
  assert.strictEqual(s.scope.name, r.instrumentationScope.name, where);
  assert.strictEqual(s.scope.version, r.instrumentationScope.version, where);
  assert.strictEqual(s.scope.schemaUrl, r.instrumentationScope.schemaUrl, where);
}

describe('OTLP import of SDK-generated data', () => {
  const sdkSpans = generateSpans({ spans: 600, services: 3, seed: 7, traces: 4 });
  const byId = new Map(sdkSpans.map((r) => [r.spanContext().spanId, r]));

  it('the generator exercises every field (errors, events, dropped events, links, trace state, ok status)', () => {
    assert.strictEqual(sdkSpans.length, 600);
    assert.ok(sdkSpans.some((r) => r.status.code === 2));
    assert.ok(sdkSpans.some((r) => r.status.code === 1));
    assert.ok(sdkSpans.some((r) => r.events.length > 0));
    assert.ok(sdkSpans.some((r) => r.droppedEventsCount > 0));
    assert.ok(sdkSpans.some((r) => r.links.length > 0));
    assert.ok(sdkSpans.every((r) => r.spanContext().traceState !== undefined));
    assert.strictEqual(new Set(sdkSpans.map((r) => r.spanContext().traceId)).size, 4);
  });

  for (const [label, bytes, format] of [
    ['OTLP JSON (JsonTraceSerializer)', toOtlpJsonBytes(sdkSpans), 'otlp-json'],
    ['OTLP protobuf (ProtobufTraceSerializer)', toOtlpProtoBytes(sdkSpans), 'otlp-proto'],
  ] as const) {
    it(`${label}: every span, attribute, event, link, status, id and time as the SDK recorded it`, () => {
      const f = importTraceFile(bytes, { fileName: format === 'otlp-json' ? 'spans.json' : 'spans.binpb' });
      assert.strictEqual(f.format, format);
      assert.strictEqual(f.spanCount, sdkSpans.length);
      assert.strictEqual(f.traces.length, 4);
      for (const s of allSpans(f)) assertSameAsSdk(s, byId.get(s.spanId)!);
      assert.deepStrictEqual(f.warnings, []);
      for (const t of f.traces) assert.deepStrictEqual(t.warnings, [], `trace ${t.traceId}`);
    });
  }

  it('the JSON and protobuf paths build identical models', () => {
    const fromJson = allSpans(importTraceFile(toOtlpJsonBytes(sdkSpans)));
    const fromProto = allSpans(importTraceFile(toOtlpProtoBytes(sdkSpans)));
    assert.deepStrictEqual(fromProto.map(plainSpan), fromJson.map(plainSpan));
  });
});
