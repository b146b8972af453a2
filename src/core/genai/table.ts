// The one table of GenAI attribute keys Spanlens reads: each row names the key, the dialect that
// writes it and where that dialect documents it. Adding a dialect (or a renamed key) means adding
// rows here; read.ts only interprets the table. For one field, the first row that has a value wins,
// so current semantic conventions come first, then their older names, then the vendors.

export type GenAiKind = 'model' | 'tool' | 'agent' | 'retrieval' | 'embedding';

export type GenAiDialect = 'semconv' | 'semconv-old' | 'traceloop' | 'openinference' | 'vercel' | 'copilot';

/** Where each dialect documents its keys; every row's `source` comes from here. */
export const DIALECT_SOURCES: Record<GenAiDialect, string> = {
  semconv: 'https://github.com/open-telemetry/semantic-conventions-genai/ (formerly semantic-conventions docs/gen-ai, v1.37+)',
  'semconv-old': 'https://github.com/open-telemetry/semantic-conventions/blob/v1.36.0/docs/gen-ai/ (and earlier)',
  traceloop: 'https://github.com/traceloop/openllmetry (opentelemetry-semantic-conventions-ai)',
  openinference: 'https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md',
  vercel: 'https://ai-sdk.dev/docs/ai-sdk-core/telemetry (ai npm package, src/telemetry)',
  copilot: 'https://code.visualstudio.com/docs/copilot/guides/monitoring-agents (extensions/copilot/docs/monitoring/agent_monitoring.md)',
};

/** Scalar fields a span's attributes fill. */
export type GenAiField =
  | 'operation'
  | 'spanKind'
  | 'provider'
  | 'requestModel'
  | 'responseModel'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedInputTokens'
  | 'cacheWriteInputTokens'
  | 'reasoningTokens'
  | 'totalTokens'
  | 'timeToFirstToken'
  | 'toolName'
  | 'toolCallId'
  | 'toolArguments'
  | 'toolResult'
  | 'agentName'
  | 'agentId'
  | 'dataSourceId'
  | 'conversationId'
  /** Generic input/output of a step (OpenInference input.value, Traceloop entity input): tool arguments on a tool span, else a message. */
  | 'stepInput'
  | 'stepOutput'
  | 'entityName';

export interface FieldRow {
  readonly key: string;
  readonly field: GenAiField;
  readonly dialect: GenAiDialect;
  /** Where the key is documented: the dialect's reference (DIALECT_SOURCES). */
  readonly source: string;
  /** For times: the unit the key is recorded in. */
  readonly unit?: 's' | 'ms';
}

const r = (key: string, field: GenAiField, dialect: GenAiDialect, unit?: 's' | 'ms'): FieldRow => ({ key, field, dialect, source: DIALECT_SOURCES[dialect], ...(unit ? { unit } : {}) });

