// What a user sees: opens the sample traces in the real workbench (Quick Open, palette commands) and
// checks the waterfall webview's DOM: row names per format, search, span details, error view,
// markup shown as text. Also takes the README screenshots in the light and dark themes.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { quickOpen, runCommand, pickRow, closeAllEditors, waitForFrameWith, framesWith } = require('./browser');
const { sleep } = require('./code-server');

/** The custom editor's display name, as "Reopen Editor With…" lists it. */
const SPANLENS_EDITOR_NAME = require('../../package.json').contributes.customEditors[0].displayName;

const SEL = {
  row: '.sl-row',
  name: '.sl-name',
  search: '#sl-search',
  detail: '#sl-detail',
  error: '#sl-error',
  traceList: '#sl-trace-list',
};

/** Rows the user can see, in display order: name, selection, row number. */
async function visibleRows(frame) {
  const rows = await frame.$$eval(SEL.row, (els, nameSel) =>
    els
      .filter((r) => r.getClientRects().length > 0 && getComputedStyle(r).visibility !== 'hidden')
      .map((r) => ({
        name: (r.querySelector(nameSel)?.textContent ?? '').trim(),
        selected: r.classList.contains('selected'),
        row: Number(r.getAttribute('data-row') ?? NaN),
        spanIndex: Number(r.getAttribute('data-span-index') ?? NaN),
        top: r.getBoundingClientRect().top,
      })), SEL.name);
  // A virtual list may keep DOM order different from screen order.
  return rows.sort((a, b) => (Number.isFinite(a.row) && Number.isFinite(b.row) ? a.row - b.row : a.top - b.top));
}

async function waitForRows(frame, predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let rows = [];
  for (;;) {
    rows = await visibleRows(frame).catch(() => []);
    if (predicate(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`${what}; rows shown: ${JSON.stringify(rows.map((r) => r.name))}`);
    await sleep(150);
  }
}

/**
 * Opens a sample as a user would. `how`: 'default' (Quick Open; the file's default editor),
 * 'reopenWith' (Quick Open, then View: Reopen Editor With… → Spanlens),
 * 'command' (Quick Open, then the palette's "Spanlens: Open with Spanlens").
 * Returns the webview frame once it shows rows, an error, or a trace list.
 */
async function openTrace(page, rel, how = 'default') {
  await closeAllEditors(page);
  await quickOpen(page, rel);
  if (how === 'reopenWith') {
    await page.locator('.editor-group-container .monaco-editor').first().waitFor({ state: 'visible', timeout: 15_000 });
    await runCommand(page, 'View: Reopen Editor With...');
    await pickRow(page, SPANLENS_EDITOR_NAME, 10_000);
  } else if (how === 'command') {
    await page.locator('.editor-group-container .monaco-editor').first().waitFor({ state: 'visible', timeout: 15_000 });
    await sleep(500); // the extension updates its "looks like a trace" context key on editor change
    await runCommand(page, 'Spanlens: Open with Spanlens');
  }
  const frame = await waitForFrameWith(page, `${SEL.row}, ${SEL.error}, ${SEL.traceList}`, 20_000);
  const base = rel.split('/').pop();
  const tab = ((await page.locator('.tabs-container .tab.active').first().textContent().catch(() => '')) ?? '').trim();
  if (!tab.includes(base)) throw new Error(`opened "${tab}" instead of ${base}`);
  return frame;
}

/** When a file holds several traces the view may start on its trace list: pick the first trace. */
async function ensureWaterfall(frame) {
  if ((await visibleRows(frame)).length > 0) return;
  const list = frame.locator(SEL.traceList);
  if (await list.isVisible().catch(() => false)) {
    const item = list.locator('[data-trace-index], [role="option"], li, tr, button').first();
    await item.click();
  }
  await waitForRows(frame, (r) => r.length > 0, 'no waterfall rows appeared', 20_000);
}

async function traceListCount(frame) {
  const list = frame.locator(SEL.traceList);
  if (!(await list.count())) return undefined;
  return list.locator('[data-trace-index]').count();
}

function rowByName(frame, name) {
  return frame.locator(SEL.row).filter({ has: frame.locator(SEL.name).getByText(name, { exact: true }) }).first();
}

async function waitForText(locator, texts, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = (await locator.textContent().catch(() => '')) ?? '';
    const missing = texts.filter((t) => !text.includes(t));
    if (missing.length === 0) return text;
    if (Date.now() > deadline) throw new Error(`${what}: missing ${JSON.stringify(missing)} in ${JSON.stringify(text.slice(0, 400))}`);
    await sleep(150);
  }
}

