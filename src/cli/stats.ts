// `spanlens stats FILE... [--root DIR] [--json] [--path-map FROM=TO]`: the per-function latency
// table the CodeLens shows, for CI. Spans are resolved against the files under --root with the same
// path heuristic and source-map mapping as the editor. Without VS Code there are no document
// symbols, so a function is identified by the mapped line of its span and by code.function(.name)
// or, failing that, the span name.
import * as fs from 'fs';
import * as nodePath from 'path';
import { parseArgs } from 'util';
import { describeError } from '../core/model/errors';
import { importTraceFilePath } from '../core/importers/importFile';
import { DEFAULT_MAX_FILE_MB } from '../core/importers/limits';
import { formatDurationNs } from '../core/model/time';
import type { RawCodeSite } from '../core/source/codeLocation';
import { PathResolver, WorkspaceFileIndex } from '../core/source/pathResolver';
import { SourceMapResolver } from '../core/source/sourceMaps';
import { FunctionStats, LatencyIndex, ResolvedSite } from '../core/source/stats';
import { listWorkspaceFiles, nodePathExistence, nodeSourceReader } from './nodeFs';

const USAGE = 'usage: spanlens stats FILE... [--root DIR] [--json] [--path-map FROM=TO]... [--max-file-mb N]';

/** The `--json` document: stable field names (CI scripts read it). */
export interface StatsJson {
  functions: {
    file: string;
    line: number | null;
    function: string;
    count: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    maxMs: number;
    selfP50Ms: number;
    errors: number;
  }[];
  unresolved: number;
}

class UsageError extends Error {}

/** Runs the command; returns the exit code (0 ok, 1 usage, 2 unreadable input). */
export async function runStats(args: string[]): Promise<number> {
  let values: { root?: string; json?: boolean; 'path-map'?: string[]; 'max-file-mb'?: string; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        root: { type: 'string' },
        json: { type: 'boolean', default: false },
        'path-map': { type: 'string', multiple: true },
        'max-file-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    values = parsed.values;
    files = parsed.positionals;
    if (values.help) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (!files.length) throw new UsageError(`stats needs at least one trace FILE\n${USAGE}`);
  } catch (e) {
    process.stderr.write(`spanlens: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  try {
    const maxMb = values['max-file-mb'] ? Number(values['max-file-mb']) : DEFAULT_MAX_FILE_MB;
    if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-file-mb takes a positive number');
    const root = nodePath.resolve(values.root ?? process.cwd());
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root ${root} is not a directory`);
    const mappings = parsePathMaps(values['path-map'] ?? []);
    const { index, unresolved, warnings } = await buildStats(files, root, mappings, maxMb);
    for (const w of warnings) process.stderr.write(`spanlens: warning: ${w}\n`);
    const rows = index.all();
    if (values.json) process.stdout.write(JSON.stringify(statsJson(rows, unresolved)) + '\n');
    else process.stdout.write(statsTable(rows, unresolved) + '\n');
    return 0;
  } catch (e) {
    process.stderr.write(`spanlens: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof UsageError ? 1 : 2;
  }
}

/** "FROM=TO" pairs, as in spanlens.pathMappings ({"/app/*": "${workspaceFolder}/*"}). */
function parsePathMaps(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--path-map takes FROM=TO (e.g. "/app/*=\${workspaceFolder}/*"), got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Imports the files and aggregates their spans against the workspace at `root`. */
export async function buildStats(
  traceFiles: string[],
  root: string,
  mappings: Record<string, string> = {},
  maxMb = DEFAULT_MAX_FILE_MB,
): Promise<{ index: LatencyIndex; unresolved: number; warnings: string[] }> {
  const warnings: string[] = [];
  const folders = [{ name: nodePath.basename(root), path: root }];
  const index = new WorkspaceFileIndex(listWorkspaceFiles(root));
  const paths = new PathResolver(index, { folders, mappings, fs: nodePathExistence, ignoreCase: process.platform === 'win32' });
  const resolveSourcePath = (p: string) => {
    const r = paths.resolveInIndex(p);
    return r.candidates.length ? r.candidates[0].path : undefined;
  };
  const sourceMaps = new SourceMapResolver(nodeSourceReader, { onWarning: (w) => warnings.push(w.message), resolveSourcePath });
  const tieWarned = new Set<string>();

  const resolveSite = async (raw: RawCodeSite): Promise<ResolvedSite | undefined> => {
    if (raw.file === undefined) return undefined; // no symbols outside the editor: nothing to place it by
    const res = await paths.resolve(raw.file);
    const inside = res.candidates.filter((c) => !c.outsideWorkspace);
    if (!inside.length) return undefined;
    if (res.ambiguous && !tieWarned.has(raw.file)) {
      tieWarned.add(raw.file);
      warnings.push(`${raw.file} matches ${inside.length} files under --root; using ${nodePath.relative(root, inside[0].path)} (add --path-map to choose)`);
    }
    let file = inside[0].path;
    let line = raw.line;
    if (line !== undefined) {
      const o = await sourceMaps.originalPosition({ file, line, column: raw.column });
      if (o.mapped) {
        file = o.file;
        line = o.line;
      }
    }
    const rel = nodePath.relative(root, nodePath.resolve(file));
    if (rel.startsWith('..') || nodePath.isAbsolute(rel)) return undefined;
    return { file: rel.split(nodePath.sep).join('/'), line, function: raw.function ?? raw.spanName };
  };

  const stats = new LatencyIndex(resolveSite);
  try {
    for (const f of traceFiles) {
      let size: number;
      try {
        size = fs.statSync(f).size;
      } catch (e) {
        throw new Error(`${f}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
      let file;
      try {
        void size;
        file = await importTraceFilePath(f, { fileName: f, maxFileSizeMB: maxMb, howToRaiseLimit: '--max-file-mb' });
      } catch (e) {
        throw new Error(describeError(e, f));
      }
      for (const t of file.traces) await stats.add(t, f);
    }
  } finally {
    sourceMaps.dispose();
  }
  return { index: stats, unresolved: stats.unresolved, warnings };
}

const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;

export function statsJson(rows: readonly FunctionStats[], unresolved: number): StatsJson {
  return {
    functions: rows.map((r) => ({
      file: r.file,
      line: r.line ?? null,
      function: r.function,
      count: r.count,
      p50Ms: ms(r.p50Ns),
      p95Ms: ms(r.p95Ns),
      p99Ms: ms(r.p99Ns),
      maxMs: ms(r.maxNs),
      selfP50Ms: ms(r.selfP50Ns),
      errors: r.errors,
    })),
    unresolved,
  };
}

export function statsTable(rows: readonly FunctionStats[], unresolved: number): string {
  const header = ['FUNCTION', 'LOCATION', 'COUNT', 'P50', 'P95', 'P99', 'MAX', 'SELF P50', 'ERRORS'];
  const body = rows.map((r) => [
    r.function,
    `${r.file}${r.line !== undefined ? `:${r.line}` : ''}`,
    String(r.count),
    formatDurationNs(r.p50Ns),
    formatDurationNs(r.p95Ns),
    formatDurationNs(r.p99Ns),
    formatDurationNs(r.maxNs),
    formatDurationNs(r.selfP50Ns),
    String(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const lines = [fmt(header), ...body.map(fmt)];
  if (!rows.length) lines.push('(no span could be placed in the source under --root)');
  if (unresolved) {
    lines.push(
      `${unresolved} span(s) without a resolvable code location (no code.file.path/code.filepath, code.stacktrace or _dd.code_origin, ` +
        'or a path matching no file under --root; see --path-map)',
    );
  }
  return lines.join('\n');
}