export const FIELD_ROWS: readonly FieldRow[] = [
  // Current semantic conventions (gen-ai spans, agent spans, registry).
  r('gen_ai.operation.name', 'operation', 'semconv'),
  r('gen_ai.provider.name', 'provider', 'semconv'),
  r('gen_ai.request.model', 'requestModel', 'semconv'),
  r('gen_ai.response.model', 'responseModel', 'semconv'),
  r('gen_ai.usage.input_tokens', 'inputTokens', 'semconv'),
  r('gen_ai.usage.output_tokens', 'outputTokens', 'semconv'),
  r('gen_ai.usage.cache_read.input_tokens', 'cachedInputTokens', 'semconv'),
  // cache_creation was renamed cache_write in the GenAI repository; both are in use.
  r('gen_ai.usage.cache_write.input_tokens', 'cacheWriteInputTokens', 'semconv'),
  r('gen_ai.usage.cache_creation.input_tokens', 'cacheWriteInputTokens', 'semconv'),
  r('gen_ai.usage.reasoning.output_tokens', 'reasoningTokens', 'semconv'),
  r('gen_ai.response.time_to_first_chunk', 'timeToFirstToken', 'semconv', 's'),
  r('gen_ai.tool.name', 'toolName', 'semconv'),
  r('gen_ai.tool.call.id', 'toolCallId', 'semconv'),
  r('gen_ai.tool.call.arguments', 'toolArguments', 'semconv'),
  r('gen_ai.tool.call.result', 'toolResult', 'semconv'),
  r('gen_ai.agent.name', 'agentName', 'semconv'),
  r('gen_ai.agent.id', 'agentId', 'semconv'),
  r('gen_ai.data_source.id', 'dataSourceId', 'semconv'),
  r('gen_ai.conversation.id', 'conversationId', 'semconv'),
  // A metric name some instrumentations also set on the span (seconds).
  r('gen_ai.server.time_to_first_token', 'timeToFirstToken', 'semconv', 's'),

  // Older semantic conventions (v1.36 and before).
  r('gen_ai.system', 'provider', 'semconv-old'),
  r('gen_ai.usage.prompt_tokens', 'inputTokens', 'semconv-old'),
  r('gen_ai.usage.completion_tokens', 'outputTokens', 'semconv-old'),

  // GitHub Copilot Chat (gen_ai.* plus its own keys).
  r('gen_ai.usage.reasoning_tokens', 'reasoningTokens', 'copilot'),
  r('copilot_chat.time_to_first_token', 'timeToFirstToken', 'copilot', 'ms'),

  // Traceloop / OpenLLMetry.
  r('traceloop.span.kind', 'spanKind', 'traceloop'),
  r('llm.request.type', 'spanKind', 'traceloop'),
  r('llm.vendor', 'provider', 'traceloop'),
  r('llm.request.model', 'requestModel', 'traceloop'),
  r('llm.response.model', 'responseModel', 'traceloop'),
  r('llm.usage.prompt_tokens', 'inputTokens', 'traceloop'),
  r('llm.usage.completion_tokens', 'outputTokens', 'traceloop'),
  r('llm.usage.total_tokens', 'totalTokens', 'traceloop'),
  r('gen_ai.usage.cache_read_input_tokens', 'cachedInputTokens', 'traceloop'),
  r('gen_ai.usage.cache_creation_input_tokens', 'cacheWriteInputTokens', 'traceloop'),
  r('llm.usage.reasoning_tokens', 'reasoningTokens', 'traceloop'),
  r('traceloop.entity.name', 'entityName', 'traceloop'),
  r('traceloop.entity.input', 'stepInput', 'traceloop'),
  r('traceloop.entity.output', 'stepOutput', 'traceloop'),

  // OpenInference (Arize Phoenix).
  r('openinference.span.kind', 'spanKind', 'openinference'),
  r('llm.provider', 'provider', 'openinference'),
  r('llm.system', 'provider', 'openinference'),
  r('llm.model_name', 'requestModel', 'openinference'),
  r('embedding.model_name', 'requestModel', 'openinference'),
  r('llm.token_count.prompt', 'inputTokens', 'openinference'),
  r('llm.token_count.completion', 'outputTokens', 'openinference'),
  r('llm.token_count.total', 'totalTokens', 'openinference'),
  r('llm.token_count.prompt_details.cache_read', 'cachedInputTokens', 'openinference'),
  r('llm.token_count.prompt_details.cache_write', 'cacheWriteInputTokens', 'openinference'),
  r('llm.token_count.completion_details.reasoning', 'reasoningTokens', 'openinference'),
  r('tool.name', 'toolName', 'openinference'),
  r('tool_call.id', 'toolCallId', 'openinference'),
  r('agent.name', 'agentName', 'openinference'),
  r('input.value', 'stepInput', 'openinference'),
  r('output.value', 'stepOutput', 'openinference'),

  // Vercel AI SDK (ai.*; its model-call spans also carry some gen_ai.* keys, read above).
  r('ai.operationId', 'operation', 'vercel'),
  r('ai.model.provider', 'provider', 'vercel'),
  r('ai.model.id', 'requestModel', 'vercel'),
  r('ai.response.model', 'responseModel', 'vercel'),
  r('ai.usage.inputTokens', 'inputTokens', 'vercel'),
  r('ai.usage.promptTokens', 'inputTokens', 'vercel'),
  r('ai.usage.tokens', 'inputTokens', 'vercel'), // embed / embedMany
  r('ai.usage.outputTokens', 'outputTokens', 'vercel'),
  r('ai.usage.completionTokens', 'outputTokens', 'vercel'),
  r('ai.usage.totalTokens', 'totalTokens', 'vercel'),
  r('ai.usage.cachedInputTokens', 'cachedInputTokens', 'vercel'),
  r('ai.usage.inputTokenDetails.cacheReadTokens', 'cachedInputTokens', 'vercel'),
  r('ai.usage.inputTokenDetails.cacheWriteTokens', 'cacheWriteInputTokens', 'vercel'),
  r('ai.usage.reasoningTokens', 'reasoningTokens', 'vercel'),
  r('ai.usage.outputTokenDetails.reasoningTokens', 'reasoningTokens', 'vercel'),
  r('ai.response.msToFirstChunk', 'timeToFirstToken', 'vercel', 'ms'),
  r('ai.toolCall.name', 'toolName', 'vercel'),
  r('ai.toolCall.id', 'toolCallId', 'vercel'),
  r('ai.toolCall.args', 'toolArguments', 'vercel'),
  r('ai.toolCall.result', 'toolResult', 'vercel'),
];

