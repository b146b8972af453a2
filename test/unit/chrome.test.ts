// Chrome Trace Event Format: import (nesting by time per thread, pairing B/E, async, instants,
// unterminated arrays, warnings) and export (Perfetto-loadable JSON that re-imports the same).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getAttr } from '../../src/core/model/attributes';
import { ImportError } from '../../src/core/model/errors';
import { toChromeTrace, type ChromeEvent } from '../../src/core/exporters/chrome';
import { importTraceFile } from '../../src/core/importers/importFile';
import { importChrome, parseChromeText } from '../../src/core/importers/chrome';
import { nestIntervals, pairBeginEnd } from '../../src/core/importers/chromeNesting';
import { StatusCode, type Span, type Trace, type TraceFile } from '../../src/core/model/model';
import { CORPUS, HAS_CORPUS, corpusFile, readBytes } from '../support/paths';
import { file, span, trace, T0 } from '../support/spanFactory';

const enc = new TextEncoder();
const load = (events: unknown): TraceFile => importTraceFile(enc.encode(JSON.stringify(events)), { fileName: 't.json' });
const only = (f: TraceFile): Trace => {
  assert.strictEqual(f.traces.length, 1);
  return f.traces[0];
};
const byName = (t: Trace, name: string): number => {
  const i = t.spans.findIndex((s) => s.name === name);
  assert.ok(i >= 0, `no span named ${name}`);
  return i;
};
const parentName = (t: Trace, name: string): string | undefined => {
  const p = t.parentIndex[byName(t, name)];
  return p >= 0 ? t.spans[p].name : undefined;
};
/** Each span as "root > ... > name", sorted: the tree shape a user sees, independent of ids. */
const paths = (f: TraceFile, withTimes = false): string[] => {
  const out: string[] = [];
  for (const t of f.traces) {
    t.spans.forEach((s, i) => {
      const names: string[] = [];
      for (let p = i; p >= 0; p = t.parentIndex[p]) names.unshift(t.spans[p].name);
      out.push(names.join(' > ') + (withTimes ? ` @${s.startTimeUnixNano}-${s.endTimeUnixNano} events:${s.events.map((e) => e.name).join(',')}` : ''));
    });
  }
  return out.sort();
};
const unmatched = (f: TraceFile) => f.warnings.filter((w) => w.code === 'unmatched-event');
const ev = (ph: string, name: string, ts: number, extra: Record<string, unknown> = {}) => ({ pid: 1, tid: 1, ph, name, ts, ...extra });

