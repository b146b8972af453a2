// The flame graph as a user meets it, in the real workbench: open checkout.otlp.json, press
// "Flame graph" in the toolbar, see the canvas drawn (pixels, not just an element), hover a bar for
// its tooltip, click it and read its name in the detail pane, zoom with the keyboard, then hide the
// tab (another editor in front) and come back: still the flame graph, same zoom, same span. Takes
// the README screenshot docs/screenshots/flame-graph.png (dark theme).
//
// Usage (from the harness's UI phase, extension loaded from the working tree):
//   await flameUiChecks({ page, srv, workspace: DEMO, check, screenshotsDir })
// Alone, with a code-server of its own (after `node esbuild.js`):
//   node test/harness/ui-flame-checks.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { quickOpen, runCommand, waitForFrameWith } = require('./browser');
const { sleep } = require('./code-server');
const { openTrace, ensureWaterfall, setTheme } = require('./ui-checks');

const FILE = 'checkout.otlp.json';
/** A span of that file below the root, with texts its detail pane shows (demo-expectations.json). */
const SPAN = 'INSERT orders';
const SPAN_TEXTS = ['db.query.text', 'postgresql'];
const OTHER_EDITOR = 'NOTICE.md';

async function until(fn, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn().catch((e) => ({ error: e.message }));
    if (last && last.ok) return last;
    if (Date.now() > deadline) throw new Error(`${what}; last: ${JSON.stringify(last).slice(0, 400)}`);
    await sleep(150);
  }
}

/** Pixels of the canvas unlike its background, and how many colours it uses (coarsely binned). */
function canvasInk(frame) {
  return frame.evaluate(() => {
    const c = document.querySelector('#sl-flame-canvas');
    if (!c || !c.width || !c.height) return { ok: false, why: 'no canvas size' };
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    // The bottom-right corner is below the deepest level: background.
    const bg = data.slice(data.length - 4);
    let ink = 0;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) {
      const d = Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]);
      if (d > 30) {
        ink++;
        colours.add(`${data[i] >> 5},${data[i + 1] >> 5},${data[i + 2] >> 5}`);
      }
    }
    const share = ink / (data.length / (4 * 7));
    return { ok: share > 0.02 && colours.size >= 3, share, colours: colours.size, size: [c.width, c.height] };
  });
}

async function bars(frame) {
  return frame.evaluate(() => window.__spanlens.flameBars());
}

async function setDark(page, srv, dark) {
  if (srv) await setTheme(page, srv, dark ? 'Default Dark Modern' : 'Default Light Modern', dark);
}

