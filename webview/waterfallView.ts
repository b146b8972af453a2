// The waterfall: a virtualised tree of span rows with duration bars on a zoomable time axis.
// Owns row visibility (collapsed set, search filter), selection, zoom and keyboard navigation;
// everything that needs the host (details, search) is the caller's job via the callbacks.
import { LOG_SEVERITIES, RowFlag } from '../src/shared/protocol';
import { GENAI_GLYPHS } from './genAiText';
import { el } from './dom';
import { displayText, formatDuration } from './format';
import { serviceColorClass } from './palette';
import { TimeAxis } from './timeAxis';
import {
  buildFilter,
  collapsedFromBase,
  computeVisible,
  expandAncestors,
  indexOfRow,
  type CollapseBase,
  type RowFilter,
  TraceRows,
} from './treeModel';
import { VirtualList, type RowView } from './virtualList';

const ROW_HEIGHT = 22;
const INDENT_PX = 12;
/** Deeper rows stop indenting so that a pathological chain still shows its names. */
const MAX_INDENT_LEVELS = 40;
const MAX_EVENT_MARKS = 64;
const MAX_CRIT_SEGMENTS = 16;

export interface WaterfallCallbacks {
  onSelect(row: number): void;
  /** Enter or double click: go to source. */
  onActivate(row: number): void;
  /** Collapse, zoom, scroll or selection changed: persisted state is stale. */
  onViewChange(): void;
  /** Tooltip for a row's issue marker. */
  issueText(row: number): string;
}

interface WaterfallRow extends RowView {
  readonly el: HTMLDivElement;
  readonly nameCell: HTMLDivElement;
  readonly toggle: HTMLSpanElement;
  readonly swatch: HTMLSpanElement;
  readonly genAi: HTMLSpanElement;
  readonly name: HTMLSpanElement;
  readonly err: HTMLSpanElement;
  readonly issue: HTMLSpanElement;
  readonly barCell: HTMLDivElement;
  readonly bar: HTMLDivElement;
  readonly dur: HTMLSpanElement;
  readonly marks: HTMLSpanElement[];
  readonly logMarks: HTMLSpanElement[];
  readonly crits: HTMLSpanElement[];
  /** Last values written, to skip DOM writes that would not change anything. */
  shown: Shown;
}

export class WaterfallView {
  readonly root: HTMLDivElement;
  readonly scroller: HTMLDivElement;
  private readonly list: VirtualList<WaterfallRow>;
  private readonly axis: TimeAxis;
  private readonly emptyEl: HTMLDivElement;
  private readonly colHeader: HTMLDivElement;

  private rows: TraceRows | null = null;
  private visible: Int32Array = new Int32Array(0);
  private collapsed: Uint8Array = new Uint8Array(0);
  private filterCollapsed: Uint8Array = new Uint8Array(0);
  private filter: RowFilter | null = null;
  collapseBase: CollapseBase = { kind: 'none' };
  /** Bumped whenever the unfiltered collapsed set changes, so callers can cache its encoding. */
  collapseVersion = 0;
  private selected = -1;
  private fullStart = 0;
  private fullEnd = 1;
  private viewStart = 0;
  private viewEnd = 1;
  private nameWidth: number | null = null;
  private barWidthPx = 600;
  private rootWidth = 0;
  /** Bumped per trace so row views drop their cached "last written" values. */
  private epoch = 0;
  /** Bumped when bar positions change for every row (zoom, column width). */
  private geomVersion = 0;

  constructor(private readonly cb: WaterfallCallbacks) {
    this.root = el('div', 'sl-waterfall');
    this.root.style.setProperty('--sl-row-h', `${ROW_HEIGHT}px`);
    this.axis = new TimeAxis((a, b) => this.setZoom(a, b));

    this.colHeader = el('div', 'sl-colheader');
    const nameHead = el('div', 'sl-colheader-name', 'Span');
    const resizer = el('div', 'sl-resizer');
    resizer.title = 'Drag to resize the name column';
    nameHead.appendChild(resizer);
    this.colHeader.append(nameHead, this.axis.axisEl, el('div', 'sl-gutter'));
    this.installResizer(resizer);

    const body = el('div', 'sl-body');
    this.scroller = el('div', 'sl-scroller');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'tree');
    this.scroller.setAttribute('aria-label', 'Spans');
    this.emptyEl = el('div', 'sl-empty');
    this.emptyEl.hidden = true;
    body.append(this.axis.gridEl, this.scroller, this.emptyEl);
    this.root.append(this.colHeader, body);

