// The GenAI section of the span detail: the span read through the GenAI table (../genai), with the
// trace-level fact of whether its usage is the one counted. Free text goes through on-screen masking
// like every other value of the pane (Reveal stays in the attributes list).
import type { Trace } from '../model/model';
import { readGenAi, traceGenAi, hasUsage } from '../genai';
import type { GenAiDetailDto } from '../../shared/protocol';
import { maskedText, type ScreenMask } from './detailMask';

export function genAiDetail(trace: Trace, spanIndex: number, mask?: ScreenMask): GenAiDetailDto | undefined {
  const g = readGenAi(trace.spans[spanIndex], { messages: true });
  if (!g) return undefined;
  const text = (t: string | undefined, key?: string) => (t === undefined ? undefined : mask ? maskedText(mask, t, key)?.text ?? t : t);
  const tool = g.tool
    ? {
        ...(g.tool.name !== undefined ? { name: g.tool.name } : {}),
        ...(g.tool.callId !== undefined ? { callId: g.tool.callId } : {}),
        ...(g.tool.arguments !== undefined ? { arguments: text(g.tool.arguments, 'gen_ai.tool.call.arguments') } : {}),
        ...(g.tool.result !== undefined ? { result: text(g.tool.result, 'gen_ai.tool.call.result') } : {}),
      }
    : undefined;
  return {
    ...(g.kind ? { kind: g.kind } : {}),
    ...(g.operation !== undefined ? { operation: g.operation } : {}),
    ...(g.provider !== undefined ? { provider: g.provider } : {}),
    ...(g.requestModel !== undefined ? { requestModel: g.requestModel } : {}),
    ...(g.responseModel !== undefined ? { responseModel: g.responseModel } : {}),
    tokens: { ...g.tokens },
    ...(hasUsage(g) ? { usageCounted: traceGenAi(trace).counted[spanIndex] === 1 } : {}),
    ...(g.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: g.timeToFirstTokenMs } : {}),
    ...(g.agent?.name !== undefined ? { agentName: g.agent.name } : {}),
    ...(g.dataSourceId !== undefined ? { dataSourceId: g.dataSourceId } : {}),
    messages: (g.messages ?? []).map((m) => ({
      role: m.role,
      content: text(m.content, 'gen_ai.input.messages')!,
      ...(m.toolCalls ? { toolCalls: m.toolCalls.map((c) => ({ ...c, ...(c.arguments !== undefined ? { arguments: text(c.arguments, 'gen_ai.tool.call.arguments') } : {}) })) } : {}),
      ...(m.toolCallId ? { toolCallId: m.toolCallId } : {}),
    })),
    ...(tool ? { tool } : {}),
    dialects: g.dialects,
  };
}
