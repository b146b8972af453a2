// The hand-written OTLP protobuf codec, checked both ways against protobufjs reflection built from
// the same embedded .proto text (so a wrong field number or wire type on either side fails), plus
// the importer's framing detection and its errors on truncated or garbage input.
import * as assert from 'assert';
import * as protobuf from 'protobufjs';
import Long from 'long';
import { decodeTraceRequest, decodeTraceResponse, encodeTraceRequest, encodeTraceResponse, ProtoDecodeError } from '../../src/core/otlp/codec';
import { EXPORT_TRACE_SERVICE_REQUEST, EXPORT_TRACE_SERVICE_RESPONSE, OTLP_TRACE_PROTO_FILES } from '../../src/core/otlp/schema';
import type { OtlpAnyValue, OtlpExportTraceServiceRequest } from '../../src/core/otlp/types';
import { importOtlpProto, looksLikeOtlpProto } from '../../src/core/importers/otlpProto';
import { importTraceFile } from '../../src/core/importers/importFile';
import { ImportError } from '../../src/core/model/errors';
import { generateSpans, toOtlpProtoBytes } from '../support/generate';

protobuf.util.Long = Long as unknown as typeof protobuf.util.Long;
protobuf.configure();

const root = new protobuf.Root();
for (const f of OTLP_TRACE_PROTO_FILES) protobuf.parse(f.text, root);
root.resolveAll();
const RequestType = root.lookupType(EXPORT_TRACE_SERVICE_REQUEST);
const ResponseType = root.lookupType(EXPORT_TRACE_SERVICE_RESPONSE);

/** protobufjs decode as plain JSON-able data (int64 as decimal strings, bytes as hex). */
function pbjsPlain(bytes: Uint8Array): unknown {
  return RequestType.toObject(RequestType.decode(bytes), { longs: String, bytes: String, defaults: true, oneofs: false });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Our decode in the same plain shape protobufjs' toObject gives (bytes: base64 there, so convert). */
function oursPlain(req: OtlpExportTraceServiceRequest): unknown {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  const value = (v: OtlpAnyValue): Record<string, unknown> => {
    switch (typeof v) {
      case 'string':
        return { stringValue: v };
      case 'boolean':
        return { boolValue: v };
      case 'bigint':
        return { intValue: v.toString() };
      case 'number':
        return { doubleValue: v };
    }
    if (v === null) return {};
    if (v instanceof Uint8Array) return { bytesValue: b64(v) };
    if (Array.isArray(v)) return { arrayValue: { values: v.map(value) } };
    return { kvlistValue: { values: kvs((v as { kvlist: { key: string; value: OtlpAnyValue }[] }).kvlist) } };
  };
  const kvs = (list: readonly { key: string; value: OtlpAnyValue }[]) => list.map((kv) => ({ key: kv.key, value: value(kv.value) }));
  return {
    resourceSpans: req.resourceSpans.map((rs) => ({
      resource: rs.resource && { attributes: kvs(rs.resource.attributes), droppedAttributesCount: rs.resource.droppedAttributesCount, entityRefs: [...rs.resource.entityRefs] },
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: ss.scope && { name: ss.scope.name, version: ss.scope.version, attributes: kvs(ss.scope.attributes), droppedAttributesCount: ss.scope.droppedAttributesCount },
        spans: ss.spans.map((s) => ({
          traceId: b64(s.traceId),
          spanId: b64(s.spanId),
          traceState: s.traceState,
          parentSpanId: b64(s.parentSpanId),
          flags: s.flags,
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: s.startTimeUnixNano.toString(),
          endTimeUnixNano: s.endTimeUnixNano.toString(),
          attributes: kvs(s.attributes),
          droppedAttributesCount: s.droppedAttributesCount,
          events: s.events.map((e) => ({ timeUnixNano: e.timeUnixNano.toString(), name: e.name, attributes: kvs(e.attributes), droppedAttributesCount: e.droppedAttributesCount })),
          droppedEventsCount: s.droppedEventsCount,
          links: s.links.map((l) => ({ traceId: b64(l.traceId), spanId: b64(l.spanId), traceState: l.traceState, attributes: kvs(l.attributes), droppedAttributesCount: l.droppedAttributesCount, flags: l.flags })),
          droppedLinksCount: s.droppedLinksCount,
          status: s.status && { message: s.status.message, code: s.status.code },
        })),
        schemaUrl: ss.schemaUrl,
      })),
      schemaUrl: rs.schemaUrl,
    })),
  };
}

