import * as assert from 'assert';
import * as fs from 'fs';
import { importTraceFile } from '../../src/core/importers/importFile';
import { ImportError } from '../../src/core/model/errors';
import { getAttr } from '../../src/core/model/attributes';
import { SpanIssue, SpanKind, StatusCode, Span, Trace, TraceFile } from '../../src/core/model/model';
import { CORPUS, HAS_CORPUS, corpusFile, readBytes } from '../support/paths';

function importJson(doc: unknown, fileName = 'trace.json'): TraceFile {
  return importTraceFile(new TextEncoder().encode(typeof doc === 'string' ? doc : JSON.stringify(doc)), { fileName });
}

function spanByName(t: Trace, name: string): Span {
  const s = t.spans.find((x) => x.name === name);
  assert.ok(s, `span ${name} not found`);
  return s;
}

function parentName(t: Trace, name: string): string | undefined {
  const i = t.spans.findIndex((x) => x.name === name);
  const p = t.parentIndex[i];
  return p < 0 ? undefined : t.spans[p].name;
}

function expectImportError(fn: () => unknown, message: RegExp, path?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected ImportError, got ${String(e)}`);
    assert.match(e.message, message);
    if (path !== undefined) assert.strictEqual(e.location.path, path);
    return true;
  });
}

const T = 1700000000000000; // µs
const tag = (key: string, type: string, value: unknown) => ({ key, type, value });

/** A two-service trace in the /api/traces envelope, the shape the Jaeger UI downloads. */
function apiResponse() {
  return {
    data: [
      {
        traceID: 'aaaa000000000001',
        spans: [
          {
            traceID: 'aaaa000000000001',
            spanID: '0000000000000001',
            operationName: 'GET /',
            references: [],
            startTime: T,
            duration: 1000,
            tags: [tag('span.kind', 'string', 'server'), tag('otel.library.name', 'string', 'lib'), tag('otel.library.version', 'string', '1.2')],
            logs: [
              { timestamp: T + 10, fields: [tag('event', 'string', 'cache miss'), tag('key', 'string', 'k1')] },
              { timestamp: T + 20, fields: [tag('message', 'string', 'no name')] },
            ],
            processID: 'p1',
          },
          {
            traceID: 'aaaa000000000001',
            spanID: '0000000000000002',
            operationName: 'db',
            references: [{ refType: 'CHILD_OF', traceID: 'aaaa000000000001', spanID: '0000000000000001' }],
            startTime: T + 100,
            duration: 200,
            tags: [tag('span.kind', 'string', 'client'), tag('error', 'bool', true), tag('otel.status_description', 'string', 'timeout')],
            logs: null,
            processID: 'p2',
          },
          {
            traceID: 'aaaa000000000001',
            spanID: '0000000000000003',
            operationName: 'db2',
            references: [{ refType: 'CHILD_OF', traceID: 'aaaa000000000001', spanID: '0000000000000001' }],
            startTime: T + 300,
            duration: 100,
            tags: [],
            logs: [],
            processID: 'p2',
          },
        ],
        processes: {
          p1: { serviceName: 'frontend', tags: [tag('hostname', 'string', 'h1'), tag('pid', 'int64', 42)] },
          p2: { serviceName: 'backend', tags: [] },
        },
      },
      {
        traceID: 'bbbb000000000002',
        spans: [{ traceID: 'bbbb000000000002', spanID: '00000000000000aa', operationName: 'other', references: null, startTime: T, duration: 5, tags: null, logs: null, processID: 'p1' }],
        processes: { p1: { serviceName: 'frontend', tags: [tag('hostname', 'string', 'h1'), tag('pid', 'int64', 42)] } },
      },
    ],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  };
}

describe('Jaeger JSON import', () => {
  describe('query API response {data: [trace...]}', () => {
    const tf = importJson(apiResponse());
    const t = tf.traces[0];

    it('is detected as Jaeger and keeps each trace separate', () => {
      assert.strictEqual(tf.format, 'jaeger-json');
      assert.deepStrictEqual(
        tf.traces.map((x) => [x.traceId, x.spans.length]),
        [
          ['aaaa000000000001', 3],
          ['bbbb000000000002', 1],
        ],
      );
      assert.strictEqual(tf.spanCount, 4);
    });

    it('converts microseconds to epoch nanoseconds', () => {
      const root = spanByName(t, 'GET /');
      assert.strictEqual(root.startTimeUnixNano, BigInt(T) * 1000n);
      assert.strictEqual(root.endTimeUnixNano - root.startTimeUnixNano, 1_000_000n);
    });

    it('builds the tree from CHILD_OF references', () => {
      assert.strictEqual(parentName(t, 'db'), 'GET /');
      assert.strictEqual(parentName(t, 'db2'), 'GET /');
      assert.strictEqual(t.rootName, 'GET /');
    });

    it('takes the service and resource attributes from the process table, sharing one Resource per process', () => {
      const root = spanByName(t, 'GET /');
      assert.strictEqual(root.resource.serviceName, 'frontend');
      assert.deepStrictEqual(
        root.resource.attributes.map((a) => [a.key, a.value]),
        [
          ['service.name', 'frontend'],
          ['hostname', 'h1'],
          ['pid', 42n],
        ],
      );
      assert.strictEqual(spanByName(t, 'db').resource, spanByName(t, 'db2').resource);
      // Same process content in another trace of the file: still one object.
      assert.strictEqual(tf.traces[1].spans[0].resource, root.resource);
      assert.deepStrictEqual(t.services, ['backend', 'frontend']);
    });

    it('turns span.kind, error and otel.* tags into kind, status and scope, as Jaeger does', () => {
      const root = spanByName(t, 'GET /');
      const db = spanByName(t, 'db');
      assert.strictEqual(root.kind, SpanKind.Server);
      assert.strictEqual(db.kind, SpanKind.Client);
      assert.deepStrictEqual(db.status, { code: StatusCode.Error, message: 'timeout' });
      assert.strictEqual(getAttr(db.attributes, 'error'), undefined);
      assert.strictEqual(getAttr(db.attributes, 'span.kind'), undefined);
      assert.strictEqual(root.scope.name, 'lib');
      assert.strictEqual(root.scope.version, '1.2');
      assert.strictEqual(getAttr(root.attributes, 'otel.library.name'), undefined);
      assert.strictEqual(t.errorCount, 1);
    });

    it('turns logs into events named by their `event` field', () => {
      const ev = spanByName(t, 'GET /').events;
      assert.deepStrictEqual(
        ev.map((e) => [e.name, e.timeUnixNano, e.attributes.map((a) => a.key)]),
        [
          ['cache miss', BigInt(T + 10) * 1000n, ['key']],
          ['log', BigInt(T + 20) * 1000n, ['message']],
        ],
      );
    });
  });

  describe('tag values', () => {
    const span = (tags: unknown[]) => ({ traceID: 'ab', spanID: 'cd', operationName: 'x', startTime: T, duration: 1, tags, process: { serviceName: 's' } });
    const attrs = (tags: unknown[]) => importJson([span(tags)]).traces[0].spans[0].attributes;

    it('keeps typed values typed, including values written as strings', () => {
      const a = attrs([
        tag('s', 'string', 'text'),
        tag('b1', 'bool', true),
        tag('b2', 'bool', 'false'),
        tag('i1', 'int64', 23456),
        tag('i2', 'int64', '9223372036854775222'),
        tag('f1', 'float64', 72.5),
        tag('f2', 'float64', '72.5'),
        tag('f3', 'float64', 3),
        tag('bin', 'binary', 'AQ=='),
      ]);
      assert.deepStrictEqual(
        a.map((x) => [x.key, x.value]),
        [
          ['s', 'text'],
          ['b1', true],
          ['b2', false],
          ['i1', 23456n],
          ['i2', 9223372036854775222n],
          ['f1', 72.5],
          ['f2', 72.5],
          ['f3', 3],
          ['bin', new Uint8Array([1])],
        ],
      );
    });

    it('warns when an int64 JSON number was already rounded by the JSON parser', () => {
      const tf = importJson(`[{"traceID":"ab","spanID":"cd","operationName":"x","startTime":${T},"duration":1,"tags":[{"key":"big","type":"int64","value":9223372036854775222}]}]`);
      const w = tf.warnings.find((x) => x.code === 'precision');
      assert.ok(w, 'precision warning expected');
      assert.match(w.message, /\$\[0\]\.tags\[0\]\.value/);
    });

    it('keeps a value that does not match its declared type as text and says where', () => {
      const tf = importJson([span([tag('n', 'int64', 'many')])]);
      assert.strictEqual(getAttr(tf.traces[0].spans[0].attributes, 'n'), 'many');
      assert.ok(tf.warnings.some((w) => w.code === 'invalid-value' && w.message.includes('$[0].tags[0].value')));
    });
  });

  describe('references', () => {
    const base = { operationName: '', startTime: T, duration: 10, processID: 'p' };
    const trace = (spans: object[]) => importJson({ traceID: 't1', spans: spans.map((s) => ({ traceID: 't1', ...base, ...s })), processes: { p: { serviceName: 'svc' } } }).traces[0];

    it('treats a FOLLOWS_FROM-only span as a child, as jaeger-ui does', () => {
      const t = trace([
        { spanID: 'a', operationName: 'root' },
        { spanID: 'b', operationName: 'async', references: [{ refType: 'FOLLOWS_FROM', traceID: 't1', spanID: 'a' }] },
      ]);
      assert.strictEqual(parentName(t, 'async'), 'root');
      assert.deepStrictEqual(spanByName(t, 'async').links.map((l) => [l.refType, l.spanId]), [['FOLLOWS_FROM', 'a']]);
    });

    it('prefers a same-trace CHILD_OF over earlier references and keeps every reference as a link', () => {
      const t = trace([
        { spanID: 'a', operationName: 'root' },
        { spanID: 'c', operationName: 'other' },
        {
          spanID: 'b',
          operationName: 'multi',
          references: [
            { refType: 'CHILD_OF', traceID: 'ffff', spanID: 'ff' },
            { refType: 'FOLLOWS_FROM', traceID: 't1', spanID: 'c' },
            { refType: 'CHILD_OF', traceID: 't1', spanID: 'a' },
          ],
        },
      ]);
      assert.strictEqual(spanByName(t, 'multi').parentSpanId, 'a');
      assert.deepStrictEqual(
        spanByName(t, 'multi').links.map((l) => [l.refType, l.traceId, l.spanId]),
        [
          ['CHILD_OF', 'ffff', 'ff'],
          ['FOLLOWS_FROM', 't1', 'c'],
          ['CHILD_OF', 't1', 'a'],
        ],
      );
    });

    it('makes a span whose only reference is to another trace a root, with the link kept', () => {
      const t = trace([{ spanID: 'a', operationName: 'x', references: [{ refType: 'CHILD_OF', traceID: 'other', spanID: 'zz' }] }]);
      assert.strictEqual(t.spans[0].parentSpanId, undefined);
      assert.strictEqual(t.spans[0].links.length, 1);
    });

    it('resolves short, 31-character and non-hex ids as written', () => {
      const t = trace([
        { spanID: 'df84e36b9e2ee3815d07f0867a5be1f', operationName: 'root' },
        { spanID: 'span-1', operationName: 'child', references: [{ refType: 'CHILD_OF', traceID: 't1', spanID: 'df84e36b9e2ee3815d07f0867a5be1f' }] },
        { spanID: '123', operationName: 'grandchild', references: [{ refType: 'CHILD_OF', traceID: 't1', spanID: 'span-1' }] },
      ]);
      assert.strictEqual(parentName(t, 'child'), 'root');
      assert.strictEqual(parentName(t, 'grandchild'), 'child');
      assert.ok(t.issues.every((x) => x === SpanIssue.None));
    });
  });

  describe('other shapes', () => {
    it('reads a bare array of spans with inline process, sharing equal processes', () => {
      const s = (id: string, name: string, svc: string, parent?: string) => ({
        traceID: '2be38093ead7a083',
        spanID: id,
        operationName: name,
        references: parent ? [{ refType: 'CHILD_OF', traceID: '2be38093ead7a083', spanID: parent }] : [],
        startTime: T,
        duration: 3,
        process: { serviceName: svc, tags: [] },
      });
      const tf = importJson([s('01', 'a', 'one'), s('02', 'b', 'two', '01'), s('03', 'c', 'one', '01')]);
      const t = tf.traces[0];
      assert.deepStrictEqual(t.services, ['one', 'two']);
      assert.strictEqual(spanByName(t, 'a').resource, spanByName(t, 'c').resource);
    });

    it('reads the jaeger-ui redux wrapper {id, state, data: trace}', () => {
      const tf = importJson({ id: 'x', state: 'FETCH_DONE', data: { traceID: 'x', spans: [{ traceID: 'x', spanID: '1', operationName: 'op', startTime: T, duration: 1, processID: 'p1', depth: 0 }], processes: { p1: { serviceName: 'svc' } } } });
      assert.strictEqual(tf.traces[0].rootService, 'svc');
    });

    it('reads api_v2 protobuf JSON: base64 ids, RFC 3339 start, Duration strings, vType tags, processMap', () => {
      const tf = importJson({
        spans: [
          {
            traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==',
            spanId: 'AAAAAAAAAAI=',
            operationName: 'root',
            startTime: '2017-01-26T16:46:31.639875139-05:00',
            duration: '5000ns',
            processId: 'p1',
            tags: [
              { key: 'a', vStr: 'x' },
              { key: 'b', vType: 'BOOL', vBool: true },
              { key: 'c', vType: 'INT64', vInt64: '9223372036854775222' },
              { key: 'd', vType: 'FLOAT64', vFloat64: 1.5 },
              { key: 'e', vType: 'BINARY', vBinary: 'AAAwOQ==' },
              { key: 'f', vType: 'BOOL' },
            ],
          },
          // refType omitted: proto3 JSON leaves out CHILD_OF, the zero value.
          { traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAM=', operationName: 'child', references: [{ traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAI=' }], startTime: '2017-01-26T21:46:31.639876Z', duration: '0.000002s', processId: 'p1' },
        ],
        processMap: [{ processId: 'p1', process: { serviceName: 'svc-x', tags: [{ key: 'host', vStr: 'h' }] } }],
      });
      const t = tf.traces[0];
      assert.strictEqual(t.traceId, '00000000000000000000000000000001');
      const root = spanByName(t, 'root');
      assert.strictEqual(root.spanId, '0000000000000002');
      // 16:46:31-05:00 is 21:46:31Z; 1485467191 s since the epoch.
      assert.strictEqual(root.startTimeUnixNano, 1485467191639875139n);
      assert.strictEqual(root.endTimeUnixNano - root.startTimeUnixNano, 5000n);
      assert.deepStrictEqual(
        root.attributes.map((a) => [a.key, a.value]),
        [
          ['a', 'x'],
          ['b', true],
          ['c', 9223372036854775222n],
          ['d', 1.5],
          ['e', new Uint8Array([0, 0, 0x30, 0x39])],
          ['f', false],
        ],
      );
      assert.strictEqual(root.resource.serviceName, 'svc-x');
      assert.strictEqual(parentName(t, 'child'), 'root');
      assert.strictEqual(spanByName(t, 'child').endTimeUnixNano - spanByName(t, 'child').startTimeUnixNano, 2000n);
    });

    it('reads one Elasticsearch span document, whose binary tags are hex', () => {
      const tf = importJson({ traceID: '01', spanID: '02', operationName: 'doc', startTime: T, duration: 5, tags: [tag('blob', 'binary', '00003039'), tag('error', 'bool', 'true')], process: { serviceName: 'svc' } });
      const s = tf.traces[0].spans[0];
      assert.deepStrictEqual(getAttr(s.attributes, 'blob'), new Uint8Array([0, 0, 0x30, 0x39]));
      assert.strictEqual(s.status.code, StatusCode.Error);
    });

    it('reads a list of trace objects', () => {
      const tf = importJson([
        { traceID: 'a1', spans: [{ traceID: 'a1', spanID: '1', operationName: 'x', startTime: T, duration: 1, processID: 'p' }], processes: { p: { serviceName: 's' } } },
        { traceID: 'a2', spans: [{ traceID: 'a2', spanID: '1', operationName: 'y', startTime: T, duration: 1, processID: 'p' }], processes: { p: { serviceName: 's' } } },
      ]);
      assert.deepStrictEqual(
        tf.traces.map((t) => t.rootName),
        ['x', 'y'],
      );
    });
  });

  describe('bad input', () => {
    it('keeps a span with an unreadable duration and says which value, where', () => {
      const tf = importJson([{ traceID: 'ab', spanID: 'cd', operationName: 'x', startTime: T, duration: 'invalid' }]);
      const s = tf.traces[0].spans[0];
      assert.strictEqual(s.endTimeUnixNano, s.startTimeUnixNano);
      assert.strictEqual(tf.traces[0].issues[0] & SpanIssue.NonPositiveDuration, SpanIssue.NonPositiveDuration);
      const w = tf.warnings.find((x) => x.code === 'invalid-value');
      assert.ok(w);
      assert.match(w.message, /duration should be microseconds.*"invalid".*\$\[0\]\.duration/);
    });

    it('leaves out (and reports) spans without ids, and refuses a file with none usable', () => {
      const tf = importJson([
        { traceID: 'ab', spanID: 'cd', operationName: 'ok', startTime: T, duration: 1 },
        { traceID: 'ab', operationName: 'no id', startTime: T, duration: 1 },
      ]);
      assert.strictEqual(tf.spanCount, 1);
      assert.ok(tf.warnings.some((w) => w.code === 'skipped-records' && w.message.includes('$[1].spanID')));
      expectImportError(() => importJson([{ traceID: 'ab', spanID: 7, startTime: T }]), /spanID should be a non-empty string, got 7/, '$[0].spanID');
    });

    it('explains an error response or an empty result instead of showing nothing', () => {
      expectImportError(() => importJson({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] }), /no traces.*trace not found/);
      expectImportError(() => importJson({ data: [], total: 0, limit: 0, offset: 0, errors: null }), /no traces/, '$.data');
    });

    it('names the path of a spans field that is not a list', () => {
      expectImportError(() => importJson({ traceID: 'ab', spans: { a: 1 }, processes: {} }), /"spans" should be a list/, '$.spans');
    });
  });
});

// ---- the shared corpus ---------------------------------------------------------------------------

/**
 * Expected values per file: [file, traces, spans, services, root name, errors, orphans, spans with
 * a duplicated id]. Computed independently with a python3 script over the raw JSON (ids
 * base64-decoded for api_v2; parent = first same-trace CHILD_OF else first same-trace reference;
 * root = earliest span without parent, else earliest orphan; error = tag error true/"true" or
 * otel.status_code ERROR; service = processes[processID].serviceName or the inline process).
 */
const JAEGER_EXPECTED: [string, number, number, string[], string, number, number, number][] = [
  ['grafana-jaeger-mockJsonResponse.json', 1, 2, ['loki-all'], 'CAS', 0, 0, 0],
  ['jaeger-anonymizer-trace_success.json', 1, 2, ['16af988c443cff37', '3c220036602f839e'], 'a071653098f9250d', 1, 1, 0],
  ['jaeger-es_01-elasticsearch-doc.json', 1, 1, ['service-x'], 'test-general-conversion', 1, 1, 0],
  ['jaeger-model-json-fixture.json', 1, 3, ['service_1', 'service_2'], 'root-span', 1, 0, 0],
  ['jaeger-protojson-domain_01.json', 1, 5, ['service-x', 'service-y'], 'test-general-conversion', 1, 0, 2],
  ['jaeger-protojson-domain_03.json', 1, 2, ['api'], 'get', 0, 0, 0],
  ['jaeger-protojson-integration-example_trace.json', 1, 5, ['example-service-1', 'example-service-2', 'example-service-3'], 'example-operation-1', 0, 0, 0],
  ['jaeger-ui_01.json', 1, 5, ['service-x', 'service-y'], 'test-general-conversion', 1, 0, 2],
  ['jaegerui-flamegraph-testTrace-ui-model.json', 1, 4, ['load-generator', 'ride-sharing-app'], 'OrderVehicle', 0, 0, 0],
  ['jaegerui-genaiTestTrace.json', 1, 57, ['api-edge', 'auth-service', 'coding-agent', 'graphql-gateway', 'k8s-api', 'mcp-gateway', 'metrics-backend', 'summarizer-agent', 'trace-store', 'vector-store'], 'POST /api/graphql', 1, 0, 0],
  ['jaegerui-issue115-follows-from.json', 1, 2, ['issue115'], 'demo', 0, 0, 0],
  ['jaegerui-oltp2jaeger-multi-out.json', 1, 4, ['example-trace'], 'main', 0, 0, 0],
  ['jaegerui-otlp2jaeger-out.json', 1, 2, ['telemetrygen'], 'okey-dokey-0', 0, 2, 2],
  ['jaegerui-stats-spanAmongEachOtherGroupedAndSpans.json', 1, 17, ['api-gateway', 'customers-service'], 'GET /api/customer/owners', 0, 0, 0],
  ['jaegerui-stats-spanLongerAsParent.json', 1, 8, ['api-gateway', 'customers-service'], 'GET /api/customer/owners/8/pets/10', 0, 0, 0],
  ['jaegerui-stats-spansAmongEachOther.json', 1, 12, ['api-gateway', 'customers-service'], 'GET /api/customer/owners', 0, 0, 0],
  ['jaegerui-stats-spansAmongEachOtherGrouped.json', 1, 15, ['api-gateway', 'customers-service'], 'GET /api/customer/owners', 0, 0, 0],
  ['jaegerui-stats-testTraceNormal.json', 1, 5, ['api-gateway', 'customers-service'], 'GET /api/customer/owners/8/pets/10', 0, 0, 0],
  ['jaegerui-stats-traceWithMultipleSpansWithTheSameValueInDifferentTags.json', 1, 4, ['service-one'], 'send', 0, 0, 2],
  ['jaegerui-stats-traceWithOverlappingChildren.json', 1, 3, ['service-one', 'service-two'], 'send', 0, 0, 0],
  ['jaegerui-stats-traceWithOverlappingChildrenLongerThanParent.json', 1, 4, ['service-one', 'service-two'], 'send', 0, 0, 0],
  ['jaegerui-stats-traceWithSingleChildLongerThanParentAndStartsAfterParent.json', 1, 2, ['service-one', 'service-two'], 'send', 0, 0, 0],
  ['jaegerui-stats-traceWithThreeShortChildren.json', 1, 4, ['service-one', 'service-two'], 'send', 0, 0, 0],
  ['jaegerui-stats-traceWithThreeShortOverlappingChildren.json', 1, 4, ['service-one', 'service-two'], 'send', 0, 0, 0],
  ['jaegerui-stats-traceWithTwoChildrenStartedAtTraceStart.json', 1, 3, ['service-one', 'service-two'], 'send', 0, 0, 0],
  ['jaegerui-stats-traceWithTwoNonOverlappingChildren.json', 1, 3, ['service-one', 'service-two'], 'send', 0, 0, 0],
  ['jaegerui-tracegraph-testTrace.json', 1, 11, ['service1', 'service2'], 'op1', 1, 0, 0],
];

const countIssue = (t: Trace, flag: SpanIssue) => t.issues.reduce((n, x) => n + (x & flag ? 1 : 0), 0);

(HAS_CORPUS ? describe : describe.skip)(`Jaeger corpus (${HAS_CORPUS ? CORPUS : 'corpus folder absent: skipped'})`, () => {
  const importCorpus = (rel: string) => importTraceFile(readBytes(corpusFile(rel)), { fileName: rel.split('/').pop() });

  it('has an expectation for every file in jaeger-json/', () => {
    const files = fs.readdirSync(corpusFile('jaeger-json')).filter((f) => f.endsWith('.json')).sort();
    assert.deepStrictEqual(files, JAEGER_EXPECTED.map((e) => e[0]).sort());
  });

  for (const [file, traces, spans, services, root, errors, orphans, dups] of JAEGER_EXPECTED) {
    it(`imports ${file}`, () => {
      const tf = importCorpus(`jaeger-json/${file}`);
      assert.strictEqual(tf.format, 'jaeger-json');
      assert.strictEqual(tf.traces.length, traces);
      assert.strictEqual(tf.spanCount, spans);
      const t = tf.traces[0];
      assert.deepStrictEqual(t.services, services);
      assert.strictEqual(t.rootName, root);
      assert.strictEqual(t.errorCount, errors);
      assert.strictEqual(countIssue(t, SpanIssue.Orphan), orphans);
      assert.strictEqual(countIssue(t, SpanIssue.DuplicateId), dups);
    });
  }

  it('flags (does not drop) the two spans sharing id 0000000000000002 in jaeger-ui_01.json', () => {
    const t = importCorpus('jaeger-json/jaeger-ui_01.json').traces[0];
    const dupes = t.spans.filter((_, i) => t.issues[i] & SpanIssue.DuplicateId);
    assert.deepStrictEqual(
      dupes.map((s) => [s.spanId, s.name]),
      [
        ['0000000000000002', 'test-general-conversion'],
        ['0000000000000002', 'some-operation'],
      ],
    );
    assert.ok(t.warnings.some((w) => w.code === 'duplicate-span-id' && w.count === 2));
  });

  it('keeps the 31-character trace id of jaegerui-stats-spansAmongEachOtherGrouped.json and links every parent', () => {
    const t = importCorpus('jaeger-json/jaegerui-stats-spansAmongEachOtherGrouped.json').traces[0];
    assert.strictEqual(t.traceId, 'df84e36b9e2ee3815d07f0867a5be1f');
    assert.strictEqual(t.roots.length, 1);
  });

  it('puts the FOLLOWS_FROM span of jaegerui-issue115-follows-from.json under its predecessor', () => {
    const t = importCorpus('jaeger-json/jaegerui-issue115-follows-from.json').traces[0];
    assert.strictEqual(parentName(t, 'thread'), 'demo');
  });

  it('reads the stringified ES document values as typed values', () => {
    const s = importCorpus('jaeger-json/jaeger-es_01-elasticsearch-doc.json').traces[0].spans[0];
    assert.strictEqual(getAttr(s.attributes, 'peer.ipv4'), 23456n);
    assert.strictEqual(getAttr(s.attributes, 'temperature'), 72.5);
    assert.deepStrictEqual(getAttr(s.attributes, 'blob'), new Uint8Array([0, 0, 0x30, 0x39]));
    assert.deepStrictEqual(
      s.links.map((l) => [l.refType, l.traceId, l.spanId]),
      [
        ['CHILD_OF', '0000000000000001', '0000000000000003'],
        ['FOLLOWS_FROM', '0000000000000001', '0000000000000004'],
        ['CHILD_OF', '00000000000000ff', '00000000000000ff'],
      ],
    );
  });

  describe('malformed Jaeger files', () => {
    it('jaeger-anonymizer-trace_empty.json: says the file is empty', () => {
      expectImportError(() => importCorpus('malformed/jaeger-anonymizer-trace_empty.json'), /empty/);
    });

    it('jaeger-anonymizer-trace_scan_error.json: names the line of the trailing comma', () => {
      assert.throws(
        () => importCorpus('malformed/jaeger-anonymizer-trace_scan_error.json'),
        (e: unknown) => e instanceof ImportError && /invalid JSON/.test(e.message) && e.location.line === 2,
      );
    });

    it('jaeger-anonymizer-trace_invalid_json.json: keeps the span and points at $[0].duration', () => {
      const tf = importCorpus('malformed/jaeger-anonymizer-trace_invalid_json.json');
      assert.strictEqual(tf.spanCount, 1);
      assert.ok(tf.warnings.some((w) => w.message.includes('"invalid"') && w.message.includes('$[0].duration')));
    });

    it('jaeger-anonymizer-trace_wrong_format.json: reads the lone span document, reporting its missing startTime', () => {
      const tf = importCorpus('malformed/jaeger-anonymizer-trace_wrong_format.json');
      assert.strictEqual(tf.spanCount, 1);
      assert.strictEqual(tf.traces[0].spans[0].spanId, '7606ddfe69932d34');
      assert.ok(tf.warnings.some((w) => w.message.includes('$.startTime')));
    });
  });
});
