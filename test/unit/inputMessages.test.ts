// Issue 10, "clear messages": files that are valid JSON but not traces, other text encodings,
// nesting deep enough to overflow a recursive reader, and empty input in every format.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImportError } from '../../src/core/model/errors';
import { importTraceFile, importTraceFileExact, importTraceFilePath } from '../../src/core/importers/importFile';
import { encodeTraceRequest } from '../../src/core/otlp/codec';
import { serializeOtlpJson } from '../../src/core/exporters/otlpJson';
import { toChromeTrace } from '../../src/core/exporters/chrome';
import type { OtlpAnyValue, OtlpExportTraceServiceRequest } from '../../src/core/otlp/types';
import { CORPUS, HAS_CORPUS, REPO_ROOT } from '../support/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const utf8 = (s: string) => Buffer.from(s, 'utf8');

function importError(bytes: Uint8Array, fileName = 'f.json'): ImportError {
  try {
    importTraceFile(bytes, { fileName });
  } catch (e) {
    assert.ok(e instanceof ImportError, `expected an ImportError, got ${String(e)}`);
    assert.doesNotMatch(e.message, /call stack|RangeError/i);
    return e;
  }
  assert.fail('the import succeeded');
}

function otlpWithValue(valueJson: string): string {
  return (
    '{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"s"},"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c",' +
    '"spanId":"b7ad6b7169203331","name":"x","kind":1,"startTimeUnixNano":"1000","endTimeUnixNano":"2000","attributes":[{"key":"deep","value":' +
    valueJson +
    '}]}]}]}]}'
  );
}

/** An OTLP AnyValue JSON of arrays nested `depth` levels around one string. */
function nestedArrayValue(depth: number): string {
  return '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"leaf"}' + ']}}'.repeat(depth);
}

