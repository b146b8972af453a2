// The waterfall at one million spans (and 100k for comparison): host-side layout (buildWaterfall),
// the size of the WaterfallDto that crosses postMessage, search (searchTrace) per kind of query,
// and, in headless Chromium with the real webview bundle, first render, scrolling, applying a
// search result and expand/collapse all. Every figure is printed next to its target and a baseline.
//
//   node dist/test/bench/waterfallBench.js            (after `node esbuild.js && node esbuild.js --tests`)
//   SPANLENS_WF_SPANS=1000000,100000  spans per trace (comma-separated; default both)
//   SPANLENS_WF_WEBVIEW=0             skip the Chromium part
//
// The trace is synthetic but built as real model Spans through buildTrace: 8 services with several
// instances each, depth up to ~18, a few very wide fan-outs (5000 children), ~10 attributes per span,
// some events and ~2% errors.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { SpanKind, StatusCode, type Attribute, type Resource, type Span, type SpanEvent, type Trace } from '../../src/core/model/model';
import { buildTrace } from '../../src/core/model/trace';
import { searchIndex, searchTrace } from '../../src/core/view/search';
import { buildWaterfall } from '../../src/core/view/waterfall';
import { RowFlag, type SearchQuery, type SearchResultDto, type WaterfallDto } from '../../src/shared/protocol';
import { REPO_ROOT } from '../support/paths';
import { prng } from '../support/generate';

