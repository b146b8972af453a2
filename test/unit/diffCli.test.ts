// `spanlens diff` end to end on two runs of test/fixtures/diff/app made by the real OpenTelemetry
// JS SDK: compiled with source maps, code.* from real stack frames pointing at /app/dist/*.js,
// resolved to the .ts lines under --root exactly as `spanlens stats` resolves them. The built CLI
// (dist/cli.js) is what runs.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importTraceFile } from '../../src/core/importers/importFile';
import { SPAN_CHANGES, diffTraces } from '../../src/core/diff';
import { parseMinDelta, parseThreshold, type DiffJson } from '../../src/cli/diff';
import { recordRuns, type Recording } from '../fixtures/diff/record';
import { REPO_ROOT } from '../support/paths';

/** The newest modification time of a .ts file under dir. */
function newestTs(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(full));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The built CLI, dist/cli.js. `npm run test:unit` builds only the tests: when dist/cli.js is older
 * than the sources, the CLI is bundled from src with the product settings into a temporary
 * directory instead, so the test never runs a stale build.
 */
function builtCli(tmp: string): string {
  const dist = path.join(REPO_ROOT, 'dist', 'cli.js');
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newestTs(path.join(REPO_ROOT, 'src'))) return dist;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = path.join(tmp, 'cli', 'cli.js');
  esbuild.buildSync({ entryPoints: [path.join(REPO_ROOT, 'src/cli/main.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' });
  fs.copyFileSync(path.join(REPO_ROOT, 'node_modules', 'source-map', 'lib', 'mappings.wasm'), path.join(tmp, 'cli', 'mappings.wasm'));
  return out;
}

describe('spanlens diff on two real-SDK runs of the diff fixture app', function () {
  this.timeout(60_000);
  let rec: Recording;
  let cli: string;
  let tmp: string;

  before(() => {
    rec = recordRuns(3);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-diffcli-'));
    cli = builtCli(tmp);
  });
  after(() => {
    rec?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'diff', ...args], { encoding: 'utf8' });
  const json = (...args: string[]) => {
    const r = run(rec.baseline, rec.candidate, '--root', rec.appDir, '--json', ...args);
    return { r, doc: r.stdout ? (JSON.parse(r.stdout) as DiffJson) : undefined };
  };

  it('the recording points code.* at the compiled JS, as a container would', () => {
    assert.deepStrictEqual(rec.recordedFiles, ['/app/dist/cart.js', '/app/dist/pricing.js', '/app/dist/shop.js']);
    assert.ok(rec.markers.length >= 8);
  });

  it('--json: each function regressed / improved / added / removed / unchanged, with its .ts file and line', () => {
    const { r, doc } = json();
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(r.stderr, '');
    assert.strictEqual(r.stdout.trim().split('\n').length, 1, 'exactly one JSON object');
    assert.ok(doc);
    assert.deepStrictEqual(Object.keys(doc), ['threshold', 'minDeltaMs', 'functions', 'regressions']);
    assert.deepStrictEqual([doc.threshold, doc.minDeltaMs, doc.regressions], [0.2, 1, 1]);
    const expected: Record<string, string> = {
      computeTax: 'regressed',
      loadCart: 'improved',
      recordAnalytics: 'added',
      applyCoupon: 'removed',
      reserveStock: 'unchanged', // exactly +20%
      chargeCard: 'unchanged', // +12.5%
      formatReceipt: 'unchanged', // +150%, 0.3 ms
      priceItem: 'unchanged', // 40 calls a cart against 38, same time each
    };
    const fns = doc.functions.filter((f) => f.file !== null);
    assert.deepStrictEqual(Object.fromEntries(fns.map((f) => [f.function, f.change])), expected);
    for (const f of fns) {
      const m = rec.markers.find((x) => x.function === f.function)!;
      assert.deepStrictEqual([f.file, f.line, f.service, f.operation], [m.file, m.spanLine, 'shop', m.spanName], f.function);
      assert.deepStrictEqual(Object.keys(f), ['function', 'file', 'line', 'service', 'operation', 'baseline', 'candidate', 'deltaP50Ms', 'deltaP95Ms', 'change']);
    }
    const byName = new Map(doc.functions.map((f) => [f.function, f]));
    assert.deepStrictEqual(byName.get('computeTax')!.baseline, { count: 3, p50Ms: 5, p95Ms: 5, errors: 0 });
    assert.deepStrictEqual(byName.get('computeTax')!.candidate, { count: 3, p50Ms: 9, p95Ms: 9, errors: 0 });
    assert.deepStrictEqual([byName.get('computeTax')!.deltaP50Ms, byName.get('loadCart')!.deltaP50Ms], [4, -6]);
    assert.deepStrictEqual([byName.get('priceItem')!.baseline!.count, byName.get('priceItem')!.candidate!.count], [120, 114]);
    assert.deepStrictEqual([byName.get('recordAnalytics')!.baseline, byName.get('applyCoupon')!.candidate], [null, null]);
    // Spans without a code location: compared by operation, file and line null, function = operation = span name.
    const ops = doc.functions.filter((f) => f.file === null).map((f) => [f.function, f.operation, f.line, f.service, f.change]);
    assert.deepStrictEqual(ops, [
      ['POST /checkout', 'POST /checkout', null, 'shop', 'unchanged'],
      ['SELECT cart_items', 'SELECT cart_items', null, 'shop', 'unchanged'],
    ]);
    // Order: regressed, improved, added, removed, then unchanged.
    assert.deepStrictEqual(doc.functions.slice(0, 4).map((f) => f.function), ['computeTax', 'loadCart', 'recordAnalytics', 'applyCoupon']);
    assert.ok(doc.functions.slice(4).every((f) => f.change === 'unchanged'));
  });

  it('--path-map resolves the container paths the same way', () => {
    const plain = json().doc!;
    const mapped = json('--path-map', '/app/*=${workspaceFolder}/*').doc!;
    assert.deepStrictEqual(mapped, plain);
  });

  it('--fail-on-regression exits 1 when something regressed, 0 when nothing did', () => {
    const failed = json('--fail-on-regression');
    assert.strictEqual(failed.r.status, 1);
    assert.strictEqual(failed.doc!.regressions, 1, 'the report is still printed');
    // +80% / +4 ms: not a regression under a 100% threshold or a 5 ms floor.
    for (const opt of [['--threshold', '100%'], ['--min-delta', '5ms'], ['--threshold', '0.9']]) {
      const ok = json('--fail-on-regression', ...opt);
      assert.strictEqual(ok.r.status, 0, opt.join(' '));
      assert.strictEqual(ok.doc!.regressions, 0);
    }
    // A 4 ms floor still counts the 4 ms regression; 300us makes formatReceipt's +0.3 ms count.
    const floors = json('--min-delta', '300us');
    const byName = new Map(floors.doc!.functions.map((f) => [f.function, f.change]));
    assert.deepStrictEqual([floors.doc!.minDeltaMs, byName.get('computeTax'), byName.get('formatReceipt')], [0.3, 'regressed', 'regressed']);
    // Swapped: the candidate is the baseline. computeTax improves, loadCart regresses.
    const swapped = run(rec.candidate, rec.baseline, '--root', rec.appDir, '--json', '--fail-on-regression');
    assert.strictEqual(swapped.status, 1);
    const sw = JSON.parse(swapped.stdout) as DiffJson;
    assert.deepStrictEqual(sw.functions.slice(0, 4).map((f) => `${f.function}:${f.change}`), ['loadCart:regressed', 'computeTax:improved', 'applyCoupon:added', 'recordAnalytics:removed']);
  });

  it('prints a table: regressions first, then improvements, added, removed; unchanged as a count', () => {
    const r = run(rec.baseline, rec.candidate, '--root', rec.appDir);
    assert.strictEqual(r.status, 0, r.stderr);
    const out = r.stdout;
    const at = (s: string) => out.indexOf(s);
    assert.ok(at('Regressed:') > 0 && at('Regressed:') < at('Improved:') && at('Improved:') < at('Added') && at('Added') < at('Removed'), out);
    assert.match(out, /computeTax\s+src\/pricing\.ts:\d+\s+3 → 3\s+5 ms → 9 ms\s+\+4 ms\s+\+80%/);
    assert.match(out, /\n6 unchanged\n?$/);
    assert.doesNotMatch(out, /priceItem/, 'unchanged groups are only counted');
  });

  it('exits 2 on an unreadable file, with one line on stderr naming it and no stack', () => {
    const missing = run(path.join(tmp, 'nope.json'), rec.candidate, '--root', rec.appDir);
    assert.strictEqual(missing.status, 2);
    assert.strictEqual(missing.stderr.trim().split('\n').length, 1, missing.stderr);
    assert.match(missing.stderr, /^spanlens: .*nope\.json: cannot read: no such file\n$/);
    const notTrace = path.join(tmp, 'notes.json');
    fs.writeFileSync(notTrace, '{"hello": "world"}');
    const broken = run(rec.baseline, notTrace, '--root', rec.appDir, '--json');
    assert.strictEqual(broken.status, 2);
    assert.strictEqual(broken.stderr.trim().split('\n').length, 1, broken.stderr);
    assert.match(broken.stderr, /notes\.json: /);
    assert.doesNotMatch(broken.stderr, /\n\s+at /);
    assert.strictEqual(broken.stdout, '');
  });

  it('exits 1 with a message on bad option values and usage errors', () => {
    for (const [args, msg] of [
      [['--threshold', 'lots'], /--threshold takes a percentage or a fraction/],
      [['--threshold', '20'], /a bare number is a fraction/],
      [['--min-delta', '5'], /--min-delta takes a duration with a unit/],
      [['--min-delta=-1ms'], /--min-delta takes a duration/],
      [['--min-delta', '-1ms'], /--min-delta/],
      [['--min-delta', '1h'], /--min-delta/],
    ] as const) {
      const r = run(rec.baseline, rec.candidate, '--root', rec.appDir, ...args);
      assert.strictEqual(r.status, 1, args.join(' '));
      assert.match(r.stderr, msg);
      assert.strictEqual(r.stderr.trim().split('\n').length, 1);
    }
    const one = run(rec.baseline);
    assert.strictEqual(one.status, 1);
    assert.match(one.stderr, /diff takes exactly two trace files/);
  });

  it('diffTraces on one request of each run: the 40 vs 38 priceItem loop, added and removed spans', () => {
    const load = (f: string) => importTraceFile(new Uint8Array(fs.readFileSync(f)), { fileName: f }).traces;
    const [b] = load(rec.baseline);
    const [c] = load(rec.candidate);
    assert.notStrictEqual(b.traceId, c.traceId);
    const d = diffTraces(b, c);
    const rows = [...Array(d.rowCount).keys()];
    const nameOf = (r: number) => (d.baselineSpan[r] >= 0 ? b.spans[d.baselineSpan[r]] : c.spans[d.candidateSpan[r]]).name;
    const of = (name: string) => rows.filter((r) => nameOf(r) === name).map((r) => SPAN_CHANGES[d.change[r]]);
    assert.deepStrictEqual(of('price item'), [...Array(38).fill('unchanged'), 'removed', 'removed']);
    assert.deepStrictEqual(of('compute tax'), ['slower']);
    assert.deepStrictEqual(of('load cart'), ['faster']);
    assert.deepStrictEqual(of('apply coupon'), ['removed']);
    assert.deepStrictEqual(of('record analytics'), ['added']);
    assert.deepStrictEqual(of('format receipt'), ['unchanged']);
    assert.deepStrictEqual(of('POST /checkout'), ['unchanged']);
    assert.deepStrictEqual(d.counts, { added: 1, removed: 3, slower: 1, faster: 1, unchanged: d.rowCount - 6 });
    assert.strictEqual(d.changedDescendants[0], 6);
    assert.strictEqual(d.onBaselineCriticalPath[0], 1);
    assert.strictEqual(d.onCandidateCriticalPath[0], 1);
  });
});

describe('spanlens diff option values', () => {
  it('--threshold: "20%" or "0.2"', () => {
    assert.strictEqual(parseThreshold('20%'), 0.2);
    assert.strictEqual(parseThreshold('0.2'), 0.2);
    assert.strictEqual(parseThreshold('150%'), 1.5);
    assert.strictEqual(parseThreshold('0'), 0);
    assert.throws(() => parseThreshold('x'));
    assert.throws(() => parseThreshold('-5%'));
  });

  it('--min-delta: "1ms", "500us", "0.5ms"', () => {
    assert.strictEqual(parseMinDelta('1ms'), 1e6);
    assert.strictEqual(parseMinDelta('500us'), 500e3);
    assert.strictEqual(parseMinDelta('500µs'), 500e3);
    assert.strictEqual(parseMinDelta('0.5ms'), 0.5e6);
    assert.strictEqual(parseMinDelta('2s'), 2e9);
    assert.strictEqual(parseMinDelta('0'), 0);
    assert.throws(() => parseMinDelta('1'));
    assert.throws(() => parseMinDelta('ms'));
  });
});
