// The host side of the backends: clients with their secrets, the cancellable progress notification,
// redacted logging, and opening a fetched trace in the waterfall (via a file in global storage, so
// the custom editor, CodeLens and "Save Trace As…" treat it like any trace file).
import * as vscode from 'vscode';
import { BackendError, createBackendClient, describeQuery, redact, secretValues, type BackendClient, type BackendConfig, type FetchedTrace, type SearchQuery, type TraceSummary } from '../../core/backends';
import { log } from '../log';
import { VIEW_TYPE } from '../traceEditorProvider';
import { notify } from '../userMessages';
import { readBackendSettings } from './config';
import { BackendCredentialStore } from './credentials';

export interface RecentTrace {
  readonly backend: string;
  readonly traceId: string;
  readonly rootName?: string;
  readonly fetchedAt: number;
}

export interface RecentSearch {
  readonly backend: string;
  readonly query: SearchQuery;
  readonly label: string;
}

const RECENT_TRACES = 'spanlens.backends.recentTraces';
const RECENT_SEARCHES = 'spanlens.backends.recentSearches';
const MAX_RECENT = 15;
const LOG_KEEP = 200;

export class BackendService {
  readonly store: BackendCredentialStore;
  private readonly logLines: string[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when recent traces/searches change (the Backends view refreshes). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.store = new BackendCredentialStore(context.secrets);
    context.subscriptions.push(this.changed);
  }

  async client(config: BackendConfig): Promise<{ client: BackendClient; secrets: string[] }> {
    const creds = await this.store.get(config.name);
    return { client: createBackendClient(config, creds), secrets: secretValues(creds, config) };
  }

  /** Logs to the Spanlens channel with every known secret and credential pattern removed. */
  logInfo(text: string, secrets: readonly string[] = []): void {
    const line = redact(text, secrets);
    this.logLines.push(line);
    if (this.logLines.length > LOG_KEEP) this.logLines.shift();
    log()?.info(line);
  }

  /** Test hook: what went to the output channel from here. */
  loggedLines(): string[] {
    return this.logLines.slice();
  }

  /** Runs `work` under a cancellable progress notification; cancelling aborts the HTTP requests. */
  withProgress<T>(title: string, work: (signal: AbortSignal, timeoutMs: number, report: (m: string) => void) => Promise<T>): Thenable<T> {
    const { timeoutMs } = readBackendSettings();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Spanlens: ${title}`, cancellable: true }, (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      return work(ac.signal, timeoutMs, (message) => progress.report({ message })).finally(() => sub.dispose());
    });
  }

  /**
   * Asks `backends` in order for the trace and opens the first hit. Not-found answers move on to the
   * next backend; the user is told every failure when none has it.
   */
  async fetchAndOpen(traceId: string, backends: readonly BackendConfig[]): Promise<boolean> {
    const failures: BackendError[] = [];
    const outcome = await this.withProgress(`fetching trace ${traceId}`, async (signal, timeoutMs, report) => {
      for (const b of backends) {
        report(`asking ${b.name}…`);
        let secrets: string[] = [];
        try {
          const c = await this.client(b);
          secrets = c.secrets;
          this.logInfo(`fetching trace ${traceId} from ${b.name} (${b.type}, ${b.url})`, secrets);
          const fetched = await c.client.getTrace(traceId, { signal, timeoutMs });
          this.logInfo(`${b.name}: trace ${traceId}: ${fetched.file.spanCount} spans from ${fetched.source}`, secrets);
          return { fetched, backend: b };
        } catch (e) {
          const err = e instanceof BackendError ? e : new BackendError(redact(e instanceof Error ? e.message : String(e), secrets), 'http');
          this.logInfo(`${b.name}: ${err.message}`, secrets);
          if (err.kind === 'cancelled') return 'cancelled' as const;
          failures.push(err);
        }
      }
      return undefined;
    });
    if (outcome === 'cancelled') return false;
    if (outcome) {
      await this.openFetched(outcome.fetched, outcome.backend);
      return true;
    }
    const real = failures.filter((f) => f.kind !== 'not-found');
    if (!real.length) notify('error', `trace ${traceId} not found in ${backends.map((b) => b.name).join(', ')}`);
    else for (const f of real) notify('error', f.message);
    return false;
  }

  async openFetched(fetched: FetchedTrace, backend: BackendConfig): Promise<vscode.Uri> {
    const dir = vscode.Uri.joinPath(this.context.globalStorageUri, 'fetched');
    await vscode.workspace.fs.createDirectory(dir);
    const head = new TextDecoder().decode(fetched.body.subarray(0, 4096)).trim();
    const isLines = /\}\s*\n\s*\{/.test(head);
    const safeName = backend.name.replace(/[^A-Za-z0-9._-]+/g, '_');
    const uri = vscode.Uri.joinPath(dir, `${safeName}-${fetched.traceId}.${backend.type}.${isLines ? 'jsonl' : 'json'}`);
    await vscode.workspace.fs.writeFile(uri, fetched.body);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    if (fetched.partial) notify('warning', `${backend.name}: ${fetched.partial}`);
    const root = fetched.file.traces[0]?.rootName;
    await this.remember<RecentTrace>(RECENT_TRACES, { backend: backend.name, traceId: fetched.traceId, rootName: root, fetchedAt: Date.now() }, (a, b) => a.backend === b.backend && a.traceId === b.traceId);
    return uri;
  }

  async search(backend: BackendConfig, query: SearchQuery): Promise<TraceSummary[] | undefined> {
    try {
      const hits = await this.withProgress(`searching ${backend.name}`, async (signal, timeoutMs) => {
        const c = await this.client(backend);
        this.logInfo(`searching ${backend.name} (${backend.type}, ${backend.url}): ${describeQuery(query)}`, c.secrets);
        try {
          const r = await c.client.search(query, { signal, timeoutMs });
          this.logInfo(`${backend.name}: ${r.length} trace(s) found`, c.secrets);
          return r;
        } catch (e) {
          if (e instanceof BackendError) this.logInfo(`${backend.name}: ${e.message}`, c.secrets);
          throw e;
        }
      });
      await this.remember<RecentSearch>(RECENT_SEARCHES, { backend: backend.name, query, label: describeQuery(query) }, (a, b) => a.backend === b.backend && a.label === b.label);
      return hits;
    } catch (e) {
      if (!(e instanceof BackendError && e.kind === 'cancelled')) notify('error', e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }

  recentTraces(): RecentTrace[] {
    return this.context.workspaceState.get<RecentTrace[]>(RECENT_TRACES) ?? [];
  }

  recentSearches(): RecentSearch[] {
    return this.context.workspaceState.get<RecentSearch[]>(RECENT_SEARCHES) ?? [];
  }

  private async remember<T>(key: string, item: T, same: (a: T, b: T) => boolean): Promise<void> {
    const list = (this.context.workspaceState.get<T[]>(key) ?? []).filter((x) => !same(x, item));
    await this.context.workspaceState.update(key, [item, ...list].slice(0, MAX_RECENT));
    this.changed.fire();
  }
}