/** protobufjs toObject with defaults gives `undefined`-free objects; normalise its quirks for comparison. */
function normalisePbjs(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x), (_k, v) => v);
}

/** A request whose one span attribute is an array value nested `depth` times (hand-encoded). */
function nestedArrays(depth: number): Uint8Array {
  const msg = (field: number, body: number[]): number[] => [(field << 3) | 2, ...varint(body.length), ...body];
  const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >>> 7)]);
  let value: number[] = msg(1, [0x61]); // AnyValue{string_value: "a"}
  for (let i = 0; i < depth; i++) value = msg(5, msg(1, value)); // AnyValue{array_value{values: [value]}}
  const span = msg(9, [...msg(1, [0x6b]), ...msg(2, value)]); // attributes: {key: "k", value}
  return new Uint8Array(msg(1, msg(2, msg(2, span))));
}

/** Builds the Collector file exporter's `format: proto` framing: 4-byte big-endian length + record. */
function frame(records: Uint8Array[]): Uint8Array {
  const out = Buffer.alloc(records.reduce((n, r) => n + 4 + r.length, 0));
  let pos = 0;
  for (const r of records) {
    out.writeUInt32BE(r.length, pos);
    out.set(r, pos + 4);
    pos += 4 + r.length;
  }
  return new Uint8Array(out);
}

function expectImportError(bytes: Uint8Array, test: (e: ImportError) => void): void {
  assert.throws(
    () => importTraceFile(bytes, { fileName: 'x.binpb' }),
    (e: unknown) => {
      assert.ok(e instanceof ImportError, `ImportError expected, got ${String(e)}`);
      test(e);
      return true;
    },
  );
}

