// Spanlens dev collector: OTLP/HTTP, OTLP/gRPC and Zipkin receivers feeding a live trace store.
// Pure core (no `vscode`); the VS Code layer and the CLI (`spanlens collect`) both use this API.
//
// ─── API ─────────────────────────────────────────────────────────────────────────────────────────
//
//   const c = await startCollector({ host, httpPort, grpcPort, zipkinPort, maxSpans, maxRequestBytes,
//                                    outputFile, corsAllowedOrigins });
//   c.ports            { host, otlpHttp?, otlpGrpc?, zipkin? } — the ports actually bound (a requested
//                      0 is replaced by the chosen port; a receiver given `null` is disabled).
//   c.endpoints        URLs for the environment: otlpHttp "http://127.0.0.1:4318", otlpGrpc
//                      "http://127.0.0.1:4317", zipkin "http://127.0.0.1:9411/api/v2/spans".
//   c.stats()          Latest CollectorStats, synchronously (pushed by the collector thread with every
//                      change and at least once a second): spansReceived, spansPerSecond, tracesReceived,
//                      requests per receiver, rejected {reason: count}, logsRequests, metricsRequests,
//                      storedTraces/storedSpans/maxSpans, evicting, evictedTraces/evictedSpans,
//                      logsReceived/logsStored/maxLogs/evictedLogs, outputFile.
//   c.refreshStats()   The same, asked for now (Promise).
//   c.onDidChange(fn)  fn(CollectorChange) at most every `changeIntervalMs` (default 100 ms) while
//                      spans arrive: { changed: traceIds new or grown, evicted: traceIds, cleared,
//                      evictionStarted (true once, when the store first evicts: show it),
//                      logsChanged: traceIds that received OTLP log records, stats }.
//                      Returns { dispose() }. Debounce further in the UI if needed.
//   c.onDidFail(fn)    fn(message) if the collector thread dies (a bug or out of memory).
//   c.store.summaries(limit?)        LiveTraceSummary[] newest (most recently updated) first: root name,
//                                    root service (hasRoot false while only children have arrived),
//                                    services, spanCount, errorCount, start, duration, first/last
//                                    received (epoch ms). Cheap: kept up to date at ingest.
//   c.store.getTrace(traceId)        Trace | undefined — the model Trace (src/core/model.ts), built with
//                                    buildTrace, ready for buildWaterfall (warnings, orphans...).
//                                    Re-fetch when a change event names it: only new spans are decoded.
//   c.store.getTraces(traceIds)      Trace[] (missing ids skipped).
//   c.store.traceFile(traceIds?)     TraceFile of the given (or all) stored traces, e.g. for a
//                                    TraceFileSession. All 200k spans cost the main thread ~1 s to
//                                    receive (structured clone): for CodeLens counts over every live
//                                    span, add an aggregating query here that runs in the worker.
//   c.store.exportJsonLines(path, traceIds?)  Writes OTLP JSON Lines (one TracesData per trace) that
//                                    reopen with importTraceFile. Resolves {traces, spans, bytes}.
//   c.store.logsForTrace(traceId)    LogRecord[] of one trace (OTLP logs received with its trace id).
//   c.store.allLogs()                Every stored LogRecord; bounded by maxLogs (default 100 000).
//   c.store.clear()                  Empties the store and the log store (a change event with cleared: true follows).
//   c.threadUtilization(since?)  perf_hooks ELU of the collector thread (how busy it is), or undefined.
//   c.stop()           New requests get 503 / UNAVAILABLE, requests in flight finish, the output file
//                      is flushed and closed, the thread exits. Resolves with the final stats.
//
// Start failures reject with CollectorStartError whose `failure` is a CollectorFailure:
//   { code: 'port-in-use', receiver: 'otlpHttp', host: '127.0.0.1', port: 4318,
//     message: 'port 4318 on 127.0.0.1 is in use (another VS Code window or a collector?): ...' }
// The host can offer to retry with that receiver's port set to 0 (a free port), or to stop.
// Other codes: 'bind-failed', 'output-file', 'bad-options', 'worker-failed'.
//
// Threads: by default the collector runs in a worker thread (dist/collector.worker.js, built from
// src/core/workers/collector.worker.ts): receivers, decoding AND the store live there, and the main
// thread only receives change events and the answers to its queries. `{ inProcess: true }` runs the
// same code on the calling thread (tests, tools). Chosen by measurement (test/bench/collectorBench.ts):
// posting decoded batches to the main thread would cost it 4-8 µs per span just to deserialize the
// structured clone (200-400 ms of every second at 50k spans/s), and collecting in-process kept the
// main thread ~45% busy under load; with the store in the worker the main thread is ~1-2% busy and
// only pays for what it asks (a page of summaries, one trace).
// The store keeps request bodies, not span objects (./store.ts): ~45 B of heap + the body per span.
//
// Receivers and status codes: ./otlpHttp.ts, ./otlpGrpc.ts, ./zipkinHttp.ts. Limits: maxRequestBytes
// (default 64 MiB, counted after decompression; 413 / RESOURCE_EXHAUSTED) and maxSpans (default
// 200 000; the least recently updated traces are evicted whole).
import * as fs from 'fs';
import * as path from 'path';
import type { EventLoopUtilization } from 'perf_hooks';
import { MessageChannel, type MessagePort, Worker } from 'worker_threads';
import type { Trace, TraceFile } from '../model/model';
import type { LogRecord } from '../model/logs';
import { CollectorStartError } from './core';
import type { FromCollector, PortLike, StoreCalls, StoreMethod, ToCollector } from './protocol';
import { serveCollector } from './serve';
import type { CollectorChange, CollectorFailure, CollectorOptions, CollectorPorts, CollectorStats, LiveTraceSummary } from './types';

