// `npm run bench`: every speed and memory target of the trace viewer, each printed next to the
// baseline it is measured against in the same run. No assertions: shared machines are noisy, so
// the figures go in the README with the machine's load at the time.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importTraceFile } from '../../src/core/importers/importFile';
import { buildWaterfall } from '../../src/core/view/waterfall';
import { generateSpans, toOtlpJsonBytes, toOtlpProtoBytes } from '../support/generate';
import { REPO_ROOT } from '../support/paths';
import { wholeProcessRows } from './importWhole';

const SPANS = Number(process.env.SPANLENS_BENCH_SPANS ?? 100_000);
const RUNS = Number(process.env.SPANLENS_BENCH_RUNS ?? 5);
const OUT = path.join(REPO_ROOT, '.bench');

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function table(title: string, head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  console.log(`\n## ${title}\n`);
  cells.forEach((r, n) => {
    console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
    if (n === 0) console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  });
}

/** The 100k-span test file, made once with the real OTel SDK and serializers, then reused. */
function traceFiles(): { json: string; proto: string } {
  fs.mkdirSync(OUT, { recursive: true });
  const json = path.join(OUT, `trace-${SPANS}.otlp.json`);
  const proto = path.join(OUT, `trace-${SPANS}.otlp.binpb`);
  if (!fs.existsSync(json) || !fs.existsSync(proto)) {
    const t0 = performance.now();
    const spans = generateSpans({ spans: SPANS, attributesPerSpan: 10, services: 6 });
    fs.writeFileSync(json, toOtlpJsonBytes(spans));
    fs.writeFileSync(proto, toOtlpProtoBytes(spans));
    console.log(`generated ${SPANS} spans with the OpenTelemetry JS SDK in ${ms(performance.now() - t0)}`);
  }
  return { json, proto };
}

function child(file: string, mode: string): { ms: number; peakRssBytes: number; heapUsedBytes: number } {
  const script = path.join(__dirname, 'importChild.js');
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', script, file, mode], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${mode} of ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim());
}

function importBench(files: { json: string; proto: string }): void {
  const rows: (string | number)[][] = [];
  for (const [label, file, base, ours] of [
    ['OTLP JSON', files.json, 'json', 'import'],
    ['OTLP protobuf', files.proto, 'proto-decode', 'import'],
  ] as const) {
    const size = fs.statSync(file).size;
    const b: { ms: number; peakRssBytes: number }[] = [];
    const o: { ms: number; peakRssBytes: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      b.push(child(file, base));
      o.push(child(file, ours));
    }
    const bms = median(b.map((x) => x.ms));
    const oms = median(o.map((x) => x.ms));
    const brss = median(b.map((x) => x.peakRssBytes));
    const orss = median(o.map((x) => x.peakRssBytes));
    rows.push([
      `${label} (${mb(size)})`,
      `${base === 'json' ? 'JSON.parse' : 'bare protobuf decode (pbf, to wire messages)'}: ${ms(bms)}`,
      `importTraceFile: ${ms(oms)}`,
      `${(oms / bms).toFixed(2)}×${base === 'json' ? ' (target ≤ 1.5×)' : ''}`,
      `${mb(brss)} / ${mb(orss)}`,
      `${(orss / size).toFixed(1)}× file`,
    ]);
  }
  table(`Import of ${SPANS} spans (~10 attributes each), median of ${RUNS} fresh processes`, ['file', 'baseline', 'Spanlens', 'ratio', 'peak RSS baseline / Spanlens', 'Spanlens peak vs size'], rows);
}

/** The dev-page driver written for the webview (plain JS): the parts used here. */
interface MeasureLib {
  buildWebview(o: { minify: boolean }): Promise<void>;
  startServer(): Promise<{ url: string; close(): Promise<void> }>;
  launchBrowser(): Promise<{ context: unknown; close(): Promise<void> }>;
  openPage(ctx: unknown, url: string, params: object): Promise<{ page: import('playwright-core').Page }>;
  waitForFirstRender(page: import('playwright-core').Page): Promise<{ firstRenderMs: number }>;
}

