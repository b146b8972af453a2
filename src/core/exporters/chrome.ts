// Trace model -> Chrome Trace Event Format (JSON Object Format), for Perfetto and chrome://tracing.
//
// Layout: one pid per process-like resource (service.name + process.pid, so two "Renderer"
// processes stay apart; an OTLP service without process.pid is one pid), named by process_name
// metadata. Spans become X events on "lanes" (tids). Chrome nests X events on one tid purely by
// time containment, so a lane must only ever hold a properly nested stack, and the nesting it
// shows must be the real parent/child relation. A span goes:
//   1. onto its parent's lane when, at its start, the parent is the innermost open span there;
//   2. else onto its original Chrome thread (thread.id), when nothing is open there;
//   3. else onto a generic lane ("lane N") of its process that is free by then, or a new one.
// (OTLP spans that carry thread.id/thread.name, e.g. from Java agents, get real thread lanes too.)
// So a sequential call tree renders as one flame-chart-like lane, and concurrent children (which
// would not nest) spill onto extra lanes. Parent links that cross lanes (another service, a
// concurrent sibling) become flow arrows (s -> f).
// Chrome-imported traces keep their pid/tid and thread names (thread.id / thread.name; threads
// are not spans, so nothing is added or dropped: N spans out, N spans back in), and async spans
// go back out as b/e pairs, so an export re-imports with the same spans and nesting. Spans marked
// spanlens.synthetic (thread roots made by older versions) are not exported. Times are microseconds relative to the
// earliest span; `otherData.spanlensTimeOriginNs` keeps the absolute origin for our importer.
import { getAttr, toPlain } from '../model/attributes';
import { StatusCode, type Attribute, type Resource, type Span, type Trace, type TraceFile } from '../model/model';
import { ASYNC_ID_ATTR, ASYNC_SCOPE_ATTR, SOURCE_ARGS, SYNTHETIC_ATTR, TIME_ORIGIN_KEY } from '../importers/chrome';

export interface ChromeEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: string;
  id?: string | number;
  id2?: { local: string };
  bp?: string;
  args?: Record<string, unknown>;
}

