/**
 * Spanlens waterfall webview: entry point and the controller that wires views to host messages.
 *
 * Stable DOM hooks (used by Playwright tests; keep them when refactoring):
 *   #sl-trace-list              trace list view; rows `.sl-tl-row[data-trace-index]` (`.selected`),
 *                               sortable headers `.sl-tl-h[data-sort=name|service|start|duration|spans|errors]`
 *                               (`.sorted`, `.desc`, aria-sort), filter input `#sl-trace-filter`
 *   #sl-trace-view              waterfall view; `#sl-trace-title`, `#sl-trace-meta`, `#sl-legend`,
 *                               `#sl-warnings` (<details>), `#sl-back` (only with several traces)
 *   .sl-scroller                the focusable row container (role=tree)
 *   .sl-row                     one visible span row: `data-row` (row in WaterfallDto), `data-span-index`,
 *                               classes `.selected`, `.error`, `.match` / `.context` (while searching);
 *                               children `.sl-toggle` (`.collapsed` / `.expanded` / `.leaf`), `.sl-swatch`,
 *                               `.sl-name`, `.sl-err`, `.sl-issue` (title = issue text), `.sl-bar`, `.sl-dur`,
 *                               `.sl-evt` (event ticks), `.sl-crit` (critical-path segments)
 *   .sl-axis / .sl-tick         time axis (drag to zoom), tick labels
 *   #sl-search, #sl-service, #sl-min-duration, #sl-errors-only, #sl-find-prev, #sl-find-next,
 *   #sl-find-count ("3 of 12"), #sl-find-clear, #sl-find-desc
 *   #sl-expand-all, #sl-collapse-all, #sl-depth, #sl-reset-zoom
 *   #sl-view-waterfall, #sl-view-flame   view toggle buttons (aria-pressed); `.sl-flame-mode` on #sl-trace-view
 *   #sl-flame-canvas            the flame graph (canvas, focusable), `#sl-flame-tip` its hover tooltip
 *   #sl-detail                  span detail pane; `#sl-goto-source`, `.sl-copy` buttons, `.sl-section` (<details>),
 *                               stack frames `.sl-stack[data-stack-index] .sl-frame[data-frame-index]` (buttons)
 *   #sl-error                   load error view; `#sl-open-as-text`
 *   #sl-loading                 loading view
 *   window.__spanlens           { firstRenderMs, searchApplyMs, scrollBench(opts?), collapseToDepth(d), snapshot(),
 *                               flameZoomBench(frames), flameBars(), flameStats(), viewMode } for benchmarks and UI checks
 */
import './styles.css';
import type { SearchResultDto, SpanDetailDto, TraceSummaryDto, WaterfallDto } from '../src/shared/protocol';
import { DetailPane } from './detailPane';
import { clear, el, isTypingTarget } from './dom';
import { renderErrorView } from './errorView';
import { EMPTY_FIND, FindBar, type FindState } from './findBar';
import { FlameGraph } from './flameGraph';
import { HostClient, type PushMessage } from './host';
import { percentile } from './stats';
import { TraceHeader, TreeControls } from './traceHeader';
import { TraceListView, type TraceListState } from './traceList';
import { decodeCollapsed, encodeCollapsed, indexOfRow, TraceRows, type CollapseBase } from './treeModel';
import { button, progressRing, registerToolkit, type ButtonElement } from './toolkit';
import { WaterfallView } from './waterfallView';

/** What survives hiding the tab (vscode.setState). */
interface SavedState {
  readonly v: 1;
  readonly view: 'list' | 'trace';
  readonly traceIndex?: number;
  readonly traceId?: string;
  readonly scrollTop?: number;
  readonly selectedSpan?: number;
  readonly collapseBase?: CollapseBase;
  readonly collapseToggled?: readonly number[];
  readonly zoom?: readonly [number, number] | null;
  readonly find?: FindState;
  readonly list?: TraceListState & { readonly scrollTop: number };
  /** Which view shows the trace; absent means the waterfall (state saved before the flame graph). */
  readonly mode?: ViewMode;
  readonly flameZoom?: readonly [number, number] | null;
  readonly flameTop?: number;
}

