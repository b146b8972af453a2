// What one open trace file answers to the waterfall: summaries, per-trace layouts (built once and
// cached) and the webview's requests. Pure, so the same logic is unit tested without VS Code.
import { FORMAT_LABELS, TraceFile } from '../model/model';
import type { RequestMap, RequestMethod, TraceSummaryDto, WaterfallDto } from '../../shared/protocol';
import { buildWaterfall, traceSummaries } from './waterfall';
import { searchTrace } from './search';
import { spanDetail } from './spanDetail';
import { traceLevelLogs } from './logView';
import { traceLogs } from '../logs/join';
import type { ScreenMask } from './detailMask';

export class TraceFileSession {
  private readonly waterfalls = new Map<number, WaterfallDto>();
  private summariesCache?: TraceSummaryDto[];

  constructor(readonly file: TraceFile) {}

  get formatLabel(): string {
    return FORMAT_LABELS[this.file.format] ?? this.file.format;
  }

  summaries(): TraceSummaryDto[] {
    return (this.summariesCache ??= traceSummaries(this.file));
  }

  /** File-level and per-trace warnings as text, for the view's warning list. */
  warningTexts(): string[] {
    const texts = this.file.warnings.map((w) => w.message);
    const logs = this.file.logs?.length ?? 0;
    // Records are listed on their spans and traces; a file of records alone has neither yet.
    if (this.file.traces.length === 0 && logs > 0) texts.unshift(`This file holds ${logs} log record${logs === 1 ? '' : 's'} and no spans: Spanlens shows log records on the spans and traces they belong to, so open it with the traces it belongs to (JSON Lines can hold both), or open it as text.`);
    return texts;
  }

  waterfall(traceIndex: number): WaterfallDto {
    this.checkTrace(traceIndex);
    let wf = this.waterfalls.get(traceIndex);
    if (!wf) {
      const joined = traceLogs(this.file, traceIndex);
      wf = buildWaterfall(this.file.traces[traceIndex], traceIndex, joined && { records: this.file.logs!, joined });
      this.waterfalls.set(traceIndex, wf);
    }
    return wf;
  }

  /**
   * Answers a validated webview request; throws Error with a user-facing message on bad indices.
   * `mask`: masking on screen is on (span details mask what the redaction rules match).
   */
  handle<M extends RequestMethod>(method: M, params: RequestMap[M]['params'], opts: { mask?: ScreenMask } = {}): RequestMap[M]['result'] {
    if (method === 'spanDetail') {
      const p = params as RequestMap['spanDetail']['params'];
      this.checkSpan(p.traceIndex, p.spanIndex);
      return spanDetail(this.file, p.traceIndex, p.spanIndex, opts) as RequestMap[M]['result'];
    }
    if (method === 'traceLogs') {
      const p = params as RequestMap['traceLogs']['params'];
      this.checkTrace(p.traceIndex);
      return traceLevelLogs(this.file, p.traceIndex, opts.mask) as RequestMap[M]['result'];
    }
    const p = params as RequestMap['search']['params'];
    this.checkTrace(p.traceIndex);
    const joined = traceLogs(this.file, p.traceIndex);
    return searchTrace(this.file.traces[p.traceIndex], this.waterfall(p.traceIndex), p.query, joined && { records: this.file.logs!, joined }) as RequestMap[M]['result'];
  }

  /** Finds a span by ids anywhere in the file. */
  findSpan(traceId: string, spanId: string): { traceIndex: number; spanIndex: number } | undefined {
    const traceIndex = this.file.traces.findIndex((t) => t.traceId === traceId);
    if (traceIndex < 0) return undefined;
    const spanIndex = this.file.traces[traceIndex].spans.findIndex((s) => s.spanId === spanId);
    return spanIndex < 0 ? undefined : { traceIndex, spanIndex };
  }

  checkTrace(traceIndex: number): void {
    if (traceIndex < 0 || traceIndex >= this.file.traces.length) {
      throw new Error(`no trace #${traceIndex} in this file (it has ${this.file.traces.length})`);
    }
  }

  checkSpan(traceIndex: number, spanIndex: number): void {
    this.checkTrace(traceIndex);
    const n = this.file.traces[traceIndex].spans.length;
    if (spanIndex < 0 || spanIndex >= n) throw new Error(`no span #${spanIndex} in trace #${traceIndex} (it has ${n})`);
  }
}
