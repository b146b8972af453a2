// Maps a path recorded in a trace (a container's /app/src/x.ts, a CI runner's
// /home/runner/work/repo/repo/src/x.ts, a file:// URL, a Windows path, a relative path) to files of
// the open workspace. The recorded machine's directory layout is unknown, so the heuristic is the
// longest common path suffix; explicit `pathMappings` (like launch.json's sourceMapPathOverrides)
// win over it. File-system access is injected: the host passes workspace.fs, the CLI node's fs.
import { BoundedCache } from './boundedCache';
import {
  comparablePath,
  isAbsolutePath,
  joinPath,
  normalizePath,
  pathSegments,
  relativeIfInside,
  stripLocationScheme,
} from './paths';

export interface WorkspaceFolderRef {
  /** Folder name, for `${workspaceFolder:name}` in mappings. */
  readonly name?: string;
  /** Absolute file-system path (the host's `uri.fsPath`). */
  readonly path: string;
}

/** Existence checks for paths that are not in the index (mapping targets, paths outside the workspace). */
export interface PathExistence {
  /** Whether a file exists. Must not throw. */
  exists(path: string): Promise<boolean>;
}

export interface ResolvedPath {
  /** Absolute path as the index holds it (the host's fsPath), or the mapped / recorded absolute path. */
  readonly path: string;
  /** Containing workspace folder and the path relative to it; undefined when outside the workspace. */
  readonly folder?: WorkspaceFolderRef;
  readonly relativePath?: string;
  /** Never open silently: ask first. */
  readonly outsideWorkspace: boolean;
  /** mapping: a pathMappings entry; suffix: longest common path suffix; absolute: the recorded path exists as is. */
  readonly via: 'mapping' | 'suffix' | 'absolute';
  /** Trailing path segments shared with the recorded path (suffix matches), for "how sure". */
  readonly matchedSegments: number;
  /** The pathMappings key that applied. */
  readonly mapping?: string;
}

export interface PathResolution {
  readonly recorded: string;
  /** Best first. More than one of the best rank = a tie: let the user pick. */
  readonly candidates: readonly ResolvedPath[];
  /** Several equally good candidates (the host shows a quick pick). */
  readonly ambiguous: boolean;
  /** E.g. a pathMappings target that does not exist; why nothing was found. */
  readonly note?: string;
}

export interface PathResolverOptions {
  readonly folders: readonly WorkspaceFolderRef[];
  /** `spanlens.pathMappings`: { "/app/*": "${workspaceFolder}/*" }. Most specific key wins. */
  readonly mappings?: Readonly<Record<string, string>>;
  /** Case-insensitive matching (Windows and default macOS file systems). */
  readonly ignoreCase?: boolean;
  readonly fs?: PathExistence;
  /** Ties beyond this many are cut (the quick pick would be useless anyway). Default 50. */
  readonly maxCandidates?: number;
}

interface IndexedFile {
  readonly path: string;
  /** Segments, comparable form (case-folded when ignoreCase), last segment first. */
  readonly reversed: readonly string[];
}

/**
 * Workspace files bucketed by file name, then by parent directory name: a lookup compares
 * only the files sharing the recorded path's last two segments (falling back to the file name
 * alone), segment by segment from the end. Building is one split per file (20k files in a few
 * ms); a lookup touches a handful of files even in monorepos full of index.ts, and the resolver
 * caches results anyway.
 */
export class WorkspaceFileIndex {
  /** File name -> all files of that name, and the same split by parent directory name. */
  private readonly byName = new Map<string, NameBucket>();
  private readonly known = new Map<string, IndexedFile>();

  constructor(files: Iterable<string> = [], readonly ignoreCase = false) {
    for (const f of files) this.add(f);
  }

  get size(): number {
    return this.known.size;
  }

  /** Comparable form: slashes normalised, case-folded only when the index ignores case. */
  private key(path: string): string {
    const n = normalizePath(path);
    return this.ignoreCase ? n.toLowerCase() : n;
  }

  add(path: string): void {
    const key = this.key(path);
    if (this.known.has(key)) return;
    const reversed = pathSegments(key).reverse();
    if (!reversed.length) return;
    const f: IndexedFile = { path, reversed };
    this.known.set(key, f);
    let b = this.byName.get(reversed[0]);
    if (!b) this.byName.set(reversed[0], (b = { all: [], byParent: new Map() }));
    b.all.push(f);
    if (reversed.length > 1) {
      const list = b.byParent.get(reversed[1]);
      if (list) list.push(f);
      else b.byParent.set(reversed[1], [f]);
    }
  }

  remove(path: string): void {
    const key = this.key(path);
    const f = this.known.get(key);
    if (!f) return;
    this.known.delete(key);
    const b = this.byName.get(f.reversed[0]);
    if (!b) return;
    pull(b.all, f);
    if (f.reversed.length > 1) {
      const list = b.byParent.get(f.reversed[1]);
      if (list && pull(list, f) === 0) b.byParent.delete(f.reversed[1]);
    }
    if (!b.all.length) this.byName.delete(f.reversed[0]);
  }