type ViewMode = 'waterfall' | 'flame';

interface FileInfo {
  readonly fileName: string;
  readonly format: string;
  readonly traces: readonly TraceSummaryDto[];
  readonly warnings: readonly string[];
}

export interface ScrollBenchResult {
  frames: number;
  /** Main-thread time per frame: scroll + row recycling + style, layout and paint, ms. */
  p50: number;
  p95: number;
  max: number;
  /** Time between animation frames, ms (about 16.7 when no frame is dropped). */
  intervalP50: number;
  intervalP95: number;
  intervalMax: number;
  stepPx: number;
  rowsInDom: number;
}

declare global {
  interface Window {
    __spanlens?: {
      firstRenderMs?: number;
      /** Last search result: response received → filtered rows painted, ms. */
      searchApplyMs?: number;
      collapseToDepth(depth: number): void;
      scrollBench(opts?: { frames?: number; stepPx?: number }): Promise<ScrollBenchResult>;
      snapshot(): unknown;
      /** The flame graph's per-frame times (redraw → painted) while zooming in and out, ms. */
      flameZoomBench(frames: number): Promise<number[]>;
      /** The flame graph's drawn bars (CSS px within the canvas), for UI checks. */
      flameBars(): unknown[];
      flameStats(): { lastDrawMs: number; bars: number; mergedRuns: number; widthPx: number; heightPx: number };
      viewMode: ViewMode;
    };
  }
}

type ViewName = 'empty' | 'loading' | 'error' | 'list' | 'trace';

const SAVE_DELAY_MS = 250;
const DETAIL_CACHE_SIZE = 64;

class App {
  private readonly host: HostClient;
  private readonly appEl: HTMLElement;
  private readonly loadingEl: HTMLElement;
  private readonly loadingText: HTMLElement;
  private errorEl: HTMLElement | null = null;
  private readonly traceList: TraceListView;
  private readonly traceViewEl: HTMLElement;
  private readonly header: TraceHeader;
  private readonly findBar: FindBar;
  private readonly controls: TreeControls;
  private readonly waterfall: WaterfallView;
  private readonly detail: DetailPane;
  private readonly flame: FlameGraph;
  private readonly viewsEl: HTMLElement;
  private readonly modeButtons: Record<ViewMode, ButtonElement>;
  private mode: ViewMode = 'waterfall';

  private view: ViewName = 'empty';
  private file: FileInfo | null = null;
  private rows: TraceRows | null = null;
  /** Saved view state to apply once, when its trace arrives. */
  private restore: SavedState | null;
  private listRestore: SavedState['list'] | null;
  private pendingScrollTop: number | null = null;
  private pendingReveal: { traceIndex: number; spanIndex: number } | null = null;
  private matches: Int32Array | null = null;
  private searchDescription = '';
  private searchSeq = 0;
  private detailSeq = 0;
  private readonly detailCache = new Map<number, SpanDetailDto>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Encoded collapsed set by WaterfallView.collapseVersion: encoding walks every row. */
  private collapseCache: { rows: TraceRows; version: number; toggled: readonly number[] } | null = null;

