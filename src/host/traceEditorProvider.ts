// The waterfall custom editor. The document loads and imports the file once; each panel wires a
// webview to it through the typed protocol, validating every message before acting on it.
import * as path from 'path';
import * as vscode from 'vscode';
import { CatalogCallError, CatalogClient, WorkerStoppedError, type LoadHandle } from '../core/catalog/client';
import type { SessionSpec } from '../core/catalog/protocol';
import { checkFileSize } from '../core/importers/limits';
import { FORMAT_LABELS } from '../core/model/model';
import { toErrorView } from '../core/view/errorView';
import { RemoteSession } from './catalog';
import { traceIdOfLiveUri } from './collector/liveDocuments';
import { ErrorViewDto, HostMessage, parseWebviewMessage, WebviewMessage } from '../shared/protocol';
import { log } from './log';
import { renderWebviewHtml, webviewRoots } from './webviewHtml';

export const VIEW_TYPE = 'spanlens.traceViewer';
export const VIEW_TYPE_OPTION = 'spanlens.traceViewer.option';

type LoadResult = { ok: true; session: RemoteSession; ms: number } | { ok: false; error: ErrorViewDto; cancelled?: boolean };

/** A load that takes longer than this shows a progress notification with a Cancel button. */
const PROGRESS_AFTER_MS = 400;

export class TraceDocument implements vscode.CustomDocument {
  private loading?: Promise<LoadResult>;
  private session?: RemoteSession;

  constructor(
    readonly uri: vscode.Uri,
    private readonly catalog: CatalogClient,
  ) {}

  get fileName(): string {
    return path.basename(this.uri.path);
  }

  /** Loads the file into the catalog once; every panel of this document shares the session. */
  load(): Promise<LoadResult> {
    return (this.loading ??= this.readAndImport());
  }

  private async spec(): Promise<SessionSpec> {
    const key = this.uri.toString();
    const liveId = traceIdOfLiveUri(this.uri);
    if (liveId) return { kind: 'collected', traceId: liveId, key };
    const maxFileSizeMB = vscode.workspace.getConfiguration('spanlens').get<number>('maxFileSizeMB', 256);
    if (this.uri.scheme === 'file') return { kind: 'file', path: this.uri.fsPath, fileName: this.fileName, key, maxFileSizeMB };
    // A virtual file system the worker cannot read: the bytes travel once, transferred.
    const stat = await vscode.workspace.fs.stat(this.uri);
    checkFileSize(stat.size, maxFileSizeMB, 'the setting "spanlens.maxFileSizeMB"');
    return { kind: 'bytes', bytes: await vscode.workspace.fs.readFile(this.uri), fileName: this.fileName, key };
  }

  private async readAndImport(): Promise<LoadResult> {
    try {
      const load = this.catalog.open(await this.spec(), (p) => this.progress?.(p.bytesDone, p.bytesTotal, p.spans));
      const timer = setTimeout(() => this.showProgress(load), PROGRESS_AFTER_MS);
      let info;
      try {
        info = await load.done;
      } finally {
        clearTimeout(timer);
        this.progressDone?.();
      }
      this.session = new RemoteSession(this.catalog, info);
      log()?.info(`Opened ${this.fileName}: ${info.formatLabel}, ${info.traces.length} trace(s), ${info.spanCount} span(s) in ${info.importMs.toFixed(0)} ms`);
      return { ok: true, session: this.session, ms: info.importMs };
    } catch (err) {
      if (err instanceof CatalogCallError && err.cancelled) {
        log()?.info(`Opening ${this.fileName} was cancelled.`);
        this.loading = undefined; // the next view of it loads again
        return { ok: false, cancelled: true, error: { fileName: this.fileName, message: 'Loading was cancelled; nothing of it is kept in memory.', formatsTried: [], location: {}, locationText: '', retryable: true } };
      }
      let error = err instanceof CatalogCallError && err.errorView ? (err.errorView as ErrorViewDto) : toErrorView(err, this.fileName, FORMAT_LABELS);
      if (err instanceof WorkerStoppedError) {
        this.loading = undefined;
        error = { ...error, message: `${err.message}. The editor is fine; load the file again, or raise "spanlens.worker.maxMemoryMB" if it ran out of memory.`, retryable: true };
      }
      log()?.warn(`Could not open ${this.fileName}: ${error.message}${error.locationText ? ` (${error.locationText})` : ''}`);
      return { ok: false, error };
    }
  }

