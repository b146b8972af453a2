// The single entry point for reading a trace file: detect the format from the content (the file
// name is only a tie-breaker), parse, and dispatch to the format's pure importer.
//
// OTLP (JSON, JSON Lines, protobuf plain or length-framed) goes through the lean readers
// (otlpJsonScan.ts, otlpProtoScan.ts): the bytes are scanned where they are, no whole-file string
// is made, and attributes, events and links are decoded on first access. Everything else, and OTLP
// JSON in dialects the lean reader does not handle, goes through the exact readers below, which
// need the file as one string (and so are size-limited by the callers).
import * as fs from 'fs';
import { ImportError, NoSpansError } from '../model/errors';
import { isObject, parseJson } from './json';
import { FORMAT_LABELS, type FormatId, type Span, type TraceFile } from '../model/model';
import { importChrome, parseChromeText } from './chrome';
import { importJaeger } from './jaeger';
import { importOtlpJson, importOtlpJsonLines, JsonLinesState } from './otlpJson';
import { importOtlpProto, looksLikeOtlpProto } from './otlpProto';
import { importZipkin } from './zipkin';
import { DocResult, JsonScanner, lineColumnAtByte, ScanStop, Stop } from './otlpJsonScan';
import { importOtlpProtoLean } from './otlpProtoScan';
import { importOtlpLogsJson, importOtlpProtoLogs, isLogsDocument, isOtlpProtoLogs } from './otlpLogs';
import { assembleTraceFile } from '../model/trace';
import { checkFileSize, DEFAULT_MAX_FILE_MB } from './limits';

export interface ImportOptions {
  /** Used only to break ties and in messages. */
  readonly fileName?: string;
}

export interface ReadProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly spans?: number;
}

export interface PathImportOptions {
  readonly fileName?: string;
  /** For the formats that cannot be streamed yet (Jaeger, Zipkin, Tempo, Chrome); default 256. */
  readonly maxFileSizeMB?: number;
  /** Called at most every ~100 ms while reading and scanning. */
  readonly onProgress?: (p: ReadProgress) => void;
  /** Polled between chunks and every few thousand spans; true stops the import with ImportCancelled. */
  readonly isCancelled?: () => boolean;
  /** How to raise the limit, for its message (default: the CLI flag). */
  readonly howToRaiseLimit?: string;
}

/** Thrown by importTraceFilePath when isCancelled() returned true. */
export class ImportCancelled extends Error {
  constructor() {
    super('the import was cancelled');
    this.name = 'ImportCancelled';
  }
}

const JSON_FORMATS: FormatId[] = ['otlp-json', 'tempo', 'jaeger-v3', 'jaeger-json', 'zipkin-v2', 'zipkin-v1', 'chrome'];

/** Above this the exact reader cannot hold the file as one string (V8's limit is ~512M characters). */
const EXACT_MAX_BYTES = 480 * 1024 * 1024;

/** Called before the exact (whole-string) reader runs: the size policy for non-streamable input. */
type ExactGate = (what: string) => void;

/** Imports a trace file from its bytes. Throws ImportError (never anything else) on bad input. */
export function importTraceFile(bytes: Uint8Array, opts: ImportOptions = {}): TraceFile {
  return runSync(guarded(decoded(asBuffer(bytes), (b) => importGen(b, opts, noGate))));
}

/** The previous, exact path for every format (kept as the reference the lean readers are tested against). */
export function importTraceFileExact(bytes: Uint8Array, opts: ImportOptions = {}): TraceFile {
  try {
    return runSync(decoded(asBuffer(bytes), (b) => plain(() => importExact(b, opts))));
  } catch (e) {
    throw asImportError(e);
  }
}

/**
 * Reads a trace file from disk in chunks into one Buffer (off the V8 heap), then imports it with
 * the lean readers, reporting progress and honouring cancellation throughout.
 */
