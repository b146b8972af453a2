// The typed protocol between the extension host and the trace comparison webview (webview/diff/).
// The diff itself (src/core/diff, TraceDiff) stays in the catalog's worker; the webview asks for
// windows of rows by range and gets them already classified and measured (the change, durations,
// delta and percentage come from the core: the webview only formats them). Every message from the
// webview goes through `parseDiffWebviewMessage` on the host before it is acted on.
import type { SpanDetailDto } from './protocol';

export type DiffChange = 'added' | 'removed' | 'slower' | 'faster' | 'unchanged';
export const DIFF_CHANGES: readonly DiffChange[] = ['added', 'removed', 'slower', 'faster', 'unchanged'];

/** Which of the two traces: the one compared against (baseline) or the one being looked at. */
export type DiffSide = 'baseline' | 'candidate';

export interface DiffSideDto {
  /** Where the trace comes from: a file name, "dev collector". */
  readonly source: string;
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  readonly durationNs: number;
  readonly spanCount: number;
}

export interface DiffHeaderDto {
  readonly baseline: DiffSideDto;
  readonly candidate: DiffSideDto;
  /** Rows of the merged tree. */
  readonly rowCount: number;
  /** Rows the "changed rows only" filter keeps (changed rows and their ancestors). */
  readonly changedViewCount: number;
  readonly counts: Readonly<Record<DiffChange, number>>;
  /** The tolerance the rows were classified with (spanlens.compare.threshold / minDeltaMs). */
  readonly thresholdPct: number;
  readonly minDeltaMs: number;
}

/** One row of the merged tree, as the view shows it. */
export interface DiffRowDto {
  /** Row in the merged tree (preorder). */
  readonly row: number;
  readonly depth: number;
  readonly name: string;
  readonly service: string;
  readonly change: DiffChange;
  /** Span index in its trace, -1 on the side where the span is absent. */
  readonly baselineSpan: number;
  readonly candidateSpan: number;
  readonly baselineNs: number | null;
  readonly candidateNs: number | null;
  /** candidate - baseline; null unless the span is on both sides. */
  readonly deltaNs: number | null;
  /** 100 * delta / baseline; null unless on both sides and baseline > 0. */
  readonly deltaPct: number | null;
  /** Descendants whose change is not "unchanged" (the badge). */
  readonly changedDescendants: number;
  readonly baselineCritical: boolean;
  readonly candidateCritical: boolean;
}

export interface DiffRowsDto {
  readonly changedOnly: boolean;
  /** Rows in this view (all rows, or the changed-only view). */
  readonly total: number;
  /** View index of rows[0]. */
  readonly start: number;
  readonly rows: readonly DiffRowDto[];
}

/** What the webview reports it has on screen (for the integration tests' spanlens._test.diffInfo). */
export interface RenderedDiffRow {
  readonly row: number;
  readonly name: string;
  /** The change label as shown ("slower", "added"…). */
  readonly change: string;
  readonly baseline: string;
  readonly candidate: string;
  readonly delta: string;
  readonly badge: string;
}

export type DiffHostMessage =
  | { readonly type: 'loading'; readonly text: string }
  | { readonly type: 'diffLoaded'; readonly header: DiffHeaderDto }
  | { readonly type: 'diffError'; readonly message: string }
  | { readonly type: 'response'; readonly requestId: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly requestId: number; readonly ok: false; readonly error: string };

export interface DiffRequestMap {
  rows: { params: { changedOnly: boolean; start: number; end: number }; result: DiffRowsDto };
  spanDetail: { params: { side: DiffSide; spanIndex: number }; result: SpanDetailDto };
}
export type DiffRequestMethod = keyof DiffRequestMap;

export type DiffWebviewMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'request';
      readonly requestId: number;
      readonly method: DiffRequestMethod;
      readonly params: DiffRequestMap[DiffRequestMethod]['params'];
    }
  | { readonly type: 'goToSource'; readonly side: DiffSide; readonly spanIndex: number }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'rendered'; readonly changedOnly: boolean; readonly total: number; readonly rows: readonly RenderedDiffRow[] };

/** Rows one `rows` request may ask for. */
export const MAX_DIFF_WINDOW = 1000;
/** Rows one `rendered` report may carry (a screenful and some). */
const MAX_RENDERED = 500;

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
}

function isText(v: unknown, max = 1000): v is string {
  return typeof v === 'string' && v.length <= max;
}

const isSide = (v: unknown): v is DiffSide => v === 'baseline' || v === 'candidate';

function renderedRow(v: unknown): RenderedDiffRow | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (!isIndex(o.row)) return undefined;
  for (const k of ['name', 'change', 'baseline', 'candidate', 'delta', 'badge'] as const) if (!isText(o[k], 10_000)) return undefined;
  return { row: o.row, name: o.name as string, change: o.change as string, baseline: o.baseline as string, candidate: o.candidate as string, delta: o.delta as string, badge: o.badge as string };
}

/** Returns the message if it is well-formed, otherwise undefined. Never throws. */
export function parseDiffWebviewMessage(raw: unknown): DiffWebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'copy':
      return isText(m.text, 1_000_000) ? { type: 'copy', text: m.text } : undefined;
    case 'goToSource':
      return isSide(m.side) && isIndex(m.spanIndex) ? { type: 'goToSource', side: m.side, spanIndex: m.spanIndex } : undefined;
    case 'rendered': {
      if (typeof m.changedOnly !== 'boolean' || !isIndex(m.total) || !Array.isArray(m.rows) || m.rows.length > MAX_RENDERED) return undefined;
      const rows = m.rows.map(renderedRow);
      return rows.every((r): r is RenderedDiffRow => !!r) ? { type: 'rendered', changedOnly: m.changedOnly, total: m.total, rows } : undefined;
    }
    case 'request': {
      if (!isIndex(m.requestId) || typeof m.params !== 'object' || m.params === null) return undefined;
      const p = m.params as Record<string, unknown>;
      if (m.method === 'rows' && typeof p.changedOnly === 'boolean' && isIndex(p.start) && isIndex(p.end) && p.end >= p.start && p.end - p.start <= MAX_DIFF_WINDOW) {
        return { type: 'request', requestId: m.requestId, method: 'rows', params: { changedOnly: p.changedOnly, start: p.start, end: p.end } };
      }
      if (m.method === 'spanDetail' && isSide(p.side) && isIndex(p.spanIndex)) {
        return { type: 'request', requestId: m.requestId, method: 'spanDetail', params: { side: p.side, spanIndex: p.spanIndex } };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