    this.list = new VirtualList<WaterfallRow>({
      scroller: this.scroller,
      rowHeight: ROW_HEIGHT,
      createRow: () => this.createRow(),
      updateRow: (v, i) => this.updateRow(v, i),
      // Pooled rows must not match test selectors like `.sl-row.selected` or `[data-row="5"]`.
      releaseRow: (v) => {
        v.el.className = 'sl-row';
        v.el.removeAttribute('data-row');
        v.el.removeAttribute('data-span-index');
        v.shown = freshShown(-1);
      },
      onRender: () => this.cb.onViewChange(),
    });
    this.installPointer();
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver((entries) => this.layout(entries[entries.length - 1].contentRect.width)).observe(this.root);
  }

  // -------------------------------------------------------------------------------------------
  // Data and state

  setTrace(rows: TraceRows): void {
    this.rows = rows;
    this.epoch++;
    const dto = rows.dto;
    let lo = 0;
    let hi = dto.durationNs > 0 ? dto.durationNs : 0;
    for (let r = 0; r < rows.count; r++) {
      const s = dto.startNs[r];
      const e = s + Math.max(0, dto.durationNsByRow[r]);
      if (s < lo) lo = s;
      if (e > hi) hi = e;
    }
    this.fullStart = lo;
    this.fullEnd = hi > lo ? hi : lo + 1;
    this.viewStart = this.fullStart;
    this.viewEnd = this.fullEnd;
    this.collapseBase = { kind: 'none' };
    this.collapseVersion++;
    this.collapsed = new Uint8Array(rows.count);
    this.filterCollapsed = new Uint8Array(rows.count);
    this.filter = null;
    this.selected = -1;
    this.list.scrollTop = 0;
    this.axis.setRange(this.viewStart, this.viewEnd);
    this.recompute();
  }

  private recompute(): void {
    if (!this.rows) return;
    this.visible = computeVisible(this.rows, this.activeCollapsed, this.filter);
    this.emptyEl.hidden = this.visible.length > 0;
    this.emptyEl.textContent = this.filter ? 'No spans match the search.' : 'No spans.';
    this.list.setCount(this.visible.length);
  }

  private get activeCollapsed(): Uint8Array {
    return this.filter ? this.filterCollapsed : this.collapsed;
  }

  /** Collapsed rows of the unfiltered tree (for persisting). */
  get collapsedRows(): Uint8Array {
    return this.collapsed;
  }

  setCollapsed(collapsed: Uint8Array, base: CollapseBase): void {
    this.collapsed = collapsed;
    this.collapseVersion++;
    this.collapseBase = base;
    if (!this.filter) this.afterCollapseChange();
  }

  private hasKids(r: number): boolean {
    if (!this.rows) return false;
    return this.filter ? this.filter.hasIncludedChild[r] === 1 : this.rows.hasChildren(r);
  }

  isCollapsed(r: number): boolean {
    return this.activeCollapsed[r] === 1;
  }

  toggle(r: number, collapse = !this.isCollapsed(r)): void {
    if (!this.rows || !this.hasKids(r)) return;
    this.activeCollapsed[r] = collapse ? 1 : 0;
    this.afterCollapseChange();
  }

  expandAll(): void {
    this.applyBase({ kind: 'none' });
  }

  collapseAll(): void {
    this.applyBase({ kind: 'all' });
  }

  /** Shows `depth` levels of the tree. */
  collapseToDepth(depth: number): void {
    this.applyBase({ kind: 'depth', depth: Math.max(1, depth) });
  }

  private applyBase(base: CollapseBase): void {
    if (!this.rows) return;
    const c = collapsedFromBase(this.rows, base);
    if (this.filter) this.filterCollapsed = c;
    else {
      this.collapsed = c;
      this.collapseBase = base;
    }
    this.afterCollapseChange();
  }

  private afterCollapseChange(): void {
    if (!this.rows) return;
    if (!this.filter) this.collapseVersion++;
    const sel = this.selected;
    this.recompute();
    // A collapsed ancestor hides the selection; move it to the nearest visible ancestor.
    if (sel >= 0 && indexOfRow(this.visible, sel) < 0) {
      let p = this.rows.parent[sel];
      while (p >= 0 && indexOfRow(this.visible, p) < 0) p = this.rows.parent[p];
      this.select(p, { reveal: true });
    }
    this.cb.onViewChange();
  }

  /** Applies search results (ascending rows), or clears the filter with null. */
  setFilter(matches: Int32Array | null): RowFilter | null {
    if (!this.rows) return null;
    this.filter = matches ? buildFilter(this.rows, matches) : null;
    this.filterCollapsed = new Uint8Array(this.rows.count);
    this.recompute();
    if (this.selected >= 0 && indexOfRow(this.visible, this.selected) >= 0) this.list.scrollToIndex(indexOfRow(this.visible, this.selected), 'center');
    this.cb.onViewChange();
    return this.filter;
  }

  get activeFilter(): RowFilter | null {
    return this.filter;
  }

  get selectedRow(): number {
    return this.selected;
  }

  /** True if the row can be shown without clearing the search filter. */
  canShow(row: number): boolean {
    return !!this.rows && row >= 0 && row < this.rows.count && (!this.filter || this.filter.included[row] === 1);
  }

  select(row: number, opts: { reveal?: boolean; align?: 'nearest' | 'center' | 'top'; notify?: boolean } = {}): void {
    if (!this.rows) return;
    if (row >= this.rows.count) row = -1;
    if (row >= 0 && !this.canShow(row)) return;
    if (row >= 0 && opts.reveal !== false && indexOfRow(this.visible, row) < 0) {
      expandAncestors(this.rows, this.activeCollapsed, row);
      this.recompute();
    }
    const changed = row !== this.selected;
    this.selected = row;
    this.list.invalidate();
    if (row >= 0 && opts.reveal !== false) this.list.scrollToIndex(indexOfRow(this.visible, row), opts.align ?? 'nearest');
    if (changed && opts.notify !== false) this.cb.onSelect(row);
    this.cb.onViewChange();
  }

  get zoom(): [number, number] | null {
    return this.viewStart === this.fullStart && this.viewEnd === this.fullEnd ? null : [this.viewStart, this.viewEnd];
  }

  setZoom(startNs: number, endNs: number): void {
    const s = Math.max(this.fullStart, Math.min(startNs, endNs));
    const e = Math.min(this.fullEnd, Math.max(startNs, endNs));
    if (!(e > s)) return;
    this.viewStart = s;
    this.viewEnd = Math.max(e, s + 1);
    this.axis.setRange(this.viewStart, this.viewEnd);
    this.root.classList.toggle('zoomed', this.zoom !== null);
    this.geomVersion++;
    this.list.invalidate();
    this.cb.onViewChange();
  }

  resetZoom(): void {
    this.setZoom(this.fullStart, this.fullEnd);
  }

  get scrollTop(): number {
    return this.list.scrollTop;
  }

  set scrollTop(v: number) {
    this.list.scrollTop = v;
  }

  get renderedRowCount(): number {
    return this.list.renderedRowCount;
  }

  /** Re-renders the visible rows, e.g. when a tooltip's text became known. */
  refresh(): void {
    this.list.invalidate();
  }

  focus(): void {
    this.scroller.focus({ preventScroll: true });
  }

  // -------------------------------------------------------------------------------------------
  // Layout

  /** Called by the ResizeObserver, when layout is fresh, so the reads here are cheap. */
  private layout(width: number): void {
    if (width === 0) return;
    this.rootWidth = width;
    const gutter = this.scroller.offsetWidth - this.scroller.clientWidth;
    this.root.style.setProperty('--sl-gutter', `${gutter}px`);
    const nameW = this.nameWidth ?? Math.round(Math.min(520, Math.max(180, width * 0.34)));
    this.applyNameWidth(Math.min(nameW, Math.max(120, width - 160)));
    // Event marks closer than a pixel merge, so their layout depends on the width.
    this.geomVersion++;
    this.list.invalidate();
  }

  private applyNameWidth(px: number): void {
    this.root.style.setProperty('--sl-name-w', `${px}px`);
    this.barWidthPx = Math.max(1, this.rootWidth - px - 16);
  }

  private installResizer(handle: HTMLElement): void {
    handle.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      e.stopPropagation();
      handle.setPointerCapture(e.pointerId);
      const left = this.root.getBoundingClientRect().left;
      const move = (ev: PointerEvent) => {
        this.nameWidth = Math.round(Math.min(this.rootWidth - 120, Math.max(100, ev.clientX - left)));
        this.applyNameWidth(this.nameWidth);
      };
      const up = () => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
        this.geomVersion++;
        this.list.invalidate();
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Rows

  private createRow(): WaterfallRow {
    const row = el('div', 'sl-row');
    row.setAttribute('role', 'treeitem');
    const nameCell = el('div', 'sl-namecell');
    const toggle = el('span', 'sl-toggle');
    const swatch = el('span', 'sl-swatch');
    const genAi = el('span', 'sl-genai');
    genAi.hidden = true;
    const name = el('span', 'sl-name');
    const err = el('span', 'sl-err', '!');
    err.title = 'Error status';
    const issue = el('span', 'sl-issue', '⚠');
    nameCell.append(toggle, swatch, genAi, name, err, issue);
    const barCell = el('div', 'sl-barcell');
    const bar = el('div', 'sl-bar');
    const dur = el('span', 'sl-dur');
    barCell.append(bar, dur);
    row.append(nameCell, barCell);
    return {
      el: row,
      nameCell,
      toggle,
      swatch,
      genAi,
      name,
      err,
      issue,
      barCell,
      bar,
      dur,
      marks: [],
      logMarks: [],
      crits: [],
      shown: freshShown(-1),
    };
  }

  private pct(ns: number): number {
    return ((ns - this.viewStart) / (this.viewEnd - this.viewStart)) * 100;
  }

  private updateRow(v: WaterfallRow, index: number): void {
    const rows = this.rows;
    if (!rows) return;
    const r = this.visible[index];
    const dto = rows.dto;
    const flags = dto.flags[r];
    const kids = this.hasKids(r);
    const collapsed = kids && this.activeCollapsed[r] === 1;
    const isError = (flags & RowFlag.Error) !== 0;
    const hasIssue = (flags & RowFlag.Issue) !== 0;
    const selected = r === this.selected;
    const f = this.filter;

    // Every write below is skipped when the value is unchanged: moving the selection re-runs this
    // for all visible rows, and only the two rows whose selection changed should touch the DOM.
    let s = v.shown;
    if (s.epoch !== this.epoch) s = v.shown = freshShown(this.epoch);
    let cls = 'sl-row';
    if (selected) cls += ' selected';
    if (isError) cls += ' error';
    if (f) cls += f.isMatch[r] ? ' match' : ' context';
    if (s.cls !== cls) {
      v.el.className = s.cls = cls;
      v.el.setAttribute('aria-selected', selected ? 'true' : 'false');
    }
    if (s.row !== r) {
      s.row = r;
      v.el.dataset.row = String(r);
      v.el.dataset.spanIndex = String(dto.spanIndex[r]);
      v.el.setAttribute('aria-level', String(dto.depth[r] + 1));
      const indent = Math.min(dto.depth[r], MAX_INDENT_LEVELS) * INDENT_PX;
      if (s.indent !== indent) v.nameCell.style.paddingLeft = `${(s.indent = indent) + 4}px`;
      const name = rows.name(r);
      if (s.name !== name) {
        s.name = name;
        v.name.textContent = v.name.title = displayText(name);
      }
      const svc = dto.service[r];
      if (s.service !== svc) {
        s.service = svc;
        const color = serviceColorClass(svc);
        v.swatch.className = `sl-swatch ${color}`;
        v.bar.className = `sl-bar ${color}`;
        v.swatch.title = dto.services[svc] ?? '';
      }
      // GenAI spans (model, tool, agent, retrieval, embeddings) get a glyph with a tooltip.
      const gk = dto.genAiKind ? dto.genAiKind[r] : 0;
      if (s.genAi !== gk) {
        s.genAi = gk;
        const g = GENAI_GLYPHS[gk];
        v.genAi.hidden = !g;
        v.genAi.textContent = g?.glyph ?? '';
        v.genAi.title = g?.title ?? '';
      }
      if (s.err !== isError) v.err.hidden = !(s.err = isError);
      if (s.issue !== hasIssue) v.issue.hidden = !(s.issue = hasIssue);
    }
    const toggle = kids ? (collapsed ? 'collapsed' : 'expanded') : 'leaf';
    if (s.toggle !== toggle) {
      s.toggle = toggle;
      v.toggle.className = `sl-toggle ${toggle}`;
      if (kids) v.el.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
      else v.el.removeAttribute('aria-expanded');
    }
    if (hasIssue) v.issue.title = this.cb.issueText(r);

    // Geometry depends only on the row and the zoom; skip it when neither changed.
    if (s.geomRow === r && s.geom === this.geomVersion) return;
    s.geomRow = r;
    s.geom = this.geomVersion;
    // Bar on the zoomed time axis, clamped so off-screen bars do not make huge boxes.
    const start = dto.startNs[r];
    const durNs = Math.max(0, dto.durationNsByRow[r]);
    const x0 = clampPct(this.pct(start));
    const x1 = clampPct(this.pct(start + durNs));
    v.bar.style.left = `${x0}%`;
    v.bar.style.width = `${x1 - x0}%`;
    const durText = formatDuration(dto.durationNsByRow[r]);
    if (s.dur !== durText) v.dur.textContent = s.dur = durText;
    this.placeDurationLabel(v.dur, x0, x1);
    this.drawMarks(v, r);
    this.drawLogMarks(v, r);
    this.drawCritical(v, r);
  }

  private placeDurationLabel(label: HTMLElement, x0: number, x1: number): void {
    // After the bar when there is room, else before it, else inside it at its end. A bar outside
    // the zoomed range gets its label at the edge it lies beyond, with an arrow.
    if (x0 >= 100) this.setLabel(label, 'sl-dur offview right', '', '0%');
    else if (x1 <= 0) this.setLabel(label, 'sl-dur offview left', '0%', '');
    else if (x1 <= 80) this.setLabel(label, 'sl-dur after', `${Math.max(0, x1)}%`, '');
    else if (x0 >= 20) this.setLabel(label, 'sl-dur before', '', `${100 - x0}%`);
    else this.setLabel(label, 'sl-dur inside', '', `${100 - Math.min(100, x1)}%`);
  }

  private setLabel(label: HTMLElement, cls: string, left: string, right: string): void {
    if (label.className !== cls) label.className = cls;
    label.style.left = left;
    label.style.right = right;
  }

  private drawMarks(v: WaterfallRow, r: number): void {
    const rows = this.rows!;
    const a = rows.eventStart[r];
    const b = rows.eventStart[r + 1];
    let used = 0;
    // Events closer than a pixel draw as one mark; huge event lists are capped.
    const minGap = 100 / this.barWidthPx;
    let lastPct = -Infinity;
    for (let i = a; i < b && used < MAX_EVENT_MARKS; i++) {
      const p = this.pct(rows.eventNs[i]);
      if (p < 0 || p > 100 || Math.abs(p - lastPct) < minGap) continue;
      lastPct = p;
      let m = v.marks[used];
      if (!m) {
        m = el('span', 'sl-evt');
        v.marks.push(m);
        v.barCell.appendChild(m);
      }
      m.hidden = false;
      m.style.left = `${p}%`;
      used++;
    }
    for (let i = used; i < v.marks.length; i++) if (!v.marks[i].hidden) v.marks[i].hidden = true;
  }

  /** A marker at each log record's time, coloured by severity (the worst wins where they merge). */
  private drawLogMarks(v: WaterfallRow, r: number): void {
    const rows = this.rows!;
    const a = rows.logStart[r];
    const b = rows.logStart[r + 1];
    let used = 0;
    const minGap = 100 / this.barWidthPx;
    let lastPct = -Infinity;
    let last: HTMLSpanElement | undefined;
    let lastSev = 0;
    for (let i = a; i < b && used < MAX_EVENT_MARKS; i++) {
      const p = this.pct(rows.logNs[i]);
      const sev = rows.logSeverity[i];
      if (p < 0 || p > 100) continue;
      if (last && Math.abs(p - lastPct) < minGap) {
        if (sev > lastSev) this.setLogMark(last, (lastSev = sev));
        continue;
      }
      lastPct = p;
      let m = v.logMarks[used];
      if (!m) {
        m = el('span', 'sl-logmark');
        v.logMarks.push(m);
        v.barCell.appendChild(m);
      }
      m.hidden = false;
      m.style.left = `${p}%`;
      this.setLogMark(m, (lastSev = sev));
      last = m;
      used++;
    }
    for (let i = used; i < v.logMarks.length; i++) if (!v.logMarks[i].hidden) v.logMarks[i].hidden = true;
  }

  private setLogMark(m: HTMLSpanElement, sev: number): void {
    const name = LOG_SEVERITIES[sev] ?? 'UNSPECIFIED';
    const cls = `sl-logmark sev-${name.toLowerCase()}`;
    if (m.className !== cls) {
      m.className = cls;
      m.title = `${name} log record`;
    }
  }

  private drawCritical(v: WaterfallRow, r: number): void {
    const rows = this.rows!;
    const a = rows.critStart[r];
    const b = rows.critStart[r + 1];
    let used = 0;
    for (let i = a; i < b && used < MAX_CRIT_SEGMENTS; i++) {
      const x0 = clampPct(this.pct(rows.critStartNs[i]));
      const x1 = clampPct(this.pct(rows.critEndNs[i]));
      if (x1 <= 0 || x0 >= 100) continue;
      let c = v.crits[used];
      if (!c) {
        c = el('span', 'sl-crit');
        c.title = 'Critical path';
        v.crits.push(c);
        v.barCell.insertBefore(c, v.dur);
      }
      c.hidden = false;
      c.style.left = `${x0}%`;
      c.style.width = `${x1 - x0}%`;
      used++;
    }
    for (let i = used; i < v.crits.length; i++) if (!v.crits[i].hidden) v.crits[i].hidden = true;
  }

  // -------------------------------------------------------------------------------------------
  // Input

  private rowFromEvent(e: Event): number {
    const target = e.target as HTMLElement | null;
    const rowEl = target?.closest<HTMLElement>('.sl-row');
    if (!rowEl || rowEl.dataset.row === undefined) return -1;
    return Number(rowEl.dataset.row);
  }

  private installPointer(): void {
    this.scroller.addEventListener('pointerdown', (e) => {
      // Shift+drag on the bars selects a zoom range, like dragging on the axis.
      if (e.button !== 0 || !e.shiftKey) return;
      const axisRect = this.axis.axisEl.getBoundingClientRect();
      if (e.clientX < axisRect.left || e.clientX > axisRect.right) return;
      this.axis.beginDrag(e, this.scroller);
    });
    this.scroller.addEventListener('click', (e) => {
      if (e.shiftKey) return;
      const r = this.rowFromEvent(e);
      if (r < 0) return;
      if ((e.target as HTMLElement).classList.contains('sl-toggle')) this.toggle(r);
      else this.select(r, { reveal: false });
    });
    this.scroller.addEventListener('dblclick', (e) => {
      const r = this.rowFromEvent(e);
      if (r < 0 || (e.target as HTMLElement).classList.contains('sl-toggle')) return;
      this.cb.onActivate(r);
    });
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.rows || e.altKey || e.ctrlKey || e.metaKey) return;
    const n = this.visible.length;
    if (n === 0) return;
    const idx = this.selected >= 0 ? indexOfRow(this.visible, this.selected) : -1;
    const go = (i: number) => this.select(this.visible[Math.max(0, Math.min(n - 1, i))]);
    const page = this.list.pageSize();
    switch (e.key) {
      case 'ArrowDown':
        go(idx < 0 ? this.list.firstVisibleIndex() : idx + 1);
        break;
      case 'ArrowUp':
        go(idx < 0 ? this.list.firstVisibleIndex() : idx - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(n - 1);
        break;
      case 'PageDown':
        go(idx < 0 ? this.list.firstVisibleIndex() : idx + page);
        break;
      case 'PageUp':
        go(idx < 0 ? this.list.firstVisibleIndex() : idx - page);
        break;
      case 'ArrowLeft': {
        if (idx < 0) return;
        const r = this.selected;
        if (this.hasKids(r) && !this.isCollapsed(r)) this.toggle(r, true);
        else if (this.rows.parent[r] >= 0) this.select(this.rows.parent[r]);
        break;
      }
      case 'ArrowRight': {
        if (idx < 0) return;
        const r = this.selected;
        if (this.hasKids(r) && this.isCollapsed(r)) this.toggle(r, false);
        else if (this.hasKids(r) && idx + 1 < n) go(idx + 1);
        break;
      }
      case 'Enter':
        if (this.selected >= 0) this.cb.onActivate(this.selected);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}

/** What a row view last wrote to the DOM. */
interface Shown {
  epoch: number;
  row: number;
  cls: string;
  name: string;
  service: number;
  indent: number;
  /** null: unknown, write it next time. */
  err: boolean | null;
  issue: boolean | null;
  genAi: number;
  toggle: string;
  geomRow: number;
  geom: number;
  dur: string;
}

function freshShown(epoch: number): Shown {
  return { epoch, row: -1, cls: '', name: '', service: -1, indent: -1, err: null, issue: null, genAi: -1, toggle: '', geomRow: -1, geom: -1, dur: '' };
}

function clampPct(p: number): number {
  return p < -1 ? -1 : p > 101 ? 101 : p;
}