describe('Chrome trace import', () => {
  it('nests X and B/E events by time per thread (threads are attributes, not spans), one service per process', () => {
    const f = load([
      { ph: 'M', pid: 1, tid: 1, name: 'process_name', args: { name: 'Renderer' } },
      { ph: 'M', pid: 1, tid: 1, name: 'thread_name', args: { name: 'CrRendererMain' } },
      ev('B', 'RunTask', 100),
      ev('X', 'Layout', 110, { dur: 20 }),
      ev('X', 'Paint', 115, { dur: 5 }),
      ev('E', 'RunTask', 200),
      { pid: 1, tid: 2, ph: 'X', name: 'Compile', ts: 120, dur: 30 },
      { pid: 7, tid: 7, ph: 'X', name: 'Draw', ts: 150, dur: 1 },
    ]);
    const t = only(f);
    assert.strictEqual(f.format, 'chrome');
    assert.deepStrictEqual(t.services, ['Renderer', 'pid 7']);
    assert.deepStrictEqual(paths(f), ['Compile', 'Draw', 'RunTask', 'RunTask > Layout', 'RunTask > Layout > Paint']);
    assert.strictEqual(f.spanCount, 5);
    const run = t.spans[byName(t, 'RunTask')];
    assert.strictEqual(getAttr(run.attributes, 'thread.name'), 'CrRendererMain');
    assert.strictEqual(getAttr(run.attributes, 'thread.id'), 1n);
    assert.strictEqual(getAttr(run.resource.attributes, 'process.pid'), 1n);
    assert.strictEqual(run.endTimeUnixNano - run.startTimeUnixNano, 100_000n);
    assert.strictEqual(getAttr(t.spans[byName(t, 'Compile')].attributes, 'thread.id'), 2n);
    assert.strictEqual(getAttr(t.spans[byName(t, 'Compile')].attributes, 'thread.name'), undefined);
    assert.ok(t.spans.every((s) => getAttr(s.attributes, 'spanlens.synthetic') === undefined));
    assert.strictEqual(unmatched(f).length, 0);
  });

  it('keeps Chrome clock times as ns (not epoch), shifting only traces that start at ts <= 0', () => {
    const real = only(load([ev('X', 'a', 895158070542, { dur: 19 })]));
    assert.strictEqual(real.spans[0].startTimeUnixNano, 895158070542_000n);
    // The model reads a start of 0 as "no timestamp": whole seconds are added, µs digits kept.
    const zero = only(load([ev('X', 'a', 0, { dur: 5 }), ev('X', 'b', 7, { dur: 1 })]));
    assert.strictEqual(zero.spans[byName(zero, 'b')].startTimeUnixNano, 1_000_007_000n);
    assert.ok(!zero.warnings.some((w) => w.code === 'non-positive-duration'));
    // Fractional and string microseconds.
    const frac = only(load([{ pid: '1', tid: '9', ph: 'X', name: 'f', ts: '12.345', dur: 0.5 }]));
    assert.strictEqual(frac.spans[0].startTimeUnixNano, 12_345n);
    assert.strictEqual(frac.spans[0].endTimeUnixNano, 12_845n);
    assert.strictEqual(getAttr(frac.spans[0].attributes, 'thread.id'), 9n);
  });

  it('closes back-to-back tasks of the same name at one timestamp in the right order', () => {
    // E and B at the same ts: the E closes the running task before the next one begins.
    const f = load([ev('B', 'RunTask', 0), ev('E', 'RunTask', 5), ev('B', 'RunTask', 5), ev('E', 'RunTask', 9)]);
    const t = only(f);
    const tasks = t.spans.filter((s) => s.name === 'RunTask').map((s) => Number(s.endTimeUnixNano - s.startTimeUnixNano));
    assert.deepStrictEqual(tasks, [5000, 4000]);
    assert.ok(t.spans.every((s, i) => s.name !== 'RunTask' || t.parentIndex[i] === -1));
    assert.strictEqual(unmatched(f).length, 0);
  });

  it('reports E without B, B without E and overlapping events as aggregated warnings, never fatal', () => {
    const f = load([
      ev('B', 'open', 0),
      ev('X', 'alpha', 10, { dur: 10 }),
      ev('X', 'beta', 15, { dur: 10 }),
      ev('E', 'stray', 30),
      ev('E', 'stray', 31),
    ]);
    const t = only(f);
    assert.strictEqual(t.spans.length, 3); // open + alpha + beta
    const texts = unmatched(f).map((w) => `${w.count}: ${w.message}`);
    assert.ok(texts.some((m) => m.startsWith('2: 2 E event(s) had no open B') && m.includes('"stray" at ts 30 µs') && m.includes('$[3]')), texts.join('\n'));
    assert.ok(texts.some((m) => m.startsWith('1: 1 B event(s) had no matching E')), texts.join('\n'));
    assert.ok(texts.some((m) => m.includes('overlap without nesting') && m.includes('"beta"')), texts.join('\n'));
    // The unclosed B runs to the thread's last timestamp and says why.
    const open = t.spans[byName(t, 'open')];
    assert.strictEqual(open.endTimeUnixNano - open.startTimeUnixNano, 31_000n);
    assert.match(String(getAttr(open.attributes, 'spanlens.incomplete')), /without a matching E/);
    // beta does not fit in alpha: it hangs under the nearest span containing it.
    assert.strictEqual(parentName(t, 'beta'), 'open');
  });

  it('closes an unfinished event when the event around it ends, so the guess keeps the nesting valid', () => {
    const t = only(load([ev('B', 'outer', 0), ev('B', 'inner', 1), ev('E', 'outer', 10), ev('X', 'later', 10, { dur: 5 })]));
    const inner = t.spans[byName(t, 'inner')];
    assert.strictEqual(inner.endTimeUnixNano - t.spans[byName(t, 'outer')].endTimeUnixNano, 0n);
    assert.strictEqual(parentName(t, 'inner'), 'outer');
  });

  it('turns instant events into span events on the innermost span holding them, strays on the nearest top-level span', () => {
    const f = load([
      ev('X', 'task', 0, { dur: 10 }),
      ev('X', 'sub', 2, { dur: 3 }),
      ev('I', 'inside', 3, { s: 't', args: { k: 'v' } }),
      ev('R', 'mark', 8),
      ev('i', 'between', 20),
      ev('I', 'process-wide', 4, { s: 'p' }),
    ]);
    const t = only(f);
    const events = (n: string) => t.spans[byName(t, n)].events.map((e) => e.name);
    assert.deepStrictEqual(events('sub'), ['inside']);
    // 'between' (after every task) and the process-scoped mark have no thread root to go to any more.
    assert.deepStrictEqual(events('task'), ['process-wide', 'mark', 'between']);
    assert.strictEqual(getAttr(t.spans[byName(t, 'sub')].events[0].attributes, 'k'), 'v');
    assert.strictEqual(t.spans.length, 2);
  });

  it('maps args to attributes, src_file/src_func to code.*, E args onto the slice, categories to scopes', () => {
    const t = only(load([
      ev('B', 'Task', 0, { cat: 'toplevel', args: { src_file: '../../base/a.cc', src_func: 'Run', n: 3, o: { deep: [1.5] } } }),
      ev('E', 'Task', 4, { args: { endData: { ok: true } } }),
    ]));
    const s = t.spans[byName(t, 'Task')];
    assert.strictEqual(getAttr(s.attributes, 'code.file.path'), '../../base/a.cc');
    assert.strictEqual(getAttr(s.attributes, 'code.function.name'), 'Run');
    assert.strictEqual(getAttr(s.attributes, 'src_file'), undefined);
    assert.strictEqual(getAttr(s.attributes, 'n'), 3n);
    assert.deepStrictEqual(getAttr(s.attributes, 'o'), { kvlist: [{ key: 'deep', value: [1.5] }] });
    assert.deepStrictEqual(getAttr(s.attributes, 'endData'), { kvlist: [{ key: 'ok', value: true }] });
    assert.strictEqual(s.scope.name, 'toplevel');
  });

  it('imports nestable async b/e pairs as spans and counts the phases it does not import', () => {
    const f = load({
      traceEvents: [
        ev('b', 'Load', 0, { cat: 'net', id2: { local: '0x1' } }),
        ev('b', 'Fetch', 2, { cat: 'net', id2: { local: '0x1' }, tid: 2 }),
        ev('n', 'progress', 3, { cat: 'net', id2: { local: '0x1' } }),
        ev('e', 'Fetch', 5, { cat: 'net', id2: { local: '0x1' } }),
        ev('e', 'Load', 9, { cat: 'net', id2: { local: '0x1' } }),
        ev('b', 'Other', 1, { cat: 'net', id: 7 }),
        ev('e', 'Nobody', 2, { cat: 'net', id: 8 }),
        ev('S', 'legacy', 1, { id: 1 }),
        ev('s', 'flow', 1, { id: 1 }),
        ev('P', 'sample', 1),
      ],
      samples: [{ ts: 1, sf: 1 }],
      stackFrames: { 1: { name: 'f' } },
    });
    const t = only(f);
    assert.strictEqual(parentName(t, 'Fetch'), 'Load');
    assert.strictEqual(parentName(t, 'Load'), undefined);
    assert.deepStrictEqual(t.spans[byName(t, 'Fetch')].events.map((e) => e.name), ['progress']);
    assert.strictEqual(getAttr(t.spans[byName(t, 'Load')].attributes, 'chrome.async_id'), '0x1');
    // Load, Fetch and Other; no thread spans.
    assert.strictEqual(t.spans.length, 3);
    assert.strictEqual(getAttr(t.spans[byName(t, 'Fetch')].attributes, 'thread.id'), 2n);
    const texts = f.warnings.map((w) => w.message).join('\n');
    assert.match(texts, /1 async e event\(s\) had no open b/);
    assert.match(texts, /1 async b event\(s\) had no matching e/);
    assert.match(texts, /3 trace event\(s\) are not spans.*1 S \(legacy async\).*1 s \(flow\).*1 P \(sample\)/);
    assert.match(texts, /1 CPU profile samples/);
  });

  it('derives the trace id from the content: stable for one file, different for another', () => {
    const a = [ev('X', 'a', 1, { dur: 1 })];
    assert.strictEqual(only(load(a)).traceId, only(load(a)).traceId);
    assert.notStrictEqual(only(load(a)).traceId, only(load([ev('X', 'a', 2, { dur: 1 })])).traceId);
    assert.match(only(load(a)).traceId, /^[0-9a-f]{32}$/);
  });

  it('refuses a file with no spans saying what it holds, and a wrong shape with an ImportError', () => {
    assert.throws(() => load({ traceEvents: [{ ph: 'M', pid: 1, name: 'process_name', args: { name: 'p' } }, ev('P', 'Profile', 1)] }), (e: unknown) => e instanceof ImportError && /only a CPU profile/.test(e.message));
    assert.throws(() => load({ traceEvents: [{ ph: 'M', pid: 1, name: 'process_name', args: { name: 'p' } }] }), (e: unknown) => e instanceof ImportError && /no span events/.test(e.message));
    assert.throws(() => load([ev('i', 'mark', 1)]), (e: unknown) => e instanceof ImportError && /only instant events \(1\)/.test(e.message));
    assert.throws(() => load({ traceEvents: 5 }), (e: unknown) => e instanceof ImportError && e.location.path === '$.traceEvents' && /expected an array/.test(e.message));
    assert.throws(() => importChrome('nope'), ImportError);
    const bad = importChrome([5, { name: 'no phase' }, ev('X', 'ok', 1, { dur: 1 }), ev('X', 'bad ts', 'soon' as unknown as number, { dur: 1 })]);
    assert.strictEqual(bad.spanCount, 1);
    assert.match(bad.warnings.map((w) => w.message).join('\n'), /2 trace event\(s\) are not objects.*\n.*no valid "ts".*\$\[3\]\.ts = "soon"/);
  });
});

