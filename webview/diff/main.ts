/**
 * Spanlens trace comparison webview: the merged tree of two traces (src/core/diff TraceDiff, held in
 * the catalog's worker), virtualised: only the visible rows are in the DOM, and their data is asked
 * for in blocks of rows by range (`rows` requests), so two 100k-span traces open as fast as two small.
 *
 * Stable DOM hooks (Playwright checks; keep them when refactoring):
 *   #sl-diff-view              the comparison; #sl-diff-title, #sl-diff-sides, #sl-diff-counts, #sl-diff-tolerance
 *   #sl-diff-changed-only      the "Changed rows only" checkbox
 *   .sl-diff-row               one visible row: data-row (merged row), data-change (added|removed|slower|faster|unchanged),
 *                              classes .selected; children .sl-diff-name, .sl-diff-service, .sl-diff-badge,
 *                              .sl-diff-crit.base / .sl-diff-crit.cand, .sl-diff-base, .sl-diff-cand, .sl-diff-delta, .sl-diff-change
 *   #sl-diff-empty             "No changed rows" and the like
 *   #sl-detail                 span detail (webview/detailPane.ts); #sl-diff-side-baseline, #sl-diff-side-candidate
 *   #sl-loading, #sl-diff-error
 */
import '../styles.css';
import './diff.css';
import { DIFF_CHANGES, type DiffHeaderDto, type DiffRowDto, type DiffSide, type RenderedDiffRow } from '../../src/shared/diffProtocol';
import type { SpanDetailDto } from '../../src/shared/protocol';
import { DetailPane } from '../detailPane';
import { clear, el, isTypingTarget } from '../dom';
import { formatCount, formatDuration } from '../format';
import { button, checkbox, progressRing, registerToolkit, type ButtonElement, type CheckboxElement } from '../toolkit';
import { VirtualList, type RowView } from '../virtualList';
import { badgeText, CHANGE_LABEL, deltaText, durationText } from './diffFormat';
import { DiffHostClient, type DiffPush } from './diffHost';

const ROW_HEIGHT = 22;
const INDENT_PX = 12;
const MAX_INDENT_LEVELS = 40;
/** Rows fetched per request; a screen is ~40. */
const BLOCK = 200;
/** Blocks kept; the oldest are dropped (and fetched again if scrolled back to). */
const MAX_BLOCKS = 64;
const REPORT_DELAY_MS = 120;

interface SavedState {
  readonly v: 1;
  readonly changedOnly: boolean;
  readonly scrollTop: number;
}

interface DiffRowElements extends RowView {
  readonly el: HTMLDivElement;
  readonly nameCell: HTMLDivElement;
  readonly critB: HTMLSpanElement;
  readonly critC: HTMLSpanElement;
  readonly name: HTMLSpanElement;
  readonly service: HTMLSpanElement;
  readonly badge: HTMLSpanElement;
  readonly base: HTMLDivElement;
  readonly cand: HTMLDivElement;
  readonly delta: HTMLDivElement;
  readonly change: HTMLDivElement;
}

class DiffApp {
  private readonly host: DiffHostClient;
  private readonly loadingEl: HTMLElement;
  private readonly loadingText: HTMLElement;
  private readonly errorEl: HTMLElement;
  private readonly viewEl: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly sidesEl: HTMLElement;
  private readonly countsEl: HTMLElement;
  private readonly toleranceEl: HTMLElement;
  private readonly changedOnlyBox: CheckboxElement;
  private readonly scroller: HTMLDivElement;
  private readonly emptyEl: HTMLElement;
  private readonly list: VirtualList<DiffRowElements>;
  private readonly detail: DetailPane;
  private readonly sideButtons: Record<DiffSide, ButtonElement>;
  private readonly detailBox: HTMLElement;

