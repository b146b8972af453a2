// The find controls: text (or key=value), service, minimum duration, errors-only and, for traces
// with log records, a minimum log severity. The query
// filters the waterfall; the bar only collects input and shows the count, the app runs the search.
import { LOG_SEVERITIES, type SearchQuery } from '../src/shared/protocol';
import { el } from './dom';
import { buildFindQuery, INVALID_DURATION, parseDurationInput } from './format';
import { button, checkbox, Dropdown, type ButtonElement, type CheckboxElement } from './toolkit';

const LOG_FILTER_OPTIONS = [
  { value: '', label: 'Any logs' },
  ...(['INFO', 'WARN', 'ERROR'] as const).map((n) => ({ value: String(LOG_SEVERITIES.indexOf(n)), label: `Logs ≥ ${n}` })),
];

const MIN_TITLE = 'Minimum duration, e.g. 10ms, 250us, 1.5s (a bare number is ms)';

/** Typing settles for this long before a search is sent. */
const DEBOUNCE_MS = 200;

export interface FindState {
  text: string;
  service: string;
  minDuration: string;
  errorsOnly: boolean;
  /** '' or the minimum log severity code (LOG_SEVERITIES index) as text. */
  logSeverity: string;
}

export const EMPTY_FIND: FindState = { text: '', service: '', minDuration: '', errorsOnly: false, logSeverity: '' };

export interface FindCallbacks {
  onQueryChange(): void;
  onStep(direction: 1 | -1): void;
  onEscape(): void;
}

export class FindBar {
  readonly root: HTMLDivElement;
  readonly searchInput: HTMLInputElement;
  private readonly minInput: HTMLInputElement;
  private readonly service: Dropdown;
  private readonly errorsOnly: CheckboxElement;
  /** Shown only for traces with log records on their spans, so it costs no toolbar room otherwise. */
  private readonly logSeverity: Dropdown;
  private logSeverityValue = '';
  private readonly countEl: HTMLSpanElement;
  private readonly descEl: HTMLSpanElement;
  private readonly prevBtn: ButtonElement;
  private readonly nextBtn: ButtonElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The chosen service; kept here because the dropdown's options are filled in after first paint. */
  private serviceValue = '';
  private servicesKey: string | null = null;

  constructor(private readonly cb: FindCallbacks) {
    this.root = el('div', 'sl-findbar');
    this.root.setAttribute('role', 'search');

    this.searchInput = el('input', 'sl-input sl-search');
    this.searchInput.id = 'sl-search';
    this.searchInput.type = 'text';
    this.searchInput.spellcheck = false;
    this.searchInput.placeholder = 'Find spans: text or key=value  (/)';
    this.searchInput.setAttribute('aria-label', 'Find spans');
    this.searchInput.addEventListener('input', () => this.changedSoon());
    this.searchInput.addEventListener('keydown', (e) => this.onKey(e));

    this.service = new Dropdown(
      (v) => {
        this.serviceValue = v;
        this.changedNow();
      },
      { id: 'sl-service', title: 'Only spans of this service' },
    );
    this.service.setOptions([{ value: '', label: 'All services' }], '');

    this.minInput = el('input', 'sl-input sl-min-duration');
    this.minInput.id = 'sl-min-duration';
    this.minInput.type = 'text';
    this.minInput.spellcheck = false;
    this.minInput.placeholder = 'min 10ms';
    this.minInput.title = MIN_TITLE;
    this.minInput.setAttribute('aria-label', 'Minimum duration');
    this.minInput.addEventListener('input', () => this.changedSoon());
    this.minInput.addEventListener('keydown', (e) => this.onKey(e));

    this.errorsOnly = checkbox('Errors only', () => this.changedNow(), 'sl-errors-only');
    this.logSeverity = new Dropdown(
      (v) => {
        this.logSeverityValue = v;
        this.changedNow();
      },
      { id: 'sl-log-severity', title: 'Only spans with a log record at least this severe (free text also finds log bodies)' },
    );
    this.logSeverity.setOptions(LOG_FILTER_OPTIONS, '');
    this.logSeverity.el.hidden = true;

    this.prevBtn = button('↑', () => this.cb.onStep(-1), { appearance: 'icon', title: 'Previous match (Shift+Enter)', id: 'sl-find-prev' });
    this.nextBtn = button('↓', () => this.cb.onStep(1), { appearance: 'icon', title: 'Next match (Enter)', id: 'sl-find-next' });
    this.countEl = el('span', 'sl-find-count');
    this.countEl.id = 'sl-find-count';
    this.countEl.setAttribute('aria-live', 'polite');
    const clearBtn = button('Clear', () => this.clear(), { appearance: 'secondary', title: 'Clear the search (Escape)', id: 'sl-find-clear' });
    this.descEl = el('span', 'sl-find-desc');
    this.descEl.id = 'sl-find-desc';

    this.root.append(this.searchInput, this.service.el, this.minInput, this.errorsOnly, this.logSeverity.el, this.prevBtn, this.nextBtn, this.countEl, clearBtn, this.descEl);
    this.setResult(null);
  }

