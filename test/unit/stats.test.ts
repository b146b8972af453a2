import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Span } from '../../src/core/model/model';
import type { RawCodeSite } from '../../src/core/source/codeLocation';
import { LatencyIndex, LatencySketch, ResolvedSite } from '../../src/core/source/stats';
import { buildTrace } from '../../src/core/model/trace';
import { runStats, StatsJson } from '../../src/cli/stats';
import { FIXTURES, REPO_ROOT } from '../support/paths';
import { makeSpan } from '../support/sourceSpans';
import { ensureSourceMapWasm } from '../support/sourceMapWasm';
import { captureStdio } from '../support/captureStdio';

/** A span of function `fn` in `file` (code.* new names), `ms` long, starting at `startMs`. */
function fnSpan(id: string, fn: string, startMs: number, ms: number, extra: { parent?: string; error?: boolean; file?: string; trace?: string } = {}): Span {
  return makeSpan(
    `span ${fn}`,
    { 'code.file.path': `/app/${extra.file ?? 'a.js'}`, 'code.line.number': 10n, 'code.function.name': fn },
    [],
    { traceId: extra.trace ?? 't1', spanId: id, parentSpanId: extra.parent, startMs, endMs: startMs + ms, error: extra.error },
  );
}

/** Resolver: /app/X -> X, line 10 -> a per-function declaration line. */
function resolverCounting() {
  const calls: RawCodeSite[] = [];
  const resolve = (raw: RawCodeSite): ResolvedSite | undefined => {
    calls.push(raw);
    if (!raw.file) return undefined;
    return { file: raw.file.replace('/app/', ''), line: raw.function === 'outer' ? 1 : 20, function: raw.function ?? raw.spanName };
  };
  return { resolve, calls };
}

