// Trace and run comparison (issue 11) in the real VS Code, on test/fixtures/compare: two checkout
// traces with known differences (a slower and a faster span, an added and a removed subtree, a
// fourth repeated "price item"), whose code.* attributes point at /srv/shop/src/checkout.ts, a
// container path mapped onto a copy of the fixture's src/ in the workspace (spanlens.pathMappings).
// Checks what the diff view drew (spanlens._test.diffInfo: the rows the webview reported), the
// CodeLens against a baseline (vscode.executeCodeLensProvider), the hover, the Regressions view's
// items and what clicking them opens, Compare Worst Traces, and Clear Baseline.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DiffInfo } from '../../src/host/compare/diffPanel';
import type { RunDiffEntry } from '../../src/core/diff/types';
import { importTraceFile } from '../../src/core/importers/importFile';
import { FIXTURES } from '../support/paths';
import { closeAllEditors, openInSpanlens, panelInfo, waitFor } from './helpers';

interface RegressionItem {
  entry: RunDiffEntry;
  item: { label: string; description?: string; command?: { command: string; arguments: unknown[] } };
}
interface ShownMessage {
  kind: string;
  text: string;
  items: string[];
}

const WS = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
const RUN_DIR = path.join(WS, `.spanlens-compare-test-${process.pid}`);
const LENS_TIMEOUT_MS = 50_000;

let baseUri: vscode.Uri;
let candUri: vscode.Uri;
let sourcePath: string;

function declarationLine(fn: string): number {
  const lines = fs.readFileSync(sourcePath, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(`function ${fn}(`));
  assert.ok(i >= 0, `no function ${fn} in checkout.ts`);
  return i + 1;
}

async function diffInfo(): Promise<DiffInfo | undefined> {
  return vscode.commands.executeCommand<DiffInfo | undefined>('spanlens._test.diffInfo');
}

/** Waits until the diff view for these two documents has drawn `rows` rows. */
async function waitForDiff(base: vscode.Uri, cand: vscode.Uri, rows: number): Promise<DiffInfo> {
  let last: DiffInfo | undefined;
  return waitFor(
    'the diff view to draw its rows',
    async () => {
      last = await diffInfo();
      if (last?.state === 'error') throw new Error(`the diff view shows an error: ${last.error}`);
      const ok = last?.state === 'loaded' && last.baseline?.uri === base.toString() && last.candidate?.uri === cand.toString() && last.rendered?.rows.length === rows;
      return ok ? last : undefined;
    },
    30_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last: ${JSON.stringify(last)}`);
  });
}

async function lenses(): Promise<{ line: number; title: string }[]> {
  const doc = await vscode.workspace.openTextDocument(sourcePath);
  const ls = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
  return ls.filter((l) => l.command?.command === 'spanlens.showFunctionSpans').map((l) => ({ line: l.range.start.line + 1, title: l.command!.title }));
}

async function waitForLens(fn: string, pattern: RegExp): Promise<{ line: number; title: string }[]> {
  const line = declarationLine(fn);
  let last: { line: number; title: string }[] = [];
  return waitFor(
    `the CodeLens of ${fn} to match ${pattern}`,
    async () => {
      last = await lenses();
      return last.some((l) => l.line === line && pattern.test(l.title)) ? last : undefined;
    },
    LENS_TIMEOUT_MS,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; lenses: ${JSON.stringify(last)}`);
  });
}

const titleAt = (ls: { line: number; title: string }[], fn: string) => ls.find((l) => l.line === declarationLine(fn))?.title;

async function regressions(): Promise<RegressionItem[]> {
  return (await vscode.commands.executeCommand<{ items: RegressionItem[] }>('spanlens._test.regressions')).items;
}

async function messages(clear = false): Promise<ShownMessage[]> {
  return (await vscode.commands.executeCommand<ShownMessage[]>('spanlens._test.lastMessages', { clear })) ?? [];
}

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyDir(path.join(from, e.name), path.join(to, e.name));
    else fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
  }
}

