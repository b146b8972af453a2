// Benchmarks of trace and run comparison (issue 11), each next to a baseline from the same run:
//  - diffTraces on two 100k-span traces made by the real OTel SDK (test/support/generate.ts):
//    (a) the same code measured twice: the candidate is the baseline with every 10th span 30%
//        slower and 1% of the leaves gone (the common CI case: mostly matched rows);
//    (b) two unrelated trees (different seeds: the matching does the most work, mostly
//        added/removed rows);
//    next to JSON.parse of the OTLP file and one buildTrace pass over the same spans.
//  - diffRuns with groups: a LatencyIndex per run (the CodeLens index; resolved sites and
//    operation tallies), runGroups and diffRuns, next to building one such index (what the CodeLens
//    costs already); runGroups + diffRuns alone on built indexes; diffRuns on 20k groups a side.
// Run: node esbuild.js --tests && node dist/test/bench/diffBench.js   (SPANLENS_BENCH_SPANS, SPANLENS_BENCH_RUNS)
import * as v8 from 'v8';
import * as vm from 'vm';
import type { Span, Trace } from '../../src/core/model/model';
import { buildTrace } from '../../src/core/model/trace';
import { criticalPath } from '../../src/core/analysis/criticalPath';
import { plainSpan } from '../../src/core/model/plainSpan';
import { importTraceFile } from '../../src/core/importers/importFile';
import { LatencyIndex } from '../../src/core/source/stats';
import type { RawCodeSite } from '../../src/core/source/codeLocation';
import { diffRuns, diffTraces, runGroups, type RunGroup } from '../../src/core/diff';
import { generateSpans, toOtlpJsonBytes } from '../support/generate';

const SPANS = Number(process.env.SPANLENS_BENCH_SPANS ?? 100_000);
const RUNS = Number(process.env.SPANLENS_BENCH_RUNS ?? 5);

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

// A full collection before each timed run (not timed), so one run does not pay for the last one's garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < RUNS; i++) {
    value = undefined as T;
    gc();
    const t0 = performance.now();
    value = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), value };
}

function load(seed: number): { bytes: Uint8Array; trace: Trace } {
  const bytes = toOtlpJsonBytes(generateSpans({ spans: SPANS, attributesPerSpan: 10, services: 6, seed }));
  const file = importTraceFile(bytes, { fileName: `seed-${seed}.otlp.json` });
  return { bytes, trace: file.traces[0] };
}

/** The baseline's spans with every 10th span 30% longer and 1% of the leaves dropped. */
function perturb(t: Trace): Trace {
  const spans: Span[] = [];
  for (let i = 0; i < t.spans.length; i++) {
    const s = t.spans[i];
    if (t.children[i].length === 0 && i % 100 === 7) continue;
    if (i % 10 === 3) {
      const d = s.endTimeUnixNano - s.startTimeUnixNano;
      spans.push({ ...plainSpan(s), endTimeUnixNano: s.endTimeUnixNano + (d * 3n) / 10n }); // importer spans are lazy: copy fields, not getters
    } else spans.push(s);
  }
  return buildTrace(t.traceId, spans);
}

/** As `spanlens stats` without a workspace: any recorded file is a site (the stack-trace frames of error spans). */
const resolveAll = (raw: RawCodeSite) => (raw.file ? { file: raw.file, line: raw.line, function: raw.function ?? raw.spanName } : undefined);

