// OTLP JSON / JSON Lines import: the shared corpus (real files from other projects), the dialects
// seen in the wild, and bad input. Expected numbers for corpus files were computed independently
// (a small Python script over the raw JSON, not our importer) and are written out below.
import * as assert from 'assert';
import * as fs from 'fs';
import { importTraceFile } from '../../src/core/importers/importFile';
import { importOtlpJson, importOtlpJsonLines } from '../../src/core/importers/otlpJson';
import { ImportError } from '../../src/core/model/errors';
import type { Span, TraceFile } from '../../src/core/model/model';
import { CORPUS, HAS_CORPUS, corpusFile, readBytes } from '../support/paths';

const enc = (s: string) => new TextEncoder().encode(s);
const importText = (text: string, fileName?: string) => importTraceFile(enc(text), { fileName });
const allSpans = (f: TraceFile): Span[] => f.traces.flatMap((t) => t.spans);

interface Expected {
  spans: number;
  traces: number;
  services: string[];
  errors: number;
  roots: string[];
  format: string;
}

// Computed with python3 (json module; ids normalised hex/base64 by hand; root = earliest span with no
// parent, else earliest orphan), see the report of the OTLP work for the script.
const OTEL_TUI_ROOTS = ['GET', 'HTTP GET', 'HTTP POST', 'POST', 'flagSync', 'flagd.evaluation.v1.Service/EventStream', 'schema.v1.Service/EventStream', 'schema.v1.Service/ResolveBoolean'];
const OTEL_TUI_SERVICES = ['adservice', 'checkoutservice', 'flagd', 'frontend', 'frontend-proxy', 'loadgenerator', 'productcatalogservice', 'recommendationservice'];
const EXPECTED: Record<string, Expected> = {
  'grafana-tempo-mockJsonResponse-batches-ils.json': { spans: 6, traces: 1, services: ['app', 'db', 'lb'], errors: 0, roots: ['HTTP Client'], format: 'tempo' },
  'grafana-tempo-testData-trace-snake_case.json': { spans: 30, traces: 1, services: ['loki-all'], errors: 0, roots: ['HTTP GET - loki_api_v1_query_range'], format: 'otlp-json' },
  'jaeger-apiv3-GetTrace-snapshot.json': { spans: 1, traces: 1, services: ['unknown_service'], errors: 1, roots: ['foobar'], format: 'jaeger-v3' },
  'jaeger-es-otel_traces_01.json': { spans: 1, traces: 1, services: ['service-x'], errors: 1, roots: ['test-general-conversion'], format: 'otlp-json' },
  'jaeger-integration-default.json': { spans: 1, traces: 1, services: ['query11-service'], errors: 0, roots: ['query11-operation'], format: 'otlp-json' },
  'jaeger-integration-example_trace.json': { spans: 5, traces: 1, services: ['example-service-1', 'example-service-2', 'example-service-3'], errors: 0, roots: ['example-operation-2'], format: 'otlp-json' },
  'jaeger-integration-link_attributes_trace.json': { spans: 1, traces: 1, services: ['query25-service'], errors: 0, roots: ['query25-operation'], format: 'otlp-json' },
  'jaeger-integration-log_tags_trace.json': { spans: 1, traces: 1, services: ['query02-service'], errors: 0, roots: ['placeholder'], format: 'otlp-json' },
  'jaeger-integration-multi_index_trace.json': { spans: 2, traces: 1, services: ['query05-service'], errors: 0, roots: ['operation-list-test3'], format: 'otlp-json' },
  'jaeger-integration-multi_spot_tags_trace.json': { spans: 1, traces: 1, services: ['query04-service'], errors: 0, roots: ['placeholder'], format: 'otlp-json' },
  'jaeger-integration-process_tags_trace.json': { spans: 1, traces: 1, services: ['query03-service'], errors: 0, roots: ['placeholder'], format: 'otlp-json' },
  'jaeger-integration-scope_attributes_trace.json': { spans: 1, traces: 1, services: ['query24-service'], errors: 0, roots: ['placeholder'], format: 'otlp-json' },
  'jaeger-integration-scope_name_version_trace.json': { spans: 1, traces: 1, services: ['query23-service'], errors: 0, roots: ['placeholder'], format: 'otlp-json' },
  'jaeger-integration-span_tags_trace.json': { spans: 1, traces: 1, services: ['query01-service'], errors: 0, roots: ['some-operation'], format: 'otlp-json' },
  'jaeger-integration-tags_escaped_operator_trace_1.json': { spans: 1, traces: 1, services: ['query23-service'], errors: 0, roots: ['query23-operation'], format: 'otlp-json' },
  'jaeger-memory-otel_traces_01.json': { spans: 4, traces: 2, services: ['service-x'], errors: 4, roots: ['test-general-conversion-2', 'test-general-conversion-3'], format: 'otlp-json' },
  'jaegerui-otlp2jaeger-in-error.json': { spans: 1, traces: 1, services: ['unknown_service'], errors: 0, roots: ['okey-dokey-0'], format: 'otlp-json' },
  'jaegerui-otlp2jaeger-in.json': { spans: 2, traces: 1, services: ['telemetrygen'], errors: 0, roots: ['okey-dokey-0'], format: 'otlp-json' },
  'jaegerui-otlp2jaeger-multi-in-combined.json': { spans: 4, traces: 1, services: ['example-trace'], errors: 0, roots: ['main'], format: 'otlp-json' },
  'jaegerui-otlp2jaeger-multi-in.jsonl': { spans: 4, traces: 1, services: ['example-trace'], errors: 0, roots: ['main'], format: 'otlp-jsonl' },
  'otel-tui-test_data-mixed-signals.jsonl': { spans: 547, traces: 141, services: OTEL_TUI_SERVICES, errors: 107, roots: OTEL_TUI_ROOTS, format: 'otlp-jsonl' },
  'otel-tui-test_data-traces-only.jsonl': { spans: 547, traces: 141, services: OTEL_TUI_SERVICES, errors: 107, roots: OTEL_TUI_ROOTS, format: 'otlp-jsonl' },
  'otelproto-examples-trace.json': { spans: 1, traces: 1, services: ['my.service'], errors: 0, roots: ["I'm a server span"], format: 'otlp-json' },
  'tempo-servicegraphs-test-sample.json': { spans: 17, traces: 2, services: ['app', 'db', 'lb'], errors: 1, roots: ['HTTP Client'], format: 'tempo' },
  'tempo-servicegraphs-trace-with-both-db-attributes.json': { spans: 19, traces: 1, services: ['mythical-recorder', 'mythical-requester', 'mythical-server'], errors: 0, roots: ['requester'], format: 'otlp-json' },
  'tempo-servicegraphs-trace-with-expired-edges.json': { spans: 5, traces: 1, services: ['mythical-requester', 'mythical-server'], errors: 0, roots: ['server-root'], format: 'otlp-json' },
  'tempo-servicegraphs-trace-with-failed-requests.json': { spans: 15, traces: 1, services: ['mythical-requester', 'mythical-server'], errors: 3, roots: ['requester'], format: 'otlp-json' },
  'tempo-servicegraphs-trace-with-queue-database.json': { spans: 19, traces: 1, services: ['mythical-recorder', 'mythical-requester', 'mythical-server'], errors: 0, roots: ['requester'], format: 'otlp-json' },
  'tempo-servicegraphs-trace-with-virtual-nodes.json': { spans: 3, traces: 2, services: ['internal-consumer', 'mythical-requester', 'mythical-server'], errors: 0, roots: ['Consumed', 'requester'], format: 'otlp-json' },
  'tempo-tempopb-trace-batches.json': { spans: 1, traces: 1, services: ['my.service'], errors: 0, roots: ["I'm a server span"], format: 'tempo' },
  'tempo-vulture-trace-base64ids.json': { spans: 6, traces: 1, services: ['tempo-vulture'], errors: 0, roots: ['vulture-68'], format: 'otlp-json' },
};

