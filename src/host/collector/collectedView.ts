// The "Collected" view in the Spanlens container: the dev collector's traces, newest first, live
// (debounced change events), with filters by service and errors only. A click opens the trace's
// live waterfall. Rows come from the worker's summaries (cheap: kept up to date at ingest).
import * as vscode from 'vscode';
import type { LiveTraceSummary } from '../../core/collector';
import { formatDurationNs } from '../../core/model/time';
import { displayText } from '../../shared/format';
import { escapeMarkdown } from '../source/latencyFormat';
import { pick } from '../userMessages';
import type { CollectorController } from './controller';

export const COLLECTED_VIEW = 'spanlens.collected';
/** Rows listed at most (the newest). */
const MAX_ROWS = 500;
const REFRESH_DEBOUNCE_MS = 250;
/** Ages ("12 s ago") are refreshed this often while the view is visible. */
const AGE_REFRESH_MS = 10_000;

export interface CollectedFilter {
  service?: string;
  errorsOnly: boolean;
}

/** A row as the user sees it (also what spanlens._test.collectedTraces returns). */
export interface CollectedRow {
  traceId: string;
  label: string;
  description: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** Names in labels: one line, at most this long, bidi controls visible. */
const MAX_LABEL_CHARS = 120;
function labelText(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return displayText(one.length > MAX_LABEL_CHARS ? `${one.slice(0, MAX_LABEL_CHARS)}…` : one);
}

/** "GET /orders · frontend": root name and service; the trace id goes in the description and tooltip. */
export function rowOf(s: LiveTraceSummary, now = Date.now()): CollectedRow {
  const service = s.rootService || s.services[0] || 'unknown service';
  const name = `${s.rootName ? labelText(s.rootName) : '(unnamed span)'} · ${labelText(service)}`;
  const label = s.hasRoot ? name : `${name} (root not received yet)`;
  const parts = [formatDurationNs(s.durationNs), `${s.spanCount} span${s.spanCount === 1 ? '' : 's'}`];
  if (s.errorCount) parts.push(`${s.errorCount} error${s.errorCount === 1 ? '' : 's'}`);
  parts.push(formatAge(now - s.firstReceivedMs));
  parts.push(s.traceId.slice(0, 8));
  return { traceId: s.traceId, label, description: parts.join(' · '), spanCount: s.spanCount, errorCount: s.errorCount, services: [...s.services] };
}

export function matchesFilter(s: LiveTraceSummary, f: CollectedFilter): boolean {
  if (f.errorsOnly && !s.errorCount) return false;
  if (f.service && !s.services.includes(f.service)) return false;
  return true;
}

export class CollectedView implements vscode.TreeDataProvider<LiveTraceSummary>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly filter: CollectedFilter = { errorsOnly: false };
  private timer?: ReturnType<typeof setTimeout>;
  private ageTimer?: ReturnType<typeof setInterval>;
  private view?: vscode.TreeView<LiveTraceSummary>;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly controller: CollectorController) {
    this.disposables.push(
      controller.onDidChangeTraces(() => this.refreshSoon()),
      controller.onDidChangeState(() => this.refresh()),
    );
  }

  static register(context: vscode.ExtensionContext, controller: CollectorController): CollectedView {
    const v = new CollectedView(controller);
    v.view = vscode.window.createTreeView(COLLECTED_VIEW, { treeDataProvider: v, showCollapseAll: false });
    v.disposables.push(
      v.view,
      v.view.onDidChangeVisibility((e) => v.ageTicker(e.visible)),
    );
    v.ageTicker(v.view.visible);
    context.subscriptions.push(
      v,
      vscode.commands.registerCommand('spanlens.collected.filterByService', () => v.chooseService()),
      vscode.commands.registerCommand('spanlens.collected.toggleErrorsOnly', () => v.setFilter({ errorsOnly: !v.filter.errorsOnly })),
      vscode.commands.registerCommand('spanlens.collected.showErrorsOnly', () => v.setFilter({ errorsOnly: true })),
      vscode.commands.registerCommand('spanlens.collected.showAll', () => v.setFilter({ errorsOnly: false })),
      vscode.commands.registerCommand('spanlens.collected.clearFilter', () => v.setFilter({ service: undefined, errorsOnly: false })),
    );
    v.updateContext();
    return v;
  }

  private ageTicker(visible: boolean): void {
    if (this.ageTimer) clearInterval(this.ageTimer);
    this.ageTimer = visible ? setInterval(() => this.controller.handle && this.emitter.fire(), AGE_REFRESH_MS) : undefined;
  }

  setFilter(f: Partial<CollectedFilter>): void {
    if ('service' in f) this.filter.service = f.service;
    if (f.errorsOnly !== undefined) this.filter.errorsOnly = f.errorsOnly;
    this.updateContext();
    this.refresh();
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'spanlens.collected.errorsOnly', this.filter.errorsOnly);
    void vscode.commands.executeCommand('setContext', 'spanlens.collected.filtered', this.filter.errorsOnly || !!this.filter.service);
    if (this.view) {
      const f = [this.filter.service ? `service ${this.filter.service}` : '', this.filter.errorsOnly ? 'errors only' : ''].filter(Boolean).join(', ');
      this.view.description = f || undefined;
    }
  }

  private async chooseService(): Promise<void> {
    const all = (await this.summaries()) ?? [];
    const services = [...new Set(all.flatMap((s) => s.services))].sort();
    const items: vscode.QuickPickItem[] = [{ label: 'All services' }, ...services.map((s) => ({ label: s, description: s === this.filter.service ? 'current' : undefined }))];
    const chosen = await pick(items, { title: 'Show the collected traces of one service', placeHolder: services.length ? 'Service' : 'No traces collected yet' });
    if (!chosen) return;
    this.setFilter({ service: chosen.label === 'All services' ? undefined : chosen.label });
  }

  private refreshSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.emitter.fire();
    }, REFRESH_DEBOUNCE_MS);
  }

  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.emitter.fire();
  }

  private async summaries(limit?: number): Promise<LiveTraceSummary[] | undefined> {
    const h = this.controller.handle;
    if (!h) return undefined;
    return h.store.summaries(limit).catch(() => undefined);
  }

  /** The rows the view shows, filtered (the test command returns these). */
  async rows(): Promise<LiveTraceSummary[]> {
    // Unfiltered, only the newest rows cross the thread boundary.
    const filtered = this.filter.errorsOnly || !!this.filter.service;
    const all = (await this.summaries(filtered ? undefined : MAX_ROWS)) ?? [];
    return all.filter((s) => matchesFilter(s, this.filter)).slice(0, MAX_ROWS);
  }

  async getChildren(node?: LiveTraceSummary): Promise<LiveTraceSummary[]> {
    if (node) return [];
    const rows = await this.rows();
    if (this.view) {
      const h = this.controller.handle;
      this.view.message = !h
        ? undefined
        : rows.length
          ? undefined
          : this.filter.errorsOnly || this.filter.service
            ? 'No collected trace matches the filter.'
            : `Waiting for traces on ${h.endpoints.otlpHttp ?? h.endpoints.otlpGrpc ?? h.endpoints.zipkin}…`;
    }
    return rows;
  }

  getTreeItem(s: LiveTraceSummary): vscode.TreeItem {
    const row = rowOf(s);
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = s.traceId;
    item.description = row.description;
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(row.label)}**\n\nTrace \`${s.traceId}\`\n\nServices: ${escapeMarkdown(labelText(s.services.join(', '))) || '—'}\n\n${s.spanCount} spans, ${s.errorCount} errors, ${formatDurationNs(s.durationNs)}`,
    );
    item.iconPath = new vscode.ThemeIcon(s.errorCount ? 'error' : 'pulse');
    item.contextValue = 'spanlens.collectedTrace';
    item.command = { command: 'spanlens.openCollectedTrace', title: 'Open Waterfall', arguments: [s.traceId] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.ageTimer) clearInterval(this.ageTimer);
    for (const d of this.disposables) d.dispose();
  }
}
