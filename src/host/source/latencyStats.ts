// Per-function latency statistics for the CodeLens, the hover and "Show Spans for This Function".
// Two LatencyIndex instances: every trace loaded in an open Spanlens editor (a live collector will
// call addTraces the same way), and only the trace selected in the active waterfall; the setting
// spanlens.statistics.scope chooses which one the editor shows. A span is placed on the function
// that encloses its resolved (path-mapped, source-mapped) location, found through the document
// symbols, so the lens sits on the declaration and not on whatever line created the span.
import * as vscode from 'vscode';
import type { Trace } from '../../core/model/model';
import { FunctionStats, LatencyHistogram, LatencyIndex, RawCodeSite, ResolvedSite, SpanRef } from '../../core/source';
import { DocumentSymbolCache } from './documentSymbols';
import { log } from '../log';
import type { TraceEditorProvider } from '../traceEditorProvider';
import type { WorkspaceSource } from './workspaceSource';

export type StatisticsScope = 'allLoaded' | 'selectedTrace';

/** onDidChange fires this long after the last change (traces arrive in bursts). */
const CHANGE_DEBOUNCE_MS = 300;
/** Slowest spans kept per function, for the quick pick. */
const KEEP_SLOWEST = 100;

export interface StatsInfo {
  scope: StatisticsScope;
  version: number;
  spans: number;
  unresolved: number;
  files: string[];
  sources: string[];
  selected?: { source: string; traceIndex: number };
}

