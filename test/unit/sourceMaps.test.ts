import * as assert from 'assert';
import { SourceMapGenerator } from 'source-map';
import { SourceMapResolver, SourceMapWarning, findSourceMappingUrl, validateRawMap } from '../../src/core/source/sourceMaps';
import { ensureSourceMapWasm } from '../support/sourceMapWasm';

/** An in-memory file system that counts reads. */
class MemFs {
  readonly files = new Map<string, string>();
  readonly reads: string[] = [];
  readonly readFile = async (p: string): Promise<Uint8Array | undefined> => {
    this.reads.push(p);
    const t = this.files.get(p);
    return t === undefined ? undefined : new TextEncoder().encode(t);
  };
}

const TS_LINES = 40;
const tsSource = Array.from({ length: TS_LINES }, (_, i) => `// line ${i + 1}`).join('\n') + '\n';
const JS = ['"use strict";', 'function placeOrder() {', '    return withSpan("place order", async () => {});', '}', 'exports.placeOrder = placeOrder;'];

/** A map for JS: line 2 col 0 -> ts 10:0, line 3 col 4 -> ts 11:2 (name withSpan), line 3 col 11 -> ts 11:9. */
function makeMap(sources: string[], opts: { sourceRoot?: string; content?: boolean } = {}): string {
  const g = new SourceMapGenerator({ file: 'orders.js', sourceRoot: opts.sourceRoot });
  const src = sources[0];
  g.addMapping({ generated: { line: 2, column: 0 }, original: { line: 10, column: 0 }, source: src });
  g.addMapping({ generated: { line: 3, column: 4 }, original: { line: 11, column: 2 }, source: src, name: 'withSpan' });
  g.addMapping({ generated: { line: 3, column: 11 }, original: { line: 11, column: 9 }, source: src });
  if (opts.content) g.setSourceContent(src, tsSource);
  return g.toString();
}

function resolver(fs: MemFs, extra: { maxConsumers?: number; resolveSourcePath?: (p: string) => string | undefined } = {}) {
  const warnings: SourceMapWarning[] = [];
  const r = new SourceMapResolver({ readFile: fs.readFile }, { onWarning: (w) => warnings.push(w), ...extra });
  return { r, warnings };
}

const JS_WITH_URL = (url: string) => JS.join('\n') + `\n//# sourceMappingURL=${url}`;