describe('clear messages for input that is not a trace (issue 10)', () => {
  describe('valid JSON that is not a trace document', () => {
    for (const [text, kind] of [
      ['null', 'null'],
      ['42', 'number'],
      ['-1.5e3', 'number'],
      ['"a string"', 'string'],
      ['true', 'boolean'],
      ['  \n false \n', 'boolean'],
    ] as const) {
      it(`${JSON.stringify(text)} is "valid JSON, but not a trace: a JSON ${kind}"`, () => {
        const e = importError(utf8(text));
        assert.match(e.message, new RegExp(`^valid JSON, but not a trace: the whole file is a JSON ${kind}`));
      });
    }
    it('bytes that are not JSON still say so', () => {
      assert.match(importError(utf8('nul')).message, /neither JSON/);
    });
  });

  describe('text encodings', () => {
    const sample = otlpWithValue('{"stringValue":"héllo ✓"}');
    const expected = importTraceFile(utf8(sample));
    const cases: [string, Buffer][] = [
      ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(sample)])],
      ['UTF-16LE with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')])],
      ['UTF-16BE with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(sample, 'utf16le').swap16()])],
      ['UTF-16LE without a byte-order mark', Buffer.from(sample, 'utf16le')],
    ];
    for (const [label, bytes] of cases) {
      it(`${label} is decoded to the same trace (lean and exact readers)`, () => {
        for (const read of [importTraceFile, importTraceFileExact]) {
          const file = read(bytes, { fileName: 'f.json' });
          assert.strictEqual(file.format, 'otlp-json');
          assert.strictEqual(file.spanCount, 1);
          assert.strictEqual(file.traces[0].spans[0].attributes[0].value, 'héllo ✓');
          assert.deepStrictEqual(file.traces[0].traceId, expected.traces[0].traceId);
          const warned = file.warnings.some((w) => w.code === 'encoding');
          assert.strictEqual(warned, label.startsWith('UTF-16'), `encoding warning for ${label}`);
        }
      });
    }
    (HAS_CORPUS ? it : it.skip)('a real Jaeger file saved as UTF-16LE (as Windows PowerShell redirection writes it) opens', () => {
      const text = fs.readFileSync(path.join(CORPUS, 'jaeger-json', 'jaeger-ui_01.json'), 'utf8');
      const a = importTraceFile(utf8(text));
      const b = importTraceFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      assert.strictEqual(b.format, a.format);
      assert.strictEqual(b.spanCount, a.spanCount);
      assert.deepStrictEqual(b.traces.map((t) => t.traceId), a.traces.map((t) => t.traceId));
    });
  });

  describe('deep nesting never overflows the stack', () => {
    it('100,000 nested JSON arrays', () => {
      const e = importError(utf8('['.repeat(100_000) + ']'.repeat(100_000)));
      assert.match(e.message, /Zipkin|not a recognised/);
    });
    it('100,000 nested objects in a Chrome event\'s args', () => {
      const args = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
      const e = importError(utf8(`{"traceEvents":[{"ph":"X","name":"n","ts":1,"dur":2,"pid":1,"tid":1,"args":${args}}]}`));
      assert.match(e.message, /nested deeper than 64 levels/);
    });
    for (const depth of [65, 100_000]) {
      it(`an OTLP JSON attribute value nested ${depth} levels is refused with the attribute's path`, () => {
        for (const read of [importTraceFile, importTraceFileExact]) {
          let err: unknown;
          try {
            read(utf8(otlpWithValue(nestedArrayValue(depth))));
          } catch (e) {
            err = e;
          }
          assert.ok(err instanceof ImportError, String(err));
          assert.match(err.message, /nested deeper than 64 levels/);
          assert.match(err.location.path ?? '', /^\$\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value…$/);
        }
      });
    }
    it('an OTLP protobuf attribute value nested 65 levels is refused', () => {
      let v: OtlpAnyValue = 'leaf';
      for (let i = 0; i < 65; i++) v = [v];
      const span = {
        traceId: new Uint8Array(16).fill(1), spanId: new Uint8Array(8).fill(2), traceState: '', parentSpanId: new Uint8Array(0), flags: 0, name: 'x', kind: 1,
        startTimeUnixNano: 1n, endTimeUnixNano: 2n, attributes: [{ key: 'deep', value: v }], droppedAttributesCount: 0, events: [], droppedEventsCount: 0,
        links: [], droppedLinksCount: 0, status: { code: 0, message: '', deprecatedCode: 0 },
      };
      const bytes = encodeTraceRequest({ resourceSpans: [{ resource: undefined, schemaUrl: '', scopeSpans: [{ scope: undefined, schemaUrl: '', spans: [span] }] }] } as OtlpExportTraceServiceRequest);
      const e = importError(bytes, 'f.binpb');
      assert.match(e.message, /nested deeper than 64/);
    });
    it('a value nested 60 levels imports, exports to OTLP JSON and Chrome, and re-imports the same', () => {
      const file = importTraceFile(utf8(otlpWithValue(nestedArrayValue(60))));
      const again = importTraceFile(utf8(serializeOtlpJson(file)));
      assert.deepStrictEqual(again.traces[0].spans[0].attributes, file.traces[0].spans[0].attributes);
      const chrome = importTraceFile(utf8(JSON.stringify(toChromeTrace(file))));
      const x = chrome.traces.flatMap((t) => t.spans).find((s) => s.name === 'x');
      assert.ok(x?.attributes.some((a) => a.key === 'deep'), 'the nested value survives the Chrome round trip');
    });
  });

  describe('empty input says the same in every format', () => {
    const EMPTY: [string, string][] = [
      ['an empty file', ''],
      ['white space', ' \n\t\n'],
      ['an empty JSON array', '[]'],
      ['OTLP JSON with no resourceSpans', '{"resourceSpans":[]}'],
      ['OTLP JSON Lines with empty documents', '{"resourceSpans":[]}\n{"resourceSpans":[]}\n'],
      ['a Tempo response with no batches', '{"batches":[]}'],
      ['a Jaeger response with no traces', '{"data":[]}'],
      ['a Chrome trace with no events', '{"traceEvents":[]}'],
      ['a Zipkin list of no traces', '[[]]'],
    ];
    for (const [label, text] of EMPTY) {
      it(`${label}: "contains no spans"`, () => {
        assert.match(importError(utf8(text)).message, /contains no spans/);
      });
    }
    it('the CLI exits 2 with one line for each of them', () => {
      if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.js" first`);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-empty-'));
      EMPTY.forEach(([, text], i) => {
        const file = path.join(dir, `e${i}.json`);
        fs.writeFileSync(file, text);
        const r = spawnSync(process.execPath, [CLI, 'inspect', file], { encoding: 'utf8' });
        assert.strictEqual(r.status, 2, `${text}: exit ${r.status}`);
        assert.match(r.stderr, /^spanlens: .*contains no spans.*\n$/);
      });
    });
    it('a file read from disk says the same', async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-empty-')), 'e.json');
      fs.writeFileSync(file, '{"resourceSpans":[]}');
      await assert.rejects(importTraceFilePath(file), (e: unknown) => e instanceof ImportError && /contains no spans/.test(e.message));
    });
  });
});