export * from './types';
export { CollectorStartError } from './core';

export interface StartOptions extends CollectorOptions {
  /** Run on the calling thread instead of a worker. */
  readonly inProcess?: boolean;
  /** Path of the worker bundle; default: collector.worker.js next to the running bundle. */
  readonly workerScript?: string;
  /**
   * Run in a thread that already exists (the extension's catalog worker, so collected traces live
   * once, next to the catalog): called with the collector's end of a new channel, to hand it over.
   */
  readonly via?: (port: MessagePort) => void;
}

export interface Disposable {
  dispose(): void;
}

export interface LiveStoreClient {
  summaries(limit?: number): Promise<LiveTraceSummary[]>;
  getTrace(traceId: string): Promise<Trace | undefined>;
  getTraces(traceIds: readonly string[]): Promise<Trace[]>;
  /** With `logs`: the stored log records of those traces (all records when traceIds is omitted). */
  traceFile(traceIds?: readonly string[]): Promise<TraceFile>;
  /** The stored log records of one trace, in arrival order. */
  logsForTrace(traceId: string): Promise<LogRecord[]>;
  /** Every stored log record (with or without a trace), in arrival order. */
  allLogs(): Promise<LogRecord[]>;
  exportJsonLines(file: string, traceIds?: readonly string[]): Promise<{ traces: number; spans: number; bytes: number }>;
  clear(): Promise<void>;
}

export interface CollectorEndpoints {
  /** OTEL_EXPORTER_OTLP_ENDPOINT for http/protobuf and http/json (the SDK appends /v1/traces). */
  readonly otlpHttp?: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT for grpc. */
  readonly otlpGrpc?: string;
  /** Zipkin exporter URL. */
  readonly zipkin?: string;
}

export interface CollectorHandle {
  readonly ports: CollectorPorts;
  readonly endpoints: CollectorEndpoints;
  readonly store: LiveStoreClient;
  stats(): CollectorStats;
  refreshStats(): Promise<CollectorStats>;
  onDidChange(listener: (change: CollectorChange) => void): Disposable;
  onDidFail(listener: (message: string) => void): Disposable;
  /**
   * Event-loop utilization of the collector's thread since `since` (perf_hooks semantics): how busy
   * receiving and decoding keeps it (1 = saturated). Undefined in-process.
   */
  threadUtilization(since?: EventLoopUtilization): EventLoopUtilization | undefined;
  /** Whether stop() was called or the collector thread died. */
  readonly stopped: boolean;
  stop(graceMs?: number): Promise<CollectorStats>;
}

export const WORKER_FILE = 'collector.worker.js';

/** Finds the worker bundle: next to this bundle (dist/extension.js, dist/cli.js -> dist/). */
export function defaultWorkerScript(): string {
  const candidates = [path.join(__dirname, WORKER_FILE), path.join(__dirname, '..', WORKER_FILE), path.join(__dirname, '..', '..', WORKER_FILE)];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}

function hostForUrl(host: string): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return h.includes(':') ? `[${h}]` : h;
}

export function endpointsOf(ports: CollectorPorts): CollectorEndpoints {
  const h = hostForUrl(ports.host);
  return {
    otlpHttp: ports.otlpHttp !== undefined ? `http://${h}:${ports.otlpHttp}` : undefined,
    otlpGrpc: ports.otlpGrpc !== undefined ? `http://${h}:${ports.otlpGrpc}` : undefined,
    zipkin: ports.zipkin !== undefined ? `http://${h}:${ports.zipkin}/api/v2/spans` : undefined,
  };
}