  constructor(root: HTMLElement) {
    registerToolkit();
    this.host = new HostClient((m) => this.onMessage(m));
    const saved = this.host.getState() as SavedState | undefined;
    this.restore = saved && saved.v === 1 ? saved : null;
    this.listRestore = this.restore?.list ?? null;
    this.mode = this.restore?.mode === 'flame' ? 'flame' : 'waterfall';

    this.appEl = root;
    this.appEl.classList.add('sl-app');

    this.loadingEl = el('div', 'sl-loading');
    this.loadingEl.id = 'sl-loading';
    this.loadingText = el('span', undefined, 'Waiting for the trace…');
    this.loadingEl.append(progressRing(), this.loadingText);

    this.traceList = new TraceListView({
      onOpen: (i) => this.openTrace(i),
      onStateChange: () => this.scheduleSave(),
    });

    this.header = new TraceHeader(
      () => this.backToList(),
      () => this.showTraceLogs(),
    );
    this.findBar = new FindBar({
      onQueryChange: () => this.runSearch(),
      onStep: (d) => this.step(d),
      onEscape: () => this.escapeFromSearch(),
    });
    this.waterfall = new WaterfallView({
      onSelect: (r) => this.onSelect(r),
      onActivate: (r) => this.goToSource(r),
      onViewChange: () => this.scheduleSave(),
      issueText: (r) => this.issueText(r),
    });
    this.controls = new TreeControls({
      expandAll: () => this.waterfall.expandAll(),
      collapseAll: () => this.waterfall.collapseAll(),
      collapseToDepth: (d) => this.waterfall.collapseToDepth(d),
      resetZoom: () => (this.mode === 'flame' ? this.flame.resetZoom() : this.waterfall.resetZoom()),
    });
    this.flame = new FlameGraph({
      onSelect: (r) => this.selectRow(r),
      onActivate: (r) => this.goToSource(r),
      onViewChange: () => this.scheduleSave(),
    });
    this.detail = new DetailPane({
      copy: (text) => this.host.post({ type: 'copy', text }),
      goToSource: (spanIndex) => this.host.post({ type: 'goToSource', traceIndex: this.traceIndex, spanIndex }),
      selectParent: () => {
        const r = this.waterfall.selectedRow;
        if (r >= 0 && this.rows && this.rows.parent[r] >= 0) this.revealRow(this.rows.parent[r]);
      },
      followLink: (t) => this.followLink(t),
      openFrame: (f) => this.host.post({ type: 'openFrame', ...f }),
      close: () => {
        this.detail.hide();
        this.focusView();
      },
    });

    this.traceViewEl = el('div', 'sl-traceview');
    this.traceViewEl.id = 'sl-trace-view';
    const toolbar = el('div', 'sl-toolbar');
    // The initial appearance goes in at creation: the toolkit button ignores a change made before
    // it is connected (a restored "flame" mode would otherwise show both buttons unpressed).
    const look = (m: ViewMode) => (m === this.mode ? 'primary' : 'secondary');
    this.modeButtons = {
      waterfall: button('Waterfall', () => this.setMode('waterfall'), { id: 'sl-view-waterfall', title: 'Show the trace as a waterfall', appearance: look('waterfall') }),
      flame: button('Flame graph', () => this.setMode('flame'), { id: 'sl-view-flame', title: 'Show the trace as a flame graph', appearance: look('flame') }),
    };
    const modeGroup = el('div', 'sl-viewtoggle');
    modeGroup.setAttribute('role', 'group');
    modeGroup.setAttribute('aria-label', 'View');
    modeGroup.append(this.modeButtons.waterfall, this.modeButtons.flame);
    // The view toggle sits at the end of the title line, so the find fields keep the toolbar's width.
    this.header.viewSlot.append(modeGroup);
    toolbar.append(this.findBar.root, this.controls.root);
    // The flame graph sits over the waterfall, which stays laid out (hidden) so its scroll
    // position and row recycling are intact when the user switches back.
    this.viewsEl = el('div', 'sl-views');
    this.viewsEl.append(this.waterfall.root, this.flame.root);
    const main = el('div', 'sl-main');
    main.append(this.viewsEl, this.detail.root);
    this.traceViewEl.append(this.header.root, toolbar, main);

    this.appEl.append(this.loadingEl, this.traceList.root, this.traceViewEl);
    this.show('empty');

    document.addEventListener('keydown', (e) => this.onGlobalKey(e));
    window.__spanlens = {
      scrollBench: (opts) => this.scrollBench(opts),
      collapseToDepth: (d) => this.waterfall.collapseToDepth(d),
      snapshot: () => this.snapshot(),
      flameZoomBench: (frames) => this.flame.zoomBench(frames),
      flameBars: () => this.flame.drawnBars(),
      flameStats: () => this.flame.stats(),
      viewMode: this.mode,
    };
    this.applyModeUi();
    this.host.post({ type: 'ready' });
  }

