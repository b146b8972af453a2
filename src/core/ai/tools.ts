// The four AI tools (issue 13 §3-4): list_traces, get_trace, get_spans, function_stats. One
// implementation shared by the VS Code chat tools (run in the catalog's worker, ../catalog/serve.ts
// `aiTool`) and `spanlens mcp` (src/cli/mcp.ts, which calls the same worker).
//
// Every result is one compact JSON object (a string) that stays under AI_RESULT_MAX_CHARS (8k tokens
// at ~4 characters a token): lists are capped, long strings clipped, and "omitted" says what was
// left out and which tool and arguments give more. Bad input is answered with {"error": "..."},
// never a throw.
//
// Redaction: every string that comes from trace data (span, event and service names, attribute
// values, status and exception messages, warnings) goes through a redactor built from the default
// rules plus the caller's RedactionRules; nothing in a tool's input can turn it off. Clipping
// happens after redaction, so a secret is never cut into a piece the rules no longer recognise.
// Searches (get_spans "query") are checked against the redacted text too, so a query cannot be used
// to probe a redacted value character by character.
import { randomBytes } from 'crypto';
import type { AttrValue, Attributes, Span, Trace } from '../model/model';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, StatusCode } from '../model/model';
import { formatAttrValue, toPlain } from '../model/attributes';
import { formatEpochNanos } from '../model/time';
import { traceArrays } from '../model/traceArrays';
import { criticalPath } from '../analysis/criticalPath';
import { selfTimeNs } from '../analysis/selfTime';
import { buildWaterfall } from '../view/waterfall';
import { parseTextQuery, searchTrace, type TextCondition } from '../view/search';
import { spanCodeInfo } from '../source/codeLocation';
import type { FunctionStats } from '../source/stats';
import { createRedactor, type RedactionRules } from '../redaction';
import type { WaterfallDto } from '../../shared/protocol';

export const AI_TOOL_NAMES = ['list_traces', 'get_trace', 'get_spans', 'function_stats'] as const;
export type AiToolName = (typeof AI_TOOL_NAMES)[number];

/** The JSON Schema subset the tools' inputs use (also what VS Code's languageModelTools take). */
export interface AiPropertySchema {
  readonly type: 'string' | 'integer' | 'boolean' | 'array';
  readonly description: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: { readonly type: 'string' };
  readonly maxItems?: number;
}

export interface AiInputSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, AiPropertySchema>>;
  readonly required?: readonly string[];
}

export interface AiToolDefinition {
  readonly name: AiToolName;
  readonly title: string;
  readonly description: string;
  /** JSON Schema of the input object. */
  readonly inputSchema: AiInputSchema;
}

/** Results stay under this many characters (8k tokens at ~4 characters a token). */
export const AI_RESULT_MAX_CHARS = 32_000;
/** What the builders aim for, leaving room for the transport's own framing. */
const BUDGET = 30_000;
/** get_spans returns at most this many spans per call. */
export const MAX_SPANS_PER_CALL = 20;

const TRACE_ID_PROP: AiPropertySchema = { type: 'string', description: 'Trace ID (hex) as list_traces gives it; a unique prefix of at least 6 characters also works.' };
const SOURCE_PROP: AiPropertySchema = { type: 'string', description: 'Only this source (a trace file path as list_traces names it, or "collector"); needed only when the same trace ID is in several sources.' };

export const AI_TOOLS: readonly AiToolDefinition[] = [
  {
    name: 'list_traces',
    title: 'List traces',
    description:
      'Lists the distributed traces loaded in Spanlens (open trace files and the dev collector): trace ID, root span name, root service, span count, error count, duration and source. Also lists sources that could not be read, with the reason. Start here to find a trace ID for get_trace.',
    inputSchema: {
      type: 'object',
      properties: {
        source: { type: 'string', description: 'Only traces whose source contains this text (a file name, or "collector").' },
        errorsOnly: { type: 'boolean', description: 'Only traces with at least one span with status ERROR.' },
        offset: { type: 'integer', minimum: 0, description: 'Skip this many traces (for the next page).' },
        limit: { type: 'integer', minimum: 1, maximum: 500, description: 'At most this many traces (default: as many as fit the output budget).' },
      },
    },
  },
  {
    name: 'get_trace',
    title: 'Get trace summary',
    description:
      'Summarises one trace: services, span and error counts, duration, the critical path (the spans the end-to-end latency waited on, with service, time on the path and code location), the errors with their messages and code locations, and the slowest spans. Code locations are workspace-relative "path:line". Says what it left out and how to get it (get_spans).',
    inputSchema: { type: 'object', properties: { traceId: TRACE_ID_PROP, source: SOURCE_PROP }, required: ['traceId'] },
  },
  {
    name: 'get_spans',
    title: 'Get span details',
    description:
      `Details of at most ${MAX_SPANS_PER_CALL} spans of one trace: name, service, kind, status, timing, self time, attributes, events (exceptions with stack traces), links and code location. Choose spans by ID (spanIds) or with a find-bar query: free text (case-insensitive, matches names, services, IDs, attribute keys and values), or key=value, key!=value, key=* (present), key!=* (absent), key="quoted value". Without either, spans are listed in tree order.`,
    inputSchema: {
      type: 'object',
      properties: {
        traceId: TRACE_ID_PROP,
        spanIds: { type: 'array', items: { type: 'string' }, maxItems: MAX_SPANS_PER_CALL, description: 'Span IDs (hex) as get_trace gives them.' },
        query: { type: 'string', description: 'Find-bar query, e.g. "timeout", "http.response.status_code=500", "db.system=*".' },
        errorsOnly: { type: 'boolean', description: 'Only spans with status ERROR (combines with query).' },
        offset: { type: 'integer', minimum: 0, description: 'Skip this many matching spans (for the next page).' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_SPANS_PER_CALL, description: `At most this many spans (default and maximum ${MAX_SPANS_PER_CALL}).` },
        source: SOURCE_PROP,
      },
      required: ['traceId'],
    },
  },
  {
    name: 'function_stats',
    title: 'Per-function latency',
    description:
      'The per-function latency table the Spanlens CodeLens shows, over the loaded traces: function, workspace-relative file and line, call count, p50 and p95 duration in ms, and error count; functions with the most total time first.',
    inputSchema: {
      type: 'object',
      properties: {
        file: { type: 'string', description: 'Only functions in this file (workspace-relative path, or its end, e.g. "src/orders.ts").' },
        offset: { type: 'integer', minimum: 0, description: 'Skip this many rows (for the next page).' },
        limit: { type: 'integer', minimum: 1, maximum: 500, description: 'At most this many rows (default: as many as fit the output budget).' },
      },
    },
  },
];

