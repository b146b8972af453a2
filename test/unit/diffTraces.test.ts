// diffTraces: two traces aligned by (service, span name, occurrence) paths, as Jaeger's TraceDiff.
import * as assert from 'assert';
import type { Span } from '../../src/core/model/model';
import { buildTrace } from '../../src/core/model/trace';
import { criticalPath } from '../../src/core/analysis/criticalPath';
import { DEFAULT_TOLERANCE, SPAN_CHANGES, diffTraces, type SpanChange, type TraceDiff } from '../../src/core/diff';

const resources = new Map<string, Span['resource']>();
const scope = { name: 'test', attributes: [] };

/** A span of `service`; times in ms from a fixed epoch. */
function sp(id: string, name: string, startMs: number, endMs: number, opts: { parent?: string; service?: string; traceId?: string } = {}): Span {
  const service = opts.service ?? 'api';
  let resource = resources.get(service);
  if (!resource) resources.set(service, (resource = { attributes: [], serviceName: service }));
  const t = (ms: number) => 1_700_000_000_000_000_000n + BigInt(Math.round(ms * 1e6));
  return {
    traceId: opts.traceId ?? 'aaaa',
    spanId: id,
    ...(opts.parent ? { parentSpanId: opts.parent } : {}),
    name,
    kind: 1,
    startTimeUnixNano: t(startMs),
    endTimeUnixNano: t(endMs),
    attributes: [],
    events: [],
    links: [],
    status: { code: 0 },
    resource,
    scope,
  };
}

/** One line per row: indented "service:name change b→c [badge]". */
function render(d: TraceDiff, base: Span[], cand: Span[]): string[] {
  const out: string[] = [];
  for (let r = 0; r < d.rowCount; r++) {
    const s = d.baselineSpan[r] >= 0 ? base[d.baselineSpan[r]] : cand[d.candidateSpan[r]];
    const b = Number.isNaN(d.baselineDurationNs[r]) ? '-' : String(d.baselineDurationNs[r] / 1e6);
    const c = Number.isNaN(d.candidateDurationNs[r]) ? '-' : String(d.candidateDurationNs[r] / 1e6);
    const badge = d.changedDescendants[r] ? ` [${d.changedDescendants[r]}]` : '';
    out.push(`${'  '.repeat(d.depth[r])}${s.resource.serviceName}:${s.name} ${SPAN_CHANGES[d.change[r]]} ${b}→${c}${badge}`);
  }
  return out;
}

function diff(base: Span[], cand: Span[], tol = DEFAULT_TOLERANCE) {
  const b = buildTrace(base[0]?.traceId ?? 'b', base);
  const c = buildTrace(cand[0]?.traceId ?? 'c', cand);
  return { d: diffTraces(b, c, tol), b, c };
}

function checkColumns(d: TraceDiff): void {
  const n = d.rowCount;
  for (const col of [d.depth, d.parentRow, d.subtreeSize, d.baselineSpan, d.candidateSpan, d.baselineDurationNs, d.candidateDurationNs, d.change, d.changedDescendants, d.onBaselineCriticalPath, d.onCandidateCriticalPath]) {
    assert.strictEqual(col.length, n);
  }
  const total = Object.values(d.counts).reduce((a, b) => a + b, 0);
  assert.strictEqual(total, n);
  for (let r = 0; r < n; r++) {
    const p = d.parentRow[r];
    if (p < 0) assert.strictEqual(d.depth[r], 0);
    else {
      assert.ok(p < r, 'preorder: parent first');
      assert.strictEqual(d.depth[r], d.depth[p] + 1);
      assert.ok(r <= p + d.subtreeSize[p], 'inside the parent subtree');
    }
    assert.ok(d.baselineSpan[r] >= 0 || d.candidateSpan[r] >= 0);
  }
}

