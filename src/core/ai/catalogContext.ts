// The AI tools' view of the catalog's thread (../catalog/serve.ts `aiTool`): the trace files the
// catalog holds, the dev collector's store when it runs (source "collector"), and the statistics
// service's per-function table.
//
// Span code locations: the span's own site (code.* attributes, as the statistics read it) resolved
// the way the statistics resolve it, through the host's resolveSite (path mappings, source maps;
// in VS Code the enclosing function's declaration line), so /app/dist/x.js recorded in a container
// comes out as src/x.ts. Without a resolver, or when it finds nothing in time, the location the span
// records (code.*, stack traces) is shown as recorded. Paths are made relative to the workspace
// folders the caller passes.
import * as nodePath from 'path';
import { fileURLToPath } from 'url';
import type { Span, Trace } from '../model/model';
import { spanCodeSite, type RawCodeSite } from '../source/codeLocation';
import type { FunctionStats, ResolvedSite } from '../source/stats';
import type { RedactionRules } from '../redaction';
import { recordedCodeLocation, type AiToolContext, type AiTraceSource, type AiTraceSummary } from './tools';

/** How long one site resolution may take before the recorded location is shown instead. */
const RESOLVE_TIMEOUT_MS = 3000;

/** What the caller of `aiTool` adds to what the catalog knows. Plain data (crosses the thread boundary). */
export interface AiCallOptions {
  /** Absolute paths of the workspace folders (or the CLI's --root): code locations and sources are shown relative to them. */
  readonly workspaceFolders?: readonly string[];
  /** Sources the caller could not load (a file that cannot be read), listed by list_traces with their error. */
  readonly failedSources?: readonly { readonly source: string; readonly error: string }[];
}

/** The parts of the catalog's thread the tools read. */
export interface CatalogAiState {
  /** Every loaded catalog source, in load order (TraceCatalog.sources()). */
  sources(): readonly { readonly key: string; readonly kind: string; readonly traces: readonly Trace[] }[];
  /** The dev collector's live store, when the collector runs. */
  liveStore(): LiveStoreLike | undefined;
  /** The per-function table (all functions the statistics know), once queued work is done. */
  functionStats(): Promise<readonly FunctionStats[]>;
  /** Resolves a span's code site as the statistics do (the host's resolveSite). */
  resolveSite?(site: RawCodeSite): Promise<ResolvedSite | undefined>;
}

export interface LiveStoreLike {
  summaries(): readonly { readonly traceId: string; readonly rootName: string; readonly rootService: string; readonly spanCount: number; readonly errorCount: number; readonly durationNs: number }[];
  getTrace(traceId: string): Trace | undefined;
}

export const COLLECTOR_SOURCE = 'collector';

export function catalogAiContext(state: CatalogAiState, rules: RedactionRules | undefined, options: AiCallOptions = {}): AiToolContext {
  const relativePath = workspaceRelativePath(options.workspaceFolders ?? []);
  const resolveSite = state.resolveSite;
  const resolved = new Map<string, Promise<ResolvedSite | undefined>>();
  const codeLocation = async (span: Span): Promise<{ file: string; line?: number } | undefined> => {
    const site = spanCodeSite(span);
    if (resolveSite && site.file !== undefined) {
      const key = `${site.file}\n${site.line ?? ''}\n${site.column ?? ''}\n${site.function ?? site.spanName}`;
      let p = resolved.get(key);
      if (!p) {
        p = withTimeout(resolveSite(site), RESOLVE_TIMEOUT_MS).catch(() => undefined);
        resolved.set(key, p);
      }
      const r = await p;
      if (r) return { file: r.file, line: r.line };
    }
    return recordedCodeLocation(span);
  };
  return {
    relativePath,
    rules,
    codeLocation,
    functionStats: () => state.functionStats(),
    sources(): AiTraceSource[] {
      const out: AiTraceSource[] = [];
      const store = state.liveStore();
      const opened: Trace[] = [];
      for (const s of state.sources()) {
        if (s.kind === 'file') out.push({ source: displaySource(s.key, relativePath), traces: s.traces });
        else if (s.kind === 'collected') opened.push(...s.traces);
      }
      if (store) {
        out.push({
          source: COLLECTOR_SOURCE,
          summaries: (): AiTraceSummary[] => store.summaries().map((x) => ({ traceId: x.traceId, rootName: x.rootName, rootService: x.rootService, spanCount: x.spanCount, errorCount: x.errorCount, durationNs: x.durationNs })),
          getTrace: (id) => store.getTrace(id),
        });
      } else if (opened.length) {
        // The collector stopped, but collected traces are still open in a view.
        out.push({ source: COLLECTOR_SOURCE, traces: opened });
      }
      for (const f of options.failedSources ?? []) out.push({ source: f.source, error: f.error });
      return out;
    },
  };
}

/** A catalog key (a file URI, or a path) as a workspace-relative path where possible. */
export function displaySource(key: string, relativePath: (file: string) => string): string {
  if (/^file:\/\//i.test(key)) {
    try {
      return relativePath(fileURLToPath(key));
    } catch {
      return key;
    }
  }
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(key)) return key;
  return relativePath(key);
}

/**
 * Paths under one of the folders become relative ("src/orders.ts"; with several folders
 * "folder/src/orders.ts", as VS Code shows multi-root paths); others stay as they are.
 */
export function workspaceRelativePath(folders: readonly string[]): (file: string) => string {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const list = folders.map((f) => ({ dir: norm(f), name: nodePath.basename(f) })).sort((a, b) => b.dir.length - a.dir.length);
  const multi = folders.length > 1;
  return (file: string) => {
    let p = file;
    if (/^file:\/\//i.test(p)) {
      try {
        p = fileURLToPath(p);
      } catch {
        return file;
      }
    }
    p = p.replace(/\\/g, '/');
    const ci = /^[a-z]:\//i.test(p);
    for (const f of list) {
      const a = ci ? p.toLowerCase() : p;
      const b = ci ? f.dir.toLowerCase() : f.dir;
      if (a.startsWith(b + '/')) {
        const rel = p.slice(f.dir.length + 1);
        return multi ? `${f.name}/${rel}` : rel;
      }
    }
    return p;
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