/** A trace as list_traces shows it, for sources that do not hold built traces (the collector's store). */
export interface AiTraceSummary {
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly durationNs: number;
}

export interface AiTraceSource {
  /** Shown as "source": a (workspace-relative) file path, or "collector". */
  readonly source: string;
  readonly traces?: readonly Trace[];
  /** Why the source could not be read; list_traces reports it. */
  readonly error?: string;
  /** For a store that builds traces on demand: the summaries, without building any trace. */
  summaries?(): readonly AiTraceSummary[];
  /** For a store that builds traces on demand: one trace. */
  getTrace?(traceId: string): Trace | undefined;
}

export interface AiToolContext {
  sources(): readonly AiTraceSource[];
  functionStats(): readonly FunctionStats[] | Promise<readonly FunctionStats[]>;
  /** Workspace-relative path for display. */
  relativePath(file: string): string;
  /**
   * Code location of a span as the editor resolves it (code.* attributes / stack, source maps), if
   * known. Without it the location recorded on the span is shown (see recordedCodeLocation).
   */
  codeLocation?(span: Span): { file: string; line?: number } | undefined | Promise<{ file: string; line?: number } | undefined>;
  /** The user's redaction rules: they add to the defaults (or allow keys the user chose), never remove them. */
  rules?: RedactionRules;
}

/** A per-process key, so a redacted value reads the same in every result of one session. */
const HMAC_KEY = new Uint8Array(randomBytes(32));

/** Runs one tool; resolves with one compact JSON object. Never throws. */
export async function runAiTool(name: string, input: unknown, ctx: AiToolContext): Promise<string> {
  try {
    if (!(AI_TOOL_NAMES as readonly string[]).includes(name)) {
      return errorJson(`unknown tool "${name}"; the tools are ${AI_TOOL_NAMES.join(', ')}`);
    }
    if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
      return errorJson(`${name} takes a JSON object as input`);
    }
    const args = (input ?? {}) as Record<string, unknown>;
    const red = new OutputRedactor(createRedactor({ ...(ctx.rules ?? {}), hmacKey: HMAC_KEY }));
    switch (name as AiToolName) {
      case 'list_traces':
        return listTraces(args, ctx, red);
      case 'get_trace':
        return await getTrace(args, ctx, red);
      case 'get_spans':
        return await getSpans(args, ctx, red);
      case 'function_stats':
        return await functionStats(args, ctx, red);
    }
  } catch (e) {
    if (e instanceof InputError) return errorJson(e.message);
    return errorJson(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  return errorJson(`unknown tool "${name}"`);
}

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

class InputError extends Error {}

function errorJson(message: string): string {
  return JSON.stringify({ error: message });
}

function optString(args: Record<string, unknown>, key: string): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new InputError(`"${key}" must be a string`);
  return v;
}

function optBool(args: Record<string, unknown>, key: string): boolean {
  const v = args[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new InputError(`"${key}" must be true or false`);
  return v;
}

function optInt(args: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = args[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new InputError(`"${key}" must be a whole number from ${min} to ${max}`);
  return v;
}

function requiredTraceId(tool: string, args: Record<string, unknown>): string {
  const v = args.traceId;
  if (typeof v !== 'string' || !v.trim()) throw new InputError(`${tool} needs {"traceId": "<trace ID>"}; list_traces gives the IDs`);
  return v.trim();
}

// ---------------------------------------------------------------------------------------------
// Redaction and output helpers
// ---------------------------------------------------------------------------------------------

type Redactor = ReturnType<typeof createRedactor>;

/** The redactor, with repeated strings (span names, services) redacted once per call. */
class OutputRedactor {
  private readonly cache = new Map<string, string>();

  constructor(private readonly r: Redactor) {}

  str(s: string | undefined, key?: string): string {
    if (!s) return '';
    const k = (key ?? '') + '\u0000' + s;
    let out = this.cache.get(k);
    if (out === undefined) {
      out = this.r.string(s, key);
      if (this.cache.size < 50_000) this.cache.set(k, out);
    }
    return out;
  }

  /** An attribute value, redacted, as plain JSON (bigint to number when safe, bytes as base64). */
  value(v: AttrValue, key: string): unknown {
    if (typeof v === 'string') return this.str(v, key);
    return toPlain(this.r.value(v, key));
  }

  /** Whether redaction leaves this value as it is. */
  unchanged(v: AttrValue, key: string): boolean {
    if (typeof v === 'string') return this.str(v, key) === v;
    return formatAttrValue(this.r.value(v, key)) === formatAttrValue(v);
  }

  /** Trace and span ids are structural (hex); a non-hex id kept verbatim by an importer is redacted like any text. */
  id(id: string): string {
    return /^[0-9a-f]+$/i.test(id) ? id : this.str(id);
  }

  total(): number {
    return this.r.total();
  }
}

/** Cuts a (redacted) string to n characters. */
function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, Math.max(1, n - 1)) + '…';
}

