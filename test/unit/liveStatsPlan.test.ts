// The live store -> latency statistics refresh decision (src/core/collector/liveStatsPlan.ts).
import * as assert from 'assert';
import { planLiveStats, type LiveStatsHeld, type LiveStatsLimits } from '../../src/core/collector/liveStatsPlan';
import type { LiveTraceSummary } from '../../src/core/collector/types';

const LIMITS: LiveStatsLimits = { settleMs: 2000, rebuildEveryMs: 30_000, maxSpans: 100 };
const NOW = 1_000_000;

/** A store summary; `ago` = ms since its last span arrived. */
function summary(traceId: string, spanCount: number, ago: number): LiveTraceSummary {
  return {
    traceId,
    rootName: `root ${traceId}`,
    rootService: 'svc',
    services: ['svc'],
    hasRoot: true,
    spanCount,
    errorCount: 0,
    startTimeUnixNano: '0',
    startMs: 0,
    durationNs: 0,
    firstReceivedMs: NOW - ago - 10,
    lastReceivedMs: NOW - ago,
  };
}

function held(indexed: [string, number][] = [], more: Partial<LiveStatsHeld> = {}): LiveStatsHeld {
  const map = new Map(indexed);
  return { indexed: map, indexedSpans: [...map.values()].reduce((a, b) => a + b, 0), stale: false, lastRebuildMs: NOW - 5_000, ...more };
}

describe('live statistics refresh plan', () => {
  it('appends settled traces it does not hold yet, and waits for ones still receiving spans', () => {
    const plan = planLiveStats([summary('c', 3, 100), summary('b', 5, 2500), summary('a', 4, 9000)], held([['a', 4]]), NOW, LIMITS);
    assert.deepStrictEqual(plan, { action: 'append', traceIds: ['b'], stale: false, recheckInMs: 2000 });
  });

  it('does nothing when every trace is held unchanged', () => {
    const plan = planLiveStats([summary('b', 5, 4000), summary('a', 4, 9000)], held([['a', 4], ['b', 5]]), NOW, LIMITS);
    assert.deepStrictEqual(plan, { action: 'none', traceIds: [], stale: false, recheckInMs: undefined });
  });

  it('never counts a trace twice: one that grew after it was indexed makes a rebuild, not an append', () => {
    const plan = planLiveStats([summary('a', 6, 3000)], held([['a', 4]], { lastRebuildMs: NOW - 60_000 }), NOW, LIMITS);
    assert.deepStrictEqual(plan, { action: 'rebuild', traceIds: ['a'], stale: false, recheckInMs: undefined });
    // Spans still arriving for a held trace: stale too.
    const arriving = planLiveStats([summary('a', 6, 100)], held([['a', 4]], { lastRebuildMs: NOW - 60_000 }), NOW, LIMITS);
    assert.strictEqual(arriving.action, 'rebuild');
    assert.deepStrictEqual(arriving.traceIds, [], 'a trace still receiving spans waits for the next round');
    assert.strictEqual(arriving.recheckInMs, 2000, 'and that round is scheduled');
  });

  it('rebuilds at most once per rebuildEveryMs, and says when to come back', () => {
    const plan = planLiveStats([summary('b', 2, 5000), summary('a', 6, 3000)], held([['a', 4]], { lastRebuildMs: NOW - 10_000 }), NOW, LIMITS);
    assert.deepStrictEqual(plan, { action: 'append', traceIds: ['b'], stale: true, recheckInMs: 20_000 });
    // Stale from an earlier round: the rebuild happens once it is due, even with nothing new.
    const later = planLiveStats([summary('b', 2, 5000), summary('a', 6, 3000)], held([['a', 4], ['b', 2]], { stale: true, lastRebuildMs: NOW - 31_000 }), NOW, LIMITS);
    assert.deepStrictEqual(later, { action: 'rebuild', traceIds: ['b', 'a'], stale: false, recheckInMs: undefined });
  });

  it('rebuilds without traces the store evicted (or the user cleared)', () => {
    const plan = planLiveStats([summary('b', 2, 5000)], held([['a', 4], ['b', 2]], { lastRebuildMs: 0 }), NOW, LIMITS);
    assert.deepStrictEqual(plan, { action: 'rebuild', traceIds: ['b'], stale: false, recheckInMs: undefined });
  });

  it('when full, keeps the newest traces that fit rather than freezing on the oldest', () => {
    // 100 spans held (the limit); two newer settled traces arrive.
    const full = held([['old1', 60], ['old2', 40]], { lastRebuildMs: 0 });
    const plan = planLiveStats([summary('new2', 30, 2500), summary('new1', 50, 3000), summary('old2', 40, 20_000), summary('old1', 60, 30_000)], full, NOW, LIMITS);
    assert.strictEqual(plan.action, 'rebuild');
    assert.deepStrictEqual(plan.traceIds, ['new2', 'new1'], 'newest first, up to maxSpans (30 + 50; old2 would pass 100)');
  });
});
