// Logs on their spans as a user sees them in the real workbench (issue 12): a mixed JSON Lines file
// (a traces line and a logs line, as the OTel Collector's file exporter writes) opens with the log
// count in the header, a marker per record on its bar coloured by severity, the logged exception's
// span drawn as an error, a Logs section in the span detail, find by log text, and the trace-level
// list behind the header's count. Takes docs/screenshots/logs.png for the README.
//
// Usage (from the harness's UI phase): await logsUiChecks({ page, workspace: DEMO, check, screenshotsDir })
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { sleep } = require('./code-server');
const { openTrace, ensureWaterfall, visibleRows, waitForRows } = require('./ui-checks');

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const t0 = 1_700_000_000_000_000_000n;
const ms = 1_000_000n;
const at = (m) => String(t0 + BigInt(m) * ms);
const str = (v) => ({ stringValue: v });

function mixedJsonLines() {
  const span = (id, parent, name, start, dur) => ({ traceId: TRACE_ID, spanId: id, ...(parent ? { parentSpanId: parent } : {}), name, kind: 2, startTimeUnixNano: at(start), endTimeUnixNano: at(start + dur) });
  const traces = {
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: str('shop') }] }, scopeSpans: [{ scope: { name: 'ui-logs' }, spans: [
      span('00f067aa0ba902b7', undefined, 'GET /cart', 0, 100),
      span('00f067aa0ba902b8', '00f067aa0ba902b7', 'load cart', 10, 30),
      span('00f067aa0ba902b9', '00f067aa0ba902b7', 'call pricing', 50, 40),
    ] }] }],
  };
  const rec = (spanId, m, sev, body, attrs = []) => ({ timeUnixNano: at(m), traceId: TRACE_ID, ...(spanId ? { spanId } : {}), severityNumber: sev, body: str(body), attributes: attrs });
  const logs = {
    resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: str('shop') }] }, scopeLogs: [{ scope: { name: 'ui-logs' }, logRecords: [
      rec('00f067aa0ba902b8', 20, 9, 'cart 42 loaded from cache'),
      rec('00f067aa0ba902b9', 60, 13, 'pricing slow, retrying'),
      rec('00f067aa0ba902b9', 85, 17, 'pricing unavailable', [{ key: 'exception.type', value: str('PricingError') }, { key: 'exception.message', value: str('503 from pricing') }]),
      rec(undefined, 95, 13, 'request budget nearly spent'),
    ] }] }],
  };
  return `${JSON.stringify(traces)}\n${JSON.stringify(logs)}\n`;
}

async function detailText(frame) {
  return ((await frame.locator('#sl-detail').textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ');
}

async function waitForText(frame, want, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await detailText(frame);
    if (want(text)) return text;
    if (Date.now() > deadline) throw new Error(`${what}; #sl-detail reads: ${JSON.stringify(text.slice(0, 600))}`);
    await sleep(150);
  }
}

async function logsUiChecks({ page, workspace, check, screenshotsDir }) {
  const dir = path.join(workspace, `.spanlens-ui-logs-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cart.otlp.jsonl'), mixedJsonLines());
  await sleep(1500); // let the workbench's file watcher see the new file
  const rel = `${path.basename(dir)}/cart.otlp.jsonl`;
  let frame;
  try {
    await check('UI logs: the header counts the records; each record is a marker on its bar, by severity; the logged exception\'s span is an error', async () => {
      frame = await openTrace(page, rel, 'default');
      await ensureWaterfall(frame);
      assert.strictEqual((await frame.locator('#sl-trace-logs').textContent())?.trim(), '· 4 log records');
      const marks = await frame.evaluate(() =>
        [...document.querySelectorAll('.sl-row')]
          .filter((r) => r.getClientRects().length > 0)
          .map((r) => ({ name: r.querySelector('.sl-name')?.textContent, marks: [...r.querySelectorAll('.sl-logmark')].filter((m) => !m.hidden).map((m) => m.className.replace('sl-logmark ', '')), error: r.classList.contains('error') || !!r.querySelector('.sl-err:not([hidden])') })),
      );
      const by = Object.fromEntries(marks.map((m) => [m.name, m]));
      assert.deepStrictEqual(by['load cart'].marks, ['sev-info']);
      assert.deepStrictEqual(by['call pricing'].marks.sort(), ['sev-error', 'sev-warn']);
      assert.deepStrictEqual(by['GET /cart'].marks, []);
      assert.ok(by['call pricing'].error && !by['load cart'].error, JSON.stringify(marks));
      // The log severity filter is offered for this trace, and the toolbar still fits on one line.
      await frame.locator('#sl-log-severity').waitFor({ state: 'visible', timeout: 5000 });
      const tops = await frame.evaluate(() => [...document.querySelector('.sl-toolbar').children].filter((k) => k.getClientRects().length > 0).map((k) => Math.round(k.getBoundingClientRect().top)));
      assert.strictEqual(new Set(tops).size, 1, `toolbar on ${new Set(tops).size} lines`);
    });

    await check('UI logs: the span detail has a Logs section with time, severity and body, and marks the logged exception', async () => {
      assert.ok(frame, 'the file did not open');
      await frame.locator('.sl-row').filter({ has: frame.locator('.sl-name').getByText('call pricing', { exact: true }) }).first().click();
      const text = await waitForText(frame, (t) => t.includes('Logs (2)'), 'no Logs section');
      for (const s of ['pricing slow, retrying', 'pricing unavailable', 'WARN', 'ERROR (logged)', 'exception.type', 'PricingError']) assert.ok(text.includes(s), `"${s}" missing`);
      assert.strictEqual(await frame.locator('#sl-detail .sl-log .sl-copy').count(), 2, 'a Copy button per record');
      if (screenshotsDir) {
        fs.mkdirSync(screenshotsDir, { recursive: true });
        await page.screenshot({ path: path.join(screenshotsDir, 'logs.png') });
      }
    });

    await check('UI logs: find by log text narrows the rows to the span that logged it', async () => {
      const all = (await visibleRows(frame)).length;
      await frame.locator('#sl-search').fill('from cache');
      await waitForRows(frame, (rows) => rows.some((r) => r.name === 'load cart') && (rows.length < all || rows.filter((r) => r.name !== 'load cart').length <= 1), 'the log text did not find its span');
      await frame.locator('#sl-search').fill('');
    });

    await check('UI logs: the header\'s count lists the record that belongs to no span', async () => {
      await frame.locator('#sl-trace-logs').click();
      await waitForText(frame, (t) => t.includes('Log records with no span in this trace (1)') && t.includes('request budget nearly spent'), 'the trace-level list');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { logsUiChecks };