  setServices(services: readonly string[]): void {
    const key = JSON.stringify(services);
    if (key === this.servicesKey) {
      this.service.value = this.serviceValue;
      return;
    }
    this.servicesKey = key;
    if (!services.includes(this.serviceValue)) this.serviceValue = '';
    this.service.setOptions(
      [{ value: '', label: 'All services' }, ...services.map((s) => ({ value: s, label: s || '(unknown service)' }))],
      this.serviceValue,
    );
  }

  /** Whether the trace has log records on spans (the severity filter is offered then). */
  setHasLogs(has: boolean): void {
    this.logSeverity.el.hidden = !has;
  }

  get state(): FindState {
    return {
      text: this.searchInput.value,
      service: this.serviceValue,
      minDuration: this.minInput.value,
      errorsOnly: this.errorsOnly.checked,
      logSeverity: this.logSeverityValue,
    };
  }

  set state(s: FindState) {
    this.searchInput.value = s.text;
    this.serviceValue = s.service;
    this.service.value = s.service;
    this.minInput.value = s.minDuration;
    this.errorsOnly.checked = s.errorsOnly;
    this.logSeverityValue = s.logSeverity ?? '';
    this.logSeverity.value = this.logSeverityValue;
    this.validate();
  }

  /** The query to send (null when nothing filters); a minimum duration that does not parse is left out and flagged. */
  query(): { query: SearchQuery | null; durationInvalid: boolean } {
    return buildFindQuery(this.state);
  }

  /** Shows "3 of 12", "12 matches", "No matches" or nothing (no search). */
  setResult(r: { current: number; total: number; description?: string } | null, error?: string): void {
    const durationInvalid = !this.validate();
    this.minInput.title = durationInvalid ? `${INVALID_DURATION}. ${MIN_TITLE}` : MIN_TITLE;
    if (error || (durationInvalid && !r)) {
      this.countEl.textContent = error ?? INVALID_DURATION;
      this.countEl.className = 'sl-find-count error';
    } else if (durationInvalid && r) {
      this.countEl.className = 'sl-find-count error';
      this.countEl.textContent = `${INVALID_DURATION} · ${r.total === 0 ? 'No matches' : r.current >= 0 ? `${r.current + 1} of ${r.total}` : `${r.total} matches`}`;
    } else if (!r) {
      this.countEl.textContent = '';
      this.countEl.className = 'sl-find-count';
    } else {
      this.countEl.className = r.total === 0 ? 'sl-find-count none' : 'sl-find-count';
      this.countEl.textContent =
        r.total === 0 ? 'No matches' : r.current >= 0 ? `${r.current + 1} of ${r.total}` : `${r.total} matches`;
    }
    this.descEl.textContent = r?.description ?? '';
    this.descEl.title = r?.description ?? '';
    const canStep = !!r && r.total > 0;
    this.prevBtn.disabled = this.nextBtn.disabled = !canStep;
  }

  focus(): void {
    this.searchInput.focus();
    this.searchInput.select();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.state = { ...EMPTY_FIND };
    this.cb.onQueryChange();
  }

  /** Runs a pending debounced change now; true if one was pending. */
  flush(): boolean {
    if (this.timer === undefined) return false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cb.onQueryChange();
    return true;
  }

  private validate(): boolean {
    const bad = this.minInput.value.trim() !== '' && parseDurationInput(this.minInput.value) === undefined;
    this.minInput.classList.toggle('invalid', bad);
    this.minInput.setAttribute('aria-invalid', bad ? 'true' : 'false');
    return !bad;
  }

  private changedSoon(): void {
    this.validate();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.cb.onQueryChange();
    }, DEBOUNCE_MS);
  }

  private changedNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.cb.onQueryChange();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      // Enter right after typing runs the search (which selects the first match) instead of stepping.
      if (!this.flush()) this.cb.onStep(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.cb.onEscape();
    }
  }
}