  private get traceIndex(): number {
    return this.rows?.dto.traceIndex ?? -1;
  }

  // -------------------------------------------------------------------------------------------
  // Host messages

  private onMessage(m: PushMessage): void {
    switch (m.type) {
      case 'loading':
        // The file is being re-read while a trace is open: remember where the user was.
        if (this.view === 'trace' && this.rows && !this.restore) this.restore = this.snapshot();
        this.loadingText.textContent = m.bytes > 0 ? `Loading ${m.fileName} (${formatBytes(m.bytes)})…` : `Loading ${m.fileName}…`;
        this.show('loading');
        break;
      case 'loadError':
        this.showError(m);
        break;
      case 'fileLoaded':
        this.onFileLoaded(m);
        break;
      case 'traceData':
        this.onTraceData(m.waterfall);
        break;
      case 'revealSpan':
        if (m.traceIndex === this.traceIndex && this.rows) {
          this.show('trace');
          this.revealRow(this.rows.rowOfSpan(m.spanIndex));
        } else this.pendingReveal = { traceIndex: m.traceIndex, spanIndex: m.spanIndex };
        break;
      case 'detailsChanged':
        // The masking setting changed: cached details are stale; show the open one anew.
        this.detailCache.clear();
        if (!this.detail.root.hidden && this.detail.spanIndex >= 0) this.onSelect(this.waterfall.selectedRow);
        break;
    }
  }

  private showError(m: Extract<PushMessage, { type: 'loadError' }>): void {
    this.errorEl?.remove();
    this.errorEl = renderErrorView(
      m.error,
      () => this.host.post({ type: 'openAsText' }),
      () => this.host.post({ type: 'reload' }),
    );
    this.appEl.appendChild(this.errorEl);
    this.show('error');
  }

  private onFileLoaded(m: FileInfo): void {
    this.file = { fileName: m.fileName, format: m.format, traces: m.traces, warnings: m.warnings };
    // The file was re-read while a trace was open: come back to the same place.
    if (this.view === 'trace' && this.rows && !this.restore) this.restore = this.snapshot();
    if (this.listRestore) {
      this.traceList.state = { ...this.listRestore };
    }
    this.traceList.setData(m.fileName, m.format, m.traces, m.warnings);
    if (this.listRestore) {
      this.traceList.scrollTop = this.listRestore.scrollTop;
      this.listRestore = null;
    }
    const r = this.restore;
    const wanted = r?.view === 'trace' && r.traceIndex !== undefined ? m.traces[r.traceIndex] : undefined;
    if (m.traces.length === 1) {
      this.loadingText.textContent = 'Opening the trace…';
      this.show('loading');
    } else if (wanted && wanted.traceId === r?.traceId) {
      this.loadingText.textContent = 'Opening the trace…';
      this.show('loading');
      this.host.post({ type: 'selectTrace', traceIndex: wanted.traceIndex });
    } else {
      this.show('list');
      this.traceList.focus();
    }
  }

  private openTrace(traceIndex: number): void {
    if (this.rows && traceIndex === this.traceIndex && this.restore === null) this.restore = this.snapshot();
    this.loadingText.textContent = 'Opening the trace…';
    this.show('loading');
    this.host.post({ type: 'selectTrace', traceIndex });
  }

  private backToList(): void {
    if (this.rows) this.restore = this.snapshot();
    this.show('list');
    this.traceList.focus();
    this.scheduleSave();
  }

