// A trace backend used as a user does it, against a local server replaying recorded Zipkin API
// responses (test/fixtures/backends, which refuses any path or query parameter the API does not
// define for that request):
// - the search form: "Spanlens: Search Backend…", each field answered in its quick input, the
//   results listed in the Backends view, one clicked open in the waterfall;
// - a trace id in the integrated terminal: the terminal prints a W3C traceparent, the mouse hovers
//   it, Ctrl+click follows the link, and the fetched trace opens in the waterfall.
//
// The terminal is rendered by xterm's DOM renderer (terminal.integrated.gpuAcceleration: off, set
// by the harness), so the text on screen can be located with a DOM Range.
'use strict';
const assert = require('assert');
const path = require('path');
const { runCommand, waitForFrameWith, closeAllEditors, pickRow } = require('./browser');
const { sleep } = require('./code-server');
const { waitForRows } = require('./ui-checks');

const TRACE_ID = '5aab74dbb904746bb33447baae403ed6';
const TRACEPARENT = `00-${TRACE_ID}-05e3ac9a4f6e3b90-01`;
const fx = (name) => ({ file: path.join(__dirname, '..', 'fixtures', 'backends', name) });
const ROUTE = { path: `/api/v2/trace/${TRACE_ID}`, body: fx('zipkin-trace-lens-messaging.json') };
/** The search the form below fills in: service frontend, any operation, a tag, a minimum duration. */
const SEARCH_ROUTES = [
  { path: '/api/v2/services', body: fx('zipkin-api-services.json') },
  { path: '/api/v2/spans', query: { serviceName: 'frontend' }, body: fx('zipkin-api-spans.json') },
  { path: '/api/v2/traces', query: { serviceName: 'frontend', annotationQuery: 'http.method=GET', minDuration: '10000', endTs: true, lookback: '3600000', limit: '20' }, body: fx('zipkin-api-traces.json') },
  { path: '/api/v2/trace/19f84f102048e047', body: fx('zipkin-trace-lens-simple-db-p6.json') },
];

/** Starts the recorded Zipkin server; returns it with the settings that make it the one backend. */
async function startRecordedBackend(repoRoot) {
  const { startRecordedServer } = require(path.join(repoRoot, 'dist', 'test', 'harness', 'recorded-backend.js'));
  const server = await startRecordedServer([ROUTE, ...SEARCH_ROUTES]);
  return {
    server,
    settings: {
      'spanlens.backends': [{ name: 'zipkin-recorded', type: 'zipkin', url: server.url }],
      'terminal.integrated.gpuAcceleration': 'off',
    },
  };
}

/** Screen centre of the last occurrence of `text` in the terminal's rows, or undefined. */
function locateInTerminal(page, text) {
  return page.evaluate((needle) => {
    const rows = [...document.querySelectorAll('.terminal-wrapper.active .xterm-rows > div, .xterm-rows > div')];
    for (const row of rows.reverse()) {
      const full = row.textContent ?? '';
      const at = full.lastIndexOf(needle);
      if (at < 0) continue;
      // Map the character offsets to text nodes (a row is split into styled spans).
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let seen = 0;
      let started = false;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.textContent.length;
        if (!started && at < seen + len) { range.setStart(n, at - seen); started = true; }
        if (started && at + needle.length <= seen + len) { range.setEnd(n, at + needle.length - seen); break; }
        seen += len;
      }
      const r = range.getBoundingClientRect();
      if (r.width > 0) return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return undefined;
  }, text);
}

/** Waits for the quick input titled `title` (exactly) and returns its text box. */
async function quickInputTitled(page, title, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  for (;;) {
    seen = ((await page.locator('.quick-input-widget .quick-input-title').first().textContent().catch(() => '')) ?? '').trim();
    if (seen === title && (await page.locator('.quick-input-widget').first().isVisible().catch(() => false))) break;
    if (Date.now() > deadline) throw new Error(`no quick input titled "${title}" (showing: "${seen}")`);
    await sleep(150);
  }
  return page.locator('.quick-input-widget .quick-input-box input').first();
}

async function typeAnswer(page, title, text) {
  const input = await quickInputTitled(page, title);
  await input.fill(text);
  await sleep(200); // validation runs on input
  await page.keyboard.press('Enter');
}