export async function importTraceFilePath(filePath: string, opts: PathImportOptions = {}): Promise<TraceFile> {
  const maxMb = opts.maxFileSizeMB ?? DEFAULT_MAX_FILE_MB;
  const how = opts.howToRaiseLimit ?? 'the setting "spanlens.maxFileSizeMB"';
  const progress = throttle(opts.onProgress);
  const cancelled = () => {
    if (opts.isCancelled?.()) throw new ImportCancelled();
  };
  const fh = await fs.promises.open(filePath, 'r');
  let buf: Buffer;
  try {
    const size = (await fh.stat()).size;
    buf = Buffer.allocUnsafe(size);
    let done = 0;
    const CHUNK = 8 * 1024 * 1024;
    while (done < size) {
      cancelled();
      const { bytesRead } = await fh.read(buf, done, Math.min(CHUNK, size - done), done);
      if (bytesRead === 0) break;
      done += bytesRead;
      // A file over the limit is only worth reading on when it can be streamed (OTLP).
      if (done === Math.min(size, CHUNK) && size > maxMb * 1024 * 1024 && !mayBeStreamable(buf.subarray(0, done))) {
        checkFileSize(size, maxMb, how);
      }
      progress({ bytesDone: done, bytesTotal: size });
    }
    if (done < size) buf = buf.subarray(0, done);
  } finally {
    await fh.close();
  }
  const total = buf.length;
  const gate: ExactGate = () => checkFileSize(total, maxMb, how);
  const gen = guarded(decoded(buf, (b) => importGen(b, { fileName: opts.fileName ?? filePath }, gate)));
  let last = Date.now();
  for (;;) {
    cancelled();
    const r = gen.next();
    if (r.done) {
      progress({ bytesDone: total, bytesTotal: total, spans: r.value.spanCount }, true);
      return r.value;
    }
    progress({ bytesDone: total, bytesTotal: total, spans: r.value });
    // Let the event loop run now and then (a cancel message, a progress post).
    if (Date.now() - last > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      last = Date.now();
    }
  }
}

function throttle(f: ((p: ReadProgress) => void) | undefined): (p: ReadProgress, force?: boolean) => void {
  let last = 0;
  return (p, force) => {
    if (!f) return;
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    f(p);
  };
}

/** Could the head of a file be OTLP (which the lean readers stream)? Permissive. */
function mayBeStreamable(head: Buffer): boolean {
  if (looksLikeOtlpProto(head)) return true;
  const text = head.toString('latin1', 0, Math.min(head.length, 1 << 20));
  return /"(resourceSpans|resource_spans|resourceMetrics|resourceLogs)"/.test(text);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function noGate(): void {}

function asImportError(e: unknown): ImportError {
  if (e instanceof ImportError) return e;
  // A bug or an input shape no importer anticipated: still a message, never a crash.
  return new ImportError(`could not read the file: ${e instanceof Error ? e.message : String(e)}`, {}, undefined, [], e);
}

/** Wraps a generator so that it throws only ImportError (or ImportCancelled, from the driver). */
function* guarded(g: Generator<number, TraceFile>): Generator<number, TraceFile> {
  try {
    return yield* g;
  } catch (e) {
    throw asImportError(e);
  }
}

/** Runs an import on UTF-8 bytes (UTF-16 transcoded, with a warning) and applies the no-spans rule. */
function* decoded(buf: Buffer, run: (b: Buffer) => Generator<number, TraceFile>): Generator<number, TraceFile> {
  const utf16 = utf16AsUtf8(buf);
  const file = yield* withSpans(run(utf16 ? utf16.bytes : buf));
  if (!utf16) return file;
  return { ...file, warnings: [{ code: 'encoding', message: `the file is ${utf16.encoding} text; it was decoded as such (trace files are usually UTF-8)` }, ...file.warnings] };
}

// eslint-disable-next-line require-yield
function* plain(f: () => TraceFile): Generator<number, TraceFile> {
  return f();
}

function runSync(g: Generator<number, TraceFile>): TraceFile {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

function importExact(bytes: Uint8Array, opts: ImportOptions): TraceFile {
  // 0x0a is both a newline and protobuf's tag for field 1 (resource_spans): a request whose first
  // length byte happens to be '{' looks like JSON after a blank line. Try JSON, then protobuf.
  if (bytes[0] === 0x0a && looksLikeOtlpProto(bytes) && startsWithBrace(bytes)) {
    try {
      return importJsonText(decodeUtf8(bytes), opts);
    } catch (jsonError) {
      try {
        return isOtlpProtoLogs(bytes) ? importOtlpProtoLogs(bytes) : importOtlpProto(bytes);
      } catch {
        throw jsonError;
      }
    }
  }
  checkNotBlank(bytes);
  const c = bytes[firstNonSpace(bytes)];
  const isText = c === 0x7b /* { */ || c === 0x5b; /* [ */
  if (!isText || /\.(binpb|pb|proto|bin)$/i.test(opts.fileName ?? '')) {
    if (looksLikeOtlpProto(bytes)) return isOtlpProtoLogs(bytes) ? importOtlpProtoLogs(bytes) : importOtlpProto(bytes);
    if (!isText) notRecognised(bytes);
  }
  return importJsonText(decodeUtf8(bytes), opts);
}

function firstNonSpace(bytes: Uint8Array): number {
  let first = 0;
  while (first < bytes.length && isSpace(bytes[first])) first++;
  return first;
}

function checkNotBlank(bytes: Uint8Array): void {
  const first = firstNonSpace(bytes);
  if (bytes.length === 0 || first === bytes.length) {
    throw new NoSpansError(`the file contains no spans: ${bytes.length === 0 ? 'it is empty (0 bytes)' : 'it holds only white space'}`, { offset: 0 }, undefined, [...JSON_FORMATS, 'otlp-proto']);
  }
}

function notRecognised(bytes: Uint8Array): never {
  const first = firstNonSpace(bytes);
  const c = bytes[first];
  const scalar = jsonScalarKind(bytes, first);
  if (scalar) {
    throw new ImportError(`valid JSON, but not a trace: the whole file is a JSON ${scalar}; a trace file is a JSON object or array (OTLP, Jaeger, Zipkin, Tempo, Chrome)`, { offset: first }, undefined, JSON_FORMATS);
  }
  throw new ImportError(
    `not a recognised trace file: it is neither JSON (it starts with byte 0x${c.toString(16).padStart(2, '0')}) nor an OTLP protobuf ExportTraceServiceRequest`,
    { offset: first },
    undefined,
    [...JSON_FORMATS, 'otlp-proto', 'otlp-proto-framed'],
  );
}

/** "null", "number", "string" or "boolean" when the whole file is that one JSON value. */
function jsonScalarKind(bytes: Uint8Array, first: number): string | undefined {
  const c = bytes[first];
  const starts = c === 0x6e || c === 0x74 || c === 0x66 || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39);
  if (!starts || bytes.length > 1 << 20) return undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder('utf-8').decode(bytes.subarray(first)));
    return v === null ? 'null' : typeof v;
  } catch {
    return undefined;
  }
}

