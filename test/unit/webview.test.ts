// Pure parts of the waterfall webview: duration text in and out, axis ticks, and which rows the
// tree shows under collapse and search filters. The DOM parts are covered by test/webview-dev/smoke.js.
import * as assert from 'assert';
import type { WaterfallDto } from '../../src/shared/protocol';
import { axisTicks, buildFindQuery, displayText, EXPANDED_CHARS, FOLD_CHARS, foldText, formatCount, formatDuration, formatOffset, parseDurationInput } from '../../webview/format';
import { percentile } from '../../webview/stats';
import {
  buildFilter,
  collapsedFromBase,
  computeVisible,
  decodeCollapsed,
  encodeCollapsed,
  expandAncestors,
  indexOfRow,
  TraceRows,
} from '../../webview/treeModel';

/**
 *   row 0  root          (span 10)
 *   row 1    a           (span 11)
 *   row 2      a1        (span 12)
 *   row 3      a2        (span 13)
 *   row 4    b           (span 14)
 *   row 5  second root   (span 15)
 */
function sampleDto(overrides: Partial<WaterfallDto> = {}): WaterfallDto {
  return {
    traceIndex: 0,
    traceId: 'ab'.repeat(16),
    startTimeUnixNano: '1700000000000000000',
    durationNs: 100,
    services: ['api', 'db'],
    rowCount: 6,
    spanIndex: Int32Array.from([10, 11, 12, 13, 14, 15]),
    depth: Uint16Array.from([0, 1, 2, 2, 1, 0]),
    startNs: Float64Array.from([0, 5, 6, 20, 50, 80]),
    durationNsByRow: Float64Array.from([100, 40, 10, 20, 30, 20]),
    subtreeEnd: Int32Array.from([5, 4, 3, 4, 5, 6]),
    service: Uint16Array.from([0, 0, 1, 1, 0, 1]),
    flags: Uint8Array.from([16, 16, 0, 0, 0, 0]),
    nameTable: ['root', 'a', 'a1', 'a2', 'b', 'second root'],
    nameIndex: Uint32Array.from([0, 1, 2, 3, 4, 5]),
    eventRow: Int32Array.from([4, 1, 4, 99]),
    eventNs: Float64Array.from([60, 10, 55, 1]),
    criticalRow: Int32Array.from([0, 4]),
    criticalStartNs: Float64Array.from([0, 50]),
    criticalEndNs: Float64Array.from([50, 80]),
    warnings: [],
    ...overrides,
  };
}

describe('webview format', () => {
  it('formats durations like the CLI does', () => {
    assert.strictEqual(formatDuration(0), '0 ns');
    assert.strictEqual(formatDuration(999), '999 ns');
    assert.strictEqual(formatDuration(812_000), '812 µs');
    assert.strictEqual(formatDuration(4_100_000), '4.1 ms');
    assert.strictEqual(formatDuration(12_000_000), '12 ms');
    assert.strictEqual(formatDuration(3_250_000_000), '3.25 s');
    assert.strictEqual(formatDuration(Number.NaN), '—');
    assert.strictEqual(formatOffset(-1_200_000), '-1.2 ms');
    assert.strictEqual(formatOffset(1_200_000), '+1.2 ms');
  });

  it('parses what people type as a minimum duration', () => {
    assert.strictEqual(parseDurationInput('10ms'), 10_000_000);
    assert.strictEqual(parseDurationInput('250us'), 250_000);
    assert.strictEqual(parseDurationInput('250µs'), 250_000);
    assert.strictEqual(parseDurationInput(' 1.5s '), 1_500_000_000);
    assert.strictEqual(parseDurationInput('2 min'), 120_000_000_000);
    assert.strictEqual(parseDurationInput('750ns'), 750);
    assert.strictEqual(parseDurationInput('12'), 12_000_000, 'a bare number is milliseconds');
    assert.strictEqual(parseDurationInput('1.5MS'), 1_500_000);
  });

  it('rejects durations it cannot read', () => {
    for (const bad of ['', 'abc', '10 parsecs', '-5ms', '1.2.3s', 'ms']) {
      assert.strictEqual(parseDurationInput(bad), undefined, bad);
    }
  });

  it('puts axis ticks on round 1-2-5 steps', () => {
    assert.deepStrictEqual(axisTicks(0, 2_400_000_000, 8).ticks, [0, 500_000_000, 1_000_000_000, 1_500_000_000, 2_000_000_000]);
    const zoomed = axisTicks(1_234_000, 1_301_000, 6);
    assert.strictEqual(zoomed.step, 20_000);
    assert.strictEqual(zoomed.ticks[0], 1_240_000);
    assert.deepStrictEqual(axisTicks(5, 5, 4).ticks, [5], 'an empty range still gets one tick');
  });

  it('groups thousands and takes percentiles', () => {
    assert.strictEqual(formatCount(1234567), '1,234,567');
    assert.strictEqual(formatCount(999), '999');
    assert.strictEqual(percentile([5, 1, 4, 2, 3], 50), 3);
    assert.strictEqual(percentile([1, 2, 3, 4, 100], 95), 100);
    assert.strictEqual(percentile([], 50), 0);
  });
});

