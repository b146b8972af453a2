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

function only(tf: TraceFile): Trace {
  assert.strictEqual(tf.traces.length, 1);
  return tf.traces[0];
}

function byId(t: Trace, id: string): Span {
  const s = t.spans.find((x) => x.spanId === id);
  assert.ok(s, `span ${id} not found; have ${t.spans.map((x) => x.spanId).join(', ')}`);
  return s;
}

function parentIdOf(t: Trace, id: string): string | undefined {
  const i = t.spans.findIndex((x) => x.spanId === id);
  const p = t.parentIndex[i];
  return p < 0 ? undefined : t.spans[p].spanId;
}

const countIssue = (t: Trace, flag: SpanIssue) => t.issues.reduce((n, x) => n + (x & flag ? 1 : 0), 0);

const TRACE = '463ac35c9f6413ad';
const T = 1600000000000000; // µs
const zspan = (fields: Record<string, unknown>) => ({ traceId: TRACE, ...fields });

describe('Zipkin JSON import', () => {
  describe('v2 basics', () => {
    const tf = importJson([
      zspan({
        id: 'a000000000000001',
        kind: 'SERVER',
        name: 'get /',
        timestamp: T,
        duration: 2000,
        localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1', port: 8080 },
        remoteEndpoint: { serviceName: 'browser', ipv6: '2001:db8::1', port: 51000 },
        annotations: [{ timestamp: T + 5, value: 'wr' }],
        tags: { 'http.path': '/', 'otel.library.name': 'brave', 'otel.library.version': '5.0' },
      }),
      zspan({ id: 'a000000000000002', parentId: 'a000000000000001', kind: 'CLIENT', name: 'call', timestamp: T + 100, duration: 500, localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1', port: 8080 }, tags: { error: 'connection refused' } }),
      zspan({ id: 'a000000000000003', parentId: 'a000000000000001', kind: 'PRODUCER', name: 'send', timestamp: T + 700, duration: 10, localEndpoint: { ipv4: '10.0.0.9' }, tags: { 'otel.status_code': 'ERROR', 'otel.status_description': 'broker down' } }),
      zspan({ id: 'a000000000000004', parentId: 'a000000000000001', kind: 'CONSUMER', name: 'recv', timestamp: T + 800, duration: 10, localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1', port: 8080 }, tags: { error: 'true' } }),
    ]);
    const t = only(tf);

    it('is detected as Zipkin v2 and converts µs to epoch ns', () => {
      assert.strictEqual(tf.format, 'zipkin-v2');
      const root = byId(t, 'a000000000000001');
      assert.strictEqual(root.startTimeUnixNano, BigInt(T) * 1000n);
      assert.strictEqual(root.endTimeUnixNano, BigInt(T + 2000) * 1000n);
      assert.strictEqual(t.rootName, 'get /');
    });

    it('maps kinds, and annotations to events', () => {
      assert.deepStrictEqual(
        t.spans.map((s) => s.kind),
        [SpanKind.Server, SpanKind.Client, SpanKind.Producer, SpanKind.Consumer],
      );
      assert.deepStrictEqual(
        byId(t, 'a000000000000001').events.map((e) => [e.name, e.timeUnixNano]),
        [['wr', BigInt(T + 5) * 1000n]],
      );
    });

    it('takes the service from localEndpoint and shares one Resource per service', () => {
      assert.strictEqual(byId(t, 'a000000000000001').resource, byId(t, 'a000000000000002').resource);
      assert.deepStrictEqual(byId(t, 'a000000000000001').resource.attributes, [{ key: 'service.name', value: 'frontend' }]);
      const anonymous = byId(t, 'a000000000000003').resource;
      assert.strictEqual(anonymous.serviceName, 'unknown_service');
      assert.deepStrictEqual(anonymous.attributes, []);
      assert.deepStrictEqual(t.services, ['frontend', 'unknown_service']);
    });

    it('records endpoints as the OTel Collector Zipkin receiver does', () => {
      const a = byId(t, 'a000000000000001').attributes;
      assert.strictEqual(getAttr(a, 'net.host.ip'), '10.0.0.1');
      assert.strictEqual(getAttr(a, 'net.host.port'), 8080n);
      assert.strictEqual(getAttr(a, 'peer.service'), 'browser');
      assert.strictEqual(getAttr(a, 'net.peer.ip'), '2001:db8::1');
      assert.strictEqual(getAttr(a, 'net.peer.port'), 51000n);
      assert.strictEqual(getAttr(a, 'http.path'), '/');
      assert.strictEqual(getAttr(byId(t, 'a000000000000003').attributes, 'net.host.ip'), '10.0.0.9');
    });

    it('reads failure from the error tag (its text is the message) and from otel.status_code', () => {
      assert.deepStrictEqual(byId(t, 'a000000000000001').status, { code: StatusCode.Unset });
      assert.deepStrictEqual(byId(t, 'a000000000000002').status, { code: StatusCode.Error, message: 'connection refused' });
      assert.strictEqual(getAttr(byId(t, 'a000000000000002').attributes, 'error'), 'connection refused');
      assert.deepStrictEqual(byId(t, 'a000000000000003').status, { code: StatusCode.Error, message: 'broker down' });
      assert.strictEqual(getAttr(byId(t, 'a000000000000003').attributes, 'otel.status_code'), undefined);
      assert.deepStrictEqual(byId(t, 'a000000000000004').status, { code: StatusCode.Error });
      assert.strictEqual(getAttr(byId(t, 'a000000000000004').attributes, 'error'), undefined);
      assert.strictEqual(t.errorCount, 3);
    });

    it('takes the instrumentation scope from otel.library.*', () => {
      const s = byId(t, 'a000000000000001');
      assert.deepStrictEqual([s.scope.name, s.scope.version], ['brave', '5.0']);
      assert.strictEqual(getAttr(s.attributes, 'otel.library.name'), undefined);
    });
  });

  describe('times', () => {
    it('keeps fractional microseconds exactly, from numbers and strings', () => {
      const t = only(importJson([zspan({ id: '01', name: 'x', timestamp: 1600000000000000.5, duration: 1.25 }), zspan({ id: '02', name: 'y', timestamp: '1600000000000000.123', duration: '2.5' })]));
      assert.strictEqual(t.spans[0].startTimeUnixNano, 1600000000000000500n);
      assert.strictEqual(t.spans[0].endTimeUnixNano - t.spans[0].startTimeUnixNano, 1250n);
      assert.strictEqual(t.spans[1].startTimeUnixNano, 1600000000000000123n);
      assert.strictEqual(t.spans[1].endTimeUnixNano - t.spans[1].startTimeUnixNano, 2500n);
    });

    it('shows a span without duration as zero-length and one without timestamp as untimed, both flagged', () => {
      const t = only(importJson([zspan({ id: '01', name: 'no-duration', timestamp: T }), zspan({ id: '02', name: 'no-timestamp', duration: 40 })]));
      const [noDur, noTs] = t.spans;
      assert.strictEqual(noDur.endTimeUnixNano, noDur.startTimeUnixNano);
      assert.strictEqual(noDur.startTimeUnixNano, BigInt(T) * 1000n);
      assert.deepStrictEqual([noTs.startTimeUnixNano, noTs.endTimeUnixNano], [0n, 0n]);
      assert.strictEqual(countIssue(t, SpanIssue.NonPositiveDuration), 2);
      assert.strictEqual(t.startTimeUnixNano, BigInt(T) * 1000n, 'the untimed span does not stretch the trace back to 1970');
    });

    it('warns about a timestamp that is not a number, with its path', () => {
      const tf = importJson([zspan({ id: '01', name: 'x', timestamp: 'yesterday', duration: 1 })]);
      assert.ok(tf.warnings.some((w) => w.code === 'invalid-value' && w.message.includes('"yesterday"') && w.message.includes('$[0].timestamp')));
    });
  });

  describe('shapes and ids', () => {
    it('reads a list of traces (list of span lists)', () => {
      const tf = importJson([[zspan({ id: '01', name: 'a', timestamp: T, duration: 1 })], [{ traceId: 'bbbbbbbbbbbbbbbb', id: '02', name: 'b', timestamp: T, duration: 1 }]]);
      assert.deepStrictEqual(
        tf.traces.map((x) => [x.traceId, x.rootName]),
        [
          [TRACE, 'a'],
          ['bbbbbbbbbbbbbbbb', 'b'],
        ],
      );
    });

    it('reads a single span object', () => {
      const tf = importJson(zspan({ id: '01', name: 'lone', timestamp: T, duration: 1 }));
      assert.strictEqual(only(tf).rootName, 'lone');
    });

    it('pads short ids to 16 hex digits so an unpadded parentId still finds its parent', () => {
      const t = only(importJson([{ traceId: '2', id: 'c26551047c72d19'.padStart(16, '0'), name: 'p', timestamp: T, duration: 9 }, { traceId: '2', id: '2', parentId: 'c26551047c72d19', name: 'c', timestamp: T + 1, duration: 1 }]));
      assert.strictEqual(t.traceId, '0000000000000002');
      assert.strictEqual(parentIdOf(t, '0000000000000002'), '0c26551047c72d19');
    });

    it('joins 64-bit trace ids to the 128-bit id they are the low half of', () => {
      const long = '5af7183fb1d4cf5f' + TRACE;
      const tf = importJson([{ traceId: long, id: '01', name: 'root', timestamp: T, duration: 9 }, { traceId: TRACE, id: '02', parentId: '01', name: 'child', timestamp: T + 1, duration: 1 }]);
      assert.strictEqual(only(tf).traceId, long);
      assert.strictEqual(only(tf).roots.length, 1);
    });

    it('reads the proto3 JSON rendering of zipkin.proto (snake_case, base64 ids and addresses)', () => {
      const tf = importJson({ spans: [{ trace_id: 'QoVouqoJRn5CjmiKqglGfw==', id: 'AAAAAAAAAAI=', parent_id: 'AAAAAAAAAAE=', name: 'foo', kind: 1, timestamp: T, duration: 10, local_endpoint: { service_name: 'foo', ipv4: 'CisRKg==' }, remote_endpoint: { service_name: 'bar', ipv4: 'CisRKw==' }, tags: { k: 'v' } }] });
      const s = only(tf).spans[0];
      assert.strictEqual(s.traceId, '428568baaa09467e428e688aaa09467f');
      assert.strictEqual(s.spanId, '0000000000000002');
      assert.strictEqual(s.parentSpanId, '0000000000000001');
      assert.strictEqual(s.kind, SpanKind.Client);
      assert.strictEqual(s.resource.serviceName, 'foo');
      assert.strictEqual(getAttr(s.attributes, 'net.host.ip'), '10.43.17.42');
      assert.strictEqual(getAttr(s.attributes, 'net.peer.ip'), '10.43.17.43');
    });
  });

  describe('shared span ids and fragments', () => {
    // Brave style: the SERVER answers with the CLIENT's span id and marks itself shared.
    const rpc = () => [
      zspan({ id: '0000000000000001', kind: 'SERVER', name: 'get /', timestamp: T, duration: 1000, localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1' } }),
      zspan({ id: '0000000000000002', parentId: '0000000000000001', kind: 'SERVER', name: 'get /api', timestamp: T + 110, duration: 300, localEndpoint: { serviceName: 'backend', ipv4: '10.0.0.2' }, shared: true }),
      zspan({ id: '0000000000000002', parentId: '0000000000000001', kind: 'CLIENT', name: 'get', timestamp: T + 100, duration: 400, localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1' } }),
      // Work done by the backend while serving: belongs under the server half.
      zspan({ id: '0000000000000003', parentId: '0000000000000002', name: 'query', timestamp: T + 150, duration: 50, localEndpoint: { serviceName: 'backend', ipv4: '10.0.0.2' } }),
      // A late piece of the server half (no kind, no timestamp): merged, not shown on its own.
      zspan({ id: '0000000000000002', parentId: '0000000000000001', name: 'get /api', localEndpoint: { serviceName: 'backend', ipv4: '10.0.0.2' }, tags: { late: 'yes' } }),
    ];

    it('keeps both halves, the server as the client\'s child under a derived id, and merges the fragment', () => {
      const t = only(importJson(rpc()));
      assert.strictEqual(t.spans.length, 4);
      const server = byId(t, '0000000000000002:server');
      assert.strictEqual(server.kind, SpanKind.Server);
      assert.strictEqual(server.resource.serviceName, 'backend');
      assert.strictEqual(getAttr(server.attributes, 'late'), 'yes');
      assert.strictEqual(parentIdOf(t, '0000000000000002:server'), '0000000000000002');
      assert.strictEqual(byId(t, '0000000000000002').kind, SpanKind.Client);
      assert.strictEqual(parentIdOf(t, '0000000000000002'), '0000000000000001');
      assert.strictEqual(parentIdOf(t, '0000000000000003'), '0000000000000002:server', 'backend work sits under the backend half');
      assert.ok(t.issues.every((x) => x === SpanIssue.None), 'no duplicate, orphan or skew left');
    });

    it('gives each of several servers answering one client its own id', () => {
      const t = only(
        importJson([
          zspan({ id: '0a', kind: 'CLIENT', name: 'send', timestamp: T, duration: 100, localEndpoint: { serviceName: 'bouncer' } }),
          zspan({ id: '0a', kind: 'SERVER', name: 'receive', timestamp: T + 10, duration: 10, localEndpoint: { serviceName: 'pusher', ipv4: '10.6.0.1' }, shared: true }),
          zspan({ id: '0a', kind: 'SERVER', name: 'receive', timestamp: T + 20, duration: 10, localEndpoint: { serviceName: 'pusher', ipv4: '10.6.0.2' }, shared: true }),
          zspan({ id: '0b', parentId: '0a', name: 'work', timestamp: T + 21, duration: 5, localEndpoint: { serviceName: 'pusher', ipv4: '10.6.0.2' } }),
        ]),
      );
      assert.deepStrictEqual(
        t.spans.map((s) => [s.spanId, parentIdOf(t, s.spanId)]),
        [
          ['000000000000000a', undefined],
          ['000000000000000a:server', '000000000000000a'],
          ['000000000000000a:server-2', '000000000000000a'],
          ['000000000000000b', '000000000000000a:server-2'],
        ],
      );
    });

    it('leaves a genuine id collision (two client calls) in place, flagged as duplicates', () => {
      const t = only(
        importJson([
          zspan({ id: '01', kind: 'CLIENT', name: 'first', timestamp: T, duration: 10, localEndpoint: { serviceName: 'a' } }),
          zspan({ id: '01', kind: 'CLIENT', name: 'retry', timestamp: T + 50, duration: 10, localEndpoint: { serviceName: 'a' } }),
        ]),
      );
      assert.strictEqual(t.spans.length, 2);
      assert.strictEqual(countIssue(t, SpanIssue.DuplicateId), 2);
    });
  });

  describe('Zipkin v1', () => {
    const ep = (serviceName: string, port?: number) => ({ serviceName, ipv4: '127.0.0.1', ...(port ? { port } : {}) });

    it('splits a record holding both RPC sides into client and server spans, by the core annotations', () => {
      const tf = importJson([
        {
          traceId: TRACE,
          id: '0000000000000007',
          name: 'get',
          timestamp: T,
          duration: 100,
          annotations: [
            { timestamp: T, value: 'cs', endpoint: ep('web') },
            { timestamp: T + 10, value: 'sr', endpoint: ep('api', 9411) },
            { timestamp: T + 60, value: 'custom', endpoint: ep('api', 9411) },
            { timestamp: T + 90, value: 'ss', endpoint: ep('api', 9411) },
            { timestamp: T + 100, value: 'cr', endpoint: ep('web') },
          ],
          binaryAnnotations: [
            { key: 'http.path', value: '/x', endpoint: ep('api', 9411) },
            { key: 'clnt/version', value: '6', endpoint: ep('web') },
            { key: 'sa', value: true, endpoint: ep('api', 9411) },
          ],
        },
      ]);
      assert.strictEqual(tf.format, 'zipkin-v1');
      const t = only(tf);
      const client = byId(t, '0000000000000007');
      const server = byId(t, '0000000000000007:server');
      assert.deepStrictEqual([client.kind, client.resource.serviceName, server.kind, server.resource.serviceName], [SpanKind.Client, 'web', SpanKind.Server, 'api']);
      assert.strictEqual(client.endTimeUnixNano - client.startTimeUnixNano, 100_000n);
      assert.strictEqual(server.startTimeUnixNano, BigInt(T + 10) * 1000n);
      assert.strictEqual(server.endTimeUnixNano - server.startTimeUnixNano, 80_000n);
      assert.strictEqual(getAttr(server.attributes, 'http.path'), '/x');
      assert.strictEqual(getAttr(client.attributes, 'clnt/version'), '6');
      assert.strictEqual(getAttr(client.attributes, 'peer.service'), 'api');
      assert.deepStrictEqual(server.events.map((e) => e.name), ['custom']);
      assert.strictEqual(parentIdOf(t, '0000000000000007:server'), '0000000000000007');
    });

    it('reads v2 records that carry core annotations but no kind (v1-flavoured v2)', () => {
      const t = only(
        importJson([
          zspan({
            id: '02',
            name: 'get /api',
            timestamp: T,
            duration: 50,
            localEndpoint: { serviceName: 'svc' },
            annotations: [
              { timestamp: T, value: 'cs' },
              { timestamp: T + 5, value: 'sr' },
              { timestamp: T + 40, value: 'ss' },
              { timestamp: T + 50, value: 'cr' },
            ],
          }),
        ]),
      );
      assert.deepStrictEqual(
        t.spans.map((s) => [s.spanId, s.kind, Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1000]),
        [
          ['0000000000000002', SpanKind.Client, 50],
          ['0000000000000002:server', SpanKind.Server, 35],
        ],
      );
    });

    it('decodes Zipkin Thrift rendered as JSON (numeric ids, host, typed base64 values)', () => {
      const tf = importJson([
        {
          trace_id: 1,
          id: 2,
          name: 'op',
          timestamp: T,
          duration: 5,
          annotations: [{ value: 'sr', timestamp: T, host: { service_name: 'svc', ipv4: 23456, port: -1 } }],
          binary_annotations: [
            { key: 'i32', value: 'AAAwOQ==', annotation_type: 'I32' },
            { key: 's', value: 'c29tZS1ob3N0LmNvbQ==', annotation_type: 'STRING' },
            { key: 'bad', value: 'AQ==', annotation_type: 'I64' },
          ],
        },
      ]);
      const s = only(tf).spans[0];
      assert.deepStrictEqual([s.traceId, s.spanId, s.kind, s.resource.serviceName], ['0000000000000001', '0000000000000002', SpanKind.Server, 'svc']);
      assert.strictEqual(getAttr(s.attributes, 'i32'), '12345');
      assert.strictEqual(getAttr(s.attributes, 's'), 'some-host.com');
      assert.strictEqual(getAttr(s.attributes, 'bad'), 'AQ==');
      assert.strictEqual(getAttr(s.attributes, 'net.host.ip'), '0.0.91.160');
      assert.strictEqual(getAttr(s.attributes, 'net.host.port'), 65535n);
      assert.ok(tf.warnings.some((w) => w.message.includes('binary_annotations[2].value')));
    });
  });

  describe('bad input', () => {
    it('leaves out records without ids (reported), and refuses a file with none usable', () => {
      const tf = importJson([zspan({ id: '01', name: 'ok', timestamp: T, duration: 1 }), zspan({ name: 'no id' }), 7]);
      assert.strictEqual(tf.spanCount, 1);
      const w = tf.warnings.find((x) => x.code === 'skipped-records');
      assert.ok(w);
      assert.strictEqual(w.count, 2);
      assert.match(w.message, /\$\[1\]\.id/);
      assert.throws(
        () => importJson([zspan({ id: 12, name: 'x' })]),
        (e: unknown) => e instanceof ImportError && /id should be a hex id string, got 12/.test(e.message) && e.location.path === '$[0].id',
      );
    });
  });
});

// ---- the shared corpus ---------------------------------------------------------------------------

/**
 * Expected values: [file, records in the file, spans shown, services, root name, errors, orphans,
 * spans with a duplicated id, spans without timestamp or duration, server halves split from a
 * shared client id]. Computed with a python3 script over the raw JSON that re-derives the rules
 * independently: v1 sides from cs/cr/sr/ss annotations; a kind-less record joins a same-id record
 * of the same (or no) service; error = `error` tag not "false" or otel.status_code ERROR; service =
 * localEndpoint.serviceName or unknown_service; root = earliest span without parent else earliest
 * orphan. Thrift-as-JSON rows were derived by hand from the two small files.
 */
const ZIPKIN_EXPECTED: [string, number, number, string[], string, number, number, number, number, number][] = [
  ['grafana-zipkin-mockJsonResponse-shared-span.json', 3, 3, ['backend', 'frontend'], 'get', 0, 0, 0, 0, 1],
  ['jaeger-zipkin_proto3json_01.json', 1, 1, ['foo'], 'foo', 0, 1, 0, 0, 0],
  ['jaeger-zipkin_proto3json_02.json', 1, 1, ['bar'], 'foo', 0, 0, 0, 0, 0],
  // Record 1 (local span of service-x, id 2) and record 2 (cs of service-x, id 2) are one span by
  // Zipkin's merge rule; record 3 (sr of service-y, 128-bit trace id whose low half is 1) its child.
  ['jaeger-zipkin_thrift_v1_01.json', 3, 2, ['service-x', 'service-y'], 'some-operation', 0, 0, 0, 2, 0],
  // One sr record with a duration but no timestamp.
  ['jaeger-zipkin_thrift_v1_03.json', 1, 1, ['service-x'], 'test-custom-tags', 0, 0, 0, 1, 0],
  ['jaeger-zipkin_v1_merged_spans.json', 2, 3, ['first_service'], 'get /', 0, 0, 0, 0, 1],
  ['jaeger-zipkin_v2_01.json', 1, 1, ['foo'], 'foo', 0, 1, 0, 0, 0],
  ['jaeger-zipkin_v2_02-short-ids.json', 1, 1, ['bar'], 'foo', 0, 0, 0, 0, 0],
  ['jaeger-zipkin_v2_03-kafka.json', 1, 1, ['schemas-service'], 'send', 0, 1, 0, 0, 0],
  ['otelcontrib-zipkinreceiver-sample3.json', 1, 1, ['unknown_service'], 'get', 1, 1, 0, 0, 0],
  ['otelcontrib-zipkinreceiver-sample4.json', 1, 1, ['unknown_service'], 'get', 1, 1, 0, 0, 0],
  ['zipkin-benchmarks-zipkin2-chinese.json', 1, 1, ['订单维护服务'], '个人信息查询', 1, 1, 0, 0, 0],
  ['zipkin-benchmarks-zipkin2-client.json', 1, 1, ['frontend'], 'get', 0, 1, 0, 0, 0],
  ['zipkin-lens-ascend.json', 8, 8, ['auth-service', 'content-service', 'mobile-gateway'], 'get', 0, 0, 0, 0, 2],
  ['zipkin-lens-envoy.json', 1, 1, ['unknown_service'], 'localhost:10000', 0, 0, 0, 0, 0],
  ['zipkin-lens-messaging-kafka.json', 28, 28, ['servicea', 'serviceb'], 'poll', 3, 0, 0, 0, 0],
  ['zipkin-lens-messaging.json', 4, 4, ['backend', 'frontend'], 'get /', 0, 0, 0, 0, 0],
  ['zipkin-lens-messaging2.json', 11, 11, ['auth-service', 'mobile-gateway', 'notification-service', 'transfer-service'], 'post', 0, 6, 0, 0, 0],
  ['zipkin-lens-netflix.json', 8, 6, ['api', 'apip', 'session_logs'], '/m/n/2.6.1', 0, 0, 0, 1, 2],
  ['zipkin-lens-simple-db-p6.json', 5, 5, ['bootifulmeters'], 'http:/book', 0, 0, 0, 0, 0],
  ['zipkin-lens-skew.json', 4, 4, ['servicea', 'serviceb'], 'get', 0, 0, 0, 0, 1],
  ['zipkin-lens-smartthings-mobile-web-install.json', 1041, 957, ['account', 'alice', 'auth', 'bookie', 'bouncer', 'coreSrv', 'dove', 'execution', 'gizmo', 'guardian', 'oreck', 'paperboy', 'platformapi', 'pusher', 'stLogin', 'strongman'], 'get /login/tokenauth', 2, 0, 0, 91, 294],
  ['zipkin-lens-smartthings-oauth-authorization.json', 175, 175, ['account', 'auth', 'bouncer', 'datamgmt', 'dove', 'paperboy', 'pusher', 'stlogin'], 'get /oauth/authorize', 2, 0, 0, 19, 45],
  ['zipkin-lens-yelp.json', 16, 16, ['mobile_api', 'routing', 'spectre', 'unknown', 'yelp-main', 'yelp_main/api_proxy'], 'post /location/update/v4', 0, 0, 0, 0, 3],
  ['zipkin-v1-benchmarks-span-rpc-ipv6.json', 1, 2, ['zipkin-query', 'zipkin-web'], 'get', 0, 1, 0, 0, 1],
  ['zipkin-v1-lens-test.json', 2, 2, ['com.alipay.sofa.tracer.demo.facade.rpccallservice.okay.we.can.go.a.bit.further.to.see.how.lens.copes.with.this'], 'get', 0, 0, 0, 1, 0],
];

(HAS_CORPUS ? describe : describe.skip)(`Zipkin corpus (${HAS_CORPUS ? CORPUS : 'corpus folder absent: skipped'})`, () => {
  const importCorpus = (rel: string) => importTraceFile(readBytes(corpusFile(rel)), { fileName: rel.split('/').pop() });

  it('has an expectation for every file in zipkin-json/', () => {
    const files = fs.readdirSync(corpusFile('zipkin-json')).filter((f) => f.endsWith('.json')).sort();
    assert.deepStrictEqual(files, ZIPKIN_EXPECTED.map((e) => e[0]).sort());
  });

  const check = (rel: string, row: (typeof ZIPKIN_EXPECTED)[number]) => {
    const [, , spans, services, root, errors, orphans, dups, untimed, sharedServers] = row;
    const tf = importCorpus(rel);
    assert.strictEqual(tf.format, /zipkin-v1-|thrift/.test(rel) ? 'zipkin-v1' : 'zipkin-v2');
    const t = only(tf);
    assert.strictEqual(tf.spanCount, spans);
    assert.deepStrictEqual(t.services, services);
    assert.strictEqual(t.rootName, root);
    assert.strictEqual(t.errorCount, errors);
    assert.strictEqual(countIssue(t, SpanIssue.Orphan), orphans);
    assert.strictEqual(countIssue(t, SpanIssue.DuplicateId), dups);
    assert.strictEqual(countIssue(t, SpanIssue.NonPositiveDuration), untimed);
    assert.strictEqual(t.spans.filter((s) => /:server(-\d+)?$/.test(s.spanId)).length, sharedServers);
  };
  for (const row of ZIPKIN_EXPECTED) it(`imports ${row[0]}`, () => check(`zipkin-json/${row[0]}`, row));

  it('imports malformed/zipkin-lens-malformed.json (no endpoints, missing durations), flagging the untimed spans', () => {
    // python3 over the raw file: 7 records, services rewards + (none), root kong.request, 4 without duration.
    check('malformed/zipkin-lens-malformed.json', ['zipkin-lens-malformed.json', 7, 7, ['rewards', 'unknown_service'], 'kong.request', 0, 0, 0, 4, 0]);
  });

  it('shows the grafana shared-span trace as frontend server > frontend client > backend server', () => {
    const t = only(importCorpus('zipkin-json/grafana-zipkin-mockJsonResponse-shared-span.json'));
    const chain: string[] = [];
    for (let i = t.roots[0]; ; i = t.children[i][0]) {
      const s = t.spans[i];
      chain.push(`${s.resource.serviceName}:${s.kind}:${s.spanId}`);
      if (!t.children[i].length) break;
    }
    assert.deepStrictEqual(chain, [`frontend:${SpanKind.Server}:efe9cb8857f68c8f`, `frontend:${SpanKind.Client}:8608dc6ce5cafe8e`, `backend:${SpanKind.Server}:8608dc6ce5cafe8e:server`]);
  });

  it('resolves all 378 duplicate ids of the SmartThings trace: every span in one tree, none lost', () => {
    const tf = importCorpus('zipkin-json/zipkin-lens-smartthings-mobile-web-install.json');
    const t = only(tf);
    // 1041 records = 957 spans + 84 kind-less fragments folded into the server half they belong to.
    assert.strictEqual(t.spans.length, 957);
    assert.strictEqual(t.roots.length, 1);
    assert.strictEqual(countIssue(t, SpanIssue.DuplicateId) + countIssue(t, SpanIssue.Orphan) + countIssue(t, SpanIssue.Cycle), 0);
    // The one client answered by five kafka consumers (five hosts of "pusher").
    const servers = t.spans.filter((s) => s.spanId.startsWith('cbab506b53f336fc'));
    assert.deepStrictEqual(
      servers.map((s) => s.spanId),
      ['cbab506b53f336fc:server', 'cbab506b53f336fc:server-2', 'cbab506b53f336fc:server-3', 'cbab506b53f336fc:server-4', 'cbab506b53f336fc:server-5', 'cbab506b53f336fc'],
    );
  });
});
