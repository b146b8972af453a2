// The span detail pane (#sl-detail). Renders a SpanDetailDto; every value goes in as text.
import type { AttributeDto, LogRecordDto, MaskedDto, SpanDetailDto, SpanLinkDto, StackDto } from '../src/shared/protocol';
import { logList, type LogListHelpers } from './logList';
import { append, clear, el } from './dom';
import { displayText, EXPANDED_CHARS, foldText, formatCount, formatDuration, formatOffset } from './format';
import { serviceColorClass } from './palette';
import { genAiSection } from './genAiSection';
import { button } from './toolkit';

export interface DetailCallbacks {
  copy(text: string): void;
  goToSource(spanIndex: number): void;
  /** Select the span's parent row in the waterfall. */
  selectParent(): void;
  /** Follow a link whose target is in this file. */
  followLink(target: { traceIndex: number; spanIndex: number }): void;
  /** Open a stack frame in the editor (the host maps it through source maps). */
  openFrame?(target: { traceIndex: number; spanIndex: number; stackIndex: number; frameIndex: number }): void;
  close(): void;
}

const NO_LOCATION = 'No code location: this span has no code.* attributes or stack trace';
/** Tooltips and short labels show at most this much of a text. */
const CLIP_CHARS = 300;
function clip(text: string): string {
  return text.length > CLIP_CHARS ? `${text.slice(0, CLIP_CHARS)}…` : text;
}

export class DetailPane {
  readonly root: HTMLElement;
  private readonly body: HTMLDivElement;
  private current: SpanDetailDto | null = null;

  constructor(private readonly cb: DetailCallbacks) {
    this.root = el('aside', 'sl-detail');
    this.root.id = 'sl-detail';
    this.root.setAttribute('aria-label', 'Span details');
    this.root.tabIndex = -1;
    this.body = el('div', 'sl-detail-body');
    this.root.appendChild(this.body);
    this.root.hidden = true;
  }

  get spanIndex(): number {
    return this.current?.spanIndex ?? -1;
  }

  hide(): void {
    this.root.hidden = true;
    this.current = null;
    clear(this.body);
  }

  showMessage(title: string, message?: string): void {
    this.root.hidden = false;
    this.current = null;
    clear(this.body);
    append(this.body, this.head(title), message ? el('p', 'sl-muted', message) : null);
  }

