// `spanlens mcp [FILE|DIR]... [--collect ...]`: the AI tools (src/core/ai: list_traces, get_trace,
// get_spans, function_stats) as an MCP server over stdio, on the official SDK (McpServer +
// StdioServerTransport). The traces live in the same catalog worker the extension uses
// (dist/spanlens.worker.js), and the tools run there through its `aiTool` call, so the answers are
// the ones the VS Code chat tools give. With --collect the dev collector runs in that worker too, and
// what it receives is listed under the source "collector".
//
// stdout carries only MCP messages: everything else (the ready line, warnings) goes to stderr, and
// console.log is pointed at stderr for the life of the server.
import * as fs from 'fs';
import * as nodePath from 'path';
import { parseArgs } from 'util';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AI_TOOLS, type AiInputSchema } from '../core/ai/tools';
import { displaySource, workspaceRelativePath } from '../core/ai/catalogContext';
import { CatalogCallError, CatalogClient, defaultCatalogWorker } from '../core/catalog/client';
import { CollectorStartError, startCollector, type CollectorHandle } from '../core/collector';
import { looksLikeTraceText } from '../core/importers/importFile';
import { looksLikeOtlpProto } from '../core/importers/otlpProto';
import { DEFAULT_MAX_FILE_MB } from '../core/importers/limits';
import { createRedactor, type RedactionRules } from '../core/redaction';
import type { RawCodeSite } from '../core/source/codeLocation';
import { PathResolver, WorkspaceFileIndex } from '../core/source/pathResolver';
import { SourceMapResolver } from '../core/source/sourceMaps';
import type { ResolvedSite } from '../core/source/stats';
import { listWorkspaceFiles, nodePathExistence, nodeSourceReader } from './nodeFs';
import { version as SPANLENS_VERSION } from '../../package.json';

export const MCP_USAGE = `usage: spanlens mcp [FILE|DIR]... [--root DIR] [--path-map FROM=TO]... [--max-file-mb N]
                    [--collect [--host 127.0.0.1] [--http-port 4318] [--grpc-port 4317] [--zipkin-port 9411]]
                    [--redact-pattern REGEX]... [--redact-key KEY]... [--redact-allow KEY]...
  An MCP server on stdio with the tools list_traces, get_trace, get_spans and function_stats over the
  trace files given (directories are searched for trace files) and, with --collect, the traces the dev
  collector receives. Code locations are relative to --root (default: the current directory).
  Everything the tools return is redacted; --redact-* add rules (or exempt keys), never remove the defaults.`;

/** Exit codes: 0 the client closed stdin (or a signal), 1 usage, 4 the trace worker is missing. */
export const McpExit = { Ok: 0, Usage: 1, Worker: 4 } as const;

/** Names that mark a trace file worth sniffing in a directory. */
const TRACE_FILE_RE = /\.(json|jsonl|ndjson|binpb|pb)$/i;
const SNIFF_BYTES = 64 * 1024;
/** Trace files taken from the directories given, at most. */
const MAX_DIR_FILES = 2000;

class UsageError extends Error {}

export interface McpOptions {
  readonly inputs: string[];
  readonly root: string;
  readonly mappings: Record<string, string>;
  readonly maxFileMb: number;
  readonly collect: boolean;
  readonly host?: string;
  readonly httpPort?: number;
  readonly grpcPort?: number;
  readonly zipkinPort?: number;
  readonly rules: RedactionRules;
}

function port(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > 65535) throw new UsageError(`--${name} takes a port from 0 to 65535, got "${raw}"`);
  return n;
}

