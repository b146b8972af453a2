// The list of traces in a file: sortable columns, a filter box, keyboard selection. Virtualised
// like the waterfall because some files hold tens of thousands of traces.
import type { TraceSummaryDto } from '../src/shared/protocol';
import { append, clear, el } from './dom';
import { displayText, formatCount, formatDuration, formatStartTime } from './format';
import { serviceColorClass } from './palette';
import { VirtualList, type RowView } from './virtualList';

const ROW_HEIGHT = 24;

export type TraceSortKey = 'name' | 'service' | 'start' | 'duration' | 'spans' | 'errors';

interface Column {
  readonly key: TraceSortKey;
  readonly title: string;
  readonly numeric: boolean;
  readonly value: (t: TraceSummaryDto) => string | number;
}

const COLUMNS: readonly Column[] = [
  { key: 'name', title: 'Root span', numeric: false, value: (t) => t.rootName },
  { key: 'service', title: 'Root service', numeric: false, value: (t) => t.rootService },
  { key: 'start', title: 'Start time', numeric: true, value: (t) => t.startMs },
  { key: 'duration', title: 'Duration', numeric: true, value: (t) => t.durationNs },
  { key: 'spans', title: 'Spans', numeric: true, value: (t) => t.spanCount },
  { key: 'errors', title: 'Errors', numeric: true, value: (t) => t.errorCount },
];

export interface TraceListState {
  sortKey: TraceSortKey;
  sortDesc: boolean;
  filter: string;
  selected: number;
}

interface TraceRowView extends RowView {
  readonly el: HTMLDivElement;
  readonly cells: HTMLSpanElement[];
  readonly swatch: HTMLSpanElement;
}

export class TraceListView {
  readonly root: HTMLDivElement;
  private readonly titleEl: HTMLHeadingElement;
  private readonly countEl: HTMLSpanElement;
  private readonly warningsEl: HTMLDetailsElement;
  private readonly emptyEl: HTMLDivElement;
  private readonly filterInput: HTMLInputElement;
  private readonly headerCells = new Map<TraceSortKey, HTMLElement>();
  private readonly scroller: HTMLDivElement;
  private readonly list: VirtualList<TraceRowView>;
  private traces: readonly TraceSummaryDto[] = [];
  private shown: TraceSummaryDto[] = [];
  private serviceIndex = new Map<string, number>();
  state: TraceListState = { sortKey: 'start', sortDesc: false, filter: '', selected: -1 };