  has(path: string): boolean {
    return this.known.has(this.key(path));
  }

  /** The indexed path spelled as the index holds it (case may differ when ignoreCase). */
  lookup(path: string): string | undefined {
    return this.known.get(this.key(path))?.path;
  }

  /** Files sharing the longest path suffix with `recorded`, and that length in segments. */
  longestSuffix(recorded: string): { segments: number; files: string[] } {
    const segs = pathSegments(this.ignoreCase ? recorded.toLowerCase() : recorded);
    const n = segs.length;
    if (!n) return { segments: 0, files: [] };
    const bucket = this.byName.get(segs[n - 1]);
    if (!bucket) return { segments: 0, files: [] };
    const tail = n > 1 ? bucket.byParent.get(segs[n - 2]) : undefined;
    // Only the file name can match: every file of that name ties at one segment.
    if (!tail) return { segments: 1, files: bucket.all.map((f) => f.path) };
    let best = 0;
    let files: string[] = [];
    for (const f of tail) {
      const r = f.reversed;
      let k = 2;
      const max = Math.min(r.length, n);
      while (k < max && r[k] === segs[n - 1 - k]) k++;
      if (k > best) {
        best = k;
        files = [f.path];
      } else if (k === best) files.push(f.path);
    }
    return { segments: best, files };
  }
}

interface NameBucket {
  readonly all: IndexedFile[];
  readonly byParent: Map<string, IndexedFile[]>;
}

/** Removes f from the list; returns the remaining length. */
function pull(list: IndexedFile[], f: IndexedFile): number {
  const i = list.indexOf(f);
  if (i >= 0) list.splice(i, 1);
  return list.length;
}

interface CompiledMapping {
  readonly key: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly wildcard: boolean;
  readonly target: string;
}

export class PathResolver {
  private mappings: CompiledMapping[] = [];
  private readonly syncCache = new BoundedCache<string, PathResolution>(25_000);
  private readonly asyncCache = new BoundedCache<string, Promise<PathResolution>>(25_000);
  private readonly maxCandidates: number;

  constructor(
    readonly index: WorkspaceFileIndex,
    private readonly opts: PathResolverOptions,
  ) {
    this.maxCandidates = opts.maxCandidates ?? 50;
    this.setMappings(opts.mappings ?? {});
  }

  get folders(): readonly WorkspaceFolderRef[] {
    return this.opts.folders;
  }

  /** Replaces `spanlens.pathMappings` (setting changed) and drops cached results. */
  setMappings(mappings: Readonly<Record<string, string>>): void {
    this.mappings = Object.entries(mappings)
      .map(([key, value]) => compileMapping(key, value, this.opts.folders))
      .filter((m): m is CompiledMapping => m !== undefined)
      // Most specific first, as js-debug does with sourceMapPathOverrides.
      .sort((a, b) => b.prefix.length + b.suffix.length - (a.prefix.length + a.suffix.length));
    this.invalidate();
  }

  /** Call after files were added to or removed from the index. */
  invalidate(): void {
    this.syncCache.clear();
    this.asyncCache.clear();
  }

  /** The workspace folder holding `path`, if any. */
  folderOf(path: string): { folder: WorkspaceFolderRef; relativePath: string } | undefined {
    let best: { folder: WorkspaceFolderRef; relativePath: string } | undefined;
    for (const folder of this.opts.folders) {
      const rel = relativeIfInside(folder.path, path, this.opts.ignoreCase);
      // Nested folders: the innermost one (shortest relative path) names the file best.
      if (rel !== undefined && (!best || rel.length < best.relativePath.length)) best = { folder, relativePath: rel };
    }
    return best;
  }

  isInsideWorkspace(path: string): boolean {
    return this.folderOf(path) !== undefined;
  }

  /**
   * Resolution against the index only (no file-system access): mappings whose target is indexed,
   * then the longest path suffix. Cached. This is the hot path (statistics, stack frames).
   */
  resolveInIndex(recorded: string): PathResolution {
    let r = this.syncCache.get(recorded);
    if (r) return r;
    r = this.computeInIndex(recorded);
    this.syncCache.set(recorded, r);
    return r;
  }

  /**
   * Full resolution: as resolveInIndex, plus mapping targets and recorded absolute paths that exist
   * on disk but are not indexed (outside the workspace, or excluded from the file list).
   */
  resolve(recorded: string): Promise<PathResolution> {
    let p = this.asyncCache.get(recorded);
    if (!p) {
      p = this.computeWithFs(recorded);
      this.asyncCache.set(recorded, p);
    }
    return p;
  }

