// Jaeger's own Thrift converter fixtures (model/converter/thrift/jaeger/fixtures, see
// test/fixtures/peers/SOURCES.md), read as Jaeger's to_domain.go reads them: the expected values are
// those of its model_01.json / to_domain_test.go. Where Jaeger prints ids unpadded ("647d98"), Spanlens
// keeps 16 hex digits, the width OTLP and the Jaeger UI's own trace id parser use.
import * as assert from 'assert';
import * as path from 'path';
import { importTraceFile } from '../../src/core/importers/importFile';
import { getAttr } from '../../src/core/model/attributes';
import { SpanKind, TraceFile } from '../../src/core/model/model';
import { FIXTURES, readBytes } from '../support/paths';

const DIR = path.join(FIXTURES, 'peers', 'jaeger');
const load = (name: string): TraceFile => importTraceFile(readBytes(path.join(DIR, name)), { fileName: name });
const importText = (text: string): TraceFile => importTraceFile(new TextEncoder().encode(text), { fileName: 'batch.json' });

describe('jaeger thrift to_domain_test (Thrift Batch as JSON)', () => {
  it('jaeger TestToDomain thrift_batch_01 = model_01: ids, parent reference, times, tags, process, logs', () => {
    const tf = load('thrift_batch_01.json');
    assert.strictEqual(tf.format, 'jaeger-json');
    assert.strictEqual(tf.spanCount, 1);
    const s = tf.traces[0].spans[0];
    // model_01.json: traceID 52969a8955571a3f (= 5951113872249657919), spanID 647d98 (= 6585752),
    // a child-of reference to 68c4e3 (= parentSpanId 6866147), duration 22938 µs.
    assert.strictEqual(s.traceId, '52969a8955571a3f');
    assert.strictEqual(s.spanId, '0000000000647d98');
    assert.strictEqual(s.parentSpanId, '000000000068c4e3');
    assert.deepStrictEqual(s.links.map((l) => [l.refType, l.spanId]), [['CHILD_OF', '000000000068c4e3']]);
    assert.strictEqual(s.name, 'get');
    assert.strictEqual(s.startTimeUnixNano, 1485467191639875000n);
    assert.strictEqual(s.endTimeUnixNano - s.startTimeUnixNano, 22938000n);
    // span.kind=server becomes the kind (Jaeger's OTLP translator), the other tags keep their types.
    assert.strictEqual(s.kind, SpanKind.Server);
    assert.strictEqual(getAttr(s.attributes, 'http.url'), 'http://127.0.0.1:15598/client_transactions');
    assert.strictEqual(getAttr(s.attributes, 'peer.port'), 53931n);
    assert.strictEqual(getAttr(s.attributes, 'haproxy.sa'), true);
    assert.strictEqual(getAttr(s.attributes, 'someDouble'), 129.8);
    assert.strictEqual(getAttr(s.attributes, 'peer.ipv4'), 3224716605n);
    assert.strictEqual(s.resource.serviceName, 'api');
    assert.strictEqual(getAttr(s.resource.attributes, 'hostname'), 'api246-sjc1');
    assert.strictEqual(getAttr(s.resource.attributes, 'jaeger.version'), 'Python-3.1.0');
    assert.deepStrictEqual(
      s.events.map((e) => [e.timeUnixNano, e.attributes.map((a) => `${a.key}=${String(a.value)}`)]),
      [
        [1485467191639875000n, ['key1=value1', 'key2=value2']],
        [1485467191639875000n, []],
      ],
    );
    assert.strictEqual(s.events[1].name, 'nothing', 'the "event" field names the event');
  });

  it('jaeger TestToDomain thrift_batch_02: a BINARY tag is bytes (0x3039 = 12345)', () => {
    const s = load('thrift_batch_02.json').traces[0].spans[0];
    assert.deepStrictEqual(Array.from(getAttr(s.attributes, 'peer.service') as Uint8Array), [0, 0, 0, 0, 0, 0, 0x30, 0x39]);
  });

  it('i64 ids beyond 2^53 that differ in the last digit stay two spans; traceIdHigh makes 32 digits; numeric enums', () => {
    const tf = importText(`{"process": {"serviceName": "svc"}, "spans": [
      {"traceIdLow": 9007199254740993, "traceIdHigh": 1, "spanId": 9007199254740993, "parentSpanId": 0, "operationName": "root", "startTime": 1000, "duration": 100,
       "tags": [{"key": "big", "vType": 3, "vLong": 9007199254740993}]},
      {"traceIdLow": 9007199254740993, "traceIdHigh": 1, "spanId": 9007199254740992, "operationName": "child", "startTime": 1010, "duration": 10,
       "references": [{"refType": 1, "traceIdLow": 9007199254740993, "traceIdHigh": 1, "spanId": 9007199254740993}]}
    ]}`);
    const t = tf.traces[0];
    assert.strictEqual(tf.traces.length, 1);
    assert.strictEqual(t.traceId, '00000000000000010020000000000001');
    const root = t.spans.find((s) => s.name === 'root')!;
    const child = t.spans.find((s) => s.name === 'child')!;
    assert.strictEqual(root.spanId, '0020000000000001');
    assert.strictEqual(child.spanId, '0020000000000000');
    assert.strictEqual(child.parentSpanId, root.spanId, 'a FOLLOWS_FROM reference is the parent when there is no CHILD_OF');
    assert.strictEqual(child.links[0].refType, 'FOLLOWS_FROM');
    assert.strictEqual(root.parentSpanId, undefined, 'parentSpanId 0 is no parent');
    assert.strictEqual(getAttr(root.attributes, 'big'), 9007199254740993n);
  });

  it('a list of batches: each batch keeps its own process', () => {
    const tf = importText(`[{"process": {"serviceName": "a"}, "spans": [{"traceIdLow": 1, "spanId": 1, "operationName": "x", "startTime": 1, "duration": 1}]},
      {"process": {"serviceName": "b"}, "spans": [{"traceIdLow": 1, "spanId": 2, "parentSpanId": 1, "operationName": "y", "startTime": 1, "duration": 1}]}]`);
    assert.deepStrictEqual(tf.traces[0].spans.map((s) => `${s.name}@${s.resource.serviceName}`).sort(), ['x@a', 'y@b']);
    assert.strictEqual(tf.traces[0].spans.find((s) => s.name === 'y')!.parentSpanId, '0000000000000001');
  });

  it('a span without an id is named, with its path', () => {
    assert.throws(
      () => importText('{"process": {"serviceName": "a"}, "spans": [{"traceIdLow": 1, "operationName": "x", "startTime": 1, "duration": 1}]}'),
      (e: Error & { location?: { path?: string } }) => /spanID/.test(e.message) && e.location?.path === '$.spans[0].spanID',
    );
  });
});
