// Log records as the detail pane lists them (a span's Logs section, and a trace's records that have
// no span): time and offset, severity, body (folded when long, masked when a rule matched),
// attributes, and a Copy button for the whole record. Text only; the pane lends its helpers.
import type { AttributeDto, LogRecordDto, MaskedDto } from '../src/shared/protocol';
import { append, el } from './dom';
import { formatOffset } from './format';

export interface LogListHelpers {
  folded(className: string, text: string): HTMLElement;
  maskable(masked: string, m: MaskedDto, what: string): HTMLElement;
  attrList(attrs: readonly AttributeDto[]): HTMLElement;
  copyButton(text: string, title: string): HTMLElement;
}

/** `baseOffsetNs`: offsets are shown from here (the span's start; 0 for the trace). */
export function logList(records: readonly LogRecordDto[], total: number, baseOffsetNs: number, h: LogListHelpers): HTMLElement {
  const wrap = el('div', 'sl-logs');
  for (const r of records) {
    const item = el('div', `sl-log sev-${r.severity.toLowerCase()}`);
    const head = el('div', 'sl-log-head');
    const sev = el('span', 'sl-log-sev', r.severityText ? `${r.severity} (${r.severityText})` : r.severity);
    sev.title = `severity number ${r.severityNumber}`;
    const off = el('span', 'sl-log-time', formatOffset(r.offsetNs - baseOffsetNs));
    off.title = r.time;
    append(head, sev, off, r.eventName ? el('span', 'sl-mono', r.eventName) : null, h.copyButton(recordText(r), 'Copy this log record'));
    const body = r.bodyMasked ? h.maskable(r.body, r.bodyMasked, 'the log body') : h.folded('sl-log-body sl-value', r.body || '(no body)');
    append(item, head, body, r.attributes.length ? h.attrList(r.attributes) : null);
    wrap.appendChild(item);
  }
  if (total > records.length) wrap.appendChild(el('p', 'sl-muted', `Showing ${records.length} of ${total} log records.`));
  return wrap;
}

/** What Copy puts on the clipboard: the record as the user sees it, as JSON (originals, not masks). */
function recordText(r: LogRecordDto): string {
  const attrs: Record<string, string> = {};
  for (const a of r.attributes) attrs[a.key] = a.masked ? a.masked.original : a.value;
  return JSON.stringify(
    { time: r.time, severity: r.severityText ?? r.severity, severityNumber: r.severityNumber, ...(r.eventName ? { eventName: r.eventName } : {}), body: r.bodyMasked ? r.bodyMasked.original : r.body, attributes: attrs, ...(r.spanId ? { spanId: r.spanId } : {}) },
    null,
    2,
  );
}
