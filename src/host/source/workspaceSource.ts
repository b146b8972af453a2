// The window's one SourceLocator: the workspace file list (for the path-suffix heuristic), kept
// current by a file watcher; spanlens.pathMappings; and source maps read through workspace.fs.
// Rebuilt when workspace folders change. Everything that resolves a recorded path goes through it,
// so jump-to-code, stack frames and the latency statistics agree.
import * as nodePath from 'path';
import * as vscode from 'vscode';
import { PathResolver, SourceLocator, SourceMapResolver, WorkspaceFileIndex } from '../../core/source';
import { log } from '../log';
import { notify } from '../userMessages';

/** Enough for large monorepos; beyond it the suffix heuristic sees only part of the tree (logged). */
const MAX_FILES = 200_000;
/** Dependencies and VCS internals are never the user's code (library frames stay "not found"). */
const EXCLUDE = '{**/node_modules/**,**/.git/**}';
const EXCLUDED_RE = /[\\/](node_modules|\.git)([\\/]|$)/;
/** Compiled files and maps: a change means cached source maps are stale. */
const MAP_INPUT_RE = /\.(m|c)?jsx?$|\.map$/i;
const SETTLE_MS = 250;

export interface SourceChange {
  /** Files were added or removed (path resolution may differ). */
  readonly filesChanged: boolean;
  /** Compiled JS or a map changed (source-map results may differ). */
  readonly mapsChanged: boolean;
  /** pathMappings or workspace folders changed. */
  readonly configChanged: boolean;
  /** Files whose content changed (the statistics re-place functions of these). */
  readonly changedFiles: readonly string[];
}

export class WorkspaceSource implements vscode.Disposable {
  private index!: WorkspaceFileIndex;
  private paths!: PathResolver;
  private maps!: SourceMapResolver;
  private current!: SourceLocator;
  /** Indexed fsPaths, to remove a deleted folder's files (the watcher reports only the folder). */
  private readonly known = new Set<string>();
  private scanning: Promise<void> = Promise.resolve();
  private readonly emitter = new vscode.EventEmitter<SourceChange>();
  /** Settled (debounced) changes of files, maps or settings. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private pending = { filesChanged: false, mapsChanged: false, configChanged: false, changedFiles: new Set<string>() };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly ignoreCase = process.platform !== 'linux';

  constructor() {
    this.build();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => void this.onCreated(u)),
      watcher.onDidDelete((u) => this.onDeleted(u)),
      watcher.onDidChange((u) => this.onChanged(u)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.maps.dispose();
        this.build();
        this.queue({ configChanged: true, filesChanged: true });
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('spanlens.pathMappings')) return;
        this.paths.setMappings(readMappings());
        this.current.invalidate();
        this.queue({ configChanged: true });
      }),
    );
  }

  /** The locator for the current folders and settings. Await `ready()` first for a complete file list. */
  get locator(): SourceLocator {
    return this.current;
  }

  /** Resolves once the initial workspace scan is indexed. */
  ready(): Promise<void> {
    return this.scanning;
  }

  get fileCount(): number {
    return this.index.size;
  }

  hasFile(fsPath: string): boolean {
    return this.index.has(fsPath);
  }

  /**
   * Looks for files named `baseName` the index does not know yet (the watcher may lag behind a
   * build or a checkout). Returns true when any were added; the caller resolves again.
   */
  async refreshFor(baseName: string): Promise<boolean> {
    if (!baseName || /[*?{}[\]]/.test(baseName)) return false;
    const found = await vscode.workspace.findFiles(`**/${baseName}`, EXCLUDE, 1000);
    let added = false;
    for (const u of found) {
      if (!this.index.has(u.fsPath)) {
        this.addFile(u.fsPath);
        added = true;
      }
    }
    if (added) {
      this.current.invalidate();
      this.queue({ filesChanged: true });
    }
    return added;
  }

