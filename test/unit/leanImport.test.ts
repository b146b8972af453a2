// The lean (streaming, byte-level) OTLP readers against the exact readers they replace: every
// OTLP file of the shared corpus, the fixtures and SDK-generated files must give identical traces
// (every span field, attributes, events, links, resources, scopes, tree index and warnings), or
// the identical error.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImportCancelled, importTraceFile, importTraceFileExact, importTraceFilePath } from '../../src/core/importers/importFile';
import { LazySpan } from '../../src/core/importers/lazySpan';
import { ImportError } from '../../src/core/model/errors';
import type { Span, TraceFile } from '../../src/core/model/model';
import { generateSpans, toOtlpJsonBytes, toOtlpProtoBytes } from '../support/generate';
import { CORPUS, FIXTURES, HAS_CORPUS } from '../support/paths';
import { plainSpan } from '../../src/core/model/plainSpan';

function plainFile(f: TraceFile): object {
  return {
    format: f.format,
    spanCount: f.spanCount,
    warnings: f.warnings,
    traces: f.traces.map((t) => ({ ...t, spans: t.spans.map(plainSpan), parentIndex: Array.from(t.parentIndex), issues: Array.from(t.issues) })),
  };
}

type Outcome = { file: TraceFile } | { error: { message: string; location: object; format?: string } };

function outcome(f: () => TraceFile): Outcome {
  try {
    return { file: f() };
  } catch (e) {
    assert.ok(e instanceof ImportError, `not an ImportError: ${String(e)}`);
    return { error: { message: e.message, location: e.location, format: e.format } };
  }
}

/** Asserts identical results both ways; returns whether the lean readers kept spans lazy. */
function assertSame(bytes: Uint8Array, fileName: string): boolean {
  const exact = outcome(() => importTraceFileExact(bytes, { fileName }));
  const lean = outcome(() => importTraceFile(bytes, { fileName }));
  if ('error' in exact) {
    assert.ok('error' in lean, `${fileName}: the exact reader fails (${exact.error.message}) but the lean one does not`);
    assert.deepStrictEqual(lean.error, exact.error, fileName);
    return false;
  }
  assert.ok('file' in lean, `${fileName}: the lean reader fails: ${'error' in lean ? lean.error.message : ''}`);
  assert.deepStrictEqual(plainFile(lean.file), plainFile(exact.file), fileName);
  return lean.file.traces.some((t) => t.spans.some((s) => s instanceof LazySpan));
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(full));
    else if (/\.(json|jsonl|ndjson|binpb|pb)$/.test(e.name)) out.push(full);
  }
  return out;
}

const corpusDescribe = HAS_CORPUS ? describe : describe.skip;

corpusDescribe(HAS_CORPUS ? 'lean import = exact import over the whole corpus' : `lean import = exact import over the corpus (SKIPPED: corpus absent at ${CORPUS})`, () => {
  for (const file of listFiles(CORPUS)) {
    const rel = path.relative(CORPUS, file);
    it(rel, () => {
      const lazy = assertSame(new Uint8Array(fs.readFileSync(file)), path.basename(file));
      // The SDK/Collector-shaped OTLP files take the lean path, not the fallback.
      if (/otel-tui|otelproto-examples|jaeger-integration-example/.test(rel)) assert.ok(lazy, `${rel} should be read lazily`);
    });
  }
});

describe('lean import = exact import over the fixtures', () => {
  for (const file of listFiles(FIXTURES)) {
    it(path.relative(FIXTURES, file), () => {
      assertSame(new Uint8Array(fs.readFileSync(file)), path.basename(file));
    });
  }
});

