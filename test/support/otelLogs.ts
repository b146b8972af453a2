// Real OpenTelemetry JS log records (sdk-logs 0.2xx) emitted inside real SDK spans, and the real OTLP
// log exporters apps use, for the log tests. Each record is emitted with its span as the context,
// which is what the SDK does for a record emitted while the span is active: it takes the trace id,
// span id and flags from that context.
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as HttpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as HttpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, type LogRecordExporter, type ReadableLogRecord, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Ports } from './otelSend';
import type { LogRecord } from '../../src/core/model/logs';
import { toPlain } from '../../src/core/model/attributes';

export type LogProtocol = 'http/json' | 'http/protobuf' | 'grpc';

export function makeLogExporter(protocol: LogProtocol, ports: Ports, gzip = false): LogRecordExporter {
  const compression = (gzip ? 'gzip' : 'none') as never;
  switch (protocol) {
    case 'http/json':
      return new HttpJsonLogExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/logs`, compression, timeoutMillis: 10_000 });
    case 'http/protobuf':
      return new HttpProtoLogExporter({ url: `http://127.0.0.1:${ports.otlpHttp}/v1/logs`, compression, timeoutMillis: 10_000 });
    case 'grpc':
      return new GrpcLogExporter({ url: `http://127.0.0.1:${ports.otlpGrpc}`, compression, timeoutMillis: 10_000 });
  }
}

export function exportLogs(exporter: LogRecordExporter, records: ReadableLogRecord[]): Promise<void> {
  return new Promise((resolve, reject) => {
    exporter.export(records, (r) => (r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error ?? new Error('log export failed'))));
  });
}

export interface SdkLogs {
  readonly spans: ReadableSpan[];
  readonly records: ReadableLogRecord[];
}

/**
 * `traces` traces of a root and a child span; in each span an INFO and (in the child) an ERROR record
 * with attributes; plus one record outside any span. Service `service`.
 */
export function makeSdkLogs(traces: number, service = 'orders'): SdkLogs {
  const resource = resourceFromAttributes({ 'service.name': service });
  const spanMemory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spanMemory)] }).getTracer('spanlens-logs-test');
  const logMemory = new InMemoryLogRecordExporter();
  const logger = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor(logMemory)] }).getLogger('spanlens-logs-test', '0.2.0');
  for (let t = 0; t < traces; t++) {
    const root = tracer.startSpan(`POST /orders/${t}`, {}, ROOT_CONTEXT);
    const rootCtx = trace.setSpan(ROOT_CONTEXT, root);
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: `order ${t} received`, attributes: { 'order.id': t, 'http.route': '/orders/:id' }, context: rootCtx });
    const child = tracer.startSpan('charge card', {}, rootCtx);
    const childCtx = trace.setSpan(rootCtx, child);
    logger.emit({
      severityNumber: SeverityNumber.ERROR,
      severityText: 'ERROR',
      body: { message: `card declined for order ${t}`, code: 402 },
      attributes: { 'exception.type': 'CardDeclined', 'exception.message': 'insufficient funds', retry: false },
      eventName: 'payment.failed',
      context: childCtx,
    });
    child.end();
    root.end();
  }
  logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'no trace here', context: ROOT_CONTEXT });
  return { spans: spanMemory.getFinishedSpans().slice(), records: logMemory.getFinishedLogRecords().slice() };
}

/** What a test compares: the fields the user sees, from an SDK record. */
export function sdkLogView(r: ReadableLogRecord): { body: unknown; severityNumber: number; severityText: string; traceId?: string; spanId?: string; attributes: Record<string, unknown>; eventName?: string } {
  const sc = r.spanContext;
  return {
    body: r.body,
    severityNumber: r.severityNumber ?? 0,
    severityText: r.severityText ?? '',
    traceId: sc?.traceId,
    spanId: sc?.spanId,
    attributes: { ...r.attributes },
    eventName: r.eventName,
  };
}

/** The same fields from a model record (values as plain JS, as the SDK gave them). */
export function modelLogView(r: LogRecord): ReturnType<typeof sdkLogView> {
  const attributes: Record<string, unknown> = {};
  for (const a of r.attributes) attributes[a.key] = toPlain(a.value);
  return {
    body: r.body === undefined ? undefined : toPlain(r.body),
    severityNumber: r.severityNumber,
    severityText: r.severityText ?? '',
    traceId: r.traceId,
    spanId: r.spanId,
    attributes,
    eventName: r.eventName,
  };
}
