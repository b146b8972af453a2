// The lean OTLP JSON reader: a byte-level scanner over the file's Buffer (no whole-file string, no
// JSON.parse of the document). It validates every byte as JSON, decodes the span fields the views
// need eagerly, and leaves attributes, events and links as byte ranges that LazySpan parses on
// first access.
//
// It reads only "canonical" OTLP JSON: what the OTel SDKs' and the Collector's exporters write
// (lowerCamelCase keys, each once; kind and status code as numbers in range; int64 as decimal
// strings or safe integers; no nulls; no unknown keys). For that input the exact reader
// (fromJson.ts + toModel.ts) cannot warn about anything inside a span, which is what makes
// deferring the attributes safe. Anything else (snake_case, enum names, legacy keys, odd values,
// duplicate keys, escaped keys...) stops the scan with DIALECT and the caller re-reads that document
// with the exact reader, so results are identical by construction. Resource and scope are
// decoded eagerly through the exact reader's own functions, in the exact reader's order.
import { MAX_VALUE_DEPTH } from '../model/attributes';
import type { Scope, Span, SpanKind, SpanStatus, StatusCode } from '../model/model';
import { normalizeId, normalizeParentId } from '../model/ids';
import { JsonReadContext, quoteUnsafeIntegers, resourceOf, scopeOf } from '../otlp/fromJson';
import { reportInvalidOtlpIds, resourceFromOtlp, scopeFromOtlp, statusFromOtlp } from '../otlp/toModel';
import { WarningSink } from '../otlp/warnings';
import { LazySource, LazySpan } from './lazySpan';

/** Why a lean scan stopped. */
export const enum Stop {
  /** Not valid JSON (at `ScanStop.at`). */
  Syntax = 1,
  /** Valid JSON the lean reader does not handle: read it with the exact reader. */
  Dialect = 2,
}

export class ScanStop {
  constructor(
    readonly why: Stop,
    readonly at: number,
  ) {}
}

// Key tables: a key is matched by its bytes, without making a string.
const enc = (s: string) => Buffer.from(s, 'latin1');

class KeySet {
  private readonly names: Buffer[];
  constructor(names: string[]) {
    this.names = names.map(enc);
  }
  /** Index of the key bytes b[s, e) in the set, or -1. */
  find(b: Buffer, s: number, e: number): number {
    const len = e - s;
    const names = this.names;
    for (let k = 0; k < names.length; k++) {
      const n = names[k];
      if (n.length !== len || n[0] !== b[s] || n[len - 1] !== b[e - 1]) continue;
      let i = 1;
      while (i < len - 1 && n[i] === b[s + i]) i++;
      if (i >= len - 1) return k;
    }
    return -1;
  }
}

const DOC_KEYS = new KeySet(['resourceSpans']);
const RS_KEYS = new KeySet(['scopeSpans', 'resource', 'schemaUrl']);
const SS_KEYS = new KeySet(['spans', 'scope', 'schemaUrl']);
const enum K {
  traceId,
  spanId,
  parentSpanId,
  name,
  kind,
  startTimeUnixNano,
  endTimeUnixNano,
  attributes,
  droppedAttributesCount,
  events,
  droppedEventsCount,
  status,
  links,
  droppedLinksCount,
  flags,
  traceState,
}
const SPAN_KEYS = new KeySet([
  'traceId',
  'spanId',
  'parentSpanId',
  'name',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'attributes',
  'droppedAttributesCount',
  'events',
  'droppedEventsCount',
  'status',
  'links',
  'droppedLinksCount',
  'flags',
  'traceState',
]);
const STATUS_KEYS = new KeySet(['code', 'message']);
const KV_KEYS = new KeySet(['key', 'value']);
const ANY_KEYS = new KeySet(['stringValue', 'intValue', 'doubleValue', 'boolValue', 'arrayValue', 'kvlistValue', 'bytesValue']);
const VALUES_KEY = new KeySet(['values']);
const EVENT_KEYS = new KeySet(['timeUnixNano', 'name', 'attributes', 'droppedAttributesCount']);
const LINK_KEYS = new KeySet(['traceId', 'spanId', 'traceState', 'attributes', 'droppedAttributesCount', 'flags']);

