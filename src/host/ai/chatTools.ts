// The chat tools (#spanlensTraces…): VS Code's language model tools over the loaded traces. Each one
// is contributed in package.json (languageModelTools) and answered by the catalog worker (aiTool),
// redacted with the user's spanlens.redaction rules: what reaches a model never holds a secret the
// rules catch. The host only relays.
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import { AI_TOOLS } from '../../core/ai/tools';
import { log } from '../log';
import { readRedactionSettings } from '../redaction/settings';

/** The contributed name of a tool: `spanlens_list_traces`. */
export function chatToolName(name: string): string {
  return `spanlens_${name}`;
}

export function registerChatTools(context: vscode.ExtensionContext, catalog: CatalogClient): void {
  // Older hosts (and some forks) have no tools API: the rest of Spanlens works without it.
  if (typeof vscode.lm?.registerTool !== 'function') {
    log()?.info('This editor has no language model tools API; the Spanlens chat tools are not registered.');
    return;
  }
  for (const tool of AI_TOOLS) {
    context.subscriptions.push(
      vscode.lm.registerTool<unknown>(chatToolName(tool.name), {
        prepareInvocation: () => ({ invocationMessage: `Spanlens: ${tool.title}` }),
        async invoke(options) {
          // Read-only and local: no confirmation. Errors go back to the model as the tool's failure.
          const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
          const text = await catalog.call('aiTool', tool.name, options.input, readRedactionSettings().rules, { workspaceFolders });
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
        },
      }),
    );
  }
}
