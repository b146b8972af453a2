// "Spanlens: Save Trace As…": the trace in the active waterfall (a fetched one, typically) written as
// OTLP JSON, so it can be attached to a bug report and opened by any OTLP tool. Secrets are redacted
// unless the user (or `options.redact: false`) says otherwise.
import * as path from 'path';
import * as vscode from 'vscode';
import { describeError } from '../../core/model/errors';
import { chooseRedaction } from '../redaction/choice';
import type { TraceEditorProvider } from '../traceEditorProvider';
import { notify } from '../userMessages';

/** `target` (tests): where to write without a dialog; `options.redact` (tests): redact or not without asking (default: redact). */
export async function saveTraceAs(provider: TraceEditorProvider, source?: unknown, target?: unknown, options?: unknown): Promise<vscode.Uri | undefined> {
  const from = source instanceof vscode.Uri ? source : (provider.activePanel() ?? provider.openPanels().at(-1))?.document.uri;
  if (!from) {
    notify('warning', 'open a trace first: Save Trace As… saves the trace in the active waterfall');
    return undefined;
  }
  const panel = provider.panelsFor(from)[0];
  const loaded = panel ? await panel.document.load() : undefined;
  if (!loaded?.ok) {
    notify('error', loaded ? `${path.basename(from.path)}: ${loaded.error.message}` : `open ${path.basename(from.path)} in Spanlens first: Save Trace As… saves a loaded trace`);
    return undefined;
  }
  const rules = await chooseRedaction('Save Trace As', (options as { redact?: unknown } | undefined)?.redact, !(target instanceof vscode.Uri));
  if (rules === undefined) return undefined;
  const first = loaded.session.summaries()[0]?.traceId;
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
  let redacted = '';
  try {
    // The worker holds the trace, redacts and writes it: nothing is serialised on the extension host.
    const r = await loaded.session.shareExport(undefined, 'otlp-json', rules, 'write', to.fsPath);
    if (r.redactedExport) redacted = `, ${r.countsText}`;
  } catch (e) {
    notify('error', describeError(e, path.basename(to.path)));
    return undefined;
  }
  notify('info', `saved ${path.basename(to.path)} (OTLP JSON${redacted})`);
  return to;
}
