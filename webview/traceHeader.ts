// The trace view's header (title, totals, services legend, warnings) and the tree/zoom controls.
import type { TraceSummaryDto, WaterfallDto } from '../src/shared/protocol';
import { append, clear, el } from './dom';
import { displayText, formatCount, formatDuration } from './format';
import { serviceColorClass } from './palette';
import { button, Dropdown, type ButtonElement } from './toolkit';

/** Legend entries shown before folding the rest into "+N more". */
const MAX_LEGEND = 24;

export class TraceHeader {
  readonly root: HTMLElement;
  private readonly backBtn: ButtonElement;
  private readonly titleEl: HTMLHeadingElement;
  private readonly metaEl: HTMLSpanElement;
  private readonly tokensEl: HTMLSpanElement;
  private readonly legendEl: HTMLDivElement;
  private readonly warningsEl: HTMLDetailsElement;

  private readonly logsBtn: HTMLButtonElement;
  /** The right end of the title line, where the app puts the Waterfall | Flame graph toggle. */
  readonly viewSlot: HTMLDivElement;

  /** `onTraceLogs`: list the trace's log records that have no span (the logs button). */
  constructor(onBack: () => void, onTraceLogs: () => void = () => undefined) {
    this.root = el('header', 'sl-header');
    const line = el('div', 'sl-header-line');
    this.backBtn = button('← Traces', onBack, { appearance: 'secondary', title: 'Back to the trace list', id: 'sl-back' });
    this.titleEl = el('h2', 'sl-title');
    this.titleEl.id = 'sl-trace-title';
    this.metaEl = el('span', 'sl-meta');
    this.metaEl.id = 'sl-trace-meta';
    this.tokensEl = el('span', 'sl-meta sl-genai-tokens');
    this.tokensEl.id = 'sl-trace-tokens';
    this.logsBtn = el('button', 'sl-link sl-logs-btn');
    this.logsBtn.type = 'button';
    this.logsBtn.id = 'sl-trace-logs';
    this.logsBtn.addEventListener('click', onTraceLogs);
    this.viewSlot = el('div', 'sl-header-end');
    append(line, this.backBtn, this.titleEl, this.metaEl, this.logsBtn, this.tokensEl, this.viewSlot);
    this.legendEl = el('div', 'sl-legend');
    this.legendEl.id = 'sl-legend';
    this.warningsEl = el('details', 'sl-warnings');
    this.warningsEl.id = 'sl-warnings';
    append(this.root, line, this.legendEl, this.warningsEl);
  }

