// Redaction in the editor: the settings kept in the worker, open waterfalls refreshed when they
// change, and the test hook that returns a span's details exactly as the webview is sent them.
import * as vscode from 'vscode';
import type { TraceEditorProvider } from '../traceEditorProvider';
import { registerRedactionSettings } from './settings';

export function registerRedaction(context: vscode.ExtensionContext, provider: TraceEditorProvider): void {
  registerRedactionSettings(context, provider.catalog, () => {
    for (const p of provider.openPanels()) p.detailsChanged();
  });
  context.subscriptions.push(
    // For the integration tests: the spanDetail answer the webview gets (masked values and all).
    vscode.commands.registerCommand('spanlens._test.spanDetail', async (uri: unknown, traceIndex: unknown, spanIndex: unknown) => {
      const panel = uri instanceof vscode.Uri ? provider.panelsFor(uri)[0] : provider.activePanel();
      const session = panel?.getSession();
      if (!session || typeof traceIndex !== 'number' || typeof spanIndex !== 'number') return undefined;
      return session.handle('spanDetail', { traceIndex, spanIndex });
    }),
  );
}
