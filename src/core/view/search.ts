// Span search within one trace. Conditions are ANDed:
//   text        free text, case-insensitive substring of the span's name, service, span id, and the
//               keys and values of its attributes, its resource's attributes and its events (names
//               and attributes) — or, when it has the shape `key=value`, an attribute condition:
//                 key=value    an attribute (span, resource or event) whose text is exactly value
//                              (numbers also match numerically, so 200 finds 200.0)
//                 key="a b"    quoted values may contain spaces, '=' and escaped quotes (\")
//                 key!=value   no attribute `key` with that value (absent also matches)
//                 key=*        the attribute is present; key!=* it is absent
//               Keys are letters, digits and _ . - / : @, so URLs and sentences stay free text.
//   service     the span's service, exactly
//   minDurationNs  duration at least this long
//   errorsOnly  status ERROR
// The lower-cased text of every span is built once per trace and cached (see searchIndex), so typing
// in the search box costs one substring scan per span and allocates nothing per span.
import type { Attributes, Span, Trace } from '../model/model';
import { formatAttrValue } from '../model/attributes';
import { formatDurationNs } from '../model/time';
import { RowFlag, type SearchQuery, type SearchResultDto, type WaterfallDto } from '../../shared/protocol';

export type TextCondition =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly needle: string }
  | { readonly kind: 'attr'; readonly key: string; readonly negate: boolean; readonly value: string | undefined };

const ATTR_RE = /^([A-Za-z_@][\w.\-/:@]*)\s*(!=|=)\s*(.*)$/s;

/** How the free-text box is understood. Exported for the UI's hint text and for tests. */
export function parseTextQuery(text: string | undefined): TextCondition {
  const t = (text ?? '').trim();
  if (!t) return { kind: 'none' };
  const m = ATTR_RE.exec(t);
  if (!m) return { kind: 'text', needle: t.toLowerCase() };
  const raw = m[3].trim();
  const negate = m[2] === '!=';
  if (raw === '*') return { kind: 'attr', key: m[1], negate, value: undefined };
  return { kind: 'attr', key: m[1], negate, value: unquote(raw) };
}

