// Issue 10, "Exports are valid OTLP": what `spanlens convert --to otlp-json|otlp-jsonl`, Save Trace
// As… and Export Collected Traces… write (all three go through serializeOtlpJson/toOtlpJsonLines)
// passes a strict OTLP/JSON check written from the proto (test/support/otlpStrict.ts), and reads
// back as the same trace. Ids OTLP cannot carry are mapped as src/core/exporters/otlpIds.ts says.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as protobuf from 'protobufjs';
import type { IExportTraceServiceRequest } from '@opentelemetry/otlp-transformer/build/src/trace/internal-types';
import type { Span, TraceFile } from '../../src/core/model/model';
import { ImportError } from '../../src/core/model/errors';
import { importTraceFile } from '../../src/core/importers/importFile';
import { serializeOtlpJson, toOtlpJsonLines } from '../../src/core/exporters/otlpJson';
import { derivedOtlpId, mapOtlpId, ORIGINAL_PARENT_SPAN_ID_ATTR, ORIGINAL_SPAN_ID_ATTR, ORIGINAL_TRACE_ID_ATTR } from '../../src/core/exporters/otlpIds';
import { getAttr } from '../../src/core/model/attributes';
import { shareTraces } from '../../src/core/share/index';
import { batchToJsonLine, traceFileToJsonLines } from '../../src/core/collector/jsonLines';
import { OTLP_TRACE_PROTO_FILES } from '../../src/core/otlp/schema';
import { OTLP_TRACE_MESSAGES, otlpJsonLinesProblems, otlpStrictProblems } from '../support/otlpStrict';
import { generateSpans, toOtlpJsonBytes } from '../support/generate';
import { CORPUS, FIXTURES, HAS_CORPUS, REPO_ROOT, readBytes } from '../support/paths';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const mapTrace = (id: string) => mapOtlpId(id, 32).id;
const mapSpan = (id: string) => mapOtlpId(id, 16).id;

/** One line per span: mapped ids, name, times, depth and child count (the tree's shape). */
function signature(file: TraceFile, mapped: boolean): string[] {
  const out: string[] = [];
  for (const t of file.traces) {
    const depth = new Int32Array(t.spans.length).fill(-1);
    const depthOf = (i: number): number => {
      if (depth[i] >= 0) return depth[i];
      const p = t.parentIndex[i];
      return (depth[i] = p < 0 ? 0 : depthOf(p) + 1);
    };
    t.spans.forEach((s, i) => {
      const tid = mapped ? mapTrace(s.traceId) : s.traceId;
      const sid = mapped ? mapSpan(s.spanId) : s.spanId;
      // A self-parent is a root, and is exported as one (no parentSpanId).
      const pid = s.parentSpanId === undefined || s.parentSpanId === s.spanId ? '' : mapped ? mapSpan(s.parentSpanId) : s.parentSpanId;
      out.push(`${tid} ${sid} ${pid} ${JSON.stringify(s.name)} ${s.startTimeUnixNano} ${s.endTimeUnixNano} depth=${depthOf(i)} children=${t.children[i].length}`);
    });
  }
  return out.sort();
}

function originals(s: Span): { trace?: unknown; span?: unknown; parent?: unknown } {
  return { trace: getAttr(s.attributes, ORIGINAL_TRACE_ID_ATTR), span: getAttr(s.attributes, ORIGINAL_SPAN_ID_ATTR), parent: getAttr(s.attributes, ORIGINAL_PARENT_SPAN_ID_ATTR) };
}