const MAX_DEPTH = 500;

/** Short ASCII strings (names, keys, trace states) repeat: one string per distinct byte run. */
const INTERN_MAX = 48;
const INTERN_SLOTS = 4096;
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

const UNSET: SpanStatus = statusFromOtlp(undefined);

/** The result of reading one JSON document (a file, or one line of a JSON Lines file). */
export type DocResult = { readonly kind: 'otlp'; readonly warnings: WarningSink } | { readonly kind: 'not-otlp' };

export class JsonScanner {
  i = 0;
  /** Set by str(): the string had escapes / non-ASCII bytes. */
  private esc = false;
  private high = 0;
  /** Set by num(): the number was an integer (no fraction or exponent), and its digit count. */
  private numInt = false;
  private numDigits = 0;
  private lastTraceStart = -1;
  private lastTraceLen = 0;
  private lastTraceId = '';
  spanCount = 0;

  private readonly src: LazySource;
  constructor(
    readonly b: Buffer,
    readonly out: Span[],
  ) {
    this.src = new LazySource(b, false);
  }

  // ------------------------------------------------------------ JSON grammar

  private syntax(at = this.i): never {
    throw new ScanStop(Stop.Syntax, at);
  }

  private dialect(): never {
    throw new ScanStop(Stop.Dialect, this.i);
  }

