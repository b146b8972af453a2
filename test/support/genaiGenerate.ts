// GenAI spans recorded by the REAL OpenTelemetry JS SDK in each dialect Spanlens reads, with the
// ground truth (the numbers fed in) beside them. The Vercel AI SDK spans come from the real `ai`
// package (devDependency, pinned; version below) running its own mock model, so they are exactly
// what that SDK emits, including its usage recorded twice (generateText and doGenerate).
import { ROOT_CONTEXT, SpanKind, context, trace as apiTrace, type Attributes, type Context, type Span as ApiSpan, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalContextManager } from './asyncContext';

/** The `ai` package version the Vercel spans are generated with (package.json pins it). */
export const AI_SDK_VERSION = '6.0.326';

export interface GenAiTruth {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly models: readonly string[];
  /** What a naive sum over every span with usage gives (differs when usage is nested). */
  readonly naiveInputTokens: number;
}

export interface Scenario {
  readonly dialect: string;
  readonly spans: ReadableSpan[];
  readonly truth: GenAiTruth;
}

class Collect implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(s: ReadableSpan): void {
    this.spans.push(s);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function provider(service: string): { tracer: Tracer; collect: Collect } {
  const collect = new Collect();
  const p = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [collect] });
  return { tracer: p.getTracer('genai-test', '1.0.0'), collect };
}

/** Starts a child of `parent` (or a root); times advance 10 ms per span so the tree is well formed. */
class Tree {
  private t = 1_709_294_400_000;
  constructor(readonly tracer: Tracer) {}
  start(name: string, attributes: Attributes, parent?: ApiSpan, kind = SpanKind.INTERNAL): ApiSpan {
    const ctx: Context = parent ? apiTrace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    return this.tracer.startSpan(name, { attributes, kind, startTime: (this.t += 10) }, ctx);
  }
  end(s: ApiSpan): void {
    s.end((this.t += 10));
  }
  leaf(name: string, attributes: Attributes, parent?: ApiSpan, kind = SpanKind.INTERNAL): ApiSpan {
    const s = this.start(name, attributes, parent, kind);
    this.end(s);
    return s;
  }
}

const json = (v: unknown) => JSON.stringify(v);

/** Current conventions, shaped like Copilot Chat's agent trace: invoke_agent > chat, execute_tool, chat; plus embeddings and retrieval. */
export function currentSemconv(): Scenario {
  const { tracer, collect } = provider('agent-app');
  const t = new Tree(tracer);
  const agent = t.start('invoke_agent copilot', {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.provider.name': 'github',
    'gen_ai.agent.name': 'copilot',
    'gen_ai.agent.id': 'agent-1',
    'gen_ai.conversation.id': 'conv-42',
    'gen_ai.request.model': 'gpt-4o',
    // The agent's total over its calls: must not be counted again.
    'gen_ai.usage.input_tokens': 3300,
    'gen_ai.usage.output_tokens': 370,
  });
  t.leaf(
    'chat gpt-4o',
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'github',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 1500,
      'gen_ai.usage.output_tokens': 250,
      'gen_ai.usage.cache_read.input_tokens': 1200,
      'gen_ai.usage.cache_creation.input_tokens': 300,
      'gen_ai.usage.reasoning.output_tokens': 64,
      'gen_ai.response.time_to_first_chunk': 0.45,
      'gen_ai.system_instructions': json([{ type: 'text', content: 'You are a helpful coding agent.' }]),
      'gen_ai.input.messages': json([{ role: 'user', parts: [{ type: 'text', content: 'What is in src/index.ts?' }] }]),
      'gen_ai.output.messages': json([
        { role: 'assistant', parts: [{ type: 'text', content: 'Let me read it.' }, { type: 'tool_call', id: 'call_1', name: 'readFile', arguments: { filePath: 'src/index.ts' } }], finish_reason: 'tool_call' },
      ]),
    },
    agent,
    SpanKind.CLIENT,
  );
  t.leaf(
    'execute_tool readFile',
    {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'readFile',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.arguments': json({ filePath: 'src/index.ts' }),
      'gen_ai.tool.call.result': 'export const x = 1;',
    },
    agent,
  );
  t.leaf(
    'chat gpt-4o',
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'github',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 1800,
      'gen_ai.usage.output_tokens': 120,
      'gen_ai.input.messages': json([
        { role: 'user', parts: [{ type: 'text', content: 'What is in src/index.ts?' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'readFile', arguments: { filePath: 'src/index.ts' } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'export const x = 1;' }] },
      ]),
      'gen_ai.output.messages': json([{ role: 'assistant', parts: [{ type: 'text', content: 'It exports x = 1.' }], finish_reason: 'stop' }]),
    },
    agent,
    SpanKind.CLIENT,
  );
  t.leaf('embeddings text-embedding-3-small', { 'gen_ai.operation.name': 'embeddings', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'text-embedding-3-small', 'gen_ai.usage.input_tokens': 12 }, agent, SpanKind.CLIENT);
  t.leaf('retrieval docs-index', { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'docs-index' }, agent, SpanKind.CLIENT);
  t.end(agent);
  return { dialect: 'current semconv', spans: collect.spans, truth: { inputTokens: 3312, outputTokens: 370, models: ['gpt-4o-2024-08-06', 'text-embedding-3-small'], naiveInputTokens: 3300 + 3312 } };
}

