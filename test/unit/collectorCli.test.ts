// `spanlens collect` as a user runs it: a child process, real exporters sending load over three
// protocols, SIGTERM, and then the --out file must hold every span and the summary the counts.
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { startCollector, CollectorStartError } from '../../src/core/collector';
import { importTraceFile } from '../../src/core/importers/importFile';
import { buildCollectorBundles } from '../support/collectorBuild';
import { exportSpans, makeExporter, makeSdkSpans, spanKeys, type Protocol } from '../support/otelSend';

interface Running {
  child: ChildProcess;
  ready: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Children still running when a test ends (a failed assertion) are stopped, not leaked. */
const children = new Set<ChildProcess>();

function runCli(args: string[]): Promise<Running> {
  const { collectCli } = buildCollectorBundles();
  const child = spawn(process.execPath, [collectCli, 'collect', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const first = !out.includes('\n');
      out += d.toString();
      if (first && out.includes('\n')) resolve({ child, ready: out.split('\n')[0], stdout: () => out, stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`collect exited (${code}) before it was ready: ${err}`)));
  });
}

/** traceId/spanId of every span in an OTLP JSON Lines file, read without the importers. */
function spanKeysInJsonl(file: string): { keys: string[]; lines: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const keys: string[] = [];
  for (const l of lines) {
    const td = JSON.parse(l) as { resourceSpans: { scopeSpans: { spans: { traceId: string; spanId: string }[] }[] }[] };
    for (const rs of td.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) keys.push(`${s.traceId.toLowerCase()}/${s.spanId.toLowerCase()}`);
  }
  return { keys, lines: lines.length };
}

describe('spanlens collect (CLI)', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-collect-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  it('prints one ready line with the chosen ports, writes every span to --out, and on SIGTERM flushes, summarises and exits 0', async () => {
    const out = path.join(dir, 'collected.jsonl');
    const run = await runCli(['--http-port', '0', '--grpc-port', '0', '--zipkin-port', '0', '--out', out, '--max-spans', '500']);
    const m = /OTLP\/HTTP 127\.0\.0\.1:(\d+), OTLP\/gRPC 127\.0\.0\.1:(\d+), Zipkin 127\.0\.0\.1:(\d+); appending to (.*) \(Ctrl\+C to stop\)$/.exec(run.ready);
    assert.ok(m, run.ready);
    const ports = { otlpHttp: Number(m[1]), otlpGrpc: Number(m[2]), zipkin: Number(m[3]) };
    assert.ok(ports.otlpHttp > 0 && ports.otlpGrpc > 0 && ports.zipkin > 0);

    // Load: one exporter per protocol/compression, all at once, several batches each.
    const protocols: [Protocol, boolean][] = [
      ['http/protobuf', false],
      ['http/protobuf', true],
      ['http/json', true],
      ['grpc', false],
      ['grpc', true],
      ['zipkin', false],
    ];
    const sent: string[] = [];
    let batches = 0;
    await Promise.all(
      protocols.map(async ([protocol, gzip], p) => {
        const exporter = makeExporter(protocol, ports, gzip);
        for (let b = 0; b < 4; b++) {
          const spans = makeSdkSpans(10, 10, `cli-${p}`);
          await exportSpans(exporter, spans);
          sent.push(...spanKeys(spans));
          batches++;
        }
        await exporter.shutdown();
      }),
    );
    run.child.kill('SIGTERM');
    assert.strictEqual(await run.exit, 0, run.stderr());
    const summary = run.stdout().split('\n').slice(1).join('\n');
    assert.match(summary, new RegExp(`Received ${sent.length} spans in ${sent.length / 10} traces from ${batches} requests`));
    assert.match(summary, /No requests rejected/);
    assert.match(summary, /evicted \d+ traces .* past --max-spans 500/);
    assert.match(summary, new RegExp(`Wrote ${batches} batches`));
    const written = spanKeysInJsonl(out);
    assert.strictEqual(written.lines, batches, 'one TracesData line per received batch');
    assert.deepStrictEqual(written.keys.sort(), sent.sort(), 'every span sent is in --out exactly once, evicted or not');
    const reopened = importTraceFile(new Uint8Array(fs.readFileSync(out)), { fileName: out });
    assert.strictEqual(reopened.spanCount, sent.length);
    assert.strictEqual(reopened.traces.length, sent.length / 10);
  });

  it('names a busy port and what to do, and exits non-zero', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const { collectCli } = buildCollectorBundles();
      const child = spawn(process.execPath, [collectCli, 'collect', '--http-port', String(busy), '--grpc-port', '0', '--zipkin-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      assert.strictEqual(code, 4);
      assert.match(err, new RegExp(`port ${busy} on 127\\.0\\.0\\.1 is in use \\(another VS Code window or a collector\\?\\).*--http-port 0`));

      await assert.rejects(
        startCollector({ httpPort: null, grpcPort: busy, zipkinPort: null, inProcess: true }),
        (e: unknown) => e instanceof CollectorStartError && e.failure.code === 'port-in-use' && e.failure.receiver === 'otlpGrpc' && e.failure.port === busy,
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses bad arguments with the usage', async () => {
    const { collectCli } = buildCollectorBundles();
    const child = spawn(process.execPath, [collectCli, 'collect', '--http-port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    assert.strictEqual(await new Promise<number | null>((r) => child.on('exit', r)), 1);
    assert.match(err, /--http-port takes a whole number from 0 to 65535, got "abc"\nusage: spanlens collect/);
  });
});
