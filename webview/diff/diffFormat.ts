// Text of the diff rows. Pure (no DOM): the numbers come measured and classified from the worker
// (src/core/diff); these only turn them into the words and units the view shows.
import type { DiffChange, DiffRowDto } from '../../src/shared/diffProtocol';
import { formatDuration } from '../format';

export const CHANGE_LABEL: Readonly<Record<DiffChange, string>> = {
  added: 'added',
  removed: 'removed',
  slower: 'slower',
  faster: 'faster',
  unchanged: 'unchanged',
};

/** "+40 ms (+100%)", "-20 ms (-67%)", "±0", "—" when the span is on one side only. */
export function deltaText(r: Pick<DiffRowDto, 'deltaNs' | 'deltaPct'>): string {
  if (r.deltaNs === null) return '—';
  if (r.deltaNs === 0) return '±0';
  const sign = r.deltaNs < 0 ? '-' : '+';
  const time = `${sign}${formatDuration(Math.abs(r.deltaNs))}`;
  if (r.deltaPct === null) return time;
  const abs = Math.abs(r.deltaPct);
  return `${time} (${r.deltaPct < 0 ? '-' : '+'}${abs >= 10 ? abs.toFixed(0) : abs.toFixed(1)}%)`;
}

export function durationText(ns: number | null): string {
  return ns === null ? '—' : formatDuration(ns);
}

/** The count badge: changed spans under this row. */
export function badgeText(n: number): string {
  return n > 0 ? `${n} changed` : '';
}
