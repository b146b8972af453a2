// Trace ids as users paste them: bare hex (64- or 128-bit), base64 of the raw bytes (Tempo, OTLP
// proto JSON), a W3C traceparent, or buried in a log line (trace_id=..., traceId: ..., "traceId":"...").
import { base64ToBytes, bytesToHex } from '../model/ids';

export interface TraceIdMatch {
  /** Lower-case hex, 16 or 32 characters. */
  readonly traceId: string;
  /** Where the matched text is in the input (for terminal links). */
  readonly index: number;
  readonly length: number;
  readonly kind: 'traceparent' | 'field' | 'bare';
}

const TRACEPARENT_RE = /\b([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})\b/gi;
// trace_id=..., trace-id: ..., traceId: "...", "traceID":"...", trace.id=..., X-B3-TraceId: ...
const FIELD_RE = /(?:\b|_)(?:x-b3-)?trace(?:[_.-]?id)\b["']?\s*[:=]\s*["']?([A-Za-z0-9+/]+={0,2})/gi;

/** Decodes one id token: 16/32 hex chars, or base64 of 8/16 bytes. All-zero ids are invalid. */
export function decodeTraceIdToken(token: string): string | undefined {
  const t = token.trim();
  let hex: string | undefined;
  if (/^[0-9a-fA-F]{32}$/.test(t) || /^[0-9a-fA-F]{16}$/.test(t)) hex = t.toLowerCase();
  else if (/^[A-Za-z0-9+/]{22}(==)?$/.test(t) || /^[A-Za-z0-9+/]{11}=?$/.test(t) || /^[A-Za-z0-9_-]{22}$/.test(t)) {
    const bytes = base64ToBytes(t.replace(/-/g, '+').replace(/_/g, '/'));
    if (bytes.length === 16 || bytes.length === 8) hex = bytesToHex(bytes);
  }
  if (hex === undefined || /^0+$/.test(hex)) return undefined;
  return hex;
}

/** Every trace id found in a piece of text, in order of appearance, without overlaps. */
export function findTraceIds(text: string): TraceIdMatch[] {
  const found: TraceIdMatch[] = [];
  const taken = (i: number, n: number) => found.some((f) => i < f.index + f.length && f.index < i + n);
  for (const m of text.matchAll(TRACEPARENT_RE)) {
    // Version ff is forbidden by the spec; an all-zero trace id is invalid.
    if (m[1].toLowerCase() === 'ff' || /^0+$/.test(m[2])) continue;
    found.push({ traceId: m[2].toLowerCase(), index: m.index!, length: m[0].length, kind: 'traceparent' });
  }
  for (const m of text.matchAll(FIELD_RE)) {
    const id = decodeTraceIdToken(m[1]);
    if (!id || taken(m.index!, m[0].length)) continue;
    found.push({ traceId: id, index: m.index!, length: m[0].length, kind: 'field' });
  }
  return found.sort((a, b) => a.index - b.index);
}

/**
 * The trace id a user meant: the whole input as one id (hex, base64, traceparent), else the first id
 * found in it (a log line). Undefined when there is none.
 */
export function parseTraceIdInput(text: string): string | undefined {
  const t = text.trim().replace(/^["']|["']$/g, '');
  const whole = decodeTraceIdToken(t);
  if (whole) return whole;
  return findTraceIds(text)[0]?.traceId;
}
