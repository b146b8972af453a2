// Text formatting and parsing for the webview. Pure functions, no DOM, so unit tests can run them in Node.
// `formatDuration` comes from src/shared/format.ts, shared with the host and the CLI.

import { displayText, formatDuration } from '../src/shared/format';
import type { SearchQuery } from '../src/shared/protocol';

export { displayText, formatDuration };

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

/** Text longer than this is folded in the detail pane: the first FOLD_CHARS, then "Show all". */
export const FOLD_CHARS = 300;
/** Even expanded, at most this much of one text goes into the DOM (a 10 MB name would stall the view). */
export const EXPANDED_CHARS = 100_000;

/**
 * What the detail pane shows of a long text: folded (the first FOLD_CHARS) or expanded (at most
 * EXPANDED_CHARS), bidi controls made visible. `cut` is true when not all of it is shown.
 */
export function foldText(text: string, expanded: boolean): { shown: string; cut: boolean; folds: boolean } {
  const folds = text.length > FOLD_CHARS;
  const limit = !folds ? text.length : expanded ? EXPANDED_CHARS : FOLD_CHARS;
  const cut = text.length > limit;
  return { shown: displayText(cut ? text.slice(0, limit) : text), cut, folds };
}

/**
 * The search query for the find bar's fields. A minimum duration that does not parse filters
 * nothing (`durationInvalid` says so): the other fields still apply, and no earlier duration lingers.
 * `query` is null when nothing filters.
 */
export function buildFindQuery(s: { text: string; service: string; minDuration: string; errorsOnly: boolean; logSeverity?: string }): { query: SearchQuery | null; durationInvalid: boolean } {
  const text = s.text.trim();
  const min = s.minDuration.trim();
  const minDurationNs = min ? parseDurationInput(min) : undefined;
  const durationInvalid = min !== '' && minDurationNs === undefined;
  const minLogSeverity = s.logSeverity ? Number(s.logSeverity) : undefined;
  if (!text && !s.service && minDurationNs === undefined && !s.errorsOnly && !minLogSeverity) return { query: null, durationInvalid };
  return {
    query: {
      ...(text ? { text } : {}),
      ...(s.service ? { service: s.service } : {}),
      ...(minDurationNs !== undefined ? { minDurationNs } : {}),
      ...(s.errorsOnly ? { errorsOnly: true } : {}),
      ...(minLogSeverity ? { minLogSeverity } : {}),
    },
    durationInvalid,
  };
}

export const INVALID_DURATION = 'Invalid duration — not filtering by duration';
