// `spanlens fetch` against local servers answering with recorded responses.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runFetch } from '../../src/cli/fetch';
import { importTraceFile } from '../../src/core/importers/importFile';
import { startRecordedServer, type RecordedServer } from '../support/recordedBackend';
import { FIXTURES } from '../support/paths';

const fx = (name: string) => ({ file: path.join(FIXTURES, 'backends', name) });

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await runFetch(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env, now: () => Date.UTC(2024, 0, 1, 12) });
  return { code, out, err };
}

describe('cli: spanlens fetch', () => {
  let s: RecordedServer;
  afterEach(() => s?.close());

  it('writes a fetched trace as OTLP JSON, with the token from SPANLENS_TOKEN as a bearer header', async () => {
    s = await startRecordedServer([{ path: '/api/v2/trace/19f84f102048e047', body: fx('zipkin-trace-lens-simple-db-p6.json') }]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-fetch-'));
    const out = path.join(dir, 'trace.json');
    const r = await run(['--backend', 'zipkin', '--url', s.url, 'trace_id=19f84f102048e047', '-o', out], { SPANLENS_TOKEN: 'tok-abcdef123' });
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(s.requests[0].headers.authorization, 'Bearer tok-abcdef123');
    const back = importTraceFile(new Uint8Array(fs.readFileSync(out)));
    assert.strictEqual(back.format, 'otlp-json');
    assert.strictEqual(back.spanCount, 5);
    assert.match(r.err, /wrote .*trace\.json \(5 spans/);
  });

  it('prints one JSON line per search result, passing every search field', async () => {
    s = await startRecordedServer([
      {
        path: '/api/search',
        query: { q: '{ status = error }', start: String(Date.UTC(2024, 0, 1, 10) / 1000), end: String(Date.UTC(2024, 0, 1, 12) / 1000), limit: '7' },
        body: fx('tempo-api-search.json'),
      },
    ]);
    const r = await run(['--backend', 'tempo', '--url', s.url, '--search', '--query', '{ status = error }', '--start', '2h', '--end', '2024-01-01T12:00:00Z', '--limit', '7']);
    assert.deepStrictEqual(s.mismatches, []);
    assert.strictEqual(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.strictEqual(lines.length, 2);
    assert.strictEqual(lines[0].traceId, '2f3e0cee77ae5dc9c17ade3689eb2e54');
    assert.strictEqual(lines[0].rootName, 'article-to-cart');
  });

  it('passes repeated --tag and durations to a Jaeger search', async () => {
    s = await startRecordedServer([
      {
        path: '/api/traces',
        query: { service: 'okey-dokey-0', tags: '{"a":"1","b":"x=y"}', minDuration: '100ms', maxDuration: '2s', start: true, end: true, limit: '20' },
        body: fx('jaeger-api-traces-jaegerui-otlp2jaeger-out.json'),
      },
    ]);
    const r = await run(['--backend', 'jaeger', '--url', s.url, '--search', '--service', 'okey-dokey-0', '--tag', 'a=1', '--tag', 'b=x=y', '--min-duration', '100ms', '--max-duration', '2s']);
    assert.deepStrictEqual(s.mismatches, []);
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(JSON.parse(r.out.trim()).spanCount, 2);
  });

  it('exits 2 with a clear message on 401, never printing the token', async () => {
    s = await startRecordedServer([{ path: '/api/v2/trace/19f84f102048e047', status: 401, contentType: 'text/plain', body: 'bad token tok-abcdef123' }]);
    const r = await run(['--backend', 'zipkin', '--url', s.url, '19f84f102048e047'], { SPANLENS_TOKEN: 'tok-abcdef123' });
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /HTTP 401 Unauthorized/);
    assert.ok(!r.err.includes('tok-abcdef123') && !r.out.includes('tok-abcdef123'), r.err);
  });

  it('exits 2 for a trace that is not there and 1 for bad usage', async () => {
    s = await startRecordedServer([]);
    const nf = await run(['--backend', 'zipkin', '--url', s.url, '0af7651916cd43dd8448eb211c80319c']);
    assert.strictEqual(nf.code, 2);
    assert.match(nf.err, /trace 0af7651916cd43dd8448eb211c80319c not found in zipkin at 127\.0\.0\.1:\d+/);
    assert.strictEqual((await run(['--backend', 'elastic', '--url', s.url, 'x'])).code, 1);
    assert.match((await run(['--backend', 'zipkin', '--url', s.url, 'not-an-id'])).err, /"not-an-id" is not a trace id/);
    assert.match((await run(['--backend', 'zipkin', '--url', 'localhost:9411', '19f84f102048e047'])).err, /--url must be an http/);
    assert.strictEqual((await run(['--backend', 'zipkin', '--url', s.url, '--search', '--min-duration', 'soon'])).code, 1);
  });
});
