// Zipkin v2 receiver: POST /api/v2/spans with a JSON list of spans (gzip allowed), answered 202
// Accepted with an empty body as Zipkin's server does. Zipkin has no partial success: spans with
// invalid ids are dropped, counted in the stats, and the rest kept. Errors are plain text, as
// Zipkin's own server answers them.
import type { IncomingMessage, ServerResponse } from 'http';
import { answerAfterDrain, readBody } from './body';
import type { ReceiverContext } from './context';
import { addCorsHeaders, answerPreflight } from './cors';
import { BatchDecodeError, TraceBatch } from './decode';
import { decodeZipkinBatch } from './decodeJson';
import { pathOf } from './otlpHttp';
import type { RejectReason } from './types';

const SPANS_PATH = '/api/v2/spans';

export function createZipkinHandler(ctx: ReceiverContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void ctx.track(handle(ctx, req, res)).catch((e) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${e instanceof Error ? e.message : String(e)}`);
    });
  };
}

function sendText(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(message + '\n', 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, ...headers });
  res.end(body);
}

async function handle(ctx: ReceiverContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req.url);
  addCorsHeaders(req, res, ctx.corsAllowedOrigins);
  const refuse = (reason: RejectReason, status: number, message: string, headers?: Record<string, string>) => {
    ctx.reject(reason);
    answerAfterDrain(req, ctx.maxRequestBytes, () => sendText(res, status, message, headers));
  };
  if (path !== SPANS_PATH) {
    const hint = path === '/api/v1/spans' ? 'the Zipkin v1 API is not supported; ' : '';
    return refuse('not-found', 404, `${hint}no such path ${JSON.stringify(path)}: POST Zipkin v2 JSON spans to ${SPANS_PATH}`);
  }
  if (req.method === 'OPTIONS') {
    if (answerPreflight(req, res, ctx.corsAllowedOrigins, 'POST, OPTIONS')) return;
    return refuse('cors-origin', 403, `origin ${JSON.stringify(req.headers.origin ?? '')} is not allowed; add it to spanlens.collector.corsAllowedOrigins`);
  }
  if (req.method !== 'POST') return refuse('method-not-allowed', 405, `${req.method} is not supported on ${path}: use POST`, { Allow: 'POST, OPTIONS' });
  if (ctx.isClosing()) return refuse('shutting-down', 503, 'the collector is shutting down', { Connection: 'close' });
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  // Zipkin clients always send application/json; curl -d sends form-urlencoded, which is JSON here too.
  if (type !== '' && type !== 'application/json' && type !== 'application/x-www-form-urlencoded' && type !== 'text/plain') {
    return refuse('unsupported-media-type', 415, `unsupported Content-Type ${JSON.stringify(type)}: send Zipkin v2 spans as application/json`);
  }
  const body = await readBody(req, ctx.maxRequestBytes);
  if (!body.ok) {
    switch (body.kind) {
      case 'too-large':
        return refuse('too-large', 413, body.message);
      case 'unsupported-encoding':
        return refuse('unsupported-media-type', 415, body.message);
      case 'bad-encoding':
        return refuse('undecodable', 400, body.message);
      case 'aborted':
        ctx.reject('aborted');
        return;
    }
  }
  let batch: TraceBatch;
  try {
    batch = decodeZipkinBatch(body.body);
  } catch (e) {
    if (!(e instanceof BatchDecodeError)) throw e;
    return refuse('undecodable', 400, e.message);
  }
  await ctx.accept('zipkin', batch);
  res.writeHead(202, { 'Content-Length': 0 });
  res.end();
}