describe('webview text safety and find fields (issue 10 papercuts)', () => {
  it('bidi controls in names are made visible, so "Trojan Source" names read as what they are', () => {
    assert.strictEqual(displayText('GET /admin\u202E/txt.exe'), 'GET /admin⟨U+202E⟩/txt.exe');
    assert.strictEqual(displayText('a\u2066b\u2069\u200Fc\u061C'), 'a⟨U+2066⟩b⟨U+2069⟩⟨U+200F⟩c⟨U+061C⟩');
    assert.strictEqual(displayText('plain עברית text'), 'plain עברית text', 'right-to-left letters themselves are not controls');
    // The regex is global: a second call must not start where the first left off.
    assert.strictEqual(displayText('x\u202Ey'), 'x⟨U+202E⟩y');
  });

  it('a 10 MB span name folds to its first FOLD_CHARS; expanded it stops at EXPANDED_CHARS', () => {
    const huge = 'n'.repeat(10 * 1024 * 1024);
    const folded = foldText(huge, false);
    assert.deepStrictEqual([folded.shown.length, folded.cut, folded.folds], [FOLD_CHARS, true, true]);
    const open = foldText(huge, true);
    assert.deepStrictEqual([open.shown.length, open.cut], [EXPANDED_CHARS, true]);
    const short = foldText('GET /checkout', false);
    assert.deepStrictEqual(short, { shown: 'GET /checkout', cut: false, folds: false });
    assert.strictEqual(foldText('\u202E'.repeat(3), false).shown, '⟨U+202E⟩'.repeat(3), 'folded text is neutralised too');
  });

  it('an invalid minimum duration filters nothing by duration (no earlier value lingers); other fields still apply', () => {
    assert.deepStrictEqual(buildFindQuery({ text: '', service: '', minDuration: '10ms', errorsOnly: false }), { query: { minDurationNs: 10_000_000 }, durationInvalid: false });
    assert.deepStrictEqual(buildFindQuery({ text: '', service: '', minDuration: '10 parsecs', errorsOnly: false }), { query: null, durationInvalid: true });
    assert.deepStrictEqual(buildFindQuery({ text: ' redis ', service: 'cart', minDuration: 'abc', errorsOnly: true }), {
      query: { text: 'redis', service: 'cart', errorsOnly: true },
      durationInvalid: true,
    });
    assert.deepStrictEqual(buildFindQuery({ text: '', service: '', minDuration: '  ', errorsOnly: false }), { query: null, durationInvalid: false });
    assert.deepStrictEqual(buildFindQuery({ text: '', service: '', minDuration: '', errorsOnly: false, logSeverity: '5' }), { query: { minLogSeverity: 5 }, durationInvalid: false });
    assert.deepStrictEqual(buildFindQuery({ text: '', service: '', minDuration: '', errorsOnly: false, logSeverity: '' }), { query: null, durationInvalid: false });
  });
});

