// diffRuns / runGroups / classifyGroupChange: two runs compared by function (the LatencyIndex's
// resolved sites, as the CodeLens) and by operation for spans the index could not place.
import * as assert from 'assert';
import type { Span } from '../../src/core/model/model';
import { buildTrace } from '../../src/core/model/trace';
import { LatencyIndex, operationKey, siteKey, type ResolvedSite } from '../../src/core/source/stats';
import type { RawCodeSite } from '../../src/core/source/codeLocation';
import { DEFAULT_TOLERANCE, classifyGroupChange, diffRuns, runGroups, type GroupSummary, type RunGroup } from '../../src/core/diff';

const sum = (p50Ms: number, extra: Partial<GroupSummary> = {}): GroupSummary => ({ count: 10, p50Ms, p95Ms: p50Ms * 2, errors: 0, ...extra });

describe('classifyGroupChange', () => {
  const tol = DEFAULT_TOLERANCE;
  it('regressed / improved only above the threshold: exactly 20% is unchanged', () => {
    assert.strictEqual(classifyGroupChange(sum(10), sum(12), tol), 'unchanged');
    assert.strictEqual(classifyGroupChange(sum(10), sum(12.0001), tol), 'regressed');
    assert.strictEqual(classifyGroupChange(sum(10), sum(8), tol), 'unchanged');
    assert.strictEqual(classifyGroupChange(sum(10), sum(7.9999), tol), 'improved');
    // Float-unfriendly values at exactly 20%.
    assert.strictEqual(classifyGroupChange(sum(0.7 * 7), sum(0.7 * 7 * 1.2), { threshold: 0.2, minDeltaNs: 0 }), 'unchanged');
    assert.strictEqual(classifyGroupChange(sum(3.3), sum(3.96), { threshold: 0.2, minDeltaNs: 0 }), 'unchanged');
  });

  it('a large percentage under the 1 ms floor is unchanged; exactly the floor counts', () => {
    assert.strictEqual(classifyGroupChange(sum(0.1), sum(0.9), tol), 'unchanged', '+800% but 0.8 ms');
    assert.strictEqual(classifyGroupChange(sum(0.5), sum(1.5), tol), 'regressed', '+200% and exactly 1 ms');
    assert.strictEqual(classifyGroupChange(sum(1.5), sum(0.5), tol), 'improved');
    assert.strictEqual(classifyGroupChange(sum(0), sum(0.5), tol), 'unchanged');
    assert.strictEqual(classifyGroupChange(sum(0), sum(2), tol), 'regressed');
  });

  it('p95 and counts do not classify; one side missing is added / removed', () => {
    assert.strictEqual(classifyGroupChange(sum(10, { p95Ms: 10 }), sum(10, { p95Ms: 500, count: 1000, errors: 9 }), tol), 'unchanged');
    assert.strictEqual(classifyGroupChange(null, sum(1), tol), 'added');
    assert.strictEqual(classifyGroupChange(sum(1), null, tol), 'removed');
  });
});

function group(key: string, p50Ms: number, extra: Partial<RunGroup> = {}): RunGroup {
  return { key, kind: 'function', function: key, file: `${key}.ts`, line: 1, service: 'svc', operation: key, summary: sum(p50Ms), ...extra };
}

describe('diffRuns', () => {
  it('classifies, sorts regressions by deltaP50, then improvements, added, removed, unchanged', () => {
    const base = [group('a', 10), group('b', 10), group('c', 10), group('d', 10), group('e', 10), group('gone', 5), group('same', 3)];
    const cand = [group('e', 1), group('d', 30), group('c', 15), group('b', 2), group('a', 10.5), group('new', 4), group('same', 3)];
    const d = diffRuns(base, cand);
    assert.deepStrictEqual(
      d.functions.map((e) => `${e.key}:${e.change}`),
      ['d:regressed', 'c:regressed', 'e:improved', 'b:improved', 'new:added', 'gone:removed', 'a:unchanged', 'same:unchanged'],
    );
    assert.strictEqual(d.regressions, 2);
    assert.deepStrictEqual([d.threshold, d.minDeltaMs], [0.2, 1]);
    const dEntry = d.functions[0];
    assert.deepStrictEqual([dEntry.deltaP50Ms, dEntry.deltaP95Ms], [20, 40]);
    const added = d.functions.find((e) => e.key === 'new')!;
    assert.deepStrictEqual([added.baseline, added.deltaP50Ms, added.deltaP95Ms], [null, null, null]);
    const removed = d.functions.find((e) => e.key === 'gone')!;
    assert.deepStrictEqual([removed.candidate, removed.baseline?.p50Ms], [null, 5]);
  });

  it('a custom tolerance is reported and applied', () => {
    const d = diffRuns([group('x', 10)], [group('x', 14)], { threshold: 0.5, minDeltaNs: 500e3 });
    assert.deepStrictEqual([d.threshold, d.minDeltaMs, d.functions[0].change, d.regressions], [0.5, 0.5, 'unchanged', 0]);
  });

  it('functions and operations with the same name are different groups', () => {
    const fn = group('f', 10);
    const op: RunGroup = { key: operationKey('svc', 'f'), kind: 'operation', function: 'f', file: null, line: null, service: 'svc', operation: 'f', summary: sum(10) };
    const d = diffRuns([fn], [op]);
    assert.deepStrictEqual(d.functions.map((e) => `${e.kind}:${e.change}`), ['operation:added', 'function:removed']);
  });
});

// ---------------------------------------------------------------------------------------------
// runGroups from a LatencyIndex: the same index and resolver as the CodeLens
// ---------------------------------------------------------------------------------------------

