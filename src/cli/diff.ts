// `spanlens diff BASELINE CANDIDATE [--root DIR] [--path-map FROM=TO]... [--json] [--threshold 20%]
// [--min-delta 1ms] [--fail-on-regression]`: compares two runs (each a trace file in any supported
// format) function by function, for CI. Both sides are aggregated exactly as `spanlens stats` does
// (buildStats: the same path heuristic, --path-map and source maps, so `file` is relative to --root
// after mapping), then compared with the core's diffRuns (src/core/diff). Spans with no code
// location that resolves under --root are compared by operation (service + span name).
//
// JSON groups: a function group has function/file/line from its resolved site and `operation` = its
// most frequent span name; an operation group has function = operation = the span name and
// file = line = null.
//
// Exit codes: 0 ok; 1 usage (bad option values) or, with --fail-on-regression, any regression;
// 2 unreadable input (one line on stderr: which file and what is wrong).
import * as fs from 'fs';
import * as nodePath from 'path';
import { parseArgs } from 'util';
import { DEFAULT_TOLERANCE, diffRuns, runGroups, type DiffTolerance, type GroupChange, type GroupSummary, type RunDiff, type RunDiffEntry } from '../core/diff';
import { DEFAULT_MAX_FILE_MB } from '../core/importers/limits';
import { formatDurationNs } from '../core/model/time';
import { buildStats } from './stats';

const USAGE =
  'usage: spanlens diff BASELINE CANDIDATE [--root DIR] [--path-map FROM=TO]... [--json] [--threshold 20%] [--min-delta 1ms] [--fail-on-regression] [--max-file-mb N]';

/** The `--json` document: stable field names (CI scripts read it). */
export interface DiffJson {
  threshold: number;
  minDeltaMs: number;
  functions: {
    function: string;
    file: string | null;
    line: number | null;
    service: string;
    operation: string | null;
    baseline: { count: number; p50Ms: number; p95Ms: number; errors: number } | null;
    candidate: { count: number; p50Ms: number; p95Ms: number; errors: number } | null;
    deltaP50Ms: number | null;
    deltaP95Ms: number | null;
    change: GroupChange;
  }[];
  regressions: number;
}

class UsageError extends Error {}

/** "20%" -> 0.2, "0.2" -> 0.2. A bare number above 1 is refused (20 would mean 2000%). */
export function parseThreshold(text: string): number {
  const t = text.trim();
  const m = /^(\d+(?:\.\d*)?|\.\d+)(%?)$/.exec(t);
  if (!m) throw new UsageError(`--threshold takes a percentage or a fraction (e.g. 20% or 0.2), got "${text}"`);
  const v = Number(m[1]);
  if (m[2]) return v / 100;
  if (v > 1) throw new UsageError(`--threshold ${text}: a bare number is a fraction (0.2 = 20%); write ${v}% for a percentage`);
  return v;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9 };

/** "1ms", "500us", "0.5ms", "2s", "0" -> ns. */
export function parseMinDelta(text: string): number {
  const t = text.trim();
  const m = /^(\d+(?:\.\d*)?|\.\d+)\s*(ns|us|µs|μs|ms|s)?$/.exec(t);
  if (!m || (!m[2] && Number(m[1]) !== 0)) throw new UsageError(`--min-delta takes a duration with a unit (e.g. 1ms, 500us, 0.5ms), got "${text}"`);
  return Number(m[1]) * (m[2] ? UNIT_NS[m[2]] : 1);
}