function syntheticGroups(n: number, seed: number): RunGroup[] {
  let x = seed;
  const rand = () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => {
    const p50 = 1 + rand() * 50;
    return { key: `src/m${i % 500}.ts\0${i}\0f${i}`, kind: 'function', function: `f${i}`, file: `src/m${i % 500}.ts`, line: i, service: 'svc', operation: `op ${i}`, summary: { count: 100, p50Ms: p50, p95Ms: p50 * 2, errors: 0 } };
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const a = load(1);
  const b = load(2);
  const a2 = perturb(a.trace);
  console.log(`generated 2 × ${SPANS} spans with the OpenTelemetry JS SDK in ${ms(performance.now() - t0)} (median of ${RUNS} runs below)`);

  const parse = await time(() => JSON.parse(new TextDecoder().decode(a.bytes)));
  const build = await time(() => buildTrace(a.trace.traceId, a.trace.spans));
  // Cold: fresh Trace objects each run (built beforehand, not timed), so the flat arrays and both
  // critical paths are computed inside the diff, as for a pair opened for the first time.
  const fresh = (t: Trace) => Array.from({ length: RUNS }, () => buildTrace(t.traceId, t.spans));
  const coldA = fresh(a.trace);
  const coldA2 = fresh(a2);
  let k = 0;
  const same = await time(() => diffTraces(coldA[k], coldA2[k++]));
  coldA.length = coldA2.length = 0;
  const coldA3 = fresh(a.trace);
  const coldB = fresh(b.trace);
  k = 0;
  const unrelated = await time(() => diffTraces(coldA3[k], coldB[k++]));
  coldA3.length = coldB.length = 0;
  const warm = await time(() => diffTraces(a.trace, a2));
  const coldA4 = fresh(a.trace);
  k = 0;
  const cp = await time(() => criticalPath(coldA4[k++]));

  const index = async (t: Trace) => {
    const i = new LatencyIndex(resolveAll);
    await i.add(t);
    return i;
  };
  const oneIndex = await time(() => index(a.trace));
  const runs = await time(async () => diffRuns(runGroups(await index(a.trace)), runGroups(await index(a2))));
  const [ia, ib] = [await index(a.trace), await index(a2)];
  const ga = runGroups(ia);
  const gb = runGroups(ib);
  const groupsOnly = await time(() => diffRuns(runGroups(ia), runGroups(ib)));
  const big = [syntheticGroups(20_000, 1), syntheticGroups(20_000, 2)];
  const bigDiff = await time(() => diffRuns(big[0], big[1]));

  const rows: string[][] = [
    ['JSON.parse of one OTLP file (baseline)', `${(a.bytes.length / 1024 / 1024).toFixed(1)} MB`, ms(parse.ms), ''],
    ['buildTrace, one pass (baseline)', `${SPANS} spans`, ms(build.ms), ''],
    [
      'diffTraces, same code measured twice (cold)',
      `${same.value.rowCount} rows: ${fmtCounts(same.value.counts)}`,
      ms(same.ms),
      `${(same.ms / build.ms).toFixed(2)}× buildTrace (target: well under 1 s)`,
    ],
    ['diffTraces, unrelated trees (seeds 1, 2, cold)', `${unrelated.value.rowCount} rows: ${fmtCounts(unrelated.value.counts)}`, ms(unrelated.ms), `${(unrelated.ms / build.ms).toFixed(2)}× buildTrace`],
    ['diffTraces, same pair again (critical paths cached)', `${warm.value.rowCount} rows`, ms(warm.ms), `${(warm.ms / build.ms).toFixed(2)}× buildTrace`],
    ['of which: criticalPath of one trace (cold, x2 per diff)', `${SPANS} spans`, ms(cp.ms), `${(cp.ms / build.ms).toFixed(2)}× buildTrace`],
    ['LatencyIndex.add of one run (the CodeLens index, baseline)', `${SPANS} spans`, ms(oneIndex.ms), ''],
    ['diffRuns with groups: 2 LatencyIndex.add + runGroups + diffRuns', `${ga.length} / ${gb.length} groups, ${runs.value.regressions} regressed`, ms(runs.ms), `${(runs.ms / oneIndex.ms).toFixed(2)}× one index`],
    ['runGroups + diffRuns on built indexes (the editor, per refresh)', `${ga.length} / ${gb.length} groups`, ms(groupsOnly.ms), ''],
    ['diffRuns alone, 20k groups a side', `${bigDiff.value.functions.length} entries`, ms(bigDiff.ms), ''],
  ];
  const head = ['bench', 'size', 'median', 'vs baseline'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}

function fmtCounts(c: Record<string, number>): string {
  return Object.entries(c)
    .filter(([, v]) => v)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
