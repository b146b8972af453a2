// Wires trace and run comparison into the editor (issue 11): "Compare With…", the diff view,
// "Set as Baseline" / "Clear Baseline", the Regressions view and its actions, the tolerance
// settings, and the spanlens._test.* hooks the integration tests read.
import * as path from 'path';
import * as vscode from 'vscode';
import { LIVE_SOURCE } from '../../core/catalog/liveFeed';
import type { SpanRef } from '../../core/source';
import type { RunDiffEntry } from '../../core/diff/types';
import { liveTraceUri } from '../collector/liveDocuments';
import type { SourceFeatures } from '../source/sourceFeatures';
import type { TraceEditorProvider } from '../traceEditorProvider';
import { notify } from '../userMessages';
import { webviewRoots } from '../webviewHtml';
import { BaselineController } from './baseline';
import { DIFF_VIEW_TYPE, DiffPanel, sourceLabel } from './diffPanel';
import { COMPARE_WORST, OPEN_REGRESSION, RegressionsView } from './regressionsView';
import { readTolerance } from './tolerance';
import { activeTraceRef, needTrace, pickTrace, traceRefOf, type TraceRef } from './traceRefs';

export function registerCompare(context: vscode.ExtensionContext, provider: TraceEditorProvider, features: SourceFeatures): void {
  const catalog = provider.catalog;
  const panels = new Set<DiffPanel>();
  let lastPanel: DiffPanel | undefined;
  const baseline = new BaselineController(catalog, provider);
  const regressions = RegressionsView.register(context, catalog, baseline);
  context.subscriptions.push(baseline);

  // The tolerance lives in the worker (trace diffs and run comparisons read it): sent to each new worker.
  const sendTolerance = () => void catalog.call('compareSetTolerance', readTolerance()).catch(() => undefined);
  context.subscriptions.push(
    catalog.onDidStart(() => queueMicrotask(sendTolerance)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('spanlens.compare')) return;
      if (catalog.running) sendTolerance();
      for (const p of panels) void p.reopen();
      regressions.refresh();
    }),
  );
  if (catalog.running) sendTolerance();

  const openDiff = (baselineRef: TraceRef, candidateRef: TraceRef): DiffPanel => {
    const title = `${sourceLabel(baselineRef.uri)} ↔ ${sourceLabel(candidateRef.uri)}`;
    const webview = vscode.window.createWebviewPanel(DIFF_VIEW_TYPE, title, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: webviewRoots(context.extensionUri) });
    const p = new DiffPanel(webview, context.extensionUri, catalog, features.navigator, { baseline: baselineRef, candidate: candidateRef });
    panels.add(p);
    lastPanel = p;
    webview.onDidChangeViewState((e) => e.webviewPanel.active && (lastPanel = p));
    webview.onDidDispose(() => {
      p.dispose();
      panels.delete(p);
      if (lastPanel === p) lastPanel = [...panels].at(-1);
    });
    return p;
  };

  /** compareWith(): the active trace vs a picked one; (item): that trace vs a picked one; (baseline, candidate): those two. */
  const compareWith = async (a?: unknown, b?: unknown): Promise<boolean> => {
    // A tree view passes (clicked item, selected items): two selected traces compare with each other.
    const pair = Array.isArray(b) && b.length === 2 ? b : undefined;
    const second = pair ? undefined : await traceRefOf(b, provider);
    let baselineRef: TraceRef | undefined;
    let candidateRef: TraceRef | undefined;
    if (pair) [baselineRef, candidateRef] = [await traceRefOf(pair[0], provider), await traceRefOf(pair[1], provider)];
    else if (second) [baselineRef, candidateRef] = [await traceRefOf(a, provider), second];
    else {
      candidateRef = (await traceRefOf(a, provider)) ?? activeTraceRef(provider);
      if (!candidateRef) candidateRef = await pickTrace(catalog, 'Spanlens: compare which trace?');
      if (!candidateRef) return needTrace('Compare With…'), false;
      baselineRef = await pickTrace(catalog, `Spanlens: compare ${sourceLabel(candidateRef.uri)} with… (the baseline)`, candidateRef);
    }
    if (!baselineRef || !candidateRef) return false;
    openDiff(baselineRef, candidateRef);
    return true;
  };

  const refUri = (ref: SpanRef): vscode.Uri => (ref.source === LIVE_SOURCE ? liveTraceUri(ref.traceId) : vscode.Uri.parse(ref.source ?? ''));

  /** Says why a side's worst trace cannot be opened: its source is no longer loaded. */
  const notLoaded = (side: string, e: RunDiffEntry, ref: SpanRef): void => {
    if (ref.source === LIVE_SOURCE) {
      notify('warning', `The ${side}'s slowest ${e.function} span is in collected trace ${ref.traceId}, which the dev collector no longer holds (stopped, cleared or evicted).`);
      return;
    }
    const uri = refUri(ref);
    notify('warning', `The ${side}'s slowest ${e.function} span is in ${path.basename(uri.path)}, which is no longer loaded. Open it, then compare again.`, [`Open ${path.basename(uri.path)}`], () => {
      void vscode.commands.executeCommand('vscode.openWith', uri, 'spanlens.traceViewer');
    });
  };

  const compareWorst = async (e?: unknown): Promise<boolean> => {
    if (!isEntry(e)) return false;
    const pair = await catalog.call('baselineWorst', e.key, e.kind).catch(() => undefined);
    if (!pair?.baseline || !pair.candidate) {
      notify('info', `${e.function}: ${!pair?.baseline ? 'the baseline' : 'the current traces'} have no span of it.`);
      return false;
    }
    if (!pair.baseline.loaded) return notLoaded('baseline', e, pair.baseline.ref), false;
    if (!pair.candidate.loaded) return notLoaded('current run', e, pair.candidate.ref), false;
    openDiff({ uri: refUri(pair.baseline.ref), traceId: pair.baseline.ref.traceId }, { uri: refUri(pair.candidate.ref), traceId: pair.candidate.ref.traceId });
    return true;
  };

  const openRegression = async (e?: unknown): Promise<void> => {
    if (!isEntry(e)) return;
    if (e.file) {
      // In the active editor group, like a click in the explorer; the cursor on the declaration.
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(e.file));
      const line = Math.min(Math.max(0, (e.line ?? 1) - 1), doc.lineCount - 1);
      const pos = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
      return;
    }
    // An operation group has no code: its worst current trace instead.
    const pair = await catalog.call('baselineWorst', e.key, e.kind).catch(() => undefined);
    if (!pair?.candidate) return notify('info', `No span of ${e.function} is loaded now.`);
    if (!pair.candidate.loaded) return notLoaded('current run', e, pair.candidate.ref);
    await features.functionSpans.openSpan(pair.candidate.ref);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('spanlens.compareWith', (a?: unknown, b?: unknown) => compareWith(a, b)),
    vscode.commands.registerCommand('spanlens.setBaseline', (arg?: unknown) => baseline.set(arg)),
    vscode.commands.registerCommand('spanlens.setBaselineFromCollector', () => baseline.set({ collector: true })),
    vscode.commands.registerCommand('spanlens.clearBaseline', () => baseline.clear()),
    vscode.commands.registerCommand(OPEN_REGRESSION, (e?: unknown) => openRegression(e)),
    vscode.commands.registerCommand(COMPARE_WORST, (e?: unknown) => compareWorst(e)),

    // For the integration tests: what the diff view drew, and the Regressions view's items.
    vscode.commands.registerCommand('spanlens._test.diffInfo', () => {
      const p = [...panels].find((x) => x.active) ?? lastPanel;
      return p ? JSON.parse(JSON.stringify(p.info)) : undefined;
    }),
    vscode.commands.registerCommand('spanlens._test.regressions', async () => {
      const entries = await regressions.entries();
      return { baseline: baseline.info, items: entries.map((e) => ({ entry: e, item: toPlainItem(regressions.getTreeItem(e)) })) };
    }),
  );
}

function isEntry(v: unknown): v is RunDiffEntry {
  return typeof v === 'object' && v !== null && typeof (v as RunDiffEntry).key === 'string' && ((v as RunDiffEntry).kind === 'function' || (v as RunDiffEntry).kind === 'operation');
}

function toPlainItem(i: vscode.TreeItem): { label: string; description?: string; contextValue?: string; command?: { command: string; arguments: unknown[] } } {
  return {
    label: typeof i.label === 'string' ? i.label : (i.label?.label ?? ''),
    description: typeof i.description === 'string' ? i.description : undefined,
    contextValue: i.contextValue,
    command: i.command ? { command: i.command.command, arguments: i.command.arguments ?? [] } : undefined,
  };
}
