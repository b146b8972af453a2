// Drives the webview dev page (page.html + stub.js) in Debian's Chromium via playwright-core.
// Library:  const { measureWebview } = require('./test/webview-dev/measure.js');
//           await measureWebview({ rows: 100000 })  ->  { firstRenderMs, scroll: { p50, p95, max }, ... }
// CLI:      node test/webview-dev/measure.js [--rows 100000] [--frames 240] [--theme dark] [--no-build]
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { startServer, ROOT } = require('./server');

const CHROMIUM = process.env.SPANLENS_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Builds dist/webview/main.{js,css} with the settings of the webview entry in esbuild.js (production). */
async function buildWebview({ minify = true } = {}) {
  const esbuild = require('esbuild');
  await esbuild.build({
    entryPoints: { main: path.join(ROOT, 'webview/main.ts') },
    outdir: path.join(ROOT, 'dist/webview'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    loader: { '.css': 'css' },
    sourcemap: minify ? false : 'linked',
    minify,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** Launches Chromium with a fresh profile directory; close() removes it. */
async function launchBrowser() {
  const { chromium } = require('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the dev page with the given stub parameters; collects console errors, page errors and CSP
 * violations (Chromium reports those both as console errors and as securitypolicyviolation events).
 */
async function openPage(context, baseUrl, params = {}, viewport) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const log = { consoleErrors: [], pageErrors: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  page.on('dialog', (d) => {
    log.pageErrors.push(`unexpected dialog: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  await page.goto(`${baseUrl}/test/webview-dev/page.html?${qs}`);
  return { page, log };
}

async function waitForFirstRender(page, timeout = 60000) {
  await page.waitForFunction(() => window.__spanlens && window.__spanlens.firstRenderMs !== undefined, null, { timeout });
  return page.evaluate(() => {
    const metric = window.__posted.filter((m) => m.type === 'metric' && m.name === 'firstRenderMs').pop();
    return { firstRenderMs: window.__spanlens.firstRenderMs, metricPosted: !!metric };
  });
}

/**
 * Loads a synthetic trace of `rows` spans and measures:
 *  - firstRenderMs: webview-side, from the traceData handler's entry until the frame with the first rows
 *    has been painted (the value the webview posts as the `firstRenderMs` metric). Measured the way it
 *    happens in VS Code for a big file: the webview has started and rendered its (empty) view while the
 *    host was still parsing; then traceData arrives. Median of `runs` deliveries of the trace.
 *  - endToEndMs: from the stub posting traceData (so including structured-clone decoding) to that paint.
 *  - coldFirstRenderMs: traceData sent right after `ready`, before the webview ever painted
 *    (small files; includes styling the page and its toolkit controls for the first time).
 *  - scroll: main-thread time per frame (scroll + row recycling + style, layout and paint) while sweeping
 *    the whole list in `frames` jumps; smoothScroll: the same for 60 px steps.
 */
async function measureWebview({ rows = 100000, frames = 240, theme = 'dark', build = true, runs = 3 } = {}) {
  if (build) await buildWebview();
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    // Cold: the stub answers `ready` with the trace at once.
    const cold = await openPage(browser.context, server.url, { rows, theme, latency: 0 });
    const coldFirst = await waitForFirstRender(cold.page);
    await cold.page.close();

    const { page, log } = await openPage(browser.context, server.url, { rows, theme, latency: 0, hold: 1 });
    await page.waitForSelector('#sl-loading', { state: 'visible' });
    await page.evaluate(() => window.__stub.trace(0)); // build the synthetic trace outside the measurement
    const firsts = [];
    const e2e = [];
    for (let i = 0; i < runs; i++) {
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
      await page.evaluate(() => {
        window.__spanlens.firstRenderMs = undefined;
        window.__stub.send(window.__stub.traceData(0));
      });
      const first = await waitForFirstRender(page);
      firsts.push(first.firstRenderMs);
      e2e.push(await page.evaluate(() => Math.round((window.__metricAt - window.__lastTraceSentAt) * 100) / 100));
    }
    const domRows = await page.evaluate(() => document.querySelectorAll('.sl-row:not([hidden])').length);
    const scroll = await page.evaluate((f) => window.__spanlens.scrollBench({ frames: f }), frames);
    const smoothScroll = await page.evaluate((f) => window.__spanlens.scrollBench({ frames: f, stepPx: 60 }), frames);
    const csp = [...(await cold.page.evaluate(() => window.__cspViolations).catch(() => [])), ...(await page.evaluate(() => window.__cspViolations))];
    return {
      rows,
      firstRenderMs: median(firsts),
      firstRenderRuns: firsts,
      endToEndMs: median(e2e),
      coldFirstRenderMs: coldFirst.firstRenderMs,
      metricPosted: coldFirst.metricPosted,
      rowElementsInDom: domRows,
      scroll,
      smoothScroll,
      cspViolations: csp,
      consoleErrors: [...cold.log.consoleErrors, ...log.consoleErrors],
      pageErrors: [...cold.log.pageErrors, ...log.pageErrors],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * The waterfall of a WaterfallDto written by test/bench/waterfallBench.ts (`url`: a path the dev server
 * serves, a JSON header plus the typed arrays in one binary file). Measures first render (median of
 * `runs` deliveries), smooth and jump scrolling, collapse all / expand all / collapse to depth 3
 * (click → painted), and for each of `searches` ({ label, rows, description }: results computed by
 * the real searchTrace) the webview's time from the response arriving to the filtered rows painted.
 */
async function measureWaterfallFile({ url, runs = 3, frames = 240, searches = [], theme = 'dark', build = false } = {}) {
  if (build) await buildWebview();
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page, log } = await openPage(browser.context, server.url, { rows: 10, theme, latency: 0, hold: 1 });
    await page.waitForSelector('#sl-loading', { state: 'visible' });
    // The page's CSP forbids fetch, so a same-origin helper page without it loads and decodes the
    // file and hands it over through a BroadcastChannel (a structured clone, like postMessage).
    const received = page.evaluate(
      () =>
        new Promise((resolve) => {
          const ch = new BroadcastChannel('spanlens-bench');
          ch.onmessage = (e) => {
            window.__benchWaterfall = e.data;
            ch.close();
            resolve(e.data.rowCount);
          };
        }),
    );
    const helper = await browser.context.newPage();
    await helper.goto(`${server.url}/bench-helper`); // a plain-text 404, same origin, no CSP
    await helper.evaluate(async (u) => {
      const buf = await (await fetch(u)).arrayBuffer();
      const len = new DataView(buf).getUint32(0, true);
      const { header, typed } = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, len)));
      const base = 8 + len + ((8 - ((8 + len) % 8)) % 8);
      const wf = { ...header };
      for (const [k, t] of Object.entries(typed)) {
        const C = globalThis[t.type];
        wf[k] = new C(buf.slice(base + t.offset, base + t.offset + t.length * C.BYTES_PER_ELEMENT));
      }
      const ch = new BroadcastChannel('spanlens-bench');
      ch.postMessage(wf);
      ch.close();
    }, url);
    await received;
    await helper.close();
    const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
    const firsts = [];
    const e2e = [];
    for (let i = 0; i < runs; i++) {
      await settle();
      await page.evaluate(() => {
        window.__spanlens.firstRenderMs = undefined;
        window.__stub.send({ type: 'traceData', waterfall: window.__benchWaterfall });
      });
      firsts.push((await waitForFirstRender(page, 300000)).firstRenderMs);
      e2e.push(await page.evaluate(() => Math.round((window.__metricAt - window.__lastTraceSentAt) * 100) / 100));
    }
    await settle();
    const smooth = await page.evaluate((f) => window.__spanlens.scrollBench({ frames: f, stepPx: 60 }), frames);
    const jump = await page.evaluate((f) => window.__spanlens.scrollBench({ frames: f }), frames);
    // Click → the frame with the new rows painted.
    const clickToPaint = (selector) =>
      page.evaluate(
        (sel) =>
          new Promise((resolve) => {
            const t0 = performance.now();
            document.querySelector(sel).click();
            requestAnimationFrame(() => {
              const ch = new MessageChannel();
              ch.port1.onmessage = () => resolve(performance.now() - t0);
              ch.port2.postMessage(0);
            });
          }),
        selector,
      );
    const collapse = [];
    const expand = [];
    for (let i = 0; i < runs; i++) {
      await settle();
      collapse.push(await clickToPaint('#sl-collapse-all'));
      await settle();
      expand.push(await clickToPaint('#sl-expand-all'));
    }
    await settle();
    const depthMs = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const t0 = performance.now();
          window.__spanlens.collapseToDepth(3);
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => resolve(performance.now() - t0);
            ch.port2.postMessage(0);
          });
        }),
    );
    await settle();
    await clickToPaint('#sl-expand-all');
    const searchApply = [];
    for (let k = 0; k < searches.length; k++) {
      const s = searches[k];
      await settle();
      await page.evaluate((res) => {
        window.__stub.searchOverride = { rows: Int32Array.from(res.rows), description: res.description };
        window.__spanlens.searchApplyMs = undefined;
      }, s);
      // A different text each time so the find bar sends a new request (the stub answers with the override).
      await page.fill('#sl-search', `bench query ${k}`);
      await page.waitForFunction(() => window.__spanlens.searchApplyMs !== undefined, null, { timeout: 120000 });
      searchApply.push({ label: s.label, ms: await page.evaluate(() => window.__spanlens.searchApplyMs) });
    }
    let clearSearchMs;
    if (searches.length) {
      await settle();
      clearSearchMs = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const t0 = performance.now();
            document.querySelector('#sl-find-clear').click();
            requestAnimationFrame(() => {
              const ch = new MessageChannel();
              ch.port1.onmessage = () => resolve(performance.now() - t0);
              ch.port2.postMessage(0);
            });
          }),
      );
    }
    const csp = await page.evaluate(() => window.__cspViolations);
    return {
      firstRenderMs: median(firsts),
      firstRenderRuns: firsts,
      endToEndMs: median(e2e),
      smooth,
      jump,
      collapseAllMs: median(collapse),
      expandAllMs: median(expand),
      collapseToDepthMs: depthMs,
      searchApply,
      clearSearchMs,
      errors: [...log.consoleErrors, ...log.pageErrors, ...csp.map((c) => `CSP: ${JSON.stringify(c)}`)],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : undefined;
}

module.exports = { measureWebview, measureWaterfallFile, buildWebview, launchBrowser, openPage, waitForFirstRender, startServer, CHROMIUM_ARGS };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const arg = (name, d) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : d;
  };
  measureWebview({
    rows: Number(arg('rows', 100000)),
    frames: Number(arg('frames', 240)),
    theme: arg('theme', 'dark'),
    build: !argv.includes('--no-build'),
  })
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
