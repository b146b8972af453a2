// Palette and menu commands for opening trace files.
import * as vscode from 'vscode';
import { looksLikeTraceText } from '../core/importers/importFile';
import { TraceEditorProvider, VIEW_TYPE } from './traceEditorProvider';

const SNIFF_CHARS = 4096;

export function registerOpenCommands(context: vscode.ExtensionContext, provider: TraceEditorProvider): void {
  const openWith = async (uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Spanlens: open or select a trace file first.');
      return;
    }
    await vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPE);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('spanlens.openTraceFile', async (uri?: vscode.Uri) => {
      const picked =
        uri instanceof vscode.Uri
          ? [uri]
          : await vscode.window.showOpenDialog({
              canSelectMany: false,
              openLabel: 'Open Trace',
              filters: { 'Trace files': ['json', 'jsonl', 'binpb', 'pb', 'bin'], 'All files': ['*'] },
            });
      if (picked?.[0]) await openWith(picked[0]);
    }),
    vscode.commands.registerCommand('spanlens.openWithSpanlens', (uri?: vscode.Uri) => openWith(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('spanlens.openAsText', async () => {
      const panel = provider.activePanel();
      if (panel) await vscode.commands.executeCommand('vscode.openWith', panel.document.uri, 'default');
    }),
  );

  // Offer "Open with Spanlens" in the editor title only for JSON that looks like a trace.
  const update = (editor: vscode.TextEditor | undefined) => {
    const doc = editor?.document;
    const isCandidate = !!doc && /\.(json|jsonl)$/i.test(doc.uri.path) && looksLikeTraceText(doc.getText(new vscode.Range(0, 0, 40, 0)).slice(0, SNIFF_CHARS));
    void vscode.commands.executeCommand('setContext', 'spanlens.activeEditorLooksLikeTrace', isCandidate);
  };
  update(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(update));
}
