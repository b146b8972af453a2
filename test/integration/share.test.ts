// Redaction in the real editor, on a file with planted secrets (test/fixtures/redaction-host):
// the detail pane's masked values, Share Trace with its preview, Save Trace As redacting by default,
// and the chat tools called through VS Code's own language model tools API.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SpanDetailDto } from '../../src/shared/protocol';
import { FIXTURES } from '../support/paths';
import { closeAllEditors, openInSpanlens, waitFor } from './helpers';

const FIXTURE = vscode.Uri.file(path.join(FIXTURES, 'redaction-host', 'secrets.otlp.json'));
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
/** The planted secrets, as written in the fixture. */
const SECRETS = ['ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'alice@example.com', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'hunter2-S3cret!'];
const RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-share-'));

interface Shown {
  kind: string;
  text: string;
  items: string[];
}
interface Preview {
  traces: number;
  spans: number;
  redacted: number;
  counts: [string, number][];
  countsText: string;
  findings: { key?: string; rule: string; spanName: string; spanId: string }[];
}

const detail = (spanIndex: number) => vscode.commands.executeCommand<SpanDetailDto | undefined>('spanlens._test.spanDetail', FIXTURE, 0, spanIndex);
const messages = () => vscode.commands.executeCommand<Shown[]>('spanlens._test.lastMessages');
const redactionSettings = () => vscode.workspace.getConfiguration('spanlens.redaction');

function assertNoSecret(text: string, what: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what} contains the planted secret ${s}`);
}

describe('Redaction, Share Trace and chat tools', () => {
  before(async () => {
    const info = await openInSpanlens(FIXTURE);
    assert.strictEqual(info.state, 'loaded', JSON.stringify(info.error));
    assert.strictEqual(info.spanCount, 3);
  });
  after(async () => {
    await redactionSettings().update('maskOnScreen', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
  });

  describe('masking in the detail pane', () => {
    it('masks each planted secret in what the webview is sent, with the rule and the original for Reveal', async () => {
      const d = (await detail(0))!;
      assert.strictEqual(d.name, 'GET /checkout');
      assert.strictEqual(d.masking, true);
      const shown = d.attributes.map((a) => `${a.key}=${a.value}`).join('\n');
      assertNoSecret(shown, 'the attribute values shown');
      const m = Object.fromEntries(d.attributes.filter((a) => a.masked).map((a) => [a.key, a]));
      assert.strictEqual(m['user.email']?.value, '<redacted:email>');
      assert.deepStrictEqual(m['user.email']?.masked?.rules, ['email']);
      assert.strictEqual(m['user.email']?.masked?.original, 'alice@example.com');
      assert.match(m['url.full']?.value ?? '', /id_token=<redacted:jwt>&lang=en$/);
      assert.match(m['http.request.header.authorization']?.value ?? '', /<redacted:secret-key>/);
      const db = (await detail(1))!;
      assert.strictEqual(db.attributes.find((a) => a.key === 'db.connection_string')?.value, 'postgresql://shop:<redacted:url-password>@db.internal:5432/shop');
    });

    it('"spanlens.redaction.maskOnScreen": false shows the values as recorded; true masks them again', async () => {
      await redactionSettings().update('maskOnScreen', false, vscode.ConfigurationTarget.Global);
      const off = await waitFor('details unmasked', async () => {
        const d = await detail(0);
        return d && !d.masking ? d : undefined;
      });
      assert.strictEqual(off.attributes.find((a) => a.key === 'user.email')?.value, 'alice@example.com');
      assert.ok(off.attributes.every((a) => !a.masked));
      await redactionSettings().update('maskOnScreen', undefined, vscode.ConfigurationTarget.Global);
      const on = await waitFor('details masked again', async () => {
        const d = await detail(0);
        return d?.masking ? d : undefined;
      });
      assert.strictEqual(on.attributes.find((a) => a.key === 'user.email')?.value, '<redacted:email>');
    });
  });

  describe('Share Trace', () => {
    it('with arguments: the preview counts per rule, and the written OTLP JSON holds none of the secrets and reopens with every span', async () => {
      const target = vscode.Uri.file(path.join(RUN_DIR, 'shared.otlp.json'));
      const r = await vscode.commands.executeCommand<{ file: string; preview: Preview }>('spanlens.shareTrace', FIXTURE, { format: 'otlp-json', target, confirm: true });
      assert.ok(r, 'the command returned nothing');
      assert.strictEqual(r.file, target.fsPath);
      assert.strictEqual(r.preview.redacted, 4);
      assert.deepStrictEqual(Object.fromEntries(r.preview.counts), { 'secret-key': 1, jwt: 1, 'url-password': 1, email: 1 });
      assert.deepStrictEqual(r.preview.findings.map((f) => `${f.spanName}: ${f.key} (${f.rule})`).sort(), [
        'GET /checkout: http.request.header.authorization (secret-key)',
        'GET /checkout: url.full (jwt)',
        'GET /checkout: user.email (email)',
        'SELECT shop.orders: db.connection_string (url-password)',
      ]);
      const text = fs.readFileSync(target.fsPath, 'utf8');
      assertNoSecret(text, 'the shared file');
      assert.ok(text.includes('<redacted:email>'));
      const back = await openInSpanlens(target);
      assert.strictEqual(back.state, 'loaded', JSON.stringify(back.error));
      assert.strictEqual(back.spanCount, 3);
    });

    it('as a user: format, then the preview (counts in its title, one row per redacted value), then Write file…', async () => {
      await vscode.commands.executeCommand('spanlens._test.lastMessages', { clear: true });
      await vscode.commands.executeCommand('spanlens._test.queueAnswers', ['OTLP JSON Lines', 'Write file…']);
      const target = vscode.Uri.file(path.join(RUN_DIR, 'shared.otlp.jsonl'));
      const r = await vscode.commands.executeCommand<{ file: string; preview: Preview }>('spanlens.shareTrace', FIXTURE, { target });
      assert.strictEqual(r?.file, target.fsPath);
      const picks = (await messages()).filter((m) => m.kind === 'pick');
      assert.deepStrictEqual(picks.map((p) => p.text), ['Share Trace: format', 'Share Trace: redacted 4 values: secret-key 1, jwt 1, url-password 1, email 1']);
      const rows = picks[1].items;
      assert.strictEqual(rows[0].split(' — ')[0], 'Write file…');
      assert.strictEqual(rows[1], 'Cancel');
      for (const key of ['http.request.header.authorization', 'user.email', 'url.full', 'db.connection_string']) assert.ok(rows.some((i) => i.startsWith(`${key} — `)), `no preview row for ${key}: ${JSON.stringify(rows)}`);
      const text = fs.readFileSync(target.fsPath, 'utf8');
      assertNoSecret(text, 'the shared JSON Lines');
      assert.strictEqual(text.trim().split('\n').length, 1, 'one trace, one line');
      const back = await openInSpanlens(target);
      assert.strictEqual(back.spanCount, 3);
    });

    it('Cancel in the preview writes nothing', async () => {
      await vscode.commands.executeCommand('spanlens._test.queueAnswers', ['Chrome Trace Event (Perfetto, chrome://tracing)', 'Cancel']);
      const target = path.join(RUN_DIR, 'cancelled.chrome.json');
      const r = await vscode.commands.executeCommand('spanlens.shareTrace', FIXTURE, { target });
      assert.strictEqual(r, undefined);
      assert.ok(!fs.existsSync(target), 'a file was written after Cancel');
    });

    it('Chrome format: no secret in the file', async () => {
      const target = path.join(RUN_DIR, 'shared.chrome.json');
      const r = await vscode.commands.executeCommand<{ file: string }>('spanlens.shareTrace', FIXTURE, { format: 'chrome', target, confirm: true });
      assert.strictEqual(r?.file, target);
      const text = fs.readFileSync(target, 'utf8');
      assertNoSecret(text, 'the Chrome export');
      assert.ok(JSON.parse(text).traceEvents.some((e: { name: string }) => e.name === 'GET /checkout'));
    });

    it('Save Trace As… redacts by default, and writes the values as recorded only when asked to', async () => {
      const safe = vscode.Uri.file(path.join(RUN_DIR, 'saved.otlp.json'));
      assert.ok(await vscode.commands.executeCommand<vscode.Uri>('spanlens.saveTraceAs', FIXTURE, safe));
      const text = fs.readFileSync(safe.fsPath, 'utf8');
      assertNoSecret(text, 'Save Trace As (default)');
      assert.strictEqual(JSON.parse(text).resourceSpans[0].scopeSpans[0].spans.length, 3);
      const asIs = vscode.Uri.file(path.join(RUN_DIR, 'saved-as-is.otlp.json'));
      assert.ok(await vscode.commands.executeCommand<vscode.Uri>('spanlens.saveTraceAs', FIXTURE, asIs, { redact: false }));
      assert.ok(fs.readFileSync(asIs.fsPath, 'utf8').includes('alice@example.com'));
    });

    it('Save Trace As… as a user: "Redact secrets (recommended)" is offered first', async () => {
      await vscode.commands.executeCommand('spanlens._test.lastMessages', { clear: true });
      await vscode.commands.executeCommand('spanlens._test.queueAnswers', ['']); // dismiss the question: nothing is saved
      assert.strictEqual(await vscode.commands.executeCommand('spanlens.saveTraceAs', FIXTURE), undefined);
      const pick = (await messages()).find((m) => m.kind === 'pick');
      assert.strictEqual(pick?.text, 'Save Trace As: redact secrets?');
      assert.match(pick?.items[0] ?? '', /^Redact secrets \(recommended\)/);
      assert.match(pick?.items[1] ?? '', /^Export as is/);
    });
  });

  it('Export Collected Traces… redacts by default, in the worker that holds the store', async () => {
    const collector = vscode.workspace.getConfiguration('spanlens.collector');
    for (const k of ['httpPort', 'grpcPort', 'zipkinPort']) await collector.update(k, 0, vscode.ConfigurationTarget.Global);
    try {
      assert.strictEqual(await vscode.commands.executeCommand<boolean>('spanlens.startCollector'), true);
      const c = await vscode.commands.executeCommand<{ ports: { otlpHttp: number } }>('spanlens._test.collectedTraces');
      // The fixture itself, as an app's exporter would send it (OTLP/HTTP JSON).
      const res = await fetch(`http://127.0.0.1:${c.ports.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fs.readFileSync(FIXTURE.fsPath) });
      assert.strictEqual(res.status, 200);
      await waitFor('the trace in the store', async () => {
        const rows = (await vscode.commands.executeCommand<{ rows: { traceId: string; spanCount: number }[] }>('spanlens._test.collectedTraces')).rows;
        return rows.some((r) => r.traceId === TRACE_ID && r.spanCount === 3) ? true : undefined;
      });
      const file = path.join(RUN_DIR, 'collected.otlp.jsonl');
      const r = await vscode.commands.executeCommand<{ spans: number; redacted: number }>('spanlens.exportCollectedTraces', vscode.Uri.file(file));
      assert.strictEqual(r.spans, 3);
      assert.strictEqual(r.redacted, 4);
      assertNoSecret(fs.readFileSync(file, 'utf8'), 'the exported collected traces');
      const asIs = path.join(RUN_DIR, 'collected-as-is.otlp.jsonl');
      await vscode.commands.executeCommand('spanlens.exportCollectedTraces', vscode.Uri.file(asIs), { redact: false });
      assert.ok(fs.readFileSync(asIs, 'utf8').includes('alice@example.com'));
    } finally {
      await vscode.commands.executeCommand('spanlens.stopCollector');
      for (const k of ['httpPort', 'grpcPort', 'zipkinPort']) await collector.update(k, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('chat tools (vscode.lm)', () => {
    const NAMES = ['spanlens_list_traces', 'spanlens_get_trace', 'spanlens_get_spans', 'spanlens_function_stats'];

    async function invoke(name: string, input: object): Promise<string> {
      assert.strictEqual(typeof vscode.lm?.invokeTool, 'function', `vscode.lm.invokeTool is not available in VS Code ${vscode.version}`);
      const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
      const parts = result.content.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart);
      assert.strictEqual(parts.length, 1, `${name}: ${result.content.length} parts`);
      assertNoSecret(parts[0].value, `${name}'s result`);
      return parts[0].value;
    }

    it('the four tools are registered in vscode.lm.tools', () => {
      const listed = vscode.lm.tools.map((t) => t.name);
      for (const n of NAMES) assert.ok(listed.includes(n), `${n} is not in vscode.lm.tools (${listed.filter((t) => t.startsWith('spanlens')).join(', ')})`);
    });

    it('spanlens_list_traces lists the open fixture: trace id and root name', async () => {
      const out = JSON.parse(await invoke('spanlens_list_traces', { source: 'secrets' }));
      const t = out.traces.find((x: { traceId: string }) => x.traceId === TRACE_ID);
      assert.ok(t, `the fixture's trace is not listed: ${JSON.stringify(out).slice(0, 500)}`);
      assert.strictEqual(t.rootName, 'GET /checkout');
      assert.strictEqual(t.spanCount, 3);
    });

    it('spanlens_get_trace summarises it', async () => {
      const text = await invoke('spanlens_get_trace', { traceId: TRACE_ID });
      const out = JSON.parse(text);
      assert.ok(!out.error, text);
      assert.ok(text.includes(TRACE_ID) && text.includes('GET /checkout'), text.slice(0, 500));
    });

    it('spanlens_get_spans gives the attributes, redacted', async () => {
      const text = await invoke('spanlens_get_spans', { traceId: TRACE_ID });
      const out = JSON.parse(text);
      assert.ok(!out.error, text);
      for (const n of ['GET /checkout', 'SELECT shop.orders', 'render checkout']) assert.ok(text.includes(n), `${n} missing from ${text.slice(0, 500)}`);
      // The tools use keyed markers (<redacted:email:HASH12>) so equal values stay equal for the model.
      assert.match(text, /"user\.email":"<redacted:email(:[0-9a-f]{12})?>"/);
      assert.match(text, /postgresql:\/\/shop:<redacted:url-password/);
    });

    it('spanlens_function_stats answers one JSON object', async () => {
      const out = JSON.parse(await invoke('spanlens_function_stats', {}));
      assert.ok(!out.error, JSON.stringify(out));
    });
  });
});