  show(d: SpanDetailDto, serviceIndex: number): void {
    const sameSpan = this.current?.spanIndex === d.spanIndex && this.current.traceIndex === d.traceIndex;
    const keepScroll = sameSpan ? this.root.scrollTop : 0;
    this.current = d;
    this.root.hidden = false;
    clear(this.body);
    const b = this.body;

    b.appendChild(this.head(d.name || '(unnamed span)'));
    const sub = el('div', 'sl-detail-sub');
    const sw = el('span', `sl-swatch ${serviceColorClass(serviceIndex)}`);
    append(sub, sw, el('span', 'sl-detail-service', displayText(d.service)));
    if (d.statusCode === 'ERROR') append(sub, el('span', 'sl-badge error', 'ERROR'));
    else if (d.loggedException) {
      const badge = el('span', 'sl-badge error', 'ERROR (logged)');
      badge.title = `An exception was logged on this span: ${clip(d.loggedException)}`;
      append(sub, badge);
    }
    b.appendChild(sub);

    const actions = el('div', 'sl-detail-actions');
    const go = button('Go to source', () => this.cb.goToSource(d.spanIndex), { appearance: 'primary', id: 'sl-goto-source' });
    // Core says whether there is anything to go to; without a location or a function name the button explains why not.
    if (!d.codeLocation && !d.codeFunction) {
      go.disabled = true;
      go.setAttribute('disabled', '');
      go.title = NO_LOCATION;
      go.setAttribute('aria-description', NO_LOCATION);
    } else if (d.codeLocation) {
      go.title = `Open ${displayText(clip(d.codeLocation.file))}${d.codeLocation.line !== undefined ? `:${d.codeLocation.line}` : ''}`;
    } else {
      go.title = `No location recorded: search the workspace symbols for ${displayText(clip(d.codeFunction ?? ''))}`;
    }
    actions.appendChild(go);
    b.appendChild(actions);

    if (d.issues.length) {
      const box = el('div', 'sl-issues');
      box.setAttribute('role', 'note');
      append(box, el('div', 'sl-issues-title', d.issues.length === 1 ? 'Issue' : `Issues (${d.issues.length})`));
      const ul = el('ul');
      for (const i of d.issues) ul.appendChild(el('li', undefined, i));
      box.appendChild(ul);
      b.appendChild(box);
    }

    const kv = el('dl', 'sl-kv');
    const row = (k: string, v: string | Node, extra?: Node) => {
      const dd = el('dd');
      append(dd, typeof v === 'string' ? this.folded('span', 'sl-value', v) : v, extra);
      append(kv, el('dt', undefined, k), dd);
    };
    row('Kind', d.kind);
    if (d.statusMessage && d.statusMessageMasked) row('Status', this.maskable(`${d.statusCode}: `, d.statusMessage, d.statusMessageMasked, 'the status message', 'sl-value'));
    else row('Status', d.statusMessage ? `${d.statusCode}: ${d.statusMessage}` : d.statusCode);
    row('Duration', formatDuration(d.durationNs));
    row('Self time', formatDuration(d.selfTimeNs));
    row('Start time', d.startTime);
    row('Offset', formatOffset(d.offsetNs));
    row('Trace ID', this.mono(d.traceId), this.copyButton(d.traceId, 'Copy trace ID'));
    row('Span ID', this.mono(d.spanId), this.copyButton(d.spanId, 'Copy span ID'));
    if (d.parentSpanId) {
      const link = el('a', 'sl-link sl-mono', d.parentSpanId);
      link.href = '#';
      link.title = 'Select the parent span';
      link.addEventListener('click', (e) => {
        e.preventDefault();
        this.cb.selectParent();
      });
      row('Parent ID', link, this.copyButton(d.parentSpanId, 'Copy parent span ID'));
    }
    b.appendChild(kv);

    if (d.genAi) b.appendChild(this.section('GenAI', 1, genAiSection(d.genAi, { folded: (c, t) => this.folded('div', c, t), section: (t, n, c) => this.section(t, n, c) }), true));
    b.appendChild(this.section('Attributes', d.attributes.length, this.attrList(d.attributes)));
    if (d.logs?.length) b.appendChild(this.section('Logs', d.logCount ?? d.logs.length, logList(d.logs, d.logCount ?? d.logs.length, d.offsetNs, this.logHelpers())));
    const stacks = d.stacks ?? [];
    if (stacks.length) b.appendChild(this.section(stacks.length === 1 ? 'Stack trace' : 'Stack traces', stacks.length, this.stacks(d, stacks)));
    if (d.events.length) b.appendChild(this.section('Events', d.events.length, this.events(d)));
    if (d.links.length) b.appendChild(this.section('Links', d.links.length, this.links(d.links)));
    b.appendChild(this.section('Resource', d.resource.length, this.attrList(d.resource)));
    const scope = el('div');
    const scopeName = d.scope.name ? `${d.scope.name}${d.scope.version ? ` ${d.scope.version}` : ''}` : '(no scope name)';
    append(scope, this.folded('div', 'sl-scope-name sl-value', scopeName), d.scope.attributes.length ? this.attrList(d.scope.attributes) : null);
    b.appendChild(this.section('Instrumentation scope', d.scope.attributes.length, scope, true));
    this.root.scrollTop = keepScroll;
  }

  /** The trace's log records that belong to no span (the header's "logs without a span"). */
  showTraceLogs(title: string, records: readonly LogRecordDto[], total: number): void {
    this.current = null;
    this.root.hidden = false;
    clear(this.body);
    append(this.body, this.head(title), records.length ? logList(records, total, 0, this.logHelpers()) : el('p', 'sl-muted', 'None.'));
  }

  private logHelpers(): LogListHelpers {
    return {
      folded: (c, t) => this.folded('div', c, t),
      maskable: (masked, m, what) => this.maskable('', masked, m, what, 'sl-log-body sl-value', 'div'),
      attrList: (a) => this.attrList(a),
      copyButton: (t, title) => this.copyButton(t, title),
    };
  }

