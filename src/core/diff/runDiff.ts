// Two runs (each a set of traces: a file, several files, a collector snapshot), compared group by
// group. The groups come from the same LatencyIndex the CodeLens and `spanlens stats` use, so a
// function is identified exactly as the editor identifies it (siteKey of the resolved site):
//
//   * Function groups: LatencyIndex.all(). Percentiles are the index's (exact up to 1024 spans per
//     function, then its <1%-error sketch). The index also tallies each function's span names and
//     services, so a group carries its most frequent operation and service.
//   * Operation groups: spans the index could not place (no code location, or a location matching
//     no file under the root / workspace) are tallied in the same pass, by service + span name, in
//     LatencyIndex.operations(). No second walk over the traces is needed, and the split is the
//     index's own: a span is in exactly one group, a function group when the resolver placed it.
//
// So the editor builds run groups in the catalog worker from the StatsService's index (candidate:
// what is loaded now) and from a second LatencyIndex over the baseline source built with the same
// resolver: runGroups(index) on each, then diffRuns(base, cand). The CLI does the same with
// buildStats (src/cli/stats.ts) on each side.
//
// Classification (Tempo's rule): regressed / improved when p50 changes by MORE than `threshold`
// of the baseline p50 AND by at least `minDeltaNs`; otherwise unchanged. Present on one side only:
// added / removed.
import type { FunctionStats, OperationStats } from '../source/stats';
import {
  DEFAULT_TOLERANCE,
  type DiffTolerance,
  type GroupChange,
  type GroupSummary,
  type RunDiff,
  type RunDiffEntry,
  type RunGroup,
  type RunGroupSource,
} from './types';

export function summaryFromNs(count: number, p50Ns: number, p95Ns: number, errors: number): GroupSummary {
  return { count, p50Ms: p50Ns / 1e6, p95Ms: p95Ns / 1e6, errors };
}

export function functionGroup(f: FunctionStats): RunGroup {
  return {
    key: f.key,
    kind: 'function',
    function: f.function,
    file: f.file,
    line: f.line ?? null,
    service: f.service ?? '',
    operation: f.operation ?? null,
    summary: summaryFromNs(f.count, f.p50Ns, f.p95Ns, f.errors),
  };
}

export function operationGroup(o: OperationStats): RunGroup {
  return {
    key: o.key,
    kind: 'operation',
    function: o.name,
    file: null,
    line: null,
    service: o.service,
    operation: o.name,
    summary: summaryFromNs(o.count, o.p50Ns, o.p95Ns, o.errors),
  };
}

/** Function groups (keyed by siteKey) then operation groups of the unplaced spans. */
export function runGroups(source: RunGroupSource): RunGroup[] {
  const out: RunGroup[] = [];
  for (const f of source.all()) out.push(functionGroup(f));
  for (const o of source.operations()) out.push(operationGroup(o));
  return out;
}

/** Relative slack so that exactly `threshold` (or exactly the floor) survives float rounding. */
const EPS = 1e-9;

export function classifyGroupChange(baseline: GroupSummary | null, candidate: GroupSummary | null, tolerance: DiffTolerance): GroupChange {
  if (!baseline && !candidate) return 'unchanged';
  if (!baseline) return 'added';
  if (!candidate) return 'removed';
  const delta = candidate.p50Ms - baseline.p50Ms;
  const abs = Math.abs(delta);
  if (abs > tolerance.threshold * baseline.p50Ms * (1 + EPS) && abs * 1e6 >= tolerance.minDeltaNs * (1 - EPS)) return delta > 0 ? 'regressed' : 'improved';
  return 'unchanged';
}

const ORDER: Record<GroupChange, number> = { regressed: 0, improved: 1, added: 2, removed: 3, unchanged: 4 };

function compareEntries(a: RunDiffEntry, b: RunDiffEntry): number {
  const o = ORDER[a.change] - ORDER[b.change];
  if (o) return o;
  if (a.change === 'regressed' && a.deltaP50Ms !== b.deltaP50Ms) return b.deltaP50Ms! - a.deltaP50Ms!;
  if (a.change === 'improved' && a.deltaP50Ms !== b.deltaP50Ms) return a.deltaP50Ms! - b.deltaP50Ms!;
  // Then by place: functions by file and line, operation groups after them by service and name.
  if ((a.file === null) !== (b.file === null)) return a.file === null ? 1 : -1;
  return (
    cmp(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || cmp(a.service, b.service) || cmp(a.function, b.function) || cmp(a.key, b.key)
  );
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function diffRuns(baseline: readonly RunGroup[], candidate: readonly RunGroup[], tolerance: DiffTolerance = DEFAULT_TOLERANCE): RunDiff {
  const base = new Map<string, RunGroup>();
  for (const g of baseline) base.set(g.key, g);
  const seen = new Set<string>();
  const entries: RunDiffEntry[] = [];
  const entry = (b: RunGroup | undefined, c: RunGroup | undefined): RunDiffEntry => {
    const g = (c ?? b)!;
    const bs = b?.summary ?? null;
    const cs = c?.summary ?? null;
    return {
      key: g.key,
      kind: g.kind,
      function: g.function,
      file: g.file,
      line: g.line,
      service: g.service || b?.service || '',
      operation: g.operation ?? b?.operation ?? null,
      baseline: bs,
      candidate: cs,
      deltaP50Ms: bs && cs ? cs.p50Ms - bs.p50Ms : null,
      deltaP95Ms: bs && cs ? cs.p95Ms - bs.p95Ms : null,
      change: classifyGroupChange(bs, cs, tolerance),
    };
  };
  for (const c of candidate) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    entries.push(entry(base.get(c.key), c));
  }
  for (const b of baseline) {
    if (seen.has(b.key)) continue;
    seen.add(b.key);
    entries.push(entry(b, undefined));
  }
  entries.sort(compareEntries);
  let regressions = 0;
  for (const e of entries) if (e.change === 'regressed') regressions++;
  return { threshold: tolerance.threshold, minDeltaMs: tolerance.minDeltaNs / 1e6, functions: entries, regressions };
}
