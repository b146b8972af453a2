// `npm run bench` (second part): how responsive the extension host's thread stays while a big file
// loads and while the dev collector takes a load, with the catalog in its worker thread, against
// the same work on the host's own thread (the baseline: what Spanlens did before the catalog).
// Event-loop delay is perf_hooks.monitorEventLoopDelay on the calling thread, as the extension
// host would see it. Figures only, no assertions.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import * as readline from 'readline';
import { CatalogClient } from '../../src/core/catalog/client';
import { startCollector } from '../../src/core/collector';
import { importTraceFile } from '../../src/core/importers/importFile';
import { generateSpans, toOtlpJsonBytes } from '../support/generate';
import { exportSpans, makeExporter, makeSdkSpans } from '../support/otelSend';
import { REPO_ROOT } from '../support/paths';

const SPANS = Number(process.env.SPANLENS_BENCH_SPANS ?? 100_000);
const OUT = path.join(REPO_ROOT, '.bench');
const WORKER = path.join(REPO_ROOT, 'dist', 'spanlens.worker.js');
const RESOLUTION_MS = 10;

const fmt = (ns: number) => `${(ns / 1e6).toFixed(1)} ms`;

function eld() {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  return () => {
    h.disable();
    return { p99: h.percentile(99), max: h.max };
  };
}

function jsonFile(): string {
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, `trace-${SPANS}.otlp.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, toOtlpJsonBytes(generateSpans({ spans: SPANS })));
  return file;
}

const host = { resolveSite: async () => undefined };

async function importOnHostThread(file: string) {
  const stop = eld();
  // Let the monitor take samples around the blocking import.
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  importTraceFile(fs.readFileSync(file), { fileName: path.basename(file) });
  const wall = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 50));
  return { wall, ...stop() };
}

async function importInWorker(file: string) {
  const client = new CatalogClient({ workerScript: WORKER, host });
  try {
    await client.call('memory'); // the worker is up: its start is not part of the load
    const stop = eld();
    const t0 = performance.now();
    const info = await client.open({ kind: 'file', path: file, fileName: path.basename(file), key: file }).done;
    const wall = performance.now() - t0;
    const t1 = performance.now();
    await client.call('waterfall', info.sessionId, 0);
    const waterfallMs = performance.now() - t1;
    const delay = stop();
    // After the statistics have read every span (a pass that decodes each span's attributes once).
    await client.call('statsIdle');
    return { wall, waterfallMs, ...delay, memory: await client.call('memory') };
  } finally {
    await client.dispose();
  }
}

/** A child process that sends `spans` spans with the real OTLP/HTTP protobuf exporter. */
function sendLoad(port: number, spans: number): Promise<number> {
  const child = spawn(process.execPath, [__filename, '--send', String(port), String(spans)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (l) => l.startsWith('sent ') && resolve(Number(l.slice(5))));
    child.on('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
  });
}

async function collectorLoad(viaCatalog: boolean, spans: number) {
  const client = viaCatalog ? new CatalogClient({ workerScript: WORKER, host }) : undefined;
  const c = await startCollector({ host: '127.0.0.1', httpPort: 0, grpcPort: null, zipkinPort: null, maxSpans: spans * 2, ...(client ? { via: (p) => client.serveCollector(p) } : { inProcess: true }) });
  try {
    const stop = eld();
    const t0 = performance.now();
    await sendLoad(c.ports.otlpHttp!, spans);
    const wall = performance.now() - t0;
    // The live statistics index settled traces 2 s later: keep measuring through that.
    await new Promise((r) => setTimeout(r, 3000));
    return { wall, ...stop() };
  } finally {
    await c.stop();
    await client?.dispose();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--send') {
    const port = Number(process.argv[3]);
    const total = Number(process.argv[4]);
    const exporter = makeExporter('http/protobuf', { otlpHttp: port });
    for (let sent = 0; sent < total; sent += 1000) await exportSpans(exporter, makeSdkSpans(100, 10));
    console.log(`sent ${total}`);
    return;
  }
  const file = jsonFile();
  const size = fs.statSync(file).size;
  console.log(`\n## Extension-host responsiveness (event-loop delay, p99 and max, sampled every ${RESOLUTION_MS} ms)\n`);
  console.log('| work | baseline: on the host thread | Spanlens: catalog worker | target |');
  console.log('| --- | --- | --- | --- |');
  const base = await importOnHostThread(file);
  const ours = await importInWorker(file);
  console.log(`| open a ${SPANS / 1000}k-span OTLP JSON file (${(size / 1048576).toFixed(0)} MB) | ${fmt(base.p99)} / ${fmt(base.max)} (import ${base.wall.toFixed(0)} ms) | ${fmt(ours.p99)} / ${fmt(ours.max)} (load ${ours.wall.toFixed(0)} ms, waterfall to host ${ours.waterfallMs.toFixed(0)} ms) | p99 ≤ 50 ms |`);
  const load = Number(process.env.SPANLENS_BENCH_COLLECTOR_SPANS ?? 50_000);
  const cBase = await collectorLoad(false, load);
  const cOurs = await collectorLoad(true, load);
  console.log(`| dev collector takes ${load / 1000}k spans (OTLP/HTTP protobuf, real exporter) + live statistics | ${fmt(cBase.p99)} / ${fmt(cBase.max)} (receivers in-process) | ${fmt(cOurs.p99)} / ${fmt(cOurs.max)} | p99 ≤ 50 ms |`);
  console.log(`\nworker memory after the ${SPANS / 1000}k load and its statistics: heap ${(ours.memory.heapUsed / 1048576).toFixed(0)} MB, array buffers ${(ours.memory.arrayBuffers / 1048576).toFixed(0)} MB, process RSS ${(ours.memory.rss / 1048576).toFixed(0)} MB`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
