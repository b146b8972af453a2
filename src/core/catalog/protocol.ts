// Messages between the extension host (./client.ts) and the catalog's worker thread (./serve.ts).
// Plain data by structured clone (bigint and typed arrays survive it). The host asks for what a view
// shows (a trace list, one waterfall, one span, the lens figures of one file) and never holds a trace.
import type { Span } from '../model/model';
import type { FunctionStats, LatencyHistogram, RawCodeSite, ResolvedSite, SpanRef } from '../source';
import type { RequestMap, RequestMethod, TraceSummaryDto, WaterfallDto } from '../../shared/protocol';
import type { DiffHeaderDto, DiffRowsDto } from '../../shared/diffProtocol';
import type { DiffTolerance, GroupChange, GroupSummary, RunDiffEntry } from '../diff/types';
import type { RedactionRules } from '../redaction';
import type { AiCallOptions } from '../ai/catalogContext';
import type { ShareFormat, SharePreview } from '../share';

/** What a view opens: a trace file on disk, or one trace of the dev collector's store. */
export type SessionSpec =
  | { readonly kind: 'file'; readonly path: string; readonly fileName: string; readonly key: string; readonly maxFileSizeMB?: number }
  | { readonly kind: 'collected'; readonly traceId: string; readonly key: string }
  /** A file the worker cannot read from disk (a virtual file system): its bytes, transferred. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly fileName: string; readonly key: string };

export interface SessionInfo {
  readonly sessionId: number;
  readonly format: string;
  readonly formatLabel: string;
  readonly spanCount: number;
  readonly traces: readonly TraceSummaryDto[];
  readonly warnings: readonly string[];
  readonly importMs: number;
}

/** The display facts of a slowest-span reference ("Show Spans for This Function"). */
export interface SpanRefInfo {
  readonly rootName: string;
  readonly rootService: string;
  readonly service: string;
  readonly startTimeUnixNano: string;
  readonly error: boolean;
}

export type StatisticsScope = 'allLoaded' | 'selectedTrace';

export interface StatsInfo {
  scope: StatisticsScope;
  version: number;
  spans: number;
  unresolved: number;
  files: string[];
  sources: string[];
  selected?: { source: string; traceIndex: number };
  /** Trace ids left out because another source already counted them (see StatsService). */
  duplicateTraces: number;
}

export interface ExportResult {
  readonly traces: number;
  readonly spans: number;
  readonly bytes: number;
}

/** What Share Trace, Save Trace As and Export Collected Traces write: a session's trace or file, or the collector's store. */
export type ShareSource =
  | { readonly kind: 'session'; readonly sessionId: number; readonly traceIndex?: number }
  | { readonly kind: 'collected'; readonly traceIds?: readonly string[] };

export interface ShareResult extends SharePreview {
  /** Set by mode 'write'. */
  readonly file?: string;
  readonly bytes?: number;
}

/** How a function's current figures compare with the baseline run (issue 11; src/core/diff). */
export interface BaselineDelta {
  readonly change: GroupChange;
  readonly baseline: GroupSummary | null;
  /** current - baseline, ms; null when the baseline has no such function. */
  readonly deltaP50Ms: number | null;
  readonly deltaP95Ms: number | null;
}

/** statsFunctionsInFile's answer: with a baseline set, each function carries its comparison. */
export type LensFunctionStats = FunctionStats & { readonly vsBaseline?: BaselineDelta };

/** What the baseline is made of (a file, one trace, a snapshot of the collector's store). */
export type BaselineSpec =
  | { readonly kind: 'session'; readonly sessionId: number; readonly traceIndex?: number }
  | { readonly kind: 'file'; readonly path: string; readonly fileName: string; readonly key: string; readonly maxFileSizeMB?: number }
  | { readonly kind: 'collector' }
  | { readonly kind: 'collected'; readonly traceId: string };

export interface BaselineInfo {
  readonly label: string;
  readonly kind: 'file' | 'trace' | 'collector';
  readonly traces: number;
  readonly spans: number;
  readonly functions: number;
  readonly operations: number;
  readonly setAtMs: number;
}

/** The slowest span of a group on each side, and whether its trace is still loaded. */
export interface WorstPair {
  readonly baseline?: { readonly ref: SpanRef; readonly loaded: boolean };
  readonly candidate?: { readonly ref: SpanRef; readonly loaded: boolean };
}

/** A trace the compare picker offers: one of a loaded source's traces, or a collected trace. */
export interface PickableTrace {
  /** The catalog source key (the file's URI), or the collector's LIVE_SOURCE. */
  readonly source: string;
  readonly kind: 'file' | 'collected';
  readonly traceIndex: number;
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  readonly durationNs: number;
  readonly spanCount: number;
}

