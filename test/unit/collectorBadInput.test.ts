// The bad-input suite: each malformed or hostile request gets the status the OTLP spec (or Zipkin's
// API) prescribes, with a message saying what was wrong, and afterwards the collector still
// accepts good data from a real exporter.
import * as assert from 'assert';
import * as http from 'http';
import * as zlib from 'zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { startCollector, type CollectorHandle } from '../../src/core/collector';
import { decodeTraceRequest, decodeTraceResponse, encodeTraceRequest } from '../../src/core/otlp/codec';
import type { AddressInfo } from 'net';
import { createOtlpHttpHandler } from '../../src/core/collector/otlpHttp';
import { startGrpcReceiver, TRACE_EXPORT_PATH } from '../../src/core/collector/otlpGrpc';
import { buildCollectorBundles } from '../support/collectorBuild';
import { decodeStatus, grpcRaw, gzipZeros, request } from '../support/httpRaw';
import { exportSpans, makeExporter, makeSdkSpans, spanKeys } from '../support/otelSend';

const MiB = 1024 * 1024;

describe('collector bad-input suite', function () {
  this.timeout(60_000);
  let c: CollectorHandle;
  let httpPort: number;
  let grpcPort: number;
  let zipkinPort: number;
  const sdkSpans = makeSdkSpans(3, 4);
  const goodProto = Buffer.from(ProtobufTraceSerializer.serializeRequest(sdkSpans)!);
  const goodJson = Buffer.from(JsonTraceSerializer.serializeRequest(sdkSpans)!);

  before(async () => {
    const { workerScript } = buildCollectorBundles();
    c = await startCollector({ httpPort: 0, grpcPort: 0, zipkinPort: 0, workerScript, corsAllowedOrigins: ['http://localhost:3000'] });
    httpPort = c.ports.otlpHttp!;
    grpcPort = c.ports.otlpGrpc!;
    zipkinPort = c.ports.zipkin!;
  });
  after(async () => {
    await c?.stop();
  });

  /** The collector still takes a real exporter's spans, all of them. */
  async function stillAcceptsGoodData(): Promise<void> {
    await c.store.clear();
    const spans = makeSdkSpans(2, 5, 'after-bad-input');
    const exporter = makeExporter('http/protobuf', c.ports);
    await exportSpans(exporter, spans);
    await exporter.shutdown();
    const file = await c.store.traceFile();
    assert.deepStrictEqual(file.traces.flatMap((t) => t.spans.map((s) => `${s.traceId}/${s.spanId}`)).sort(), spanKeys(spans).sort());
  }

  describe('OTLP/HTTP', () => {
    it('garbage protobuf: 400 with a protobuf google.rpc.Status saying what was wrong', async () => {
      const r = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from('this is not protobuf at all \xff\xff\xff', 'latin1') });
      assert.strictEqual(r.status, 400);
      assert.strictEqual(r.headers['content-type'], 'application/x-protobuf');
      const st = decodeStatus(r.body);
      assert.strictEqual(st.code, 3);
      assert.match(st.message, /not a protobuf ExportTraceServiceRequest: .*byte/);
      await stillAcceptsGoodData();
    });

    it('garbage JSON: 400 with a JSON Status naming line and column', async () => {
      const r = await request(httpPort, { headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"resourceSpans": [ {"resource": } ]}' });
      assert.strictEqual(r.status, 400);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      const st = JSON.parse(r.body.toString());
      assert.strictEqual(st.code, 3);
      assert.match(st.message, /not OTLP JSON: .*line 1, column/);
    });

    it('JSON that is not an export request: 400', async () => {
      const r = await request(httpPort, { headers: { 'content-type': 'application/json' }, body: '[1,2,3]' });
      assert.strictEqual(r.status, 400);
      assert.match(JSON.parse(r.body.toString()).message, /resourceSpans/);
    });

    it('truncated protobuf and JSON bodies: 400', async () => {
      const p = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf' }, body: goodProto.subarray(0, goodProto.length - 7) });
      assert.strictEqual(p.status, 400);
      assert.match(decodeStatus(p.body).message, /truncated|past the end|length/i);
      const j = await request(httpPort, { headers: { 'content-type': 'application/json' }, body: goodJson.subarray(0, goodJson.length - 9) });
      assert.strictEqual(j.status, 400);
      await stillAcceptsGoodData();
    });

    it('a body cut off on the wire (Content-Length larger than sent) is dropped and counted', async () => {
      const before = c.stats().rejected.aborted ?? 0;
      await new Promise<void>((resolve) => {
        // Expect: 100-continue makes the server answer once it has the headers, so the request
        // is being handled before we hang up in the middle of the body.
        const req = http.request({
          host: '127.0.0.1',
          port: httpPort,
          method: 'POST',
          path: '/v1/traces',
          headers: { 'content-type': 'application/x-protobuf', 'content-length': goodProto.length + 100, expect: '100-continue' },
          agent: false,
        });
        req.on('error', () => resolve());
        req.on('continue', () => {
          req.write(goodProto, () => {
            req.destroy();
            resolve();
          });
        });
        req.flushHeaders();
      });
      for (let i = 0; i < 1000 && (await c.refreshStats()).rejected.aborted === before; i++) await new Promise((r) => setTimeout(r, 20));
      assert.strictEqual((await c.refreshStats()).rejected.aborted, before + 1);
      await stillAcceptsGoodData();
    });

    it('a gzip bomb (1 GiB of zeros in ~1 MB) is stopped while inflating: 413', async () => {
      const bomb = await gzipZeros(1024 * MiB);
      assert.ok(bomb.length < 2 * MiB, `bomb is ${bomb.length} bytes`);
      const r = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body: bomb });
      assert.strictEqual(r.status, 413);
      assert.match(decodeStatus(r.body).message, /after decompression.*64 MiB/);
      await stillAcceptsGoodData();
    });

    it('bad gzip: 400; unsupported Content-Encoding: 415', async () => {
      const bad = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body: goodProto });
      assert.strictEqual(bad.status, 400);
      assert.match(decodeStatus(bad.body).message, /does not inflate/);
      const br = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' }, body: goodProto });
      assert.strictEqual(br.status, 415);
    });

    it('gzip-compressed protobuf, and JSON with a charset, are accepted with the empty response', async () => {
      await c.store.clear();
      const r = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body: zlib.gzipSync(goodProto) });
      assert.strictEqual(r.status, 200);
      assert.strictEqual(r.headers['content-type'], 'application/x-protobuf');
      assert.strictEqual(r.body.length, 0, 'full success is the empty ExportTraceServiceResponse');
      assert.strictEqual((await c.store.traceFile()).spanCount, sdkSpans.length);
      await c.store.clear();
      const j = await request(httpPort, { headers: { 'content-type': 'application/json; charset=utf-8', 'content-encoding': 'gzip' }, body: zlib.gzipSync(goodJson) });
      assert.strictEqual(j.status, 200);
      assert.strictEqual(j.headers['content-type'], 'application/json');
      assert.strictEqual(j.body.toString(), '{}');
      assert.strictEqual((await c.store.traceFile()).spanCount, sdkSpans.length);
    });

    it('JSON spans with invalid ids are rejected through partialSuccess, the rest kept', async () => {
      await c.store.clear();
      const doc = JSON.parse(goodJson.toString());
      doc.resourceSpans[0].scopeSpans[0].spans[0].traceId = 'not-an-id';
      const r = await request(httpPort, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) });
      assert.strictEqual(r.status, 200);
      const ps = JSON.parse(r.body.toString()).partialSuccess;
      assert.strictEqual(ps.rejectedSpans, '1');
      assert.match(ps.errorMessage, /trace_id "not-an-id" is not 16 bytes of hex/);
      assert.strictEqual((await c.store.traceFile()).spanCount, sdkSpans.length - 1);
    });

    it('an oversized body: 413 (declared length and chunked)', async () => {
      const big = Buffer.alloc(64 * MiB + 1, 0x0a);
      const declared = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf' }, body: big });
      assert.strictEqual(declared.status, 413);
      assert.match(decodeStatus(declared.body).message, /over the 64 MiB limit/);
      const chunked = await request(httpPort, {
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: (req) => {
          for (let i = 0; i < 65; i++) req.write(big.subarray(0, MiB));
          req.end();
        },
      });
      assert.strictEqual(chunked.status, 413);
      assert.match(JSON.parse(chunked.body.toString()).message, /over the 64 MiB limit/);
      await stillAcceptsGoodData();
    });

    it('a wrong or missing content type: 415', async () => {
      for (const type of ['text/plain', 'application/xml', undefined]) {
        const r = await request(httpPort, { headers: type ? { 'content-type': type } : {}, body: goodJson });
        assert.strictEqual(r.status, 415, String(type));
        assert.match(JSON.parse(r.body.toString()).message, /application\/x-protobuf or application\/json/);
      }
    });

    it('a wrong method: 405 with Allow; an unknown path: 404', async () => {
      const get = await request(httpPort, { method: 'GET' });
      assert.strictEqual(get.status, 405);
      assert.strictEqual(get.headers.allow, 'POST, OPTIONS');
      const nf = await request(httpPort, { path: '/v1/trace', headers: { 'content-type': 'application/x-protobuf' }, body: goodProto });
      assert.strictEqual(nf.status, 404);
      assert.match(decodeStatus(nf.body).message, /\/v1\/traces/);
    });

    it('spans with invalid ids are rejected through partial_success, the rest kept', async () => {
      await c.store.clear();
      const req = decodeTraceRequest(goodProto);
      const spans = req.resourceSpans[0].scopeSpans[0].spans as unknown as { traceId: Uint8Array; spanId: Uint8Array }[];
      spans[1].traceId = spans[1].traceId.subarray(0, 15);
      spans[2].spanId = new Uint8Array(8);
      const r = await request(httpPort, { headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodeTraceRequest(req)) });
      assert.strictEqual(r.status, 200);
      const res = decodeTraceResponse(r.body);
      assert.strictEqual(res.partialSuccess?.rejectedSpans, 2n);
      assert.match(res.partialSuccess!.errorMessage, /2 span\(s\) rejected: .*trace_id is 15 bytes, not 16/);
      assert.strictEqual((await c.store.traceFile()).spanCount, sdkSpans.length - 2);
    });

    it('logs and metrics are accepted with the empty response and counted', async () => {
      const before = c.stats();
      const logs = await request(httpPort, { path: '/v1/logs', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.alloc(0) });
      const metrics = await request(httpPort, { path: '/v1/metrics', headers: { 'content-type': 'application/json' }, body: '{"resourceMetrics":[]}' });
      assert.strictEqual(logs.status, 200);
      assert.strictEqual(logs.body.length, 0);
      assert.strictEqual(metrics.status, 200);
      assert.strictEqual(metrics.body.toString(), '{}');
      const after = await c.refreshStats();
      assert.strictEqual(after.logsRequests, before.logsRequests + 1);
      assert.strictEqual(after.metricsRequests, before.metricsRequests + 1);
    });

    it('CORS: preflight from an allowed origin gets 204 with the headers; others 403', async () => {
      const ok = await request(httpPort, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.strictEqual(ok.status, 204);
      assert.strictEqual(ok.headers['access-control-allow-origin'], 'http://localhost:3000');
      assert.match(String(ok.headers['access-control-allow-methods']), /POST/);
      assert.strictEqual(ok.headers['access-control-allow-headers'], 'content-type');
      const post = await request(httpPort, { headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' }, body: goodJson });
      assert.strictEqual(post.headers['access-control-allow-origin'], 'http://localhost:3000');
      const evil = await request(httpPort, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
      assert.strictEqual(evil.status, 403);
      assert.strictEqual(evil.headers['access-control-allow-origin'], undefined);
    });

    it('100 concurrent connections: every request answered 200 and every span kept', async () => {
      await c.store.clear();
      const batches = Array.from({ length: 100 }, (_, i) => makeSdkSpans(1, 3, `conc-${i}`));
      const results = await Promise.all(
        batches.map((b, i) =>
          request(httpPort, i % 2 ? { headers: { 'content-type': 'application/json' }, body: Buffer.from(JsonTraceSerializer.serializeRequest(b)!) } : { headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(ProtobufTraceSerializer.serializeRequest(b)!) }),
        ),
      );
      assert.deepStrictEqual(new Set(results.map((r) => r.status)), new Set([200]));
      const file = await c.store.traceFile();
      assert.strictEqual(file.spanCount, 300);
      assert.strictEqual(file.traces.length, 100);
      await stillAcceptsGoodData();
    });

    it('counts every refused request by reason', async () => {
      const s = await c.refreshStats();
      for (const reason of ['undecodable', 'too-large', 'unsupported-media-type', 'method-not-allowed', 'not-found', 'cors-origin', 'aborted'] as const) {
        assert.ok((s.rejected[reason] ?? 0) >= 1, `${reason}: ${JSON.stringify(s.rejected)}`);
      }
    });
  });

  describe('OTLP/gRPC', () => {
    it('garbage: INVALID_ARGUMENT with the decoder message', async () => {
      const r = await grpcRaw(grpcPort, TRACE_EXPORT_PATH, Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x02]));
      assert.strictEqual(r.grpcStatus, 3);
      assert.match(r.grpcMessage, /not a protobuf ExportTraceServiceRequest/);
      await stillAcceptsGoodData();
    });

    it('a gzip bomb is stopped at the size limit: RESOURCE_EXHAUSTED', async () => {
      const r = await grpcRaw(grpcPort, TRACE_EXPORT_PATH, await gzipZeros(256 * MiB), true);
      assert.strictEqual(r.grpcStatus, 8);
      await stillAcceptsGoodData();
    });

    it('an oversized message (real exporter, plain and gzip): RESOURCE_EXHAUSTED', async () => {
      const small = await startCollector({ httpPort: null, grpcPort: 0, zipkinPort: null, maxRequestBytes: 64 * 1024, workerScript: buildCollectorBundles().workerScript });
      try {
        const spans = makeSdkSpans(50, 20);
        for (const gzip of [false, true]) {
          const e = makeExporter('grpc', small.ports, gzip);
          const err = (await exportSpans(e, spans).then(() => undefined, (x: unknown) => x)) as { code?: number; message?: string } | undefined;
          await e.shutdown();
          assert.strictEqual(err?.code, 8, `gzip=${gzip}: ${err?.message}`);
          assert.match(String(err?.message), gzip ? /decompresses to a size larger than 65536/ : /larger than max/);
        }
        const ok = makeExporter('grpc', small.ports);
        await exportSpans(ok, spans.slice(0, 20));
        await ok.shutdown();
        assert.strictEqual((await small.refreshStats()).spansReceived, 20);
      } finally {
        await small.stop();
      }
    });

    it('logs and metrics services answer OK', async () => {
      const r = await grpcRaw(grpcPort, '/opentelemetry.proto.collector.logs.v1.LogsService/Export', Buffer.alloc(0));
      assert.strictEqual(r.grpcStatus, 0);
    });
  });

  describe('while shutting down', () => {
    // The receivers as the collector wires them, with a context that says it is closing.
    const closingCtx = {
      maxRequestBytes: 1024 * 1024,
      corsAllowedOrigins: [],
      isClosing: () => true,
      accept: () => Promise.reject(new Error('must not accept while closing')),
      acceptLogs: () => Promise.reject(new Error('must not accept logs while closing')),
      reject: () => undefined,
      countSignal: () => undefined,
      track: <T>(p: Promise<T>) => p,
    };

    it('OTLP/HTTP answers 503 (retryable) with a Status', async () => {
      const server = http.createServer(createOtlpHttpHandler(closingCtx));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      try {
        const r = await request((server.address() as AddressInfo).port, { headers: { 'content-type': 'application/x-protobuf' }, body: goodProto });
        assert.strictEqual(r.status, 503);
        assert.match(decodeStatus(r.body).message, /shutting down/);
      } finally {
        server.close();
      }
    });

    it('OTLP/gRPC answers UNAVAILABLE', async () => {
      const g = await startGrpcReceiver(closingCtx, '127.0.0.1', 0);
      try {
        const r = await grpcRaw(g.port, TRACE_EXPORT_PATH, goodProto);
        assert.strictEqual(r.grpcStatus, 14);
      } finally {
        await g.stop(100);
      }
    });
  });

  describe('Zipkin', () => {
    const zipkinSpan = { traceId: '5af7183fb1d4cf5f5af7183fb1d4cf5f', id: '6b221d5bc9e6496c', name: 'get /api', timestamp: 1_700_000_000_000_000, duration: 1200, localEndpoint: { serviceName: 'frontend' } };

    it('202 on success, gzip allowed', async () => {
      await c.store.clear();
      const r = await request(zipkinPort, { path: '/api/v2/spans', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: zlib.gzipSync(JSON.stringify([zipkinSpan])) });
      assert.strictEqual(r.status, 202);
      const t = await c.store.getTrace(zipkinSpan.traceId);
      assert.strictEqual(t?.spans[0].name, 'get /api');
      assert.strictEqual(t?.rootService, 'frontend');
    });

    it('garbage JSON: 400 with the reason; wrong content type: 415; wrong path: 404; GET: 405', async () => {
      const bad = await request(zipkinPort, { path: '/api/v2/spans', headers: { 'content-type': 'application/json' }, body: '[{"traceId": ' });
      assert.strictEqual(bad.status, 400);
      assert.match(bad.body.toString(), /not Zipkin JSON/);
      const notList = await request(zipkinPort, { path: '/api/v2/spans', headers: { 'content-type': 'application/json' }, body: '{"traceId":"1"}' });
      assert.strictEqual(notList.status, 400);
      const proto = await request(zipkinPort, { path: '/api/v2/spans', headers: { 'content-type': 'application/x-protobuf' }, body: 'x' });
      assert.strictEqual(proto.status, 415);
      assert.strictEqual((await request(zipkinPort, { path: '/api/v1/spans', headers: { 'content-type': 'application/json' }, body: '[]' })).status, 404);
      assert.strictEqual((await request(zipkinPort, { path: '/api/v2/spans', method: 'GET' })).status, 405);
      await stillAcceptsGoodData();
    });
  });
});