export class LatencyStats implements vscode.Disposable {
  // Rebuilt indexes are filled off to the side and swapped in whole: the lenses never see a
  // half-filled index (they would flicker away during a rebuild).
  private allIndex: LatencyIndex;
  private selectedIndex: LatencyIndex;
  /** Counts swaps, so "what the editor shows" changes even when a new index's version repeats. */
  private generation = 0;
  private readonly newIndex: () => LatencyIndex;
  /** Loaded trace sources (a trace file's URI, later a collector): what allIndex holds. */
  private readonly sources = new Map<string, readonly Trace[]>();
  /** The sources that are trace files open in Spanlens editors (dropped when their last editor closes). */
  private readonly editorSources = new Set<string>();
  /** How many traces of each source allIndex aggregates (a rebuild may already have taken a queued source). */
  private readonly indexedCount = new Map<string, number>();
  private selected: { source: string; traceIndex: number; trace: Trace } | undefined;
  private scopeSetting: StatisticsScope;
  private work: Promise<void> = Promise.resolve();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Debounced: the statistics the editor shows changed (new traces, scope, rebuilt index). */
  readonly onDidChange = this.emitter.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firedStamp = '';
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly provider: TraceEditorProvider,
    private readonly source: WorkspaceSource,
    private readonly symbols: DocumentSymbolCache,
  ) {
    const resolve = (raw: RawCodeSite) => this.resolveSite(raw);
    this.newIndex = () => new LatencyIndex(resolve, { keepSlowest: KEEP_SLOWEST });
    this.allIndex = this.newIndex();
    this.selectedIndex = this.newIndex();
    this.scopeSetting = readScope();
    this.firedStamp = this.stamp();
    this.disposables.push(
      provider.onDidLoadSession((p) => {
        this.updateSelection();
        const s = p.getSession();
        const key = p.document.uri.toString();
        if (!s || this.sources.get(key) === s.file.traces) return;
        // A file read again (reload) replaces its old traces.
        if (this.sources.has(key)) this.removeSource(key);
        this.editorSources.add(key);
        this.addTraces(key, s.file.traces);
      }),
      provider.onDidChangePanels(() => this.dropClosedSources()),
      provider.onDidChangeSelectedTrace(() => this.updateSelection()),
      source.onDidChange((c) => {
        const placed = new Set(this.allIndex.files());
        const touched = c.changedFiles.filter((f) => placed.has(f));
        for (const f of touched) symbols.invalidate(vscode.Uri.file(f));
        if (c.filesChanged || c.mapsChanged || c.configChanged || touched.length) this.rebuild('workspace files or settings changed');
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('spanlens.statistics.scope')) return;
        this.scopeSetting = readScope();
        this.updateSelection();
        this.changed();
      }),
    );
  }

  get scope(): StatisticsScope {
    return this.scopeSetting;
  }

  /** The index the editor shows. */
  private get index(): LatencyIndex {
    return this.scopeSetting === 'selectedTrace' ? this.selectedIndex : this.allIndex;
  }

  functionsInFile(fsPath: string): FunctionStats[] {
    return this.index.functionsInFile(fsPath);
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

  /** Adds the traces of a source (a trace file's URI string). Called again for the same source, it is ignored. */
  addTraces(sourceKey: string, traces: readonly Trace[]): void {
    if (this.sources.has(sourceKey)) return;
    this.sources.set(sourceKey, traces);
    this.catchUp(sourceKey);
  }

  /**
   * Adds more traces to a source without rebuilding the index: the live collector indexes each
   * settled trace once, instead of the whole store on every change.
   */
  appendTraces(sourceKey: string, traces: readonly Trace[]): void {
    if (traces.length === 0) return;
    const prev = this.sources.get(sourceKey);
    if (!prev) return this.addTraces(sourceKey, traces);
    this.sources.set(sourceKey, [...prev, ...traces]);
    this.catchUp(sourceKey);
  }

  /** Indexes the traces of a source that allIndex does not hold yet. */
  private catchUp(sourceKey: string): void {
    this.enqueue(async () => {
      await this.source.ready();
      const list = this.sources.get(sourceKey);
      if (!list) return; // removed again
      const from = this.indexedCount.get(sourceKey) ?? 0;
      this.indexedCount.set(sourceKey, list.length);
      await addAll(this.allIndex, list.slice(from), sourceKey);
    });
  }

  /** Forgets a source (its editor closed); the index is rebuilt from the remaining ones. */
  removeSource(sourceKey: string): void {
    if (!this.sources.delete(sourceKey)) return;
    this.rebuild(`closed ${sourceKey}`);
  }

  /** Resolves when every queued add / rebuild has finished (tests, and "show spans" right after opening). */
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
      ...(this.selected ? { selected: { source: this.selected.source, traceIndex: this.selected.traceIndex } } : {}),
    };
  }

  /** Trace files whose last editor closed. Other sources (the live collector) are left alone. */
  private dropClosedSources(): void {
    const open = new Set(this.provider.openPanels().map((p) => p.document.uri.toString()));
    for (const key of [...this.editorSources]) {
      if (open.has(key)) continue;
      this.editorSources.delete(key);
      this.removeSource(key);
    }
    this.updateSelection();
  }

  /** The active waterfall's trace (or, with no active one, the last panel's). */
  private updateSelection(): void {
    const panel = this.provider.activePanel() ?? this.provider.openPanels().at(-1);
    const session = panel?.getSession();
    const ti = panel?.selectedTrace;
    const next = panel && session && ti !== undefined && session.file.traces[ti] ? { source: panel.document.uri.toString(), traceIndex: ti, trace: session.file.traces[ti] } : undefined;
    if (next?.trace === this.selected?.trace) return;
    this.selected = next;
    this.enqueue(() => this.fillSelected());
  }

  private async fillSelected(): Promise<void> {
    const next = this.newIndex();
    const sel = this.selected;
    if (sel) {
      await this.source.ready();
      await next.add(sel.trace, sel.source);
    }
    this.selectedIndex = next;
    this.generation++;
  }

  private rebuild(why: string): void {
    this.enqueue(async () => {
      const t0 = Date.now();
      const next = this.newIndex();
      await this.source.ready();
      const included = new Map<string, number>();
      for (const [key, traces] of [...this.sources]) {
        included.set(key, traces.length);
        await addAll(next, traces, key);
      }
      this.allIndex = next;
      this.generation++;
      this.indexedCount.clear();
      for (const [k, n] of included) this.indexedCount.set(k, n);
      await this.fillSelected();
      log()?.info(`Latency statistics rebuilt (${why}): ${this.allIndex.spanCount} spans in ${Date.now() - t0} ms`);
    });
  }

  /** Runs one change at a time, so clear-and-refill never interleaves with an add. */
  private enqueue(fn: () => Promise<void>): void {
    this.work = this.work
      .then(fn)
      .catch((e) => log()?.error(`Latency statistics: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.changed());
  }

  /** Debounced notification when what the editor shows has changed. */
  private changed(): void {
    if (this.stamp() === this.firedStamp) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.firedStamp = this.stamp();
      this.emitter.fire();
    }, CHANGE_DEBOUNCE_MS);
  }

  private stamp(): string {
    return `${this.scopeSetting}:${this.generation}:${this.index.version}`;
  }

  /**
   * A distinct recorded site -> the function it belongs to: path mapping and source maps through the
   * locator, then the enclosing function from the document symbols (declaration line, qualified
   * name). Without symbols the mapped line and the recorded function (or span name) are used.
   */
  private async resolveSite(raw: RawCodeSite): Promise<ResolvedSite | undefined> {
    if (!raw.file) return undefined;
    const r = await this.source.locator.resolveLocation({ file: raw.file, line: raw.line, column: raw.column });
    const t = r.targets.find((x) => !x.outsideWorkspace && !x.embeddedSource);
    if (!t) return undefined;
    const uri = vscode.Uri.file(t.path);
    const file = uri.fsPath;
    const fallbackName = raw.function ?? raw.spanName;
    if (t.line === undefined) return { file, function: fallbackName };
    const fn = await this.symbols.enclosingFunction(uri, t.line, t.column);
    if (fn) return { file, line: fn.line, function: fn.name };
    return { file, line: t.line, function: fallbackName };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

export function readScope(): StatisticsScope {
  return vscode.workspace.getConfiguration('spanlens').get<string>('statistics.scope') === 'selectedTrace' ? 'selectedTrace' : 'allLoaded';
}

/** Spans indexed between two returns to the event loop: the extension host serves every extension. */
const SPANS_PER_SLICE = 5000;

/**
 * Adds traces to an index, giving the event loop a turn every SPANS_PER_SLICE spans (an awaited
 * add of cached sites only yields to microtasks, which would hold the thread for a whole store).
 */
async function addAll(index: LatencyIndex, traces: readonly Trace[], source: string): Promise<void> {
  let sinceYield = 0;
  for (const t of traces) {
    await index.add(t, source);
    sinceYield += t.spans.length;
    if (sinceYield >= SPANS_PER_SLICE) {
      sinceYield = 0;
      await new Promise<void>((r) => setImmediate(r));
    }
  }
}
