// The per-function latency index behind the CodeLens, the hover and `spanlens stats`. Traces are
// added as they arrive; each span is attributed to a resolved site (file, line, function) by an
// injected resolver (the host resolves with path mapping, source maps and document symbols; the
// CLI without symbols). Only distinct raw sites are resolved, once each, so a million spans that
// come from 200 call sites cost 200 resolutions.
//
// Memory stays bounded per function: durations are kept exactly up to `exactSamples`, then folded
// into a fixed log-bucket histogram (relative error under 1%) — see LatencySketch. Per-file queries
// walk only that file's functions, with each function's summary cached until its next sample.
import type { Span, Trace } from '../model/model';
import { StatusCode } from '../model/model';
import { selfTimeNs } from '../analysis/selfTime';
import { RawCodeSite, spanCodeSite } from './codeLocation';

/** Where a span's function is, after resolution. The host's line is the declaration line. */
export interface ResolvedSite {
  /** As the host will look it up (fsPath / workspace-relative path): the per-file index key. */
  readonly file: string;
  /** 1-based; undefined when only the file is known. */
  readonly line?: number;
  readonly function: string;
}

/** Resolves distinct raw sites; may be async (source maps, document symbols). Undefined = unresolved. */
export type SiteResolver = (site: RawCodeSite) => ResolvedSite | undefined | Promise<ResolvedSite | undefined>;

export interface SpanRef {
  readonly traceId: string;
  readonly spanId: string;
  readonly durationNs: number;
  /** Whatever the caller passed to add() (e.g. the trace file's URI), to reopen the trace. */
  readonly source?: string;
}

export interface FunctionStats {
  /** Stable id of the site, for histogram()/slowestSpans(). */
  readonly key: string;
  readonly file: string;
  readonly line?: number;
  readonly function: string;
  readonly count: number;
  readonly errors: number;
  readonly p50Ns: number;
  readonly p95Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  readonly minNs: number;
  readonly meanNs: number;
  readonly selfP50Ns: number;
  readonly selfP95Ns: number;
  /** Parent span's function (or span name), most frequent first. */
  readonly topCallers: readonly { readonly caller: string; readonly count: number }[];
  readonly slowest?: SpanRef;
  /** True when percentiles come from the histogram (more than exactSamples spans). */
  readonly approximate: boolean;
  /** Most frequent service (resource service.name) of the function's spans. */
  readonly service?: string;
  /** Most frequent span name of the function's spans. */
  readonly operation?: string;
}

/**
 * Spans the index could not place (no code location, or one that resolves to no file), grouped by
 * operation: service + span name. What `spanlens diff` compares for code it cannot locate.
 */
export interface OperationStats {
  /** operationKey(service, name). */
  readonly key: string;
  readonly service: string;
  readonly name: string;
  readonly count: number;
  readonly errors: number;
  readonly p50Ns: number;
  readonly p95Ns: number;
  readonly p99Ns: number;
  readonly maxNs: number;
  readonly minNs: number;
  readonly meanNs: number;
  readonly approximate: boolean;
}

export interface LatencyHistogram {
  /** bins + 1 edges, ns, log-spaced between the fastest and slowest span. */
  readonly edgesNs: readonly number[];
  readonly counts: readonly number[];
}

export interface LatencyIndexOptions {
  /** Exact samples kept per function before switching to the histogram. Default 1024. */
  readonly exactSamples?: number;
  /** Slowest spans kept per function (for "open the slowest trace" and "pick another"). Default 32. */
  readonly keepSlowest?: number;
  /** Distinct callers counted per function; the rest are counted as "(other)". Default 32. */
  readonly maxCallers?: number;
  /** What identifies a span's site before resolution. Default: spanCodeSite (code.*, Datadog, code.stacktrace). */
  readonly siteOf?: (span: Span) => RawCodeSite;
  /**
   * Give the event loop a turn every this many spans while reading sites (0: never). The catalog's
   * thread answers the views between slices, so a 300k-span trace does not hold them up.
   */
  readonly yieldEvery?: number;
  /**
   * Distinct operations (service + span name) tallied for unresolved spans; later ones are counted
   * under their service as "(other)". Default 2000.
   */
  readonly maxOperations?: number;
}