const resources = new Map<string, Span['resource']>();
function span(id: string, name: string, durMs: number, opts: { parent?: string; service?: string; file?: string; line?: number; fn?: string; error?: boolean } = {}): Span {
  const service = opts.service ?? 'shop';
  let resource = resources.get(service);
  if (!resource) resources.set(service, (resource = { attributes: [], serviceName: service }));
  const t0 = 1_700_000_000_000_000_000n;
  const attributes = [
    ...(opts.file ? [{ key: 'code.file.path', value: opts.file }] : []),
    ...(opts.line ? [{ key: 'code.line.number', value: BigInt(opts.line) }] : []),
    ...(opts.fn ? [{ key: 'code.function.name', value: opts.fn }] : []),
  ];
  return {
    traceId: 't',
    spanId: id,
    ...(opts.parent ? { parentSpanId: opts.parent } : {}),
    name,
    kind: 1,
    startTimeUnixNano: t0,
    endTimeUnixNano: t0 + BigInt(Math.round(durMs * 1e6)),
    attributes,
    events: [],
    links: [],
    status: { code: opts.error ? 2 : 0 },
    resource,
    scope: { name: 's', attributes: [] },
  };
}

/** As StatsService: sites without a file are not resolved; files under /ws resolve. */
const resolver = (raw: RawCodeSite): ResolvedSite | undefined =>
  raw.file?.startsWith('/ws/') ? { file: raw.file.slice(4), line: raw.line, function: raw.function ?? raw.spanName } : undefined;

async function indexOf(spans: Span[]): Promise<LatencyIndex> {
  const index = new LatencyIndex((raw) => (raw.file ? resolver(raw) : undefined));
  await index.add(buildTrace('t', spans));
  return index;
}

describe('runGroups from a LatencyIndex', () => {
  it('function groups keyed by siteKey, with the most frequent span name and service; operation groups for the rest', async () => {
    const spans = [
      span('r', 'GET /cart', 50),
      ...Array.from({ length: 5 }, (_, i) => span(`p${i}`, 'price item', 2 + i, { parent: 'r', file: '/ws/src/pricing.ts', line: 12, fn: 'priceItem', error: i === 0 })),
      span('px', 'price (retry)', 9, { parent: 'r', file: '/ws/src/pricing.ts', line: 12, fn: 'priceItem' }),
      span('q1', 'SELECT', 3, { parent: 'r', service: 'db' }),
      span('q2', 'SELECT', 5, { parent: 'r', service: 'db', error: true }),
      span('o', 'outside', 1, { parent: 'r', file: '/elsewhere/x.ts', line: 3, fn: 'x' }),
    ];
    const index = await indexOf(spans);
    assert.strictEqual(index.unresolved, 4);
    const groups = runGroups(index);
    const price = groups.find((g) => g.function === 'priceItem')!;
    assert.deepStrictEqual(price, {
      key: siteKey({ file: 'src/pricing.ts', line: 12, function: 'priceItem' }),
      kind: 'function',
      function: 'priceItem',
      file: 'src/pricing.ts',
      line: 12,
      service: 'shop',
      operation: 'price item',
      summary: { count: 6, p50Ms: 4, p95Ms: 9, errors: 1 },
    });
    assert.strictEqual(index.get(price.key)?.p50Ns, 4e6, 'the CodeLens figure is the group figure');
    const ops = groups.filter((g) => g.kind === 'operation').map((g) => [g.key, g.service, g.function, g.operation, g.file, g.line, g.summary.count, g.summary.p50Ms, g.summary.errors]);
    assert.deepStrictEqual(ops, [
      [operationKey('db', 'SELECT'), 'db', 'SELECT', 'SELECT', null, null, 2, 3, 1],
      [operationKey('shop', 'GET /cart'), 'shop', 'GET /cart', 'GET /cart', null, null, 1, 50, 0],
      // A location outside the workspace does not resolve either: compared by operation.
      [operationKey('shop', 'outside'), 'shop', 'outside', 'outside', null, null, 1, 1, 0],
    ]);
  });

  it('diffs two indexes built the same way, and clear() forgets the operation tallies', async () => {
    const run = (taxMs: number, withCoupon: boolean, dbMs: number) => [
      span('r', 'POST /checkout', 100),
      span('t', 'compute tax', taxMs, { parent: 'r', file: '/ws/src/tax.ts', line: 3, fn: 'computeTax' }),
      ...(withCoupon ? [span('c', 'apply coupon', 2, { parent: 'r', file: '/ws/src/tax.ts', line: 9, fn: 'applyCoupon' })] : []),
      span('q', 'SELECT', dbMs, { parent: 'r', service: 'db' }),
    ];
    const base = await indexOf(run(5, true, 4));
    const cand = await indexOf(run(9, false, 2));
    const d = diffRuns(runGroups(base), runGroups(cand));
    assert.deepStrictEqual(
      d.functions.map((e) => [e.function, e.change, e.deltaP50Ms]),
      [
        ['computeTax', 'regressed', 4],
        ['SELECT', 'improved', -2],
        ['applyCoupon', 'removed', null],
        ['POST /checkout', 'unchanged', 0],
      ],
    );
    base.clear();
    assert.deepStrictEqual(base.operations(), []);
  });

  it('caps distinct operations: later ones are folded into "(other)" per service', async () => {
    const index = new LatencyIndex(() => undefined, { maxOperations: 2 });
    await index.add(buildTrace('t', [span('a', 'one', 1), span('b', 'two', 1, { parent: 'a' }), span('c', 'three', 1, { parent: 'a' }), span('d', 'four', 1, { parent: 'a' })]));
    assert.deepStrictEqual(index.operations().map((o) => [o.name, o.count]), [['(other)', 2], ['one', 1], ['two', 1]]);
  });
});
