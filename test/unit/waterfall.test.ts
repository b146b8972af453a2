import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { importTraceFile } from '../../src/core/importers/importFile';
import { buildWaterfall, hiddenRanges, MAX_DEPTH, traceSummaries } from '../../src/core/view/waterfall';
import { RowFlag, type WaterfallDto } from '../../src/shared/protocol';
import { CORPUS, HAS_CORPUS, readBytes } from '../support/paths';
import { chain, file, span, T0, trace } from '../support/spanFactory';

const rowName = (wf: WaterfallDto, r: number) => wf.nameTable[wf.nameIndex[r]];
const rowNames = (wf: WaterfallDto) => Array.from(wf.spanIndex, (_i, r) => rowName(wf, r));

/**
 *  root [0,100]            depth 0
 *    b  [5,30]  (earlier start, listed second in the input)
 *    a  [10,50]
 *      a1 [12,20]
 *      a2 [20,60] (overflows a)
 *  o  [90,120] orphan (parent not in the trace): an extra root after the true one
 */
function sample() {
  return trace([
    span({ id: 'root', start: 0, end: 100, service: 'front', attrs: [{ key: 'http.method', value: 'GET' }] }),
    span({ id: 'a', parent: 'root', start: 10, end: 50, service: 'api', events: [{ name: 'cache miss', at: 15 }, { name: 'retry', at: 30 }] }),
    span({ id: 'b', parent: 'root', start: 5, end: 30, service: 'db', error: true }),
    span({ id: 'a2', parent: 'a', start: 20, end: 60, service: 'api' }),
    span({ id: 'a1', parent: 'a', start: 12, end: 20, service: 'api' }),
    span({ id: 'o', parent: 'gone', start: 90, end: 120, service: 'api' }),
  ]);
}

describe('waterfall: layout', () => {
  const t = sample();
  const wf = buildWaterfall(t, 3);

  it('lists spans depth-first, children by start time, orphans after the true root', () => {
    assert.deepStrictEqual(rowNames(wf), ['root', 'b', 'a', 'a1', 'a2', 'o']);
    assert.deepStrictEqual(Array.from(wf.depth), [0, 1, 1, 2, 2, 0]);
    assert.deepStrictEqual(Array.from(wf.spanIndex, (i) => t.spans[i].spanId), ['root', 'b', 'a', 'a1', 'a2', 'o']);
    assert.strictEqual(wf.rowCount, 6);
    assert.strictEqual(wf.traceIndex, 3);
    assert.strictEqual(wf.traceId, 'aaaa');
  });

  it('gives start offsets and durations relative to the trace start', () => {
    assert.deepStrictEqual(Array.from(wf.startNs), [0, 5, 10, 12, 20, 90]);
    assert.deepStrictEqual(Array.from(wf.durationNsByRow), [100, 25, 40, 8, 40, 30]);
    assert.strictEqual(wf.startTimeUnixNano, T0.toString());
    assert.strictEqual(wf.durationNs, 120);
  });

  it('marks where each subtree ends', () => {
    assert.deepStrictEqual(Array.from(wf.subtreeEnd), [5, 2, 5, 4, 5, 6]);
  });

  it('maps each row to its service', () => {
    assert.deepStrictEqual(wf.services, ['api', 'db', 'front']);
    assert.deepStrictEqual(Array.from(wf.service, (s) => wf.services[s]), ['front', 'db', 'api', 'api', 'api', 'api']);
  });

  it('sets error, events, children, issue and critical-path flags', () => {
    const has = (name: string, flag: number) => (wf.flags[rowNames(wf).indexOf(name)] & flag) !== 0;
    assert.deepStrictEqual(rowNames(wf).filter((n) => has(n, RowFlag.Error)), ['b']);
    assert.deepStrictEqual(rowNames(wf).filter((n) => has(n, RowFlag.HasEvents)), ['a']);
    assert.deepStrictEqual(rowNames(wf).filter((n) => has(n, RowFlag.HasChildren)), ['root', 'a']);
    // a2 ends after its parent (clock skew); o is an orphan.
    assert.deepStrictEqual(rowNames(wf).filter((n) => has(n, RowFlag.Issue)), ['a2', 'o']);
    // a2 (clipped to a) finishes last in a; a1 ends exactly when a2 starts, so it is not waited for.
    // The orphan o is a root of its own, with its own path.
    assert.deepStrictEqual(rowNames(wf).filter((n) => has(n, RowFlag.CriticalPath)), ['root', 'a', 'a2', 'o']);
  });

  it('lists critical path segments by row, chronologically', () => {
    const segs = Array.from(wf.criticalRow, (r, k) => [rowName(wf, r), wf.criticalStartNs[k], wf.criticalEndNs[k]]);
    assert.deepStrictEqual(segs, [
      ['root', 0, 10],
      ['a', 10, 20],
      ['a2', 20, 50],
      ['root', 50, 100],
      ['o', 90, 120], // the orphan root's path, overlapping root's
    ]);
  });

  it('places event markers on their rows', () => {
    assert.deepStrictEqual(Array.from(wf.eventRow), [2, 2]);
    assert.deepStrictEqual(Array.from(wf.eventNs), [15, 30]);
  });

  it('carries the trace warnings as text', () => {
    assert.strictEqual(wf.warnings.length, 2);
    assert.ok(wf.warnings.some((w) => /orphan/.test(w)));
    assert.ok(wf.warnings.some((w) => /clock skew/.test(w)));
  });
});