export interface AddResult {
  readonly spans: number;
  readonly resolved: number;
  readonly unresolved: number;
}

// ---------------------------------------------------------------------------------------------
// LatencySketch: exact up to N samples, then a fixed log histogram
// ---------------------------------------------------------------------------------------------

/** Bucket i holds values in (GAMMA^(i-1), GAMMA^i]; GAMMA 1.02 gives <1% relative error. */
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);
/** Up to GAMMA^1600 ns ≈ 5.6e13 ns ≈ 15.6 h; longer spans land in the last bucket (max stays exact). */
const BUCKETS = 1600;

function bucketOf(v: number): number {
  if (v <= 1) return 0;
  const b = Math.ceil(Math.log(v) / LOG_GAMMA);
  return b >= BUCKETS ? BUCKETS - 1 : b;
}

function bucketValue(b: number): number {
  // The middle of (GAMMA^(b-1), GAMMA^b] in relative terms (DDSketch's estimate).
  return b === 0 ? 1 : (2 * Math.pow(GAMMA, b)) / (GAMMA + 1);
}

export class LatencySketch {
  private exact: Float64Array | undefined = new Float64Array(16);
  private hist: Uint32Array | undefined;
  /** Occupied bucket range, so quantile scans skip the empty ends of the 1600 buckets. */
  private loBucket = BUCKETS;
  private hiBucket = -1;
  private sortedUpTo = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;

  constructor(private readonly exactLimit: number) {}

  get approximate(): boolean {
    return this.hist !== undefined;
  }

  add(v: number): void {
    if (!(v >= 0)) v = 0;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (this.hist) {
      this.histAdd(v);
      return;
    }
    const ex = this.exact!;
    const n = this.count - 1;
    if (n < ex.length) {
      ex[n] = v;
      this.sortedUpTo = 0;
      return;
    }
    if (n < this.exactLimit) {
      const grown = new Float64Array(Math.min(this.exactLimit, ex.length * 2));
      grown.set(ex);
      grown[n] = v;
      this.exact = grown;
      this.sortedUpTo = 0;
      return;
    }
    // Over the limit: fold everything into the histogram and drop the samples.
    this.hist = new Uint32Array(BUCKETS);
    for (let i = 0; i < n; i++) this.histAdd(ex[i]);
    this.histAdd(v);
    this.exact = undefined;
  }

  private histAdd(v: number): void {
    const b = bucketOf(v);
    this.hist![b]++;
    if (b < this.loBucket) this.loBucket = b;
    if (b > this.hiBucket) this.hiBucket = b;
  }

  /** Nearest-rank quantiles (q in [0,1]), all in one pass. */
  quantiles(qs: readonly number[]): number[] {
    const n = this.count;
    if (!n) return qs.map(() => 0);
    if (this.exact) {
      const ex = this.exact;
      if (this.sortedUpTo !== n) {
        ex.subarray(0, n).sort();
        this.sortedUpTo = n;
      }
      return qs.map((q) => ex[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]);
    }
    const h = this.hist!;
    const ranks = qs.map((q) => Math.max(1, Math.ceil(q * n)));
    const out = new Array<number>(qs.length).fill(this.max);
    const order = ranks.map((_, i) => i).sort((a, b) => ranks[a] - ranks[b]);
    let k = 0;
    let cum = 0;
    for (let b = this.loBucket; b <= this.hiBucket && k < order.length; b++) {
      cum += h[b];
      while (k < order.length && cum >= ranks[order[k]]) {
        out[order[k]] = Math.min(this.max, Math.max(this.min, bucketValue(b)));
        k++;
      }
    }
    return out;
  }

