// The two algorithms that turn Chrome trace events into a span tree, kept apart from the event
// plumbing so they can be reasoned about (and tested) on their own:
//
// 1. `pairBeginEnd` matches the B/E events of one thread (or b/e events of one async id) into
//    intervals. Only names decide which B an E closes; nesting is NOT decided here.
// 2. `nestIntervals` nests the intervals of one thread (X events and paired B/E alike) by time
//    containment, and finds the innermost interval holding each instant.
//
// Splitting them means an X event and a B/E pair on the same thread never have to agree on a
// shared stack: a pair's interval is known first, then everything nests by containment.

/** A B or E (or b/e) event on one track. `order` is its index in the file (ties keep file order). */
export interface Mark {
  readonly order: number;
  /** Nanoseconds from the trace's first event (a number: exact below 104 days). */
  readonly t: number;
  /** Undefined for an E without a name, which the spec allows: it closes the innermost open B. */
  readonly name: string | undefined;
}

export interface Pairing {
  /** For each begin (by position in the `begins` argument): position in `ends` of its E, or -1. */
  readonly endOf: Int32Array;
  /** Positions in `ends` of E events that closed nothing. */
  readonly unmatchedEnds: number[];
}

/** How far among E events with the same timestamp we look for one that closes the innermost B. */
const SAME_TS_SCAN_LIMIT = 64;

function byTimeThenOrder(marks: readonly Mark[]): number[] {
  const idx = marks.map((_m, i) => i);
  idx.sort((a, b) => marks[a].t - marks[b].t || marks[a].order - marks[b].order);
  return idx;
}

/**
 * Pairs begins with ends on one track. Events are taken in time order, ties in file order, except
 * where the file order at one timestamp cannot be right (speedscope's corpus cases): for an E and
 * a B at one ts, the E goes first when an E at that ts closes the innermost B (back-to-back tasks
 * "E RunTask@5, B RunTask@5"), the B first when an E at that ts names it (a zero-duration event
 * written "E C@2, B C@2").
 * An E closes the innermost open B of the same name, an unnamed E the innermost B; an E naming no
 * open B closes nothing. Matching by name (not just the top) is what makes several E at one ts
 * ("event-reordering") pair right in any order, and keeps the true times of overlapping pairs.
 */
export function pairBeginEnd(begins: readonly Mark[], ends: readonly Mark[]): Pairing {
  const bs = byTimeThenOrder(begins);
  const es = byTimeThenOrder(ends);
  const endOf = new Int32Array(begins.length).fill(-1);
  const unmatchedEnds: number[] = [];
  const stack: number[] = []; // positions in `begins`
  let bi = 0;
  let ei = 0;

  const topName = () => (stack.length ? begins[stack[stack.length - 1]].name ?? '' : undefined);
  const closesTop = (e: Mark) => stack.length > 0 && (e.name === undefined || e.name === topName());

  /** Among the E events at the front's timestamp, bring one naming the innermost B to the front. */
  const preferTopMatch = () => {
    const top = topName();
    if (top === undefined || closesTop(ends[es[ei]])) return;
    const t = ends[es[ei]].t;
    for (let j = ei + 1; j < es.length && j <= ei + SAME_TS_SCAN_LIMIT && ends[es[j]].t === t; j++) {
      if (ends[es[j]].name === top) {
        const tmp = es[ei];
        es[ei] = es[j];
        es[j] = tmp;
        return;
      }
    }
  };

  const someEndAtNamed = (t: number, name: string | undefined) => {
    for (let j = ei; j < es.length && j <= ei + SAME_TS_SCAN_LIMIT && ends[es[j]].t === t; j++) {
      if (ends[es[j]].name === name) return true;
    }
    return false;
  };

  const takeEndNext = (): boolean => {
    if (ei >= es.length) return false;
    if (bi >= bs.length) return true;
    const b = begins[bs[bi]];
    let e = ends[es[ei]];
    if (e.t !== b.t) return e.t < b.t;
    preferTopMatch();
    e = ends[es[ei]];
    if (closesTop(e) && (e.order < b.order || e.name !== b.name)) return true;
    if (someEndAtNamed(b.t, b.name)) return false;
    return e.order < b.order;
  };

  while (bi < bs.length || ei < es.length) {
    if (!takeEndNext()) {
      stack.push(bs[bi++]);
      continue;
    }
    const ePos = es[ei++];
    const e = ends[ePos];
    let at = -1;
    if (closesTop(e)) at = stack.length - 1;
    else for (let k = stack.length - 2; k >= 0; k--) if ((begins[stack[k]].name ?? '') === e.name) { at = k; break; }
    if (at < 0) {
      unmatchedEnds.push(ePos);
      continue;
    }
    endOf[stack[at]] = ePos;
    stack.splice(at, 1);
  }
  return { endOf, unmatchedEnds };
}

/** A closed interval on one track, in ns from the trace's first event. */
export interface Interval {
  readonly start: number;
  readonly end: number;
  /** File order of the event that began it: among identical intervals the earlier one is the parent. */
  readonly order: number;
}

export interface Nesting {
  /** Parent of each interval (position in the argument), or -1 for a top-level interval. */
  readonly parent: Int32Array;
  /** Intervals that start inside an open interval but end after it (they do not nest). */
  readonly overlapping: number[];
  /** Innermost interval holding each probe time, or -1. */
  readonly probeOwner: Int32Array;
}

/**
 * Nests intervals by containment, with a stack swept in start order (longer first at equal
 * starts, then file order). An interval covers [start, end): something starting exactly when
 * another ends follows it rather than nesting in it, and a zero-duration interval holds nothing.
 * An interval that overlaps the open one without fitting in it is reported and hung under the
 * nearest open interval that does contain it.
 */
export function nestIntervals(intervals: readonly Interval[], probes: readonly number[] = []): Nesting {
  const n = intervals.length;
  const parent = new Int32Array(n).fill(-1);
  const probeOwner = new Int32Array(probes.length).fill(-1);
  const overlapping: number[] = [];

  // Items 0..n-1 are intervals, n.. are probes. At equal times intervals go first, so an
  // instant at a span's first nanosecond lands inside it.
  const items = new Int32Array(n + probes.length);
  for (let i = 0; i < items.length; i++) items[i] = i;
  const startOf = (i: number) => (i < n ? intervals[i].start : probes[i - n]);
  const sorted = Array.from(items).sort((a, b) => {
    const d = startOf(a) - startOf(b);
    if (d !== 0) return d;
    const pa = a < n ? 0 : 1;
    const pb = b < n ? 0 : 1;
    if (pa !== pb) return pa - pb;
    if (pa === 1) return a - b;
    return intervals[b].end - intervals[a].end || intervals[a].order - intervals[b].order;
  });

  const stack: number[] = [];
  for (const item of sorted) {
    const t = startOf(item);
    while (stack.length && intervals[stack[stack.length - 1]].end <= t) stack.pop();
    const top = stack.length ? stack[stack.length - 1] : -1;
    if (item >= n) {
      probeOwner[item - n] = top;
      continue;
    }
    const end = intervals[item].end;
    if (top < 0 || intervals[top].end >= end) {
      parent[item] = top;
    } else {
      overlapping.push(item);
      // Entries below the top may already have ended (only the top is popped eagerly).
      for (let k = stack.length - 2; k >= 0; k--) {
        const c = intervals[stack[k]];
        if (c.end >= end && c.end > t) {
          parent[item] = stack[k];
          break;
        }
      }
    }
    stack.push(item);
  }
  return { parent, overlapping, probeOwner };
}