/**
 * Message-bearing keys. `format` says how the value is laid out; `indexed` rows are key prefixes
 * followed by `N.` (flattened lists). `side` is where the messages belong in the conversation.
 */
export type MessageFormat =
  /** semconv gen_ai.input/output.messages: [{role, parts: [{type: text|tool_call|tool_call_response, ...}]}] (JSON string or AnyValue). */
  | 'semconv-messages'
  /** semconv gen_ai.system_instructions: [{type: 'text', content}]. */
  | 'semconv-parts'
  /** Older gen_ai.prompt / gen_ai.completion: JSON [{role, content}] or plain text. */
  | 'role-content-json'
  /** Traceloop gen_ai.prompt.N.role/content, gen_ai.completion.N.tool_calls.M.name/arguments/id. */
  | 'traceloop-indexed'
  /** OpenInference llm.input_messages.N.message.role/content, .message.tool_calls.M.tool_call.function.name/arguments. */
  | 'openinference-indexed'
  /** Vercel ai.prompt.messages: [{role, content: string | [{type: text|tool-call|tool-result, ...}]}]. */
  | 'vercel-messages'
  /** Vercel ai.prompt: {system?, prompt?, messages?}. */
  | 'vercel-prompt'
  /** Vercel ai.response.toolCalls: [{toolCallId, toolName, input|args}]. */
  | 'vercel-tool-calls'
  /** Plain text of one message. */
  | 'text';

export interface MessageRow {
  readonly key: string;
  readonly format: MessageFormat;
  readonly side: 'system' | 'input' | 'output';
  readonly dialect: GenAiDialect;
  readonly source: string;
  readonly indexed?: boolean;
  /** Adds to the messages of an earlier row of the same dialect and side instead of being an alternative to it. */
  readonly combine?: boolean;
}

const m = (key: string, format: MessageFormat, side: MessageRow['side'], dialect: GenAiDialect, indexed = false): MessageRow => ({ key, format, side, dialect, source: DIALECT_SOURCES[dialect], ...(indexed ? { indexed } : {}) });

/** In order: a side takes its messages from the first row (per side) that has any. */
export const MESSAGE_ROWS: readonly MessageRow[] = [
  m('gen_ai.system_instructions', 'semconv-parts', 'system', 'semconv'),
  m('gen_ai.input.messages', 'semconv-messages', 'input', 'semconv'),
  m('gen_ai.output.messages', 'semconv-messages', 'output', 'semconv'),
  m('gen_ai.prompt.', 'traceloop-indexed', 'input', 'traceloop', true),
  m('gen_ai.completion.', 'traceloop-indexed', 'output', 'traceloop', true),
  m('llm.prompts.', 'traceloop-indexed', 'input', 'traceloop', true),
  m('llm.completions.', 'traceloop-indexed', 'output', 'traceloop', true),
  m('llm.input_messages.', 'openinference-indexed', 'input', 'openinference', true),
  m('llm.output_messages.', 'openinference-indexed', 'output', 'openinference', true),
  m('gen_ai.prompt', 'role-content-json', 'input', 'semconv-old'),
  m('gen_ai.completion', 'role-content-json', 'output', 'semconv-old'),
  m('ai.prompt.messages', 'vercel-messages', 'input', 'vercel'),
  m('ai.prompt', 'vercel-prompt', 'input', 'vercel'),
  m('ai.response.text', 'text', 'output', 'vercel'),
  { ...m('ai.response.toolCalls', 'vercel-tool-calls', 'output', 'vercel'), combine: true },
];

/**
 * Span events that carry messages (older semantic conventions recorded content as events).
 * `attr` is the event attribute holding the content.
 */
export interface EventRow {
  readonly name: string;
  readonly attr: string;
  readonly format: MessageFormat;
  readonly side: MessageRow['side'];
  /** Role for plain-text content. */
  readonly role?: 'system' | 'user' | 'assistant' | 'tool';
  readonly dialect: GenAiDialect;
}

