// End to end on test/fixtures/ts-app: spans recorded by the real OpenTelemetry JS SDK from the
// compiled app, with code.* pointing at /app/dist/*.js as in a container, resolved against the
// fixture's files through path suffixes and tsc's source maps, checked against truth.json (which
// record.js derived from "// @fn" markers in the .ts sources, not from source maps).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getAttr } from '../../src/core/model/attributes';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { Span } from '../../src/core/model/model';
import { spanCodeInfo } from '../../src/core/source/codeLocation';
import { PathResolver, WorkspaceFileIndex } from '../../src/core/source/pathResolver';
import { SourceLocator } from '../../src/core/source/resolve';
import { SourceMapResolver, SourceMapWarning, SourceReader } from '../../src/core/source/sourceMaps';
import { listWorkspaceFiles, nodePathExistence, nodeSourceReader } from '../../src/cli/nodeFs';
import { FIXTURES } from '../support/paths';
import { ensureSourceMapWasm } from '../support/sourceMapWasm';

const APP = path.join(FIXTURES, 'ts-app');

interface Truth {
  unresolved: number;
  spansWithNewNames: number;
  spansWithDeprecatedNames: number;
  functions: { file: string; function: string; spanName: string; declarationLine: number; spanLine: number; count: number; errors: number }[];
  exception: { spanName: string; throwSite: { file: string; line: number } };
}

const truth: Truth = JSON.parse(fs.readFileSync(path.join(APP, 'truth.json'), 'utf8'));

function loadSpans(): Span[] {
  const file = path.join(APP, 'traces', 'app.otlp.json');
  return importTraceFile(new Uint8Array(fs.readFileSync(file)), { fileName: file }).traces.flatMap((t) => [...t.spans]);
}

function locator(opts: { reader?: SourceReader; files?: string[] } = {}) {
  const warnings: SourceMapWarning[] = [];
  const index = new WorkspaceFileIndex(opts.files ?? listWorkspaceFiles(APP));
  const paths = new PathResolver(index, { folders: [{ name: 'ts-app', path: APP }], fs: nodePathExistence });
  const maps = new SourceMapResolver(opts.reader ?? nodeSourceReader, {
    onWarning: (w) => warnings.push(w),
    resolveSourcePath: (p) => paths.resolveInIndex(p).candidates[0]?.path,
  });
  return { loc: new SourceLocator({ paths, sourceMaps: maps }), warnings, maps };
}

