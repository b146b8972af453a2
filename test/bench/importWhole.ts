// Whole-process import figures (fresh processes, each next to its baseline from the same run):
// `spanlens inspect --json` vs a bare JSON.parse process, per shape; protobuf vs a bare decode;
// the million-span files vs a line-by-line JSON.parse of the JSON Lines file. Peak RSS from
// /usr/bin/time (the whole process), compared with the file size.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';

export const CACHE = process.env.SPANLENS_BENCH_DIR ?? path.join(os.tmpdir(), 'spanlens-bench');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

interface Run {
  s: number;
  rssBytes: number;
}

function timed(args: string[]): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return { s: Number(last[0]), rssBytes: Number(last[1]) * 1024 };
}

const BARE_JSON = (f: string) => ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(f)},'utf8'))`];
const BARE_LINES = (f: string) => [
  '-e',
  `const b=require('fs').readFileSync(${JSON.stringify(f)});let p=0;while(p<b.length){let n=b.indexOf(10,p);if(n<0)n=b.length;if(n>p)JSON.parse(b.toString('utf8',p,n));p=n+1}`,
];
const BARE_PROTO = (f: string) => [path.join(__dirname, 'importChild.js'), f, 'proto-decode'];
const INSPECT = (f: string) => [CLI, 'inspect', '--json', f];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function pair(file: string, base: (f: string) => string[], runs: number): { base: Run; ours: Run; size: number } {
  const b: Run[] = [];
  const o: Run[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(timed(base(file)));
    o.push(timed(INSPECT(file)));
  }
  const m = (xs: Run[]): Run => ({ s: median(xs.map((x) => x.s)), rssBytes: median(xs.map((x) => x.rssBytes)) });
  return { base: m(b), ours: m(o), size: fs.statSync(file).size };
}

const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

export function wholeProcessRows(runs: number, million: boolean): string[][] {
  const gen = spawnSync(process.execPath, ['--max-old-space-size=20000', path.join(__dirname, 'importGenerate.js'), CACHE, million ? 'million' : 'no-million'], { stdio: 'inherit' });
  if (gen.status !== 0) throw new Error('importGenerate failed');
  const rows: string[][] = [];
  const row = (label: string, baseName: string, r: ReturnType<typeof pair>, target: string, rssTarget: string) =>
    rows.push([
      `${label} (${mb(r.size)})`,
      `${baseName}: ${r.base.s.toFixed(2)} s, ${mb(r.base.rssBytes)}`,
      `inspect --json: ${r.ours.s.toFixed(2)} s, ${mb(r.ours.rssBytes)}`,
      `${(r.ours.s / r.base.s).toFixed(2)}× (target ≤ ${target})`,
      `${(r.ours.rssBytes / r.size).toFixed(2)}× file (target ≤ ${rssTarget})`,
    ]);
  for (const shape of ['one-trace-100k', 'traces-10k-x10']) {
    row(`OTLP JSON, ${shape}`, 'bare JSON.parse process', pair(path.join(CACHE, `${shape}.otlp.json`), BARE_JSON, runs), '1.2×', '3×');
    row(`OTLP protobuf, ${shape}`, 'bare decode process', pair(path.join(CACHE, `${shape}.otlp.binpb`), BARE_PROTO, runs), '1.2×', '3×');
  }
  if (million) {
    const lines = path.join(CACHE, 'million.otlp.jsonl');
    const base = timed(BARE_LINES(lines));
    for (const f of ['million.otlp.json', 'million.otlp.jsonl']) {
      const ours = timed(INSPECT(path.join(CACHE, f)));
      const size = fs.statSync(path.join(CACHE, f)).size;
      row(`1M spans, one trace, ${f}`, 'line-by-line JSON.parse of the .jsonl', { base, ours, size }, '1.5×', '2×');
    }
  }
  return rows;
}