/** Semantic conventions v1.36 and before: gen_ai.system, prompt/completion tokens, content in events. */
export function olderSemconv(): Scenario {
  const { tracer, collect } = provider('legacy-app');
  const t = new Tree(tracer);
  const root = t.start('POST /ask', { 'http.request.method': 'POST', 'url.path': '/ask' }, undefined, SpanKind.SERVER);
  const chat = t.start('chat gpt-3.5-turbo', { 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-3.5-turbo', 'gen_ai.response.model': 'gpt-3.5-turbo-0125', 'gen_ai.usage.prompt_tokens': 42, 'gen_ai.usage.completion_tokens': 7 }, root, SpanKind.CLIENT);
  chat.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': json([{ role: 'user', content: 'Say hi' }]) });
  chat.addEvent('gen_ai.content.completion', { 'gen_ai.completion': json([{ role: 'assistant', content: 'Hi!' }]) });
  t.end(chat);
  // A parent with usage whose children record none: the only record of its call, so it counts.
  const wf = t.start('summarise', { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-3.5-turbo', 'gen_ai.usage.prompt_tokens': 100, 'gen_ai.usage.completion_tokens': 20 }, root);
  t.leaf('format', { 'code.function.name': 'format' }, wf);
  t.end(wf);
  t.end(root);
  return { dialect: 'older semconv', spans: collect.spans, truth: { inputTokens: 142, outputTokens: 27, models: ['gpt-3.5-turbo', 'gpt-3.5-turbo-0125'], naiveInputTokens: 142 } };
}

/** Traceloop / OpenLLMetry: a workflow with two chat calls (indexed prompts) and a tool task. */
export function traceloop(): Scenario {
  const { tracer, collect } = provider('traceloop-app');
  const t = new Tree(tracer);
  const wf = t.start('weather_workflow.workflow', { 'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'weather_workflow', 'traceloop.workflow.name': 'weather_workflow' });
  t.leaf(
    'openai.chat',
    {
      'llm.request.type': 'chat',
      'gen_ai.system': 'OpenAI',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.prompt_tokens': 120,
      'gen_ai.usage.completion_tokens': 30,
      'llm.usage.total_tokens': 150,
      'gen_ai.prompt.0.role': 'system',
      'gen_ai.prompt.0.content': 'You answer about weather.',
      'gen_ai.prompt.1.role': 'user',
      'gen_ai.prompt.1.content': 'Weather in Paris?',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 'call_w',
      'gen_ai.completion.0.tool_calls.0.name': 'get_weather',
      'gen_ai.completion.0.tool_calls.0.arguments': json({ city: 'Paris' }),
    },
    wf,
    SpanKind.CLIENT,
  );
  t.leaf('get_weather.tool', { 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'get_weather', 'traceloop.entity.input': json({ city: 'Paris' }), 'traceloop.entity.output': json({ tempC: 21 }) }, wf);
  t.leaf(
    'openai.chat',
    {
      'llm.request.type': 'chat',
      'gen_ai.system': 'OpenAI',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.prompt_tokens': 80,
      'gen_ai.usage.completion_tokens': 20,
      'llm.usage.total_tokens': 100,
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Weather in Paris?',
      'gen_ai.prompt.1.role': 'tool',
      'gen_ai.prompt.1.tool_call_id': 'call_w',
      'gen_ai.prompt.1.content': json({ tempC: 21 }),
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': 'It is 21 °C in Paris.',
    },
    wf,
    SpanKind.CLIENT,
  );
  t.end(wf);
  return { dialect: 'Traceloop', spans: collect.spans, truth: { inputTokens: 200, outputTokens: 50, models: ['gpt-4o-mini-2024-07-18'], naiveInputTokens: 200 } };
}

/** OpenInference: a CHAIN that sums its calls, an AGENT, two LLM calls, a TOOL and a RETRIEVER. */
export function openInference(): Scenario {
  const { tracer, collect } = provider('phoenix-app');
  const t = new Tree(tracer);
  const chain = t.start('RunnableSequence', { 'openinference.span.kind': 'CHAIN', 'input.value': 'Find the docs', 'output.value': 'Here they are', 'llm.token_count.prompt': 300, 'llm.token_count.completion': 60, 'llm.token_count.total': 360 });
  const agent = t.start('agent', { 'openinference.span.kind': 'AGENT', 'agent.name': 'researcher' }, chain);
  t.leaf(
    'ChatOpenAI',
    {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o',
      'llm.provider': 'openai',
      'llm.system': 'openai',
      'llm.token_count.prompt': 200,
      'llm.token_count.completion': 40,
      'llm.token_count.total': 240,
      'llm.token_count.prompt_details.cache_read': 50,
      'llm.token_count.completion_details.reasoning': 8,
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'You search docs.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Find the docs',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_s',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'search',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': json({ q: 'docs' }),
      'input.value': json({ messages: [] }),
    },
    agent,
    SpanKind.CLIENT,
  );
  t.leaf('search', { 'openinference.span.kind': 'TOOL', 'tool.name': 'search', 'input.value': json({ q: 'docs' }), 'output.value': 'doc-1, doc-2' }, agent);
  t.leaf('retrieve', { 'openinference.span.kind': 'RETRIEVER', 'input.value': 'docs' }, agent);
  t.leaf(
    'ChatOpenAI',
    {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o',
      'llm.provider': 'openai',
      'llm.token_count.prompt': 100,
      'llm.token_count.completion': 20,
      'llm.token_count.total': 120,
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Summarise doc-1, doc-2',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Here they are',
    },
    agent,
    SpanKind.CLIENT,
  );
  t.end(agent);
  t.end(chain);
  return { dialect: 'OpenInference', spans: collect.spans, truth: { inputTokens: 300, outputTokens: 60, models: ['gpt-4o'], naiveInputTokens: 600 } };
}

/**
 * The real Vercel AI SDK: generateText with a tool over two steps (usage 10/5 then 20/8), and a
 * streamText call (7/3), each with the SDK's own mock model and telemetry on.
 */
export async function vercelAiSdk(): Promise<Scenario> {
  const { generateText, streamText, tool, stepCountIs, simulateReadableStream } = await import('ai');
  const { MockLanguageModelV3 } = await import('ai/test');
  const { z } = await import('zod');
  const { tracer, collect } = provider('vercel-app');
  const mgr = new AsyncLocalContextManager();
  context.setGlobalContextManager(mgr);
  try {
    const usage = (input: number, output: number) => ({
      inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: output, text: output, reasoning: undefined },
    });
    let step = 0;
    const model = new MockLanguageModelV3({
      provider: 'mock-provider',
      modelId: 'mock-model-id',
      doGenerate: async () => {
        step++;
        if (step === 1) {
          return {
            content: [{ type: 'tool-call' as const, toolCallId: 'call-1', toolName: 'weather', input: json({ city: 'Paris' }) }],
            finishReason: { unified: 'tool-calls' as const, raw: 'tool_calls' },
            usage: usage(10, 5),
            warnings: [],
          };
        }
        return { content: [{ type: 'text' as const, text: 'It is 21 degrees in Paris.' }], finishReason: { unified: 'stop' as const, raw: 'stop' }, usage: usage(20, 8), warnings: [] };
      },
    });
    const result = await generateText({
      model,
      system: 'You are a weather bot.',
      prompt: 'Weather in Paris?',
      tools: { weather: tool({ description: 'Weather of a city', inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, tempC: 21 }) }) },
      stopWhen: stepCountIs(3),
      experimental_telemetry: { isEnabled: true, tracer, functionId: 'weather-bot' },
    });
    if (result.text !== 'It is 21 degrees in Paris.') throw new Error(`unexpected mock result ${result.text}`);

    const streamModel = new MockLanguageModelV3({
      provider: 'mock-provider',
      modelId: 'mock-stream-model',
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: 'text-start' as const, id: 't1' },
            { type: 'text-delta' as const, id: 't1', delta: 'Hello' },
            { type: 'text-delta' as const, id: 't1', delta: ', world' },
            { type: 'text-end' as const, id: 't1' },
            { type: 'finish' as const, finishReason: { unified: 'stop' as const, raw: 'stop' }, usage: usage(7, 3) },
          ],
        }),
      }),
    });
    const s = streamText({ model: streamModel, prompt: 'Greet', experimental_telemetry: { isEnabled: true, tracer } });
    await s.consumeStream();
    if ((await s.text) !== 'Hello, world') throw new Error('unexpected stream result');
  } finally {
    context.disable();
  }
  return { dialect: 'Vercel AI SDK', spans: collect.spans, truth: { inputTokens: 37, outputTokens: 16, models: ['mock-model-id', 'mock-stream-model'], naiveInputTokens: 74 } };
}