describe('Chrome pairing and nesting', () => {
  const m = (order: number, t: number, name?: string) => ({ order, t, name });
  it('pairs a zero-duration event written end-first, and E events in stack order at one timestamp', () => {
    // "E C@2, B C@2" inside A: C is a zero-duration slice, not an E without B.
    const p = pairBeginEnd([m(0, 0, 'A'), m(2, 2, 'C')], [m(1, 2, 'C'), m(3, 10, 'A')]);
    assert.deepStrictEqual([...p.endOf], [1, 0]);
    assert.deepStrictEqual(p.unmatchedEnds, []);
    // B beta, B gamma @1; E beta, E gamma @2: gamma (innermost) closes first, no mismatch.
    const q = pairBeginEnd([m(0, 1, 'beta'), m(1, 1, 'gamma')], [m(2, 2, 'beta'), m(3, 2, 'gamma')]);
    assert.deepStrictEqual([...q.endOf], [0, 1]);
    // "E Z, E A, B A" at one ts over an open A: the E A ends the running A before the next A
    // begins, even though a stray E Z comes first.
    const r = pairBeginEnd([m(0, 0, 'A'), m(3, 5, 'A')], [m(1, 5, 'Z'), m(2, 5, 'A')]);
    assert.deepStrictEqual([...r.endOf], [1, -1]);
    assert.deepStrictEqual(r.unmatchedEnds, [0]);
  });
  it('nests by containment, [start, end): an event starting as another ends is its sibling', () => {
    const n = nestIntervals(
      [
        { start: 0, end: 10, order: 0 },
        { start: 0, end: 10, order: 1 },
        { start: 10, end: 12, order: 2 },
        { start: 5, end: 5, order: 3 },
      ],
      [0, 10, 5],
    );
    assert.deepStrictEqual([...n.parent], [-1, 0, -1, 1]);
    assert.deepStrictEqual([...n.probeOwner], [1, 2, 1]);
  });
});

