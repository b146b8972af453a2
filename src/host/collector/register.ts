// Wires the dev collector into the editor: commands, status bar, the Collected view, live
// waterfalls, terminal and debug environment, auto start (trusted workspaces only) and the
// spanlens._test.* hooks the integration tests read.
import * as path from 'path';
import * as vscode from 'vscode';
import { TraceEditorProvider, VIEW_TYPE } from '../traceEditorProvider';
import { chooseRedaction } from '../redaction/choice';
import { notify, pick } from '../userMessages';
import { CollectedView, COLLECTED_VIEW, rowOf } from './collectedView';
import { CollectorController, describePorts } from './controller';
import { CollectorDebugEnvironment, exportLines, registerTerminalEnvironment } from './environment';
import { liveTraceUri, LiveTraceFileSystem } from './liveDocuments';
import { COLLECTOR_MENU, CollectorStatusBar } from './statusBar';
import { readCollectorSettings } from './settings';

/** Settings bound when the collector starts (autoStart is read when needed). */
const RESTART_SETTINGS = ['host', 'httpPort', 'grpcPort', 'zipkinPort', 'maxSpans', 'maxLogs', 'maxRequestBytes', 'outputFile', 'corsAllowedOrigins', 'forwardTo'];

export function registerCollector(context: vscode.ExtensionContext, provider: TraceEditorProvider): CollectorController {
  // The collector runs in the catalog's worker: collected traces live there once, next to the catalog.
  const controller = new CollectorController((port) => provider.catalog.serveCollector(port));
  context.subscriptions.push(controller);
  const statusBar = new CollectorStatusBar(controller);
  context.subscriptions.push(statusBar);
  const view = CollectedView.register(context, controller);
  LiveTraceFileSystem.register(context, controller, provider);
  registerTerminalEnvironment(context, controller);
  CollectorDebugEnvironment.register(context, controller);

  const running = () => {
    const h = controller.handle;
    if (!h) notify('info', 'The dev collector is not running. Start it with "Spanlens: Start Dev Collector".');
    return h;
  };

  /** `target` and `options.redact` (tests) answer without asking; redacting is the default. */
  const exportTraces = async (target?: unknown, options?: unknown) => {
    const h = running();
    if (!h) return undefined;
    let uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.file(target) : undefined;
    const rules = await chooseRedaction('Export Collected Traces', (options as { redact?: unknown } | undefined)?.redact, !uri);
    if (rules === undefined) return undefined;
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
      uri = await vscode.window.showSaveDialog({
        title: 'Export Collected Traces (OTLP JSON Lines)',
        saveLabel: 'Export',
        defaultUri: folder ? vscode.Uri.joinPath(folder, `collected-${stamp}.otlp.jsonl`) : undefined,
        filters: { 'OTLP JSON Lines': ['jsonl'] },
      });
      if (!uri) return undefined;
    }
    try {
      // The store lives in the catalog's worker: it redacts and writes there, with the same engine as Share Trace.
      const r = await provider.catalog.call('shareExport', { kind: 'collected' }, 'otlp-jsonl', rules, 'write', uri.fsPath);
      const redacted = r.redactedExport ? ` ${r.countsText[0].toUpperCase()}${r.countsText.slice(1)}.` : '';
      notify('info', `Exported ${r.traces} trace(s), ${r.spans} span(s) to ${path.basename(uri.fsPath)}.${redacted}`, ['Open in Waterfall'], () => {
        void vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
      });
      return r;
    } catch (e) {
      notify('error', `Could not export the collected traces: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };

  const copyEnvironment = async () => {
    const h = running();
    if (!h) return undefined;
    const text = exportLines(h.endpoints);
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage('Spanlens: OTLP environment copied', 3000);
    return text;
  };

  const openView = async () => {
    await vscode.commands.executeCommand(`${COLLECTED_VIEW}.focus`);
  };

  const menu = async () => {
    const h = controller.handle;
    const items: (vscode.QuickPickItem & { run: () => unknown })[] = h
      ? [
          { label: '$(debug-stop) Stop Dev Collector', description: describePorts(h), run: () => controller.stop() },
          { label: '$(clear-all) Clear Collected Traces', run: () => vscode.commands.executeCommand('spanlens.clearCollectedTraces') },
          { label: '$(save) Export Collected Traces…', run: () => exportTraces() },
          { label: '$(copy) Copy OTLP Environment', description: h.endpoints.otlpHttp, run: () => copyEnvironment() },
          { label: '$(list-tree) Open Collected Traces', run: () => openView() },
        ]
      : [{ label: '$(play) Start Dev Collector', run: () => controller.start() }];
    const chosen = await pick(items, { title: 'Spanlens Dev Collector' });
    await chosen?.run();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('spanlens.startCollector', () => controller.start()),
    vscode.commands.registerCommand('spanlens.stopCollector', () => controller.stop()),
    vscode.commands.registerCommand('spanlens.clearCollectedTraces', async () => {
      const h = running();
      if (h) await h.store.clear();
    }),
    vscode.commands.registerCommand('spanlens.exportCollectedTraces', (target?: unknown, options?: unknown) => exportTraces(target, options)),
    vscode.commands.registerCommand('spanlens.copyOtlpEnvironment', () => copyEnvironment()),
    vscode.commands.registerCommand('spanlens.openCollectedTraces', () => openView()),
    vscode.commands.registerCommand(COLLECTOR_MENU, () => menu()),
    vscode.commands.registerCommand('spanlens.openCollectedTrace', async (traceId: unknown) => {
      if (typeof traceId !== 'string' || !/^[0-9a-f]+$/.test(traceId)) return;
      await vscode.commands.executeCommand('vscode.openWith', liveTraceUri(traceId), VIEW_TYPE);
    }),

    // For the integration tests: what the Collected view and the status bar show.
    vscode.commands.registerCommand('spanlens._test.collectedTraces', async () => {
      const h = controller.handle;
      const rows = await view.rows();
      return {
        state: controller.state,
        ports: h?.ports,
        endpoints: h?.endpoints,
        stats: h ? await h.refreshStats() : undefined,
        filter: { ...view.filter },
        rows: rows.map((s) => rowOf(s)),
        statusBar: { text: statusBar.item.text },
      };
    }),
    vscode.commands.registerCommand('spanlens._test.collectorEnvironment', (debugConfig?: vscode.DebugConfiguration) => {
      const terminal: Record<string, string> = {};
      context.environmentVariableCollection.forEach((name, m) => (terminal[name] = m.value));
      const debug = debugConfig ? new CollectorDebugEnvironment(controller).resolveDebugConfiguration(undefined, debugConfig) : undefined;
      return { terminal, debug };
    }),
    vscode.commands.registerCommand('spanlens._test.collectorSettings', (trusted?: boolean) => readCollectorSettings(trusted ?? vscode.workspace.isTrusted)),
    vscode.commands.registerCommand('spanlens._test.collectedView', (filter?: { service?: string; errorsOnly?: boolean }) => {
      if (filter) view.setFilter(filter);
      return { ...view.filter };
    }),
  );

  // Auto start, only in a trusted workspace (readCollectorSettings ignores autoStart otherwise).
  if (readCollectorSettings().autoStart) void controller.start();
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (controller.state === 'stopped' && readCollectorSettings().autoStart) void controller.start();
    }),
    // Ports and limits are bound at start: say so instead of silently ignoring a change.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('spanlens.collector') || !controller.handle) return;
      if (RESTART_SETTINGS.some((k) => e.affectsConfiguration(`spanlens.collector.${k}`))) {
        notify('info', 'The dev collector settings changed; they apply when it restarts.', ['Restart'], () => {
          void controller.stop().then(() => controller.start());
        });
      }
    }),
  );
  return controller;
}
