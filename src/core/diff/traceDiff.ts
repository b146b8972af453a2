// Two traces, aligned as Jaeger's TraceDiff aligns them: a span is identified by the path of
// (service, span name, occurrence among its siblings with that service and name) from its root.
// Siblings are taken in start order (trace.children is sorted by start time), so a loop of 40
// priceItem calls against 38 pairs the first 38 in order and leaves 2 removed, and two children
// with different names that swapped places still match each other. Trace ids play no part.
//
// Built for 100k-span traces: spans get an integer (service, name) id from one shared interner,
// sibling matching uses a per-id linked list over the candidate's children in scratch typed arrays
// (O(children), no per-parent Map), and the output is parallel typed-array columns.
import type { Trace } from '../model/model';
import { criticalPath } from '../analysis/criticalPath';
import { traceArrays } from '../model/traceArrays';
import {
  CHANGE_ADDED,
  CHANGE_FASTER,
  CHANGE_REMOVED,
  CHANGE_SLOWER,
  CHANGE_UNCHANGED,
  DEFAULT_TOLERANCE,
  SPAN_CHANGES,
  type DiffTolerance,
  type SpanChange,
  type TraceDiff,
} from './types';

/** Integer ids for (service, name) pairs, shared by both traces. */
class KeyInterner {
  private readonly byService = new Map<string, Map<string, number>>();
  size = 0;

  ids(trace: Trace): Int32Array {
    const spans = trace.spans;
    const out = new Int32Array(spans.length);
    // Spans of a batch share their Resource object: remember the last service's map.
    let lastService: string | undefined;
    let names: Map<string, number> | undefined;
    for (let i = 0; i < spans.length; i++) {
      const s = spans[i];
      const service = s.resource.serviceName;
      if (service !== lastService || !names) {
        names = this.byService.get(service);
        if (!names) this.byService.set(service, (names = new Map()));
        lastService = service;
      }
      let id = names.get(s.name);
      if (id === undefined) names.set(s.name, (id = this.size++));
      out[i] = id;
    }
    return out;
  }
}

/** Span durations in ns (end - start, at least 0; 0 without a start timestamp). */
function durations(trace: Trace): Float64Array {
  const { startNs, endNs } = traceArrays(trace);
  const n = trace.spans.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = endNs[i] - startNs[i];
    out[i] = d > 0 ? d : 0; // NaN (no start) compares false
  }
  return out;
}

/**
 * 1 per span on the trace's critical path. Cached per trace (traces are immutable): the critical
 * path is most of a cold diff's time on 100k spans, and a view re-diffs the same pair (another
 * tolerance, the swapped pair) without paying it again.
 */
const criticalCache = new WeakMap<Trace, Uint8Array>();

function criticalFlags(trace: Trace): Uint8Array {
  let out = criticalCache.get(trace);
  if (out) return out;
  out = new Uint8Array(trace.spans.length);
  for (const seg of criticalPath(trace)) out[seg.spanIndex] = 1;
  criticalCache.set(trace, out);
  return out;
}

/** slower / faster / unchanged for a span present on both sides. */
export function classifySpanChange(baselineNs: number, candidateNs: number, tolerance: DiffTolerance): number {
  const delta = candidateNs - baselineNs;
  const abs = delta < 0 ? -delta : delta;
  // Strictly more than the threshold (a relative epsilon absorbs float noise at exactly 20%),
  // and at least the floor.
  if (abs > tolerance.threshold * baselineNs * (1 + 1e-9) && abs >= tolerance.minDeltaNs * (1 - 1e-9)) return delta > 0 ? CHANGE_SLOWER : CHANGE_FASTER;
  return CHANGE_UNCHANGED;
}

