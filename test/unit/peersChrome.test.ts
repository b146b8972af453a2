// Chrome Trace Event files as two peer importers read them: Perfetto's JSON trace parser
// (test/trace_processor/diff_tests/parser/json/tests.py: inline JSON and the expected slice table)
// and catapult's trace_event importer (tracing/extras/importer/trace_event_importer_test.html:
// inline events and the expected slices). The inputs are in test/fixtures/peers/chrome/, byte for
// byte for Perfetto and as JSON for catapult's JS literals; SOURCES.md names the commits. Each test
// title names the peer test. Where the peer and Spanlens's design disagree, Spanlens follows its
// design and the test says so.
//
// Then Spanlens's own rules for Chrome threads (they are attributes and a waterfall grouping, not
// spans) and the critical path of a multi-thread trace, through the CLI as a user runs it.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { criticalPath } from '../../src/core/analysis/criticalPath';
import { selfTimeNs } from '../../src/core/analysis/selfTime';
import { importTraceFile } from '../../src/core/importers/importFile';
import { getAttr } from '../../src/core/model/attributes';
import { ImportError } from '../../src/core/model/errors';
import type { Span, Trace, TraceFile } from '../../src/core/model/model';
import { buildWaterfall } from '../../src/core/view/waterfall';
import { FIXTURES, readBytes, REPO_ROOT } from '../support/paths';

const DIR = path.join(FIXTURES, 'peers', 'chrome');
const load = (rel: string): TraceFile => importTraceFile(readBytes(path.join(DIR, rel)), { fileName: path.basename(rel) });
const only = (f: TraceFile): Trace => {
  assert.strictEqual(f.format, 'chrome');
  assert.strictEqual(f.traces.length, 1);
  return f.traces[0];
};
const named = (t: Trace, name: string): Span => {
  const s = t.spans.find((x) => x.name === name);
  assert.ok(s, `no span named ${name}`);
  return s;
};
const indexOf = (t: Trace, name: string) => t.spans.indexOf(named(t, name));
const parentName = (t: Trace, name: string): string | undefined => {
  const p = t.parentIndex[indexOf(t, name)];
  return p >= 0 ? t.spans[p].name : undefined;
};
/** Perfetto's slice.ts / dur columns are ns; ts is the file's µs * 1000 (Spanlens keeps the clock unshifted when > 0). */
const tsDur = (s: Span) => [Number(s.startTimeUnixNano), Number(s.endTimeUnixNano - s.startTimeUnixNano)];
const attr = (s: Span, key: string) => getAttr(s.attributes, key);
const warnings = (f: TraceFile) => f.warnings.map((w) => w.message).join('\n');