/** The exported text is strictly valid and re-imports to the same trace, ids as documented. */
function assertRoundTrip(file: TraceFile, what: string): void {
  const json = serializeOtlpJson(file);
  const problems = otlpStrictProblems(JSON.parse(json));
  assert.deepStrictEqual(problems.slice(0, 10), [], `${what}: otlp-json is not strictly valid`);
  const lines = toOtlpJsonLines(file);
  assert.deepStrictEqual(otlpJsonLinesProblems(lines).slice(0, 10), [], `${what}: otlp-jsonl is not strictly valid`);

  const expected = signature(file, true);
  for (const [label, text] of [
    ['otlp-json', json],
    ['otlp-jsonl', lines],
  ] as const) {
    const back = importTraceFile(enc(text));
    assert.strictEqual(back.spanCount, file.spanCount, `${what} (${label}): span count`);
    assert.deepStrictEqual(signature(back, false), expected, `${what} (${label}): same spans, ids, times and tree`);
    assert.ok(!back.traces.some((t) => t.warnings.some((w) => w.code === 'invalid-id')), `${what} (${label}): no invalid id after export`);
    assert.ok(!back.warnings.some((w) => w.code === 'invalid-id'), `${what} (${label}): no invalid id after export`);
  }
  // Every hashed id keeps its original in the documented attribute.
  const back = importTraceFile(enc(json));
  const byKey = new Map<string, Span>();
  for (const t of back.traces) for (const s of t.spans) byKey.set(`${s.traceId} ${s.spanId}`, s);
  for (const t of file.traces) {
    for (const s of t.spans) {
      const tm = mapOtlpId(s.traceId, 32);
      const sm = mapOtlpId(s.spanId, 16);
      if (!tm.derived && !sm.derived) continue;
      const r = byKey.get(`${tm.id} ${sm.id}`);
      assert.ok(r, `${what}: span ${s.spanId} re-imported`);
      const o = originals(r);
      if (tm.derived) assert.strictEqual(o.trace, s.traceId, `${what}: ${ORIGINAL_TRACE_ID_ATTR}`);
      if (sm.derived) assert.strictEqual(o.span, s.spanId, `${what}: ${ORIGINAL_SPAN_ID_ATTR}`);
    }
  }
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

const TRACE_FILE = /\.(json|jsonl|ndjson|binpb|pb|txt)$/i;

function importOrSkip(file: string): TraceFile | undefined {
  try {
    return importTraceFile(readBytes(file), { fileName: path.basename(file) });
  } catch (e) {
    if (e instanceof ImportError) return undefined; // a file meant to be refused (malformed/): nothing to export
    throw e;
  }
}

describe('otlp strict check: the validator itself', () => {
  it('the real OTel JS SDK JSON serializer output passes (the validator is not wrong)', () => {
    const sdk = generateSpans({ spans: 400, services: 3, seed: 11, traces: 3 });
    const doc = JSON.parse(new TextDecoder().decode(toOtlpJsonBytes(sdk))) as IExportTraceServiceRequest;
    assert.ok((doc.resourceSpans?.length ?? 0) > 0);
    const spans = doc.resourceSpans!.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans ?? []));
    assert.strictEqual(spans.length, 400);
    assert.ok(spans.some((s) => (s.links?.length ?? 0) > 0) && spans.some((s) => (s.events?.length ?? 0) > 0), 'the sample has links and events');
    assert.deepStrictEqual(otlpStrictProblems(doc), []);
  });

  it('rejects what the OTLP/JSON spec does not allow', () => {
    const good = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b173', name: 'x', kind: 1, startTimeUnixNano: '1', endTimeUnixNano: '2', status: {} };
    const doc = (span: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'l' }, spans: [{ ...good, ...span }] }], ...extra }] });
    const cases: [string, unknown, RegExp][] = [
      ['31 hex digits', doc({ traceId: good.traceId.slice(1) }), /trace id must be 32 hex/],
      ['base64 trace id', doc({ traceId: Buffer.from(good.traceId, 'hex').toString('base64') }), /trace id must be 32 hex/],
      ['non-hex span id', doc({ spanId: 'span-1' }), /span id must be 16 hex/],
      ['all-zero trace id', doc({ traceId: '0'.repeat(32) }), /all-zero trace id/],
      ['all-zero span id', doc({ spanId: '0'.repeat(16) }), /all-zero span id/],
      ['all-zero parent', doc({ parentSpanId: '0'.repeat(16) }), /all-zero parent/],
      ['unknown field', doc({ parentSpanID: 'eee19b7ec3c1b174' }), /no field "parentSpanID"/],
      ['snake_case key', doc({ trace_state: '' }), /no field "trace_state"/],
      ['enum as a name', doc({ kind: 'SPAN_KIND_SERVER' }), /enum must be an integer/],
      ['kind out of range', doc({ kind: 6 }), /out of range 0\.\.5/],
      ['status code out of range', doc({ status: { code: 3 } }), /out of range 0\.\.2/],
      ['int64 as a float', doc({ startTimeUnixNano: 1.5 }), /decimal string or a JSON integer/],
      ['int64 as hex text', doc({ endTimeUnixNano: '0x10' }), /decimal string or a JSON integer/],
      ['two AnyValue fields', doc({ attributes: [{ key: 'k', value: { stringValue: 'a', intValue: '1' } }] }), /oneof holds one field/],
      ['bytes not base64', doc({ attributes: [{ key: 'k', value: { bytesValue: 'not base64!' } }] }), /base64/],
      ['a null', doc({ traceState: null }), /null/],
      ['uint32 negative', doc({ droppedAttributesCount: -1 }), /unsigned 32-bit/],
      ['unknown ResourceSpans field', doc({}, { instrumentationLibrarySpans: [] }), /no field "instrumentationLibrarySpans"/],
    ];
    for (const [label, d, re] of cases) {
      const problems = otlpStrictProblems(d);
      assert.ok(problems.some((p) => re.test(p)), `${label}: ${problems.join('; ') || 'accepted'}`);
    }
    assert.deepStrictEqual(otlpStrictProblems(doc({ parentSpanId: '', attributes: [{ key: 'empty', value: {} }] })), [], 'an empty AnyValue and an empty parent are allowed');
  });

  it('its field table matches the proto text (names, numbers, repeated) of src/core/otlp/schema.ts', () => {
    const root = new protobuf.Root();
    for (const f of OTLP_TRACE_PROTO_FILES) protobuf.parse(f.text, root, { keepCase: true });
    const pkg: Record<string, string> = {
      ExportTraceServiceRequest: 'opentelemetry.proto.collector.trace.v1',
      KeyValue: 'opentelemetry.proto.common.v1',
      AnyValue: 'opentelemetry.proto.common.v1',
      ArrayValue: 'opentelemetry.proto.common.v1',
      KeyValueList: 'opentelemetry.proto.common.v1',
      InstrumentationScope: 'opentelemetry.proto.common.v1',
      EntityRef: 'opentelemetry.proto.common.v1',
      Resource: 'opentelemetry.proto.resource.v1',
    };
    for (const [name, fields] of Object.entries(OTLP_TRACE_MESSAGES)) {
      const type = root.lookupType(`${pkg[name] ?? 'opentelemetry.proto.trace.v1'}.${name}`);
      const protoFields = type.fieldsArray.map((x) => [x.name, x.id, x.repeated]).sort();
      const mine = Object.values(fields).map((x) => [x.proto, x.no, !!x.repeated]).sort();
      assert.deepStrictEqual(mine, protoFields, name);
      for (const [json, x] of Object.entries(fields)) assert.strictEqual(json, type.fields[x.proto].name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), `${name}.${x.proto}: lowerCamelCase JSON name`);
    }
  });
});