describe('waterfall: collapsing', () => {
  const wf = buildWaterfall(sample(), 0);
  it('collapsing a row hides exactly its descendants', () => {
    assert.deepStrictEqual(hiddenRanges(wf, [2]), [[3, 5]]);
    assert.deepStrictEqual(hiddenRanges(wf, [0]), [[1, 5]]);
  });
  it('nested collapsed rows merge; leaves and bad rows hide nothing', () => {
    assert.deepStrictEqual(hiddenRanges(wf, [2, 0]), [[1, 5]]);
    assert.deepStrictEqual(hiddenRanges(wf, [1, 3, 5, 99, -1]), []);
  });
});

describe('waterfall: broken traces', () => {
  it('shows a parent cycle once per span, cut into a root', () => {
    const t = trace([
      span({ id: 'r', start: 0, end: 10 }),
      span({ id: 'x', parent: 'y', start: 1, end: 5 }),
      span({ id: 'y', parent: 'x', start: 2, end: 4 }),
      span({ id: 'self', parent: 'self', start: 3, end: 4 }),
    ]);
    const wf = buildWaterfall(t, 0);
    assert.deepStrictEqual([...rowNames(wf)].sort(), ['r', 'self', 'x', 'y']);
    assert.strictEqual(new Set(wf.spanIndex).size, 4);
    assert.strictEqual(rowName(wf, 0), 'r');
    for (let r = 0; r < wf.rowCount; r++) assert.ok(wf.subtreeEnd[r] > r && wf.subtreeEnd[r] <= wf.rowCount);
    const issueRows = rowNames(wf).filter((_n, r) => wf.flags[r] & RowFlag.Issue);
    // 'self' names itself as its parent: a plain root (issue 10); the x <-> y cycle is cut at x.
    assert.ok(issueRows.includes('x'));
    assert.ok(!issueRows.includes('self'));
    assert.ok(wf.warnings.some((w) => /cycle/.test(w)));
  });

  it('draws a span without timestamps at the trace start with no width', () => {
    const t = trace([span({ id: 'r', start: 100, end: 200 }), span({ id: 'n', parent: 'r', start: 0, end: 150, noStart: true })]);
    const wf = buildWaterfall(t, 0);
    assert.deepStrictEqual(Array.from(wf.startNs), [0, 0]);
    assert.deepStrictEqual(Array.from(wf.durationNsByRow), [100, 0]);
    assert.ok(wf.flags[1] & RowFlag.Issue);
  });

  it('handles an empty trace', () => {
    const wf = buildWaterfall(trace([]), 0);
    assert.strictEqual(wf.rowCount, 0);
    assert.strictEqual(wf.criticalRow.length, 0);
  });

  it('lays out a 100k-deep chain without overflowing the stack', () => {
    const n = 100_000;
    const wf = buildWaterfall(trace(chain(n)), 0);
    assert.strictEqual(wf.rowCount, n);
    assert.deepStrictEqual(Array.from(wf.spanIndex.subarray(0, 3)), [0, 1, 2]);
    assert.strictEqual(wf.depth[1000], 1000);
    assert.strictEqual(wf.depth[n - 1], MAX_DEPTH); // deeper than a Uint16 can say: pinned
    assert.strictEqual(wf.subtreeEnd[0], n);
    assert.strictEqual(wf.subtreeEnd[n - 1], n);
    assert.ok(wf.flags[0] & RowFlag.CriticalPath);
  });
});

