// The extension as VS Code sees it: lazy activation, contributed commands and editors.
// Runs first (see index.ts): the first tests need an extension host where nothing opened a trace yet.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXPECTATIONS, EXTENSION_ID, PACKAGE_JSON, VIEW_TYPE, closeAllEditors, demoUri, openInSpanlens, waitFor } from './helpers';

describe('Activation and contributions', () => {
  it(`is installed as ${EXTENSION_ID}`, () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `extension ${EXTENSION_ID} not found`);
  });

  it('activates lazily: on a trace file, a view, a command or after startup has finished, never with "*"', () => {
    const events: string[] = PACKAGE_JSON.activationEvents;
    assert.ok(!events.includes('*'), `activationEvents: ${events.join(', ')}`);
    // onStartupFinished is there for spanlens.collector.autoStart; it runs after the window is up.
    assert.deepStrictEqual([...events].sort(), ['onCustomEditor:spanlens.traceViewer', 'onLanguage:json', 'onLanguage:jsonl', 'onStartupFinished']);
  });

  it('after startup, has started nothing the user did not ask for: no collector, no Spanlens editor', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await waitFor('the extension to activate after startup', () => ext.isActive, 30_000);
    const status = await vscode.commands.executeCommand<{ state: string }>('spanlens._test.collectedTraces');
    assert.strictEqual(status?.state, 'stopped', `collector: ${JSON.stringify(status)}`);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType.startsWith('spanlens.'));
    assert.deepStrictEqual(tabs.map((t) => t.label), []);
  });

  it('activates when a trace file is opened in its editor', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const first = EXPECTATIONS.files[0];
    const info = await openInSpanlens(demoUri(first.file));
    assert.strictEqual(info.state, 'loaded', JSON.stringify(info.error));
    await waitFor('the extension to be active', () => ext.isActive);
    await closeAllEditors();
  });

  it('contributes every command under the "Spanlens" category, and they are registered once active', async () => {
    const contributed = PACKAGE_JSON.contributes.commands;
    assert.ok(contributed.length >= 2, 'expected at least the open commands');
    const ids = contributed.map((c) => c.command);
    assert.ok(ids.includes('spanlens.openTraceFile') && ids.includes('spanlens.openWithSpanlens'), ids.join(', '));
    for (const c of contributed) assert.strictEqual(c.category, 'Spanlens', `${c.command} ("${c.title}") has category ${c.category}`);
    const title = contributed.find((c) => c.command === 'spanlens.openTraceFile')!.title;
    assert.ok(/^Open Trace File/.test(title), title);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ids) assert.ok(registered.has(id), `${id} is contributed but not registered`);
  });

  it('is the default editor for trace file names and an option for any .json, .jsonl and .binpb', () => {
    const editors = PACKAGE_JSON.contributes.customEditors;
    const main = editors.find((e) => e.viewType === VIEW_TYPE);
    assert.ok(main, `no custom editor ${VIEW_TYPE}`);
    assert.strictEqual(main.priority ?? 'default', 'default');
    const defaults = main.selector.map((s) => s.filenamePattern).sort();
    assert.deepStrictEqual(defaults, ['*.jaeger.json', '*.otlp.binpb', '*.otlp.json', '*.otlp.jsonl', '*.zipkin.json']);
    const optionPatterns = editors.filter((e) => e.priority === 'option').flatMap((e) => e.selector.map((s) => s.filenamePattern));
    for (const p of ['*.json', '*.jsonl', '*.binpb']) assert.ok(optionPatterns.includes(p), `${p} is not offered as an option`);
  });
});