  set(title: string, dto: WaterfallDto, fileWarnings: readonly string[], canGoBack: boolean, summary?: TraceSummaryDto): void {
    this.backBtn.hidden = !canGoBack;
    this.titleEl.textContent = displayText(title) || '(no root span)';
    this.titleEl.title = `trace ${dto.traceId}`;
    const services = dto.services.length;
    this.metaEl.textContent =
      `${formatDuration(dto.durationNs)} · ${formatCount(dto.rowCount)} spans · ` +
      `${formatCount(services)} service${services === 1 ? '' : 's'}`;
    // Log records joined to the trace; the button lists those that belong to no span.
    const logs = summary?.logCount ?? 0;
    this.logsBtn.hidden = logs === 0;
    this.logsBtn.textContent = `· ${formatCount(logs)} log record${logs === 1 ? '' : 's'}`;
    this.logsBtn.title = 'Log records joined to this trace (markers on the bars; each span lists its own). Click for those with no span.';
    // GenAI traces: their tokens, each model call counted once (the host applies the rule).
    const g = summary?.genAi;
    this.tokensEl.hidden = !g;
    this.tokensEl.textContent = g ? `· ${formatCount(g.inputTokens)} input / ${formatCount(g.outputTokens)} output tokens` : '';
    this.tokensEl.title = g ? `GenAI token totals${g.models.length ? `\nModels: ${displayText(g.models.join(', '))}` : ''}` : '';

    clear(this.legendEl);
    dto.services.slice(0, MAX_LEGEND).forEach((s, i) => {
      const item = el('span', 'sl-legend-item');
      append(item, el('span', `sl-swatch ${serviceColorClass(i)}`), el('span', undefined, displayText(s) || '(unknown service)'));
      item.title = displayText(s);
      this.legendEl.appendChild(item);
    });
    if (dto.services.length > MAX_LEGEND) {
      const more = el('span', 'sl-legend-item sl-muted', `+${dto.services.length - MAX_LEGEND} more`);
      more.title = displayText(dto.services.slice(MAX_LEGEND).join('\n'));
      this.legendEl.appendChild(more);
    }
    const crit = el('span', 'sl-legend-item sl-legend-crit');
    append(crit, el('span', 'sl-crit-sample'), el('span', undefined, 'critical path'));
    const evt = el('span', 'sl-legend-item sl-legend-evt');
    append(evt, el('span', 'sl-evt-sample'), el('span', undefined, 'event'));
    append(this.legendEl, crit, evt);
    if (dto.logRow?.length) {
      const log = el('span', 'sl-legend-item sl-legend-log');
      append(log, el('span', 'sl-logmark-sample'), el('span', undefined, 'log record'));
      this.legendEl.appendChild(log);
    }

    clear(this.warningsEl);
    const all = [...dto.warnings, ...fileWarnings];
    this.warningsEl.hidden = all.length === 0;
    if (all.length) {
      const summary = el('summary', undefined, `⚠ ${formatCount(all.length)} warning${all.length === 1 ? '' : 's'}`);
      const ul = el('ul');
      for (const w of dto.warnings) ul.appendChild(el('li', undefined, w));
      for (const w of fileWarnings) ul.appendChild(el('li', 'sl-file-warning', `File: ${w}`));
      append(this.warningsEl, summary, ul);
      // Open by default when short so nobody misses them; long lists start folded.
      this.warningsEl.open = all.length <= 3;
    }
  }
}

export interface TreeControlCallbacks {
  expandAll(): void;
  collapseAll(): void;
  collapseToDepth(depth: number): void;
  resetZoom(): void;
}

export class TreeControls {
  readonly root: HTMLDivElement;
  private readonly depth: Dropdown;
  private readonly resetZoomBtn: ButtonElement;
  private levels = -1;

  constructor(cb: TreeControlCallbacks) {
    this.root = el('div', 'sl-treecontrols');
    // Icons with their names as title and label, as VS Code's own tree views do: the toolbar has to
    // fit on one line at 1440 px beside the find fields.
    const expand = button('⊞', () => {
      this.depth.value = '';
      cb.expandAll();
    }, { id: 'sl-expand-all', title: 'Expand all', appearance: 'icon' });
    expand.setAttribute('aria-label', 'Expand all');
    const collapse = button('⊟', () => {
      this.depth.value = '';
      cb.collapseAll();
    }, { id: 'sl-collapse-all', title: 'Collapse all', appearance: 'icon' });
    collapse.setAttribute('aria-label', 'Collapse all');
    this.depth = new Dropdown((v) => {
      if (v) cb.collapseToDepth(Number(v));
    }, { id: 'sl-depth', title: 'Show the tree down to this depth' });
    this.resetZoomBtn = button('Reset', () => cb.resetZoom(), { id: 'sl-reset-zoom', title: 'Reset zoom: show the whole trace (drag on the time axis to zoom)' });
    this.resetZoomBtn.setAttribute('aria-label', 'Reset zoom');
    this.resetZoomBtn.disabled = true;
    this.root.append(expand, collapse, this.depth.el, this.resetZoomBtn);
  }

  setMaxDepth(maxDepth: number): void {
    const levels = Math.min(maxDepth + 1, 50);
    if (levels === this.levels) {
      this.depth.value = '';
      return;
    }
    this.levels = levels;
    const opts = [{ value: '', label: 'Depth…' }];
    for (let d = 1; d <= levels; d++) opts.push({ value: String(d), label: `Depth ${d}` });
    this.depth.setOptions(opts, '');
  }

  setZoomed(zoomed: boolean): void {
    this.resetZoomBtn.disabled = !zoomed;
  }
}
