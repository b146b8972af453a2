// The flame graph's pure maths (webview/flameLayout.ts): the zoom window, which bars get drawn at a
// scale (culling, merging of sub-pixel bars, depth window), hit testing and self time. The canvas
// itself is checked in the real VS Code by test/harness/ui-flame-checks.js.
import * as assert from 'assert';
import type { WaterfallDto } from '../../src/shared/protocol';
import {
  BarList,
  clampRange,
  depthAtY,
  fitLabel,
  fullRange,
  hitTest,
  isFull,
  layoutBars,
  MIN_VIEW_NS,
  panBy,
  selfTimeNs,
  textColorFor,
  zoomAround,
} from '../../webview/flameLayout';

/** Rows in depth-first order; `spec` is [depth, start, duration] per row. subtreeEnd is derived. */
function dto(spec: [number, number, number][], durationNs = 100): WaterfallDto {
  const n = spec.length;
  const depth = Uint16Array.from(spec.map((s) => s[0]));
  const subtreeEnd = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let e = r + 1;
    while (e < n && depth[e] > depth[r]) e++;
    subtreeEnd[r] = e;
  }
  return {
    traceIndex: 0,
    traceId: 'ab'.repeat(16),
    startTimeUnixNano: '1700000000000000000',
    durationNs,
    services: ['api'],
    rowCount: n,
    spanIndex: Int32Array.from(spec.map((_, i) => i)),
    depth,
    startNs: Float64Array.from(spec.map((s) => s[1])),
    durationNsByRow: Float64Array.from(spec.map((s) => s[2])),
    subtreeEnd,
    service: new Uint16Array(n),
    flags: new Uint8Array(n),
    nameTable: ['x'],
    nameIndex: new Uint32Array(n),
    eventRow: new Int32Array(0),
    eventNs: new Float64Array(0),
    criticalRow: new Int32Array(0),
    criticalStartNs: new Float64Array(0),
    criticalEndNs: new Float64Array(0),
    warnings: [],
  };
}

const bars = (b: BarList) =>
  Array.from({ length: b.count }, (_, i) => ({ row: b.row[i], depth: b.depth[i], x: Math.round(b.x[i] * 100) / 100, w: Math.round(b.w[i] * 100) / 100, spans: b.spans[i] }));

describe('flame graph: zoom window', () => {
  const full = { start: 0, end: 1000 };

  it('zooms around the anchor: the time under the cursor stays where it is', () => {
    const v = zoomAround(full, full, 0.5, 0.25);
    assert.deepStrictEqual(v, { start: 125, end: 625 });
    // 250 ns was a quarter in before and is a quarter in after.
    assert.strictEqual((250 - v.start) / (v.end - v.start), 0.25);
    const back = zoomAround(v, full, 2, 0.25);
    assert.deepStrictEqual(back, full);
  });

  it('never zooms out past the trace, nor in below MIN_VIEW_NS', () => {
    assert.deepStrictEqual(zoomAround({ start: 100, end: 200 }, full, 100, 0.5), full);
    const deep = zoomAround(full, full, 1e-9, 0.5);
    assert.strictEqual(deep.end - deep.start, MIN_VIEW_NS);
    assert.ok(deep.start >= 0 && deep.end <= 1000);
    // A trace shorter than MIN_VIEW_NS shows whole.
    assert.deepStrictEqual(zoomAround({ start: 0, end: 10 }, { start: 0, end: 10 }, 0.1, 0.5), { start: 0, end: 10 });
  });

  it('pans and stops at the edges, keeping the width', () => {
    assert.deepStrictEqual(panBy({ start: 100, end: 300 }, full, 50), { start: 150, end: 350 });
    assert.deepStrictEqual(panBy({ start: 100, end: 300 }, full, -500), { start: 0, end: 200 });
    assert.deepStrictEqual(panBy({ start: 100, end: 300 }, full, 5000), { start: 800, end: 1000 });
  });

  it('clamps restored or odd windows into the trace', () => {
    assert.deepStrictEqual(clampRange({ start: -50, end: 100 }, full), { start: 0, end: 150 });
    assert.deepStrictEqual(clampRange({ start: NaN, end: NaN }, full), full);
    assert.deepStrictEqual(clampRange({ start: 900, end: 1200 }, full), { start: 700, end: 1000 });
    assert.ok(isFull(full, full));
    assert.ok(!isFull({ start: 0, end: 999 }, full));
  });

  it('takes the full range from every row, including clock-skewed ones', () => {
    assert.deepStrictEqual(fullRange(dto([[0, 0, 100], [1, -20, 10], [1, 90, 40]])), { start: -20, end: 130 });
  });
});

