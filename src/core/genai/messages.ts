// Messages of a GenAI span, from whichever layout its dialect uses (see MessageFormat in table.ts),
// normalised to {role, content, toolCalls?, toolCallId?} with the content as text.
import type { AttrValue, Attributes, SpanEvent } from '../model/model';
import { formatAttrValue, getAttr, toPlain } from '../model/attributes';
import { EVENT_ROWS, MESSAGE_ROWS, type GenAiDialect, type MessageFormat, type MessageRow } from './table';

export type GenAiRole = 'system' | 'user' | 'assistant' | 'tool';

export interface GenAiToolCall {
  readonly id?: string;
  readonly name: string;
  readonly arguments?: string;
}

export interface GenAiMessage {
  readonly role: GenAiRole;
  readonly content: string;
  readonly toolCalls?: readonly GenAiToolCall[];
  /** On a tool result: the call it answers. */
  readonly toolCallId?: string;
}

type Side = MessageRow['side'];

const ROLE_ALIASES: Record<string, GenAiRole> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  bot: 'assistant',
  tool: 'tool',
  function: 'tool',
  ipython: 'tool',
};

function roleOf(v: unknown, side: Side): GenAiRole {
  const r = typeof v === 'string' ? ROLE_ALIASES[v.toLowerCase()] : undefined;
  return r ?? (side === 'system' ? 'system' : side === 'output' ? 'assistant' : 'user');
}

/** Text of any JSON-ish value: strings as they are, the rest as compact JSON. */
export function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

/** An attribute value as plain data: JSON strings parsed (when they look like JSON), AnyValue lists converted. */
export function plainOf(v: AttrValue): unknown {
  if (typeof v === 'string') {
    const t = v.trimStart();
    if (t.startsWith('[') || t.startsWith('{')) {
      try {
        return JSON.parse(v);
      } catch {
        return v;
      }
    }
    return v;
  }
  return toPlain(v);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : typeof v === 'string' ? v : asText(v));

function toolCallOf(o: Record<string, unknown>): GenAiToolCall | undefined {
  // semconv {id, name, arguments}; Vercel {toolCallId, toolName, input|args}; OpenAI {id, function: {name, arguments}}.
  const fn = isObj(o.function) ? o.function : undefined;
  const name = optStr(o.name ?? o.toolName ?? fn?.name);
  if (!name) return undefined;
  const id = optStr(o.id ?? o.toolCallId);
  const args = o.arguments ?? o.input ?? o.args ?? fn?.arguments;
  return { ...(id ? { id } : {}), name, ...(args !== undefined && args !== null ? { arguments: asText(args) } : {}) };
}

/** One part of a message (semconv parts, Vercel content parts): text to add, a tool call, or a tool result. */
function readPart(p: unknown, texts: string[], calls: GenAiToolCall[], result: { id?: string }): void {
  if (typeof p === 'string') {
    texts.push(p);
    return;
  }
  if (!isObj(p)) return;
  switch (p.type) {
    case 'text':
    case undefined:
      if (p.content !== undefined || p.text !== undefined) texts.push(asText(p.content ?? p.text));
      return;
    case 'reasoning':
      texts.push(`(reasoning) ${asText(p.content ?? p.text)}`);
      return;
    case 'tool_call':
    case 'tool-call':
    case 'function_call': {
      const c = toolCallOf(p);
      if (c) calls.push(c);
      return;
    }
    case 'tool_call_response':
    case 'tool-result':
    case 'function_call_output': {
      result.id = optStr(p.id ?? p.toolCallId ?? p.call_id) ?? result.id;
      const out = p.response ?? p.result ?? p.output;
      // Vercel v5+ wraps results: {type: 'text' | 'json', value}.
      texts.push(asText(isObj(out) && 'value' in out && typeof out.type === 'string' ? out.value : out));
      return;
    }
    default:
      texts.push(`[${String(p.type)}${p.mime_type ? ` ${asText(p.mime_type)}` : ''}]`);
  }
}

function message(role: GenAiRole, texts: string[], calls: GenAiToolCall[], toolCallId?: string): GenAiMessage {
  return { role, content: texts.join('\n'), ...(calls.length ? { toolCalls: calls } : {}), ...(toolCallId ? { toolCallId } : {}) };
}

