// Hover on a function's name (on its declaration line): percentiles, self time, error rate, a small
// latency histogram and the top callers. Untrusted Markdown; all trace text is escaped.
import * as vscode from 'vscode';
import { shortFunctionName } from '../../core/source';
import { hoverMarkdown } from './latencyFormat';
import type { LatencyStats } from './latencyStats';

const HISTOGRAM_BINS = 8;

export class LatencyHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly stats: LatencyStats,
    private readonly slowThresholdMs: () => number,
  ) {}

  static register(context: vscode.ExtensionContext, stats: LatencyStats, slowThresholdMs: () => number): void {
    context.subscriptions.push(vscode.languages.registerHoverProvider({ scheme: 'file' }, new LatencyHoverProvider(stats, slowThresholdMs)));
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const onLine = (await this.stats.functionsInFile(doc.uri.fsPath)).filter((f) => f.line === pos.line + 1);
    if (!onLine.length) return undefined;
    const range = doc.getWordRangeAtPosition(pos);
    if (!range) return undefined;
    const word = doc.getText(range);
    let f = onLine.find((x) => shortFunctionName(x.function) === word);
    // Placed without symbols (named after the span): any word of that line shows it.
    if (!f && onLine.length === 1 && !doc.lineAt(pos.line).text.includes(shortFunctionName(onLine[0].function))) f = onLine[0];
    if (!f) return undefined;
    const scope = this.stats.scope === 'selectedTrace' ? 'the selected trace' : 'the loaded traces';
    const md = new vscode.MarkdownString(hoverMarkdown(f, await this.stats.histogram(f.key, HISTOGRAM_BINS), scope, this.slowThresholdMs()));
    md.isTrusted = false;
    md.supportHtml = false;
    md.supportThemeIcons = false;
    return new vscode.Hover(md, range);
  }
}
