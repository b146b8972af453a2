// The per-function latency statistics behind the CodeLens and hover, in the catalog's thread.
// Two indexes: every source the catalog holds (trace files and the live collector), and only the
// trace selected in the active waterfall; the scope setting picks the one the editor shows.
//
// Counting rule: a trace id is counted once. Each trace goes to the first source that brought it
// (a file opened first, or the collector); the same trace in another source (a collected trace
// exported and reopened, a file opened twice under two names) is skipped there and counted in
// `duplicateTraces`. When the owning source goes, a rebuild gives the trace to the next one.
import type { Trace } from '../model/model';
import { LatencyIndex, type FunctionStats, type LatencyHistogram, type RawCodeSite, type ResolvedSite, type SpanRef } from '../source';
import type { StatisticsScope, StatsInfo } from './protocol';

/** The change notice fires this long after the last change (traces arrive in bursts). */
const CHANGE_DEBOUNCE_MS = 300;
/** Slowest spans kept per function, for the quick pick. */
const KEEP_SLOWEST = 100;
/** Spans indexed between two turns of the event loop, so queries are answered during a big add. */
const SPANS_PER_SLICE = 5000;

export interface StatsServiceOptions {
  readonly resolve: (site: RawCodeSite) => Promise<ResolvedSite | undefined>;
  /** Called (debounced) when what the editor shows changed. */
  readonly onChange: () => void;
  readonly log?: (message: string) => void;
}

export class StatsService {
  private allIndex: LatencyIndex;
  private selectedIndex: LatencyIndex;
  private generation = 0;
  private readonly sources = new Map<string, readonly Trace[]>();
  /** Trace id -> the source that counts it. */
  private readonly owner = new Map<string, string>();
  private duplicates = 0;
  /** Trace ids of the baseline run (issue 11): compared against, so never counted as current. */
  private excluded: ReadonlySet<string> = new Set();
  private readonly indexedCount = new Map<string, number>();
  private selected: { source: string; traceIndex: number; trace: Trace } | undefined;
  private scopeSetting: StatisticsScope = 'allLoaded';
  private work: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firedStamp = '';

  constructor(private readonly opts: StatsServiceOptions) {
    this.allIndex = this.newIndex();
    this.selectedIndex = this.newIndex();
    this.firedStamp = this.stamp();
  }

  private newIndex(): LatencyIndex {
    return new LatencyIndex((raw) => (raw.file ? this.opts.resolve(raw) : undefined), { keepSlowest: KEEP_SLOWEST, yieldEvery: SPANS_PER_SLICE });
  }

  /** An empty index that resolves sites as these statistics do (the baseline run's). */
  createIndex(): LatencyIndex {
    return this.newIndex();
  }

  /** The index the editor shows now (scope setting): the current side of a run comparison. */
  get currentIndex(): LatencyIndex {
    return this.index;
  }

  /** The traces the current index counts, with their sources (every loaded source, or the selected trace). */
  *currentTraces(): Iterable<{ trace: Trace; source: string }> {
    if (this.scopeSetting === 'selectedTrace') {
      if (this.selected) yield { trace: this.selected.trace, source: this.selected.source };
      return;
    }
    for (const [source, traces] of this.sources) for (const trace of traces) if (this.owner.get(trace.traceId) === source) yield { trace, source };
  }

  /** Leaves these trace ids out of the all-loaded index from now on (a rebuild applies it). */
  exclude(traceIds: ReadonlySet<string>, why: string): void {
    this.excluded = traceIds;
    this.rebuild(why);
  }

  get scope(): StatisticsScope {
    return this.scopeSetting;
  }

  setScope(scope: StatisticsScope): void {
    this.scopeSetting = scope;
    this.changed();
  }

  private get index(): LatencyIndex {
    return this.scopeSetting === 'selectedTrace' ? this.selectedIndex : this.allIndex;
  }

  functionsInFile(file: string): FunctionStats[] {
    return this.index.functionsInFile(file);
  }

  get(key: string): FunctionStats | undefined {
    return this.index.get(key);
  }

  histogram(key: string, bins?: number): LatencyHistogram {
    return this.index.histogram(key, bins);
  }

  slowestSpans(key: string): readonly SpanRef[] {
    return this.index.slowestSpans(key);
  }

  hasSource(key: string): boolean {
    return this.sources.has(key);
  }

