// Which protobuf library decodes OTLP traces fastest? Measured on payloads made by the real OTel
// JS SDK and serialised by its real exporter (ProtobufTraceSerializer), 10k and 100k spans.
//
// Candidates (all decode the same ExportTraceServiceRequest bytes):
//  - protobufjs reflection: Root built at run time from our embedded .proto text (src/core/otlp/schema.ts).
//    64-bit fields come back as Long objects; "+ to wire" also converts them to exact bigints and
//    ids to plain Uint8Arrays, i.e. produces what our importer needs.
//  - protobufjs static: pbjs-generated code (the one shipped inside @opentelemetry/otlp-transformer).
//  - pbf generated: pbf/compile output for the same .proto text. Its fixed64/int64 reads are
//    doubles, so ns timestamps lose precision: a speed reference, not usable as is.
//  - pbf + hand-written readers: src/core/otlp/codec.ts (exact bigints, bounds-checked).
// Each row is the best of several runs after warm-up, decode only (no model building), plus one
// end-to-end row (bytes -> TraceFile through the importer) for context.
//
// Run: node esbuild.js --tests && node dist/test/bench/protobufChoice.js
import * as v8 from 'v8';
import * as vm from 'vm';
import * as protobuf from 'protobufjs';
import Long from 'long';
import Pbf from 'pbf';
import { OTLP_TRACE_PROTO_FILES, EXPORT_TRACE_SERVICE_REQUEST } from '../../src/core/otlp/schema';
import { decodeTraceRequest } from '../../src/core/otlp/codec';
import { importOtlpProto } from '../../src/core/importers/otlpProto';
import type { OtlpAnyValue, OtlpKeyValue, OtlpTracesData } from '../../src/core/otlp/types';
import { generateSpans, toOtlpProtoBytes } from '../support/generate';

export interface BenchRow {
  name: string;
  /** Best wall-clock time of one decode. */
  ms: number;
  spansPerSec: number;
  /** Best process CPU time of one decode (includes GC threads). */
  cpuMs?: number;
}

// protobufjs looks Long up with an eval'd require, which a bundle may not resolve: set it explicitly.
protobuf.util.Long = Long as unknown as typeof protobuf.util.Long;
protobuf.configure();

function reflectionType(): protobuf.Type {
  const root = new protobuf.Root();
  for (const f of OTLP_TRACE_PROTO_FILES) protobuf.parse(f.text, root, { keepCase: false });
  root.resolveAll();
  return root.lookupType(EXPORT_TRACE_SERVICE_REQUEST);
}

function staticType(): { decode(b: Uint8Array): unknown } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const root = require('@opentelemetry/otlp-transformer/build/src/generated/root');
  return root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
}

/** One flat .proto (no packages/imports) for pbf's compiler, derived from the same embedded text. */
function flatProto(): string {
  const body = OTLP_TRACE_PROTO_FILES.map((f) => f.text)
    .join('\n')
    .replace(/^\s*(syntax|package|import)\b.*$/gm, '')
    .replace(/service TraceService \{[^}]*\}\s*\}/, '')
    .replace(/opentelemetry\.proto\.\w+\.v1\./g, '');
  return `syntax = "proto3";\n${body}`;
}

// A real dynamic import (not rewritten to require by the bundler): pbf/compile is an ES module.
const dynamicImport = new Function('s', 'return import(s)') as (s: string) => Promise<Record<string, unknown>>;

async function pbfGenerated(): Promise<(b: Uint8Array) => unknown> {
  const { compile } = (await dynamicImport('pbf/compile')) as { compile: (schema: unknown) => Record<string, (pbf: Pbf, end?: number) => unknown> };
  const parseSchema = ((await dynamicImport('protocol-buffers-schema')) as { default: { parse(text: string): unknown } }).default.parse;
  const code = compile(parseSchema(flatProto()));
  const read = code.readExportTraceServiceRequest;
  return (b: Uint8Array) => read(new Pbf(b));
}

function longToBigint(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v);
  const l = v as Long;
  return (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
}

type PjsValue = { stringValue?: string; boolValue?: boolean; intValue?: unknown; doubleValue?: number; arrayValue?: { values: PjsValue[] }; kvlistValue?: { values: PjsKv[] }; bytesValue?: Uint8Array; value?: string };
type PjsKv = { key: string; value?: PjsValue };

function pjsValue(v: PjsValue): OtlpAnyValue {
  switch (v.value) {
    case 'stringValue':
      return v.stringValue!;
    case 'boolValue':
      return v.boolValue!;
    case 'intValue':
      return longToBigint(v.intValue);
    case 'doubleValue':
      return v.doubleValue!;
    case 'arrayValue':
      return v.arrayValue!.values.map(pjsValue);
    case 'kvlistValue':
      return { kvlist: v.kvlistValue!.values.map(pjsKv) };
    case 'bytesValue':
      return v.bytesValue!;
  }
  return null;
}

function pjsKv(kv: PjsKv): OtlpKeyValue {
  return { key: kv.key, value: kv.value ? pjsValue(kv.value) : null };
}

