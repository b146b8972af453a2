// Text formatting and parsing for the webview. Pure functions, no DOM, so unit tests can run them in Node.
// `formatDuration` comes from src/shared/format.ts, shared with the host and the CLI.

import { formatDuration } from '../src/shared/format';

export { formatDuration };

/** An offset from the trace start, signed so that clock-skewed children read as "-1.2 ms". */
export function formatOffset(ns: number): string {
  return ns < 0 ? `-${formatDuration(-ns)}` : `+${formatDuration(ns)}`;
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1_000,
  µs: 1_000,
  μs: 1_000,
  ms: 1_000_000,
  s: 1_000_000_000,
  m: 60_000_000_000,
  min: 60_000_000_000,
};

/**
 * Parses what a user types in the min-duration box: "10ms", "250us", "1.5s", "2 min".
 * A bare number means milliseconds, the unit people think in when hunting slow spans.
 * Returns undefined for anything else so the field can show it is invalid.
 */
export function parseDurationInput(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zµμ]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2].toLowerCase() || 'ms';
  const scale = DURATION_UNITS[unit];
  if (scale === undefined || !Number.isFinite(value)) return undefined;
  return Math.round(value * scale);
}

/** Local wall-clock time with milliseconds, e.g. "2024-03-05 14:07:09.123". */
export function formatStartTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '—';
  const d = new Date(epochMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
  );
}

/** Thousands separators without depending on the locale of the machine running the tests. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Tick positions for a time axis from `startNs` to `endNs` with roughly `targetCount` ticks
 * on 1-2-5 steps, so labels read as round durations.
 */
export function axisTicks(startNs: number, endNs: number, targetCount: number): { step: number; ticks: number[] } {
  const range = endNs - startNs;
  if (!(range > 0) || !(targetCount >= 1)) return { step: 0, ticks: [startNs] };
  const raw = range / targetCount;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const mult = raw / pow;
  const step = Math.max(1, (mult <= 1 ? 1 : mult <= 2 ? 2 : mult <= 5 ? 5 : 10) * pow);
  const ticks: number[] = [];
  const first = Math.ceil(startNs / step) * step;
  for (let i = 0; i < 1000; i++) {
    const t = first + i * step;
    if (t > endNs + step * 1e-9) break;
    ticks.push(t);
  }
  return { step, ticks };
}
