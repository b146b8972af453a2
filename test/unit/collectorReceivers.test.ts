// The collector's receivers against the real OpenTelemetry JS exporters, over loopback, in the
// worker thread the product uses: every span sent arrives exactly once, over every protocol, with
// and without gzip.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { importTraceFile } from '../../src/core/importers/importFile';
import { startCollector, type CollectorHandle } from '../../src/core/collector';
import { buildCollectorBundles } from '../support/collectorBuild';
import { exportSpans, makeExporter, makeSdkSpans, spanKeys, type Protocol } from '../support/otelSend';

async function storedKeys(c: CollectorHandle): Promise<string[]> {
  const file = await c.store.traceFile();
  return file.traces.flatMap((t) => t.spans.map((s) => `${s.traceId}/${s.spanId}`));
}

describe('collector receivers (real exporters, worker thread)', function () {
  this.timeout(60_000);
  let c: CollectorHandle;

  before(async () => {
    const { workerScript } = buildCollectorBundles();
    c = await startCollector({ httpPort: 0, grpcPort: 0, zipkinPort: 0, workerScript });
  });
  after(async () => {
    await c?.stop();
  });
  beforeEach(async () => {
    await c.store.clear();
  });

  it('binds ephemeral ports and reports them', () => {
    assert.ok(c.ports.otlpHttp! > 0 && c.ports.otlpGrpc! > 0 && c.ports.zipkin! > 0);
    assert.strictEqual(c.endpoints.otlpHttp, `http://127.0.0.1:${c.ports.otlpHttp}`);
  });

  const cases: [Protocol, boolean][] = [
    ['http/protobuf', false],
    ['http/protobuf', true],
    ['http/json', false],
    ['http/json', true],
    ['grpc', false],
    ['grpc', true],
    ['zipkin', false],
  ];
  for (const [protocol, gzip] of cases) {
    it(`${protocol}${gzip ? ' + gzip' : ''}: every span sent arrives exactly once`, async () => {
      const spans = makeSdkSpans(20, 15, `svc-${protocol}`);
      const exporter = makeExporter(protocol, c.ports, gzip);
      // Two batches with traces split across them, as a BatchSpanProcessor would send them.
      await exportSpans(exporter, spans.slice(0, 137));
      await exportSpans(exporter, spans.slice(137));
      await exporter.shutdown();
      const got = (await storedKeys(c)).sort();
      assert.deepStrictEqual(got, spanKeys(spans).sort());
      const summaries = await c.store.summaries();
      assert.strictEqual(summaries.length, 20);
      assert.ok(summaries.every((s) => s.spanCount === 15 && s.rootName.startsWith('GET /cart/')), JSON.stringify(summaries[0]));
    });
  }
});

