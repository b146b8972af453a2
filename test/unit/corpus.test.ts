// Conformance sweep over the shared corpus of real trace files from other projects: every file
// imports, or fails with a clear ImportError that says what and where — never a crash.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ImportError } from '../../src/core/model/errors';
import { importTraceFile } from '../../src/core/importers/importFile';
import { CORPUS, HAS_CORPUS, readBytes } from '../support/paths';

const FOLDERS = ['otlp-json', 'jaeger-json', 'zipkin-json', 'chrome-trace', 'malformed'];

/** Malformed files that must be refused, with the location the message has to carry. */
const MUST_FAIL: Record<string, (e: ImportError) => boolean> = {
  'malformed/jaeger-anonymizer-trace_empty.json': (e) => /empty/.test(e.message),
  'malformed/jaeger-anonymizer-trace_scan_error.json': (e) => e.location.line !== undefined && e.location.column !== undefined,
  'malformed/otel-go-instr-autosdk-traces-invalid-json-redacted-ids.json': (e) => e.location.line !== undefined && e.location.column !== undefined,
};

/** Valid files with nothing to show as spans: refused with a message saying what they hold. */
const NO_SPANS: Record<string, RegExp> = {
  'chrome-trace/speedscope-chrome141-no-arg-data.json': /only a CPU profile/,
  'chrome-trace/speedscope-te-simple-with-samples.json': /only a CPU profile/,
};

/** Files whose problems must be shown as warnings while the spans still import. */
const MUST_WARN: Record<string, string> = {
  // Was 'cycle'. A span whose parentSpanId is its own spanId is a root (issue 10: a parent link to
  // itself names no parent; OTLP's only rule is "no parent = root"), so the file imports with no
  // structural warning; test/unit/ids.test.ts checks it is a root, not a cycle or an orphan.
  'malformed/ottl-playground-traces-self-parent.json': '',
  'malformed/otlp-desktopviewer-span-anyValue-key.json': 'invalid-value',
  'malformed/otlp-desktopviewer-span-bare-string-value.json': 'invalid-value',
  'malformed/otel-go-instr-otelglobal-traces-redacted-ids-no-times.json': 'non-positive-duration',
  'malformed/chrome-speedscope-simple-partial.json': '',
  'malformed/chrome-speedscope-simple-partial-trailing-comma.json': '',
  'malformed/chrome-speedscope-simple-partial-whitespace.json': '',
};

function allFiles(): string[] {
  return FOLDERS.flatMap((f) => fs.readdirSync(path.join(CORPUS, f)).sort().map((n) => `${f}/${n}`));
}

(HAS_CORPUS ? describe : describe.skip)(`corpus sweep (${HAS_CORPUS ? CORPUS : 'corpus absent: ../shared/corpus not found, sweep SKIPPED'})`, () => {
  for (const rel of HAS_CORPUS ? allFiles() : []) {
    it(rel, () => {
      let result;
      try {
        result = importTraceFile(readBytes(path.join(CORPUS, rel)), { fileName: path.basename(rel) });
      } catch (e) {
        assert.ok(e instanceof ImportError, `threw a non-ImportError: ${e}`);
        assert.strictEqual(e.unexpected, undefined, `an importer crashed: ${e.unexpected}`);
        assert.ok(e.message.length > 10, 'the message says what is wrong');
        if (NO_SPANS[rel]) return assert.match(e.message, NO_SPANS[rel]);
        if (rel in MUST_WARN || !rel.startsWith('malformed/')) assert.fail(`should import, but: ${e.message}`);
        if (MUST_FAIL[rel]) assert.ok(MUST_FAIL[rel](e), `message lacks its location: ${e.message} ${JSON.stringify(e.location)}`);
        return;
      }
      assert.ok(!(rel in MUST_FAIL) && !(rel in NO_SPANS), 'a file that should be refused was accepted');
      assert.ok(result.spanCount > 0, 'imported no spans');
      const code = MUST_WARN[rel];
      if (code) {
        const codes = [...result.warnings, ...result.traces.flatMap((t) => t.warnings)].map((w) => w.code);
        assert.ok(codes.includes(code as never), `expected a ${code} warning, got ${codes.join(', ') || 'none'}`);
      }
    });
  }
});