  private computeInIndex(recorded: string): PathResolution {
    const mapped = this.applyMapping(recorded);
    let note: string | undefined;
    if (mapped) {
      const hit = this.index.lookup(mapped.path);
      if (hit) return { recorded, candidates: [this.candidate(hit, 'mapping', 0, mapped.key)], ambiguous: false };
      note = `spanlens.pathMappings maps it (via "${mapped.key}") to ${mapped.path}, which is not a workspace file`;
    }
    const { path } = stripLocationScheme(recorded.trim());
    const { segments, files } = this.index.longestSuffix(normalizePath(path));
    if (!files.length) return { recorded, candidates: [], ambiguous: false, note };
    const sorted = files.slice().sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)).slice(0, this.maxCandidates);
    return {
      recorded,
      candidates: sorted.map((f) => this.candidate(f, 'suffix', segments)),
      ambiguous: sorted.length > 1,
      note,
    };
  }

  private async computeWithFs(recorded: string): Promise<PathResolution> {
    const inIndex = this.resolveInIndex(recorded);
    const fs = this.opts.fs;
    if (!fs) return inIndex;
    const mapped = this.applyMapping(recorded);
    if (mapped && !(inIndex.candidates[0]?.via === 'mapping')) {
      if (await fs.exists(mapped.path)) {
        // A mapping is the user's explicit word: it wins even outside the workspace (flagged).
        return { recorded, candidates: [this.candidate(mapped.path, 'mapping', 0, mapped.key)], ambiguous: false };
      }
    }
    const { path, scheme } = stripLocationScheme(recorded.trim());
    const abs = normalizePath(path);
    const exact = inIndex.candidates.length === 1 && comparablePath(inIndex.candidates[0].path, this.opts.ignoreCase) === comparablePath(abs, this.opts.ignoreCase);
    if ((scheme === undefined || scheme === 'file') && isAbsolutePath(abs) && !exact && !inIndex.candidates.some((c) => c.via === 'mapping')) {
      if (await fs.exists(abs)) {
        const own = this.candidate(abs, 'absolute', pathSegments(abs).length);
        // Workspace matches first: the user is editing the workspace copy. The recorded file itself
        // (say /usr/lib/node_modules/x.js on this machine) is offered after them, flagged if outside.
        return { ...inIndex, candidates: [...inIndex.candidates, own], ambiguous: inIndex.ambiguous || (inIndex.candidates.length > 0 && !own.outsideWorkspace) };
      }
    }
    return inIndex;
  }

  private candidate(path: string, via: ResolvedPath['via'], matchedSegments: number, mapping?: string): ResolvedPath {
    const where = this.folderOf(path);
    return {
      path,
      ...(where ? { folder: where.folder, relativePath: where.relativePath } : {}),
      outsideWorkspace: !where,
      via,
      matchedSegments,
      ...(mapping ? { mapping } : {}),
    };
  }

  /** The most specific mapping that matches, with its target path. */
  private applyMapping(recorded: string): { path: string; key: string } | undefined {
    if (!this.mappings.length) return undefined;
    const raw = recorded.trim().replace(/\\/g, '/');
    const stripped = normalizePath(stripLocationScheme(recorded.trim()).path);
    for (const m of this.mappings) {
      for (const s of raw === stripped ? [raw] : [raw, stripped]) {
        const hit = matchMapping(m, s, this.opts.ignoreCase);
        if (hit !== undefined) return { path: hit, key: m.key };
      }
    }
    return undefined;
  }
}

function compileMapping(key: string, value: string, folders: readonly WorkspaceFolderRef[]): CompiledMapping | undefined {
  const k = substituteFolders(key, folders)?.replace(/\\/g, '/');
  const v = substituteFolders(value, folders);
  if (k === undefined || v === undefined || !k) return undefined;
  const star = k.indexOf('*');
  const target = isAbsolutePath(v) || !folders.length ? v : joinPath(folders[0].path, v);
  if (star < 0) return { key, prefix: k, suffix: '', wildcard: false, target };
  return { key, prefix: k.slice(0, star), suffix: k.slice(star + 1), wildcard: true, target };
}

function matchMapping(m: CompiledMapping, s: string, ignoreCase = false): string | undefined {
  const cmp = (x: string) => (ignoreCase ? x.toLowerCase() : x);
  if (!m.wildcard) return cmp(s) === cmp(m.prefix) ? normalizePath(m.target) : undefined;
  if (s.length < m.prefix.length + m.suffix.length) return undefined;
  if (!cmp(s).startsWith(cmp(m.prefix)) || !cmp(s).endsWith(cmp(m.suffix))) return undefined;
  const middle = s.slice(m.prefix.length, s.length - m.suffix.length);
  return normalizePath(m.target.includes('*') ? m.target.replace('*', middle) : joinPath(m.target, middle));
}

/** `${workspaceFolder}` (the first folder) and `${workspaceFolder:name}`; undefined for an unknown name. */
function substituteFolders(s: string, folders: readonly WorkspaceFolderRef[]): string | undefined {
  let ok = true;
  const out = s.replace(/\$\{workspaceFolder(?::([^}]+))?\}/g, (_m, name: string | undefined) => {
    const f = name === undefined ? folders[0] : folders.find((x) => x.name === name);
    if (!f) {
      ok = false;
      return '';
    }
    return normalizePath(f.path);
  });
  return ok ? out : undefined;
}