describe('source maps: compiled JS -> original source', () => {
  before(() => ensureSourceMapWasm());

  it('maps through a map file next to the JS, converting 1-based columns both ways', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/orders.js', JS_WITH_URL('orders.js.map'));
    fs.files.set('/ws/dist/orders.js.map', makeMap(['../src/orders.ts']));
    fs.files.set('/ws/src/orders.ts', tsSource);
    const { r, warnings } = resolver(fs);
    // JS column 12 (1-based) = 11 (0-based) -> ts 11:9 (0-based) = 11:10 (1-based)
    const o = await r.originalPosition({ file: '/ws/dist/orders.js', line: 3, column: 12 });
    assert.deepStrictEqual(
      { file: o.file, line: o.line, column: o.column, mapped: o.mapped, generated: o.generated, map: o.sourceMap },
      { file: '/ws/src/orders.ts', line: 11, column: 10, mapped: true, generated: { file: '/ws/dist/orders.js', line: 3, column: 12 }, map: '/ws/dist/orders.js.map' },
    );
    // Column 5 (0-based 4) hits the "withSpan" mapping exactly; column 8 falls back to the mapping before it.
    assert.deepStrictEqual(await pos(r, 3, 5), ['/ws/src/orders.ts', 11, 3]);
    assert.strictEqual((await r.originalPosition({ file: '/ws/dist/orders.js', line: 3, column: 5 })).name, 'withSpan');
    assert.deepStrictEqual(await pos(r, 3, 8), ['/ws/src/orders.ts', 11, 3]);
    // Before the first mapping of a line: the next mapping on that line.
    assert.deepStrictEqual(await pos(r, 3, 1), ['/ws/src/orders.ts', 11, 3]);
    // No column (code.lineno only): the first mapping on the line.
    assert.deepStrictEqual(await pos(r, 2, undefined), ['/ws/src/orders.ts', 10, 1]);
    assert.deepStrictEqual(warnings, []);
  });

  it('leaves lines without mappings, non-JS files and files without a map where they are', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/orders.js', JS_WITH_URL('orders.js.map'));
    fs.files.set('/ws/dist/orders.js.map', makeMap(['../src/orders.ts']));
    fs.files.set('/ws/src/orders.ts', tsSource);
    fs.files.set('/ws/dist/plain.js', JS.join('\n'));
    const { r, warnings } = resolver(fs);
    const unmapped = await r.originalPosition({ file: '/ws/dist/orders.js', line: 5, column: 1 });
    assert.strictEqual(unmapped.mapped, false);
    assert.match(unmapped.note ?? '', /line 5 of orders\.js has no source mapping/);
    const ts = await r.originalPosition({ file: '/ws/src/orders.ts', line: 3 });
    assert.deepStrictEqual([ts.file, ts.line, ts.mapped, ts.note], ['/ws/src/orders.ts', 3, false, undefined]);
    assert.ok(!fs.reads.includes('/ws/src/orders.ts') || fs.reads.filter((x) => x === '/ws/src/orders.ts').length === 0);
    const plain = await r.originalPosition({ file: '/ws/dist/plain.js', line: 2, column: 1 });
    assert.deepStrictEqual([plain.mapped, plain.note], [false, undefined]);
    assert.deepStrictEqual(warnings, []);
  });

  it('reads inline base64 and percent-encoded data: URL maps', async () => {
    const fs = new MemFs();
    const map = makeMap(['../src/orders.ts']);
    fs.files.set('/ws/dist/orders.js', JS_WITH_URL(`data:application/json;charset=utf-8;base64,${Buffer.from(map).toString('base64')}`));
    fs.files.set('/ws/dist/pct.js', JS_WITH_URL(`data:application/json,${encodeURIComponent(map)}`));
    fs.files.set('/ws/src/orders.ts', tsSource);
    const { r, warnings } = resolver(fs);
    const o = await r.originalPosition({ file: '/ws/dist/orders.js', line: 3, column: 12 });
    assert.deepStrictEqual([o.file, o.line, o.column, o.sourceMap], ['/ws/src/orders.ts', 11, 10, 'inline map in /ws/dist/orders.js']);
    const p = await r.originalPosition({ file: '/ws/dist/pct.js', line: 2 });
    assert.deepStrictEqual([p.file, p.line], ['/ws/src/orders.ts', 10]);
    assert.deepStrictEqual(warnings, []);
  });

  it('applies sourceRoot and resolves webpack:// sources against the project', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/a.js', JS_WITH_URL('a.js.map'));
    fs.files.set('/ws/dist/a.js.map', makeMap(['orders.ts'], { sourceRoot: '../src/' }));
    fs.files.set('/ws/dist/b.js', JS_WITH_URL('b.js.map'));
    fs.files.set('/ws/dist/b.js.map', makeMap(['webpack://shop/./src/orders.ts']));
    fs.files.set('/ws/dist/c.js', JS_WITH_URL('c.js.map'));
    fs.files.set('/ws/dist/c.js.map', makeMap(['webpack:///./src/orders.ts']));
    fs.files.set('/ws/src/orders.ts', tsSource);
    const { r, warnings } = resolver(fs);
    for (const f of ['a', 'b', 'c']) {
      assert.deepStrictEqual(await pos(r, 3, 12, `/ws/dist/${f}.js`), ['/ws/src/orders.ts', 11, 10], f);
    }
    assert.deepStrictEqual(warnings, []);

    // With a resolver hook (the host's path index) a webpack source lands wherever the workspace has it.
    const fs2 = new MemFs();
    fs2.files.set('/ws/web/build/static/js/main.js', JS_WITH_URL('main.js.map'));
    fs2.files.set('/ws/web/build/static/js/main.js.map', makeMap(['webpack://shop/./src/orders.ts']));
    fs2.files.set('/ws/web/src/orders.ts', tsSource);
    const asked: string[] = [];
    const { r: r2 } = resolver(fs2, { resolveSourcePath: (p) => (asked.push(p), p === 'src/orders.ts' ? '/ws/web/src/orders.ts' : undefined) });
    assert.deepStrictEqual(await pos(r2, 3, 12, '/ws/web/build/static/js/main.js'), ['/ws/web/src/orders.ts', 11, 10]);
    assert.deepStrictEqual(asked, ['src/orders.ts']);
  });

  it('uses sourcesContent when the source is not on disk, and warns when neither exists', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/with.js', JS_WITH_URL('with.js.map'));
    fs.files.set('/ws/dist/with.js.map', makeMap(['/build/src/gone.ts'], { content: true }));
    fs.files.set('/ws/dist/without.js', JS_WITH_URL('without.js.map'));
    fs.files.set('/ws/dist/without.js.map', makeMap(['/build/src/gone.ts']));
    const { r, warnings } = resolver(fs);
    const embedded = await r.originalPosition({ file: '/ws/dist/with.js', line: 3, column: 12 });
    assert.deepStrictEqual([embedded.file, embedded.line, embedded.mapped, embedded.hasEmbeddedContent], ['/build/src/gone.ts', 11, true, true]);
    assert.strictEqual(await r.sourceContent(embedded.generated!, embedded.file), tsSource);
    for (let line = 2; line <= 3; line++) {
      const o = await r.originalPosition({ file: '/ws/dist/without.js', line, column: 1 });
      assert.deepStrictEqual([o.file, o.line, o.mapped], ['/ws/dist/without.js', line, false]);
      assert.match(o.note ?? '', /points at file:\/\/\/build\/src\/gone\.ts, which is neither in the workspace nor embedded in the map \(no sourcesContent\)/);
    }
    assert.deepStrictEqual(warnings.map((w) => w.kind), ['missing-source']);
  });

  it('a broken map warns once and falls back to the JS location', async () => {
    const cases: [string, string, RegExp][] = [
      ['json', '{"version":3,"sources":["a.ts"],', /is broken: not valid JSON/],
      ['version', JSON.stringify({ version: 2, sources: ['a.ts'], names: [], mappings: 'AAAA' }), /is broken: unsupported version 2/],
      ['mappings', JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA;!!!;%%%' }), /is broken: its mappings cannot be parsed/],
      ['shape', JSON.stringify({ version: 3, sources: 'a.ts', mappings: 'AAAA' }), /is broken: "sources" is not an array/],
      ['sourceIndex', JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA;AKAA' }), /is broken|no source mapping/],
    ];
    for (const [name, map, re] of cases) {
      const fs = new MemFs();
      fs.files.set('/ws/dist/x.js', JS_WITH_URL('x.js.map'));
      fs.files.set('/ws/dist/x.js.map', map);
      fs.files.set('/ws/dist/a.ts', tsSource);
      const { r, warnings } = resolver(fs);
      const results = [];
      for (const line of [1, 2, 3, 2]) results.push(await r.originalPosition({ file: '/ws/dist/x.js', line, column: 1 }));
      for (const [i, o] of results.entries()) {
        if (name === 'sourceIndex' && o.mapped) continue; // line 1 is fine in that map
        assert.strictEqual(o.mapped, false, `${name} #${i}`);
        assert.strictEqual(o.file, '/ws/dist/x.js');
        assert.match(o.note ?? '', re, name);
      }
      assert.ok(warnings.length <= 1, `${name}: ${warnings.length} warnings`);
      if (name !== 'sourceIndex') {
        assert.strictEqual(warnings.length, 1, name);
        assert.strictEqual(warnings[0].kind, 'broken-map');
        assert.match(warnings[0].message, re);
        assert.match(warnings[0].message, /showing compiled locations/);
      }
    }
  });

  it('a missing map file warns once; URL maps are not fetched', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/x.js', JS_WITH_URL('x.js.map'));
    fs.files.set('/ws/dist/y.js', JS_WITH_URL('https://cdn.example.com/y.js.map'));
    const { r, warnings } = resolver(fs);
    for (const line of [1, 2, 3]) assert.strictEqual((await r.originalPosition({ file: '/ws/dist/x.js', line })).mapped, false);
    assert.strictEqual((await r.originalPosition({ file: '/ws/dist/y.js', line: 1 })).mapped, false);
    assert.deepStrictEqual(warnings.map((w) => [w.kind, w.message]), [
      ['missing-map', 'source map /ws/dist/x.js.map does not exist or cannot be read; showing compiled locations'],
      ['missing-map', '/ws/dist/y.js names its source map by URL (https://cdn.example.com/y.js.map); only files and inline maps are read'],
    ]);
  });

  it('guards against lines out of range (workspace copy differs from what ran, map out of step)', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/orders.js', JS_WITH_URL('orders.js.map'));
    fs.files.set('/ws/dist/orders.js.map', makeMap(['../src/orders.ts']));
    fs.files.set('/ws/src/orders.ts', '// short\n// file\n');
    const { r, warnings } = resolver(fs);
    const past = await r.originalPosition({ file: '/ws/dist/orders.js', line: 400 });
    assert.strictEqual(past.mapped, false);
    assert.match(past.note ?? '', /has 6 lines but the trace points at line 400/);
    const short = await r.originalPosition({ file: '/ws/dist/orders.js', line: 3, column: 12 });
    assert.strictEqual(short.mapped, false);
    assert.match(short.note ?? '', /maps line 3 to line 11 of \/ws\/src\/orders\.ts, which has 2 lines/);
    assert.deepStrictEqual(warnings.map((w) => w.kind), ['out-of-range', 'out-of-range']);
  });

  it('keeps a bounded number of consumers, reloading evicted ones, and stops after dispose()', async () => {
    const fs = new MemFs();
    for (const f of ['a', 'b', 'c']) {
      fs.files.set(`/ws/dist/${f}.js`, JS_WITH_URL(`${f}.js.map`));
      fs.files.set(`/ws/dist/${f}.js.map`, makeMap([`../src/${f}.ts`]));
      fs.files.set(`/ws/src/${f}.ts`, tsSource);
    }
    const { r, warnings } = resolver(fs, { maxConsumers: 1 });
    // Concurrent lookups across three maps with room for one consumer.
    const all = await Promise.all(
      ['a', 'b', 'c', 'a', 'b', 'c'].flatMap((f, i) => [r.originalPosition({ file: `/ws/dist/${f}.js`, line: 2 + (i % 2), column: 12 })]),
    );
    assert.deepStrictEqual(
      all.map((o) => [o.file, o.line]),
      [['/ws/src/a.ts', 10], ['/ws/src/b.ts', 11], ['/ws/src/c.ts', 10], ['/ws/src/a.ts', 11], ['/ws/src/b.ts', 10], ['/ws/src/c.ts', 11]],
    );
    assert.deepStrictEqual(warnings, []);
    r.dispose();
    const after = await r.originalPosition({ file: '/ws/dist/a.js', line: 2, column: 1 });
    assert.deepStrictEqual([after.file, after.mapped], ['/ws/dist/a.js', false]);
  });

  it('answers synchronously once the map is loaded (originalPositionSync)', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/orders.js', JS_WITH_URL('orders.js.map'));
    fs.files.set('/ws/dist/orders.js.map', makeMap(['../src/orders.ts']));
    fs.files.set('/ws/src/orders.ts', tsSource);
    const { r } = resolver(fs);
    assert.strictEqual(r.originalPositionSync({ file: '/ws/dist/orders.js', line: 3, column: 12 }), undefined, 'nothing read yet');
    await r.originalPosition({ file: '/ws/dist/orders.js', line: 2 });
    const o = r.originalPositionSync({ file: '/ws/dist/orders.js', line: 3, column: 12 });
    assert.deepStrictEqual([o?.file, o?.line, o?.column], ['/ws/src/orders.ts', 11, 10]);
    assert.strictEqual(r.originalPositionSync({ file: '/ws/src/orders.ts', line: 3 })?.mapped, false, 'not compiled: answered at once');
  });

  it('maps a list of stack frames', async () => {
    const fs = new MemFs();
    fs.files.set('/ws/dist/orders.js', JS_WITH_URL('orders.js.map'));
    fs.files.set('/ws/dist/orders.js.map', makeMap(['../src/orders.ts']));
    fs.files.set('/ws/src/orders.ts', tsSource);
    const { r } = resolver(fs);
    const out = await r.mapFrames([
      { file: '/ws/dist/orders.js', line: 3, column: 12 },
      { file: 'node:internal/process/task_queues', line: 105, column: 5 },
    ]);
    assert.deepStrictEqual(out.map((o) => [o.file, o.line, o.mapped]), [
      ['/ws/src/orders.ts', 11, true],
      ['node:internal/process/task_queues', 105, false],
    ]);
  });

  it('finds the sourceMappingURL comment only at the end of the file', () => {
    assert.strictEqual(findSourceMappingUrl('x;\n//# sourceMappingURL=a.js.map\n'), 'a.js.map');
    assert.strictEqual(findSourceMappingUrl('x;\n//@ sourceMappingURL=old.map'), 'old.map');
    assert.strictEqual(findSourceMappingUrl('x;\n/*# sourceMappingURL=a.css.map */'), 'a.css.map');
    assert.strictEqual(findSourceMappingUrl('//# sourceMappingURL=early.map\nconsole.log(1);'), undefined);
    assert.strictEqual(findSourceMappingUrl('const s = "//# sourceMappingURL=fake.map";'), undefined);
    assert.strictEqual(validateRawMap({ version: 3, sections: [{ offset: { line: 0, column: 0 }, map: { version: 3, sources: [], mappings: '' } }] }), undefined);
    assert.match(validateRawMap([]) ?? '', /not a JSON object/);
  });
});

async function pos(r: SourceMapResolver, line: number, column: number | undefined, file = '/ws/dist/orders.js') {
  const o = await r.originalPosition({ file, line, column });
  assert.ok(o.mapped, `not mapped: ${o.note}`);
  return [o.file, o.line, o.column];
}
