// The shared core pieces every importer relies on: ids, times, JSON error locations, the trace
// builder's structural flags, and the webview message validator.
import * as assert from 'assert';
import { ImportError, describeError } from '../../src/core/model/errors';
import { isNullId, normalizeId, normalizeParentId } from '../../src/core/model/ids';
import { findSyntaxErrorOffset, parseJson } from '../../src/core/importers/json';
import { Span, SpanIssue, SpanKind, StatusCode } from '../../src/core/model/model';
import { formatDurationNs, formatEpochNanos, microsToNanos, parseDurationNanos, parseNanos, parseRfc3339Nanos } from '../../src/core/model/time';
import { assembleTraceFile, buildTrace } from '../../src/core/model/trace';
import { parseWebviewMessage } from '../../src/shared/protocol';
import { looksLikeTraceText } from '../../src/core/importers/importFile';
import { checkFileSize } from '../../src/core/importers/limits';

const resource = { attributes: [], serviceName: 'svc' };
const scope = { name: 'test', attributes: [] };
function span(id: string, parent: string | undefined, start: number, end: number, extra: Partial<Span> = {}): Span {
  return {
    traceId: 't1', spanId: id, parentSpanId: parent, name: `op-${id}`, kind: SpanKind.Internal,
    startTimeUnixNano: BigInt(start), endTimeUnixNano: BigInt(end), attributes: [], events: [], links: [],
    status: { code: StatusCode.Unset }, resource, scope, ...extra,
  };
}

describe('ids', () => {
  it('normalises hex case and base64 to lower-case hex', () => {
    assert.strictEqual(normalizeId('5B8EFFF798038103D269B633813FC60C', 16), '5b8efff798038103d269b633813fc60c');
    assert.strictEqual(normalizeId('AAAAAAAAAABguiq7RPE+rg==', 16), '000000000000000060ba2abb44f13eae');
    assert.strictEqual(normalizeId('cmteMBAvwNA=', 8), '726b5e30102fc0d0');
  });
  it('keeps short hex unpadded and junk verbatim, so references in the same file still match', () => {
    assert.strictEqual(normalizeId('df84e36b9e2ee3815d07f0867a5be1f', 16), 'df84e36b9e2ee3815d07f0867a5be1f');
    assert.strictEqual(normalizeId('trace-123', 16), 'trace-123');
  });
  it('treats empty and all-zero parents as no parent', () => {
    assert.ok(isNullId('') && isNullId('0000000000000000') && isNullId('AAAAAAAAAAA='));
    assert.strictEqual(normalizeParentId('AAAAAAAAAAA='), undefined);
    assert.strictEqual(normalizeParentId('00f067aa0ba902b7'), '00f067aa0ba902b7');
  });
});

describe('time', () => {
  it('keeps nanosecond strings exact', () => {
    assert.strictEqual(parseNanos('1627471657255809123'), 1627471657255809123n);
  });
  it('keeps microsecond precision for nanosecond JSON numbers above 2^53', () => {
    const v = parseNanos(1616072924071839000)!;
    assert.ok(v - 1616072924071839000n < 1000n && 1616072924071839000n - v < 1000n);
  });
  it('reads protobufjs Long values', () => {
    assert.strictEqual(parseNanos({ low: 0x2a, high: 1, unsigned: true }), (1n << 32n) + 42n);
  });
  it('converts fractional microseconds', () => {
    assert.strictEqual(microsToNanos(1.5), 1500n);
    assert.strictEqual(microsToNanos(1472470996199000), 1472470996199000000n);
  });
  it('parses RFC 3339 with nanoseconds and offsets, and protobuf durations', () => {
    assert.strictEqual(parseRfc3339Nanos('2017-01-26T16:46:31.639875139-05:00'), 1485467191639875139n);
    assert.strictEqual(parseDurationNanos('22938000ns'), 22938000n);
    assert.strictEqual(parseDurationNanos('1.5s'), 1500000000n);
  });
  it('formats durations and epochs for people', () => {
    assert.strictEqual(formatDurationNs(4_100_000), '4.1 ms');
    assert.strictEqual(formatDurationNs(812_000), '812 µs');
    assert.strictEqual(formatEpochNanos(1485467191639875139n), '2017-01-26T21:46:31.639875Z');
  });
});

describe('JSON errors', () => {
  it('names line and column for errors V8 reports with a position', () => {
    assert.throws(() => parseJson('{\n  "a": 1,\n}'), (e: ImportError) => e.location.line === 3 && e.location.column === 1);
  });
  it('finds the position itself when V8 omits it ("Unexpected token")', () => {
    assert.throws(() => parseJson('{\n "a": }'), (e: ImportError) => e.location.line === 2 && e.location.column === 7 && /Unexpected token/.test(e.message));
    assert.strictEqual(findSyntaxErrorOffset('[1, 2] x'), 7);
    assert.strictEqual(findSyntaxErrorOffset('{"a":[1,{"b":true}]}'), undefined);
  });
  it('describes errors in one line without a stack', () => {
    const text = describeError(new ImportError('bad', { line: 3, column: 7, offset: 52, path: '$.spans[2]' }), 'x.json');
    assert.strictEqual(text, 'x.json: bad (line 3, column 7 (byte 52) at $.spans[2])');
  });
});