const SIZES = (process.env.SPANLENS_WF_SPANS ?? '1000000,100000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const WEBVIEW = process.env.SPANLENS_WF_WEBVIEW !== '0';
const OUT = path.join(REPO_ROOT, '.bench');

const T0 = 1_700_000_000_000_000_000n;
const SERVICES = ['frontend', 'checkout', 'cart', 'payment', 'inventory-db', 'shipping', 'email', 'recommendation'];
const OPS = [
  ['GET /', 'POST /api/checkout', 'GET /api/products/{id}', 'render page', 'middleware.auth'],
  ['PlaceOrder', 'checkout.validate', 'checkout.total', 'grpc.client PlaceOrder'],
  ['GetCart', 'AddItem', 'redis GET', 'redis SET', 'redis MGET'],
  ['Charge', 'fraud.check', 'POST https://pay.example/v1/charges', 'tokenize'],
  ['SELECT orders', 'UPDATE stock', 'INSERT order_items', 'pg.connect', 'pg.query'],
  ['GetQuote', 'ShipOrder', 'compute.distance'],
  ['SendOrderConfirmation', 'smtp.send', 'template.render'],
  ['ListRecommendations', 'model.predict', 'cache.lookup', 'feature.fetch'],
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const ROUTES = Array.from({ length: 24 }, (_, i) => `/api/v${1 + (i % 3)}/${['orders', 'items', 'users', 'carts'][i % 4]}/{id}${i > 11 ? '/lines' : ''}`);
const MAX_DEPTH = 18;

const rng = prng;

/** A deterministic synthetic trace of n model spans, assembled by buildTrace like every importer's. */
export function syntheticTrace(n: number): Trace {
  const rand = rng(20240607);
  const resources: Resource[][] = SERVICES.map((svc, si) =>
    Array.from({ length: 4 }, (_, k) => {
      const attributes: Attribute[] = [
        { key: 'service.name', value: svc },
        { key: 'service.version', value: `1.${si}.${k}` },
        { key: 'host.name', value: `ip-10-0-${si}-${10 + k}` },
        { key: 'telemetry.sdk.language', value: ['go', 'nodejs', 'java', 'python'][si % 4] },
        { key: 'telemetry.sdk.version', value: '1.28.0' },
        { key: 'deployment.environment', value: 'prod' },
      ];
      return { serviceName: svc, attributes };
    }),
  );
  const scope = { name: 'io.opentelemetry.bench', version: '1.0.0', attributes: [] };
  const parent = new Int32Array(n).fill(-1);
  const depth = new Uint8Array(n);
  const svc = new Uint8Array(n);
  const startOff = new Float64Array(n);
  const dur = new Float64Array(n);
  dur[0] = 30_000_000_000; // 30 s
  // Wide fan-outs: a span every ~200k spans gets 5000 consecutive children (a batch job's items).
  let fanParent = -1;
  let fanLeft = 0;
  const spans: Span[] = new Array(n);
  const id = (i: number) => (0x1000000000000 + i * 7919).toString(16).padStart(16, '0');
  for (let i = 0; i < n; i++) {
    let p = -1;
    if (i > 0) {
      if (fanLeft > 0) {
        p = fanParent;
        fanLeft--;
      } else if (i % 200_000 === 1000) {
        p = i - 1;
        fanParent = p;
        fanLeft = 4999;
      } else {
        // Mostly a recent span (deep call chains), sometimes an early one (a broad top level).
        p = rand() < 0.85 ? i - 1 - Math.floor(Math.pow(rand(), 2) * Math.min(i, 60)) : Math.floor(rand() * Math.min(i, 50));
        while (depth[p] >= MAX_DEPTH) p = parent[p];
      }
      parent[i] = p;
      depth[i] = depth[p] + 1;
      const off = rand() * 0.7 * dur[p];
      startOff[i] = startOff[p] + off;
      dur[i] = Math.max(1000, (dur[p] - off) * (0.02 + rand() * 0.9));
      svc[i] = rand() < 0.6 ? svc[p] : Math.floor(rand() * SERVICES.length);
    }
    const s = svc[i];
    const ops = OPS[s];
    const error = i > 0 && rand() < 0.02;
    const method = METHODS[i % 4];
    const status = error ? 500n : i % 23 === 0 ? 404n : 200n;
    const attributes: Attribute[] = [
      { key: 'http.method', value: method },
      { key: 'http.route', value: ROUTES[i % ROUTES.length] },
      { key: 'http.status_code', value: status },
      { key: 'net.peer.name', value: `${SERVICES[(s + 1) % SERVICES.length]}.svc.cluster.local` },
      { key: 'user.id', value: `user-${(i * 31) % 50_000}` },
      { key: 'request.id', value: `req-${id(i * 3)}` },
      { key: 'retry', value: i % 17 === 0 },
      { key: 'payload.bytes', value: BigInt(Math.floor(rand() * 100_000)) },
      { key: 'thread.name', value: `worker-${i % 16}` },
      { key: 'cache.hit_ratio', value: Math.round(rand() * 1000) / 1000 },
    ];
    if (s === 4) attributes.push({ key: 'db.statement', value: `SELECT * FROM orders WHERE customer_id = ${i % 9973} LIMIT 100` });
    const events: SpanEvent[] = [];
    if (error) {
      events.push({
        name: 'exception',
        timeUnixNano: T0 + BigInt(Math.round(startOff[i] + dur[i] / 2)),
        attributes: [
          { key: 'exception.type', value: 'TimeoutError' },
          { key: 'exception.message', value: `deadline exceeded after ${100 + (i % 900)}ms` },
        ],
      });
    } else if (i % 50 === 7) {
      events.push({ name: 'cache miss', timeUnixNano: T0 + BigInt(Math.round(startOff[i] + dur[i] / 3)), attributes: [] });
    }
    const start = T0 + BigInt(Math.round(startOff[i]));
    spans[i] = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: id(i),
      parentSpanId: p >= 0 ? id(p) : undefined,
      name: i === 0 ? 'GET /checkout' : i % 101 === 0 ? `GET /api/items/${i % 997}` : ops[i % ops.length],
      kind: i === 0 ? SpanKind.Server : SpanKind.Internal,
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(Math.round(dur[i])),
      attributes,
      events,
      links: [],
      status: error ? { code: StatusCode.Error, message: 'upstream timeout' } : { code: StatusCode.Unset },
      resource: resources[s][i % 4],
      scope,
    };
  }
  return buildTrace('4bf92f3577b34da6a3ce929d0e0e4736', spans);
}

// ---------------------------------------------------------------------------------------------
// Measuring helpers

const now = () => performance.now();
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}
function timeIt<T>(fn: () => T, runs: number): { ms: number; first: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = now();
    value = fn();
    times.push(now() - t);
  }
  return { ms: median(times), first: times[0], value };
}
const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const fmtMb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const triple = (f: { p50: number; p95: number; max: number } | undefined) => (f ? `${f.p50.toFixed(1)} / ${f.p95.toFixed(1)} / ${f.max.toFixed(1)}` : '—');

/** Bytes of the typed arrays, and of everything else as the structured clone serialises it. */
function dtoSize(wf: WaterfallDto): { typedBytes: number; cloneBytes: number; cloneMs: number } {
  let typedBytes = 0;
  for (const v of Object.values(wf)) if (ArrayBuffer.isView(v)) typedBytes += v.byteLength;
  const t = now();
  const buf = v8.serialize(wf);
  const ser = now() - t;
  const t2 = now();
  v8.deserialize(buf);
  return { typedBytes, cloneBytes: buf.length, cloneMs: ser + (now() - t2) };
}

