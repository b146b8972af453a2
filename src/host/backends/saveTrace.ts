// "Spanlens: Save Trace As…": the trace in the active waterfall (a fetched one, typically) written as
// OTLP JSON, so it can be attached to a bug report and opened by any OTLP tool.
import * as path from 'path';
import * as vscode from 'vscode';
import { describeError } from '../../core/model/errors';
import { serializeOtlpJson } from '../../core/exporters/otlpJson';
import { importTraceFile } from '../../core/importers/importFile';
import type { TraceEditorProvider } from '../traceEditorProvider';
import { notify } from '../userMessages';

/** `target` (tests): where to write without a dialog. */
export async function saveTraceAs(provider: TraceEditorProvider, source?: unknown, target?: unknown): Promise<vscode.Uri | undefined> {
  const from = source instanceof vscode.Uri ? source : (provider.activePanel() ?? provider.openPanels().at(-1))?.document.uri;
  if (!from) {
    notify('warning', 'open a trace first: Save Trace As… saves the trace in the active waterfall');
    return undefined;
  }
  let text: string;
  let first: string | undefined;
  try {
    const file = importTraceFile(await vscode.workspace.fs.readFile(from), { fileName: from.path });
    first = file.traces[0]?.traceId;
    text = serializeOtlpJson(file, { pretty: true });
  } catch (e) {
    notify('error', describeError(e, path.basename(from.path)));
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const defaultName = `trace-${first ?? 'export'}.otlp.json`;
  const to =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          title: 'Save Trace As (OTLP JSON)',
          defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
          filters: { 'OTLP JSON': ['json'] },
        });
  if (!to) return undefined;
  await vscode.workspace.fs.writeFile(to, new TextEncoder().encode(text));
  notify('info', `saved ${path.basename(to.path)} (OTLP JSON)`);
  return to;
}