describe('lean import = exact import on SDK-generated and edge-case files', () => {
  const sdk = generateSpans({ spans: 600, services: 3, seed: 11, traces: 4 });
  const json = toOtlpJsonBytes(sdk);
  const proto = toOtlpProtoBytes(sdk);
  const jsonText = new TextDecoder().decode(json);
  const lines = [0, 200, 400].map((i) => new TextDecoder().decode(toOtlpJsonBytes(sdk.slice(i, i + 200))));
  const framed = (parts: Uint8Array[]) => Buffer.concat(parts.flatMap((p) => [Buffer.from([p.length >>> 24, (p.length >>> 16) & 255, (p.length >>> 8) & 255, p.length & 255]), Buffer.from(p)]));
  const enc = (s: string) => new TextEncoder().encode(s);
  const cases: [string, Uint8Array, boolean][] = [
    ['sdk.otlp.json', json, true],
    ['sdk.otlp.binpb', proto, true],
    ['sdk-framed.binpb', framed([0, 200, 400].map((i) => toOtlpProtoBytes(sdk.slice(i, i + 200)))), true],
    ['sdk.otlp.jsonl', enc(lines.join('\n') + '\n'), true],
    ['sdk-crlf.otlp.jsonl', enc(lines.join('\r\n') + '\r\n'), true],
    ['sdk-bom.otlp.json', enc('\ufeff' + jsonText), true],
    ['mixed-signals.jsonl', enc(`${lines[0]}\n{"resourceMetrics":[]}\n{"resourceLogs":[]}\n\n${lines[1]}\n{"other":1}\n`), true],
    ['incomplete-last-line.jsonl', enc(`${lines[0]}\n${lines[1]}\n${lines[2].slice(0, 500)}`), false],
    ['broken-middle-line.jsonl', enc(`${lines[0]}\n{"resourceSpans": [}\n${lines[1]}\n`), false],
    ['truncated.otlp.json', json.subarray(0, json.length - 100), false],
    ['truncated.binpb', proto.subarray(0, proto.length - 100), false],
    ['framed-cut.binpb', framed([proto]).subarray(0, 1000), false],
    ['snake-case.json', enc(jsonText.replace(/"traceId"/g, '"trace_id"')), false],
    ['kind-names.json', enc(jsonText.replace(/"kind":2/g, '"kind":"SPAN_KIND_SERVER"')), false],
    ['kind-out-of-range.json', enc(jsonText.replace(/"kind":2/g, '"kind":9')), false],
    ['unsafe-int.json', enc(jsonText.replace(/"intValue":"?(-?\d+)"?/, '"intValue":12345678901234567890')), false],
    ['unsafe-resource-int.json', enc(jsonText.replace(/"resource":\{"attributes":\[/, '"resource":{"attributes":[{"key":"big","value":{"intValue":12345678901234567890}},')), true],
    ['bad-attribute.json', enc(jsonText.replace(/"stringValue":"value-/, '"stringValue":7,"x":"')), false],
    ['escapes.json', enc(jsonText.replace(/"name":"GET \/api\/orders"/g, '"name":"GET \\/api\\u002forders \\"q\\""')), true],
    ['control-char.json', enc(jsonText.replace(/"value-1/, '"value-\u0001')), false],
    ['duplicate-key.json', enc(jsonText.replace(/"name":"/, '"name":"dup","name":"')), false],
    ['empty-envelope.json', enc('{"resourceSpans":[]}'), false],
    ['not-otlp.json', enc('{"data":[]}'), false],
    ['jaeger-v3.jsonl', enc(`{"result":${lines[0]}}\n{"result":${lines[1]}}\n`), false],
  ];
  for (const [name, bytes, lazy] of cases) {
    it(name, () => {
      const wasLazy = assertSame(bytes, name);
      if (lazy) assert.ok(wasLazy, `${name} should be read lazily`);
    });
  }

  it('reads a path in chunks with progress, and cancels with ImportCancelled', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-lean-'));
    const file = path.join(dir, 'sdk.otlp.json');
    fs.writeFileSync(file, json);
    const seen: number[] = [];
    const f = await importTraceFilePath(file, { onProgress: (p) => seen.push(p.bytesDone) });
    assert.strictEqual(f.spanCount, 600);
    assert.deepStrictEqual(plainFile(f), plainFile(importTraceFileExact(json)));
    assert.ok(seen.length >= 1 && seen[seen.length - 1] === json.length);
    await assert.rejects(importTraceFilePath(file, { isCancelled: () => true }), (e: unknown) => e instanceof ImportCancelled && e.name === 'ImportCancelled');
    // Over the size limit: OTLP still reads, other formats are refused with a message saying why.
    assert.strictEqual((await importTraceFilePath(file, { maxFileSizeMB: 0.01 })).spanCount, 600);
    const jaeger = path.join(dir, 'x.jaeger.json');
    fs.writeFileSync(jaeger, JSON.stringify({ data: [{ traceID: 'a', spans: [], processes: {} }], pad: 'x'.repeat(20000) }));
    await assert.rejects(importTraceFilePath(jaeger, { maxFileSizeMB: 0.01 }), (e: unknown) => e instanceof ImportError && /cannot be streamed yet \(Jaeger, Zipkin, Tempo, Chrome\)/.test(e.message));
  });
});

describe('lean spans keep decoded parts only for the spans used last', () => {
  it('a pass over every span leaves at most 4096 decoded per file; a recent span decodes once', () => {
    const file = importTraceFile(toOtlpJsonBytes(generateSpans({ spans: 6000, seed: 12 })));
    const spans = file.traces.flatMap((t) => t.spans) as LazySpan[];
    assert.ok(spans.every((s) => s instanceof LazySpan));
    let attrs = 0;
    for (const s of spans) attrs += s.attributes.length;
    assert.ok(attrs > spans.length, 'the attributes were read');
    const recent = spans[0].lazySource.recent;
    assert.strictEqual(recent.size, 4096);
    const last = spans[spans.length - 1];
    assert.strictEqual(last.attributes, last.attributes, 'the same decoded array while it is recent');
    // The first span left the recent set: reading it again decodes an equal copy, and the set stays bounded.
    assert.ok(!recent.has(spans[0]));
    assert.ok(spans[0].attributes.length > 0);
    assert.strictEqual(recent.size, 4096);
  });
});
