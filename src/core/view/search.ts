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
//   errorsOnly  status ERROR (or an exception logged on the span)
//   minLogSeverity  a joined log record at least this severe
// Free text also matches the text of the span's log records (body, event name, attributes).
// Columns first, attributes last: names are interned in the waterfall (tested once per distinct
// name), resources once each, span ids as a few long strings; attributes are dictionary-encoded once
// per trace (see searchIndex), so a search tests each distinct key and value once and then scans
// typed arrays, never walking the span objects.
import type { Attributes, AttrValue, Resource, Span, Trace } from '../model/model';
import { formatAttrValue } from '../model/attributes';
import { formatDurationNs } from '../model/time';
import { LOG_SEVERITIES, RowFlag, type SearchQuery, type SearchResultDto, type WaterfallDto } from '../../shared/protocol';
import type { LogRecord } from '../model/logs';
import type { TraceLogs } from '../logs/join';
import { logSearchText, severityCode } from './logView';

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

/** `logs`: the records joined to the trace; free text also finds a span by its records' text, and minLogSeverity needs them. */
export function searchTrace(trace: Trace, wf: WaterfallDto, query: SearchQuery, logs?: { records: readonly LogRecord[]; joined: TraceLogs }): SearchResultDto {
  const cond = parseTextQuery(query.text);
  const service = query.service || undefined;
  const minDuration = query.minDurationNs !== undefined && query.minDurationNs > 0 ? query.minDurationNs : undefined;
  const errorsOnly = query.errorsOnly === true;
  const minSeverity = query.minLogSeverity !== undefined && query.minLogSeverity > 0 ? query.minLogSeverity : undefined;
  const description = describe(cond, service, minDuration, errorsOnly, minSeverity);
  if (cond.kind === 'none' && service === undefined && minDuration === undefined && !errorsOnly && minSeverity === undefined) {
    return { rows: new Int32Array(0), description };
  }

  // Cheap column filters in row order first; then, for the spans left, the text test from the
  // cheapest source to the dearest: interned names, then resources (shared by many spans), then
  // the per-span text (ids, attributes, events) scanned as a few long strings; the attribute test
  // walks span objects in span order (sequential, several times faster than in row order).
  const serviceIdx = service === undefined ? -1 : wf.services.indexOf(service);
  if (service !== undefined && serviceIdx < 0) return { rows: new Int32Array(0), description };
  const n = wf.rowCount;
  const spanCount = trace.spans.length;
  const candidate = new Uint8Array(spanCount);
  const { flags, durationNsByRow, spanIndex } = wf;
  const svcCol = wf.service;
  for (let r = 0; r < n; r++) {
    if (errorsOnly && !(flags[r] & RowFlag.Error)) continue;
    if (minDuration !== undefined && durationNsByRow[r] < minDuration) continue;
    if (serviceIdx >= 0 && svcCol[r] !== serviceIdx) continue;
    candidate[spanIndex[r]] = 1;
  }
  if (minSeverity !== undefined) severityFilter(logs, minSeverity, candidate);
  if (cond.kind === 'text') {
    const byLog = logs ? logTextHits(logs, cond.needle, candidate) : undefined;
    textFilter(trace, wf, cond.needle, candidate);
    if (byLog) for (const i of byLog) candidate[i] = 1;
  } else if (cond.kind === 'attr') attributeFilter(trace, cond, candidate);
  const hits = new Int32Array(n);
  let count = 0;
  for (let r = 0; r < n; r++) if (candidate[spanIndex[r]]) hits[count++] = r;
  return { rows: hits.slice(0, count), description };
}

