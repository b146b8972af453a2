// Which trace a compare or baseline command is about: command arguments from every place that lists
// traces (a waterfall's editor title, the Traces view, the Collected and Backends views, tests), and
// the quick pick of every trace the catalog holds for the other side.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import { LIVE_SOURCE } from '../../core/catalog/liveFeed';
import type { PickableTrace } from '../../core/catalog/protocol';
import { formatDurationNs } from '../../core/model/time';
import { liveTraceUri, traceIdOfLiveUri } from '../collector/liveDocuments';
import type { TraceEditorProvider, TracePanel } from '../traceEditorProvider';
import { notify, pick } from '../userMessages';

/** A trace by its document (a file, or a collected trace's live document) and its index or id there. */
export interface TraceRef {
  readonly uri: vscode.Uri;
  readonly traceIndex?: number;
  readonly traceId?: string;
}

const PANEL_WAIT_MS = 15_000;

function uriOf(v: unknown): vscode.Uri | undefined {
  if (v instanceof vscode.Uri) return v;
  if (typeof v !== 'string' || !v) return undefined;
  return /^[a-z][a-z0-9+.-]+:/i.test(v) && !/^[a-z]:[\\/]/i.test(v) ? vscode.Uri.parse(v) : vscode.Uri.file(v);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const index = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const hexId = (v: unknown) => (typeof v === 'string' && /^[0-9a-f]+$/i.test(v) ? v.toLowerCase() : undefined);

/**
 * The trace an argument points at, or undefined when it points at none (the caller then asks).
 * Backend results are fetched and opened first: the comparison reads them from the catalog.
 */
export async function traceRefOf(arg: unknown, provider: TraceEditorProvider): Promise<TraceRef | undefined> {
  const uri = uriOf(arg);
  if (uri) return { uri, traceIndex: shownTrace(provider.panelsFor(uri)[0]) };
  if (!isObject(arg)) return undefined;
  // Tests and scripts: { source: uri or path or LIVE_SOURCE, traceIndex?, traceId? }.
  if ('source' in arg) {
    const traceId = hexId(arg.traceId);
    if (arg.source === LIVE_SOURCE) return traceId ? { uri: liveTraceUri(traceId), traceIndex: 0 } : undefined;
    const u = uriOf(arg.source);
    return u ? { uri: u, traceIndex: index(arg.traceIndex), traceId } : undefined;
  }
  // The Traces view: { kind: 'trace' | 'file', panel, summary? }.
  if ((arg.kind === 'trace' || arg.kind === 'file') && isObject(arg.panel) && isObject(arg.panel.document) && arg.panel.document.uri instanceof vscode.Uri) {
    const summary = isObject(arg.summary) ? arg.summary : undefined;
    return { uri: arg.panel.document.uri, traceIndex: index(summary?.traceIndex) ?? (arg.panel as { selectedTrace?: number }).selectedTrace };
  }
  // The Backends view: a search result or a recent trace; fetched and opened like a click does.
  if (arg.kind === 'result' || arg.kind === 'recentTrace') {
    const backend = arg.kind === 'result' ? (isObject(arg.backend) ? arg.backend.name : undefined) : arg.backend;
    const traceId = hexId(arg.kind === 'result' ? (isObject(arg.summary) ? arg.summary.traceId : undefined) : arg.traceId);
    if (typeof backend !== 'string' || !traceId) return undefined;
    const opened = await vscode.commands.executeCommand<boolean>('spanlens.backends.openResult', backend, traceId);
    if (!opened) return undefined;
    const panel = await waitFor(() => provider.openPanels().find((p) => p.document.uri.path.includes(`-${traceId}.`)));
    return panel ? { uri: panel.document.uri, traceId } : undefined;
  }
  // The Collected view: a LiveTraceSummary.
  const traceId = hexId(arg.traceId);
  if (traceId && typeof arg.spanCount === 'number') return { uri: liveTraceUri(traceId), traceIndex: 0 };
  return undefined;
}

/** The trace the active waterfall shows (the palette and the editor title without an argument). */
export function activeTraceRef(provider: TraceEditorProvider): TraceRef | undefined {
  const p = provider.activePanel();
  return p ? { uri: p.document.uri, traceIndex: shownTrace(p) } : undefined;
}

/** The trace a waterfall shows: its selection, or the only trace of its file (selected a moment later). */
function shownTrace(p: TracePanel | undefined): number | undefined {
  return p?.selectedTrace ?? (p?.getSession()?.traceCount === 1 ? 0 : undefined);
}

async function waitFor<T>(probe: () => T | undefined): Promise<T | undefined> {
  const deadline = Date.now() + PANEL_WAIT_MS;
  for (;;) {
    const v = probe();
    if (v || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface TraceItem extends vscode.QuickPickItem {
  readonly ref?: TraceRef;
  readonly openFile?: boolean;
}

function sameTrace(t: PickableTrace, ref: TraceRef | undefined): boolean {
  if (!ref) return false;
  const live = traceIdOfLiveUri(ref.uri);
  if (t.kind === 'collected') return live === t.traceId;
  return t.source === ref.uri.toString() && (t.traceIndex === ref.traceIndex || t.traceId === ref.traceId);
}

/** The other side of a comparison: any trace of the loaded sources or the collector, or a file to open. */
export async function pickTrace(catalog: CatalogClient, title: string, exclude?: TraceRef): Promise<TraceRef | undefined> {
  const traces = catalog.running ? await catalog.call('compareTraces').catch(() => [] as PickableTrace[]) : [];
  const items: TraceItem[] = traces
    .filter((t) => !sameTrace(t, exclude))
    .map((t) => ({
      label: `$(pulse) ${t.rootName || t.traceId}`,
      description: `${t.rootService} · ${formatDurationNs(t.durationNs)} · ${t.spanCount} span${t.spanCount === 1 ? '' : 's'}`,
      detail: `${t.kind === 'collected' ? 'dev collector' : path.basename(vscode.Uri.parse(t.source).path)} · trace ${t.traceId}`,
      ref: t.kind === 'collected' ? { uri: liveTraceUri(t.traceId), traceIndex: 0 } : { uri: vscode.Uri.parse(t.source), traceIndex: t.traceIndex, traceId: t.traceId },
    }));
  items.push({ label: '$(folder-opened) Open a trace file…', openFile: true });
  const chosen = await pick(items, { title, placeHolder: items.length > 1 ? 'A trace of an open file or of the dev collector' : 'No other trace is loaded: open a file' });
  if (!chosen) return undefined;
  if (chosen.ref) return chosen.ref;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Compare', filters: { 'Trace files': ['json', 'jsonl', 'binpb', 'pb', 'bin'], 'All files': ['*'] } });
  return picked?.[0] ? { uri: picked[0] } : undefined;
}

/** Says that a command needs a trace and how to give it one. */
export function needTrace(what: string): void {
  notify('info', `${what}: open a trace in the waterfall first, or run it from a trace in the Traces, Collected or Backends view.`);
}
