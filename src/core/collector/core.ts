// The collector itself: receivers, the live store, the output file and the counters. It runs in
// whatever thread creates it (the worker, in the product: see ./serve.ts and ./index.ts).
import { promises as fsp } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { Span, TraceFile } from '../model/model';
import { LineAppender } from './appender';
import { createRedactor, redactLogRecords, redactSpans, type Redactor } from '../redaction';
import { logsToJsonLine } from '../exporters/otlpLogsJson';
import type { LogBatch } from './decodeLogs';
import { LogStore } from './logStore';
import { ForwardPayload, Forwarder } from './forwarder';
import type { ReceiverContext } from './context';
import type { TraceBatch } from './decode';
import { redecodeStoredBody } from './decodeJson';
import { batchToJsonLine, traceFileToJsonLines } from './jsonLines';
import { ResolvedOptions, resolveOptions } from './options';
import { createOtlpHttpHandler } from './otlpHttp';
import { GrpcReceiver, startGrpcReceiver } from './otlpGrpc';
import { LiveStore } from './store';
import {
  CollectorChange,
  CollectorFailure,
  CollectorOptions,
  CollectorPorts,
  CollectorStats,
  RECEIVER_LABELS,
  ReceiverName,
  RejectReason,
} from './types';
import { createZipkinHandler } from './zipkinHttp';

/** Start failures carry a CollectorFailure the host can act on (e.g. offer a free port). */
export class CollectorStartError extends Error {
  constructor(readonly failure: CollectorFailure) {
    super(failure.message);
  }
}