describe('Chrome unterminated JSON array (parseChromeText)', () => {
  const body = '[{"pid":0,"tid":0,"ph":"X","name":"a","ts":1,"dur":2},\n {"pid":0,"tid":0,"ph":"X","name":"b","ts":1,"dur":1}';
  it('reads an array with no closing bracket, with or without a trailing comma or white space', () => {
    for (const text of [body, `${body},`, `${body},\n\n  `, `${body}\n\n\n`]) {
      const v = parseChromeText(text);
      assert.ok(Array.isArray(v) && v.length === 2, JSON.stringify(text.slice(-5)));
      const f = importTraceFile(enc.encode(text));
      assert.deepStrictEqual(paths(f), ['a', 'a > b']);
    }
  });
  it('returns undefined for anything else, so the original JSON error is reported', () => {
    assert.strictEqual(parseChromeText('[{"traceId":"1","id":"2","name":"zipkin"}'), undefined);
    assert.strictEqual(parseChromeText('[1, 2'), undefined);
    assert.strictEqual(parseChromeText('{"traceEvents":[{"ph":"X"}'), undefined);
    assert.strictEqual(parseChromeText('[{"ph":"X","ts":1,'), undefined); // cut inside an event
    assert.throws(() => importTraceFile(enc.encode('[{"ph":"X","name":"a","ts":1,"dur":')), (e: unknown) => e instanceof ImportError && /invalid JSON/.test(e.message));
  });
});