  /** A small histogram for the hover: `bins` log-spaced bins between min and max. */
  histogram(bins: number): LatencyHistogram {
    if (!this.count) return { edgesNs: [], counts: [] };
    const lo = Math.max(1, this.min);
    const hi = Math.max(lo * 1.0001, this.max);
    const ratio = Math.log(hi / lo) / bins;
    const edgesNs = Array.from({ length: bins + 1 }, (_, i) => lo * Math.exp(ratio * i));
    const counts = new Array<number>(bins).fill(0);
    const binOf = (v: number) => Math.min(bins - 1, Math.max(0, Math.floor(Math.log(Math.max(v, lo) / lo) / ratio)));
    if (this.exact) {
      for (let i = 0; i < this.count; i++) counts[binOf(this.exact[i])]++;
    } else {
      const h = this.hist!;
      for (let b = this.loBucket; b <= this.hiBucket; b++) if (h[b]) counts[binOf(Math.min(hi, Math.max(lo, bucketValue(b))))] += h[b];
    }
    return { edgesNs, counts };
  }
}

// ---------------------------------------------------------------------------------------------
// The index
// ---------------------------------------------------------------------------------------------

class FunctionAggregate {
  readonly durations: LatencySketch;
  readonly selfTimes: LatencySketch;
  errors = 0;
  readonly callers = new Map<string, number>();
  /** Slowest first, at most keepSlowest. */
  readonly slowest: SpanRef[] = [];
  /** Span names and services of the function's spans (capped like callers), for diffs by function. */
  readonly names = new Map<string, number>();
  readonly services = new Map<string, number>();
  summary: FunctionStats | undefined;

  constructor(
    readonly key: string,
    readonly site: ResolvedSite,
    exactSamples: number,
  ) {
    this.durations = new LatencySketch(exactSamples);
    this.selfTimes = new LatencySketch(exactSamples);
  }
}

/** What a distinct raw site resolved to, and its aggregate (looked up once, not per span). */
interface SiteEntry {
  site: ResolvedSite | null;
  agg?: FunctionAggregate;
  /** Set while the resolver runs (a concurrent add() waits on it). */
  pending?: Promise<void>;
}

/**
 * Raw site -> entry, as nested maps keyed by the attribute values themselves: no per-span string
 * concatenation (which allocates and re-hashes a new string for every one of a million spans).
 */
class RawSiteCache {
  private readonly withFile = new Map<string, Map<number, Map<number, FnMaps>>>();
  private readonly withoutFile = new FnMapsImpl();

  get(r: RawCodeSite): SiteEntry | undefined {
    const maps = r.file === undefined ? this.withoutFile : this.withFile.get(r.file)?.get(r.line ?? 0)?.get(r.column ?? 0);
    return maps && (r.function !== undefined ? maps.byFunction.get(r.function) : maps.bySpanName.get(r.spanName));
  }

  set(r: RawCodeSite, e: SiteEntry): void {
    let maps: FnMaps;
    if (r.file === undefined) maps = this.withoutFile;
    else {
      let byLine = this.withFile.get(r.file);
      if (!byLine) this.withFile.set(r.file, (byLine = new Map()));
      let byCol = byLine.get(r.line ?? 0);
      if (!byCol) byLine.set(r.line ?? 0, (byCol = new Map()));
      let m = byCol.get(r.column ?? 0);
      if (!m) byCol.set(r.column ?? 0, (m = new FnMapsImpl()));
      maps = m;
    }
    // Without a function name resolvers fall back to the span name: then it is part of the identity.
    if (r.function !== undefined) maps.byFunction.set(r.function, e);
    else maps.bySpanName.set(r.spanName, e);
  }
}

/** Unresolved spans of one operation. */
class OperationAggregate {
  readonly durations: LatencySketch;
  errors = 0;
  summary: OperationStats | undefined;