describe('flame graph: which bars are drawn', () => {
  //   row 0 root [0,100)        depth 0
  //   row 1   a  [0, 50)        depth 1
  //   row 2     a1 [0, 25)      depth 2
  //   row 3   b  [60, 100)      depth 1
  const t = dto([[0, 0, 100], [1, 0, 50], [2, 0, 25], [1, 60, 40]]);

  it('maps start to x and duration to width, every depth in the window', () => {
    const out = layoutBars(t, t.rowCount, { view: { start: 0, end: 100 }, widthPx: 1000, firstDepth: 0, lastDepth: 10 }, new BarList());
    assert.deepStrictEqual(bars(out), [
      { row: 0, depth: 0, x: 0, w: 1000, spans: 1 },
      { row: 1, depth: 1, x: 0, w: 500, spans: 1 },
      { row: 2, depth: 2, x: 0, w: 250, spans: 1 },
      { row: 3, depth: 1, x: 600, w: 400, spans: 1 },
    ]);
  });

  it('zoomed: clips to a pixel beyond the canvas and leaves out bars off screen', () => {
    const out = layoutBars(t, t.rowCount, { view: { start: 60, end: 80 }, widthPx: 200, firstDepth: 0, lastDepth: 10 }, new BarList());
    assert.deepStrictEqual(bars(out), [
      { row: 0, depth: 0, x: -1, w: 202, spans: 1 },
      { row: 3, depth: 1, x: 0, w: 201, spans: 1 },
    ]);
  });

  it('draws only the depths in the vertical window, and skips subtrees below it', () => {
    const out = layoutBars(t, t.rowCount, { view: { start: 0, end: 100 }, widthPx: 1000, firstDepth: 1, lastDepth: 1 }, new BarList());
    assert.deepStrictEqual(bars(out).map((b) => b.row), [1, 3]);
  });

  it('culls a lone sub-pixel bar (its parent covers it) and skips its descendants', () => {
    const tiny = dto([[0, 0, 1000], [1, 500, 0.1], [2, 500, 0.05], [1, 700, 300]], 1000);
    const out = layoutBars(tiny, tiny.rowCount, { view: { start: 0, end: 1000 }, widthPx: 1000, firstDepth: 0, lastDepth: 10 }, new BarList());
    assert.deepStrictEqual(bars(out).map((b) => b.row), [0, 3]);
  });

  it('merges touching sub-pixel siblings into one run, so a wide fan-out still shows', () => {
    // 400 children of 0.25 ns each, one every 1 ns from 100 ns: at 1 px/ns each is 0.25 px wide.
    const spec: [number, number, number][] = [[0, 0, 1000]];
    for (let i = 0; i < 400; i++) spec.push([1, 100 + i, 0.25]);
    spec.push([1, 800, 100]);
    const fan = dto(spec, 1000);
    const out = layoutBars(fan, fan.rowCount, { view: { start: 0, end: 1000 }, widthPx: 1000, firstDepth: 0, lastDepth: 10 }, new BarList());
    assert.deepStrictEqual(bars(out), [
      { row: 0, depth: 0, x: 0, w: 1000, spans: 1 },
      { row: 1, depth: 1, x: 100, w: 399.25, spans: 400 },
      { row: 401, depth: 1, x: 800, w: 100, spans: 1 },
    ]);
    // Zoomed in 10×, every child is 2.5 px: drawn one by one.
    const zoomed = layoutBars(fan, fan.rowCount, { view: { start: 100, end: 200 }, widthPx: 1000, firstDepth: 0, lastDepth: 10 }, new BarList());
    assert.strictEqual(bars(zoomed).filter((b) => b.depth === 1 && b.spans === 1).length, 101); // 100…200 ns inclusive
  });

  it('drops bars wholly hidden under later bars of their level, keeps those drawn on top', () => {
    //   root, then at level 1: a [10,20) hidden by the later b [0,50); c [30,32) lies on b but is
    //   drawn after it, so it shows; d [60,70) partly under e [65,90) still shows its left part.
    const t = dto([[0, 0, 100], [1, 10, 10], [1, 0, 50], [1, 30, 2], [1, 60, 10], [1, 65, 25]]);
    const out = layoutBars(t, t.rowCount, { view: { start: 0, end: 100 }, widthPx: 100, firstDepth: 0, lastDepth: 3 }, new BarList());
    assert.deepStrictEqual(bars(out).map((b) => b.row), [0, 2, 3, 4, 5]);
    // A hidden bar's children are still drawn at their own level.
    const kids = dto([[0, 0, 100], [1, 10, 10], [2, 12, 5], [1, 0, 50]]);
    const out2 = layoutBars(kids, kids.rowCount, { view: { start: 0, end: 100 }, widthPx: 100, firstDepth: 0, lastDepth: 3 }, new BarList());
    assert.deepStrictEqual(bars(out2).map((b) => b.row), [0, 2, 3]);
  });

  it('stays fast and bounded at 100k spans: at most a few bars per pixel column and level', () => {
    const n = 100_000;
    const spec: [number, number, number][] = [[0, 0, 1e9]];
    for (let i = 1; i < n; i++) spec.push([1 + (i % 8), (i / n) * 1e9, 1e9 / n / 2]);
    const big = dto(spec, 1e9);
    const out = new BarList();
    const t0 = performance.now();
    layoutBars(big, big.rowCount, { view: { start: 0, end: 1e9 }, widthPx: 1200, firstDepth: 0, lastDepth: 40 }, out);
    const ms = performance.now() - t0;
    assert.ok(out.count <= 1200 * 10, `${out.count} bars for a 1200 px canvas`);
    assert.ok(ms < 200, `layout took ${ms.toFixed(1)} ms`);
  });

  it('reuses its buffers and grows them past 256 bars', () => {
    const spec: [number, number, number][] = [[0, 0, 1000]];
    for (let i = 0; i < 500; i++) spec.push([1, i * 2, 1.5]);
    const d = dto(spec, 1000);
    const list = new BarList();
    layoutBars(d, d.rowCount, { view: { start: 0, end: 1000 }, widthPx: 1000, firstDepth: 0, lastDepth: 5 }, list);
    assert.strictEqual(list.count, 501);
    layoutBars(d, d.rowCount, { view: { start: 0, end: 9 }, widthPx: 1000, firstDepth: 0, lastDepth: 5 }, list);
    assert.strictEqual(list.count, 1 + 5);
  });
});