export function parseMcpArgs(args: string[]): McpOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      root: { type: 'string' },
      'path-map': { type: 'string', multiple: true },
      'max-file-mb': { type: 'string' },
      collect: { type: 'boolean', default: false },
      host: { type: 'string' },
      'http-port': { type: 'string' },
      'grpc-port': { type: 'string' },
      'zipkin-port': { type: 'string' },
      'redact-pattern': { type: 'string', multiple: true },
      'redact-key': { type: 'string', multiple: true },
      'redact-allow': { type: 'string', multiple: true },
    },
  });
  const collectOnly = ['host', 'http-port', 'grpc-port', 'zipkin-port'].filter((k) => (values as Record<string, unknown>)[k] !== undefined);
  if (collectOnly.length && !values.collect) throw new UsageError(`--${collectOnly[0]} needs --collect`);
  const maxFileMb = values['max-file-mb'] !== undefined ? Number(values['max-file-mb']) : DEFAULT_MAX_FILE_MB;
  if (!Number.isFinite(maxFileMb) || maxFileMb <= 0) throw new UsageError('--max-file-mb takes a positive number');
  const root = nodePath.resolve(values.root ?? process.cwd());
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root ${root} is not a directory`);
  const mappings: Record<string, string> = {};
  for (const p of values['path-map'] ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--path-map takes FROM=TO (e.g. "/app/*=\${workspaceFolder}/*"), got "${p}"`);
    mappings[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const rules: RedactionRules = {
    ...(values['redact-pattern']?.length ? { patterns: values['redact-pattern'] } : {}),
    ...(values['redact-key']?.length ? { keys: values['redact-key'] } : {}),
    ...(values['redact-allow']?.length ? { allow: values['redact-allow'] } : {}),
  };
  if ([...(rules.keys ?? []), ...(rules.allow ?? [])].some((k) => !k.trim())) throw new UsageError('--redact-key and --redact-allow take a non-empty KEY');
  try {
    createRedactor(rules); // a bad pattern is a usage error now, not a failure on every call
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (!positionals.length && !values.collect) throw new UsageError('give trace files or directories, or --collect');
  return {
    inputs: positionals,
    root,
    mappings,
    maxFileMb,
    collect: !!values.collect,
    host: values.host,
    httpPort: port('http-port', values['http-port']),
    grpcPort: port('grpc-port', values['grpc-port']),
    zipkinPort: port('zipkin-port', values['zipkin-port']),
    rules,
  };
}

/** Whether a file found in a directory is a trace file: by name, then by its first bytes (the importers' sniffs). */
export function looksLikeTraceFile(file: string): boolean {
  if (!TRACE_FILE_RE.test(file)) return false;
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(SNIFF_BYTES);
      head = head.subarray(0, fs.readSync(fd, head, 0, SNIFF_BYTES, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  if (/\.(binpb|pb)$/i.test(file)) return looksLikeOtlpProto(head);
  return looksLikeTraceText(head.toString('utf8'));
}

/** The trace files to load, and the inputs that could not be read. Directories are searched (skipping node_modules, .git...). */
export function findTraceFiles(inputs: readonly string[]): { files: string[]; failed: { path: string; error: string }[]; notes: string[] } {
  const files: string[] = [];
  const failed: { path: string; error: string }[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      files.push(f);
    }
  };
  for (const input of inputs) {
    const abs = nodePath.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      failed.push({ path: abs, error: `cannot read: ${code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}` });
      continue;
    }
    if (!st.isDirectory()) {
      add(abs); // named explicitly: loaded whatever it looks like, so a bad file says why
      continue;
    }
    const found = listWorkspaceFiles(abs)
      .filter((f) => TRACE_FILE_RE.test(f))
      .sort()
      .filter(looksLikeTraceFile);
    if (found.length > MAX_DIR_FILES) notes.push(`${abs}: ${found.length} trace files found, loading the first ${MAX_DIR_FILES}`);
    for (const f of found.slice(0, MAX_DIR_FILES)) add(f);
  }
  return { files, failed, notes };
}

/** The tools' input schemas (JSON Schema in src/core/ai) as the zod shapes McpServer registers. */
export function zodShape(schema: AiInputSchema): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, p] of Object.entries(schema.properties)) {
    let t: z.ZodType;
    switch (p.type) {
      case 'string':
        t = z.string();
        break;
      case 'boolean':
        t = z.boolean();
        break;
      case 'integer': {
        let n = z.number().int();
        if (p.minimum !== undefined) n = n.min(p.minimum);
        if (p.maximum !== undefined) n = n.max(p.maximum);
        t = n;
        break;
      }
      case 'array': {
        let a = z.array(z.string());
        if (p.maxItems !== undefined) a = a.max(p.maxItems);
        t = a;
        break;
      }
    }
    t = t.describe(p.description);
    shape[key] = schema.required?.includes(key) ? t : t.optional();
  }
  return shape;
}