describe('waterfall: trace summaries', () => {
  it('summarises every trace of a file', () => {
    const t1 = sample();
    const t2 = trace([span({ id: 'z', start: 1_000_000, end: 3_000_000, traceId: 'bbbb', error: true, service: 'other' })], 'bbbb');
    const sums = traceSummaries(file([t1, t2]));
    assert.deepStrictEqual(sums[1], {
      traceIndex: 1,
      traceId: 'bbbb',
      rootName: 'z',
      rootService: 'other',
      startTimeUnixNano: (T0 + 1_000_000n).toString(),
      startMs: Number((T0 + 1_000_000n) / 1_000_000n),
      durationNs: 2_000_000,
      spanCount: 1,
      errorCount: 1,
      services: ['other'],
      warningCount: 0,
    });
    assert.strictEqual(sums[0].spanCount, 6);
    assert.strictEqual(sums[0].rootName, 'root');
    assert.strictEqual(sums[0].warningCount, 2);
  });
});

/** Structural invariants every waterfall must satisfy, whatever the input. */
function assertWellFormed(wf: WaterfallDto, label: string): void {
  const n = wf.rowCount;
  assert.strictEqual(new Set(wf.spanIndex).size, n, `${label}: every span exactly once`);
  for (let r = 0; r < n; r++) {
    const end = wf.subtreeEnd[r];
    assert.ok(end > r && end <= n, `${label}: subtreeEnd[${r}] in range`);
    if (r + 1 < n) assert.ok(wf.depth[r + 1] <= wf.depth[r] + 1, `${label}: depth grows by one at most`);
    for (let d = r + 1; d < end; d++) assert.ok(wf.depth[d] > wf.depth[r] || wf.depth[r] === MAX_DEPTH, `${label}: row ${d} is inside ${r}`);
    if (end < n) assert.ok(wf.depth[end] <= wf.depth[r], `${label}: row ${end} is after ${r}'s subtree`);
    assert.ok(wf.durationNsByRow[r] >= 0, `${label}: no negative widths`);
  }
  // Every root has its own path, so concurrent roots (Chrome threads) overlap; one root's do not.
  const oneRoot = Array.from(wf.depth).filter((d) => d === 0).length === 1;
  for (let k = 0; k < wf.criticalRow.length; k++) {
    assert.ok(wf.criticalStartNs[k] < wf.criticalEndNs[k], `${label}: critical segment ${k} not empty`);
    if (k) assert.ok(wf.criticalStartNs[k] >= wf.criticalStartNs[k - 1], `${label}: critical segments in time order`);
    if (k && oneRoot) assert.ok(wf.criticalStartNs[k] >= wf.criticalEndNs[k - 1], `${label}: critical segments in order, not overlapping`);
  }
  for (const e of wf.eventRow) assert.ok(e >= 0 && e < n);
}

describe(HAS_CORPUS ? 'waterfall: every importable corpus file' : 'waterfall: every importable corpus file (SKIPPED: corpus absent)', () => {
  it('is well-formed (rows, subtrees, critical path) for each trace', function () {
    if (!HAS_CORPUS) this.skip();
    let checked = 0;
    for (const dir of fs.readdirSync(CORPUS, { withFileTypes: true })) {
      if (!dir.isDirectory() || dir.name === 'malformed') continue;
      for (const name of fs.readdirSync(path.join(CORPUS, dir.name))) {
        let f;
        try {
          f = importTraceFile(readBytes(path.join(CORPUS, dir.name, name)), { fileName: name });
        } catch {
          continue; // importers are tested elsewhere; here only what imports matters
        }
        f.traces.forEach((t, k) => assertWellFormed(buildWaterfall(t, k), `${dir.name}/${name}#${k}`));
        checked++;
      }
    }
    if (checked === 0) this.skip(); // no importer in yet
  });
});
