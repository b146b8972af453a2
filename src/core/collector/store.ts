// The live store: spans arrive in batches, from several services and requests, in any order; they
// are grouped by trace id as they come, and a trace is (re)built with buildTrace only when someone
// asks for it after it changed — ingest never builds anything, so its cost is O(batch).
//
// Compact by design (measured, see the report of test/bench/collectorBench.ts): a decoded span is
// ~900 bytes of small V8 objects, and 200k of them surviving in the heap made garbage collection
// the collector's largest cost. So the store keeps each accepted request body as received (a Buffer,
// outside the V8 heap: ~220 bytes per span for protobuf) and, per trace, only where its spans are
// (body, position) plus the running summary the traces view lists. Spans are decoded again from
// their bodies when a trace is opened, incrementally, and kept while the trace is being looked at.
//
// Memory is bounded by `maxSpans`: past it the least recently updated traces are evicted whole
// (a trace that is still receiving spans is the last to go). A Map keeps insertion order, and a
// trace that receives spans is re-inserted at the end, so the eviction candidate is always first.
import type { Span, Trace, TraceFile } from '../model/model';
import { StatusCode } from '../model/model';
import { assembleTraceFile, buildTrace } from '../model/trace';
import type { LiveTraceSummary } from './types';

/** A request body as stored: re-decoding it must give back exactly the spans that were added. */
export interface StoredBody {
  readonly kind: string;
  readonly bytes: Buffer;
}

/** Turns a stored body back into its accepted spans (same order as when it was added). */
export type Redecode = (body: StoredBody) => readonly Span[];

interface Body {
  readonly stored?: StoredBody;
  /** Spans added without a body (tests, replays) are kept as objects. */
  readonly spans?: readonly Span[];
  /** Stored spans that still point into this body; the body is dropped at 0. */
  live: number;
}

interface Entry {
  readonly traceId: string;
  readonly bodyOf: number[];
  readonly posOf: number[];
  errorCount: number;
  start?: bigint;
  end?: bigint;
  services: string[];
  /** Earliest span without a parent; else the earliest span (most likely the top orphan). */
  rootStart?: bigint;
  rootName: string;
  rootService: string;
  firstStart?: bigint;
  firstName: string;
  firstService: string;
  firstReceivedMs: number;
  lastReceivedMs: number;
  summary?: LiveTraceSummary;
  /** Decoded spans for refs [0, materialized.length), kept while the trace is being looked at. */
  materialized?: Span[];
}

export interface StoreChanges {
  readonly changed: string[];
  readonly evicted: string[];
  readonly cleared: boolean;
  readonly evictionStarted: boolean;
}

/** Built traces kept for repeated getTrace calls (an open waterfall re-fetches its trace). */
const BUILT_CACHE_SIZE = 16;
/** Traces whose decoded spans are kept so that a growing trace is decoded incrementally. */
const MATERIALIZED_CACHE_SIZE = 32;

export class LiveStore {
  private readonly traces = new Map<string, Entry>();
  private readonly bodies = new Map<number, Body>();
  private nextBody = 1;
  private readonly built = new Map<string, Trace>();
  private readonly materializedLru = new Map<string, Entry>();
  private spans = 0;
  private changed = new Set<string>();
  private evictedSince = new Set<string>();
  private clearedSince = false;
  private evictionStartedSince = false;

  tracesReceived = 0;
  evicting = false;
  evictedTraces = 0;
  evictedSpans = 0;
  /** Bytes of request bodies held (outside the V8 heap). */
  bodyBytes = 0;

  constructor(
    readonly maxSpans: number,
    private readonly redecode: Redecode = () => {
      throw new Error('this store cannot decode bodies');
    },
  ) {
    if (!(maxSpans >= 1)) throw new RangeError(`maxSpans must be at least 1 (got ${maxSpans})`);
  }

  get spanCount(): number {
    return this.spans;
  }

  get traceCount(): number {
    return this.traces.size;
  }

  get bodyCount(): number {
    return this.bodies.size;
  }

