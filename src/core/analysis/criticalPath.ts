// The critical path of a trace, computed the way jaeger-ui does (TracePage/CriticalPath): start at the
// root's end and walk backwards in time. A span is on the path until its last-finishing child ends;
// the path then descends into that child, and when a span has no child left that ends before the
// current point, it returns to its parent at the span's start. Children that overflow their parent
// are clipped to it first (or dropped with their subtree when entirely outside), and FOLLOWS_FROM
// children are ignored, since the parent does not wait for them (as are spans without a start time).
//
// Unlike jaeger-ui this walk is iterative (a 100k-deep chain must not overflow the stack) and picks
// last-finishing children through a per-span cursor over children sorted by end time, so a span with
// many children costs O(k log k) once instead of O(k) per return to it.
import type { Span, Trace } from '../model/model';
import { traceArrays } from '../model/traceArrays';

/** A stretch of time during which `spanIndex` is on the critical path. Offsets from the trace start, ns. */
export interface CriticalPathSegment {
  readonly spanIndex: number;
  readonly startNs: number;
  readonly endNs: number;
}

/**
 * Critical path segments in chronological order (jaeger-ui lists the same sections latest first).
 * It starts from the earliest true root; a fragment without one (only orphans, e.g. a Zipkin span
 * whose parent was not exported) uses its earliest orphan, as jaeger-ui uses its earliest span.
 * Empty for a trace with no spans, no duration, or a starting span without a start timestamp.
 */
export function criticalPath(trace: Trace): CriticalPathSegment[] {
  // trace.roots lists true roots first, then orphans, each by start time.
  const root = trace.roots[0];
  if (root === undefined || trace.durationNs <= 0 || trace.spans[root].startTimeUnixNano <= 0n) return [];
  const clipped = sanitizeOverflowingChildren(trace, root);
  const out = walkBackwards(trace, root, clipped);
  return out.reverse();
}

/** Span intervals clipped into their parent's (clipped) interval; `kept` is 0 for dropped spans. */
interface ClippedTimes {
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly kept: Uint8Array;
}

/** Pre-order over the root's subtree so each child is clipped against its already-clipped parent. */
function sanitizeOverflowingChildren(trace: Trace, root: number): ClippedTimes {
  const n = trace.spans.length;
  const { startNs, endNs, childStart, childList } = traceArrays(trace);
  const skip = followsFromChildren(trace);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const kept = new Uint8Array(n);

  start[root] = startNs[root];
  end[root] = Math.max(startNs[root], endNs[root]); // negative durations count as instants
  kept[root] = 1;
  const stack = new Int32Array(n);
  let sp = 0;
  stack[sp++] = root;
  while (sp > 0) {
    const p = stack[--sp];
    const ps = start[p];
    const pe = end[p];
    for (let k = childStart[p]; k < childStart[p + 1]; k++) {
      const c = childList[k];
      let cs = startNs[c];
      // Not waited for (FOLLOWS_FROM), or unknowable (no start timestamp): off the path with its subtree.
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

/** 1 for spans whose parent reference is FOLLOWS_FROM. One pass in span order (cheap: most spans have no links). */
function followsFromChildren(trace: Trace): Uint8Array {
  const out = new Uint8Array(trace.spans.length);
  for (let i = 0; i < trace.spans.length; i++) if (trace.spans[i].links.length && isFollowsFromChild(trace.spans[i])) out[i] = 1;
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

function walkBackwards(trace: Trace, root: number, t: ClippedTimes): CriticalPathSegment[] {
  const out: CriticalPathSegment[] = [];
  const { childStart, childList } = traceArrays(trace);
  // Kept children of each visited span, latest end first (ties: earlier start first, as jaeger-ui's
  // strict "end > max" scan over start-ordered children picks), and a cursor into that list. The
  // point we walk back from only moves earlier, so a child skipped once never qualifies again.
  const byEnd: (number[] | undefined)[] = new Array(trace.spans.length);
  const cursor = new Int32Array(trace.spans.length);
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
