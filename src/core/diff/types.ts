// The API of trace and run comparison (issue 11). Pure core: no vscode, usable from the catalog
// worker, the CLI and the webview's host side alike.
//
// Functions live next to their types and are re-exported from './index':
//   import { diffTraces, diffRuns, runGroups, classifyGroupChange, DEFAULT_TOLERANCE } from '../core/diff';
//   traceDiff.ts  diffTraces(baseline, candidate, tolerance?) -> TraceDiff   (two traces, column form)
//   runDiff.ts    runGroups(index) -> RunGroup[]; diffRuns(baseline, candidate, tolerance?) -> RunDiff
//
// Tolerance (both kinds of diff, as Tempo's diff): a change counts only when it is MORE than
// `threshold` (relative, 0.2 = 20%) AND at least `minDeltaNs` (absolute). Exactly 20% is unchanged.
import type { FunctionStats, OperationStats } from '../source/stats';

export interface DiffTolerance {
  /** Relative change that still counts as equal: 0.2 = 20%. A change must be strictly larger. */
  readonly threshold: number;
  /** Absolute floor in ns (1e6 = 1 ms): smaller changes are equal whatever their percentage. */
  readonly minDeltaNs: number;
}

export const DEFAULT_TOLERANCE: DiffTolerance = { threshold: 0.2, minDeltaNs: 1e6 };

// ---------------------------------------------------------------------------------------------
// Two traces
// ---------------------------------------------------------------------------------------------

export type SpanChange = 'added' | 'removed' | 'slower' | 'faster' | 'unchanged';

/** `TraceDiff.change[row]` indexes this array. The numeric codes are the CHANGE_* constants. */
export const SPAN_CHANGES: readonly SpanChange[] = ['added', 'removed', 'slower', 'faster', 'unchanged'];
export const CHANGE_ADDED = 0;
export const CHANGE_REMOVED = 1;
export const CHANGE_SLOWER = 2;
export const CHANGE_FASTER = 3;
export const CHANGE_UNCHANGED = 4;

/**
 * The merged tree of two traces, as parallel columns (typed arrays: a 100k-row diff is a few MB
 * and posts to a worker or webview without per-row objects).
 *
 * Rows are in the merged tree's preorder: each row is followed by its subtree, so rows
 * [r + 1, r + 1 + subtreeSize[r]) are r's descendants. Roots come first in the order of the
 * traces' roots (matched roots at the baseline's position, added roots after), children ordered
 * by their baseline start time with added children placed by their candidate start time.
 *
 * Matching: a row is identified by the path of (service, span name, occurrence index among
 * siblings with that same service and name, by start time) from its root, as Jaeger's TraceDiff.
 * So 40 priceItem children against 38 match the first 38 in order and the last two are removed;
 * sibling order between different names does not matter. Trace ids are ignored.
 */
export interface TraceDiff {
  readonly rowCount: number;
  /** 0 for roots. */
  readonly depth: Uint16Array;
  /** -1 for roots. */
  readonly parentRow: Int32Array;
  /** Rows in this row's subtree, excluding itself. */
  readonly subtreeSize: Uint32Array;
  /** Span index in baseline.spans, -1 when the row was added. */
  readonly baselineSpan: Int32Array;
  /** Span index in candidate.spans, -1 when the row was removed. */
  readonly candidateSpan: Int32Array;
  /** Span durations in ns (end - start, at least 0); NaN on the side where the span is absent. */
  readonly baselineDurationNs: Float64Array;
  readonly candidateDurationNs: Float64Array;
  /** Index into SPAN_CHANGES. */
  readonly change: Uint8Array;
  /** Descendants (not counting the row itself) whose change is not 'unchanged': the count badge. */
  readonly changedDescendants: Uint32Array;
  /** 1 when the span (on that side) is on that trace's critical path, else 0. */
  readonly onBaselineCriticalPath: Uint8Array;
  readonly onCandidateCriticalPath: Uint8Array;
  /** Rows per change kind. */
  readonly counts: Readonly<Record<SpanChange, number>>;
  /** Whole-trace durations (Trace.durationNs), for the header. */
  readonly baselineTraceNs: number;
  readonly candidateTraceNs: number;
  readonly tolerance: DiffTolerance;
}

// ---------------------------------------------------------------------------------------------
// Two runs
// ---------------------------------------------------------------------------------------------

export interface GroupSummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly errors: number;
}

export type GroupChange = 'regressed' | 'improved' | 'unchanged' | 'added' | 'removed';

/**
 * One group of a run: a function (a resolved code site, keyed by siteKey as the CodeLens) or an
 * operation (service + span name, for spans whose code location did not resolve).
 *
 * Function groups: function/file/line from the resolved site; service and operation are the most
 *   frequent service and span name of its spans (operation null when unknown).
 * Operation groups: function = operation = the span name; file and line null.
 */
export interface RunGroup {
  /** siteKey(site) for functions; operationKey(service, name) for operations. */
  readonly key: string;
  readonly kind: 'function' | 'operation';
  readonly function: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly service: string;
  readonly operation: string | null;
  readonly summary: GroupSummary;
}

export interface RunDiffEntry {
  /** Same key on both sides (site key or operation key). */
  readonly key: string;
  readonly kind: 'function' | 'operation';
  readonly function: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly service: string;
  readonly operation: string | null;
  readonly baseline: GroupSummary | null;
  readonly candidate: GroupSummary | null;
  /** candidate - baseline, ms; null when either side is missing. */
  readonly deltaP50Ms: number | null;
  readonly deltaP95Ms: number | null;
  readonly change: GroupChange;
}

export interface RunDiff {
  readonly threshold: number;
  readonly minDeltaMs: number;
  /** Regressed by deltaP50 desc, then improved (most improved first), added, removed, unchanged. */
  readonly functions: readonly RunDiffEntry[];
  /** Entries with change 'regressed'. */
  readonly regressions: number;
}

/**
 * What runGroups reads: a LatencyIndex satisfies it (all() for functions, operations() for the
 * spans it could not place). The editor passes the StatsService's index for the candidate and a
 * second LatencyIndex built the same way (same resolver) for the baseline source.
 */
export interface RunGroupSource {
  all(): readonly FunctionStats[];
  operations(): readonly OperationStats[];
}