describe('diffTraces: matching', () => {
  it('a loop of 40 priceItem calls against 38: the first 38 pair in order, the last 2 are removed', () => {
    const base = [sp('r', 'checkout', 0, 100)];
    const cand = [sp('r', 'checkout', 0, 100)];
    for (let i = 0; i < 40; i++) base.push(sp(`b${i}`, 'priceItem', 1 + i * 2, 2 + i * 2, { parent: 'r' }));
    for (let i = 0; i < 38; i++) cand.push(sp(`c${i}`, 'priceItem', 1 + i * 2, 2 + i * 2 + (i === 5 ? 3 : 0), { parent: 'r' }));
    const { d, b, c } = diff(base, cand);
    checkColumns(d);
    assert.strictEqual(d.rowCount, 41);
    assert.deepStrictEqual(d.counts, { added: 0, removed: 2, slower: 1, faster: 0, unchanged: 38 } satisfies Record<SpanChange, number>);
    // Pairs by order: row i+1 is baseline b{i} with candidate c{i}.
    for (let i = 0; i < 38; i++) {
      assert.strictEqual(b.spans[d.baselineSpan[i + 1]].spanId, `b${i}`);
      assert.strictEqual(c.spans[d.candidateSpan[i + 1]].spanId, `c${i}`);
    }
    assert.deepStrictEqual([d.candidateSpan[39], d.candidateSpan[40]], [-1, -1]);
    assert.deepStrictEqual([b.spans[d.baselineSpan[39]].spanId, b.spans[d.baselineSpan[40]].spanId], ['b38', 'b39']);
    assert.strictEqual(SPAN_CHANGES[d.change[6]], 'slower', 'c5 took 4 ms instead of 1');
    assert.strictEqual(d.changedDescendants[0], 3, 'badge: 2 removed + 1 slower');
    assert.strictEqual(d.subtreeSize[0], 40);
  });

  it('reordered siblings match by (service, name, occurrence), not by position', () => {
    const base = [sp('r', 'GET /', 0, 50), sp('a', 'auth', 1, 5, { parent: 'r' }), sp('q', 'query', 6, 20, { parent: 'r', service: 'db' }), sp('q2', 'query', 21, 30, { parent: 'r', service: 'db' })];
    // Candidate: the queries run first, then auth; one "query" is in another service (a different key).
    const cand = [
      sp('R', 'GET /', 0, 50),
      sp('Q', 'query', 1, 15, { parent: 'R', service: 'db' }),
      sp('X', 'query', 16, 20, { parent: 'R', service: 'cache' }),
      sp('A', 'auth', 21, 25, { parent: 'R' }),
      sp('Q2', 'query', 26, 35, { parent: 'R', service: 'db' }),
    ];
    const { d, b, c } = diff(base, cand);
    checkColumns(d);
    const pairs: string[] = [];
    for (let r = 0; r < d.rowCount; r++) {
      pairs.push(`${d.baselineSpan[r] >= 0 ? b.spans[d.baselineSpan[r]].spanId : '-'}/${d.candidateSpan[r] >= 0 ? c.spans[d.candidateSpan[r]].spanId : '-'}`);
    }
    // Baseline order; the added cache query sits after the sibling its candidate predecessor matched.
    assert.deepStrictEqual(pairs, ['r/R', 'a/A', 'q/Q', '-/X', 'q2/Q2']);
    assert.deepStrictEqual(render(d, [...b.spans], [...c.spans]), [
      'api:GET / unchanged 50→50 [1]',
      '  api:auth unchanged 4→4',
      '  db:query unchanged 14→14',
      '  cache:query added -→4',
      '  db:query unchanged 9→9',
    ]);
  });

  it('a subtree missing on one side: the whole subtree is removed (or added), counted in the badges', () => {
    const base = [
      sp('r', 'order', 0, 100),
      sp('p', 'pay', 10, 60, { parent: 'r' }),
      sp('p1', 'fraud check', 11, 20, { parent: 'p', service: 'risk' }),
      sp('p2', 'charge', 21, 50, { parent: 'p', service: 'psp' }),
      sp('p3', 'tokenize', 22, 30, { parent: 'p2', service: 'psp' }),
      sp('s', 'ship', 61, 90, { parent: 'r' }),
    ];
    const cand = [sp('r', 'order', 0, 100), sp('s', 'ship', 1, 30, { parent: 'r' }), sp('n', 'notify', 31, 40, { parent: 's' })];
    const { d, b, c } = diff(base, cand);
    checkColumns(d);
    assert.deepStrictEqual(render(d, [...b.spans], [...c.spans]), [
      'api:order unchanged 100→100 [5]',
      '  api:pay removed 50→- [3]',
      '    risk:fraud check removed 9→-',
      '    psp:charge removed 29→- [1]',
      '      psp:tokenize removed 8→-',
      '  api:ship unchanged 29→29 [1]',
      '    api:notify added -→9',
    ]);
    assert.deepStrictEqual(d.counts, { added: 1, removed: 4, slower: 0, faster: 0, unchanged: 2 });
    assert.deepStrictEqual([...d.subtreeSize], [6, 3, 0, 1, 0, 1, 0]);
  });

  it('two traces with different trace ids and span ids still align', () => {
    const base = [sp('1', 'root', 0, 10, { traceId: 'trace-one' }), sp('2', 'child', 1, 9, { parent: '1', traceId: 'trace-one' })];
    const cand = [sp('x', 'root', 0, 30, { traceId: 'trace-two' }), sp('y', 'child', 1, 29, { parent: 'x', traceId: 'trace-two' })];
    const { d } = diff(base, cand);
    assert.strictEqual(d.rowCount, 2);
    assert.deepStrictEqual([...d.change].map((k) => SPAN_CHANGES[k]), ['slower', 'slower']);
    assert.deepStrictEqual([d.baselineTraceNs, d.candidateTraceNs], [10e6, 30e6]);
  });

  it('multiple roots (a root and orphans) match among roots by name and occurrence', () => {
    // The baseline has a root and two orphans "job"; the candidate has the root, one "job" and an orphan "cron".
    const base = [sp('r', 'main', 0, 10), sp('j1', 'job', 20, 25, { parent: 'gone' }), sp('j2', 'job', 30, 34, { parent: 'gone' })];
    const cand = [sp('r', 'main', 0, 10), sp('j1', 'job', 20, 26, { parent: 'gone' }), sp('k', 'cron', 40, 41, { parent: 'gone2' })];
    const { d, b, c } = diff(base, cand);
    checkColumns(d);
    assert.deepStrictEqual(render(d, [...b.spans], [...c.spans]), ['api:main unchanged 10→10', 'api:job unchanged 5→6', 'api:cron added -→1', 'api:job removed 4→-']);
    for (let r = 0; r < d.rowCount; r++) assert.strictEqual(d.parentRow[r], -1);
  });

  it('same-key siblings under different parents do not mix', () => {
    const base = [sp('r', 'r', 0, 100), sp('a', 'A', 0, 50, { parent: 'r' }), sp('a1', 'q', 1, 2, { parent: 'a' }), sp('b', 'B', 50, 100, { parent: 'r' }), sp('b1', 'q', 51, 52, { parent: 'b' })];
    const cand = [sp('r', 'r', 0, 100), sp('a', 'A', 0, 50, { parent: 'r' }), sp('b', 'B', 50, 100, { parent: 'r' }), sp('b1', 'q', 51, 52, { parent: 'b' }), sp('b2', 'q', 53, 54, { parent: 'b' })];
    const { d, b, c } = diff(base, cand);
    assert.deepStrictEqual(render(d, [...b.spans], [...c.spans]), [
      'api:r unchanged 100→100 [2]',
      '  api:A unchanged 50→50 [1]',
      '    api:q removed 1→-',
      '  api:B unchanged 50→50 [1]',
      '    api:q unchanged 1→1',
      '    api:q added -→1',
    ]);
  });

  it('empty traces', () => {
    const { d } = diff([], [sp('r', 'x', 0, 1)]);
    assert.strictEqual(d.rowCount, 1);
    assert.strictEqual(SPAN_CHANGES[d.change[0]], 'added');
    assert.strictEqual(diff([], []).d.rowCount, 0);
  });
});

