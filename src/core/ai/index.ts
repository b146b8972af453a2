// The AI tools (chat tools in VS Code, `spanlens mcp`): see ./tools.ts.
export { AI_RESULT_MAX_CHARS, AI_TOOL_NAMES, AI_TOOLS, MAX_SPANS_PER_CALL, recordedCodeLocation, runAiTool } from './tools';
export type { AiInputSchema, AiPropertySchema, AiToolContext, AiToolDefinition, AiToolName, AiTraceSource, AiTraceSummary } from './tools';
export { catalogAiContext, COLLECTOR_SOURCE, displaySource, workspaceRelativePath } from './catalogContext';
export type { AiCallOptions, CatalogAiState, LiveStoreLike } from './catalogContext';