describe('OTLP protobuf codec', () => {
  const sdkBytes = toOtlpProtoBytes(generateSpans({ spans: 300, services: 3, seed: 11, traces: 2 }));

  it('decodes SDK bytes exactly as protobufjs reflection of the spec schema does', () => {
    const ours = decodeTraceRequest(sdkBytes);
    assert.strictEqual(
      ours.resourceSpans.reduce((n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0),
      300,
    );
    assert.deepStrictEqual(normalisePbjs(oursPlain(ours)), normalisePbjs(pbjsPlain(sdkBytes)));
  });

  it('encodes what protobufjs decodes back to the same message, and re-decodes to the same value', () => {
    const ours = decodeTraceRequest(sdkBytes);
    const again = encodeTraceRequest(ours);
    assert.deepStrictEqual(normalisePbjs(pbjsPlain(again)), normalisePbjs(pbjsPlain(sdkBytes)));
    assert.deepStrictEqual(decodeTraceRequest(again), ours);
  });

  it('keeps 64-bit values exact at the extremes (int64 attributes, fixed64 times)', () => {
    const ints = [0n, 1n, -1n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    const req: OtlpExportTraceServiceRequest = {
      resourceSpans: [
        {
          resource: undefined,
          schemaUrl: '',
          scopeSpans: [
            {
              scope: undefined,
              schemaUrl: '',
              spans: [
                {
                  traceId: new Uint8Array(16).fill(1),
                  spanId: new Uint8Array(8).fill(2),
                  traceState: '',
                  parentSpanId: new Uint8Array(0),
                  flags: 0xffffffff,
                  name: 'ünïcödé ✓ span',
                  kind: 5,
                  startTimeUnixNano: 2n ** 64n - 1n,
                  endTimeUnixNano: 1700000000123456789n,
                  attributes: ints.map((v, i) => ({ key: `i${i}`, value: v })),
                  droppedAttributesCount: 0,
                  events: [],
                  droppedEventsCount: 0,
                  links: [],
                  droppedLinksCount: 0,
                  status: { code: 2, message: 'x', deprecatedCode: 0 },
                },
              ],
            },
          ],
        },
      ],
    };
    const bytes = encodeTraceRequest(req);
    const back = decodeTraceRequest(bytes).resourceSpans[0].scopeSpans[0].spans[0];
    assert.deepStrictEqual(
      back.attributes.map((a) => a.value),
      ints,
    );
    assert.strictEqual(back.startTimeUnixNano, 2n ** 64n - 1n);
    assert.strictEqual(back.endTimeUnixNano, 1700000000123456789n);
    assert.strictEqual(back.flags, 0xffffffff);
    assert.strictEqual(back.name, 'ünïcödé ✓ span');
    const plain = pbjsPlain(bytes) as { resourceSpans: { scopeSpans: { spans: { attributes: { value: { intValue: string } }[]; startTimeUnixNano: string }[] }[] }[] };
    const span = plain.resourceSpans[0].scopeSpans[0].spans[0];
    assert.deepStrictEqual(
      span.attributes.map((a) => a.value.intValue),
      ints.map(String),
    );
    assert.strictEqual(span.startTimeUnixNano, (2n ** 64n - 1n).toString());
  });

  it('reads the removed legacy fields: instrumentation_library_spans (1000) and status.deprecated_code (1)', () => {
    const legacy = protobuf.parse(`
      syntax = "proto3";
      message Req { repeated RS resource_spans = 1; }
      message RS { repeated ILS instrumentation_library_spans = 1000; }
      message ILS { Lib instrumentation_library = 1; repeated Sp spans = 2; }
      message Lib { string name = 1; string version = 2; }
      message Sp { bytes trace_id = 1; bytes span_id = 2; string name = 5; St status = 15; }
      message St { int32 deprecated_code = 1; }
    `).root;
    const Req = legacy.lookupType('Req');
    const bytes = Req.encode(
      Req.fromObject({
        resourceSpans: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old-lib', version: '0.1' }, spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'old', status: { deprecatedCode: 2 } }] }] }],
      }),
    ).finish();
    const f = importOtlpProto(bytes);
    const [s] = f.traces[0].spans;
    assert.strictEqual(s.name, 'old');
    assert.strictEqual(s.scope.name, 'old-lib');
    assert.strictEqual(s.scope.version, '0.1');
    assert.strictEqual(s.status.code, 2, 'a non-OK deprecated code with no code is an error');
  });

  it('encodes ExportTraceServiceResponse: empty for full success, partial_success as protobufjs reads it', () => {
    assert.strictEqual(encodeTraceResponse().length, 0);
    assert.deepStrictEqual(decodeTraceResponse(new Uint8Array(0)), {});
    const bytes = encodeTraceResponse({ partialSuccess: { rejectedSpans: 3n, errorMessage: 'bad ids' } });
    assert.deepStrictEqual(ResponseType.toObject(ResponseType.decode(bytes), { longs: String }), { partialSuccess: { rejectedSpans: '3', errorMessage: 'bad ids' } });
    assert.deepStrictEqual(decodeTraceResponse(bytes), { partialSuccess: { rejectedSpans: 3n, errorMessage: 'bad ids' } });
  });

  it('reports a truncated message with the byte offset and the field path', () => {
    const cut = sdkBytes.subarray(0, Math.floor(sdkBytes.length / 2));
    assert.throws(
      () => decodeTraceRequest(cut),
      (e: unknown) => {
        assert.ok(e instanceof ProtoDecodeError);
        assert.ok(e.offset >= 0 && e.offset <= cut.length, `offset ${e.offset}`);
        assert.match(e.detail, /^resource_spans\[0\]/);
        assert.match(e.detail, /runs past the end|truncated/);
        return true;
      },
    );
  });

  it('decodes from a view with a byte offset (e.g. a framed record inside a larger buffer)', () => {
    const padded = new Uint8Array(sdkBytes.length + 7);
    padded.set(sdkBytes, 7);
    assert.deepStrictEqual(decodeTraceRequest(padded.subarray(7)), decodeTraceRequest(sdkBytes));
  });
});

describe('OTLP protobuf import', () => {
  const a = generateSpans({ spans: 40, services: 2, seed: 1, traces: 2 });
  const b = generateSpans({ spans: 25, services: 2, seed: 2, traces: 1 });
  const bytesA = toOtlpProtoBytes(a);
  const bytesB = toOtlpProtoBytes(b);

  it('detects and imports a single binary ExportTraceServiceRequest', () => {
    assert.ok(looksLikeOtlpProto(bytesA));
    const f = importTraceFile(bytesA);
    assert.strictEqual(f.format, 'otlp-proto');
    assert.strictEqual(f.spanCount, 40);
  });

  it('detects the Collector file exporter framing (4-byte big-endian lengths) and imports every record', () => {
    const framed = frame([bytesA, bytesB, bytesA.subarray(0, 0)]);
    assert.ok(looksLikeOtlpProto(framed));
    const f = importTraceFile(framed);
    assert.strictEqual(f.format, 'otlp-proto-framed');
    assert.strictEqual(f.spanCount, 65);
    assert.strictEqual(f.traces.length, 3);
    assert.deepStrictEqual(f.warnings, []);
  });

  it('keeps the complete records when the last framed record is cut off, with a warning', () => {
    const framed = frame([bytesA, bytesB]);
    const f = importTraceFile(framed.subarray(0, framed.length - 10));
    assert.strictEqual(f.spanCount, 40);
    const w = f.warnings.find((x) => x.code === 'skipped-records')!;
    assert.match(w.message, /last record \(2, at byte \d+\) is incomplete/);
  });

  it('a truncated single request is an ImportError with the byte offset and what failed', () => {
    for (const len of [3, Math.floor(bytesA.length / 3), bytesA.length - 1]) {
      expectImportError(bytesA.subarray(0, len), (e) => {
        assert.strictEqual(e.format, 'otlp-proto');
        assert.ok(e.location.offset !== undefined && e.location.offset <= len, `offset ${e.location.offset} for length ${len}`);
        assert.match(e.message, /invalid OTLP protobuf: resource_spans\[\d+\].*(runs past the end|truncated)/);
      });
    }
  });

  it('a truncated single framed record is an ImportError naming the record', () => {
    const framed = frame([bytesA]);
    expectImportError(framed.subarray(0, 100), (e) => {
      assert.strictEqual(e.format, 'otlp-proto-framed');
      assert.strictEqual(e.location.offset, 0);
      assert.match(e.message, /record 1: length \d+ runs past the end of the file/);
    });
  });

  it('garbage is an ImportError, never another exception', () => {
    // Deterministic pseudo-random bytes after a plausible start, and a few hand-made bad shapes.
    let x = 12345;
    const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const broken: [string, Uint8Array, RegExp][] = [
      ['resource length varint runs off the end', new Uint8Array([0x0a, 0x05, 0x0a, 0xff, 0xff, 0xff, 0xff]), /resource_spans\[0\]\.resource: truncated varint/],
      ['wire type 7 inside Resource', new Uint8Array([0x0a, 0x03, 0x0a, 0x01, 0x0f]), /resource\.attributes\[0\]: expected length-delimited but found an invalid wire type \(wire type 7\)/],
      ['scope_spans longer than its parent', new Uint8Array([0x0a, 0x02, 0x12, 0x05]), /scope_spans\[0\]: length 5 runs past the end/],
      ['field number 0', new Uint8Array([0x0a, 0x04, 0x12, 0x02, 0x12, 0x00, 0x00]), /invalid field key 0/],
      ['array nested 100 deep', nestedArrays(100), /nested deeper than 64 levels/],
    ];
    for (const [what, bytes, message] of broken) {
      assert.throws(
        () => importOtlpProto(bytes),
        (e: unknown) => e instanceof ImportError && message.test(e.message) && e.location.offset !== undefined,
        what,
      );
    }
    const cases: Uint8Array[] = [];
    for (let k = 0; k < 200; k++) {
      const g = new Uint8Array(64);
      for (let i = 0; i < g.length; i++) g[i] = rnd();
      g[0] = 0x0a;
      g[1] = 0x3e;
      g[2] = 0x0a;
      cases.push(g);
    }
    for (const c of cases) {
      let result: unknown;
      try {
        result = importOtlpProto(c);
      } catch (e) {
        assert.ok(e instanceof ImportError, `ImportError expected for ${hex(c)}, got ${String(e)}`);
        assert.ok(e.location.offset !== undefined, 'with an offset');
        continue;
      }
      // Random bytes can be a valid (meaningless) message: then it imported without throwing.
      assert.ok(result);
    }
  });

  it('a binary file that is not OTLP is refused by detection with the first byte', () => {
    expectImportError(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), (e) => {
      assert.match(e.message, /neither JSON .* nor an OTLP protobuf/);
    });
  });
});
