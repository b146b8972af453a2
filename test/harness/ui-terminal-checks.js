// A trace id in the integrated terminal, followed as a user does it: the terminal prints a W3C
// traceparent, the mouse hovers it, Ctrl+click follows the link, and the trace, fetched from the
// configured backend (a local server replaying a recorded Zipkin response), opens in the waterfall.
//
// The terminal is rendered by xterm's DOM renderer (terminal.integrated.gpuAcceleration: off, set
// by the harness), so the text on screen can be located with a DOM Range.
'use strict';
const assert = require('assert');
const path = require('path');
const { runCommand, waitForFrameWith, closeAllEditors } = require('./browser');
const { sleep } = require('./code-server');
const { visibleRows } = require('./ui-checks');

const TRACE_ID = '5aab74dbb904746bb33447baae403ed6';
const TRACEPARENT = `00-${TRACE_ID}-05e3ac9a4f6e3b90-01`;
const ROUTE = { path: `/api/v2/trace/${TRACE_ID}`, body: { file: path.join(__dirname, '..', 'fixtures', 'backends', 'zipkin-trace-lens-messaging.json') } };

/** Starts the recorded Zipkin server; returns it with the settings that make it the one backend. */
async function startTerminalBackend(repoRoot) {
  const { startRecordedServer } = require(path.join(repoRoot, 'dist', 'test', 'harness', 'recorded-backend.js'));
  const server = await startRecordedServer([ROUTE]);
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

async function terminalUiChecks({ page, server, check }) {
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

    const frame = await waitForFrameWith(page, '.sl-row', 30_000);
    const rowsDeadline = Date.now() + 15_000;
    let rows = [];
    while ((rows = await visibleRows(frame)).length < 4) {
      if (Date.now() > rowsDeadline) break;
      await sleep(200);
    }
    assert.strictEqual(rows[0]?.name, 'get /', `first row of the fetched trace: ${JSON.stringify(rows.map((r) => r.name))}`);
    assert.strictEqual(rows.length, 4, `rows: ${JSON.stringify(rows.map((r) => r.name))}`);
    assert.deepStrictEqual(server.mismatches, [], 'the backend saw only the requests the Zipkin API defines');
    assert.ok(server.requests.some((r) => r.path === ROUTE.path), `the trace was fetched from the backend (requests: ${JSON.stringify(server.requests.map((r) => r.path))})`);
  });
}

module.exports = { startTerminalBackend, terminalUiChecks };
