// The collector's side of the thread boundary: runs a Collector and answers the main thread's
// messages (./protocol.ts). The worker script calls it with parentPort; the in-process mode with
// one end of a MessageChannel, so both modes run exactly this code.
import { Collector, CollectorStartError } from './core';
import type { FromCollector, PortLike, StoreMethod, ToCollector } from './protocol';
import type { CollectorChange } from './types';

/** Stats heartbeat while running, so spans/s on a status bar decays to 0 when traffic stops. */
const STATS_INTERVAL_MS = 1000;

/** What the thread that hosts the collector (the catalog's) hears of it. */
export interface CollectorHooks {
  onStarted?(collector: Collector): void;
  onChange?(change: CollectorChange): void;
  onStopped?(): void;
}

export function serveCollector(port: PortLike, hooks: CollectorHooks = {}): void {
  let collector: Collector | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const post = (m: FromCollector) => port.postMessage(m);

  port.on('message', (raw: unknown) => {
    const msg = raw as ToCollector;
    switch (msg.type) {
      case 'start':
        Collector.start(msg.options, (change) => {
          post({ type: 'change', change });
          hooks.onChange?.(change);
        }).then(
          (c) => {
            collector = c;
            hooks.onStarted?.(c);
            heartbeat = setInterval(() => post({ type: 'stats', stats: c.stats() }), STATS_INTERVAL_MS);
            post({ type: 'started', ports: c.ports, stats: c.stats() });
          },
          (e: unknown) => {
            const failure = e instanceof CollectorStartError ? e.failure : { code: 'worker-failed' as const, message: e instanceof Error ? e.message : String(e) };
            post({ type: 'startFailed', failure });
          },
        );
        return;
      case 'call': {
        const c = collector;
        if (!c) {
          post({ type: 'result', id: msg.id, ok: false, error: 'the collector is not running' });
          return;
        }
        void answer(c, msg.method, msg.args).then(
          (value) => post({ type: 'result', id: msg.id, ok: true, value }),
          (e: unknown) => post({ type: 'result', id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
        );
        return;
      }
      case 'stop': {
        if (heartbeat) clearInterval(heartbeat);
        const c = collector;
        if (!c) {
          post({ type: 'stopped', stats: emptyStats() });
          return;
        }
        void c.stop(msg.graceMs).then((stats) => {
          collector = undefined;
          hooks.onStopped?.();
          post({ type: 'stopped', stats });
        });
        return;
      }
    }
  });

  async function answer(c: Collector, method: StoreMethod, args: unknown[]): Promise<unknown> {
    const store = c.store;
    switch (method) {
      case 'summaries':
        return store.summaries(args[0] as number | undefined);
      case 'getTrace':
        return store.getTrace(args[0] as string);
      case 'getTraces':
        return (args[0] as string[]).map((id) => store.getTrace(id)).filter((t) => t !== undefined);
      case 'traceFile':
        return c.traceFile(args[0] as string[] | undefined);
      case 'logsForTrace':
        return c.logs.forTrace(args[0] as string);
      case 'allLogs':
        return c.logs.all();
      case 'exportJsonLines':
        return c.exportJsonLines(args[0] as string, args[1] as string[] | undefined);
      case 'clear':
        return c.clear();
      case 'stats':
        return c.stats();
    }
  }
}

function emptyStats() {
  return {
    spansReceived: 0,
    spansRejected: 0,
    spansPerSecond: 0,
    tracesReceived: 0,
    requests: { otlpHttp: 0, otlpGrpc: 0, zipkin: 0 },
    rejected: {},
    logsRequests: 0,
    metricsRequests: 0,
    storedTraces: 0,
    storedSpans: 0,
    maxSpans: 0,
    logsReceived: 0,
    logsStored: 0,
    maxLogs: 0,
    evictedLogs: 0,
    evicting: false,
    evictedTraces: 0,
    evictedSpans: 0,
  };
}