describe('otlp export: ids OTLP cannot carry are mapped (documented rule)', () => {
  it('non-hex ids (Jaeger test ids) -> SHA-256 hex, parents and links mapped alike, the originals in attributes', () => {
    const doc = {
      data: [
        {
          traceID: 'trace-123',
          spans: [
            { traceID: 'trace-123', spanID: 'span-1', operationName: 'root', startTime: 1000, duration: 10, references: [], processID: 'p1' },
            { traceID: 'trace-123', spanID: 'span-2', operationName: 'child', startTime: 1001, duration: 5, references: [{ refType: 'CHILD_OF', traceID: 'trace-123', spanID: 'span-1' }], processID: 'p1' },
            { traceID: 'trace-123', spanID: 'span-3', operationName: 'follows', startTime: 1002, duration: 5, references: [{ refType: 'CHILD_OF', traceID: 'trace-123', spanID: 'span-1' }, { refType: 'FOLLOWS_FROM', traceID: 'other-trace', spanID: 'x-1' }], processID: 'p1' },
          ],
          processes: { p1: { serviceName: 'svc', tags: [] } },
        },
      ],
    };
    const file = importTraceFile(enc(doc));
    const out = JSON.parse(serializeOtlpJson(file));
    assert.deepStrictEqual(otlpStrictProblems(out), []);
    const spans = out.resourceSpans[0].scopeSpans[0].spans as { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes: { key: string; value: { stringValue: string } }[]; links?: { traceId: string; spanId: string; attributes: { key: string; value: { stringValue: string } }[] }[] }[];
    const byName = new Map(spans.map((s) => [s.name, s]));
    const tid = derivedOtlpId('trace-123', 32);
    assert.strictEqual(tid, require('crypto').createHash('sha256').update('trace-123').digest('hex').slice(0, 32), 'the documented rule');
    for (const s of spans) assert.strictEqual(s.traceId, tid);
    assert.strictEqual(byName.get('root')!.spanId, derivedOtlpId('span-1', 16));
    assert.strictEqual(byName.get('child')!.parentSpanId, byName.get('root')!.spanId, 'the parent is mapped the same way');
    const attr = (s: { attributes: { key: string; value: { stringValue: string } }[] }, k: string) => s.attributes.find((a) => a.key === k)?.value.stringValue;
    assert.strictEqual(attr(byName.get('child')!, ORIGINAL_TRACE_ID_ATTR), 'trace-123');
    assert.strictEqual(attr(byName.get('child')!, ORIGINAL_SPAN_ID_ATTR), 'span-2');
    assert.strictEqual(attr(byName.get('child')!, ORIGINAL_PARENT_SPAN_ID_ATTR), 'span-1');
    const links = byName.get('follows')!.links!;
    const other = links.find((l) => attr(l, ORIGINAL_TRACE_ID_ATTR) === 'other-trace')!;
    assert.ok(other, JSON.stringify(links));
    assert.strictEqual(other.traceId, derivedOtlpId('other-trace', 32));
    assert.strictEqual(other.spanId, derivedOtlpId('x-1', 16));
    assert.strictEqual(attr(other, ORIGINAL_SPAN_ID_ATTR), 'x-1');
    // Deterministic: the same input gives the same output; re-exporting the export changes nothing.
    assert.strictEqual(serializeOtlpJson(importTraceFile(enc(doc))), serializeOtlpJson(file));
    const again = importTraceFile(enc(serializeOtlpJson(file)));
    assert.strictEqual(serializeOtlpJson(again), serializeOtlpJson(file), 'idempotent: no second original attribute');
    assertRoundTrip(file, 'jaeger test ids');
  });

  it('64-bit ids (Zipkin, Jaeger) are left-padded with zeros to 32 / 16 hex digits, no attribute', () => {
    const zipkin = [
      { traceId: '463ac35c9f6413ad', id: '463ac35c9f6413ad', name: 'root', timestamp: 1000, duration: 100, localEndpoint: { serviceName: 'a' } },
      { traceId: '463ac35c9f6413ad', parentId: '463ac35c9f6413ad', id: '72485a3953bb6124', name: 'child', timestamp: 1010, duration: 50, localEndpoint: { serviceName: 'a' } },
    ];
    const out = JSON.parse(serializeOtlpJson(importTraceFile(enc(zipkin))));
    assert.deepStrictEqual(otlpStrictProblems(out), []);
    const spans = out.resourceSpans.flatMap((r: { scopeSpans: { spans: unknown[] }[] }) => r.scopeSpans.flatMap((s) => s.spans)) as { traceId: string; spanId: string; parentSpanId?: string; attributes: { key: string }[] }[];
    for (const s of spans) {
      assert.strictEqual(s.traceId, '0000000000000000463ac35c9f6413ad');
      assert.ok(!s.attributes.some((a) => a.key.startsWith('spanlens.original')), 'padding is lossless: no attribute');
    }
    const jaeger = { data: [{ traceID: '1f', spans: [{ traceID: '1f', spanID: '2e', operationName: 'ok', startTime: 1000, duration: 10, references: [], processID: 'p1' }], processes: { p1: { serviceName: 'svc', tags: [] } } }] };
    const j = JSON.parse(serializeOtlpJson(importTraceFile(enc(jaeger)))).resourceSpans[0].scopeSpans[0].spans[0];
    assert.strictEqual(j.traceId, '0'.repeat(30) + '1f');
    assert.strictEqual(j.spanId, '0'.repeat(14) + '2e');
  });

  it('the server half of a shared Zipkin span gets its own derived, valid, deterministic span id; the client keeps its id', () => {
    const zipkin = [
      { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'a2fb4a1d1a96d312', name: 'get', kind: 'CLIENT', timestamp: 1000, duration: 500, localEndpoint: { serviceName: 'front' } },
      { traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'a2fb4a1d1a96d312', name: 'get', kind: 'SERVER', shared: true, timestamp: 1100, duration: 300, localEndpoint: { serviceName: 'back' } },
      { traceId: '463ac35c9f6413ad48485a3953bb6124', parentId: 'a2fb4a1d1a96d312', id: 'b000000000000001', name: 'db', kind: 'CLIENT', timestamp: 1150, duration: 100, localEndpoint: { serviceName: 'back' } },
    ];
    const file = importTraceFile(enc(zipkin));
    const model = file.traces[0].spans;
    const server = model.find((s) => s.kind === 2)!;
    assert.notStrictEqual(server.spanId, 'a2fb4a1d1a96d312', 'the importer keeps both halves (server under a derived id)');
    const out = JSON.parse(serializeOtlpJson(file));
    assert.deepStrictEqual(otlpStrictProblems(out), []);
    const spans = out.resourceSpans.flatMap((r: { scopeSpans: { spans: unknown[] }[] }) => r.scopeSpans.flatMap((s) => s.spans)) as { spanId: string; parentSpanId?: string; kind: number; name: string; attributes: { key: string; value: { stringValue: string } }[] }[];
    const client = spans.find((s) => s.kind === 3 && s.name === 'get')!;
    const srv = spans.find((s) => s.kind === 2)!;
    const db = spans.find((s) => s.name === 'db')!;
    assert.strictEqual(client.spanId, 'a2fb4a1d1a96d312', 'the client half keeps the original id');
    assert.match(srv.spanId, /^[0-9a-f]{16}$/);
    assert.notStrictEqual(srv.spanId, client.spanId);
    assert.strictEqual(srv.spanId, derivedOtlpId(server.spanId, 16), `derived from the model id ${server.spanId}`);
    assert.strictEqual(srv.parentSpanId, client.spanId);
    assert.strictEqual(srv.attributes.find((a) => a.key === ORIGINAL_SPAN_ID_ATTR)?.value.stringValue, server.spanId);
    assert.strictEqual(db.parentSpanId, srv.spanId, 'children of the server half follow its new id');
    assert.strictEqual(serializeOtlpJson(importTraceFile(enc(zipkin))), serializeOtlpJson(file), 'deterministic');
    assertRoundTrip(file, 'zipkin shared span');
  });

  it('a span whose parent is itself is written as a root, its parent id kept in spanlens.original_parent_span_id', () => {
    const T = '5b8efff798038103d269b633813fc60c';
    const doc = {
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [
            {
              scope: { name: 'l' },
              spans: [
                { traceId: T, spanId: 'eee19b7ec3c1b173', parentSpanId: 'eee19b7ec3c1b173', name: 'self', kind: 1, startTimeUnixNano: '1', endTimeUnixNano: '9', attributes: [], status: {} },
                { traceId: T, spanId: 'eee19b7ec3c1b174', parentSpanId: 'eee19b7ec3c1b173', name: 'child', kind: 1, startTimeUnixNano: '2', endTimeUnixNano: '3', attributes: [], status: {} },
              ],
            },
          ],
        },
      ],
    };
    const file = importTraceFile(enc(doc));
    const spans = JSON.parse(serializeOtlpJson(file)).resourceSpans[0].scopeSpans[0].spans;
    assert.strictEqual(spans[0].parentSpanId, undefined);
    assert.deepStrictEqual(spans[0].attributes, [{ key: ORIGINAL_PARENT_SPAN_ID_ATTR, value: { stringValue: 'eee19b7ec3c1b173' } }]);
    assert.strictEqual(spans[1].parentSpanId, 'eee19b7ec3c1b173');
    assertRoundTrip(file, 'self-parent');
  });

  it('all-zero ids are mapped too (OTLP forbids them)', () => {
    const doc = { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'l' }, spans: [{ traceId: '0'.repeat(32), spanId: '0'.repeat(16), name: 'z', kind: 1, startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: [], status: {} }] }] }] };
    const file = importTraceFile(enc(doc));
    const s = JSON.parse(serializeOtlpJson(file)).resourceSpans[0].scopeSpans[0].spans[0];
    assert.strictEqual(s.traceId, derivedOtlpId('0'.repeat(32), 32));
    assert.strictEqual(s.spanId, derivedOtlpId('0'.repeat(16), 16));
    assertRoundTrip(file, 'all-zero ids');
  });

  it('Save Trace As / Share Trace (shareTraces) and Export Collected Traces (collector JSON Lines) write strictly valid OTLP', () => {
    const jaeger = { data: [{ traceID: 'trace-123', spans: [{ traceID: 'trace-123', spanID: 'span-1', operationName: 'root', startTime: 1000, duration: 10, references: [], processID: 'p1' }], processes: { p1: { serviceName: 'svc', tags: [] } } }] };
    const zipkin = [
      { traceId: '463ac35c9f6413ad', id: 'a2fb4a1d1a96d312', name: 'get', kind: 'CLIENT', timestamp: 1000, duration: 500, localEndpoint: { serviceName: 'front' } },
      { traceId: '463ac35c9f6413ad', id: 'a2fb4a1d1a96d312', name: 'get', kind: 'SERVER', shared: true, timestamp: 1100, duration: 300, localEndpoint: { serviceName: 'back' } },
    ];
    for (const file of [importTraceFile(enc(jaeger)), importTraceFile(enc(zipkin))]) {
      const json = shareTraces(file.traces, 'otlp-json', null, { serialise: true }).text!;
      assert.deepStrictEqual(otlpStrictProblems(JSON.parse(json)), [], 'share otlp-json');
      assert.deepStrictEqual(otlpJsonLinesProblems(shareTraces(file.traces, 'otlp-jsonl', null, { serialise: true }).text!), [], 'share otlp-jsonl');
      assert.deepStrictEqual(otlpJsonLinesProblems(traceFileToJsonLines(file)), [], 'collector export');
      assert.deepStrictEqual(otlpStrictProblems(JSON.parse(batchToJsonLine(file.traces.flatMap((t) => t.spans)))), [], 'collector output file batch');
    }
  });

  it('spanlens convert --to otlp-json and --to otlp-jsonl write strictly valid OTLP (the built CLI)', function () {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-otlp-valid-'));
    try {
      const input = path.join(dir, 'test.jaeger.json');
      fs.writeFileSync(input, JSON.stringify({ data: [{ traceID: 'trace-123', spans: [{ traceID: 'trace-123', spanID: 'span-1', operationName: 'root', startTime: 1000, duration: 10, references: [], processID: 'p1' }], processes: { p1: { serviceName: 'svc', tags: [] } } }] }));
      for (const to of ['otlp-json', 'otlp-jsonl']) {
        const outFile = path.join(dir, `out.${to}`);
        const r = spawnSync(process.execPath, [cli, 'convert', input, '--to', to, '-o', outFile], { encoding: 'utf8' });
        assert.strictEqual(r.status, 0, r.stderr);
        const text = fs.readFileSync(outFile, 'utf8');
        const problems = to === 'otlp-json' ? otlpStrictProblems(JSON.parse(text)) : otlpJsonLinesProblems(text);
        assert.deepStrictEqual(problems, [], to);
        assert.ok(text.includes(derivedOtlpId('trace-123', 32)), to);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const CORPUS_FILES = HAS_CORPUS ? walk(CORPUS).filter((f) => TRACE_FILE.test(f)) : [];
const PEER_FILES = walk(path.join(FIXTURES, 'peers')).filter((f) => TRACE_FILE.test(f));

(HAS_CORPUS ? describe : describe.skip)('otlp export: every corpus file converts to strictly valid OTLP and reads back the same', () => {
  for (const file of CORPUS_FILES) {
    it(path.relative(CORPUS, file), () => {
      const f = importOrSkip(file);
      if (!f) return;
      assertRoundTrip(f, path.relative(CORPUS, file));
    });
  }
});

describe(`otlp export: test/fixtures/peers/** (${PEER_FILES.length} files at run time)`, () => {
  for (const file of PEER_FILES) {
    it(path.relative(FIXTURES, file), () => {
      const f = importOrSkip(file);
      if (!f) return;
      assertRoundTrip(f, path.relative(FIXTURES, file));
    });
  }
});
