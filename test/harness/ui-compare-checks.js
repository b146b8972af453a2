// Trace comparison as a user does it, in the real workbench: open cand.otlp.json of
// test/fixtures/compare, run "Spanlens: Compare With…" from the palette, choose base.otlp.json's
// trace in the quick pick, and read the diff webview: a "slower" row with its delta text, then the
// "Changed rows only" checkbox hiding the unchanged rows.
//
// Usage (from the harness's UI phase, extension loaded from the working tree):
//   await compareUiChecks({ page, workspace: DEMO, check })   // check(name, async fn) -> boolean
// Alone, with a code-server of its own (after `node esbuild.js`):
//   node test/harness/ui-compare-checks.js
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { quickOpen, runCommand, waitForFrameWith } = require('./browser');
const { sleep } = require('./code-server');
const { openTrace } = require('./ui-checks');

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'compare');

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyDir(path.join(from, e.name), path.join(to, e.name));
    else fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
  }
}

/** The diff rows on screen: name, change word, delta text, change attribute. */
async function diffRows(frame) {
  return frame.$$eval('.sl-diff-row[data-row]', (els) =>
    els
      .filter((r) => r.getClientRects().length > 0 && !r.hidden)
      .map((r) => ({
        row: Number(r.getAttribute('data-row')),
        name: (r.querySelector('.sl-diff-name')?.textContent ?? '').trim(),
        change: (r.querySelector('.sl-diff-change')?.textContent ?? '').trim(),
        delta: (r.querySelector('.sl-diff-delta')?.textContent ?? '').trim(),
        attr: r.getAttribute('data-change'),
      }))
      .sort((a, b) => a.row - b.row),
  );
}

