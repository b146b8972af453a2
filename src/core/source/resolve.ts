// From a span (or one stack frame) to openable source locations: tries the span's code-location
// candidates in order, maps each recorded path to workspace files, then compiled JS through its
// source map. The first candidate that lands in the workspace wins (library frames are tried only
// after user code); every step is described so the UI can say where a location came from or why
// there is none.
import type { Span } from '../model/model';
import { BoundedCache } from './boundedCache';
import { CodeLocationCandidate, spanCodeInfo, SpanCodeInfo } from './codeLocation';
import { PathResolution, PathResolver, ResolvedPath } from './pathResolver';
import { baseName } from './paths';
import { OriginalPosition, SourceMapResolver } from './sourceMaps';
import type { ParsedStack, StackFrame } from './stackTrace';

/** One place to open. Lines and columns 1-based (vscode.Position wants line - 1, column - 1). */
export interface SourceTarget {
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  /** Ask before opening. */
  readonly outsideWorkspace: boolean;
  /** A workspace-symbol match found by name only (the host's fallback). Set by the host. */
  readonly guess?: boolean;
  /** How the recorded path became this workspace path. */
  readonly pathVia: ResolvedPath['via'];
  readonly matchedSegments: number;
  /** Set when a source map moved the location from compiled JS. */
  readonly generated?: { readonly path: string; readonly line?: number; readonly column?: number };
  readonly sourceMap?: string;
  /** The original source is only embedded in the map (sourcesContent), not on disk. */
  readonly embeddedSource?: boolean;
  /** E.g. why the compiled location is shown instead of the original. */
  readonly note?: string;
}

export type ResolutionStatus =
  /** One target in the workspace. */
  | 'resolved'
  /** Several equally good targets: show a quick pick. */
  | 'ambiguous'
  /** Only targets outside the workspace folders: ask before opening. */
  | 'outside-workspace'
  /** Locations were recorded but no recorded path matches a file here. */
  | 'not-found'
  /** The span records no location at all (see info.missing, info.symbolQuery). */
  | 'missing';

export interface LocationResolution {
  readonly status: ResolutionStatus;
  /** Best first. */
  readonly targets: readonly SourceTarget[];
  /** One line for the UI: where the location came from, or why there is none. */
  readonly message: string;
  readonly notes: readonly string[];
}

export interface SpanResolution extends LocationResolution {
  /** The candidate the targets came from. */
  readonly candidate?: CodeLocationCandidate;
  readonly info: SpanCodeInfo;
}

export interface RecordedLocation {
  readonly file: string;
  /** 1-based. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
}

export interface SourceLocatorOptions {
  readonly paths: PathResolver;
  /** Without it, compiled JS locations are returned as they are. */
  readonly sourceMaps?: SourceMapResolver;
  /** At most this many candidates are tried per span (deep stacks). Default 64. */
  readonly maxCandidates?: number;
}

export class SourceLocator {
  private readonly cache = new BoundedCache<string, Promise<LocationResolution>>(10_000);

  constructor(private readonly opts: SourceLocatorOptions) {}

  get paths(): PathResolver {
    return this.opts.paths;
  }

  get sourceMaps(): SourceMapResolver | undefined {
    return this.opts.sourceMaps;
  }

  /** pathMappings changed, files were added or removed, source maps rebuilt. */
  invalidate(): void {
    this.cache.clear();
    this.opts.paths.invalidate();
    this.opts.sourceMaps?.clear();
  }

  /** Where a span's code is. Never throws. */
  async resolveSpan(span: Span): Promise<SpanResolution> {
    const info = spanCodeInfo(span);
    if (!info.candidates.length) {
      return { status: 'missing', targets: [], message: info.missing!.message, notes: [], info };
    }
    const ordered = [...info.candidates.filter((c) => !c.library), ...info.candidates.filter((c) => c.library)].slice(0, this.opts.maxCandidates ?? 64);
    let outside: { c: CodeLocationCandidate; r: LocationResolution } | undefined;
    const misses: string[] = [];
    for (const c of ordered) {
      const r = await this.resolveLocation(c);
      if (r.status === 'resolved' || r.status === 'ambiguous') {
        return { ...r, message: `${describeCandidate(c)}: ${r.message}`, candidate: c, info };
      }
      if (r.status === 'outside-workspace') outside ??= { c, r };
      else if (misses.length < 3) misses.push(`${describeCandidate(c)}: ${r.message}`);
    }
    if (outside) return { ...outside.r, message: `${describeCandidate(outside.c)}: ${outside.r.message}`, candidate: outside.c, info };
    const first = ordered[0];
    return {
      status: 'not-found',
      targets: [],
      message:
        `No recorded path matches a file in the workspace (${misses.join('; ')}). ` +
        'If the code was built or run elsewhere (container, CI), map its root with the spanlens.pathMappings setting, e.g. {"/app/*": "${workspaceFolder}/*"}.',
      notes: [],
      candidate: first,
      info,
    };
  }