// ---- the shared corpus ----

/**
 * Expected span counts, computed independently with python3 over the raw JSON (json.load; the
 * unterminated malformed files closed with "]" after stripping a trailing comma):
 *   count = #events with ph in (X, B, b)        -- every B/b becomes a span, paired or closed by a guess
 * (threads are not spans: no thread roots are added).
 */
const EXPECTED_SPANS: Record<string, number> = {
  'chrome-trace/catapult-async_begin_end.json': 3,
  'chrome-trace/catapult-flow_simple.json': 5,
  'chrome-trace/speedscope-chrome116-Trace-20230603T221323.json': 2690,
  'chrome-trace/speedscope-chrome141-no-arg-data.json': 0,
  'chrome-trace/speedscope-chrome65-simple-timeline.json': 2693,
  'chrome-trace/speedscope-chrome66-worker.json': 1884,
  'chrome-trace/speedscope-chrome69-simple.json': 1067,
  'chrome-trace/speedscope-te-bex-interaction.json': 12,
  'chrome-trace/speedscope-te-end-event-with-empty-stack.json': 1,
  'chrome-trace/speedscope-te-end-non-top-of-stack.json': 3,
  'chrome-trace/speedscope-te-event-reordering-name-match.json': 3,
  'chrome-trace/speedscope-te-hermes-multiple-frames.json': 4,
  'chrome-trace/speedscope-te-invalid-x-nesting.json': 2,
  'chrome-trace/speedscope-te-matching-x.json': 5,
  'chrome-trace/speedscope-te-mismatched-args.json': 1,
  'chrome-trace/speedscope-te-mismatched-name.json': 1,
  'chrome-trace/speedscope-te-multi-thread-with-samples.json': 2,
  'chrome-trace/speedscope-te-multiprocess.json': 8,
  'chrome-trace/speedscope-te-must-retain-original-order.json': 7,
  'chrome-trace/speedscope-te-not-enough-end-events.json': 3,
  'chrome-trace/speedscope-te-only-begin-events.json': 3,
  'chrome-trace/speedscope-te-out-of-order-unbalanced-name.json': 2,
  'chrome-trace/speedscope-te-out-of-order.json': 3,
  'chrome-trace/speedscope-te-simple-hermes.json': 2,
  'chrome-trace/speedscope-te-simple-object.json': 3,
  'chrome-trace/speedscope-te-simple-with-samples.json': 0,
  'chrome-trace/speedscope-te-simple.json': 4,
  'chrome-trace/speedscope-te-simultaneous-anonymous-calls.json': 6,
  'chrome-trace/speedscope-te-too-many-end-events.json': 2,
  'chrome-trace/speedscope-te-unbalanced-args.json': 2,
  'chrome-trace/speedscope-te-unbalanced-name.json': 2,
  'chrome-trace/speedscope-te-x-events-matching-end.json': 9,
  'chrome-trace/speedscope-te-x-events-matching-start.json': 9,
  'chrome-trace/speedscope-te-zero-duration-events.json': 4,
  'malformed/chrome-speedscope-simple-partial-trailing-comma.json': 4,
  'malformed/chrome-speedscope-simple-partial-whitespace.json': 4,
  'malformed/chrome-speedscope-simple-partial.json': 4,
};
/** Files whose events pair and nest cleanly (speedscope's well-formed cases). */
const CLEAN = ['bex-interaction', 'event-reordering-name-match', 'hermes-multiple-frames', 'matching-x', 'mismatched-args', 'multiprocess', 'must-retain-original-order', 'out-of-order', 'simple-hermes', 'simultaneous-anonymous-calls', 'unbalanced-args', 'x-events-matching-end', 'x-events-matching-start', 'zero-duration-events'];
/** Files with E without B, B without E, or events that overlap without nesting. */
const MISMATCHED = ['end-event-with-empty-stack', 'end-non-top-of-stack', 'invalid-x-nesting', 'mismatched-name', 'not-enough-end-events', 'only-begin-events', 'out-of-order-unbalanced-name', 'too-many-end-events', 'unbalanced-name'];
const OVERLAPPING = ['invalid-x-nesting', 'out-of-order-unbalanced-name', 'unbalanced-name'];