describe('peer perfetto: diff_tests/parser/json/tests.py (JsonParser)', () => {
  it('test_string_pid_tid: a string pid and tid name the process and thread (ph "XXX" is refused: the spec says one character)', () => {
    // Perfetto reads "XXX" by its first character; the Trace Event Format's ph is a single
    // character, so Spanlens does not guess: the file has no span events.
    assert.throws(() => load('perfetto/test_string_pid_tid.json'), (e: unknown) => e instanceof ImportError && /contains no spans/.test(e.message));
    const doc = JSON.parse(fs.readFileSync(path.join(DIR, 'perfetto/test_string_pid_tid.json'), 'utf8'));
    doc.traceEvents[0].ph = 'X';
    const t = only(importTraceFile(new TextEncoder().encode(JSON.stringify(doc))));
    const s = named(t, 'name.exec');
    // "ts","dur","name","process_name","thread_name": 5100,500100,"name.exec","foo","bar"
    assert.deepStrictEqual([...tsDur(s), s.resource.serviceName, attr(s, 'thread.name')], [5100, 500100, 'foo', 'bar']);
    assert.strictEqual(attr(s, 'thread.id'), 'bar');
  });

  it('test_x_event_order: an event without a tid is on its process main thread (tid = pid), so Child nests in Parent', () => {
    const t = only(load('perfetto/test_x_event_order.json'));
    // "ts","dur","name","depth": 1000,10000,"Parent",0 / 1000,5000,"Child",1
    assert.deepStrictEqual(tsDur(named(t, 'Parent')), [1000, 10000]);
    assert.deepStrictEqual(tsDur(named(t, 'Child')), [1000, 5000]);
    assert.strictEqual(parentName(t, 'Child'), 'Parent');
    assert.strictEqual(parentName(t, 'Parent'), undefined);
  });

  it('test_json_incomplete: an unterminated array with a trailing comma', () => {
    const t = only(load('perfetto/test_json_incomplete.json'));
    assert.deepStrictEqual(t.spans.map((s) => Number(s.startTimeUnixNano)), [4619295550000]);
  });

  it('test_json_trailing_comma: a comma before the closing ] of traceEvents is accepted', () => {
    const t = only(load('perfetto/test_json_trailing_comma.json'));
    // "name","ts","dur": "Bar",4890000,3764289708 / "Foo",3473608458,295555500
    const rows = [...t.spans].sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano)).map((s) => [s.name, ...tsDur(s)]);
    assert.deepStrictEqual(rows, [['Bar', 4890000, 3764289708], ['Foo', 3473608458, 295555500]]);
  });

  it('test_json_all_slice_types: B/E args, X args, instants (Spanlens: instants are events on the slices, and the mismatched B stays unfinished)', () => {
    const f = load('perfetto/test_json_all_slice_types.json');
    const t = only(f);
    const complete = named(t, 'CompleteEvent');
    // 250000,50000,"CompleteEvent","args.another_int",-5
    assert.deepStrictEqual(tsDur(complete), [250000, 50000]);
    assert.strictEqual(attr(complete, 'another_int'), -5n);
    assert.strictEqual(complete.scope.name, 'cat2,cat3');
    const begin = named(t, 'BeginEvent');
    assert.deepStrictEqual([attr(begin, 'arg_str'), attr(begin, 'arg_int'), attr(begin, 'arg_bool')], ['hello', 123n, true]);
    // Perfetto: dur -1 (never ended), since the E is named "EndEvent". Spanlens also leaves the E
    // unmatched (an E closes the B of its name) and closes the B at its thread's last event, marked.
    assert.strictEqual(Number(begin.startTimeUnixNano), 100000);
    assert.ok(attr(begin, 'spanlens.incomplete'));
    assert.match(warnings(f), /E event\(s\) had no open B event.*"EndEvent"/);
    // Perfetto makes the instants 0-duration slices; Spanlens puts them on the slice of their
    // thread around them, else the nearest one (README: instants become span events).
    assert.strictEqual(t.spans.length, 2);
    assert.deepStrictEqual(begin.events.map((e) => e.name), ['InstantGlobal', 'InstantThread', 'InstantR', 'Instanti']);
    assert.deepStrictEqual(complete.events.map((e) => e.name), ['InstantProcess', 'InstantDefaultScope']);
  });

  it('test_json_metadata: process_name and thread_name metadata, pid-only and pid/tid-less events', () => {
    const f = load('perfetto/test_json_metadata.json');
    const t = only(f);
    const row = (n: string) => {
      const s = named(t, n);
      return [...tsDur(s), attr(s, 'thread.name'), attr(s, 'thread.id'), s.resource.serviceName];
    };
    // "ts","dur","name","thread_name","tid","process_name","pid"
    assert.deepStrictEqual(row('ActivityOnThread31'), [790000, 25000, 'MyRevisedThread31Name', 31n, 'MyProcess30']);
    assert.deepStrictEqual(row('EventMissingCatAndArgs'), [900000, 50000, undefined, 32n, 'MyProcess30']);
    // Perfetto: process_name NULL; Spanlens names an unnamed process "pid N" (service.name is required).
    assert.deepStrictEqual(row('PidOnlyEvent'), [960000, 10000, undefined, 33n, 'pid 33']);
    assert.deepStrictEqual(row('NoPidNoTidEvent'), [970000, 10000, undefined, 0n, 'pid 0']);
    assert.strictEqual(t.spans.length, 4); // the counters are not spans
    assert.match(warnings(f), /3 C \(counter\)/);
  });

  it('test_string_ts_and_dur: ts and dur as decimal strings', () => {
    const t = only(load('perfetto/test_string_ts_and_dur.json'));
    // 100000,100500,"BeginEvent" / 250000,50500,"CompleteEvent"
    assert.deepStrictEqual(tsDur(named(t, 'BeginEvent')), [100000, 100500]);
    assert.deepStrictEqual(tsDur(named(t, 'CompleteEvent')), [250000, 50500]);
  });

  it('test_invalid_string_ts_and_dur: a bad ts drops the event; a bad dur (Spanlens differs) keeps it as unfinished', () => {
    // Perfetto imports no slice at all. Spanlens drops the event without a time but keeps the X
    // with a bad dur as a span closed by a guess and marked, as for an X without dur.
    const f = load('perfetto/test_invalid_string_ts_and_dur.json');
    const t = only(f);
    assert.deepStrictEqual(t.spans.map((s) => s.name), ['InvalidDur']);
    assert.ok(attr(named(t, 'InvalidDur'), 'spanlens.incomplete'));
    assert.match(warnings(f), /no valid "ts".*"invalid"/);
  });

  it('test_trailing_empty_event: a trailing {} does not fail the import; the event before it imports', () => {
    const f = load('perfetto/test_trailing_empty_event.json');
    assert.strictEqual(f.spanCount, 1); // "slice_count": 1
    // Perfetto counts no tokenizer failure; Spanlens lists the skipped record in a warning.
    assert.match(warnings(f), /1 trace event\(s\) are not objects with a "ph"/);
  });

  it('test_overlapping_complete_event_recovered: both overlapping X events are kept, the overlap reported once', () => {
    const f = load('perfetto/test_overlapping_complete_event_recovered.json');
    assert.strictEqual(f.spanCount, 2); // "slice_count": 2, "drop_count": 0
    const overlaps = f.warnings.filter((w) => /overlap without nesting/.test(w.message));
    assert.deepStrictEqual(overlaps.map((w) => w.count), [1]); // "spill_count": 1
    assert.match(overlaps[0].message, /"inner" at ts 150/);
  });
});

