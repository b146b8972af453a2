// JSON bodies (OTLP JSON, Zipkin v2) -> batches. Parsing and dialect handling are the importers'
// (OTLP JSON: ../otlp/fromJson.ts to wire messages, then the same id rules and conversion as
// protobuf; Zipkin: ../importers/zipkin.ts); this adds the collector's rules: undecodable ->
// BatchDecodeError, spans with invalid ids rejected one by one (see ./decode.ts).
import type { Span, TraceFile } from '../model/model';
import type { StoredBody } from './store';
import { isObject, parseJson } from '../importers/json';
import { importZipkin } from '../importers/zipkin';
import { JsonReadContext, quoteUnsafeIntegers, tracesDataFromJson } from '../otlp/fromJson';
import { STRING_IDS, spansFromOtlp } from '../otlp/toModel';
import { WarningSink } from '../otlp/warnings';
import { BatchDecodeError, decodeOtlpProtoBatch, importErrorText, ownBytes, rejectInvalidSpans, STRING_RULES, TraceBatch } from './decode';

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const ZEROS = /^0+$/;

function bodyText(body: Uint8Array): string {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseBody(text: string, what: string): unknown {
  try {
    return parseJson(text);
  } catch (e) {
    throw new BatchDecodeError(`the body is not ${what} JSON: ${importErrorText(e)}`);
  }
}

function spansOf(file: TraceFile): Span[] {
  const out: Span[] = [];
  for (const t of file.traces) for (const s of t.spans) out.push(s);
  return out;
}

/** Zipkin spans with valid ids: 16 or 32 hex digit trace ids, 16 hex digit span ids, not all zeros. */
function keepValidZipkin(spans: Span[]): { spans: Span[]; rejected: number; message?: string } {
  let kept: Span[] | undefined;
  let first: string | undefined;
  let rejected = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    const problem = zipkinIdProblem(s);
    if (problem === undefined) {
      kept?.push(s);
      continue;
    }
    rejected++;
    first ??= `span #${i}${s.name ? ` (${JSON.stringify(s.name)})` : ''}: ${problem}`;
    kept ??= spans.slice(0, i);
  }
  if (!kept) return { spans, rejected: 0 };
  return { spans: kept, rejected, message: `${rejected} span(s) rejected: invalid ids (traceId must be 16 or 32 hex digits and id 16, not all zeros); first: ${first}` };
}

function short(id: string): string {
  return JSON.stringify(id.length > 40 ? id.slice(0, 40) + '…' : id);
}

function zipkinIdProblem(s: Span): string | undefined {
  const t = s.traceId;
  if (!(HEX32.test(t) || HEX16.test(t)) || ZEROS.test(t)) return `traceId ${short(t)} is invalid`;
  if (!HEX16.test(s.spanId) || ZEROS.test(s.spanId)) return `id ${short(s.spanId)} is invalid`;
  if (s.parentSpanId !== undefined && !HEX16.test(s.parentSpanId)) return `parentId ${short(s.parentSpanId)} is invalid`;
  return undefined;
}

/**
 * application/json ExportTraceServiceRequest -> batch. When every span is kept and the body has no
 * line break, the body itself is the output-file line (it already is a TracesData).
 */
export function decodeOtlpJsonBatch(body: Uint8Array): TraceBatch {
  const raw = bodyText(body);
  // int64 values sent as JSON numbers above 2^53 stay exact when quoted before parsing.
  const text = quoteUnsafeIntegers(raw);
  const value = parseBody(text, 'OTLP');
  if (!isObject(value)) throw new BatchDecodeError('the body is not an OTLP JSON ExportTraceServiceRequest: expected an object with "resourceSpans"');
  const key = 'resourceSpans' in value ? 'resourceSpans' : 'resource_spans' in value ? 'resource_spans' : undefined;
  // {} is a valid empty request (proto3 JSON omits empty repeated fields).
  if (key === undefined) {
    if (Object.keys(value).length === 0) return { spans: [], rejected: 0 };
    const hint = 'resourceLogs' in value ? ' (this is a logs request: POST it to /v1/logs)' : '';
    throw new BatchDecodeError(`the body is not an OTLP JSON ExportTraceServiceRequest: expected "resourceSpans", found ${Object.keys(value).slice(0, 5).join(', ')}${hint}`);
  }
  if (!Array.isArray(value[key])) throw new BatchDecodeError(`the body is not an OTLP JSON ExportTraceServiceRequest: "${key}" is not a list`);
  const warnings = new WarningSink();
  const wire = tracesDataFromJson(value[key], key, new JsonReadContext(warnings));
  const { data, rejected, message } = rejectInvalidSpans(wire, STRING_RULES);
  const spans = spansFromOtlp(data, STRING_IDS, warnings, []);
  const verbatim = rejected === 0 && key === 'resourceSpans' && text === raw && raw.indexOf('\n') < 0 && raw.indexOf('\r') < 0;
  return { spans, rejected, rejectMessage: message, jsonLine: verbatim ? raw.trim() : undefined, stored: { kind: 'otlp-json', bytes: ownBytes(body) } };
}

/** Zipkin v2 JSON list of spans -> batch. */
export function decodeZipkinBatch(body: Uint8Array): TraceBatch {
  const text = bodyText(body);
  const value = parseBody(text, 'Zipkin');
  if (!Array.isArray(value)) throw new BatchDecodeError('the body is not a Zipkin v2 span list: expected a JSON array of spans');
  if (value.length === 0) return { spans: [], rejected: 0 };
  let file: TraceFile;
  try {
    // The text too: int64 ids sent as JSON numbers (v1 Thrift-as-JSON) are re-read exactly.
    file = importZipkin(value, text);
  } catch (e) {
    throw new BatchDecodeError(`the body is not a valid Zipkin v2 span list: ${importErrorText(e)}`);
  }
  const { spans, rejected, message } = keepValidZipkin(spansOf(file));
  return { spans, rejected, rejectMessage: message, stored: { kind: 'zipkin', bytes: ownBytes(body) } };
}

/** Decodes a body the store kept back into its spans (see LiveStore: bodies are stored, not spans). */
export function redecodeStoredBody(body: StoredBody): readonly Span[] {
  switch (body.kind) {
    case 'otlp-proto':
      return decodeOtlpProtoBatch(body.bytes).spans;
    case 'otlp-json':
      return decodeOtlpJsonBatch(body.bytes).spans;
    case 'zipkin':
      return decodeZipkinBatch(body.bytes).spans;
    default:
      throw new Error(`unknown stored body kind ${body.kind}`);
  }
}