describe('collector output file, export and change events', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-collector-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends one TracesData line per accepted batch (every protocol) and the file reopens with every span', async () => {
    const outputFile = path.join(dir, 'received.jsonl');
    const { workerScript } = buildCollectorBundles();
    const c = await startCollector({ httpPort: 0, grpcPort: 0, zipkinPort: 0, outputFile, workerScript });
    const sent: string[] = [];
    for (const protocol of ['http/json', 'http/protobuf', 'grpc', 'zipkin'] as Protocol[]) {
      const spans = makeSdkSpans(3, 6, `out-${protocol}`);
      const e = makeExporter(protocol, c.ports);
      await exportSpans(e, spans);
      await e.shutdown();
      sent.push(...spanKeys(spans));
    }
    const stats = await c.stop();
    assert.strictEqual(stats.outputFile?.lines, 4);
    const text = fs.readFileSync(outputFile, 'utf8');
    assert.strictEqual(text.trimEnd().split('\n').length, 4);
    const file = importTraceFile(new Uint8Array(fs.readFileSync(outputFile)), { fileName: outputFile });
    assert.strictEqual(file.format, 'otlp-jsonl');
    assert.deepStrictEqual(file.traces.flatMap((t) => t.spans.map((s) => `${s.traceId}/${s.spanId}`)).sort(), sent.sort());
    const checkout = file.traces.find((t) => t.services.includes('out-http/protobuf'))!;
    assert.strictEqual(checkout.spans.length, 6);
    assert.match(checkout.rootName, /^GET \/cart\//);
  });

  it('exports the stored traces as OTLP JSON Lines that reopen, one TracesData per trace', async () => {
    const { workerScript } = buildCollectorBundles();
    const c = await startCollector({ httpPort: 0, grpcPort: null, zipkinPort: null, workerScript });
    try {
      const spans = makeSdkSpans(5, 4, 'export-me');
      const e = makeExporter('http/protobuf', c.ports);
      await exportSpans(e, spans);
      await e.shutdown();
      const out = path.join(dir, 'export.jsonl');
      const r = await c.store.exportJsonLines(out);
      assert.deepStrictEqual([r.traces, r.spans], [5, 20]);
      const file = importTraceFile(new Uint8Array(fs.readFileSync(out)), { fileName: out });
      assert.strictEqual(fs.readFileSync(out, 'utf8').trimEnd().split('\n').length, 5);
      assert.deepStrictEqual(file.traces.flatMap((t) => t.spans.map((s) => `${s.traceId}/${s.spanId}`)).sort(), spanKeys(spans).sort());
      const t = await c.store.getTrace(file.traces[0].traceId);
      assert.strictEqual(t?.spans.length, 4);
    } finally {
      await c.stop();
    }
  });

  it('emits change events naming new and evicted traces, and when eviction starts', async () => {
    const { workerScript } = buildCollectorBundles();
    const c = await startCollector({ httpPort: 0, grpcPort: null, zipkinPort: null, workerScript, maxSpans: 50, changeIntervalMs: 20 });
    try {
      const changed = new Set<string>();
      const evicted = new Set<string>();
      let evictionStarted = 0;
      c.onDidChange((ch) => {
        ch.changed.forEach((id) => changed.add(id));
        ch.evicted.forEach((id) => evicted.add(id));
        if (ch.evictionStarted) evictionStarted++;
      });
      const e = makeExporter('http/protobuf', c.ports);
      const first = makeSdkSpans(5, 10);
      await exportSpans(e, first);
      const second = makeSdkSpans(2, 10);
      await exportSpans(e, second);
      await e.shutdown();
      const stats = await c.stop();
      const firstIds = [...new Set(first.map((s) => s.spanContext().traceId))];
      assert.deepStrictEqual([...changed].sort(), [...firstIds, ...new Set(second.map((s) => s.spanContext().traceId))].sort());
      assert.deepStrictEqual([...evicted].sort(), firstIds.slice(0, 2).sort(), 'the two oldest traces went, whole');
      assert.strictEqual(evictionStarted, 1);
      assert.deepStrictEqual([stats.storedSpans, stats.evictedTraces, stats.evictedSpans, stats.evicting], [50, 2, 20, true]);
      assert.strictEqual(stats.spansReceived, 70, 'evicted spans were received and counted');
    } finally {
      await c.stop();
    }
  });

  it('stop() answers and keeps a request that was still uploading, and writes it to the output file', async () => {
    const outputFile = path.join(dir, 'inflight.jsonl');
    const { workerScript } = buildCollectorBundles();
    const c = await startCollector({ httpPort: 0, grpcPort: null, zipkinPort: null, workerScript, outputFile });
    const spans = makeSdkSpans(2, 3, 'slow-upload');
    const body = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    let resolveStatus: (n: number) => void = () => undefined;
    const status = new Promise<number>((r) => (resolveStatus = r));
    const req = http.request({ host: '127.0.0.1', port: c.ports.otlpHttp, method: 'POST', path: '/v1/traces', headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length }, agent: false }, (res) => {
      res.resume();
      resolveStatus(res.statusCode ?? 0);
    });
    req.write(body.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    const stopping = c.stop();
    await new Promise((r) => setTimeout(r, 50));
    req.end(body.subarray(10));
    assert.strictEqual(await status, 200);
    const stats = await stopping;
    assert.strictEqual(stats.spansReceived, 6);
    const file = importTraceFile(new Uint8Array(fs.readFileSync(outputFile)), { fileName: outputFile });
    assert.strictEqual(file.spanCount, 6);
  });
});
