// OTLP/gRPC receiver on @grpc/grpc-js. The service is registered with identity (de)serializers, so
// grpc-js hands over the raw message (after it has enforced the size limit and inflated gzip, also
// bounded by that limit: server-interceptors.ts decompressMessage) and our codec decodes it; a
// decoding failure is then ours to answer with INVALID_ARGUMENT instead of grpc-js' INTERNAL.
// Status codes per opentelemetry-proto docs/specification.md "OTLP/gRPC Response": INVALID_ARGUMENT
// (not retryable) for bad data, RESOURCE_EXHAUSTED over the size limit (raised by grpc-js),
// UNAVAILABLE (retryable) while shutting down.
import * as grpc from '@grpc/grpc-js';
import type { ReceiverContext } from './context';
import { BatchDecodeError, decodeOtlpProtoBatch, TraceBatch } from './decode';
import { decodeOtlpProtoLogs, type LogBatch } from './decodeLogs';
import { logsResponseBody, traceResponseBody } from './responses';

const identity = (b: Buffer): Buffer => b;

function unary(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return { path, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity };
}

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
const METRICS_EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

type Handler = grpc.handleUnaryCall<Buffer, Buffer>;

/** One Export method: decode the request, store it, answer with the signal's response. */
interface ExportSignal<B> {
  decode(request: Buffer): B;
  accept(ctx: ReceiverContext, batch: B): Promise<void>;
  response(batch: B): Buffer;
}

const TRACES: ExportSignal<TraceBatch> = {
  decode: decodeOtlpProtoBatch,
  accept: (ctx, batch) => ctx.accept('otlpGrpc', batch),
  response: (batch) => traceResponseBody('protobuf', batch.rejected, batch.rejectMessage),
};

const LOGS: ExportSignal<LogBatch> = {
  decode: decodeOtlpProtoLogs,
  accept: (ctx, batch) => ctx.acceptLogs('otlpGrpc', batch),
  response: (batch) => logsResponseBody('protobuf', batch.rejected, batch.warning),
};

function exportHandler<B>(ctx: ReceiverContext, signal: ExportSignal<B>): Handler {
  return (call, callback) => {
    if (ctx.isClosing()) {
      ctx.reject('shutting-down');
      callback({ code: grpc.status.UNAVAILABLE, details: 'the collector is shutting down' });
      return;
    }
    let batch: B;
    try {
      batch = signal.decode(call.request);
    } catch (e) {
      ctx.reject('undecodable');
      callback({ code: grpc.status.INVALID_ARGUMENT, details: e instanceof BatchDecodeError ? e.message : `cannot decode the request: ${String(e)}` });
      return;
    }
    ctx
      .track(signal.accept(ctx, batch))
      .then(() => callback(null, signal.response(batch)))
      .catch((e) => callback({ code: grpc.status.INTERNAL, details: `internal error: ${e instanceof Error ? e.message : String(e)}` }));
  };
}

function signalExport(ctx: ReceiverContext, signal: 'metrics'): Handler {
  return (_call, callback) => {
    if (ctx.isClosing()) {
      ctx.reject('shutting-down');
      callback({ code: grpc.status.UNAVAILABLE, details: 'the collector is shutting down' });
      return;
    }
    ctx.countSignal(signal);
    // The empty Export*ServiceResponse: full success.
    callback(null, Buffer.alloc(0));
  };
}

export interface GrpcReceiver {
  readonly port: number;
  /** Stops accepting calls, lets running ones finish (up to graceMs), then closes. */
  stop(graceMs: number): Promise<void>;
}

/** Formats host:port for grpc-js (IPv6 literals need brackets). */
export function grpcAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function startGrpcReceiver(ctx: ReceiverContext, host: string, port: number): Promise<GrpcReceiver> {
  // grpc-js logs bind failures to stderr itself; ours are reported once, with what to do.
  grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  const server = new grpc.Server({
    'grpc.max_receive_message_length': ctx.maxRequestBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  server.addService({ Export: unary(TRACE_EXPORT_PATH) }, { Export: exportHandler(ctx, TRACES) });
  server.addService({ Export: unary(LOGS_EXPORT_PATH) }, { Export: exportHandler(ctx, LOGS) });
  server.addService({ Export: unary(METRICS_EXPORT_PATH) }, { Export: signalExport(ctx, 'metrics') });
  return new Promise((resolve, reject) => {
    server.bindAsync(grpcAddress(host, port), grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err) {
        server.forceShutdown();
        // grpc-js wraps the socket error in its message: "No address added ... [listen EADDRINUSE ...]".
        const e = new Error(err.message) as NodeJS.ErrnoException;
        if (/EADDRINUSE/.test(err.message)) e.code = 'EADDRINUSE';
        else if (/EACCES/.test(err.message)) e.code = 'EACCES';
        else if (/EADDRNOTAVAIL/.test(err.message)) e.code = 'EADDRNOTAVAIL';
        reject(e);
        return;
      }
      resolve({
        port: bound,
        stop: (graceMs) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.forceShutdown(), graceMs);
            timer.unref?.();
            server.tryShutdown(() => {
              clearTimeout(timer);
              done();
            });
          }),
      });
    });
  });
}