export interface ChromeTraceJson {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

/** Attributes carried by the Chrome structure itself (tid, thread_name, async id), not as args. */
const STRUCTURAL_ATTRS = new Set(['thread.id', 'thread.name', SYNTHETIC_ATTR, ASYNC_ID_ATTR, ASYNC_SCOPE_ATTR]);
const ARG_FOR_ATTR = new Map(SOURCE_ARGS.map(([arg, attr]) => [attr, arg] as const));

interface Lane {
  readonly tid: number;
  name: string;
  readonly generic: boolean;
  /** Spans open on this lane, innermost last. */
  readonly open: Span[];
  /** When the outermost open span ends, i.e. when the lane is free again. */
  freeAt: bigint;
}

interface Proc {
  readonly pid: number;
  readonly name: string;
  readonly lanes: Lane[];
  /** Generic lanes by freeAt, so finding a free one is O(log lanes), not a scan (wide fan-outs). */
  readonly free: LaneHeap;
  readonly byTid: Map<number, Lane>;
  readonly reservedTids: Set<number>;
  nextTid: number;
}

interface Item {
  readonly span: Span;
  /** The exported parent: undefined for roots and for children of synthetic thread roots. */
  readonly parent?: Span;
  /** Tree pre-order position: parents before children, so nesting ties re-import the same way. */
  readonly order: number;
  readonly kind: 'thread-root' | 'async' | 'complete';
  /** The original Chrome thread id (thread.id attribute), when numeric. */
  readonly tid?: number;
}

export function toChromeTrace(file: TraceFile | readonly Trace[]): ChromeTraceJson {
  const traces: readonly Trace[] = isTraceList(file) ? file : file.traces;
  const items = preorder(traces);
  const origin = earliestStart(items);
  const us = (ns: bigint) => Number(ns - origin) / 1000;

  // Processes, looked up by Resource object first (shared by reference between spans).
  const procs = new Map<string, Proc>();
  const procByResource = new Map<Resource, Proc>();
  const usedPids = new Set<number>();
  const procOf = (s: Span): Proc => {
    let p = procByResource.get(s.resource);
    if (p) return p;
    const pidAttr = intValue(getAttr(s.resource.attributes, 'process.pid'));
    const key = `${s.resource.serviceName}\u0000${pidAttr ?? ''}`;
    p = procs.get(key);
    if (!p) {
      let pid = pidAttr !== undefined && !usedPids.has(pidAttr) ? pidAttr : 1;
      while (usedPids.has(pid)) pid++;
      usedPids.add(pid);
      procs.set(key, (p = { pid, name: s.resource.serviceName, lanes: [], free: new LaneHeap(), byTid: new Map(), reservedTids: new Set(), nextTid: 1 }));
    }
    procByResource.set(s.resource, p);
    return p;
  };
  // Original Chrome tids are reserved first so generic lanes never take one.
  for (const it of items) if (it.tid !== undefined) procOf(it.span).reservedTids.add(it.tid);
  const threadLaneOf = (it: Item): Lane | undefined => {
    if (it.tid === undefined) return undefined;
    const p = procOf(it.span);
    let lane = p.byTid.get(it.tid);
    if (!lane) {
      const name = stringAttr(it.span, 'thread.name') ?? (it.kind === 'thread-root' ? it.span.name : `thread ${it.tid}`);
      lane = { tid: it.tid, name, generic: false, open: [], freeAt: 0n };
      p.byTid.set(it.tid, lane);
      p.lanes.push(lane);
    }
    return lane;
  };

  // Lane assignment, in start order (longer first, then tree order so a parent precedes a child
  // with the same interval).
  const laneOf = new Map<Span, Lane>();
  const completes = items.filter((it) => it.kind === 'complete');
  completes.sort((a, b) => cmp(a.span.startTimeUnixNano, b.span.startTimeUnixNano) || cmp(b.span.endTimeUnixNano, a.span.endTimeUnixNano) || a.order - b.order);
  for (const it of completes) {
    const s = it.span;
    const p = procOf(s);
    const fits = (lane: Lane | undefined): lane is Lane => {
      if (!lane) return false;
      while (lane.open.length && lane.open[lane.open.length - 1].endTimeUnixNano <= s.startTimeUnixNano) lane.open.pop();
      const top = lane.open[lane.open.length - 1];
      return top === undefined || (top === it.parent && top.endTimeUnixNano >= s.endTimeUnixNano);
    };
    const parentLane = it.parent ? laneOf.get(it.parent) : undefined;
    let lane: Lane | undefined;
    if (parentLane && procOf(it.parent!) === p && fits(parentLane)) lane = parentLane;
    if (!lane) {
      const own = threadLaneOf(it);
      if (own && fits(own)) lane = own;
    }
    // Only the parent's own lane can have the parent on top: anywhere else the span needs an empty lane.
    if (!lane) lane = p.free.takeFreeBy(s.startTimeUnixNano);
    if (!lane) {
      while (p.reservedTids.has(p.nextTid) || p.byTid.has(p.nextTid)) p.nextTid++;
      lane = { tid: p.nextTid, name: `lane ${p.free.size + 1}`, generic: true, open: [], freeAt: 0n };
      p.free.size++;
      p.byTid.set(lane.tid, lane);
      p.lanes.push(lane);
    }
    if (!lane.open.length || lane.freeAt <= s.startTimeUnixNano) {
      lane.open.length = 0;
      lane.freeAt = s.endTimeUnixNano > s.startTimeUnixNano ? s.endTimeUnixNano : s.startTimeUnixNano;
      if (lane.generic) p.free.push(lane);
    }
    lane.open.push(s);
    laneOf.set(s, lane);
  }

  const body: ChromeEvent[] = [];
  const placeOf = new Map<Span, { pid: number; tid: number }>();
  for (const it of items) {
    const lane = laneOf.get(it.span) ?? threadLaneOf(it);
    placeOf.set(it.span, { pid: procOf(it.span).pid, tid: lane?.tid ?? 0 });
  }
  // Children by exported parent, for the scope of span events (below).
  const childrenOf = new Map<Span, Span[]>();
  for (const it of items) {
    if (!it.parent) continue;
    let l = childrenOf.get(it.parent);
    if (!l) childrenOf.set(it.parent, (l = []));
    l.push(it.span);
  }
  /**
   * A span event is a thread-scoped instant when the importer will nest it back into this span:
   * inside it and in none of its children on the same lane. Otherwise (the importer placed it on a
   * top-level span because no span held it) it is process-scoped, which the importer puts on the
   * nearest top-level span of the thread again.
   */
  const instantScope = (it: Item, t: bigint): 't' | 'p' => {
    const s = it.span;
    const lane = laneOf.get(s);
    const topLevel = !it.parent || laneOf.get(it.parent) !== lane;
    if (!topLevel) return 't';
    if (t < s.startTimeUnixNano || t >= s.endTimeUnixNano) return 'p';
    for (const c of childrenOf.get(s) ?? []) if (laneOf.get(c) === lane && c.startTimeUnixNano <= t && t < c.endTimeUnixNano) return 'p';
    return 't';
  };
  let flowId = 0;
  for (const it of items) {
    const s = it.span;
    const where = placeOf.get(s)!;
    const cat = s.scope.name || undefined;
    if (it.kind === 'async') {
      const id = asyncId(s);
      body.push({ name: s.name, ph: 'b', ...where, ts: us(s.startTimeUnixNano), cat, ...id, args: argsOf(s) });
      body.push({ name: s.name, ph: 'e', ...where, ts: us(maxBig(s.endTimeUnixNano, s.startTimeUnixNano)), cat, ...id });
    } else if (it.kind === 'complete') {
      const dur = s.endTimeUnixNano > s.startTimeUnixNano ? Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1000 : 0;
      body.push({ name: s.name, ph: 'X', ...where, ts: us(s.startTimeUnixNano), dur, cat, args: argsOf(s) });
      const parentLane = it.parent ? laneOf.get(it.parent) : undefined;
      if (it.parent && parentLane && parentLane !== laneOf.get(s)) {
        const id = ++flowId;
        body.push({ name: 'parent', ph: 's', cat: 'spanlens.parent', id, ...placeOf.get(it.parent)!, ts: us(it.parent.startTimeUnixNano) });
        body.push({ name: 'parent', ph: 'f', bp: 'e', cat: 'spanlens.parent', id, ...where, ts: us(s.startTimeUnixNano) });
      }
    }
    for (const e of s.events) {
      const args = attrsToArgs(e.attributes);
      const at = us(e.timeUnixNano);
      if (it.kind === 'async') body.push({ name: e.name, ph: 'n', ...where, ts: at, cat, ...asyncId(s), args });
      // Thread-root events (older versions) were not inside any task: process-scoped.
      else body.push({ name: e.name, ph: 'i', s: it.kind === 'thread-root' ? 'p' : instantScope(it, e.timeUnixNano), ...where, ts: at, args });
    }
  }

  const meta: ChromeEvent[] = [];
  for (const p of procs.values()) {
    meta.push({ name: 'process_name', ph: 'M', pid: p.pid, tid: 0, args: { name: p.name } });
    for (const lane of p.lanes) meta.push({ name: 'thread_name', ph: 'M', pid: p.pid, tid: lane.tid, args: { name: lane.name } });
  }
  return { traceEvents: [...meta, ...body], displayTimeUnit: 'ms', otherData: { source: 'Spanlens', [TIME_ORIGIN_KEY]: origin.toString() } };
}

/** Min-heap of generic lanes by freeAt; entries go stale when a lane is reused, and are skipped. */
class LaneHeap {
  private readonly heap: { lane: Lane; freeAt: bigint }[] = [];
  /** Number of generic lanes made (for their names). */
  size = 0;