/** Resolves code sites against the files under root, as `spanlens stats` does (path heuristic, --path-map, source maps). */
function siteResolver(root: string, mappings: Record<string, string>, warn: (m: string) => void) {
  let state: { paths: PathResolver; maps: SourceMapResolver } | undefined;
  const init = () => {
    if (state) return state;
    const index = new WorkspaceFileIndex(listWorkspaceFiles(root));
    const paths = new PathResolver(index, { folders: [{ name: nodePath.basename(root), path: root }], mappings, fs: nodePathExistence, ignoreCase: process.platform === 'win32' });
    const resolveSourcePath = (p: string) => paths.resolveInIndex(p).candidates[0]?.path;
    const warned = new Set<string>();
    const maps = new SourceMapResolver(nodeSourceReader, {
      onWarning: (w) => {
        if (!warned.has(w.message)) warn(w.message);
        warned.add(w.message);
      },
      resolveSourcePath,
    });
    return (state = { paths, maps });
  };
  const resolve = async (raw: RawCodeSite): Promise<ResolvedSite | undefined> => {
    if (raw.file === undefined) return undefined;
    const { paths, maps } = init();
    const res = await paths.resolve(raw.file);
    const inside = res.candidates.filter((c) => !c.outsideWorkspace);
    if (!inside.length) return undefined;
    let file = inside[0].path;
    let line = raw.line;
    if (line !== undefined) {
      const o = await maps.originalPosition({ file, line, column: raw.column });
      if (o.mapped) {
        file = o.file;
        line = o.line;
      }
    }
    return { file: nodePath.resolve(file), line, function: raw.function ?? raw.spanName };
  };
  return { resolve, dispose: () => state?.maps.dispose() };
}

export interface McpIo {
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: (text: string) => void;
  /** Path of dist/spanlens.worker.js (default: next to the running bundle). */
  readonly workerScript?: string;
}