describe('flame graph: hit testing', () => {
  const t = dto([[0, 0, 100], [1, 0, 50], [1, 60, 0.4]]);
  const list = layoutBars(t, t.rowCount, { view: { start: 0, end: 100 }, widthPx: 1000, firstDepth: 0, lastDepth: 5 }, new BarList());

  it('finds the bar under a point at a depth', () => {
    assert.strictEqual(list.row[hitTest(list, 10, 0)], 0);
    assert.strictEqual(list.row[hitTest(list, 499, 1)], 1);
    assert.strictEqual(hitTest(list, 700, 1), -1, 'no bar there');
    assert.strictEqual(hitTest(list, 10, 2), -1, 'no level 2');
  });

  it('gives thin bars a pixel of slack', () => {
    assert.strictEqual(list.row[hitTest(list, 600.8, 1)], 2);
  });

  it('turns y into a level below the axis band, with the scroll offset', () => {
    assert.strictEqual(depthAtY(5, 20, 20, 0), -1);
    assert.strictEqual(depthAtY(20, 20, 20, 0), 0);
    assert.strictEqual(depthAtY(59, 20, 20, 0), 1);
    assert.strictEqual(depthAtY(20, 20, 20, 100), 5);
  });
});

describe('flame graph: tooltip figures', () => {
  it('self time: duration minus the union of the direct children, clipped to the span', () => {
    //   root [0,100): children [10,30), [20,50) overlap → 40 covered; grandchild not counted again; child [90,120) clipped to 10.
    const t = dto([[0, 0, 100], [1, 10, 20], [2, 12, 5], [1, 20, 30], [1, 90, 30]]);
    assert.strictEqual(selfTimeNs(t, t.rowCount, 0), 100 - 40 - 10);
    assert.strictEqual(selfTimeNs(t, t.rowCount, 1), 15);
    assert.strictEqual(selfTimeNs(t, t.rowCount, 2), 5);
    assert.strictEqual(selfTimeNs(t, t.rowCount, 99), 0);
  });

  it('picks the more readable text colour for a bar colour', () => {
    assert.strictEqual(textColorFor('#4fa3f7'), '#1e1e1e'); // light blue (dark theme palette)
    assert.strictEqual(textColorFor('#1f6fc5'), '#ffffff'); // dark blue (light theme palette)
    assert.strictEqual(textColorFor('#fff'), '#1e1e1e');
    assert.strictEqual(textColorFor('rgb(1,2,3)'), '#1e1e1e', 'unknown syntax: the default');
  });

  it('cuts labels to fit with an ellipsis', () => {
    assert.strictEqual(fitLabel('checkout', 20), 'checkout');
    assert.strictEqual(fitLabel('checkout', 5), 'chec…');
    assert.strictEqual(fitLabel('checkout', 1), '');
  });
});
