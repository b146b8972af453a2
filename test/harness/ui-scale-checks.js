// A trace of 300k spans in the real workbench, as a user meets it: opened with Quick Open, the
// command palette still answers while the catalog worker loads it, the rows come, and the
// "Spanlens: opening …" notification's Cancel stops the load (error view, then "Load again").
//
// These checks run in a code-server of their own, so a 344 MB load cannot slow the other UI checks,
// and so a small probe can sit in its extension host as the extensionTestsPath module: it answers
// `spanlens._test.*` commands over loopback HTTP, which gives the harness the panel's state
// (`spanlens._test.panelInfo`) while Playwright drives the UI. The probe's run() resolves (and the
// test run ends) when the checks are done.
//
// Usage (from the harness's UI phase):
//   await scaleUiChecks({ browser, tally, sample, workspace, artifactsDir, keep })
// `sample` is ensureLargeSample(300_000, 'json') (test/harness/large-sample.js).
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { openWorkbench, quickOpen, closeAllEditors, waitForFrameWith } = require('./browser');
const { REPO_ROOT, startCodeServer, sleep } = require('./code-server');
const { visibleRows, waitForRows, SEL } = require('./ui-checks');

/** The palette entry looked for while the file loads (typed as a user would, without its tail). */
const PALETTE_TEXT = 'Spanlens: Toggle Latency Statistics';
/** Longest wait for 300k spans to load and show (measured here: see the harness output). */
const LOAD_TIMEOUT_MS = 240_000;
/** The palette must show the command within this, even while the file loads. */
const PALETTE_TIMEOUT_MS = 10_000;

/** The extensionTestsPath module: answers spanlens._test.* commands on 127.0.0.1 until told to stop. */
const PROBE_SOURCE = `'use strict';
const fs = require('fs');
const http = require('http');
exports.run = () => new Promise((resolve) => {
  const vscode = require('vscode');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      let reply;
      try {
        const { command, args = [], done } = JSON.parse(body || '{}');
        if (done) {
          res.end('{"ok":true}');
          server.close();
          resolve();
          return;
        }
        if (typeof command !== 'string' || !command.startsWith('spanlens._test.')) throw new Error('only spanlens._test.* commands');
        const value = await vscode.commands.executeCommand(command, ...args);
        reply = { ok: true, value: value === undefined ? null : value };
      } catch (e) {
        reply = { ok: false, error: String((e && e.message) || e) };
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(reply));
    });
  });
  server.listen(0, '127.0.0.1', () => fs.writeFileSync(process.env.SPANLENS_PROBE_PORT_FILE, String(server.address().port)));
});
`;

