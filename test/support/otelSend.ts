// Real OpenTelemetry JS SDK spans and exporters for the collector tests and benchmark: spans are
// made by BasicTracerProvider (sdk-trace-base 2.x) and sent by the exporters apps use.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';

export type Protocol = 'http/json' | 'http/protobuf' | 'grpc' | 'zipkin';

export interface Ports {
  readonly otlpHttp?: number;
  readonly otlpGrpc?: number;
  readonly zipkin?: number;
}

/** A real exporter for `protocol`, pointed at the collector on 127.0.0.1. */
export function makeExporter(protocol: Protocol, ports: Ports, gzip = false, timeoutMillis = 10_000): SpanExporter {
  const compression = (gzip ? 'gzip' : 'none') as never;
  switch (protocol) {
    case 'http/json':
      return new HttpJsonExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/traces`, compression, timeoutMillis });
    case 'http/protobuf':
      return new HttpProtoExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/traces`, compression, timeoutMillis });
    case 'grpc':
      return new GrpcExporter({ url: `http://127.0.0.1:${ports.otlpGrpc}`, compression, timeoutMillis });
    case 'zipkin':
      return new ZipkinExporter({ url: `http://127.0.0.1:${ports.zipkin}/api/v2/spans`, serviceName: 'zipkin-svc' });
  }
}

/**
 * Makes `traces` traces of `spansPerTrace` spans (a root and a chain/fan of children, attributes,
 * an event, an error) with the real SDK and returns the finished ReadableSpans.
 */
export function makeSdkSpans(traces: number, spansPerTrace: number, service = 'checkout'): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.2.3', 'host.name': 'dev-box' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('spanlens-test', '0.1.0');
  for (let t = 0; t < traces; t++) {
    const root = tracer.startSpan(`GET /cart/${t % 7}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.route': '/cart/:id', 'url.path': `/cart/${t}` } }, ROOT_CONTEXT);
    const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
    for (let i = 1; i < spansPerTrace; i++) {
      const child = tracer.startSpan(`db.query ${i}`, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM items WHERE id = ${i}`, 'code.function': 'loadItems', 'code.lineno': 40 + i } }, rootCtx);
      if (i % 5 === 0) child.addEvent('retry', { attempt: 2 });
      if (i % 11 === 0) child.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock' });
      child.end();
    }
    root.end();
  }
  void context;
  return memory.getFinishedSpans().slice();
}

/** Exports with the real exporter; rejects when the exporter reports a failure. */
export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(spans, (r) => (r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error ?? new Error('export failed'))));
  });
}

/** "traceId/spanId" keys of SDK spans. */
export function spanKeys(spans: readonly ReadableSpan[]): string[] {
  return spans.map((s) => `${s.spanContext().traceId}/${s.spanContext().spanId}`);
}