const corpusDescribe = HAS_CORPUS ? describe : describe.skip;
const te = (name: string) => importTraceFile(readBytes(corpusFile(`chrome-trace/speedscope-te-${name}.json`)));

corpusDescribe(`Chrome import of the shared corpus${HAS_CORPUS ? '' : ` (SKIPPED: corpus absent at ${CORPUS})`}`, () => {
  it('finds every Chrome file of the corpus listed here', () => {
    const listed = [...fs.readdirSync(corpusFile('chrome-trace')).map((f) => `chrome-trace/${f}`), ...fs.readdirSync(corpusFile('malformed')).filter((f) => f.startsWith('chrome-')).map((f) => `malformed/${f}`)];
    assert.deepStrictEqual(listed.sort(), Object.keys(EXPECTED_SPANS).sort());
  });

  for (const [rel, expected] of Object.entries(EXPECTED_SPANS)) {
    it(expected ? `imports ${rel} with ${expected} spans` : `refuses ${rel}, which holds only a CPU profile, saying so`, () => {
      if (!expected) {
        assert.throws(() => importTraceFile(readBytes(corpusFile(rel))), (e: unknown) => e instanceof ImportError && /only a CPU profile/.test(e.message));
        return;
      }
      const f = importTraceFile(readBytes(corpusFile(rel)), { fileName: path.basename(rel) });
      assert.strictEqual(f.format, 'chrome');
      assert.strictEqual(f.spanCount, expected);
      assert.strictEqual(f.traces.length, expected ? 1 : 0);
    });
  }

  it('names services after processes and tags every slice with its thread (thread.id, thread.name)', () => {
    const t = only(te('multiprocess'));
    assert.deepStrictEqual(t.services, ['p0', 'p1', 'p3', 'pid 2']);
    const threadOf = (i: number) => `${t.spans[i].resource.serviceName}/${String(getAttr(t.spans[i].attributes, 'thread.name') ?? `thread ${String(getAttr(t.spans[i].attributes, 'thread.id'))}`)}`;
    const threads = [...new Set(t.roots.map(threadOf))].sort();
    assert.deepStrictEqual(threads, ['p0/p0t0', 'p0/p0t1', 'p1/p1t0', 'p1/p1t1', 'p3/thread 0', 'p3/thread 1', 'pid 2/p2t0', 'pid 2/p2t1']);
    const real = only(importTraceFile(readBytes(corpusFile('chrome-trace/speedscope-chrome65-simple-timeline.json'))));
    assert.deepStrictEqual(real.services, ['Browser', 'GPU Process', 'Renderer']);
    assert.ok(real.roots.some((i) => getAttr(real.spans[i].attributes, 'thread.name') === 'CrRendererMain'));
    const hermes = only(te('multi-thread-with-samples')); // string ts and tid
    assert.deepStrictEqual(hermes.services, ['hermes']);
    assert.deepStrictEqual([...new Set(hermes.spans.map((s) => String(getAttr(s.attributes, 'thread.name') ?? 'unnamed')))].sort(), ['mqt_js', 'unnamed']);
  });

  it('warns about mismatched pairs and overlaps, and stays quiet on well-formed files', () => {
    for (const name of MISMATCHED) assert.ok(unmatched(te(name)).length > 0, `${name} should warn`);
    for (const name of CLEAN) assert.deepStrictEqual(unmatched(te(name)).map((w) => w.message), [], `${name} should not warn`);
    for (const name of OVERLAPPING) assert.ok(unmatched(te(name)).some((w) => /overlap without nesting/.test(w.message)), name);
  });

  it('nests like the speedscope reference cases (original order kept, same-ts E reordered)', () => {
    assert.deepStrictEqual(paths(te('must-retain-original-order')), ['A', 'A', 'A > B', 'A > B', 'A > B > C', 'A > B > C', 'X']);
    assert.deepStrictEqual(paths(te('event-reordering-name-match')), ['alpha', 'alpha > beta', 'alpha > beta > gamma']);
    assert.deepStrictEqual(paths(te('x-events-matching-end')).filter((p) => p.split(' > ').length === 3).sort(), ['alpha > beta > gamma', 'alpha > beta > gamma', 'alpha > gamma > beta', 'alpha > gamma > beta']);
  });

  it('keeps zero-duration events as zero-length spans in place', () => {
    const t = only(te('zero-duration-events'));
    const zero = t.spans.filter((s) => s.endTimeUnixNano === s.startTimeUnixNano).map((s) => s.name);
    assert.deepStrictEqual(zero, ['B', 'C', 'D']);
    for (const n of zero) assert.strictEqual(parentName(t, n), 'A');
  });

  it('reads the unterminated malformed files like the complete original', () => {
    const original = paths(te('simple'), true);
    for (const f of ['chrome-speedscope-simple-partial.json', 'chrome-speedscope-simple-partial-trailing-comma.json', 'chrome-speedscope-simple-partial-whitespace.json']) {
      assert.deepStrictEqual(paths(importTraceFile(readBytes(corpusFile(`malformed/${f}`)))), paths(te('simple')).sort(), f);
      assert.deepStrictEqual(paths(importTraceFile(readBytes(corpusFile(`malformed/${f}`))), true), original, f);
    }
  });

  it('maps real Chrome source locations and async events', () => {
    const t65 = only(importTraceFile(readBytes(corpusFile('chrome-trace/speedscope-chrome65-simple-timeline.json'))));
    const task = t65.spans.find((s) => getAttr(s.attributes, 'code.file.path') === '../../base/trace_event/trace_log.cc');
    assert.ok(task && getAttr(task.attributes, 'code.function.name') === 'SetEnabled');
    const f116 = importTraceFile(readBytes(corpusFile('chrome-trace/speedscope-chrome116-Trace-20230603T221323.json')));
    const t116 = only(f116);
    // 234 b and 234 e events, all with id2.local, all paired (python: collections.Counter of ph).
    assert.strictEqual(t116.spans.filter((s) => getAttr(s.attributes, 'chrome.async_id') !== undefined).length, 234);
    assert.ok(!f116.warnings.some((w) => /async/.test(w.message)), f116.warnings.map((w) => w.message).join('\n'));
  });
});

