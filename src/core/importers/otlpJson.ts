// OTLP JSON documents and JSON Lines files:
//  - ExportTraceServiceRequest / TracesData `{resourceSpans}` ('otlp-json');
//  - Tempo trace-by-id responses: v1 `{batches}`, v2 `{trace: {resourceSpans|batches}, status?, message?}`
//    whose status PARTIAL means spans are missing ('tempo');
//  - Jaeger api/v3 `{result: {resourceSpans}}` ('jaeger-v3');
//  - JSON Lines ('otlp-jsonl'): one of the above per line, as the Collector file exporter and
//    Jaeger's api/v3 stream write them; log lines are read into TraceFile.logs (./otlpLogs.ts),
//    metrics/profiles lines of mixed files are skipped and counted.
// The dialect handling (snake_case, base64 ids, enum names...) is in ../otlp/fromJson.ts.
import { ImportError } from '../model/errors';
import { isObject, parseJson } from './json';
import type { ImportWarning, Span, TraceFile } from '../model/model';
import { JsonReadContext, quoteUnsafeIntegers, tracesDataFromJson } from '../otlp/fromJson';
import { STRING_IDS, spansFromOtlp } from '../otlp/toModel';
import { WarningSink } from '../otlp/warnings';
import { assembleTraceFile } from '../model/trace';
import type { LogRecord } from '../model/logs';
import { readLogsDocument } from './otlpLogs';

type JsonFormat = 'otlp-json' | 'tempo' | 'jaeger-v3';

interface Envelope {
  /** The resourceSpans-like array, its key and its JSON path. */
  readonly list: unknown;
  readonly key: string;
  readonly path: string;
  readonly partial?: string;
}

/** Finds the resourceSpans array in any of the accepted envelopes; undefined if none. */
function envelopeOf(v: unknown): Envelope | undefined {
  if (!isObject(v)) return undefined;
  for (const key of ['resourceSpans', 'resource_spans', 'batches']) if (key in v) return { list: v[key], key, path: '$' };
  const t = v.trace;
  if (isObject(t)) {
    const partial = tempoPartial(v);
    for (const key of ['resourceSpans', 'resource_spans', 'batches']) if (key in t) return { list: t[key], key, path: '$.trace', partial };
    // A v2 response for a trace with no spans yet: `{"trace": {}}`.
    return { list: [], key: 'resourceSpans', path: '$.trace', partial };
  }
  const r = v.result;
  if (isObject(r)) for (const key of ['resourceSpans', 'resource_spans']) if (key in r) return { list: r[key], key, path: '$.result' };
  return undefined;
}

/** Tempo v2 TraceByIDResponse.status (PartialStatus: COMPLETE = 0, PARTIAL = 1) and message. */
function tempoPartial(v: Record<string, unknown>): string | undefined {
  const status = v.status;
  if (status !== 1 && !(typeof status === 'string' && status.toUpperCase() === 'PARTIAL')) return undefined;
  const message = typeof v.message === 'string' && v.message ? ` Tempo says: ${v.message}` : '';
  return `Tempo returned a partial trace (status PARTIAL): some spans are missing from this response.${message}`;
}

/** Reads one document's spans into `out`. Returns whether some int64 JSON numbers were inexact. */
function readDocument(env: Envelope, warnings: WarningSink, out: Span[], pathRoot: string): JsonReadContext {
  const ctx = new JsonReadContext(warnings, pathRoot === '$' ? env.path : `${pathRoot}${env.path.slice(1)}`);
  const data = tracesDataFromJson(env.list, env.key, ctx);
  spansFromOtlp(data, STRING_IDS, warnings, out, ctx.path.at());
  if (env.partial) warnings.push({ code: 'skipped-records', message: env.partial });
  return ctx;
}

function precisionWarning(ctx: JsonReadContext): ImportWarning {
  return {
    code: 'precision',
    count: ctx.unsafeNumbers,
    message:
      `${ctx.unsafeNumbers} 64-bit value(s) are JSON numbers above 2^53 and lost precision when parsed ` +
      `(nanosecond times may be off by up to 128 ns; first at ${ctx.firstUnsafeAt}). OTLP JSON writes them as strings.`,
  };
}

