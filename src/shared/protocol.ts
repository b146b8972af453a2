// The one message protocol between the extension host and the waterfall webview.
// Pure types plus a validator: the webview's tsconfig sees only this file, and the host runs every
// incoming message through `parseWebviewMessage` before acting on it.
//
// Times inside one trace are relative nanoseconds as numbers (exact below 104 days). Absolute
// epoch times cross the boundary as decimal strings, since bigint does not survive postMessage.

// ---------------------------------------------------------------------------------------------
// Data transfer objects
// ---------------------------------------------------------------------------------------------

export interface TraceSummaryDto {
  readonly traceIndex: number;
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  /** Epoch nanoseconds as a decimal string. */
  readonly startTimeUnixNano: string;
  /** Epoch milliseconds, for display and sorting. */
  readonly startMs: number;
  readonly durationNs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly services: readonly string[];
  readonly warningCount: number;
  /** When the trace has GenAI spans: its tokens, each model call counted once. */
  readonly genAi?: TraceGenAiDto;
  /** Log records joined to this trace (to its spans or to the trace itself); absent when none. */
  readonly logCount?: number;
}

export interface TraceGenAiDto {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Sorted unique model names. */
  readonly models: readonly string[];
}

/** Codes of WaterfallDto.genAiKind (0: none). */
export const GenAiKindCode = { None: 0, Model: 1, Tool: 2, Agent: 3, Retrieval: 4, Embedding: 5 } as const;

/** Row flags in WaterfallDto.rows.flags. */
export const RowFlag = {
  Error: 1,
  HasEvents: 2,
  /** Any structural issue: orphan, duplicate id, clock skew, bad duration, cycle. */
  Issue: 4,
  CriticalPath: 8,
  HasChildren: 16,
  /** Log records are joined to the span. */
  HasLogs: 32,
  /** An exception was logged on the span (a log record with exception.* or an *.exception event): drawn as an error. */
  LoggedException: 64,
} as const;

/**
 * The waterfall of one trace, laid out by the host in depth-first order (children by start time).
 * Column arrays are indexed by row. Typed arrays cross postMessage without JSON encoding.
 */
export interface WaterfallDto {
  readonly traceIndex: number;
  readonly traceId: string;
  readonly startTimeUnixNano: string;
  readonly durationNs: number;
  readonly services: readonly string[];
  readonly rowCount: number;
  readonly spanIndex: Int32Array;
  readonly depth: Uint16Array;
  /** Start of each row relative to the trace start, ns. */
  readonly startNs: Float64Array;
  readonly durationNsByRow: Float64Array;
  /** Row index just past the last descendant of each row: collapsing row r hides r+1 .. subtreeEnd[r]-1. */
  readonly subtreeEnd: Int32Array;
  /** Index into `services`. */
  readonly service: Uint16Array;
  readonly flags: Uint8Array;
  /**
   * Span names, interned: row r is named `nameTable[nameIndex[r]]`. A million-span trace has a few
   * hundred distinct names, and one typed array crosses postMessage far cheaper than 1M strings.
   */
  readonly nameTable: readonly string[];
  readonly nameIndex: Uint32Array;
  /** Event markers: parallel arrays, the row of each event and its offset from the trace start. */
  readonly eventRow: Int32Array;
  readonly eventNs: Float64Array;
  /** Critical path segments: row, start and end offsets (a span may be only partly on the path). */
  readonly criticalRow: Int32Array;
  readonly criticalStartNs: Float64Array;
  readonly criticalEndNs: Float64Array;
  readonly warnings: readonly string[];
  /** Per row, a GenAiKindCode (model, tool, agent, retrieval, embedding spans get an icon). Absent when the trace has no GenAI span. */
  readonly genAiKind?: Uint8Array;
  /**
   * Log record markers (issue 12), in row order like the events: the row, the offset from the trace
   * start and the coarse severity (LogSeverity). Absent when the trace has no record on a span.
   */
  readonly logRow?: Int32Array;
  readonly logNs?: Float64Array;
  readonly logSeverity?: Uint8Array;
}

export type AttrType = 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'array' | 'kvlist' | 'empty';

export interface AttributeDto {
  readonly key: string;
  /** Rendered as text by the webview; never as HTML. With `masked`, the masked text (`<redacted:jwt>`). */
  readonly value: string;
  readonly type: AttrType;
  /** Set when a redaction rule matched and `spanlens.redaction.maskOnScreen` is on. */
  readonly masked?: MaskedDto;
}