/** The rows of the waterfall that opens next, once it shows `count` of them. */
async function waitForRowsOf(page, count) {
  const frame = await waitForFrameWith(page, '.sl-row', 30_000);
  return waitForRows(frame, (rows) => rows.length >= count, `the opened waterfall to show ${count} rows`, 15_000);
}

async function backendUiChecks({ page, server, check }) {
  await check('UI backend search form: service, operation, tags, duration, range and limit reach Zipkin; a result in the Backends view opens', async () => {
    await closeAllEditors(page);
    await runCommand(page, 'Spanlens: Search Backend…');
    const title = 'Search zipkin-recorded';
    await quickInputTitled(page, `${title}: service`);
    await pickRow(page, 'frontend', 10_000);
    await quickInputTitled(page, `${title}: operation`);
    await pickRow(page, '(any)', 10_000);
    await typeAnswer(page, `${title}: tags`, 'http.method=GET');
    await typeAnswer(page, `${title}: minimum duration`, '10ms');
    await typeAnswer(page, `${title}: maximum duration`, '');
    await quickInputTitled(page, `${title}: time range`);
    await pickRow(page, 'Last hour', 10_000);
    await typeAnswer(page, `${title}: limit`, '20');

    // The results, in the Spanlens side bar's Backends view.
    const result = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: 'http:/book' }).first();
    await result.waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepStrictEqual(server.mismatches, [], 'the backend saw only the requests and parameters the Zipkin API defines');
    // The view is being revealed and focused as the results arrive: a click while its rows are
    // re-rendered can land on a row that is then replaced, so let it settle first.
    await sleep(1000);
    const fetchedPath = '/api/v2/trace/19f84f102048e047';
    for (let attempt = 1; ; attempt++) {
      await result.click();
      const deadline = Date.now() + 8000;
      while (!server.requests.some((r) => r.path === fetchedPath) && Date.now() < deadline) await sleep(200);
      if (server.requests.some((r) => r.path === fetchedPath)) break;
      // The click never reached the row's command (nothing was fetched): click again, as a user would.
      if (attempt === 3) throw new Error(`clicking the result never fetched ${fetchedPath}`);
    }
    const rows = await waitForRowsOf(page, 5).catch(async (e) => {
      const notes = await page.locator('.notifications-toasts .notification-list-item-message').allTextContents().catch(() => []);
      const fetched = server.requests.map((r) => r.path);
      throw new Error(`${e.message}; notifications: ${JSON.stringify(notes)}; backend requests: ${JSON.stringify(fetched)}`);
    });
    assert.strictEqual(rows[0]?.name, 'http:/book', `first row of the opened result: ${JSON.stringify(rows.map((r) => r.name))}`);
    assert.strictEqual(rows.length, 5, `rows: ${JSON.stringify(rows.map((r) => r.name))}`);
  });

  await check('UI terminal link: Ctrl+click on a traceparent printed in the terminal opens that trace from the backend', async () => {
    await closeAllEditors(page);
    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.xterm-rows').first().waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(1500); // the shell starts and prints its prompt
    await page.keyboard.type(`echo "request failed, traceparent: ${TRACEPARENT}"`);
    await page.keyboard.press('Enter');

    let spot;
    const deadline = Date.now() + 10_000;
    while (!(spot = await locateInTerminal(page, TRACEPARENT))) {
      if (Date.now() > deadline) throw new Error('the traceparent never showed in the terminal');
      await sleep(200);
    }
    // Hovering lets the terminal ask the link providers; then Ctrl+click follows the link.
    await page.mouse.move(spot.x - 40, spot.y);
    await page.mouse.move(spot.x, spot.y, { steps: 5 });
    await sleep(800);
    await page.keyboard.down('Control');
    await page.mouse.click(spot.x, spot.y);
    await page.keyboard.up('Control');

    const rows = await waitForRowsOf(page, 4);
    assert.strictEqual(rows[0]?.name, 'get /', `first row of the fetched trace: ${JSON.stringify(rows.map((r) => r.name))}`);
    assert.strictEqual(rows.length, 4, `rows: ${JSON.stringify(rows.map((r) => r.name))}`);
    assert.deepStrictEqual(server.mismatches, [], 'the backend saw only the requests the Zipkin API defines');
    assert.ok(server.requests.some((r) => r.path === ROUTE.path), `the trace was fetched from the backend (requests: ${JSON.stringify(server.requests.map((r) => r.path))})`);
  });
}

module.exports = { startRecordedBackend, backendUiChecks };
