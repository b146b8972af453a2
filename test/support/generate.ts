// Realistic trace data made by the REAL OpenTelemetry JS SDK (BasicTracerProvider) and serialised by
// the real exporters' serializers (@opentelemetry/otlp-transformer), so the importers are tested
// against what an instrumented app actually sends, not against our own idea of OTLP.
//
// Deterministic for a given seed: ids come from a seeded generator and every time is an explicit
// HrTime, so two runs give byte-identical output. Fast enough for 100k spans (a few seconds).
import {
  Context,
  HrTime,
  Link,
  ROOT_CONTEXT,
  Sampler,
  SamplingDecision,
  SamplingResult,
  SpanKind as ApiSpanKind,
  SpanStatusCode,
  createTraceState,
  trace as apiTrace,
} from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

export interface GenerateOptions {
  /** Total number of spans. */
  spans: number;
  /** Services (one resource / tracer provider each). Default 4. */
  services?: number;
  /** Attributes per span (before events/links). Default 10. */
  attributesPerSpan?: number;
  /** Seed for ids, tree shape and values. Default 1. */
  seed?: number;
  /** Number of traces the spans are spread over (round robin roots). Default 1: one big tree. */
  traces?: number;
}

/** Epoch of the first root span: 2024-03-01T12:00:00Z, plus a sub-microsecond part to keep ns digits. */
const BASE_SECONDS = 1_709_294_400;

/** Events per span above this are dropped by the SDK on service 1 (exercises droppedEventsCount). */
const SMALL_EVENT_LIMIT = 3;

/** mulberry32: tiny, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(rand: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) s += Math.floor(rand() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, chars);
}

/** Collects ended spans synchronously, in end order. */
class CollectingProcessor implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Samples everything; gives trace roots a tracestate (children inherit it), like a vendor sampler. */
class TraceStateSampler implements Sampler {
  shouldSample(context: Context): SamplingResult {
    const parent = apiTrace.getSpanContext(context);
    return parent ? { decision: SamplingDecision.RECORD_AND_SAMPLED } : { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState: createTraceState('spanlens=gen,vendor=t61rcWkgMzE') };
  }
  toString(): string {
    return 'TraceStateSampler';
  }
}

const OPERATIONS = ['GET /api/orders', 'POST /api/cart', 'SELECT orders', 'redis GET', 'publish order.created', 'consume order.created', 'render', 'auth.check', 'grpc Checkout/PlaceOrder', 'compute.tax'];
const KINDS_LOCAL = [ApiSpanKind.INTERNAL, ApiSpanKind.CLIENT, ApiSpanKind.PRODUCER, ApiSpanKind.CONSUMER];

function hrAdd(baseSec: number, ns: number): HrTime {
  const total = Math.floor(ns);
  return [baseSec + Math.floor(total / 1e9), total % 1e9];
}

/**
 * Generates `spans` spans with the real SDK: one tree per trace (each span's parent is a random
 * earlier span of its trace, so depth grows like log n), ~attributesPerSpan attributes of mixed
 * types, service hops as SERVER spans, ~5% errors with a recorded exception, some events
 * (one service drops events over its limit), some links (to earlier spans, sometimes of other
 * traces), and a tracestate on every span.
 */