/** A {role, content|parts, tool_calls?} object (semconv, Vercel, OpenAI-style JSON). */
function objectMessage(o: Record<string, unknown>, side: Side, roleHint?: GenAiRole): GenAiMessage {
  const texts: string[] = [];
  const calls: GenAiToolCall[] = [];
  const result: { id?: string } = {};
  const body = o.parts ?? o.content;
  if (Array.isArray(body)) for (const p of body) readPart(p, texts, calls, result);
  else if (body !== undefined && body !== null) texts.push(asText(body));
  if (Array.isArray(o.tool_calls)) for (const c of o.tool_calls) if (isObj(c)) {
    const t = toolCallOf(c);
    if (t) calls.push(t);
  }
  const id = result.id ?? optStr(o.tool_call_id ?? o.toolCallId);
  return message(o.role !== undefined ? roleOf(o.role, side) : roleHint ?? roleOf(undefined, side), texts, calls, id);
}

function listMessages(v: unknown, side: Side, roleHint?: GenAiRole): GenAiMessage[] {
  if (Array.isArray(v)) return v.map((x) => (isObj(x) ? objectMessage(x, side, roleHint) : { role: roleHint ?? roleOf(undefined, side), content: asText(x) }));
  if (isObj(v)) return [objectMessage(v, side, roleHint)];
  if (v === undefined || v === null || v === '') return [];
  return [{ role: roleHint ?? roleOf(undefined, side), content: asText(v) }];
}

function fromValue(format: MessageFormat, v: AttrValue, side: Side, roleHint?: GenAiRole): GenAiMessage[] {
  switch (format) {
    case 'semconv-messages':
    case 'role-content-json':
    case 'vercel-messages':
      return listMessages(plainOf(v), side, roleHint);
    case 'semconv-parts': {
      const parts = plainOf(v);
      const texts: string[] = [];
      for (const p of Array.isArray(parts) ? parts : [parts]) readPart(p, texts, [], {});
      return texts.length ? [{ role: 'system', content: texts.join('\n') }] : [];
    }
    case 'vercel-prompt': {
      const p = plainOf(v);
      if (!isObj(p)) return listMessages(p, side);
      const out: GenAiMessage[] = [];
      if (p.system !== undefined && p.system !== null) out.push({ role: 'system', content: asText(p.system) });
      if (p.prompt !== undefined && p.prompt !== null) out.push(...listMessages(p.prompt, side, 'user'));
      if (p.messages !== undefined && p.messages !== null) out.push(...listMessages(p.messages, side));
      return out;
    }
    case 'vercel-tool-calls': {
      const calls: GenAiToolCall[] = [];
      const list = plainOf(v);
      for (const c of Array.isArray(list) ? list : []) if (isObj(c)) {
        const t = toolCallOf(c);
        if (t) calls.push(t);
      }
      return calls.length ? [{ role: 'assistant', content: '', toolCalls: calls }] : [];
    }
    case 'text':
      return [{ role: roleHint ?? roleOf(undefined, side), content: typeof v === 'string' ? v : formatAttrValue(v) }];
    default:
      return [];
  }
}