  private header: DiffHeaderDto | null = null;
  private changedOnly = false;
  /** Bumped on every new diff or filter: answers for an older view are dropped. */
  private generation = 0;
  private readonly blocks = new Map<number, readonly DiffRowDto[]>();
  private readonly pendingBlocks = new Set<number>();
  private selected = -1;
  private detailSide: DiffSide = 'candidate';
  private detailSeq = 0;
  private restore: SavedState | null;
  private reportTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(root: HTMLElement) {
    registerToolkit();
    this.host = new DiffHostClient((m) => this.onMessage(m));
    const saved = this.host.getState() as SavedState | undefined;
    this.restore = saved && saved.v === 1 ? saved : null;
    root.classList.add('sl-app');

    this.loadingEl = el('div', 'sl-loading');
    this.loadingEl.id = 'sl-loading';
    this.loadingText = el('span', undefined, 'Loading both traces…');
    this.loadingEl.append(progressRing(), this.loadingText);
    this.errorEl = el('div', 'sl-errorview');
    this.errorEl.id = 'sl-diff-error';
    this.errorEl.hidden = true;

    this.viewEl = el('div', 'sl-diffview');
    this.viewEl.id = 'sl-diff-view';
    const head = el('div', 'sl-header');
    this.titleEl = el('div', 'sl-title');
    this.titleEl.id = 'sl-diff-title';
    this.sidesEl = el('div', 'sl-diff-sides');
    this.sidesEl.id = 'sl-diff-sides';
    this.countsEl = el('div', 'sl-diff-counts');
    this.countsEl.id = 'sl-diff-counts';
    this.toleranceEl = el('div', 'sl-muted sl-diff-tolerance');
    this.toleranceEl.id = 'sl-diff-tolerance';
    head.append(this.titleEl, this.sidesEl, this.countsEl, this.toleranceEl);

    const toolbar = el('div', 'sl-toolbar');
    this.changedOnlyBox = checkbox('Changed rows only', (on) => this.setChangedOnly(on), 'sl-diff-changed-only');
    const legend = el('div', 'sl-legend');
    legend.append(crit('base', 'B'), el('span', undefined, 'on the baseline’s critical path'), crit('cand', 'C'), el('span', undefined, 'on the candidate’s'));
    toolbar.append(this.changedOnlyBox, legend);

    const cols = el('div', 'sl-diff-cols');
    cols.append(el('div', 'sl-diff-namecell', 'Span'), el('div', 'num', 'Baseline'), el('div', 'num', 'Candidate'), el('div', 'num', 'Δ'), el('div', undefined, 'Change'));

    const main = el('div', 'sl-main');
    const body = el('div', 'sl-body sl-diff-body');
    this.scroller = el('div', 'sl-scroller');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'grid');
    this.scroller.setAttribute('aria-label', 'Compared spans');
    this.emptyEl = el('div', 'sl-empty');
    this.emptyEl.id = 'sl-diff-empty';
    this.emptyEl.hidden = true;
    body.append(this.scroller, this.emptyEl);
    const left = el('div', 'sl-diff-left');
    left.append(cols, body);

    const detailBox = el('div', 'sl-diff-detail');
    const sideBar = el('div', 'sl-diff-sidebar');
    this.sideButtons = {
      baseline: button('Baseline span', () => this.showDetail('baseline'), { id: 'sl-diff-side-baseline' }),
      candidate: button('Candidate span', () => this.showDetail('candidate'), { id: 'sl-diff-side-candidate' }),
    };
    sideBar.append(this.sideButtons.baseline, this.sideButtons.candidate);
    this.detail = new DetailPane({
      copy: (text) => this.host.post({ type: 'copy', text }),
      goToSource: (spanIndex) => this.host.post({ type: 'goToSource', side: this.detailSide, spanIndex }),
      selectParent: () => undefined,
      followLink: () => undefined,
      close: () => {
        detailBox.hidden = true;
        this.scroller.focus();
      },
    });
    detailBox.append(sideBar, this.detail.root);
    detailBox.hidden = true;
    this.detailBox = detailBox;
    main.append(left, detailBox);
    this.viewEl.append(head, toolbar, main);
    root.append(this.loadingEl, this.errorEl, this.viewEl);