export function diffTraces(baseline: Trace, candidate: Trace, tolerance: DiffTolerance = DEFAULT_TOLERANCE): TraceDiff {
  const nb = baseline.spans.length;
  const nc = candidate.spans.length;
  const interner = new KeyInterner();
  const keyB = interner.ids(baseline);
  const keyC = interner.ids(candidate);
  const durB = durations(baseline);
  const durC = durations(candidate);
  const critB = criticalFlags(baseline);
  const critC = criticalFlags(candidate);
  const arrB = traceArrays(baseline);
  const arrC = traceArrays(candidate);

  // Scratch for sibling matching: head[key] = first unmatched candidate sibling with that key,
  // nextSame[c] = the next one after c; matchOf[c] = the baseline sibling c paired with (-1: added).
  const head = new Int32Array(interner.size).fill(-1);
  const nextSame = new Int32Array(nc);
  const matchOf = new Int32Array(nc);
  // Pairs of one parent in merged order, reused across parents.
  let pairB = new Int32Array(16);
  let pairC = new Int32Array(16);

  /**
   * Pairs baseline siblings bKids[bFrom..bTo) with candidate siblings cKids[cFrom..cTo) and leaves
   * the merged order in pairB/pairC: baseline order, each added candidate sibling placed right
   * after the baseline sibling matched to its nearest earlier candidate sibling (or first).
   */
  const matchSiblings = (bKids: ArrayLike<number>, bFrom: number, bTo: number, cKids: ArrayLike<number>, cFrom: number, cTo: number): number => {
    const total = bTo - bFrom + (cTo - cFrom);
    if (pairB.length < total) {
      pairB = new Int32Array(total * 2);
      pairC = new Int32Array(total * 2);
    }
    // Lists per key, in start order: push from the back.
    for (let k = cTo - 1; k >= cFrom; k--) {
      const c = cKids[k];
      const key = keyC[c];
      nextSame[c] = head[key];
      head[key] = c;
      matchOf[c] = -1;
    }
    // Each baseline sibling, in start order, takes the next unused candidate sibling with its key.
    const bCount = bTo - bFrom;
    const bMatched = bCount <= scratchMatched.length ? scratchMatched : (scratchMatched = new Int32Array(bCount * 2));
    for (let k = bFrom; k < bTo; k++) {
      const b = bKids[k];
      const key = keyB[b];
      const c = head[key];
      if (c >= 0) {
        head[key] = nextSame[c];
        matchOf[c] = k - bFrom;
        bMatched[k - bFrom] = c;
      } else bMatched[k - bFrom] = -1;
    }
    // Reset the heads we touched (only keys of this parent's candidate children).
    for (let k = cFrom; k < cTo; k++) head[keyC[cKids[k]]] = -1;

    let out = 0;
    let anchor = -1;
    // Most parents have no added child: then the merged order is the baseline's.
    let anyAdded = false;
    for (let k = cFrom; k < cTo; k++) if (matchOf[cKids[k]] < 0) { anyAdded = true; break; }
    if (!anyAdded) {
      for (let i = 0; i < bCount; i++) {
        pairB[out] = bKids[bFrom + i];
        pairC[out] = bMatched[i];
        out++;
      }
      return out;
    }
    // Each added candidate sibling's anchor: the baseline slot matched by its nearest earlier
    // candidate sibling (-1: none, it goes first); -2 marks matched candidates.
    const anchorOf = cTo - cFrom <= scratchAnchor.length ? scratchAnchor : (scratchAnchor = new Int32Array((cTo - cFrom) * 2));
    for (let k = cFrom; k < cTo; k++) {
      const c = cKids[k];
      const m = matchOf[c];
      if (m >= 0) anchor = m;
      anchorOf[k - cFrom] = m >= 0 ? -2 : anchor;
    }
    // Emit: added with anchor -1, then each baseline slot followed by the added siblings anchored
    // to it (candidate order kept within a slot): a counting sort by anchor.
    const cCount = cTo - cFrom;
    const bucketStart = bCount + 2 <= scratchBucket.length ? scratchBucket : (scratchBucket = new Int32Array((bCount + 2) * 2));
    bucketStart.fill(0, 0, bCount + 2);
    for (let k = 0; k < cCount; k++) if (anchorOf[k] !== -2) bucketStart[anchorOf[k] + 2]++;
    for (let i = 1; i < bCount + 2; i++) bucketStart[i] += bucketStart[i - 1];
    const ordered = cCount <= scratchOrdered.length ? scratchOrdered : (scratchOrdered = new Int32Array(cCount * 2));
    const fillAt = bucketStart.slice(0, bCount + 2);
    for (let k = 0; k < cCount; k++) {
      const a = anchorOf[k];
      if (a === -2) continue;
      ordered[fillAt[a + 1]++] = cKids[cFrom + k];
    }
    // Bucket a+1 holds the siblings anchored to slot a, in [bucketStart[a + 1], bucketStart[a + 2]).
    const emitBucket = (a: number) => {
      const from = bucketStart[a + 1];
      const to = bucketStart[a + 2];
      for (let j = from; j < to; j++) {
        pairB[out] = -1;
        pairC[out] = ordered[j];
        out++;
      }
    };
    emitBucket(-1);
    for (let i = 0; i < bCount; i++) {
      pairB[out] = bKids[bFrom + i];
      pairC[out] = bMatched[i];
      out++;
      emitBucket(i);
    }
    return out;
  };
  let scratchMatched = new Int32Array(16);
  let scratchAnchor = new Int32Array(16);
  let scratchBucket = new Int32Array(16);
  let scratchOrdered = new Int32Array(16);

  const cap = nb + nc;
  const depth = new Uint16Array(cap);
  const parentRow = new Int32Array(cap);
  const baselineSpan = new Int32Array(cap);
  const candidateSpan = new Int32Array(cap);
  const baselineDurationNs = new Float64Array(cap);
  const candidateDurationNs = new Float64Array(cap);
  const change = new Uint8Array(cap);
  const onBCrit = new Uint8Array(cap);
  const onCCrit = new Uint8Array(cap);

  // Depth-first stack of (baseline span, candidate span, parent row), pushed in reverse merged order.
  let stackB = new Int32Array(64);
  let stackC = new Int32Array(64);
  let stackP = new Int32Array(64);
  let sp = 0;
  const push = (b: number, c: number, p: number) => {
    if (sp === stackB.length) {
      const grow = (a: Int32Array) => {
        const g = new Int32Array(a.length * 2);
        g.set(a);
        return g;
      };
      stackB = grow(stackB);
      stackC = grow(stackC);
      stackP = grow(stackP);
    }
    stackB[sp] = b;
    stackC[sp] = c;
    stackP[sp] = p;
    sp++;
  };
  const pushPairs = (count: number, parent: number) => {
    for (let i = count - 1; i >= 0; i--) push(pairB[i], pairC[i], parent);
  };

  const rootsB = baseline.roots;
  const rootsC = candidate.roots;
  pushPairs(matchSiblings(rootsB, 0, rootsB.length, rootsC, 0, rootsC.length), -1);

  const EMPTY = new Int32Array(0);
  const counts = [0, 0, 0, 0, 0];
  let rows = 0;
  while (sp > 0) {
    sp--;
    const b = stackB[sp];
    const c = stackC[sp];
    const p = stackP[sp];
    const r = rows++;
    parentRow[r] = p;
    depth[r] = p < 0 ? 0 : Math.min(65535, depth[p] + 1);
    baselineSpan[r] = b;
    candidateSpan[r] = c;
    const db = b >= 0 ? durB[b] : NaN;
    const dc = c >= 0 ? durC[c] : NaN;
    baselineDurationNs[r] = db;
    candidateDurationNs[r] = dc;
    const ch = b < 0 ? CHANGE_ADDED : c < 0 ? CHANGE_REMOVED : classifySpanChange(db, dc, tolerance);
    change[r] = ch;
    counts[ch]++;
    if (b >= 0) onBCrit[r] = critB[b];
    if (c >= 0) onCCrit[r] = critC[c];
    const n = matchSiblings(
      b >= 0 ? arrB.childList : EMPTY,
      b >= 0 ? arrB.childStart[b] : 0,
      b >= 0 ? arrB.childStart[b + 1] : 0,
      c >= 0 ? arrC.childList : EMPTY,
      c >= 0 ? arrC.childStart[c] : 0,
      c >= 0 ? arrC.childStart[c + 1] : 0,
    );
    if (n) pushPairs(n, r);
  }

  // Badges and subtree sizes, children before parents (reverse preorder).
  const subtreeSize = new Uint32Array(rows);
  const changedDescendants = new Uint32Array(rows);
  for (let r = rows - 1; r > 0; r--) {
    const p = parentRow[r];
    if (p < 0) continue;
    subtreeSize[p] += subtreeSize[r] + 1;
    changedDescendants[p] += changedDescendants[r] + (change[r] !== CHANGE_UNCHANGED ? 1 : 0);
  }

  const byKind = {} as Record<SpanChange, number>;
  SPAN_CHANGES.forEach((k, i) => (byKind[k] = counts[i]));
  return {
    rowCount: rows,
    depth: depth.slice(0, rows),
    parentRow: parentRow.slice(0, rows),
    subtreeSize,
    baselineSpan: baselineSpan.slice(0, rows),
    candidateSpan: candidateSpan.slice(0, rows),
    baselineDurationNs: baselineDurationNs.slice(0, rows),
    candidateDurationNs: candidateDurationNs.slice(0, rows),
    change: change.slice(0, rows),
    changedDescendants,
    onBaselineCriticalPath: onBCrit.slice(0, rows),
    onCandidateCriticalPath: onCCrit.slice(0, rows),
    counts: byKind,
    baselineTraceNs: baseline.durationNs,
    candidateTraceNs: candidate.durationNs,
    tolerance,
  };
}