/**
 * A value masked on screen: what it really says (shown only after Reveal) and the rules that
 * matched. The original travels with the DTO: masking guards the screen (sharing, screenshots),
 * not the local webview, which shows the same file anyway.
 */
export interface MaskedDto {
  readonly original: string;
  readonly rules: readonly string[];
}

export interface SpanEventDto {
  readonly name: string;
  /** Offset from the trace start, ns. */
  readonly offsetNs: number;
  readonly attributes: readonly AttributeDto[];
}

/** Coarse log severities (the OTLP SeverityNumber ranges), index = the code in WaterfallDto.logSeverity. */
export const LOG_SEVERITIES = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LogSeverityName = (typeof LOG_SEVERITIES)[number];

export interface LogRecordDto {
  /** Offset from the trace start, ns. */
  readonly offsetNs: number;
  /** ISO time with microseconds. */
  readonly time: string;
  readonly severityNumber: number;
  /** The coarse severity (LOG_SEVERITIES). */
  readonly severity: LogSeverityName;
  /** As recorded, when it differs from `severity` ("warning", "E"). */
  readonly severityText?: string;
  /** The body as text (structured bodies as JSON); "" when the record has none. */
  readonly body: string;
  readonly bodyMasked?: MaskedDto;
  readonly eventName?: string;
  readonly attributes: readonly AttributeDto[];
  readonly spanId?: string;
  /** The record is an exception (exception.* attributes or an *.exception event). */
  readonly exception?: boolean;
}

export interface TraceLogsDto {
  /** Records of the trace that name no span it holds. */
  readonly records: readonly LogRecordDto[];
  readonly total: number;
}

export interface SpanLinkDto {
  readonly traceId: string;
  readonly spanId: string;
  readonly refType?: string;
  readonly attributes: readonly AttributeDto[];
  /** Where the linked span is in this file, when it is. */
  readonly target?: { readonly traceIndex: number; readonly spanIndex: number };
}

export interface SpanDetailDto {
  readonly traceIndex: number;
  readonly spanIndex: number;
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly kind: string;
  readonly statusCode: 'UNSET' | 'OK' | 'ERROR';
  readonly statusMessage?: string;
  /** The status message was masked (statusMessage is the masked text). */
  readonly statusMessageMasked?: MaskedDto;
  /** Masking on screen was on when this was built. */
  readonly masking?: boolean;
  /** ISO time with microseconds. */
  readonly startTime: string;
  readonly startTimeUnixNano: string;
  readonly offsetNs: number;
  readonly durationNs: number;
  /** Duration minus the time covered by children. */
  readonly selfTimeNs: number;
  readonly service: string;
  readonly attributes: readonly AttributeDto[];
  readonly resource: readonly AttributeDto[];
  readonly scope: { readonly name: string; readonly version?: string; readonly attributes: readonly AttributeDto[] };
  readonly events: readonly SpanEventDto[];
  readonly links: readonly SpanLinkDto[];
  /** Human text for each structural issue of this span. */
  readonly issues: readonly string[];
  /**
   * Stack traces recorded on the span (code.stacktrace, exception.stacktrace on events, error.stack),
   * parsed; frames innermost first. Each frame is a link (`openFrame` with its indices). Optional so
   * that DTOs built elsewhere (dev stubs, older tests) stay valid.
   */
  readonly stacks?: readonly StackDto[];
  /**
   * The span's recorded code location (code.*, a stack frame, Datadog code origin), as recorded (not
   * yet mapped to the workspace); undefined when none was recorded.
   */
  readonly codeLocation?: { readonly file: string; readonly line?: number };
  /** With no location: a recorded function name (code.function.name, code.function) Go to source can search the workspace symbols for. */
  readonly codeFunction?: string;
  /** When the span is a GenAI span (model call, tool, agent...): what the GenAI section shows. */
  readonly genAi?: GenAiDetailDto;
  /** Log records joined to this span, by time (at most MAX_SPAN_LOGS; `logCount` is the total). */
  readonly logs?: readonly LogRecordDto[];
  readonly logCount?: number;
  /** "TypeError: x is undefined": an exception was logged on this span, so it is shown as an error. */
  readonly loggedException?: string;
}