  constructor(
    readonly key: string,
    readonly service: string,
    readonly name: string,
    exactSamples: number,
  ) {
    this.durations = new LatencySketch(exactSamples);
  }
}

interface FnMaps {
  readonly byFunction: Map<string, SiteEntry>;
  readonly bySpanName: Map<string, SiteEntry>;
}

class FnMapsImpl implements FnMaps {
  readonly byFunction = new Map<string, SiteEntry>();
  readonly bySpanName = new Map<string, SiteEntry>();
}

export class LatencyIndex {
  private readonly byKey = new Map<string, FunctionAggregate>();
  private readonly byFile = new Map<string, Map<string, FunctionAggregate>>();
  /** Each distinct raw site resolves once. */
  private sites = new RawSiteCache();
  private readonly exactSamples: number;
  private readonly keepSlowest: number;
  private readonly maxCallers: number;
  private readonly siteOf: (span: Span) => RawCodeSite;
  private readonly yieldEvery: number;
  private unresolvedSpans = 0;
  /** service -> span name -> unresolved spans of that operation. */
  private readonly byOperation = new Map<string, Map<string, OperationAggregate>>();
  private operationCount = 0;
  private readonly maxOperations: number;
  private spanTotal = 0;
  private changeCount = 0;

  constructor(
    private readonly resolve: SiteResolver,
    opts: LatencyIndexOptions = {},
  ) {
    this.exactSamples = Math.max(1, opts.exactSamples ?? 1024);
    this.keepSlowest = Math.max(1, opts.keepSlowest ?? 32);
    this.maxCallers = Math.max(1, opts.maxCallers ?? 32);
    this.siteOf = opts.siteOf ?? spanCodeSite;
    this.yieldEvery = opts.yieldEvery ?? 0;
    this.maxOperations = Math.max(1, opts.maxOperations ?? 2000);
  }

  /** Increments on every change: compare to debounce onDidChangeCodeLenses. */
  get version(): number {
    return this.changeCount;
  }

  get spanCount(): number {
    return this.spanTotal;
  }

  /** Spans whose site could not be resolved (no location recorded, or no workspace file). */
  get unresolved(): number {
    return this.unresolvedSpans;
  }

  /**
   * Adds a trace's spans. `source` is kept on slowest-span references (e.g. the trace file's URI).
   * Resolution of not-yet-seen sites is awaited first; aggregation itself is synchronous.
   */
  async add(trace: Trace, source?: string): Promise<AddResult> {
    const spans = trace.spans;
    const n = spans.length;
    const entries = new Array<SiteEntry>(n);
    let waits: Promise<void>[] | undefined;
    const cache = this.sites;
    let lastPending: Promise<void> | undefined;
    for (let i = 0; i < n; i++) {
      if (this.yieldEvery && i > 0 && i % this.yieldEvery === 0) await new Promise<void>((r) => setImmediate(r));
      const raw = this.siteOf(spans[i]);
      let e = cache.get(raw);
      if (!e) {
        const entry: SiteEntry = { site: null };
        entry.pending = this.resolveEntry(raw, entry);
        cache.set(raw, entry);
        e = entry;
      }
      if (e.pending && e.pending !== lastPending) (waits ??= []).push((lastPending = e.pending));
      entries[i] = e;
    }
    if (waits) await Promise.all(waits);
    if (cache !== this.sites) return this.add(trace, source); // clear() ran meanwhile
    return this.aggregate(trace, entries, source);
  }

  private async resolveEntry(raw: RawCodeSite, entry: SiteEntry): Promise<void> {
    try {
      entry.site = (await this.resolve(raw)) ?? null;
    } catch {
      entry.site = null;
    }
    entry.pending = undefined;
  }

