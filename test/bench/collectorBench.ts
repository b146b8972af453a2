// `npm run bench:collector`: loads the dev collector from a SECOND process with the real OTel JS
// exporters (http/protobuf, http/json, gRPC; 8 concurrent exporters, BatchSpanProcessor-sized
// batches of 512 SDK spans with fresh ids every export) and reports, per protocol:
//  - throughput: spans/s accepted by the collector, against the bare decode throughput of the same
//    payloads in one process (targets: >= 70% of bare decode, >= 50k spans/s on 2 cores);
//  - export latency p50/p99 as the exporters see it;
//  - the busy share of the collector thread (is the collector or the load generator the limit?) and
//    the collector's capacity: accepted spans per second of collector-thread time;
//  - the event-loop delay p99 of the main thread (the extension host's, in VS Code) during the load,
//    with a traces-view-like consumer fetching summaries on change events;
//  - memory bytes per stored span.
// Bounded: each load phase runs a fixed number of seconds, on loopback only.
// Experiments: BENCH_EXPERIMENT=http/protobuf,grpc [BENCH_MAXSPANS=n] runs only those load phases.
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import * as readline from 'readline';
import * as v8 from 'v8';
import * as vm from 'vm';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startCollector, type CollectorHandle } from '../../src/core/collector';
import { decodeOtlpProtoBatch } from '../../src/core/collector/decode';
import { decodeOtlpJsonBatch, redecodeStoredBody } from '../../src/core/collector/decodeJson';
import { LiveStore } from '../../src/core/collector/store';
import { buildCollectorBundles } from '../support/collectorBuild';
import { exportSpans, makeExporter, makeSdkSpans, type Ports, type Protocol } from '../support/otelSend';

/** monitorEventLoopDelay's sampling timer period. */
const ELD_RESOLUTION_MS = 5;
const BATCH_TRACES = 16;
const SPANS_PER_TRACE = 32; // 16 x 32 = 512 spans: BatchSpanProcessor's default maxExportBatchSize

interface LoadConfig {
  readonly protocol: Protocol;
  readonly ports: Ports;
  readonly exporters: number;
  readonly seconds: number;
}

