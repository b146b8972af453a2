// What the three clients share: URLs under the configured base, auth headers, JSON and trace parsing
// with errors that say which backend and which request, and summaries of imported traces.
import { describeError, ImportError, NoSpansError } from '../model/errors';
import { importTraceFile } from '../importers/importFile';
import type { Trace, TraceFile } from '../model/model';
import { httpGet, type HttpResponse } from './http';
import { secretValues } from './redact';
import { BackendError, type BackendConfig, type BackendCredentials, type RequestOptions, type TraceSummary } from './types';

export type QueryValue = string | number | undefined | readonly string[];

export function authHeaders(creds: BackendCredentials | undefined): Record<string, string> {
  if (!creds) return {};
  switch (creds.kind) {
    case 'bearer':
      return { Authorization: `Bearer ${creds.token}` };
    case 'basic':
      return { Authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` };
    case 'header':
      return { [creds.header]: creds.value };
  }
}

export class Transport {
  readonly secrets: string[];
  private readonly base: URL;

  constructor(
    readonly config: BackendConfig,
    private readonly creds?: BackendCredentials,
  ) {
    this.secrets = secretValues(creds, config);
    let base: URL | undefined;
    try {
      base = new URL(config.url);
    } catch {
      base = undefined;
    }
    if (!base || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
      throw new BackendError(`backend "${config.name}": "${config.url}" is not a valid URL (expected e.g. http://localhost:16686)`, 'config');
    }
    this.base = base;
  }

  /** base + path, keeping any path prefix of the base (Grafana/ingress setups mount Jaeger under /jaeger). */
  url(path: string, query: Record<string, QueryValue> = {}): URL {
    const u = new URL(this.base.toString());
    u.pathname = u.pathname.replace(/\/+$/, '') + path;
    u.search = '';
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === '') continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, item);
      else u.searchParams.set(k, String(v));
    }
    return u;
  }

  get(path: string, query: Record<string, QueryValue>, opts: RequestOptions = {}, accept = 'application/json'): Promise<HttpResponse> {
    return httpGet(
      {
        url: this.url(path, query),
        headers: { Accept: accept, ...(this.config.headers ?? {}), ...authHeaders(this.creds) },
        allowSelfSigned: this.config.allowSelfSigned,
        backendName: this.config.name,
        secrets: this.secrets,
      },
      opts,
    );
  }

  async getJson(path: string, query: Record<string, QueryValue>, opts: RequestOptions = {}): Promise<unknown> {
    const res = await this.get(path, query, opts);
    const text = new TextDecoder().decode(res.body);
    try {
      return JSON.parse(text);
    } catch (e) {
      throw this.unparseable(res, `not JSON (${(e as Error).message})`);
    }
  }

  /** Imports a trace response with the project's importers; a bad body becomes a 'parse' BackendError. */
  importTrace(res: HttpResponse): TraceFile {
    try {
      return importTraceFile(res.body, { fileName: res.url });
    } catch (e) {
      // A well-formed answer with no spans: the caller says "not found" (or "no results").
      if (e instanceof NoSpansError && e.format) return { format: e.format, traces: [], spanCount: 0, warnings: [] };
      throw new BackendError(`${this.config.name}: the response from ${res.url} is not a trace it can read: ${describeError(e)}`, 'parse', res.status);
    }
  }

  unparseable(res: HttpResponse, what: string): BackendError {
    const ct = res.contentType ? ` (content-type ${res.contentType})` : '';
    return new BackendError(`${this.config.name}: the response from ${res.url}${ct} does not parse: ${what}`, 'parse', res.status);
  }

  notFound(traceId: string): BackendError {
    return new BackendError(`trace ${traceId} not found in ${this.config.name}`, 'not-found', 404);
  }

  shapeError(res: HttpResponse, expected: string): BackendError {
    return this.unparseable(res, `expected ${expected}`);
  }
}

export function summarizeTrace(t: Trace): TraceSummary {
  return {
    traceId: t.traceId,
    rootName: t.rootName,
    rootService: t.rootService,
    startMs: Number(t.startTimeUnixNano / 1_000_000n),
    durationMs: t.durationNs / 1e6,
    spanCount: t.spans.length,
    errorCount: t.errorCount,
  };
}

/** The trace with the requested id from a response that may hold several (or a 64-bit form of it). */
export function pickTrace(file: TraceFile, traceId: string): TraceFile {
  if (file.traces.length <= 1) return file;
  const want = traceId.replace(/^0+/, '');
  const match = file.traces.filter((t) => t.traceId.replace(/^0+/, '') === want);
  return match.length ? { ...file, traces: match, spanCount: match.reduce((n, t) => n + t.spans.length, 0) } : file;
}

/** Search window in epoch ms: explicit start/end, else [now - lookback, now]. */
export function searchWindow(q: { startMs?: number; endMs?: number; lookbackMs?: number }, now = Date.now()): { startMs: number; endMs: number } {
  const endMs = q.endMs ?? now;
  const startMs = q.startMs ?? endMs - (q.lookbackMs ?? 3_600_000);
  return { startMs, endMs };
}

/** Duration in Go's time.ParseDuration syntax, which Jaeger expects ("1500us", "2ms"). */
export function goDuration(ns: number): string {
  if (ns % 1e9 === 0) return `${ns / 1e9}s`;
  if (ns % 1e6 === 0) return `${ns / 1e6}ms`;
  if (ns % 1e3 === 0) return `${ns / 1e3}us`;
  return `${Math.round(ns)}ns`;
}

export { ImportError };