  private build(): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath }));
    this.known.clear();
    this.index = new WorkspaceFileIndex([], this.ignoreCase);
    this.paths = new PathResolver(this.index, {
      folders,
      mappings: readMappings(),
      ignoreCase: this.ignoreCase,
      fs: { exists: isWorkspaceFile },
    });
    const paths = this.paths;
    this.maps = new SourceMapResolver(
      { readFile: (p) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.file(p))).then((b) => b, () => undefined), exists: isWorkspaceFile },
      {
        // Already once per map and kind: each is a new problem the user should hear about.
        onWarning: (w) => notify('warning', w.message),
        resolveSourcePath: (p) => paths.resolveInIndex(p).candidates[0]?.path,
      },
    );
    this.current = new SourceLocator({ paths: this.paths, sourceMaps: this.maps });
    const index = this.index;
    this.scanning = (async () => {
      if (!folders.length) return;
      const t0 = Date.now();
      const uris = await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_FILES);
      if (this.index !== index) return; // folders changed meanwhile
      for (const u of uris) this.addFile(u.fsPath);
      this.current.invalidate();
      log()?.info(`Source locations: indexed ${uris.length} workspace files in ${Date.now() - t0} ms`);
      if (uris.length >= MAX_FILES) {
        log()?.warn(`The workspace has more than ${MAX_FILES} files; only the first ${MAX_FILES} are used to match recorded paths. Use spanlens.pathMappings for the rest.`);
      }
    })().catch((e) => log()?.error(`Could not list the workspace files: ${e instanceof Error ? e.message : String(e)}`));
  }

  private addFile(fsPath: string): void {
    this.known.add(fsPath);
    this.index.add(fsPath);
  }

  private async onCreated(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || EXCLUDED_RE.test(uri.fsPath)) return;
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return; // gone again
    }
    if (type & vscode.FileType.Directory) {
      // A folder moved or copied in: the watcher may report only the folder.
      const inside = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), EXCLUDE, MAX_FILES);
      for (const u of inside) this.addFile(u.fsPath);
    } else this.addFile(uri.fsPath);
    this.queue({ filesChanged: true, mapsChanged: MAP_INPUT_RE.test(uri.fsPath) || !!(type & vscode.FileType.Directory) });
  }

  private onDeleted(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    const p = uri.fsPath;
    const prefix = p.endsWith(nodePath.sep) ? p : p + nodePath.sep;
    let removed = false;
    for (const f of [...this.known]) {
      if (f === p || f.startsWith(prefix)) {
        this.known.delete(f);
        this.index.remove(f);
        removed = true;
      }
    }
    if (removed) this.queue({ filesChanged: true, mapsChanged: true });
  }

  private onChanged(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || EXCLUDED_RE.test(uri.fsPath)) return;
    this.pending.changedFiles.add(uri.fsPath);
    this.queue({ mapsChanged: MAP_INPUT_RE.test(uri.fsPath) });
  }

  /** Collects changes for a moment (a build writes many files), then invalidates and tells listeners once. */
  private queue(c: { filesChanged?: boolean; mapsChanged?: boolean; configChanged?: boolean }): void {
    const p = this.pending;
    p.filesChanged ||= !!c.filesChanged;
    p.mapsChanged ||= !!c.mapsChanged;
    p.configChanged ||= !!c.configChanged;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const done = this.pending;
      this.pending = { filesChanged: false, mapsChanged: false, configChanged: false, changedFiles: new Set() };
      if (done.filesChanged || done.mapsChanged) this.current.invalidate();
      this.emitter.fire({ filesChanged: done.filesChanged, mapsChanged: done.mapsChanged, configChanged: done.configChanged, changedFiles: [...done.changedFiles] });
    }, SETTLE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.maps.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** spanlens.pathMappings, string values only (anything else is ignored with a log line). */
export function readMappings(): Record<string, string> {
  const raw = vscode.workspace.getConfiguration('spanlens').get<unknown>('pathMappings', {});
  const out: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else log()?.warn(`spanlens.pathMappings: the value of "${k}" is not a string; ignored.`);
  }
  return out;
}

function isWorkspaceFile(p: string): Promise<boolean> {
  return Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.file(p))).then((s) => s.type === vscode.FileType.File, () => false);
}