const corpusDescribe = HAS_CORPUS ? describe : describe.skip;
const corpusTitle = HAS_CORPUS ? 'OTLP JSON corpus' : `OTLP JSON corpus (SKIPPED: corpus absent at ${CORPUS})`;

corpusDescribe(corpusTitle, () => {
  const load = (name: string) => importTraceFile(readBytes(corpusFile(`otlp-json/${name}`)), { fileName: name });

  it('has an expectation for every file in otlp-json/', () => {
    assert.deepStrictEqual(fs.readdirSync(corpusFile('otlp-json')).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [name, exp] of Object.entries(EXPECTED)) {
    it(`imports ${name}: ${exp.spans} spans, ${exp.traces} trace(s), ${exp.errors} error(s)`, () => {
      const f = load(name);
      assert.strictEqual(f.format, exp.format);
      assert.strictEqual(f.spanCount, exp.spans);
      assert.strictEqual(allSpans(f).length, exp.spans);
      assert.strictEqual(f.traces.length, exp.traces);
      assert.deepStrictEqual([...new Set(f.traces.flatMap((t) => t.services))].sort(), exp.services);
      assert.deepStrictEqual([...new Set(f.traces.map((t) => t.rootName))].sort(), exp.roots);
      assert.strictEqual(
        f.traces.reduce((n, t) => n + t.errorCount, 0),
        exp.errors,
      );
    });
  }

  it('mixed-signals JSONL: 41 trace lines and 16 logs lines read, 40 metrics lines skipped and reported', () => {
    const f = load('otel-tui-test_data-mixed-signals.jsonl');
    const w = f.warnings.find((x) => x.code === 'skipped-lines');
    assert.ok(w, 'a skipped-lines warning');
    assert.strictEqual(w.count, 40);
    assert.match(w.message, /40 metrics lines/);
    assert.ok(f.logs && f.logs.length > 0, 'the log lines are read (issue 12)');
    const spans = allSpans(f);
    assert.strictEqual(spans.length, 547);
    // SOURCES.md (counted independently): 139 events, 53 links.
    assert.strictEqual(spans.reduce((n, s) => n + s.events.length, 0), 139);
    assert.strictEqual(spans.reduce((n, s) => n + s.links.length, 0), 53);
    // The same spans as the traces-only file, which has no warning about skipped lines.
    const only = load('otel-tui-test_data-traces-only.jsonl');
    assert.strictEqual(only.warnings.filter((x) => x.code === 'skipped-lines').length, 0);
    assert.deepStrictEqual(
      spans.map((s) => s.spanId),
      allSpans(only).map((s) => s.spanId),
    );
  });

  it('normalises base64 ids (Tempo vulture) to lower-case hex', () => {
    const raw = JSON.parse(fs.readFileSync(corpusFile('otlp-json/tempo-vulture-trace-base64ids.json'), 'utf8'));
    const s0 = raw.resourceSpans[0].scopeSpans[0].spans[0];
    const f = load('tempo-vulture-trace-base64ids.json');
    const span = allSpans(f).find((s) => s.name === s0.name)!;
    assert.strictEqual(span.traceId, Buffer.from(s0.traceId, 'base64').toString('hex'));
    assert.strictEqual(span.spanId, Buffer.from(s0.spanId, 'base64').toString('hex'));
    assert.match(span.traceId, /^[0-9a-f]{32}$/);
  });

  it('normalises upper-case hex ids (opentelemetry-proto example) and keeps the dangling parent as an orphan', () => {
    const [span] = allSpans(load('otelproto-examples-trace.json'));
    assert.strictEqual(span.traceId, '5b8efff798038103d269b633813fc60c');
    assert.strictEqual(span.spanId, 'eee19b7ec3c1b174');
    assert.strictEqual(span.parentSpanId, 'eee19b7ec3c1b173');
  });

  it('keeps snake_case times exact although they are JSON numbers above 2^53', () => {
    const text = fs.readFileSync(corpusFile('otlp-json/grafana-tempo-testData-trace-snake_case.json'), 'utf8');
    // The raw digits, read by regex (JSON.parse would round them).
    const starts = [...text.matchAll(/"start_time_unix_nano":\s*(\d+)/g)].map((m) => BigInt(m[1]));
    const ends = [...text.matchAll(/"end_time_unix_nano":\s*(\d+)/g)].map((m) => BigInt(m[1]));
    const f = load('grafana-tempo-testData-trace-snake_case.json');
    const spans = allSpans(f);
    assert.strictEqual(spans.length, starts.length);
    assert.deepStrictEqual(
      spans.map((s) => s.startTimeUnixNano),
      starts,
    );
    assert.deepStrictEqual(
      spans.map((s) => s.endTimeUnixNano),
      ends,
    );
    assert.ok(!f.warnings.some((w) => w.code === 'precision'), 'no precision warning when the text is available');
    // The all-zero base64 parent ("AAAAAAAAAAA=") means "no parent".
    assert.strictEqual(f.traces[0].spans[f.traces[0].roots[0]].parentSpanId, undefined);
    assert.strictEqual(f.traces[0].rootName, 'HTTP GET - loki_api_v1_query_range');
  });

  it('reads Tempo batches with legacy instrumentationLibrarySpans, event names from the "event" attribute, junk link ids verbatim', () => {
    const f = load('grafana-tempo-mockJsonResponse-batches-ils.json');
    const spans = allSpans(f);
    const withLink = spans.find((s) => s.links.length > 0)!;
    assert.deepStrictEqual(
      withLink.links.map((l) => [l.traceId, l.spanId]),
      [
        ['traceId', 'spanId'],
        ['traceId2', 'spanId2'],
      ],
    );
    // `"intValue": 4` as a JSON number (the spec writes a string) is still an int.
    assert.deepStrictEqual(withLink.links[0].attributes, [
      { key: 'key', value: 'Value' },
      { key: 'intValue', value: 4n },
    ]);
    const events = spans.flatMap((s) => s.events);
    assert.strictEqual(events.length, 20);
    for (const e of events) {
      const attr = e.attributes.find((a) => a.key === 'event');
      assert.ok(attr && typeof attr.value === 'string' && attr.value !== '');
      assert.strictEqual(e.name, attr.value);
    }
    assert.ok(spans.every((s) => s.scope.name !== undefined));
  });

  it('reads status as enum names and applies the legacy deprecatedCode', () => {
    const f = load('tempo-servicegraphs-trace-with-failed-requests.json');
    const errs = allSpans(f).filter((s) => s.status.code === 2);
    assert.strictEqual(errs.length, 3);
    assert.ok(errs.some((s) => /null value in column/.test(s.status.message ?? '')));
    assert.ok(allSpans(f).some((s) => s.status.code === 1), 'STATUS_CODE_OK read');
    assert.ok(allSpans(f).some((s) => s.kind === 2 || s.kind === 3), 'SPAN_KIND_* names read');
  });

  it('malformed attribute values are kept and reported with their JSON path; missing times are 0', () => {
    for (const name of ['otlp-desktopviewer-span-anyValue-key.json', 'otlp-desktopviewer-span-bare-string-value.json']) {
      const f = importTraceFile(readBytes(corpusFile(`malformed/${name}`)), { fileName: name });
      assert.deepStrictEqual(f.traces[0].services, ['test-with-curl'], name);
      const w = f.warnings.find((x) => x.code === 'invalid-value');
      assert.ok(w, name);
      assert.match(w.message, /\$\.resourceSpans\[0\]\.resource\.attributes\[0\]\.value/);
      const [s] = allSpans(f);
      assert.strictEqual(s.startTimeUnixNano, 0n);
      assert.strictEqual(s.endTimeUnixNano, 0n);
      assert.ok(f.traces[0].warnings.some((x) => x.code === 'non-positive-duration'));
    }
  });
});

describe('OTLP JSON dialects', () => {
  it('reads snake_case keys, base64 ids, enum names, int64 as numbers or strings, every AnyValue kind', () => {
    const doc = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }], dropped_attributes_count: 2 },
          schema_url: 'https://example.com/r',
          scope_spans: [
            {
              scope: { name: 'lib', version: '1.0', attributes: [{ key: 's', value: { bool_value: true } }], dropped_attributes_count: 1 },
              schema_url: 'https://example.com/s',
              spans: [
                {
                  trace_id: 'AAAAAAAAAAAAAAAAAAAAAQ==',
                  span_id: 'AAAAAAAAAAI=',
                  parent_span_id: 'AAAAAAAAAAA=',
                  trace_state: 'a=b',
                  flags: 257,
                  name: 'root',
                  kind: 'SPAN_KIND_SERVER',
                  start_time_unix_nano: '1700000000123456789',
                  end_time_unix_nano: 1700000001000000000,
                  attributes: [
                    { key: 'i', value: { int_value: '-9223372036854775808' } },
                    { key: 'in', value: { int_value: 42 } },
                    { key: 'd', value: { double_value: 3 } },
                    { key: 'nan', value: { double_value: 'NaN' } },
                    { key: 'b', value: { bytes_value: 'AQID' } },
                    { key: 'a', value: { array_value: { values: [{ string_value: 'x' }, { int_value: '1' }] } } },
                    { key: 'kv', value: { kvlist_value: { values: [{ key: 'k', value: { bool_value: false } }] } } },
                    { key: 'empty', value: {} },
                  ],
                  dropped_attributes_count: 3,
                  events: [{ time_unix_nano: '1700000000500000000', attributes: [{ key: 'event', value: { string_value: 'from-attr' } }], dropped_attributes_count: 4 }],
                  dropped_events_count: 5,
                  links: [{ trace_id: 'AAAAAAAAAAAAAAAAAAAAAQ==', span_id: 'junk!', trace_state: 'x=y', flags: 1, dropped_attributes_count: 6 }],
                  dropped_links_count: 7,
                  status: { code: 'STATUS_CODE_ERROR', message: 'bad' },
                },
              ],
            },
          ],
        },
      ],
    };
    const f = importText(JSON.stringify(doc));
    assert.strictEqual(f.format, 'otlp-json');
    const [s] = allSpans(f);
    assert.strictEqual(s.traceId, '00000000000000000000000000000001');
    assert.strictEqual(s.spanId, '0000000000000002');
    assert.strictEqual(s.parentSpanId, undefined);
    assert.strictEqual(s.traceState, 'a=b');
    assert.strictEqual(s.flags, 257);
    assert.strictEqual(s.kind, 2);
    assert.strictEqual(s.startTimeUnixNano, 1700000000123456789n);
    assert.strictEqual(s.endTimeUnixNano, 1700000001000000000n);
    assert.deepStrictEqual(s.attributes, [
      { key: 'i', value: -9223372036854775808n },
      { key: 'in', value: 42n },
      { key: 'd', value: 3 },
      { key: 'nan', value: NaN },
      { key: 'b', value: new Uint8Array([1, 2, 3]) },
      { key: 'a', value: ['x', 1n] },
      { key: 'kv', value: { kvlist: [{ key: 'k', value: false }] } },
      { key: 'empty', value: null },
    ]);
    assert.strictEqual(s.droppedAttributesCount, 3);
    assert.deepStrictEqual(s.events, [{ timeUnixNano: 1700000000500000000n, name: 'from-attr', attributes: [{ key: 'event', value: 'from-attr' }], droppedAttributesCount: 4 }]);
    assert.strictEqual(s.droppedEventsCount, 5);
    assert.deepStrictEqual(s.links, [{ traceId: '00000000000000000000000000000001', spanId: 'junk!', traceState: 'x=y', attributes: [], droppedAttributesCount: 6, flags: 1 }]);
    assert.strictEqual(s.droppedLinksCount, 7);
    assert.deepStrictEqual(s.status, { code: 2, message: 'bad' });
    assert.deepStrictEqual(s.resource, { attributes: [{ key: 'service.name', value: 'svc' }], serviceName: 'svc', droppedAttributesCount: 2, schemaUrl: 'https://example.com/r' });
    assert.deepStrictEqual(s.scope, { name: 'lib', version: '1.0', attributes: [{ key: 's', value: true }], droppedAttributesCount: 1, schemaUrl: 'https://example.com/s' });
    assert.deepStrictEqual(f.warnings, []);
  });

  it('shares one Resource and one Scope object between the spans of a batch', () => {
    const span = (id: string) => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: id, name: id, startTimeUnixNano: '1', endTimeUnixNano: '2' });
    const f = importText(JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ spans: [span('b7ad6b7169203331'), span('b7ad6b7169203332')] }] }] }));
    const [a, b] = allSpans(f);
    assert.strictEqual(a.resource, b.resource);
    assert.strictEqual(a.scope, b.scope);
    assert.strictEqual(a.resource.serviceName, 'unknown_service');
  });

  it('reads Tempo v2 {trace: ...} and reports a PARTIAL status', () => {
    const f = importText(
      JSON.stringify({
        trace: { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'x', kind: 1 }] }] }] },
        status: 'PARTIAL',
        message: 'trace too large',
      }),
    );
    assert.strictEqual(f.format, 'tempo');
    assert.strictEqual(f.spanCount, 1);
    const w = f.warnings.find((x) => /partial trace/i.test(x.message));
    assert.ok(w);
    assert.match(w.message, /trace too large/);
    const complete = { trace: { batches: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'x', kind: 1 }] }] }] }, status: 'COMPLETE' };
    assert.strictEqual(importText(JSON.stringify(complete)).warnings.filter((x) => /partial/i.test(x.message)).length, 0);
  });

  it('reads Jaeger api/v3 {result: {resourceSpans}}', () => {
    const f = importText(JSON.stringify({ result: { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'x' }] }] }] } }));
    assert.strictEqual(f.format, 'jaeger-v3');
    assert.strictEqual(allSpans(f)[0].name, 'x');
  });

  it('keeps int64 JSON numbers above 2^53 exact from the text, else warns about precision', () => {
    const text = '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"x","startTimeUnixNano":1700000000123456789,"endTimeUnixNano":1700000000123456999,"attributes":[{"key":"big","value":{"intValue":9007199254740993}}]}]}]}]}';
    const exact = allSpans(importText(text))[0];
    assert.strictEqual(exact.startTimeUnixNano, 1700000000123456789n);
    assert.strictEqual(exact.endTimeUnixNano, 1700000000123456999n);
    assert.deepStrictEqual(exact.attributes, [{ key: 'big', value: 9007199254740993n }]);
    const rounded = importOtlpJson(JSON.parse(text), 'otlp-json');
    const w = rounded.warnings.find((x) => x.code === 'precision');
    assert.ok(w);
    assert.strictEqual(w.count, 3);
    assert.match(w.message, /\$\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano/);
  });

  it('never throws on odd values: keeps what it can and reports each kind once with a path', () => {
    const doc = {
      resourceSpans: [
        5,
        {
          resource: { attributes: { not: 'an array' } },
          scopeSpans: [
            {
              spans: [
                null,
                'span',
                {
                  traceId: 12345,
                  spanId: 'b7ad6b7169203331',
                  name: 7,
                  kind: 'SPAN_KIND_WEIRD',
                  startTimeUnixNano: 'soon',
                  attributes: [{ key: 'a', value: [1, 2] }, { key: 'b', value: { intValue: 'x1' } }, 'bare', { key: 'c', value: { doubleValue: 'many' } }],
                  events: [{ timeUnixNano: '5' }, 3],
                  links: ['l'],
                  status: { code: 'STATUS_CODE_MAYBE' },
                },
              ],
            },
          ],
        },
      ],
    };
    const f = importText(JSON.stringify(doc));
    const [s] = allSpans(f);
    assert.strictEqual(s.traceId, '12345');
    assert.strictEqual(s.name, '7');
    assert.strictEqual(s.kind, 0);
    assert.strictEqual(s.startTimeUnixNano, 0n);
    assert.deepStrictEqual(s.attributes, [
      { key: 'a', value: [1n, 2n] },
      { key: 'b', value: 'x1' },
      { key: '', value: 'bare' },
      { key: 'c', value: 'many' },
    ]);
    assert.strictEqual(s.events.length, 1);
    assert.strictEqual(s.links.length, 0);
    assert.strictEqual(s.status.code, 0);
    const invalid = f.warnings.filter((w) => w.code === 'invalid-value');
    assert.ok(invalid.length >= 8, invalid.map((w) => w.message).join('\n'));
    assert.ok(invalid.some((w) => w.message.includes('$.resourceSpans[1].scopeSpans[0].spans[2].attributes[1].value.intValue')));
    assert.ok(invalid.every((w) => /\(first at \$/.test(w.message)));
  });

  it('rejects a document with no trace envelope with an ImportError naming its keys', () => {
    assert.throws(
      () => importOtlpJson({ hello: 1 }, 'otlp-json'),
      (e: unknown) => e instanceof ImportError && /hello/.test(e.message),
    );
  });
});

