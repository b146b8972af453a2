// Entry point of the extension host bundle. Activation is lazy (custom editor, commands, JSON files);
// every disposable goes into context.subscriptions.
import * as vscode from 'vscode';
import { registerBackends } from './backends/register';
import { registerOpenCommands } from './commands';
import { createCatalog } from './catalog';
import { registerCollector } from './collector/register';
import { registerCompare } from './compare/register';
import { initLog } from './log';
import { registerChatTools } from './ai/chatTools';
import { registerRedaction } from './redaction/register';
import { registerShareTrace } from './share/shareTrace';
import { registerSourceFeatures } from './source/sourceFeatures';
import { TraceEditorProvider } from './traceEditorProvider';
import { TracesView } from './tracesView';

export function activate(context: vscode.ExtensionContext): void {
  initLog(context);
  const catalog = createCatalog(context);
  const provider = TraceEditorProvider.register(context, catalog);
  registerOpenCommands(context, provider);
  TracesView.register(context, provider);
  const sourceFeatures = registerSourceFeatures(context, provider);
  registerCollector(context, provider);
  registerBackends(context, provider);
  registerCompare(context, provider, sourceFeatures);
  registerRedaction(context, provider);
  registerShareTrace(context, provider);
  registerChatTools(context, catalog);

  // For the integration tests: what the active waterfall shows. Not contributed to the palette.
  context.subscriptions.push(
    // Simulates the worker dying (as out of memory does): the thread stops under everyone's feet.
    vscode.commands.registerCommand('spanlens._test.stopWorker', async () => {
      await catalog.thread?.terminate();
    }),
    vscode.commands.registerCommand('spanlens._test.panelInfo', () => {
      const p = provider.activePanel() ?? provider.openPanels().at(-1);
      return p ? { ...p.info, metrics: { ...p.info.metrics } } : undefined;
    }),
  );
}

export function deactivate(): void {}