/** Writes the DTO for the dev page: a JSON header naming each typed array's slice of one binary file. */
function writeDtoFile(wf: WaterfallDto, file: string): void {
  const header: Record<string, unknown> = {};
  const typed: Record<string, { type: string; offset: number; length: number }> = {};
  const parts: Buffer[] = [];
  let offset = 0;
  for (const [k, v] of Object.entries(wf)) {
    if (ArrayBuffer.isView(v)) {
      const view = v as unknown as { constructor: { name: string }; length: number; buffer: ArrayBuffer; byteOffset: number; byteLength: number };
      const pad = (8 - (offset % 8)) % 8;
      if (pad) parts.push(Buffer.alloc(pad));
      offset += pad;
      typed[k] = { type: view.constructor.name, offset, length: view.length };
      parts.push(Buffer.from(view.buffer, view.byteOffset, view.byteLength));
      offset += view.byteLength;
    } else header[k] = v;
  }
  const json = Buffer.from(JSON.stringify({ header, typed }));
  const len = Buffer.alloc(8);
  len.writeUInt32LE(json.length, 0);
  const pad = (8 - ((8 + json.length) % 8)) % 8;
  fs.writeFileSync(file, Buffer.concat([len, json, Buffer.alloc(pad), ...parts]));
}

interface SearchCase {
  readonly label: string;
  readonly query: SearchQuery;
}

function searchCases(wf: WaterfallDto): SearchCase[] {
  return [
    { label: 'free text, matches a few span names ("redis m")', query: { text: 'redis m' } },
    { label: 'free text, in attribute values only ("user-4242")', query: { text: 'user-4242' } },
    { label: 'free text, no match ("zzqx")', query: { text: 'zzqx' } },
    { label: '`key=value` (http.status_code=500)', query: { text: 'http.status_code=500' } },
    { label: '`key=value` string (http.method=DELETE)', query: { text: 'http.method=DELETE' } },
    { label: 'service filter (payment)', query: { service: wf.services.includes('payment') ? 'payment' : wf.services[0] } },
    { label: 'min duration (≥ 100 ms)', query: { minDurationNs: 100_000_000 } },
    { label: 'errors only', query: { errorsOnly: true } },
  ];
}

interface CoreFigures {
  n: number;
  traceBuildMs: number;
  layoutMs: number;
  layoutWarmMs: number;
  layoutBaselineMs: number;
  size: { typedBytes: number; cloneBytes: number; cloneMs: number };
  indexMs: number;
  searches: { label: string; ms: number; matches: number; description: string }[];
  searchBaselineMs: number;
  results: SearchResultDto[];
}

function coreBench(n: number, dtoFile: string): CoreFigures {
  let t = now();
  const trace = syntheticTrace(n);
  const traceBuildMs = now() - t;
  (globalThis as { gc?: () => void }).gc?.();
  // Cold: the first layout also builds the cached per-trace arrays (as in the worker).
  t = now();
  const wf = buildWaterfall(trace, 0);
  const layoutMs = now() - t;
  const layoutWarmMs = timeIt(() => buildWaterfall(trace, 0), 3).ms;
  // Baseline: one bare pass over the span objects reading what the layout must read per span.
  const layoutBaselineMs = timeIt(() => {
    let acc = 0;
    for (const s of trace.spans) acc += s.name.length + s.events.length + s.status.code + s.resource.serviceName.length;
    return acc;
  }, 3).ms;
  const size = dtoSize(wf);
  writeDtoFile(wf, dtoFile);

  t = now();
  searchIndex(trace);
  const indexMs = now() - t;
  const searches: CoreFigures['searches'] = [];
  const results: SearchResultDto[] = [];
  for (const c of searchCases(wf)) {
    const r = timeIt(() => searchTrace(trace, wf, c.query), 5);
    searches.push({ label: c.label, ms: r.ms, matches: r.value.rows.length, description: r.value.description });
    results.push(r.value);
  }
  // Baseline: a bare pass over one typed column (the cheapest possible filter).
  const searchBaselineMs = timeIt(() => {
    let k = 0;
    for (let r = 0; r < wf.rowCount; r++) if (wf.flags[r] & RowFlag.Error) k++;
    return k;
  }, 5).ms;
  return { n, traceBuildMs, layoutMs, layoutWarmMs, layoutBaselineMs, size, indexMs, searches, searchBaselineMs, results };
}

interface WebviewFigures {
  firstRenderMs: number;
  endToEndMs: number;
  smooth: { p50: number; p95: number; max: number };
  jump: { p50: number; p95: number; max: number };
  collapseAllMs: number;
  expandAllMs: number;
  collapseToDepthMs: number;
  searchApply: { label: string; ms: number }[];
  clearSearchMs: number;
  errors: string[];
}

async function webviewBench(dtoFile: string, core: CoreFigures): Promise<WebviewFigures | string> {
  if (!fs.existsSync(process.env.SPANLENS_CHROMIUM || '/usr/bin/chromium')) return 'Chromium not installed (apt-get install chromium)';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const measure = require(path.join(REPO_ROOT, 'test/webview-dev/measure.js'));
  const labels = searchCases({ services: ['payment'] } as unknown as WaterfallDto).map((c) => c.label);
  return measure.measureWaterfallFile({
    url: '/' + path.relative(REPO_ROOT, dtoFile).split(path.sep).join('/'),
    runs: 3,
    searches: core.results.map((r, k) => ({ label: labels[k], rows: Array.from(r.rows), description: r.description })),
  });
}