/** How each sample is opened in the UI: default editor by name, or the two ways to choose Spanlens. */
function howToOpen(entry) {
  if (entry.defaultEditor) return 'default';
  return entry.format === 'tempo' ? 'command' : 'reopenWith';
}

async function isDarkWorkbench(page) {
  return page.evaluate(() => {
    const wb = document.querySelector('.monaco-workbench');
    return !!wb && (wb.classList.contains('vs-dark') || wb.classList.contains('hc-black'));
  });
}

/**
 * Sets `workbench.colorTheme` in the user settings.json; the workbench applies it when its settings
 * watcher fires. If it has not within a few seconds, picks the theme in "Preferences: Color Theme",
 * which lists it without the "Default " prefix of its id.
 */
async function setTheme(page, srv, theme, dark) {
  srv.writeSettings({ 'workbench.colorTheme': theme });
  const deadline = Date.now() + 5000;
  while ((await isDarkWorkbench(page)) !== dark && Date.now() < deadline) await sleep(200);
  if ((await isDarkWorkbench(page)) !== dark) {
    await runCommand(page, 'Preferences: Color Theme');
    await pickRow(page, theme.replace(/^Default /, ''), 10_000);
    const until = Date.now() + 5000;
    while ((await isDarkWorkbench(page)) !== dark) {
      if (Date.now() > until) throw new Error(`could not switch to ${theme}`);
      await sleep(200);
    }
  }
  await sleep(1200); // the webview picks up the new theme variables
}

/** Shows or hides the primary side bar (the screenshots give the waterfall the whole width). */
async function setSideBar(page, visible) {
  const bar = page.locator('.monaco-workbench .part.sidebar');
  if ((await bar.isVisible().catch(() => false)) === visible) return;
  await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await bar.waitFor({ state: visible ? 'visible' : 'hidden', timeout: 5000 });
  await sleep(500);
}

/**
 * Runs every UI check; results go to `tally`. `screenshotsDir` receives waterfall-light.png,
 * waterfall-dark.png and error-view.png.
 */