  private aggregate(trace: Trace, entries: SiteEntry[], source: string | undefined): AddResult {
    const spans = trace.spans;
    const n = spans.length;
    let resolvedCount = 0;
    for (let i = 0; i < n; i++) {
      const e = entries[i];
      const site = e.site;
      const s = spans[i];
      if (!site) {
        this.countOperation(s);
        continue;
      }
      resolvedCount++;
      const agg = (e.agg ??= this.aggregateFor(site));
      const d = Number(s.endTimeUnixNano - s.startTimeUnixNano);
      const duration = d > 0 ? d : 0;
      tally(agg.names, s.name, this.maxCallers);
      tally(agg.services, s.resource.serviceName, this.maxCallers);
      agg.durations.add(duration);
      agg.selfTimes.add(selfTimeNs(trace, i));
      if (s.status.code === StatusCode.Error) agg.errors++;
      const p = trace.parentIndex[i];
      if (p >= 0) this.countCaller(agg, entries[p].site?.function ?? spans[p].name);
      const slowest = agg.slowest;
      if (slowest.length < this.keepSlowest || duration > slowest[slowest.length - 1].durationNs) {
        this.keepIfSlow(agg, { traceId: s.traceId, spanId: s.spanId, durationNs: duration, ...(source !== undefined ? { source } : {}) });
      }
      agg.summary = undefined;
    }
    this.spanTotal += n;
    this.unresolvedSpans += n - resolvedCount;
    this.changeCount++;
    return { spans: n, resolved: resolvedCount, unresolved: n - resolvedCount };
  }

  private aggregateFor(site: ResolvedSite): FunctionAggregate {
    const key = siteKey(site);
    let agg = this.byKey.get(key);
    if (!agg) {
      agg = new FunctionAggregate(key, site, this.exactSamples);
      this.byKey.set(key, agg);
      let perFile = this.byFile.get(site.file);
      if (!perFile) this.byFile.set(site.file, (perFile = new Map()));
      perFile.set(key, agg);
    }
    return agg;
  }

  private countOperation(s: Span): void {
    const service = s.resource.serviceName;
    let byName = this.byOperation.get(service);
    if (!byName) this.byOperation.set(service, (byName = new Map()));
    let op = byName.get(s.name);
    if (!op) {
      const name = this.operationCount < this.maxOperations ? s.name : OTHER_OPERATIONS;
      op = byName.get(name);
      if (!op) {
        op = new OperationAggregate(operationKey(service, name), service, name, this.exactSamples);
        byName.set(name, op);
        this.operationCount++;
      }
    }
    const d = Number(s.endTimeUnixNano - s.startTimeUnixNano);
    op.durations.add(d > 0 ? d : 0);
    if (s.status.code === StatusCode.Error) op.errors++;
    op.summary = undefined;
  }