describe('Compare traces and runs', function () {
  this.timeout(120_000);

  before(async function () {
    if (!WS) this.skip();
    copyDir(path.join(FIXTURES, 'compare'), RUN_DIR);
    baseUri = vscode.Uri.file(path.join(RUN_DIR, 'base.otlp.json'));
    candUri = vscode.Uri.file(path.join(RUN_DIR, 'cand.otlp.json'));
    sourcePath = path.join(RUN_DIR, 'src', 'checkout.ts');
    const rel = path.relative(WS, RUN_DIR).split(path.sep).join('/');
    await vscode.workspace.getConfiguration('spanlens').update('pathMappings', { '/srv/shop/*': `\${workspaceFolder}/${rel}/*` }, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await waitFor('the workspace index to hold checkout.ts', async () => (await vscode.commands.executeCommand<boolean>('spanlens._test.sourceIndexHas', sourcePath)) || undefined, 20_000);
  });

  after(async () => {
    await vscode.commands.executeCommand('spanlens._test.queueAnswers', []);
    await vscode.commands.executeCommand('spanlens.clearBaseline');
    await closeAllEditors();
    await vscode.workspace.getConfiguration('spanlens').update('pathMappings', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
  });

  it('compares two traces: the diff view shows the changed, added and removed rows with their deltas', async () => {
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.compareWith', { source: baseUri.toString() }, { source: candUri.toString() }), true);
    const info = await waitForDiff(baseUri, candUri, 14);
    assert.deepStrictEqual(info.header!.counts, { added: 3, removed: 2, slower: 3, faster: 2, unchanged: 4 });
    const rows = info.rendered!.rows;
    const row = (name: string) => {
      const r = rows.filter((x) => x.name === name);
      assert.ok(r.length, `no "${name}" row in ${JSON.stringify(rows.map((x) => x.name))}`);
      return r;
    };
    const shown = (name: string) => row(name).map(({ change, baseline, candidate, delta }) => ({ change, baseline, candidate, delta }));
    assert.deepStrictEqual(shown('POST /checkout'), [{ change: 'slower', baseline: '120 ms', candidate: '150 ms', delta: '+30 ms (+25%)' }]);
    assert.strictEqual(row('POST /checkout')[0].badge, '9 changed');
    assert.deepStrictEqual(shown('charge card'), [{ change: 'slower', baseline: '40 ms', candidate: '80 ms', delta: '+40 ms (+100%)' }]);
    assert.deepStrictEqual(shown('GET /rates'), [{ change: 'slower', baseline: '10 ms', candidate: '30 ms', delta: '+20 ms (+200%)' }]);
    assert.deepStrictEqual(shown('query inventory'), [{ change: 'faster', baseline: '30 ms', candidate: '10 ms', delta: '-20 ms (-67%)' }]);
    assert.deepStrictEqual(shown('load cart'), [{ change: 'unchanged', baseline: '10 ms', candidate: '10 ms', delta: '±0' }]);
    // Repeated siblings pair in start order: three unchanged, the fourth added.
    assert.deepStrictEqual(row('price item').map((r) => r.change), ['unchanged', 'unchanged', 'unchanged', 'added']);
    assert.deepStrictEqual(shown('legacy audit'), [{ change: 'removed', baseline: '10 ms', candidate: '—', delta: '—' }]);
    assert.deepStrictEqual(shown('write audit row'), [{ change: 'removed', baseline: '8 ms', candidate: '—', delta: '—' }]);
    assert.deepStrictEqual(shown('fraud check'), [{ change: 'added', baseline: '—', candidate: '20 ms', delta: '—' }]);
    assert.deepStrictEqual(shown('score order'), [{ change: 'added', baseline: '—', candidate: '18 ms', delta: '—' }]);
    // A removed subtree stays under its parent: "write audit row" right after "legacy audit".
    const order = rows.map((r) => r.name);
    assert.strictEqual(order.indexOf('write audit row'), order.indexOf('legacy audit') + 1);
    assert.strictEqual(order.indexOf('score order'), order.indexOf('fraud check') + 1);
  });

  it('Compare With… from a waterfall offers the loaded traces and compares with the chosen one', async () => {
    await closeAllEditors();
    await openInSpanlens(baseUri);
    await openInSpanlens(candUri);
    await messages(true);
    await vscode.commands.executeCommand('spanlens._test.queueAnswers', ['$(pulse) POST /checkout']);
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.compareWith'), true);
    const picked = (await messages()).find((m) => m.kind === 'pick');
    assert.ok(picked, 'no quick pick was shown');
    assert.ok(picked.items.some((i) => i.startsWith('$(pulse) POST /checkout — shop · 120 ms · 11 spans')), picked.items.join('\n'));
    assert.ok(!picked.items.some((i) => i.includes('150 ms')), `the waterfall's own trace is offered: ${picked.items.join('\n')}`);
    const info = await waitForDiff(baseUri, candUri, 14);
    assert.strictEqual(info.header!.counts.slower, 3);
  });

  it('Set as Baseline: the CodeLens shows each function\'s change, and the hover both runs side by side', async () => {
    await closeAllEditors(); // nothing loaded: the baseline file is read in the worker and let go
    const info = await vscode.commands.executeCommand<{ traces: number; label: string } | undefined>('spanlens.setBaseline', baseUri);
    assert.ok(info, 'Set as Baseline returned nothing');
    assert.strictEqual(info.traces, 1);
    assert.strictEqual(info.label, 'base.otlp.json');
    await openInSpanlens(candUri);
    const ls = await waitForLens('chargeCard', /^p50 80 ms \(\+100% vs baseline\) · p95 80 ms · 1 call$/);
    assert.match(titleAt(ls, 'handleCheckout') ?? '', /^p50 150 ms \(\+25% vs baseline\) · /);
    assert.match(titleAt(ls, 'queryInventory') ?? '', /^p50 10 ms \(-67% vs baseline\) · /);
    assert.match(titleAt(ls, 'loadCart') ?? '', /^p50 10 ms \(≈ baseline\) · /);
    assert.match(titleAt(ls, 'priceItem') ?? '', /^p50 5 ms \(≈ baseline\) · p95 5 ms · 4 calls$/);
    assert.match(titleAt(ls, 'fraudCheck') ?? '', /^p50 20 ms \(new vs baseline\) · /);
    assert.strictEqual(titleAt(ls, 'legacyAudit'), undefined, 'a function with no current spans has a lens');

    const doc = await vscode.workspace.openTextDocument(sourcePath);
    const line = declarationLine('chargeCard') - 1;
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, doc.lineAt(line).text.indexOf('chargeCard') + 2))) ?? [];
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(md, /\| p50 \| 40 ms \| 80 ms \|/, md);
    assert.match(md, /\*\*slower\*\* than the baseline \(p50 \+100%\)/, md);
  });

  it('Regressions: worst first; a click opens the function at its declaration, an operation its worst trace', async () => {
    const items = await waitFor('three regressions', async () => {
      const r = await regressions();
      return r.length === 3 ? r : undefined;
    });
    assert.deepStrictEqual(items.map((i) => i.item.label), ['chargeCard', 'handleCheckout', 'GET /rates']);
    assert.match(items[0].item.description ?? '', /^\+100% p50 · 40 ms → 80 ms · payments$/);
    const cmd = items[0].item.command!;
    await vscode.commands.executeCommand(cmd.command, ...cmd.arguments);
    const editor = await waitFor('checkout.ts in the active editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === sourcePath ? e : undefined;
    });
    assert.strictEqual(editor.selection.active.line + 1, declarationLine('chargeCard'));

    const op = items[2].item.command!;
    await vscode.commands.executeCommand(op.command, ...op.arguments);
    const shown = await waitFor('the waterfall to reveal the slowest GET /rates span', async () => {
      const p = await panelInfo();
      return p?.uri === candUri.toString() && p.revealed ? p : undefined;
    });
    const cand = importTraceFile(new Uint8Array(fs.readFileSync(candUri.fsPath)), { fileName: 'cand.otlp.json' });
    assert.strictEqual(cand.traces[shown.revealed!.traceIndex].spans[shown.revealed!.spanIndex].name, 'GET /rates');
  });

  it('Compare Worst Traces: says when the baseline file is no longer loaded, then opens both slowest traces', async () => {
    const [worst] = await regressions();
    await messages(true);
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.compareWorstTraces', worst.entry), false);
    const said = (await messages()).find((m) => m.kind === 'message' && /no longer loaded/.test(m.text));
    assert.ok(said, JSON.stringify(await messages()));
    assert.match(said.text, /base\.otlp\.json/);
    await openInSpanlens(baseUri);
    assert.strictEqual(await vscode.commands.executeCommand('spanlens.compareWorstTraces', worst.entry), true);
    await waitForDiff(baseUri, candUri, 14);
  });

  it('Clear Baseline: the lens text is back to normal and the Regressions list is empty', async () => {
    await vscode.commands.executeCommand('spanlens.clearBaseline');
    // base.otlp.json is open again, and counts again: two charge card spans.
    const ls = await waitForLens('chargeCard', /^p50 \S+ ms · p95 80 ms · 2 calls$/);
    assert.ok(!ls.some((l) => /baseline/.test(l.title)), JSON.stringify(ls));
    assert.deepStrictEqual(await regressions(), []);
  });

  it('a snapshot of the dev collector as the baseline, and a collected trace compared with a file', async () => {
    const c = vscode.workspace.getConfiguration('spanlens.collector');
    for (const k of ['httpPort', 'grpcPort', 'zipkinPort']) await c.update(k, 0, vscode.ConfigurationTarget.Global);
    try {
      assert.ok(await vscode.commands.executeCommand<boolean>('spanlens.startCollector'), 'the collector did not start');
      const port = (await vscode.commands.executeCommand<{ ports?: { otlpHttp?: number } }>('spanlens._test.collectedTraces')).ports?.otlpHttp;
      const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fs.readFileSync(baseUri.fsPath) });
      assert.strictEqual(res.status, 200);
      const traceId = JSON.parse(fs.readFileSync(baseUri.fsPath, 'utf8')).resourceSpans[0].scopeSpans[0].spans[0].traceId as string;
      await waitFor('the collector to hold the base trace', async () => {
        const rows = (await vscode.commands.executeCommand<{ rows: { traceId: string }[] }>('spanlens._test.collectedTraces')).rows;
        return rows.some((r) => r.traceId === traceId) || undefined;
      });
      const info = await vscode.commands.executeCommand<{ kind: string; traces: number } | undefined>('spanlens.setBaselineFromCollector');
      assert.deepStrictEqual({ kind: info?.kind, traces: info?.traces }, { kind: 'collector', traces: 1 });
      await waitForLens('chargeCard', /^p50 80 ms \(\+100% vs baseline\) · /);
      assert.strictEqual(await vscode.commands.executeCommand('spanlens.compareWith', { source: 'spanlens-collector:live', traceId }, { source: candUri.toString() }), true);
      const live = vscode.Uri.from({ scheme: 'spanlens-live', path: `/collected/${traceId}.otlp.json` });
      const diff = await waitForDiff(live, candUri, 14);
      assert.strictEqual(diff.header!.baseline.source, 'dev collector');
    } finally {
      await vscode.commands.executeCommand('spanlens.clearBaseline');
      await vscode.commands.executeCommand('spanlens.stopCollector');
      for (const k of ['httpPort', 'grpcPort', 'zipkinPort']) await c.update(k, undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