export const EVENT_ROWS: readonly EventRow[] = [
  { name: 'gen_ai.content.prompt', attr: 'gen_ai.prompt', format: 'role-content-json', side: 'input', dialect: 'semconv-old' },
  { name: 'gen_ai.content.completion', attr: 'gen_ai.completion', format: 'role-content-json', side: 'output', dialect: 'semconv-old' },
  { name: 'gen_ai.system.message', attr: 'content', format: 'text', side: 'system', role: 'system', dialect: 'semconv-old' },
  { name: 'gen_ai.user.message', attr: 'content', format: 'text', side: 'input', role: 'user', dialect: 'semconv-old' },
  { name: 'gen_ai.assistant.message', attr: 'content', format: 'text', side: 'input', role: 'assistant', dialect: 'semconv-old' },
  { name: 'gen_ai.tool.message', attr: 'content', format: 'text', side: 'input', role: 'tool', dialect: 'semconv-old' },
  { name: 'gen_ai.choice', attr: 'message', format: 'role-content-json', side: 'output', role: 'assistant', dialect: 'semconv-old' },
];

/**
 * What kind of span a value of `operation` or `spanKind` means. `null`: a GenAI span with no icon
 * (a chain or workflow step, Vercel's outer generateText that wraps its model calls).
 */
export const KIND_ROWS: readonly { readonly field: 'operation' | 'spanKind'; readonly value: string; readonly kind: GenAiKind | null; readonly dialect: GenAiDialect }[] = [
  ...['chat', 'text_completion', 'generate_content'].map((value) => ({ field: 'operation' as const, value, kind: 'model' as const, dialect: 'semconv' as const })),
  { field: 'operation', value: 'embeddings', kind: 'embedding', dialect: 'semconv' },
  { field: 'operation', value: 'execute_tool', kind: 'tool', dialect: 'semconv' },
  { field: 'operation', value: 'invoke_agent', kind: 'agent', dialect: 'semconv' },
  { field: 'operation', value: 'create_agent', kind: 'agent', dialect: 'semconv' },
  { field: 'operation', value: 'retrieval', kind: 'retrieval', dialect: 'semconv' },
  { field: 'operation', value: 'execute_hook', kind: null, dialect: 'copilot' },
  ...['ai.generateText.doGenerate', 'ai.streamText.doStream', 'ai.generateObject.doGenerate', 'ai.streamObject.doStream'].map((value) => ({ field: 'operation' as const, value, kind: 'model' as const, dialect: 'vercel' as const })),
  ...['ai.generateText', 'ai.streamText', 'ai.generateObject', 'ai.streamObject', 'ai.embed', 'ai.embedMany'].map((value) => ({ field: 'operation' as const, value, kind: null, dialect: 'vercel' as const })),
  { field: 'operation', value: 'ai.embed.doEmbed', kind: 'embedding', dialect: 'vercel' },
  { field: 'operation', value: 'ai.embedMany.doEmbed', kind: 'embedding', dialect: 'vercel' },
  { field: 'operation', value: 'ai.toolCall', kind: 'tool', dialect: 'vercel' },
  { field: 'spanKind', value: 'LLM', kind: 'model', dialect: 'openinference' },
  { field: 'spanKind', value: 'EMBEDDING', kind: 'embedding', dialect: 'openinference' },
  { field: 'spanKind', value: 'TOOL', kind: 'tool', dialect: 'openinference' },
  { field: 'spanKind', value: 'AGENT', kind: 'agent', dialect: 'openinference' },
  { field: 'spanKind', value: 'RETRIEVER', kind: 'retrieval', dialect: 'openinference' },
  { field: 'spanKind', value: 'CHAIN', kind: null, dialect: 'openinference' },
  { field: 'spanKind', value: 'agent', kind: 'agent', dialect: 'traceloop' },
  { field: 'spanKind', value: 'tool', kind: 'tool', dialect: 'traceloop' },
  { field: 'spanKind', value: 'workflow', kind: null, dialect: 'traceloop' },
  { field: 'spanKind', value: 'task', kind: null, dialect: 'traceloop' },
  // llm.request.type (Traceloop) shares the field: chat / completion / embedding.
  { field: 'spanKind', value: 'chat', kind: 'model', dialect: 'traceloop' },
  { field: 'spanKind', value: 'completion', kind: 'model', dialect: 'traceloop' },
  { field: 'spanKind', value: 'embedding', kind: 'embedding', dialect: 'traceloop' },
];

/**
 * Every dialect puts at least one key under these prefixes on each of its spans (OpenInference its
 * openinference.span.kind, so its tool.name and input.value need no prefix of their own). A span with
 * no attribute key under them is not read further, which keeps a pass over a million ordinary spans
 * cheap.
 */
export const KEY_PREFIXES: readonly string[] = ['gen_ai.', 'llm.', 'ai.', 'openinference.', 'traceloop.'];
