// What a new user tripped over in the detail pane and the toolbar (issue 10), checked in the real
// workbench at 1440 px: a long attribute key leaves the value room, a 10 MB span name is folded so
// the attributes stay in reach, "Go to source" is disabled with a reason on a span with no location,
// bidi controls in a name are shown as visible escapes, an invalid minimum duration filters nothing,
// and the toolbar stays on one line.
//
// Usage (from the harness's UI phase): await detailUiChecks({ page, workspace: DEMO, check })
// The trace is written into the workspace for the duration of the checks and removed afterwards.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { sleep } = require('./code-server');
const { openTrace, ensureWaterfall, visibleRows, waitForRows } = require('./ui-checks');

const LONG_KEY = 'aws.dynamodb.global_secondary_index_updates';
const HUGE_NAME = 'n'.repeat(10 * 1024 * 1024);
const BIDI_NAME = 'invoice\u202Etxt.exe';

function papercutTrace() {
  const t0 = 1_700_000_000_000_000_000n;
  const ms = 1_000_000n;
  const span = (i, name, startMs, durMs, attrs = {}) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: `eee19b7ec3c1b1${String(10 + i)}`,
    ...(i > 0 ? { parentSpanId: 'eee19b7ec3c1b110' } : {}),
    name,
    kind: 1,
    startTimeUnixNano: String(t0 + BigInt(startMs) * ms),
    endTimeUnixNano: String(t0 + BigInt(startMs + durMs) * ms),
    attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })),
  });
  const spans = [
    span(0, 'GET /papercuts', 0, 100, { [LONG_KEY]: '[{"Update":{"IndexName":"by-customer","ProvisionedThroughput":{"ReadCapacityUnits":5}}}]', 'http.route': '/papercuts' }),
    span(1, HUGE_NAME, 2, 1, { 'app.note': 'a 10 MB name' }),
    span(2, BIDI_NAME, 5, 5),
    span(3, 'slow query', 20, 40),
  ];
  return { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'papercuts' } }] }, scopeSpans: [{ scope: { name: 'ui-detail-checks' }, spans }] }] };
}

async function selectRow(frame, match) {
  await frame.locator('.sl-row').filter({ has: frame.locator('.sl-name', { hasText: match }) }).first().click();
}

async function waitFor(what, fn, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn().catch((e) => ({ error: String(e) }));
    if (last && last.ok) return last;
    if (Date.now() > deadline) throw new Error(`${what}; last seen: ${JSON.stringify(last).slice(0, 600)}`);
    await sleep(150);
  }
}

