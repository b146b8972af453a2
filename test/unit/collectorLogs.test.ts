// The dev collector stores OTLP logs (issue 12): the real OpenTelemetry JS logs SDK and its three
// OTLP exporters send records emitted inside real spans, and the collector's store must give each
// trace its records with the body, severity, attributes and ids the SDK sent. Bad bodies are refused
// as for traces; the log store has its own bound; the output file gets one LogsData line per batch.
import * as assert from 'assert';
import { type ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Pbf from 'pbf';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTraceResponse } from '../../src/core/otlp/codec';
import { startCollector, type CollectorHandle } from '../../src/core/collector';
import { importTraceFile } from '../../src/core/importers/importFile';
import { buildCollectorBundles } from '../support/collectorBuild';
import { decodeStatus, grpcRaw, request } from '../support/httpRaw';
import { exportLogs, type LogProtocol, makeLogExporter, makeSdkLogs, modelLogView, sdkLogView } from '../support/otelLogs';
import { exportSpans, makeExporter } from '../support/otelSend';

const LOGS_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

function jsonLogs(records: object[]): string {
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw' } }] }, scopeLogs: [{ scope: { name: 's' }, logRecords: records }] }] });
}

describe('collector logs (real SDK exporters, worker thread)', function () {
  this.timeout(60_000);
  let c: CollectorHandle;

  before(async () => {
    const { workerScript } = buildCollectorBundles();
    c = await startCollector({ httpPort: 0, grpcPort: 0, zipkinPort: null, maxRequestBytes: 64 * 1024, workerScript });
  });
  after(async () => {
    await c?.stop();
  });
  beforeEach(async () => {
    await c.store.clear();
  });

  const cases: [LogProtocol, boolean][] = [
    ['http/protobuf', false],
    ['http/protobuf', true],
    ['http/json', false],
    ['http/json', true],
    ['grpc', false],
    ['grpc', true],
  ];
  for (const [protocol, gzip] of cases) {
    it(`${protocol}${gzip ? ' + gzip' : ''}: each trace gets the records emitted in its spans, exactly as sent`, async () => {
      const sdk = makeSdkLogs(4, `logs-${protocol}`);
      const before = await c.refreshStats();
      const spanExporter = makeExporter(protocol, c.ports, gzip);
      await exportSpans(spanExporter, sdk.spans);
      await spanExporter.shutdown();
      const exporter = makeLogExporter(protocol, c.ports, gzip);
      await exportLogs(exporter, sdk.records.slice(0, 5));
      await exportLogs(exporter, sdk.records.slice(5));
      await exporter.shutdown();

      const all = await c.store.allLogs();
      assert.deepStrictEqual(all.map(modelLogView), sdk.records.map(sdkLogView));
      for (const span of sdk.spans) {
        const { traceId, spanId } = span.spanContext();
        const mine = (await c.store.logsForTrace(traceId)).filter((r) => r.spanId === spanId);
        const sent = sdk.records.filter((r) => r.spanContext?.spanId === spanId);
        assert.strictEqual(mine.length, 1, `one record in span ${span.name}`);
        assert.deepStrictEqual(mine.map(modelLogView), sent.map(sdkLogView));
      }
      const err = all.find((r) => r.severityText === 'ERROR')!;
      assert.deepStrictEqual(modelLogView(err).body, { message: 'card declined for order 0', code: 402 });
      assert.strictEqual(err.eventName, 'payment.failed');
      assert.strictEqual(err.resource.serviceName, `logs-${protocol}`);
      // The trace file of a trace carries its records, for the editor.
      const traceId = sdk.spans[0].spanContext().traceId;
      const tf = await c.store.traceFile([traceId]);
      assert.strictEqual(tf.traces.length, 1);
      assert.deepStrictEqual(tf.logs!.map((r) => r.body), ['order 0 received', { kvlist: [{ key: 'message', value: 'card declined for order 0' }, { key: 'code', value: 402n }] }]);
      const s = await c.refreshStats();
      assert.deepStrictEqual([s.logsRequests - before.logsRequests, s.logsReceived - before.logsReceived, s.logsStored], [2, sdk.records.length, sdk.records.length]);
    });
  }

  it('clearing the store clears the logs', async () => {
    await exportLogs(makeLogExporter('http/json', c.ports), makeSdkLogs(1).records);
    assert.strictEqual((await c.store.allLogs()).length, 3);
    await c.store.clear();
    assert.deepStrictEqual(await c.store.allLogs(), []);
    assert.strictEqual((await c.refreshStats()).logsStored, 0);
  });

  it('bad bodies: 400 naming what is wrong, 413 over the limit, 415 unknown content type', async () => {
    const port = c.ports.otlpHttp!;
    const notLogs = await request(port, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans":[]}' });
    assert.strictEqual(notLogs.status, 400);
    assert.match(JSON.parse(notLogs.body.toString()).message, /ExportLogsServiceRequest: expected "resourceLogs", found resourceSpans \(this is a trace request: POST it to \/v1\/traces\)/);
    const wrongPath = await request(port, { path: '/v1/traces', headers: { 'content-type': 'application/json' }, body: jsonLogs([]) });
    assert.strictEqual(wrongPath.status, 400);
    assert.match(JSON.parse(wrongPath.body.toString()).message, /this is a logs request: POST it to \/v1\/logs/);
    const broken = await request(port, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body: '{"resourceLogs": [' });
    assert.strictEqual(broken.status, 400);
    assert.match(JSON.parse(broken.body.toString()).message, /not OTLP JSON/);
    // A truncated protobuf request: the message names the field path (answered in protobuf).
    const good = Buffer.from(ProtobufLogsSerializer.serializeRequest(makeSdkLogs(1).records)!);
    const cut = await request(port, { path: '/v1/logs', headers: { 'content-type': 'application/x-protobuf' }, body: good.subarray(0, good.length - 3) });
    assert.strictEqual(cut.status, 400);
    assert.match(decodeStatus(cut.body).message, /ExportLogsServiceRequest: resource_logs\[0\]/);
    const big = await request(port, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body: jsonLogs([{ body: { stringValue: 'x'.repeat(70 * 1024) } }]) });
    assert.strictEqual(big.status, 413);
    const media = await request(port, { path: '/v1/logs', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.strictEqual(media.status, 415);
    assert.match(JSON.parse(media.body.toString()).message, /unsupported Content-Type "text\/plain"/);
    const grpc = await grpcRaw(c.ports.otlpGrpc!, LOGS_PATH, good.subarray(0, good.length - 3));
    assert.strictEqual(grpc.grpcStatus, 3 /* INVALID_ARGUMENT */);
    assert.match(grpc.grpcMessage, /ExportLogsServiceRequest/);
    assert.deepStrictEqual(await c.store.allLogs(), []);
    const s = await c.refreshStats();
    assert.ok((s.rejected.undecodable ?? 0) >= 5 && (s.rejected['too-large'] ?? 0) >= 1 && (s.rejected['unsupported-media-type'] ?? 0) >= 1, JSON.stringify(s.rejected));
  });

  it('a record with a bad trace id is kept without it; partial success says so (0 rejected, with a message)', async () => {
    const body = jsonLogs([
      { timeUnixNano: '1', traceId: 'abc', spanId: '0102030405060708', body: { stringValue: 'odd id' } },
      { timeUnixNano: '2', body: { stringValue: 'fine' } },
    ]);
    const json = await request(c.ports.otlpHttp!, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body });
    assert.strictEqual(json.status, 200);
    const ps = JSON.parse(json.body.toString()).partialSuccess;
    assert.strictEqual(ps.rejectedLogRecords, '0');
    assert.match(ps.errorMessage, /invalid traceId .*"abc"/);
    const stored = await c.store.allLogs();
    assert.deepStrictEqual(
      stored.map((r) => [r.body, r.traceId, r.spanId]),
      [
        ['odd id', undefined, '0102030405060708'],
        ['fine', undefined, undefined],
      ],
    );
    // The same over gRPC, in the protobuf response (its layout is ExportTraceServiceResponse's).
    const p = new Pbf();
    p.writeMessage(1, (_: unknown, rl: Pbf) => rl.writeMessage(2, (__: unknown, sl: Pbf) => sl.writeMessage(2, (___: unknown, r: Pbf) => {
      r.writeBytesField(9, Buffer.from([1, 2, 3]));
      r.writeStringField(3, 'INFO');
    }, null), null), null);
    const odd = await grpcRaw(c.ports.otlpGrpc!, LOGS_PATH, Buffer.from(p.finish()));
    assert.strictEqual(odd.grpcStatus, 0);
    const res = decodeTraceResponse(odd.body.subarray(5));
    assert.strictEqual(res.partialSuccess?.rejectedSpans, 0n);
    assert.match(res.partialSuccess!.errorMessage, /invalid traceId .*"010203"/);
    const pb = Buffer.from(ProtobufLogsSerializer.serializeRequest(makeSdkLogs(1).records)!);
    const ok = await grpcRaw(c.ports.otlpGrpc!, LOGS_PATH, pb);
    assert.strictEqual(ok.grpcStatus, 0);
    assert.strictEqual(ok.body.length, 5, 'the empty ExportLogsServiceResponse (a bare gRPC frame): full success');
  });
});

