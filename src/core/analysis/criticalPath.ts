// The critical path of a trace, computed the way jaeger-ui does (TracePage/CriticalPath): start at the
// root's end and walk backwards in time. A span is on the path until its last-finishing child ends;
// the path then descends into that child, and when a span has no child left that ends before the
// current point, it returns to its parent at the span's start. Children that overflow their parent
// are clipped to it first (or dropped with their subtree when entirely outside), and asynchronous
// children are ignored with their subtrees, since the parent does not wait for them: a Jaeger
// FOLLOWS_FROM reference (kept as a link with refType) and a CONSUMER span whose parent is a PRODUCER
// (the OpenTelemetry messaging convention). So are spans without a start time.
//
// Every root gets its own path, as jaeger-ui's criticalPathForTrace walks each of trace.rootSpans:
// each true root (so each top-level task of every thread of a Chrome trace, where threads are not
// spans) and each orphan (a span whose parent is not in the trace, e.g. not exported: its work
// happened, whoever waited for it). The segments of all roots are merged in time order (jaeger-ui
// concatenates them root by root); concurrent roots give overlapping segments.
//
// The walk is iterative (a 100k-deep chain must not overflow the stack) and picks last-finishing
// children through a per-span cursor over children sorted by end time, so a span with many children
// costs O(k log k) once instead of O(k) per return to it. All roots share one set of arrays, so a
// trace with thousands of roots (a Chrome timeline) stays linear.
import { SpanKind, type Span, type Trace } from '../model/model';
import { traceArrays } from '../model/traceArrays';

/** A stretch of time during which `spanIndex` is on the critical path. Offsets from the trace start, ns. */
export interface CriticalPathSegment {
  readonly spanIndex: number;
  readonly startNs: number;
  readonly endNs: number;
}

/**
 * Critical path segments of every root, in chronological order (by start; one root's segments are
 * contiguous, jaeger-ui lists the same sections latest first), for every root: true roots and
 * orphans. A root without a start timestamp or
 * without duration adds nothing; a trace with no spans or no duration has an empty path.
 */
export function criticalPath(trace: Trace): CriticalPathSegment[] {
  if (trace.spans.length === 0 || trace.durationNs <= 0) return [];
  const { startNs } = traceArrays(trace);
  // trace.roots: true roots first, then orphans (and spans cut out of a parent cycle).
  const roots = trace.roots.filter((r) => !Number.isNaN(startNs[r]));
  if (roots.length === 0) return [];
  const clipped = sanitizeOverflowingChildren(trace, roots);
  const walk = new BackwardsWalk(trace, clipped);
  if (roots.length === 1) return walk.run(roots[0]).reverse();
  const out: CriticalPathSegment[] = [];
  for (const r of roots) for (const seg of walk.run(r).reverse()) out.push(seg);
  // Stable: one root's segments have increasing starts already, and equal starts keep root order.
  out.sort((a, b) => a.startNs - b.startNs);
  return out;
}

/** Span intervals clipped into their parent's (clipped) interval; `kept` is 0 for dropped spans. */
interface ClippedTimes {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly kept: Uint8Array;
}

/** Pre-order over the roots' subtrees so each child is clipped against its already-clipped parent. */
function sanitizeOverflowingChildren(trace: Trace, roots: readonly number[]): ClippedTimes {
  const n = trace.spans.length;
  const { startNs, endNs, childStart, childList } = traceArrays(trace);
  const skip = asyncChildren(trace);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const kept = new Uint8Array(n);

  const stack = new Int32Array(n);
  let sp = 0;
  for (const root of roots) {
    start[root] = startNs[root];
    end[root] = Math.max(startNs[root], endNs[root]); // negative durations count as instants
    kept[root] = 1;
    stack[sp++] = root;
  }
  while (sp > 0) {
    const p = stack[--sp];
    const ps = start[p];
    const pe = end[p];
    for (let k = childStart[p]; k < childStart[p + 1]; k++) {
      const c = childList[k];
      let cs = startNs[c];
      // Not waited for (FOLLOWS_FROM, a consumer of a producer), or unknowable (no start timestamp):
      // off the path with its subtree.
      if (skip[c] || Number.isNaN(cs)) continue;
      let ce = endNs[c] < cs ? cs : endNs[c];
      if (cs >= ps) {
        if (cs >= pe) continue; // starts after the parent ended: dropped with its subtree
        if (ce > pe) ce = pe;
      } else {
        if (ce <= ps) continue; // ended before the parent started: dropped with its subtree
        cs = ps;
        if (ce > pe) ce = pe;
      }
      start[c] = cs;
      end[c] = ce;
      kept[c] = 1;
      stack[sp++] = c;
    }
  }
  return { start, end, kept };
}