/**
 * Imports a parsed OTLP JSON document. Pass `sourceText` (the text `value` was parsed from) to
 * keep int64 values that were written as JSON numbers above 2^53 exact: the document is then
 * re-read from the text with those numbers quoted. Without it they are kept rounded, with a
 * 'precision' warning.
 */
export function importOtlpJson(value: unknown, format: JsonFormat, sourceText?: string): TraceFile {
  const env = envelopeOf(value);
  if (!env) {
    const keys = isObject(value) ? Object.keys(value).slice(0, 8).join(', ') || '(none)' : Array.isArray(value) ? 'an array' : typeof value;
    throw new ImportError(`not an OTLP trace document: expected resourceSpans, batches, trace or result, found ${keys}`, { path: '$' }, format);
  }
  let warnings = new WarningSink();
  let spans: Span[] = [];
  let ctx = readDocument(env, warnings, spans, '$');
  if (ctx.unsafeNumbers > 0 && sourceText !== undefined) {
    const exact = envelopeOf(parseJson(quoteUnsafeIntegers(sourceText), { format }));
    if (exact) {
      warnings = new WarningSink();
      spans = [];
      ctx = readDocument(exact, warnings, spans, '$');
    }
  }
  if (ctx.unsafeNumbers > 0) warnings.push(precisionWarning(ctx));
  return assembleTraceFile(format, spans, warnings.list());
}

