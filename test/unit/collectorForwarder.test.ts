// Forwarding to an upstream OTLP/HTTP endpoint: a real local HTTP server that fails the first
// requests, a real collector receiving from the real OTel exporter, and a dead upstream.
import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { decodeTraceRequest } from '../../src/core/otlp/codec';
import { startCollector } from '../../src/core/collector';
import { backoffMs, Forwarder, forwardTracesUrl } from '../../src/core/collector/forwarder';
import { exportSpans, makeExporter, makeSdkSpans } from '../support/otelSend';

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/** An upstream that answers `failures[i]` to request i (default 200). */
async function upstream(failures: number[]): Promise<{ url: string; received: Received[]; attempts: () => number; close: () => Promise<void> }> {
  const received: Received[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failures[n++] ?? 200;
      if (status === 200) received.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks) });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status === 200 ? '{}' : '{"message":"try later"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    attempts: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const payload = (tag: string, spans = 1) => ({ body: Buffer.from(tag), contentType: 'application/json' as const, spans });

describe('collector forwarding', () => {
  it('builds the traces URL from a base URL or a full one, and refuses other schemes', () => {
    assert.strictEqual(forwardTracesUrl('http://otel:4318').toString(), 'http://otel:4318/v1/traces');
    assert.strictEqual(forwardTracesUrl('http://otel:4318/').toString(), 'http://otel:4318/v1/traces');
    assert.strictEqual(forwardTracesUrl('https://x.example/otlp/v1/traces').toString(), 'https://x.example/otlp/v1/traces');
    assert.throws(() => forwardTracesUrl('ftp://x'), /http:\/\/ or https:\/\//);
    assert.throws(() => forwardTracesUrl('not a url'), /forwardTo must be an http\(s\) URL/);
  });

  it('backs off exponentially up to the cap', () => {
    assert.deepStrictEqual([2, 3, 4, 5, 6, 7].map((a) => backoffMs(a, 100, 1000)), [100, 200, 400, 800, 1000, 1000]);
  });

  it('retries a failing upstream and delivers every batch, in order', async () => {
    const up = await upstream([503, 500, 429]);
    const problems: string[] = [];
    const f = new Forwarder({ url: up.url, baseDelayMs: 5, maxDelayMs: 20, onProblem: (m) => problems.push(m) });
    for (const t of ['a', 'b', 'c']) f.enqueue(payload(t, 2));
    await f.idle();
    const s = f.stats();
    await f.close();
    await up.close();
    assert.deepStrictEqual(up.received.map((r) => r.body.toString()), ['a', 'b', 'c']);
    assert.ok(up.received.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json'));
    assert.strictEqual(up.attempts(), 6);
    assert.strictEqual(s.forwardedBatches, 3);
    assert.strictEqual(s.forwardedSpans, 6);
    assert.strictEqual(s.failedAttempts, 3);
    assert.strictEqual(s.droppedBatches, 0);
    assert.strictEqual(s.lastError, undefined);
    assert.ok(problems.some((p) => /HTTP 503.*retry 1\/5/.test(p)), problems.join('\n'));
  });

  it('drops a batch the upstream refuses (4xx) without retrying, and says so', async () => {
    const up = await upstream([400]);
    const problems: string[] = [];
    const f = new Forwarder({ url: up.url, baseDelayMs: 5, onProblem: (m) => problems.push(m) });
    f.enqueue(payload('bad', 3));
    f.enqueue(payload('good'));
    await f.idle();
    const s = f.stats();
    await f.close();
    await up.close();
    assert.deepStrictEqual(up.received.map((r) => r.body.toString()), ['good']);
    assert.strictEqual(s.droppedBatches, 1);
    assert.strictEqual(s.droppedSpans, 3);
    assert.ok(problems.some((p) => /HTTP 400.*not retryable/.test(p)), problems.join('\n'));
  });

  it('gives up after maxAttempts on an unreachable upstream, and bounds its queue by dropping the oldest', async () => {
    // A port with nothing listening: connection refused.
    const dead = await upstream([]);
    const url = dead.url;
    await dead.close();
    const problems: string[] = [];
    const f = new Forwarder({ url, maxQueue: 3, maxAttempts: 2, baseDelayMs: 5, onProblem: (m) => problems.push(m) });
    for (let i = 0; i < 10; i++) f.enqueue(payload(String(i)));
    assert.ok(f.stats().queued <= 3);
    await f.idle();
    const s = f.stats();
    await f.close();
    assert.strictEqual(s.forwardedBatches, 0);
    assert.strictEqual(s.droppedBatches, 10);
    assert.match(s.lastError ?? '', /ECONNREFUSED/);
    assert.ok(problems.some((p) => /queue full \(3 batches\)/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /dropped a batch of 1 span\(s\) after 2 tries/.test(p)), problems.join('\n'));
  });

  it('forwards what the collector receives from the real exporter, while the upstream fails at first', async () => {
    const up = await upstream([503, 503]);
    const c = await startCollector({ inProcess: true, host: '127.0.0.1', httpPort: 0, grpcPort: null, zipkinPort: null, forwardTo: up.url });
    try {
      const spans = makeSdkSpans(3, 4);
      await exportSpans(makeExporter('http/protobuf', c.ports), spans);
      // Receiving did not wait for the upstream: the spans are stored already.
      assert.strictEqual((await c.refreshStats()).storedSpans, 12);
      let s = await c.refreshStats();
      for (let i = 0; i < 200 && (s.forward?.forwardedSpans ?? 0) < 12; i++) {
        await new Promise((r) => setTimeout(r, 50));
        s = await c.refreshStats();
      }
      assert.strictEqual(s.forward?.forwardedSpans, 12);
      assert.ok((s.forward?.failedAttempts ?? 0) >= 2);
      const got = up.received.flatMap((r) => {
        assert.strictEqual(r.contentType, 'application/x-protobuf');
        return decodeTraceRequest(r.body).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => Buffer.from(sp.spanId).toString('hex'))));
      });
      assert.deepStrictEqual(got.sort(), spans.map((sp) => sp.spanContext().spanId).sort());
    } finally {
      await c.stop();
      await up.close();
    }
  });

  it('refuses a forwardTo that is not an http(s) URL when starting', async () => {
    await assert.rejects(startCollector({ inProcess: true, httpPort: 0, grpcPort: null, zipkinPort: null, forwardTo: 'grpc://x:4317' }), (e: Error & { failure?: { code: string } }) => {
      assert.strictEqual(e.failure?.code, 'bad-options');
      assert.match(e.message, /http:\/\/ or https:\/\//);
      return true;
    });
  });
});
