// Response bodies of the OTLP/HTTP receiver. The spec (opentelemetry-proto docs/specification.md,
// "OTLP/HTTP Response") wants the answer in the request's encoding: ExportTraceServiceResponse on
// success (partial_success only when spans were rejected) and a google.rpc.Status for every 4xx/5xx.
import { encodeTraceResponse } from '../otlp/codec';

export type Encoding = 'protobuf' | 'json';

/** google.rpc.Code values used in Status bodies (the OTLP spec lets clients ignore them). */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;

/** google.rpc.Status {code = 1; message = 2} in protobuf or proto3 JSON. */
export function statusBody(encoding: Encoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }), 'utf8');
  const msg = Buffer.from(message, 'utf8');
  const parts: number[] = [];
  if (code !== 0) {
    parts.push(0x08);
    pushVarint(parts, code);
  }
  parts.push(0x12);
  pushVarint(parts, msg.length);
  return Buffer.concat([Buffer.from(parts), msg]);
}

function pushVarint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** ExportTraceServiceResponse; partial_success only when something was rejected. */
export function traceResponseBody(encoding: Encoding, rejected: number, errorMessage?: string): Buffer {
  if (encoding === 'json') {
    if (!rejected) return Buffer.from('{}');
    // proto3 JSON: int64 as a decimal string.
    return Buffer.from(JSON.stringify({ partialSuccess: { rejectedSpans: String(rejected), errorMessage: errorMessage ?? '' } }), 'utf8');
  }
  const bytes = rejected ? encodeTraceResponse({ partialSuccess: { rejectedSpans: BigInt(rejected), errorMessage: errorMessage ?? '' } }) : encodeTraceResponse();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * ExportLogsServiceResponse; partial_success when records were rejected or there are warnings (the
 * spec's "rejected 0 with an error_message": accepted, but the sender should look).
 */
export function logsResponseBody(encoding: Encoding, rejected: number, errorMessage?: string): Buffer {
  if (!rejected && !errorMessage) return emptyResponseBody(encoding);
  if (encoding === 'json') return Buffer.from(JSON.stringify({ partialSuccess: { rejectedLogRecords: String(rejected), errorMessage: errorMessage ?? '' } }), 'utf8');
  // ExportLogsServiceResponse has ExportTraceServiceResponse's layout (rejected_log_records = 1).
  const bytes = encodeTraceResponse({ partialSuccess: { rejectedSpans: BigInt(rejected), errorMessage: errorMessage ?? '' } });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** ExportLogsServiceResponse / ExportMetricsServiceResponse with nothing rejected: the empty message. */
export function emptyResponseBody(encoding: Encoding): Buffer {
  return encoding === 'json' ? Buffer.from('{}') : Buffer.alloc(0);
}

/** Media type of an OTLP body, from Content-Type ("application/json; charset=utf-8" -> json). */
export function encodingOfContentType(contentType: string | undefined): Encoding | undefined {
  const base = (contentType ?? '').split(';', 1)[0].trim().toLowerCase();
  if (base === 'application/x-protobuf' || base === 'application/protobuf') return 'protobuf';
  if (base === 'application/json') return 'json';
  return undefined;
}

export const CONTENT_TYPE: Record<Encoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};