  /**
   * Adds a batch. With `body`, only positions into it are kept and `redecode(body)` must return
   * `batch` again (same spans, same order); without, the span objects are kept.
   * Returns the trace ids evicted to make room (also reported by takeChanges).
   */
  add(batch: readonly Span[], nowMs = Date.now(), body?: StoredBody): string[] {
    if (batch.length === 0) return [];
    const bodyId = this.nextBody++;
    const b: Body = body ? { stored: body, live: batch.length } : { spans: batch, live: batch.length };
    this.bodies.set(bodyId, b);
    if (body) this.bodyBytes += body.bytes.length;
    const touched = new Set<string>();
    let prevId = '';
    let e: Entry | undefined;
    for (let pos = 0; pos < batch.length; pos++) {
      const s = batch[pos];
      if (s.traceId !== prevId || !e) {
        e = this.touch(s.traceId, touched, nowMs);
        prevId = s.traceId;
      }
      e.bodyOf.push(bodyId);
      e.posOf.push(pos);
      summarizeInto(e, s);
    }
    this.spans += batch.length;
    return this.evictOverflow();
  }

  /** The entry of a trace, moved to the end of the eviction order once per batch. */
  private touch(traceId: string, touched: Set<string>, nowMs: number): Entry {
    let e = this.traces.get(traceId);
    if (touched.has(traceId)) return e!;
    touched.add(traceId);
    if (e) {
      this.traces.delete(traceId);
      this.traces.set(traceId, e);
    } else {
      e = { traceId, bodyOf: [], posOf: [], errorCount: 0, services: [], rootName: '', rootService: '', firstName: '', firstService: '', firstReceivedMs: nowMs, lastReceivedMs: nowMs };
      this.traces.set(traceId, e);
      this.tracesReceived++;
      this.evictedSince.delete(traceId);
    }
    e.lastReceivedMs = nowMs;
    e.summary = undefined;
    this.built.delete(traceId);
    this.changed.add(traceId);
    return e;
  }

  private evictOverflow(): string[] {
    const evicted: string[] = [];
    if (this.spans <= this.maxSpans) return evicted;
    if (!this.evicting) {
      this.evicting = true;
      this.evictionStartedSince = true;
    }
    for (const [id, e] of this.traces) {
      if (this.spans <= this.maxSpans) break;
      this.drop(id, e);
      this.evictedTraces++;
      this.evictedSpans += e.bodyOf.length;
      this.changed.delete(id);
      this.evictedSince.add(id);
      evicted.push(id);
    }
    return evicted;
  }

  private drop(id: string, e: Entry): void {
    this.traces.delete(id);
    this.built.delete(id);
    this.materializedLru.delete(id);
    this.spans -= e.bodyOf.length;
    for (const bodyId of e.bodyOf) {
      const b = this.bodies.get(bodyId)!;
      if (--b.live === 0) {
        this.bodies.delete(bodyId);
        if (b.stored) this.bodyBytes -= b.stored.bytes.length;
      }
    }
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  /** The trace as it is now, built on demand (cached until it changes). */
  getTrace(traceId: string): Trace | undefined {
    const cached = this.built.get(traceId);
    if (cached) return cached;
    const e = this.traces.get(traceId);
    if (!e) return undefined;
    const spans = this.materialize(e, new Map());
    // A copy: the materialized list keeps growing, the built trace's parallel arrays must not.
    const t = buildTrace(traceId, spans.slice());
    if (this.built.size >= BUILT_CACHE_SIZE) this.built.delete(this.built.keys().next().value as string);
    this.built.set(traceId, t);
    return t;
  }

  /** Appends the spans of refs [out.length, end) of `e` to `out`; `decoded` caches bodies per operation. */
  private decodeRefs(e: Entry, out: Span[], decoded: Map<number, readonly Span[]>): Span[] {
    for (let i = out.length; i < e.bodyOf.length; i++) {
      const bodyId = e.bodyOf[i];
      let spans = decoded.get(bodyId);
      if (!spans) {
        const b = this.bodies.get(bodyId)!;
        spans = b.spans ?? this.redecode(b.stored!);
        decoded.set(bodyId, spans);
      }
      const s = spans[e.posOf[i]];
      if (!s || s.traceId !== e.traceId) throw new Error(`stored body ${bodyId} no longer decodes to the spans it held (trace ${e.traceId})`);
      out.push(s);
    }
    return out;
  }

  /** Decodes the spans of `e` not decoded yet, and keeps them while the trace is being looked at. */
  private materialize(e: Entry, decoded: Map<number, readonly Span[]>): Span[] {
    const out = this.decodeRefs(e, e.materialized ?? [], decoded);
    e.materialized = out;
    this.materializedLru.delete(e.traceId);
    this.materializedLru.set(e.traceId, e);
    if (this.materializedLru.size > MATERIALIZED_CACHE_SIZE) {
      const [oldId, old] = this.materializedLru.entries().next().value as [string, Entry];
      this.materializedLru.delete(oldId);
      old.materialized = undefined;
    }
    return out;
  }

  /** Summaries, most recently updated first (maintained at ingest: no decoding, no building). */
  summaries(limit = Infinity): LiveTraceSummary[] {
    const out: LiveTraceSummary[] = [];
    const entries = [...this.traces.values()];
    for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) out.push(summaryOf(entries[i]));
    return out;
  }

