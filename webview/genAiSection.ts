// The GenAI section of the span detail: provider, model, tokens by kind, time to first token, the
// messages and tool calls. Text only: every value goes in through textContent, long ones through the
// pane's own fold helper, never as HTML.
import type { GenAiDetailDto, GenAiMessageDto } from '../src/shared/protocol';
import { append, el } from './dom';
import { formatCount } from './format';
import { KIND_LABEL, modelText, roleText, tokensText, toolCallText } from './genAiText';

/** What the pane lends this section: its folding of long text and its collapsible section. */
export interface GenAiHelpers {
  /** A div showing `text`, folded when long ("Show all (N chars)"). */
  folded(className: string, text: string): HTMLElement;
  section(title: string, count: number, content: Node): HTMLElement;
}

export function genAiSection(g: GenAiDetailDto, h: GenAiHelpers): HTMLElement {
  const wrap = el('div', 'sl-genai-detail');
  const kv = el('dl', 'sl-kv');
  const row = (k: string, v: string | undefined) => {
    if (v === undefined || v === '') return;
    const dd = el('dd');
    dd.appendChild(h.folded('sl-value', v));
    append(kv, el('dt', undefined, k), dd);
  };
  row('Kind', g.kind ? KIND_LABEL[g.kind] : undefined);
  row('Operation', g.operation);
  row('Provider', g.provider);
  row('Model', modelText(g));
  row('Agent', g.agentName);
  row('Data source', g.dataSourceId);
  const tokens = tokensText(g.tokens);
  row('Tokens', tokens ? (g.usageCounted === false ? `${tokens} (also recorded by a child span; counted there)` : tokens) : undefined);
  row('Time to first token', g.timeToFirstTokenMs !== undefined ? `${formatCount(Math.round(g.timeToFirstTokenMs))} ms` : undefined);
  if (g.tool) {
    row('Tool', g.tool.name);
    row('Tool call ID', g.tool.callId);
    row('Arguments', g.tool.arguments);
    row('Result', g.tool.result);
  }
  row('Read as', g.dialects.join(', '));
  wrap.appendChild(kv);
  if (g.messages.length) wrap.appendChild(h.section('Messages', g.messages.length, messageList(g.messages, h)));
  return wrap;
}

function messageList(messages: readonly GenAiMessageDto[], h: GenAiHelpers): HTMLElement {
  const list = el('div', 'sl-genai-messages');
  for (const m of messages) {
    const item = el('div', `sl-genai-msg role-${m.role}`);
    const head = el('div', 'sl-genai-role', roleText(m));
    item.appendChild(head);
    if (m.content) item.appendChild(h.folded('sl-genai-content sl-value', m.content));
    for (const c of m.toolCalls ?? []) {
      const call = el('div', 'sl-genai-toolcall');
      append(call, el('span', 'sl-mono', toolCallText(c)));
      if (c.arguments !== undefined) call.appendChild(h.folded('sl-genai-args sl-value sl-mono', c.arguments));
      item.appendChild(call);
    }
    list.appendChild(item);
  }
  return list;
}
