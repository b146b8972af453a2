import * as assert from 'assert';
import { spanDetail } from '../../src/core/view/spanDetail';
import { selfTimeNs } from '../../src/core/analysis/selfTime';
import { file, span, T0, trace } from '../support/spanFactory';

describe('span detail: fields', () => {
  const t = trace([
    span({ id: 'r', start: 1000, end: 101_000, service: 'front', resourceAttrs: [{ key: 'host.name', value: 'web-1' }] }),
    span({
      id: 'c',
      parent: 'r',
      name: 'query',
      service: 'db',
      start: 11_000,
      end: 51_000,
      error: true,
      attrs: [
        { key: 's', value: 'text' },
        { key: 'i', value: 42n },
        { key: 'd', value: 2 },
        { key: 'b', value: false },
        { key: 'bytes', value: new Uint8Array([1, 2, 3]) },
        { key: 'arr', value: ['a', 1n] },
        { key: 'kv', value: { kvlist: [{ key: 'x', value: 1.5 }] } },
        { key: 'nil', value: null },
      ],
      events: [{ name: 'retry', at: 21_000, attrs: [{ key: 'attempt', value: 2n }] }],
    }),
  ]);
  const d = spanDetail(file([t]), 0, 1);

  it('identifies the span', () => {
    assert.strictEqual(d.name, 'query');
    assert.strictEqual(d.spanId, 'c');
    assert.strictEqual(d.parentSpanId, 'r');
    assert.strictEqual(d.traceId, 'aaaa');
    assert.strictEqual(d.kind, 'INTERNAL');
    assert.strictEqual(d.statusCode, 'ERROR');
    assert.strictEqual(d.statusMessage, 'boom');
    assert.strictEqual(d.service, 'db');
  });

  it('gives times relative to the trace start, and the absolute start', () => {
    assert.strictEqual(d.offsetNs, 10_000);
    assert.strictEqual(d.durationNs, 40_000);
    assert.strictEqual(d.startTimeUnixNano, (T0 + 11_000n).toString());
    assert.strictEqual(d.startTime, '2023-11-14T22:13:20.000011Z');
  });

  it('renders attributes with their types', () => {
    // Bytes are base64 (exact quoting is attributes.ts's business).
    const bytes = d.attributes.find((a) => a.key === 'bytes')!;
    assert.strictEqual(bytes.type, 'bytes');
    assert.match(bytes.value, /AQID/);
    assert.deepStrictEqual(d.attributes.filter((a) => a.key !== 'bytes'), [
      { key: 's', value: 'text', type: 'string' },
      { key: 'i', value: '42', type: 'int' },
      { key: 'd', value: '2.0', type: 'double' },
      { key: 'b', value: 'false', type: 'bool' },
      { key: 'arr', value: '["a",1]', type: 'array' },
      { key: 'kv', value: '{"x":1.5}', type: 'kvlist' },
      { key: 'nil', value: '', type: 'empty' },
    ]);
    assert.deepStrictEqual(d.resource, [
      { key: 'service.name', value: 'db', type: 'string' },
    ]);
    assert.deepStrictEqual(d.scope, { name: 'test-scope', version: '1.0', attributes: [] });
  });

  it('gives events with offsets from the trace start', () => {
    assert.deepStrictEqual(d.events, [{ name: 'retry', offsetNs: 20_000, attributes: [{ key: 'attempt', value: '2', type: 'int' }] }]);
  });

  it('rejects indexes outside the file', () => {
    assert.throws(() => spanDetail(file([t]), 1, 0), /no trace #1/);
    assert.throws(() => spanDetail(file([t]), 0, 2), /no span #2/);
  });
});

describe('span detail: self time', () => {
  const selfOf = (children: Array<[number, number]>, start = 0, end = 100) => {
    const t = trace([
      span({ id: 'p', start, end }),
      ...children.map(([a, b], k) => span({ id: `c${k}`, parent: 'p', start: a, end: b })),
    ]);
    return selfTimeNs(t, 0);
  };

  it('is the whole duration without children', () => {
    assert.strictEqual(selfOf([]), 100);
  });
  it('subtracts the union of overlapping children, not their sum', () => {
    // [10,40] ∪ [30,60] = 50 ns covered.
    assert.strictEqual(selfOf([[10, 40], [30, 60]]), 50);
    // A child inside another adds nothing.
    assert.strictEqual(selfOf([[10, 60], [20, 30], [55, 70]]), 40);
  });
  it('clips children that overflow the span', () => {
    // [-20,10] clipped to [0,10]; [80,150] clipped to [80,100].
    assert.strictEqual(selfOf([[80, 150], [-20, 10]]), 70);
  });
  it('is zero when children cover everything, and for a span with no duration', () => {
    assert.strictEqual(selfOf([[0, 50], [50, 100]]), 0);
    assert.strictEqual(selfOf([], 10, 10), 0);
  });
  it('is reported in the detail', () => {
    const t = trace([span({ id: 'p', start: 0, end: 100 }), span({ id: 'c', parent: 'p', start: 10, end: 40 })]);
    assert.strictEqual(spanDetail(file([t]), 0, 0).selfTimeNs, 70);
  });
});

describe('span detail: links', () => {
  const a = trace(
    [
      span({ id: 'a1', traceId: 'aaaa', start: 0, end: 100 }),
      span({
        id: 'a2',
        traceId: 'aaaa',
        parent: 'a1',
        start: 10,
        end: 20,
        links: [
          { traceId: 'bbbb', spanId: 'b2', attributes: [{ key: 'why', value: 'batch' }] },
          { traceId: 'aaaa', spanId: 'a1', refType: 'FOLLOWS_FROM' },
          { traceId: '', spanId: 'a1' },
          { traceId: 'cccc', spanId: 'x' },
          { traceId: 'bbbb', spanId: 'nope' },
        ],
      }),
    ],
    'aaaa',
  );
  const b = trace([span({ id: 'b1', traceId: 'bbbb', start: 0, end: 5 }), span({ id: 'b2', traceId: 'bbbb', parent: 'b1', start: 1, end: 2 })], 'bbbb');
  const links = spanDetail(file([a, b]), 0, 1).links;

  it('resolves a link to a span of another trace in the same file', () => {
    assert.deepStrictEqual(links[0], {
      traceId: 'bbbb',
      spanId: 'b2',
      refType: undefined,
      attributes: [{ key: 'why', value: 'batch', type: 'string' }],
      target: { traceIndex: 1, spanIndex: 1 },
    });
  });
  it('resolves a link within the same trace, also when the link has no trace id', () => {
    assert.deepStrictEqual(links[1].target, { traceIndex: 0, spanIndex: 0 });
    assert.strictEqual(links[1].refType, 'FOLLOWS_FROM');
    assert.deepStrictEqual(links[2].target, { traceIndex: 0, spanIndex: 0 });
  });
  it('leaves links to spans outside the file without a target', () => {
    assert.ok(!('target' in links[3]));
    assert.ok(!('target' in links[4]));
  });
});

describe('span detail: issues', () => {
  it('explains clock skew with the amounts', () => {
    const t = trace([span({ id: 'p', start: 1000, end: 2000 }), span({ id: 'c', parent: 'p', start: 500, end: 4000 })]);
    assert.deepStrictEqual(spanDetail(file([t]), 0, 1).issues, ['It starts 500 ns before its parent and ends 2 µs after its parent (clock skew between hosts?).']);
    assert.deepStrictEqual(spanDetail(file([t]), 0, 0).issues, []);
  });
  it('explains orphans, duplicate ids, bad durations and cycles', () => {
    const t = trace([
      span({ id: 'o', parent: 'gone', start: 0, end: 10 }),
      span({ id: 'd', start: 0, end: 10 }),
      span({ id: 'd', start: 5, end: 5 }),
      // A two-span cycle: a span that is its own parent is a root, not a cycle (issue 10).
      span({ id: 'c1', parent: 'c2', start: 1, end: 2 }),
      span({ id: 'nostart', start: 0, end: 10, noStart: true }),
      span({ id: 'c2', parent: 'c1', start: 1, end: 2 }),
    ]);
    const issues = (i: number) => spanDetail(file([t]), 0, i).issues.join(' | ');
    assert.match(issues(0), /parent span gone is not in this trace/);
    assert.match(issues(1), /same span id d/);
    assert.match(issues(2), /same span id d.*\| Its end is not after its start \(duration 0 ns\)/);
    assert.match(issues(3), /loops back to itself/);
    assert.match(issues(4), /no start timestamp/);
    const d = spanDetail(file([t]), 0, 4);
    assert.deepStrictEqual([d.offsetNs, d.durationNs, d.selfTimeNs], [0, 0, 0]);
  });
});
