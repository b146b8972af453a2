// "Spanlens: Open Trace by ID…": the id comes from the argument, else the editor selection (a log
// line copied with the id in it), else an input box; the configured backends are asked in order.
import * as vscode from 'vscode';
import { parseTraceIdInput } from '../../core/backends';
import { notify } from '../userMessages';
import { readBackendSettings } from './config';
import type { BackendService } from './service';

function selectedText(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const text = editor.selections.map((s) => editor.document.getText(s)).join('\n');
  if (text.trim()) return text;
  // No selection: the line under the cursor, so a log line needs no selecting at all.
  return editor.document.lineAt(editor.selection.active.line).text;
}

/** Resolves to whether a trace was opened. `arg`: a trace id / traceparent / log text (terminal links, tests). */
export async function openTraceById(service: BackendService, arg?: unknown): Promise<boolean> {
  const { backends, problems } = readBackendSettings();
  for (const p of problems) notify('warning', p);
  if (!backends.length) {
    notify('warning', 'no trace backend is configured: add Jaeger, Tempo or Zipkin to the spanlens.backends setting', ['Open Settings'], () =>
      void vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.backends'),
    );
    return false;
  }
  let traceId = typeof arg === 'string' ? parseTraceIdInput(arg) : undefined;
  if (typeof arg === 'string' && !traceId) {
    notify('error', `"${arg.slice(0, 80)}" holds no trace id (expected 16 or 32 hex characters, base64, or a W3C traceparent)`);
    return false;
  }
  if (!traceId) {
    const sel = selectedText();
    traceId = sel ? parseTraceIdInput(sel) : undefined;
  }
  if (!traceId) {
    const typed = await vscode.window.showInputBox({
      title: 'Open Trace by ID',
      prompt: `Trace id (hex or base64) or a traceparent; asks ${backends.map((b) => b.name).join(', ')}`,
      placeHolder: '4bf92f3577b34da6a3ce929d0e0e4736',
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() || parseTraceIdInput(v) ? undefined : 'not a trace id: 16 or 32 hex characters, base64, or 00-<trace id>-<span id>-<flags>'),
    });
    if (!typed) return false;
    traceId = parseTraceIdInput(typed);
    if (!traceId) return false;
  }
  return service.fetchAndOpen(traceId, backends);
}