export function generateSpans(opts: GenerateOptions): ReadableSpan[] {
  const n = Math.max(0, Math.floor(opts.spans));
  const serviceCount = Math.max(1, opts.services ?? 4);
  const attrCount = Math.max(0, opts.attributesPerSpan ?? 10);
  const traceCount = Math.max(1, Math.min(opts.traces ?? 1, Math.max(1, n)));
  const rand = prng(opts.seed ?? 1);
  const idRand = prng((opts.seed ?? 1) * 7919 + 17);

  const processor = new CollectingProcessor();
  const idGenerator = { generateTraceId: () => hex(idRand, 32), generateSpanId: () => hex(idRand, 16) };
  const sampler = new TraceStateSampler();
  const providers = [];
  for (let s = 0; s < serviceCount; s++) {
    const resource = defaultResource().merge(
      resourceFromAttributes({
        'service.name': `svc-${s}`,
        'service.version': `1.${s}.0`,
        'service.instance.id': `svc-${s}-0001`,
        'host.name': `node-${s % 3}`,
        'deployment.environment.name': 'test',
      }),
    );
    providers.push(
      new BasicTracerProvider({
        resource,
        idGenerator,
        sampler,
        spanProcessors: [processor],
        spanLimits: {
          attributeCountLimit: 128,
          linkCountLimit: 128,
          eventCountLimit: s === 1 ? SMALL_EVENT_LIMIT : 128,
          attributePerEventCountLimit: 128,
          attributePerLinkCountLimit: 128,
          attributeValueLengthLimit: Infinity,
        },
      }),
    );
  }
  const tracers = providers.map((p) => [
    p.getTracer('spanlens-gen/http', '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' }),
    p.getTracer('spanlens-gen/db', '0.9.0'),
  ]);

  // Plan first (parents, windows), then create in order so every parent exists before its children.
  type Planned = { trace: number; parent: number; service: number; startNs: number; endNs: number; ctx?: ReturnType<typeof apiTrace.wrapSpanContext> };
  const planned: Planned[] = new Array(n);
  const lastOfTrace: number[] = new Array(traceCount).fill(-1);
  const membersOfTrace: number[][] = Array.from({ length: traceCount }, () => []);
  for (let i = 0; i < n; i++) {
    const t = i % traceCount;
    const members = membersOfTrace[t];
    if (members.length === 0) {
      // Root: traces start 50 ms apart; roots last 2 s (+ jitter).
      const startNs = t * 50e6 + Math.floor(rand() * 1000);
      planned[i] = { trace: t, parent: -1, service: t % serviceCount, startNs, endNs: startNs + 2e9 + Math.floor(rand() * 1e6) };
    } else {
      const parent = members[Math.floor(rand() * members.length)];
      const p = planned[parent];
      const span = p.endNs - p.startNs;
      const startNs = p.startNs + Math.floor(rand() * span * 0.5);
      const endNs = Math.min(p.endNs, startNs + 1 + Math.floor(rand() * (p.endNs - startNs - 1)));
      const service = rand() < 0.3 ? Math.floor(rand() * serviceCount) : p.service;
      planned[i] = { trace: t, parent, service, startNs, endNs };
    }
    members.push(i);
    lastOfTrace[t] = i;
  }

  for (let i = 0; i < n; i++) {
    const p = planned[i];
    const parent = p.parent >= 0 ? planned[p.parent] : undefined;
    const hop = parent !== undefined && parent.service !== p.service;
    const kind = parent === undefined || hop ? ApiSpanKind.SERVER : KINDS_LOCAL[Math.floor(rand() * KINDS_LOCAL.length)];
    const tracer = tracers[p.service][kind === ApiSpanKind.CLIENT && rand() < 0.5 ? 1 : 0];
    const op = OPERATIONS[Math.floor(rand() * OPERATIONS.length)];
    const attributes: Record<string, string | number | boolean | string[] | number[] | boolean[]> = {};
    for (let a = 0; a < attrCount; a++) {
      switch (a % 7) {
        case 0:
          attributes[`app.str.${a}`] = `value-${Math.floor(rand() * 1000)}`;
          break;
        case 1:
          attributes[`app.int.${a}`] = Math.floor(rand() * 1e6) - 1000; // SDK sends integral numbers as intValue
          break;
        case 2:
          attributes[`app.double.${a}`] = Math.floor(rand() * 1e6) / 1000 + 0.5; // never integral: doubleValue
          break;
        case 3:
          attributes[`app.bool.${a}`] = rand() < 0.5;
          break;
        case 4:
          attributes[`app.strs.${a}`] = ['a', `b${a}`, 'ü✓'];
          break;
        case 5:
          attributes[`app.ints.${a}`] = [1, 2, Math.floor(rand() * 100)];
          break;
        default:
          attributes[`http.route.${a}`] = `/api/v${a}/items/{id}`;
      }
    }
    const links: Link[] = [];
    if (i > 0 && rand() < 0.1) {
      const target = planned[Math.floor(rand() * i)].ctx!.spanContext();
      links.push({ context: target, attributes: { 'link.reason': 'batch', 'link.index': links.length } });
    }
    const parentCtx = parent ? apiTrace.setSpan(ROOT_CONTEXT, parent.ctx!) : ROOT_CONTEXT;
    const span = tracer.startSpan(op, { kind, attributes, links, startTime: hrAdd(BASE_SECONDS, p.startNs) }, parentCtx);
    const eventRoll = rand();
    if (eventRoll < 0.15) {
      const count = p.service === 1 ? SMALL_EVENT_LIMIT + 2 : 1 + Math.floor(rand() * 3);
      for (let e = 0; e < count; e++) {
        span.addEvent(`event-${e}`, { 'event.seq': e, 'event.note': `note ${i}/${e}`, 'event.ratio': 0.25 * e + 0.125 }, hrAdd(BASE_SECONDS, p.startNs + ((p.endNs - p.startNs) * (e + 1)) / (count + 1)));
      }
    }
    if (rand() < 0.05) {
      const err = new Error(`boom ${i}`);
      err.stack = `Error: boom ${i}\n    at handler (/srv/app/handler.js:${10 + (i % 90)}:7)`;
      span.recordException(err, hrAdd(BASE_SECONDS, p.endNs - 1));
      span.setStatus({ code: SpanStatusCode.ERROR, message: `boom ${i}` });
    } else if (rand() < 0.1) {
      span.setStatus({ code: SpanStatusCode.OK });
    }
    span.end(hrAdd(BASE_SECONDS, p.endNs));
    p.ctx = span;
  }
  return processor.spans;
}

/** OTLP JSON exactly as the OTLP/HTTP JSON exporter sends it (ExportTraceServiceRequest). */
export function toOtlpJsonBytes(spans: ReadableSpan[]): Uint8Array {
  return JsonTraceSerializer.serializeRequest(spans)!;
}

/** OTLP protobuf exactly as the OTLP/HTTP protobuf and gRPC exporters send it. */
export function toOtlpProtoBytes(spans: ReadableSpan[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(spans)!;
}