describe('webview tree model', () => {
  it('derives parents and finds rows by span index', () => {
    const rows = new TraceRows(sampleDto());
    assert.deepStrictEqual([...rows.parent], [-1, 0, 1, 1, 0, -1]);
    assert.strictEqual(rows.rowOfSpan(13), 3);
    assert.strictEqual(rows.rowOfSpan(3), -1);
    assert.strictEqual(rows.rowOfSpan(1000), -1);
    assert.strictEqual(rows.maxDepth, 2);
  });

  it('groups events and critical-path segments by row, dropping rows that do not exist', () => {
    const rows = new TraceRows(sampleDto());
    const eventsOf = (r: number) => [...rows.eventNs.subarray(rows.eventStart[r], rows.eventStart[r + 1])];
    assert.deepStrictEqual(eventsOf(4), [60, 55]);
    assert.deepStrictEqual(eventsOf(1), [10]);
    assert.deepStrictEqual(eventsOf(0), []);
    assert.strictEqual(rows.eventNs.length, 3);
    assert.deepStrictEqual([...rows.critStartNs.subarray(rows.critStart[4], rows.critStart[5])], [50]);
  });

  it('hides the subtree of a collapsed row', () => {
    const rows = new TraceRows(sampleDto());
    const collapsed = new Uint8Array(6);
    assert.deepStrictEqual([...computeVisible(rows, collapsed, null)], [0, 1, 2, 3, 4, 5]);
    collapsed[1] = 1;
    assert.deepStrictEqual([...computeVisible(rows, collapsed, null)], [0, 1, 4, 5]);
    collapsed[0] = 1;
    assert.deepStrictEqual([...computeVisible(rows, collapsed, null)], [0, 5]);
    expandAncestors(rows, collapsed, 3);
    assert.deepStrictEqual([...computeVisible(rows, collapsed, null)], [0, 1, 2, 3, 4, 5]);
  });

  it('filters to matches plus their ancestors, which get toggles', () => {
    const rows = new TraceRows(sampleDto());
    const f = buildFilter(rows, Int32Array.from([3, 5, 3, 42]));
    assert.deepStrictEqual([...f.matches], [3, 5], 'duplicates and unknown rows dropped');
    assert.deepStrictEqual([...computeVisible(rows, new Uint8Array(6), f)], [0, 1, 3, 5]);
    assert.deepStrictEqual([...f.isMatch], [0, 0, 0, 1, 0, 1]);
    assert.deepStrictEqual([...f.hasIncludedChild], [1, 1, 0, 0, 0, 0]);
    const collapsed = new Uint8Array(6);
    collapsed[1] = 1;
    assert.deepStrictEqual([...computeVisible(rows, collapsed, f)], [0, 1, 5]);
    assert.deepStrictEqual([...computeVisible(rows, new Uint8Array(6), buildFilter(rows, new Int32Array(0)))], []);
  });

  it('collapses to a depth and persists the collapsed set as differences from it', () => {
    const rows = new TraceRows(sampleDto());
    const depth2 = collapsedFromBase(rows, { kind: 'depth', depth: 2 });
    assert.deepStrictEqual([...computeVisible(rows, depth2, null)], [0, 1, 4, 5], 'two levels shown');
    const all = collapsedFromBase(rows, { kind: 'all' });
    assert.deepStrictEqual([...computeVisible(rows, all, null)], [0, 5]);

    all[1] = 0; // the user expands "a" after "collapse all"
    const toggled = encodeCollapsed(rows, { kind: 'all' }, all);
    assert.deepStrictEqual(toggled, [11], 'stored by span index');
    assert.deepStrictEqual([...decodeCollapsed(rows, { kind: 'all' }, toggled)], [...all]);
    assert.deepStrictEqual([...decodeCollapsed(rows, { kind: 'none' }, [12, 999])], [0, 0, 0, 0, 0, 0], 'leaves and unknown spans ignored');
  });

  it('finds a row in the visible list by binary search', () => {
    const visible = Int32Array.from([0, 3, 7, 9, 12]);
    assert.strictEqual(indexOfRow(visible, 9), 3);
    assert.strictEqual(indexOfRow(visible, 0), 0);
    assert.strictEqual(indexOfRow(visible, 8), -1);
    assert.strictEqual(indexOfRow(new Int32Array(0), 1), -1);
  });

  it('survives malformed column data without running out of bounds', () => {
    const rows = new TraceRows(
      sampleDto({ rowCount: 9, subtreeEnd: Int32Array.from([99, 4, 3, 4, 5, 6]), nameTable: ['root', 'a', 'a1', 'a2', 'b', 'second root'] }),
    );
    assert.strictEqual(rows.count, 6, 'row count clamped to the shortest column');
    assert.deepStrictEqual([...computeVisible(rows, Uint8Array.from([1, 0, 0, 0, 0, 0]), null)], [0, 1, 2, 3, 4, 5]);
  });
});