const ms = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 1e3) / 1e3 : 0);

function spanDurationNs(s: Span): number {
  if (s.startTimeUnixNano <= 0n) return 0;
  const d = Number(s.endTimeUnixNano - s.startTimeUnixNano);
  return d > 0 ? d : 0;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The first build (from the most generous level down) whose JSON fits the budget. */
function fit(levels: number, build: (level: number) => object): string {
  let text = '';
  for (let level = 0; level < levels; level++) {
    text = JSON.stringify(build(level));
    if (text.length <= BUDGET) return text;
  }
  // Nothing fitted (pathological input): say so rather than overrun the budget.
  return JSON.stringify({ error: `the result does not fit the output budget of ${AI_RESULT_MAX_CHARS} characters even when shortened`, omitted: 'everything' });
}

/** The location the span itself records (code.*, stack traces), as "path:line" with a workspace-relative path. */
export function recordedCodeLocation(span: Span): { file: string; line?: number } | undefined {
  const info = spanCodeInfo(span);
  const c = info.candidates.find((x) => !x.library) ?? info.candidates[0];
  return c ? { file: c.file, line: c.line } : undefined;
}

async function codeText(ctx: AiToolContext, span: Span): Promise<string | undefined> {
  let loc: { file: string; line?: number } | undefined;
  try {
    loc = ctx.codeLocation ? await ctx.codeLocation(span) : recordedCodeLocation(span);
  } catch {
    loc = undefined;
  }
  if (!loc) return undefined;
  const file = ctx.relativePath(loc.file);
  return loc.line !== undefined ? `${file}:${loc.line}` : file;
}

/** Code locations of the given spans, resolved once each. */
async function codeLocations(ctx: AiToolContext, trace: Trace, indices: Iterable<number>): Promise<Map<number, string | undefined>> {
  const out = new Map<number, string | undefined>();
  for (const i of indices) if (!out.has(i)) out.set(i, await codeText(ctx, trace.spans[i]));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Finding traces
// ---------------------------------------------------------------------------------------------

function summaryOf(t: Trace): AiTraceSummary {
  return { traceId: t.traceId, rootName: t.rootName, rootService: t.rootService, spanCount: t.spans.length, errorCount: t.errorCount, durationNs: t.durationNs };
}

function sourceSummaries(s: AiTraceSource): readonly AiTraceSummary[] {
  if (s.summaries) return s.summaries();
  return (s.traces ?? []).map(summaryOf);
}

function traceOf(s: AiTraceSource, traceId: string): Trace | undefined {
  if (s.getTrace) return s.getTrace(traceId);
  return s.traces?.find((t) => t.traceId === traceId);
}

interface FoundTrace {
  readonly trace: Trace;
  readonly source: string;
  /** Other sources holding the same trace id. */
  readonly alsoIn: string[];
}

function findTrace(ctx: AiToolContext, rawId: string, sourceFilter: string | undefined): FoundTrace {
  const id = rawId.toLowerCase();
  const sources = ctx.sources().filter((s) => !s.error && (!sourceFilter || s.source === sourceFilter || s.source.includes(sourceFilter)));
  if (sourceFilter && !sources.length) throw new InputError(`no readable source matches "${sourceFilter}"; list_traces names the sources`);
  const holders: { s: AiTraceSource; id: string }[] = [];
  for (const s of sources) {
    for (const sum of sourceSummaries(s)) {
      if (sum.traceId === rawId || sum.traceId.toLowerCase() === id) holders.push({ s, id: sum.traceId });
    }
  }
  if (!holders.length && id.length >= 6) {
    // A unique prefix.
    const ids = new Map<string, AiTraceSource[]>();
    for (const s of sources) for (const sum of sourceSummaries(s)) if (sum.traceId.toLowerCase().startsWith(id)) ids.set(sum.traceId, [...(ids.get(sum.traceId) ?? []), s]);
    if (ids.size > 1) throw new InputError(`the trace ID prefix "${rawId}" matches ${ids.size} traces (${[...ids.keys()].slice(0, 5).join(', ')}${ids.size > 5 ? ', …' : ''}); give more characters`);
    for (const [tid, list] of ids) for (const s of list) holders.push({ s, id: tid });
  }
  for (const h of holders) {
    const trace = traceOf(h.s, h.id);
    if (trace) return { trace, source: h.s.source, alsoIn: holders.filter((x) => x.s !== h.s).map((x) => x.s.source) };
  }
  throw new InputError(`no trace "${rawId}" in the loaded sources${sourceFilter ? ` matching "${sourceFilter}"` : ''}; call list_traces for the trace IDs`);
}

// ---------------------------------------------------------------------------------------------
// list_traces
// ---------------------------------------------------------------------------------------------

function listTraces(args: Record<string, unknown>, ctx: AiToolContext, red: OutputRedactor): string {
  const sourceFilter = optString(args, 'source');
  const errorsOnly = optBool(args, 'errorsOnly');
  const offset = optInt(args, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = optInt(args, 'limit', 1, 500);

  const sources = ctx.sources();
  const seen = new Set<string>();
  const rows: { sum: AiTraceSummary; source: string }[] = [];
  const sourceRows: { source: string; traceCount?: number; error?: string }[] = [];
  for (const s of sources) {
    if (s.error !== undefined) {
      sourceRows.push({ source: s.source, error: red.str(s.error) });
      continue;
    }
    const list = sourceSummaries(s);
    sourceRows.push({ source: s.source, traceCount: list.length });
    if (sourceFilter && !s.source.includes(sourceFilter)) continue;
    for (const sum of list) {
      // A trace id counts once (as in the statistics): the first source that holds it.
      if (seen.has(sum.traceId)) continue;
      seen.add(sum.traceId);
      if (errorsOnly && !sum.errorCount) continue;
      rows.push({ sum, source: s.source });
    }
  }

  const page = rows.slice(offset, limit !== undefined ? offset + limit : undefined);
  const entries: object[] = [];
  let chars = 0;
  const sourcesJson = JSON.stringify(sourceRows.slice(0, 100));
  const room = BUDGET - 600 - Math.min(sourcesJson.length, 8000);
  for (const { sum, source } of page) {
    const e = {
      traceId: red.id(sum.traceId),
      rootName: clip(red.str(sum.rootName), 160),
      rootService: clip(red.str(sum.rootService, 'service.name'), 80),
      spanCount: sum.spanCount,
      errorCount: sum.errorCount,
      durationMs: ms(sum.durationNs),
      source,
    };
    const len = JSON.stringify(e).length + 1;
    if (chars + len > room) break;
    chars += len;
    entries.push(e);
  }
  const notes: string[] = [];
  const shownEnd = offset + entries.length;
  if (shownEnd < rows.length) notes.push(`${rows.length - shownEnd} more trace(s) after these: call list_traces with {"offset": ${shownEnd}}${sourceFilter || errorsOnly ? ' and the same filters' : ''}`);
  if (offset > 0) notes.push(`the first ${Math.min(offset, rows.length)} trace(s) were skipped (offset)`);
  let sourcesOut: object[] = sourceRows;
  if (sourcesJson.length > 8000 || sourceRows.length > 100) {
    // Many files: keep the failed ones first, then the others, within the budget.
    const failed = sourceRows.filter((r) => r.error !== undefined);
    const ok = sourceRows.filter((r) => r.error === undefined);
    sourcesOut = [];
    let c = 0;
    for (const r of [...failed, ...ok]) {
      const len = JSON.stringify(r).length + 1;
      if (c + len > 7000) break;
      c += len;
      sourcesOut.push(r);
    }
    notes.push(`${sourceRows.length - sourcesOut.length} of ${sourceRows.length} sources not listed`);
  }
  if (!sources.length) notes.push('no trace source is loaded: open a trace file in Spanlens, start the dev collector, or pass files/directories to spanlens mcp');
  const out = {
    traces: entries,
    total: rows.length,
    sources: sourcesOut,
    omitted: notes.length ? notes.join('; ') : 'nothing',
    ...(red.total() ? { redacted: red.total() } : {}),
  };
  return fit(1, () => out);
}

// ---------------------------------------------------------------------------------------------
// get_trace
// ---------------------------------------------------------------------------------------------

interface ErrorGroup {
  readonly name: string;
  readonly service: string;
  readonly message: string;
  /** Earliest start of its spans, ns from the trace start. */
  firstNs: number;
  readonly spanIndices: number[];
  count: number;
}

/** The message of a failed span: its status message, else the exception event's type and message. */
function errorMessageOf(s: Span, red: OutputRedactor): string {
  const parts: string[] = [];
  if (s.status.message) parts.push(red.str(s.status.message, 'status.message'));
  for (const ev of s.events) {
    if (ev.name !== 'exception') continue;
    let type: string | undefined;
    let message: string | undefined;
    for (const a of ev.attributes) {
      if (a.key === 'exception.type') type = red.str(formatAttrValue(a.value), a.key);
      else if (a.key === 'exception.message') message = red.str(formatAttrValue(a.value), a.key);
    }
    const text = [type, message].filter(Boolean).join(': ');
    if (text && !parts.includes(text) && !parts.some((p) => text.endsWith(p))) parts.push(text);
    break;
  }
  return parts.join(' — ');
}

const TRACE_LEVELS = [
  { path: 40, errors: 15, errorIds: 3, slow: 10, str: 300, services: 40 },
  { path: 25, errors: 10, errorIds: 2, slow: 10, str: 160, services: 25 },
  { path: 15, errors: 6, errorIds: 1, slow: 6, str: 100, services: 15 },
  { path: 8, errors: 3, errorIds: 1, slow: 3, str: 60, services: 8 },
];

async function getTrace(args: Record<string, unknown>, ctx: AiToolContext, red: OutputRedactor): Promise<string> {
  const traceId = requiredTraceId('get_trace', args);
  const found = findTrace(ctx, traceId, optString(args, 'source'));
  const trace = found.trace;
  const spans = trace.spans;
  const n = spans.length;
  const top = TRACE_LEVELS[0];

  // Critical path: the longest segments, shown in time order.
  const segments = criticalPath(trace);
  const byLength = segments.map((_, k) => k).sort((a, b) => segments[b].endNs - segments[b].startNs - (segments[a].endNs - segments[a].startNs) || a - b);
  const pathNs = segments.reduce((t, s) => t + (s.endNs - s.startNs), 0);
  const pathSpans = new Set(segments.map((s) => s.spanIndex)).size;

  // Errors, grouped by service, name and message, in the order they first happened.
  const { startNs } = traceArrays(trace);
  const groups = new Map<string, ErrorGroup>();
  let errorSpans = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    if (s.status.code !== StatusCode.Error) continue;
    errorSpans++;
    const name = red.str(s.name);
    const service = red.str(s.resource.serviceName, 'service.name');
    const message = errorMessageOf(s, red);
    const key = `${service}\u0000${name}\u0000${message}`;
    const at = startNs[i] || 0;
    const g = groups.get(key);
    if (g) {
      g.count++;
      if (g.spanIndices.length < top.errorIds) g.spanIndices.push(i);
      if (at < g.firstNs) g.firstNs = at;
    } else groups.set(key, { name, service, message, firstNs: at, spanIndices: [i], count: 1 });
  }
  const errorGroups = [...groups.values()].sort((a, b) => a.firstNs - b.firstNs);
  // When messages differ span by span (ids, amounts in them), the groups say little: count by operation too.
  const byOperation = new Map<string, { service: string; name: string; count: number }>();
  for (const g of groups.values()) {
    const k = `${g.service}\u0000${g.name}`;
    const o = byOperation.get(k);
    if (o) o.count += g.count;
    else byOperation.set(k, { service: g.service, name: g.name, count: g.count });
  }
  const errorOperations = [...byOperation.values()].sort((a, b) => b.count - a.count);

  // Slowest spans: a partial selection, not a sort of the whole trace.
  const slowest = topByDuration(trace, top.slow);

  const need = new Set<number>();
  for (const k of byLength.slice(0, top.path)) need.add(segments[k].spanIndex);
  for (const g of errorGroups.slice(0, top.errors)) need.add(g.spanIndices[0]);
  for (const i of slowest) need.add(i);
  const code = await codeLocations(ctx, trace, need);

  const root = trace.roots[0];
  const base = {
    traceId: red.id(trace.traceId),
    source: found.source,
    rootName: red.str(trace.rootName),
    rootService: red.str(trace.rootService, 'service.name'),
    ...(root !== undefined ? { rootSpanId: red.id(spans[root].spanId) } : {}),
    startTime: n ? formatEpochNanos(trace.startTimeUnixNano) : undefined,
    durationMs: ms(trace.durationNs),
    spanCount: n,
    errorCount: trace.errorCount,
  };
  const services = trace.services.map((s) => red.str(s, 'service.name'));
  const warnings = trace.warnings.map((w) => red.str(w.message));

  return fit(TRACE_LEVELS.length, (level) => {
    const L = TRACE_LEVELS[level];
    const pick = byLength.slice(0, L.path).sort((a, b) => a - b);
    const criticalPathOut = pick.map((k) => {
      const seg = segments[k];
      const s = spans[seg.spanIndex];
      return {
        spanId: red.id(s.spanId),
        name: clip(red.str(s.name), L.str),
        service: clip(red.str(s.resource.serviceName, 'service.name'), 80),
        startOffsetMs: ms(seg.startNs),
        durationMs: ms(seg.endNs - seg.startNs),
        spanDurationMs: ms(spanDurationNs(s)),
        ...(code.get(seg.spanIndex) ? { code: code.get(seg.spanIndex) } : {}),
      };
    });
    const errorsOut = errorGroups.slice(0, L.errors).map((g) => ({
      name: clip(g.name, L.str),
      service: clip(g.service, 80),
      ...(g.message ? { message: clip(g.message, L.str * 2) } : {}),
      count: g.count,
      spanIds: g.spanIndices.slice(0, L.errorIds).map((i) => red.id(spans[i].spanId)),
      ...(code.get(g.spanIndices[0]) ? { code: code.get(g.spanIndices[0]) } : {}),
    }));
    const slowestOut = slowest.slice(0, L.slow).map((i) => {
      const s = spans[i];
      return {
        spanId: red.id(s.spanId),
        name: clip(red.str(s.name), L.str),
        service: clip(red.str(s.resource.serviceName, 'service.name'), 80),
        durationMs: ms(spanDurationNs(s)),
        selfMs: ms(selfTimeNs(trace, i)),
        ...(s.status.code === StatusCode.Error ? { error: true } : {}),
        ...(code.get(i) ? { code: code.get(i) } : {}),
      };
    });

    const notes: string[] = [];
    const q = (o: object) => JSON.stringify({ traceId: trace.traceId, ...o });
    if (segments.length > pick.length) {
      notes.push(
        `criticalPath: ${segments.length - pick.length} of ${segments.length} segments left out (the ${pick.length} longest are shown, in time order; the path covers ${ms(pathNs)} ms over ${plural(pathSpans, 'span')})`,
      );
    }
    const opsShown = Math.min(errorOperations.length, L.errors);
    if (errorGroups.length > errorsOut.length) {
      notes.push(
        `errors: ${errorGroups.length - errorsOut.length} of ${errorGroups.length} error groups (same service, name and message) left out; errorsByOperation counts every error span by service and name` +
          (errorOperations.length > opsShown ? ` (the ${opsShown} most frequent of ${errorOperations.length})` : ''),
      );
    }
    if (errorSpans > 0) notes.push(`every error span: get_spans ${q({ errorsOnly: true })} (add "offset" for the next page)`);
    if (n > slowestOut.length) notes.push(`slowest: the top ${slowestOut.length} of ${plural(n, 'span')}`);
    if (services.length > L.services) notes.push(`services: ${services.length - L.services} of ${services.length} left out`);
    if (warnings.length > 5) notes.push(`warnings: ${warnings.length - 5} of ${warnings.length} left out`);
    if (level > 0 || [...criticalPathOut, ...errorsOut, ...slowestOut].some((e) => /…/.test(JSON.stringify(e)))) notes.push('long names and messages were shortened');
    notes.push(`attributes, events and stack traces of any span: get_spans ${q({ spanIds: ['<spanId>'] })}; spans by text or attribute: get_spans ${q({ query: 'key=value' })}`);
    if (found.alsoIn.length) notes.push(`the same trace ID is also in ${found.alsoIn.join(', ')} (pass "source" to choose)`);

    return {
      ...base,
      services: services.slice(0, L.services),
      criticalPath: criticalPathOut,
      errors: errorsOut,
      ...(errorGroups.length > errorsOut.length ? { errorsByOperation: errorOperations.slice(0, opsShown).map((o) => ({ service: clip(o.service, 80), name: clip(o.name, L.str), count: o.count })) } : {}),
      slowest: slowestOut,
      ...(warnings.length ? { warnings: warnings.slice(0, 5).map((w) => clip(w, L.str)) } : {}),
      omitted: notes.join('; '),
      ...(red.total() ? { redacted: red.total() } : {}),
    };
  });
}

/** Indices of the k longest spans, longest first (ties: earlier span first). */
function topByDuration(trace: Trace, k: number): number[] {
  const spans = trace.spans;
  const best: { i: number; d: number }[] = [];
  for (let i = 0; i < spans.length; i++) {
    const d = spanDurationNs(spans[i]);
    if (best.length === k && d <= best[best.length - 1].d) continue;
    let pos = best.length;
    while (pos > 0 && best[pos - 1].d < d) pos--;
    best.splice(pos, 0, { i, d });
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.i);
}

// ---------------------------------------------------------------------------------------------
// get_spans
// ---------------------------------------------------------------------------------------------

const waterfalls = new WeakMap<Trace, WaterfallDto>();

function waterfallOf(trace: Trace): WaterfallDto {
  let wf = waterfalls.get(trace);
  if (!wf) waterfalls.set(trace, (wf = buildWaterfall(trace, 0)));
  return wf;
}

const spanIdIndex = new WeakMap<Trace, Map<string, number>>();

function spanIndexById(trace: Trace, spanId: string): number | undefined {
  let m = spanIdIndex.get(trace);
  if (!m) {
    m = new Map();
    for (let i = 0; i < trace.spans.length; i++) {
      const id = trace.spans[i].spanId;
      if (!m.has(id)) m.set(id, i);
      const lower = id.toLowerCase();
      if (!m.has(lower)) m.set(lower, i);
    }
    spanIdIndex.set(trace, m);
  }
  return m.get(spanId) ?? m.get(spanId.toLowerCase());
}

/** Search hits checked against the redacted text at most this many at a time. */
const MAX_VERIFIED = 20_000;

const SPAN_LEVELS = [
  { attrs: 64, value: 1000, events: 10, eventValue: 2000, resource: 40, spans: MAX_SPANS_PER_CALL },
  { attrs: 40, value: 400, events: 5, eventValue: 800, resource: 20, spans: MAX_SPANS_PER_CALL },
  { attrs: 24, value: 160, events: 3, eventValue: 300, resource: 10, spans: MAX_SPANS_PER_CALL },
  { attrs: 12, value: 80, events: 2, eventValue: 120, resource: 5, spans: MAX_SPANS_PER_CALL },
  { attrs: 8, value: 60, events: 1, eventValue: 80, resource: 0, spans: 10 },
  { attrs: 4, value: 40, events: 1, eventValue: 60, resource: 0, spans: 5 },
];

async function getSpans(args: Record<string, unknown>, ctx: AiToolContext, red: OutputRedactor): Promise<string> {
  const traceId = requiredTraceId('get_spans', args);
  const rawIds = args.spanIds;
  if (rawIds !== undefined && rawIds !== null && (!Array.isArray(rawIds) || rawIds.some((x) => typeof x !== 'string'))) throw new InputError('"spanIds" must be an array of span ID strings');
  const spanIds = ((rawIds as string[] | undefined | null) ?? []).map((s) => s.trim()).filter(Boolean);
  if (spanIds.length > MAX_SPANS_PER_CALL) throw new InputError(`"spanIds" takes at most ${MAX_SPANS_PER_CALL} IDs per call`);
  const query = optString(args, 'query');
  const errorsOnly = optBool(args, 'errorsOnly');
  const offset = optInt(args, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = optInt(args, 'limit', 1, MAX_SPANS_PER_CALL) ?? MAX_SPANS_PER_CALL;
  const found = findTrace(ctx, traceId, optString(args, 'source'));
  const trace = found.trace;

  let chosen: number[];
  let matched: number;
  let matchedText: string;
  const notFound: string[] = [];
  let moreNote: string | undefined;
  if (spanIds.length) {
    chosen = [];
    for (const id of spanIds) {
      const i = spanIndexById(trace, id);
      if (i === undefined) notFound.push(id);
      else if (!chosen.includes(i) && (!errorsOnly || trace.spans[i].status.code === StatusCode.Error)) chosen.push(i);
    }
    matched = chosen.length;
    matchedText = `${matched} of the ${spanIds.length} requested span IDs`;
    chosen = chosen.slice(offset, offset + limit);
  } else {
    const wf = waterfallOf(trace);
    let rows: ArrayLike<number>;
    const cond = parseTextQuery(query);
    if (cond.kind === 'none' && !errorsOnly) {
      rows = wf.spanIndex; // every span, in tree order
    } else {
      const hits = searchTrace(trace, wf, { text: query, errorsOnly }).rows;
      rows = Array.from(hits, (r) => wf.spanIndex[r]);
    }
    // Keep only hits that still match once redacted (a query must not probe redacted values).
    const verified: number[] = [];
    let checked = 0;
    const needVerify = cond.kind === 'text' || (cond.kind === 'attr' && cond.value !== undefined && !cond.negate);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k];
      if (needVerify) {
        if (checked >= MAX_VERIFIED) break;
        checked++;
        if (!matchesRedacted(trace, i, cond, red)) continue;
      }
      verified.push(i);
    }
    const stoppedEarly = needVerify && checked < rows.length;
    matched = verified.length;
    const what = [query ? `query ${JSON.stringify(query)}` : '', errorsOnly ? 'status ERROR' : ''].filter(Boolean).join(' and ') || 'all spans';
    matchedText = `${stoppedEarly ? 'at least ' : ''}${matched} span(s) match ${what}`;
    if (stoppedEarly) moreNote = `only the first ${MAX_VERIFIED} candidates were checked; narrow the query to see the rest`;
    chosen = verified.slice(offset, offset + limit);
  }

  const code = await codeLocations(ctx, trace, chosen);
  const t0 = trace.startTimeUnixNano;
  return fit(SPAN_LEVELS.length, (level) => {
    const L = SPAN_LEVELS[level];
    const shown = chosen.slice(0, L.spans);
    const resources: Record<string, Record<string, unknown>> = {};
    let resourceCut = false;
    let attrCut = false;
    let eventCut = false;
    const spansOut = shown.map((i) => {
      const s = trace.spans[i];
      const service = red.str(s.resource.serviceName, 'service.name');
      if (L.resource && !(service in resources)) {
        resources[service] = attributesObject(s.resource.attributes, L.resource, L.value, red);
        if (s.resource.attributes.length > L.resource) resourceCut = true;
      }
      if (s.attributes.length > L.attrs) attrCut = true;
      if (s.events.length > L.events) eventCut = true;
      const noStart = s.startTimeUnixNano <= 0n;
      const status = STATUS_CODE_NAMES[s.status.code] ?? 'UNSET';
      const p = trace.parentIndex[i];
      return {
        spanId: red.id(s.spanId),
        ...(s.parentSpanId ? { parentSpanId: red.id(s.parentSpanId) } : {}),
        ...(p >= 0 ? { parentName: clip(red.str(trace.spans[p].name), 120) } : {}),
        name: clip(red.str(s.name), 300),
        service,
        kind: SPAN_KIND_NAMES[s.kind] ?? 'UNSPECIFIED',
        status,
        ...(s.status.message ? { statusMessage: clip(red.str(s.status.message, 'status.message'), L.eventValue) } : {}),
        startOffsetMs: noStart ? 0 : ms(Number(s.startTimeUnixNano - t0)),
        durationMs: ms(spanDurationNs(s)),
        selfMs: ms(selfTimeNs(trace, i)),
        ...(code.get(i) ? { code: code.get(i) } : {}),
        ...(trace.children[i].length ? { children: trace.children[i].length } : {}),
        attributes: attributesObject(s.attributes, L.attrs, L.value, red),
        ...(s.events.length
          ? {
              events: s.events.slice(0, L.events).map((ev) => ({
                name: clip(red.str(ev.name), 200),
                offsetMs: ms(Number(ev.timeUnixNano - t0)),
                ...(ev.attributes.length ? { attributes: attributesObject(ev.attributes, L.attrs, L.eventValue, red) } : {}),
              })),
            }
          : {}),
        ...(s.links.length ? { links: s.links.slice(0, 10).map((l) => ({ traceId: red.id(l.traceId), spanId: red.id(l.spanId), ...(l.refType ? { refType: l.refType } : {}) })) } : {}),
      };
    });
    const notes: string[] = [];
    const shownEnd = offset + shown.length;
    if (shownEnd < matched) {
      const next = { traceId: trace.traceId, ...(spanIds.length ? { spanIds } : {}), ...(query ? { query } : {}), ...(errorsOnly ? { errorsOnly } : {}), offset: shownEnd };
      notes.push(`${matched - shownEnd} more matching span(s): get_spans ${JSON.stringify(next)}`);
    }
    if (moreNote) notes.push(moreNote);
    if (attrCut) notes.push(`spans with more than ${L.attrs} attributes show the first ${L.attrs}`);
    if (eventCut) notes.push(`spans with more than ${L.events} events show the first ${L.events}`);
    if (resourceCut || !L.resource) notes.push(L.resource ? `resources show the first ${L.resource} attributes` : 'resource attributes left out');
    if (level > 0) notes.push(`long values were shortened to fit the output budget; ask for fewer spans (spanIds) for more of each`);
    if (notFound.length) notes.push(`span IDs not in this trace: ${notFound.slice(0, 20).map((x) => red.id(x)).join(', ')}`);
    return {
      traceId: red.id(trace.traceId),
      source: found.source,
      matched: matchedText,
      spans: spansOut,
      ...(Object.keys(resources).length ? { resources } : {}),
      omitted: notes.length ? notes.join('; ') : 'nothing',
      ...(red.total() ? { redacted: red.total() } : {}),
    };
  });
}

/** Attributes as one object (key -> plain value), redacted, at most `max` of them, long values clipped. */
function attributesObject(attrs: Attributes, max: number, valueChars: number, red: OutputRedactor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.min(attrs.length, max);
  for (let k = 0; k < n; k++) {
    const a = attrs[k];
    let v = red.value(a.value, a.key);
    if (typeof v === 'string') v = clip(v, valueChars);
    else if (v !== null && typeof v === 'object') {
      const text = JSON.stringify(v);
      if (text.length > valueChars) v = clip(text, valueChars);
    }
    out[a.key] = v;
  }
  return out;
}

/** Whether span i still matches the query once its text is redacted. */
function matchesRedacted(trace: Trace, i: number, cond: TextCondition, red: OutputRedactor): boolean {
  const s = trace.spans[i];
  if (cond.kind === 'none') return true;
  if (cond.kind === 'text') {
    const needle = cond.needle;
    const has = (t: string) => t.toLowerCase().includes(needle);
    if (has(red.str(s.name)) || has(red.id(s.spanId)) || has(red.str(s.resource.serviceName, 'service.name'))) return true;
    const attrHit = (attrs: Attributes) => attrs.some((a) => has(a.key) || has(formatAttrValue(red.value(a.value, a.key) as AttrValue)));
    if (attrHit(s.attributes) || attrHit(s.resource.attributes)) return true;
    return s.events.some((ev) => has(red.str(ev.name)) || attrHit(ev.attributes));
  }
  // Presence, absence and inequality name a key (keys are not redacted) or need the whole value: as searched.
  if (cond.value === undefined || cond.negate) return true;
  const wanted = cond.value;
  const hit = (attrs: Attributes) => attrs.some((a) => a.key === cond.key && sameValue(a.value, wanted) && red.unchanged(a.value, a.key));
  return hit(s.attributes) || hit(s.resource.attributes) || s.events.some((ev) => hit(ev.attributes));
}

function sameValue(v: AttrValue, wanted: string): boolean {
  if (formatAttrValue(v) === wanted || (typeof v === 'string' && v === wanted)) return true;
  if ((typeof v === 'number' || typeof v === 'bigint') && wanted.trim() !== '') return Number(v) === Number(wanted);
  if (typeof v === 'boolean') return String(v) === wanted;
  return false;
}

// ---------------------------------------------------------------------------------------------
// function_stats
// ---------------------------------------------------------------------------------------------

async function functionStats(args: Record<string, unknown>, ctx: AiToolContext, red: OutputRedactor): Promise<string> {
  const fileFilter = optString(args, 'file')?.replace(/\\/g, '/');
  const offset = optInt(args, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = optInt(args, 'limit', 1, 500);
  const all = await ctx.functionStats();
  const rows = all
    .map((f) => ({ f, file: ctx.relativePath(f.file).replace(/\\/g, '/') }))
    .filter(({ file }) => !fileFilter || file === fileFilter || file.endsWith('/' + fileFilter.replace(/^\.?\//, '')) || file.includes(fileFilter))
    .sort((a, b) => b.f.count * b.f.meanNs - a.f.count * a.f.meanNs || a.file.localeCompare(b.file) || (a.f.line ?? 0) - (b.f.line ?? 0));
  const page = rows.slice(offset, limit !== undefined ? offset + limit : undefined);
  const out: object[] = [];
  let chars = 0;
  for (const { f, file } of page) {
    const e = {
      function: clip(red.str(f.function, 'code.function.name'), 200),
      file,
      line: f.line ?? null,
      count: f.count,
      p50Ms: ms(f.p50Ns),
      p95Ms: ms(f.p95Ns),
      errors: f.errors,
    };
    const len = JSON.stringify(e).length + 1;
    if (chars + len > BUDGET - 800) break;
    chars += len;
    out.push(e);
  }
  const notes: string[] = [];
  const end = offset + out.length;
  if (end < rows.length) notes.push(`${rows.length - end} more function(s): call function_stats with {${fileFilter ? `"file": ${JSON.stringify(fileFilter)}, ` : ''}"offset": ${end}}`);
  if (!all.length) notes.push('no span of the loaded traces has a code location that resolves to a workspace file (code.file.path / code.filepath, code.stacktrace); get_trace still shows every span');
  else if (!rows.length && fileFilter) notes.push(`no function in a file matching "${fileFilter}"`);
  return fit(1, () => ({
    functions: out,
    total: rows.length,
    omitted: notes.length ? notes.join('; ') : 'nothing',
    ...(red.total() ? { redacted: red.total() } : {}),
  }));
}