describe('buildTrace', () => {
  it('orders children by start time and flags orphans, duplicates, skew and bad durations', () => {
    const t = buildTrace('t1', [
      span('a', undefined, 100, 1000),
      span('c', 'a', 500, 600),
      span('b', 'a', 50, 400), // starts before its parent: skew
      span('d', 'missing', 200, 300), // orphan
      span('e', 'a', 700, 700), // zero duration
      span('e', 'a', 710, 720), // duplicate id
    ]);
    assert.deepStrictEqual(t.children[0], [2, 1, 4, 5]);
    assert.deepStrictEqual(t.roots, [0, 3]);
    assert.ok(t.issues[2] & SpanIssue.OutsideParent);
    assert.ok(t.issues[3] & SpanIssue.Orphan);
    assert.ok(t.issues[4] & SpanIssue.NonPositiveDuration);
    assert.ok(t.issues[4] & SpanIssue.DuplicateId && t.issues[5] & SpanIssue.DuplicateId);
    assert.strictEqual(t.rootName, 'op-a');
    assert.strictEqual(t.durationNs, 950);
    assert.deepStrictEqual(t.warnings.map((w) => w.code).sort(), ['clock-skew', 'duplicate-span-id', 'non-positive-duration', 'orphan']);
  });
  it('cuts parent cycles so every span is shown once', () => {
    const t = buildTrace('t1', [span('a', 'b', 0, 10), span('b', 'a', 1, 9), span('s', 's', 2, 3)]);
    // 's' is its own parent: a root, not a cycle (issue 10), so it sorts with the true roots first.
    assert.deepStrictEqual(t.roots, [2, 0]);
    assert.deepStrictEqual(t.children[0], [1]);
    const reachable = new Set<number>();
    const walk = (i: number) => { reachable.add(i); t.children[i].forEach(walk); };
    t.roots.forEach(walk);
    assert.strictEqual(reachable.size, 3);
    assert.ok(t.issues[0] & SpanIssue.Cycle);
    assert.strictEqual(t.issues[2] & (SpanIssue.Cycle | SpanIssue.Orphan), 0);
    assert.ok(t.warnings.some((w) => w.code === 'cycle'));
  });
  it('counts errors and services per trace', () => {
    const f = assembleTraceFile('otlp-json', [
      span('a', undefined, 0, 10, { status: { code: StatusCode.Error } }),
      { ...span('b', 'a', 1, 2), traceId: 't2' },
    ]);
    assert.strictEqual(f.traces.length, 2);
    assert.strictEqual(f.traces[0].errorCount, 1);
    assert.deepStrictEqual(f.traces[0].services, ['svc']);
  });
});

describe('webview message validation', () => {
  it('accepts well-formed messages and drops everything else', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'selectTrace', traceIndex: 2 }), { type: 'selectTrace', traceIndex: 2 });
    assert.strictEqual(parseWebviewMessage({ type: 'selectTrace', traceIndex: -1 }), undefined);
    assert.strictEqual(parseWebviewMessage({ type: 'selectTrace', traceIndex: '2' }), undefined);
    assert.strictEqual(parseWebviewMessage({ type: 'request', requestId: 1, method: 'eval', params: {} }), undefined);
    assert.strictEqual(parseWebviewMessage({ type: 'request', requestId: 1, method: 'search', params: { traceIndex: 0, query: { text: 5 } } }), undefined);
    assert.strictEqual(parseWebviewMessage(null), undefined);
    assert.strictEqual(parseWebviewMessage('ready'), undefined);
    assert.deepStrictEqual(parseWebviewMessage({ type: 'reload', path: '/etc/passwd' }), { type: 'reload' });
    const extra = parseWebviewMessage({ type: 'goToSource', traceIndex: 0, spanIndex: 1, evil: '<x>' });
    assert.deepStrictEqual(extra, { type: 'goToSource', traceIndex: 0, spanIndex: 1 });
  });
});

describe('file size limit', () => {
  it('refuses a file over the limit before reading it, naming the limit and the setting', () => {
    assert.doesNotThrow(() => checkFileSize(256 * 1024 * 1024, 256, 'the setting "spanlens.maxFileSizeMB"'));
    assert.throws(
      () => checkFileSize(600 * 1024 * 1024, 256, 'the setting "spanlens.maxFileSizeMB"'),
      (e: ImportError) => /600\.0 MB, over the 256 MB limit.*spanlens\.maxFileSizeMB/.test(e.message),
    );
  });
});

describe('trace sniffing for the editor-title action', () => {
  it('offers Spanlens for trace-shaped JSON only', () => {
    assert.ok(looksLikeTraceText('{"resourceSpans":[{"resource":{}}]}'));
    assert.ok(looksLikeTraceText('[{"traceId":"abc","id":"1"}]'));
    assert.ok(!looksLikeTraceText('{"name":"my-package","version":"1.0.0"}'));
  });
});