  constructor(private readonly cb: { onOpen(traceIndex: number): void; onStateChange(): void }) {
    this.root = el('div', 'sl-tracelist');
    this.root.id = 'sl-trace-list';
    const top = el('div', 'sl-tl-top');
    this.titleEl = el('h2', 'sl-tl-title');
    this.filterInput = el('input', 'sl-input sl-tl-filter');
    this.filterInput.id = 'sl-trace-filter';
    this.filterInput.type = 'search';
    this.filterInput.placeholder = 'Filter traces (name, service, trace id)';
    this.filterInput.setAttribute('aria-label', 'Filter traces');
    this.filterInput.addEventListener('input', () => {
      this.state.filter = this.filterInput.value;
      this.refresh();
    });
    this.filterInput.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        if (e.key === 'Enter' && this.shown.length === 1) this.cb.onOpen(this.shown[0].traceIndex);
        else this.moveTo(0);
      } else if (e.key === 'Escape' && this.filterInput.value) {
        e.preventDefault();
        this.filterInput.value = '';
        this.state.filter = '';
        this.refresh();
      }
    });
    this.countEl = el('span', 'sl-tl-count');
    top.append(this.titleEl, this.filterInput, this.countEl);

    const header = el('div', 'sl-tl-header sl-tl-grid');
    header.setAttribute('role', 'row');
    for (const c of COLUMNS) {
      const h = el('div', `sl-tl-h${c.numeric ? ' num' : ''}`, c.title);
      h.setAttribute('role', 'columnheader');
      h.tabIndex = 0;
      h.dataset.sort = c.key;
      const sortBy = () => {
        if (this.state.sortKey === c.key) this.state.sortDesc = !this.state.sortDesc;
        else {
          this.state.sortKey = c.key;
          this.state.sortDesc = c.numeric && c.key !== 'start';
        }
        this.refresh();
      };
      h.addEventListener('click', sortBy);
      h.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sortBy();
        }
      });
      this.headerCells.set(c.key, h);
      header.appendChild(h);
    }

    this.scroller = el('div', 'sl-tl-scroller');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'grid');
    this.scroller.setAttribute('aria-label', 'Traces');
    this.list = new VirtualList<TraceRowView>({
      scroller: this.scroller,
      rowHeight: ROW_HEIGHT,
      createRow: () => this.createRow(),
      updateRow: (v, i) => this.updateRow(v, i),
      releaseRow: (v) => {
        v.el.className = 'sl-tl-row sl-tl-grid';
        v.el.removeAttribute('data-trace-index');
      },
    });
    this.scroller.addEventListener('click', (e) => {
      const i = this.indexFromEvent(e);
      if (i < 0) return;
      this.moveTo(i);
      this.cb.onOpen(this.shown[i].traceIndex);
    });
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.warningsEl = el('details', 'sl-warnings sl-tl-warnings');
    this.warningsEl.id = 'sl-file-warnings';
    this.emptyEl = el('div', 'sl-empty', 'No traces in this file.');
    this.emptyEl.hidden = true;
    const body = el('div', 'sl-tl-body');
    body.append(this.scroller, this.emptyEl);
    this.root.append(top, this.warningsEl, header, body);
    this.root.style.setProperty('--sl-tl-row-h', `${ROW_HEIGHT}px`);
  }

  setData(fileName: string, format: string, traces: readonly TraceSummaryDto[], warnings: readonly string[]): void {
    this.traces = traces;
    clear(this.warningsEl);
    this.warningsEl.hidden = warnings.length === 0;
    if (warnings.length) {
      const ul = el('ul');
      for (const w of warnings) ul.appendChild(el('li', undefined, w));
      append(this.warningsEl, el('summary', undefined, `⚠ ${formatCount(warnings.length)} file warning${warnings.length === 1 ? '' : 's'}`), ul);
      this.warningsEl.open = warnings.length <= 3;
    }
    this.titleEl.textContent = `${fileName} — ${formatCount(traces.length)} traces (${format})`;
    this.serviceIndex = new Map();
    for (const t of traces) for (const s of t.services) if (!this.serviceIndex.has(s)) this.serviceIndex.set(s, this.serviceIndex.size);
    this.filterInput.value = this.state.filter;
    this.refresh();
  }

  get scrollTop(): number {
    return this.list.scrollTop;
  }

  set scrollTop(v: number) {
    this.list.scrollTop = v;
  }

  focus(): void {
    this.scroller.focus({ preventScroll: true });
  }

  private refresh(): void {
    const q = this.state.filter.trim().toLowerCase();
    const shown = q
      ? this.traces.filter(
          (t) =>
            t.rootName.toLowerCase().includes(q) ||
            t.rootService.toLowerCase().includes(q) ||
            t.traceId.includes(q) ||
            t.services.some((s) => s.toLowerCase().includes(q)),
        )
      : this.traces.slice();
    const col = COLUMNS.find((c) => c.key === this.state.sortKey) ?? COLUMNS[2];
    const dir = this.state.sortDesc ? -1 : 1;
    shown.sort((a, b) => {
      const va = col.value(a);
      const vb = col.value(b);
      const d = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return d !== 0 ? d * dir : a.traceIndex - b.traceIndex;
    });
    this.shown = shown;
    for (const [key, h] of this.headerCells) {
      const active = key === this.state.sortKey;
      h.classList.toggle('sorted', active);
      h.classList.toggle('desc', active && this.state.sortDesc);
      h.setAttribute('aria-sort', active ? (this.state.sortDesc ? 'descending' : 'ascending') : 'none');
    }
    this.countEl.textContent =
      shown.length === this.traces.length ? '' : `${formatCount(shown.length)} of ${formatCount(this.traces.length)}`;
    this.emptyEl.hidden = shown.length > 0;
    this.emptyEl.textContent = this.traces.length === 0 ? 'No traces in this file.' : 'No traces match the filter.';
    this.list.setCount(shown.length);
    this.cb.onStateChange();
  }

  private createRow(): TraceRowView {
    const row = el('div', 'sl-tl-row sl-tl-grid');
    row.setAttribute('role', 'row');
    const cells = COLUMNS.map((c) => {
      const cell = el('span', `sl-tl-cell${c.numeric ? ' num' : ''}`);
      cell.setAttribute('role', 'gridcell');
      row.appendChild(cell);
      return cell;
    });
    const swatch = el('span', 'sl-swatch');
    return { el: row, cells, swatch };
  }

  private updateRow(v: TraceRowView, i: number): void {
    const t = this.shown[i];
    const selected = t.traceIndex === this.state.selected;
    v.el.className = `sl-tl-row sl-tl-grid${selected ? ' selected' : ''}${t.errorCount > 0 ? ' has-errors' : ''}`;
    v.el.dataset.traceIndex = String(t.traceIndex);
    v.el.setAttribute('aria-selected', selected ? 'true' : 'false');
    v.cells[0].textContent = displayText(t.rootName) || '(no root span)';
    v.cells[0].title = `${displayText(t.rootName)}\ntrace ${t.traceId}${t.warningCount ? `\n${t.warningCount} warnings` : ''}`;
    v.swatch.className = `sl-swatch ${serviceColorClass(this.serviceIndex.get(t.rootService) ?? 0)}`;
    v.cells[1].textContent = '';
    v.cells[1].append(v.swatch, document.createTextNode(displayText(t.rootService)));
    v.cells[1].title = displayText(t.services.join(', '));
    v.cells[2].textContent = formatStartTime(t.startMs);
    v.cells[3].textContent = formatDuration(t.durationNs);
    v.cells[4].textContent = formatCount(t.spanCount);
    v.cells[5].textContent = t.errorCount ? formatCount(t.errorCount) : '';
  }

  private indexFromEvent(e: Event): number {
    const rowEl = (e.target as HTMLElement | null)?.closest<HTMLElement>('.sl-tl-row');
    if (!rowEl) return -1;
    const ti = Number(rowEl.dataset.traceIndex);
    return this.shown.findIndex((t) => t.traceIndex === ti);
  }

  private moveTo(i: number): void {
    if (this.shown.length === 0) return;
    i = Math.max(0, Math.min(this.shown.length - 1, i));
    this.state.selected = this.shown[i].traceIndex;
    this.list.invalidate();
    this.list.scrollToIndex(i);
    this.focus();
    this.cb.onStateChange();
  }

  private onKey(e: KeyboardEvent): void {
    const cur = this.shown.findIndex((t) => t.traceIndex === this.state.selected);
    const page = this.list.pageSize();
    switch (e.key) {
      case 'ArrowDown':
        this.moveTo(cur + 1);
        break;
      case 'ArrowUp':
        if (cur <= 0) this.filterInput.focus();
        else this.moveTo(cur - 1);
        break;
      case 'PageDown':
        this.moveTo(cur + page);
        break;
      case 'PageUp':
        this.moveTo(cur - page);
        break;
      case 'Home':
        this.moveTo(0);
        break;
      case 'End':
        this.moveTo(this.shown.length - 1);
        break;
      case 'Enter':
        if (cur >= 0) this.cb.onOpen(this.shown[cur].traceIndex);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}