describe('latency index', () => {
  it('counts, errors, exact percentiles, max, self time, callers and the slowest span per function', async () => {
    const { resolve } = resolverCounting();
    const index = new LatencyIndex(resolve);
    const spans: Span[] = [];
    // outer: 1 span of 200 ms; inner: 100 spans of 1..100 ms under it (overlapping), 3 errors.
    spans.push(fnSpan('p', 'outer', 0, 200));
    for (let i = 1; i <= 100; i++) spans.push(fnSpan(`c${i}`, 'inner', i, i, { parent: 'p', error: i % 40 === 0 }));
    await index.add(buildTrace('t1', spans), 'file:///traces/one.json');
    const [inner] = index.functionsInFile('a.js').filter((f) => f.function === 'inner');
    assert.deepStrictEqual(
      [inner.count, inner.errors, inner.p50Ns, inner.p95Ns, inner.p99Ns, inner.maxNs, inner.minNs, inner.line],
      [100, 2, 50e6, 95e6, 99e6, 100e6, 1e6, 20],
    );
    assert.strictEqual(inner.selfP50Ns, 50e6, 'no children: self = duration');
    assert.deepStrictEqual(inner.topCallers, [{ caller: 'outer', count: 100 }]);
    assert.deepStrictEqual(inner.slowest, { traceId: 't1', spanId: 'c100', durationNs: 100e6, source: 'file:///traces/one.json' });
    assert.strictEqual(inner.approximate, false);
    const outer = index.functionsInFile('a.js').find((f) => f.function === 'outer')!;
    // Children cover [1, 200) ms of [0, 200): self time is the 1 ms before the first child.
    assert.strictEqual(outer.selfP50Ns, 1e6);
    assert.deepStrictEqual(outer.topCallers, []);
    assert.strictEqual(index.unresolved, 0);
    assert.strictEqual(index.spanCount, 101);
    const h = index.histogram(inner.key, 8);
    assert.strictEqual(h.counts.reduce((a, b) => a + b, 0), 100);
    assert.strictEqual(h.edgesNs.length, 9);
    assert.ok(h.edgesNs[0] <= 1e6 && h.edgesNs[8] >= 100e6);
    assert.deepStrictEqual(index.slowestSpans(inner.key).slice(0, 3).map((r) => r.spanId), ['c100', 'c99', 'c98']);
  });

  it('is incremental: a later trace updates only what it touches; per-file queries see only that file', async () => {
    const index = new LatencyIndex(resolverCounting().resolve);
    await index.add(buildTrace('t1', [fnSpan('a', 'f', 0, 10), fnSpan('b', 'g', 0, 30, { file: 'b.js' })]));
    const v1 = index.version;
    const before = index.functionsInFile('a.js')[0];
    assert.deepStrictEqual([before.count, before.p50Ns], [1, 10e6]);
    await index.add(buildTrace('t2', [fnSpan('c', 'f', 0, 20, { trace: 't2' }), fnSpan('d', 'f', 0, 30, { trace: 't2' })]));
    assert.ok(index.version > v1);
    const after = index.functionsInFile('a.js')[0];
    assert.deepStrictEqual([after.count, after.p50Ns, after.maxNs], [3, 20e6, 30e6]);
    assert.deepStrictEqual(index.functionsInFile('b.js').map((f) => [f.function, f.count]), [['g', 1]]);
    assert.deepStrictEqual(index.functionsInFile('nope.js'), []);
    assert.deepStrictEqual(index.files().sort(), ['a.js', 'b.js']);
  });

  it('resolves each distinct raw site once, however many spans share it; async resolvers work', async () => {
    const calls: string[] = [];
    const index = new LatencyIndex(async (raw) => {
      calls.push(`${raw.file}:${raw.function}`);
      await new Promise((r) => setTimeout(r, 1));
      return raw.file ? { file: 'a.js', line: 1, function: raw.function ?? raw.spanName } : undefined;
    });
    const spans = Array.from({ length: 500 }, (_, i) => fnSpan(`s${i}`, i % 2 ? 'f' : 'g', i, 1));
    spans.push(makeSpan('GET /', {}, [], { spanId: 'nocode', startMs: 0, endMs: 5 }));
    const r1 = await index.add(buildTrace('t1', spans));
    await index.add(buildTrace('t2', spans.map((s) => ({ ...s, traceId: 't2' }))));
    assert.deepStrictEqual(calls.sort(), ['/app/a.js:f', '/app/a.js:g', 'undefined:undefined']);
    assert.deepStrictEqual(r1, { spans: 501, resolved: 500, unresolved: 1 });
    assert.strictEqual(index.unresolved, 2);
    assert.deepStrictEqual(index.all().map((f) => [f.function, f.count]), [['f', 500], ['g', 500]]);
  });

  it('keeps memory bounded: beyond the exact samples, percentiles come from the log histogram within 1%', async () => {
    const index = new LatencyIndex(resolverCounting().resolve, { exactSamples: 200, keepSlowest: 5 });
    const spans: Span[] = [];
    // 20k spans of 1..20000 µs, in a scrambled order.
    for (let i = 0; i < 20_000; i++) {
      const us = ((i * 7919) % 20_000) + 1;
      spans.push(fnSpan(`s${i}`, 'f', 0, us / 1000));
    }
    await index.add(buildTrace('t1', spans));
    const f = index.functionsInFile('a.js')[0];
    assert.strictEqual(f.approximate, true);
    assert.strictEqual(f.count, 20_000);
    for (const [got, want] of [[f.p50Ns, 10_000e3], [f.p95Ns, 19_000e3], [f.p99Ns, 19_800e3]]) {
      assert.ok(Math.abs(got - want) / want < 0.01, `${got} vs ${want}`);
    }
    assert.strictEqual(f.maxNs, 20_000e3, 'max stays exact');
    assert.strictEqual(index.slowestSpans(f.key).length, 5);
    assert.strictEqual(index.histogram(f.key, 10).counts.reduce((a, b) => a + b, 0), 20_000);
  });

  it('LatencySketch: nearest-rank quantiles on exact samples, zero and negative durations clamp to 0', () => {
    const s = new LatencySketch(100);
    for (const v of [5, 1, 4, 2, 3, -7]) s.add(v);
    assert.deepStrictEqual(s.quantiles([0, 0.5, 1]), [0, 2, 5]);
    assert.deepStrictEqual(new LatencySketch(10).quantiles([0.5]), [0]);
  });

  it('clear() forgets everything for a rebuild', async () => {
    const index = new LatencyIndex(resolverCounting().resolve);
    await index.add(buildTrace('t1', [fnSpan('a', 'f', 0, 10)]));
    index.clear();
    assert.deepStrictEqual([index.all().length, index.spanCount, index.unresolved], [0, 0, 0]);
  });
});