describe('ts-app fixture: container-recorded spans -> TypeScript lines', () => {
  before(() => ensureSourceMapWasm());

  it('the recording has what the issue asks for', () => {
    const spans = loadSpans();
    const withCode = spans.filter((s) => getAttr(s.attributes, 'code.file.path') ?? getAttr(s.attributes, 'code.filepath'));
    assert.ok(withCode.length > 100);
    assert.strictEqual(truth.spansWithNewNames, truth.spansWithDeprecatedNames, 'half new names, half deprecated');
    for (const s of withCode) {
      const p = (getAttr(s.attributes, 'code.file.path') ?? getAttr(s.attributes, 'code.filepath')) as string;
      assert.match(p, /^\/app\/dist\/\w+\.js$/);
    }
    assert.strictEqual(spans.length - withCode.length, truth.unresolved);
  });

  it('every instrumented span opens its .ts file on the withSpan line', async () => {
    const { loc, warnings, maps } = locator();
    const byName = new Map(truth.functions.map((f) => [f.spanName, f]));
    const seen = new Map<string, number>();
    for (const s of loadSpans()) {
      const want = byName.get(s.name);
      const r = await loc.resolveSpan(s);
      if (!want) {
        assert.strictEqual(r.status, 'missing', s.name);
        continue;
      }
      assert.strictEqual(r.status, 'resolved', `${s.name}: ${r.message}`);
      const t = r.targets[0];
      assert.strictEqual(t.path, path.join(APP, want.file).split(path.sep).join('/'), s.name);
      assert.strictEqual(t.line, want.spanLine, `${s.name}: ${r.message}`);
      assert.ok(t.generated && /\/dist\/\w+\.js$/.test(t.generated.path), 'mapped from the compiled file');
      assert.strictEqual(t.outsideWorkspace, false);
      assert.match(r.message, /^code\.(file\.path|filepath)/);
      seen.set(s.name, (seen.get(s.name) ?? 0) + 1);
    }
    assert.deepStrictEqual(
      [...seen.entries()].sort(),
      truth.functions.map((f) => [f.spanName, f.count]).sort(),
    );
    assert.deepStrictEqual(warnings, []);
    maps.dispose();
  });

  it('the exception stack trace maps frame by frame to TypeScript', async () => {
    const { loc, maps } = locator();
    const span = loadSpans().find((s) => s.name === truth.exception.spanName && s.events.length)!;
    const info = spanCodeInfo(span);
    assert.strictEqual(info.stacks.length, 1);
    const stack = info.stacks[0];
    assert.strictEqual(stack.source, 'exception.stacktrace');
    assert.match(stack.stack.message ?? '', /PaymentDeclinedError: card ending 0000 declined/);
    const frames = await loc.resolveStack(stack.stack);
    assert.strictEqual(frames.length, stack.stack.frames.length);
    const first = frames[0];
    assert.strictEqual(first.status, 'resolved', first.message);
    assert.deepStrictEqual([first.targets[0].path, first.targets[0].line], [path.join(APP, truth.exception.throwSite.file), truth.exception.throwSite.line]);
    let inApp = 0;
    stack.stack.frames.forEach((f, i) => {
      if (!f.file.startsWith('/app/dist/')) return;
      inApp++;
      const t = frames[i].targets[0];
      assert.ok(t && /\/ts-app\/src\/\w+\.ts$/.test(t.path), `${f.raw} -> ${frames[i].message}`);
    });
    assert.ok(inApp >= 3, `${inApp} app frames`);
    maps.dispose();
  });

  it('a broken source map: the compiled location, with the reason, warned once', async () => {
    const reader: SourceReader = {
      readFile: async (p) => (p.endsWith('orders.js.map') ? new TextEncoder().encode('{"version":3,"mappings":') : nodeSourceReader.readFile(p)),
    };
    const { loc, warnings, maps } = locator({ reader });
    const spans = loadSpans().filter((s) => s.name === 'place order' || s.name === 'validate order');
    assert.ok(spans.length > 10);
    for (const s of spans) {
      const r = await loc.resolveSpan(s);
      assert.strictEqual(r.status, 'resolved');
      assert.match(r.targets[0].path, /\/dist\/orders\.js$/);
      assert.match(r.targets[0].note ?? '', /source map .*orders\.js\.map is broken: not valid JSON/);
      assert.ok(r.notes.some((n) => /is broken/.test(n)));
    }
    assert.strictEqual(warnings.length, 1);
    assert.strictEqual(warnings[0].kind, 'broken-map');
    maps.dispose();
  });

  it('an unresolvable path says which paths were tried and suggests pathMappings', async () => {
    // A workspace holding only the sources: /app/dist/*.js matches nothing.
    const { loc, maps } = locator({ files: listWorkspaceFiles(path.join(APP, 'src')) });
    const span = loadSpans().find((s) => s.name === 'place order')!;
    const r = await loc.resolveSpan(span);
    assert.strictEqual(r.status, 'not-found');
    assert.match(r.message, /No recorded path matches a file in the workspace \(code\.(file\.path|filepath)/);
    assert.match(r.message, /\/app\/dist\/orders\.js:\d+:\d+: no workspace file ends with orders\.js/);
    assert.match(r.message, /spanlens\.pathMappings/);
    maps.dispose();
  });

  it('a span without code.* explains what is missing', async () => {
    const { loc, maps } = locator();
    const span = loadSpans().find((s) => s.name === 'warm up')!;
    const r = await loc.resolveSpan(span);
    assert.strictEqual(r.status, 'missing');
    assert.match(r.message, /records no source location/);
    assert.ok(r.info.missing!.howToGet.length >= 3);
    maps.dispose();
  });
});