/** A bind error as a sentence naming the port and what to do. */
export function bindFailure(receiver: ReceiverName, host: string, port: number, err: NodeJS.ErrnoException): CollectorFailure {
  const label = RECEIVER_LABELS[receiver];
  if (err.code === 'EADDRINUSE') {
    return {
      code: 'port-in-use',
      receiver,
      host,
      port,
      message: `port ${port} on ${host} is in use (another VS Code window or a collector?): cannot start the ${label} receiver; stop the other process or choose another port (0 picks a free one)`,
    };
  }
  const why = err.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : err.code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine` : err.message;
  return { code: 'bind-failed', receiver, host, port, message: `cannot start the ${label} receiver on ${host}:${port}: ${why}` };
}

/** Accepted-span rate over a sliding window of RATE_BUCKETS × RATE_BUCKET_MS. */
const RATE_BUCKET_MS = 200;
const RATE_BUCKETS = 10;

class RateMeter {
  private readonly buckets = new Float64Array(RATE_BUCKETS);
  private bucketStart = 0;
  private index = 0;

  add(n: number, now: number): void {
    this.advance(now);
    this.buckets[this.index] += n;
  }

  perSecond(now: number): number {
    this.advance(now);
    let sum = 0;
    for (const b of this.buckets) sum += b;
    return Math.round((sum * 1000) / (RATE_BUCKETS * RATE_BUCKET_MS));
  }

  private advance(now: number): void {
    if (this.bucketStart === 0) this.bucketStart = now;
    let steps = Math.floor((now - this.bucketStart) / RATE_BUCKET_MS);
    if (steps <= 0) return;
    this.bucketStart += steps * RATE_BUCKET_MS;
    if (steps > RATE_BUCKETS) steps = RATE_BUCKETS;
    for (let i = 0; i < steps; i++) {
      this.index = (this.index + 1) % RATE_BUCKETS;
      this.buckets[this.index] = 0;
    }
  }
}

interface HttpReceiver {
  readonly server: http.Server;
  readonly port: number;
}

function listenHttp(server: http.Server, receiver: ReceiverName, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new CollectorStartError(bindFailure(receiver, host, port, err)));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export class Collector {
  readonly store: LiveStore;
  /** OTLP log records, bounded by maxLogs apart from the spans. */
  readonly logs: LogStore;
  private closing = false;
  private stopped?: Promise<CollectorStats>;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly rate = new RateMeter();
  private readonly httpReceivers: { name: ReceiverName; r: HttpReceiver }[] = [];
  private grpc?: GrpcReceiver;
  private appender?: LineAppender;
  /** Redacts what goes to the output file (the store keeps the spans as received, for the editor). */
  private outRedactor?: Redactor;
  private forwarder?: Forwarder;
  private changeTimer?: NodeJS.Timeout;
  private lastChangeAt = 0;
  private portsBound: CollectorPorts;

  private spansReceived = 0;
  private spansRejected = 0;
  private readonly requests: Record<ReceiverName, number> = { otlpHttp: 0, otlpGrpc: 0, zipkin: 0 };
  private readonly rejected: Partial<Record<RejectReason, number>> = {};
  private logsRequests = 0;
  private logsReceived = 0;
  /** Trace ids that received log records since the last change event. */
  private logTraces = new Set<string>();
  private metricsRequests = 0;

  private constructor(
    readonly options: ResolvedOptions,
    private readonly onChange: (c: CollectorChange) => void,
  ) {
    this.store = new LiveStore(options.maxSpans, redecodeStoredBody);
    this.logs = new LogStore(options.maxLogs);
    this.portsBound = { host: options.host };
  }

  /** Binds every enabled receiver (all or nothing). Rejects with CollectorStartError. */
  static async start(options: CollectorOptions, onChange: (c: CollectorChange) => void = () => undefined): Promise<Collector> {
    let resolved: ResolvedOptions;
    try {
      resolved = resolveOptions(options);
    } catch (e) {
      throw new CollectorStartError({ code: 'bad-options', message: (e as Error).message });
    }
    const c = new Collector(resolved, onChange);
    try {
      await c.bindAll();
    } catch (e) {
      await c.release(0);
      if (e instanceof CollectorStartError) throw e;
      throw new CollectorStartError({ code: 'bind-failed', message: e instanceof Error ? e.message : String(e) });
    }
    return c;
  }

  private async bindAll(): Promise<void> {
    const o = this.options;
    if (o.outputFile) {
      try {
        // A bad pattern must fail the start, before anything is received.
        if (o.outputRedaction) this.outRedactor = createRedactor(o.outputRedaction);
        this.appender = await LineAppender.open(o.outputFile);
      } catch (e) {
        throw new CollectorStartError({ code: 'output-file', message: (e as Error).message });
      }
    }
    if (o.forwardTo) this.forwarder = new Forwarder({ url: o.forwardTo });
    const ctx = this.context();
    const ports: { host: string; otlpHttp?: number; otlpGrpc?: number; zipkin?: number } = { host: o.host };
    if (o.httpPort !== null) ports.otlpHttp = await this.bindHttp('otlpHttp', createOtlpHttpHandler(ctx), o.httpPort);
    if (o.grpcPort !== null) {
      try {
        this.grpc = await startGrpcReceiver(ctx, o.host, o.grpcPort);
      } catch (e) {
        throw new CollectorStartError(bindFailure('otlpGrpc', o.host, o.grpcPort, e as NodeJS.ErrnoException));
      }
      ports.otlpGrpc = this.grpc.port;
    }
    if (o.zipkinPort !== null) ports.zipkin = await this.bindHttp('zipkin', createZipkinHandler(ctx), o.zipkinPort);
    this.portsBound = ports;
  }

  private async bindHttp(name: ReceiverName, handler: http.RequestListener, port: number): Promise<number> {
    const server = http.createServer({ keepAliveTimeout: 10_000 }, handler);
    // A client that hangs up mid-request must not take anything down with it.
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    const bound = await listenHttp(server, name, this.options.host, port);
    this.httpReceivers.push({ name, r: { server, port: bound } });
    return bound;
  }

  get ports(): CollectorPorts {
    return this.portsBound;
  }

  private context(): ReceiverContext {
    return {
      maxRequestBytes: this.options.maxRequestBytes,
      corsAllowedOrigins: this.options.corsAllowedOrigins,
      isClosing: () => this.closing,
      accept: (receiver, batch) => this.accept(receiver, batch),
      acceptLogs: (receiver, batch) => this.acceptLogs(receiver, batch),
      reject: (reason) => {
        this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
      },
      countSignal: () => {
        this.metricsRequests++;
      },
      track: (p) => {
        this.inflight.add(p);
        const done = () => this.inflight.delete(p);
        p.then(done, done);
        return p;
      },
    };
  }

  /** Stores a batch (and appends it to the output file); resolves once it is written. */
  accept(receiver: ReceiverName, batch: TraceBatch): Promise<void> {
    this.requests[receiver]++;
    this.spansRejected += batch.rejected;
    const n = batch.spans.length;
    if (n === 0) return Promise.resolve();
    const now = Date.now();
    this.spansReceived += n;
    this.rate.add(n, now);
    this.store.add(batch.spans, now, batch.stored);
    this.scheduleChange();
    // Queued only: the upstream never slows receiving down.
    if (this.forwarder) this.forwarder.enqueue(forwardPayload(batch));
    if (!this.appender) return Promise.resolve();
    // Output-file trouble is reported in the stats, not to the client: the spans are stored, and
    // a retry would not make the disk writable.
    const line = this.outRedactor ? batchToJsonLine(redactSpans(batch.spans, this.outRedactor)) : (batch.jsonLine ?? batchToJsonLine(batch.spans));
    return this.appender.append(line).catch(() => undefined);
  }

  /**
   * Stores log records (and appends them to the output file as one LogsData line, redacted like the
   * spans); resolves once written. `receiver` is for symmetry with accept: logs have their own counter.
   */
  acceptLogs(_receiver: ReceiverName, batch: LogBatch): Promise<void> {
    this.logsRequests++;
    const n = batch.records.length;
    if (n === 0) return Promise.resolve();
    this.logsReceived += n;
    for (const id of this.logs.add(batch.records)) this.logTraces.add(id);
    this.scheduleChange();
    if (!this.appender) return Promise.resolve();
    const records = this.outRedactor ? redactLogRecords(batch.records, this.outRedactor) : batch.records;
    return this.appender.append(logsToJsonLine(records)).catch(() => undefined);
  }

  /** A TraceFile of the given (or all) stored traces, with the stored log records of those traces. */
  traceFile(traceIds?: readonly string[]): TraceFile {
    const tf = this.store.toTraceFile(traceIds);
    const logs = traceIds ? traceIds.flatMap((id) => this.logs.forTrace(id)) : this.logs.all();
    return logs.length ? { ...tf, logs } : tf;
  }

  /** Adds spans as if received (tests, replays). */
  addSpans(spans: Span[], receiver: ReceiverName = 'otlpHttp'): Promise<void> {
    return this.accept(receiver, { spans, rejected: 0 });
  }

  private scheduleChange(): void {
    if (this.changeTimer) return;
    const wait = Math.max(0, this.lastChangeAt + this.options.changeIntervalMs - Date.now());
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.emitChange();
    }, wait);
  }

  /** Sends pending changes now (also used on clear and on stop). */
  emitChange(): void {
    if (this.changeTimer) {
      clearTimeout(this.changeTimer);
      this.changeTimer = undefined;
    }
    if (!this.store.hasChanges && this.logTraces.size === 0) return;
    this.lastChangeAt = Date.now();
    const logsChanged = [...this.logTraces];
    this.logTraces = new Set();
    this.onChange({ ...this.store.takeChanges(), logsChanged, stats: this.stats() });
  }

  clear(): void {
    this.store.clear();
    this.logs.clear();
    this.logTraces.clear();
    this.emitChange();
  }

  stats(): CollectorStats {
    const s = this.store;
    const a = this.appender;
    const redacted = this.outRedactor ? { redacted: Object.fromEntries(this.outRedactor.counts) } : {};
    const outputFile = this.options.outputFile ? { path: this.options.outputFile, lines: a?.lines ?? 0, bytes: a?.bytes ?? 0, error: a?.error, ...redacted } : undefined;
    return {
      spansReceived: this.spansReceived,
      spansRejected: this.spansRejected,
      spansPerSecond: this.rate.perSecond(Date.now()),
      tracesReceived: s.tracesReceived,
      requests: { ...this.requests },
      rejected: { ...this.rejected },
      logsRequests: this.logsRequests,
      metricsRequests: this.metricsRequests,
      logsReceived: this.logsReceived,
      logsStored: this.logs.size,
      maxLogs: this.logs.maxLogs,
      evictedLogs: this.logs.evicted,
      storedTraces: s.traceCount,
      storedSpans: s.spanCount,
      maxSpans: s.maxSpans,
      evicting: s.evicting,
      evictedTraces: s.evictedTraces,
      evictedSpans: s.evictedSpans,
      outputFile,
      ...(this.forwarder ? { forward: this.forwarder.stats() } : {}),
    };
  }

  /** Writes the stored traces (or the given ones) as OTLP JSON Lines, one TracesData per trace, then their logs. */
  async exportJsonLines(file: string, traceIds?: readonly string[]): Promise<{ traces: number; spans: number; bytes: number }> {
    const tf = this.traceFile(traceIds);
    // The traces' log records follow as one LogsData line, so the export reopens with both.
    const text = traceFileToJsonLines(tf) + (tf.logs?.length ? logsToJsonLine(tf.logs) + '\n' : '');
    await fsp.writeFile(file, text);
    return { traces: tf.traces.length, spans: tf.spanCount, bytes: Buffer.byteLength(text) };
  }

  /**
   * Stops: new requests get 503 / UNAVAILABLE, requests in flight finish (up to graceMs), the
   * output file is flushed and closed. Resolves with the final counters. Idempotent.
   */
  stop(graceMs = 5000): Promise<CollectorStats> {
    this.stopped ??= this.release(graceMs).then(() => {
      this.emitChange();
      return this.stats();
    });
    return this.stopped;
  }

  private async release(graceMs: number): Promise<void> {
    this.closing = true;
    const closing: Promise<unknown>[] = [];
    for (const { r } of this.httpReceivers) {
      closing.push(new Promise<void>((resolve) => r.server.close(() => resolve())));
      r.server.closeIdleConnections();
    }
    if (this.grpc) closing.push(this.grpc.stop(graceMs));
    // Requests already being read or decoded are answered and their spans kept.
    const deadline = Date.now() + graceMs;
    while (this.inflight.size && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inflight]), sleep(Math.max(1, deadline - Date.now()))]);
    }
    for (const { r } of this.httpReceivers) r.server.closeAllConnections();
    await Promise.race([Promise.allSettled(closing), sleep(graceMs)]);
    if (this.appender) await this.appender.close();
    if (this.forwarder) await this.forwarder.close(Math.min(graceMs, 2000));
  }
}

/** What to send upstream: OTLP protobuf bodies as received, everything else as OTLP JSON. */
function forwardPayload(batch: TraceBatch): ForwardPayload {
  const spans = batch.spans.length;
  if (batch.stored?.kind === 'otlp-proto') return { body: batch.stored.bytes, contentType: 'application/x-protobuf', spans };
  if (batch.stored?.kind === 'otlp-json' && !batch.rejected) return { body: batch.stored.bytes, contentType: 'application/json', spans };
  return { body: Buffer.from(batch.jsonLine ?? batchToJsonLine(batch.spans)), contentType: 'application/json', spans };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref?.();
  });
}