/** Flattened lists: `PREFIX.N.rest` keys grouped by N, in index order. */
function indexedGroups(attrs: Attributes, prefix: string): Map<string, AttrValue>[] {
  const groups = new Map<number, Map<string, AttrValue>>();
  for (const a of attrs) {
    if (!a.key.startsWith(prefix)) continue;
    const rest = a.key.slice(prefix.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) continue;
    const n = Number(rest.slice(0, dot));
    if (!Number.isInteger(n) || n < 0) continue;
    let g = groups.get(n);
    if (!g) groups.set(n, (g = new Map()));
    g.set(rest.slice(dot + 1), a.value);
  }
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

const val = (g: Map<string, AttrValue>, k: string): string | undefined => {
  const v = g.get(k);
  return v === undefined || v === null ? undefined : typeof v === 'string' ? v : formatAttrValue(v);
};

/** Tool calls under `base` + `M.` + (field) in one flattened message. */
function indexedToolCalls(g: Map<string, AttrValue>, base: string, field: (name: string) => string): GenAiToolCall[] {
  const byIndex = new Map<number, Record<string, string | undefined>>();
  for (const key of g.keys()) {
    if (!key.startsWith(base)) continue;
    const rest = key.slice(base.length);
    const n = Number(rest.slice(0, rest.indexOf('.')));
    if (Number.isInteger(n) && !byIndex.has(n)) byIndex.set(n, { id: val(g, `${base}${n}.${field('id')}`), name: val(g, `${base}${n}.${field('name')}`), arguments: val(g, `${base}${n}.${field('arguments')}`) });
  }
  const out: GenAiToolCall[] = [];
  for (const [, c] of [...byIndex.entries()].sort((a, b) => a[0] - b[0])) {
    if (c.name) out.push({ ...(c.id ? { id: c.id } : {}), name: c.name, ...(c.arguments !== undefined ? { arguments: c.arguments } : {}) });
  }
  return out;
}

function fromIndexed(format: MessageFormat, attrs: Attributes, prefix: string, side: Side): GenAiMessage[] {
  return indexedGroups(attrs, prefix).map((g) => {
    if (format === 'openinference-indexed') {
      let content = val(g, 'message.content');
      if (content === undefined) {
        // Multimodal: message.contents.K.message_content.text.
        const parts = [...g.keys()].filter((k) => k.startsWith('message.contents.') && k.endsWith('.message_content.text')).sort();
        content = parts.map((k) => val(g, k) ?? '').join('\n');
      }
      const calls = indexedToolCalls(g, 'message.tool_calls.', (f) => (f === 'id' ? 'tool_call.id' : `tool_call.function.${f}`));
      return message(roleOf(val(g, 'message.role'), side), content ? [content] : [], calls, val(g, 'message.tool_call_id'));
    }
    const content = val(g, 'content');
    const calls = indexedToolCalls(g, 'tool_calls.', (f) => f);
    return message(roleOf(val(g, 'role'), side), content !== undefined ? [content] : [], calls, val(g, 'tool_call_id'));
  });
}

/**
 * The conversation a span records: system instructions, input messages, then output messages.
 * Per side, the first row (in table order) with any message wins, so a span carrying two dialects
 * does not show the same messages twice; `combine` rows add to it.
 */
export function readMessages(attrs: Attributes, events: readonly SpanEvent[]): { messages: GenAiMessage[]; dialects: GenAiDialect[] } {
  const bySide: Record<Side, GenAiMessage[]> = { system: [], input: [], output: [] };
  const winner: Partial<Record<Side, GenAiDialect>> = {};
  const dialects = new Set<GenAiDialect>();
  for (const row of MESSAGE_ROWS) {
    const w = winner[row.side];
    if (w !== undefined && !(row.combine && row.dialect === w)) continue;
    let got: GenAiMessage[];
    if (row.indexed) got = fromIndexed(row.format, attrs, row.key, row.side);
    else {
      const v = getAttr(attrs, row.key);
      got = v === undefined || v === null ? [] : fromValue(row.format, v, row.side);
    }
    if (!got.length) continue;
    winner[row.side] = row.dialect;
    dialects.add(row.dialect);
    bySide[row.side].push(...got);
  }
  // Older conventions put content in events; use them for any side the attributes left empty.
  const fromEvents: Record<Side, GenAiMessage[]> = { system: [], input: [], output: [] };
  for (const ev of events) {
    const row = EVENT_ROWS.find((e) => e.name === ev.name);
    if (!row || winner[row.side] !== undefined) continue;
    const v = getAttr(ev.attributes, row.attr) ?? getAttr(ev.attributes, 'content');
    if (v === undefined || v === null) continue;
    const got = fromValue(row.format, v, row.side, row.role);
    if (got.length) {
      dialects.add(row.dialect);
      // Role events of the input side keep their event order, system ones included.
      (row.side === 'system' ? fromEvents.input : fromEvents[row.side]).push(...got);
    }
  }
  return { messages: mergeToolCallOnly([...bySide.system, ...bySide.input, ...fromEvents.input, ...bySide.output, ...fromEvents.output]), dialects: [...dialects] };
}

/** An assistant message that only carries tool calls, right after assistant text, belongs to it (Vercel's response text + toolCalls). */
function mergeToolCallOnly(list: GenAiMessage[]): GenAiMessage[] {
  const out: GenAiMessage[] = [];
  for (const msg of list) {
    const prev = out[out.length - 1];
    if (prev && prev.role === 'assistant' && msg.role === 'assistant' && msg.content === '' && msg.toolCalls && !prev.toolCalls) out[out.length - 1] = { ...prev, toolCalls: msg.toolCalls };
    else out.push(msg);
  }
  return out;
}