/** Clears `candidate[i]` for each span whose name, service, id, attributes and events all miss the needle. */
function textFilter(trace: Trace, wf: WaterfallDto, needle: string, candidate: Uint8Array): void {
  const n = trace.spans.length;
  if (needle.includes(SEP)) {
    // A needle holding the field separator could span two fields: test each span's whole text, as built before the index.
    for (let i = 0; i < n; i++) if (candidate[i] && !fullText(trace.spans[i]).includes(needle)) candidate[i] = 0;
    return;
  }
  const index = searchIndex(trace);
  const matched = new Uint8Array(n);
  // Names: each distinct name is tested once, then a typed column says which rows have it.
  const nameHit = new Uint8Array(wf.nameTable.length);
  let anyName = false;
  for (let k = 0; k < wf.nameTable.length; k++) {
    if (lowerName(index, wf, k).includes(needle)) {
      nameHit[k] = 1;
      anyName = true;
    }
  }
  if (anyName) for (let r = 0; r < wf.rowCount; r++) if (nameHit[wf.nameIndex[r]]) matched[wf.spanIndex[r]] = 1;
  // Services and resource attributes: once per distinct resource.
  const resourceHit = index.resourceText.map((t) => t.includes(needle));
  const { resourceOf } = index;
  for (let i = 0; i < n; i++) if (resourceHit[resourceOf[i]]) matched[i] = 1;
  // Span ids: one native indexOf over each chunk of concatenated ids.
  scanChunks(index.ids, needle, matched);
  // Event names (few).
  for (let e = 0; e < index.eventSpan.length; e++) if (index.eventName[e].includes(needle)) matched[index.eventSpan[e]] = 1;
  // Attributes, last: each distinct key and value is tested once, then the per-span entries are typed arrays.
  const a = index.attrs;
  const keyHit = new Uint8Array(a.keys.length);
  const valHit = new Uint8Array(a.values.length);
  let any = false;
  for (let k = 0; k < a.keys.length; k++) {
    if (a.lowerKeys[k].includes(needle)) {
      keyHit[k] = 1;
      any = true;
    }
  }
  for (let v = 0; v < a.values.length; v++) {
    if (a.lowerValues[v].includes(needle)) {
      valHit[v] = 1;
      any = true;
    }
  }
  if (any) {
    const { entryStart, entryKey, entryVal } = a;
    for (let i = 0; i < n; i++) {
      if (!candidate[i] || matched[i]) continue;
      for (let e = entryStart[i], end = entryStart[i + 1]; e < end; e++) {
        if (keyHit[entryKey[e]] || valHit[entryVal[e]]) {
          matched[i] = 1;
          break;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) if (candidate[i] && !matched[i]) candidate[i] = 0;
}

/** Marks the span of every hit of needle in the chunked per-span text (a hit never spans two spans: each text starts with SEP). */
function scanChunks(t: ChunkedText, needle: string, matched: Uint8Array): void {
  const { chunks, chunkFirstSpan, spanStart } = t;
  for (let c = 0; c < chunks.length; c++) {
    const text = chunks[c];
    const end = chunkFirstSpan[c + 1];
    let lo = chunkFirstSpan[c];
    let pos = text.indexOf(needle);
    while (pos >= 0) {
      // Last span of the chunk starting at or before pos (positions only grow, so search from lo).
      let hi = end - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (spanStart[mid] <= pos) lo = mid;
        else hi = mid - 1;
      }
      matched[lo] = 1;
      if (lo + 1 >= end) break;
      pos = text.indexOf(needle, spanStart[lo + 1]);
      lo++;
    }
  }
}

/** The text free-text search meant before the index: name, id, attributes, events, lower-cased. */
function fullText(s: Span): string {
  let t = s.name + SEP + s.spanId + SEP + attributesText(s.attributes);
  for (const ev of s.events) t += SEP + ev.name + SEP + attributesText(ev.attributes);
  return t.toLowerCase();
}

/** Keeps the spans with a record at least `min` severe (coarse codes, as LOG_SEVERITIES). */
function severityFilter(logs: { records: readonly LogRecord[]; joined: TraceLogs } | undefined, min: number, candidate: Uint8Array): void {
  const keep = new Uint8Array(candidate.length);
  if (logs) {
    for (const [i, list] of logs.joined.bySpan) if (candidate[i] && list.some((k) => severityCode(logs.records[k]) >= min)) keep[i] = 1;
  }
  candidate.set(keep);
}

/** Candidate spans one of whose records holds the needle (body, event name, attributes). */
function logTextHits(logs: { records: readonly LogRecord[]; joined: TraceLogs }, needle: string, candidate: Uint8Array): number[] {
  const out: number[] = [];
  for (const [i, list] of logs.joined.bySpan) if (candidate[i] && list.some((k) => logSearchText(logs.records[k]).includes(needle))) out.push(i);
  return out;
}

function describe(cond: TextCondition, service: string | undefined, minDuration: number | undefined, errorsOnly: boolean, minSeverity?: number): string {
  const parts: string[] = [];
  if (cond.kind === 'text') parts.push(`text contains "${cond.needle}" (any case)`);
  else if (cond.kind === 'attr') {
    if (cond.value === undefined) parts.push(`attribute ${cond.key} ${cond.negate ? 'absent' : 'present'}`);
    else parts.push(`attribute ${cond.key} ${cond.negate ? '!=' : '='} "${cond.value}"`);
  }
  if (service !== undefined) parts.push(`service = "${service}"`);
  if (minDuration !== undefined) parts.push(`duration ≥ ${formatDurationNs(minDuration)}`);
  if (errorsOnly) parts.push('status ERROR');
  if (minSeverity !== undefined) parts.push(`a log record ${LOG_SEVERITIES[minSeverity]} or worse`);
  return parts.length ? parts.join(' and ') : 'empty query: nothing to match';
}

/** `key=value`, `key!=value`, `key=*`, `key!=*` over span, resource and event attributes. */
function attributeFilter(trace: Trace, cond: Extract<TextCondition, { kind: 'attr' }>, candidate: Uint8Array): void {
  const { key, value: wanted, negate } = cond;
  const valueMatches = valueTest(wanted);
  const index = searchIndex(trace);
  const a = index.attrs;
  const n = trace.spans.length;
  // Resources are shared by many spans: test each distinct one once.
  const resourceHit = index.resources.map((res) => {
    for (const at of res.attributes) if (at.key === key && (wanted === undefined || valueMatches(at.value))) return true;
    return false;
  });
  const keyId = a.keyIds.get(key);
  const valHit = new Uint8Array(keyId === undefined ? 0 : a.values.length);
  if (keyId !== undefined) for (let v = 0; v < a.values.length; v++) if (wanted === undefined || valueMatches(a.values[v])) valHit[v] = 1;
  const { entryStart, entryKey, entryVal } = a;
  const { resourceOf } = index;
  for (let i = 0; i < n; i++) {
    if (!candidate[i]) continue;
    let m = resourceHit[resourceOf[i]];
    if (!m && keyId !== undefined) {
      for (let e = entryStart[i], end = entryStart[i + 1]; e < end; e++) {
        if (entryKey[e] === keyId && valHit[entryVal[e]]) {
          m = true;
          break;
        }
      }
    }
    if (m === negate) candidate[i] = 0;
  }
}

/** Whether an attribute value equals the wanted text (numbers also numerically, so 200 finds 200.0). */
function valueTest(wanted: string | undefined): (v: AttrValue) => boolean {
  const wantedNum = wanted !== undefined && wanted.trim() !== '' ? Number(wanted) : NaN;
  // formatAttrValue(bigint) === wanted exactly when wanted is the canonical decimal of that bigint.
  let wantedBig: bigint | undefined;
  if (wanted !== undefined && /^-?\d+$/.test(wanted)) {
    const b = BigInt(wanted);
    if (b.toString() === wanted) wantedBig = b;
  }
  return (v) => {
    // Compare without formatting where the type allows it.
    switch (typeof v) {
      case 'string':
        return v === wanted;
      case 'bigint':
        // 200 finds the double 200.0 and "200.0" the int 200; ints beyond 2^53 only match their exact digits.
        if (v === wantedBig) return true;
        return Number.isSafeInteger(Number(v)) && Number(v) === wantedNum;
      case 'number':
        // Every text formatAttrValue gives for a number reads back as that number, except NaN's.
        return v === wantedNum || (v !== v && wanted === 'NaN');
      case 'boolean':
        return (v ? 'true' : 'false') === wanted;
    }
    return formatAttrValue(v) === wanted;
  };
}

/** Per-span text concatenated into a few long strings (each span's text starts with SEP). */
interface ChunkedText {
  readonly chunks: readonly string[];
  /** Spans of chunk c are chunkFirstSpan[c] .. chunkFirstSpan[c+1]-1. */
  readonly chunkFirstSpan: Int32Array;
  /** Offset of each span's text in its chunk. */
  readonly spanStart: Int32Array;
}

/**
 * Span and event attributes, dictionary-encoded: each distinct key and each distinct value (by type
 * and value) once, and per span its entries as typed arrays. A search tests the distinct values
 * once and then scans integers, instead of walking ten million attribute objects scattered over the
 * heap (on a 1M-span trace a bare walk over them takes longer than the whole search budget).
 */
interface AttrIndex {
  readonly keyIds: Map<string, number>;
  readonly keys: readonly string[];
  readonly lowerKeys: readonly string[];
  /** One representative per distinct value; values of other kinds (bytes, arrays, lists, empty) are distinct by their text. */
  readonly values: readonly AttrValue[];
  /** formatAttrValue of each value, lower-cased. */
  readonly lowerValues: readonly string[];
  /** Entries of span i (its attributes, then its events' attributes) are entryStart[i] .. entryStart[i+1]-1. */
  readonly entryStart: Int32Array;
  readonly entryKey: Uint32Array;
  readonly entryVal: Uint32Array;
}

/**
 * What search needs beyond the waterfall's columns, built on first use (one pass over the spans)
 * and cached per trace; the host may build it ahead of the first search. Names are not here: they
 * are interned in the waterfall and tested once per distinct name.
 */
export interface SearchIndex {
  /** Lower-cased span ids. */
  readonly ids: ChunkedText;
  /** Per span: index into resources / resourceText. */
  readonly resourceOf: Int32Array;
  readonly resources: readonly Resource[];
  /** Per distinct resource: service name and attribute keys/values, lower-cased. */
  readonly resourceText: readonly string[];
  /** Every span event: its span and lower-cased name. */
  readonly eventSpan: Int32Array;
  readonly eventName: readonly string[];
  readonly attrs: AttrIndex;
  /** Lower-cased names, by the waterfall's nameTable index (filled on first use). */
  lowerNames?: { readonly table: readonly string[]; readonly lower: string[] };
}

const indexCache = new WeakMap<Trace, SearchIndex>();
/** Characters per chunk of ids. */
const CHUNK_CHARS = 1 << 22;

/** Builds (or returns the cached) search index of a trace. The host may call it ahead of the first search. */
export function searchIndex(trace: Trace): SearchIndex {
  let index = indexCache.get(trace);
  if (index) return index;
  const spans = trace.spans;
  const n = spans.length;
  const resourceIds = new Map<object, number>();
  const resources: Resource[] = [];
  const resourceText: string[] = [];
  const resourceOf = new Int32Array(n);
  const eventSpan: number[] = [];
  const eventName: string[] = [];
  const ids = new ChunkBuilder(n);

  const keyIds = new Map<string, number>();
  const keys: string[] = [];
  const values: AttrValue[] = [];
  const strIds = new Map<string, number>();
  const numIds = new Map<number, number>();
  const bigIds = new Map<bigint, number>();
  const otherIds = new Map<string, number>();
  const boolIds = [-1, -1];
  const entryStart = new Int32Array(n + 1);
  let entryKey = new Uint32Array(Math.max(16, n * 8));
  let entryVal = new Uint32Array(entryKey.length);
  let e = 0;
  const newValue = (v: AttrValue): number => {
    values.push(v);
    return values.length - 1;
  };
  const add = (attrs: Attributes) => {
    for (let k = 0; k < attrs.length; k++) {
      const at = attrs[k];
      let kid = keyIds.get(at.key);
      if (kid === undefined) {
        kid = keys.length;
        keys.push(at.key);
        keyIds.set(at.key, kid);
      }
      const v = at.value;
      let vid: number | undefined;
      switch (typeof v) {
        case 'string':
          vid = strIds.get(v);
          if (vid === undefined) strIds.set(v, (vid = newValue(v)));
          break;
        case 'number':
          vid = numIds.get(v);
          if (vid === undefined) numIds.set(v, (vid = newValue(v)));
          break;
        case 'bigint':
          vid = bigIds.get(v);
          if (vid === undefined) bigIds.set(v, (vid = newValue(v)));
          break;
        case 'boolean':
          vid = boolIds[v ? 1 : 0];
          if (vid < 0) vid = boolIds[v ? 1 : 0] = newValue(v);
          break;
        default: {
          const text = formatAttrValue(v);
          vid = otherIds.get(text);
          if (vid === undefined) otherIds.set(text, (vid = newValue(v)));
        }
      }
      if (e === entryKey.length) {
        const k2 = new Uint32Array(e * 2);
        k2.set(entryKey);
        entryKey = k2;
        const v2 = new Uint32Array(e * 2);
        v2.set(entryVal);
        entryVal = v2;
      }
      entryKey[e] = kid;
      entryVal[e] = vid;
      e++;
    }
  };
  let lastResource: object | undefined;
  let lastR = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    if (s.resource !== lastResource) {
      lastResource = s.resource;
      let r = resourceIds.get(s.resource);
      if (r === undefined) {
        r = resourceText.length;
        resourceIds.set(s.resource, r);
        resources.push(s.resource);
        resourceText.push((s.resource.serviceName + SEP + attributesText(s.resource.attributes)).toLowerCase());
      }
      lastR = r;
    }
    resourceOf[i] = lastR;
    ids.add(i, SEP + s.spanId);
    entryStart[i] = e;
    add(s.attributes);
    const events = s.events;
    for (let k = 0; k < events.length; k++) {
      eventSpan.push(i);
      eventName.push(events[k].name.toLowerCase());
      add(events[k].attributes);
    }
  }
  entryStart[n] = e;
  const lowerValues: string[] = [];
  for (let v = 0; v < values.length; v++) {
    const x = values[v];
    lowerValues.push((typeof x === 'string' ? x : formatAttrValue(x)).toLowerCase());
  }
  index = {
    ids: ids.finish(),
    resourceOf,
    resources,
    resourceText,
    eventSpan: Int32Array.from(eventSpan),
    eventName,
    attrs: {
      keyIds,
      keys,
      lowerKeys: keys.map((k) => k.toLowerCase()),
      values,
      lowerValues,
      entryStart,
      entryKey: entryKey.slice(0, e),
      entryVal: entryVal.slice(0, e),
    },
  };
  indexCache.set(trace, index);
  return index;
}

/** Concatenates per-span texts (added in span order) into lower-cased chunks. */
class ChunkBuilder {
  private readonly chunks: string[] = [];
  private readonly firsts: number[] = [0];
  private readonly spanStart: Int32Array;
  private chunk = '';
  private first = 0;
  /** Offsets in the raw chunk, used only when lower-casing changes lengths. */
  private raw: number[] = [];

  constructor(private readonly n: number) {
    this.spanStart = new Int32Array(n);
  }

  add(i: number, text: string): void {
    if (this.chunk.length >= CHUNK_CHARS) this.flush(i);
    this.spanStart[i] = this.chunk.length;
    this.raw.push(this.chunk.length);
    this.chunk += text;
  }

  private flush(end: number): void {
    const chunk = this.chunk;
    const lower = chunk.toLowerCase();
    if (lower.length === chunk.length) this.chunks.push(lower);
    else {
      // Lower-casing changed a length (e.g. U+0130): lower-case span by span so offsets stay true.
      let t = '';
      for (let i = this.first; i < end; i++) {
        const k = i - this.first;
        this.spanStart[i] = t.length;
        t += chunk.slice(this.raw[k], k + 1 < this.raw.length ? this.raw[k + 1] : chunk.length).toLowerCase();
      }
      this.chunks.push(t);
    }
    this.firsts.push(end);
    this.chunk = '';
    this.first = end;
    this.raw = [];
  }

  finish(): ChunkedText {
    if (this.n > this.first) this.flush(this.n);
    return { chunks: this.chunks, chunkFirstSpan: Int32Array.from(this.firsts), spanStart: this.spanStart };
  }
}

function lowerName(index: SearchIndex, wf: WaterfallDto, k: number): string {
  let cache = index.lowerNames;
  if (!cache || cache.table !== wf.nameTable) cache = index.lowerNames = { table: wf.nameTable, lower: [] };
  return (cache.lower[k] ??= wf.nameTable[k].toLowerCase());
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
