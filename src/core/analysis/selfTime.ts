// Self time: a span's duration minus the union of the time its children cover.
import type { Trace } from '../model/model';
import { traceArrays } from '../model/traceArrays';

/**
 * Duration minus the time covered by children, clipped to the span. Children may overlap each other
 * (async fan-out), so it is the union of their intervals that is subtracted, never their sum.
 */
export function selfTimeNs(trace: Trace, spanIndex: number): number {
  const { startNs, endNs, childStart, childList } = traceArrays(trace);
  const start = startNs[spanIndex];
  const end = endNs[spanIndex];
  if (!(end > start)) return 0; // no duration, or no start timestamp (NaN)
  let covered = 0;
  let cursor = start; // end of the union so far
  // Children are sorted by start, and clipping keeps that order, so one sweep merges the intervals.
  for (let k = childStart[spanIndex]; k < childStart[spanIndex + 1]; k++) {
    const c = childList[k];
    let a = startNs[c];
    let b = endNs[c];
    if (Number.isNaN(a)) continue;
    if (a < cursor) a = cursor;
    if (b > end) b = end;
    if (b <= a) continue;
    covered += b - a;
    cursor = b;
  }
  return end - start - covered;
}