interface LoadResult {
  readonly spansSent: number;
  readonly exports: number;
  readonly failures: number;
  readonly firstError?: string;
  readonly elapsedMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

export interface ProtocolResult {
  readonly protocol: Protocol;
  readonly mode: 'worker' | 'in-process';
  readonly acceptedSpansPerSec: number;
  readonly bareDecodeSpansPerSec: number;
  readonly ratio: number;
  readonly exportP50Ms: number;
  readonly exportP99Ms: number;
  readonly failures: number;
  readonly collectorBusy: number | undefined;
  readonly mainLoopDelayP99Ms: number;
  readonly mainLoopDelayMaxMs: number;
  /** Share of the load the main thread spent running JS (the rest of its delay is CPU contention). */
  readonly mainBusy: number;
}

export interface CollectorBenchResult {
  readonly protocols: ProtocolResult[];
  readonly bytesPerStoredSpan: { heap: number; bodies: number; asObjects: number };
  readonly mainThreadCloneUsPerSpan: number;
  readonly bareDecode: Record<'protobuf' | 'json', number>;
  /** Spans/s the exporters reach against a receiver that does nothing (the generator's limit). */
  readonly generatorCeiling: Record<'protobuf' | 'json', number>;
  /** 1-minute load average at the end: other processes on the machine skew every number. */
  readonly loadAverage: number;
}

// ------------------------------------------------------------------ load generator (2nd process)

/** Template SDK spans re-sent with fresh trace/span ids, so every export carries new spans. */
function freshIds(templates: readonly ReadableSpan[]): ReadableSpan[] {
  const ids = randomBytes(templates.length * 8 + BATCH_TRACES * 16 + 64).toString('hex');
  let at = 0;
  const take = (chars: number) => {
    const s = ids.slice(at, at + chars);
    at += chars;
    return s;
  };
  const traceMap = new Map<string, string>();
  const spanMap = new Map<string, string>();
  for (const t of templates) {
    const c = t.spanContext();
    if (!traceMap.has(c.traceId)) traceMap.set(c.traceId, take(32));
    spanMap.set(c.spanId, take(16));
  }
  return templates.map((t) => {
    const c = t.spanContext();
    const ctx = { ...c, traceId: traceMap.get(c.traceId)!, spanId: spanMap.get(c.spanId)! };
    const p = t.parentSpanContext;
    const o = Object.create(t) as ReadableSpan & { parentSpanContext?: unknown };
    (o as { spanContext: () => unknown }).spanContext = () => ctx;
    o.parentSpanContext = p ? { ...p, traceId: ctx.traceId, spanId: spanMap.get(p.spanId) ?? p.spanId } : undefined;
    return o;
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function runLoad(cfg: LoadConfig): Promise<void> {
  const templates = makeSdkSpans(BATCH_TRACES, SPANS_PER_TRACE, 'bench-svc');
  const exporters = Array.from({ length: cfg.exporters }, () => makeExporter(cfg.protocol, cfg.ports, false, 30_000));
  // Warm-up: connections open, JIT warm.
  await Promise.all(exporters.map((e) => exportSpans(e, freshIds(templates))));
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => {
    const rl = readline.createInterface({ input: process.stdin });
    let go = false;
    rl.once('line', () => {
      go = true;
      resolve();
    });
    // The parent went away before GO: do not linger.
    rl.once('close', () => {
      if (!go) process.exit(2);
    });
  });
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + cfg.seconds * 1000;
  await Promise.all(
    exporters.map(async (e) => {
      while (performance.now() < deadline) {
        const batch = freshIds(templates);
        const t0 = performance.now();
        try {
          await exportSpans(e, batch);
          sent += batch.length;
        } catch (err) {
          failures++;
          firstError ??= String(err);
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  await Promise.all(exporters.map((e) => e.shutdown()));
  latencies.sort((a, b) => a - b);
  const r: LoadResult = { spansSent: sent, exports: latencies.length, failures, firstError, elapsedMs, latencyP50Ms: percentile(latencies, 50), latencyP99Ms: percentile(latencies, 99) };
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}

// ------------------------------------------------------------------ measurements (this process)

function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Bare decode throughput (body -> model spans) of the exporters' own payloads, in spans/s. */
function bareDecode(templates: readonly ReadableSpan[]): Record<'protobuf' | 'json', number> {
  const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(freshIds(templates))!);
  const json = Buffer.from(JsonTraceSerializer.serializeRequest(freshIds(templates))!);
  const run = (decode: (b: Buffer) => { spans: unknown[] }, body: Buffer) => {
    for (let i = 0; i < 30; i++) decode(body);
    let spans = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1500) spans += decode(body).spans.length;
    return Math.round(spans / ((performance.now() - t0) / 1000));
  };
  return { protobuf: run(decodeOtlpProtoBatch, proto), json: run(decodeOtlpJsonBatch, json) };
}

/**
 * Bytes per span the live store holds, as the receivers store them (decoded from protobuf, body
 * kept): V8 heap (found with forced GCs) and request bodies (Buffers, outside the heap). Also the
 * heap a store of span objects would need, which is what the store used to keep.
 */
function bytesPerStoredSpan(templates: readonly ReadableSpan[]): { heap: number; bodies: number; asObjects: number } {
  const gc = gcFunction();
  const bodies = Array.from({ length: 200 }, () => Buffer.from(ProtobufTraceSerializer.serializeRequest(freshIds(templates))!));
  const total = bodies.length * templates.length;
  const measure = (fill: (store: LiveStore) => void): { heap: number; store: LiveStore } => {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const store = new LiveStore(1_000_000, redecodeStoredBody);
    fill(store);
    gc();
    gc();
    const heap = Math.round((process.memoryUsage().heapUsed - before) / total);
    if (store.spanCount !== total) throw new Error('store lost spans');
    return { heap, store };
  };
  const compact = measure((store) => {
    for (const b of bodies) {
      const batch = decodeOtlpProtoBatch(b);
      store.add(batch.spans, Date.now(), batch.stored);
    }
  });
  const bodyBytes = Math.round(compact.store.bodyBytes / total);
  const objects = measure((store) => {
    for (const b of bodies) store.add(decodeOtlpProtoBatch(b).spans);
  });
  return { heap: compact.heap, bodies: bodyBytes, asObjects: objects.heap };
}

/** What posting every decoded batch to the main thread would cost it: structured-clone deserialize. */
function mainThreadCloneCost(templates: readonly ReadableSpan[]): number {
  const spans = decodeOtlpProtoBatch(Buffer.from(ProtobufTraceSerializer.serializeRequest(freshIds(templates))!)).spans;
  const ser = v8.serialize(spans);
  for (let i = 0; i < 20; i++) v8.deserialize(ser);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    v8.deserialize(ser);
    n += spans.length;
  }
  return ((performance.now() - t0) * 1000) / n;
}

function startLoad(cfg: LoadConfig): { child: ChildProcess; ready: Promise<void>; result: Promise<LoadResult> } {
  const child = spawn(process.execPath, [__filename, '--load', JSON.stringify(cfg)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const result = new Promise<LoadResult>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'READY') readyResolve();
      else if (line.startsWith('RESULT ')) resolve(JSON.parse(line.slice(7)) as LoadResult);
    });
    child.on('exit', (code) => reject(new Error(`load generator exited with ${code} before reporting`)));
  });
  return { child, ready, result };
}

async function loadPhase(protocol: Protocol, mode: 'worker' | 'in-process', seconds: number, exporters: number, bare: number, workerScript: string, maxSpans?: number): Promise<ProtocolResult> {
  const c: CollectorHandle = await startCollector({
    maxSpans,
    host: '127.0.0.1',
    httpPort: protocol === 'grpc' ? null : 0,
    grpcPort: protocol === 'grpc' ? 0 : null,
    zipkinPort: null,
    workerScript,
    inProcess: mode === 'in-process',
  });
  try {
    const load = startLoad({ protocol, ports: c.ports, exporters, seconds });
    await load.ready;
    // A traces-view-like consumer on the main thread: summaries of the newest traces on change.
    let pending: NodeJS.Timeout | undefined;
    const sub = c.onDidChange(() => {
      pending ??= setTimeout(() => {
        pending = undefined;
        void c.store.summaries(200).catch(() => undefined);
      }, 250);
    });
    const before = await c.refreshStats();
    const elu0 = c.threadUtilization();
    const h = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
    h.enable();
    const mainElu0 = performance.eventLoopUtilization();
    load.child.stdin!.write('GO\n');
    const r = await load.result;
    const mainElu = performance.eventLoopUtilization(mainElu0);
    h.disable();
    const elu = elu0 ? c.threadUtilization(elu0) : undefined;
    const after = await c.refreshStats();
    sub.dispose();
    if (pending) clearTimeout(pending);
    const accepted = after.spansReceived - before.spansReceived;
    if (accepted !== r.spansSent) throw new Error(`${protocol}: exporters report ${r.spansSent} spans sent, the collector accepted ${accepted}`);
    const perSec = Math.round(accepted / (r.elapsedMs / 1000));
    return {
      protocol,
      mode,
      acceptedSpansPerSec: perSec,
      bareDecodeSpansPerSec: bare,
      ratio: perSec / bare,
      exportP50Ms: r.latencyP50Ms,
      exportP99Ms: r.latencyP99Ms,
      failures: r.failures,
      collectorBusy: elu?.utilization,
      // The histogram records whole timer periods: what is beyond the period is the delay.
      mainLoopDelayP99Ms: Math.max(0, h.percentile(99) / 1e6 - ELD_RESOLUTION_MS),
      mainLoopDelayMaxMs: Math.max(0, h.max / 1e6 - ELD_RESOLUTION_MS),
      mainBusy: mainElu.utilization,
    };
  } finally {
    await c.stop();
  }
}

/**
 * The load generator's own ceiling: the same exporters against a receiver that only reads the body
 * and answers success (no decoding, no storing). The collector cannot accept more than this.
 */
async function sinkCeiling(protocol: 'http/protobuf' | 'http/json', seconds: number, exporters: number): Promise<number> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = protocol === 'http/json';
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const load = startLoad({ protocol, ports: { otlpHttp: (server.address() as AddressInfo).port }, exporters, seconds });
    await load.ready;
    load.child.stdin!.write('GO\n');
    const r = await load.result;
    return Math.round(r.spansSent / (r.elapsedMs / 1000));
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

export async function benchCollector(opts: { seconds?: number; exporters?: number } = {}): Promise<CollectorBenchResult> {
  const seconds = opts.seconds ?? 4;
  const exporters = opts.exporters ?? 8;
  const { workerScript } = buildCollectorBundles();
  const templates = makeSdkSpans(BATCH_TRACES, SPANS_PER_TRACE, 'bench-svc');
  const bare = bareDecode(templates);
  const bytes = bytesPerStoredSpan(templates);
  const clone = mainThreadCloneCost(templates);
  const protocols: ProtocolResult[] = [];
  for (const p of ['http/protobuf', 'http/json', 'grpc'] as Protocol[]) {
    protocols.push(await loadPhase(p, 'worker', seconds, exporters, p === 'http/json' ? bare.json : bare.protobuf, workerScript));
  }
  // The same load with the collector on the main thread, to show what the worker buys.
  protocols.push(await loadPhase('http/protobuf', 'in-process', seconds, exporters, bare.protobuf, workerScript));
  const generatorCeiling = { protobuf: await sinkCeiling('http/protobuf', seconds, exporters), json: await sinkCeiling('http/json', seconds, exporters) };
  return { protocols, bytesPerStoredSpan: bytes, mainThreadCloneUsPerSpan: clone, bareDecode: bare, generatorCeiling, loadAverage: os.loadavg()[0] };
}

export function formatCollectorBench(r: CollectorBenchResult): string {
  const rows = [
    ['protocol', 'collector', 'accepted spans/s', 'bare decode spans/s', 'ratio', 'collector thread busy', 'capacity spans/busy-s', 'capacity/bare', 'export p50 ms', 'export p99 ms', 'main loop delay p99 ms (max)', 'main thread busy', 'failed exports'],
  ];
  for (const p of r.protocols) {
    rows.push([
      p.protocol,
      p.mode,
      p.acceptedSpansPerSec.toLocaleString('en-US'),
      p.bareDecodeSpansPerSec.toLocaleString('en-US'),
      `${Math.round(p.ratio * 100)}%`,
      p.collectorBusy === undefined ? 'n/a' : `${Math.round(p.collectorBusy * 100)}%`,
      p.collectorBusy === undefined ? 'n/a' : Math.round(p.acceptedSpansPerSec / p.collectorBusy).toLocaleString('en-US'),
      p.collectorBusy === undefined ? 'n/a' : `${Math.round((p.acceptedSpansPerSec / p.collectorBusy / p.bareDecodeSpansPerSec) * 100)}%`,
      p.exportP50Ms.toFixed(1),
      p.exportP99Ms.toFixed(1),
      `${p.mainLoopDelayP99Ms.toFixed(1)} (${p.mainLoopDelayMaxMs.toFixed(1)})`,
      `${(p.mainBusy * 100).toFixed(1)}%`,
      String(p.failures),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    `memory per stored span (SDK spans with 4-5 attributes, received as protobuf): ${r.bytesPerStoredSpan.heap} B of V8 heap + ` +
      `${r.bytesPerStoredSpan.bodies} B of request body outside the heap (keeping decoded span objects instead: ${r.bytesPerStoredSpan.asObjects} B of heap)`,
    `load generator ceiling (same exporters, receiver that only reads the body): http/protobuf ${r.generatorCeiling.protobuf.toLocaleString('en-US')} spans/s, ` +
      `http/json ${r.generatorCeiling.json.toLocaleString('en-US')} spans/s`,
    `machine load average (1 min) at the end: ${r.loadAverage.toFixed(2)} on ${os.cpus().length} cores`,
    `posting decoded batches to the main thread instead would cost it ${r.mainThreadCloneUsPerSpan.toFixed(2)} µs per span to deserialize ` +
      `(${Math.round(r.mainThreadCloneUsPerSpan * 50)} ms per second at 50k spans/s)`,
  ].join('\n');
}

if (require.main === module) {
  if (process.argv[2] === '--load') {
    runLoad(JSON.parse(process.argv[3]) as LoadConfig).then(
      () => process.exit(0),
      (e) => {
        process.stderr.write(`load generator: ${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
      },
    );
  } else if (process.env.BENCH_EXPERIMENT) {
    (async () => {
      const { workerScript } = buildCollectorBundles();
      const maxSpans = Number(process.env.BENCH_MAXSPANS || 200000);
      for (const p of (process.env.BENCH_EXPERIMENT ?? '').split(',') as Protocol[]) {
        const r = await loadPhase(p, 'worker', 4, 8, 1, workerScript, maxSpans);
        console.log(p, 'maxSpans', maxSpans, r.acceptedSpansPerSec, 'busy', r.collectorBusy?.toFixed(2), 'p99', r.exportP99Ms.toFixed(0), 'elp99', r.mainLoopDelayP99Ms.toFixed(1));
      }
      process.exit(0);
    })();
  } else {
    benchCollector().then(
      (r) => {
        process.stdout.write(formatCollectorBench(r) + '\n');
        process.exit(0);
      },
      (e) => {
        process.stderr.write(`bench:collector failed: ${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
      },
    );
  }
}