  push(lane: Lane): void {
    const h = this.heap;
    h.push({ lane, freeAt: lane.freeAt });
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p].freeAt <= h[i].freeAt) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  /** A lane free at time t (popped: the caller refills it), or undefined. */
  takeFreeBy(t: bigint): Lane | undefined {
    const h = this.heap;
    while (h.length) {
      const top = h[0];
      const stale = top.freeAt !== top.lane.freeAt;
      if (!stale && top.freeAt > t) return undefined;
      this.popTop();
      if (!stale) return top.lane;
    }
    return undefined;
  }

  private popTop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].freeAt < h[m].freeAt) m = l;
      if (r < h.length && h[r].freeAt < h[m].freeAt) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}

function isTraceList(f: TraceFile | readonly Trace[]): f is readonly Trace[] {
  return Array.isArray(f);
}

/** Spans in tree pre-order (parents before children, siblings by start) across all traces. */
function preorder(traces: readonly Trace[]): Item[] {
  const out: Item[] = [];
  for (const t of traces) {
    const stack = [...t.roots].reverse();
    while (stack.length) {
      const i = stack.pop()!;
      const p = t.parentIndex[i];
      const span = t.spans[i];
      const parent = p >= 0 && !isSynthetic(t.spans[p]) ? t.spans[p] : undefined;
      const kind = isSynthetic(span) ? 'thread-root' : getAttr(span.attributes, ASYNC_ID_ATTR) !== undefined ? 'async' : 'complete';
      out.push({ span, parent, order: out.length, kind, tid: intValue(getAttr(span.attributes, 'thread.id')) });
      for (let c = t.children[i].length - 1; c >= 0; c--) stack.push(t.children[i][c]);
    }
  }
  return out;
}

function earliestStart(items: readonly Item[]): bigint {
  let min: bigint | undefined;
  for (const { span } of items) if (span.startTimeUnixNano > 0n && (min === undefined || span.startTimeUnixNano < min)) min = span.startTimeUnixNano;
  return min ?? 0n;
}

function argsOf(s: Span): Record<string, unknown> {
  const args = attrsToArgs(s.attributes);
  if (s.status.code !== StatusCode.Unset) {
    args['otel.status_code'] = s.status.code === StatusCode.Error ? 'ERROR' : 'OK';
    if (s.status.message) args['otel.status_description'] = s.status.message;
  }
  return args;
}

function attrsToArgs(attrs: readonly Attribute[]): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const a of attrs) if (!STRUCTURAL_ATTRS.has(a.key)) args[ARG_FOR_ATTR.get(a.key) ?? a.key] = toPlain(a.value);
  return args;
}

function isSynthetic(s: Span): boolean {
  return getAttr(s.attributes, SYNTHETIC_ATTR) !== undefined;
}

function asyncId(s: Span): { id: string } | { id2: { local: string } } {
  const id = String(toPlain(getAttr(s.attributes, ASYNC_ID_ATTR) ?? ''));
  return getAttr(s.attributes, ASYNC_SCOPE_ATTR) === 'local' ? { id2: { local: id } } : { id };
}

function stringAttr(s: Span, key: string): string | undefined {
  const v = getAttr(s.attributes, key);
  return typeof v === 'string' ? v : undefined;
}

function intValue(v: unknown): number | undefined {
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return undefined;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
