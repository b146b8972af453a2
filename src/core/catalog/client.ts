// The host's handle on the catalog worker: typed calls, load progress and cancellation, and what
// happens when the thread dies (every pending call fails with WorkerStoppedError, listeners hear
// of it, and the next call starts a fresh worker). Pure Node, no vscode.
import * as fs from 'fs';
import * as path from 'path';
import { Worker, type MessagePort } from 'worker_threads';
import type { CatalogCalls, CatalogMethod, FromCatalog, HostCalls, LoadProgress, SessionInfo, SessionSpec, ToCatalog } from './protocol';

export const CATALOG_WORKER_FILE = 'spanlens.worker.js';

/** The worker thread stopped (out of memory, a bug) while the call was pending. */
export class WorkerStoppedError extends Error {
  constructor(readonly reason: string) {
    super(`the Spanlens trace worker stopped (${reason})`);
    this.name = 'WorkerStoppedError';
  }
}

/** A load failed: `errorView` is what the waterfall shows; `cancelled` when the user cancelled it. */
export class CatalogCallError extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
    readonly errorView?: unknown,
  ) {
    super(message);
    this.name = 'CatalogCallError';
  }
}

export interface CatalogClientOptions {
  readonly workerScript?: string;
  /** The worker's heap limit (MB). Past it the worker stops with an out-of-memory error; the host does not. */
  readonly maxHeapMB?: number;
  /** Answers the worker's own questions (site resolution needs the editor). */
  readonly host: { [M in keyof HostCalls]: (...args: Parameters<HostCalls[M]>) => Promise<ReturnType<HostCalls[M]>> | ReturnType<HostCalls[M]> };
}

type Awaited2<T> = T extends Promise<infer U> ? U : T;
type Result<M extends CatalogMethod> = Awaited2<ReturnType<CatalogCalls[M]>>;

export interface LoadHandle {
  readonly loadId: number;
  readonly done: Promise<SessionInfo>;
  /** Stops the load; `done` rejects with a cancelled CatalogCallError and the worker frees it. */
  cancel(): void;
}

export function defaultCatalogWorker(): string {
  const candidates = [path.join(__dirname, CATALOG_WORKER_FILE), path.join(__dirname, '..', CATALOG_WORKER_FILE), path.join(__dirname, '..', '..', CATALOG_WORKER_FILE)];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}

export class CatalogClient {
  private worker?: Worker;
  private nextId = 1;
  private nextLoad = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly progressListeners = new Map<number, (p: LoadProgress) => void>();
  private readonly stopListeners = new Set<(reason: string) => void>();
  private readonly statsListeners = new Set<() => void>();
  private readonly startListeners = new Set<() => void>();
  private disposed = false;

  constructor(private readonly opts: CatalogClientOptions) {}

  /** The worker stopped unexpectedly (not on dispose). */
  onDidStop(listener: (reason: string) => void): { dispose(): void } {
    this.stopListeners.add(listener);
    return { dispose: () => this.stopListeners.delete(listener) };
  }

  onDidChangeStats(listener: () => void): { dispose(): void } {
    this.statsListeners.add(listener);
    return { dispose: () => this.statsListeners.delete(listener) };
  }

  /** A (new) worker thread started: what a previous one held is gone. */
  onDidStart(listener: () => void): { dispose(): void } {
    this.startListeners.add(listener);
    return { dispose: () => this.startListeners.delete(listener) };
  }

  get running(): boolean {
    return !!this.worker;
  }

  /** The worker's thread, for event-loop utilisation figures. */
  get thread(): Worker | undefined {
    return this.worker;
  }

  private ensureWorker(): Worker {
    if (this.disposed) throw new WorkerStoppedError('the extension is shutting down');
    if (this.worker) return this.worker;
    const script = this.opts.workerScript ?? defaultCatalogWorker();
    if (!fs.existsSync(script)) throw new WorkerStoppedError(`its bundle is missing: ${script}`);
    const w = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMB ?? 8192 } });
    this.worker = w;
    let lastError = '';
    w.on('message', (m: FromCatalog) => this.onMessage(m));
    w.on('error', (e) => (lastError = e.message));
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      const reason = lastError ? (/out of memory|heap/i.test(lastError) ? `out of memory: ${lastError}` : lastError) : `exit code ${code}`;
      const err = new WorkerStoppedError(reason);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.progressListeners.clear();
      if (!this.disposed) for (const l of this.stopListeners) l(reason);
    });
    for (const l of this.startListeners) l();
    return w;
  }

  private onMessage(m: FromCatalog): void {
    switch (m.type) {
      case 'result': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(new CatalogCallError(m.error, !!m.cancelled, m.errorView));
        return;
      }
      case 'progress':
        this.progressListeners.get(m.progress.loadId)?.(m.progress);
        return;
      case 'statsChanged':
        for (const l of this.statsListeners) l();
        return;
      case 'hostCall': {
        const w = this.worker;
        const reply = (r: Omit<Extract<ToCatalog, { type: 'hostResult' }>, 'type' | 'id'>) => w?.postMessage({ type: 'hostResult', id: m.id, ...r } satisfies ToCatalog);
        Promise.resolve()
          .then(() => (this.opts.host[m.method] as (...a: unknown[]) => unknown)(...m.args))
          .then(
            (value) => reply({ ok: true, value }),
            (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.message : String(e) }),
          );
        return;
      }
    }
  }

  private send<M extends CatalogMethod>(method: M, args: unknown[], extra: { cancel?: Int32Array; transfer?: MessagePort[] } = {}): Promise<Result<M>> {
    let w: Worker;
    try {
      w = this.ensureWorker();
    } catch (e) {
      return Promise.reject(e);
    }
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const msg: ToCatalog = { type: 'call', id, method, args, ...(extra.cancel ? { cancel: extra.cancel } : {}) };
      w.postMessage(msg, extra.transfer ?? []);
    });
  }

  /** Calls the catalog worker. */
  call<M extends Exclude<CatalogMethod, 'openSession' | 'serveCollector'>>(method: M, ...args: Parameters<CatalogCalls[M]>): Promise<Result<M>> {
    return this.send(method, args);
  }

  /** Opens a session on a source; progress is reported while a file loads. */
  open(spec: SessionSpec, onProgress?: (p: LoadProgress) => void): LoadHandle {
    const loadId = this.nextLoad++;
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    if (onProgress) this.progressListeners.set(loadId, onProgress);
    const done = this.send('openSession', [spec, loadId], { cancel }).finally(() => this.progressListeners.delete(loadId));
    return { loadId, done, cancel: () => Atomics.store(cancel, 0, 1) };
  }

  /** Hands the dev collector's end of a channel to the worker (see startCollector's `via`). */
  serveCollector(port: MessagePort): void {
    void this.send('serveCollector', [port], { transfer: [port] }).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new WorkerStoppedError('the extension is shutting down'));
    this.pending.clear();
    if (w) await w.terminate();
  }
}
