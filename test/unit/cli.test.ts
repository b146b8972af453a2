// The `spanlens` CLI as a user runs it: the built dist/cli.js in a child process.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORPUS, FIXTURES, HAS_CORPUS, REPO_ROOT } from '../support/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface TruthTrace {
  traceId: string;
  spanCount: number;
  rootName: string;
  services: string[];
  errorCount: number;
}

describe('spanlens CLI', function () {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.js" first`);
  });

  (HAS_CORPUS ? describe : describe.skip)('inspect --json agrees with the independent ground truth (test/tools/corpus_truth.py)', () => {
    const truth: Record<string, { traceCount: number; spanCount: number; traces: TruthTrace[] }> = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, 'corpus-truth.json'), 'utf8'),
    );
    for (const [rel, want] of Object.entries(truth)) {
      it(rel, () => {
        const r = run('inspect', path.join(CORPUS, rel), '--json');
        assert.strictEqual(r.code, 0, r.stderr);
        const got = JSON.parse(r.stdout);
        assert.strictEqual(got.traceCount, want.traceCount, 'trace count');
        assert.strictEqual(got.spanCount, want.spanCount, 'span count');
        const byId = new Map<string, TruthTrace>(got.traces.map((t: TruthTrace) => [t.traceId, t]));
        for (const w of want.traces) {
          const g = byId.get(w.traceId);
          assert.ok(g, `trace ${w.traceId} missing; have ${[...byId.keys()].join(', ')}`);
          assert.deepStrictEqual(
            { spanCount: g.spanCount, rootName: g.rootName, services: g.services, errorCount: g.errorCount },
            { spanCount: w.spanCount, rootName: w.rootName, services: w.services, errorCount: w.errorCount },
            `trace ${w.traceId}`,
          );
        }
      });
    }
  });

  it('exits 2 with one line naming the file and the position for a broken file, without a stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-cli-'));
    const bad = path.join(dir, 'bad.otlp.json');
    fs.writeFileSync(bad, '{"resourceSpans": [\n  {"resource": {}},\n  oops\n]}');
    const r = run('inspect', bad, '--json');
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.strictEqual(lines.length, 1, r.stderr);
    assert.match(lines[0], /bad\.otlp\.json: invalid JSON: .*line 3, column 3/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('exits 2 for a missing file and for an empty file', () => {
    assert.strictEqual(run('inspect', '/nonexistent/x.json').code, 2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-cli-'));
    fs.writeFileSync(path.join(dir, 'empty.json'), '');
    const r = run('inspect', path.join(dir, 'empty.json'));
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /empty/);
  });

  it('refuses files over the size limit and names the option that raises it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-cli-'));
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x20));
    const r = run('inspect', big, '--max-file-mb', '1');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /over the 1 MB limit.*--max-file-mb/);
  });

  it('converts to OTLP JSON, OTLP JSON Lines and Chrome, and the results open again with the same spans', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-cli-'));
    const src = path.join(FIXTURES, 'ts-app', 'traces', 'app.otlp.json');
    const before = JSON.parse(run('inspect', src, '--json').stdout);
    for (const to of ['otlp-json', 'otlp-jsonl', 'chrome']) {
      const out = path.join(dir, `out.${to}.json`);
      const r = run('convert', src, '--to', to, '-o', out);
      assert.strictEqual(r.code, 0, r.stderr);
      const after = JSON.parse(run('inspect', out, '--json').stdout);
      assert.strictEqual(after.format, to === 'chrome' ? 'chrome' : to);
      if (to !== 'chrome') {
        assert.strictEqual(after.spanCount, before.spanCount);
        assert.deepStrictEqual(after.traces.map((t: TruthTrace) => t.rootName), before.traces.map((t: TruthTrace) => t.rootName));
      } else {
        // Threads (lanes) are not spans: the same spans come back.
        assert.strictEqual(after.spanCount, before.spanCount);
      }
    }
    assert.strictEqual(run('convert', src, '--to', 'svg').code, 1);
  });

  it('rejects unknown commands and options with usage', () => {
    assert.strictEqual(run('frobnicate', 'x').code, 1);
    assert.strictEqual(run('inspect', 'x', '--bogus').code, 1);
  });
});
