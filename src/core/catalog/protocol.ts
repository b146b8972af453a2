// Messages between the extension host (./client.ts) and the catalog's worker thread (./serve.ts).
// Plain data by structured clone (bigint and typed arrays survive it). The host asks for what a view
// shows (a trace list, one waterfall, one span, the lens figures of one file) and never holds a trace.
import type { Span } from '../model/model';
import type { FunctionStats, LatencyHistogram, RawCodeSite, ResolvedSite, SpanRef } from '../source';
import type { RequestMap, RequestMethod, TraceSummaryDto, WaterfallDto } from '../../shared/protocol';

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

  // Statistics (CodeLens, hover, Show Spans for This Function).
  statsSetScope(scope: StatisticsScope): void;
  statsSelect(sessionId: number | undefined, traceIndex: number | undefined): void;
  statsFunctionsInFile(file: string): FunctionStats[];
  statsGet(key: string): FunctionStats | undefined;
  statsHistogram(key: string, bins: number): LatencyHistogram;
  statsSlowest(key: string): readonly SpanRef[];
  statsRebuild(why: string): void;
  statsInfo(): StatsInfo;
  /** Resolves once every queued statistics change is done. */
  statsIdle(): void;

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
