// Zipkin API v2: /api/v2/services, /api/v2/spans?serviceName=, /api/v2/traces (a list of traces,
// each a list of spans), /api/v2/trace/{id}. Times in the query are epoch ms, durations in µs.
import { pickTrace, searchWindow, summarizeTrace, Transport } from './transport';
import { BackendError, type BackendClient, type BackendConfig, type BackendCredentials, type FetchedTrace, type RequestOptions, type SearchQuery, type TraceSummary } from './types';

export class ZipkinClient implements BackendClient {
  private readonly t: Transport;

  constructor(
    readonly config: BackendConfig,
    creds?: BackendCredentials,
  ) {
    this.t = new Transport(config, creds);
  }

  async services(opts?: RequestOptions): Promise<string[]> {
    return stringList(await this.t.getJson('/api/v2/services', {}, opts)).sort();
  }

  async operations(service: string, opts?: RequestOptions): Promise<string[]> {
    return stringList(await this.t.getJson('/api/v2/spans', { serviceName: service }, opts)).sort();
  }

  async search(q: SearchQuery, opts?: RequestOptions): Promise<TraceSummary[]> {
    const { startMs, endMs } = searchWindow(q);
    // annotationQuery: "http.path=/api and error" — key=value pairs joined by " and ".
    const annotationQuery = q.tags && Object.keys(q.tags).length
      ? Object.entries(q.tags).map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(' and ')
      : undefined;
    const res = await this.t.get(
      '/api/v2/traces',
      {
        serviceName: q.service,
        spanName: q.operation,
        annotationQuery,
        minDuration: q.minDurationNs !== undefined ? Math.round(q.minDurationNs / 1000) : undefined,
        maxDuration: q.maxDurationNs !== undefined ? Math.round(q.maxDurationNs / 1000) : undefined,
        endTs: endMs,
        lookback: endMs - startMs,
        limit: q.limit ?? 10,
      },
      opts,
    );
    if (/^\s*\[\s*\]\s*$/.test(new TextDecoder().decode(res.body.subarray(0, 100)))) return [];
    return this.t.importTrace(res).traces.map(summarizeTrace).sort((a, b) => b.startMs - a.startMs);
  }

  async getTrace(traceId: string, opts?: RequestOptions): Promise<FetchedTrace> {
    let res;
    try {
      res = await this.t.get(`/api/v2/trace/${encodeURIComponent(traceId)}`, {}, opts);
    } catch (e) {
      if (e instanceof BackendError && e.kind === 'not-found') throw this.t.notFound(traceId);
      throw e;
    }
    if (/^\s*\[\s*\]\s*$/.test(new TextDecoder().decode(res.body.subarray(0, 100)))) throw this.t.notFound(traceId);
    return { traceId, file: pickTrace(this.t.importTrace(res), traceId), source: res.url, body: res.body };
  }

  async tagNames(opts?: RequestOptions): Promise<string[]> {
    // /api/v2/autocompleteKeys lists the keys the server indexes for annotationQuery (may be empty).
    try {
      return stringList(await this.t.getJson('/api/v2/autocompleteKeys', {}, opts));
    } catch {
      return [];
    }
  }
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}