export interface GenAiDetailDto {
  readonly kind?: 'model' | 'tool' | 'agent' | 'retrieval' | 'embedding';
  readonly operation?: string;
  readonly provider?: string;
  readonly requestModel?: string;
  readonly responseModel?: string;
  readonly tokens: {
    readonly input?: number;
    readonly output?: number;
    readonly cachedInput?: number;
    readonly cacheWriteInput?: number;
    readonly reasoning?: number;
    readonly total?: number;
  };
  /** False when a descendant span carries the usage of the same call (so the trace total does not count it here). */
  readonly usageCounted?: boolean;
  readonly timeToFirstTokenMs?: number;
  readonly agentName?: string;
  readonly dataSourceId?: string;
  readonly messages: readonly GenAiMessageDto[];
  readonly tool?: { readonly name?: string; readonly callId?: string; readonly arguments?: string; readonly result?: string };
  /** The dialects the span was read as ("semconv", "vercel"...). */
  readonly dialects: readonly string[];
}

export interface GenAiMessageDto {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  /** Text; rendered with textContent, never as HTML. */
  readonly content: string;
  readonly toolCalls?: readonly { readonly id?: string; readonly name: string; readonly arguments?: string }[];
  readonly toolCallId?: string;
}

export interface StackFrameDto {
  /** The frame's line as recorded, for display. */
  readonly text: string;
  readonly function?: string;
  /** As recorded (not yet mapped to the workspace). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column?: number;
  /** Library or runtime code (node_modules, node:internal...): shown dimmed. */
  readonly library?: boolean;
}

export interface StackDto {
  /** Where it was recorded: "exception.stacktrace", "code.stacktrace", "error.stack". */
  readonly source: string;
  /** The exception event's name and offset when it came from one. */
  readonly eventName?: string;
  /** "PaymentDeclinedError: card ending 0000 declined". */
  readonly message?: string;
  /** The message was masked (message is the masked text). */
  readonly messageMasked?: MaskedDto;
  readonly frames: readonly StackFrameDto[];
}

export interface SearchQuery {
  /** Free text (matches name, service, ids, attribute keys and values) or `key=value`. */
  readonly text?: string;
  readonly service?: string;
  readonly minDurationNs?: number;
  readonly errorsOnly?: boolean;
  /** Spans with a log record at least this severe (an index into LOG_SEVERITIES, 1 TRACE … 6 FATAL). */
  readonly minLogSeverity?: number;
}

export interface SearchResultDto {
  /** Matching rows, ascending. */
  readonly rows: Int32Array;
  /** What the query was understood as, e.g. `attribute http.method = "GET"`. */
  readonly description: string;
}

export interface ErrorViewDto {
  readonly fileName: string;
  readonly message: string;
  /** The format being read when it failed, if it was detected. */
  readonly detectedFormat?: string;
  /** Formats that were tried when none matched. */
  readonly formatsTried: readonly string[];
  readonly location: { readonly line?: number; readonly column?: number; readonly offset?: number; readonly path?: string };
  /** "line 3, column 7 (byte 52)". */
  readonly locationText: string;
  /** Loading again may work (it was cancelled, or the worker stopped): the view offers "Load again". */
  readonly retryable?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

export type HostMessage =
  | {
      readonly type: 'fileLoaded';
      readonly fileName: string;
      readonly format: string;
      readonly traces: readonly TraceSummaryDto[];
      readonly warnings: readonly string[];
    }
  | { readonly type: 'traceData'; readonly waterfall: WaterfallDto }
  | { readonly type: 'loadError'; readonly error: ErrorViewDto }
  | { readonly type: 'loading'; readonly fileName: string; readonly bytes: number }
  | { readonly type: 'response'; readonly requestId: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'response'; readonly requestId: number; readonly ok: false; readonly error: string }
  /** Asks the webview to select (and reveal) a span, e.g. after following a link. */
  | { readonly type: 'revealSpan'; readonly traceIndex: number; readonly spanIndex: number }
  /** Span details it holds are stale (the masking setting changed): ask for them again. */
  | { readonly type: 'detailsChanged' };

/** Requests that expect a `response` message with the same requestId. */
export interface RequestMap {
  spanDetail: { params: { traceIndex: number; spanIndex: number }; result: SpanDetailDto };
  search: { params: { traceIndex: number; query: SearchQuery }; result: SearchResultDto };
  /** The trace's records that belong to no span of it (the header's trace-level list). */
  traceLogs: { params: { traceIndex: number }; result: TraceLogsDto };
}
export type RequestMethod = keyof RequestMap;

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'selectTrace'; readonly traceIndex: number }
  | {
      readonly type: 'request';
      readonly requestId: number;
      readonly method: RequestMethod;
      readonly params: RequestMap[RequestMethod]['params'];
    }
  | { readonly type: 'openAsText' }
  /** Load the file again (after a cancelled load or a stopped worker). */
  | { readonly type: 'reload' }
  | { readonly type: 'copy'; readonly text: string }
  | { readonly type: 'goToSource'; readonly traceIndex: number; readonly spanIndex: number }
  | { readonly type: 'openLink'; readonly traceIndex: number; readonly spanIndex: number }
  /** Open one stack frame of SpanDetailDto.stacks in the editor (mapped through source maps). */
  | {
      readonly type: 'openFrame';
      readonly traceIndex: number;
      readonly spanIndex: number;
      readonly stackIndex: number;
      readonly frameIndex: number;
    }
  /** A measurement taken in the webview (first paint, frame times), for benchmarks and tests. */
  | { readonly type: 'metric'; readonly name: string; readonly value: number };

