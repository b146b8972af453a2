// Hidden source maps (issue 10): compiled JS with no sourceMappingURL comment but FILE.js.map beside
// it, as esbuild's `sourcemap: 'external'` and webpack's `hidden-source-map` write. Built here by the
// real esbuild, then read through `spanlens stats` and the resolver the editor uses.
import * as assert from 'assert';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runStats, StatsJson } from '../../src/cli/stats';
import { nodeSourceReader } from '../../src/cli/nodeFs';
import { SourceMapResolver, SourceMapWarning } from '../../src/core/source/sourceMaps';
import { ensureSourceMapWasm } from '../support/sourceMapWasm';
import { captureStdio } from '../support/captureStdio';

const TS = [
  'interface Order { id: string; total: number }',
  '',
  'export function placeOrder(order: Order): number {',
  '  // padding so the TypeScript and JavaScript lines differ',
  '  const started: number = Date.now();',
  '  const tax: number = order.total * 0.2;',
  '  return markerPlaceOrder(order.total + tax, started);',
  '}',
  '',
  'function markerPlaceOrder(n: number, t: number): number { return n + t * 0; }',
].join('\n');
const TS_LINE = 7; // the line of the markerPlaceOrder call inside placeOrder

const capture = (args: string[]) => captureStdio(() => runStats(args));

describe('hidden source maps: FILE.js.map beside compiled JS without a sourceMappingURL comment', () => {
  let dir: string;
  let js: string;
  let jsLine: number;

  before(async () => {
    await ensureSourceMapWasm();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-hidden-map-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'orders.ts'), TS);
    js = path.join(dir, 'dist', 'orders.js');
    await esbuild.build({ entryPoints: [path.join(dir, 'src', 'orders.ts')], outfile: js, sourcemap: 'external', format: 'cjs', platform: 'node', logLevel: 'silent' });
    const text = fs.readFileSync(js, 'utf8');
    assert.ok(!/sourceMappingURL/.test(text), 'esbuild external maps carry no comment');
    assert.ok(fs.existsSync(`${js}.map`));
    jsLine = text.split('\n').findIndex((l) => l.includes('return markerPlaceOrder(')) + 1;
    assert.ok(jsLine > 0 && jsLine !== TS_LINE, `the compiled line (${jsLine}) must differ from the TypeScript line`);
    const span = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      name: 'place order',
      kind: 1,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000012000000',
      attributes: [
        { key: 'code.file.path', value: { stringValue: js } },
        { key: 'code.line.number', value: { intValue: String(jsLine) } },
        { key: 'code.function.name', value: { stringValue: 'placeOrder' } },
      ],
    };
    const doc = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeSpans: [{ scope: { name: 't' }, spans: [span] }] }] };
    fs.writeFileSync(path.join(dir, 'trace.otlp.json'), JSON.stringify(doc));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the resolver maps the compiled line to the TypeScript line (the editor\'s resolver, node reader)', async () => {
    const warnings: SourceMapWarning[] = [];
    const r = new SourceMapResolver(nodeSourceReader, { onWarning: (w) => warnings.push(w) });
    const o = await r.originalPosition({ file: js, line: jsLine });
    assert.deepStrictEqual([o.mapped, path.relative(dir, o.file), o.line, o.sourceMap], [true, path.join('src', 'orders.ts'), TS_LINE, `${js}.map`]);
    assert.deepStrictEqual(warnings, []);
    r.dispose();
  });

  it('a reader without exists() finds the map by reading it', async () => {
    const r = new SourceMapResolver({ readFile: (p) => nodeSourceReader.readFile(p) }, {});
    assert.strictEqual((await r.originalPosition({ file: js, line: jsLine })).line, TS_LINE);
    r.dispose();
  });

  it('spanlens stats puts the function on its TypeScript line', async () => {
    const { code, out, err } = await capture([path.join(dir, 'trace.otlp.json'), '--root', dir, '--json']);
    assert.strictEqual(code, 0, err);
    const fns = (JSON.parse(out) as StatsJson).functions;
    assert.deepStrictEqual(fns.map((f) => [f.file.replace(/\\/g, '/').replace(`${dir.replace(/\\/g, '/')}/`, ''), f.line, f.function, f.count]), [['src/orders.ts', TS_LINE, 'placeOrder', 1]]);
  });

  it('with no map beside it, the compiled location stays, with no warning about a missing map', async () => {
    fs.renameSync(`${js}.map`, `${js}.map.off`);
    try {
      const warnings: SourceMapWarning[] = [];
      const r = new SourceMapResolver(nodeSourceReader, { onWarning: (w) => warnings.push(w) });
      const o = await r.originalPosition({ file: js, line: jsLine });
      assert.deepStrictEqual([o.mapped, o.file, o.line], [false, js, jsLine]);
      assert.deepStrictEqual(warnings, []);
      r.dispose();
    } finally {
      fs.renameSync(`${js}.map.off`, `${js}.map`);
    }
  });
});
