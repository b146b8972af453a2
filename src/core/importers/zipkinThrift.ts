// Zipkin v1 *Thrift* structs rendered as JSON (snake_case, numeric ids, `host` endpoints with an
// int32 ipv4, binary annotation values as base64 bytes with an `annotation_type`). Jaeger's test
// fixtures use it; it maps field by field onto a v1 record, which zipkinV1.ts then splits by side.
import { base64ToBytes } from '../model/ids';
import { isObject } from './json';
import { childPath, describeValue, WarningCollector } from './warningCollector';
import { ipFromBytes } from './zipkinSpan';
import type { Endpoint, ZAnnotation, ZBinaryAnnotation } from './zipkinSpan';
import type { V1Record } from './zipkinV1';

/** Zipkin v1 Thrift as JSON: numeric ids, `binary_annotations`, annotation `host`. */
export function isThriftJson(s: Record<string, unknown>): boolean {
  return ('trace_id' in s && typeof s.trace_id !== 'string') || 'binary_annotations' in s || (Array.isArray(s.annotations) && s.annotations.some((a) => isObject(a) && 'host' in a));
}

/** zipkinCore.thrift AnnotationType numbering. */
const ANNOTATION_TYPES = ['BOOL', 'BYTES', 'I16', 'I32', 'I64', 'DOUBLE', 'STRING'];
const EXPECTED_LENGTH: Record<string, number> = { BOOL: 1, I16: 2, I32: 4, I64: 8, DOUBLE: 8 };

/** `skip` reports a record left out (it has no usable id). */
export function readThriftRecord(raw: Record<string, unknown>, path: string, warnings: WarningCollector, skip: (message: string, path: string) => void): V1Record | undefined {
  const ids: Record<string, string | undefined> = {};
  for (const key of ['trace_id', 'id', 'trace_id_high', 'parent_id']) {
    const v = raw[key];
    const optional = key === 'trace_id_high' || key === 'parent_id';
    if (optional && (v === undefined || v === null || v === 0 || v === '0')) continue;
    ids[key] = thriftId(v, childPath(path, key), warnings);
    if (ids[key] === undefined) {
      if (!optional) {
        skip(`${key} should be an integer id, got ${describeValue(v)}`, childPath(path, key));
        return undefined;
      }
      warnings.add('invalid-value', 'thrift-id', `${key} should be an integer id, got ${describeValue(v)}; ignored`, childPath(path, key));
    }
  }
  const low = ids.trace_id as string;
  const id = ids.id as string;
  const high = ids.trace_id_high;
  const parent = ids.parent_id;
  const annotations: ZAnnotation[] = [];
  if (Array.isArray(raw.annotations)) {
    for (const a of raw.annotations) {
      if (!isObject(a) || typeof a.value !== 'string') continue;
      const time = thriftMicros(a.timestamp);
      annotations.push({ time, value: a.value, endpoint: hostEndpoint(a.host) });
    }
  }
  const binaryAnnotations: ZBinaryAnnotation[] = [];
  if (Array.isArray(raw.binary_annotations)) {
    raw.binary_annotations.forEach((b, i) => {
      if (!isObject(b) || typeof b.key !== 'string') return;
      binaryAnnotations.push({ key: b.key, value: thriftValue(b, childPath(childPath(path, 'binary_annotations'), i), warnings), endpoint: hostEndpoint(b.host) });
    });
  }
  const micros = thriftMicros;
  return {
    traceId: high && !/^0+$/.test(high) ? high + low : low,
    id,
    parentId: parent,
    name: typeof raw.name === 'string' ? raw.name : '',
    start: micros(raw.timestamp),
    duration: micros(raw.duration),
    annotations,
    binaryAnnotations,
    tags: new Map(),
    shared: false,
    path,
  };
}

/** i64 µs (a number, or a digit string when the importer quoted it to keep it exact) -> ns; 0 = unset. */
export function thriftMicros(v: unknown): bigint | undefined {
  let n: bigint | undefined;
  if (typeof v === 'number' && Number.isFinite(v)) n = BigInt(Math.round(v));
  else if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
  return n === undefined || n === 0n ? undefined : n * 1000n;
}

/** A signed 64-bit integer id -> 16 hex digits (two's complement, as Zipkin and Jaeger print it). */
export function thriftId(v: unknown, path: string, warnings: WarningCollector): string | undefined {
  let n: bigint | undefined;
  if (typeof v === 'number' && Number.isInteger(v)) {
    // Only when the importer was given the parsed value without its text (the numbers were
    // already rounded by JSON.parse): importFile passes the text, so ids stay exact.
    if (!Number.isSafeInteger(v)) warnings.add('precision', 'thrift-id', `a numeric id beyond 2^53 was rounded by JSON parsing, so it may not match its references`, path);
    n = BigInt(v);
  } else if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
  return n === undefined ? undefined : BigInt.asUintN(64, n).toString(16).padStart(16, '0');
}

function hostEndpoint(h: unknown): Endpoint | undefined {
  if (!isObject(h)) return undefined;
  const ep: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number } = {};
  if (typeof h.service_name === 'string' && h.service_name !== '') ep.serviceName = h.service_name;
  if (typeof h.ipv4 === 'number' && h.ipv4 !== 0) {
    const n = h.ipv4 >>> 0;
    ep.ipv4 = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  }
  const ipv6 = typeof h.ipv6 === 'string' ? ipFromBytes(base64ToBytes(h.ipv6)) : undefined;
  if (ipv6 && ipv6.includes(':')) ep.ipv6 = ipv6;
  if (typeof h.port === 'number' && h.port !== 0) ep.port = h.port & 0xffff; // thrift i16: ports > 32767 arrive negative
  return Object.keys(ep).length ? ep : undefined;
}

/** Decodes a base64 binary annotation value by its type, to the string Zipkin v2 would show. */
function thriftValue(b: Record<string, unknown>, path: string, warnings: WarningCollector): unknown {
  if (typeof b.value !== 'string') return b.value;
  const type = typeof b.annotation_type === 'number' ? ANNOTATION_TYPES[b.annotation_type] : typeof b.annotation_type === 'string' ? b.annotation_type.toUpperCase() : 'BOOL';
  if (type === 'BYTES') return b.value; // v2 tags are strings: keep the base64
  const bytes = base64ToBytes(b.value);
  if (type === 'STRING') return new TextDecoder().decode(bytes);
  const want = EXPECTED_LENGTH[type];
  if (want === undefined || bytes.length !== want) {
    warnings.add('invalid-value', 'thrift-binary', `a binary annotation's bytes do not fit its annotation_type (first: ${type} with ${bytes.length} byte(s)); kept as base64 text`, childPath(path, 'value'));
    return b.value;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'BOOL':
      return bytes[0] !== 0;
    case 'I16':
      return String(view.getInt16(0));
    case 'I32':
      return String(view.getInt32(0));
    case 'I64':
      return String(view.getBigInt64(0));
    default:
      return String(view.getFloat64(0));
  }
}
