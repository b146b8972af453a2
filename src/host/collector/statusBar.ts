// The dev collector's status bar item: state, ports, spans/s, and warnings (eviction, forwarding
// failures). A click opens the collector menu.
import * as vscode from 'vscode';
import type { CollectorStats } from '../../core/collector';
import type { CollectorController } from './controller';

export const COLLECTOR_MENU = 'spanlens.collectorMenu';

export function formatRate(perSecond: number): string {
  return perSecond >= 10_000 ? `${(perSecond / 1000).toFixed(0)}k` : perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k` : `${Math.round(perSecond)}`;
}

export class CollectorStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('spanlens.collector', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly controller: CollectorController) {
    this.item.name = 'Spanlens Dev Collector';
    this.item.command = COLLECTOR_MENU;
    this.disposables.push(
      controller.onDidChangeState(() => this.update()),
      controller.onDidChangeStats((s) => this.update(s)),
    );
    this.update();
  }

  update(stats?: CollectorStats): void {
    const c = this.controller;
    const h = c.handle;
    if (c.state === 'starting' || c.state === 'stopping') {
      this.item.text = `$(loading~spin) Spanlens collector ${c.state}…`;
      this.item.tooltip = undefined;
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    if (!h) {
      this.item.hide();
      return;
    }
    const s = stats ?? h.stats();
    const p = h.ports;
    const ports = [p.otlpHttp, p.otlpGrpc, p.zipkin].filter((x) => x !== undefined).map((x) => `:${x}`).join(' ');
    const warnings: string[] = [];
    if (s?.evicting) warnings.push('$(warning) evicting');
    if (s?.forward?.lastError) warnings.push('$(warning) forwarding failing');
    this.item.text = [`$(radio-tower) Collector ${ports}`, `${formatRate(s?.spansPerSecond ?? 0)} spans/s`, ...warnings].join(' · ');
    this.item.backgroundColor = warnings.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown('**Spanlens dev collector** (click for actions)\n\n');
    if (h.endpoints.otlpHttp) md.appendMarkdown(`- OTLP/HTTP: \`${h.endpoints.otlpHttp}\`\n`);
    if (h.endpoints.otlpGrpc) md.appendMarkdown(`- OTLP/gRPC: \`${h.endpoints.otlpGrpc}\`\n`);
    if (h.endpoints.zipkin) md.appendMarkdown(`- Zipkin: \`${h.endpoints.zipkin}\`\n`);
    if (s) {
      md.appendMarkdown(`\n${s.storedSpans} of ${s.maxSpans} spans stored in ${s.storedTraces} traces; ${s.spansReceived} spans received.\n`);
      if (s.evicting) md.appendMarkdown(`\n$(warning) The store is full: ${s.evictedTraces} oldest traces (${s.evictedSpans} spans) evicted. Raise \`spanlens.collector.maxSpans\` or export and clear.\n`);
      const rejected = Object.entries(s.rejected).map(([k, n]) => `${k} ${n}`).join(', ');
      if (rejected) md.appendMarkdown(`\nRejected requests: ${rejected}\n`);
      if (s.forward) {
        const f = s.forward;
        md.appendMarkdown(`\nForwarding to \`${f.url}\`: ${f.forwardedSpans} spans sent, ${f.queued} batches queued, ${f.droppedBatches} dropped${f.lastError ? `; **failing**: ${f.lastError}` : ''}\n`);
      }
      if (s.outputFile) md.appendMarkdown(`\nAppending to \`${s.outputFile.path}\` (${s.outputFile.lines} batches)${s.outputFile.error ? `; **error**: ${s.outputFile.error}` : ''}\n`);
    }
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
