// Backend clients against local servers answering with recorded real responses (see
// test/fixtures/backends/NOTICE.md; AGPL responses are read from the shared corpus when present).
import * as assert from 'assert';
import * as path from 'path';
import { createBackendClient, BackendError, JaegerClient, TempoClient, ZipkinClient, type BackendConfig, type BackendCredentials } from '../../src/core/backends';
import { startRecordedServer, type RecordedRoute, type RecordedServer } from '../support/recordedBackend';
import { corpusFile, FIXTURES, HAS_CORPUS } from '../support/paths';

const fx = (name: string) => ({ file: path.join(FIXTURES, 'backends', name) });
const START_MS = Date.UTC(2024, 0, 1, 10, 0, 0);
const END_MS = Date.UTC(2024, 0, 1, 11, 0, 0);

let server: RecordedServer | undefined;
async function serve(routes: RecordedRoute[]): Promise<RecordedServer> {
  server = await startRecordedServer(routes);
  return server;
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function config(type: BackendConfig['type'], url: string, extra: Partial<BackendConfig> = {}): BackendConfig {
  return { name: `${type}-test`, type, url, ...extra };
}

async function rejects(p: Promise<unknown>, kind: BackendError['kind'], message: RegExp): Promise<BackendError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BackendError, `expected a BackendError, got ${String(e)}`);
    assert.strictEqual(e.kind, kind, e.message);
    assert.match(e.message, message);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('backends: Jaeger query API (/api)', () => {
  it('lists services and operations and searches with every field in the form Jaeger expects', async () => {
    const s = await serve([
      { path: '/api/services', body: fx('jaeger-api-services.json') },
      { path: '/api/services/okey-dokey-0/operations', body: fx('jaeger-api-operations.json') },
      {
        path: '/api/traces',
        query: {
          service: 'okey-dokey-0',
          operation: 'okey-dokey-0',
          tags: '{"http.status_code":"500","error":"true"}',
          start: String(START_MS * 1000),
          end: String(END_MS * 1000),
          minDuration: '1500us',
          maxDuration: '2s',
          limit: '5',
        },
        body: fx('jaeger-api-traces-jaegerui-otlp2jaeger-out.json'),
      },
    ]);
    const c = new JaegerClient(config('jaeger', s.url));
    assert.strictEqual(await c.detectApi(), 'v1');
    assert.deepStrictEqual(await c.services(), ['frontend', 'okey-dokey-0', 'telemetrygen']);
    assert.deepStrictEqual(await c.operations('okey-dokey-0'), ['lets-go', 'okey-dokey-0']);
    const hits = await c.search({
      service: 'okey-dokey-0',
      operation: 'okey-dokey-0',
      tags: { 'http.status_code': '500', error: 'true' },
      startMs: START_MS,
      endMs: END_MS,
      minDurationNs: 1_500_000,
      maxDurationNs: 2e9,
      limit: 5,
    });
    assert.deepStrictEqual(s.mismatches, []);
    assert.strictEqual(hits.length, 1);
    assert.strictEqual(hits[0].traceId, '83a9efd15c1c98a977e0711cc93ee28b');
    assert.strictEqual(hits[0].rootService, 'telemetrygen');
    assert.strictEqual(hits[0].spanCount, 2);
    assert.ok(s.requests.some((r) => r.path === '/api/v3/services'), 'asked for api/v3 first');
  });

  (HAS_CORPUS ? it : it.skip)(`fetches a trace by id from a recorded Grafana/Loki /api/traces response${HAS_CORPUS ? '' : ' (corpus absent)'}`, async () => {
    const s = await serve([{ path: '/api/traces/2ee9739529395e31', body: { file: corpusFile('jaeger-json/grafana-jaeger-mockJsonResponse.json') } }]);
    const t = await createBackendClient(config('jaeger', s.url)).getTrace('2ee9739529395e31');
    assert.strictEqual(t.file.traces.length, 1);
    assert.strictEqual(t.file.traces[0].rootName, 'CAS');
    assert.strictEqual(t.file.spanCount, 2);
  });

  it('says a trace is not found on 404 and on an empty data list', async () => {
    const s = await serve([
      { path: '/api/traces/0af7651916cd43dd8448eb211c80319c', status: 404, body: '{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}' },
      { path: '/api/traces/4bf92f3577b34da6a3ce929d0e0e4736', body: '{"data":[],"total":0,"limit":0,"offset":0,"errors":null}' },
    ]);
    const c = createBackendClient(config('jaeger', s.url));
    await rejects(c.getTrace('0af7651916cd43dd8448eb211c80319c'), 'not-found', /^trace 0af7651916cd43dd8448eb211c80319c not found in jaeger-test$/);
    await rejects(c.getTrace('4bf92f3577b34da6a3ce929d0e0e4736'), 'not-found', /not found in jaeger-test/);
  });
});