  /** Adds a source's traces (ignored when the source is there already). */
  addTraces(sourceKey: string, traces: readonly Trace[]): void {
    if (this.sources.has(sourceKey)) return;
    this.sources.set(sourceKey, traces);
    this.catchUp(sourceKey);
  }

  /** Adds more traces to a source without a rebuild (the live collector, one settled trace at a time). */
  appendTraces(sourceKey: string, traces: readonly Trace[]): void {
    if (traces.length === 0) return;
    const prev = this.sources.get(sourceKey);
    if (!prev) return this.addTraces(sourceKey, traces);
    this.sources.set(sourceKey, [...prev, ...traces]);
    this.catchUp(sourceKey);
  }

  removeSource(sourceKey: string): void {
    if (!this.sources.delete(sourceKey)) return;
    if (this.selected?.source === sourceKey) this.selected = undefined;
    this.rebuild(`closed ${sourceKey}`);
  }

  select(sel: { source: string; traceIndex: number; trace: Trace } | undefined): void {
    if (sel?.trace === this.selected?.trace) return;
    this.selected = sel;
    this.enqueue(() => this.fillSelected());
  }

  async idle(): Promise<void> {
    for (;;) {
      const w = this.work;
      await w;
      if (w === this.work) return;
    }
  }

  async info(): Promise<StatsInfo> {
    await this.idle();
    const i = this.index;
    return {
      scope: this.scopeSetting,
      version: i.version,
      spans: i.spanCount,
      unresolved: i.unresolved,
      files: i.files(),
      sources: [...this.sources.keys()],
      duplicateTraces: this.duplicates,
      ...(this.selected ? { selected: { source: this.selected.source, traceIndex: this.selected.traceIndex } } : {}),
    };
  }

  files(): string[] {
    return this.allIndex.files();
  }

  rebuild(why: string): void {
    this.enqueue(async () => {
      const t0 = Date.now();
      const next = this.newIndex();
      this.owner.clear();
      this.duplicates = 0;
      const included = new Map<string, number>();
      for (const [key, traces] of [...this.sources]) {
        included.set(key, traces.length);
        await this.addAll(next, traces, key);
      }
      this.allIndex = next;
      this.generation++;
      this.indexedCount.clear();
      for (const [k, n] of included) this.indexedCount.set(k, n);
      await this.fillSelected();
      this.opts.log?.(`Latency statistics rebuilt (${why}): ${this.allIndex.spanCount} spans in ${Date.now() - t0} ms`);
    });
  }

  private catchUp(sourceKey: string): void {
    this.enqueue(async () => {
      const list = this.sources.get(sourceKey);
      if (!list) return;
      const from = this.indexedCount.get(sourceKey) ?? 0;
      this.indexedCount.set(sourceKey, list.length);
      await this.addAll(this.allIndex, list.slice(from), sourceKey);
    });
  }

  private async fillSelected(): Promise<void> {
    const next = this.newIndex();
    const sel = this.selected;
    if (sel) await next.add(sel.trace, sel.source);
    this.selectedIndex = next;
    this.generation++;
  }

  /** Adds traces not counted by another source, giving the event loop a turn every SPANS_PER_SLICE spans. */
  private async addAll(index: LatencyIndex, traces: readonly Trace[], source: string): Promise<void> {
    let sinceYield = 0;
    for (const t of traces) {
      if (this.excluded.has(t.traceId)) continue;
      const owner = this.owner.get(t.traceId);
      if (owner !== undefined && owner !== source) {
        this.duplicates++;
        continue;
      }
      this.owner.set(t.traceId, source);
      await index.add(t, source);
      sinceYield += t.spans.length;
      if (sinceYield >= SPANS_PER_SLICE) {
        sinceYield = 0;
        await new Promise<void>((r) => setImmediate(r));
      }
    }
  }

  private enqueue(fn: () => Promise<void>): void {
    this.work = this.work
      // The views come first: whatever the catalog answers now (a load's result) is posted before indexing starts.
      .then(() => new Promise<void>((r) => setImmediate(r)))
      .then(fn)
      .catch((e) => this.opts.log?.(`Latency statistics: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.changed());
  }

  private changed(): void {
    if (this.stamp() === this.firedStamp) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.firedStamp = this.stamp();
      this.opts.onChange();
    }, CHANGE_DEBOUNCE_MS);
  }

  private stamp(): string {
    return `${this.scopeSetting}:${this.generation}:${this.index.version}`;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