async function detailUiChecks({ page, workspace, check }) {
  const dir = path.join(workspace, `.spanlens-ui-detail-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'papercuts.otlp.json'), JSON.stringify(papercutTrace()));
  await sleep(1500); // let the workbench's file watcher see the new file
  const rel = `${path.basename(dir)}/papercuts.otlp.json`;
  let frame;
  try {
    await check('UI detail: the toolbar stays on one line at 1440 px', async () => {
      frame = await openTrace(page, rel, 'default');
      await ensureWaterfall(frame);
      const box = await frame.evaluate(() => {
        const bar = document.querySelector('.sl-toolbar');
        const kids = [...bar.children].filter((k) => k.getClientRects().length > 0);
        const widths = kids.map((k) => `${k.className}: ${[...k.children].filter((c) => c.getClientRects().length > 0).map((c) => `${c.id || c.className || c.tagName}=${Math.round(c.getBoundingClientRect().width)}`).join(' ')}`);
        return { width: window.innerWidth, height: bar.getBoundingClientRect().height, tops: kids.map((k) => Math.round(k.getBoundingClientRect().top)), tallest: Math.max(...kids.map((k) => k.getBoundingClientRect().height)), widths };
      });
      assert.ok(page.viewportSize().width >= 1440, `the window is ${page.viewportSize().width} px wide`);
      assert.strictEqual(new Set(box.tops).size, 1, `toolbar groups on several lines: ${JSON.stringify(box)}`);
      assert.ok(box.height < box.tallest * 1.6, `toolbar is ${box.height} px high for ${box.tallest} px controls`);
    });

    await check('UI detail: a long attribute key leaves the value a sensible column; Go to source is disabled with a reason', async () => {
      assert.ok(frame, 'the trace did not open');
      await selectRow(frame, 'GET /papercuts');
      const m = await waitFor('the long key in the detail pane', () =>
        frame.evaluate((key) => {
          const dt = [...document.querySelectorAll('#sl-detail dl.sl-attrs dt')].find((d) => d.textContent === key);
          if (!dt) return { ok: false };
          const dl = dt.parentElement.getBoundingClientRect();
          const dd = dt.nextElementSibling.getBoundingClientRect();
          const go = document.querySelector('#sl-goto-source');
          return { ok: true, dl: dl.width, dd: dd.width, dt: dt.getBoundingClientRect().width, goDisabled: go.disabled || go.hasAttribute('disabled'), goTitle: go.title };
        }, LONG_KEY),
      );
      assert.ok(m.dd >= 0.55 * m.dl && m.dd >= 120, `value column ${m.dd} px of ${m.dl} px (key ${m.dt} px)`);
      assert.ok(m.goDisabled, 'Go to source is enabled on a span with no location');
      assert.match(m.goTitle, /no code location/i, m.goTitle);
    });

    await check('UI detail: a 10 MB span name is folded, with "Show all", and the attributes stay in reach', async () => {
      await selectRow(frame, /^n{200}/);
      const m = await waitFor('the folded 10 MB name', () =>
        frame.evaluate(() => {
          const h = document.querySelector('#sl-detail .sl-detail-name');
          if (!h || !h.textContent.startsWith('nnnn')) return { ok: false };
          const toggle = h.querySelector('.sl-fold-toggle');
          const pane = document.querySelector('#sl-detail').getBoundingClientRect();
          const attrs = [...document.querySelectorAll('#sl-detail summary')].find((s) => s.textContent.startsWith('Attributes'));
          return { ok: true, chars: h.textContent.length, height: h.getBoundingClientRect().height, toggle: toggle?.textContent, attrsTop: attrs.getBoundingClientRect().top - pane.top };
        }),
      );
      assert.ok(m.chars < 1000, `the heading holds ${m.chars} chars`);
      assert.ok(m.height < 200, `the heading is ${m.height} px high`);
      assert.strictEqual(m.toggle, 'Show all (10,485,760 chars)');
      assert.ok(m.attrsTop < 700, `the Attributes section starts ${m.attrsTop} px down the pane`);
    });

    await check('UI detail: bidi controls in a span name are shown as visible escapes (row and heading)', async () => {
      const rows = await visibleRows(frame);
      assert.ok(rows.some((r) => r.name === 'invoice⟨U+202E⟩txt.exe'), JSON.stringify(rows.map((r) => r.name.slice(0, 40))));
      assert.ok(!rows.some((r) => r.name.includes('\u202E')), 'a raw U+202E reached the row');
      await selectRow(frame, 'invoice⟨U+202E⟩txt.exe');
      await waitFor('the neutralised heading', () => frame.evaluate(() => ({ ok: document.querySelector('#sl-detail .sl-detail-name')?.textContent === 'invoice⟨U+202E⟩txt.exe' })));
    });

    await check('UI detail: an invalid minimum duration says so and filters nothing by duration (the earlier 10ms filter is gone)', async () => {
      const all = (await visibleRows(frame)).length;
      const min = frame.locator('#sl-min-duration');
      await min.fill('10ms');
      const filtered = await waitForRows(frame, (rows) => rows.length > 0 && rows.length < all, 'the 10ms filter did not narrow the rows');
      assert.ok(filtered.every((r) => !r.name.startsWith('nnnn')), 'the 1 ms span passed a 10 ms filter');
      await min.fill('10 parsecs');
      await waitForRows(frame, (rows) => rows.length === all, 'an invalid duration kept the previous filter');
      const count = await frame.locator('.sl-find-count').textContent();
      assert.match(count ?? '', /Invalid duration/, `count reads ${count}`);
      await min.fill('');
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { detailUiChecks };