function unquote(s: string): string {
  const q = s[0];
  if (s.length >= 2 && (q === '"' || q === "'") && s[s.length - 1] === q) {
    return s.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return s;
}

export function searchTrace(trace: Trace, wf: WaterfallDto, query: SearchQuery): SearchResultDto {
  const cond = parseTextQuery(query.text);
  const service = query.service || undefined;
  const minDuration = query.minDurationNs !== undefined && query.minDurationNs > 0 ? query.minDurationNs : undefined;
  const errorsOnly = query.errorsOnly === true;
  const description = describe(cond, service, minDuration, errorsOnly);
  if (cond.kind === 'none' && service === undefined && minDuration === undefined && !errorsOnly) {
    return { rows: new Int32Array(0), description };
  }

  // Cheap column filters in row order, then the text or attribute test in span order (sequential
  // over the span objects, which is several times faster than chasing them in row order), then the
  // matches back in row order.
  const serviceIdx = service === undefined ? -1 : wf.services.indexOf(service);
  if (service !== undefined && serviceIdx < 0) return { rows: new Int32Array(0), description };
  const n = wf.rowCount;
  const candidate = new Uint8Array(trace.spans.length);
  for (let r = 0; r < n; r++) {
    if (errorsOnly && !(wf.flags[r] & RowFlag.Error)) continue;
    if (minDuration !== undefined && wf.durationNsByRow[r] < minDuration) continue;
    if (serviceIdx >= 0 && wf.service[r] !== serviceIdx) continue;
    candidate[wf.spanIndex[r]] = 1;
  }
  if (cond.kind === 'text') {
    const { spanText, resourceOf, resourceText } = searchIndex(trace);
    const resourceHit = resourceText.map((t) => t.includes(cond.needle));
    for (let i = 0; i < spanText.length; i++) {
      if (candidate[i] && !resourceHit[resourceOf[i]] && !spanText[i].includes(cond.needle)) candidate[i] = 0;
    }
  } else if (cond.kind === 'attr') {
    const test = attributeTest(cond);
    for (let i = 0; i < trace.spans.length; i++) if (candidate[i] && !test(trace.spans[i])) candidate[i] = 0;
  }
  const hits = new Int32Array(n);
  let count = 0;
  for (let r = 0; r < n; r++) if (candidate[wf.spanIndex[r]]) hits[count++] = r;
  return { rows: hits.slice(0, count), description };
}

function describe(cond: TextCondition, service: string | undefined, minDuration: number | undefined, errorsOnly: boolean): string {
  const parts: string[] = [];
  if (cond.kind === 'text') parts.push(`text contains "${cond.needle}" (any case)`);
  else if (cond.kind === 'attr') {
    if (cond.value === undefined) parts.push(`attribute ${cond.key} ${cond.negate ? 'absent' : 'present'}`);
    else parts.push(`attribute ${cond.key} ${cond.negate ? '!=' : '='} "${cond.value}"`);
  }
  if (service !== undefined) parts.push(`service = "${service}"`);
  if (minDuration !== undefined) parts.push(`duration ≥ ${formatDurationNs(minDuration)}`);
  if (errorsOnly) parts.push('status ERROR');
  return parts.length ? parts.join(' and ') : 'empty query: nothing to match';
}

function attributeTest(cond: Extract<TextCondition, { kind: 'attr' }>): (span: Span) => boolean {
  const { key, value: wanted, negate } = cond;
  const wantedNum = wanted !== undefined && wanted.trim() !== '' ? Number(wanted) : NaN;
  const matchesIn = (attrs: Attributes): boolean => {
    for (const a of attrs) {
      if (a.key !== key) continue;
      if (wanted === undefined) return true;
      const v = a.value;
      // Compare without formatting where the type allows it: strings are the common case.
      if (typeof v === 'string') {
        if (v === wanted) return true;
        continue;
      }
      if (formatAttrValue(v) === wanted) return true;
      // 200 finds the double 200.0 and "200.0" the int 200; ints beyond 2^53 only match their exact digits.
      if (typeof v === 'number' || (typeof v === 'bigint' && Number.isSafeInteger(Number(v)))) {
        if (Number(v) === wantedNum) return true;
      }
    }
    return false;
  };
  // Resources are shared by many spans: test each one once per search.
  const resourceMatch = new Map<object, boolean>();
  const matches = (s: Span): boolean => {
    if (matchesIn(s.attributes)) return true;
    let r = resourceMatch.get(s.resource);
    if (r === undefined) resourceMatch.set(s.resource, (r = matchesIn(s.resource.attributes)));
    if (r) return true;
    for (const ev of s.events) if (matchesIn(ev.attributes)) return true;
    return false;
  };
  return negate ? (s) => !matches(s) : matches;
}

/**
 * The lower-cased text free-text search scans, built on first use and cached per trace. Resource
 * text is kept once per resource (resources are shared by a batch's spans and can hold dozens of
 * attributes, which repeated per span would cost megabytes).
 */
export interface SearchIndex {
  /** Per span: name, span id, attribute keys/values, event names and attributes. */
  readonly spanText: readonly string[];
  /** Per span: index into resourceText. */
  readonly resourceOf: Int32Array;
  /** Per distinct resource: service name and attribute keys/values. */
  readonly resourceText: readonly string[];
}

const indexCache = new WeakMap<Trace, SearchIndex>();

/** Builds (or returns the cached) search text of a trace. The host may call it ahead of the first search. */
export function searchIndex(trace: Trace): SearchIndex {
  let index = indexCache.get(trace);
  if (index) return index;
  const n = trace.spans.length;
  const resourceIds = new Map<object, number>();
  const resourceText: string[] = [];
  const resourceOf = new Int32Array(n);
  const spanText: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = trace.spans[i];
    let r = resourceIds.get(s.resource);
    if (r === undefined) {
      r = resourceText.length;
      resourceIds.set(s.resource, r);
      resourceText.push((s.resource.serviceName + SEP + attributesText(s.resource.attributes)).toLowerCase());
    }
    resourceOf[i] = r;
    let t = s.name + SEP + s.spanId + SEP + attributesText(s.attributes);
    for (const ev of s.events) t += SEP + ev.name + SEP + attributesText(ev.attributes);
    spanText[i] = t.toLowerCase();
  }
  index = { spanText, resourceOf, resourceText };
  indexCache.set(trace, index);
  return index;
}

// Fields are joined with a control character so a query cannot match across two fields.
const SEP = '\u0001';

function attributesText(attrs: Attributes): string {
  let t = '';
  for (const a of attrs) {
    const v = a.value;
    t += a.key + SEP + (typeof v === 'string' ? v : formatAttrValue(v)) + SEP;
  }
  return t;
}