  private head(title: string): HTMLElement {
    const head = el('div', 'sl-detail-head');
    const h = this.folded('h3', 'sl-detail-name', title);
    h.title = displayText(clip(title));
    const close = el('button', 'sl-close', '×');
    close.title = 'Close details';
    close.setAttribute('aria-label', 'Close details');
    close.addEventListener('click', () => this.cb.close());
    append(head, h, close);
    return head;
  }

  private mono(text: string): HTMLElement {
    return el('span', 'sl-value sl-mono', text);
  }

  private copyButton(text: string, title: string): HTMLElement {
    return button('Copy', () => this.cb.copy(text), { appearance: 'secondary', title, className: 'sl-copy' });
  }

  /** A collapsible section titled "Title (count)"; `alwaysOpen` opens it even with no items. */
  private section(title: string, count: number, content: Node, alwaysOpen = false): HTMLElement {
    const d = el('details', 'sl-section');
    d.open = alwaysOpen || count > 0;
    const s = el('summary', undefined, alwaysOpen ? title : `${title} (${count})`);
    append(d, s, content);
    return d;
  }

  private attrList(attrs: readonly AttributeDto[]): HTMLElement {
    const dl = el('dl', 'sl-attrs');
    if (attrs.length === 0) {
      dl.appendChild(el('dd', 'sl-muted', 'None'));
      return dl;
    }
    for (const a of attrs) {
      const dt = this.folded('dt', 'sl-mono', a.key);
      dt.title = displayText(clip(a.key));
      const dd = a.masked ? el('dd', `sl-value type-${a.type}`) : this.folded('dd', `sl-value type-${a.type}`, a.type === 'empty' ? '(empty)' : a.value);
      dd.title = a.type;
      if (a.masked) dd.appendChild(this.maskable('', a.value, a.masked, a.key));
      append(dl, dt, dd);
    }
    return dl;
  }