  private onTraceData(dto: WaterfallDto): void {
    const t0 = performance.now();
    // The same trace again (tab restored, file re-sent): keep the user's place.
    if (this.rows && this.view === 'trace' && dto.traceIndex === this.traceIndex && dto.traceId === this.rows.dto.traceId && !this.restore) {
      this.restore = this.snapshot();
    }
    const rows = new TraceRows(dto);
    this.rows = rows;
    this.detailCache.clear();
    this.detail.hide();
    this.matches = null;
    this.searchSeq++;

    const summary = this.file?.traces[dto.traceIndex];
    const title = summary?.rootName || rows.name(0) || dto.traceId;
    this.header.set(title, dto, this.file?.warnings ?? [], (this.file?.traces.length ?? 0) > 1, summary);
    this.findBar.state = EMPTY_FIND;
    this.findBar.setResult(null);
    this.traceList.state.selected = dto.traceIndex;

    // Visible before filling so the list can measure its viewport.
    this.show('trace');
    this.waterfall.setTrace(rows);
    this.flame.setTrace(rows);
    this.applyRestore(dto);
    this.controls.setZoomed(this.activeZoom !== null);
    if (this.pendingReveal && this.pendingReveal.traceIndex === dto.traceIndex) {
      this.revealRow(rows.rowOfSpan(this.pendingReveal.spanIndex));
    }
    this.pendingReveal = null;
    this.afterFirstPaint(t0, () => {
      // Work the first frame does not need: dropdown options are custom elements, slow to create.
      if (this.rows !== rows) return;
      this.findBar.setServices(dto.services);
      this.findBar.setHasLogs((dto.logRow?.length ?? 0) > 0);
      this.controls.setMaxDepth(rows.maxDepth);
      if (!this.findBar.searchInput.matches(':focus')) this.focusView();
    });
    this.scheduleSave();
  }

  private applyRestore(dto: WaterfallDto): void {
    const r = this.restore;
    if (!r || r.view !== 'trace' || r.traceIndex !== dto.traceIndex || r.traceId !== dto.traceId) return;
    this.restore = null;
    const rows = this.rows!;
    if (r.collapseBase) this.waterfall.setCollapsed(decodeCollapsed(rows, r.collapseBase, r.collapseToggled ?? []), r.collapseBase);
    if (r.zoom) this.waterfall.setZoom(r.zoom[0], r.zoom[1]);
    if (r.mode) this.setMode(r.mode, { focus: false });
    if (r.selectedSpan !== undefined) {
      const row = rows.rowOfSpan(r.selectedSpan);
      if (row >= 0) this.waterfall.select(row, { reveal: false });
    }
    // After the selection, which would otherwise pan the flame graph to its bar.
    if (r.flameZoom) this.flame.setZoom(r.flameZoom[0], r.flameZoom[1]);
    if (r.flameTop !== undefined) this.flame.scrollTop = r.flameTop;
    if (r.find && (r.find.text || r.find.service || r.find.minDuration || r.find.errorsOnly)) {
      this.findBar.state = r.find;
      this.pendingScrollTop = r.scrollTop ?? 0;
      this.runSearch();
    } else if (r.scrollTop !== undefined) {
      this.waterfall.scrollTop = r.scrollTop;
    }
  }

  /** Reports firstRenderMs once the frame with the first rows is painted, then runs `then`. */
  private afterFirstPaint(t0: number, then: () => void): void {
    // rAF runs just before the frame is painted; a task posted from it runs after the paint.
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        const value = Math.round((performance.now() - t0) * 100) / 100;
        if (window.__spanlens) window.__spanlens.firstRenderMs = value;
        this.host.post({ type: 'metric', name: 'firstRenderMs', value });
        then();
      };
      ch.port2.postMessage(0);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Selection and details

  private revealRow(row: number): void {
    if (!this.rows || row < 0) return;
    if (!this.waterfall.canShow(row)) {
      // The search filter hides it: clearing the search is the only way to show it.
      this.findBar.state = EMPTY_FIND;
      this.runSearch();
    }
    this.waterfall.select(row, { align: 'center' });
    this.focusView();
  }

  /** A flame-graph click: the waterfall's selection path, so the detail pane and state follow. */
  private selectRow(row: number): void {
    if (!this.rows || row < 0) return;
    if (!this.waterfall.canShow(row)) {
      this.findBar.state = EMPTY_FIND;
      this.runSearch();
    }
    this.waterfall.select(row, { align: 'center' });
  }

  // -------------------------------------------------------------------------------------------
  // Waterfall | Flame graph