/** Runs the command; returns the exit code. */
export async function runDiff(args: string[]): Promise<number> {
  let values: {
    root?: string;
    json?: boolean;
    'path-map'?: string[];
    threshold?: string;
    'min-delta'?: string;
    'fail-on-regression'?: boolean;
    'max-file-mb'?: string;
    help?: boolean;
  };
  let files: string[];
  let tolerance: DiffTolerance;
  let root: string;
  let mappings: Record<string, string>;
  let maxMb: number;
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        json: { type: 'boolean', default: false },
        'path-map': { type: 'string', multiple: true },
        threshold: { type: 'string' },
        'min-delta': { type: 'string' },
        'fail-on-regression': { type: 'boolean', default: false },
        'max-file-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    values = parsed.values;
    files = parsed.positionals;
    if (values.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (files.length !== 2) throw new UsageError(`diff takes exactly two trace files, BASELINE and CANDIDATE\n${USAGE}`);
    tolerance = {
      threshold: values.threshold !== undefined ? parseThreshold(values.threshold) : DEFAULT_TOLERANCE.threshold,
      minDeltaNs: values['min-delta'] !== undefined ? parseMinDelta(values['min-delta']) : DEFAULT_TOLERANCE.minDeltaNs,
    };
    maxMb = values['max-file-mb'] ? Number(values['max-file-mb']) : DEFAULT_MAX_FILE_MB;
    if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-file-mb takes a positive number');
    root = nodePath.resolve(values.root ?? process.cwd());
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root ${root} is not a directory`);
    mappings = parsePathMaps(values['path-map'] ?? []);
  } catch (e) {
    // parseArgs' own messages span lines ("...ambiguous.\nDid you forget..."): one line here.
    const text = e instanceof UsageError ? e.message : (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`spanlens: ${text}\n`);
    return 1;
  }
  let diff: RunDiff;
  try {
    // One side at a time: the baseline's spans can be collected before the candidate is read.
    const base = await buildStats([files[0]], root, mappings, maxMb);
    const baseGroups = runGroups(base.index);
    const cand = await buildStats([files[1]], root, mappings, maxMb);
    for (const w of new Set([...base.warnings, ...cand.warnings])) process.stderr.write(`spanlens: warning: ${w}\n`);
    diff = diffRuns(baseGroups, runGroups(cand.index), tolerance);
  } catch (e) {
    // buildStats reports an unreadable file as "FILE: what is wrong" (describeError, as readTraceFile).
    process.stderr.write(`spanlens: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  process.stdout.write((values.json ? JSON.stringify(diffJson(diff)) : diffTable(diff, files[0], files[1])) + '\n');
  return values['fail-on-regression'] && diff.regressions > 0 ? 1 : 0;
}

/** "FROM=TO" pairs, as `spanlens stats --path-map`. */
function parsePathMaps(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--path-map takes FROM=TO (e.g. "/app/*=\${workspaceFolder}/*"), got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** ms rounded to the microsecond, as `spanlens stats --json`. */
const round = (v: number) => Math.round(v * 1e3) / 1e3;
const summaryJson = (s: GroupSummary | null) => (s ? { count: s.count, p50Ms: round(s.p50Ms), p95Ms: round(s.p95Ms), errors: s.errors } : null);

export function diffJson(d: RunDiff): DiffJson {
  return {
    threshold: d.threshold,
    minDeltaMs: d.minDeltaMs,
    functions: d.functions.map((e) => ({
      function: e.function,
      file: e.file,
      line: e.line,
      service: e.service,
      operation: e.operation,
      baseline: summaryJson(e.baseline),
      candidate: summaryJson(e.candidate),
      deltaP50Ms: e.deltaP50Ms === null ? null : round(e.deltaP50Ms),
      deltaP95Ms: e.deltaP95Ms === null ? null : round(e.deltaP95Ms),
      change: e.change,
    })),
    regressions: d.regressions,
  };
}

const SECTION_TITLES: [GroupChange, string][] = [
  ['regressed', 'Regressed'],
  ['improved', 'Improved'],
  ['added', 'Added (only in the candidate)'],
  ['removed', 'Removed (only in the baseline)'],
];

const msText = (v: number) => formatDurationNs(v * 1e6);

function location(e: RunDiffEntry): string {
  if (e.file === null) return `(operation${e.service ? ` in ${e.service}` : ''})`;
  return `${e.file}${e.line !== null ? `:${e.line}` : ''}`;
}

function pct(e: RunDiffEntry): string {
  if (!e.baseline || !e.candidate) return '';
  if (e.baseline.p50Ms === 0) return e.candidate.p50Ms === 0 ? '0%' : '+∞';
  const p = ((e.candidate.p50Ms - e.baseline.p50Ms) / e.baseline.p50Ms) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(Math.abs(p) < 10 ? 1 : 0)}%`;
}

const signed = (v: number) => `${v >= 0 ? '+' : '-'}${msText(Math.abs(v))}`;
const pair = (b: string | null | undefined, c: string | null | undefined) => `${b ?? '-'} → ${c ?? '-'}`;

export function diffTable(d: RunDiff, baselineName: string, candidateName: string): string {
  const header = ['FUNCTION', 'LOCATION', 'COUNT', 'P50', 'ΔP50', 'Δ%', 'P95', 'ERRORS'];
  const row = (e: RunDiffEntry) => [
    e.function,
    location(e),
    pair(e.baseline?.count.toString(), e.candidate?.count.toString()),
    pair(e.baseline && msText(e.baseline.p50Ms), e.candidate && msText(e.candidate.p50Ms)),
    e.deltaP50Ms === null ? '' : signed(e.deltaP50Ms),
    pct(e),
    pair(e.baseline && msText(e.baseline.p95Ms), e.candidate && msText(e.candidate.p95Ms)),
    pair(e.baseline?.errors.toString(), e.candidate?.errors.toString()),
  ];
  const sections = SECTION_TITLES.map(([change, title]) => ({ title, rows: d.functions.filter((e) => e.change === change).map(row) })).filter((s) => s.rows.length);
  const all = sections.flatMap((s) => s.rows);
  const widths = header.map((h, i) => Math.max(h.length, ...all.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const unchanged = d.functions.filter((e) => e.change === 'unchanged').length;
  const lines = [
    `${baselineName} → ${candidateName}: ${d.regressions} regressed, ${d.functions.length - unchanged - d.regressions} other change(s), ${unchanged} unchanged ` +
      `(a change counts above ${round(d.threshold * 100)}% and at least ${msText(d.minDeltaMs)} of p50)`,
  ];
  for (const s of sections) {
    lines.push('', `${s.title}:`, fmt(header), ...s.rows.map(fmt));
  }
  if (unchanged) lines.push('', `${unchanged} unchanged`);
  if (!d.functions.length) lines.push('', '(no spans in either run)');
  return lines.join('\n');
}
