// OTLP/HTTP receiver: POST /v1/traces and /v1/logs (protobuf or JSON, optionally gzip), plus
// /v1/metrics, which is accepted and counted so an app exporting every signal logs no errors.
// Status codes follow opentelemetry-proto docs/specification.md "OTLP/HTTP Response": 200 (with
// partial_success when spans were rejected), 400 bad data, 413 too large, 415 unsupported media
// type, 503 (retryable) while shutting down; every 4xx/5xx carries a google.rpc.Status.
import type { IncomingMessage, ServerResponse } from 'http';
import { answerAfterDrain, readBody } from './body';
import type { ReceiverContext } from './context';
import { addCorsHeaders, answerPreflight } from './cors';
import { BatchDecodeError, decodeOtlpProtoBatch, TraceBatch } from './decode';
import { decodeOtlpJsonBatch } from './decodeJson';
import { decodeOtlpJsonLogs, decodeOtlpProtoLogs, LogBatch } from './decodeLogs';
import { CONTENT_TYPE, emptyResponseBody, Encoding, encodingOfContentType, logsResponseBody, RpcCode, statusBody, traceResponseBody } from './responses';
import type { RejectReason } from './types';

const PATHS: Record<string, 'traces' | 'logs' | 'metrics'> = {
  '/v1/traces': 'traces',
  '/v1/logs': 'logs',
  '/v1/metrics': 'metrics',
};

export function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

export function createOtlpHttpHandler(ctx: ReceiverContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void ctx.track(handle(ctx, req, res)).catch((e) => {
      // A bug, not bad input: still answer, and keep serving.
      if (!res.headersSent) sendStatus(res, 'json', 500, 13, `internal error: ${e instanceof Error ? e.message : String(e)}`);
    });
  };
}

function sendStatus(res: ServerResponse, encoding: Encoding, http: number, code: number, message: string, extraHeaders: Record<string, string> = {}): void {
  const body = statusBody(encoding, code, message);
  res.writeHead(http, { 'Content-Type': CONTENT_TYPE[encoding], 'Content-Length': body.length, ...extraHeaders });
  res.end(body);
}

async function handle(ctx: ReceiverContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req.url);
  const signal = PATHS[path];
  const encoding = encodingOfContentType(req.headers['content-type']);
  // Errors are answered in the request's encoding when it has one (spec), else as JSON, which a
  // person poking the port with curl or a browser can read.
  const errEncoding: Encoding = encoding ?? 'json';
  addCorsHeaders(req, res, ctx.corsAllowedOrigins);

  const refuse = (reason: RejectReason, http: number, code: number, message: string, headers?: Record<string, string>) => {
    ctx.reject(reason);
    answerAfterDrain(req, ctx.maxRequestBytes, () => sendStatus(res, errEncoding, http, code, message, headers));
  };

  if (!signal) {
    const hint = path === '/' || path === '' ? 'this is an OTLP/HTTP receiver; ' : '';
    return refuse('not-found', 404, RpcCode.NOT_FOUND, `${hint}no such path ${JSON.stringify(path)}: POST traces to /v1/traces (logs to /v1/logs, metrics to /v1/metrics)`);
  }
  if (req.method === 'OPTIONS') {
    if (answerPreflight(req, res, ctx.corsAllowedOrigins, 'POST, OPTIONS')) return;
    return refuse(
      'cors-origin',
      403,
      RpcCode.PERMISSION_DENIED,
      `origin ${JSON.stringify(req.headers.origin ?? '')} is not allowed to export from a browser; add it to spanlens.collector.corsAllowedOrigins`,
    );
  }
  if (req.method !== 'POST') {
    return refuse('method-not-allowed', 405, RpcCode.UNIMPLEMENTED, `${req.method} is not supported on ${path}: use POST`, { Allow: 'POST, OPTIONS' });
  }
  if (ctx.isClosing()) {
    return refuse('shutting-down', 503, RpcCode.UNAVAILABLE, 'the collector is shutting down', { Connection: 'close' });
  }
  if (!encoding) {
    const got = req.headers['content-type'];
    return refuse(
      'unsupported-media-type',
      415,
      RpcCode.INVALID_ARGUMENT,
      `unsupported Content-Type ${got ? JSON.stringify(got) : '(none)'}: send application/x-protobuf or application/json`,
    );
  }

  const body = await readBody(req, ctx.maxRequestBytes);
  if (!body.ok) {
    switch (body.kind) {
      case 'too-large':
        return refuse('too-large', 413, RpcCode.RESOURCE_EXHAUSTED, body.message);
      case 'unsupported-encoding':
        return refuse('unsupported-media-type', 415, RpcCode.INVALID_ARGUMENT, body.message);
      case 'bad-encoding':
        return refuse('undecodable', 400, RpcCode.INVALID_ARGUMENT, body.message);
      case 'aborted':
        ctx.reject('aborted');
        return;
    }
  }

  if (signal === 'metrics') {
    ctx.countSignal(signal);
    const out = emptyResponseBody(encoding);
    res.writeHead(200, { 'Content-Type': CONTENT_TYPE[encoding], 'Content-Length': out.length });
    res.end(out);
    return;
  }
  if (signal === 'traces') await store(ctx, TRACES, encoding, body.body, res, refuse);
  else await store(ctx, LOGS, encoding, body.body, res, refuse);
}

/** How one stored signal is decoded (by media type), stored and answered. */
interface HttpSignal<B> {
  decode(encoding: Encoding, body: Uint8Array): B;
  accept(ctx: ReceiverContext, batch: B): Promise<void>;
  response(encoding: Encoding, batch: B): Buffer;
}

const TRACES: HttpSignal<TraceBatch> = {
  decode: (encoding, body) => (encoding === 'protobuf' ? decodeOtlpProtoBatch(body) : decodeOtlpJsonBatch(body)),
  accept: (ctx, batch) => ctx.accept('otlpHttp', batch),
  response: (encoding, batch) => traceResponseBody(encoding, batch.rejected, batch.rejectMessage),
};

const LOGS: HttpSignal<LogBatch> = {
  decode: (encoding, body) => (encoding === 'protobuf' ? decodeOtlpProtoLogs(body) : decodeOtlpJsonLogs(body)),
  accept: (ctx, batch) => ctx.acceptLogs('otlpHttp', batch),
  response: (encoding, batch) => logsResponseBody(encoding, batch.rejected, batch.warning),
};

async function store<B>(ctx: ReceiverContext, signal: HttpSignal<B>, encoding: Encoding, body: Uint8Array, res: ServerResponse, refuse: (reason: RejectReason, http: number, code: number, message: string) => void): Promise<void> {
  let batch: B;
  try {
    batch = signal.decode(encoding, body);
  } catch (e) {
    if (!(e instanceof BatchDecodeError)) throw e;
    return refuse('undecodable', 400, RpcCode.INVALID_ARGUMENT, e.message);
  }
  await signal.accept(ctx, batch);
  const out = signal.response(encoding, batch);
  res.writeHead(200, { 'Content-Type': CONTENT_TYPE[encoding], 'Content-Length': out.length });
  res.end(out);
}
