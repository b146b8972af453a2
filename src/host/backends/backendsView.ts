// The "Backends" view: each configured backend, its searches (the latest results in memory, recent
// searches from workspace state), and recently fetched traces. Selecting a result opens it.
import * as vscode from 'vscode';
import type { BackendConfig, SearchQuery, TraceSummary } from '../../core/backends';
import { formatDurationNs } from '../../core/model/time';
import { readBackendSettings } from './config';
import type { BackendService, RecentSearch } from './service';

export type BackendNode =
  | { kind: 'backend'; backend: BackendConfig }
  | { kind: 'searchAction'; backend: BackendConfig }
  | { kind: 'search'; backend: BackendConfig; search: RecentSearch }
  | { kind: 'result'; backend: BackendConfig; summary: TraceSummary }
  | { kind: 'empty'; text: string }
  | { kind: 'recentTraces' }
  | { kind: 'recentTrace'; backend: string; traceId: string; rootName?: string };

export class BackendsView implements vscode.TreeDataProvider<BackendNode> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  /** Latest results per "backend\0label" search key. */
  private readonly results = new Map<string, TraceSummary[]>();

  constructor(private readonly service: BackendService) {}

  refresh(): void {
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }

  setResults(backend: string, label: string, hits: TraceSummary[]): void {
    this.results.set(`${backend}\0${label}`, hits);
    this.refresh();
  }

  resultsFor(backend: string, label: string): TraceSummary[] | undefined {
    return this.results.get(`${backend}\0${label}`);
  }

  getChildren(node?: BackendNode): BackendNode[] {
    if (!node) {
      const { backends } = readBackendSettings();
      const roots: BackendNode[] = backends.map((backend) => ({ kind: 'backend', backend }));
      if (backends.length && this.service.recentTraces().length) roots.push({ kind: 'recentTraces' });
      return roots;
    }
    switch (node.kind) {
      case 'backend':
        return [
          { kind: 'searchAction', backend: node.backend },
          ...this.service
            .recentSearches()
            .filter((s) => s.backend === node.backend.name)
            .map((search): BackendNode => ({ kind: 'search', backend: node.backend, search })),
        ];
      case 'search': {
        const hits = this.resultsFor(node.backend.name, node.search.label);
        if (!hits) return [{ kind: 'empty', text: 'select to run this search again' }];
        if (!hits.length) return [{ kind: 'empty', text: 'no traces matched' }];
        return hits.map((summary) => ({ kind: 'result', backend: node.backend, summary }));
      }
      case 'recentTraces':
        return this.service.recentTraces().map((t) => ({ kind: 'recentTrace', backend: t.backend, traceId: t.traceId, rootName: t.rootName }));
      default:
        return [];
    }
  }

  getTreeItem(node: BackendNode): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    switch (node.kind) {
      case 'backend': {
        const item = new vscode.TreeItem(node.backend.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.backend.type} · ${node.backend.url}`;
        item.contextValue = 'spanlensBackend';
        item.iconPath = new vscode.ThemeIcon('database');
        return item;
      }
      case 'searchAction': {
        const item = new vscode.TreeItem('Search…', None);
        item.iconPath = new vscode.ThemeIcon('search');
        item.command = { command: 'spanlens.backends.search', title: 'Search', arguments: [node.backend.name] };
        return item;
      }
      case 'search': {
        const hits = this.resultsFor(node.backend.name, node.search.label);
        const item = new vscode.TreeItem(node.search.label, hits ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = hits ? `${hits.length} trace${hits.length === 1 ? '' : 's'}` : 'recent';
        item.iconPath = new vscode.ThemeIcon('history');
        item.tooltip = 'Select to run this search again';
        item.command = { command: 'spanlens.backends.search', title: 'Search again', arguments: [node.backend.name, node.search.query] };
        return item;
      }
      case 'result': {
        const s = node.summary;
        const item = new vscode.TreeItem(s.rootName || s.traceId, None);
        const counts = [s.spanCount !== undefined ? `${s.spanCount} spans` : '', s.errorCount ? `${s.errorCount} errors` : ''].filter(Boolean).join(', ');
        item.description = `${s.rootService} · ${new Date(s.startMs).toLocaleString()} · ${formatDurationNs(s.durationMs * 1e6)}${counts ? ` · ${counts}` : ''}`;
        item.tooltip = `${s.traceId}\n${item.description}`;
        item.iconPath = new vscode.ThemeIcon(s.errorCount ? 'error' : 'pulse');
        item.contextValue = 'spanlensBackendResult';
        item.command = { command: 'spanlens.backends.openResult', title: 'Open', arguments: [node.backend.name, s.traceId] };
        return item;
      }
      case 'empty':
        return new vscode.TreeItem(node.text, None);
      case 'recentTraces': {
        const item = new vscode.TreeItem('Recent traces', vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('history');
        return item;
      }
      case 'recentTrace': {
        const item = new vscode.TreeItem(node.rootName || node.traceId, None);
        item.description = `${node.backend} · ${node.traceId}`;
        item.command = { command: 'spanlens.backends.openResult', title: 'Open', arguments: [node.backend, node.traceId] };
        return item;
      }
    }
  }
}

export function queryFromArg(v: unknown): SearchQuery | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as SearchQuery) : undefined;
}
