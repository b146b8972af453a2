// Jaeger: the classic query API (/api/*, served by Jaeger v1 and v2) and the api_v3 HTTP gateway
// (/api/v3/*, OTLP JSON, streamed as NDJSON of {"result": ...}). detectApi() asks /api/v3/services
// once and falls back to /api/* when the server does not know it.
import { isObject } from '../importers/json';
import { goDuration, pickTrace, searchWindow, summarizeTrace, Transport } from './transport';
import { BackendError, type BackendClient, type BackendConfig, type BackendCredentials, type FetchedTrace, type RequestOptions, type SearchQuery, type TraceSummary } from './types';

export type JaegerApi = 'v1' | 'v3';

export class JaegerClient implements BackendClient {
  private readonly t: Transport;
  private api?: JaegerApi;

  constructor(
    readonly config: BackendConfig,
    creds?: BackendCredentials,
    /** Force an API instead of detecting it. */
    api?: JaegerApi,
  ) {
    this.t = new Transport(config, creds);
    this.api = api;
  }

  async detectApi(opts?: RequestOptions): Promise<JaegerApi> {
    if (this.api) return this.api;
    try {
      const v = await this.t.getJson('/api/v3/services', {}, opts);
      this.api = isObject(v) && Array.isArray(v.services) ? 'v3' : 'v1';
    } catch (e) {
      // Older Jaeger: no such route (404), or the SPA answers with index.html (unparseable).
      if (e instanceof BackendError && (e.kind === 'not-found' || e.kind === 'parse' || e.kind === 'http')) this.api = 'v1';
      else throw e;
    }
    return this.api;
  }

  async services(opts?: RequestOptions): Promise<string[]> {
    if ((await this.detectApi(opts)) === 'v3') {
      const v = await this.t.getJson('/api/v3/services', {}, opts);
      return isObject(v) && Array.isArray(v.services) ? v.services.map(String).sort() : [];
    }
    return stringData(await this.t.getJson('/api/services', {}, opts)).sort();
  }

  async operations(service: string, opts?: RequestOptions): Promise<string[]> {
    if ((await this.detectApi(opts)) === 'v3') {
      const v = await this.t.getJson('/api/v3/operations', { service }, opts);
      const ops = isObject(v) && Array.isArray(v.operations) ? v.operations : [];
      return [...new Set(ops.map((o) => (isObject(o) ? String(o.name) : String(o))))].sort();
    }
    return stringData(await this.t.getJson(`/api/services/${encodeURIComponent(service)}/operations`, {}, opts)).sort();
  }

  async search(q: SearchQuery, opts?: RequestOptions): Promise<TraceSummary[]> {
    if (!q.service) throw new BackendError(`${this.config.name}: a Jaeger search needs a service`, 'config');
    const { startMs, endMs } = searchWindow(q);
    const tags = q.tags && Object.keys(q.tags).length ? JSON.stringify(q.tags) : undefined;
    const api = await this.detectApi(opts);
    const res =
      api === 'v3'
        ? await this.t.get(
            '/api/v3/traces',
            {
              'query.service_name': q.service,
              'query.operation_name': q.operation,
              'query.attributes': tags,
              'query.start_time_min': new Date(startMs).toISOString(),
              'query.start_time_max': new Date(endMs).toISOString(),
              'query.duration_min': q.minDurationNs !== undefined ? goDuration(q.minDurationNs) : undefined,
              'query.duration_max': q.maxDurationNs !== undefined ? goDuration(q.maxDurationNs) : undefined,
              'query.search_depth': q.limit ?? 20,
            },
            opts,
          )
        : await this.t.get(
            '/api/traces',
            {
              service: q.service,
              operation: q.operation,
              tags,
              start: startMs * 1000,
              end: endMs * 1000,
              minDuration: q.minDurationNs !== undefined ? goDuration(q.minDurationNs) : undefined,
              maxDuration: q.maxDurationNs !== undefined ? goDuration(q.maxDurationNs) : undefined,
              limit: q.limit ?? 20,
              lookback: q.startMs === undefined && q.lookbackMs !== undefined ? goDuration(q.lookbackMs * 1e6) : undefined,
            },
            opts,
          );
    if (isEmptyResult(res.body)) return [];
    return this.t.importTrace(res).traces.map(summarizeTrace).sort((a, b) => b.startMs - a.startMs);
  }

  async getTrace(traceId: string, opts?: RequestOptions): Promise<FetchedTrace> {
    const path = (await this.detectApi(opts)) === 'v3' ? `/api/v3/traces/${encodeURIComponent(traceId)}` : `/api/traces/${encodeURIComponent(traceId)}`;
    let res;
    try {
      res = await this.t.get(path, {}, opts);
    } catch (e) {
      if (e instanceof BackendError && e.kind === 'not-found') throw this.t.notFound(traceId);
      throw e;
    }
    if (isEmptyResult(res.body)) throw this.t.notFound(traceId);
    const file = pickTrace(this.t.importTrace(res), traceId);
    if (file.traces.length === 0) throw this.t.notFound(traceId);
    return { traceId, file, source: res.url, body: res.body };
  }

  async tagNames(): Promise<string[]> {
    return []; // The Jaeger query API has no tag-name listing.
  }
}

function stringData(v: unknown): string[] {
  return isObject(v) && Array.isArray(v.data) ? v.data.map(String) : [];
}

/** {"data": []} / {"data": null} (v1) or an empty body / {"result":{}} (v3): no traces matched. */
function isEmptyResult(body: Uint8Array): boolean {
  const text = new TextDecoder().decode(body.subarray(0, 200)).replace(/\s+/g, '');
  return text === '' || /^\{"data":(\[\]|null)(,|\})/.test(text) || text === '{"result":{}}' || text === '{"result":{"resourceSpans":[]}}';
}