  ws(end: number): void {
    const b = this.b;
    let i = this.i;
    while (i < end) {
      const c = b[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  /** At a '"': skips the string, returns the offset after the closing quote. */
  private str(end: number): number {
    const b = this.b;
    let i = this.i + 1;
    let esc = false;
    let high = 0;
    for (;;) {
      if (i >= end) this.syntax(end);
      const c = b[i];
      if (c === 0x22) break;
      if (c === 0x5c) {
        esc = true;
        const d = b[i + 1];
        if (d === 0x75) {
          if (i + 6 > end) this.syntax(end);
          for (let k = i + 2; k < i + 6; k++) if (!isHex(b[k])) this.syntax(k);
          i += 6;
        } else if (d === 0x22 || d === 0x5c || d === 0x2f || d === 0x62 || d === 0x66 || d === 0x6e || d === 0x72 || d === 0x74) i += 2;
        else this.syntax(i + 1 < end ? i + 1 : end);
      } else if (c < 0x20) this.syntax(i);
      else {
        high |= c;
        i++;
      }
    }
    this.esc = esc;
    this.high = high;
    this.i = i + 1;
    return i + 1;
  }

  /** At a number's first byte: skips it (JSON grammar), notes whether it is an integer. */
  private num(end: number): void {
    const b = this.b;
    let i = this.i;
    if (b[i] === 0x2d) i++;
    const d0 = i;
    if (i >= end || !isDigit(b[i])) this.syntax(i);
    if (b[i] === 0x30) i++;
    else while (i < end && isDigit(b[i])) i++;
    this.numDigits = i - d0;
    let int = true;
    if (i < end && b[i] === 0x2e) {
      int = false;
      i++;
      if (i >= end || !isDigit(b[i])) this.syntax(i);
      while (i < end && isDigit(b[i])) i++;
    }
    if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
      int = false;
      i++;
      if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (i >= end || !isDigit(b[i])) this.syntax(i);
      while (i < end && isDigit(b[i])) i++;
    }
    this.numInt = int;
    this.i = i;
  }

  private lit(end: number, word: string): void {
    const b = this.b;
    for (let k = 0; k < word.length; k++) if (this.i + k >= end || b[this.i + k] !== word.charCodeAt(k)) this.syntax(this.i + k);
    this.i += word.length;
  }

  /** Skips (and validates) any JSON value. */
  skipValue(end: number, depth = 0): void {
    this.ws(end);
    if (this.i >= end) this.syntax(end);
    const c = this.b[this.i];
    if (c === 0x22) this.str(end);
    else if (c === 0x7b || c === 0x5b) {
      if (depth > MAX_DEPTH) this.dialect();
      const close = c === 0x7b ? 0x7d : 0x5d;
      this.i++;
      this.ws(end);
      if (this.b[this.i] === close) {
        this.i++;
        return;
      }
      for (;;) {
        if (c === 0x7b) {
          this.ws(end);
          if (this.b[this.i] !== 0x22) this.syntax();
          this.str(end);
          this.colon(end);
        }
        this.skipValue(end, depth + 1);
        if (this.more(end, close)) continue;
        return;
      }
    } else if (c === 0x74) this.lit(end, 'true');
    else if (c === 0x66) this.lit(end, 'false');
    else if (c === 0x6e) this.lit(end, 'null');
    else if (c === 0x2d || isDigit(c)) this.num(end);
    else this.syntax();
  }

  private colon(end: number): void {
    this.ws(end);
    if (this.b[this.i] !== 0x3a || this.i >= end) this.syntax();
    this.i++;
    this.ws(end);
  }

  /** After a member: true at ',' (consumed), false at the closing byte (consumed). */
  private more(end: number, close: number): boolean {
    this.ws(end);
    if (this.i >= end) this.syntax(end);
    const c = this.b[this.i];
    if (c === 0x2c) {
      this.i++;
      return true;
    }
    if (c === close) {
      this.i++;
      return false;
    }
    return this.syntax();
  }

  /** At '{': consumes it; false for '{}' (also consumed). */
  private openObject(end: number): boolean {
    this.ws(end);
    if (this.b[this.i] !== 0x7b) {
      if (this.i >= end) this.syntax(end);
      this.valueNotCanonical(end);
    }
    this.i++;
    this.ws(end);
    if (this.b[this.i] === 0x7d) {
      this.i++;
      return false;
    }
    return true;
  }

  /** At '[': consumes it; false for '[]'. */
  private openArray(end: number): boolean {
    this.ws(end);
    if (this.b[this.i] !== 0x5b) {
      if (this.i >= end) this.syntax(end);
      this.valueNotCanonical(end);
    }
    this.i++;
    this.ws(end);
    if (this.b[this.i] === 0x5d) {
      this.i++;
      return false;
    }
    return true;
  }

  /** A value of an unexpected type: still valid JSON? Then it is a dialect, else a syntax error. */
  private valueNotCanonical(end: number): never {
    this.skipValue(end);
    this.dialect();
  }

  /** At a key: returns its index in `keys` (-1 unknown), positioned at the value. Escaped keys are a dialect. */
  private key(end: number, keys: KeySet): number {
    this.ws(end);
    if (this.b[this.i] !== 0x22) this.syntax();
    const s = this.i + 1;
    const e = this.str(end) - 1;
    if (this.esc) {
      this.colon(end);
      this.valueNotCanonical(end);
    }
    const k = keys.find(this.b, s, e);
    this.colon(end);
    return k;
  }

  /** A string value to a JS string (interned when short ASCII). */
  private strValue(end: number): string {
    this.ws(end);
    if (this.b[this.i] !== 0x22) this.valueNotCanonical(end);
    const s = this.i + 1;
    const e = this.str(end) - 1;
    return this.decode(s, e);
  }

  private decode(s: number, e: number): string {
    const b = this.b;
    if (this.esc) return JSON.parse(b.toString('utf8', s - 1, e + 1)) as string;
    if (this.high >= 0x80) return b.toString('utf8', s, e);
    const len = e - s;
    if (len === 0) return '';
    if (len > INTERN_MAX) return b.toString('latin1', s, e);
    let h = len;
    for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const slot = (h ^ (h >>> 13)) & (INTERN_SLOTS - 1);
    const cached = interned[slot];
    if (cached.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (cached.charCodeAt(i) !== b[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const str = b.toString('latin1', s, e);
    interned[slot] = str;
    return str;
  }

  /** An unsigned 32-bit integer written as a plain JSON integer. */
  private uint(end: number): number {
    this.ws(end);
    const c = this.b[this.i];
    if (!isDigit(c)) this.valueNotCanonical(end);
    const s = this.i;
    this.num(end);
    if (!this.numInt || this.numDigits > 10) this.dialect();
    let v = 0;
    for (let k = s; k < this.i; k++) v = v * 10 + (this.b[k] - 0x30);
    if (v > 0xffffffff) this.dialect();
    return v;
  }

  /** Epoch nanoseconds: a decimal string, or a JSON integer that is exact as a double. */
  private nanos(end: number): bigint {
    this.ws(end);
    const b = this.b;
    const c = b[this.i];
    if (c === 0x22) {
      const s = this.i + 1;
      const e = this.str(end) - 1;
      if (this.esc || e === s) this.dialect();
      for (let k = s; k < e; k++) if (!isDigit(b[k])) this.dialect();
      if (e - s <= 15) {
        let v = 0;
        for (let k = s; k < e; k++) v = v * 10 + (b[k] - 0x30);
        return BigInt(v);
      }
      return BigInt(b.toString('latin1', s, e));
    }
    if (!isDigit(c)) this.valueNotCanonical(end);
    const s = this.i;
    this.num(end);
    if (!this.numInt || this.numDigits > 15) this.dialect();
    return BigInt(Number(b.toString('latin1', s, this.i)));
  }

  /** A small enum written as a JSON integer in [0, max]. */
  private smallEnum(end: number, max: number): number {
    const v = this.uint(end);
    if (v > max) this.dialect();
    return v;
  }

  /** An id string (hex fast path; anything else through the exact normalisation). */
  private id(end: number, bytes: 8 | 16): string {
    this.ws(end);
    if (this.b[this.i] !== 0x22) this.valueNotCanonical(end);
    const s = this.i + 1;
    const e = this.str(end) - 1;
    if (!this.esc && e - s === bytes * 2 && isLowerHex(this.b, s, e)) {
      if (bytes === 16) {
        if (this.lastTraceStart >= 0 && sameBytes(this.b, s, this.lastTraceStart, 32)) return this.lastTraceId;
        if (allZeros(this.b, s, e)) this.oddIds = true;
        this.lastTraceStart = s;
        this.lastTraceId = this.b.toString('latin1', s, e);
        return this.lastTraceId;
      }
      if (allZeros(this.b, s, e)) this.oddIds = true;
      return this.b.toString('latin1', s, e);
    }
    this.oddIds = true; // checked (and named in an 'invalid-id' warning if bad) once the span is read
    return normalizeId(this.decode(s, e), bytes);
  }

  /** Set when an id of the span being read may be invalid (see reportInvalidOtlpIds). */
  private oddIds = false;

  private parentId(end: number): string | undefined {
    this.ws(end);
    if (this.b[this.i] !== 0x22) this.valueNotCanonical(end);
    const s = this.i + 1;
    const e = this.str(end) - 1;
    if (e === s) return undefined;
    if (!this.esc && e - s === 16 && isLowerHex(this.b, s, e)) {
      for (let k = s; k < e; k++) if (this.b[k] !== 0x30) return this.b.toString('latin1', s, e);
      return undefined;
    }
    this.oddIds = true;
    return normalizeParentId(this.decode(s, e));
  }

  // ------------------------------------------------------------ canonical OTLP values (validated, skipped)

  /** A KeyValue list: `[{"key": "...", "value": AnyValue}, ...]`. */
  private kvList(end: number, depth: number): void {
    if (!this.openArray(end)) return;
    do {
      if (!this.openObject(end)) this.dialect(); // no key
      let seen = 0;
      do {
        const k = this.key(end, KV_KEYS);
        if (k < 0 || seen & (1 << k)) this.valueNotCanonical(end);
        seen |= 1 << k;
        if (k === 0) {
          this.ws(end);
          if (this.b[this.i] !== 0x22) this.valueNotCanonical(end);
          this.str(end);
        } else this.anyValue(end, depth);
      } while (this.more(end, 0x7d));
      if (!(seen & 1)) this.dialect();
    } while (this.more(end, 0x5d));
  }

  /** AnyValue: `{}`, null, or an object with exactly one canonical member. */
  private anyValue(end: number, depth: number): void {
    if (depth > MAX_VALUE_DEPTH) this.dialect(); // the exact reader names the limit
    this.ws(end);
    const b = this.b;
    if (b[this.i] === 0x6e) {
      this.lit(end, 'null');
      return;
    }
    if (!this.openObject(end)) return;
    const k = this.key(end, ANY_KEYS);
    this.ws(end);
    const c = b[this.i];
    switch (k) {
      case 0: // stringValue
        if (c !== 0x22) this.valueNotCanonical(end);
        this.str(end);
        break;
      case 1: // intValue: "-?digits" or a safe integer
        if (c === 0x22) {
          const s = this.i + 1;
          const e = this.str(end) - 1;
          let k2 = s;
          if (b[k2] === 0x2d) k2++;
          if (this.esc || k2 === e) this.dialect();
          for (; k2 < e; k2++) if (!isDigit(b[k2])) this.dialect();
        } else if (c === 0x2d || isDigit(c)) {
          this.num(end);
          if (!this.numInt || this.numDigits > 15) this.dialect();
        } else this.valueNotCanonical(end);
        break;
      case 2: // doubleValue: a number (integral ones below 16 digits, which quoting never touches)
        if (!(c === 0x2d || isDigit(c))) this.valueNotCanonical(end);
        this.num(end);
        if (this.numInt && this.numDigits > 15) this.dialect();
        break;
      case 3: // boolValue
        if (c === 0x74) this.lit(end, 'true');
        else if (c === 0x66) this.lit(end, 'false');
        else this.valueNotCanonical(end);
        break;
      case 4: // arrayValue: {"values": [AnyValue...]}
      case 5: // kvlistValue: {"values": [KeyValue...]}
        if (this.openObject(end)) {
          if (this.key(end, VALUES_KEY) !== 0) this.valueNotCanonical(end);
          if (k === 4) {
            if (this.openArray(end)) {
              do this.anyValue(end, depth + 1);
              while (this.more(end, 0x5d));
            }
          } else this.kvList(end, depth + 1);
          if (this.more(end, 0x7d)) this.dialect();
        }
        break;
      case 6: {
        // bytesValue: base64 (either alphabet)
        if (c !== 0x22) this.valueNotCanonical(end);
        const s = this.i + 1;
        const e = this.str(end) - 1;
        if (this.esc || !isBase64(b, s, e)) this.dialect();
        break;
      }
      default:
        this.valueNotCanonical(end);
    }
    if (this.more(end, 0x7d)) this.dialect(); // a second member
  }

  private stringMember(end: number): void {
    this.ws(end);
    if (this.b[this.i] !== 0x22) this.valueNotCanonical(end);
    this.str(end);
  }

  private eventList(end: number): void {
    if (!this.openArray(end)) return;
    do {
      if (!this.openObject(end)) continue;
      let seen = 0;
      do {
        const k = this.key(end, EVENT_KEYS);
        if (k < 0 || seen & (1 << k)) this.valueNotCanonical(end);
        seen |= 1 << k;
        if (k === 0) this.nanos(end);
        else if (k === 1) this.stringMember(end);
        else if (k === 2) this.kvList(end, 0);
        else this.uint(end);
      } while (this.more(end, 0x7d));
    } while (this.more(end, 0x5d));
  }

  private linkList(end: number): void {
    if (!this.openArray(end)) return;
    do {
      if (!this.openObject(end)) continue;
      let seen = 0;
      do {
        const k = this.key(end, LINK_KEYS);
        if (k < 0 || seen & (1 << k)) this.valueNotCanonical(end);
        seen |= 1 << k;
        if (k <= 2) this.stringMember(end);
        else if (k === 3) this.kvList(end, 0);
        else this.uint(end);
      } while (this.more(end, 0x7d));
    } while (this.more(end, 0x5d));
  }

  private status(end: number): SpanStatus {
    if (!this.openObject(end)) return UNSET;
    let code = 0;
    let message = '';
    let seen = 0;
    do {
      const k = this.key(end, STATUS_KEYS);
      if (k < 0 || seen & (1 << k)) this.valueNotCanonical(end);
      seen |= 1 << k;
      if (k === 0) code = this.smallEnum(end, 2);
      else message = this.strValue(end);
    } while (this.more(end, 0x7d));
    return statusFromOtlp({ code, message, deprecatedCode: 0 });
  }

  // ------------------------------------------------------------ OTLP structure

  private span(end: number, spans: LazySpan[]): void {
    if (!this.openObject(end)) this.dialect(); // a span without ids
    let traceId = '';
    let spanId = '';
    let parentSpanId: string | undefined;
    let name = '';
    let kind = 0;
    let start = 0n;
    let stop = 0n;
    let status = UNSET;
    let traceState = '';
    let flags = 0;
    let dA = 0;
    let dE = 0;
    let dL = 0;
    let a0 = -1;
    let a1 = -1;
    let e0 = -1;
    let e1 = -1;
    let l0 = -1;
    let l1 = -1;
    let seen = 0;
    do {
      const k = this.key(end, SPAN_KEYS);
      if (k < 0 || seen & (1 << k)) this.valueNotCanonical(end);
      seen |= 1 << k;
      switch (k) {
        case K.traceId:
          traceId = this.id(end, 16);
          break;
        case K.spanId:
          spanId = this.id(end, 8);
          break;
        case K.parentSpanId:
          parentSpanId = this.parentId(end);
          break;
        case K.name:
          name = this.strValue(end);
          break;
        case K.kind:
          kind = this.smallEnum(end, 5);
          break;
        case K.startTimeUnixNano:
          start = this.nanos(end);
          break;
        case K.endTimeUnixNano:
          stop = this.nanos(end);
          break;
        case K.attributes: {
          const s = this.i;
          this.kvList(end, 0);
          if (this.b[s + 1] !== 0x5d || this.i - s > 2) {
            a0 = s;
            a1 = this.i;
          }
          break;
        }
        case K.events: {
          const s = this.i;
          this.eventList(end);
          if (this.i - s > 2 || this.b[s + 1] !== 0x5d) {
            e0 = s;
            e1 = this.i;
          }
          break;
        }
        case K.links: {
          const s = this.i;
          this.linkList(end);
          if (this.i - s > 2 || this.b[s + 1] !== 0x5d) {
            l0 = s;
            l1 = this.i;
          }
          break;
        }
        case K.status:
          status = this.status(end);
          break;
        case K.droppedAttributesCount:
          dA = this.uint(end);
          break;
        case K.droppedEventsCount:
          dE = this.uint(end);
          break;
        case K.droppedLinksCount:
          dL = this.uint(end);
          break;
        case K.flags:
          flags = this.uint(end);
          break;
        case K.traceState:
          traceState = this.strValue(end);
          break;
      }
    } while (this.more(end, 0x7d));
    if (traceId === '' || spanId === '') this.dialect(); // the exact reader warns
    spans.push(
      new LazySpan(
        traceId,
        spanId,
        parentSpanId,
        name,
        kind as SpanKind,
        start,
        stop,
        status,
        traceState || undefined,
        flags || undefined,
        dA || undefined,
        dE || undefined,
        dL || undefined,
        this.src,
        a0,
        a1,
        e0,
        e1,
        l0,
        l1,
      ),
    );
  }

  /** Parses a resource or scope value range with the exact reader (int64 numbers kept exact). */
  private slice(s: number, e: number): unknown {
    return JSON.parse(quoteUnsafeIntegers(this.b.toString('utf8', s, e)));
  }

  private *scopeSpans(end: number, path: string, warnings: WarningSink, rsSpans: LazySpan[]): Generator<number, void> {
    if (!this.openObject(end)) return; // {} holds no spans
    let seen = 0;
    let scopeStart = -1;
    let scopeEnd = -1;
    let schemaUrl = '';
    const spans: LazySpan[] = [];
    do {
      const k = this.key(end, SS_KEYS);
      if (k < 0 || seen & (1 << k)) this.valueNotCanonical(end);
      seen |= 1 << k;
      if (k === 0) {
        if (this.openArray(end)) {
          do {
            this.span(end, spans);
            if (this.oddIds) {
              this.oddIds = false;
              reportInvalidOtlpIds(spans[spans.length - 1], warnings, `${path}.spans[${spans.length - 1}]`);
            }
            if ((++this.spanCount & 4095) === 0) yield this.spanCount;
          } while (this.more(end, 0x5d));
        }
      } else if (k === 1) {
        this.ws(end);
        scopeStart = this.i;
        this.skipValue(end);
        scopeEnd = this.i;
      } else schemaUrl = this.strValue(end);
    } while (this.more(end, 0x7d));
    let scope: Scope;
    if (scopeStart >= 0) {
      const ctx = new JsonReadContext(warnings, path);
      const sc = scopeOf({ scope: this.slice(scopeStart, scopeEnd) }, ctx);
      if (ctx.unsafeNumbers) this.dialect();
      scope = scopeFromOtlp(sc, schemaUrl);
    } else scope = scopeFromOtlp(undefined, schemaUrl);
    for (const s of spans) {
      s.scope = scope;
      rsSpans.push(s);
    }
  }

  private *resourceSpans(end: number, path: string, warnings: WarningSink): Generator<number, void> {
    if (!this.openObject(end)) return;
    let seen = 0;
    let resStart = -1;
    let resEnd = -1;
    let schemaUrl = '';
    const spans: LazySpan[] = [];
    do {
      const k = this.key(end, RS_KEYS);
      if (k < 0 || seen & (1 << k)) this.valueNotCanonical(end);
      seen |= 1 << k;
      if (k === 0) {
        if (this.openArray(end)) {
          let c = 0;
          do yield* this.scopeSpans(end, `${path}.scopeSpans[${c++}]`, warnings, spans);
          while (this.more(end, 0x5d));
        }
      } else if (k === 1) {
        this.ws(end);
        resStart = this.i;
        this.skipValue(end);
        resEnd = this.i;
      } else schemaUrl = this.strValue(end);
    } while (this.more(end, 0x7d));
    let resource;
    if (resStart >= 0) {
      const ctx = new JsonReadContext(warnings, path);
      const r = resourceOf({ resource: this.slice(resStart, resEnd) }, ctx);
      if (ctx.unsafeNumbers) this.dialect();
      resource = resourceFromOtlp(r, schemaUrl);
    } else resource = resourceFromOtlp(undefined, schemaUrl);
    for (const s of spans) {
      s.resource = resource;
      this.out.push(s);
    }
  }

  /**
   * Reads one JSON document in [start, end): validates all of it; appends its spans to `out`
   * when it is a canonical `{"resourceSpans": [...]}`. Throws ScanStop (spans already appended
   * are then to be dropped by the caller).
   */
  *document(start: number, end: number, pathRoot: string): Generator<number, DocResult> {
    this.i = start;
    this.ws(end);
    const warnings = new WarningSink();
    let otlp = false;
    if (this.b[this.i] === 0x7b) {
      this.i++;
      this.ws(end);
      if (this.b[this.i] === 0x7d) this.i++;
      else {
        do {
          const k = this.key(end, DOC_KEYS);
          if (k === 0) {
            if (otlp) this.dialect(); // a duplicate key: JSON.parse keeps the last
            otlp = true;
            this.ws(end);
            if (this.b[this.i] === 0x6e || this.b[this.i] !== 0x5b) this.valueNotCanonical(end);
            if (this.openArray(end)) {
              let r = 0;
              do yield* this.resourceSpans(end, `${pathRoot}.resourceSpans[${r++}]`, warnings);
              while (this.more(end, 0x5d));
            }
          } else this.skipValue(end);
        } while (this.more(end, 0x7d));
      }
    } else this.skipValue(end);
    this.ws(end);
    if (this.i < end) this.syntax();
    return otlp ? { kind: 'otlp', warnings } : { kind: 'not-otlp' };
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function isLowerHex(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

function allZeros(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0x30) return false;
  return true;
}

function sameBytes(b: Buffer, x: number, y: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (b[x + k] !== b[y + k]) return false;
  return true;
}

/** /^[A-Za-z0-9+/\-_]*={0,2}$/ on bytes. */
function isBase64(b: Buffer, s: number, e: number): boolean {
  let i = s;
  while (i < e) {
    const c = b[i];
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f) i++;
    else break;
  }
  let pad = 0;
  while (i < e && b[i] === 0x3d && pad < 2) {
    i++;
    pad++;
  }
  return i === e;
}

/** 1-based line and column of a byte offset (for errors in files too big for the exact reader). */
export function lineColumnAtByte(b: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = b.indexOf(0x0a); i !== -1 && i < offset; i = b.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export type { StatusCode };
