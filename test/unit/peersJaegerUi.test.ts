// jaeger-ui's own test data, run through Spanlens: the critical-path test cases
// (TracePage/CriticalPath/testCases/test1..9.js with index.test.js's expectations) and the
// self-time figures of TraceStatistics/tableValues.test.js. The traces are in
// test/fixtures/peers/jaeger-ui/ as Jaeger JSON (ids, µs times, references and tags as jaeger-ui
// wrote them); SOURCES.md names the commit. Each test title names the peer test it comes from.
import * as assert from 'assert';
import * as path from 'path';
import { criticalPath } from '../../src/core/analysis/criticalPath';
import { selfTimeNs } from '../../src/core/analysis/selfTime';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { Trace } from '../../src/core/model/model';
import { buildWaterfall } from '../../src/core/view/waterfall';
import { FIXTURES, readBytes } from '../support/paths';

const DIR = path.join(FIXTURES, 'peers', 'jaeger-ui');

interface Section {
  spanID: string;
  sectionStart: number;
  sectionEnd: number;
}

function load(rel: string): Trace {
  const f = importTraceFile(readBytes(path.join(DIR, rel)), { fileName: path.basename(rel) });
  assert.strictEqual(f.format, 'jaeger-json');
  assert.strictEqual(f.traces.length, 1);
  return f.traces[0];
}

/**
 * Our path as jaeger-ui's sections: absolute µs, each root's sections latest first, roots in start
 * order (jaeger-ui's criticalPathForTrace appends the sections of each of trace.rootSpans in turn).
 */
function asSections(t: Trace): Section[] {
  const startUs = Number(t.startTimeUnixNano / 1000n);
  const rootOf = (i: number) => {
    while (t.parentIndex[i] >= 0) i = t.parentIndex[i];
    return i;
  };
  const byRoot = new Map<number, Section[]>();
  for (const s of criticalPath(t)) {
    const r = rootOf(s.spanIndex);
    if (!byRoot.has(r)) byRoot.set(r, []);
    byRoot.get(r)!.push({ spanID: t.spans[s.spanIndex].spanId, sectionStart: startUs + s.startNs / 1000, sectionEnd: startUs + s.endNs / 1000 });
  }
  return t.roots.flatMap((r) => (byRoot.get(r) ?? []).reverse());
}

const EXPECTED: Record<string, Section[]> = JSON.parse(readBytesText(path.join(DIR, 'critical-path', 'expected.json')));
function readBytesText(file: string): string {
  return new TextDecoder().decode(readBytes(file));
}

const CASES: Array<[name: string, what: string]> = [
  ['test1', 'two sequential children: the path alternates between parent and child'],
  ['test2', 'overlapping children: only the last-finishing one is on the path'],
  ['test3', 'a child that starts after its parent ended is dropped'],
  ['test4', 'a dropped child takes its own children with it'],
  ['test5', 'a FOLLOWS_FROM consumer of a producer (and its subtree) does not block'],
  ['test6', 'overflowing children are clipped to their (clipped) parent'],
  ['test7', 'a chain overflowing at each level'],
  ['test8', 'a child longer than its parent on both sides covers the whole parent'],
  ['test9', 'a child that ended before its parent started is dropped'],
];

describe('peer jaeger-ui: CriticalPath/index.test.js "Happy Path: should find criticalPathSections correctly"', () => {
  for (const [name, what] of CASES) {
    it(`testCases/${name}.js: ${what}`, () => {
      const t = load(`critical-path/${name}.json`);
      assert.deepStrictEqual(asSections(t), EXPECTED[name]);
      // The waterfall highlights exactly these segments.
      const wf = buildWaterfall(t, 0);
      assert.deepStrictEqual(
        Array.from(wf.criticalRow, (r, k) => [wf.spanIndex[r], wf.criticalStartNs[k], wf.criticalEndNs[k]]),
        criticalPath(t).map((s) => [s.spanIndex, s.startNs, s.endNs]),
      );
    });
  }

  it('testCases/test5.js variant: FOLLOWS_FROM without span kinds still does not block (Spanlens differs from jaeger-ui here)', () => {
    // jaeger-ui's OTel model makes a FOLLOWS_FROM reference the parent and treats only a
    // PRODUCER -> CONSUMER pair as non-blocking, so without the span.kind tags it would put span-B
    // and span-C on the path. Spanlens follows the OpenTracing meaning of FOLLOWS_FROM: the parent
    // does not wait for the child, whatever the kinds.
    const doc = JSON.parse(readBytesText(path.join(DIR, 'critical-path', 'test5.json')));
    for (const s of doc.data[0].spans) delete s.tags;
    const f = importTraceFile(new TextEncoder().encode(JSON.stringify(doc)));
    assert.deepStrictEqual(asSections(f.traces[0]), EXPECTED.test5);
  });
});

/**
 * jaeger-ui's "selfTotal" of a service in the Trace Statistics table: the sum of its spans' self
 * times, µs rounded to 2 decimals of ms (tableValues.ts).
 */
function selfTotalMs(t: Trace, service: string): number {
  let ns = 0;
  t.spans.forEach((s, i) => {
    if (s.resource.serviceName === service) ns += selfTimeNs(t, i);
  });
  return Math.round((ns / 1000 / 1000) * 100) / 100;
}

describe('peer jaeger-ui: TraceStatistics/tableValues.test.js (self time, computeSpanSelfTime)', () => {
  const SELF: Array<[peerTitle: string, file: string, selfTotal: number]> = [
    ['span with two overlapping children longer than their parent and a third short child span', 'traceWithOverlappingChildrenLongerThanParent', 0.03],
    ['span with two children that do not overlap and one is longer than its parent', 'traceWithTwoNonOverlappingChildren', 0.03],
    ['span with two overlapping children where one is longer than its parent', 'traceWithOverlappingChildren', 0],
    ['span with single child span longer than its parent', 'traceWithSingleChildLongerThanParentAndStartsAfterParent', 0.04],
    ['span with three children shorter than their parent, two of which overlap', 'traceWithThreeShortChildren', 0.01],
    ['span with two children started at trace start time', 'traceWithTwoChildrenStartedAtTraceStart', 0],
  ];
  for (const [title, file, selfTotal] of SELF) {
    it(`${title}: service-one selfTotal ${selfTotal} ms`, () => {
      assert.strictEqual(selfTotalMs(load(`trace-statistics/${file}.json`), 'service-one'), selfTotal);
    });
  }

  it('get values only first nameSelector is selected (Service Name): count, total and selfTotal per service', () => {
    const t = load('trace-statistics/testTraceNormal.json');
    const row = (service: string) => {
      const spans = t.spans.filter((s) => s.resource.serviceName === service);
      const totalUs = spans.reduce((n, s) => n + Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1000, 0);
      return { count: spans.length, total: Math.round((totalUs / 1000) * 100) / 100, selfTotal: selfTotalMs(t, service) };
    };
    // jaeger-ui: resultArray[0] {count 2, total 7.4, selfTotal 3.16}, resultArray[1] {count 3, total 1.81, selfTotal 1.74}.
    const rows = t.services.map(row).sort((a, b) => b.total - a.total);
    assert.deepStrictEqual(rows, [
      { count: 2, total: 7.4, selfTotal: 3.16 },
      { count: 3, total: 1.81, selfTotal: 1.74 },
    ]);
  });
});
