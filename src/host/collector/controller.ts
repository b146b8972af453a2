// Owns the running dev collector (src/core/collector, in its worker thread): starting it from the
// settings, the busy-port dialog, stopping, and the events the view, the status bar, the live
// waterfalls and the environment listen to. Every user-facing message goes through userMessages.
import * as vscode from 'vscode';
import type { MessagePort } from 'worker_threads';
import { CollectorChange, CollectorHandle, CollectorOptions, CollectorStartError, CollectorStats, RECEIVER_LABELS, startCollector } from '../../core/collector';
import { log } from '../log';
import { ask, notify } from '../userMessages';
import { readCollectorSettings } from './settings';

export type CollectorState = 'stopped' | 'starting' | 'running' | 'stopping';

export const USE_FREE_PORT = 'Use a Free Port';
export const STOP = 'Stop';

const PORT_KEY = { otlpHttp: 'httpPort', otlpGrpc: 'grpcPort', zipkin: 'zipkinPort' } as const;

export class CollectorController implements vscode.Disposable {
  /** `via` hands the collector's channel to the thread that hosts it (the catalog's worker). */
  constructor(private readonly via?: (port: MessagePort) => void) {}

  private current?: CollectorHandle;
  private stateValue: CollectorState = 'stopped';
  private readonly stateEmitter = new vscode.EventEmitter<CollectorState>();
  /** started, stopped, starting...: the status bar, the view and the environment listen. */
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly changeEmitter = new vscode.EventEmitter<CollectorChange>();
  /** The collector's change events, as they come (every ~100 ms under load): debounce in the UI. */
  readonly onDidChangeTraces = this.changeEmitter.event;
  private readonly statsEmitter = new vscode.EventEmitter<CollectorStats>();
  /** Latest stats, at least once a second while running. */
  readonly onDidChangeStats = this.statsEmitter.event;
  private heartbeat?: ReturnType<typeof setInterval>;
  private handleListeners: { dispose(): void }[] = [];
  private lastForwardError?: string;
  private lastForwardDrops = 0;

  get state(): CollectorState {
    return this.stateValue;
  }

  /** The running collector, if any. */
  get handle(): CollectorHandle | undefined {
    return this.stateValue === 'running' ? this.current : undefined;
  }

  private setState(s: CollectorState): void {
    this.stateValue = s;
    void vscode.commands.executeCommand('setContext', 'spanlens.collector.running', s === 'running');
    this.stateEmitter.fire(s);
  }

  /**
   * Starts with the settings. A busy port asks the user: a free port for that receiver (and again
   * for the next busy one), or stop. Resolves true when running.
   */
  async start(): Promise<boolean> {
    if (this.stateValue === 'running') {
      notify('info', `The dev collector is already running (${describePorts(this.current!)}).`);
      return true;
    }
    if (this.stateValue !== 'stopped') return false;
    const settings = readCollectorSettings();
    if (settings.hostForcedToLoopback) {
      log()?.warn(`Untrusted workspace: the dev collector binds to 127.0.0.1, not to "${settings.hostForcedToLoopback}" (spanlens.collector.host).`);
    }
    let options: CollectorOptions = settings.options;
    this.setState('starting');
    for (;;) {
      try {
        const handle = await startCollector({ ...options, via: this.via });
        this.attach(handle);
        log()?.info(`Dev collector running: ${describePorts(handle)}; storing up to ${options.maxSpans} spans${options.outputFile ? `, appending to ${options.outputFile}` : ''}${options.forwardTo ? `, forwarding to ${options.forwardTo}` : ''}.`);
        return true;
      } catch (e) {
        const failure = e instanceof CollectorStartError ? e.failure : undefined;
        if (failure?.code === 'port-in-use' && failure.receiver && failure.port !== undefined && failure.port !== 0) {
          const label = RECEIVER_LABELS[failure.receiver];
          const answer = await ask(
            'error',
            `Cannot start the dev collector: the ${label} port ${failure.port} on ${failure.host ?? options.host} is already in use (another VS Code window or a running collector?).`,
            { modal: false },
            USE_FREE_PORT,
            STOP,
          );
          if (answer === USE_FREE_PORT) {
            options = { ...options, [PORT_KEY[failure.receiver]]: 0 };
            continue;
          }
          log()?.info('Dev collector not started: the port is busy and the user chose to stop.');
        } else {
          const message = e instanceof Error ? e.message : String(e);
          notify('error', `Cannot start the dev collector: ${message}`);
        }
        this.setState('stopped');
        return false;
      }
    }
  }

  private attach(handle: CollectorHandle): void {
    this.current = handle;
    this.lastForwardError = undefined;
    this.lastForwardDrops = 0;
    this.handleListeners = [
      handle.onDidChange((c) => {
        if (c.evictionStarted) {
          notify('warning', `The dev collector holds ${c.stats.maxSpans} spans (spanlens.collector.maxSpans): the oldest traces are now evicted whole.`);
        }
        this.changeEmitter.fire(c);
        this.onStats(c.stats);
      }),
      handle.onDidFail((message) => {
        notify('error', `The dev collector stopped: ${message}`);
        this.detach();
      }),
    ];
    this.heartbeat = setInterval(() => {
      if (this.current && !this.current.stopped) this.onStats(this.current.stats());
    }, 1000);
    this.setState('running');
  }

  private onStats(s: CollectorStats): void {
    const f = s.forward;
    if (f) {
      if (f.lastError && f.lastError !== this.lastForwardError) log()?.warn(`Forwarding to ${f.url} failed: ${f.lastError} (${f.queued} batch(es) queued, retrying with backoff).`);
      if (!f.lastError && this.lastForwardError) log()?.info(`Forwarding to ${f.url} works again.`);
      if (f.droppedBatches > this.lastForwardDrops) log()?.warn(`Forwarding to ${f.url}: ${f.droppedBatches} batch(es) (${f.droppedSpans} spans) dropped so far.`);
      this.lastForwardError = f.lastError;
      this.lastForwardDrops = f.droppedBatches;
    }
    this.statsEmitter.fire(s);
  }

  private detach(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const l of this.handleListeners) l.dispose();
    this.handleListeners = [];
    this.current = undefined;
    this.setState('stopped');
  }

  async stop(): Promise<void> {
    const h = this.current;
    if (!h || this.stateValue !== 'running') return;
    this.setState('stopping');
    try {
      const s = await h.stop();
      log()?.info(`Dev collector stopped: ${s.spansReceived} spans in ${s.tracesReceived} traces received.`);
    } finally {
      this.detach();
    }
  }

  dispose(): void {
    const h = this.current;
    this.detach();
    if (h) void h.stop(1000);
    this.stateEmitter.dispose();
    this.changeEmitter.dispose();
    this.statsEmitter.dispose();
  }
}

export function describePorts(h: Pick<CollectorHandle, 'ports'>): string {
  const p = h.ports;
  const parts = [
    p.otlpHttp !== undefined ? `OTLP/HTTP :${p.otlpHttp}` : undefined,
    p.otlpGrpc !== undefined ? `OTLP/gRPC :${p.otlpGrpc}` : undefined,
    p.zipkin !== undefined ? `Zipkin :${p.zipkin}` : undefined,
  ].filter(Boolean);
  return `${parts.join(', ')} on ${p.host}`;
}
