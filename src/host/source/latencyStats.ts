// Per-function latency statistics for the CodeLens, the hover and "Show Spans for This Function".
// The index itself lives in the catalog's worker (src/core/catalog/statsService.ts), fed by every
// loaded source; this is the editor's side: it answers the worker's site resolutions (path mapping,
// source maps, then the enclosing function from the document symbols, so the lens sits on the
// declaration), passes on the scope setting and the selected trace, and relays the change notice.
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import type { LensFunctionStats, StatisticsScope, StatsInfo } from '../../core/catalog/protocol';
import type { FunctionStats, LatencyHistogram, RawCodeSite, ResolvedSite, SpanRef } from '../../core/source';
import { setSiteResolver } from '../catalog';
import { log } from '../log';
import type { TraceEditorProvider } from '../traceEditorProvider';
import type { DocumentSymbolCache } from './documentSymbols';
import type { WorkspaceSource } from './workspaceSource';

export type { StatisticsScope, StatsInfo };

export class LatencyStats implements vscode.Disposable {
  private scopeSetting: StatisticsScope;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The statistics the editor shows changed (debounced in the worker). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly provider: TraceEditorProvider,
    private readonly catalog: CatalogClient,
    private readonly source: WorkspaceSource,
    private readonly symbols: DocumentSymbolCache,
  ) {
    this.scopeSetting = readScope();
    setSiteResolver((raw) => this.resolveSite(raw));
    const sendScope = () => void catalog.call('statsSetScope', this.scopeSetting).catch(() => undefined);
    if (this.scopeSetting !== 'allLoaded') sendScope();
    this.disposables.push(
      catalog.onDidChangeStats(() => this.emitter.fire()),
      catalog.onDidStart(() => queueMicrotask(() => {
        sendScope();
        this.emitter.fire();
      })),
      provider.onDidChangeSelectedTrace(() => this.updateSelection()),
      provider.onDidLoadSession(() => this.updateSelection()),
      provider.onDidChangePanels(() => this.updateSelection()),
      source.onDidChange(async (c) => {
        const placed = new Set(await this.catalog.call('statsInfo').then((i) => i.files, () => [] as string[]));
        const touched = c.changedFiles.filter((f) => placed.has(f));
        for (const f of touched) symbols.invalidate(vscode.Uri.file(f));
        if (c.filesChanged || c.mapsChanged || c.configChanged || touched.length) void this.catalog.call('statsRebuild', 'workspace files or settings changed').catch(() => undefined);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('spanlens.statistics.scope')) return;
        this.scopeSetting = readScope();
        sendScope();
        this.updateSelection();
      }),
    );
  }

  get scope(): StatisticsScope {
    return this.scopeSetting;
  }

  /** Answers from the worker; an empty answer while it restarts. */
  private ask<T>(p: Promise<T>, fallback: T): Promise<T> {
    return p.catch((e) => {
      log()?.warn(`Latency statistics: ${e instanceof Error ? e.message : String(e)}`);
      return fallback;
    });
  }

  /** With a baseline set, each function carries its comparison (vsBaseline). */
  functionsInFile(fsPath: string): Promise<LensFunctionStats[]> {
    if (!this.catalog.running) return Promise.resolve([]);
    return this.ask(this.catalog.call('statsFunctionsInFile', fsPath), []);
  }

  get(key: string): Promise<FunctionStats | undefined> {
    return this.ask(this.catalog.call('statsGet', key), undefined);
  }

  histogram(key: string, bins = 12): Promise<LatencyHistogram> {
    return this.ask(this.catalog.call('statsHistogram', key, bins), { edgesNs: [], counts: [] });
  }

  slowestSpans(key: string): Promise<readonly SpanRef[]> {
    return this.ask(this.catalog.call('statsSlowest', key), []);
  }

  /** Resolves when every queued change has been indexed (tests, and "show spans" right after opening). */
  async idle(): Promise<void> {
    if (this.catalog.running) await this.ask(this.catalog.call('statsIdle'), undefined);
  }

  info(): Promise<StatsInfo> {
    return this.catalog.call('statsInfo');
  }

  /** The active waterfall's trace (or, with no active one, the last panel's). */
  private updateSelection(): void {
    if (this.scopeSetting !== 'selectedTrace' && !this.catalog.running) return;
    const panel = this.provider.activePanel() ?? this.provider.openPanels().at(-1);
    const session = panel?.getSession();
    const ti = panel?.selectedTrace;
    void this.catalog.call('statsSelect', session?.sessionId, session && ti !== undefined ? ti : undefined).catch(() => undefined);
  }

  /**
   * A distinct recorded site -> the function it belongs to: path mapping and source maps through the
   * locator, then the enclosing function from the document symbols (declaration line, qualified
   * name). Without symbols the mapped line and the recorded function (or span name) are used.
   */
  private async resolveSite(raw: RawCodeSite): Promise<ResolvedSite | undefined> {
    if (!raw.file) return undefined;
    await this.source.ready();
    const r = await this.source.locator.resolveLocation({ file: raw.file, line: raw.line, column: raw.column });
    const t = r.targets.find((x) => !x.outsideWorkspace && !x.embeddedSource);
    if (!t) return undefined;
    const uri = vscode.Uri.file(t.path);
    const file = uri.fsPath;
    const fallbackName = raw.function ?? raw.spanName;
    if (t.line === undefined) return { file, function: fallbackName };
    const fn = await this.symbols.enclosingFunction(uri, t.line, t.column);
    if (fn) return { file, line: fn.line, function: fn.name };
    return { file, line: t.line, function: fallbackName };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function readScope(): StatisticsScope {
  return vscode.workspace.getConfiguration('spanlens').get<string>('statistics.scope') === 'selectedTrace' ? 'selectedTrace' : 'allLoaded';
}
