// GenAI facts per trace: the kind of each span (for the waterfall icons) and the trace's token
// totals, computed in one pass and cached per Trace.
//
// Counting rule: a model call is counted once. Frameworks record the same usage at several levels:
// the Vercel AI SDK on `ai.generateText` and again on its `ai.generateText.doGenerate` child, an
// agent span (Copilot's `invoke_agent`, an OpenInference AGENT or CHAIN) as the sum of its model
// calls. So a span's usage is NOT counted when any descendant span carries usage: usage counts on
// the innermost spans that carry it. A parent with usage whose children record none (the only
// record of the call) is counted.
import type { Trace } from '../model/model';
import { hasUsage, mayBeGenAi, modelOf, readGenAi, type GenAiSpan } from './read';
import type { GenAiKind } from './table';

/** Kind codes of `kinds` (0: not a GenAI span, or one without a kind). */
export const GENAI_KIND_CODES: readonly (GenAiKind | undefined)[] = [undefined, 'model', 'tool', 'agent', 'retrieval', 'embedding'];
const CODE_OF: Record<GenAiKind, number> = { model: 1, tool: 2, agent: 3, retrieval: 4, embedding: 5 };

export interface GenAiTotals {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  readonly reasoningTokens: number;
  /** Sorted, unique: the model of every model call (response model, else request model). */
  readonly models: readonly string[];
  /** Spans whose usage was counted. */
  readonly countedSpans: number;
}

export interface TraceGenAi {
  /** Per span (trace order): GENAI_KIND_CODES index. */
  readonly kinds: Uint8Array;
  /** The GenAI spans, by span index (without messages). */
  readonly spans: ReadonlyMap<number, GenAiSpan>;
  /** Per span: 1 when its usage is counted in `totals`. */
  readonly counted: Uint8Array;
  /** Undefined when the trace has no GenAI span. */
  readonly totals?: GenAiTotals;
}

const cache = new WeakMap<Trace, TraceGenAi>();

export function traceGenAi(trace: Trace): TraceGenAi {
  let g = cache.get(trace);
  if (!g) cache.set(trace, (g = scan(trace)));
  return g;
}

/** The trace's token totals and models, or undefined when it has no GenAI span. */
export function traceGenAiTotals(trace: Trace): GenAiTotals | undefined {
  return traceGenAi(trace).totals;
}

function scan(trace: Trace): TraceGenAi {
  const n = trace.spans.length;
  const kinds = new Uint8Array(n);
  const counted = new Uint8Array(n);
  const spans = new Map<number, GenAiSpan>();
  for (let i = 0; i < n; i++) {
    const s = trace.spans[i];
    if (!mayBeGenAi(s)) continue;
    const g = readGenAi(s);
    if (!g) continue;
    spans.set(i, g);
    if (g.kind) kinds[i] = CODE_OF[g.kind];
  }
  if (!spans.size) return { kinds, spans, counted };

  // Mark every ancestor of a span with usage; the walk stops at an ancestor already marked (its
  // own ancestors are then marked too), so the pass is linear. buildTrace cut any parent cycle.
  const usageBelow = new Uint8Array(n);
  for (const [i, g] of spans) {
    if (!hasUsage(g)) continue;
    for (let p = trace.parentIndex[i]; p >= 0 && !usageBelow[p]; p = trace.parentIndex[p]) usageBelow[p] = 1;
  }
  let inputTokens = 0;
  let outputTokens = 0;
  let cachedInputTokens = 0;
  let reasoningTokens = 0;
  let countedSpans = 0;
  const models = new Set<string>();
  for (const [i, g] of spans) {
    const model = modelOf(g);
    if (hasUsage(g) && !usageBelow[i]) {
      counted[i] = 1;
      countedSpans++;
      inputTokens += g.tokens.input ?? 0;
      outputTokens += g.tokens.output ?? 0;
      cachedInputTokens += g.tokens.cachedInput ?? 0;
      reasoningTokens += g.tokens.reasoning ?? 0;
      if (model) models.add(model);
    } else if (g.kind === 'model' && model) models.add(model);
  }
  return {
    kinds,
    spans,
    counted,
    totals: { inputTokens, outputTokens, cachedInputTokens, reasoningTokens, models: [...models].sort(), countedSpans },
  };
}
