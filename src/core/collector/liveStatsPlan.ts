// What the latency statistics (CodeLens, hover) should take from the live store on a refresh, as
// a pure decision so it can be tested without an editor. Each trace is indexed once, when no span
// of it has arrived for settleMs (SDK batch processors send one trace's spans in several requests):
// a busy collector then costs the extension host each trace once, not the whole store per change.
// A trace that grows after it was indexed, an eviction, or a new trace with no room left makes the
// statistics stale; they are then rebuilt from the newest traces, at most once per rebuildEveryMs.
import type { LiveTraceSummary } from './types';

export interface LiveStatsLimits {
  readonly settleMs: number;
  readonly rebuildEveryMs: number;
  /** Spans the live statistics hold at most (the newest traces that fit). */
  readonly maxSpans: number;
}

export const LIVE_STATS_LIMITS: LiveStatsLimits = { settleMs: 2000, rebuildEveryMs: 30_000, maxSpans: 50_000 };

/** What the statistics hold now. */
export interface LiveStatsHeld {
  /** Trace id -> span count as indexed. */
  readonly indexed: ReadonlyMap<string, number>;
  readonly indexedSpans: number;
  /** Stale since an earlier refresh whose rebuild had to wait. */
  readonly stale: boolean;
  readonly lastRebuildMs: number;
}

export interface LiveStatsPlan {
  /** 'rebuild': replace everything with traceIds; 'append': add traceIds; 'none'. */
  readonly action: 'rebuild' | 'append' | 'none';
  readonly traceIds: readonly string[];
  /** Still stale after this plan (a rebuild is due later). */
  readonly stale: boolean;
  /** When to look again even if nothing new arrives (traces still settling, a rebuild waiting). */
  readonly recheckInMs?: number;
}

/** `summaries` newest first, as LiveStore.summaries gives them. */
export function planLiveStats(summaries: readonly LiveTraceSummary[], held: LiveStatsHeld, nowMs: number, limits: LiveStatsLimits = LIVE_STATS_LIMITS): LiveStatsPlan {
  const present = new Set<string>();
  const settled: LiveTraceSummary[] = [];
  const fresh: string[] = [];
  let stale = held.stale;
  let unsettled = false;
  let budget = limits.maxSpans - held.indexedSpans;
  for (const s of summaries) {
    present.add(s.traceId);
    const had = held.indexed.get(s.traceId);
    if (nowMs - s.lastReceivedMs < limits.settleMs) {
      unsettled = true;
      if (had !== undefined) stale = true; // grew after it was indexed
      continue;
    }
    settled.push(s);
    if (had !== undefined) {
      if (had !== s.spanCount) stale = true;
    } else if (s.spanCount <= budget) {
      budget -= s.spanCount;
      fresh.push(s.traceId);
    } else {
      stale = true; // no room: a rebuild keeps the newest traces instead of the oldest
    }
  }
  for (const id of held.indexed.keys()) if (!present.has(id)) stale = true; // evicted or cleared

  const settling = unsettled ? limits.settleMs : undefined;
  if (stale && nowMs - held.lastRebuildMs >= limits.rebuildEveryMs) {
    const ids: string[] = [];
    let spans = 0;
    for (const s of settled) {
      if (spans + s.spanCount > limits.maxSpans) break;
      spans += s.spanCount;
      ids.push(s.traceId);
    }
    return { action: 'rebuild', traceIds: ids, stale: false, recheckInMs: settling };
  }
  const rebuildIn = stale ? held.lastRebuildMs + limits.rebuildEveryMs - nowMs : undefined;
  const recheck = [settling, rebuildIn].filter((x): x is number => x !== undefined);
  return { action: fresh.length ? 'append' : 'none', traceIds: fresh, stale, recheckInMs: recheck.length ? Math.min(...recheck) : undefined };
}