/** Starts the collector; rejects with CollectorStartError (failure.code 'port-in-use'...) when it cannot. */
export async function startCollector(options: StartOptions = {}): Promise<CollectorHandle> {
  const { inProcess, workerScript, via, ...collectorOptions } = options;
  let port: PortLike;
  let shutdown: () => Promise<void>;
  let worker: Worker | undefined;
  const failListeners = new Set<(m: string) => void>();
  let fail: (message: string) => void = () => undefined;

  if (via) {
    const channel = new MessageChannel();
    via(channel.port2);
    port = channel.port1;
    shutdown = async () => {
      channel.port1.close();
    };
    // A channel's end closes when the thread holding the other end dies.
    channel.port1.on('close', () => fail('the Spanlens worker thread stopped'));
  } else if (inProcess) {
    const channel = new MessageChannel();
    serveCollector(channel.port2);
    port = channel.port1;
    shutdown = async () => {
      channel.port1.close();
      channel.port2.close();
    };
  } else {
    const script = workerScript ?? defaultWorkerScript();
    if (!fs.existsSync(script)) {
      throw new CollectorStartError({ code: 'worker-failed', message: `the collector worker bundle is missing: ${script} (run the build)` });
    }
    const w = new Worker(script);
    worker = w;
    let exited = false;
    w.on('error', (e) => fail(`the collector thread failed: ${e.message}`));
    w.on('exit', (code) => {
      exited = true;
      if (code !== 0) fail(`the collector thread exited with code ${code}`);
    });
    port = w;
    shutdown = async () => {
      if (!exited) await w.terminate();
    };
  }

  // Replies and events from the collector thread.
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const changeListeners = new Set<(c: CollectorChange) => void>();
  let started: ((m: Extract<FromCollector, { type: 'started' }>) => void) | undefined;
  let startFailed: ((f: CollectorFailure) => void) | undefined;
  let stoppedResolve: ((s: CollectorStats) => void) | undefined;
  let latest: CollectorStats | undefined;
  let stopped = false;
  let stopping: Promise<CollectorStats> | undefined;

  fail = (message: string) => {
    if (stopped) return;
    stopped = true;
    for (const p of pending.values()) p.reject(new Error(message));
    pending.clear();
    startFailed?.({ code: 'worker-failed', message });
    if (stoppedResolve && latest) stoppedResolve(latest);
    for (const l of failListeners) l(message);
  };

  port.on('message', (raw: unknown) => {
    const m = raw as FromCollector;
    switch (m.type) {
      case 'started':
        latest = m.stats;
        started?.(m);
        return;
      case 'startFailed':
        startFailed?.(m.failure);
        return;
      case 'change':
        latest = m.change.stats;
        for (const l of changeListeners) {
          try {
            l(m.change);
          } catch {
            // A listener's bug must not stop the others.
          }
        }
        return;
      case 'stats':
        latest = m.stats;
        return;
      case 'result': {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.error));
        return;
      }
      case 'stopped':
        latest = m.stats;
        stoppedResolve?.(m.stats);
        return;
    }
  });
  const send = (m: ToCollector) => port.postMessage(m);

  let ports: CollectorPorts;
  try {
    ports = await new Promise<CollectorPorts>((resolve, reject) => {
      started = (m) => resolve(m.ports);
      startFailed = (f) => reject(new CollectorStartError(f));
      send({ type: 'start', options: collectorOptions });
    });
  } catch (e) {
    stopped = true;
    await shutdown();
    throw e;
  }
  startFailed = undefined;

  const call = <M extends StoreMethod>(method: M, ...args: Parameters<StoreCalls[M]>): Promise<ReturnType<StoreCalls[M]>> => {
    if (stopped) return Promise.reject(new Error('the collector is stopped'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send({ type: 'call', id, method, args });
    });
  };

  const handle: CollectorHandle = {
    ports,
    endpoints: endpointsOf(ports),
    store: {
      summaries: (limit) => call('summaries', limit),
      getTrace: (id) => call('getTrace', id),
      getTraces: (ids) => call('getTraces', ids),
      traceFile: (ids) => call('traceFile', ids),
      logsForTrace: (id) => call('logsForTrace', id),
      allLogs: () => call('allLogs'),
      exportJsonLines: (file, ids) => call('exportJsonLines', file, ids) as Promise<{ traces: number; spans: number; bytes: number }>,
      clear: () => call('clear') as Promise<void>,
    },
    stats: () => latest as CollectorStats,
    refreshStats: () => call('stats'),
    onDidChange(listener) {
      changeListeners.add(listener);
      return { dispose: () => changeListeners.delete(listener) };
    },
    onDidFail(listener) {
      failListeners.add(listener);
      return { dispose: () => failListeners.delete(listener) };
    },
    threadUtilization: (since) => (worker && !stopped ? worker.performance.eventLoopUtilization(since) : undefined),
    get stopped() {
      return stopped;
    },
    stop(graceMs = 5000) {
      if (stopping) return stopping;
      if (stopped) return Promise.resolve(latest as CollectorStats);
      stopping = new Promise<CollectorStats>((resolve) => {
        stoppedResolve = resolve;
        send({ type: 'stop', graceMs });
      }).then(async (s) => {
        stopped = true;
        for (const p of pending.values()) p.reject(new Error('the collector is stopped'));
        pending.clear();
        await shutdown();
        return s;
      });
      return stopping;
    },
  };
  return handle;
}
