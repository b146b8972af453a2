// Model spans of the lean importers: the fields every view needs are plain properties, decoded
// while scanning; attributes, events and links stay as bytes of the file and are decoded on first
// access, with the same readers (and so the same id, enum and int64 rules) as the exact path.
// The class satisfies the model's `Span` interface, so nothing downstream knows the difference.
//
// The lazy state lives in private (#) fields: not properties, so a span from a JSON file and the
// same span from a protobuf file have the same own properties, and serialising a span never drags
// the file's buffer along. (Equality helpers that compare own properties do not see attributes,
// events and links, which are prototype getters: compare those explicitly.)
import type { Attributes, Resource, Scope, Span, SpanEvent, SpanKind, SpanLink, SpanStatus } from '../model/model';
import { attributesFromJsonValue, eventsFromJsonValue, JsonReadContext, linksFromJsonValue } from '../otlp/fromJson';
import { attributesFromOtlp, eventsFromOtlp, HEX_IDS, linksFromOtlp, STRING_IDS } from '../otlp/toModel';
import { decodeSpanHexIds } from '../otlp/codec';
import { WarningSink } from '../otlp/warnings';

const NONE: readonly never[] = [];

/**
 * The lean JSON scanner leaves a range lazy only after checking that reading it cannot warn
 * (canonical OTLP JSON), so these warnings are never looked at.
 */
const quiet = (): JsonReadContext => new JsonReadContext(new WarningSink());

function parseRange(buf: Buffer, start: number, end: number): unknown {
  return JSON.parse(buf.toString('utf8', start, end));
}

/** Where a lazy span's bytes are: the file's buffer, and whether they are OTLP JSON or protobuf. */
export class LazySource {
  /** The decoded parts of this file's spans used last (see RECENT_SPANS). */
  readonly recent = new Map<LazySpan, Decoded>();

  readonly #contains = new Map<string, boolean>();

  constructor(
    readonly buf: Buffer,
    readonly proto: boolean,
  ) {}

  /**
   * Whether the file's bytes contain the ASCII `text` anywhere, memoised: one search of the file
   * lets a pass looking for rare keys skip every span of a file that never mentions them.
   */
  fileContains(text: string): boolean {
    let hit = this.#contains.get(text);
    if (hit === undefined) this.#contains.set(text, (hit = this.buf.includes(text, 0, 'latin1')));
    return hit;
  }
}

export class LazySpan implements Span {
  resource: Resource = undefined as unknown as Resource;
  scope: Scope = undefined as unknown as Scope;
  readonly #src: LazySource;
  // JSON: byte ranges of the attributes, events and links arrays (start -1 when empty or absent).
  // Protobuf: r0, r1 = the Span message's payload.
  readonly #r0: number;
  readonly #r1: number;
  readonly #r2: number;
  readonly #r3: number;
  readonly #r4: number;
  readonly #r5: number;
  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | undefined,
    readonly name: string,
    readonly kind: SpanKind,
    readonly startTimeUnixNano: bigint,
    readonly endTimeUnixNano: bigint,
    readonly status: SpanStatus,
    readonly traceState: string | undefined,
    readonly flags: number | undefined,
    readonly droppedAttributesCount: number | undefined,
    readonly droppedEventsCount: number | undefined,
    readonly droppedLinksCount: number | undefined,
    src: LazySource,
    r0: number,
    r1: number,
    r2 = -1,
    r3 = -1,
    r4 = -1,
    r5 = -1,
  ) {
    this.#src = src;
    this.#r0 = r0;
    this.#r1 = r1;
    this.#r2 = r2;
    this.#r3 = r3;
    this.#r4 = r4;
    this.#r5 = r5;
  }

  /** Where this span's bytes are (the file's buffer and its recent set). */
  get lazySource(): LazySource {
    return this.#src;
  }

  /** This span's decoded parts, if decoded lately. */
  #recent(): Decoded {
    const recent = this.#src.recent;
    let d = recent.get(this);
    if (d) {
      // Most recently used last, so the first entry is the one to drop.
      recent.delete(this);
    } else {
      d = {};
      if (recent.size >= RECENT_SPANS) recent.delete(recent.keys().next().value as LazySpan);
    }
    recent.set(this, d);
    return d;
  }

  #loadProto(d: Decoded): void {
    const s = decodeSpanHexIds(this.#src.buf, this.#r0, this.#r1);
    d.attrs = attributesFromOtlp(s.attributes);
    d.events = eventsFromOtlp(s.events);
    d.links = linksFromOtlp(s.links, HEX_IDS);
  }

  /**
   * False when the bytes of this span's attributes contain none of the ASCII `needles`, so no
   * attribute key can start with one; true means "maybe". Decodes nothing: a pass looking for rare
   * keys (GenAI) over a million lazy spans stays a byte search, and none at all when the file never
   * mentions them. (Latin-1 maps bytes one to one, and its string search beats Buffer.includes on
   * short ranges. JSON with \u escapes may spell a key otherwise: maybe.)
   */
  mayContainAttrText(needles: readonly string[]): boolean {
    const src = this.#src;
    if (this.#r0 < 0) return src.proto;
    const escapes = !src.proto && src.fileContains('\\u');
    if (!escapes && !needles.some((n) => src.fileContains(n))) return false;
    const text = src.buf.toString('latin1', this.#r0, this.#r1);
    if (escapes && text.includes('\\u')) return true;
    for (const n of needles) if (src.fileContains(n) && text.includes(n)) return true;
    return false;
  }

  get attributes(): Attributes {
    if (this.#r0 < 0 && !this.#src.proto) return NONE;
    const d = this.#recent();
    if (d.attrs === undefined) {
      if (this.#src.proto) this.#loadProto(d);
      else d.attrs = attributesFromOtlp(this.#r0 < 0 ? NONE : attributesFromJsonValue(parseRange(this.#src.buf, this.#r0, this.#r1), quiet()));
    }
    return d.attrs!;
  }

  get events(): readonly SpanEvent[] {
    if (this.#r2 < 0 && !this.#src.proto) return NONE;
    const d = this.#recent();
    if (d.events === undefined) {
      if (this.#src.proto) this.#loadProto(d);
      else d.events = eventsFromOtlp(eventsFromJsonValue(parseRange(this.#src.buf, this.#r2, this.#r3), quiet()));
    }
    return d.events!;
  }

  get links(): readonly SpanLink[] {
    if (this.#r4 < 0 && !this.#src.proto) return NONE;
    const d = this.#recent();
    if (d.links === undefined) {
      if (this.#src.proto) this.#loadProto(d);
      else d.links = linksFromOtlp(linksFromJsonValue(parseRange(this.#src.buf, this.#r4, this.#r5), quiet()), STRING_IDS);
    }
    return d.links!;
  }
}

interface Decoded {
  attrs?: Attributes;
  events?: readonly SpanEvent[];
  links?: readonly SpanLink[];
}

/**
 * Decoded parts are kept, per file, for the spans used last, not for every span: a pass over every span
 * (statistics, search, layout) decodes each once and leaves the model lean afterwards, while the
 * repeated reads of one span (its detail, the code-location rules) decode it once.
 */
const RECENT_SPANS = 4096;