describe('collector logs: bound, output file, redaction (in process)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-logs-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a change event names the traces that received log records', async () => {
    const c = await startCollector({ httpPort: 0, grpcPort: null, zipkinPort: null, changeIntervalMs: 10, inProcess: true });
    try {
      const named = new Set<string>();
      c.onDidChange((ch) => ch.logsChanged.forEach((id) => named.add(id)));
      const sdk = makeSdkLogs(2);
      await exportLogs(makeLogExporter('http/json', c.ports), sdk.records);
      for (let i = 0; i < 100 && named.size < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepStrictEqual([...named].sort(), [...new Set(sdk.spans.map((s) => s.spanContext().traceId))].sort());
    } finally {
      await c.stop();
    }
  });

  it('maxLogs bounds the records apart from the spans; the oldest go first', async () => {
    const c = await startCollector({ httpPort: 0, grpcPort: null, zipkinPort: null, maxLogs: 4, inProcess: true });
    try {
      const sdk = makeSdkLogs(3); // 7 records: 2 per trace, then one without a trace
      await exportSpans(makeExporter('http/protobuf', c.ports), sdk.spans);
      await exportLogs(makeLogExporter('http/protobuf', c.ports), sdk.records);
      const kept = await c.store.allLogs();
      assert.deepStrictEqual(kept.map(modelLogView), sdk.records.slice(3).map(sdkLogView));
      assert.deepStrictEqual(await c.store.logsForTrace(sdk.records[0].spanContext!.traceId), []);
      assert.strictEqual((await c.store.logsForTrace(sdk.records[5].spanContext!.traceId)).length, 2);
      const s = await c.refreshStats();
      assert.deepStrictEqual([s.logsReceived, s.logsStored, s.maxLogs, s.evictedLogs, s.storedSpans], [7, 4, 4, 3, sdk.spans.length]);
    } finally {
      await c.stop();
    }
  });

  it('the output file gets one LogsData line per logs batch beside the trace lines, and reopens with both, ids and bodies exact', async () => {
    const out = path.join(dir, 'both.jsonl');
    const c = await startCollector({ httpPort: 0, grpcPort: 0, zipkinPort: null, outputFile: out, inProcess: true });
    const sdk = makeSdkLogs(3);
    try {
      await exportSpans(makeExporter('grpc', c.ports), sdk.spans);
      await exportLogs(makeLogExporter('grpc', c.ports), sdk.records.slice(0, 4));
      await exportLogs(makeLogExporter('http/json', c.ports), sdk.records.slice(4));
    } finally {
      await c.stop();
    }
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.deepStrictEqual(
      lines.map((l) => Object.keys(JSON.parse(l))[0]),
      ['resourceSpans', 'resourceLogs', 'resourceLogs'],
    );
    const f = importTraceFile(fs.readFileSync(out), { fileName: out });
    assert.strictEqual(f.spanCount, sdk.spans.length);
    assert.deepStrictEqual(f.logs!.map(modelLogView), sdk.records.map(sdkLogView));
  });

  it('outputRedaction redacts log bodies and attributes in the file (the store keeps them as received)', async () => {
    const out = path.join(dir, 'redacted.jsonl');
    const c = await startCollector({ httpPort: 0, grpcPort: null, zipkinPort: null, outputFile: out, outputRedaction: {}, inProcess: true });
    const secret = 'alice@example.com';
    try {
      const body = jsonLogs([{ timeUnixNano: '1', body: { stringValue: `login by ${secret}` }, attributes: [{ key: 'user.email', value: { stringValue: secret } }] }]);
      assert.strictEqual((await request(c.ports.otlpHttp!, { path: '/v1/logs', headers: { 'content-type': 'application/json' }, body })).status, 200);
      assert.strictEqual((await c.store.allLogs())[0].body, `login by ${secret}`);
    } finally {
      await c.stop();
    }
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(!text.includes(secret), text);
    const r = importTraceFile(Buffer.from(text)).logs![0];
    assert.match(String(r.body), /^login by <redacted:email/);
    assert.match(String(r.attributes[0].value), /^<redacted:email/);
  });
});

