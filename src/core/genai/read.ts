// Reads one span as a GenAI call through the table (table.ts): kind, operation, provider, models,
// tokens by kind, time to first token, tool call, and (on request) the messages. Spans that are not
// GenAI cost a key-prefix check (a byte search on lazily decoded spans), never a full read.
import type { AttrValue, Span } from '../model/model';
import { formatAttrValue } from '../model/attributes';
import { FIELD_ROWS, KEY_PREFIXES, KIND_ROWS, type FieldRow, type GenAiDialect, type GenAiField, type GenAiKind } from './table';
import { plainOf, asText, readMessages, type GenAiMessage } from './messages';

export interface GenAiTokens {
  readonly input?: number;
  readonly output?: number;
  /** Input tokens served from a provider cache (included in `input`, as the conventions say). */
  readonly cachedInput?: number;
  /** Input tokens written to a provider cache. */
  readonly cacheWriteInput?: number;
  /** Output tokens spent on reasoning (included in `output`). */
  readonly reasoning?: number;
  /** As recorded; not computed. */
  readonly total?: number;
}

export interface GenAiTool {
  readonly name?: string;
  readonly callId?: string;
  readonly arguments?: string;
  readonly result?: string;
}

export interface GenAiSpan {
  /** undefined: a GenAI span with no icon of its own (chain, workflow, Vercel's outer generateText). */
  readonly kind?: GenAiKind;
  readonly operation?: string;
  readonly provider?: string;
  readonly requestModel?: string;
  readonly responseModel?: string;
  readonly tokens: GenAiTokens;
  readonly timeToFirstTokenMs?: number;
  readonly tool?: GenAiTool;
  readonly agent?: { readonly name?: string; readonly id?: string };
  readonly dataSourceId?: string;
  readonly conversationId?: string;
  /** Only with `{ messages: true }`. */
  readonly messages?: readonly GenAiMessage[];
  /** The dialects whose keys were read, in table order. */
  readonly dialects: readonly GenAiDialect[];
}

const ROW_OF = new Map<string, { row: FieldRow; order: number }>(FIELD_ROWS.map((row, order) => [row.key, { row, order }]));
const KIND_OF = new Map<string, GenAiKind | null>(KIND_ROWS.map((k) => [`${k.field}\u0000${k.value}`, k.kind]));
/** For the byte search: 'ai.' also finds 'gen_ai.'. */
const NEEDLES: readonly string[] = ['ai.', 'llm.', 'openinference.', 'traceloop.'];

function hasGenAiKey(span: Span): boolean {
  for (const a of span.attributes) {
    const k = a.key;
    const c = k.charCodeAt(0);
    // g(en_ai.) l(lm.) a(i.) o(peninference.) t(raceloop.): most keys fail here, before any startsWith.
    if (c !== 103 && c !== 108 && c !== 97 && c !== 111 && c !== 116) continue;
    for (const p of KEY_PREFIXES) if (k.startsWith(p)) return true;
  }
  return false;
}

/** Cheap test whether a span may be a GenAI span (false: certainly not). */
export function mayBeGenAi(span: Span): boolean {
  const lazy = span as Span & { mayContainAttrText?: (n: readonly string[]) => boolean };
  if (typeof lazy.mayContainAttrText === 'function' && !lazy.mayContainAttrText(NEEDLES)) return false;
  return hasGenAiKey(span);
}

function num(v: AttrValue): number | undefined {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function text(v: AttrValue): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'object' && !(v instanceof Uint8Array)) return asText(plainOf(v));
  return formatAttrValue(v);
}