/** protobufjs message -> our wire types (what the importer consumes): Long -> bigint etc. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function pjsToWire(m: any): OtlpTracesData {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    resourceSpans: m.resourceSpans.map((rs: any) => ({
      resource: rs.resource && { attributes: rs.resource.attributes.map(pjsKv), droppedAttributesCount: rs.resource.droppedAttributesCount, entityRefs: [] },
      schemaUrl: rs.schemaUrl,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      scopeSpans: rs.scopeSpans.map((ss: any) => ({
        scope: ss.scope && { name: ss.scope.name, version: ss.scope.version, attributes: ss.scope.attributes.map(pjsKv), droppedAttributesCount: ss.scope.droppedAttributesCount },
        schemaUrl: ss.schemaUrl,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        spans: ss.spans.map((s: any) => ({
          traceId: s.traceId,
          spanId: s.spanId,
          traceState: s.traceState,
          parentSpanId: s.parentSpanId,
          flags: s.flags,
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: longToBigint(s.startTimeUnixNano),
          endTimeUnixNano: longToBigint(s.endTimeUnixNano),
          attributes: s.attributes.map(pjsKv),
          droppedAttributesCount: s.droppedAttributesCount,
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          events: s.events.map((e: any) => ({ timeUnixNano: longToBigint(e.timeUnixNano), name: e.name, attributes: e.attributes.map(pjsKv), droppedAttributesCount: e.droppedAttributesCount })),
          droppedEventsCount: s.droppedEventsCount,
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          links: s.links.map((l: any) => ({ traceId: l.traceId, spanId: l.spanId, traceState: l.traceState, attributes: l.attributes.map(pjsKv), droppedAttributesCount: l.droppedAttributesCount, flags: l.flags })),
          droppedLinksCount: s.droppedLinksCount,
          status: s.status && { message: s.status.message, code: s.status.code, deprecatedCode: 0 },
        })),
      })),
    })),
  };
}

// A full collection before every timed run, so no candidate pays for the previous one's garbage.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/**
 * Best of `runs` per candidate after two warm-up runs (JIT, inline caches), with the candidates
 * interleaved run by run so that load from other processes hits them alike. The minimum, not the
 * mean: on a shared machine other work only ever adds time. CPU time (process-wide, so garbage
 * collection threads count) is reported next to wall time because it is less sensitive to load.
 */
function timeInterleaved(fns: (() => unknown)[], runs: number): Timing[] {
  for (const fn of fns) {
    fn();
    fn();
  }
  const best: Timing[] = fns.map(() => ({ wallMs: Infinity, cpuMs: Infinity }));
  for (let r = 0; r < runs; r++) {
    fns.forEach((fn, i) => {
      collectGarbage();
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      fn();
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      const c = process.cpuUsage(c0);
      best[i].wallMs = Math.min(best[i].wallMs, wall);
      best[i].cpuMs = Math.min(best[i].cpuMs, (c.user + c.system) / 1000);
    });
  }
  return best;
}

export async function benchProtobufChoice(opts: { sizes?: number[]; runs?: number } = {}): Promise<{ rows: BenchRow[] }> {
  const sizes = opts.sizes ?? [10_000, 100_000];
  const reflection = reflectionType();
  const pbjsStatic = staticType();
  const pbfGen = await pbfGenerated();
  const rows: BenchRow[] = [];
  for (const n of sizes) {
    const bytes = toOtlpProtoBytes(generateSpans({ spans: n, seed: 42, traces: Math.max(1, Math.round(n / 1000)) }));
    const mb = (bytes.length / 1e6).toFixed(1);
    const candidates: [string, () => unknown][] = [
      ['protobufjs reflection (Long, raw message)', () => reflection.decode(bytes)],
      ['protobufjs reflection + to wire (bigint)', () => pjsToWire(reflection.decode(bytes))],
      ['protobufjs static pbjs (Long, raw message)', () => pbjsStatic.decode(bytes)],
      ['pbf generated (64-bit as double: LOSSY)', () => pbfGen(bytes)],
      ['pbf + hand-written readers (bigint, checked)', () => decodeTraceRequest(bytes)],
      ['  end-to-end importOtlpProto -> TraceFile', () => importOtlpProto(bytes)],
    ];
    const timings = timeInterleaved(
      candidates.map((c) => c[1]),
      opts.runs ?? (n <= 10_000 ? 15 : 7),
    );
    candidates.forEach(([name], i) => {
      const { wallMs, cpuMs } = timings[i];
      rows.push({ name: `${name} [${n / 1000}k spans, ${mb} MB]`, ms: round1(wallMs), cpuMs: round1(cpuMs), spansPerSec: Math.round((n / wallMs) * 1000) });
    });
  }
  return { rows };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function printTable(rows: BenchRow[]): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'candidate'.padEnd(w)}  ${'wall ms'.padStart(9)}  ${'cpu ms'.padStart(9)}  ${'spans/s'.padStart(11)}`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(w)}  ${r.ms.toFixed(1).padStart(9)}  ${(r.cpuMs ?? NaN).toFixed(1).padStart(9)}  ${r.spansPerSec.toLocaleString('en-US').padStart(11)}`);
  }
}

if (require.main === module) {
  benchProtobufChoice().then(
    (r) => printTable(r.rows),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
