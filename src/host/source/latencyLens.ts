// The per-function latency CodeLens, above each function declaration that has spans. Answers from
// the statistics' per-file summaries only (LatencyStats.functionsInFile): no span is scanned here.
import * as vscode from 'vscode';
import { LensFigure, lensTitle, parseFigures } from './latencyFormat';
import type { LatencyStats } from './latencyStats';

export const SHOW_FUNCTION_SPANS = 'spanlens.showFunctionSpans';

interface LensSettings {
  enabled: boolean;
  figures: LensFigure[];
  slowThresholdMs: number;
}

function readSettings(): LensSettings {
  const c = vscode.workspace.getConfiguration('spanlens.codeLens');
  const t = c.get<number>('slowThresholdMs', 0);
  return { enabled: c.get<boolean>('enabled', true), figures: parseFigures(c.get('figures')), slowThresholdMs: typeof t === 'number' && Number.isFinite(t) ? t : 0 };
}

export class LatencyLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private settings = readSettings();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly stats: LatencyStats) {
    this.disposables.push(
      stats.onDidChange(() => this.emitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('spanlens.codeLens')) return;
        this.settings = readSettings();
        this.emitter.fire();
      }),
    );
  }

  static register(context: vscode.ExtensionContext, stats: LatencyStats): LatencyLensProvider {
    const p = new LatencyLensProvider(stats);
    context.subscriptions.push(p, vscode.languages.registerCodeLensProvider({ scheme: 'file' }, p));
    return p;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const s = this.settings;
    if (!s.enabled) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const f of await this.stats.functionsInFile(doc.uri.fsPath)) {
      if (f.line === undefined || f.line > doc.lineCount) continue;
      const range = new vscode.Range(f.line - 1, 0, f.line - 1, 0);
      lenses.push(
        new vscode.CodeLens(range, {
          title: lensTitle(f, s.figures, s.slowThresholdMs),
          tooltip: `Spanlens: open the slowest of the ${f.count} span(s) of ${f.function}, then pick another`,
          command: SHOW_FUNCTION_SPANS,
          arguments: [{ key: f.key, openSlowest: true }],
        }),
      );
    }
    return lenses;
  }

  get slowThresholdMs(): number {
    return this.settings.slowThresholdMs;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
