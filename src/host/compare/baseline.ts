// "Spanlens: Set as Baseline" / "Clear Baseline": which run the current statistics are compared
// with. The worker indexes the baseline's traces (a file, one trace, or a snapshot of the dev
// collector's store) and keeps only its groups; this side picks what the command points at, shows
// progress, and keeps the `spanlens.hasBaseline` context key for the menus and views.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import type { BaselineInfo, BaselineSpec } from '../../core/catalog/protocol';
import { traceIdOfLiveUri } from '../collector/liveDocuments';
import type { TraceEditorProvider } from '../traceEditorProvider';
import { notify, pick } from '../userMessages';

export class BaselineController implements vscode.Disposable {
  private current: BaselineInfo | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly catalog: CatalogClient,
    private readonly provider: TraceEditorProvider,
  ) {
    // The baseline lives in the worker: a worker that stopped took it along.
    this.disposables.push(
      catalog.onDidStop(() => {
        if (this.current) notify('warning', `The baseline (${this.current.label}) was held by the trace worker, which stopped: set it again to compare.`);
        this.update(undefined);
      }),
    );
    void vscode.commands.executeCommand('setContext', 'spanlens.hasBaseline', false);
  }

  get info(): BaselineInfo | undefined {
    return this.current;
  }

  private update(info: BaselineInfo | undefined): void {
    this.current = info;
    void vscode.commands.executeCommand('setContext', 'spanlens.hasBaseline', !!info);
    this.emitter.fire();
  }

  /** spanlens.setBaseline(arg?): a file URI, a Traces or Collected view item, { collector: true }; asks otherwise. */
  async set(arg?: unknown): Promise<BaselineInfo | undefined> {
    const target = (await this.specOf(arg)) ?? (await this.ask());
    if (!target) return undefined;
    try {
      const info = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Spanlens: indexing the baseline (${target.label})…` }, () =>
        this.catalog.call('baselineSet', target.spec, target.label),
      );
      this.update(info);
      vscode.window.setStatusBarMessage(`Spanlens: baseline set to ${info.label} (${info.traces} trace${info.traces === 1 ? '' : 's'}, ${info.functions} functions)`, 5000);
      return info;
    } catch (e) {
      notify('error', `Could not set the baseline: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  async clear(): Promise<void> {
    if (this.catalog.running) await this.catalog.call('baselineClear').catch(() => undefined);
    this.update(undefined);
  }

  private async specOf(arg: unknown): Promise<{ spec: BaselineSpec; label: string } | undefined> {
    if (arg instanceof vscode.Uri) return this.uriSpec(arg);
    if (typeof arg !== 'object' || arg === null) return undefined;
    const a = arg as Record<string, unknown>;
    if (a.collector === true) return this.collectorSpec();
    // The Traces view: one trace of an open file, or the whole file.
    const panel = a.panel as { document?: { uri?: unknown }; getSession?: () => { sessionId: number } | undefined } | undefined;
    if ((a.kind === 'trace' || a.kind === 'file') && panel?.document?.uri instanceof vscode.Uri) {
      const uri = panel.document.uri;
      const summary = a.summary as { traceIndex?: number; rootName?: string } | undefined;
      const session = panel.getSession?.();
      if (a.kind === 'trace' && session && typeof summary?.traceIndex === 'number') {
        return { spec: { kind: 'session', sessionId: session.sessionId, traceIndex: summary.traceIndex }, label: `${summary.rootName || 'trace'} in ${path.basename(uri.path)}` };
      }
      return this.uriSpec(uri);
    }
    // The Collected view: one collected trace.
    if (typeof a.traceId === 'string' && /^[0-9a-f]+$/.test(a.traceId) && typeof a.spanCount === 'number') {
      return { spec: { kind: 'collected', traceId: a.traceId }, label: `collected trace ${typeof a.rootName === 'string' && a.rootName ? a.rootName : a.traceId}` };
    }
    if (typeof a.source === 'string') return this.uriSpec(vscode.Uri.parse(a.source));
    return undefined;
  }

  private uriSpec(uri: vscode.Uri): { spec: BaselineSpec; label: string } | undefined {
    const live = traceIdOfLiveUri(uri);
    if (live) return { spec: { kind: 'collected', traceId: live }, label: `collected trace ${live}` };
    const label = path.basename(uri.path);
    if (uri.scheme === 'file') {
      const maxFileSizeMB = vscode.workspace.getConfiguration('spanlens').get<number>('maxFileSizeMB', 256);
      return { spec: { kind: 'file', path: uri.fsPath, fileName: label, key: uri.toString(), maxFileSizeMB }, label };
    }
    // A virtual file system the worker cannot read: only when a waterfall has it loaded.
    const session = this.provider.panelsFor(uri)[0]?.getSession();
    if (session) return { spec: { kind: 'session', sessionId: session.sessionId }, label };
    notify('error', `Open ${label} in Spanlens first: the baseline is read from the loaded file.`);
    return undefined;
  }

  private collectorSpec(): { spec: BaselineSpec; label: string } {
    const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    return { spec: { kind: 'collector' }, label: `dev collector snapshot ${time}` };
  }

  /** No argument (the palette): the active waterfall's file or trace, the collector, or a file. */
  private async ask(): Promise<{ spec: BaselineSpec; label: string } | undefined> {
    type Item = vscode.QuickPickItem & { run: () => Promise<{ spec: BaselineSpec; label: string } | undefined> | { spec: BaselineSpec; label: string } | undefined };
    const items: Item[] = [];
    const panel = this.provider.activePanel();
    const session = panel?.getSession();
    if (panel) items.push({ label: `$(file) ${panel.document.fileName}`, description: 'every trace of the active waterfall', run: () => this.uriSpec(panel.document.uri) });
    if (panel && session && panel.selectedTrace !== undefined) {
      const s = session.summaries()[panel.selectedTrace];
      items.push({ label: `$(pulse) ${s?.rootName || 'the selected trace'}`, description: `the trace shown in ${panel.document.fileName}`, run: () => ({ spec: { kind: 'session', sessionId: session.sessionId, traceIndex: panel.selectedTrace! }, label: `${s?.rootName || 'trace'} in ${panel.document.fileName}` }) });
    }
    items.push({ label: '$(radio-tower) Dev collector snapshot', description: "the collector's traces as they stand now", run: () => this.collectorSpec() });
    items.push({
      label: '$(folder-opened) A trace file…',
      run: async () => {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Set as Baseline', filters: { 'Trace files': ['json', 'jsonl', 'binpb', 'pb', 'bin'], 'All files': ['*'] } });
        return picked?.[0] ? this.uriSpec(picked[0]) : undefined;
      },
    });
    const chosen = await pick(items, { title: 'Spanlens: set which run as the baseline?' });
    return chosen?.run();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