async function waitForDiffRows(frame, predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let rows = [];
  for (;;) {
    rows = await diffRows(frame).catch(() => []);
    if (predicate(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`${what}; rows shown: ${JSON.stringify(rows.map((r) => `${r.name}:${r.change}`))}`);
    await sleep(150);
  }
}

async function compareUiChecks({ page, workspace, check }) {
  const dir = path.join(workspace, `.spanlens-ui-compare-${process.pid}`);
  copyDir(FIXTURE, dir);
  await sleep(1500); // let the workbench's file watcher see the new folder
  try {
    const rel = (f) => path.relative(workspace, path.join(dir, f)).split(path.sep).join('/');
    let frame;
    await check('UI compare: "Compare With…" on a waterfall opens the diff view with a "slower" row and its delta', async () => {
      // Both files open in waterfalls, the candidate in front; the picker lists the loaded traces.
      await openTrace(page, rel('base.otlp.json'), 'default');
      await quickOpen(page, rel('cand.otlp.json'));
      await waitForFrameWith(page, '.sl-row', 20_000);
      await runCommand(page, 'Spanlens: Compare With…');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('base.otlp.json');
      await sleep(300);
      await page.keyboard.press('Enter');
      frame = await waitForFrameWith(page, '.sl-diff-row[data-change="slower"]', 20_000);
      const rows = await waitForDiffRows(frame, (r) => r.some((x) => x.name === 'charge card'), 'no "charge card" row');
      const charge = rows.find((r) => r.name === 'charge card');
      assert.deepStrictEqual({ change: charge.change, delta: charge.delta }, { change: 'slower', delta: '+40 ms (+100%)' });
      assert.ok(rows.some((r) => r.change === 'unchanged'), 'no unchanged row before filtering');
      assert.strictEqual(rows.length, 14, JSON.stringify(rows.map((r) => r.name)));
    });

    await check('UI compare: "Changed rows only" hides the unchanged rows and keeps the changed ones', async () => {
      frame = frame ?? (await waitForFrameWith(page, '.sl-diff-row', 10_000));
      await frame.locator('#sl-diff-changed-only').click();
      const rows = await waitForDiffRows(frame, (r) => r.length > 0 && !r.some((x) => x.change === 'unchanged'), 'unchanged rows still shown after "Changed rows only"');
      assert.strictEqual(rows.length, 10, JSON.stringify(rows.map((r) => `${r.name}:${r.change}`)));
      assert.ok(rows.some((r) => r.name === 'legacy audit' && r.change === 'removed'), 'the removed subtree is gone');
      assert.ok(rows.some((r) => r.name === 'score order' && r.change === 'added'), 'the added subtree is gone');
      // And back: every row again.
      await frame.locator('#sl-diff-changed-only').click();
      await waitForDiffRows(frame, (r) => r.length === 14, 'the unchanged rows did not come back');
    });

    await check('UI compare: selecting a row shows the span details of either side', async () => {
      frame = frame ?? (await waitForFrameWith(page, '.sl-diff-row', 10_000));
      await frame.locator('.sl-diff-row').filter({ has: frame.locator('.sl-diff-name').getByText('charge card', { exact: true }) }).first().click();
      const detail = frame.locator('#sl-detail');
      await detail.waitFor({ state: 'visible', timeout: 10_000 });
      const text = async () => (await detail.textContent()) ?? '';
      const deadline = Date.now() + 10_000;
      while (!(await text()).includes('80 ms') && Date.now() < deadline) await sleep(150);
      assert.ok((await text()).includes('charge card') && (await text()).includes('80 ms'), `candidate detail: ${(await text()).slice(0, 300)}`);
      await frame.locator('#sl-diff-side-baseline').click();
      while (!(await text()).includes('40 ms') && Date.now() < deadline + 10_000) await sleep(150);
      assert.ok((await text()).includes('40 ms'), `baseline detail: ${(await text()).slice(0, 300)}`);
    });

    await check('UI compare: double-click on a row goes to its source (checkout.ts at the recorded line)', async () => {
      frame = frame ?? (await waitForFrameWith(page, '.sl-diff-row', 10_000));
      const line = fs.readFileSync(path.join(dir, 'src', 'checkout.ts'), 'utf8').split('\n').findIndex((l) => l.includes('function chargeCard(')) + 2;
      await frame.locator('.sl-diff-row').filter({ has: frame.locator('.sl-diff-name').getByText('charge card', { exact: true }) }).first().dblclick();
      const deadline = Date.now() + 15_000;
      let tab = '';
      let cursor = '';
      for (;;) {
        tab = ((await page.locator('.tabs-container .tab.active').last().textContent().catch(() => '')) ?? '').trim();
        cursor = ((await page.locator('[id="status.editor.selection"]').first().textContent().catch(() => '')) ?? '').trim();
        if (tab.startsWith('checkout.ts') && new RegExp(`Ln ${line},`).test(cursor)) break;
        if (Date.now() > deadline) throw new Error(`expected checkout.ts at line ${line}; active tab "${tab}", cursor "${cursor}"`);
        await sleep(200);
      }
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { compareUiChecks };

// Alone: its own code-server on the demo workspace, the extension from the working tree.
if (require.main === module) {
  (async () => {
    const { startCodeServer, REPO_ROOT } = require('./code-server');
    const { launchBrowser, openWorkbench } = require('./browser');
    const { Tally } = require('./tally');
    const workspace = path.join(REPO_ROOT, 'test', 'demo-workspace');
    const tally = new Tally();
    const browser = await launchBrowser();
    const srv = await startCodeServer({ workspace });
    try {
      const wb = await openWorkbench(browser, srv.url({ payload: [['extensionDevelopmentPath', srv.remoteUri(REPO_ROOT)], ['skipWelcome', 'true']] }));
      const artifacts = path.join(REPO_ROOT, 'test-results');
      await compareUiChecks({
        page: wb.page,
        workspace,
        check: async (name, fn) => {
          const ok = await tally.check(name, fn);
          if (!ok) {
            fs.mkdirSync(artifacts, { recursive: true });
            await wb.page.screenshot({ path: path.join(artifacts, `ui-${name.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 120)}.png`) }).catch(() => {});
          }
          return ok;
        },
      });
      // For a look at the view (not asserted).
      fs.mkdirSync(artifacts, { recursive: true });
      await wb.page.screenshot({ path: path.join(artifacts, 'ui-compare.png') }).catch(() => {});
    } finally {
      await srv.stop();
      await browser.close();
    }
    console.log(tally.summary());
    process.exitCode = tally.failed ? 1 : 0;
  })();
}