/**
 * UTF-16 text (with a byte-order mark, or the zero bytes of ASCII JSON in UTF-16) as UTF-8, so the
 * readers see JSON and not something that looks like framed protobuf. Undefined when not UTF-16.
 */
export function utf16AsUtf8(bytes: Uint8Array): { bytes: Buffer; encoding: 'UTF-16LE' | 'UTF-16BE' } | undefined {
  if (bytes.length < 2) return undefined;
  let le: boolean | undefined;
  let skip = 0;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) [le, skip] = [true, 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [le, skip] = [false, 2];
  else if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && isJsonStart(bytes[0]) && bytes[0] !== 0) le = true;
  else if (bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && isJsonStart(bytes[1]) && bytes[1] !== 0) le = false;
  if (le === undefined) return undefined;
  const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(skip));
  return { bytes: Buffer.from(text, 'utf8'), encoding: le ? 'UTF-16LE' : 'UTF-16BE' };
}

function isJsonStart(b: number): boolean {
  return b === 0x7b || b === 0x5b || isSpace(b);
}

/** Every format says the same when a file holds no spans (an empty file, list or envelope). */
function* withSpans(g: Generator<number, TraceFile>): Generator<number, TraceFile> {
  const file = yield* g;
  // A file of log records alone is not empty: it opens with its records and no traces.
  if (file.spanCount === 0 && file.traces.length === 0 && !file.logs?.length) throw noSpans(file.format, file.warnings.map((w) => w.message));
  return file;
}

function noSpans(format: FormatId | undefined, why: readonly string[] = []): NoSpansError {
  const label = format ? `${FORMAT_LABELS[format]} ` : '';
  const detail = why.length ? `: ${why[0]}` : '';
  return new NoSpansError(`the ${label}file contains no spans${detail}`, {}, format);
}