describe('diffTraces: tolerance', () => {
  const pair = (bMs: number, cMs: number, tol = DEFAULT_TOLERANCE) => SPAN_CHANGES[diff([sp('r', 'x', 0, bMs)], [sp('r', 'x', 0, cMs)], tol).d.change[0]];

  it('exactly 20% is unchanged, just over is slower / faster', () => {
    assert.strictEqual(pair(10, 12), 'unchanged');
    assert.strictEqual(pair(10, 12.001), 'slower');
    assert.strictEqual(pair(10, 8), 'unchanged');
    assert.strictEqual(pair(10, 7.999), 'faster');
  });

  it('a large percentage under the 1 ms floor is unchanged; the floor itself counts', () => {
    assert.strictEqual(pair(0.2, 0.9), 'unchanged', '+350% but 0.7 ms');
    assert.strictEqual(pair(0.2, 1.2), 'slower', 'exactly 1 ms more');
    assert.strictEqual(pair(0.1, 1.09), 'unchanged');
  });

  it('custom tolerance', () => {
    assert.strictEqual(pair(100, 140, { threshold: 0.5, minDeltaNs: 1e6 }), 'unchanged');
    assert.strictEqual(pair(0.2, 0.9, { threshold: 0.2, minDeltaNs: 0 }), 'slower');
  });
});

describe('diffTraces: critical paths', () => {
  it('marks both critical paths, each on its own side', () => {
    // Baseline: fast, then slow, one after the other. Candidate: "fast" became the last to finish; slow runs in its shadow.
    const base = [sp('r', 'root', 0, 100), sp('f', 'fast', 0, 5, { parent: 'r' }), sp('s', 'slow', 10, 100, { parent: 'r' })];
    const cand = [sp('r', 'root', 0, 110), sp('f', 'fast', 0, 100, { parent: 'r' }), sp('s', 'slow', 10, 40, { parent: 'r' })];
    const { d, b, c } = diff(base, cand);
    const names = (side: Uint8Array, spans: Span[], col: Int32Array) => [...side].flatMap((on, r) => (on ? [spans[col[r]].name] : []));
    assert.deepStrictEqual(names(d.onBaselineCriticalPath, [...b.spans], d.baselineSpan), ['root', 'fast', 'slow']);
    assert.deepStrictEqual(names(d.onCandidateCriticalPath, [...c.spans], d.candidateSpan), ['root', 'fast']);
    // Same spans criticalPath() reports.
    assert.deepStrictEqual(new Set(criticalPath(c).map((x) => c.spans[x.spanIndex].name)), new Set(['root', 'fast']));
  });

  it('added and removed rows carry only their own side', () => {
    const base = [sp('r', 'root', 0, 110), sp('g', 'gone', 0, 100, { parent: 'r' })];
    const cand = [sp('r', 'root', 0, 110), sp('n', 'new', 0, 100, { parent: 'r' })];
    const { d } = diff(base, cand);
    const rows = [...Array(d.rowCount).keys()].map((r) => `${SPAN_CHANGES[d.change[r]]}:${d.onBaselineCriticalPath[r]}${d.onCandidateCriticalPath[r]}`);
    assert.deepStrictEqual(rows.sort(), ['added:01', 'removed:10', 'unchanged:11'].sort());
  });
});