/** First render and scrolling of the real 100k-span waterfall in Chromium, through the dev page. */
async function renderBench(jsonFile: string): Promise<void> {
  let measure: MeasureLib;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    measure = require(path.join(REPO_ROOT, 'test/webview-dev/measure.js'));
  } catch (e) {
    console.log(`\n(render benchmark skipped: ${(e as Error).message})`);
    return;
  }
  if (!fs.existsSync('/usr/bin/chromium') && !process.env.SPANLENS_CHROMIUM) {
    console.log('\n(render benchmark skipped: Chromium not installed; run .ci/run or apt-get install chromium)');
    return;
  }
  const file = importTraceFile(new Uint8Array(fs.readFileSync(jsonFile)));
  const t0 = performance.now();
  const wf = buildWaterfall(file.traces[0], 0);
  const layoutMs = performance.now() - t0;
  // Typed arrays cross into the page as plain arrays and are rebuilt there before the clock starts.
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wf)) plain[k] = ArrayBuffer.isView(v) ? { __typed: v.constructor.name, data: Array.from(v as unknown as ArrayLike<number>) } : v;
  await measure.buildWebview({ minify: true });
  const server = await measure.startServer();
  const browser = await measure.launchBrowser();
  try {
    const { page } = await measure.openPage(browser.context, server.url, { rows: 10, theme: 'dark', latency: 0, hold: 1 });
    await page.waitForSelector('#sl-loading', { state: 'visible' });
    // Browser-side code is passed as text: this file is compiled without the DOM library.
    await page.evaluate(`(() => {
      const p = ${JSON.stringify(plain)};
      const wf = {};
      for (const [k, v] of Object.entries(p)) wf[k] = v && v.__typed ? new globalThis[v.__typed](v.data) : v;
      window.__realWaterfall = wf;
    })()`);
    const firsts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))');
      await page.evaluate(`(() => {
        window.__spanlens.firstRenderMs = undefined;
        window.__stub.send({ type: 'traceData', waterfall: window.__realWaterfall });
      })()`);
      firsts.push((await measure.waitForFirstRender(page)).firstRenderMs);
    }
    type Frames = { p50: number; p95: number; max: number };
    const smooth = (await page.evaluate('window.__spanlens.scrollBench({ frames: 240, stepPx: 60 })')) as Frames;
    const jump = (await page.evaluate('window.__spanlens.scrollBench({ frames: 240 })')) as Frames;
    // The flame graph of the same trace on the same page: the waterfall's first render above is its
    // same-run baseline. With the flame graph on, traceData still fills the (hidden) waterfall too.
    await page.click('#sl-view-flame');
    const flameFirsts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))))');
      await page.evaluate(`(() => {
        window.__spanlens.firstRenderMs = undefined;
        window.__stub.send({ type: 'traceData', waterfall: window.__realWaterfall });
      })()`);
      flameFirsts.push((await measure.waitForFirstRender(page)).firstRenderMs);
    }
    type FlameStats = { lastDrawMs: number; bars: number; mergedRuns: number; widthPx: number; heightPx: number };
    const flameFirst = (await page.evaluate('window.__spanlens.flameStats()')) as FlameStats;
    const zoomFrames = (await page.evaluate('window.__spanlens.flameZoomBench(120)')) as number[];
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
    table(`Waterfall of the ${wf.rowCount}-span trace in Chromium ${'(headless, --disable-gpu)'}`, ['measure', 'Spanlens', 'target / baseline'], [
      ['host layout (buildWaterfall)', ms(layoutMs), '—'],
      ['first render: data received → first rows painted (median)', ms(median(firsts)), '≤ 300 ms'],
      ['smooth scroll (60 px/frame) frame time p50 / p95 / max', `${ms(smooth.p50)} / ${ms(smooth.p95)} / ${ms(smooth.max)}`, '≤ 16 ms per frame'],
      ['jump scroll (every row replaced each frame) p50 / p95 / max', `${ms(jump.p50)} / ${ms(jump.p95)} / ${ms(jump.max)}`, '≤ 16 ms per frame'],
      ['flame graph first render: data received → canvas painted (median)', ms(median(flameFirsts)), `≤ 300 ms; baseline: waterfall first render ${ms(median(firsts))}`],
      [
        `flame graph first frame: layout + canvas calls (${flameFirst.bars} bars of which ${flameFirst.mergedRuns} merged runs, ${flameFirst.widthPx}×${flameFirst.heightPx} px)`,
        ms(flameFirst.lastDrawMs),
        '—',
      ],
      ['flame graph zoom redraw (wheel step) → painted, p50 / p95 / max', `${ms(pct(zoomFrames, 50))} / ${ms(pct(zoomFrames, 95))} / ${ms(Math.max(...zoomFrames))}`, '≤ 16 ms per frame'],
    ]);
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  console.log(`# Spanlens benchmarks — ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
  const files = traceFiles();
  // `--render-only`: just the webview render table (waterfall and flame graph at 100k spans).
  if (process.argv.includes('--render-only')) {
    await renderBench(files.json);
    return;
  }
  importBench(files);
  // `npm run bench -- --quick` or SPANLENS_BENCH_MILLION=0 skips the million-span files (~1 GB each).
  const million = !process.argv.includes('--quick') && process.env.SPANLENS_BENCH_MILLION !== '0';
  table(
    `Whole-process import (fresh processes, median of ${RUNS}; million-span: one run each)`,
    ['file', 'baseline', 'Spanlens', 'time ratio', 'Spanlens peak RSS'],
    wholeProcessRows(RUNS, million),
  );
  await renderBench(files.json);
  // Each of these prints its own table; separate processes keep their memory apart.
  for (const [title, script] of [
    ['Protobuf library choice (decode of OTel SDK payloads)', 'protobufChoice.js'],
    ['Source mapping and per-function statistics', 'sourceBench.js'],
    ['Redaction: redacted export vs plain export', 'redactBench.js'],
    ['Trace and run comparison (spanlens diff)', 'diffBench.js'],
  ]) {
    console.log(`\n## ${title}\n`);
    const r = spawnSync(process.execPath, [path.join(__dirname, script)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${script} failed`);
  }
  // The waterfall at 1M spans (and 100k): layout, DTO size, search, and the webview in Chromium.
  // Its own process: a 1M-span trace needs a large heap. SPANLENS_WF_SPANS / SPANLENS_WF_WEBVIEW tune it.
  const wf = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', path.join(__dirname, 'waterfallBench.js')], { stdio: 'inherit' });
  if (wf.status !== 0) throw new Error('waterfallBench.js failed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
