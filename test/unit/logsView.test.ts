// Logs joined to spans, as the views show them (issue 12): records made by the real OpenTelemetry JS
// logs SDK inside real SDK spans, written as the Collector's file exporter writes mixed JSON Lines
// (a traces line, a logs line), then opened the way the editor opens a file.
import * as assert from 'assert';
import { JsonLogsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { TraceFile } from '../../src/core/model/model';
import { fileLogIndex } from '../../src/core/logs/join';
import { TraceFileSession } from '../../src/core/view/session';
import { inspectJson } from '../../src/cli/main';
import { LOG_SEVERITIES, RowFlag, type SpanDetailDto, type TraceLogsDto, type WaterfallDto } from '../../src/shared/protocol';
import { makeSdkLogs } from '../support/otelLogs';

const TRACES = 3;
const sdk = makeSdkLogs(TRACES);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** One more logs line: an exception with a Node stack on the first trace's "charge card" span, and a record naming only the trace. */
function extraLogsLine(traceId: string, spanId: string): string {
  const rec = (o: object) => ({ timeUnixNano: '1700000000000000000', ...o });
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
        scopeLogs: [
          {
            scope: { name: 'extra' },
            logRecords: [
              rec({
                traceId,
                spanId,
                severityNumber: 17,
                eventName: 'http.client.request.exception',
                body: { stringValue: 'bank unreachable' },
                attributes: [
                  { key: 'exception.type', value: { stringValue: 'FetchError' } },
                  { key: 'exception.message', value: { stringValue: 'connect ECONNREFUSED' } },
                  { key: 'exception.stacktrace', value: { stringValue: 'FetchError: connect ECONNREFUSED\n    at callBank (/app/dist/pay.js:12:7)\n    at charge (/app/dist/pay.js:30:3)' } },
                ],
              }),
              rec({ traceId, severityNumber: 13, body: { stringValue: 'trace-level: retry budget low' } }),
            ],
          },
        ],
      },
    ],
  });
}

function open(): { file: TraceFile; session: TraceFileSession; t: number; charge: number; root: number } {
  const charge0 = sdk.spans.find((s) => s.name === 'charge card')!;
  const traceId = charge0.spanContext().traceId;
  const text = [decode(JsonTraceSerializer.serializeRequest(sdk.spans)!), decode(JsonLogsSerializer.serializeRequest(sdk.records)!), extraLogsLine(traceId, charge0.spanContext().spanId)].join('\n') + '\n';
  const file = importTraceFile(new TextEncoder().encode(text), { fileName: 'mixed.otlp.jsonl' });
  const t = file.traces.findIndex((x) => x.traceId === traceId);
  const charge = file.traces[t].spans.findIndex((s) => s.spanId === charge0.spanContext().spanId);
  const root = file.traces[t].spans.findIndex((s) => s.name.startsWith('POST /orders/'));
  return { file, session: new TraceFileSession(file), t, charge, root };
}

