// Reading and displaying attribute values. One place, so the detail pane, search, CLI and
// exporters agree on how a value looks.
import type { AttrValue, Attribute, Attributes, KeyValueList } from './model';
import { ImportError } from './errors';

/**
 * How deep arrays and key/value lists may nest inside one attribute value. Every reader stops
 * here with a message, so no later walk (export, redaction, the detail pane) can overflow the
 * stack. Real telemetry nests a few levels; protobuf's own default recursion limit is 100.
 */
export const MAX_VALUE_DEPTH = 64;

/** The kind of an attribute value (OTLP AnyValue's oneof); the protocol's AttrType has the same members. */
export type AttrType = 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'array' | 'kvlist' | 'empty';

export function isKvList(v: AttrValue): v is KeyValueList {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function attrType(v: AttrValue): AttrType {
  if (v === null) return 'empty';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'double';
    case 'bigint':
      return 'int';
  }
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'array';
  return 'kvlist';
}

/** Text for a value: strings as-is, arrays and lists as JSON-like text, bytes as base64. */
export function formatAttrValue(v: AttrValue): string {
  if (v === null) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'number':
      return Number.isInteger(v) ? v.toFixed(1) : String(v);
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return JSON.stringify(toPlain(v));
}

/** A JSON-serialisable rendering (bigint -> number when safe, else string; bytes -> base64). */
export function toPlain(v: AttrValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const kv of (v as KeyValueList).kvlist) out[kv.key] = toPlain(kv.value);
  return out;
}

export function getAttr(attrs: Attributes, key: string): AttrValue | undefined {
  for (const a of attrs) if (a.key === key) return a.value;
  return undefined;
}

export function getStringAttr(attrs: Attributes, key: string): string | undefined {
  const v = getAttr(attrs, key);
  return v === undefined || v === null ? undefined : typeof v === 'string' ? v : formatAttrValue(v);
}

export const UNKNOWN_SERVICE = 'unknown_service';

/** `service.name` from resource attributes, with the SDKs' default when absent. */
export function serviceNameOf(attrs: Attributes): string {
  return getStringAttr(attrs, 'service.name') || UNKNOWN_SERVICE;
}

/** Converts a plain JSON value (Zipkin tags, Chrome args, Jaeger tags) to an attribute value. */
export function fromPlain(v: unknown, depth = 0): AttrValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? BigInt(v) : v;
  if (depth >= MAX_VALUE_DEPTH) throw new ImportError(`an attribute value is nested deeper than ${MAX_VALUE_DEPTH} levels, which Spanlens does not read`);
  if (Array.isArray(v)) return v.map((x) => fromPlain(x, depth + 1));
  if (typeof v === 'object') {
    const kvlist: Attribute[] = [];
    for (const [key, value] of Object.entries(v as Record<string, unknown>)) kvlist.push({ key, value: fromPlain(value, depth + 1) });
    return { kvlist };
  }
  return String(v);
}