describe('spanlens collect --out with logs (CLI)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-collect-logs-'));
  let child: ChildProcess | undefined;
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => child?.kill('SIGKILL'));

  it('writes the log lines into the --out file with the traces; the file reopens with both; the summary counts the records', async () => {
    const out = path.join(dir, 'collected.jsonl');
    const { collectCli } = buildCollectorBundles();
    const proc = spawn(process.execPath, [collectCli, 'collect', '--http-port', '0', '--grpc-port', '0', '--zipkin-port', '0', '--out', out, '--max-logs', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => proc.on('exit', resolve));
    const ready = await new Promise<string>((resolve, reject) => {
      proc.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
      });
      void exit.then((code) => reject(new Error(`collect exited (${code}): ${stderr}`)));
    });
    const m = /OTLP\/HTTP 127\.0\.0\.1:(\d+), OTLP\/gRPC 127\.0\.0\.1:(\d+)/.exec(ready);
    assert.ok(m, ready);
    const ports = { otlpHttp: Number(m[1]), otlpGrpc: Number(m[2]) };
    const sdk = makeSdkLogs(5, 'cli-logs');
    await exportSpans(makeExporter('http/protobuf', ports), sdk.spans);
    const protocols: LogProtocol[] = ['http/protobuf', 'http/json', 'grpc'];
    const per = Math.ceil(sdk.records.length / protocols.length);
    for (let i = 0; i < protocols.length; i++) await exportLogs(makeLogExporter(protocols[i], ports), sdk.records.slice(i * per, (i + 1) * per));
    proc.kill('SIGTERM');
    assert.strictEqual(await exit, 0, stderr);
    assert.match(stdout, new RegExp(`Received ${sdk.records.length} log records from 3 logs requests`));
    const f = importTraceFile(fs.readFileSync(out), { fileName: out });
    assert.strictEqual(f.spanCount, sdk.spans.length);
    assert.deepStrictEqual(f.logs!.map(modelLogView), sdk.records.map(sdkLogView));
  });
});