  /**
   * Text as text, bidi controls made visible, folded when long: the first FOLD_CHARS and a
   * "Show all (N chars)" button; expanded, at most EXPANDED_CHARS go into the DOM, with a note and
   * a Copy button for the whole text.
   */
  private folded<K extends 'span' | 'div' | 'dd' | 'dt' | 'h3'>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
    const box = el(tag, className);
    const first = foldText(text, false);
    if (!first.folds) {
      box.textContent = first.shown;
      return box;
    }
    box.classList.add('sl-folded');
    const body = el('span', 'sl-fold-text');
    const toggle = el('button', 'sl-fold-toggle');
    toggle.type = 'button';
    const note = el('span', 'sl-fold-note');
    const set = (expanded: boolean) => {
      const f = foldText(text, expanded);
      body.textContent = f.cut && !expanded ? `${f.shown}…` : f.shown;
      toggle.textContent = expanded ? 'Show less' : `Show all (${formatCount(text.length)} chars)`;
      toggle.setAttribute('aria-expanded', String(expanded));
      clear(note);
      if (expanded && f.cut) {
        append(note, `Showing the first ${formatCount(EXPANDED_CHARS)} of ${formatCount(text.length)} chars. `, this.copyButton(text, 'Copy the whole text'));
      }
    };
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      set(toggle.getAttribute('aria-expanded') !== 'true');
    });
    set(false);
    append(box, body, ' ', toggle, note);
    return box;
  }

  /**
   * A value masked on screen: the masked text and a Reveal button (a real <button>, so Tab reaches
   * it) that swaps in the original, and back. Text only: both strings go in as textContent.
   */
  private maskable(prefix: string, masked: string, m: MaskedDto, what: string, className = '', tag: 'span' | 'div' = 'span'): HTMLElement {
    const wrap = el(tag, `${className} sl-masked-wrap`.trim());
    const text = el('span', 'sl-masked', displayText(prefix + masked));
    text.title = `Masked by ${m.rules.join(', ')} (spanlens.redaction.maskOnScreen)`;
    const b = el('button', 'sl-reveal', 'Reveal');
    b.type = 'button';
    const label = (shown: boolean) => b.setAttribute('aria-label', `${shown ? 'Hide' : 'Reveal'} the value of ${what}`);
    label(false);
    b.setAttribute('aria-pressed', 'false');
    b.addEventListener('click', () => {
      const shown = b.getAttribute('aria-pressed') !== 'true';
      text.textContent = displayText(prefix + (shown ? m.original : masked));
      text.classList.toggle('sl-masked', !shown);
      text.classList.toggle('sl-revealed', shown);
      b.textContent = shown ? 'Hide' : 'Reveal';
      b.setAttribute('aria-pressed', String(shown));
      label(shown);
    });
    append(wrap, text, ' ', b);
    return wrap;
  }

  private events(d: SpanDetailDto): HTMLElement {
    const wrap = el('div', 'sl-events');
    for (const ev of d.events) {
      const item = el('div', 'sl-event');
      const head = el('div', 'sl-event-head');
      const off = el('span', 'sl-event-offset', formatOffset(ev.offsetNs - d.offsetNs));
      off.title = `${formatOffset(ev.offsetNs)} from the trace start`;
      append(head, off, this.folded('span', 'sl-event-name', ev.name || '(unnamed event)'));
      append(item, head, ev.attributes.length ? this.attrList(ev.attributes) : null);
      wrap.appendChild(item);
    }
    return wrap;
  }

  /** Every frame is a button-like link that opens it in the editor. Text only, never markup. */
  private stacks(d: SpanDetailDto, stacks: readonly StackDto[]): HTMLElement {
    const wrap = el('div', 'sl-stacks');
    stacks.forEach((st, stackIndex) => {
      const item = el('div', 'sl-stack');
      item.dataset.stackIndex = String(stackIndex);
      const head = el('div', 'sl-stack-head');
      append(head, el('span', 'sl-stack-source sl-mono', displayText(st.eventName ? `${st.source} (event "${clip(st.eventName)}")` : st.source)));
      if (st.message && st.messageMasked) append(head, this.maskable('', st.message, st.messageMasked, `the ${st.source} message`, 'sl-stack-message sl-value', 'div'));
      else if (st.message) append(head, this.folded('div', 'sl-stack-message sl-value', st.message));
      item.appendChild(head);
      const list = el('ol', 'sl-frames');
      st.frames.forEach((f, frameIndex) => {
        const li = el('li');
        const where = `${f.file}:${f.line}${f.column !== undefined ? `:${f.column}` : ''}`;
        const link = el('button', `sl-frame sl-mono${f.library ? ' library' : ''}`, displayText(clip(f.text || `${f.function ?? ''} ${where}`.trim())));
        link.type = 'button';
        link.dataset.stackIndex = String(stackIndex);
        link.dataset.frameIndex = String(frameIndex);
        link.title = `Open ${displayText(clip(where))} in the editor${f.library ? ' (library code)' : ''}`;
        link.addEventListener('click', () => this.cb.openFrame?.({ traceIndex: d.traceIndex, spanIndex: d.spanIndex, stackIndex, frameIndex }));
        li.appendChild(link);
        list.appendChild(li);
      });
      item.appendChild(list);
      wrap.appendChild(item);
    });
    return wrap;
  }

  private links(links: readonly SpanLinkDto[]): HTMLElement {
    const wrap = el('div', 'sl-links');
    for (const l of links) {
      const item = el('div', 'sl-linkitem');
      const head = el('div', 'sl-link-head');
      const text = `${l.refType ? `${l.refType}: ` : ''}${l.traceId} / ${l.spanId}`;
      if (l.target) {
        const target = l.target;
        const a = el('a', 'sl-link sl-mono', text);
        a.href = '#';
        a.title = 'Go to the linked span';
        a.addEventListener('click', (e) => {
          e.preventDefault();
          this.cb.followLink(target);
        });
        head.appendChild(a);
      } else {
        const s = el('span', 'sl-mono', text);
        s.title = 'The linked span is not in this file';
        append(head, s, el('span', 'sl-muted', ' (not in this file)'));
      }
      append(item, head, l.attributes.length ? this.attrList(l.attributes) : null);
      wrap.appendChild(item);
    }
    return wrap;
  }
}