/** Runs the server until the client closes stdin (or SIGINT/SIGTERM); resolves with the exit code. */
export async function runMcp(args: string[], io: McpIo = {}): Promise<number> {
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  let opts: McpOptions;
  try {
    opts = parseMcpArgs(args);
  } catch (e) {
    stderr(`spanlens: ${e instanceof Error ? e.message : String(e)}\n${MCP_USAGE}\n`);
    return McpExit.Usage;
  }
  const workerScript = io.workerScript ?? defaultCatalogWorker();
  if (!fs.existsSync(workerScript)) {
    stderr(`spanlens: the trace worker bundle is missing: ${workerScript} (run "node esbuild.js")\n`);
    return McpExit.Worker;
  }

  // Only MCP messages on stdout: anything printed through console goes to stderr.
  const restoreConsole = pointConsoleAtStderr();
  let closing = false;
  const log = (m: string) => {
    if (!closing) stderr(`spanlens mcp: ${m}\n`);
  };
  const rel = workspaceRelativePath([opts.root]);
  const sites = siteResolver(opts.root, opts.mappings, (m) => log(`warning: ${m}`));
  const client = new CatalogClient({ workerScript, host: { resolveSite: (site) => sites.resolve(site) } });
  const failedSources: { source: string; error: string }[] = [];
  const loaded: string[] = [];
  let collector: CollectorHandle | undefined;

  client.onDidStop((reason) => {
    log(`the trace worker stopped (${reason})`);
    for (const key of loaded.splice(0)) failedSources.push({ source: displaySource(key, rel), error: `the trace worker stopped (${reason}); restart spanlens mcp to load it again` });
    if (collector) failedSources.push({ source: 'collector', error: `the trace worker stopped (${reason})` });
    collector = undefined;
  });

  const load = async () => {
    const { files, failed, notes } = findTraceFiles(opts.inputs);
    for (const n of notes) log(n);
    for (const f of failed) failedSources.push({ source: displaySource(f.path, rel), error: f.error });
    for (const file of files) {
      try {
        const info = await client.open({ kind: 'file', path: file, fileName: nodePath.basename(file), key: file, maxFileSizeMB: opts.maxFileMb }).done;
        loaded.push(file);
        log(`loaded ${displaySource(file, rel)}: ${info.traces.length} trace(s), ${info.spanCount} span(s)`);
      } catch (e) {
        // The worker's error view says where in the file the problem is.
        const where = e instanceof CatalogCallError ? (e.errorView as { locationText?: string } | undefined)?.locationText : undefined;
        const error = `${e instanceof Error ? e.message : String(e)}${where ? ` (${where})` : ''}`;
        failedSources.push({ source: displaySource(file, rel), error });
        log(`${displaySource(file, rel)}: ${error}`);
      }
    }
    if (opts.collect) {
      try {
        collector = await startCollector({
          host: opts.host,
          httpPort: opts.httpPort,
          grpcPort: opts.grpcPort,
          zipkinPort: opts.zipkinPort,
          via: (p) => client.serveCollector(p),
        });
        const p = collector.ports;
        log(`dev collector listening on ${[p.otlpHttp !== undefined ? `OTLP/HTTP ${p.host}:${p.otlpHttp}` : '', p.otlpGrpc !== undefined ? `OTLP/gRPC ${p.host}:${p.otlpGrpc}` : '', p.zipkin !== undefined ? `Zipkin ${p.host}:${p.zipkin}` : ''].filter(Boolean).join(', ')}`);
        collector.onDidFail((m) => {
          failedSources.push({ source: 'collector', error: m });
          collector = undefined;
        });
      } catch (e) {
        const error = e instanceof CollectorStartError ? e.failure.message : e instanceof Error ? e.message : String(e);
        failedSources.push({ source: 'collector', error: `the dev collector did not start: ${error}` });
        log(`the dev collector did not start: ${error}`);
      }
    }
  };
  const ready = load().catch((e) => log(`loading failed: ${e instanceof Error ? e.message : String(e)}`));

  const server = new McpServer(
    { name: 'spanlens', title: 'Spanlens', version: SPANLENS_VERSION },
    {
      instructions:
        'Spanlens reads distributed traces (OpenTelemetry/OTLP, Jaeger, Zipkin, Tempo, Chrome). Call list_traces for the trace IDs, get_trace for one trace (critical path, errors, slowest spans), get_spans for span attributes and events, function_stats for per-function latency. Values that look like secrets or personal data are redacted.',
    },
  );
  for (const def of AI_TOOLS) {
    server.registerTool(
      def.name,
      { title: def.title, description: def.description, inputSchema: zodShape(def.inputSchema), annotations: { readOnlyHint: true, openWorldHint: false } },
      async (input: Record<string, unknown>) => {
        await ready;
        let text: string;
        try {
          text = await client.call('aiTool', def.name, input, opts.rules, { workspaceFolders: [opts.root], failedSources: [...failedSources] });
        } catch (e) {
          text = JSON.stringify({ error: `${def.name} failed: ${e instanceof Error ? e.message : String(e)}` });
        }
        return { content: [{ type: 'text' as const, text }], ...(text.startsWith('{"error"') ? { isError: true } : {}) };
      },
    );
  }

  const transport = new StdioServerTransport(io.stdin as never, io.stdout as never);
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));
  transport.onclose = () => finish(McpExit.Ok);
  const stdin = io.stdin ?? process.stdin;
  stdin.once('end', () => finish(McpExit.Ok));
  const onSignal = () => finish(McpExit.Ok);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await server.connect(transport);
  log(`ready (MCP over stdio; ${AI_TOOLS.length} tools; root ${opts.root})`);

  const code = await done;
  closing = true; // loads still running fail as the worker stops: nothing to report
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  try {
    await server.close();
  } catch {
    // already closed
  }
  const c = collector as CollectorHandle | undefined;
  if (c && !c.stopped) await c.stop(1000).catch(() => undefined);
  sites.dispose();
  await client.dispose();
  restoreConsole();
  return code;
}

/** Sends console.log/info/debug to stderr until the returned function is called. */
function pointConsoleAtStderr(): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug };
  const toStderr = (...a: unknown[]) => console.error(...a);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  return () => Object.assign(console, saved);
}
