// Trace and span ids arrive as hex (any case), base64 of the raw bytes, or junk. The model keeps
// lower-case hex; anything that is neither hex nor base64 of the right length is kept verbatim.

const HEX_RE = /^[0-9a-fA-F]+$/;
const B64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

export function base64ToBytes(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function bytesToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Normalises an id of `byteLength` bytes (16 for traces, 8 for spans).
 * Hex of exactly that length -> lower case. Base64 that decodes to that length -> hex.
 * Shorter hex (Jaeger/Zipkin drop leading zeros) -> lower case as given, not padded, so it still
 * matches the parent references in the same file. Anything else is returned unchanged.
 */
export function normalizeId(raw: string, byteLength: 8 | 16): string {
  if (raw.length === byteLength * 2 && HEX_RE.test(raw)) return raw.toLowerCase();
  const b64Len = Math.ceil(byteLength / 3) * 4;
  if (raw.length === b64Len && B64_RE.test(raw)) {
    const bytes = base64ToBytes(raw);
    if (bytes.length === byteLength) return bytesToHex(bytes);
  }
  if (HEX_RE.test(raw)) return raw.toLowerCase();
  return raw;
}

/** True for ids that mean "no parent": empty, or all zeros in hex or base64. */
export function isNullId(raw: string | undefined | null): boolean {
  if (!raw) return true;
  return /^0+$/.test(raw) || /^A+=*$/.test(raw);
}

/** Normalises a parent id, mapping the "no parent" sentinels to undefined. */
export function normalizeParentId(raw: string | undefined | null): string | undefined {
  return isNullId(raw) ? undefined : normalizeId(raw as string, 8);
}

/** Pads a hex id with leading zeros to `chars` characters (e.g. 64-bit trace ids to 32 for export). */
export function padHexId(id: string, chars: number): string {
  return HEX_RE.test(id) && id.length < chars ? id.padStart(chars, '0') : id;
}

/**
 * Why `id` (as the model holds it: lower-case hex when it decoded) is not an OTLP id of `chars`
 * hex digits (32 for traces, 16 for spans), or undefined when it is one. OTLP/JSON ids are hex
 * (case-insensitive; base64 is decoded before this), and all zeros is invalid.
 */
export function otlpIdProblem(id: string, chars: 32 | 16): string | undefined {
  if (id === '') return 'empty';
  if (!HEX_RE.test(id)) return 'not hex';
  if (id.length !== chars) return `${id.length} hex digits, expected ${chars}`;
  if (/^0+$/.test(id)) return 'all zeros';
  return undefined;
}

/**
 * The same for Jaeger, whose ids are hex without leading zeros (model.TraceIDFromString and
 * SpanIDFromString): 1 to 32 digits for a trace id, 1 to 16 for a span id.
 */
export function jaegerIdProblem(id: string, maxChars: 32 | 16): string | undefined {
  if (id === '') return 'empty';
  if (!HEX_RE.test(id)) return 'not hex';
  if (id.length > maxChars) return `${id.length} hex digits, at most ${maxChars}`;
  return undefined;
}

/** An id for a message: quoted, cut to 40 characters. */
export function quoteId(id: string): string {
  return JSON.stringify(id.length > 40 ? id.slice(0, 40) + '…' : id);
}

/** The class of a problem (for grouping warnings): "not hex", "wrong length", "all zeros", "empty". */
export function idProblemKind(problem: string): string {
  return /hex digits/.test(problem) ? 'wrong length' : problem;
}

/** True for an id OTLP accepts as is: exactly `chars` lower-case hex digits, not all zeros (what the model holds for a good id). */
export function isOtlpHex(id: string, chars: number): boolean {
  if (id.length !== chars) return false;
  let nonZero = false;
  for (let i = 0; i < chars; i++) {
    const c = id.charCodeAt(i);
    if (c === 0x30) continue;
    if (!((c > 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
    nonZero = true;
  }
  return nonZero;
}