describe('peer catapult: tracing/extras/importer/trace_event_importer_test.html', () => {
  it('basicSingleThreadNonnestedParsing: two B/E slices on one thread, categories kept', () => {
    const t = only(load('catapult/basicSingleThreadNonnestedParsing.json'));
    assert.strictEqual(t.spans.length, 2);
    const a = named(t, 'a');
    const b = named(t, 'b');
    assert.deepStrictEqual([a.scope.name, b.scope.name], ['foo', 'bar']);
    // catapult: a.start 0, duration (560-520)/1000 ms; b.start (629-520)/1000, duration (631-629)/1000.
    assert.strictEqual(Number(a.endTimeUnixNano - a.startTimeUnixNano), 40_000);
    assert.strictEqual(Number(b.startTimeUnixNano - t.startTimeUnixNano), 109_000);
    assert.strictEqual(Number(b.endTimeUnixNano - b.startTimeUnixNano), 2_000);
    assert.deepStrictEqual([attr(a, 'thread.id'), getAttr(a.resource.attributes, 'process.pid')], [53n, 52n]);
    assert.deepStrictEqual([parentName(t, 'a'), parentName(t, 'b')], [undefined, undefined]); // subSlices.length 0
  });

  it('nestedParsing: b is a sub-slice of a; a.selfTime 0.002 ms', () => {
    const t = only(load('catapult/nestedParsing.json'));
    assert.strictEqual(parentName(t, 'b'), 'a');
    assert.strictEqual(selfTimeNs(t, indexOf(t, 'a')), 2_000);
    assert.deepStrictEqual(tsDur(named(t, 'b')), [2_000, 1_000]);
  });

  it('nestedParsingWithDoubleNesting: a > b > c; a.selfTime 0.002 ms', () => {
    const t = only(load('catapult/nestedParsingWithDoubleNesting.json'));
    assert.deepStrictEqual([parentName(t, 'b'), parentName(t, 'c')], ['a', 'b']);
    assert.strictEqual(selfTimeNs(t, indexOf(t, 'a')), 2_000);
    assert.strictEqual(selfTimeNs(t, indexOf(t, 'b')), 3_000);
    assert.deepStrictEqual(tsDur(named(t, 'c')), [3_000, 2_000]);
  });

  it('beginEndNameMismatch: an E naming another slice is an import warning (Spanlens: one per problem, two here)', () => {
    // catapult reports 1 warning; Spanlens reports the E that closed nothing and the B left open.
    const f = load('catapult/beginEndNameMismatch.json');
    const unmatched = f.warnings.filter((w) => w.code === 'unmatched-event');
    assert.strictEqual(unmatched.length, 2);
    assert.ok(attr(named(only(f), 'a'), 'spanlens.incomplete'));
  });

  it('autoclosing: a B without E did not finish, closed at its thread last timestamp (0.001 ms)', () => {
    const t = only(load('catapult/autoclosing.json'));
    const a = named(t, 'a');
    assert.ok(attr(a, 'spanlens.incomplete')); // didNotFinish
    assert.strictEqual(Number(a.endTimeUnixNano), 1_000); // end 0.001 ms
    assert.deepStrictEqual(tsDur(named(t, 'b')), [1_000, 1_000]);
  });

  it('multiplePidParsing: one process per pid, each its own service and thread', () => {
    const t = only(load('catapult/multiplePidParsing.json'));
    assert.deepStrictEqual(t.services, ['pid 1', 'pid 2']);
    assert.deepStrictEqual([attr(named(t, 'a'), 'thread.id'), attr(named(t, 'b'), 'thread.id')], [1n, 2n]);
    assert.strictEqual(Number(named(t, 'b').startTimeUnixNano - t.startTimeUnixNano), 2_000); // (3 - 1) / 1000 ms
  });

  it('threadNames: thread_name metadata names the threads (Spanlens needs a slice on each to show it)', () => {
    // catapult makes threads from metadata alone; Spanlens has no spans to show then, so it refuses
    // the file as it is and names the threads on the slices of the same file with one X event each.
    assert.throws(() => load('catapult/threadNames.json'), (e: unknown) => e instanceof ImportError && /contains no spans/.test(e.message));
    const events = JSON.parse(fs.readFileSync(path.join(DIR, 'catapult/threadNames.json'), 'utf8'));
    events.push({ ph: 'X', pid: 1, tid: 1, ts: 1, dur: 1, name: 'x1' }, { ph: 'X', pid: 2, tid: 2, ts: 1, dur: 1, name: 'x2' });
    const t = only(importTraceFile(new TextEncoder().encode(JSON.stringify(events))));
    assert.deepStrictEqual([attr(named(t, 'x1'), 'thread.name'), attr(named(t, 'x2'), 'thread.name')], ['Thread 1', 'Thread 2']);
  });

  it('parsingWhenEndComesFirst: an E before any B is a warning; the later pair is one slice (start 0.004, duration 0.001 ms)', () => {
    const f = load('catapult/parsingWhenEndComesFirst.json');
    const t = only(f);
    assert.strictEqual(t.spans.length, 1);
    assert.deepStrictEqual(tsDur(t.spans[0]), [4_000, 1_000]);
    assert.strictEqual(f.warnings.filter((w) => w.code === 'unmatched-event').length, 1);
  });

  it('immediateParsing: I and i events (Spanlens differs: they are events on the slice, not 0-duration slices)', () => {
    // catapult: 3 slices (a, and immediate / slower with duration 0). Spanlens keeps one span with
    // two events: "slower" at a's end is outside [start, end), so it goes on the nearest slice, a.
    const t = only(load('catapult/immediateParsing.json'));
    assert.strictEqual(t.spans.length, 1);
    const a = named(t, 'a');
    assert.deepStrictEqual(tsDur(a), [1_000, 3_000]);
    assert.deepStrictEqual(a.events.map((e) => [e.name, Number(e.timeUnixNano)]), [['immediate', 2_000], ['slower', 4_000]]);
  });

  it('nestableAsyncBasic: a nestable async pair nests, and the sub-slice has the args of both its b and e', () => {
    const t = only(load('catapult/nestableAsyncBasic.json'));
    assert.strictEqual(parentName(t, 'b'), 'a');
    assert.strictEqual(parentName(t, 'a'), undefined); // isTopLevel
    const b = named(t, 'b');
    assert.deepStrictEqual([attr(b, 'x'), attr(b, 'y')], [1n, 2n]);
  });
});