  /** Unresolved spans by operation (service + span name), sorted by service then name. */
  operations(): OperationStats[] {
    const out: OperationStats[] = [];
    for (const byName of this.byOperation.values()) {
      for (const op of byName.values()) {
        if (!op.summary) {
          const d = op.durations;
          const [p50, p95, p99] = d.quantiles(QS);
          op.summary = {
            key: op.key,
            service: op.service,
            name: op.name,
            count: d.count,
            errors: op.errors,
            p50Ns: p50,
            p95Ns: p95,
            p99Ns: p99,
            maxNs: d.max,
            minNs: d.count ? d.min : 0,
            meanNs: d.count ? d.sum / d.count : 0,
            approximate: d.approximate,
          };
        }
        out.push(op.summary);
      }
    }
    return out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private countCaller(agg: FunctionAggregate, caller: string): void {
    const m = agg.callers;
    const c = m.get(caller);
    if (c !== undefined) m.set(caller, c + 1);
    else if (m.size < this.maxCallers) m.set(caller, 1);
    else m.set(OTHER_CALLERS, (m.get(OTHER_CALLERS) ?? 0) + 1);
  }

  private keepIfSlow(agg: FunctionAggregate, ref: SpanRef): void {
    const list = agg.slowest;
    if (list.length >= this.keepSlowest && ref.durationNs <= list[list.length - 1].durationNs) return;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].durationNs >= ref.durationNs) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, ref);
    if (list.length > this.keepSlowest) list.pop();
  }

  /** The functions of one file (the CodeLens query): O(functions in that file), summaries cached. */
  functionsInFile(file: string): FunctionStats[] {
    const perFile = this.byFile.get(file);
    if (!perFile) return [];
    const out: FunctionStats[] = [];
    for (const agg of perFile.values()) out.push(this.summarize(agg));
    return out;
  }

  /** Files that have statistics. */
  files(): string[] {
    return [...this.byFile.keys()];
  }

  /** Every function, sorted by file then line then name. */
  all(): FunctionStats[] {
    const out = [...this.byKey.values()].map((a) => this.summarize(a));
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.function < b.function ? -1 : a.function > b.function ? 1 : 0)));
  }

  get(key: string): FunctionStats | undefined {
    const agg = this.byKey.get(key);
    return agg && this.summarize(agg);
  }

  /** The hover's latency histogram. */
  histogram(key: string, bins = 12): LatencyHistogram {
    return this.byKey.get(key)?.durations.histogram(bins) ?? { edgesNs: [], counts: [] };
  }

  /** The slowest spans of a function (at most keepSlowest), slowest first. */
  slowestSpans(key: string): readonly SpanRef[] {
    return this.byKey.get(key)?.slowest ?? [];
  }

  /** Forget everything (resolution changed, traces closed); add the remaining traces again. */
  clear(): void {
    this.byKey.clear();
    this.byFile.clear();
    this.sites = new RawSiteCache();
    this.unresolvedSpans = 0;
    this.byOperation.clear();
    this.operationCount = 0;
    this.spanTotal = 0;
    this.changeCount++;
  }

  private summarize(agg: FunctionAggregate): FunctionStats {
    if (agg.summary) return agg.summary;
    const d = agg.durations;
    const [p50, p95, p99] = d.quantiles(QS);
    const [s50, s95] = agg.selfTimes.quantiles(SELF_QS);
    const callers = [...agg.callers.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([caller, count]) => ({ caller, count }));
    agg.summary = {
      key: agg.key,
      file: agg.site.file,
      ...(agg.site.line !== undefined ? { line: agg.site.line } : {}),
      function: agg.site.function,
      count: d.count,
      errors: agg.errors,
      p50Ns: p50,
      p95Ns: p95,
      p99Ns: p99,
      maxNs: d.max,
      minNs: d.count ? d.min : 0,
      meanNs: d.count ? d.sum / d.count : 0,
      selfP50Ns: s50,
      selfP95Ns: s95,
      topCallers: callers,
      ...(agg.slowest.length ? { slowest: agg.slowest[0] } : {}),
      approximate: d.approximate,
      ...optional('service', mostFrequent(agg.services)),
      ...optional('operation', mostFrequent(agg.names)),
    };
    return agg.summary;
  }
}

const QS = [0.5, 0.95, 0.99];
const SELF_QS = [0.5, 0.95];
const OTHER_CALLERS = '(other)';
const OTHER_OPERATIONS = '(other)';

/** Counts a value, adding new ones only while the map has fewer than `cap` entries. */
function tally(m: Map<string, number>, v: string, cap: number): void {
  const c = m.get(v);
  if (c !== undefined) m.set(v, c + 1);
  else if (m.size < cap) m.set(v, 1);
}

/** The most frequent key (ties: the smallest), undefined for an empty map. */
function mostFrequent(m: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [k, c] of m) if (c > bestCount || (c === bestCount && best !== undefined && k < best)) [best, bestCount] = [k, c];
  return best;
}

function optional<K extends string>(k: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
}

/** The key of an operation group (unresolved spans of one service + span name). */
export function operationKey(service: string, name: string): string {
  return `op\0${service}\0${name}`;
}

export function siteKey(s: ResolvedSite): string {
  return `${s.file}\0${s.line ?? ''}\0${s.function}`;
}
