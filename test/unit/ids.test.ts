// Issue 10, "IDs in every format": an id its format does not allow is named as invalid (the field,
// the value, why), not left to look like an orphan; a span whose parent is itself is a root.
import * as assert from 'assert';
import type { ImportWarning, TraceFile } from '../../src/core/model/model';
import { SpanIssue } from '../../src/core/model/model';
import { importTraceFile, importTraceFileExact } from '../../src/core/importers/importFile';
import { jaegerIdProblem, otlpIdProblem } from '../../src/core/model/ids';
import * as protobuf from 'protobufjs';
import { EXPORT_TRACE_SERVICE_REQUEST, OTLP_TRACE_PROTO_FILES } from '../../src/core/otlp/schema';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

const T = '5b8efff798038103d269b633813fc60c';
const S1 = 'eee19b7ec3c1b173';
const S2 = 'eee19b7ec3c1b174';

function otlpDoc(spans: Record<string, unknown>[]): unknown {
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ scope: { name: 'lib' }, spans }] }] };
}

function span(traceId: string, spanId: string, parentSpanId: string | undefined, name: string, start = 1000): Record<string, unknown> {
  const s: Record<string, unknown> = { traceId, spanId, name, kind: 1, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 500), attributes: [], status: {} };
  if (parentSpanId !== undefined) s.parentSpanId = parentSpanId;
  return s;
}

function allWarnings(f: TraceFile): ImportWarning[] {
  return [...f.warnings, ...f.traces.flatMap((t) => t.warnings)];
}

function invalidIds(f: TraceFile): ImportWarning[] {
  return allWarnings(f).filter((w) => w.code === 'invalid-id');
}

/** Both OTLP JSON readers: the streaming one (canonical input) and the exact one. */
const READERS: [string, (b: Uint8Array) => TraceFile][] = [
  ['streaming reader', (b) => importTraceFile(b)],
  ['exact reader', (b) => importTraceFileExact(b)],
];

describe('ids: the rules', () => {
  it('OTLP ids are 32 / 16 hex digits, not all zeros; the reason names what is wrong', () => {
    assert.strictEqual(otlpIdProblem(T, 32), undefined);
    assert.strictEqual(otlpIdProblem(T.slice(1), 32), '31 hex digits, expected 32');
    assert.strictEqual(otlpIdProblem('trace-123', 32), 'not hex');
    assert.strictEqual(otlpIdProblem('0'.repeat(16), 16), 'all zeros');
    assert.strictEqual(otlpIdProblem('', 16), 'empty');
  });

  it('Jaeger ids are 1 to 32 (trace) / 16 (span) hex digits, leading zeros dropped', () => {
    assert.strictEqual(jaegerIdProblem('abc', 32), undefined);
    assert.strictEqual(jaegerIdProblem('1', 16), undefined);
    assert.strictEqual(jaegerIdProblem(T, 32), undefined);
    assert.strictEqual(jaegerIdProblem('trace-123', 32), 'not hex');
    assert.strictEqual(jaegerIdProblem('a'.repeat(17), 16), '17 hex digits, at most 16');
  });
});