/** The lean import: the same decisions as importExact, with the lean readers for OTLP. */
function* importGen(buf: Buffer, opts: ImportOptions, gate: ExactGate): Generator<number, TraceFile> {
  if (buf[0] === 0x0a && looksLikeOtlpProto(buf) && startsWithBrace(buf)) {
    try {
      return yield* leanJson(buf, opts, gate);
    } catch (jsonError) {
      try {
        return yield* protoLean(buf);
      } catch {
        throw jsonError;
      }
    }
  }
  checkNotBlank(buf);
  const c = buf[firstNonSpace(buf)];
  const isText = c === 0x7b || c === 0x5b;
  if (!isText || /\.(binpb|pb|proto|bin)$/i.test(opts.fileName ?? '')) {
    if (looksLikeOtlpProto(buf)) return yield* protoLean(buf);
    if (!isText) notRecognised(buf);
  }
  return yield* leanJson(buf, opts, gate);
}

/** Protobuf: log requests by their own reader (the lean trace scanner would misread them as spans). */
function* protoLean(buf: Buffer): Generator<number, TraceFile> {
  if (isOtlpProtoLogs(buf)) return importOtlpProtoLogs(buf);
  return yield* importOtlpProtoLean(buf);
}

/** The exact JSON reader on the whole text, behind the size gate. */
function exactJson(buf: Buffer, opts: ImportOptions, gate: ExactGate, what: string): TraceFile {
  gate(what);
  if (buf.length > EXACT_MAX_BYTES) {
    throw new ImportError(
      `the file is ${(buf.length / 1048576).toFixed(1)} MB of ${what}, which only the exact reader handles, and it cannot hold more than ${EXACT_MAX_BYTES / 1048576} MB; ` +
        `canonical OTLP JSON, OTLP JSON Lines and OTLP protobuf of any size are read by the streaming reader`,
      { offset: 0 },
    );
  }
  return importJsonText(decodeUtf8(buf), opts);
}

function* leanJson(buf: Buffer, opts: ImportOptions, gate: ExactGate): Generator<number, TraceFile> {
  let start = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  const spans: Span[] = [];
  const scanner = new JsonScanner(buf, spans);
  let result: DocResult;
  try {
    result = yield* scanner.document(start, buf.length, '$');
  } catch (e) {
    if (!(e instanceof ScanStop)) throw e;
    if (e.why === Stop.Dialect) return exactJson(buf, opts, gate, 'OTLP JSON in a dialect the streaming reader does not read (snake_case keys, enum names, legacy fields...)');
    // Not one JSON document: JSON Lines?
    if (looksLikeJsonLinesBytes(buf, start)) {
      try {
        return yield* leanJsonLines(buf, start);
      } catch (f) {
        if (!(f instanceof ScanStop)) throw f;
        if (buf.length > EXACT_MAX_BYTES) throw syntaxError(buf, f.at, 'otlp-jsonl');
        return exactJson(buf, opts, gate, 'JSON Lines with a broken line');
      }
    }
    if (buf.length > EXACT_MAX_BYTES) throw syntaxError(buf, e.at);
    return exactJson(buf, opts, gate, 'broken JSON');
  }
  if (result.kind === 'not-otlp') return exactJson(buf, opts, gate, 'a format that cannot be streamed yet (Jaeger, Zipkin, Tempo, Chrome)');
  return assembleTraceFile('otlp-json', spans, result.warnings.list());
}

/** For files the exact reader cannot hold: the position in bytes, found by the scanner. */
function syntaxError(buf: Buffer, at: number, format?: FormatId): ImportError {
  const { line, column } = lineColumnAtByte(buf, at);
  const what = at >= buf.length ? 'Unexpected end of JSON input' : `Unexpected token ${JSON.stringify(String.fromCharCode(buf[at]))}`;
  return new ImportError(`invalid JSON: ${what}`, { line, column, offset: at }, format);
}

/** Bytes version of looksLikeJsonLines (several lines, each of which starts a JSON object). */
function looksLikeJsonLinesBytes(buf: Buffer, start: number): boolean {
  const nl = buf.indexOf(0x0a, start);
  if (nl < 0) return false;
  let i = start;
  while (i < buf.length && isJsonSpace(buf[i])) i++;
  if (buf[i] !== 0x7b) return false;
  let j = nl + 1;
  while (j < buf.length && isJsonSpace(buf[j])) j++;
  return j === buf.length || buf[j] === 0x7b;
}

function isJsonSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0b || b === 0x0c;
}

/**
 * JSON Lines, line by line from the Buffer: canonical OTLP lines by the scanner, every other line
 * (other envelopes, dialects, other signals) by the exact reader on that line's text. A broken
 * line throws ScanStop: the caller re-reads the whole file with the exact reader for its message
 * (or reports the byte position when the file is too big for it).
 */
