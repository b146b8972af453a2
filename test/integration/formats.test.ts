// Each sample format opened through VS Code's real custom-editor machinery: what the panel shows.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXPECTATIONS, VIEW_TYPE, activeTab, closeAllEditors, demoUri, openInSpanlens, panelInfo, waitFor, waitForPanel } from './helpers';

describe('Opening each trace format', function () {
  afterEach(closeAllEditors);

  for (const e of EXPECTATIONS.files) {
    it(`${e.file}: ${e.formatLabel}, ${e.traceCount} trace(s), ${e.spanCount} spans`, async () => {
      const info = await openInSpanlens(demoUri(e.file));
      assert.strictEqual(info.state, 'loaded', `error view instead of the waterfall: ${JSON.stringify(info.error)}`);
      assert.strictEqual(info.fileName, path.basename(e.file));
      assert.strictEqual(info.format, e.format);
      assert.strictEqual(info.traceCount, e.traceCount);
      assert.strictEqual(info.spanCount, e.spanCount);
    });
  }

  it('the webview reports when it painted the first rows (metrics.firstRenderMs)', async () => {
    const e = EXPECTATIONS.files[0];
    const uri = demoUri(e.file);
    assert.strictEqual((await openInSpanlens(uri)).state, 'loaded');
    const ms = await waitFor('metrics.firstRenderMs from the webview', async () => (await panelInfo())?.metrics.firstRenderMs);
    assert.ok(Number.isFinite(ms) && ms > 0, `firstRenderMs = ${ms}`);
    await waitForPanel(uri); // records the metrics for the harness's report
  });

  it('markup in span names and attributes loads as data (odd/markup-in-names.otlp.json)', async () => {
    const m = EXPECTATIONS.markup;
    const info = await openInSpanlens(demoUri(m.file));
    assert.strictEqual(info.state, 'loaded', JSON.stringify(info.error));
    assert.strictEqual(info.spanCount, m.spanCount);
  });

  for (const e of EXPECTATIONS.files) {
    const expected = e.defaultEditor ? 'the Spanlens waterfall' : 'the text editor';
    it(`${e.file}: a plain open (double-click) shows ${expected}`, async () => {
      const uri = demoUri(e.file);
      await vscode.commands.executeCommand('vscode.open', uri);
      const tab = await waitFor(`a tab for ${e.file}`, () => {
        const t = activeTab();
        return t.uri === uri.toString() ? t : undefined;
      });
      if (e.defaultEditor) {
        assert.deepStrictEqual({ kind: tab.kind, viewType: tab.viewType }, { kind: 'custom', viewType: VIEW_TYPE });
        assert.strictEqual((await waitForPanel(uri)).state, 'loaded');
      } else {
        assert.strictEqual(tab.kind, 'text');
      }
    });
  }
});

describe('Open commands', () => {
  afterEach(closeAllEditors);

  it('"Spanlens: Open Trace File…" with a file argument opens it in the waterfall', async () => {
    const e = EXPECTATIONS.files.find((f) => f.format === 'zipkin-v2')!;
    const uri = demoUri(e.file);
    await vscode.commands.executeCommand('spanlens.openTraceFile', uri);
    const info = await waitForPanel(uri);
    assert.strictEqual(info.state, 'loaded');
    assert.strictEqual(info.spanCount, e.spanCount);
    assert.deepStrictEqual(activeTab(), { kind: 'custom', viewType: VIEW_TYPE, uri: uri.toString() });
  });

  it('"Open with Spanlens" on a plain .json (explorer context menu) opens the waterfall', async () => {
    const e = EXPECTATIONS.files.find((f) => !f.defaultEditor)!;
    const uri = demoUri(e.file);
    await vscode.commands.executeCommand('spanlens.openWithSpanlens', uri);
    const info = await waitForPanel(uri);
    assert.strictEqual(info.state, 'loaded');
    assert.strictEqual(info.format, e.format);
    assert.strictEqual(activeTab().kind, 'custom');
  });

  it('"Reopen Trace as Text" shows the active trace in the text editor', async () => {
    const e = EXPECTATIONS.files[0];
    const uri = demoUri(e.file);
    assert.strictEqual((await openInSpanlens(uri)).state, 'loaded');
    await vscode.commands.executeCommand('spanlens.openAsText');
    const tab = await waitFor('a text editor tab', () => {
      const t = activeTab();
      return t.kind === 'text' && t.uri === uri.toString() ? t : undefined;
    });
    assert.strictEqual(tab.kind, 'text');
    assert.ok(vscode.window.activeTextEditor?.document.getText().includes('"resourceSpans"'), 'the text editor does not show the file');
  });

  it('"Open with Spanlens" without an argument uses the active text editor', async () => {
    const e = EXPECTATIONS.files.find((f) => !f.defaultEditor)!;
    const uri = demoUri(e.file);
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('spanlens.openWithSpanlens');
    const info = await waitForPanel(uri);
    assert.strictEqual(info.state, 'loaded');
    assert.deepStrictEqual(activeTab(), { kind: 'custom', viewType: VIEW_TYPE, uri: uri.toString() });
  });
});
