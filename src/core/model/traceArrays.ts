// Flat per-trace arrays for the layout, critical path, self time and statistics maths, computed once
// per trace and cached. On 100k-span traces those passes were dominated by memory access, not maths:
// subtracting heap-allocated bigints of spans scattered in memory, and walking 100k small child
// arrays. Typed arrays indexed by span make each pass several times faster.
import type { Trace } from './model';

export interface TraceArrays {
  /** Start of each span (by span index) relative to trace.startTimeUnixNano, ns. NaN: no start timestamp. */
  readonly startNs: Float64Array;
  /** End of each span relative to trace.startTimeUnixNano, ns, as given (may be before the start). NaN: no start timestamp. */
  readonly endNs: Float64Array;
  /** trace.children flattened: the children of span i are childList[childStart[i] .. childStart[i+1]), by start time. */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
}

const cache = new WeakMap<Trace, TraceArrays>();

export function traceArrays(trace: Trace): TraceArrays {
  let arrays = cache.get(trace);
  if (arrays) return arrays;
  const n = trace.spans.length;
  const startNs = new Float64Array(n);
  const endNs = new Float64Array(n);
  const t0 = trace.startTimeUnixNano;
  for (let i = 0; i < n; i++) {
    const s = trace.spans[i];
    // A start of 0 is a missing timestamp; an offset from it would be ~55 years.
    if (s.startTimeUnixNano <= 0n) {
      startNs[i] = NaN;
      endNs[i] = NaN;
    } else {
      startNs[i] = Number(s.startTimeUnixNano - t0);
      endNs[i] = Number(s.endTimeUnixNano - t0);
    }
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i] + trace.children[i].length;
  const childList = new Int32Array(childStart[n]);
  for (let i = 0; i < n; i++) {
    const kids = trace.children[i];
    for (let k = 0, at = childStart[i]; k < kids.length; k++) childList[at + k] = kids[k];
  }
  arrays = { startNs, endNs, childStart, childList };
  cache.set(trace, arrays);
  return arrays;
}