function* leanJsonLines(buf: Buffer, start: number): Generator<number, TraceFile> {
  const state = new JsonLinesState();
  const scanner = new JsonScanner(buf, state.spans);
  let lineNo = 0;
  let pos = start;
  const n = buf.length;
  while (pos < n) {
    let nl = buf.indexOf(0x0a, pos);
    if (nl < 0) nl = n;
    const ls = pos;
    lineNo++;
    pos = nl + 1;
    let k = ls;
    while (k < nl && isJsonSpace(buf[k])) k++;
    if (k === nl) continue;
    if (state.otherSignal(buf.toString('latin1', ls, Math.min(nl, ls + 200)))) continue;
    const before = state.spans.length;
    try {
      const r = yield* scanner.document(ls, nl, `line ${lineNo}: $`);
      if (r.kind === 'otlp') {
        state.warnings.absorb(r.warnings);
        state.leanLine();
        continue;
      }
    } catch (e) {
      if (!(e instanceof ScanStop)) throw e;
      if (e.why === Stop.Syntax) {
        state.spans.length = before;
        // The exact rule for a file still being written: an incomplete last line after good ones.
        let rest = pos;
        while (rest < n && isJsonSpace(buf[rest])) rest++;
        if (rest >= n && state.goodLines > 0 && buf.length > EXACT_MAX_BYTES && e.at >= lastNonSpace(buf, ls, nl)) {
          state.incompleteLastLine(lineNo);
          break;
        }
        throw e;
      }
    }
    state.spans.length = before;
    const line = buf.toString('utf8', ls, nl);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ScanStop(Stop.Syntax, ls); // the exact reader gives the message
    }
    state.parsedLine(line, value, lineNo);
  }
  return state.finish();
}

function lastNonSpace(buf: Buffer, s: number, e: number): number {
  let i = e;
  while (i > s && isJsonSpace(buf[i - 1])) i--;
  return i;
}

function importJsonText(text: string, opts: ImportOptions): TraceFile {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (wholeFileError) {
    // Not one JSON document: a Chrome trace array that was never closed, which that format
    // explicitly allows, or a Chrome trace with trailing commas (one event a line looks like JSON
    // Lines, so this is tried first)...
    const chrome = parseChromeText(text);
    if (chrome !== undefined) return importChrome(chrome);
    // ...or JSON Lines (OTel Collector file exporter, Jaeger api/v3 NDJSON).
    if (looksLikeJsonLines(text)) return importOtlpJsonLines(text);
    throw wholeFileError;
  }
  if (isLogsDocument(value)) return importOtlpLogsJson(value, text);
  const format = detectJsonFormat(value);
  if (Array.isArray(value) && value.every((x) => x === null)) throw new NoSpansError('the file contains no spans: it is an empty JSON array', { path: '$' }, undefined, JSON_FORMATS);
  if (!format) {
    throw new ImportError(`not a recognised trace format: ${describeShape(value)}`, { path: '$' }, undefined, JSON_FORMATS);
  }
  switch (format) {
    case 'otlp-json':
    case 'tempo':
    case 'jaeger-v3':
      return importOtlpJson(value, format, text);
    case 'jaeger-json':
      return importJaeger(value, text);
    case 'zipkin-v2':
    case 'zipkin-v1':
      return importZipkin(value, text);
    case 'chrome':
      return importChrome(value);
    default:
      throw new ImportError(`format ${format} is not readable as JSON`);
  }
}

/** Several lines, each of which starts a JSON object. A single-line file is plain JSON. */
function looksLikeJsonLines(text: string): boolean {
  const firstNl = text.indexOf('\n');
  if (firstNl < 0) return false;
  const second = text.slice(firstNl + 1).trimStart();
  return text.trimStart().startsWith('{') && (second.startsWith('{') || second === '');
}

