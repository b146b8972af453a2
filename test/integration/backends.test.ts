// Trace backends in the real editor: local servers on 127.0.0.1 answering with recorded responses
// (test/fixtures/backends, NOTICE.md there), configured through the spanlens.backends setting.
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TraceSummary } from '../../src/core/backends';
import type { ShownMessage } from '../../src/host/userMessages';
import { FIXTURES } from '../support/paths';
import { startRecordedServer, type RecordedServer } from '../support/recordedBackend';
import { closeAllEditors, EXTENSION_ID, panelInfo, sleep, type PanelInfo } from './helpers';

const fx = (name: string) => ({ file: path.join(FIXTURES, 'backends', name) });
const TOKEN = 'spl-itest-9c8b7a6f5e4d3c2b';
const messages = async (clear = false) => (await vscode.commands.executeCommand<ShownMessage[]>('spanlens._test.lastMessages', { clear })) ?? [];
const backendLog = async () => (await vscode.commands.executeCommand<string[]>('spanlens._test.backendLog')) ?? [];
const settings = () => vscode.workspace.getConfiguration('spanlens');

async function waitForFetchedPanel(fileNamePart: string, timeoutMs = 30_000): Promise<PanelInfo> {
  const deadline = Date.now() + timeoutMs;
  let last: PanelInfo | undefined;
  for (;;) {
    last = await panelInfo();
    if (last && last.fileName.includes(fileNamePart) && last.state !== 'loading') return last;
    if (Date.now() > deadline) throw new Error(`no Spanlens panel for ${fileNamePart}; last: ${JSON.stringify(last)}`);
    await sleep(50);
  }
}

async function errorText(): Promise<string> {
  return (await messages()).filter((m) => m.severity === 'error').map((m) => m.text).join('\n');
}