  private progress?: (done: number, total: number, spans?: number) => void;
  private progressDone?: () => void;

  /** The notification of a long load: bytes (and spans) done, and Cancel. */
  private showProgress(load: LoadHandle): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Spanlens: opening ${this.fileName}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          let reported = 0;
          token.onCancellationRequested(() => load.cancel());
          this.progress = (done, total, spans) => {
            const pct = total ? (100 * done) / total : 0;
            progress.report({ increment: pct - reported, message: `${formatBytes(done)} of ${formatBytes(total)}${spans ? ` · ${spans.toLocaleString('en-US')} spans` : ''}` });
            reported = pct;
          };
          this.progressDone = () => {
            this.progress = this.progressDone = undefined;
            resolve();
          };
        }),
    );
  }

  /** Forgets the load, so the next load reads the file again (a live collected trace that grew). */
  reset(): void {
    this.session?.close();
    this.session = undefined;
    this.loading = undefined;
  }

  /** The worker stopped: its sessions are gone; the next load starts afresh. */
  forget(): void {
    this.session = undefined;
    this.loading = undefined;
  }

  onDispose?: () => void;

  dispose(): void {
    this.reset();
    this.onDispose?.();
  }
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(0)} MB` : `${(n / 1024).toFixed(0)} KB`;
}

/** What the test command reports about a panel: what the user is being shown. */
export interface PanelInfo {
  fileName: string;
  uri: string;
  state: 'loading' | 'loaded' | 'error';
  format?: string;
  traceCount?: number;
  spanCount?: number;
  warnings?: string[];
  error?: ErrorViewDto;
  metrics: Record<string, number>;
  /** The trace the waterfall shows (selectTrace, or the only trace). */
  selectedTrace?: number;
  /** The last span the host asked the waterfall to reveal (showFunctionSpans, links). */
  revealed?: { traceIndex: number; spanIndex: number };
}

export class TracePanel implements vscode.Disposable {
  readonly info: PanelInfo;
  private session?: RemoteSession;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly sessionEmitter = new vscode.EventEmitter<RemoteSession>();
  /** Fires when the file is imported and shown, and again after a reload (the statistics index listens). */
  readonly onDidLoadSession = this.sessionEmitter.event;
  private readonly selectionEmitter = new vscode.EventEmitter<number | undefined>();
  /** Fires when the waterfall switches to another trace. */
  readonly onDidSelectTrace = this.selectionEmitter.event;
  /** The webview has sent `ready` since it was last hidden (non-retained webviews reload when shown). */
  private webviewReady = false;
  /** A reveal asked for before the webview could take it: sent with the file. */
  private pendingReveal?: { traceIndex: number; spanIndex: number };
  /** After sending a file with a reveal, the webview's own restore (selectTrace) must not win over it. */
  private dropNextSelectTrace = false;

  constructor(
    readonly document: TraceDocument,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onActive: (p: TracePanel) => void,
  ) {
    this.info = { fileName: document.fileName, uri: document.uri.toString(), state: 'loading', metrics: {} };
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, document.fileName);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.webviewReady = false;
        if (e.webviewPanel.active) this.onActive(this);
      }),
      this.sessionEmitter,
      this.selectionEmitter,
    );
    onActive(this);
  }

  private post(msg: HostMessage): void {
    void this.panel.webview.postMessage(msg);
  }

  /** Sends the file (or its error) to the webview. Called on every `ready`, so a reloaded webview catches up. */
  private async sendFile(): Promise<void> {
    this.post({ type: 'loading', fileName: this.document.fileName, bytes: 0 });
    const result = await this.document.load();
    if (!result.ok) {
      Object.assign(this.info, { state: 'error', error: result.error });
      this.post({ type: 'loadError', error: result.error });
      return;
    }
    const s = result.session;
    const first = this.session !== s; // first load, or the document was re-read (reload)
    this.session = s;
    const warnings = s.warningTexts();
    Object.assign(this.info, { state: 'loaded', format: s.info.format, traceCount: s.traceCount, spanCount: s.info.spanCount, warnings });
    this.info.metrics.importMs = result.ms;
    this.webviewReady = true;
    this.post({ type: 'fileLoaded', fileName: this.document.fileName, format: s.formatLabel, traces: s.summaries(), warnings });
    const reveal = this.pendingReveal;
    this.pendingReveal = undefined;
    if (reveal && this.isValidSpan(reveal.traceIndex, reveal.spanIndex)) {
      this.dropNextSelectTrace = s.traceCount > 1;
      // The restore message, if any, comes right after `fileLoaded`; never hold a user's click later.
      if (this.dropNextSelectTrace) setTimeout(() => (this.dropNextSelectTrace = false), 2000);
      await this.postReveal(reveal.traceIndex, reveal.spanIndex);
    } else if (s.traceCount === 1) {
      this.post({ type: 'traceData', waterfall: await s.waterfall(0) });
      this.setSelectedTrace(0);
    }
    if (first) this.sessionEmitter.fire(s);
  }

  private isValidSpan(traceIndex: number, spanIndex: number): boolean {
    try {
      this.session?.checkSpan(traceIndex, spanIndex);
      return !!this.session;
    } catch {
      return false;
    }
  }

  private async postReveal(traceIndex: number, spanIndex: number): Promise<void> {
    this.post({ type: 'traceData', waterfall: await this.session!.waterfall(traceIndex) });
    this.post({ type: 'revealSpan', traceIndex, spanIndex });
    this.info.revealed = { traceIndex, spanIndex };
    this.setSelectedTrace(traceIndex);
  }

  private setSelectedTrace(traceIndex: number | undefined): void {
    if (this.info.selectedTrace === traceIndex) return;
    this.info.selectedTrace = traceIndex;
    this.selectionEmitter.fire(traceIndex);
  }

  /** The trace the waterfall shows, if any. */
  get selectedTrace(): number | undefined {
    return this.info.selectedTrace;
  }

  get viewColumn(): vscode.ViewColumn | undefined {
    return this.panel.viewColumn;
  }

  get active(): boolean {
    return this.panel.active;
  }

  /** Brings this waterfall to the front in its own editor group. */
  reveal(preserveFocus = false): void {
    this.panel.reveal(this.panel.viewColumn, preserveFocus);
  }

  /**
   * Shows a span in the waterfall: switches to its trace and selects it. Before the webview is
   * ready (just opened, or reloading after being hidden) the reveal is sent along with the file.
   */
  revealSpan(traceIndex: number, spanIndex: number): void {
    if (this.session && this.webviewReady && this.panel.visible) {
      this.session.checkSpan(traceIndex, spanIndex);
      void this.postReveal(traceIndex, spanIndex).catch((e) => log()?.warn(`Could not show span: ${e instanceof Error ? e.message : String(e)}`));
    } else {
      this.pendingReveal = { traceIndex, spanIndex };
    }
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      log()?.warn('Ignored a malformed message from the waterfall webview.');
      return;
    }
    try {
      this.dispatch(msg);
    } catch (err) {
      log()?.error(`Webview request failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private dispatch(msg: WebviewMessage): void {
    if (msg.type !== 'selectTrace' && msg.type !== 'metric' && msg.type !== 'ready') this.dropNextSelectTrace = false;
    switch (msg.type) {
      case 'ready':
        void this.sendFile();
        return;
      case 'selectTrace':
        if (!this.session) return;
        if (this.dropNextSelectTrace) {
          // The webview restoring its last trace, racing the reveal that was sent with the file.
          this.dropNextSelectTrace = false;
          return;
        }
        this.session.checkTrace(msg.traceIndex);
        this.setSelectedTrace(msg.traceIndex);
        void this.session.waterfall(msg.traceIndex).then(
          (waterfall) => this.post({ type: 'traceData', waterfall }),
          (e) => log()?.warn(`Could not lay out trace #${msg.traceIndex}: ${e instanceof Error ? e.message : String(e)}`),
        );
        return;
      case 'request':
        this.answer(msg.requestId, () => {
          if (!this.session) throw new Error('the file is not loaded');
          return this.session.handle(msg.method, msg.params);
        });
        return;
      case 'reload':
        this.document.reset();
        void this.sendFile();
        return;
      case 'openAsText':
        void vscode.commands.executeCommand('vscode.openWith', this.document.uri, 'default', this.panel.viewColumn);
        return;
      case 'copy':
        void vscode.env.clipboard.writeText(msg.text).then(() => vscode.window.setStatusBarMessage('Spanlens: copied', 2000));
        return;
      case 'openLink':
        if (!this.session) return;
        this.session.checkSpan(msg.traceIndex, msg.spanIndex);
        void this.postReveal(msg.traceIndex, msg.spanIndex);
        return;
      case 'goToSource':
        if (!this.session) return;
        this.session.checkSpan(msg.traceIndex, msg.spanIndex);
        void vscode.commands.executeCommand('spanlens.goToSpanSource', this.document.uri, msg.traceIndex, msg.spanIndex);
        return;
      case 'openFrame':
        if (!this.session) return;
        this.session.checkSpan(msg.traceIndex, msg.spanIndex);
        void vscode.commands.executeCommand('spanlens.openSpanFrame', this.document.uri, msg.traceIndex, msg.spanIndex, msg.stackIndex, msg.frameIndex);
        return;
      case 'metric':
        this.info.metrics[msg.name] = msg.value;
        return;
    }
  }

  private answer(requestId: number, fn: () => unknown): void {
    Promise.resolve()
      .then(fn)
      .then(
        (result) => this.post({ type: 'response', requestId, ok: true, result }),
        (err) => this.post({ type: 'response', requestId, ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
  }

  getSession(): RemoteSession | undefined {
    return this.session;
  }

  /** The span details the webview holds are stale (the masking setting changed). */
  detailsChanged(): void {
    if (this.webviewReady) this.post({ type: 'detailsChanged' });
  }

  /**
   * Re-reads the document and shows it again; the webview keeps the user's place. A hidden webview
   * gets the fresh file when it is shown again (its `ready`), so only a ready one is sent to now.
   */
  async reload(): Promise<void> {
    this.document.reset();
    if (this.webviewReady && this.panel.visible) await this.sendFile();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export class TraceEditorProvider implements vscode.CustomReadonlyEditorProvider<TraceDocument> {
  private readonly panels = new Set<TracePanel>();
  private active?: TracePanel;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when trace panels open or close (the Traces view listens). */
  readonly onDidChangePanels = this.changeEmitter.event;
  private readonly loadEmitter = new vscode.EventEmitter<TracePanel>();
  /** A panel's file was imported (once per panel). The latency statistics add its traces. */
  readonly onDidLoadSession = this.loadEmitter.event;
  private readonly selectEmitter = new vscode.EventEmitter<TracePanel>();
  /** A panel's waterfall switched trace, or another panel became active. */
  readonly onDidChangeSelectedTrace = this.selectEmitter.event;

  private readonly documents = new Set<TraceDocument>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly catalog: CatalogClient,
  ) {
    // The worker stopped: every open document loads again when its view next asks.
    catalog.onDidStop(() => {
      for (const d of this.documents) d.forget();
      for (const p of this.panels) void p.reload();
    });
  }

  static register(context: vscode.ExtensionContext, catalog: CatalogClient): TraceEditorProvider {
    const provider = new TraceEditorProvider(context.extensionUri, catalog);
    const opts = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, opts),
      vscode.window.registerCustomEditorProvider(VIEW_TYPE_OPTION, provider, opts),
      provider.changeEmitter,
      provider.loadEmitter,
      provider.selectEmitter,
    );
    return provider;
  }

  openCustomDocument(uri: vscode.Uri): TraceDocument {
    const doc = new TraceDocument(uri, this.catalog);
    this.documents.add(doc);
    doc.onDispose = () => this.documents.delete(doc);
    return doc;
  }

  resolveCustomEditor(document: TraceDocument, panel: vscode.WebviewPanel): void {
    const tp = new TracePanel(document, panel, this.extensionUri, (p) => {
      const changed = this.active !== p;
      this.active = p;
      if (changed) this.selectEmitter.fire(p);
    });
    tp.onDidLoadSession(() => this.loadEmitter.fire(tp));
    tp.onDidSelectTrace(() => this.selectEmitter.fire(tp));
    this.panels.add(tp);
    this.changeEmitter.fire();
    panel.onDidDispose(() => {
      tp.dispose();
      this.panels.delete(tp);
      if (this.active === tp) this.active = undefined;
      this.changeEmitter.fire();
    });
  }

  activePanel(): TracePanel | undefined {
    return this.active;
  }

  openPanels(): TracePanel[] {
    return [...this.panels];
  }

  /** The panels showing `uri`, the active one first. */
  panelsFor(uri: vscode.Uri): TracePanel[] {
    const key = uri.toString();
    return [...this.panels].filter((p) => p.document.uri.toString() === key).sort((a, b) => Number(b === this.active) - Number(a === this.active));
  }
}
