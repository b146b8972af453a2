// "Spanlens: Show Spans for This Function" (editor context menu, palette, and the CodeLens): the
// spans of the function at the cursor, slowest first, from the loaded traces; picking one opens its
// trace in the waterfall and selects the span. From the CodeLens the slowest opens at once and the
// list stays up to pick another.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import { LIVE_SOURCE } from '../../core/catalog/liveFeed';
import { liveTraceUri } from '../collector/liveDocuments';
import { FunctionStats, SpanRef } from '../../core/source';
import { formatDurationNs, formatEpochNanos } from '../../core/model/time';
import type { DocumentSymbolCache } from './documentSymbols';
import type { LatencyStats } from './latencyStats';
import { TraceEditorProvider, TracePanel, VIEW_TYPE } from '../traceEditorProvider';
import { notify, pick } from '../userMessages';

/** The command's argument from the CodeLens. */
export interface ShowFunctionSpansArgs {
  readonly key?: string;
  /** Open the slowest span right away (the lens click), then offer the others. */
  readonly openSlowest?: boolean;
}

interface SpanItem extends vscode.QuickPickItem {
  readonly ref: SpanRef;
}

const PANEL_WAIT_MS = 10_000;

export class FunctionSpans {
  constructor(
    private readonly provider: TraceEditorProvider,
    private readonly stats: LatencyStats,
    private readonly catalog: CatalogClient,
    private readonly symbols: DocumentSymbolCache,
  ) {}

  async show(arg?: unknown): Promise<void> {
    const args: ShowFunctionSpansArgs = isArgs(arg) ? arg : {};
    await this.stats.idle();
    const fn = args.key ? await this.stats.get(args.key) : await this.functionAtCursor();
    if (!fn) return;
    const refs = await this.stats.slowestSpans(fn.key);
    if (!refs.length) {
      notify('info', `No spans of ${fn.function} are loaded.`);
      return;
    }
    const items = await Promise.all(refs.map((ref) => this.item(ref)));
    if (args.openSlowest) await this.openSpan(items[0].ref);
    const title = `Spanlens: ${fn.function} — ${fn.count} span(s)${refs.length < fn.count ? `, the ${refs.length} slowest` : ''}, slowest first`;
    const chosen = await pick(items, { title, placeHolder: 'Open a span in its trace (type to filter by trace, service or time)', activeItem: items[0] });
    if (chosen && !(args.openSlowest && chosen === items[0])) await this.openSpan(chosen.ref);
  }

  /** The statistics of the function around the active editor's cursor, or a message why there are none. */
  private async functionAtCursor(): Promise<FunctionStats | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file') {
      notify('info', 'Put the cursor in a function of a source file first.');
      return undefined;
    }
    const uri = editor.document.uri;
    const pos = editor.selection.active;
    const inFile = await this.stats.functionsInFile(uri.fsPath);
    const decl = await this.symbols.functionAt(uri, pos.line + 1, pos.character + 1);
    const f = decl ? inFile.find((x) => x.line === decl.line) : inFile.find((x) => x.line === pos.line + 1);
    if (f) return f;
    const name = decl?.name ?? 'this line';
    const hint = inFile.length
      ? `Functions of this file with spans: ${inFile.map((x) => `${x.function} (line ${x.line ?? '?'})`).join(', ')}.`
      : this.provider.openPanels().length
        ? 'No span of the loaded traces resolves to this file.'
        : 'Open a trace file in Spanlens first: the statistics come from the loaded traces.';
    notify('info', `No spans recorded for ${name} in the ${this.stats.scope === 'selectedTrace' ? 'selected trace' : 'loaded traces'}. ${hint}`);
    return undefined;
  }

  private async item(ref: SpanRef): Promise<SpanItem> {
    const uri = ref.source ? sourceUri(ref.source, ref.traceId) : undefined;
    const fileName = ref.source === LIVE_SOURCE ? 'dev collector' : uri ? path.basename(uri.path) : '';
    const found = ref.source ? await this.catalog.call('spanRefInfo', ref.source, ref.traceId, ref.spanId).catch(() => undefined) : undefined;
    if (!found) return { label: `$(clock) ${formatDurationNs(ref.durationNs)}`, description: `trace ${ref.traceId}`, detail: fileName, ref };
    const error = found.error ? ' · $(error) error' : '';
    return {
      label: `$(clock) ${formatDurationNs(ref.durationNs)}`,
      description: `${found.rootName || ref.traceId} · ${found.service || found.rootService || ''}`,
      detail: `${formatEpochNanos(BigInt(found.startTimeUnixNano))} · ${fileName}${error}`,
      ref,
    };
  }

  /** Shows the span's trace in a waterfall (the open one, or opened beside the code) and selects it. */
  async openSpan(ref: SpanRef): Promise<void> {
    if (!ref.source) return;
    const uri = sourceUri(ref.source, ref.traceId);
    let panel: TracePanel | undefined = this.provider.panelsFor(uri)[0];
    if (panel) panel.reveal();
    else {
      const beside = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, beside);
      panel = await waitForPanel(this.provider, uri);
    }
    if (!panel) {
      notify('error', `Could not open ${path.basename(uri.path)} in Spanlens.`);
      return;
    }
    const loaded = await panel.document.load();
    if (!loaded.ok) return; // the waterfall shows the error
    const at = await loaded.session.findSpan(ref.traceId, ref.spanId);
    if (!at) {
      notify('warning', `Span ${ref.spanId} of trace ${ref.traceId} is no longer in ${path.basename(uri.path)} (the file changed).`);
      return;
    }
    panel.revealSpan(at.traceIndex, at.spanIndex);
  }
}

/** The document a statistics source opens as: a trace file, or the collected trace's live document. */
function sourceUri(source: string, traceId: string): vscode.Uri {
  return source === LIVE_SOURCE ? liveTraceUri(traceId) : vscode.Uri.parse(source);
}

function isArgs(v: unknown): v is ShowFunctionSpansArgs {
  return typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && ('key' in v || 'openSlowest' in v);
}

async function waitForPanel(provider: TraceEditorProvider, uri: vscode.Uri): Promise<TracePanel | undefined> {
  const deadline = Date.now() + PANEL_WAIT_MS;
  for (;;) {
    const p = provider.panelsFor(uri)[0];
    if (p || Date.now() > deadline) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
}
