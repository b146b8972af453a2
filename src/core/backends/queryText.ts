// Text forms of the search fields, shared by the CLI flags and the editor's input boxes.
import { formatDurationNs, parseDurationNanos } from '../model/time';
import type { SearchQuery } from './types';

/** "250ms", "1.5s", "2m", "1h", "1d" -> nanoseconds; undefined when not a duration. */
export function parseDurationArg(text: string): number | undefined {
  const ns = parseDurationNanos(text);
  if (ns !== undefined) return ns >= 0n ? Number(ns) : undefined;
  const m = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(text.trim());
  return m ? Number(m[1]) * { m: 60e9, h: 3600e9, d: 86400e9 }[m[2] as 'm'] : undefined;
}

/** ISO 8601, epoch ms, or a duration meaning "that long before now" -> epoch ms. */
export function parseTimeArg(text: string, now: number): number | undefined {
  const t = text.trim();
  if (/^\d{12,14}$/.test(t)) return Number(t);
  const ago = parseDurationArg(t);
  if (ago !== undefined) return now - ago / 1e6;
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/**
 * "http.status_code=500 error=true" (space, comma or semicolon separated; a value may be quoted:
 * k="a b") -> a map. Returns a string with the problem for an item that is not key=value.
 */
export function parseTagsText(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const re = /\s*([^=\s,;]+)=("(?:[^"\\]|\\.)*"|[^\s,;]*)\s*[,;]?/y;
  let i = 0;
  const t = text.trim();
  while (i < t.length) {
    re.lastIndex = i;
    const m = re.exec(t);
    if (!m) return `"${t.slice(i).split(/[\s,;]/)[0]}" is not key=value`;
    out[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
    i = re.lastIndex;
  }
  return out;
}

/** A one-line label for a search, for the tree and the recent-searches list. */
export function describeQuery(q: SearchQuery): string {
  const parts: string[] = [];
  if (q.traceql) parts.push(q.traceql);
  if (q.service) parts.push(q.service);
  if (q.operation) parts.push(q.operation);
  for (const [k, v] of Object.entries(q.tags ?? {})) parts.push(`${k}=${v}`);
  if (q.minDurationNs !== undefined) parts.push(`≥${formatDurationNs(q.minDurationNs)}`);
  if (q.maxDurationNs !== undefined) parts.push(`≤${formatDurationNs(q.maxDurationNs)}`);
  if (q.lookbackMs !== undefined && q.startMs === undefined) parts.push(`last ${formatDurationNs(q.lookbackMs * 1e6)}`);
  if (q.limit !== undefined) parts.push(`limit ${q.limit}`);
  return parts.join(' · ') || 'all traces';
}
