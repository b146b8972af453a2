// Functional smoke test of the webview on the dev page (no VS Code): drives the UI like a user,
// checks what is shown and what is posted to the "host", takes screenshots, and fails on any CSP
// violation or page error.
//   node test/webview-dev/smoke.js [--no-build] [--out test-results/webview-dev]
'use strict';
const assert = require('assert');
const path = require('path');
const fs = require('fs');
const { buildWebview, launchBrowser, openPage, waitForFirstRender, startServer } = require('./measure');

const argv = process.argv.slice(2);
const outIdx = argv.indexOf('--out');
const OUT = path.resolve(outIdx >= 0 ? argv[outIdx + 1] : path.join(__dirname, '..', '..', 'test-results', 'webview-dev'));
const XSS = '<img src=x onerror=alert(1)>';

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok    ${name}`);
  } catch (e) {
    results.push({ name, ok: false, error: e });
    console.log(`  FAIL  ${name}\n        ${String(e && e.message ? e.message : e).split('\n').join('\n        ')}`);
  }
}

async function posted(page, type) {
  return page.evaluate((t) => window.__posted.filter((m) => m.type === t), type);
}
async function selectedRow(page) {
  return page.evaluate(() => {
    const el = document.querySelector('.sl-row.selected');
    return el ? { row: Number(el.dataset.row), span: Number(el.dataset.spanIndex), name: el.querySelector('.sl-name').textContent } : null;
  });
}
async function rowCount(page) {
  return page.evaluate(() => document.querySelectorAll('.sl-row:not([hidden])').length);
}
async function shot(page, name) {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
async function cleanPage(page, log) {
  const csp = await page.evaluate(() => window.__cspViolations);
  assert.deepStrictEqual(csp, [], `CSP violations: ${JSON.stringify(csp)}`);
  assert.deepStrictEqual(log.pageErrors, [], `page errors: ${log.pageErrors.join('\n')}`);
  assert.deepStrictEqual(log.consoleErrors, [], `console errors: ${log.consoleErrors.join('\n')}`);
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  if (!argv.includes('--no-build')) await buildWebview({ minify: false });
  const server = await startServer();
  const browser = await launchBrowser();
  const shots = [];
  try {
    // ------------------------------------------------------------------ single trace, dark
    let { page, log } = await openPage(browser.context, server.url, { rows: 2000, theme: 'dark' });
    await waitForFirstRender(page);

    await check('ready is sent first and firstRenderMs metric is posted', async () => {
      const all = await page.evaluate(() => window.__posted.map((m) => m.type));
      assert.strictEqual(all[0], 'ready');
      const metric = (await posted(page, 'metric')).find((m) => m.name === 'firstRenderMs');
      assert.ok(metric && metric.value > 0, 'no firstRenderMs metric');
    });

    await check('waterfall is virtualised (2000 spans, few row elements)', async () => {
      const n = await page.evaluate(() => document.querySelectorAll('.sl-row').length);
      assert.ok(n > 10 && n < 120, `row elements in DOM: ${n}`);
      assert.strictEqual(await page.textContent('#sl-trace-title'), 'GET /checkout');
      assert.match(await page.textContent('#sl-trace-meta'), /2,000 spans · 8 services/);
    });

    await check('XSS: span name, service and attribute shown literally, nothing injected', async () => {
      const xssRow = await page.evaluate(() => window.__stub.trace(0).rowOf[1]);
      await page.evaluate((r) => {
        // bring the row on screen through the UI's own reveal path
        window.__stub.send({ type: 'revealSpan', traceIndex: 0, spanIndex: 1 });
        return r;
      }, xssRow);
      await page.waitForSelector(`.sl-row[data-span-index="1"].selected`);
      const name = await page.textContent('.sl-row[data-span-index="1"] .sl-name');
      assert.strictEqual(name, XSS);
      await page.waitForSelector('#sl-detail .sl-detail-name');
      assert.strictEqual(await page.textContent('#sl-detail .sl-detail-name'), XSS);
      const legend = await page.textContent('#sl-legend');
      assert.ok(legend.includes('recommendation<b>bold</b>'), 'service shown literally');
      const injected = await page.evaluate(() => document.querySelectorAll('img, #app b').length);
      assert.strictEqual(injected, 0, 'markup from trace data became elements');
      const attrs = await page.textContent('#sl-detail .sl-attrs');
      assert.ok(attrs.includes(XSS));
      shots.push(await shot(page, 'xss-dark'));
    });

    await check('keyboard: Home/Down/Up/End/PageDown move the selection; Left goes to parent', async () => {
      await page.focus('.sl-scroller');
      await page.keyboard.press('Home');
      assert.strictEqual((await selectedRow(page)).row, 0);
      await page.keyboard.press('ArrowDown');
      assert.strictEqual((await selectedRow(page)).row, 1);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      assert.strictEqual((await selectedRow(page)).row, 1);
      await page.keyboard.press('PageDown');
      assert.ok((await selectedRow(page)).row > 10);
      await page.keyboard.press('End');
      assert.strictEqual((await selectedRow(page)).row, 1999);
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown'); // row 1, child of the root
      await page.keyboard.press('ArrowLeft'); // row 1 has children: collapses it
      await page.keyboard.press('ArrowLeft'); // now goes to the parent
      assert.strictEqual((await selectedRow(page)).row, 0);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight'); // expand again
      assert.strictEqual(await page.getAttribute('.sl-row[data-row="1"]', 'aria-expanded'), 'true');
    });

    await check('Enter and double-click post goToSource for the selected span', async () => {
      const before = (await posted(page, 'goToSource')).length;
      await page.keyboard.press('Enter');
      await page.dblclick('.sl-row[data-row="3"] .sl-name');
      const after = await posted(page, 'goToSource');
      assert.strictEqual(after.length, before + 2);
      const span3 = await page.getAttribute('.sl-row[data-row="3"]', 'data-span-index');
      assert.deepStrictEqual(after[after.length - 1], { type: 'goToSource', traceIndex: 0, spanIndex: Number(span3) });
    });

    await check('collapse one span, collapse all, expand all, depth 2', async () => {
      await page.click('.sl-row[data-row="0"] .sl-toggle');
      assert.strictEqual(await rowCount(page), 1);
      await page.click('.sl-row[data-row="0"] .sl-toggle');
      assert.ok((await rowCount(page)) > 10);
      await page.click('#sl-collapse-all');
      assert.strictEqual(await rowCount(page), 1);
      await page.click('#sl-expand-all');
      assert.ok((await rowCount(page)) > 10);
      await page.click('#sl-depth');
      await page.click('#sl-depth vscode-option[value="2"]');
      const depths = await page.evaluate(() => [...document.querySelectorAll('.sl-row:not([hidden])')].map((r) => Number(r.getAttribute('aria-level'))));
      assert.ok(depths.length > 1 && depths.every((d) => d <= 2), `levels shown: ${[...new Set(depths)]}`);
      await page.click('#sl-expand-all');
    });

    await check('detail pane: fields, copy buttons post copy, parent link selects the parent', async () => {
      await page.click('.sl-row[data-row="2"] .sl-name');
      await page.waitForFunction(() => document.querySelector('#sl-detail .sl-kv'));
      const text = await page.textContent('#sl-detail');
      for (const label of ['Kind', 'Status', 'Duration', 'Self time', 'Start time', 'Offset', 'Trace ID', 'Span ID', 'Parent ID', 'Attributes', 'Resource', 'Instrumentation scope']) {
        assert.ok(text.includes(label), `missing ${label}`);
      }
      const traceId = await page.evaluate(() => window.__stub.trace(0).waterfall.traceId);
      await page.click('#sl-detail vscode-button.sl-copy >> nth=0');
      const copies = await posted(page, 'copy');
      assert.deepStrictEqual(copies[copies.length - 1], { type: 'copy', text: traceId });
      const parentRow = await page.evaluate(() => {
        const w = window.__stub.trace(0).waterfall;
        for (let r = 1; r >= 0; r--) if (w.depth[r] === w.depth[2] - 1) return r;
        return -1;
      });
      await page.click('#sl-detail .sl-kv a.sl-link');
      assert.strictEqual((await selectedRow(page)).row, parentRow);
      await page.click('#sl-goto-source');
      const g = await posted(page, 'goToSource');
      assert.strictEqual(g[g.length - 1].spanIndex, (await selectedRow(page)).span);
    });

    await check('span links: a link with a target in this trace selects that span', async () => {
      // span 0 (the root) has links in the synthetic data
      await page.keyboard.press('Home');
      await page.waitForFunction(() => document.querySelector('#sl-detail .sl-links a.sl-link'));
      await page.click('#sl-detail .sl-links a.sl-link >> nth=0');
      const want = await page.evaluate(() => Math.floor(window.__stub.trace(0).waterfall.rowCount / 2));
      await page.waitForFunction((s) => document.querySelector('.sl-row.selected')?.dataset.spanIndex === String(s), want);
    });

    await check('events and issues show in the detail pane', async () => {
      const w = await page.evaluate(() => {
        const t = window.__stub.trace(0).waterfall;
        let ev = -1;
        let issue = -1;
        for (let r = 0; r < t.rowCount; r++) {
          if (ev < 0 && t.flags[r] & 2) ev = t.spanIndex[r];
          if (issue < 0 && t.flags[r] & 4) issue = t.spanIndex[r];
        }
        return { ev, issue };
      });
      await page.evaluate((s) => window.__stub.send({ type: 'revealSpan', traceIndex: 0, spanIndex: s }), w.ev);
      await page.waitForFunction(() => document.querySelector('#sl-detail .sl-events .sl-event-offset'));
      assert.match(await page.textContent('#sl-detail .sl-event-offset'), /^\+/);
      await page.evaluate((s) => window.__stub.send({ type: 'revealSpan', traceIndex: 0, spanIndex: s }), w.issue);
      await page.waitForFunction(() => document.querySelector('#sl-detail .sl-issues li'));
      const title = await page.getAttribute('.sl-row.selected .sl-issue', 'title');
      assert.ok(title && title.length > 5, 'issue marker has a tooltip');
    });

    await check('find: filters to matches + dimmed ancestors, counts, Enter steps, Escape clears', async () => {
      const total = await page.evaluate(() => window.__stub.trace(0).waterfall.rowCount);
      await page.focus('.sl-scroller');
      await page.keyboard.press('Home'); // the first match after the selection becomes current
      await page.keyboard.press('/');
      assert.strictEqual(await page.evaluate(() => document.activeElement.id), 'sl-search');
      await page.keyboard.type('redis');
      await page.waitForFunction(() => /of \d+/.test(document.querySelector('#sl-find-count').textContent));
      const count = await page.textContent('#sl-find-count');
      const m = /^(\d+) of (\d+)$/.exec(count);
      assert.ok(m, `count text: ${count}`);
      assert.strictEqual(m[1], '1');
      const shown = await page.evaluate(() => ({
        match: document.querySelectorAll('.sl-row.match:not([hidden])').length,
        context: document.querySelectorAll('.sl-row.context:not([hidden])').length,
        names: [...document.querySelectorAll('.sl-row.match:not([hidden]) .sl-name')].map((e) => e.textContent),
      }));
      assert.ok(shown.match > 0 && shown.context > 0, JSON.stringify(shown));
      assert.ok(shown.names.every((n) => /redis/i.test(n)), shown.names.join());
      assert.ok((await page.textContent('#sl-find-desc')).includes('redis'));
      await page.keyboard.press('Enter');
      assert.strictEqual(await page.textContent('#sl-find-count'), `2 of ${m[2]}`);
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.press('Shift+Enter');
      assert.strictEqual(await page.textContent('#sl-find-count'), `${m[2]} of ${m[2]}`);
      shots.push(await shot(page, 'search-dark'));
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => document.querySelector('#sl-find-count').textContent === '');
      assert.strictEqual(await page.evaluate(() => document.querySelectorAll('.sl-row.match, .sl-row.context').length), 0);
      assert.ok((await page.evaluate(() => document.querySelector('.sl-waterfall .sl-vcanvas').style.height)) === `${total * 22}px`);
    });

    await check('find: key=value, service, min duration, errors only; bad duration flagged', async () => {
      await page.fill('#sl-search', 'http.method=GET');
      await page.waitForFunction(() => /attribute http.method/.test(document.querySelector('#sl-find-desc').textContent));
      await page.fill('#sl-search', '');
      await page.fill('#sl-min-duration', '1.5s');
      await page.waitForFunction(() => /duration ≥ 1500000000 ns/.test(document.querySelector('#sl-find-desc').textContent));
      const durs = await page.evaluate(() => [...document.querySelectorAll('.sl-row.match .sl-dur')].map((e) => e.textContent));
      assert.ok(durs.length > 0 && durs.every((d) => /s$/.test(d) && !/ms$|µs$/.test(d)), durs.join());
      await page.fill('#sl-min-duration', '12 parsecs');
      await page.waitForFunction(() => document.querySelector('#sl-find-count').textContent === 'Invalid duration');
      assert.ok(await page.evaluate(() => document.querySelector('#sl-min-duration').classList.contains('invalid')));
      await page.fill('#sl-min-duration', '');
      await page.click('#sl-errors-only');
      await page.waitForFunction(() => /errors only/.test(document.querySelector('#sl-find-desc').textContent));
      const allErr = await page.evaluate(() => [...document.querySelectorAll('.sl-row.match')].every((r) => r.classList.contains('error')));
      assert.ok(allErr);
      await page.click('#sl-errors-only');
      await page.click('#sl-service');
      await page.click('#sl-service vscode-option[value="payment"]');
      await page.waitForFunction(() => /service payment/.test(document.querySelector('#sl-find-desc').textContent));
      await page.click('#sl-find-clear');
      await page.waitForFunction(() => document.querySelector('#sl-find-count').textContent === '');
    });

    await check('zoom: drag on the axis rescales ticks, reset zoom restores', async () => {
      const ticksBefore = await page.evaluate(() => [...document.querySelectorAll('.sl-tick:not([hidden])')].map((t) => t.textContent));
      const box = await page.locator('.sl-axis').boundingBox();
      await page.mouse.move(box.x + box.width * 0.2, box.y + 10);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.3, box.y + 10, { steps: 5 });
      await page.mouse.up();
      const ticksAfter = await page.evaluate(() => [...document.querySelectorAll('.sl-tick:not([hidden])')].map((t) => t.textContent));
      assert.notDeepStrictEqual(ticksAfter, ticksBefore);
      assert.strictEqual(await page.evaluate(() => document.querySelector('#sl-reset-zoom').disabled), false);
      shots.push(await shot(page, 'zoomed-dark'));
      await page.click('#sl-reset-zoom');
      const ticksReset = await page.evaluate(() => [...document.querySelectorAll('.sl-tick:not([hidden])')].map((t) => t.textContent));
      assert.deepStrictEqual(ticksReset, ticksBefore);
      // Shift+drag on the bars zooms too
      const body = await page.locator('.sl-scroller').boundingBox();
      await page.keyboard.down('Shift');
      await page.mouse.move(box.x + box.width * 0.5, body.y + 100);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, body.y + 120, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      assert.strictEqual(await page.evaluate(() => document.querySelector('#sl-reset-zoom').disabled), false);
    });

    await check('state survives a reload (hide/show of the tab)', async () => {
      await page.click('#sl-reset-zoom');
      await page.focus('.sl-scroller');
      await page.keyboard.press('Home');
      await page.click('.sl-row[data-row="0"] .sl-toggle'); // collapse root ...
      await page.click('.sl-row[data-row="0"] .sl-toggle'); // ... and expand again
      await page.click('.sl-row[data-row="5"] .sl-toggle'); // collapse row 5
      await page.evaluate(() => {
        const s = document.querySelector('.sl-scroller');
        s.scrollTop = 400;
      });
      await page.click('.sl-row[data-row="30"] .sl-name');
      await page.fill('#sl-search', 'cache');
      await page.waitForFunction(() => /of \d+/.test(document.querySelector('#sl-find-count').textContent));
      const before = { sel: await selectedRow(page), count: await page.textContent('#sl-find-count') };
      await page.waitForTimeout(400); // state save is debounced
      await page.reload();
      await waitForFirstRender(page);
      await page.waitForFunction(() => /of \d+/.test(document.querySelector('#sl-find-count').textContent));
      assert.strictEqual(await page.inputValue('#sl-search'), 'cache');
      assert.deepStrictEqual(await selectedRow(page), before.sel);
      assert.strictEqual(await page.textContent('#sl-find-count'), before.count);
      await page.click('#sl-find-clear');
      await page.waitForFunction(() => document.querySelector('#sl-find-count').textContent === '');
      await page.focus('.sl-scroller');
      await page.keyboard.press('Home');
      assert.strictEqual(await page.getAttribute('.sl-row[data-row="5"]', 'aria-expanded'), 'false');
      await page.click('.sl-row[data-row="5"] .sl-toggle');
    });

    await check('dark theme screenshot, no CSP violations or console errors', async () => {
      await page.click('.sl-row[data-row="2"] .sl-name');
      await page.waitForFunction(() => document.querySelector('#sl-detail .sl-kv'));
      shots.push(await shot(page, 'waterfall-dark'));
      await cleanPage(page, log);
    });
    await page.close();

    ({ page, log } = await openPage(browser.context, server.url, { scenario: 'loading' }));
    await check('CSP: CSSOM style properties apply, a style attribute is blocked', async () => {
      const r = await page.evaluate(async () => {
        const a = document.createElement('div');
        a.style.width = '123px';
        const b = document.createElement('div');
        b.setAttribute('style', 'width: 77px');
        document.body.append(a, b);
        await new Promise((res) => setTimeout(res, 50));
        const out = { cssom: a.getBoundingClientRect().width, attr: b.getBoundingClientRect().width, violations: window.__cspViolations.map((v) => v.directive) };
        a.remove();
        b.remove();
        return out;
      });
      assert.strictEqual(r.cssom, 123);
      assert.notStrictEqual(r.attr, 77);
      assert.deepStrictEqual(r.violations, ['style-src-attr']);
    });
    await page.close();

    // ------------------------------------------------------------------ light + high contrast
    for (const theme of ['light', 'hc']) {
      ({ page, log } = await openPage(browser.context, server.url, { rows: 2000, theme }));
      await page.evaluate(() => sessionStorage.clear());
      await page.reload();
      await waitForFirstRender(page);
      await check(`${theme} theme screenshot, no CSP violations`, async () => {
        await page.click('.sl-row[data-row="2"] .sl-name');
        await page.waitForFunction(() => document.querySelector('#sl-detail .sl-kv'));
        await page.fill('#sl-search', 'cache');
        await page.waitForFunction(() => /of \d+/.test(document.querySelector('#sl-find-count').textContent));
        shots.push(await shot(page, `waterfall-${theme}`));
        await cleanPage(page, log);
      });
      await page.close();
    }

    // ------------------------------------------------------------------ several traces: the list
    ({ page, log } = await openPage(browser.context, server.url, { rows: 300, traces: 40, theme: 'dark' }));
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.waitForSelector('#sl-trace-list .sl-tl-row');
    await check('trace list: sort by header, filter, open with click and Enter, back', async () => {
      shots.push(await shot(page, 'trace-list-dark'));
      const spans = async () => page.evaluate(() => [...document.querySelectorAll('.sl-tl-row:not([hidden])')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((r) => Number(r.children[4].textContent.replace(/,/g, ''))));
      await page.click('.sl-tl-h[data-sort="spans"]');
      let s = await spans();
      assert.deepStrictEqual(s, [...s].sort((a, b) => b - a), 'descending by spans');
      await page.click('.sl-tl-h[data-sort="spans"]');
      s = await spans();
      assert.deepStrictEqual(s, [...s].sort((a, b) => a - b), 'ascending by spans');
      assert.strictEqual(await page.getAttribute('.sl-tl-h[data-sort="spans"]', 'aria-sort'), 'ascending');
      await page.fill('#sl-trace-filter', 'zzz-nothing');
      assert.strictEqual(await page.evaluate(() => document.querySelectorAll('.sl-tl-row:not([hidden])').length), 0);
      await page.fill('#sl-trace-filter', '');
      const idx = Number(await page.getAttribute('.sl-tl-row >> nth=3', 'data-trace-index'));
      await page.click('.sl-tl-row >> nth=3');
      await page.waitForFunction(() => !document.querySelector('#sl-trace-view').classList.contains('sl-offstage'));
      const sel = (await posted(page, 'selectTrace')).pop();
      assert.strictEqual(sel.traceIndex, idx);
      assert.ok(await page.isVisible('#sl-back'));
      await page.click('#sl-back');
      await page.waitForSelector('#sl-trace-list', { state: 'visible' });
      await page.focus('.sl-tl-scroller');
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => !document.querySelector('#sl-trace-view').classList.contains('sl-offstage'));
      await cleanPage(page, log);
    });
    await check('a link into another trace of the file posts openLink and reveals the span', async () => {
      await page.click('#sl-back');
      await page.click('.sl-tl-row[data-trace-index="0"]');
      await page.waitForFunction(() => !document.querySelector('#sl-trace-view').classList.contains('sl-offstage') && document.querySelector('.sl-row'));
      await page.click('.sl-row[data-row="0"] .sl-name');
      await page.waitForFunction(() => document.querySelectorAll('#sl-detail .sl-links a.sl-link').length >= 2);
      await page.click('#sl-detail .sl-links a.sl-link >> nth=1');
      await page.waitForFunction(() => document.querySelector('.sl-row.selected')?.dataset.spanIndex === '1');
      const link = (await posted(page, 'openLink')).pop();
      assert.deepStrictEqual(link, { type: 'openLink', traceIndex: 1, spanIndex: 1 });
      assert.ok((await page.textContent('#sl-trace-title')).length > 0);
    });
    await check('with several traces, a reload reopens the trace that was open, with its selection', async () => {
      await page.click('#sl-back');
      await page.click('.sl-tl-row[data-trace-index="5"]');
      await page.waitForFunction(() => window.__spanlens.snapshot().traceIndex === 5 && document.querySelector('.sl-row[data-row="3"]'));
      await page.click('.sl-row[data-row="3"] .sl-name');
      const sel = await selectedRow(page);
      await page.waitForTimeout(400);
      await page.reload();
      await page.waitForFunction(() => document.querySelector('.sl-row.selected'));
      assert.deepStrictEqual(await selectedRow(page), sel);
      assert.strictEqual((await posted(page, 'selectTrace')).pop().traceIndex, 5);
      await page.click('#sl-back');
      assert.strictEqual(await page.getAttribute('.sl-tl-h[data-sort="spans"]', 'aria-sort'), 'ascending', 'list sort restored');
      await cleanPage(page, log);
    });
    await page.close();

    // ------------------------------------------------------------------ error view
    ({ page, log } = await openPage(browser.context, server.url, { scenario: 'error', theme: 'dark' }));
    await page.waitForSelector('#sl-error');
    await check('error view: title, message, location, formats tried, Open as text', async () => {
      const text = await page.textContent('#sl-error');
      assert.ok(text.includes(`Spanlens could not open broken ${XSS}.json`));
      assert.ok(text.includes('line 3, column 7 (byte 52)'));
      assert.ok(text.includes('OTLP JSON, Jaeger JSON, Zipkin JSON, Chrome trace events'));
      assert.strictEqual(await page.evaluate(() => document.querySelectorAll('img').length), 0);
      await page.click('#sl-open-as-text');
      assert.strictEqual((await posted(page, 'openAsText')).length, 1);
      shots.push(await shot(page, 'error-dark'));
      await cleanPage(page, log);
    });
    await page.close();

    ({ page, log } = await openPage(browser.context, server.url, { scenario: 'loading', theme: 'light' }));
    await check('loading view', async () => {
      await page.waitForFunction(() => /Loading huge/.test(document.querySelector('#sl-loading').textContent));
      shots.push(await shot(page, 'loading-light'));
      await cleanPage(page, log);
    });
    await page.close();

    // ------------------------------------------------------------------ narrow panel
    ({ page, log } = await openPage(browser.context, server.url, { rows: 500, theme: 'dark' }, { width: 640, height: 720 }));
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await waitForFirstRender(page);
    await check('narrow panel: detail pane moves below the waterfall', async () => {
      await page.click('.sl-row[data-row="1"] .sl-name');
      await page.waitForFunction(() => document.querySelector('#sl-detail .sl-kv'));
      const d = await page.locator('#sl-detail').boundingBox();
      const w = await page.locator('.sl-waterfall').boundingBox();
      assert.ok(d.y >= w.y + w.height - 1, 'detail below waterfall');
      shots.push(await shot(page, 'narrow-dark'));
      await cleanPage(page, log);
    });
    await page.close();
  } finally {
    await browser.close();
    await server.close();
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length}/${results.length} checks passed`);
  console.log(`screenshots:\n  ${shots.join('\n  ')}`);
  if (failed.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
