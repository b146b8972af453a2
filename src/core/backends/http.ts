// One GET against a backend, with the failure modes a user needs told apart: unreachable, TLS,
// timeout, cancelled, 401/403, 404, 5xx (with the server's own message). node's http/https are used
// rather than fetch because the self-signed opt-in needs an https.Agent per backend.
import * as http from 'http';
import * as https from 'https';
import { redact } from './redact';
import { BackendError, type RequestOptions } from './types';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** A trace response larger than this is refused rather than exhausting the extension host. */
export const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

export interface HttpRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly allowSelfSigned?: boolean;
  /** For messages: "jaeger-prod". */
  readonly backendName: string;
  /** Strings to scrub from every message built here. */
  readonly secrets: readonly string[];
}

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array;
  readonly url: string;
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
};

function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** The URL as it may be shown: no user:password, no secrets in the query. */
export function displayUrl(url: URL, secrets: readonly string[]): string {
  const u = new URL(url.toString());
  u.username = '';
  u.password = '';
  return redact(u.toString(), secrets);
}

/** Performs a GET and returns the body for 2xx; throws BackendError for everything else. */
export function httpGet(req: HttpRequest, opts: RequestOptions = {}): Promise<HttpResponse> {
  const { url } = req;
  const shown = displayUrl(url, req.secrets);
  const fail = (message: string, kind: BackendError['kind'], status?: number) => new BackendError(redact(message, req.secrets), kind, status);
  if (opts.signal?.aborted) return Promise.reject(fail(`request to ${req.backendName} cancelled`, 'cancelled'));
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') return Promise.reject(fail(`${req.backendName}: unsupported URL scheme ${url.protocol} (use http:// or https://)`, 'config'));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (err: BackendError | undefined, res?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        request.destroy();
        reject(err);
      } else resolve(res!);
    };
    const requestOptions: https.RequestOptions = {
      method: 'GET',
      headers: { 'User-Agent': 'spanlens', ...req.headers },
      ...(isHttps && req.allowSelfSigned ? { agent: new https.Agent({ rejectUnauthorized: false }) } : {}),
    };
    const request = (isHttps ? https : http).request(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE_BYTES) finish(fail(`${req.backendName}: the response from ${shown} is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB`, 'http'));
        else chunks.push(c);
      });
      res.on('error', (e) => finish(fail(`${req.backendName}: the response from ${shown} broke off: ${e.message}`, 'unreachable')));
      res.on('end', () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers['content-type'] ?? '');
        if (status >= 200 && status < 300) return finish(undefined, { status, contentType, body, url: shown });
        finish(statusError(req, shown, status, body));
      });
    });
    request.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      const code = e.code ?? '';
      if (UNREACHABLE[code]) finish(fail(`${req.backendName} is unreachable at ${hostPort(url)}: ${UNREACHABLE[code]} (${code})`, 'unreachable'));
      else if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(e.message)) {
        const hint = req.allowSelfSigned ? '' : `; if this server uses a self-signed certificate, set "allowSelfSigned": true for backend "${req.backendName}"`;
        finish(fail(`${req.backendName}: TLS error talking to ${hostPort(url)}: ${e.message}${code ? ` (${code})` : ''}${hint}`, 'tls'));
      } else finish(fail(`${req.backendName}: request to ${shown} failed: ${e.message}`, 'unreachable'));
    });
    const timer = setTimeout(() => finish(fail(`${req.backendName} did not answer within ${formatSeconds(timeoutMs)} (${shown})`, 'timeout')), timeoutMs);
    const onAbort = () => finish(fail(`request to ${req.backendName} cancelled`, 'cancelled'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    request.end();
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The server's own explanation from an error body: JSON {errors:[{msg}]}, {message}, {error}, or text. */
export function serverMessage(body: Uint8Array): string {
  const text = new TextDecoder().decode(body.subarray(0, 64 * 1024)).trim();
  if (!text) return '';
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const errs = v && Array.isArray(v.errors) ? v.errors : undefined;
    if (errs && errs.length) return errs.map((e: { msg?: string; message?: string }) => e?.msg ?? e?.message ?? JSON.stringify(e)).join('; ');
    for (const k of ['message', 'error', 'msg']) if (typeof v?.[k] === 'string') return v[k] as string;
    // grpc-gateway (Jaeger api/v3): {"error": {"httpCode": 404, "message": "..."}}
    const inner = v?.error as Record<string, unknown> | undefined;
    if (inner && typeof inner === 'object' && typeof inner.message === 'string') return inner.message;
  } catch {
    /* not JSON: plain text */
  }
  const oneLine = text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? oneLine.slice(0, 300) + '…' : oneLine;
}

function statusError(req: HttpRequest, shown: string, status: number, body: Uint8Array): BackendError {
  const msg = serverMessage(body);
  const said = msg ? `: ${msg}` : '';
  const make = (m: string, kind: BackendError['kind']) => new BackendError(redact(m, req.secrets), kind, status);
  if (status === 401 || status === 403) {
    return make(
      `${req.backendName} refused the request (HTTP ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'})${said}; check the credentials set with 'Spanlens: Set Backend Credentials…'`,
      'auth',
    );
  }
  if (status === 404) return make(`${req.backendName}: not found (HTTP 404) at ${shown}${said}`, 'not-found');
  if (status >= 500) return make(`${req.backendName} failed with HTTP ${status}${said || ' (no message from the server)'}`, 'server');
  return make(`${req.backendName} answered HTTP ${status} for ${shown}${said}`, 'http');
}
