// Jump to code as a user does it, in the real workbench: open test/fixtures/ts-app's trace (every
// code.* path recorded as /app/dist/*.js), double-click a span row, press Enter on another, click
// a stack frame in the detail pane, and read what the workbench shows: the editor tab of the .ts
// file and the cursor line in the status bar ("Ln 38, Col 12").
//
// Usage (from the harness's UI phase, extension loaded from the working tree):
//   await sourceUiChecks({ page, workspace: DEMO, check })   // check(name, async fn) -> boolean
// When the workspace has no ts-app/ folder, the fixture is copied into one for the duration of the
// checks and removed afterwards (the extension's file watcher picks it up).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { waitForFrameWith } = require('./browser');
const { sleep } = require('./code-server');
const { openTrace, visibleRows } = require('./ui-checks');

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'ts-app');

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyDir(path.join(from, e.name), path.join(to, e.name));
    else fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
  }
}

/** The trace id and names of the request whose "charge card" span recorded an exception. */
function failingRequest(traceFile) {
  const doc = JSON.parse(fs.readFileSync(traceFile, 'utf8'));
  for (const rs of doc.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      for (const s of ss.spans) if (s.name === 'charge card' && (s.events ?? []).some((e) => e.name === 'exception')) return s.traceId;
    }
  }
  throw new Error(`no "charge card" span with an exception event in ${traceFile}`);
}

function rowByName(frame, name) {
  return frame.locator('.sl-row').filter({ has: frame.locator('.sl-name').getByText(name, { exact: true }) }).first();
}

/** Waits until the workbench shows `fileName` as an active editor tab and the status bar's cursor is on `line`. */
async function waitForEditorAt(page, fileName, line, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let tabs = [];
  let cursor = '';
  for (;;) {
    tabs = await page
      .locator('.tabs-container .tab.active')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()))
      .catch(() => []);
    cursor = ((await page.locator('[id="status.editor.selection"]').first().textContent().catch(() => '')) ?? '').trim();
    const m = /Ln (\d+), Col (\d+)/.exec(cursor);
    if (tabs.some((t) => t.startsWith(fileName)) && m && Number(m[1]) === line) return { tabs, cursor };
    if (Date.now() > deadline) {
      throw new Error(`expected ${fileName} at line ${line}; active tabs ${JSON.stringify(tabs)}, status bar cursor "${cursor}"`);
    }
    await sleep(200);
  }
}

async function openFailingRequest(page, traceRel, traceId) {
  const frame = await openTrace(page, traceRel, 'default');
  // 25 requests: the file opens on its trace list. Filter it to the failing one and open it.
  const filter = frame.locator('#sl-trace-filter');
  if (await filter.isVisible().catch(() => false)) {
    await filter.fill(traceId);
    await frame.locator('.sl-tl-row[data-trace-index]').filter({ visible: true }).first().click();
  }
  const deadline = Date.now() + 15_000;
  while (!(await visibleRows(frame)).some((r) => r.name === 'place order')) {
    if (Date.now() > deadline) throw new Error(`the waterfall of trace ${traceId} shows no "place order" row: ${JSON.stringify((await visibleRows(frame)).map((r) => r.name))}`);
    await sleep(150);
  }
  return frame;
}

async function sourceUiChecks({ page, workspace, check }) {
  let appDir = path.join(workspace, 'ts-app');
  let copiedRoot;
  if (!fs.existsSync(path.join(appDir, 'truth.json'))) {
    copiedRoot = path.join(workspace, `.spanlens-ui-${process.pid}`);
    appDir = path.join(copiedRoot, 'ts-app');
    copyDir(FIXTURE, appDir);
    await sleep(1500); // let the workbench's file watcher see the new folder
  }
  try {
    const truth = JSON.parse(fs.readFileSync(path.join(appDir, 'truth.json'), 'utf8'));
    const fn = (name) => truth.functions.find((f) => f.function === name);
    const traceRel = path.relative(workspace, path.join(appDir, 'traces', 'app.otlp.json')).split(path.sep).join('/');
    const traceId = failingRequest(path.join(appDir, 'traces', 'app.otlp.json'));
    const placeOrder = fn('OrderService.placeOrder');
    const computeTotal = fn('computeTotal');
    let frame;

    await check(`UI jump to code: double-click on "place order" opens ${placeOrder.file} at line ${placeOrder.spanLine} (recorded as /app/dist/orders.js)`, async () => {
      frame = await openFailingRequest(page, traceRel, traceId);
      await rowByName(frame, 'place order').dblclick();
      await waitForEditorAt(page, path.basename(placeOrder.file), placeOrder.spanLine);
      // Beside the waterfall: the Spanlens tab is still showing in its own group.
      const groups = await page.locator('.editor-group-container').count();
      assert.ok(groups >= 2, `the source opened in the waterfall's group (${groups} editor group)`);
    });

    await check(`UI jump to code: Enter on the selected "compute total" row opens ${computeTotal.file} at line ${computeTotal.spanLine}`, async () => {
      frame = frame ?? (await openFailingRequest(page, traceRel, traceId));
      frame = await waitForFrameWith(page, '.sl-row', 10_000);
      await rowByName(frame, 'compute total').click();
      await page.keyboard.press('Enter');
      await waitForEditorAt(page, path.basename(computeTotal.file), computeTotal.spanLine);
    });

    const throwSite = truth.exception.throwSite;
    await check(`UI stack frame link: the exception's first frame (payment.js:16) opens ${throwSite.file} at line ${throwSite.line}`, async () => {
      frame = await waitForFrameWith(page, '.sl-row', 10_000);
      await rowByName(frame, 'charge card').click();
      const link = frame.locator('#sl-detail .sl-stack .sl-frame[data-frame-index="0"]');
      await link.waitFor({ state: 'visible', timeout: 10_000 });
      const text = (await link.textContent()) ?? '';
      assert.ok(text.includes('/app/dist/payment.js:16:25'), `first frame reads "${text}"`);
      await link.click();
      await waitForEditorAt(page, path.basename(throwSite.file), throwSite.line);
    });
  } finally {
    if (copiedRoot) fs.rmSync(copiedRoot, { recursive: true, force: true });
  }
}

module.exports = { sourceUiChecks };
