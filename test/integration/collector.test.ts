// The dev collector in the real VS Code: started from the command palette, fed by the real
// OpenTelemetry JS exporters over OTLP/HTTP (protobuf and JSON), OTLP/gRPC and Zipkin, with and
// without gzip. Checks what the user sees: the Collected view's rows, the live waterfall (and that
// it grows), the CodeLens counts, the status bar, the environment for terminals and debug
// sessions, export, eviction and the busy-port dialog. Ports are 0 (free ports) in user settings,
// so a collector in another window or on the default ports cannot interfere.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace as otelTrace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { decodeTraceRequest } from '../../src/core/otlp/codec';
import { exportSpans, makeExporter, makeSdkSpans, Protocol } from '../support/otelSend';
import { closeAllEditors, openInSpanlens, panelInfo, PanelInfo, waitFor } from './helpers';

interface Row {
  traceId: string;
  label: string;
  description: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}
interface Collected {
  state: string;
  ports?: { host: string; otlpHttp?: number; otlpGrpc?: number; zipkin?: number };
  endpoints?: { otlpHttp?: string; otlpGrpc?: string; zipkin?: string };
  stats?: { spansReceived: number; storedSpans: number; evictedSpans: number; evicting: boolean };
  filter: { service?: string; errorsOnly: boolean };
  rows: Row[];
  statusBar: { text: string };
}
interface ShownMessage {
  kind: string;
  severity: string;
  text: string;
  items: string[];
}

const SETTINGS = ['host', 'httpPort', 'grpcPort', 'zipkinPort', 'maxSpans', 'forwardTo', 'autoStart'] as const;
const WS = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const RUN_DIR = path.join(WS || os.tmpdir(), `.spanlens-collector-test-${process.pid}`);

const config = () => vscode.workspace.getConfiguration('spanlens.collector');
const collected = () => vscode.commands.executeCommand<Collected>('spanlens._test.collectedTraces');
const messages = (clear = false) => vscode.commands.executeCommand<ShownMessage[]>('spanlens._test.lastMessages', { clear });
const start = () => vscode.commands.executeCommand<boolean>('spanlens.startCollector');
const stop = () => vscode.commands.executeCommand('spanlens.stopCollector');

async function setPorts(p: { httpPort?: number; grpcPort?: number; zipkinPort?: number; maxSpans?: number }): Promise<void> {
  const c = config();
  await c.update('httpPort', p.httpPort ?? 0, vscode.ConfigurationTarget.Global);
  await c.update('grpcPort', p.grpcPort ?? 0, vscode.ConfigurationTarget.Global);
  await c.update('zipkinPort', p.zipkinPort ?? 0, vscode.ConfigurationTarget.Global);
  await c.update('maxSpans', p.maxSpans ?? 10_000, vscode.ConfigurationTarget.Global);
}

async function send(protocol: Protocol, gzip: boolean, spans: ReadableSpan[]): Promise<void> {
  const c = await collected();
  const exporter: SpanExporter = makeExporter(protocol, c.ports!, gzip);
  try {
    await exportSpans(exporter, spans);
  } finally {
    await exporter.shutdown();
  }
}

/** Spans made with the SDK: children of `parent` (an existing trace), or whole traces. */
function sdkSpans(service: string, count: number, opts: { parent?: { traceId: string; spanId: string }; code?: { file: string; line: number; fn: string }; errorEvery?: number } = {}): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('spanlens-collector-test');
  const ctx = opts.parent ? otelTrace.setSpanContext(ROOT_CONTEXT, { traceId: opts.parent.traceId, spanId: opts.parent.spanId, traceFlags: 1 }) : ROOT_CONTEXT;
  for (let i = 0; i < count; i++) {
    const attributes = opts.code ? { 'code.filepath': opts.code.file, 'code.lineno': opts.code.line, 'code.function': opts.code.fn } : {};
    const s = tracer.startSpan(`${opts.code?.fn ?? 'late child'} ${i}`, { kind: SpanKind.INTERNAL, attributes }, ctx);
    if (opts.errorEvery && i % opts.errorEvery === 0) s.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    s.end();
  }
  return memory.getFinishedSpans().slice();
}

