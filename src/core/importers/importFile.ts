// The single entry point for reading a trace file: detect the format from the content (the file
// name is only a tie-breaker), parse, and dispatch to the format's pure importer.
import { ImportError } from '../model/errors';
import { isObject, parseJson } from './json';
import type { FormatId, TraceFile } from '../model/model';
import { importChrome, parseChromeText } from './chrome';
import { importJaeger } from './jaeger';
import { importOtlpJson, importOtlpJsonLines } from './otlpJson';
import { importOtlpProto, looksLikeOtlpProto } from './otlpProto';
import { importZipkin } from './zipkin';

export interface ImportOptions {
  /** Used only to break ties and in messages. */
  readonly fileName?: string;
}

const JSON_FORMATS: FormatId[] = ['otlp-json', 'tempo', 'jaeger-v3', 'jaeger-json', 'zipkin-v2', 'zipkin-v1', 'chrome'];

/** Imports a trace file from its bytes. Throws ImportError (never anything else) on bad input. */
export function importTraceFile(bytes: Uint8Array, opts: ImportOptions = {}): TraceFile {
  try {
    return importUnchecked(bytes, opts);
  } catch (e) {
    if (e instanceof ImportError) throw e;
    // A bug or an input shape no importer anticipated: still a message, never a crash.
    throw new ImportError(`could not read the file: ${e instanceof Error ? e.message : String(e)}`, {}, undefined, [], e);
  }
}

function importUnchecked(bytes: Uint8Array, opts: ImportOptions): TraceFile {
  // 0x0a is both a newline and protobuf's tag for field 1 (resource_spans): a request whose first
  // length byte happens to be '{' looks like JSON after a blank line. Try JSON, then protobuf.
  if (bytes[0] === 0x0a && looksLikeOtlpProto(bytes) && startsWithBrace(bytes)) {
    try {
      return importJsonText(decodeUtf8(bytes), opts);
    } catch (jsonError) {
      try {
        return importOtlpProto(bytes);
      } catch {
        throw jsonError;
      }
    }
  }
  let first = 0;
  while (first < bytes.length && isSpace(bytes[first])) first++;
  if (bytes.length === 0 || first === bytes.length) {
    throw new ImportError(bytes.length === 0 ? 'the file is empty (0 bytes)' : 'the file holds only white space', { offset: 0 }, undefined, [...JSON_FORMATS, 'otlp-proto']);
  }
  const c = bytes[first];
  const isText = c === 0x7b /* { */ || c === 0x5b /* [ */;
  if (!isText || /\.(binpb|pb|proto|bin)$/i.test(opts.fileName ?? '')) {
    if (looksLikeOtlpProto(bytes)) return importOtlpProto(bytes);
    if (!isText) {
      throw new ImportError(
        `not a recognised trace file: it is neither JSON (it starts with byte 0x${c.toString(16).padStart(2, '0')}) nor an OTLP protobuf ExportTraceServiceRequest`,
        { offset: first },
        undefined,
        [...JSON_FORMATS, 'otlp-proto', 'otlp-proto-framed'],
      );
    }
  }
  const text = decodeUtf8(bytes);
  return importJsonText(text, opts);
}

function importJsonText(text: string, opts: ImportOptions): TraceFile {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (wholeFileError) {
    // Not one JSON document: JSON Lines (OTel Collector file exporter, Jaeger api/v3 NDJSON)...
    if (looksLikeJsonLines(text)) return importOtlpJsonLines(text);
    // ...or a Chrome trace array that was never closed, which that format explicitly allows.
    const chrome = parseChromeText(text);
    if (chrome !== undefined) return importChrome(chrome);
    throw wholeFileError;
  }
  const format = detectJsonFormat(value);
  if (!format) {
    throw new ImportError(`not a recognised trace format: ${describeShape(value)}`, { path: '$' }, undefined, JSON_FORMATS);
  }
  switch (format) {
    case 'otlp-json':
    case 'tempo':
    case 'jaeger-v3':
      return importOtlpJson(value, format, text);
    case 'jaeger-json':
      return importJaeger(value);
    case 'zipkin-v2':
    case 'zipkin-v1':
      return importZipkin(value);
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
    if (Array.isArray(sample)) return detectJsonFormat(sample) === 'zipkin-v1' ? 'zipkin-v1' : 'zipkin-v2'; // list of traces
    if (!isObject(sample)) return undefined;
    if ('ph' in sample) return 'chrome';
    if ('spanID' in sample || 'operationName' in sample) return 'jaeger-json';
    if ('traceId' in sample && 'id' in sample) return isZipkinV1(sample) ? 'zipkin-v1' : 'zipkin-v2';
    if ('trace_id' in sample && 'id' in sample) return 'zipkin-v1'; // Zipkin v1 Thrift rendered as JSON
    if ('traceID' in sample && Array.isArray(sample.spans)) return 'jaeger-json'; // a list of Jaeger traces
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
    if (isObject(s0) && ('operationName' in s0 || 'spanID' in s0)) return 'jaeger-json';
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

const TRACE_KEYS_RE = /"(resourceSpans|resource_spans|scopeSpans|batches|traceEvents|traceID|spanID|operationName|traceId|trace_id|parentSpanId|localEndpoint|ph)"\s*:/;

/**
 * Whether the first bytes of a JSON/JSONL document look like a trace (for the editor-title action).
 * Cheap and permissive: it only decides whether to offer "Open with Spanlens".
 */
export function looksLikeTraceText(prefix: string): boolean {
  const t = prefix.trimStart();
  return (t.startsWith('{') || t.startsWith('[')) && TRACE_KEYS_RE.test(prefix);
}
