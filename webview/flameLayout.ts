// The flame graph's maths, kept free of the DOM so unit tests run it in Node: the time window and
// its zoom/pan, which bars of the WaterfallDto are worth drawing at the current scale (culling and
// merging of sub-pixel bars), hit testing, and a span's self time. The layout itself (depth-first
// rows, depth, start, duration) is the host's; nothing here recomputes it.
import type { WaterfallDto } from '../src/shared/protocol';

export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/** Narrowest window the zoom goes to: below this, the ns integer grid is all there is to see. */
export const MIN_VIEW_NS = 100;
/** Bars narrower than this are not drawn on their own: they merge into a run, or their parent covers them. */
export const MIN_BAR_PX = 0.5;
/** Narrow bars closer than this (px) join one run, so a wide fan-out of tiny spans still shows as a block. */
export const MERGE_GAP_PX = 1;

/** The whole trace, as the waterfall sees it: every row's extent, at least [0, durationNs]. */
export function fullRange(dto: WaterfallDto, count = dto.rowCount): TimeRange {
  let lo = 0;
  let hi = dto.durationNs > 0 ? dto.durationNs : 0;
  for (let r = 0; r < count; r++) {
    const s = dto.startNs[r];
    const e = s + Math.max(0, dto.durationNsByRow[r]);
    if (s < lo) lo = s;
    if (e > hi) hi = e;
  }
  return { start: lo, end: hi > lo ? hi : lo + 1 };
}