/** Undefined when the span is not a GenAI span. `messages`: also read the conversation (detail pane). */
export function readGenAi(span: Span, opts: { messages?: boolean } = {}): GenAiSpan | undefined {
  if (!mayBeGenAi(span)) return undefined;
  const best = new Map<GenAiField, { value: AttrValue; row: FieldRow; order: number }>();
  for (const a of span.attributes) {
    const hit = ROW_OF.get(a.key);
    if (!hit || a.value === null) continue;
    const prev = best.get(hit.row.field);
    if (!prev || hit.order < prev.order) best.set(hit.row.field, { value: a.value, row: hit.row, order: hit.order });
  }
  const s = (f: GenAiField) => {
    const b = best.get(f);
    return b ? text(b.value) : undefined;
  };
  const n = (f: GenAiField) => {
    const b = best.get(f);
    return b ? num(b.value) : undefined;
  };

  const operation = s('operation');
  const spanKind = s('spanKind');
  let kind: GenAiKind | null | undefined = operation !== undefined ? KIND_OF.get(`operation\u0000${operation}`) : undefined;
  if (kind === undefined && spanKind !== undefined) kind = KIND_OF.get(`spanKind\u0000${spanKind}`);
  const tokens: GenAiTokens = {
    ...opt('input', n('inputTokens')),
    ...opt('output', n('outputTokens')),
    ...opt('cachedInput', n('cachedInputTokens')),
    ...opt('cacheWriteInput', n('cacheWriteInputTokens')),
    ...opt('reasoning', n('reasoningTokens')),
    ...opt('total', n('totalTokens')),
  };
  const requestModel = s('requestModel');
  const responseModel = s('responseModel');
  if (kind === undefined) {
    // No recognised operation or span kind: infer from what the span carries.
    if (best.has('toolName')) kind = 'tool';
    else if (tokens.input !== undefined || tokens.output !== undefined || requestModel || responseModel) kind = 'model';
    else if (best.has('agentName')) kind = 'agent';
    else if (best.has('dataSourceId')) kind = 'retrieval';
  }

  const ttft = best.get('timeToFirstToken');
  const ttftRaw = ttft ? num(ttft.value) : undefined;
  const timeToFirstTokenMs = ttftRaw === undefined ? undefined : ttft!.row.unit === 's' ? ttftRaw * 1000 : ttftRaw;

  const isTool = kind === 'tool';
  const tool: GenAiTool | undefined =
    isTool || best.has('toolName')
      ? {
          ...opt('name', s('toolName') ?? (isTool ? s('entityName') : undefined)),
          ...opt('callId', s('toolCallId')),
          ...opt('arguments', s('toolArguments') ?? (isTool ? s('stepInput') : undefined)),
          ...opt('result', s('toolResult') ?? (isTool ? s('stepOutput') : undefined)),
        }
      : undefined;
  const agentName = s('agentName') ?? (kind === 'agent' ? s('entityName') : undefined);
  const agentId = s('agentId');

  const dialects = new Set<GenAiDialect>();
  for (const b of [...best.values()].sort((x, y) => x.order - y.order)) dialects.add(b.row.dialect);
  let messages: GenAiMessage[] | undefined;
  if (opts.messages) {
    const read = readMessages(span.attributes, span.events);
    messages = read.messages;
    for (const d of read.dialects) dialects.add(d);
    // A step's generic input/output (OpenInference input.value, Traceloop entity input) is the
    // conversation when nothing more specific was recorded (and the call's arguments on a tool span).
    if (!isTool) {
      const input = s('stepInput');
      const output = s('stepOutput');
      if (!messages.some((x) => x.role !== 'assistant') && input) messages.unshift({ role: 'user', content: input });
      if (!messages.some((x) => x.role === 'assistant') && output) messages.push({ role: 'assistant', content: output });
    }
  }
  if (!best.size && !messages?.length) return undefined;

  return {
    ...(kind ? { kind } : {}),
    ...opt('operation', operation),
    ...opt('provider', s('provider')),
    ...opt('requestModel', requestModel),
    ...opt('responseModel', responseModel),
    tokens,
    ...opt('timeToFirstTokenMs', timeToFirstTokenMs),
    ...(tool ? { tool } : {}),
    ...(agentName || agentId ? { agent: { ...opt('name', agentName), ...opt('id', agentId) } } : {}),
    ...opt('dataSourceId', s('dataSourceId')),
    ...opt('conversationId', s('conversationId')),
    ...(messages ? { messages } : {}),
    dialects: [...dialects],
  };
}

function opt<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}

/** Whether the span records token usage of its own. */
export function hasUsage(g: GenAiSpan): boolean {
  return g.tokens.input !== undefined || g.tokens.output !== undefined;
}

/** The model a call ran on: the response model (what served it), else the requested one. */
export function modelOf(g: GenAiSpan): string | undefined {
  return g.responseModel ?? g.requestModel;
}
