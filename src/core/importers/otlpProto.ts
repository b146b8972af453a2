// OTLP protobuf files: one binary ExportTraceServiceRequest (what OTLP/HTTP and gRPC exporters
// send, `.binpb`), or the OTel Collector file exporter's `format: proto` output, where every record
// is an ExportTraceServiceRequest preceded by its length as a 4-byte big-endian integer.
import { ImportError } from '../model/errors';
import type { Span, TraceFile } from '../model/model';
import { decodeTraceRequestHexIds, ProtoDecodeError } from '../otlp/codec';
import { HEX_IDS, spansFromOtlp } from '../otlp/toModel';
import { WarningSink } from '../otlp/warnings';
import { assembleTraceFile } from '../model/trace';

/** First byte of a ResourceSpans payload: resource (1), scope_spans (2), schema_url (3), or legacy 1000. */
function startsResourceSpans(b: number | undefined): boolean {
  return b === 0x0a || b === 0x12 || b === 0x1a || b === 0xc2;
}

/** Offset after a (bounded) varint at `pos`, and its value; undefined if it runs past the end. */
function varintAt(bytes: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < bytes.length && i < pos + 5; i++) {
    value += (bytes[i] & 0x7f) * scale;
    if (bytes[i] < 0x80) return { value, next: i + 1 };
    scale *= 128;
  }
  return undefined;
}

export function frameLength(bytes: Uint8Array, pos: number): number {
  return ((bytes[pos] << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]) >>> 0;
}

/** Frames (start, end) when 4-byte big-endian lengths chain exactly to the end of the file. */
export function exactFrames(bytes: Uint8Array): [number, number][] | undefined {
  const frames: [number, number][] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 4 > bytes.length) return undefined;
    const len = frameLength(bytes, pos);
    const start = pos + 4;
    const end = start + len;
    if (end > bytes.length || (len > 0 && bytes[start] !== 0x0a)) return undefined;
    frames.push([start, end]);
    pos = end;
  }
  return frames.length ? frames : undefined;
}

/**
 * A plain request starts with field 1 (resource_spans), a length, then a ResourceSpans field.
 * Input that ends inside that prefix still counts (it is a truncated request, reported as such).
 */
function startsLikeRequest(bytes: Uint8Array, at = 0): boolean {
  if (bytes[at] !== 0x0a) return false;
  const len = varintAt(bytes, at + 1);
  if (len === undefined) return bytes.length - (at + 1) < 5; // cut inside the length
  return len.value === 0 || len.next >= bytes.length || startsResourceSpans(bytes[len.next]);
}

/**
 * Cheap sniff used by format detection: does this start like an OTLP trace request, plain or
 * length-framed? Lenient on purpose (a truncated file still "looks like" one), so that the
 * importer, not the detector, reports exactly what is wrong and where.
 */
export function looksLikeOtlpProto(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return false;
  if (startsLikeRequest(bytes)) return true;
  // Framed: a 4-byte length, then a request (the length may overrun a truncated file).
  if (bytes.length >= 6) return frameLength(bytes, 0) > 0 && startsLikeRequest(bytes, 4);
  return false;
}

export function decodeInto(bytes: Uint8Array, start: number, end: number, out: Span[], warnings: WarningSink, format: 'otlp-proto' | 'otlp-proto-framed', label: string): void {
  let req;
  try {
    req = decodeTraceRequestHexIds(bytes, start, end);
  } catch (e) {
    if (e instanceof ProtoDecodeError) {
      throw new ImportError(`invalid OTLP protobuf${label}: ${e.detail}`, { offset: e.offset }, format);
    }
    throw e;
  }
  spansFromOtlp(req, HEX_IDS, warnings, out, label ? `${label.trim()} $` : '$');
}

/** One request of a protobuf trace file: where its bytes are, and how messages name it. */
export interface ProtoRecord {
  readonly start: number;
  readonly end: number;
  readonly format: 'otlp-proto' | 'otlp-proto-framed';
  /** " in record 3", or "" for a plain request. */
  readonly label: string;
}

/**
 * The requests of a protobuf file: one plain ExportTraceServiceRequest, or the Collector file
 * exporter's records (4-byte big-endian length each). An incomplete last record is skipped with a
 * warning (a collector may still be writing it); an incomplete first one is an error.
 */
export function* protoRecords(bytes: Uint8Array, warnings: WarningSink): Generator<ProtoRecord> {
  // Framing first: a plain request can only chain like frames if its first resource_spans is
  // over 160 MB and the lengths happen to land exactly on the end of the file.
  const frames = bytes[0] === 0x0a ? exactFrames(bytes) : undefined;
  if (bytes[0] === 0x0a && !frames) {
    yield { start: 0, end: bytes.length, format: 'otlp-proto', label: '' };
    return;
  }
  let pos = 0;
  let index = 0;
  while (pos < bytes.length) {
    const remaining = bytes.length - pos - 4;
    const len = pos + 4 <= bytes.length ? frameLength(bytes, pos) : -1;
    if (len < 0 || len > remaining) {
      const what =
        len < 0
          ? `record ${index + 1}: only ${bytes.length - pos} byte(s) left where a 4-byte record length was expected`
          : `record ${index + 1}: length ${len} runs past the end of the file (${Math.max(0, remaining)} bytes left)`;
      if (index > 0) {
        warnings.push({ code: 'skipped-records', count: 1, message: `The last record (${index + 1}, at byte ${pos}) is incomplete and was skipped: ${what}. Was the file still being written?` });
        return;
      }
      throw new ImportError(`invalid OTLP protobuf (length-framed file): ${what}`, { offset: pos }, 'otlp-proto-framed');
    }
    yield { start: pos + 4, end: pos + 4 + len, format: 'otlp-proto-framed', label: ` in record ${index + 1}` };
    pos += 4 + len;
    index++;
  }
}

export function importOtlpProto(bytes: Uint8Array): TraceFile {
  const warnings = new WarningSink();
  const spans: Span[] = [];
  let format: ProtoRecord['format'] = 'otlp-proto-framed';
  for (const r of protoRecords(bytes, warnings)) {
    format = r.format;
    decodeInto(bytes, r.start, r.end, spans, warnings, r.format, r.label);
  }
  return assembleTraceFile(format, spans, warnings.list());
}