const traceIdsOf = (spans: readonly ReadableSpan[]) => [...new Set(spans.map((s) => s.spanContext().traceId))];

/** Waits until the view lists every trace of `spans` with all of its spans. */
async function waitForRows(spans: readonly ReadableSpan[], what: string): Promise<Collected> {
  const want = new Map<string, number>();
  for (const s of spans) want.set(s.spanContext().traceId, (want.get(s.spanContext().traceId) ?? 0) + 1);
  let last: Collected | undefined;
  return waitFor(`the Collected view to list every trace of ${what}`, async () => {
    last = await collected();
    const rows = new Map(last.rows.map((r) => [r.traceId, r]));
    return [...want].every(([id, n]) => rows.get(id)?.spanCount === n) ? last : undefined;
  }).catch((e: Error) => {
    throw new Error(`${e.message}; rows: ${JSON.stringify(last?.rows.slice(0, 10))}`);
  });
}

async function waitForPanelOf(traceId: string, spanCount: number): Promise<PanelInfo> {
  let last: PanelInfo | undefined;
  return waitFor(`the waterfall of collected trace ${traceId} to show ${spanCount} spans`, async () => {
    last = await panelInfo();
    return last && last.uri.includes(traceId) && last.state === 'loaded' && last.spanCount === spanCount ? last : undefined;
  }, 20_000).catch((e: Error) => {
    throw new Error(`${e.message}; last panel: ${JSON.stringify(last && { uri: last.uri, state: last.state, spanCount: last.spanCount, error: last.error })}`);
  });
}