/** Decides the format of a parsed JSON document by its shape. */
export function detectJsonFormat(v: unknown): FormatId | undefined {
  if (Array.isArray(v)) {
    const sample = v.find((x) => x !== null && x !== undefined);
    if (sample === undefined) return undefined;
    if (Array.isArray(sample)) {
      // A list of Zipkin traces. Only one level is looked at: nesting must never cost stack.
      const first = sample.find(isObject);
      return first && isZipkinV1(first) ? 'zipkin-v1' : 'zipkin-v2';
    }
    if (!isObject(sample)) return undefined;
    if ('ph' in sample) return 'chrome';
    if ('spanID' in sample || 'operationName' in sample) return 'jaeger-json';
    if ('traceId' in sample && 'id' in sample) return isZipkinV1(sample) ? 'zipkin-v1' : 'zipkin-v2';
    if ('trace_id' in sample && 'id' in sample) return 'zipkin-v1'; // Zipkin v1 Thrift rendered as JSON
    if ('traceID' in sample && Array.isArray(sample.spans)) return 'jaeger-json'; // a list of Jaeger traces
    if (isObject(sample.process) && Array.isArray(sample.spans)) return 'jaeger-json'; // a list of Jaeger Thrift batches
    return undefined;
  }
  if (!isObject(v)) return undefined;
  if ('resourceSpans' in v || 'resource_spans' in v) return 'otlp-json';
  if ('batches' in v) return 'tempo';
  if (isObject(v.trace) && ('resourceSpans' in v.trace || 'resource_spans' in v.trace || 'batches' in v.trace)) return 'tempo';
  if (isObject(v.result) && ('resourceSpans' in v.result || 'resource_spans' in v.result)) return 'jaeger-v3';
  if ('traceEvents' in v) return 'chrome';
  if ('data' in v && (Array.isArray(v.data) || isObject(v.data))) {
    const d = Array.isArray(v.data) ? v.data[0] : v.data;
    if (d === undefined || (isObject(d) && ('spans' in d || 'traceID' in d))) return 'jaeger-json';
  }
  if ('data' in v && v.data === null && Array.isArray(v.errors)) return 'jaeger-json'; // Jaeger query error response: importer explains
  if ('traceID' in v || 'spanID' in v || 'operationName' in v || 'processMap' in v) return 'jaeger-json';
  if (Array.isArray(v.spans)) {
    const s0 = v.spans[0];
    if (isObject(s0) && ('operationName' in s0 || 'spanID' in s0 || 'traceIdLow' in s0)) return 'jaeger-json';
    if (isObject(s0) && ('trace_id' in s0 || 'local_endpoint' in s0)) return 'zipkin-v2'; // zipkin proto3 JSON: importer explains
    if (s0 === undefined) return 'jaeger-json';
  }
  if ('traceId' in v && 'id' in v) return isZipkinV1(v) ? 'zipkin-v1' : 'zipkin-v2';
  if ('trace_id' in v && 'id' in v) return 'zipkin-v1'; // Zipkin Thrift rendered as JSON
  return undefined;
}

function isZipkinV1(span: Record<string, unknown>): boolean {
  return 'binaryAnnotations' in span || (!('localEndpoint' in span) && !('kind' in span) && Array.isArray(span.annotations) && span.annotations.some((a) => isObject(a) && 'endpoint' in a));
}

function describeShape(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return 'the file is an empty JSON array, with no spans or events in it';
    const s = v[0];
    return isObject(s)
      ? `an array of objects with keys ${Object.keys(s).slice(0, 8).join(', ')}; expected Zipkin spans (traceId, id), Jaeger spans (spanID) or Chrome events (ph)`
      : `an array of ${typeof s} values; expected spans or trace events`;
  }
  if (isObject(v)) {
    const keys = Object.keys(v).slice(0, 8);
    return `a JSON object with keys ${keys.length ? keys.join(', ') : '(none)'}; expected resourceSpans (OTLP), batches or trace (Tempo), result (Jaeger api/v3), data/traceID/spans (Jaeger), traceEvents (Chrome), or a Zipkin span`;
  }
  return `a single JSON ${v === null ? 'null' : typeof v}, not a trace document`;
}

function startsWithBrace(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i])) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf; // incl. UTF-8 BOM
}

function decodeUtf8(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const TRACE_KEYS_RE = /"(resourceSpans|resource_spans|resourceLogs|resource_logs|scopeSpans|batches|traceEvents|traceID|spanID|operationName|traceId|trace_id|parentSpanId|localEndpoint|ph)"\s*:/;

/**
 * Whether the first bytes of a JSON/JSONL document look like a trace (for the editor-title action).
 * Cheap and permissive: it only decides whether to offer "Open with Spanlens".
 */
export function looksLikeTraceText(prefix: string): boolean {
  const t = prefix.trimStart();
  return (t.startsWith('{') || t.startsWith('[')) && TRACE_KEYS_RE.test(prefix);
}