describe('backends: Jaeger api/v3', () => {
  it('detects api/v3, lists services and operations, and searches with query.* parameters', async () => {
    const s = await serve([
      { path: '/api/v3/services', body: fx('jaeger-apiv3-services.json') },
      { path: '/api/v3/operations', query: { service: 'frontend' }, body: fx('jaeger-apiv3-operations.json') },
      {
        path: '/api/v3/traces',
        query: {
          'query.service_name': 'frontend',
          'query.operation_name': 'HTTP GET /dispatch',
          'query.attributes': '{"error":"true"}',
          'query.start_time_min': '2024-01-01T10:00:00.000Z',
          'query.start_time_max': '2024-01-01T11:00:00.000Z',
          'query.duration_min': '100ms',
          'query.search_depth': '20',
        },
        contentType: 'application/json',
        body: fx('jaeger-apiv3-traces-search.ndjson'),
      },
    ]);
    const c = new JaegerClient(config('jaeger', s.url));
    assert.deepStrictEqual(await c.services(), ['frontend', 'redis']);
    assert.strictEqual(await c.detectApi(), 'v3');
    assert.deepStrictEqual(await c.operations('frontend'), ['GetDriver', 'HTTP GET /dispatch']);
    const hits = await c.search({ service: 'frontend', operation: 'HTTP GET /dispatch', tags: { error: 'true' }, startMs: START_MS, endMs: END_MS, minDurationNs: 1e8 });
    assert.deepStrictEqual(s.mismatches, []);
    assert.deepStrictEqual(
      hits.map((h) => [h.traceId, h.rootName, h.rootService, h.durationMs, h.spanCount, h.errorCount]),
      [
        ['0af7651916cd43dd8448eb211c80319c', 'HTTP GET /dispatch', 'frontend', 100, 1, 0],
        ['5b8efff798038103d269b633813fc60c', 'HTTP GET /dispatch', 'frontend', 250, 2, 1],
      ],
    );
  });

  it('fetches a trace by id from the recorded GetTrace response (a {"result": ...} record)', async () => {
    const s = await serve([
      { path: '/api/v3/services', body: fx('jaeger-apiv3-services.json') },
      { path: '/api/v3/traces/00000000000000000000000000000001', body: fx('jaeger-apiv3-GetTrace-snapshot.json') },
    ]);
    const t = await createBackendClient(config('jaeger', s.url)).getTrace('00000000000000000000000000000001');
    assert.strictEqual(t.file.format, 'jaeger-v3');
    assert.strictEqual(t.file.traces[0].rootName, 'foobar');
    assert.strictEqual(t.file.traces[0].errorCount, 1);
  });

  it('reads a trace streamed as NDJSON, one {"result": ...} chunk per line', async () => {
    const s = await serve([
      { path: '/api/v3/services', body: fx('jaeger-apiv3-services.json') },
      { path: '/api/v3/traces/5b8efff798038103d269b633813fc60c', body: fx('jaeger-apiv3-traces-search.ndjson') },
    ]);
    const t = await createBackendClient(config('jaeger', s.url)).getTrace('5b8efff798038103d269b633813fc60c');
    assert.strictEqual(t.file.traces.length, 1, 'only the requested trace is kept');
    assert.strictEqual(t.file.traces[0].spans.length, 2);
  });
});