/** Calls the host makes; each answered by one `result`. */
export interface CatalogCalls {
  openSession(spec: SessionSpec, loadId: number): SessionInfo;
  closeSession(sessionId: number): void;
  waterfall(sessionId: number, traceIndex: number): WaterfallDto;
  request<M extends RequestMethod>(sessionId: number, method: M, params: RequestMap[M]['params']): RequestMap[M]['result'];
  findSpan(sessionId: number, traceId: string, spanId: string): { traceIndex: number; spanIndex: number } | undefined;
  /** One span as a plain object (attributes, events, resource decoded), for jump to code. */
  span(sessionId: number, traceIndex: number, spanIndex: number): Span;
  /** Rereads a collected trace's session after the store said it grew. */
  refreshSession(sessionId: number): SessionInfo;
  saveOtlpJson(sessionId: number, traceIndex: number | undefined, file: string): ExportResult;
  spanRefInfo(source: string, traceId: string, spanId: string): SpanRefInfo | undefined;
  /**
   * Runs one AI tool (list_traces, get_trace, get_spans, function_stats: src/core/ai) over the
   * loaded sources, the dev collector's store and the statistics. Always redacted (the defaults plus
   * `rules`). Answers one compact JSON object as text; bad input gives {"error": "..."}.
   */
  aiTool(name: string, input: unknown, rules?: RedactionRules, options?: AiCallOptions): string;
  /** The redaction settings: the rules, and whether span details mask what they match. Sent on start and on change. */
  setRedaction(rules: RedactionRules, maskOnScreen: boolean): void;
  /**
   * Redacts with `rules` (null: as is) and, in mode 'write', serialises and writes `file` here, in
   * the worker. Mode 'preview' only counts what would be redacted (per rule, and the findings).
   */
  shareExport(source: ShareSource, format: ShareFormat, rules: RedactionRules | null, mode: 'preview' | 'write', file?: string): ShareResult;

  // Statistics (CodeLens, hover, Show Spans for This Function).
  statsSetScope(scope: StatisticsScope): void;
  statsSelect(sessionId: number | undefined, traceIndex: number | undefined): void;
  statsFunctionsInFile(file: string): LensFunctionStats[];
  statsGet(key: string): FunctionStats | undefined;
  statsHistogram(key: string, bins: number): LatencyHistogram;
  statsSlowest(key: string): readonly SpanRef[];
  statsRebuild(why: string): void;
  statsInfo(): StatsInfo;
  /** Resolves once every queued statistics change is done. */
  statsIdle(): void;

  // Comparison (issue 11): trace diffs held here, the baseline run's groups, the shared tolerance.
  compareSetTolerance(tolerance: DiffTolerance): void;
  /** Every trace of the loaded sources and of the dev collector's store, for the compare picker. */
  compareTraces(): PickableTrace[];
  diffOpen(baseline: { sessionId: number; traceIndex: number; label: string }, candidate: { sessionId: number; traceIndex: number; label: string }): { diffId: number; header: DiffHeaderDto };
  diffRows(diffId: number, changedOnly: boolean, start: number, end: number): DiffRowsDto;
  diffClose(diffId: number): void;
  baselineSet(spec: BaselineSpec, label: string): BaselineInfo;
  baselineClear(): void;
  baselineInfo(): BaselineInfo | undefined;
  /** Regressed functions and operations against the current statistics, worst first. */
  baselineRegressions(): RunDiffEntry[];
  baselineWorst(key: string, kind: 'function' | 'operation'): WorstPair;

  /** Starts serving the dev collector on the transferred port (see ../collector/index.ts `via`). */
  serveCollector(): void;
  /** Memory of the worker, for the tests and the benchmark. */
  memory(): { heapUsed: number; external: number; arrayBuffers: number; rss: number };
}
export type CatalogMethod = keyof CatalogCalls;

/** Calls the worker makes to the host: only the host can resolve a site (document symbols). */
export interface HostCalls {
  resolveSite(site: RawCodeSite): ResolvedSite | undefined;
}

export type ToCatalog =
  | { readonly type: 'call'; readonly id: number; readonly method: CatalogMethod; readonly args: unknown[]; readonly cancel?: Int32Array }
  | { readonly type: 'hostResult'; readonly id: number; readonly ok: boolean; readonly value?: unknown; readonly error?: string };

export interface LoadProgress {
  readonly loadId: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly spans?: number;
}

export type FromCatalog =
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: string; readonly cancelled?: boolean; readonly errorView?: unknown }
  | { readonly type: 'progress'; readonly progress: LoadProgress }
  /** The statistics the editor shows changed (debounced in the worker). */
  | { readonly type: 'statsChanged' }
  | { readonly type: 'hostCall'; readonly id: number; readonly method: keyof HostCalls; readonly args: unknown[] };
