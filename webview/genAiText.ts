// Text of the GenAI section and the waterfall's GenAI glyphs. Pure (no DOM), so unit tests run it in Node.
import type { GenAiDetailDto, GenAiMessageDto } from '../src/shared/protocol';
import { displayText, formatCount } from './format';

/** Waterfall glyph and tooltip per GenAiKindCode (index 0: none). */
export const GENAI_GLYPHS: readonly ({ readonly glyph: string; readonly title: string } | undefined)[] = [
  undefined,
  { glyph: '✦', title: 'GenAI model call' },
  { glyph: '⚒', title: 'GenAI tool call' },
  { glyph: '◉', title: 'GenAI agent' },
  { glyph: '⌕', title: 'GenAI retrieval' },
  { glyph: '⋮', title: 'GenAI embeddings' },
];

export const KIND_LABEL: Record<NonNullable<GenAiDetailDto['kind']>, string> = {
  model: 'Model call',
  tool: 'Tool call',
  agent: 'Agent',
  retrieval: 'Retrieval',
  embedding: 'Embeddings',
};

export function tokensText(t: GenAiDetailDto['tokens']): string {
  const parts: string[] = [];
  if (t.input !== undefined) parts.push(`${formatCount(t.input)} input`);
  if (t.cachedInput !== undefined) parts.push(`${formatCount(t.cachedInput)} cached input`);
  if (t.cacheWriteInput !== undefined) parts.push(`${formatCount(t.cacheWriteInput)} cache write`);
  if (t.output !== undefined) parts.push(`${formatCount(t.output)} output`);
  if (t.reasoning !== undefined) parts.push(`${formatCount(t.reasoning)} reasoning`);
  if (t.total !== undefined) parts.push(`${formatCount(t.total)} total`);
  return parts.join(' · ');
}


/** "gpt-4o-2024-08-06 (requested gpt-4o)" when the serving model differs from the requested one. */
export function modelText(g: Pick<GenAiDetailDto, 'requestModel' | 'responseModel'>): string | undefined {
  return g.responseModel && g.requestModel && g.responseModel !== g.requestModel ? `${g.responseModel} (requested ${g.requestModel})` : g.responseModel ?? g.requestModel;
}

export function roleText(m: GenAiMessageDto): string {
  return m.toolCallId ? `${m.role} (result of ${displayText(m.toolCallId)})` : m.role;
}

export function toolCallText(c: NonNullable<GenAiMessageDto['toolCalls']>[number]): string {
  return `→ ${displayText(c.name)}${c.id ? ` [${displayText(c.id)}]` : ''}`;
}