describe('OTLP JSON Lines', () => {
  const line = (id: string, extra = '') => `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"${id}","name":"n${id}"${extra}}]}]}]}`;

  it('reads one document per line, skipping blank lines, accepting Jaeger api/v3 {"result"} lines', () => {
    const text = `${line('0000000000000001')}\n\n   \n{"result":${line('0000000000000002')}}\r\n${line('0000000000000003')}\n`;
    const f = importText(text, 'x.jsonl');
    assert.strictEqual(f.format, 'otlp-jsonl');
    assert.deepStrictEqual(
      allSpans(f).map((s) => s.name),
      ['n0000000000000001', 'n0000000000000002', 'n0000000000000003'],
    );
    assert.deepStrictEqual(f.warnings, []);
  });

  it('skips metrics and profiles lines and counts them in one warning (logs lines are read, issue 12)', () => {
    const text = [line('0000000000000001'), '{"resourceMetrics":[]}', '{"resourceLogs":[]}', '{"resourceMetrics":[{"x":1}]}', '{"resource_profiles":[]}'].join('\n');
    const f = importOtlpJsonLines(text);
    assert.strictEqual(f.spanCount, 1);
    assert.deepStrictEqual(f.logs, []);
    const w = f.warnings.find((x) => x.code === 'skipped-lines')!;
    assert.strictEqual(w.count, 3);
    assert.match(w.message, /skipped 2 metrics and 1 profiles lines/i);
  });

  it('reports an invalid line with its line and column in the file', () => {
    const bad = '{"resourceSpans": [}';
    const text = `${line('0000000000000001')}\n\n${bad}\n${line('0000000000000002')}\n`;
    assert.throws(
      () => importOtlpJsonLines(text),
      (e: unknown) => {
        assert.ok(e instanceof ImportError);
        assert.strictEqual(e.format, 'otlp-jsonl');
        assert.strictEqual(e.location.line, 3);
        assert.strictEqual(e.location.column, bad.indexOf('}') + 1);
        assert.strictEqual(e.location.offset, text.indexOf(bad) + bad.indexOf('}'));
        return true;
      },
    );
  });

  it('keeps the good lines when only the last line is cut off (file still being written)', () => {
    const text = `${line('0000000000000001')}\n${line('0000000000000002')}\n${line('0000000000000003').slice(0, 60)}`;
    const f = importOtlpJsonLines(text);
    assert.strictEqual(f.spanCount, 2);
    const w = f.warnings.find((x) => x.code === 'skipped-lines')!;
    assert.match(w.message, /last line \(3\) is incomplete/);
  });

  it('still fails on a cut-off first line, and on a last line broken in the middle', () => {
    assert.throws(() => importOtlpJsonLines(`${line('0000000000000001').slice(0, 60)}\n${line('0000000000000002')}`), (e: unknown) => e instanceof ImportError && e.location.line === 1);
    assert.throws(() => importOtlpJsonLines(`${line('0000000000000001')}\n{"resourceSpans": x []}`), (e: unknown) => e instanceof ImportError && e.location.line === 2);
  });

  it('refuses a file with no trace lines, saying what it holds', () => {
    assert.throws(
      () => importOtlpJsonLines('{"resourceMetrics":[]}\n{"resourceLogs":[]}\n'),
      (e: unknown) => e instanceof ImportError && /only other signals \(1 metrics and 1 logs lines\)/.test(e.message),
    );
  });

  it('keeps big int64 numbers exact per line', () => {
    const f = importOtlpJsonLines(`${line('0000000000000001', ',"startTimeUnixNano":1700000000123456789')}\n${line('0000000000000002')}\n`);
    assert.strictEqual(allSpans(f)[0].startTimeUnixNano, 1700000000123456789n);
    assert.ok(!f.warnings.some((w) => w.code === 'precision'));
  });
});
