// The trace comparison view: a WebviewPanel (webview/diff/) over a TraceDiff held in the catalog's
// worker. Each side is opened as a catalog session through a TraceDocument, exactly as a waterfall
// opens it (so a file or collected trace that is already loaded is shared, never read twice), and
// the webview asks for windows of rows, span details of either side and go to source, each
// message validated (src/shared/diffProtocol.ts) before the host acts on it.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import { parseDiffWebviewMessage, type DiffHeaderDto, type DiffHostMessage, type DiffSide, type DiffWebviewMessage, type RenderedDiffRow } from '../../shared/diffProtocol';
import type { RemoteSession } from '../catalog';
import { traceIdOfLiveUri } from '../collector/liveDocuments';
import { log } from '../log';
import type { SourceNavigator } from '../source/sourceNavigation';
import { TraceDocument } from '../traceEditorProvider';
import { pick } from '../userMessages';
import { renderWebviewHtml, webviewRoots } from '../webviewHtml';
import type { TraceRef } from './traceRefs';

export const DIFF_VIEW_TYPE = 'spanlens.traceDiff';

/** What spanlens._test.diffInfo reports: the state, the header and the rows the webview drew. */
export interface DiffInfo {
  state: 'loading' | 'loaded' | 'error';
  error?: string;
  baseline?: { uri: string; traceIndex: number };
  candidate?: { uri: string; traceIndex: number };
  header?: DiffHeaderDto;
  rendered?: { changedOnly: boolean; total: number; rows: RenderedDiffRow[] };
}

interface Side {
  readonly doc: TraceDocument;
  session: RemoteSession;
  traceIndex: number;
}