async function runUiChecks({ page, dialogs, srv, tally, expectations, large, workspace, screenshotsDir, artifactsDir }) {
  const shot = async (name) => {
    fs.mkdirSync(screenshotsDir, { recursive: true });
    await page.mouse.move(700, 880); // no hover highlight in the picture
    await sleep(200);
    const file = path.join(screenshotsDir, name);
    await page.screenshot({ path: file });
    console.log(`        screenshot: ${path.relative(process.cwd(), file)}`);
  };
  const failShot = async (name) => {
    if (!artifactsDir) return;
    fs.mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, `ui-${name.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 120)}.png`) }).catch(() => {});
  };
  const check = async (name, fn) => {
    const ok = await tally.check(name, fn);
    if (!ok) await failShot(name);
    return ok;
  };

  // The waterfall gets the whole width; files are opened with Quick Open, not the explorer.
  await setSideBar(page, false).catch((err) => console.log(`        (could not hide the side bar: ${err.message})`));

  // 1. Each format: the rows a user sees.
  for (const e of expectations.files) {
    const how = howToOpen(e);
    await check(`UI ${e.file} (${e.formatLabel}, opened via ${how}): waterfall rows show the spans, root first`, async () => {
      const frame = await openTrace(page, e.file, how);
      const err = frame.locator(SEL.error);
      if (await err.isVisible().catch(() => false)) throw new Error(`error view: ${await err.textContent()}`);
      if (e.traceCount > 1) {
        const n = await traceListCount(frame);
        if (n !== undefined && n > 0) assert.strictEqual(n, e.traceCount, 'entries in the trace list');
      }
      await ensureWaterfall(frame);
      const rows = await visibleRows(frame);
      assert.strictEqual(rows[0].name, e.rootName, 'first row');
      const known = new Set(e.names);
      const strangers = rows.map((r) => r.name).filter((n) => !known.has(n));
      assert.deepStrictEqual(strangers, [], 'rows whose name is not a span name of the file');
      assert.ok(rows.length >= Math.min(e.spanCount, 8), `only ${rows.length} rows visible for ${e.spanCount} spans`);
      const badHooks = rows.filter((r) => !Number.isInteger(r.row) || !Number.isInteger(r.spanIndex) || r.spanIndex < 0 || r.spanIndex >= e.spanCount);
      assert.deepStrictEqual(badHooks, [], 'rows without a valid data-row / data-span-index');
      assert.strictEqual(new Set(rows.map((r) => r.spanIndex)).size, rows.length, 'two rows show the same span');
      if (e.spanCount <= 20) {
        const shown = new Set(rows.map((r) => r.name));
        const missing = e.names.filter((n) => !shown.has(n));
        assert.deepStrictEqual(missing, [], 'span names not shown');
      }
    });
  }

  // 2. Search, details and the screenshots, on the richest sample.
  const rich = expectations.files.find((f) => f.search && f.detail);
  let richFrame;
  await check(`UI ${rich.file}: typing "${rich.search.text}" in #sl-search filters the rows`, async () => {
    richFrame = await openTrace(page, rich.file, howToOpen(rich));
    await ensureWaterfall(richFrame);
    const before = await visibleRows(richFrame);
    await richFrame.locator(SEL.search).fill(rich.search.text);
    const after = await waitForRows(
      richFrame,
      (r) => r.some((x) => x.name === rich.search.match) && !r.some((x) => x.name === rich.search.hidden),
      `after typing "${rich.search.text}": "${rich.search.match}" should show and "${rich.search.hidden}" should not`,
    );
    assert.ok(after.length < before.length, `${after.length} rows after filtering, ${before.length} before`);
    await richFrame.locator(SEL.search).fill('');
    await waitForRows(richFrame, (r) => r.length === before.length, 'clearing the search should bring every row back');
  });

  await check(`UI ${rich.file}: clicking "${rich.detail.span}" selects it and #sl-detail shows its attributes`, async () => {
    richFrame = richFrame ?? (await openTrace(page, rich.file, howToOpen(rich)));
    await ensureWaterfall(richFrame);
    await rowByName(richFrame, rich.detail.span).click();
    await waitForText(richFrame.locator(SEL.detail), [rich.detail.span, ...rich.detail.texts], '#sl-detail');
    const selected = (await visibleRows(richFrame)).filter((r) => r.selected).map((r) => r.name);
    assert.deepStrictEqual(selected, [rich.detail.span], 'selected rows');
  });

  await check('UI screenshots of the waterfall in the light and dark themes (docs/screenshots)', async () => {
    richFrame = richFrame ?? (await openTrace(page, rich.file, howToOpen(rich)));
    await ensureWaterfall(richFrame);
    await setTheme(page, srv, 'Default Light Modern', false);
    await shot('waterfall-light.png');
    await setTheme(page, srv, 'Default Dark Modern', true);
    // The webview follows the workbench theme: its body carries VS Code's theme class.
    const frame = await waitForFrameWith(page, SEL.row, 10_000);
    const bodyClass = await frame.evaluate(() => document.body.className);
    assert.match(bodyClass, /vscode-dark/, 'webview body class after switching to the dark theme');
    await shot('waterfall-dark.png');
    await setTheme(page, srv, 'Default Light Modern', false);
  });

  // 2b. The palette command with VS Code's own file dialog (in the browser: the simple file dialog).
  const viaDialog = expectations.files.find((f) => f.format === 'zipkin-v2');
  await check(`UI "Spanlens: Open Trace File…" from the palette, file chosen in the open dialog (${viaDialog.file})`, async () => {
    await closeAllEditors(page);
    await runCommand(page, 'Spanlens: Open Trace File…');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // The dialog fills in its start folder once the listing has loaded, replacing anything typed
    // before that: wait for the listing, then type, and check the text stuck.
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: 10_000 });
    const wanted = path.join(workspace, viaDialog.file);
    for (let attempt = 1; (await input.inputValue()) !== wanted; attempt++) {
      if (attempt > 5) throw new Error(`the open dialog's path box reads "${await input.inputValue()}", not ${wanted}`);
      await input.fill(wanted);
      await sleep(500); // the dialog validates the typed path before it accepts
    }
    await page.keyboard.press('Enter');
    const frame = await waitForFrameWith(page, SEL.row, 20_000);
    const rows = await visibleRows(frame);
    assert.strictEqual(rows[0].name, viaDialog.rootName, 'first row');
  });

  // 3. A large generated file: the waterfall shows its first rows (a virtual list, not 20k nodes).
  if (large) {
    await check(`UI ${large.rel} (${large.spanCount} spans): the waterfall opens and shows the root first`, async () => {
      const frame = await openTrace(page, large.rel, 'default');
      await ensureWaterfall(frame);
      const rows = await visibleRows(frame);
      assert.strictEqual(rows[0].name, large.rootName, 'first row');
      assert.ok(rows.length >= 10, `only ${rows.length} rows visible`);
      const domRows = await frame.locator(SEL.row).count();
      assert.ok(domRows < large.spanCount / 10, `${domRows} row elements in the DOM for ${large.spanCount} spans: the list is not virtual`);
    });
  }

  // 4. Markup in the data shows as text and never runs.
  const m = expectations.markup;
  await check(`UI ${m.file}: span names with HTML show literally, nothing runs`, async () => {
    const frame = await openTrace(page, m.file, 'default');
    await ensureWaterfall(frame);
    const rows = await visibleRows(frame);
    assert.deepStrictEqual(rows.map((r) => r.name), m.names);
    await rowByName(frame, m.detail.span).click();
    await waitForText(frame.locator(SEL.detail), m.detail.texts, '#sl-detail shows the values as text');
    for (const f of await framesWith(page, SEL.row)) {
      const injected = await f.evaluate(() =>
        [...document.querySelectorAll('img, svg, script')]
          .filter((e) => e.getAttribute('src') === 'x' || e.hasAttribute('onload') || e.hasAttribute('onerror') || (e.tagName === 'SCRIPT' && (e.textContent ?? '').includes('alert(')))
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      assert.deepStrictEqual(injected, [], 'markup from the file became elements');
    }
    await sleep(500);
    assert.deepStrictEqual(dialogs, [], 'alert() dialogs opened');
  });

  // 5. Broken files: the error view says what and where, and offers the text editor.
  for (const b of expectations.broken) {
    const wants = [...b.messageIncludes, ...(b.line ? [`line ${b.line}`] : [])];
    await check(`UI ${b.file}: #sl-error shows the problem${wants.length ? ` (${wants.join(', ')})` : ''}`, async () => {
      const how = /\.(otlp|jaeger|zipkin)\.json$/.test(b.file) ? 'default' : 'reopenWith';
      const frame = await openTrace(page, b.file, how);
      const err = frame.locator(SEL.error);
      await err.waitFor({ state: 'visible', timeout: 10_000 });
      const text = await waitForText(err, wants, '#sl-error');
      assert.ok(text.trim().length > 10, 'error view is (almost) empty');
      if (b.line) await shot('error-view.png');
    });
  }

  const withLine = expectations.broken.find((b) => b.line);
  await check(`UI ${withLine.file}: "Open as text" in the error view opens the text editor`, async () => {
    const frame = await openTrace(page, withLine.file, 'default');
    await frame.locator(SEL.error).waitFor({ state: 'visible', timeout: 10_000 });
    await frame.locator(SEL.error).getByRole('button', { name: /open as text/i }).click();
    const editor = page.locator('.editor-group-container .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible', timeout: 15_000 });
    await waitForText(editor, ['resourceSpans'], 'the text editor shows the file');
    const tab = (await page.locator('.tabs-container .tab.active').first().textContent()) ?? '';
    assert.ok(tab.includes(path.basename(withLine.file)), `active tab is "${tab}"`);
  });
}

module.exports = { runUiChecks, openTrace, ensureWaterfall, visibleRows, waitForRows, setTheme, SEL };