describe('logs joined to spans (real SDK records, mixed JSON Lines)', () => {
  it('joins by span id, by trace id alone, and leaves records without a trace unattached', () => {
    const { file, t, charge, root } = open();
    assert.strictEqual(file.logs!.length, sdk.records.length + 2);
    const idx = fileLogIndex(file);
    const mine = idx.traces[t]!;
    assert.strictEqual(mine.bySpan.get(root)!.length, 1, 'the INFO record emitted in the root');
    assert.strictEqual(mine.bySpan.get(charge)!.length, 2, 'the SDK ERROR record and the logged exception');
    assert.strictEqual(mine.traceLevel.length, 1);
    assert.strictEqual(mine.count, 4);
    assert.strictEqual(idx.unattached.length, 1, 'the WARN record emitted outside any span');
    for (let k = 0; k < file.traces.length; k++) if (k !== t) assert.strictEqual(idx.traces[k]!.count, 2);
  });

  it('the waterfall: a marker per record on its row, coloured by severity; the logged exception makes the row an error', () => {
    const { session, t, charge, root } = open();
    const wf: WaterfallDto = session.waterfall(t);
    const rowOf = (span: number) => wf.spanIndex.indexOf(span);
    const markers = [...wf.logRow!].map((r, k) => [r, LOG_SEVERITIES[wf.logSeverity![k]]]);
    assert.deepStrictEqual(markers.sort(), [[rowOf(root), 'INFO'], [rowOf(charge), 'ERROR'], [rowOf(charge), 'ERROR']].sort());
    assert.ok(wf.flags[rowOf(charge)] & RowFlag.LoggedException && wf.flags[rowOf(charge)] & RowFlag.Error);
    assert.ok(wf.flags[rowOf(root)] & RowFlag.HasLogs && !(wf.flags[rowOf(root)] & RowFlag.Error));
    assert.ok(wf.logNs!.every((ns) => Number.isFinite(ns)));
  });

  it('the trace header: log count, and errors counting the span an exception was logged on', () => {
    const { session, t } = open();
    const s = session.summaries()[t];
    assert.strictEqual(s.logCount, 4);
    assert.strictEqual(s.errorCount, 1, 'no span has status ERROR; the logged exception makes one');
  });

  it('span detail: a Logs section (time, severity, body, attributes) and the exception\'s stack as a stack of the span', () => {
    const { session, t, charge } = open();
    const d = session.handle('spanDetail', { traceIndex: t, spanIndex: charge }) as SpanDetailDto;
    assert.strictEqual(d.logCount, 2);
    const sdkRecord = d.logs!.find((l) => l.eventName === 'payment.failed')!;
    assert.deepStrictEqual([sdkRecord.severity, sdkRecord.body], ['ERROR', JSON.stringify({ message: 'card declined for order 0', code: 402 })]);
    assert.ok(sdkRecord.attributes.some((a) => a.key === 'exception.type' && a.value === 'CardDeclined'));
    assert.match(sdkRecord.time, /^\d{4}-\d\d-\d\dT/);
    assert.strictEqual(d.loggedException !== undefined, true);
    const st = d.stacks!.find((x) => x.eventName === 'http.client.request.exception')!;
    assert.strictEqual(st.source, 'exception.stacktrace');
    assert.deepStrictEqual(st.frames.map((f) => [f.function, f.file, f.line]), [
      ['callBank', '/app/dist/pay.js', 12],
      ['charge', '/app/dist/pay.js', 30],
    ]);
    assert.deepStrictEqual(d.codeLocation, { file: '/app/dist/pay.js', line: 12 }, 'Go to source has the logged throw site');
    assert.deepStrictEqual(d.events.map((e) => e.name), [], 'the records are not shown twice, as events');
  });

  it('the trace-level list holds the record with no span', () => {
    const { session, t } = open();
    const list = session.handle('traceLogs', { traceIndex: t }) as TraceLogsDto;
    assert.deepStrictEqual([list.total, list.records.map((r) => r.body)], [1, ['trace-level: retry budget low']]);
  });

  it('find: free text matches record bodies; minLogSeverity keeps spans with a record that severe; errors only includes logged exceptions', () => {
    const { session, t, charge, root } = open();
    const wf = session.waterfall(t);
    const spansOf = (rows: Int32Array) => [...rows].map((r) => wf.spanIndex[r]).sort();
    const search = (query: object) => session.handle('search', { traceIndex: t, query });
    assert.deepStrictEqual(spansOf(search({ text: 'received' }).rows), [root]);
    assert.deepStrictEqual(spansOf(search({ text: 'ECONNREFUSED' }).rows), [charge]);
    assert.deepStrictEqual(spansOf(search({ minLogSeverity: LOG_SEVERITIES.indexOf('ERROR') }).rows), [charge]);
    assert.deepStrictEqual(spansOf(search({ minLogSeverity: LOG_SEVERITIES.indexOf('INFO') }).rows), [root, charge].sort());
    assert.match(search({ minLogSeverity: 5 }).description, /a log record ERROR or worse/);
    assert.deepStrictEqual(spansOf(search({ errorsOnly: true }).rows), [charge]);
  });

  it('spanlens inspect --json: logCount at the top and per trace', () => {
    const { file, t } = open();
    const j = inspectJson(file) as { logCount: number; traces: { logCount: number }[] };
    assert.strictEqual(j.logCount, sdk.records.length + 2);
    assert.deepStrictEqual(j.traces.map((x) => x.logCount), file.traces.map((_, k) => (k === t ? 4 : 2)));
  });
});