// ---- Spanlens's own rules: threads are not spans ----

const THREADS = 'spanlens-threads.json'; // 6 X events: Browser (2 named threads) and pid 7
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('Chrome threads are attributes and a waterfall grouping, not spans', () => {
  it('a file with N X events has spanCount N: no synthetic thread spans', () => {
    const f = load(THREADS);
    assert.strictEqual(f.spanCount, 6);
    assert.ok(only(f).spans.every((s) => attr(s, 'spanlens.synthetic') === undefined));
  });

  it('each slice carries thread.id and thread.name (thread_name metadata); service.name is the process name, else "pid N"', () => {
    const t = only(load(THREADS));
    const desc = (n: string) => {
      const s = named(t, n);
      return [s.resource.serviceName, attr(s, 'thread.id'), attr(s, 'thread.name')];
    };
    assert.deepStrictEqual(desc('Layout'), ['Browser', 11n, 'CrBrowserMain']);
    assert.deepStrictEqual(desc('Write'), ['Browser', 12n, 'IOThread']);
    assert.deepStrictEqual(desc('Compile'), ['pid 7', 70n, undefined]);
  });

  it('the waterfall keeps each thread together: roots grouped by process and thread, in the order of their first task', () => {
    const t = only(load(THREADS));
    const wf = buildWaterfall(t, 0);
    const rows = Array.from(wf.spanIndex, (i, r) => `${'  '.repeat(wf.depth[r])}${t.spans[i].name}`);
    // By start alone the roots would interleave: Task A, Compile, Read, Task B, Write.
    assert.deepStrictEqual(rows, ['Task A', '  Layout', 'Task B', 'Compile', 'Read', 'Write']);
  });

  it('every thread gets its own critical path, and the waterfall highlights the same segments', () => {
    const t = only(load(THREADS));
    const segs = criticalPath(t).map((s) => [t.spans[s.spanIndex].name, s.startNs / 1000, s.endNs / 1000]);
    assert.deepStrictEqual(segs, [
      ['Task A', 0, 20],
      ['Compile', 5, 25],
      ['Read', 10, 60],
      ['Layout', 20, 50],
      ['Task A', 50, 100],
      ['Task B', 200, 240],
      ['Write', 210, 220],
    ]);
    const wf = buildWaterfall(t, 0);
    assert.deepStrictEqual(
      Array.from(wf.criticalRow, (r, k) => [wf.spanIndex[r], wf.criticalStartNs[k], wf.criticalEndNs[k]]),
      criticalPath(t).map((s) => [s.spanIndex, s.startNs, s.endNs]),
    );
  });

  describe('through the CLI', function () {
    before(function () {
      if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.js" first`);
    });

    it('convert --to otlp-json writes N spans for N X events, and --to chrome re-imports N', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-threads-'));
      const otlp = path.join(dir, 'out.otlp.json');
      assert.strictEqual(cli('convert', path.join(DIR, THREADS), '--to', 'otlp-json', '-o', otlp).code, 0);
      const doc = JSON.parse(fs.readFileSync(otlp, 'utf8'));
      const spans = doc.resourceSpans.flatMap((rs: { scopeSpans: { spans: unknown[] }[] }) => rs.scopeSpans.flatMap((ss) => ss.spans));
      assert.strictEqual(spans.length, 6);
      const chrome = path.join(dir, 'out.chrome.json');
      assert.strictEqual(cli('convert', path.join(DIR, THREADS), '--to', 'chrome', '-o', chrome).code, 0);
      const back = JSON.parse(cli('inspect', chrome, '--json').stdout);
      assert.strictEqual(back.spanCount, 6);
      assert.strictEqual(JSON.parse(cli('inspect', otlp, '--json').stdout).spanCount, 6);
    });

    it('inspect --json gives each trace a criticalPath covering every root (every thread), in time order', () => {
      const r = cli('inspect', path.join(DIR, THREADS), '--json');
      assert.strictEqual(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.strictEqual(out.spanCount, 6);
      const seg = (id: number, a: number, b: number) => ({ spanId: id.toString(16).padStart(16, '0'), startTimeUnixNano: String(a * 1000), endTimeUnixNano: String(b * 1000) });
      // Span ids are assigned in file order: Task A 1, Read 2, Layout 3, Task B 4, Write 5, Compile 6.
      assert.deepStrictEqual(out.traces[0].criticalPath, [seg(1, 1000, 1020), seg(6, 1005, 1025), seg(2, 1010, 1060), seg(3, 1020, 1050), seg(1, 1050, 1100), seg(4, 1200, 1240), seg(5, 1210, 1220)]);
    });

    it('inspect --json criticalPath of a Jaeger trace: lower-hex span ids and decimal ns (jaeger-ui testCases/test3.js)', () => {
      const r = cli('inspect', path.join(FIXTURES, 'peers', 'jaeger-ui', 'critical-path', 'test3.json'), '--json');
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(JSON.parse(r.stdout).traces[0].criticalPath, [{ spanId: '006c3cf93508f205', startTimeUnixNano: '100000', endTimeUnixNano: '140000' }]);
    });
  });
});
