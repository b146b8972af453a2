// The extension's one catalog worker, and the host's view of a session in it. The host never holds
// a trace: a RemoteSession knows the summaries it was opened with and asks the worker for the rest.
import * as vscode from 'vscode';
import { CatalogClient } from '../core/catalog/client';
import type { SessionInfo } from '../core/catalog/protocol';
import type { RedactionRules } from '../core/redaction';
import type { ShareFormat } from '../core/share';
import type { Span } from '../core/model/model';
import type { RawCodeSite, ResolvedSite } from '../core/source';
import type { RequestMap, RequestMethod, TraceSummaryDto, WaterfallDto } from '../shared/protocol';
import { log } from './log';
import { notify } from './userMessages';

type SiteResolver = (site: RawCodeSite) => Promise<ResolvedSite | undefined>;

let resolver: SiteResolver | undefined;

/** Who resolves code sites for the statistics (set by the source features once they exist). */
export function setSiteResolver(r: SiteResolver): void {
  resolver = r;
}

export function createCatalog(context: vscode.ExtensionContext): CatalogClient {
  const maxHeapMB = vscode.workspace.getConfiguration('spanlens').get<number>('worker.maxMemoryMB', 8192);
  const client = new CatalogClient({
    workerScript: vscode.Uri.joinPath(context.extensionUri, 'dist', 'spanlens.worker.js').fsPath,
    maxHeapMB,
    host: { resolveSite: (site) => (resolver ? resolver(site) : undefined) },
  });
  context.subscriptions.push(
    { dispose: () => void client.dispose() },
    client.onDidStop((reason) => {
      log()?.error(`The Spanlens trace worker stopped: ${reason}`);
      notify('error', `Spanlens: the trace worker stopped (${reason}). The open trace views closed their traces; reopen a file to load it again.`);
    }),
  );
  return client;
}

export class RemoteSession {
  constructor(
    private readonly client: CatalogClient,
    public info: SessionInfo,
  ) {}

  get sessionId(): number {
    return this.info.sessionId;
  }

  get formatLabel(): string {
    return this.info.formatLabel;
  }

  get traceCount(): number {
    return this.info.traces.length;
  }

  summaries(): readonly TraceSummaryDto[] {
    return this.info.traces;
  }

  warningTexts(): readonly string[] {
    return this.info.warnings;
  }

  waterfall(traceIndex: number): Promise<WaterfallDto> {
    this.checkTrace(traceIndex);
    return this.client.call('waterfall', this.sessionId, traceIndex);
  }

  handle<M extends RequestMethod>(method: M, params: RequestMap[M]['params']): Promise<RequestMap[M]['result']> {
    return this.client.call('request', this.sessionId, method, params) as Promise<RequestMap[M]['result']>;
  }

  findSpan(traceId: string, spanId: string): Promise<{ traceIndex: number; spanIndex: number } | undefined> {
    return this.client.call('findSpan', this.sessionId, traceId, spanId);
  }

  /** One span, decoded, for jump to code. */
  span(traceIndex: number, spanIndex: number): Promise<Span> {
    this.checkSpan(traceIndex, spanIndex);
    return this.client.call('span', this.sessionId, traceIndex, spanIndex);
  }

  saveOtlpJson(traceIndex: number | undefined, file: string) {
    return this.client.call('saveOtlpJson', this.sessionId, traceIndex, file);
  }

  /** Redacts (rules null: as is) and previews or writes, in the worker (Share / Save Trace As). */
  shareExport(traceIndex: number | undefined, format: ShareFormat, rules: RedactionRules | null, mode: 'preview' | 'write', file?: string) {
    if (traceIndex !== undefined) this.checkTrace(traceIndex);
    return this.client.call('shareExport', { kind: 'session', sessionId: this.sessionId, traceIndex }, format, rules, mode, file);
  }

  checkTrace(traceIndex: number): void {
    if (traceIndex < 0 || traceIndex >= this.info.traces.length) {
      throw new Error(`no trace #${traceIndex} in this file (it has ${this.info.traces.length})`);
    }
  }

  checkSpan(traceIndex: number, spanIndex: number): void {
    this.checkTrace(traceIndex);
    const n = this.info.traces[traceIndex].spanCount;
    if (spanIndex < 0 || spanIndex >= n) throw new Error(`no span #${spanIndex} in trace #${traceIndex} (it has ${n})`);
  }

  close(): void {
    void this.client.call('closeSession', this.sessionId).catch(() => undefined);
  }
}