describe('spanlens stats on the ts-app fixture', () => {
  const APP = path.join(FIXTURES, 'ts-app');
  const TRACE = path.join(APP, 'traces', 'app.otlp.json');
  const truth = JSON.parse(fs.readFileSync(path.join(APP, 'truth.json'), 'utf8')) as {
    unresolved: number;
    functions: { file: string; function: string; spanLine: number; count: number; errors: number }[];
  };
  const expected = {
    functions: truth.functions.map((f) => ({ file: f.file, line: f.spanLine, function: f.function, count: f.count, errors: f.errors })).sort(byFileLine),
    unresolved: truth.unresolved,
  };

  before(() => ensureSourceMapWasm());

  const capture = (args: string[]) => captureStdio(() => runStats(args));

  function comparable(doc: StatsJson) {
    return {
      functions: doc.functions.map((f) => ({ file: f.file, line: f.line, function: f.function, count: f.count, errors: f.errors })).sort(byFileLine),
      unresolved: doc.unresolved,
    };
  }

  it('--json gives the truth: .ts file, mapped line, function, count and errors for every function', async () => {
    const { code, out, err } = await capture([TRACE, '--root', APP, '--json']);
    assert.strictEqual(code, 0, err);
    assert.strictEqual(err, '');
    const doc = JSON.parse(out) as StatsJson;
    assert.deepStrictEqual(comparable(doc), expected);
    for (const f of doc.functions) {
      assert.deepStrictEqual(Object.keys(f), ['file', 'line', 'function', 'count', 'p50Ms', 'p95Ms', 'p99Ms', 'maxMs', 'selfP50Ms', 'errors']);
      assert.ok(f.p50Ms > 0 && f.p50Ms <= f.p95Ms && f.p95Ms <= f.p99Ms && f.p99Ms <= f.maxMs, JSON.stringify(f));
      assert.ok(f.selfP50Ms <= f.p50Ms + 1e-9 || f.count > 1);
    }
    // db.query sleeps >= 2 ms per call: a real measured duration, not a constant.
    assert.ok(doc.functions.find((f) => f.function === 'query')!.p50Ms >= 2);
  });

  it('prints a table, and resolves from the repository root too', async () => {
    const table = await capture([TRACE, '--root', APP]);
    assert.strictEqual(table.code, 0);
    const lines = table.out.trimEnd().split('\n');
    assert.match(lines[0], /^FUNCTION\s+LOCATION\s+COUNT\s+P50\s+P95\s+P99\s+MAX\s+SELF P50\s+ERRORS$/);
    assert.ok(lines.some((l) => /^OrderService\.placeOrder\s+src\/orders\.ts:38\s+23\s/.test(l)), table.out);
    assert.match(lines[lines.length - 1], /^1 span\(s\) without a resolvable code location/);
    const fromRepo = await capture([TRACE, '--root', REPO_ROOT, '--json']);
    const doc = JSON.parse(fromRepo.out) as StatsJson;
    assert.deepStrictEqual(
      comparable(doc).functions.map((f) => f.file),
      expected.functions.map((f) => `test/fixtures/ts-app/${f.file}`),
    );
  });

  it('exits 1 on usage errors and 2 on unreadable input, with one line on stderr', async () => {
    const usage = await capture(['--json']);
    assert.strictEqual(usage.code, 1);
    assert.match(usage.err, /^spanlens: stats needs at least one trace FILE/);
    const missing = await capture([path.join(APP, 'nope.json'), '--root', APP]);
    assert.deepStrictEqual([missing.code, missing.err.trim().split('\n').length], [2, 1]);
    assert.match(missing.err, /nope\.json: cannot read: no such file/);
    const broken = await capture([path.join(APP, 'truth.json'), '--root', APP]);
    assert.strictEqual(broken.code, 2);
    assert.match(broken.err, /truth\.json: not a recognised trace format/);
  });

  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const wired = fs.existsSync(cli) && /runStats/.test(fs.readFileSync(path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), 'utf8')) && /runStats/.test(fs.readFileSync(cli, 'utf8'));
  (wired ? it : it.skip)(`dist/cli.js stats --json gives the same${wired ? '' : ' (skipped: "stats" is not wired into the built dist/cli.js yet)'}`, () => {
    const r = spawnSync(process.execPath, [cli, 'stats', TRACE, '--root', APP, '--json'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(comparable(JSON.parse(r.stdout)), expected);
  });
});

function byFileLine(a: { file: string; line: number | null }, b: { file: string; line: number | null }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}
