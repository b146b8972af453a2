// Feeds the dev collector's settled traces to the statistics, in the catalog's thread, following
// planLiveStats (each trace indexed once after it settles; a rebuild at most every 30 s).
import type { Trace } from '../model/model';
import type { Collector } from '../collector/core';
import { planLiveStats } from '../collector/liveStatsPlan';
import type { StatsService } from './statsService';

export const LIVE_SOURCE = 'spanlens-collector:live';
const DEBOUNCE_MS = 1000;

export class LiveStatsFeed {
  private readonly indexed = new Map<string, number>();
  private indexedSpans = 0;
  private stale = false;
  private lastRebuildMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = 0;

  constructor(
    private readonly collector: () => Collector | undefined,
    private readonly stats: StatsService,
  ) {}

  /** The store changed (or the collector started or stopped). */
  schedule(delayMs = DEBOUNCE_MS): void {
    const due = Date.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.refill(), delayMs);
  }

  forget(): void {
    if (this.indexed.size || this.stats.hasSource(LIVE_SOURCE)) this.stats.removeSource(LIVE_SOURCE);
    this.indexed.clear();
    this.indexedSpans = 0;
    this.stale = false;
  }

  private refill(): void {
    this.timer = undefined;
    const c = this.collector();
    if (!c) return this.forget();
    const summaries = c.store.summaries();
    if (summaries.length === 0) return this.forget();
    const now = Date.now();
    const plan = planLiveStats(summaries, { indexed: this.indexed, indexedSpans: this.indexedSpans, stale: this.stale, lastRebuildMs: this.lastRebuildMs }, now);
    if (plan.action === 'rebuild') {
      this.lastRebuildMs = now;
      this.forget();
    }
    this.stale = plan.stale;
    const traces: Trace[] = [];
    for (const id of plan.traceIds) {
      const t = c.store.getTrace(id);
      if (t) traces.push(t);
    }
    if (plan.action === 'rebuild' && traces.length) this.stats.addTraces(LIVE_SOURCE, traces);
    if (plan.action === 'append') this.stats.appendTraces(LIVE_SOURCE, traces);
    for (const t of traces) {
      this.indexed.set(t.traceId, t.spans.length);
      this.indexedSpans += t.spans.length;
    }
    if (plan.recheckInMs !== undefined) this.schedule(Math.max(DEBOUNCE_MS, plan.recheckInMs));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
