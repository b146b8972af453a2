// "Spanlens: Share Trace…": a trace (or a whole file, or a collected trace) exported with its secrets
// redacted, in OTLP JSON, OTLP JSON Lines or Chrome format. Nothing is written before the user has
// seen what is redacted (counts per rule, then each value: key, rule, span). The worker redacts and
// writes (shareExport); this only asks. Tests pass `{ format, target, confirm: true }`.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ShareResult, ShareSource } from '../../core/catalog/protocol';
import { isShareFormat, SHARE_FORMAT_INFO, SHARE_FORMATS, type ShareFormat, type SharePreview } from '../../core/share';
import { describeError } from '../../core/model/errors';
import { readRedactionSettings } from '../redaction/settings';
import { TracePanel, VIEW_TYPE, type TraceEditorProvider } from '../traceEditorProvider';
import { notify, pick } from '../userMessages';

export const WRITE_LABEL = 'Write file…';
export const CANCEL_LABEL = 'Cancel';

interface ShareOptions {
  format?: unknown;
  target?: unknown;
  /** Skip the preview (tests); the preview is still computed and returned. */
  confirm?: unknown;
  traceIndex?: unknown;
}

export interface ShareOutcome {
  readonly file: string;
  readonly preview: SharePreview;
  readonly bytes?: number;
}

/** What to export: a session's trace or file (through its panel), or one collected trace. */
type Resolved = { source: ShareSource; panel?: TracePanel; name: string; traceCount: number };

export function registerShareTrace(context: vscode.ExtensionContext, provider: TraceEditorProvider): void {
  context.subscriptions.push(vscode.commands.registerCommand('spanlens.shareTrace', (arg?: unknown, opts?: unknown) => shareTrace(provider, arg, (opts ?? {}) as ShareOptions)));
}

async function shareTrace(provider: TraceEditorProvider, arg: unknown, opts: ShareOptions): Promise<ShareOutcome | undefined> {
  const interactive = opts.confirm !== true;
  const what = await resolve(provider, arg, opts, interactive);
  if (!what) return undefined;
  const format = isShareFormat(opts.format) ? opts.format : interactive ? await chooseFormat() : 'otlp-json';
  if (!format) return undefined;
  const rules = readRedactionSettings().rules;
  const call = (mode: 'preview' | 'write', file?: string): Promise<ShareResult> => provider.catalog.call('shareExport', what.source, format, rules, mode, file);

  let preview: SharePreview;
  try {
    preview = await call('preview');
  } catch (e) {
    notify('error', `Share Trace: ${describeError(e, what.name)}`);
    return undefined;
  }
  if (interactive && !(await confirmPreview(preview))) return undefined;

  const target = opts.target instanceof vscode.Uri ? opts.target : typeof opts.target === 'string' ? vscode.Uri.file(opts.target) : await saveDialog(what.name, format);
  if (!target) return undefined;
  let r: ShareResult;
  try {
    r = await call('write', target.fsPath);
  } catch (e) {
    notify('error', describeError(e, path.basename(target.fsPath)));
    return undefined;
  }
  notify('info', `shared ${path.basename(target.fsPath)}: ${r.traces} trace(s), ${r.spans} span(s), ${r.countsText}.`, ['Open'], () => {
    void vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPE);
  });
  return { file: target.fsPath, preview: r, bytes: r.bytes };
}

/**
 * The argument of the command: a file's URI (editor title, tests), a Traces view node (file or
 * trace), a Collected view row (a trace id), or nothing (the active waterfall).
 */
