// Grafana Tempo: /api/search (TraceQL `q`, or logfmt `tags`; start/end in epoch seconds), trace by id
// on /api/v2/traces/{id} ({trace, status}; PARTIAL means spans are missing) with a fallback to the v1
// /api/traces/{id} ({batches}, base64 ids) for servers older than Tempo 2.7, and /api/search/tags.
import { isObject } from '../importers/json';
import { goDuration, pickTrace, searchWindow, Transport } from './transport';
import { BackendError, type BackendClient, type BackendConfig, type BackendCredentials, type FetchedTrace, type RequestOptions, type SearchQuery, type TraceSummary } from './types';

export class TempoClient implements BackendClient {
  private readonly t: Transport;

  constructor(
    readonly config: BackendConfig,
    creds?: BackendCredentials,
  ) {
    this.t = new Transport(config, creds);
  }

  async services(opts?: RequestOptions): Promise<string[]> {
    return this.tagValues('resource.service.name', 'service.name', opts);
  }

  async operations(service: string, opts?: RequestOptions): Promise<string[]> {
    // Span names of one service: the v2 endpoint scopes values with TraceQL (Tempo 2.3+); v1 cannot.
    return this.tagValues('name', 'name', opts, `{resource.service.name="${escapeTraceQl(service)}"}`);
  }

  /** /api/v2/search/tag/{scoped}/values ([{type, value}]), else v1 /api/search/tag/{tag}/values ([string]). */
  private async tagValues(scopedTag: string, v1Tag: string, opts?: RequestOptions, q?: string): Promise<string[]> {
    let v: unknown;
    try {
      v = await this.t.getJson(`/api/v2/search/tag/${encodeURIComponent(scopedTag)}/values`, { q }, opts);
    } catch (e) {
      if (!(e instanceof BackendError && e.kind === 'not-found')) throw e;
      v = await this.t.getJson(`/api/search/tag/${encodeURIComponent(v1Tag)}/values`, {}, opts);
    }
    const values = isObject(v) && Array.isArray(v.tagValues) ? v.tagValues : [];
    return [...new Set(values.map((x) => (isObject(x) ? String(x.value) : String(x))))].sort();
  }

  async search(q: SearchQuery, opts?: RequestOptions): Promise<TraceSummary[]> {
    const { startMs, endMs } = searchWindow(q);
    const tags: string[] = [];
    if (!q.traceql) {
      if (q.service) tags.push(logfmt('service.name', q.service));
      if (q.operation) tags.push(logfmt('name', q.operation));
      for (const [k, v] of Object.entries(q.tags ?? {})) tags.push(logfmt(k, v));
    }
    const res = await this.t.get(
      '/api/search',
      {
        q: q.traceql || undefined,
        tags: tags.length ? tags.join(' ') : undefined,
        minDuration: !q.traceql && q.minDurationNs !== undefined ? goDuration(q.minDurationNs) : undefined,
        maxDuration: !q.traceql && q.maxDurationNs !== undefined ? goDuration(q.maxDurationNs) : undefined,
        start: Math.floor(startMs / 1000),
        end: Math.ceil(endMs / 1000),
        limit: q.limit ?? 20,
      },
      opts,
    );
    let v: unknown;
    try {
      v = JSON.parse(new TextDecoder().decode(res.body));
    } catch (e) {
      throw this.t.unparseable(res, `not JSON (${(e as Error).message})`);
    }
    if (!isObject(v) || !('traces' in v)) throw this.t.shapeError(res, 'a Tempo search response {"traces": [...]}');
    const traces = Array.isArray(v.traces) ? v.traces : [];
    return traces.filter(isObject).map(toSummary);
  }

  async getTrace(traceId: string, opts?: RequestOptions): Promise<FetchedTrace> {
    let res;
    try {
      res = await this.t.get(`/api/v2/traces/${encodeURIComponent(traceId)}`, {}, opts);
    } catch (e) {
      if (!(e instanceof BackendError && e.kind === 'not-found')) throw e;
      // Not found on v2: either the trace is missing or the server predates /api/v2. v1 tells.
      try {
        res = await this.t.get(`/api/traces/${encodeURIComponent(traceId)}`, {}, opts);
      } catch (e1) {
        if (e1 instanceof BackendError && e1.kind === 'not-found') throw this.t.notFound(traceId);
        throw e1;
      }
    }
    const file = pickTrace(this.t.importTrace(res), traceId);
    if (file.traces.length === 0) throw this.t.notFound(traceId);
    const partial = file.warnings.find((w) => /partial/i.test(w.message))?.message;
    return { traceId, file, partial, source: res.url, body: res.body };
  }

  async tagNames(opts?: RequestOptions): Promise<string[]> {
    const v = await this.t.getJson('/api/search/tags', {}, opts);
    return isObject(v) && Array.isArray(v.tagNames) ? v.tagNames.map(String).sort() : [];
  }
}

function toSummary(t: Record<string, unknown>): TraceSummary {
  const id = String(t.traceID ?? t.traceId ?? '');
  const startNs = typeof t.startTimeUnixNano === 'string' || typeof t.startTimeUnixNano === 'number' ? BigInt(t.startTimeUnixNano) : 0n;
  return {
    // Tempo drops leading zeros from ids in search results; the trace endpoints take either form.
    traceId: /^[0-9a-f]+$/i.test(id) ? id.toLowerCase().padStart(32, '0') : id,
    rootName: typeof t.rootTraceName === 'string' ? t.rootTraceName : '<root span not yet received>',
    rootService: typeof t.rootServiceName === 'string' ? t.rootServiceName : '<root span not yet received>',
    startMs: Number(startNs / 1_000_000n),
    durationMs: typeof t.durationMs === 'number' ? t.durationMs : 0,
  };
}

function logfmt(k: string, v: string): string {
  return `${k}=${/[\s"=]/.test(v) ? JSON.stringify(v) : v}`;
}

function escapeTraceQl(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