describe('Dev collector in the editor (real OTel exporters, all protocols)', function () {
  this.timeout(120_000);
  const sent: ReadableSpan[] = [];

  before(async () => {
    fs.mkdirSync(RUN_DIR, { recursive: true });
    await setPorts({});
  });

  after(async () => {
    await stop();
    await vscode.commands.executeCommand('spanlens._test.queueAnswers', []);
    for (const k of SETTINGS) await config().update(k, undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
  });

  it('starts from the command palette on free ports, and the status bar names them', async () => {
    assert.strictEqual(await start(), true);
    const c = await collected();
    assert.strictEqual(c.state, 'running');
    const p = c.ports!;
    for (const port of [p.otlpHttp, p.otlpGrpc, p.zipkin]) assert.ok(port && port > 0, JSON.stringify(p));
    assert.strictEqual(p.host, '127.0.0.1');
    for (const port of [p.otlpHttp, p.otlpGrpc, p.zipkin]) assert.ok(c.statusBar.text.includes(`:${port}`), c.statusBar.text);
    assert.match(c.statusBar.text, /spans\/s/);
  });

  const matrix: [Protocol, boolean][] = [
    ['http/protobuf', false],
    ['http/protobuf', true],
    ['http/json', false],
    ['http/json', true],
    ['grpc', false],
    ['grpc', true],
    ['zipkin', false],
  ];
  for (const [protocol, gzip] of matrix) {
    it(`lists every span sent over ${protocol}${gzip ? ' with gzip' : ''} in the Collected view`, async () => {
      const service = `svc-${protocol.replace('/', '-')}${gzip ? '-gzip' : ''}`;
      const spans = makeSdkSpans(3, 12, service);
      await send(protocol, gzip, spans);
      sent.push(...spans);
      const c = await waitForRows(spans, `${protocol}${gzip ? '+gzip' : ''}`);
      for (const id of traceIdsOf(spans)) {
        const row = c.rows.find((r) => r.traceId === id)!;
        const svc = service;
        // Named by root span and service, not by the hex id (issue 10); the id is in the description.
        assert.match(row.label, new RegExp(`^GET /cart/\\d · ${svc}$`, 'i'), JSON.stringify(row));
        assert.ok(row.services.includes(svc), JSON.stringify(row));
        assert.strictEqual(row.errorCount, 1, JSON.stringify(row));
        assert.match(row.description, new RegExp(`^\\S+ (ns|µs|ms|s) · 12 spans · 1 error · \\d+ (s|min) ago · ${id.slice(0, 8)}$`), row.description);
      }
    });
  }

  it('loses nothing while under maxSpans: every span sent is stored, none evicted', async () => {
    const c = await collected();
    assert.strictEqual(c.stats!.storedSpans, sent.length);
    assert.strictEqual(c.stats!.evictedSpans, 0);
    const listed = c.rows.filter((r) => traceIdsOf(sent).includes(r.traceId)).reduce((n, r) => n + r.spanCount, 0);
    assert.strictEqual(listed, sent.length);
    assert.doesNotMatch(c.statusBar.text, /evicting/);
  });

  it('filters the view by service and by errors only', async () => {
    await vscode.commands.executeCommand('spanlens._test.collectedView', { service: 'svc-grpc-gzip', errorsOnly: false });
    let c = await collected();
    assert.strictEqual(c.rows.length, 3);
    assert.ok(c.rows.every((r) => r.services.includes('svc-grpc-gzip')));
    // A clean trace next to the others: errors only must hide it.
    const clean = sdkSpans('svc-clean', 2);
    await send('http/protobuf', false, clean);
    sent.push(...clean);
    await vscode.commands.executeCommand('spanlens._test.collectedView', { service: undefined, errorsOnly: false });
    await waitForRows(clean, 'the clean trace');
    await vscode.commands.executeCommand('spanlens._test.collectedView', { errorsOnly: true });
    c = await collected();
    assert.ok(c.rows.length >= 21, `${c.rows.length} rows`);
    assert.ok(c.rows.every((r) => r.errorCount > 0));
    assert.ok(!c.rows.some((r) => r.services.includes('svc-clean')));
    await vscode.commands.executeCommand('spanlens._test.collectedView', { service: undefined, errorsOnly: false });
  });

  it('opens a collected trace in the waterfall, which grows as more of its spans arrive', async () => {
    const first = sent.find((s) => !s.parentSpanContext && s.resource.attributes['service.name'] === 'svc-http-protobuf')!;
    const traceId = first.spanContext().traceId;
    await vscode.commands.executeCommand('spanlens.openCollectedTrace', traceId);
    const info = await waitForPanelOf(traceId, 12);
    assert.strictEqual(info.traceCount, 1);
    assert.deepStrictEqual(info.warnings ?? [], []);
    const late = sdkSpans('svc-late', 3, { parent: { traceId, spanId: first.spanContext().spanId } });
    await send('grpc', true, late);
    sent.push(...late);
    await waitForPanelOf(traceId, 15);
    const row = (await collected()).rows.find((r) => r.traceId === traceId)!;
    assert.strictEqual(row.spanCount, 15);
    assert.deepStrictEqual([...row.services].sort(), ['svc-http-protobuf', 'svc-late']);
    await closeAllEditors();
  });

  it('counts live spans in the CodeLens of the function that made them', async function () {
    if (!WS) this.skip();
    const file = path.join(RUN_DIR, 'liveHandler.js');
    fs.writeFileSync(file, '// A handler traced by the collector test.\nfunction liveHandler(request) {\n  return request;\n}\nmodule.exports = { liveHandler };\n');
    await waitFor('the workspace file index to hold liveHandler.js', async () => (await vscode.commands.executeCommand<boolean>('spanlens._test.sourceIndexHas', file)) || undefined, 20_000);
    const spans = sdkSpans('svc-lens', 7, { code: { file, line: 3, fn: 'liveHandler' }, errorEvery: 3 });
    await send('http/protobuf', true, spans);
    sent.push(...spans);
    const doc = await vscode.workspace.openTextDocument(file);
    /** Waits for the lens above `function liveHandler` (line 2) to show these counts. */
    const lensCounting = async (calls: number, errors: number) => {
      let titles: string[] = [];
      await waitFor(
        `a CodeLens on liveHandler counting ${calls} live spans and ${errors} errors`,
        async () => {
          const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
          const ours = lenses.filter((l) => l.command?.command === 'spanlens.showFunctionSpans');
          titles = ours.map((l) => `line ${l.range.start.line + 1}: ${l.command?.title}`);
          return ours.find((l) => l.range.start.line === 1 && new RegExp(`\\b${calls} calls\\b`).test(l.command!.title) && new RegExp(`\\b${errors} errors\\b`).test(l.command!.title));
        },
        40_000,
      ).catch((e: Error) => {
        throw new Error(`${e.message}; lenses: ${JSON.stringify(titles)}`);
      });
    };
    await lensCounting(7, 3);

    // More requests: the new traces are added to the statistics, the earlier ones not counted twice.
    const more = sdkSpans('svc-lens', 5, { code: { file, line: 3, fn: 'liveHandler' }, errorEvery: 5 });
    await send('http/json', true, more);
    sent.push(...more);
    await lensCounting(12, 4);
  });

  it('opening a collected trace in the waterfall leaves the CodeLens figures and the statistics unchanged', async function () {
    const file = path.join(RUN_DIR, 'liveHandler.js');
    if (!WS || !fs.existsSync(file)) this.skip();
    type Stats = { spans: number; version: number; sources: string[]; duplicateTraces: number };
    const statsInfo = () => vscode.commands.executeCommand<Stats>('spanlens._test.statsInfo');
    const uri = vscode.Uri.file(file);
    const titles = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [])
        .filter((l) => l.command?.command === 'spanlens.showFunctionSpans')
        .map((l) => `line ${l.range.start.line + 1}: ${l.command?.title}`);
    // The figures the previous test waited for, once they hold still (two reads over the debounce).
    let before: string[] = [];
    await waitFor('the CodeLens figures to hold still', async () => {
      const a = await titles();
      await new Promise((r) => setTimeout(r, 400));
      before = await titles();
      return before.length > 0 && JSON.stringify(a) === JSON.stringify(before) ? true : undefined;
    });
    assert.ok(before.some((t) => /\b12 calls\b/.test(t) && /\b4 errors\b/.test(t)), JSON.stringify(before));
    const statsBefore = await statsInfo();

    // One of the traces the lens counts, opened as the Collected view's row does it.
    const lensSpan = sent.find((s) => s.resource.attributes['service.name'] === 'svc-lens')!;
    const traceId = lensSpan.spanContext().traceId;
    const spansOfTrace = sent.filter((s) => s.spanContext().traceId === traceId).length;
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(`spanlens-live:/collected/${traceId}.otlp.json`), 'spanlens.traceViewer');
    const info = await waitForPanelOf(traceId, spansOfTrace);
    assert.ok((info.spanCount ?? 0) > 0, JSON.stringify(info));
    await new Promise((r) => setTimeout(r, 700)); // past the statistics' 300 ms debounce, and a lens refresh

    const after = await titles();
    const statsAfter = await statsInfo();
    assert.deepStrictEqual(after, before, 'CodeLens titles after opening the collected trace');
    assert.strictEqual(statsAfter.spans, statsBefore.spans, `statistics spans (before ${JSON.stringify(statsBefore)}, after ${JSON.stringify(statsAfter)})`);
    await closeAllEditors();
  });

  it('exports the collected traces as OTLP JSON Lines that reopen in the waterfall with every span', async () => {
    const file = path.join(RUN_DIR, 'exported.otlp.jsonl');
    const r = await vscode.commands.executeCommand<{ traces: number; spans: number }>('spanlens.exportCollectedTraces', vscode.Uri.file(file));
    assert.strictEqual(r.spans, sent.length);
    assert.strictEqual(r.traces, traceIdsOf(sent).length);
    const info = await openInSpanlens(vscode.Uri.file(file));
    assert.strictEqual(info.state, 'loaded', JSON.stringify(info.error));
    assert.strictEqual(info.spanCount, sent.length);
    assert.strictEqual(info.traceCount, traceIdsOf(sent).length);
    await closeAllEditors();
  });

  it('sets the OTLP environment for terminals and debug sessions (keeping what launch.json sets), and copies it', async () => {
    const c = await collected();
    const endpoint = `http://127.0.0.1:${c.ports!.otlpHttp}`;
    const env = await vscode.commands.executeCommand<{ terminal: Record<string, string>; debug?: { env?: Record<string, string> } }>('spanlens._test.collectorEnvironment', {
      type: 'node',
      name: 'app',
      request: 'launch',
      env: { OTEL_SERVICE_NAME: 'mine', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin.example:9411' },
    });
    assert.strictEqual(env.terminal.OTEL_EXPORTER_OTLP_ENDPOINT, endpoint);
    assert.strictEqual(env.terminal.OTEL_EXPORTER_OTLP_PROTOCOL, 'http/protobuf');
    assert.deepStrictEqual(env.debug?.env, {
      OTEL_SERVICE_NAME: 'mine',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin.example:9411',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    const text = await vscode.commands.executeCommand<string>('spanlens.copyOtlpEnvironment');
    assert.ok(text.includes(`export OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}\n`), text);
    assert.ok(text.includes('export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n'), text);
    assert.ok(text.includes(`export OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://127.0.0.1:${c.ports!.zipkin}/api/v2/spans`), text);
    assert.strictEqual(await vscode.env.clipboard.readText(), text);

    // The status bar item's menu offers the same, and the rest.
    await vscode.env.clipboard.writeText('');
    await messages(true);
    await vscode.commands.executeCommand('spanlens._test.queueAnswers', ['#3']);
    await vscode.commands.executeCommand('spanlens.collectorMenu');
    const menu = (await messages()).find((m) => m.kind === 'pick');
    assert.ok(menu, 'no menu was shown');
    assert.deepStrictEqual(
      menu.items.map((i) => i.replace(/^\$\([a-z-]+\) /, '').replace(/ — .*$/, '')),
      ['Stop Dev Collector', 'Clear Collected Traces', 'Export Collected Traces…', 'Copy OTLP Environment', 'Open Collected Traces'],
    );
    assert.strictEqual(await vscode.env.clipboard.readText(), text);
  });

  it('clears the collected traces', async () => {
    await vscode.commands.executeCommand('spanlens.clearCollectedTraces');
    await waitFor('an empty Collected view', async () => ((await collected()).rows.length === 0 ? true : undefined));
  });

  it('stops, clearing the environment and hiding the status', async () => {
    await stop();
    const c = await collected();
    assert.strictEqual(c.state, 'stopped');
    assert.deepStrictEqual(c.rows, []);
    const env = await vscode.commands.executeCommand<{ terminal: Record<string, string> }>('spanlens._test.collectorEnvironment');
    assert.deepStrictEqual(env.terminal, {});
  });

  it('shows when the store starts evicting (over maxSpans)', async () => {
    await setPorts({ maxSpans: 50 });
    await messages(true);
    assert.strictEqual(await start(), true);
    await send('http/protobuf', false, makeSdkSpans(10, 10, 'svc-evict'));
    await waitFor('"evicting" in the status bar', async () => (/\$\(warning\) evicting/.test((await collected()).statusBar.text) ? true : undefined));
    const c = await collected();
    assert.ok(c.stats!.storedSpans <= 50, JSON.stringify(c.stats));
    assert.ok(c.stats!.evictedSpans >= 50, JSON.stringify(c.stats));
    const m = await messages();
    assert.ok(m.some((x) => x.severity === 'warning' && /oldest traces are now evicted/.test(x.text)), JSON.stringify(m));
    await stop();
    await setPorts({});
  });

  it('forwards everything received to spanlens.collector.forwardTo, retrying while the upstream fails', async () => {
    // The upstream answers 503 twice, then takes the batches.
    const got: string[] = [];
    let requests = 0;
    const upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (++requests <= 2) {
          res.writeHead(503).end();
          return;
        }
        for (const rs of decodeTraceRequest(Buffer.concat(chunks)).resourceSpans) for (const ss of rs.scopeSpans) for (const sp of ss.spans) got.push(Buffer.from(sp.spanId).toString('hex'));
        res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    try {
      await config().update('forwardTo', `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`, vscode.ConfigurationTarget.Global);
      assert.strictEqual(await start(), true);
      const spans = makeSdkSpans(2, 5, 'svc-forwarded');
      await send('http/protobuf', true, spans);
      // Received and listed at once, whatever the upstream does.
      await waitForRows(spans, 'the forwarded traces');
      await waitFor('the upstream to receive every span', () => (got.length >= spans.length ? true : undefined), 30_000);
      assert.deepStrictEqual([...got].sort(), spans.map((sp) => sp.spanContext().spanId).sort());
      assert.ok(requests >= 3, `${requests} requests`);
    } finally {
      await stop();
      await config().update('forwardTo', undefined, vscode.ConfigurationTarget.Global);
      upstream.closeAllConnections();
      await new Promise<void>((r) => upstream.close(() => r()));
    }
  });

  it('Workspace Trust: untrusted, it binds to loopback only and does not start by itself', async () => {
    await config().update('host', '0.0.0.0', vscode.ConfigurationTarget.Global);
    await config().update('autoStart', true, vscode.ConfigurationTarget.Global);
    try {
      type S = { options: { host: string }; autoStart: boolean; hostForcedToLoopback?: string };
      const untrusted = await vscode.commands.executeCommand<S>('spanlens._test.collectorSettings', false);
      assert.strictEqual(untrusted.options.host, '127.0.0.1');
      assert.strictEqual(untrusted.hostForcedToLoopback, '0.0.0.0');
      assert.strictEqual(untrusted.autoStart, false);
      const trusted = await vscode.commands.executeCommand<S>('spanlens._test.collectorSettings', true);
      assert.strictEqual(trusted.options.host, '0.0.0.0');
      assert.strictEqual(trusted.autoStart, true);
    } finally {
      await config().update('host', undefined, vscode.ConfigurationTarget.Global);
      await config().update('autoStart', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('a busy port', () => {
    let blocker: net.Server;
    let busy: number;

    before(async () => {
      blocker = net.createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
      busy = (blocker.address() as net.AddressInfo).port;
      await stop();
      await setPorts({ httpPort: busy });
    });

    after(async () => {
      await stop();
      await new Promise<void>((r) => blocker.close(() => r()));
      await setPorts({});
    });

    it('says which port is taken and, on "Use a Free Port", starts on another one', async () => {
      await messages(true);
      await vscode.commands.executeCommand('spanlens._test.queueAnswers', ['Use a Free Port']);
      assert.strictEqual(await start(), true);
      const m = (await messages()).find((x) => x.kind === 'prompt');
      assert.ok(m, 'no prompt was shown');
      assert.strictEqual(m.severity, 'error');
      assert.ok(m.text.includes(`OTLP/HTTP port ${busy} on 127.0.0.1 is already in use`), m.text);
      assert.deepStrictEqual(m.items, ['Use a Free Port', 'Stop']);
      const c = await collected();
      assert.strictEqual(c.state, 'running');
      assert.ok(c.ports!.otlpHttp && c.ports!.otlpHttp !== busy, JSON.stringify(c.ports));
      // And it receives there.
      const spans = makeSdkSpans(1, 3, 'svc-after-busy');
      await send('http/protobuf', false, spans);
      await waitForRows(spans, 'the free port');
      await stop();
    });

    it('on "Stop", stays stopped (and said why)', async () => {
      await messages(true);
      await vscode.commands.executeCommand('spanlens._test.queueAnswers', ['Stop']);
      assert.strictEqual(await start(), false);
      assert.strictEqual((await collected()).state, 'stopped');
      const m = await messages();
      assert.ok(m.some((x) => x.kind === 'prompt' && x.text.includes(`port ${busy}`)), JSON.stringify(m));
    });
  });
});