  summary(traceId: string): LiveTraceSummary | undefined {
    const e = this.traces.get(traceId);
    return e && summaryOf(e);
  }

  /** Trace ids, least recently updated first (the eviction order). */
  traceIds(): string[] {
    return [...this.traces.keys()];
  }

  /**
   * A TraceFile of the given traces (all when omitted), in eviction order. Each body is decoded
   * once; the traces being looked at keep their decoded spans, the others are not pinned.
   */
  toTraceFile(traceIds?: readonly string[]): TraceFile {
    const decoded = new Map<number, readonly Span[]>();
    const spans: Span[] = [];
    for (const id of traceIds ?? [...this.traces.keys()]) {
      const e = this.traces.get(id);
      if (!e) continue;
      const list = e.materialized ? this.decodeRefs(e, e.materialized, decoded) : this.decodeRefs(e, [], decoded);
      for (const s of list) spans.push(s);
    }
    return assembleTraceFile('otlp-json', spans);
  }

  clear(): void {
    this.traces.clear();
    this.bodies.clear();
    this.bodyBytes = 0;
    this.built.clear();
    this.materializedLru.clear();
    this.spans = 0;
    this.changed.clear();
    this.evictedSince.clear();
    this.clearedSince = true;
    this.evicting = false;
    this.evictionStartedSince = false;
  }

  get hasChanges(): boolean {
    return this.changed.size > 0 || this.evictedSince.size > 0 || this.clearedSince || this.evictionStartedSince;
  }

  /** What changed since the previous call (for debounced change events). */
  takeChanges(): StoreChanges {
    const out: StoreChanges = {
      changed: [...this.changed],
      evicted: [...this.evictedSince],
      cleared: this.clearedSince,
      evictionStarted: this.evictionStartedSince,
    };
    this.changed = new Set();
    this.evictedSince = new Set();
    this.clearedSince = false;
    this.evictionStartedSince = false;
    return out;
  }
}

/** Folds one span into its trace's running summary (what buildTrace would say about the root etc.). */
function summarizeInto(e: Entry, s: Span): void {
  const start = s.startTimeUnixNano;
  if (start > 0n && (e.start === undefined || start < e.start)) e.start = start;
  if (e.end === undefined || s.endTimeUnixNano > e.end) e.end = s.endTimeUnixNano;
  if (s.status.code === StatusCode.Error) e.errorCount++;
  const service = s.resource.serviceName;
  if (!e.services.includes(service)) {
    e.services.push(service);
    e.services.sort();
  }
  if (s.parentSpanId === undefined && (e.rootStart === undefined || start < e.rootStart)) {
    e.rootStart = start;
    e.rootName = s.name;
    e.rootService = service;
  }
  if (e.firstStart === undefined || start < e.firstStart) {
    e.firstStart = start;
    e.firstName = s.name;
    e.firstService = service;
  }
}

function summaryOf(e: Entry): LiveTraceSummary {
  if (e.summary) return e.summary;
  const start = e.start ?? 0n;
  const end = e.end !== undefined && e.end > start ? e.end : start;
  const hasRoot = e.rootStart !== undefined;
  e.summary = {
    traceId: e.traceId,
    rootName: hasRoot ? e.rootName : e.firstName,
    rootService: hasRoot ? e.rootService : e.firstService,
    hasRoot,
    services: e.services.slice(),
    spanCount: e.bodyOf.length,
    errorCount: e.errorCount,
    startTimeUnixNano: start.toString(),
    startMs: Number(start / 1_000_000n),
    durationNs: Number(end - start),
    firstReceivedMs: e.firstReceivedMs,
    lastReceivedMs: e.lastReceivedMs,
  };
  return e.summary;
}