    this.list = new VirtualList<DiffRowElements>({
      scroller: this.scroller,
      rowHeight: ROW_HEIGHT,
      createRow: () => this.createRow(),
      updateRow: (v, i) => this.updateRow(v, i),
      releaseRow: (v) => {
        v.el.removeAttribute('data-row');
        v.el.removeAttribute('data-index');
        v.el.removeAttribute('data-change');
        v.el.classList.remove('selected');
      },
      onRender: () => this.scheduleReport(),
    });
    this.scroller.addEventListener('click', (e) => {
      const i = this.viewIndexOf(e.target);
      if (i >= 0) this.select(i);
    });
    this.scroller.addEventListener('dblclick', (e) => {
      const i = this.viewIndexOf(e.target);
      if (i >= 0) this.goToSource(i);
    });
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.show('loading');
    this.host.post({ type: 'ready' });
  }

  // -------------------------------------------------------------------------------------------
  // Host messages

  private onMessage(m: DiffPush): void {
    switch (m.type) {
      case 'loading':
        this.loadingText.textContent = m.text;
        this.show('loading');
        return;
      case 'diffError':
        clear(this.errorEl);
        this.errorEl.append(el('div', 'sl-error-title', 'Could not compare the traces'), el('div', 'sl-error-message', m.message));
        this.show('error');
        return;
      case 'diffLoaded':
        this.onDiff(m.header);
        return;
    }
  }

  private onDiff(h: DiffHeaderDto): void {
    this.header = h;
    this.titleEl.textContent = `${h.baseline.rootName || h.baseline.traceId} ↔ ${h.candidate.rootName || h.candidate.traceId}`;
    clear(this.sidesEl);
    for (const [label, s] of [['Baseline', h.baseline], ['Candidate', h.candidate]] as const) {
      const line = el('div', 'sl-diff-side');
      line.append(el('span', 'sl-diff-side-label', `${label}:`), el('span', undefined, ` ${s.source} · ${s.rootService} · ${formatDuration(s.durationNs)} · ${formatCount(s.spanCount)} spans · trace ${s.traceId}`));
      this.sidesEl.appendChild(line);
    }
    clear(this.countsEl);
    for (const c of DIFF_CHANGES) {
      const item = el('span', `sl-diff-count change-${c}`, `${formatCount(h.counts[c])} ${CHANGE_LABEL[c]}`);
      item.dataset.change = c;
      this.countsEl.appendChild(item);
    }
    this.toleranceEl.textContent = `Changed: more than ${h.thresholdPct}% and at least ${h.minDeltaMs} ms (spanlens.compare.threshold, spanlens.compare.minDeltaMs)`;
    const r = this.restore;
    this.restore = null;
    this.changedOnly = r?.changedOnly ?? this.changedOnly;
    this.changedOnlyBox.checked = this.changedOnly;
    this.show('diff');
    this.resetView(r?.scrollTop ?? 0);
    this.scroller.focus();
  }

  // -------------------------------------------------------------------------------------------
  // Rows

  private get total(): number {
    const h = this.header;
    return h ? (this.changedOnly ? h.changedViewCount : h.rowCount) : 0;
  }

  private setChangedOnly(on: boolean): void {
    if (on === this.changedOnly) return;
    this.changedOnly = on;
    this.resetView(0);
    this.save();
  }

  private resetView(scrollTop: number): void {
    this.generation++;
    this.blocks.clear();
    this.pendingBlocks.clear();
    this.selected = -1;
    this.detailBox.hidden = true;
    const n = this.total;
    this.emptyEl.hidden = n > 0;
    this.emptyEl.textContent = this.changedOnly ? 'No changed rows: both traces took the same time within the tolerance.' : 'No spans.';
    this.list.setCount(n);
    this.list.scrollTop = scrollTop;
  }

  private rowAt(i: number): DiffRowDto | undefined {
    const b = this.blocks.get(Math.floor(i / BLOCK));
    return b?.[i % BLOCK];
  }

  private ensureBlock(block: number): void {
    if (this.blocks.has(block) || this.pendingBlocks.has(block)) return;
    this.pendingBlocks.add(block);
    const gen = this.generation;
    const start = block * BLOCK;
    this.host
      .request('rows', { changedOnly: this.changedOnly, start, end: Math.min(this.total, start + BLOCK) })
      .then((res) => {
        if (gen !== this.generation) return;
        this.pendingBlocks.delete(block);
        this.blocks.set(block, res.rows);
        while (this.blocks.size > MAX_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
        this.list.invalidate();
      })
      .catch(() => {
        if (gen === this.generation) this.pendingBlocks.delete(block);
      });
  }

  private createRow(): DiffRowElements {
    const row = el('div', 'sl-diff-row');
    row.setAttribute('role', 'row');
    const nameCell = el('div', 'sl-diff-namecell');
    const critB = crit('base', 'B');
    const critC = crit('cand', 'C');
    const name = el('span', 'sl-diff-name');
    const service = el('span', 'sl-diff-service sl-muted');
    const badge = el('span', 'sl-diff-badge');
    nameCell.append(critB, critC, name, service, badge);
    const base = el('div', 'sl-diff-base num');
    const cand = el('div', 'sl-diff-cand num');
    const delta = el('div', 'sl-diff-delta num');
    const change = el('div', 'sl-diff-change');
    row.append(nameCell, base, cand, delta, change);
    return { el: row, nameCell, critB, critC, name, service, badge, base, cand, delta, change };
  }

  private updateRow(v: DiffRowElements, i: number): void {
    const r = this.rowAt(i);
    v.el.classList.toggle('selected', i === this.selected);
    if (!r) {
      this.ensureBlock(Math.floor(i / BLOCK));
      v.el.removeAttribute('data-row');
      v.el.removeAttribute('data-change');
      v.name.textContent = '…';
      for (const c of [v.service, v.badge, v.base, v.cand, v.delta, v.change]) c.textContent = '';
      v.critB.classList.add('off');
      v.critC.classList.add('off');
      return;
    }
    v.el.dataset.row = String(r.row);
    v.el.dataset.index = String(i);
    v.el.dataset.change = r.change;
    v.nameCell.style.paddingLeft = `${6 + Math.min(r.depth, MAX_INDENT_LEVELS) * INDENT_PX}px`;
    v.name.textContent = r.name || '(unnamed span)';
    v.service.textContent = r.service;
    v.badge.textContent = badgeText(r.changedDescendants);
    v.badge.hidden = r.changedDescendants === 0;
    v.badge.title = `${r.changedDescendants} changed span${r.changedDescendants === 1 ? '' : 's'} below`;
    // Off markers keep their place, so names line up whatever the markers.
    v.critB.classList.toggle('off', !r.baselineCritical);
    v.critC.classList.toggle('off', !r.candidateCritical);
    v.base.textContent = durationText(r.baselineNs);
    v.cand.textContent = durationText(r.candidateNs);
    v.delta.textContent = deltaText(r);
    v.change.textContent = CHANGE_LABEL[r.change];
    v.change.className = `sl-diff-change change-${r.change}`;
  }

  private viewIndexOf(target: EventTarget | null): number {
    const row = target instanceof Element ? target.closest('.sl-diff-row') : null;
    const i = row instanceof HTMLElement && row.dataset.row !== undefined ? Number(row.dataset.index) : NaN;
    return Number.isInteger(i) && i >= 0 && i < this.total ? i : -1;
  }

  // -------------------------------------------------------------------------------------------
  // Selection, details, go to source

  private select(i: number): void {
    if (i < 0 || i >= this.total) return;
    this.selected = i;
    this.list.scrollToIndex(i);
    this.list.invalidate();
    const r = this.rowAt(i);
    if (r) this.showDetail(r.candidateSpan >= 0 ? 'candidate' : 'baseline');
  }

  private showDetail(side: DiffSide): void {
    const r = this.rowAt(this.selected);
    if (!r) return;
    const spanIndex = side === 'baseline' ? r.baselineSpan : r.candidateSpan;
    this.sideButtons.baseline.disabled = r.baselineSpan < 0;
    this.sideButtons.candidate.disabled = r.candidateSpan < 0;
    this.sideButtons.baseline.setAttribute('appearance', side === 'baseline' ? 'primary' : 'secondary');
    this.sideButtons.candidate.setAttribute('appearance', side === 'candidate' ? 'primary' : 'secondary');
    if (spanIndex < 0) return;
    this.detailSide = side;
    this.detailBox.hidden = false;
    const seq = ++this.detailSeq;
    this.host
      .request('spanDetail', { side, spanIndex })
      .then((d: SpanDetailDto) => seq === this.detailSeq && this.detail.show(d, 0))
      .catch((e: unknown) => seq === this.detailSeq && this.detail.showMessage(r.name, `Could not load details: ${e instanceof Error ? e.message : String(e)}`));
  }

  private goToSource(i: number): void {
    const r = this.rowAt(i);
    if (!r) return;
    const side: DiffSide = r.candidateSpan >= 0 ? 'candidate' : 'baseline';
    this.host.post({ type: 'goToSource', side, spanIndex: side === 'candidate' ? r.candidateSpan : r.baselineSpan });
  }

  private onKey(e: KeyboardEvent): void {
    if (isTypingTarget(e.target)) return;
    const page = this.list.pageSize();
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) {
      e.preventDefault();
      this.select(Math.max(0, Math.min(this.total - 1, (this.selected < 0 ? this.list.firstVisibleIndex() - 1 : this.selected) + moves[e.key])));
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      this.select(e.key === 'Home' ? 0 : this.total - 1);
    } else if (e.key === 'Enter' && this.selected >= 0) {
      e.preventDefault();
      this.goToSource(this.selected);
    }
  }

  // -------------------------------------------------------------------------------------------
  // View state and the rendered-rows report

  private show(view: 'loading' | 'error' | 'diff'): void {
    this.loadingEl.hidden = view !== 'loading';
    this.errorEl.hidden = view !== 'error';
    this.viewEl.hidden = view !== 'diff';
  }

  private save(): void {
    this.host.setState({ v: 1, changedOnly: this.changedOnly, scrollTop: this.list.scrollTop } satisfies SavedState);
  }

  /** Tells the host what is on screen (spanlens._test.diffInfo), once rendering settles. */
  private scheduleReport(): void {
    if (this.reportTimer) clearTimeout(this.reportTimer);
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      this.save();
      const rows: RenderedDiffRow[] = [];
      for (const r of this.list.canvas.querySelectorAll<HTMLElement>('.sl-diff-row[data-row]')) {
        if (r.hidden) continue;
        const text = (sel: string) => r.querySelector(sel)?.textContent ?? '';
        rows.push({ row: Number(r.dataset.row), name: text('.sl-diff-name'), change: text('.sl-diff-change'), baseline: text('.sl-diff-base'), candidate: text('.sl-diff-cand'), delta: text('.sl-diff-delta'), badge: text('.sl-diff-badge') });
      }
      rows.sort((a, b) => a.row - b.row);
      this.host.post({ type: 'rendered', changedOnly: this.changedOnly, total: this.total, rows: rows.slice(0, 500) });
    }, REPORT_DELAY_MS);
  }
}

function crit(kind: 'base' | 'cand', letter: string): HTMLSpanElement {
  const s = el('span', `sl-diff-crit ${kind}`, letter);
  s.title = kind === 'base' ? 'On the baseline trace’s critical path' : 'On the candidate trace’s critical path';
  s.setAttribute('aria-label', s.title);
  return s;
}

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
clear(root);
new DiffApp(root);
