// The "Traces" view in the Spanlens activity-bar container: the traces of every open trace file.
import * as vscode from 'vscode';
import { formatDurationNs } from '../core/model/time';
import type { TraceSummaryDto } from '../shared/protocol';
import { TraceEditorProvider, TracePanel, VIEW_TYPE } from './traceEditorProvider';

type Node = { kind: 'file'; panel: TracePanel } | { kind: 'trace'; panel: TracePanel; summary: TraceSummaryDto };

export class TracesView implements vscode.TreeDataProvider<Node> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly provider: TraceEditorProvider) {}

  static register(context: vscode.ExtensionContext, provider: TraceEditorProvider): void {
    const view = new TracesView(provider);
    context.subscriptions.push(
      view.emitter,
      vscode.window.registerTreeDataProvider('spanlens.traces', view),
      provider.onDidChangePanels(() => view.emitter.fire()),
    );
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const seen = new Set<string>();
      return this.provider
        .openPanels()
        .filter((p) => !seen.has(p.document.uri.toString()) && seen.add(p.document.uri.toString()))
        .map((panel) => ({ kind: 'file', panel }));
    }
    if (node.kind === 'file') {
      return (node.panel.getSession()?.summaries() ?? []).map((summary) => ({ kind: 'trace', panel: node.panel, summary }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.panel.document.fileName, vscode.TreeItemCollapsibleState.Expanded);
      item.resourceUri = node.panel.document.uri;
      item.contextValue = 'spanlensTraceFile';
      item.description = node.panel.info.state === 'error' ? 'could not open' : node.panel.info.format;
      item.command = { command: 'vscode.openWith', title: 'Open', arguments: [node.panel.document.uri, VIEW_TYPE] };
      return item;
    }
    const s = node.summary;
    const item = new vscode.TreeItem(s.rootName || s.traceId, vscode.TreeItemCollapsibleState.None);
    item.description = `${s.rootService} · ${formatDurationNs(s.durationNs)} · ${s.spanCount} spans${s.errorCount ? ` · ${s.errorCount} errors` : ''}`;
    item.tooltip = `Trace ${s.traceId}`;
    item.iconPath = new vscode.ThemeIcon(s.errorCount ? 'error' : 'pulse');
    item.contextValue = 'spanlensTrace';
    return item;
  }
}