  private setMode(mode: ViewMode, opts: { focus?: boolean } = {}): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.applyModeUi();
    if (mode === 'waterfall') {
      // Selection made in the flame graph: bring its row into the list's view.
      const sel = this.waterfall.selectedRow;
      if (sel >= 0) this.waterfall.select(sel, { align: 'center', notify: false });
    }
    if (opts.focus !== false) this.focusView();
    this.scheduleSave();
  }

  private applyModeUi(): void {
    const flame = this.mode === 'flame';
    this.traceViewEl.classList.toggle('sl-flame-mode', flame);
    for (const m of ['waterfall', 'flame'] as const) {
      const b = this.modeButtons[m];
      b.setAttribute('aria-pressed', String(m === this.mode));
      b.setAttribute('appearance', m === this.mode ? 'primary' : 'secondary');
    }
    this.flame.setActive(flame);
    if (flame) this.flame.setSelected(this.waterfall.selectedRow);
    if (window.__spanlens) window.__spanlens.viewMode = this.mode;
    if (this.rows) this.controls.setZoomed(this.activeZoom !== null);
  }

  private get activeZoom(): readonly [number, number] | null {
    return this.mode === 'flame' ? this.flame.zoom : this.waterfall.zoom;
  }

  private focusView(): void {
    if (this.mode === 'flame') this.flame.focus();
    else this.waterfall.focus();
  }

  private followLink(target: { traceIndex: number; spanIndex: number }): void {
    if (target.traceIndex === this.traceIndex && this.rows) this.revealRow(this.rows.rowOfSpan(target.spanIndex));
    else {
      this.pendingReveal = { ...target };
      this.host.post({ type: 'openLink', traceIndex: target.traceIndex, spanIndex: target.spanIndex });
    }
  }

  private goToSource(row: number): void {
    if (!this.rows || row < 0) return;
    this.host.post({ type: 'goToSource', traceIndex: this.traceIndex, spanIndex: this.rows.dto.spanIndex[row] });
  }

  private onSelect(row: number): void {
    this.updateCount();
    if (this.flame.isActive) this.flame.setSelected(row);
    const rows = this.rows;
    if (!rows || row < 0) {
      this.detail.hide();
      return;
    }
    const spanIndex = rows.dto.spanIndex[row];
    const serviceIndex = rows.dto.service[row];
    const cached = this.detailCache.get(spanIndex);
    const seq = ++this.detailSeq;
    if (cached) {
      this.detail.show(cached, serviceIndex);
      return;
    }
    // Keep the previous content for a moment so arrowing through rows does not flash "Loading".
    const slow = setTimeout(() => {
      if (seq === this.detailSeq) this.detail.showMessage(rows.name(row), 'Loading details…');
    }, 150);
    const traceIndex = rows.dto.traceIndex;
    this.host
      .request('spanDetail', { traceIndex, spanIndex })
      .then((d) => {
        if (this.rows !== rows) return;
        this.detailCache.set(spanIndex, d);
        if (this.detailCache.size > DETAIL_CACHE_SIZE) this.detailCache.delete(this.detailCache.keys().next().value as number);
        if (seq === this.detailSeq) this.detail.show(d, serviceIndex);
        if (d.issues.length) this.waterfall.refresh(); // the issue marker's tooltip can now say what it is
      })
      .catch((e: unknown) => {
        if (seq === this.detailSeq) this.detail.showMessage(rows.name(row), `Could not load details: ${errorText(e)}`);
      })
      .finally(() => clearTimeout(slow));
  }

  /** The header's logs button: the trace's records with no span, in the detail pane. */
  private showTraceLogs(): void {
    const rows = this.rows;
    if (!rows) return;
    const title = 'Log records with no span in this trace';
    this.detail.showMessage(title, 'Loading…');
    this.host
      .request('traceLogs', { traceIndex: rows.dto.traceIndex })
      .then((list) => {
        if (this.rows === rows) this.detail.showTraceLogs(`${title} (${list.total})`, list.records, list.total);
      })
      .catch((e: unknown) => this.detail.showMessage(title, `Could not load the log records: ${errorText(e)}`));
  }

  private issueText(row: number): string {
    const rows = this.rows;
    const d = rows ? this.detailCache.get(rows.dto.spanIndex[row]) : undefined;
    if (d && d.issues.length) return d.issues.join('\n');
    return 'Structural issue (orphan, duplicate id, clock skew, bad duration or cycle). Select the span for details.';
  }

  // -------------------------------------------------------------------------------------------
  // Search

  private runSearch(): void {
    const rows = this.rows;
    if (!rows) return;
    // An invalid minimum duration is left out of the query (the find bar says so), never kept from before.
    const q = this.findBar.query().query;
    const seq = ++this.searchSeq;
    this.scheduleSave();
    if (q === null) {
      const hadFilter = this.matches !== null;
      this.matches = null;
      this.findBar.setResult(null);
      this.flame.setMatches(null);
      if (hadFilter || this.waterfall.activeFilter) {
        this.waterfall.setFilter(null);
        const sel = this.waterfall.selectedRow;
        if (sel >= 0) this.waterfall.select(sel, { align: 'center', notify: false });
      }
      this.applyPendingScroll();
      return;
    }
    this.host
      .request('search', { traceIndex: rows.dto.traceIndex, query: q })
      .then((res: SearchResultDto) => {
        if (seq !== this.searchSeq || this.rows !== rows) return;
        const t0 = performance.now();
        const filter = this.waterfall.setFilter(res.rows instanceof Int32Array ? res.rows : Int32Array.from(res.rows));
        this.matches = filter?.matches ?? new Int32Array(0);
        this.flame.setMatches(filter?.isMatch ?? null);
        this.searchDescription = res.description;
        const sel = this.waterfall.selectedRow;
        const restoring = this.pendingScrollTop !== null;
        if (this.matches.length && !(sel >= 0 && filter?.isMatch[sel])) {
          if (!restoring) this.step(1);
        }
        this.updateCount();
        this.applyPendingScroll();
        afterPaint(() => {
          if (window.__spanlens) window.__spanlens.searchApplyMs = Math.round((performance.now() - t0) * 100) / 100;
        });
      })
      .catch((e: unknown) => {
        if (seq === this.searchSeq) this.findBar.setResult(null, `Search failed: ${errorText(e)}`);
      });
  }

  private applyPendingScroll(): void {
    if (this.pendingScrollTop === null) return;
    this.waterfall.scrollTop = this.pendingScrollTop;
    this.pendingScrollTop = null;
  }

  private updateCount(): void {
    const m = this.matches;
    if (!m) return;
    const cur = indexOfRow(m, this.waterfall.selectedRow);
    this.findBar.setResult({ current: cur, total: m.length, description: this.searchDescription });
  }

  /** Moves the selection to the next (1) or previous (-1) match, wrapping around. */
  private step(direction: 1 | -1): void {
    const m = this.matches;
    if (!m || m.length === 0) return;
    const sel = this.waterfall.selectedRow;
    let i: number;
    if (direction === 1) {
      i = m.findIndex((r) => r > sel);
      if (i < 0) i = 0;
    } else {
      i = -1;
      for (let k = m.length - 1; k >= 0; k--) if (m[k] < sel) { i = k; break; }
      if (i < 0) i = m.length - 1;
    }
    this.waterfall.select(m[i], { align: 'center' });
    this.updateCount();
  }

  private escapeFromSearch(): void {
    if (this.findBar.query().query !== null || this.findBar.query().durationInvalid) this.findBar.clear();
    this.focusView();
  }

  private onGlobalKey(e: KeyboardEvent): void {
    if (this.view !== 'trace') return;
    if (e.key === '/' && !isTypingTarget(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      this.findBar.focus();
    } else if (e.key === 'Escape' && !isTypingTarget(e.target)) {
      if (this.findBar.query().query !== null || this.findBar.query().durationInvalid) {
        e.preventDefault();
        this.findBar.clear();
      } else if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) {
        document.activeElement.blur();
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Views and state

  private show(view: ViewName): void {
    this.view = view;
    this.loadingEl.hidden = view !== 'loading' && view !== 'empty';
    if (view === 'empty') this.loadingText.textContent = 'Waiting for the trace…';
    if (this.errorEl) this.errorEl.hidden = view !== 'error';
    this.traceList.root.hidden = view !== 'list';
    // The trace view stays laid out (invisible) when not shown, so showing a trace does not pay
    // for styling the whole view and its toolkit controls on the first frame.
    this.traceViewEl.classList.toggle('sl-offstage', view !== 'trace');
    this.traceViewEl.inert = view !== 'trace';
  }

  private snapshot(): SavedState {
    const rows = this.rows;
    const list = { ...this.traceList.state, scrollTop: this.traceList.scrollTop };
    const view = this.view === 'trace' || (this.view === 'loading' && this.restore?.view === 'trace') ? 'trace' : 'list';
    if (!rows) return { v: 1, view: 'list', list, mode: this.mode };
    const sel = this.waterfall.selectedRow;
    return {
      v: 1,
      view,
      traceIndex: rows.dto.traceIndex,
      traceId: rows.dto.traceId,
      scrollTop: this.pendingScrollTop ?? this.waterfall.scrollTop,
      selectedSpan: sel >= 0 ? rows.dto.spanIndex[sel] : undefined,
      collapseBase: this.waterfall.collapseBase,
      collapseToggled: this.encodedCollapsed(rows),
      zoom: this.waterfall.zoom,
      find: this.findBar.state,
      list,
      mode: this.mode,
      flameZoom: this.flame.zoom,
      flameTop: this.flame.scrollTop,
    };
  }

  private encodedCollapsed(rows: TraceRows): readonly number[] {
    const version = this.waterfall.collapseVersion;
    const c = this.collapseCache;
    if (c && c.rows === rows && c.version === version) return c.toggled;
    const toggled = encodeCollapsed(rows, this.waterfall.collapseBase, this.waterfall.collapsedRows);
    this.collapseCache = { rows, version, toggled };
    return toggled;
  }

  private scheduleSave(): void {
    if (this.rows) this.controls.setZoomed(this.activeZoom !== null);
    if (this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      // While waiting for a trace to restore, keep the saved state rather than overwrite it.
      if (this.view === 'loading' && this.restore) return;
      if (this.view === 'trace' || this.view === 'list') this.host.setState(this.snapshot());
    }, SAVE_DELAY_MS);
  }

  // -------------------------------------------------------------------------------------------
  // Benchmark hook

  private async scrollBench(opts: { frames?: number; stepPx?: number } = {}): Promise<ScrollBenchResult> {
    const frames = opts.frames ?? 240;
    const scroller = this.waterfall.scroller;
    const maxTop = Math.max(0, scroller.scrollHeight - scroller.clientHeight);
    const restoreTop = this.waterfall.scrollTop;
    const step = opts.stepPx ?? Math.max(1, maxTop / frames);
    this.waterfall.scrollTop = 0;
    await nextFrame();
    const work: number[] = [];
    const intervals: number[] = [];
    let last = await nextFrame();
    let y = 0;
    for (let i = 0; i < frames; i++) {
      const t0 = await new Promise<number>((resolve) =>
        requestAnimationFrame((ts) => {
          const start = performance.now();
          intervals.push(ts - last);
          last = ts;
          y = y + step > maxTop ? 0 : y + step;
          this.waterfall.scrollTop = y;
          resolve(start);
        }),
      );
      // Resolves after this frame's style, layout and paint have run on the main thread.
      await afterFrame();
      work.push(performance.now() - t0);
    }
    this.waterfall.scrollTop = restoreTop;
    return {
      frames,
      p50: percentile(work, 50),
      p95: percentile(work, 95),
      max: Math.max(...work),
      intervalP50: percentile(intervals, 50),
      intervalP95: percentile(intervals, 95),
      intervalMax: Math.max(...intervals),
      stepPx: step,
      rowsInDom: this.waterfall.renderedRowCount,
    };
  }
}

/** Runs `fn` just after the next frame has been painted. */
function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      fn();
    };
    ch.port2.postMessage(0);
  });
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

function afterFrame(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
clear(root);
new App(root);