async function flameUiChecks({ page, srv, workspace, check, screenshotsDir }) {
  void workspace;
  let frame;
  const flameFrame = () => waitForFrameWith(page, '#sl-flame-canvas', 20_000);

  await check(`UI flame: "Flame graph" in the toolbar of ${FILE} replaces the rows with a drawn canvas`, async () => {
    frame = await openTrace(page, FILE, 'default');
    await ensureWaterfall(frame);
    await frame.locator('#sl-view-flame').click();
    await frame.locator('#sl-flame-canvas').waitFor({ state: 'visible', timeout: 10_000 });
    assert.strictEqual(await frame.locator('#sl-view-flame').getAttribute('aria-pressed'), 'true');
    assert.strictEqual(await frame.locator('#sl-view-waterfall').getAttribute('aria-pressed'), 'false');
    assert.ok(!(await frame.locator('.sl-row').first().isVisible()), 'the waterfall rows are still visible');
    const ink = await until(() => canvasInk(frame), 'the flame graph canvas stayed blank');
    console.log(`        canvas ${ink.size.join('×')} device px, ${(ink.share * 100).toFixed(0)}% drawn, ${ink.colours} colours`);
    const names = (await bars(frame)).map((b) => b.name);
    assert.ok(names.includes('GET /checkout') && names.includes(SPAN), `bars drawn: ${JSON.stringify(names)}`);
  });

  await check(`UI flame: hovering "${SPAN}" shows its tooltip; clicking it shows it in the detail pane`, async () => {
    frame = frame ?? (await flameFrame());
    const bar = (await bars(frame)).find((b) => b.name === SPAN);
    assert.ok(bar && bar.w >= 4, `no clickable "${SPAN}" bar: ${JSON.stringify(bar)}`);
    const position = { x: Math.max(1, bar.x) + Math.min(bar.w, 40) / 2, y: bar.y + bar.h / 2 };
    const canvas = frame.locator('#sl-flame-canvas');
    await canvas.hover({ position });
    const tip = frame.locator('#sl-flame-tip');
    await until(async () => {
      const t = (await tip.isVisible()) ? (await tip.textContent()) ?? '' : '';
      return { ok: t.includes(SPAN) && t.includes('Duration') && t.includes('Service'), t };
    }, 'tooltip');
    await canvas.click({ position });
    const detail = frame.locator('#sl-detail');
    await until(async () => {
      const t = (await detail.isVisible()) ? (await detail.textContent()) ?? '' : '';
      return { ok: [SPAN, ...SPAN_TEXTS].every((x) => t.includes(x)), t: t.slice(0, 200) };
    }, '#sl-detail after the click');
    const snap = await frame.evaluate(() => window.__spanlens.snapshot());
    assert.strictEqual(snap.mode, 'flame');
    assert.strictEqual(snap.selectedSpan, bar.spanIndex, 'the selected span is the clicked bar');
  });

  let zoomed;
  await check('UI flame: + on the focused canvas zooms in, 0 resets, - zooms back out', async () => {
    frame = frame ?? (await flameFrame());
    const focused = await frame.evaluate(() => document.activeElement && document.activeElement.id);
    assert.strictEqual(focused, 'sl-flame-canvas', 'the canvas has the focus after the click');
    const width = async () => (await bars(frame)).find((b) => b.name === SPAN)?.w ?? 0;
    const before = await width();
    await page.keyboard.type('+');
    await page.keyboard.type('+');
    await page.keyboard.type('+');
    zoomed = await until(async () => {
      const s = await frame.evaluate(() => window.__spanlens.snapshot());
      return { ok: Array.isArray(s.flameZoom), zoom: s.flameZoom };
    }, 'no flame zoom after +', 5000);
    // Three steps of 0.7: the selected bar (the zoom's anchor) is about 2.9× as wide once redrawn.
    await until(async () => {
      const w = await width();
      return { ok: w > before * 2.5, before, after: w };
    }, `"${SPAN}" did not widen`, 5000);
    await page.keyboard.press('0');
    await until(async () => ({ ok: (await frame.evaluate(() => window.__spanlens.snapshot())).flameZoom === null }), '0 did not reset the zoom', 5000);
    await page.keyboard.type('+');
    await page.keyboard.type('+');
    await page.keyboard.type('+');
    await page.keyboard.press('-');
    zoomed = (
      await until(async () => {
        const s = await frame.evaluate(() => window.__spanlens.snapshot());
        return { ok: Array.isArray(s.flameZoom), zoom: s.flameZoom };
      }, 'no flame zoom after + + + -', 5000)
    ).zoom;
  });

  await check('UI flame: hiding the tab and showing it again keeps the flame graph, its zoom and the span', async () => {
    frame = frame ?? (await flameFrame());
    const snap = await frame.evaluate(() => window.__spanlens.snapshot());
    await sleep(600); // the state is saved a moment after the last change
    await quickOpen(page, OTHER_EDITOR);
    await sleep(800);
    await quickOpen(page, FILE);
    // retainContextWhenHidden is off: this is a new webview, restored from its saved state.
    frame = await flameFrame();
    await until(async () => ({ ok: (await frame.locator('#sl-view-flame').getAttribute('aria-pressed')) === 'true' }), 'the toggle is not on "Flame graph"');
    const mode = await frame.evaluate(() => window.__spanlens.viewMode);
    assert.strictEqual(mode, 'flame');
    await until(() => canvasInk(frame), 'the canvas is blank after coming back');
    const again = await frame.evaluate(() => window.__spanlens.snapshot());
    assert.deepStrictEqual(again.flameZoom.map(Math.round), snap.flameZoom.map(Math.round), 'zoom range');
    assert.strictEqual(again.selectedSpan, snap.selectedSpan, 'selected span');
    await until(async () => ({ ok: ((await frame.locator('#sl-detail').textContent()) ?? '').includes(SPAN) }), 'the detail pane does not show the span again');
    void zoomed;
  });

  await check('UI flame: screenshot of the flame graph in the dark theme (docs/screenshots/flame-graph.png)', async () => {
    frame = frame ?? (await flameFrame());
    await frame.locator('#sl-flame-canvas').focus();
    await page.keyboard.press('0'); // the whole trace in the picture
    const side = page.locator('.monaco-workbench .part.sidebar');
    if (await side.isVisible().catch(() => false)) {
      await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
      await sleep(500);
    }
    await setDark(page, srv, true);
    frame = await flameFrame();
    await until(() => canvasInk(frame), 'the canvas is blank in the dark theme');
    // Hover a bar so the picture shows the tooltip too.
    const bar = (await bars(frame)).find((b) => b.name === 'payment.Charge') ?? (await bars(frame)).find((b) => b.name === SPAN);
    if (bar) await frame.locator('#sl-flame-canvas').hover({ position: { x: Math.max(1, bar.x) + Math.min(bar.w, 60) / 2, y: bar.y + bar.h / 2 } });
    await sleep(300);
    fs.mkdirSync(screenshotsDir, { recursive: true });
    const file = path.join(screenshotsDir, 'flame-graph.png');
    await page.screenshot({ path: file });
    console.log(`        screenshot: ${path.relative(process.cwd(), file)}`);
    await setDark(page, srv, false);
  });
}

module.exports = { flameUiChecks };

// Alone: its own code-server on the demo workspace, the extension from the working tree.
if (require.main === module) {
  (async () => {
    const { startCodeServer, REPO_ROOT } = require('./code-server');
    const { launchBrowser, openWorkbench } = require('./browser');
    const { Tally } = require('./tally');
    const workspace = path.join(REPO_ROOT, 'test', 'demo-workspace');
    const artifacts = path.join(REPO_ROOT, 'test-results');
    const tally = new Tally();
    const browser = await launchBrowser();
    const srv = await startCodeServer({ workspace, settings: { 'workbench.colorTheme': 'Default Light Modern' } });
    try {
      const wb = await openWorkbench(browser, srv.url({ payload: [['extensionDevelopmentPath', srv.remoteUri(REPO_ROOT)], ['skipWelcome', 'true']] }));
      await flameUiChecks({
        page: wb.page,
        srv,
        workspace,
        screenshotsDir: path.join(REPO_ROOT, 'docs', 'screenshots'),
        check: async (name, fn) => {
          const ok = await tally.check(name, fn);
          if (!ok) {
            fs.mkdirSync(artifacts, { recursive: true });
            await wb.page.screenshot({ path: path.join(artifacts, `ui-${name.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 120)}.png`) }).catch(() => {});
          }
          return ok;
        },
      });
    } finally {
      await srv.stop();
      await browser.close();
    }
    console.log(tally.summary());
    process.exitCode = tally.failed ? 1 : 0;
  })();
}
