// Wires span <-> source into the extension: one WorkspaceSource (locator) per window, jump to code
// (spans and stack frames), the per-function latency statistics with their CodeLens and hover, and
// "Show Spans for This Function". Registered on activation (which only a trace or a Spanlens
// command causes); statistics exist only once a trace is loaded, so nothing here needs an
// activation event of its own. Also the `spanlens._test.*` hooks the integration tests read.
import * as vscode from 'vscode';
import { DocumentSymbolCache } from './documentSymbols';
import { FunctionSpans } from './functionSpans';
import { LatencyHoverProvider } from './latencyHover';
import { LatencyLensProvider, SHOW_FUNCTION_SPANS } from './latencyLens';
import { LatencyStats } from './latencyStats';
import { SourceEditor } from './sourceEditor';
import { SourceNavigator } from './sourceNavigation';
import type { TraceEditorProvider } from '../traceEditorProvider';
import { clearMessages, lastMessages, queueAnswers } from '../userMessages';
import { WorkspaceSource } from './workspaceSource';

export interface SourceFeatures {
  readonly source: WorkspaceSource;
  readonly stats: LatencyStats;
  /** Jump to code, for views other than the waterfall (the trace comparison). */
  readonly navigator: SourceNavigator;
  /** Opens a span's trace in the waterfall and selects the span. */
  readonly functionSpans: FunctionSpans;
}

export function registerSourceFeatures(context: vscode.ExtensionContext, provider: TraceEditorProvider): SourceFeatures {
  const source = new WorkspaceSource();
  const symbols = new DocumentSymbolCache();
  const editor = new SourceEditor();
  const stats = new LatencyStats(provider, provider.catalog, source, symbols);
  const navigator = new SourceNavigator(provider, source, editor);
  const functionSpans = new FunctionSpans(provider, stats, provider.catalog, symbols);
  context.subscriptions.push(source, symbols, editor, stats);

  const lens = LatencyLensProvider.register(context, stats);
  LatencyHoverProvider.register(context, stats, () => lens.slowThresholdMs);

  context.subscriptions.push(
    vscode.commands.registerCommand('spanlens.goToSpanSource', (uri: unknown, traceIndex: unknown, spanIndex: unknown) => navigator.goToSpan(uri, traceIndex, spanIndex)),
    vscode.commands.registerCommand('spanlens.openSpanFrame', (uri: unknown, t: unknown, s: unknown, stack: unknown, frame: unknown) => navigator.openFrame(uri, t, s, stack, frame)),
    vscode.commands.registerCommand(SHOW_FUNCTION_SPANS, (arg?: unknown) => functionSpans.show(arg)),
    vscode.commands.registerCommand('spanlens.toggleStatisticsScope', async () => {
      const next = stats.scope === 'selectedTrace' ? 'allLoaded' : 'selectedTrace';
      // User settings: a workspace .vscode/settings.json should not appear for a view toggle.
      await vscode.workspace.getConfiguration('spanlens').update('statistics.scope', next, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(`Spanlens: latency statistics from ${next === 'selectedTrace' ? 'the selected trace only' : 'all loaded traces'}`, 4000);
    }),

    // For the integration tests: what the user was told, answers for the next prompts, index state.
    vscode.commands.registerCommand('spanlens._test.lastMessages', (opts?: { clear?: boolean }) => {
      const m = lastMessages();
      if (opts?.clear) clearMessages();
      return m;
    }),
    vscode.commands.registerCommand('spanlens._test.queueAnswers', (answers: unknown) => {
      queueAnswers(Array.isArray(answers) ? answers.filter((a): a is string => typeof a === 'string') : []);
    }),
    vscode.commands.registerCommand('spanlens._test.statsInfo', () => stats.info()),
    vscode.commands.registerCommand('spanlens._test.sourceIndexHas', async (fsPath: unknown) => {
      await source.ready();
      return typeof fsPath === 'string' && source.hasFile(fsPath);
    }),
  );
  return { source, stats, navigator, functionSpans };
}
