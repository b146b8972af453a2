// Collected traces as read-only documents, `spanlens-live:/collected/<traceId>.otlp.json`, so the
// waterfall editor opens them like any trace file: the editor reads them from the catalog (the
// collector's store, in the same worker), and only "Reopen as Text" serialises their OTLP JSON.
// When the collector reports that a trace grew, the panels showing it re-read it: the waterfall
// grows while the user watches, keeping their place.
import * as vscode from 'vscode';
import { serializeOtlpJson } from '../../core/exporters/otlpJson';
import { log } from '../log';
import type { TraceEditorProvider } from '../traceEditorProvider';
import type { CollectorController } from './controller';

export const LIVE_SCHEME = 'spanlens-live';
/** Re-read a growing trace at most this often. */
const RELOAD_DEBOUNCE_MS = 250;

export function liveTraceUri(traceId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: LIVE_SCHEME, path: `/collected/${traceId}.otlp.json` });
}

export function traceIdOfLiveUri(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== LIVE_SCHEME) return undefined;
  return /^\/collected\/([0-9a-f]+)\.otlp\.json$/.exec(uri.path)?.[1];
}

export class LiveTraceFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  /** The last text served per trace: stat and read agree, and an evicted trace still reopens. */
  private readonly served = new Map<string, { bytes: Uint8Array; mtime: number }>();
  private readonly pending = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(
    private readonly controller: CollectorController,
    private readonly provider: TraceEditorProvider,
  ) {
    this.disposables.push(
      controller.onDidChangeTraces((c) => {
        if (c.cleared) this.served.clear();
        for (const id of c.changed) this.pending.add(id);
        // Log records arriving for an open trace show on its spans too (only served traces reload).
        for (const id of c.logsChanged ?? []) this.pending.add(id);
        if (this.pending.size && !this.timer) this.timer = setTimeout(() => this.reloadChanged(), RELOAD_DEBOUNCE_MS);
      }),
      provider.onDidChangePanels(() => this.forgetClosed()),
    );
  }

  static register(context: vscode.ExtensionContext, controller: CollectorController, provider: TraceEditorProvider): LiveTraceFileSystem {
    const fsp = new LiveTraceFileSystem(controller, provider);
    context.subscriptions.push(fsp, vscode.workspace.registerFileSystemProvider(LIVE_SCHEME, fsp, { isReadonly: true, isCaseSensitive: true }));
    return fsp;
  }

  private livePanels() {
    return this.provider.openPanels().filter((p) => p.document.uri.scheme === LIVE_SCHEME);
  }

  private reloadChanged(): void {
    this.timer = undefined;
    const ids = new Set(this.pending);
    this.pending.clear();
    const changedUris: vscode.FileChangeEvent[] = [];
    for (const p of this.livePanels()) {
      const id = traceIdOfLiveUri(p.document.uri);
      if (!id || !ids.has(id)) continue;
      this.served.delete(id);
      changedUris.push({ type: vscode.FileChangeType.Changed, uri: p.document.uri });
      p.reload().catch((e) => log()?.warn(`Could not refresh collected trace ${id}: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (changedUris.length) this.emitter.fire(changedUris);
  }

  private forgetClosed(): void {
    const open = new Set(this.livePanels().map((p) => traceIdOfLiveUri(p.document.uri)));
    for (const id of [...this.served.keys()]) if (!open.has(id)) this.served.delete(id);
  }

  private async read(uri: vscode.Uri): Promise<{ bytes: Uint8Array; mtime: number }> {
    const id = traceIdOfLiveUri(uri);
    if (!id) throw vscode.FileSystemError.FileNotFound(uri);
    const cached = this.served.get(id);
    if (cached) return cached;
    const trace = await this.controller.handle?.store.getTrace(id).catch(() => undefined);
    if (!trace) throw vscode.FileSystemError.FileNotFound(`collected trace ${id} is not in the dev collector (stopped, cleared or evicted)`);
    const entry = { bytes: Buffer.from(serializeOtlpJson(trace)), mtime: Date.now() };
    this.served.set(id, entry);
    return entry;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (uri.path === '/' || uri.path === '/collected') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    // The waterfall reads the trace from the catalog, not from here: only "Reopen as Text" needs
    // the OTLP JSON, so a stat must not make it.
    if (!traceIdOfLiveUri(uri)) throw vscode.FileSystemError.FileNotFound(uri);
    const e = this.served.get(traceIdOfLiveUri(uri)!);
    const mtime = e?.mtime ?? Date.now();
    return { type: vscode.FileType.File, ctime: mtime, mtime, size: e?.bytes.length ?? 0, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.read(uri)).bytes;
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('collected traces are read-only');
  }

  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('collected traces are read-only');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('collected traces are read-only');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('collected traces are read-only');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
