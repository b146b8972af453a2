// OTLP log files (issue 12, "where logs come from"): LogsData as OTLP/JSON and protobuf, mixed JSON
// Lines as the Collector's file exporter writes them, and the id rule. Records made by the real
// OpenTelemetry JS logs SDK, serialised by its own OTLP serializers, must open with the right body,
// severity, attributes and trace/span ids.
import * as assert from 'assert';
import * as fs from 'fs';
import Pbf from 'pbf';
import { JsonLogsSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { importTraceFile, importTraceFileExact } from '../../src/core/importers/importFile';
import { NoSpansError } from '../../src/core/model/errors';
import { TraceCatalog } from '../../src/core/catalog/catalog';
import type { TraceFile } from '../../src/core/model/model';
import { otlpProtoSignal } from '../../src/core/otlp/logsCodec';
import { serializeOtlpJson } from '../../src/core/exporters/otlpJson';
import { logsToJsonLine } from '../../src/core/exporters/otlpLogsJson';
import { makeSdkLogs, modelLogView, sdkLogView } from '../support/otelLogs';
import { corpusFile, HAS_CORPUS } from '../support/paths';

const both = (bytes: Uint8Array, check: (f: TraceFile) => void) => {
  check(importTraceFile(bytes)); // the lean readers (the product's path)
  check(importTraceFileExact(bytes));
};

function fixed64(p: Pbf, field: number, v: bigint): void {
  p.writeTag(field, 1);
  p.writeFixed32(Number(v & 0xffffffffn));
  p.writeFixed32(Number(v >> 32n));
}

/** A LogsData of one record, fields written in the order given (so the first field varies). */
function logsData(fields: ((p: Pbf) => void)[]): Uint8Array {
  const p = new Pbf();
  p.writeMessage(1, (_: unknown, rl: Pbf) => {
    rl.writeMessage(2, (__: unknown, sl: Pbf) => {
      sl.writeMessage(2, (___: unknown, r: Pbf) => fields.forEach((f) => f(r)), null);
    }, null);
  }, null);
  return p.finish();
}

describe('OTLP log files', () => {
  const sdk = makeSdkLogs(3);
  const expected = sdk.records.map(sdkLogView);

  it('the real SDK logs as protobuf (ExportLogsServiceRequest) open as records, not spans', () => {
    const bytes = ProtobufLogsSerializer.serializeRequest(sdk.records)!;
    both(bytes, (f) => {
      assert.strictEqual(f.traces.length, 0);
      assert.deepStrictEqual(f.logs!.map(modelLogView), expected);
      // Every correlated record names a span the SDK made.
      const spanIds = new Set(sdk.spans.map((s) => s.spanContext().spanId));
      assert.strictEqual(f.logs!.filter((r) => r.spanId && spanIds.has(r.spanId)).length, 6);
      assert.strictEqual(f.logs![0].resource.serviceName, 'orders');
      assert.strictEqual(f.logs![0].scope.name, 'spanlens-logs-test');
      assert.ok(f.logs![0].timeUnixNano > 1_600_000_000_000_000_000n);
    });
  });

  it('the real SDK logs as OTLP/JSON ({"resourceLogs"}) open the same', () => {
    const bytes = JsonLogsSerializer.serializeRequest(sdk.records)!;
    assert.match(Buffer.from(bytes).toString('utf8'), /^\{"resourceLogs"/);
    both(bytes, (f) => {
      assert.strictEqual(f.traces.length, 0);
      assert.deepStrictEqual(f.logs!.map(modelLogView), expected);
    });
  });

  it('tells protobuf spans from log records by the leaf message (both share field 1 at the top)', () => {
    const traces = ProtobufTraceSerializer.serializeRequest(sdk.spans)!;
    assert.strictEqual(otlpProtoSignal(traces), 'traces');
    const tf = importTraceFile(traces);
    assert.strictEqual(tf.spanCount, sdk.spans.length);
    assert.strictEqual(tf.logs, undefined);
    // LogRecord field 1 is fixed64 time_unix_nano (a Span's is bytes trace_id)...
    const byTime = logsData([(p) => fixed64(p, 1, 1_700_000_000_123_456_789n), (p) => p.writeStringField(3, 'WARN')]);
    assert.strictEqual(otlpProtoSignal(byTime), 'logs');
    both(byTime, (f) => assert.deepStrictEqual([f.logs![0].timeUnixNano, f.logs![0].severityText], [1_700_000_000_123_456_789n, 'WARN']));
    // ...and a record that starts with a field both could have (5: body / name) is decided by the next one.
    const byBodyThenSeverity = logsData([(p) => p.writeMessage(5, (_: unknown, v: Pbf) => v.writeStringField(1, 'hello'), null), (p) => p.writeVarintField(2, 17)]);
    both(byBodyThenSeverity, (f) => {
      assert.strictEqual(f.traces.length, 0);
      assert.deepStrictEqual([f.logs![0].body, f.logs![0].severityNumber], ['hello', 17]);
    });
  });

  it('reads the Collector file exporter protobuf records (4-byte length each) of logs', () => {
    const one = ProtobufLogsSerializer.serializeRequest(sdk.records.slice(0, 2))!;
    const two = ProtobufLogsSerializer.serializeRequest(sdk.records.slice(2))!;
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from(one), Buffer.from([0, 0, 0, 0]), Buffer.from(two)]);
    framed.writeUInt32BE(one.length, 0);
    framed.writeUInt32BE(two.length, 4 + one.length);
    both(framed, (f) => {
      assert.strictEqual(f.format, 'otlp-proto-framed');
      assert.deepStrictEqual(f.logs!.map(modelLogView), expected);
    });
  });

  it('ids: lower-case hex; empty or all zeros mean no trace; a wrong length is dropped with a warning naming field and value', () => {
    const doc = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: '5', traceId: '0AF7651916CD43DD8448EB211C80319C', spanId: 'B7AD6B7169203331', body: { stringValue: 'upper' } },
                { timeUnixNano: '6', traceId: '', spanId: '0000000000000000', body: { stringValue: 'none' } },
                { timeUnixNano: '7', traceId: 'abc123', spanId: 'b7ad6b7169203331', body: { stringValue: 'short' } },
              ],
            },
          ],
        },
      ],
    };
    both(Buffer.from(JSON.stringify(doc)), (f) => {
      const [a, b, c] = f.logs!;
      assert.deepStrictEqual([a.traceId, a.spanId], ['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331']);
      assert.deepStrictEqual([b.traceId, b.spanId], [undefined, undefined]);
      assert.deepStrictEqual([c.traceId, c.spanId], [undefined, 'b7ad6b7169203331']);
      const w = f.warnings.filter((x) => x.code === 'invalid-id');
      assert.strictEqual(w.length, 1, JSON.stringify(f.warnings));
      assert.match(w[0].message, /traceId/);
      assert.match(w[0].message, /"abc123"/);
      assert.match(w[0].message, /logRecords\[2\]/);
    });
    // Protobuf: a 3-byte trace id.
    const pb = logsData([(p) => fixed64(p, 1, 9n), (p) => p.writeBytesField(9, Buffer.from([0xaa, 0xbb, 0xcc])), (p) => p.writeBytesField(10, Buffer.from('0102030405060708', 'hex'))]);
    both(pb, (f) => {
      assert.deepStrictEqual([f.logs![0].traceId, f.logs![0].spanId], [undefined, '0102030405060708']);
      assert.match(f.warnings.find((x) => x.code === 'invalid-id')!.message, /traceId = "aabbcc"/);
    });
  });

  it('reads the dialects spans accept: snake_case keys, severity enum names, base64 ids', () => {
    const doc = {
      resource_logs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'legacy' } }] },
          scope_logs: [
            {
              log_records: [
                {
                  time_unix_nano: '__TIME__',
                  severity_number: 'SEVERITY_NUMBER_WARN2',
                  severity_text: 'warning',
                  trace_id: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex').toString('base64'),
                  body: { kvlist_value: { values: [{ key: 'msg', value: { string_value: 'disk' } }] } },
                  event_name: 'disk.low',
                },
              ],
            },
          ],
        },
      ],
    };
    // An int64 JSON number above 2^53, as some writers emit: kept exact.
    const f = importTraceFile(Buffer.from(JSON.stringify(doc).replace('"__TIME__"', '1700000000123456789')));
    const r = f.logs![0];
    assert.strictEqual(r.timeUnixNano, 1700000000123456789n);
    assert.deepStrictEqual([r.severityNumber, r.severityText, r.traceId, r.eventName, r.resource.serviceName], [14, 'warning', '0af7651916cd43dd8448eb211c80319c', 'disk.low', 'legacy']);
    assert.deepStrictEqual(modelLogView(r).body, { msg: 'disk' });
  });

  it('JSON Lines that mix trace and log lines (the Collector file exporter) give both, logs in file order', () => {
    const spans = importTraceFile(ProtobufTraceSerializer.serializeRequest(sdk.spans)!);
    const traceLine = serializeOtlpJson(spans);
    const logLines = [logsToJsonLine(importTraceFile(JsonLogsSerializer.serializeRequest(sdk.records.slice(0, 3))!).logs!), logsToJsonLine(importTraceFile(JsonLogsSerializer.serializeRequest(sdk.records.slice(3))!).logs!)];
    const text = [logLines[0], traceLine, '{"resourceMetrics":[]}', logLines[1], ''].join('\n');
    both(Buffer.from(text), (f) => {
      assert.strictEqual(f.format, 'otlp-jsonl');
      assert.strictEqual(f.spanCount, sdk.spans.length);
      assert.deepStrictEqual(f.logs!.map(modelLogView), expected);
      assert.ok(f.warnings.some((w) => /Skipped 1 metrics lines/.test(w.message)));
    });
  });

  it('the mixed-signals corpus file (otel-tui) now gives its log records too', () => {
    if (!HAS_CORPUS) return;
    const file = corpusFile('otlp-json/otel-tui-test_data-mixed-signals.jsonl');
    const text = fs.readFileSync(file, 'utf8');
    let records = 0;
    for (const line of text.split('\n')) {
      if (!line.includes('"resourceLogs"')) continue;
      for (const rl of JSON.parse(line).resourceLogs) for (const sl of rl.scopeLogs ?? []) records += (sl.logRecords ?? []).length;
    }
    const f = importTraceFile(Buffer.from(text));
    assert.ok(records > 0);
    assert.strictEqual(f.logs!.length, records);
    assert.strictEqual(f.spanCount, 547);
  });

  it('a file of logs alone is not "empty"; a file with neither still is', () => {
    const f = importTraceFile(Buffer.from(logsToJsonLine(importTraceFile(JsonLogsSerializer.serializeRequest(sdk.records)!).logs!) + '\n'));
    assert.strictEqual(f.traces.length, 0);
    assert.strictEqual(f.logs!.length, sdk.records.length);
    assert.throws(() => importTraceFile(Buffer.from('{"resourceLogs":[]}')), NoSpansError);
    assert.throws(() => importTraceFile(Buffer.from('')), NoSpansError);
  });

  it('a logs-only file opens in the catalog: no traces, no crash, the records on the session', async () => {
    const file = importTraceFile(JsonLogsSerializer.serializeRequest(sdk.records)!);
    const catalog = new TraceCatalog();
    const { session } = await catalog.open('/tmp/logs.json', 'file', async () => file);
    assert.deepStrictEqual(session.summaries(), []);
    // The view's file warnings say what the file holds and why there is nothing to list.
    assert.strictEqual(session.warningTexts().length, 1);
    assert.match(session.warningTexts()[0], new RegExp(`^This file holds ${sdk.records.length} log records and no spans`));
    assert.strictEqual(session.file.logs!.length, sdk.records.length);
    assert.throws(() => session.waterfall(0), /no trace #0/);
  });

  it('a broken protobuf log record is an error with the field path, not junk', () => {
    const good = logsData([(p) => fixed64(p, 1, 9n), (p) => p.writeStringField(3, 'INFO')]);
    const cut = good.subarray(0, good.length - 2);
    assert.throws(() => importTraceFile(cut), /log_records\[0\]|truncated|runs past/);
  });
});