/**
 * 1 for spans their parent does not wait for: a FOLLOWS_FROM parent reference, or a CONSUMER span
 * under a PRODUCER (the message was handed over; the producer returns without waiting for it).
 * One pass in span order (cheap: most spans have no links).
 */
function asyncChildren(trace: Trace): Uint8Array {
  const { spans, parentIndex } = trace;
  const out = new Uint8Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    if (s.links.length && isFollowsFromChild(s)) out[i] = 1;
    else if (s.kind === SpanKind.Consumer && parentIndex[i] >= 0 && spans[parentIndex[i]].kind === SpanKind.Producer) out[i] = 1;
  }
  return out;
}

/**
 * A Jaeger FOLLOWS_FROM parent reference: the importer keeps the reference type on a link to the
 * parent. A CHILD_OF reference to the same parent wins.
 */
function isFollowsFromChild(span: Span): boolean {
  const pid = span.parentSpanId;
  if (pid === undefined || span.links.length === 0) return false;
  let follows = false;
  for (const l of span.links) {
    if (l.spanId !== pid || !l.refType) continue;
    const t = l.refType.toUpperCase();
    if (t === 'CHILD_OF') return false;
    if (t === 'FOLLOWS_FROM') follows = true;
  }
  return follows;
}

/** The backwards walk, one root at a time over shared per-span arrays (each span is in one root's subtree). */
class BackwardsWalk {
  // Kept children of each visited span, latest end first (ties: earlier start first, as jaeger-ui's
  // strict "end > max" scan over start-ordered children picks), and a cursor into that list. The
  // point we walk back from only moves earlier, so a child skipped once never qualifies again.
  private readonly byEnd: (number[] | undefined)[];
  private readonly cursor: Int32Array;

  constructor(
    private readonly trace: Trace,
    private readonly t: ClippedTimes,
  ) {
    this.byEnd = new Array(trace.spans.length);
    this.cursor = new Int32Array(trace.spans.length);
  }

  /** The root's segments, latest first. */
  run(root: number): CriticalPathSegment[] {
    const { trace, t, byEnd, cursor } = this;
    const out: CriticalPathSegment[] = [];
    const { childStart, childList } = traceArrays(trace);
    const push = (spanIndex: number, startNs: number, endNs: number) => {
      if (startNs !== endNs) out.push({ spanIndex, startNs, endNs });
    };

    let cur = root;
    let returningFrom: number | undefined; // start of the child we just came back from
    for (;;) {
      let kids = byEnd[cur];
      if (!kids) {
        kids = [];
        for (let j = childStart[cur]; j < childStart[cur + 1]; j++) if (t.kept[childList[j]]) kids.push(childList[j]);
        kids.sort((a, b) => t.end[b] - t.end[a]); // stable: start order kept among equal ends
        byEnd[cur] = kids;
      }
      let k = cursor[cur];
      if (returningFrom !== undefined) while (k < kids.length && t.end[kids[k]] >= returningFrom) k++;
      const sectionEnd = returningFrom ?? t.end[cur];
      if (k < kids.length) {
        const lfc = kids[k];
        cursor[cur] = k + 1;
        push(cur, t.end[lfc], sectionEnd);
        cur = lfc;
        returningFrom = undefined;
      } else {
        cursor[cur] = k;
        push(cur, t.start[cur], sectionEnd);
        if (cur === root) break;
        returningFrom = t.start[cur];
        cur = trace.parentIndex[cur];
      }
    }
    return out;
  }
}
