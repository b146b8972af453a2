// CORS for browser exporters (OTel JS web SDK posting to http://localhost:4318 from a dev server).
// Only listed origins get CORS headers; "*" allows any origin.
import type { IncomingMessage, ServerResponse } from 'http';

export function originAllowed(origin: string | undefined, allowed: readonly string[]): origin is string {
  if (!origin) return false;
  return allowed.includes('*') || allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === origin.toLowerCase());
}

/** Adds Access-Control-Allow-Origin for an allowed origin (on every response, not only preflight). */
export function addCorsHeaders(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  if (!originAllowed(origin, allowed)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
}

/** Answers an OPTIONS preflight; returns false when the origin is not allowed (caller answers 403). */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: readonly string[], methods: string): boolean {
  const origin = req.headers.origin;
  if (!originAllowed(origin, allowed)) return false;
  res.statusCode = 204;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', methods);
  const requested = req.headers['access-control-request-headers'];
  res.setHeader('Access-Control-Allow-Headers', typeof requested === 'string' && requested ? requested : 'Content-Type, Content-Encoding');
  res.setHeader('Access-Control-Max-Age', '7200');
  res.end();
  return true;
}