async function startProbe(portFile, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(portFile) || !fs.readFileSync(portFile, 'utf8')) {
    if (Date.now() > deadline) throw new Error(`the extension-host probe did not start within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
  const port = Number(fs.readFileSync(portFile, 'utf8'));
  const post = async (body) => {
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    return res.json();
  };
  /** Runs a spanlens._test.* command in the extension host; throws what it threw. */
  const command = async (name, ...args) => {
    const r = await post({ command: name, args });
    if (!r.ok) throw new Error(`${name}: ${r.error}`);
    return r.value ?? undefined;
  };
  return { command, done: () => post({ done: true }).catch(() => {}) };
}

/** The "Spanlens: opening <file>" notification toast, and its Cancel button. */
function progressToast(page, fileName) {
  const item = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: `Spanlens: opening ${fileName}` }).first();
  return { item, cancel: item.locator('.monaco-button, a.monaco-button, [role="button"]').filter({ hasText: /^\s*Cancel\s*$/ }).first() };
}

const fmtMs = (ms) => `${ms.toLocaleString('en-US')} ms`;

/**
 * F1, type PALETTE_TEXT, and time until the command is listed; leaves the palette open (`whileOpen`
 * runs then). No Escape before F1, as the other checks do: it would hide the notification toast.
 */
async function paletteLists(page, whileOpen) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row .label-name').filter({ hasText: new RegExp(`^${PALETTE_TEXT}`) }).first();
  const tF1 = Date.now();
  let inputMs;
  for (let attempt = 1; ; attempt++) {
    await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement !== document.body && document.activeElement.blur());
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      inputMs = Date.now() - tF1;
      break;
    } catch {
      if (attempt === 3) throw new Error(`F1 did not open the command palette (3 tries, ${fmtMs(Date.now() - tF1)})`);
    }
  }
  await input.fill(`>${PALETTE_TEXT}`);
  await row.waitFor({ state: 'visible', timeout: PALETTE_TIMEOUT_MS }).catch(async () => {
    const labels = await page.locator('.quick-input-widget .monaco-list-row .label-name').allTextContents().catch(() => []);
    throw new Error(`the palette did not list "${PALETTE_TEXT}…" within ${PALETTE_TIMEOUT_MS / 1000} s (rows: ${JSON.stringify(labels)})`);
  });
  const listedMs = Date.now() - tF1;
  const label = ((await row.textContent()) ?? '').trim();
  await whileOpen?.();
  return { inputMs, listedMs, label };
}

async function scaleUiChecks({ browser, tally, sample, workspace, artifactsDir, keep = false }) {
  if (!sample) return;
  const fileName = path.basename(sample.rel);
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-probe-'));
  const probeFile = path.join(probeDir, 'probe.js');
  const portFile = path.join(probeDir, 'port');
  fs.writeFileSync(probeFile, PROBE_SOURCE);
  const srv = await startCodeServer({ workspace, env: { SPANLENS_PROBE_PORT_FILE: portFile }, settings: { 'workbench.colorTheme': 'Default Light Modern' } });
  let context;
  let probe;
  try {
    const url = srv.url({
      payload: [
        ['extensionDevelopmentPath', srv.remoteUri(REPO_ROOT)],
        ['extensionTestsPath', srv.remoteUri(probeFile)],
        ['skipWelcome', 'true'],
      ],
    });
    const wb = await openWorkbench(browser, url);
    context = wb.context;
    const page = wb.page;
    probe = await startProbe(portFile);
    const panelInfo = () => probe.command('spanlens._test.panelInfo').catch(() => undefined);

    fs.mkdirSync(artifactsDir, { recursive: true });
    const artifact = (name) => path.join(artifactsDir, name);
    const check = async (name, fn) => {
      const ok = await tally.check(name, fn);
      if (!ok) await page.screenshot({ path: artifact(`ui-${name.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 120)}.png`) }).catch(() => {});
      return ok;
    };
    /** Waits for the panel of our file to be in `state`. */
    const waitForPanelState = async (state, timeoutMs, what) => {
      const deadline = Date.now() + timeoutMs;
      let last;
      for (;;) {
        last = await panelInfo();
        if (last?.fileName === fileName && last.state === state) return last;
        if (Date.now() > deadline) throw new Error(`${what}: panel info after ${timeoutMs / 1000} s: ${JSON.stringify(last && { fileName: last.fileName, state: last.state, spanCount: last.spanCount, error: last.error?.message })}`);
        await sleep(100);
      }
    };
    /** Waits for rows (or the error view), then for the panel to say loaded with every span. */
    const waitForLoaded = async (t0, what) => {
      const frame = await waitForFrameWith(page, `${SEL.row}, ${SEL.error}`, LOAD_TIMEOUT_MS);
      const err = frame.locator(SEL.error);
      if (await err.isVisible().catch(() => false)) throw new Error(`${what}: the error view shows instead of rows: ${(await err.textContent())?.trim()}`);
      const rows = await waitForRows(frame, (r) => r.length > 0, `${what}: no rows`, 20_000);
      const ms = Date.now() - t0;
      const info = await waitForPanelState('loaded', 20_000, `${what}: rows are shown`);
      assert.strictEqual(info.spanCount, sample.spanCount, 'panelInfo spanCount');
      assert.strictEqual(info.traceCount, 1, 'panelInfo traceCount');
      assert.strictEqual(rows[0].name, sample.rootName, 'first row');
      const meta = ((await frame.locator('#sl-trace-meta').textContent().catch(() => '')) ?? '').trim();
      assert.ok(meta.includes(`${sample.spanCount.toLocaleString('en-US')} spans`), `#sl-trace-meta reads "${meta}"`);
      const domRows = await frame.locator(SEL.row).count();
      assert.ok(domRows < 2000, `${domRows} row elements in the DOM for ${sample.spanCount} spans: the list is not virtual`);
      return { ms, info, frame };
    };

    const mb = (sample.bytes / 1048576).toFixed(0);
    console.log(`        ${sample.rel}: ${sample.spanCount.toLocaleString('en-US')} spans, ${mb} MB` + (sample.generatedMs !== undefined ? `, generated in ${fmtMs(sample.generatedMs)}` : ' (cached)'));

    // 1. Open it with Quick Open; while it loads, the command palette answers.
    await check(`UI scale: ${fileName} (${sample.spanCount} spans, ${mb} MB OTLP JSON) opens via Quick Open, and the command palette answers while it loads`, async () => {
      await closeAllEditors(page);
      const idle = await paletteLists(page); // for comparison: the same with nothing loading
      await page.keyboard.press('Escape');
      await quickOpen(page, sample.rel);
      const t0 = Date.now(); // the tab is open: the load has started
      const toast = progressToast(page, fileName);
      await toast.item.waitFor({ state: 'visible', timeout: 20_000 }).catch(async () => {
        throw new Error(`no "Spanlens: opening ${fileName}" notification within 20 s; panel: ${JSON.stringify(await panelInfo())}`);
      });
      const toastAfter = Date.now() - t0;
      const loading = await panelInfo();
      assert.strictEqual(loading?.state, 'loading', `panel state while the notification shows (${JSON.stringify(loading && { state: loading.state, fileName: loading.fileName })})`);

      const p = await paletteLists(page, () => page.screenshot({ path: artifact('ui-scale-palette-while-loading.png') }).catch(() => {}));
      const during = await panelInfo();
      console.log(`        notification ${fmtMs(toastAfter)} after the tab opened`);
      console.log(`        palette while loading: open ${fmtMs(p.inputMs)} after F1, "${p.label}" listed ${fmtMs(p.listedMs)} after F1 (panel state then: ${during?.state}; idle it took ${fmtMs(idle.listedMs)})`);
      assert.strictEqual(during?.state, 'loading', 'the load had finished before the palette answered: this did not test responsiveness during the load');
      // The notification counts what is read: "120 MB of 344 MB · 50,000 spans".
      const message = toast.item.locator('.notification-list-item-message');
      const deadline = Date.now() + 10_000;
      let progressText = '';
      while (!/\d+ (KB|MB) of \d+ MB/.test(progressText) && Date.now() < deadline && (await panelInfo())?.state === 'loading') {
        progressText = ((await message.textContent().catch(() => '')) ?? '').trim();
        await sleep(200);
      }
      await page.keyboard.press('Escape'); // closes the palette
      console.log(`        notification reads: "${progressText}"`);
      assert.match(progressText, new RegExp(`^Spanlens: opening ${fileName.replace(/\./g, '\\.')}: \\d+ (KB|MB) of ${mb} MB( · [\\d,]+ spans)?$`), 'progress notification text');

      // What the notification says as the load goes on (printed, for the record).
      // When the toast went and the panel said 'loaded' (printed, to place the time spent).
      const seen = [];
      const when = {};
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const t = ((await message.textContent({ timeout: 500 }).catch(() => '')) ?? '').trim().replace(/^Spanlens: opening [^:]+: /, '');
          if (t && t !== seen.at(-1)?.text) seen.push({ at: Date.now() - t0, text: t });
          if (when.toastGone === undefined && !(await toast.item.isVisible().catch(() => false))) when.toastGone = Date.now() - t0;
          if (when.panelLoaded === undefined && (await panelInfo())?.state === 'loaded') when.panelLoaded = Date.now() - t0;
          await sleep(500);
        }
      })();
      let loaded;
      try {
        loaded = await waitForLoaded(t0, 'after Quick Open');
      } finally {
        sampling = false;
        await sampler;
      }
      const pick = seen.length <= 6 ? seen : [...seen.slice(0, 3), ...seen.slice(-3)];
      console.log(`        notification over the load (${seen.length} texts): ${pick.map((x) => `${(x.at / 1000).toFixed(1)} s "${x.text}"`).join(', ')}`);
      console.log(`        notification gone ${when.toastGone === undefined ? '(not seen)' : fmtMs(when.toastGone)}, panelInfo 'loaded' ${when.panelLoaded === undefined ? '(not seen)' : fmtMs(when.panelLoaded)} after the tab opened`);
      console.log(`        loaded: rows shown ${fmtMs(loaded.ms)} after the tab opened; panelInfo ${loaded.info.spanCount} spans, ${loaded.info.traceCount} trace; webview metrics ${JSON.stringify(loaded.info.metrics)}`);
    });

    // 2. Cancel on the notification: the error view, nothing loaded; "Load again" loads it.
    await check(`UI scale: Cancel on "Spanlens: opening ${fileName}" shows "not loaded" with Load again, which then loads all ${sample.spanCount} spans`, async () => {
      await closeAllEditors(page);
      await quickOpen(page, sample.rel);
      const toast = progressToast(page, fileName);
      await toast.cancel.waitFor({ state: 'visible', timeout: 20_000 }).catch(async () => {
        const items = await page.locator('.notifications-toasts .notification-list-item').allTextContents().catch(() => []);
        throw new Error(`no Cancel button on a "Spanlens: opening ${fileName}" notification within 20 s (toasts: ${JSON.stringify(items)})`);
      });
      const before = await panelInfo();
      assert.strictEqual(before?.state, 'loading', 'panel state before Cancel');
      const tCancel = Date.now();
      await toast.cancel.click();
      // If Cancel did nothing, the load would end in rows: wait for whichever comes.
      const frame = await waitForFrameWith(page, `${SEL.row}, ${SEL.error}`, LOAD_TIMEOUT_MS);
      const err = frame.locator(SEL.error);
      if (!(await err.isVisible().catch(() => false))) {
        const rows = await visibleRows(frame).catch(() => []);
        throw new Error(`after Cancel the waterfall shows ${rows.length} rows instead of the error view (Cancel did not stop the load); panel: ${JSON.stringify((await panelInfo())?.state)}`);
      }
      const errorMs = Date.now() - tCancel;
      const text = ((await err.innerText()) ?? '').split('\n').map((l) => l.trim()).filter(Boolean).join(' | ');
      assert.ok(text.includes(`${fileName} is not loaded`), `#sl-error reads "${text}"`);
      assert.ok(text.includes('Loading was cancelled; nothing of it is kept in memory.'), `#sl-error reads "${text}"`);
      const again = frame.locator('#sl-load-again');
      assert.ok(await again.isVisible(), '#sl-load-again is not shown');
      const info = await waitForPanelState('error', 5000, 'after Cancel');
      assert.match(info.error?.message ?? '', /cancelled/, 'panelInfo error');
      await toast.item.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {
        throw new Error('the progress notification is still shown after Cancel');
      });
      console.log(`        Cancel: error view ${fmtMs(errorMs)} after the click: "${text.slice(0, 120)}"`);
      await page.screenshot({ path: artifact('ui-scale-cancelled.png') }).catch(() => {});

      const tAgain = Date.now();
      await again.click();
      await err.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {
        throw new Error('the error view is still shown 10 s after clicking Load again');
      });
      const { ms } = await waitForLoaded(tAgain, 'after Load again');
      console.log(`        Load again: rows shown ${fmtMs(ms)} after the click; panelInfo ${sample.spanCount} spans`);
    });
    await closeAllEditors(page).catch(() => {});
  } finally {
    await probe?.done();
    await context?.close().catch(() => {});
    await srv.stop({ keepTmp: keep });
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
}

module.exports = { scaleUiChecks };
