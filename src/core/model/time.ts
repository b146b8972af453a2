// Parsing of the time encodings the formats use, into epoch-nanosecond bigints (see model.ts).

const DIGITS_RE = /^\d+$/;

/**
 * Parses an epoch-nanosecond value given as a decimal string (exact) or a JSON number (already
 * rounded by JSON.parse to ~256 ns at today's epochs, which still keeps microsecond precision).
 * Returns undefined for missing or non-numeric input so the caller can flag it.
 */
export function parseNanos(v: unknown): bigint | undefined {
  if (typeof v === 'string') {
    if (DIGITS_RE.test(v)) return BigInt(v);
    const n = Number(v);
    return Number.isFinite(n) ? BigInt(Math.round(n)) : undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.round(v));
  if (typeof v === 'bigint') return v;
  if (v !== null && typeof v === 'object' && 'low' in v && 'high' in v) {
    // protobufjs Long
    const l = v as { low: number; high: number };
    return (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  }
  return undefined;
}

/** Microseconds (number, possibly fractional, or numeric string) to nanoseconds. */
export function microsToNanos(v: unknown): bigint | undefined {
  // Decimal strings are converted digit by digit (exact); for numbers the whole and fractional
  // parts are scaled separately, because n * 1000 at today's epochs (~1.7e18) is past 2^53.
  if (typeof v === 'string') {
    const m = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/.exec(v);
    if (m) {
      const abs = BigInt(m[2]) * 1000n + BigInt(((m[3] ?? '') + '000').slice(0, 3));
      return m[1] ? -abs : abs;
    }
  }
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  if (Number.isInteger(n)) return BigInt(n) * 1000n;
  const whole = Math.trunc(n);
  return BigInt(whole) * 1000n + BigInt(Math.round((n - whole) * 1000));
}

/** RFC 3339 with up to nanosecond fraction and any offset, e.g. "2017-01-26T16:46:31.639875139-05:00". */
export function parseRfc3339Nanos(s: string): bigint | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(s);
  if (!m) return undefined;
  const ms = Date.parse(m[1] + (m[3].toUpperCase() === 'Z' ? 'Z' : m[3]));
  if (!Number.isFinite(ms)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

/** protobuf Duration JSON ("22938000ns", "1.5s", "0.000001s") to nanoseconds. */
export function parseDurationNanos(s: string): bigint | undefined {
  const m = /^(-?\d+)(?:\.(\d{1,9}))?(ns|us|µs|ms|s)$/.exec(s.trim());
  if (!m) return undefined;
  const scale = { ns: 1n, us: 1000n, µs: 1000n, ms: 1_000_000n, s: 1_000_000_000n }[m[3] as 'ns'];
  const whole = BigInt(m[1]) * scale;
  if (!m[2]) return whole;
  const fracNs = (BigInt(m[2].padEnd(9, '0')) * scale) / 1_000_000_000n;
  return whole < 0n ? whole - fracNs : whole + fracNs;
}

/** Nanosecond duration as a number (exact below 104 days). */
export function nanosBetween(start: bigint, end: bigint): number {
  return Number(end - start);
}

/** Human duration; the one implementation lives in src/shared/format.ts (the webview uses it too). */
export { formatDuration as formatDurationNs } from '../../shared/format';

/** Epoch nanoseconds to an ISO string with microsecond digits. */
export function formatEpochNanos(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const iso = new Date(ms).toISOString();
  const micros = Number((ns / 1000n) % 1000n);
  return iso.replace(/\.(\d{3})Z$/, (_m, d) => `.${d}${String(micros).padStart(3, '0')}Z`);
}