// ---- export ----

/** Every tid's X events must nest (disjoint or contained) for Perfetto/chrome://tracing. */
function assertProperNesting(events: readonly ChromeEvent[]): void {
  const byTid = new Map<string, ChromeEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X') continue;
    const k = `${e.pid}/${e.tid}`;
    if (!byTid.has(k)) byTid.set(k, []);
    byTid.get(k)!.push(e);
  }
  for (const [k, xs] of byTid) {
    xs.sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
    const open: ChromeEvent[] = [];
    for (const x of xs) {
      while (open.length && open[open.length - 1].ts! + open[open.length - 1].dur! <= x.ts!) open.pop();
      const top = open[open.length - 1];
      assert.ok(!top || x.ts! + x.dur! <= top.ts! + top.dur!, `${k}: "${x.name}" overlaps "${top?.name}" without nesting`);
      open.push(x);
    }
  }
}

const reimport = (out: object): TraceFile => importTraceFile(enc.encode(JSON.stringify(out)));

describe('Chrome trace export', () => {
  // A sequential call tree in "web", two concurrent children of one parent, and a remote call.
  const us = (n: number) => n * 1000;
  const spans: Span[] = [
    span({ id: 'a1', start: 0, end: us(100), name: 'GET /', service: 'web', attrs: [{ key: 'http.method', value: 'GET' }, { key: 'code.function.name', value: 'handle' }] }),
    span({ id: 'a2', parent: 'a1', start: us(10), end: us(60), name: 'render', service: 'web' }),
    span({ id: 'a3', parent: 'a2', start: us(20), end: us(40), name: 'fetch-1', service: 'web' }),
    span({ id: 'a4', parent: 'a2', start: us(25), end: us(50), name: 'fetch-2', service: 'web', events: [{ name: 'retry', at: us(30) }] }),
    span({ id: 'b1', parent: 'a3', start: us(22), end: us(38), name: 'SELECT', service: 'db', error: true }),
    // Inside fetch-1's time but a child of render: drawing it under fetch-1 would lie.
    span({ id: 'a5', parent: 'a2', start: us(26), end: us(30), name: 'fetch-3', service: 'web' }),
  ];
  const tf = file([trace(spans)]);

  it('writes JSON Object Format with a process per service, threads named, microsecond X events', () => {
    const out = toChromeTrace(tf);
    assert.strictEqual(out.displayTimeUnit, 'ms');
    const text = JSON.stringify(out); // no bigint anywhere
    assert.ok(text.length > 0);
    const names = out.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.args!.name).sort();
    assert.deepStrictEqual(names, ['db', 'web']);
    const get = (n: string) => out.traceEvents.find((e) => e.ph === 'X' && e.name === n)!;
    assert.deepStrictEqual([get('GET /').ts, get('GET /').dur, get('fetch-2').ts, get('fetch-2').dur], [0, 100, 25, 25]);
    assert.deepStrictEqual(get('GET /').args, { 'http.method': 'GET', src_func: 'handle' });
    assert.strictEqual(get('SELECT').args!['otel.status_code'], 'ERROR');
    assert.ok(out.traceEvents.some((e) => e.ph === 'i' && e.name === 'retry' && e.ts === 30));
    assertProperNesting(out.traceEvents);
    // fetch-2 overlaps fetch-1, so it gets its own lane; parent links across lanes become flows.
    assert.notStrictEqual(get('fetch-1').tid, get('fetch-2').tid);
    assert.strictEqual(get('render').tid, get('fetch-1').tid);
    assert.strictEqual(out.traceEvents.filter((e) => e.ph === 's').length, 3); // render->fetch-2, render->fetch-3, fetch-1->SELECT
    assert.ok(![get('fetch-1').tid, get('fetch-2').tid].includes(get('fetch-3').tid));
    assert.ok(out.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').every((e) => typeof e.args!.name === 'string'));
  });

  it('re-imports with the same spans (no lane spans added) and nesting within each lane', () => {
    const back = reimport(toChromeTrace(tf));
    const t = only(back);
    const lanes = new Set(t.spans.map((s) => `${s.resource.serviceName}/${String(getAttr(s.attributes, 'thread.id'))}`)).size;
    assert.strictEqual(lanes, 4); // web: main lane + fetch-2's + fetch-3's; db: one lane
    assert.strictEqual(back.spanCount, spans.length);
    assert.deepStrictEqual(t.spans.map((s) => s.name).sort(), spans.map((s) => s.name).sort());
    assert.strictEqual(parentName(t, 'render'), 'GET /');
    assert.strictEqual(parentName(t, 'fetch-1'), 'render');
    // Cross-lane parents are flow arrows in Chrome, which are not imported: fetch-3 is a root of its lane.
    assert.strictEqual(parentName(t, 'fetch-3'), undefined);
    assert.match(String(getAttr(t.spans[byName(t, 'fetch-3')].attributes, 'thread.name')), /^lane \d$/);
    assert.strictEqual(t.spans[byName(t, 'SELECT')].status.code, StatusCode.Error);
    assert.strictEqual(t.spans[byName(t, 'fetch-2')].events[0].name, 'retry');
    // Absolute times survive through otherData.spanlensTimeOriginNs.
    assert.strictEqual(t.spans[byName(t, 'GET /')].startTimeUnixNano, T0);
    assert.strictEqual(t.spans[byName(t, 'fetch-2')].endTimeUnixNano, T0 + 50_000n);
  });

  (HAS_CORPUS ? it : it.skip)('round-trips Chrome corpus files exactly: same spans, times, nesting and instants', () => {
    const files = fs
      .readdirSync(corpusFile('chrome-trace'))
      .filter((f) => !OVERLAPPING.some((o) => f.endsWith(`${o}.json`)) && EXPECTED_SPANS[`chrome-trace/${f}`] > 0);
    assert.strictEqual(files.length, 29);
    for (const f of files) {
      const a = importTraceFile(readBytes(corpusFile(`chrome-trace/${f}`)));
      const out = toChromeTrace(a);
      assertProperNesting(out.traceEvents);
      const b = reimport(out);
      assert.strictEqual(b.spanCount, a.spanCount, f);
      assert.deepStrictEqual(paths(b, true), paths(a, true), f);
    }
  });

  (HAS_CORPUS ? it : it.skip)('moves events that overlapped without nesting onto a lane of their own', () => {
    const out = toChromeTrace(te('invalid-x-nesting'));
    assertProperNesting(out.traceEvents);
    const xs = out.traceEvents.filter((e) => e.ph === 'X');
    assert.deepStrictEqual(xs.map((e) => e.name), ['alpha', 'beta']);
    assert.notStrictEqual(xs[0].tid, xs[1].tid);
    assert.strictEqual(reimport(out).spanCount, 2); // alpha, beta
  });
});