const OTHER_SIGNAL_RE = /^\s*\{\s*"(resourceMetrics|resource_metrics|resourceLogs|resource_logs|resourceProfiles|resource_profiles)"/;

type Signal = 'metrics' | 'logs' | 'profiles';

function signalOfKey(key: string): Signal {
  return key.startsWith('resourceMetrics') || key.startsWith('resource_metrics') ? 'metrics' : key.includes('ogs') ? 'logs' : 'profiles';
}

/** Signal of a parsed line that holds no traces, if it is another OTLP signal. */
function otherSignalOf(v: Record<string, unknown>): Signal | undefined {
  for (const key of Object.keys(v)) {
    if (/^resource_?(metrics|logs|profiles)$/i.test(key)) return signalOfKey(key);
  }
  return undefined;
}

/**
 * The per-line bookkeeping of a JSON Lines import, shared by the exact reader below and the lean
 * byte-level reader (otlpJsonScan.ts), so both count, skip and warn the same way.
 */
export class JsonLinesState {
  readonly warnings = new WarningSink();
  readonly spans: Span[] = [];
  readonly logs: LogRecord[] = [];
  private readonly skipped: Record<Signal, number> = { metrics: 0, logs: 0, profiles: 0 };
  private unknown = 0;
  private firstUnknown: string | undefined;
  traceLines = 0;
  logLines = 0;
  goodLines = 0;
  private unsafe: JsonReadContext | undefined;

  /** A line of another signal (by its start): counted and skipped. Returns whether it was one. */
  otherSignal(lineStart: string): boolean {
    const other = OTHER_SIGNAL_RE.exec(lineStart);
    // Log lines are read (parsedLine), not skipped.
    if (!other || signalOfKey(other[1]) === 'logs') return false;
    this.skipped[signalOfKey(other[1])]++;
    this.goodLines++;
    return true;
  }

  /** A line that parsed as JSON (`value`, from `line`), read by the exact reader. */
  parsedLine(line: string, value: unknown, lineNo: number): void {
    this.goodLines++;
    // int64 JSON numbers above 2^53 (rare): re-read the line with them quoted, to keep them exact.
    const exactLine = quoteUnsafeIntegers(line);
    if (exactLine !== line) value = JSON.parse(exactLine);
    const env = envelopeOf(value);
    if (env) {
      this.traceLines++;
      const ctx = readDocument(env, this.warnings, this.spans, `line ${lineNo}: $`);
      if (ctx.unsafeNumbers > 0 && !this.unsafe) this.unsafe = ctx;
      return;
    }
    const signal = isObject(value) ? otherSignalOf(value) : undefined;
    if (signal === 'logs') {
      this.logLines++;
      readLogsDocument(value, this.warnings, this.logs, `line ${lineNo}: $`);
    } else if (signal) this.skipped[signal]++;
    else if (isObject(value) && isObject(value.error)) {
      // Jaeger api/v3 streams an error record instead of a result.
      this.warnings.add('skipped-lines', `line(s) are error records, not traces`, `line ${lineNo}: ${JSON.stringify(value.error).slice(0, 200)}`);
    } else {
      this.unknown++;
      this.firstUnknown ??= `line ${lineNo}`;
    }
  }

  /** A trace line the lean reader read (its spans already appended, its warnings absorbed). */
  leanLine(): void {
    this.goodLines++;
    this.traceLines++;
  }

  incompleteLastLine(lineNo: number): void {
    this.warnings.push({
      code: 'skipped-lines',
      count: 1,
      message: `The last line (${lineNo}) is incomplete JSON and was skipped: was the file still being written?`,
    });
  }

  finish(): TraceFile {
    const { warnings } = this;
    // Log lines without a single record leave the file as empty of data as skipped lines would.
    const noData = this.traceLines === 0 && this.logs.length === 0;
    const skipped = noData ? { ...this.skipped, logs: this.skipped.logs + this.logLines } : this.skipped;
    const parts = (Object.keys(skipped) as Signal[]).filter((k) => skipped[k] > 0).map((k) => `${skipped[k]} ${k}`);
    const skippedTotal = skipped.metrics + skipped.logs + skipped.profiles;
    if (noData) {
      const what = parts.length ? `it holds only other signals (${parts.join(' and ')} lines)` : `no line holds resourceSpans (first unrecognised: ${this.firstUnknown ?? 'line 1'})`;
      throw new ImportError(`no trace data in this JSON Lines file: ${what}`, { line: 1 }, 'otlp-jsonl');
    }
    if (skippedTotal > 0) {
      warnings.push({ code: 'skipped-lines', count: skippedTotal, message: `Skipped ${parts.join(' and ')} lines (only traces and logs are shown).` });
    }
    if (this.unknown > 0) {
      warnings.push({ code: 'skipped-lines', count: this.unknown, message: `Skipped ${this.unknown} line(s) that are not OTLP documents (first: ${this.firstUnknown}).` });
    }
    if (this.unsafe) warnings.push(precisionWarning(this.unsafe));
    const file = assembleTraceFile('otlp-jsonl', this.spans, warnings.list());
    return this.logLines > 0 ? { ...file, logs: this.logs } : file;
  }
}

/**
 * JSON Lines: every non-blank line one document. An invalid line fails the import with its line
 * and column, except an incomplete last line after good ones (a file still being written), which
 * is skipped with a warning.
 */
export function importOtlpJsonLines(text: string): TraceFile {
  const state = new JsonLinesState();
  let lineNo = 0;
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl);
    const lineStart = pos;
    lineNo++;
    pos = nl + 1;
    if (line.trim() === '') continue;
    if (state.otherSignal(line)) continue;
    let value: unknown;
    try {
      value = parseJson(line, { format: 'otlp-jsonl', lineBase: lineNo - 1, offsetBase: lineStart });
    } catch (e) {
      if (state.goodLines === 0) {
        // Even the first line is not a JSON document: this is more likely one pretty-printed JSON
        // document that is broken somewhere, so report the position in the whole text.
        parseJson(text);
      }
      const isLast = text.slice(pos).trim() === '';
      if (isLast && state.goodLines > 0 && e instanceof ImportError && endsEarly(line, e, lineStart)) {
        state.incompleteLastLine(lineNo);
        break;
      }
      throw e;
    }
    state.parsedLine(line, value, lineNo);
  }
  return state.finish();
}

/** The parse failed at the end of the line: it was cut off, not malformed in the middle. */
function endsEarly(line: string, e: ImportError, lineStart: number): boolean {
  const off = e.location.offset;
  return off !== undefined && off - lineStart >= line.trimEnd().length;
}