async function resolve(provider: TraceEditorProvider, arg: unknown, opts: ShareOptions, interactive: boolean): Promise<Resolved | undefined> {
  const node = arg as { panel?: unknown; summary?: { traceIndex?: unknown }; traceId?: unknown } | undefined;
  if (node && !(arg instanceof vscode.Uri) && !(node.panel instanceof TracePanel) && typeof node.traceId === 'string') {
    return { source: { kind: 'collected', traceIds: [node.traceId] }, name: `trace-${node.traceId}`, traceCount: 1 };
  }
  const panel =
    arg instanceof vscode.Uri ? provider.panelsFor(arg)[0] : node?.panel instanceof TracePanel ? node.panel : (provider.activePanel() ?? provider.openPanels().at(-1));
  if (!panel) {
    notify('warning', arg instanceof vscode.Uri ? `open ${path.basename(arg.path)} in Spanlens first: Share Trace… shares a loaded trace` : 'open a trace first: Share Trace… shares the trace in the active waterfall');
    return undefined;
  }
  const loaded = await panel.document.load();
  if (!loaded.ok) {
    notify('error', `${panel.document.fileName}: ${loaded.error.message}`);
    return undefined;
  }
  const s = loaded.session;
  let traceIndex = typeof opts.traceIndex === 'number' ? opts.traceIndex : typeof node?.summary?.traceIndex === 'number' ? node.summary.traceIndex : undefined;
  if (traceIndex === undefined && s.traceCount === 1) traceIndex = 0;
  if (traceIndex === undefined && interactive) {
    const selected = panel.selectedTrace;
    const items = [
      ...(selected !== undefined ? [{ label: 'The trace shown in the waterfall', description: s.summaries()[selected]?.rootName, traceIndex: selected as number | undefined }] : []),
      { label: `All ${s.traceCount} traces of ${panel.document.fileName}`, traceIndex: undefined as number | undefined },
    ];
    const chosen = await pick(items, { title: 'Share Trace: what to share' });
    if (!chosen) return undefined;
    traceIndex = chosen.traceIndex;
  }
  const summary = traceIndex !== undefined ? s.summaries()[traceIndex] : undefined;
  const name = summary ? `trace-${summary.traceId}` : path.basename(panel.document.fileName).replace(/\.(otlp\.)?(json|jsonl|binpb|pb)$/i, '');
  return { source: { kind: 'session', sessionId: s.sessionId, traceIndex }, panel, name, traceCount: traceIndex !== undefined ? 1 : s.traceCount };
}

async function chooseFormat(): Promise<ShareFormat | undefined> {
  const items = SHARE_FORMATS.map((f) => ({ label: SHARE_FORMAT_INFO[f].label, description: SHARE_FORMAT_INFO[f].ext, format: f }));
  return (await pick(items, { title: 'Share Trace: format' }))?.format;
}

/** The preview: counts per rule in the title, then one row per redacted value. True to write. */
async function confirmPreview(p: SharePreview): Promise<boolean> {
  type Item = vscode.QuickPickItem & { action?: 'write' | 'cancel' };
  // "redacted 4 values: secret-key 1, jwt 1, url-password 1, email 1" (formatRedactionCounts).
  const title = `Share Trace: ${p.redacted ? p.countsText : 'nothing to redact (no value matched a rule)'}`;
  const items: Item[] = [
    { label: WRITE_LABEL, description: `${p.traces} trace(s), ${p.spans} span(s), redacted`, action: 'write' },
    { label: CANCEL_LABEL, action: 'cancel' },
  ];
  if (p.findings.length) {
    items.push({ label: p.findingsTruncated ? `Redacted values (first ${p.findings.length})` : 'Redacted values', kind: vscode.QuickPickItemKind.Separator });
    for (const f of p.findings) items.push({ label: f.key ?? f.field, description: f.rule, detail: `${f.spanName || '(unnamed span)'} · span ${f.spanId} · ${f.field}` });
  }
  // Picking a listed value just shows the list again: only Write file… writes.
  for (;;) {
    const chosen = await pick(items, { title, placeHolder: 'Check what is redacted, then choose Write file…', activeItem: items[0] });
    if (!chosen || chosen.action === 'cancel') return false;
    if (chosen.action === 'write') return true;
  }
}

function saveDialog(name: string, format: ShareFormat): Thenable<vscode.Uri | undefined> {
  const info = SHARE_FORMAT_INFO[format];
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const file = `${name}.redacted${info.ext}`;
  return vscode.window.showSaveDialog({
    title: `Share Trace (${info.label}, redacted)`,
    saveLabel: 'Write',
    defaultUri: folder ? vscode.Uri.joinPath(folder, file) : undefined,
    filters: { [info.label]: [info.filter] },
  });
}
