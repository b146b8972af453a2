// Wires the backend features into the extension: commands, the Backends view, terminal links.
import * as vscode from 'vscode';
import { describeQuery, type BackendConfig, type TraceSummary } from '../../core/backends';
import type { TraceEditorProvider } from '../traceEditorProvider';
import { notify, pick } from '../userMessages';
import { BackendsView, queryFromArg } from './backendsView';
import { readBackendSettings } from './config';
import { setBackendCredentials } from './credentials';
import { openTraceById } from './openById';
import { saveTraceAs } from './saveTrace';
import { askSearchQuery } from './searchForm';
import { BackendService } from './service';
import { TraceIdLinkProvider } from './terminalLinks';

export function registerBackends(context: vscode.ExtensionContext, provider: TraceEditorProvider): BackendService {
  const service = new BackendService(context);
  const view = new BackendsView(service);
  const links = new TraceIdLinkProvider((traceId) => openTraceById(service, traceId));

  const backendNamed = async (name: unknown): Promise<BackendConfig | undefined> => {
    const { backends } = readBackendSettings();
    if (typeof name === 'string') {
      const b = backends.find((x) => x.name === name);
      if (!b) notify('error', `no backend named "${name}" in the spanlens.backends setting`);
      return b;
    }
    if (name && typeof name === 'object' && 'backend' in name) return (name as { backend: BackendConfig }).backend; // tree node
    if (backends.length <= 1) {
      if (!backends.length) notify('warning', 'no trace backend is configured: add Jaeger, Tempo or Zipkin to the spanlens.backends setting');
      return backends[0];
    }
    return (await pick(backends.map((b) => ({ label: b.name, description: `${b.type} · ${b.url}`, b })), { title: 'Search which backend?' }))?.b;
  };

  context.subscriptions.push(
    view,
    vscode.window.registerTreeDataProvider('spanlens.backends', view),
    service.onDidChange(() => view.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('spanlens.backends')) view.refresh();
    }),
    vscode.window.registerTerminalLinkProvider(links),
    vscode.commands.registerCommand('spanlens.openTraceById', (arg?: unknown) => openTraceById(service, arg)),
    vscode.commands.registerCommand('spanlens.setBackendCredentials', (name?: unknown, creds?: unknown) => setBackendCredentials(service.store, name, creds)),
    vscode.commands.registerCommand('spanlens.saveTraceAs', (uri?: unknown, target?: unknown, options?: unknown) => saveTraceAs(provider, uri, target, options)),
    vscode.commands.registerCommand('spanlens.backends.refresh', () => view.refresh()),
    vscode.commands.registerCommand('spanlens.backends.search', async (name?: unknown, queryArg?: unknown): Promise<TraceSummary[] | undefined> => {
      const backend = await backendNamed(name);
      if (!backend) return undefined;
      const query = queryFromArg(queryArg) ?? (await askSearchQuery(service, backend));
      if (!query) return undefined;
      const hits = await service.search(backend, query);
      if (hits) {
        view.setResults(backend.name, describeQuery(query), hits);
        if (!hits.length) notify('info', `${backend.name}: no traces matched ${describeQuery(query)}`);
        // A search started from the palette shows its results where they are listed.
        else if (!queryArg) void vscode.commands.executeCommand('spanlens.backends.focus');
      }
      return hits;
    }),
    vscode.commands.registerCommand('spanlens.backends.openResult', async (name?: unknown, traceId?: unknown) => {
      const backend = await backendNamed(name);
      if (!backend || typeof traceId !== 'string') return false;
      return service.fetchAndOpen(traceId, [backend]);
    }),
    // For the integration tests: what went to the output channel from the backends, and the links
    // the terminal would show for a line. Not contributed to the palette.
    vscode.commands.registerCommand('spanlens._test.backendLog', () => service.loggedLines()),
    vscode.commands.registerCommand('spanlens._test.terminalLinks', (line: unknown) =>
      links.provideTerminalLinks({ line: String(line), terminal: undefined as unknown as vscode.Terminal }).map((l) => ({ startIndex: l.startIndex, length: l.length, traceId: l.traceId })),
    ),
    vscode.commands.registerCommand('spanlens._test.activateTerminalLink', (line: unknown) => {
      const l = links.provideTerminalLinks({ line: String(line), terminal: undefined as unknown as vscode.Terminal })[0];
      return l ? openTraceById(service, l.traceId) : false;
    }),
  );
  return service;
}