export class DiffPanel implements vscode.Disposable {
  readonly info: DiffInfo = { state: 'loading' };
  private sides?: { baseline: Side; candidate: Side };
  private diffId?: number;
  private opening?: Promise<void>;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly catalog: CatalogClient,
    private readonly navigator: SourceNavigator,
    private readonly refs: { baseline: TraceRef; candidate: TraceRef },
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, panel.title, 'diff');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      // The worker stopped: the diff and both sessions went with it; open them again.
      catalog.onDidStop(() => {
        this.sides?.baseline.doc.forget();
        this.sides?.candidate.doc.forget();
        this.sides = undefined;
        this.diffId = undefined;
        void this.reopen();
      }),
    );
    void this.reopen();
  }

  /** Opens both sides (loading what is not loaded) and the diff; again after a tolerance change. */
  reopen(): Promise<void> {
    const run = async () => {
      this.info.state = 'loading';
      this.post({ type: 'loading', text: 'Loading both traces…' });
      try {
        const sides = this.sides ?? (this.sides = await this.openSides());
        if (this.disposed) return this.dispose();
        if (this.diffId !== undefined) void this.catalog.call('diffClose', this.diffId).catch(() => undefined);
        const label = (s: Side) => sourceLabel(s.doc.uri);
        const { diffId, header } = await this.catalog.call(
          'diffOpen',
          { sessionId: sides.baseline.session.sessionId, traceIndex: sides.baseline.traceIndex, label: label(sides.baseline) },
          { sessionId: sides.candidate.session.sessionId, traceIndex: sides.candidate.traceIndex, label: label(sides.candidate) },
        );
        if (this.disposed) return void this.catalog.call('diffClose', diffId).catch(() => undefined);
        this.diffId = diffId;
        Object.assign(this.info, {
          state: 'loaded',
          error: undefined,
          header,
          rendered: undefined,
          baseline: { uri: sides.baseline.doc.uri.toString(), traceIndex: sides.baseline.traceIndex },
          candidate: { uri: sides.candidate.doc.uri.toString(), traceIndex: sides.candidate.traceIndex },
        });
        this.panel.title = `${header.baseline.rootName || 'baseline'} ↔ ${header.candidate.rootName || 'candidate'}`;
        this.post({ type: 'diffLoaded', header });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        Object.assign(this.info, { state: 'error', error: message });
        log()?.warn(`Could not compare the traces: ${message}`);
        this.post({ type: 'diffError', message });
      }
    };
    const p = (this.opening ?? Promise.resolve()).then(run);
    this.opening = p;
    return p;
  }

  private async openSides(): Promise<{ baseline: Side; candidate: Side }> {
    const baseline = await this.side(this.refs.baseline);
    try {
      return { baseline, candidate: await this.side(this.refs.candidate) };
    } catch (e) {
      baseline.doc.dispose();
      throw e;
    }
  }

  /** Loads one side's document and settles which of its traces is meant. */
  private async side(ref: TraceRef): Promise<Side> {
    const doc = new TraceDocument(ref.uri, this.catalog);
    const loaded = await doc.load();
    if (!loaded.ok) {
      doc.dispose();
      throw new Error(`${doc.fileName}: ${loaded.error.message}`);
    }
    const s = loaded.session;
    let traceIndex = ref.traceId ? s.summaries().findIndex((t) => t.traceId === ref.traceId) : (ref.traceIndex ?? (s.traceCount === 1 ? 0 : -1));
    if (traceIndex < 0 && !ref.traceId) {
      const items = s.summaries().map((t) => ({ label: t.rootName || t.traceId, description: `${t.rootService} · ${t.spanCount} spans`, traceIndex: t.traceIndex }));
      traceIndex = (await pick(items, { title: `Spanlens: which trace of ${doc.fileName}?` }))?.traceIndex ?? -1;
    }
    if (traceIndex < 0 || traceIndex >= s.traceCount) {
      doc.dispose();
      throw new Error(ref.traceId ? `trace ${ref.traceId} is not in ${doc.fileName}` : `no trace of ${doc.fileName} was chosen`);
    }
    return { doc, session: s, traceIndex };
  }

  private post(m: DiffHostMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(m);
  }

  private onMessage(raw: unknown): void {
    const msg = parseDiffWebviewMessage(raw);
    if (!msg) {
      log()?.warn('Ignored a malformed message from the trace comparison webview.');
      return;
    }
    this.dispatch(msg);
  }

  private dispatch(msg: DiffWebviewMessage): void {
    switch (msg.type) {
      case 'ready':
        // A webview that was hidden reloads: it gets the current state again.
        if (this.info.state === 'loaded' && this.info.header) this.post({ type: 'diffLoaded', header: this.info.header });
        else if (this.info.state === 'error') this.post({ type: 'diffError', message: this.info.error ?? 'unknown error' });
        return;
      case 'request': {
        const answer = (fn: () => Promise<unknown>) =>
          fn().then(
            (result) => this.post({ type: 'response', requestId: msg.requestId, ok: true, result }),
            (e) => this.post({ type: 'response', requestId: msg.requestId, ok: false, error: e instanceof Error ? e.message : String(e) }),
          );
        if (msg.method === 'rows') {
          const p = msg.params as { changedOnly: boolean; start: number; end: number };
          void answer(async () => {
            if (this.diffId === undefined) throw new Error('the comparison is not open');
            return this.catalog.call('diffRows', this.diffId, p.changedOnly, p.start, p.end);
          });
        } else {
          const p = msg.params as { side: DiffSide; spanIndex: number };
          void answer(async () => {
            const s = this.sideOf(p.side);
            s.session.checkSpan(s.traceIndex, p.spanIndex);
            return s.session.handle('spanDetail', { traceIndex: s.traceIndex, spanIndex: p.spanIndex });
          });
        }
        return;
      }
      case 'goToSource': {
        const s = this.sides?.[msg.side];
        if (!s) return;
        try {
          s.session.checkSpan(s.traceIndex, msg.spanIndex);
        } catch {
          return;
        }
        void this.navigator.goToSessionSpan(s.session, s.traceIndex, msg.spanIndex, this.panel);
        return;
      }
      case 'copy':
        void vscode.env.clipboard.writeText(msg.text).then(() => vscode.window.setStatusBarMessage('Spanlens: copied', 2000));
        return;
      case 'rendered':
        this.info.rendered = { changedOnly: msg.changedOnly, total: msg.total, rows: [...msg.rows] };
        return;
    }
  }

  private sideOf(side: DiffSide): Side {
    const s = this.sides?.[side];
    if (!s) throw new Error('the comparison is not open');
    return s;
  }

  get active(): boolean {
    return this.panel.active;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Idempotent; also called when the panel closed while both sides were still loading. */
  dispose(): void {
    this.disposed = true;
    if (this.diffId !== undefined) void this.catalog.call('diffClose', this.diffId).catch(() => undefined);
    this.diffId = undefined;
    this.sides?.baseline.doc.dispose();
    this.sides?.candidate.doc.dispose();
    this.sides = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** "base.otlp.json", or "dev collector" for a collected trace. */
export function sourceLabel(uri: vscode.Uri): string {
  return traceIdOfLiveUri(uri) ? 'dev collector' : path.basename(uri.path);
}