function printTables(core: CoreFigures[], web: (WebviewFigures | string | undefined)[]): void {
  const cols = core.map((c) => `${c.n.toLocaleString('en-US')} spans`);
  const rows: string[][] = [];
  const add = (label: string, values: string[], target: string, baseline = '') => rows.push([label, ...values, target, baseline]);
  const big = core.length - 1 >= 0 ? 0 : 0; // the first size (1M by default) gets the baselines
  add('synthetic trace: spans + buildTrace (setup, not a target)', core.map((c) => fmt(c.traceBuildMs)), '—');
  add('host layout buildWaterfall, first (incl. per-trace arrays)', core.map((c) => fmt(c.layoutMs)), '— (worker thread)', `bare pass over the span objects: ${fmt(core[big].layoutBaselineMs)}`);
  add('host layout buildWaterfall, again', core.map((c) => fmt(c.layoutWarmMs)), '—');
  add('WaterfallDto: typed arrays / structured clone size', core.map((c) => `${fmtMb(c.size.typedBytes)} / ${fmtMb(c.size.cloneBytes)}`), '—');
  add('WaterfallDto structured clone (serialize + deserialize, Node)', core.map((c) => fmt(c.size.cloneMs)), '—');
  const webs = web.map((w) => (typeof w === 'object' ? w : undefined));
  add('first render: traceData handled → first rows painted (median)', webs.map((w) => fmt(w?.firstRenderMs)), '≤ 1000 ms');
  add('first render end to end: postMessage → painted (incl. clone)', webs.map((w) => fmt(w?.endToEndMs)), '≤ 1000 ms');
  add('smooth scroll 60 px/frame, frame p50 / p95 / max (ms)', webs.map((w) => triple(w?.smooth)), '≤ 16 ms');
  add('jump scroll (all rows replaced), frame p50 / p95 / max (ms)', webs.map((w) => triple(w?.jump)), '≤ 16 ms');
  add('collapse all → painted', webs.map((w) => fmt(w?.collapseAllMs)), '≤ 300 ms');
  add('expand all → painted', webs.map((w) => fmt(w?.expandAllMs)), '≤ 300 ms');
  add('collapse to depth 3 → painted', webs.map((w) => fmt(w?.collapseToDepthMs)), '—');
  add('search index build (first search, cached per trace)', core.map((c) => fmt(c.indexMs)), '—');
  core[0].searches.forEach((s, k) => {
    add(`search: ${s.label} — ${core.map((c) => c.searches[k].matches).join(' / ')} matches`, core.map((c) => fmt(c.searches[k].ms)), '≤ 300 ms', k === core[0].searches.length - 1 ? `bare pass over flags column: ${fmt(core[big].searchBaselineMs)}` : '');
  });
  (webs[0]?.searchApply ?? []).forEach((s, k) => {
    add(`webview applies result: ${s.label}`, webs.map((w) => fmt(w?.searchApply[k]?.ms)), '≤ 300 ms');
  });
  add('webview clears the search → painted', webs.map((w) => fmt(w?.clearSearchMs)), '—');
  const head = ['measure', ...cols, 'target', 'baseline (same run)'];
  const cells = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  console.log(`\n## Waterfall at scale (headless Chromium --disable-gpu for the webview rows; ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  cells.forEach((r, i) => {
    console.log(`| ${r.map((c, j) => (c ?? '').padEnd(widths[j])).join(' | ')} |`);
    if (i === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  });
  web.forEach((w, i) => {
    if (typeof w === 'string') console.log(`\n(webview part skipped at ${core[i].n} spans: ${w})`);
    else if (w && w.errors.length) console.log(`\nwebview errors at ${core[i].n} spans:\n  ${w.errors.join('\n  ')}`);
  });
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  if (WEBVIEW) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    await require(path.join(REPO_ROOT, 'test/webview-dev/measure.js')).buildWebview({ minify: true });
  }
  const core: CoreFigures[] = [];
  const web: (WebviewFigures | string | undefined)[] = [];
  for (const n of SIZES) {
    const file = path.join(OUT, `waterfall-${n}.bin`);
    const c = coreBench(n, file);
    core.push(c);
    (globalThis as { gc?: () => void }).gc?.();
    web.push(WEBVIEW ? await webviewBench(file, c).catch((e: Error) => `failed: ${e.message}`) : undefined);
  }
  printTables(core, web);
}

// Run when this bundle is the entry point (not when another script imports syntheticTrace).
if (require.main && path.basename(require.main.filename) === 'waterfallBench.js') {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