describe('backends: Tempo', () => {
  it('searches with TraceQL and start/end in seconds', async () => {
    const q = '{ resource.service.name = "shop-backend" && status = error }';
    const s = await serve([{ path: '/api/search', query: { q, start: String(START_MS / 1000), end: String(END_MS / 1000), limit: '20' }, body: fx('tempo-api-search.json') }]);
    const hits = await createBackendClient(config('tempo', s.url)).search({ traceql: q, startMs: START_MS, endMs: END_MS });
    assert.deepStrictEqual(s.mismatches, []);
    assert.deepStrictEqual(hits[0], {
      traceId: '2f3e0cee77ae5dc9c17ade3689eb2e54',
      rootName: 'article-to-cart',
      rootService: 'shop-backend',
      startMs: 1684778327699,
      durationMs: 557,
    });
    assert.strictEqual(hits[1].traceId, '0000000000000000000a9f4b3c2d1e0f', 'leading zeros Tempo drops are restored');
    assert.strictEqual(hits[1].rootName, '<root span not yet received>');
  });

  it('searches with logfmt tags and durations when there is no TraceQL, and lists tag names', async () => {
    const s = await serve([
      {
        path: '/api/search',
        query: { tags: 'service.name=shop-backend name="GET /cart" http.status_code=500', minDuration: '100ms', start: true, end: true, limit: '3' },
        body: fx('tempo-api-search.json'),
      },
      { path: '/api/search/tags', body: fx('tempo-api-search-tags.json') },
    ]);
    const c = createBackendClient(config('tempo', s.url));
    const hits = await c.search({ service: 'shop-backend', operation: 'GET /cart', tags: { 'http.status_code': '500' }, minDurationNs: 1e8, limit: 3 });
    assert.strictEqual(hits.length, 2);
    assert.deepStrictEqual(await c.tagNames(), ['http.method', 'http.status_code', 'service.name']);
    assert.deepStrictEqual(s.mismatches, []);
  });

  it('lists services and span names from the v2 tag-values endpoint, scoped by TraceQL, and falls back to v1', async () => {
    const s = await serve([
      { path: '/api/v2/search/tag/resource.service.name/values', body: fx('tempo-api-v2-tag-values.json') },
      { path: '/api/search/tag/name/values', body: '{"tagValues":["GET /cart","POST /checkout"]}' },
    ]);
    const c = createBackendClient(config('tempo', s.url));
    assert.deepStrictEqual(await c.services(), ['auth-service', 'shop-backend']);
    assert.deepStrictEqual(await c.operations('shop-backend'), ['GET /cart', 'POST /checkout']);
    const v2 = s.requests.find((r) => r.path === '/api/v2/search/tag/name/values');
    assert.deepStrictEqual(v2?.query, { q: '{resource.service.name="shop-backend"}' }, 'asked v2 with a TraceQL scope first');
    assert.deepStrictEqual(s.mismatches, []);
  });

  it('fetches by id from /api/v2/traces and surfaces a PARTIAL status', async () => {
    const s = await serve([{ path: '/api/v2/traces/2f3e0cee77ae5dc9c17ade3689eb2e54', body: fx('tempo-api-v2-trace-partial.json') }]);
    const t = await createBackendClient(config('tempo', s.url)).getTrace('2f3e0cee77ae5dc9c17ade3689eb2e54');
    assert.strictEqual(t.file.traces[0].traceId, '2f3e0cee77ae5dc9c17ade3689eb2e54');
    assert.strictEqual(t.file.traces[0].rootName, 'article-to-cart');
    assert.match(t.partial ?? '', /partial trace.*response larger than the max size/);
  });

  (HAS_CORPUS ? it : it.skip)(`falls back to /api/traces/{id} (batches) on a server without /api/v2${HAS_CORPUS ? '' : ' (corpus absent)'}`, async () => {
    const s = await serve([{ path: '/api/traces/5b8efff798038103d269b633813fc60c', body: { file: corpusFile('otlp-json/tempo-tempopb-trace-batches.json') } }]);
    const t = await createBackendClient(config('tempo', s.url)).getTrace('5b8efff798038103d269b633813fc60c');
    assert.strictEqual(t.file.format, 'tempo');
    assert.strictEqual(t.file.traces[0].traceId, '5b8efff798038103d269b633813fc60c');
    assert.strictEqual(t.partial, undefined);
    assert.deepStrictEqual(s.requests.map((r) => r.path), ['/api/v2/traces/5b8efff798038103d269b633813fc60c', '/api/traces/5b8efff798038103d269b633813fc60c']);
  });

  it('says not found when neither trace endpoint has the id', async () => {
    const s = await serve([
      { path: /^\/api\/v2\/traces\//, status: 404, contentType: 'text/plain', body: 'trace not found' },
      { path: /^\/api\/traces\//, status: 404, contentType: 'text/plain', body: 'trace not found' },
    ]);
    await rejects(createBackendClient(config('tempo', s.url)).getTrace('4bf92f3577b34da6a3ce929d0e0e4736'), 'not-found', /^trace 4bf92f3577b34da6a3ce929d0e0e4736 not found in tempo-test$/);
  });
});

describe('backends: Zipkin', () => {
  it('lists services and span names and searches /api/v2/traces (a list of lists)', async () => {
    const s = await serve([
      { path: '/api/v2/services', body: fx('zipkin-api-services.json') },
      { path: '/api/v2/spans', query: { serviceName: 'frontend' }, body: fx('zipkin-api-spans.json') },
      {
        path: '/api/v2/traces',
        query: { serviceName: 'frontend', spanName: 'get /api', annotationQuery: 'http.path=/api and error', minDuration: '1000', endTs: String(END_MS), lookback: '3600000', limit: '10' },
        body: fx('zipkin-api-traces.json'),
      },
    ]);
    const c = new ZipkinClient(config('zipkin', s.url));
    assert.deepStrictEqual(await c.services(), ['backend', 'frontend']);
    assert.deepStrictEqual(await c.operations('frontend'), ['get /api', 'next-message', 'on-message']);
    const hits = await c.search({ service: 'frontend', operation: 'get /api', tags: { 'http.path': '/api', error: '' }, minDurationNs: 1e6, startMs: START_MS, endMs: END_MS });
    assert.deepStrictEqual(s.mismatches, []);
    assert.deepStrictEqual(hits.map((h) => h.traceId).sort(), ['19f84f102048e047', '5aab74dbb904746bb33447baae403ed6']);
    assert.deepStrictEqual(hits.map((h) => h.spanCount).sort(), [4, 5]);
  });

  it('fetches a trace by id and says not found on 404', async () => {
    const s = await serve([
      { path: '/api/v2/trace/19f84f102048e047', body: fx('zipkin-trace-lens-simple-db-p6.json') },
      { path: '/api/v2/trace/0af7651916cd43dd8448eb211c80319c', status: 404, contentType: 'text/plain', body: 'Trace not found' },
    ]);
    const c = createBackendClient(config('zipkin', s.url));
    const t = await c.getTrace('19f84f102048e047');
    assert.strictEqual(t.file.format, 'zipkin-v2');
    assert.strictEqual(t.file.spanCount, 5);
    await rejects(c.getTrace('0af7651916cd43dd8448eb211c80319c'), 'not-found', /^trace 0af7651916cd43dd8448eb211c80319c not found in zipkin-test$/);
  });
});

describe('backends: failures and credentials', () => {
  const TOKEN = 'tok-3f9c1d2e7a6b5c4d';

  it('sends the token and configured headers to the server, and names the credentials command on 401', async () => {
    const s = await serve([{ path: '/api/v2/services', status: 401, contentType: 'text/plain', body: `invalid token ${TOKEN}` }]);
    const creds: BackendCredentials = { kind: 'bearer', token: TOKEN };
    const err = await rejects(createBackendClient(config('zipkin', s.url, { headers: { 'X-Scope-OrgID': 'team-a' } }), creds).services(), 'auth', /HTTP 401.*Spanlens: Set Backend Credentials…/);
    assert.strictEqual(s.requests[0].headers.authorization, `Bearer ${TOKEN}`);
    assert.strictEqual(s.requests[0].headers['x-scope-orgid'], 'team-a');
    assert.ok(!err.message.includes(TOKEN), `the token is redacted from the message: ${err.message}`);
  });

  it('sends basic auth and API-key headers', async () => {
    const s = await serve([{ path: '/api/search/tags', body: fx('tempo-api-search-tags.json') }]);
    await createBackendClient(config('tempo', s.url), { kind: 'basic', username: 'u1', password: 'p@ss' }).tagNames();
    await createBackendClient(config('tempo', s.url), { kind: 'header', header: 'X-Api-Key', value: 'k-123456' }).tagNames();
    assert.strictEqual(s.requests[0].headers.authorization, 'Basic ' + Buffer.from('u1:p@ss').toString('base64'));
    assert.strictEqual(s.requests[1].headers['x-api-key'], 'k-123456');
  });

  it('reports 403 as a credentials problem and 5xx with the server message', async () => {
    const s = await serve([
      { path: '/api/services', status: 403, body: '{"message":"forbidden for org"}' },
      { path: '/api/v2/services', status: 503, contentType: 'text/plain', body: 'storage backend unavailable: cassandra timeout' },
    ]);
    await rejects(new JaegerClient(config('jaeger', s.url), undefined, 'v1').services(), 'auth', /HTTP 403 Forbidden\): forbidden for org; check the credentials/);
    await rejects(createBackendClient(config('zipkin', s.url)).services(), 'server', /^zipkin-test failed with HTTP 503: storage backend unavailable: cassandra timeout$/);
  });

  it('times out a server that never answers', async () => {
    const s = await serve([{ path: '/api/v2/services', hang: true }]);
    await rejects(createBackendClient(config('zipkin', s.url)).services({ timeoutMs: 300 }), 'timeout', /zipkin-test did not answer within 0\.3 s/);
  });

  it('stops when the caller cancels', async () => {
    const s = await serve([{ path: '/api/v2/services', hang: true }]);
    const ac = new AbortController();
    const p = createBackendClient(config('zipkin', s.url)).services({ signal: ac.signal, timeoutMs: 60_000 });
    setTimeout(() => ac.abort(), 50);
    await rejects(p, 'cancelled', /cancelled/);
  });

  it('says where a response does not parse', async () => {
    const s = await serve([
      { path: '/api/v2/trace/19f84f102048e047', body: '[{"traceId":"19f84f102048e047","id":"19f84f102048e047",\n  "name": oops}]' },
      { path: '/api/search', query: { start: true, end: true, limit: '20' }, contentType: 'text/html', body: '<html>Grafana login</html>' },
    ]);
    await rejects(createBackendClient(config('zipkin', s.url)).getTrace('19f84f102048e047'), 'parse', /not a trace it can read: .*line 2, column 11/);
    await rejects(createBackendClient(config('tempo', s.url)).search({}), 'parse', /content-type text\/html\) does not parse: not JSON/);
  });

  it('names host and port when the server is unreachable', async () => {
    const s = await serve([]);
    const url = s.url;
    await s.close();
    server = undefined;
    await rejects(createBackendClient(config('zipkin', url)).services(), 'unreachable', new RegExp(`zipkin-test is unreachable at ${url.slice(7)}: connection refused \\(ECONNREFUSED\\)`));
  });

  it('keeps a base path prefix and refuses an invalid URL', async () => {
    const s = await serve([{ path: '/jaeger/api/services', body: fx('jaeger-api-services.json') }]);
    assert.strictEqual((await new JaegerClient(config('jaeger', s.url + '/jaeger/'), undefined, 'v1').services()).length, 3);
    assert.throws(() => createBackendClient(config('jaeger', 'localhost:16686')), /not a valid URL/);
  });
});