/** Keeps a window inside the trace and at least MIN_VIEW_NS wide (or the whole trace, if shorter). */
export function clampRange(view: TimeRange, full: TimeRange): TimeRange {
  const fullW = full.end - full.start;
  let w = view.end - view.start;
  if (!(w > 0) || !Number.isFinite(w)) w = fullW;
  w = Math.min(fullW, Math.max(Math.min(MIN_VIEW_NS, fullW), w));
  let s = Number.isFinite(view.start) ? view.start : full.start;
  if (s < full.start) s = full.start;
  if (s + w > full.end) s = full.end - w;
  return { start: s, end: s + w };
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping the time under `anchorFrac` (0 = left edge, 1 = right)
 * where it is on screen: the wheel zooms around the cursor.
 */
export function zoomAround(view: TimeRange, full: TimeRange, factor: number, anchorFrac: number): TimeRange {
  const a = Math.min(1, Math.max(0, Number.isFinite(anchorFrac) ? anchorFrac : 0.5));
  const w = view.end - view.start;
  const anchorNs = view.start + a * w;
  const fullW = full.end - full.start;
  const nw = Math.min(fullW, Math.max(Math.min(MIN_VIEW_NS, fullW), w * factor));
  return clampRange({ start: anchorNs - a * nw, end: anchorNs - a * nw + nw }, full);
}

/** Moves the window by `deltaNs` (positive: later), stopping at the trace's edges. */
export function panBy(view: TimeRange, full: TimeRange, deltaNs: number): TimeRange {
  return clampRange({ start: view.start + deltaNs, end: view.end + deltaNs }, full);
}

/** True when the window shows the whole trace. */
export function isFull(view: TimeRange, full: TimeRange): boolean {
  return view.start <= full.start && view.end >= full.end;
}

/**
 * The bars to draw, in CSS pixels. Reused between frames (grown, never shrunk) so that panning
 * allocates nothing. `row` is the first row of the bar; `spans` > 1 marks a run of merged narrow bars.
 */
export class BarList {
  count = 0;
  row = new Int32Array(256);
  depth = new Uint16Array(256);
  x = new Float64Array(256);
  w = new Float64Array(256);
  spans = new Int32Array(256);

  clear(): void {
    this.count = 0;
  }

  push(row: number, depth: number, x: number, w: number, spans: number): void {
    if (this.count === this.row.length) this.grow();
    const i = this.count++;
    this.row[i] = row;
    this.depth[i] = depth;
    this.x[i] = x;
    this.w[i] = w;
    this.spans[i] = spans;
  }

  private grow(): void {
    const n = this.row.length * 2;
    const g = <T extends Int32Array | Uint16Array | Float64Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.row = g(this.row, new Int32Array(n));
    this.depth = g(this.depth, new Uint16Array(n));
    this.x = g(this.x, new Float64Array(n));
    this.w = g(this.w, new Float64Array(n));
    this.spans = g(this.spans, new Int32Array(n));
  }
}

export interface BarWindow {
  readonly view: TimeRange;
  /** Drawing width in CSS px. */
  readonly widthPx: number;
  /** Depths shown (inclusive), from the vertical scroll position. */
  readonly firstDepth: number;
  readonly lastDepth: number;
}

/**
 * Fills `out` with the bars visible in `win`, one linear pass over the rows in their depth-first
 * order. Subtrees below the window's last depth are skipped; so are the descendants of a bar
 * narrower than MIN_BAR_PX (a child lies inside its parent, so it would be narrower still). Such
 * narrow bars that touch each other at one depth become one run; a lone one is left to its parent.
 * Last, bars wholly hidden under later bars of their level are dropped (see cullHidden).
 * Bars are clipped to a pixel beyond the canvas so huge zooms keep coordinates small.
 */
export function layoutBars(dto: WaterfallDto, count: number, win: BarWindow, out: BarList): BarList {
  out.clear();
  const { view, widthPx, firstDepth, lastDepth } = win;
  const span = view.end - view.start;
  if (!(span > 0) || !(widthPx > 0) || lastDepth < firstDepth) return out;
  const scale = widthPx / span;
  const levels = lastDepth - firstDepth + 1;
  // The open run per visible depth: start/end px, first row, member count (0: none).
  const runX0 = new Float64Array(levels);
  const runX1 = new Float64Array(levels);
  const runRow = new Int32Array(levels);
  const runN = new Int32Array(levels);
  const flush = (k: number) => {
    if (runN[k] > 0 && runX1[k] - runX0[k] >= MIN_BAR_PX) out.push(runRow[k], k + firstDepth, runX0[k], runX1[k] - runX0[k], runN[k]);
    runN[k] = 0;
  };
  const { depth, startNs, durationNsByRow, subtreeEnd } = dto;
  for (let r = 0; r < count; ) {
    const d = depth[r];
    const end = subtreeEnd[r] > r && subtreeEnd[r] <= count ? subtreeEnd[r] : r + 1;
    if (d > lastDepth) {
      r = end;
      continue;
    }
    const dur = durationNsByRow[r] > 0 ? durationNsByRow[r] : 0;
    const x0 = (startNs[r] - view.start) * scale;
    const x1 = x0 + dur * scale;
    if (x1 < 0 || x0 > widthPx) {
      // Off screen: not drawn, but a clock-skewed child may still be on screen, so walk on.
      r++;
      continue;
    }
    const shown = d >= firstDepth;
    const k = d - firstDepth;
    if (x1 - x0 < MIN_BAR_PX) {
      if (shown) {
        if (runN[k] > 0 && x0 <= runX1[k] + MERGE_GAP_PX && x1 >= runX0[k] - MERGE_GAP_PX) {
          if (x0 < runX0[k]) runX0[k] = x0;
          if (x1 > runX1[k]) runX1[k] = x1;
          runN[k]++;
        } else {
          flush(k);
          runX0[k] = x0;
          runX1[k] = x1;
          runRow[k] = r;
          runN[k] = 1;
        }
      }
      r = end;
      continue;
    }
    if (shown) {
      const cx0 = x0 < -1 ? -1 : x0;
      const cx1 = x1 > widthPx + 1 ? widthPx + 1 : x1;
      flush(k);
      out.push(r, d, cx0, cx1 - cx0, 1);
    }
    r++;
  }
  for (let k = 0; k < levels; k++) flush(k);
  cullHidden(out, firstDepth, levels, widthPx);
  return out;
}

/**
 * Drops the bars that later bars of the same level (drawn on top of them) cover wholly, keeping the
 * order of the rest. Concurrent siblings overlap at one level: a dense 100k-span trace has tens of
 * thousands of bars on a 1280 px canvas, most of them invisible, and each costs a canvas call.
 * Walks back to front with a "first uncovered column" union-find per level, so the whole pass is
 * linear in the bars plus the columns.
 */
export function cullHidden(out: BarList, firstDepth: number, levels: number, widthPx: number): void {
  const cols = Math.max(1, Math.ceil(widthPx));
  const stride = cols + 1;
  // next[base + c]: c when column c is uncovered, else a column further right (path-compressed).
  const next = new Int32Array(levels * stride);
  for (let k = 0; k < levels; k++) for (let c = 0; c <= cols; c++) next[k * stride + c] = c;
  const find = (base: number, c: number): number => {
    let x = c;
    while (next[base + x] !== x) {
      next[base + x] = next[base + next[base + x]];
      x = next[base + x];
    }
    return x;
  };
  const keep = new Uint8Array(out.count);
  for (let i = out.count - 1; i >= 0; i--) {
    const k = out.depth[i] - firstDepth;
    if (k < 0 || k >= levels) {
      keep[i] = 1;
      continue;
    }
    const base = k * stride;
    const x0 = out.x[i];
    const x1 = x0 + out.w[i];
    // Columns it touches: hidden when none of them is still uncovered.
    const t0 = Math.min(cols - 1, Math.max(0, Math.floor(x0)));
    const t1 = Math.min(cols - 1, Math.max(t0, Math.ceil(x1) - 1));
    if (find(base, t0) > t1) continue;
    keep[i] = 1;
    // Columns it covers wholly now count as covered for the bars under it.
    const f1 = Math.min(cols, Math.floor(x1));
    for (let u = find(base, Math.max(0, Math.ceil(x0))); u < f1; u = find(base, u + 1)) next[base + u] = u + 1;
  }
  let j = 0;
  for (let i = 0; i < out.count; i++) {
    if (!keep[i]) continue;
    if (j !== i) {
      out.row[j] = out.row[i];
      out.depth[j] = out.depth[i];
      out.x[j] = out.x[i];
      out.w[j] = out.w[i];
      out.spans[j] = out.spans[i];
    }
    j++;
  }
  out.count = j;
}

/** Index into `bars` of the bar at (x px, depth), or -1. Thin bars get a pixel of slack; later bars win. */
export function hitTest(bars: BarList, x: number, depth: number): number {
  for (let i = bars.count - 1; i >= 0; i--) {
    if (bars.depth[i] !== depth) continue;
    const bx = bars.x[i];
    const bw = Math.max(1, bars.w[i]);
    if (x >= bx - 0.5 && x <= bx + bw + 0.5) return i;
  }
  return -1;
}

/** The depth level under y (CSS px from the canvas top), or -1 above the first level. */
export function depthAtY(y: number, headerPx: number, rowPx: number, scrollTopPx: number): number {
  const v = y - headerPx + scrollTopPx;
  return v < 0 ? -1 : Math.floor(v / rowPx);
}

/**
 * Duration of row r not covered by its direct children (clipped to r, overlaps counted once): the
 * same definition as SpanDetailDto.selfTimeNs, from the DTO's columns alone.
 */
export function selfTimeNs(dto: WaterfallDto, count: number, r: number): number {
  if (r < 0 || r >= count) return 0;
  const s = dto.startNs[r];
  const dur = Math.max(0, dto.durationNsByRow[r]);
  const e = s + dur;
  const end = dto.subtreeEnd[r] > r && dto.subtreeEnd[r] <= count ? dto.subtreeEnd[r] : r + 1;
  const kids: [number, number][] = [];
  for (let c = r + 1; c < end; ) {
    const cs = Math.max(s, dto.startNs[c]);
    const ce = Math.min(e, dto.startNs[c] + Math.max(0, dto.durationNsByRow[c]));
    if (ce > cs) kids.push([cs, ce]);
    const ce2 = dto.subtreeEnd[c];
    c = ce2 > c && ce2 <= end ? ce2 : c + 1;
  }
  kids.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let curS = 0;
  let curE = -Infinity;
  for (const [cs, ce] of kids) {
    if (cs > curE) {
      if (curE > curS) covered += curE - curS;
      curS = cs;
      curE = ce;
    } else if (ce > curE) curE = ce;
  }
  if (curE > curS) covered += curE - curS;
  return Math.max(0, dur - covered);
}

/** Dark or light text for a bar of colour `hex` (#rgb or #rrggbb), by relative luminance. */
export function textColorFor(hex: string, dark = '#1e1e1e', light = '#ffffff'): string {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return dark;
  const h = m[1].length === 3 ? m[1].replace(/./g, (c) => c + c) : m[1];
  const lin = (i: number) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  const lum = 0.2126 * lin(0) + 0.7152 * lin(2) + 0.0722 * lin(4);
  // Contrast against black vs white: pick the larger.
  return (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? dark : light;
}

/** `text` cut to fit `maxChars` with an ellipsis, or '' when not even two characters fit. */
export function fitLabel(text: string, maxChars: number): string {
  if (maxChars < 2) return '';
  if (text.length <= maxChars) return text;
  return text.slice(0, maxChars - 1) + '…';
}