describe('Trace backends (recorded Jaeger, Tempo and Zipkin responses)', function () {
  let zipkin: RecordedServer;
  let jaeger: RecordedServer;
  let tempo: RecordedServer;
  let broken: RecordedServer;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    zipkin = await startRecordedServer([
      { path: '/api/v2/services', body: fx('zipkin-api-services.json') },
      { path: '/api/v2/spans', query: { serviceName: 'frontend' }, body: fx('zipkin-api-spans.json') },
      { path: '/api/v2/traces', query: { serviceName: 'frontend', endTs: true, lookback: '3600000', limit: '10' }, body: fx('zipkin-api-traces.json') },
      { path: '/api/v2/trace/19f84f102048e047', body: fx('zipkin-trace-lens-simple-db-p6.json') },
      { path: '/api/v2/trace/5aab74dbb904746bb33447baae403ed6', body: fx('zipkin-trace-lens-messaging.json') },
      { path: '/api/v2/trace/0af7651916cd43dd8448eb211c80319c', hang: true },
    ]);
    jaeger = await startRecordedServer([
      { path: '/api/services', body: fx('jaeger-api-services.json') },
      { path: '/api/traces', query: { service: 'okey-dokey-0', start: true, end: true, limit: '20' }, body: fx('jaeger-api-traces-jaegerui-otlp2jaeger-out.json') },
      { path: '/api/traces/83a9efd15c1c98a977e0711cc93ee28b', body: fx('jaeger-api-traces-jaegerui-otlp2jaeger-out.json') },
    ]);
    tempo = await startRecordedServer([
      { path: '/api/search', query: { q: '{ status = error }', start: true, end: true, limit: '20' }, body: fx('tempo-api-search.json') },
      { path: '/api/v2/traces/2f3e0cee77ae5dc9c17ade3689eb2e54', body: fx('tempo-api-v2-trace-partial.json') },
    ]);
    broken = await startRecordedServer([
      { path: '/api/v2/trace/19f84f102048e047', status: 401, contentType: 'text/plain', body: 'unauthorized' },
      { path: '/api/v2/trace/4bf92f3577b34da6a3ce929d0e0e4736', contentType: 'text/html', body: '<html><body>Sign in</body></html>' },
    ]);
    await settings().update(
      'backends',
      [
        { name: 'zipkin-rec', type: 'zipkin', url: zipkin.url },
        { name: 'jaeger-rec', type: 'jaeger', url: jaeger.url },
        { name: 'tempo-rec', type: 'tempo', url: tempo.url },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await settings().update('backendTimeoutSeconds', 2, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await settings().update('backends', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('backendTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('spanlens.setBackendCredentials', 'zipkin-rec', null);
    await closeAllEditors();
    await Promise.all([zipkin, jaeger, tempo, broken].map((s) => s?.close()));
  });

  beforeEach(async () => {
    await closeAllEditors();
    await messages(true);
  });

  it('opens a trace by id from a log line selected in an editor, sending the stored token', async () => {
    await vscode.commands.executeCommand('spanlens.setBackendCredentials', 'zipkin-rec', { kind: 'bearer', token: TOKEN });
    const doc = await vscode.workspace.openTextDocument({ content: 'INFO 2024-05-01 handled GET /api trace_id=19f84f102048e047 in 12ms\n', language: 'log' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
    const opened = await vscode.commands.executeCommand<boolean>('spanlens.openTraceById');
    assert.strictEqual(opened, true, await errorText());
    const info = await waitForFetchedPanel('19f84f102048e047');
    assert.strictEqual(info.state, 'loaded');
    assert.strictEqual(info.spanCount, 5);
    const req = zipkin.requests.find((r) => r.path === '/api/v2/trace/19f84f102048e047');
    assert.strictEqual(req?.headers.authorization, `Bearer ${TOKEN}`, 'the token set through the command reaches the server');
    const logged = (await backendLog()).join('\n');
    assert.match(logged, /fetching trace 19f84f102048e047 from zipkin-rec/);
    assert.ok(!logged.includes(TOKEN), 'the token never appears in the output channel');
    assert.ok(!(await messages()).some((m) => m.text.includes(TOKEN)));
  });

  it('opens a trace from a terminal link (a traceparent in the line)', async () => {
    const line = 'curl -H "traceparent: 00-5aab74dbb904746bb33447baae403ed6-05e3ac9a4f6e3b90-01" http://localhost:8080/';
    const links = await vscode.commands.executeCommand<{ traceId: string; startIndex: number; length: number }[]>('spanlens._test.terminalLinks', line);
    assert.deepStrictEqual(links?.map((l) => [l.traceId, line.substr(l.startIndex, l.length)]), [['5aab74dbb904746bb33447baae403ed6', '00-5aab74dbb904746bb33447baae403ed6-05e3ac9a4f6e3b90-01']]);
    assert.strictEqual(await vscode.commands.executeCommand('spanlens._test.activateTerminalLink', line), true, await errorText());
    assert.strictEqual((await waitForFetchedPanel('5aab74dbb904746bb33447baae403ed6')).spanCount, 4);
  });

  it('searches Zipkin and opens a result', async () => {
    const hits = await vscode.commands.executeCommand<TraceSummary[]>('spanlens.backends.search', 'zipkin-rec', { service: 'frontend', lookbackMs: 3_600_000 });
    assert.deepStrictEqual(zipkin.mismatches, []);
    assert.deepStrictEqual(hits?.map((h) => h.traceId).sort(), ['19f84f102048e047', '5aab74dbb904746bb33447baae403ed6']);
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.backends.openResult', 'zipkin-rec', hits!.find((h) => h.spanCount === 5)!.traceId), true);
    assert.strictEqual((await waitForFetchedPanel('19f84f102048e047')).spanCount, 5);
  });

  it('searches Jaeger and opens a result', async () => {
    const hits = await vscode.commands.executeCommand<TraceSummary[]>('spanlens.backends.search', 'jaeger-rec', { service: 'okey-dokey-0' });
    assert.deepStrictEqual(jaeger.mismatches, []);
    assert.deepStrictEqual(hits?.map((h) => [h.traceId, h.rootService, h.spanCount]), [['83a9efd15c1c98a977e0711cc93ee28b', 'telemetrygen', 2]]);
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.backends.openResult', 'jaeger-rec', hits![0].traceId), true);
    assert.strictEqual((await waitForFetchedPanel('83a9efd15c1c98a977e0711cc93ee28b')).spanCount, 2);
  });

  it('searches Tempo with TraceQL, opens a result and says the trace is partial', async () => {
    const hits = await vscode.commands.executeCommand<TraceSummary[]>('spanlens.backends.search', 'tempo-rec', { traceql: '{ status = error }' });
    assert.deepStrictEqual(tempo.mismatches, []);
    assert.strictEqual(hits?.[0].rootName, 'article-to-cart');
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.backends.openResult', 'tempo-rec', hits![0].traceId), true);
    const info = await waitForFetchedPanel('2f3e0cee77ae5dc9c17ade3689eb2e54');
    assert.ok(info.warnings?.some((w) => /partial/i.test(w)), `the waterfall shows the partial warning: ${JSON.stringify(info.warnings)}`);
    assert.ok((await messages()).some((m) => m.severity === 'warning' && /partial trace/.test(m.text)));
  });

  it('saves a fetched trace as OTLP JSON', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.openTraceById', '19f84f102048e047'), true);
    await waitForFetchedPanel('19f84f102048e047');
    const target = vscode.Uri.file(path.join(os.tmpdir(), `spanlens-saved-${process.pid}.otlp.json`));
    const saved = await vscode.commands.executeCommand<vscode.Uri>('spanlens.saveTraceAs', undefined, target);
    assert.ok(saved);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.ok(JSON.parse(text).resourceSpans.length > 0);
  });

  describe('failures, each with its message', () => {
    const only = async (b: { name: string; type: string; url: string }) => settings().update('backends', [b], vscode.ConfigurationTarget.Global);
    afterEach(() =>
      settings().update(
        'backends',
        [
          { name: 'zipkin-rec', type: 'zipkin', url: zipkin.url },
          { name: 'jaeger-rec', type: 'jaeger', url: jaeger.url },
          { name: 'tempo-rec', type: 'tempo', url: tempo.url },
        ],
        vscode.ConfigurationTarget.Global,
      ),
    );

    it('401 names the credentials command', async () => {
      await only({ name: 'locked', type: 'zipkin', url: broken.url });
      assert.strictEqual(await vscode.commands.executeCommand('spanlens.openTraceById', '19f84f102048e047'), false);
      assert.match(await errorText(), /locked refused the request \(HTTP 401 Unauthorized\): unauthorized; check the credentials set with 'Spanlens: Set Backend Credentials…'/);
    });

    it('404 says which backends were asked', async () => {
      assert.strictEqual(await vscode.commands.executeCommand('spanlens.openTraceById', 'traceId: 4bf92f3577b34da6a3ce929d0e0e4736'), false);
      assert.match(await errorText(), /trace 4bf92f3577b34da6a3ce929d0e0e4736 not found in zipkin-rec, jaeger-rec, tempo-rec/);
    });

    it('a server that never answers times out', async () => {
      await only({ name: 'slow', type: 'zipkin', url: zipkin.url });
      assert.strictEqual(await vscode.commands.executeCommand('spanlens.openTraceById', '0af7651916cd43dd8448eb211c80319c'), false);
      assert.match(await errorText(), /slow did not answer within 2 s/);
    });

    it('an unparseable response says so', async () => {
      await only({ name: 'html', type: 'zipkin', url: broken.url });
      assert.strictEqual(await vscode.commands.executeCommand('spanlens.openTraceById', '4bf92f3577b34da6a3ce929d0e0e4736'), false);
      assert.match(await errorText(), /html: the response from .* is not a trace it can read: not a recognised trace file/);
    });
  });
});