// ---------------------------------------------------------------------------------------------
// Validation (host side): untrusted input from the webview
// ---------------------------------------------------------------------------------------------

const MAX_TEXT = 1_000_000;

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
}

function isShortString(v: unknown, max = 10_000): v is string {
  return typeof v === 'string' && v.length <= max;
}

function validQuery(q: unknown): q is SearchQuery {
  if (typeof q !== 'object' || q === null) return false;
  const o = q as Record<string, unknown>;
  return (
    (o.text === undefined || isShortString(o.text)) &&
    (o.service === undefined || isShortString(o.service)) &&
    (o.minDurationNs === undefined || (typeof o.minDurationNs === 'number' && Number.isFinite(o.minDurationNs))) &&
    (o.errorsOnly === undefined || typeof o.errorsOnly === 'boolean') &&
    (o.minLogSeverity === undefined || (Number.isInteger(o.minLogSeverity) && (o.minLogSeverity as number) >= 1 && (o.minLogSeverity as number) < LOG_SEVERITIES.length))
  );
}

/** Returns the message if it is well-formed, otherwise undefined. Never throws. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'openAsText':
    case 'reload':
      return { type: m.type };
    case 'selectTrace':
      return isIndex(m.traceIndex) ? { type: 'selectTrace', traceIndex: m.traceIndex } : undefined;
    case 'copy':
      return isShortString(m.text, MAX_TEXT) ? { type: 'copy', text: m.text } : undefined;
    case 'goToSource':
    case 'openLink':
      return isIndex(m.traceIndex) && isIndex(m.spanIndex) ? { type: m.type, traceIndex: m.traceIndex, spanIndex: m.spanIndex } : undefined;
    case 'openFrame':
      return isIndex(m.traceIndex) && isIndex(m.spanIndex) && isIndex(m.stackIndex) && isIndex(m.frameIndex)
        ? { type: 'openFrame', traceIndex: m.traceIndex, spanIndex: m.spanIndex, stackIndex: m.stackIndex, frameIndex: m.frameIndex }
        : undefined;
    case 'metric':
      return isShortString(m.name, 100) && typeof m.value === 'number' && Number.isFinite(m.value)
        ? { type: 'metric', name: m.name, value: m.value }
        : undefined;
    case 'request': {
      if (!isIndex(m.requestId) || typeof m.params !== 'object' || m.params === null) return undefined;
      const p = m.params as Record<string, unknown>;
      if (m.method === 'spanDetail' && isIndex(p.traceIndex) && isIndex(p.spanIndex)) {
        return { type: 'request', requestId: m.requestId, method: 'spanDetail', params: { traceIndex: p.traceIndex, spanIndex: p.spanIndex } };
      }
      if (m.method === 'traceLogs' && isIndex(p.traceIndex)) {
        return { type: 'request', requestId: m.requestId, method: 'traceLogs', params: { traceIndex: p.traceIndex } };
      }
      if (m.method === 'search' && isIndex(p.traceIndex) && validQuery(p.query)) {
        return { type: 'request', requestId: m.requestId, method: 'search', params: { traceIndex: p.traceIndex, query: p.query } };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
