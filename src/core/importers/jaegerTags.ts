// Jaeger key/values (span tags, process tags, log fields) to typed attributes. Three dialects:
// UI/query JSON `{key, type, value}` (value usually typed, sometimes stringified), the
// Elasticsearch document (every value a string, binary as hex) and api_v2 protobuf JSON
// `{key, vType, vStr|vBool|vInt64|vFloat64|vBinary}` (default values and vType STRING omitted).
import type { Attribute, AttrValue } from '../model/model';
import { fromPlain } from '../model/attributes';
import { base64ToBytes, hexToBytes } from '../model/ids';
import { isObject } from './json';
import { childPath, describeValue, WarningCollector } from './warningCollector';

export type BinaryEncoding = 'base64' | 'hex';

export interface TagContext {
  readonly warnings: WarningCollector;
  /** How `binary` values are written: base64 in query/UI JSON, hex in Elasticsearch documents. */
  readonly binary: BinaryEncoding;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const PROTO_VALUE_FIELDS = ['vStr', 'vBool', 'vInt64', 'vFloat64', 'vBinary'] as const;
const PROTO_TYPE_BY_NUMBER = ['STRING', 'BOOL', 'INT64', 'FLOAT64', 'BINARY'];
const PROTO_TYPE_BY_FIELD: Record<string, string> = { vStr: 'STRING', vBool: 'BOOL', vInt64: 'INT64', vFloat64: 'FLOAT64', vBinary: 'BINARY' };

/** Converts a tag list (`null` and absent mean none). Bad entries are skipped with a warning. */
export function convertTags(raw: unknown, path: string, ctx: TagContext): Attribute[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    ctx.warnings.add('invalid-value', 'tags-not-array', `tags should be a list of {key, type, value}, got ${describeValue(raw)}; ignored`, path);
    return [];
  }
  const out: Attribute[] = [];
  for (let i = 0; i < raw.length; i++) {
    const a = convertTag(raw[i], childPath(path, i), ctx);
    if (a) out.push(a);
  }
  return out;
}

function convertTag(tag: unknown, path: string, ctx: TagContext): Attribute | undefined {
  if (!isObject(tag) || typeof tag.key !== 'string') {
    ctx.warnings.add('invalid-value', 'tag-shape', `a tag should be an object with a string "key", got ${describeValue(tag)}; skipped`, path);
    return undefined;
  }
  const isProto = 'vType' in tag || PROTO_VALUE_FIELDS.some((f) => f in tag);
  const value = isProto ? protoValue(tag, path, ctx) : typedValue(tag.type, tag.value, childPath(path, 'value'), ctx);
  return { key: tag.key, value };
}

function typedValue(type: unknown, v: unknown, path: string, ctx: TagContext): AttrValue {
  switch (typeof type === 'string' ? type.toLowerCase() : undefined) {
    case 'string':
      return typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'bool':
      return toBool(v, path, ctx);
    case 'int64':
      return toInt64(v, path, ctx);
    case 'float64':
      return toFloat(v, path, ctx);
    case 'binary':
      return toBytes(v, path, ctx, ctx.binary);
    default:
      return fromPlain(v);
  }
}

function protoValue(tag: Record<string, unknown>, path: string, ctx: TagContext): AttrValue {
  let vType = tag.vType;
  if (typeof vType === 'number') vType = PROTO_TYPE_BY_NUMBER[vType];
  // proto3 JSON omits vType when it is STRING (the zero value); infer from the field that is set.
  if (vType === undefined) vType = PROTO_TYPE_BY_FIELD[PROTO_VALUE_FIELDS.find((f) => f in tag) ?? 'vStr'];
  switch (typeof vType === 'string' ? vType.toUpperCase() : undefined) {
    case 'STRING':
      return typeof tag.vStr === 'string' ? tag.vStr : tag.vStr === undefined ? '' : String(tag.vStr);
    case 'BOOL':
      return tag.vBool === undefined ? false : toBool(tag.vBool, childPath(path, 'vBool'), ctx);
    case 'INT64':
      return tag.vInt64 === undefined ? 0n : toInt64(tag.vInt64, childPath(path, 'vInt64'), ctx);
    case 'FLOAT64':
      return tag.vFloat64 === undefined ? 0 : toFloat(tag.vFloat64, childPath(path, 'vFloat64'), ctx);
    case 'BINARY':
      return tag.vBinary === undefined ? new Uint8Array(0) : toBytes(tag.vBinary, childPath(path, 'vBinary'), ctx, 'base64');
    default:
      ctx.warnings.add('invalid-value', 'proto-vtype', `unknown vType ${describeValue(tag.vType)}; value kept as given`, childPath(path, 'vType'));
      return fromPlain(tag.vStr ?? tag.vInt64 ?? tag.vFloat64 ?? tag.vBool ?? tag.vBinary);
  }
}

function mismatch(ctx: TagContext, expected: string, v: unknown, path: string): AttrValue {
  ctx.warnings.add('invalid-value', `tag-${expected}`, `a ${expected} tag holds ${describeValue(v)}; kept as text`, path);
  return typeof v === 'string' ? v : fromPlain(v);
}

function toBool(v: unknown, path: string, ctx: TagContext): AttrValue {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (v === 0 || v === 1) return v === 1;
  return mismatch(ctx, 'bool', v, path);
}

function toInt64(v: unknown, path: string, ctx: TagContext): AttrValue {
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (!Number.isInteger(v)) return v;
    const n = clampInt64(BigInt(v));
    if (!Number.isSafeInteger(v)) {
      // JSON.parse already rounded it: say so rather than show a silently wrong number.
      ctx.warnings.add('precision', 'int64-number', `an int64 value is written as a JSON number beyond 2^53, so JSON parsing rounded it (kept as ${n}); write int64 values as strings to keep them exact`, path);
    }
    return n;
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?\d+$/.test(s)) {
      const n = BigInt(s);
      if (n > INT64_MAX || n < INT64_MIN) ctx.warnings.add('invalid-value', 'int64-range', `int64 value ${s} is out of range; clamped`, path);
      return clampInt64(n);
    }
    if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  }
  return mismatch(ctx, 'int64', v, path);
}

function clampInt64(n: bigint): bigint {
  return n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n;
}

function toFloat(v: unknown, path: string, ctx: TagContext): AttrValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === 'NaN') return NaN;
    if (s === 'Infinity' || s === '-Infinity') return Number(s);
    if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  }
  return mismatch(ctx, 'float64', v, path);
}

const HEX_BYTES_RE = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function toBytes(v: unknown, path: string, ctx: TagContext, preferred: BinaryEncoding): AttrValue {
  if (typeof v !== 'string') return mismatch(ctx, 'binary', v, path);
  const order: BinaryEncoding[] = preferred === 'hex' ? ['hex', 'base64'] : ['base64', 'hex'];
  for (const enc of order) {
    if (enc === 'hex' && HEX_BYTES_RE.test(v)) return hexToBytes(v);
    if (enc === 'base64' && BASE64_RE.test(v)) return base64ToBytes(v);
  }
  return mismatch(ctx, 'binary', v, path);
}
