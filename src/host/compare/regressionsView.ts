// The "Regressions" view: functions and operations slower than in the baseline run, worst first
// (the worker's diffRuns order: deltaP50 descending). A click opens the function's code; an
// operation without a code location opens its worst trace instead. The inline action compares the
// worst trace of each side in the diff view.
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import type { RunDiffEntry } from '../../core/diff/types';
import { formatDurationNs } from '../../core/model/time';
import type { BaselineController } from './baseline';
import { readTolerance } from './tolerance';

export const REGRESSIONS_VIEW = 'spanlens.regressions';
export const OPEN_REGRESSION = 'spanlens.regressions.open';
export const COMPARE_WORST = 'spanlens.compareWorstTraces';
const REFRESH_DEBOUNCE_MS = 300;

const ms = (v: number) => formatDurationNs(v * 1e6);

/** "+38% p50 · 10 ms → 13.8 ms · checkout" */
export function regressionDescription(e: RunDiffEntry): string {
  const b = e.baseline;
  const c = e.candidate;
  const pct = b && c && b.p50Ms > 0 ? `+${((100 * (c.p50Ms - b.p50Ms)) / b.p50Ms).toFixed(0)}% p50` : `+${ms(e.deltaP50Ms ?? 0)} p50`;
  return [pct, b && c ? `${ms(b.p50Ms)} → ${ms(c.p50Ms)}` : '', e.service].filter(Boolean).join(' · ');
}

export class RegressionsView implements vscode.TreeDataProvider<RunDiffEntry>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private view?: vscode.TreeView<RunDiffEntry>;
  private timer?: ReturnType<typeof setTimeout>;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly catalog: CatalogClient,
    private readonly baseline: BaselineController,
  ) {
    this.disposables.push(
      baseline.onDidChange(() => this.refresh()),
      catalog.onDidChangeStats(() => this.refreshSoon()),
    );
  }

  static register(context: vscode.ExtensionContext, catalog: CatalogClient, baseline: BaselineController): RegressionsView {
    const v = new RegressionsView(catalog, baseline);
    v.view = vscode.window.createTreeView(REGRESSIONS_VIEW, { treeDataProvider: v });
    v.disposables.push(v.view);
    context.subscriptions.push(v);
    return v;
  }

  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.emitter.fire();
  }

  private refreshSoon(): void {
    if (!this.timer) this.timer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  /** The regressed entries, worst first (also what spanlens._test.regressions reads). */
  async entries(): Promise<RunDiffEntry[]> {
    if (!this.baseline.info || !this.catalog.running) return [];
    return this.catalog.call('baselineRegressions').catch(() => []);
  }

  async getChildren(node?: RunDiffEntry): Promise<RunDiffEntry[]> {
    if (node) return [];
    const list = await this.entries();
    const b = this.baseline.info;
    if (this.view) {
      const t = readTolerance();
      this.view.description = b ? `vs ${b.label}` : undefined;
      this.view.message = b && !list.length ? `Nothing is slower than in ${b.label} by more than ${t.threshold * 100}% and ${t.minDeltaNs / 1e6} ms.` : undefined;
    }
    return list;
  }

  getTreeItem(e: RunDiffEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(e.function, vscode.TreeItemCollapsibleState.None);
    item.id = e.key;
    item.description = regressionDescription(e);
    const where = e.file ? `${vscode.workspace.asRelativePath(e.file)}${e.line ? `:${e.line}` : ''}` : `operation ${e.service} / ${e.operation ?? e.function} (no code location)`;
    item.tooltip = `${e.function}\n${where}\np50 ${e.baseline ? ms(e.baseline.p50Ms) : '—'} → ${e.candidate ? ms(e.candidate.p50Ms) : '—'}, p95 ${e.baseline ? ms(e.baseline.p95Ms) : '—'} → ${e.candidate ? ms(e.candidate.p95Ms) : '—'}\ncalls ${e.baseline?.count ?? 0} → ${e.candidate?.count ?? 0}`;
    item.iconPath = new vscode.ThemeIcon(e.kind === 'function' ? 'arrow-up' : 'symbol-event', new vscode.ThemeColor('charts.red'));
    item.contextValue = `spanlens.regression.${e.kind}`;
    item.command = { command: OPEN_REGRESSION, title: e.file ? 'Open Code' : 'Open Worst Trace', arguments: [e] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