describe('ids: invalid ids are named (field, value, why)', () => {
  for (const [label, read] of READERS) {
    it(`OTLP JSON, ${label}: a 31-digit traceId is an invalid-id warning naming the field, the value and the length`, () => {
      const bad = T.slice(0, 31);
      const f = read(enc(otlpDoc([span(bad, S1, undefined, 'root')])));
      const w = invalidIds(f);
      assert.strictEqual(w.length, 1, JSON.stringify(allWarnings(f)));
      assert.match(w[0].message, /traceId/);
      assert.ok(w[0].message.includes(JSON.stringify(bad)), w[0].message);
      assert.match(w[0].message, /31 hex digits, expected 32/);
      assert.match(w[0].message, /\$\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId/);
      assert.strictEqual(f.spanCount, 1, 'the span is kept');
    });

    it(`OTLP JSON, ${label}: a non-hex parentSpanId is named as invalid, not only as an orphan`, () => {
      const f = read(enc(otlpDoc([span(T, S1, undefined, 'root'), span(T, S2, 'not-a-hex-id!!!!', 'child', 1100)])));
      const w = invalidIds(f);
      assert.strictEqual(w.length, 1, JSON.stringify(allWarnings(f)));
      assert.match(w[0].message, /parentSpanId/);
      assert.match(w[0].message, /"not-a-hex-id!!!!"/);
      assert.match(w[0].message, /not hex/);
      assert.match(w[0].message, /spans\[1\]\.parentSpanId/);
    });

    it(`OTLP JSON, ${label}: all-zero trace and span ids are invalid`, () => {
      const f = read(enc(otlpDoc([span('0'.repeat(32), '0'.repeat(16), undefined, 'root')])));
      const msgs = invalidIds(f).map((w) => w.message);
      assert.strictEqual(msgs.length, 2, msgs.join('\n'));
      assert.ok(msgs.some((m) => /traceId/.test(m) && /all zeros/.test(m)), msgs.join('\n'));
      assert.ok(msgs.some((m) => /spanId/.test(m) && /all zeros/.test(m)), msgs.join('\n'));
    });

    it(`OTLP JSON, ${label}: valid ids (upper-case hex, base64, an all-zero parent = root) give no invalid-id warning`, () => {
      const b64Trace = Buffer.from(T, 'hex').toString('base64');
      const f = read(enc(otlpDoc([span(T.toUpperCase(), S1.toUpperCase(), '0000000000000000', 'root'), span(b64Trace, S2, S1, 'child', 1100)])));
      assert.deepStrictEqual(invalidIds(f), []);
      assert.strictEqual(f.traces.length, 1);
    });
  }

  for (const [label, read] of READERS) {
    it(`OTLP protobuf, ${label}: a 15-byte trace id and a 9-byte span id are named as invalid`, () => {
      const root = new protobuf.Root();
      for (const f of OTLP_TRACE_PROTO_FILES) protobuf.parse(f.text, root);
      const Req = root.lookupType(EXPORT_TRACE_SERVICE_REQUEST);
      const bytes = Req.encode(
        Req.fromObject({
          resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.from(T.slice(0, 30), 'hex'), spanId: Buffer.from(S1 + 'aa', 'hex'), name: 'p', startTimeUnixNano: 1, endTimeUnixNano: 2 }] }] }],
        }),
      ).finish();
      const msgs = invalidIds(read(bytes)).map((w) => w.message);
      assert.strictEqual(msgs.length, 2, msgs.join('\n'));
      assert.ok(msgs.some((m) => /traceId/.test(m) && /30 hex digits, expected 32/.test(m) && m.includes(T.slice(0, 30))), msgs.join('\n'));
      assert.ok(msgs.some((m) => /spanId/.test(m) && /18 hex digits, expected 16/.test(m)), msgs.join('\n'));
    });
  }

  it('a long invalid value is shortened in the message', () => {
    const long = 'x'.repeat(300);
    const f = importTraceFile(enc(otlpDoc([span(long, S1, undefined, 'root')])));
    const w = invalidIds(f);
    assert.strictEqual(w.length, 1);
    assert.ok(!w[0].message.includes(long), 'the whole value is not repeated');
    assert.ok(w[0].message.includes('x'.repeat(40) + '…'), w[0].message);
  });

  it('many spans with the same problem make one warning with a count', () => {
    const spans = Array.from({ length: 50 }, (_, i) => span(T.slice(0, 31), (i + 1).toString(16).padStart(16, '0'), undefined, `s${i}`));
    const w = invalidIds(importTraceFile(enc(otlpDoc(spans))));
    assert.strictEqual(w.length, 1);
    assert.strictEqual(w[0].count, 50);
  });

  it('Jaeger: a non-hex traceID ("trace-123") is named as invalid; short hex ids (leading zeros dropped) are not', () => {
    const doc = {
      data: [
        {
          traceID: 'trace-123',
          spans: [
            { traceID: 'trace-123', spanID: 'span-1', operationName: 'root', startTime: 1000, duration: 10, references: [], processID: 'p1' },
            { traceID: 'trace-123', spanID: 'abc', operationName: 'child', startTime: 1001, duration: 5, references: [{ refType: 'CHILD_OF', traceID: 'trace-123', spanID: 'span-1' }], processID: 'p1' },
          ],
          processes: { p1: { serviceName: 'svc', tags: [] } },
        },
        {
          traceID: '1f',
          spans: [{ traceID: '1f', spanID: '2e', operationName: 'ok', startTime: 1000, duration: 10, references: [], processID: 'p1' }],
          processes: { p1: { serviceName: 'svc', tags: [] } },
        },
      ],
    };
    const f = importTraceFile(enc(doc));
    const msgs = invalidIds(f).map((w) => w.message);
    assert.ok(msgs.some((m) => /traceID/.test(m) && m.includes('"trace-123"') && /not hex/.test(m) && /\$\.data\[0\]\.spans\[0\]\.traceID/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /spanID/.test(m) && m.includes('"span-1"')), msgs.join('\n'));
    assert.ok(msgs.some((m) => /parentSpanId/.test(m) && m.includes('"span-1"')), msgs.join('\n'));
    assert.ok(!msgs.some((m) => m.includes('"1f"') || m.includes('"2e"') || m.includes('"abc"')), msgs.join('\n'));
    // The references still resolve: the child is under its parent, not an orphan.
    const t = f.traces.find((x) => x.traceId === 'trace-123')!;
    assert.strictEqual(t.roots.length, 1);
  });
});

describe('ids: a span whose parent is itself is a root', () => {
  for (const [label, read] of READERS) {
    it(`OTLP JSON, ${label}: self-parent -> a root, no cycle and no orphan`, () => {
      // The shape of malformed/ottl-playground-traces-self-parent.json.
      const f = read(enc(otlpDoc([span(T, S2, S1, "I'm a server span", 1100), span(T, S1, S1, 'Me too', 1000)])));
      const t = f.traces[0];
      const self = t.spans.findIndex((s) => s.spanId === S1);
      const child = t.spans.findIndex((s) => s.spanId === S2);
      assert.deepStrictEqual(t.roots, [self]);
      assert.strictEqual(t.parentIndex[child], self);
      assert.strictEqual(t.issues[self] & (SpanIssue.Cycle | SpanIssue.Orphan), 0);
      assert.strictEqual(t.rootName, 'Me too');
      const codes = t.warnings.map((w) => w.code);
      assert.ok(!codes.includes('cycle') && !codes.includes('orphan'), codes.join(', '));
    });
  }

  it('a self-parent root sorts with the true roots, before orphans', () => {
    const f = importTraceFile(enc(otlpDoc([span(T, S2, 'ffffffffffffffff', 'orphan', 500), span(T, S1, S1, 'self', 1000)])));
    const t = f.traces[0];
    assert.strictEqual(t.rootName, 'self');
    assert.deepStrictEqual(t.warnings.map((w) => w.code), ['orphan']);
  });

  it('a real two-span cycle (A -> B -> A) is still a cycle', () => {
    const f = importTraceFile(enc(otlpDoc([span(T, S1, S2, 'a'), span(T, S2, S1, 'b', 1100)])));
    assert.ok(f.traces[0].warnings.some((w) => w.code === 'cycle'));
  });
});