  /** Where a stack trace's frames are: one resolution per frame, in order. */
  resolveStack(stack: ParsedStack): Promise<LocationResolution[]> {
    return Promise.all(stack.frames.map((f: StackFrame) => this.resolveLocation(f)));
  }

  /** One recorded location (a code.* location or a stack frame). Cached. */
  resolveLocation(loc: RecordedLocation): Promise<LocationResolution> {
    const key = `${loc.file}\n${loc.line ?? ''}\n${loc.column ?? ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.computeLocation(loc).catch((e): LocationResolution => ({
        status: 'not-found',
        targets: [],
        message: `could not resolve ${loc.file}: ${e instanceof Error ? e.message : String(e)}`,
        notes: [],
      }));
      this.cache.set(key, p);
    }
    return p;
  }

  private async computeLocation(loc: RecordedLocation): Promise<LocationResolution> {
    const res: PathResolution = await this.opts.paths.resolve(loc.file);
    if (!res.candidates.length) {
      return {
        status: 'not-found',
        targets: [],
        message: `no workspace file ends with ${baseName(loc.file) || loc.file}${res.note ? ` (${res.note})` : ''}`,
        notes: res.note ? [res.note] : [],
      };
    }
    const notes: string[] = res.note ? [res.note] : [];
    const targets: SourceTarget[] = [];
    for (const c of res.candidates) {
      const t = await this.mapTarget(c, loc);
      if (t.note && !notes.includes(t.note)) notes.push(t.note);
      targets.push(t);
    }
    // A source map may land a target outside the workspace (or into it): re-rank on the final paths.
    const inside = targets.filter((t) => !t.outsideWorkspace);
    const ranked = [...inside, ...targets.filter((t) => t.outsideWorkspace)];
    const bestRank = inside.length ? inside : ranked;
    const topSegments = bestRank[0].matchedSegments;
    const tied = bestRank.filter((t) => t.pathVia === bestRank[0].pathVia && t.matchedSegments === topSegments);
    const status: ResolutionStatus = !inside.length ? 'outside-workspace' : res.ambiguous && tied.length > 1 ? 'ambiguous' : 'resolved';
    return { status, targets: ranked, message: describeTarget(ranked[0], loc, status, ranked.length), notes };
  }

  private async mapTarget(c: ResolvedPath, loc: RecordedLocation): Promise<SourceTarget> {
    const base: SourceTarget = { path: c.path, line: loc.line, column: loc.column, outsideWorkspace: c.outsideWorkspace, pathVia: c.via, matchedSegments: c.matchedSegments };
    const sm = this.opts.sourceMaps;
    if (!sm || loc.line === undefined) return base;
    const o: OriginalPosition = await sm.originalPosition({ file: c.path, line: loc.line, column: loc.column });
    if (!o.mapped) return o.note ? { ...base, note: o.note } : base;
    return {
      ...base,
      path: o.file,
      line: o.line,
      column: o.column,
      outsideWorkspace: !this.opts.paths.isInsideWorkspace(o.file),
      generated: { path: c.path, line: loc.line, column: loc.column },
      sourceMap: o.sourceMap,
      ...(o.hasEmbeddedContent ? { embeddedSource: true } : {}),
    };
  }
}

const SOURCE_LABELS: Record<CodeLocationCandidate['source'], string> = {
  code: 'code.file.path',
  'code-deprecated': 'code.filepath',
  'code.stacktrace': 'code.stacktrace',
  'exception.stacktrace': 'exception.stacktrace',
  'error.stack': 'error.stack',
  'datadog-code-origin': '_dd.code_origin',
};

/** "code.filepath + code.lineno /app/dist/x.js:12" or "exception.stacktrace frame 3 (at f (...))". */
export function describeCandidate(c: CodeLocationCandidate): string {
  const where = `${c.file}${c.line !== undefined ? `:${c.line}` : ''}${c.column !== undefined ? `:${c.column}` : ''}`;
  if (c.frame) return `${SOURCE_LABELS[c.source]} frame ${(c.frameIndex ?? 0) + 1} ${where}`;
  return `${c.attributes.filter((a) => !/function|namespace|method|type$/.test(a)).join(' + ') || SOURCE_LABELS[c.source]} ${where}`;
}

function describeTarget(t: SourceTarget, loc: RecordedLocation, status: ResolutionStatus, n: number): string {
  const via = t.pathVia === 'mapping' ? 'by spanlens.pathMappings' : t.pathVia === 'absolute' ? 'as recorded' : `by path suffix (${t.matchedSegments} segment${t.matchedSegments === 1 ? '' : 's'})`;
  const at = `${t.path}${t.line !== undefined ? `:${t.line}` : ''}`;
  const mapped = t.generated ? ` via source map ${t.sourceMap ?? ''} from ${baseName(t.generated.path)}:${t.generated.line ?? ''}`.replace('  ', ' ') : '';
  const head = status === 'ambiguous' ? `${n} workspace files match ${loc.file}; first: ` : status === 'outside-workspace' ? 'outside the workspace: ' : '';
  return `${head}${at} (found ${via}${mapped})`;
}
