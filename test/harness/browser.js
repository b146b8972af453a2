// Debian's Chromium driven by playwright-core, plus the few workbench gestures the UI checks need.
// Webviews live in nested iframes, so lookups search every frame of the page.
'use strict';
const fs = require('fs');
const { sleep } = require('./code-server');

const CHROMIUM_CANDIDATES = [process.env.SPANLENS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function chromiumPath() {
  const found = CHROMIUM_CANDIDATES.find((p) => p && fs.existsSync(p));
  if (!found) throw new Error('Chromium not found (apt-get install -y chromium, or set SPANLENS_CHROMIUM)');
  return found;
}

/** A fresh browser (Playwright gives each launch a new, empty profile). */
async function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath(),
    // Without the networking flags Chromium keeps trying to reach Google through a closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps'],
  });
}

/** Opens the workbench and waits until it is interactive. */
async function openWorkbench(browser, url, { width = 1440, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  const dialogs = [];
  // Any alert() would mean markup from a trace file ran as script.
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
  await sleep(1500); // the workbench restores its layout and starts the extension host after first paint
  return { context, page, dialogs };
}

/** Each frame that currently has `selector`; detached or cross-process frames that error are skipped. */
async function framesWith(page, selector) {
  const hits = [];
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    try {
      if (await frame.$(selector)) hits.push(frame);
    } catch {
      /* frame went away while we looked */
    }
  }
  return hits;
}

/** Waits for a frame containing `selector` whose element is visible; returns that frame. */
async function waitForFrameWith(page, selector, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of await framesWith(page, selector)) {
      try {
        // A list of selectors may match hidden elements first (e.g. a trace list kept in the DOM).
        if ((await frame.locator(selector).filter({ visible: true }).count()) > 0) return frame;
      } catch {
        /* detached */
      }
    }
    if (Date.now() > deadline) throw new Error(`no visible ${selector} in any frame after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/**
 * Takes keyboard focus out of any webview iframe, so workbench shortcuts reach the workbench.
 * (Blurring beats clicking: every spot of the workbench chrome does something when clicked.)
 */
async function focusWorkbench(page) {
  await page.keyboard.press('Escape');
  await page.evaluate(() => {
    const a = document.activeElement;
    if (a && a !== document.body && a instanceof HTMLElement) a.blur();
  });
}

/**
 * Clicks the quick-input row whose label is exactly `label` (palette rows read "Category: Title").
 * Labels are read in one go: rows re-render while results update, so handles go stale.
 */
async function pickRow(page, label, timeoutMs) {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  // Resolved again at click time, so a list that re-renders (results arriving) cannot misdirect it.
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name').filter({ hasText: exact }) }).first();
  try {
    await row.click({ timeout: timeoutMs });
  } catch {
    const labels = await page
      .locator('.quick-input-widget .monaco-list-row')
      .evaluateAll((els) => els.map((e) => (e.querySelector('.label-name')?.textContent ?? '').trim()))
      .catch(() => []);
    throw new Error(`no "${label}" in the list (rows: ${JSON.stringify(labels)})`);
  }
}

async function openQuickInput(page, key) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    await focusWorkbench(page);
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      return input;
    } catch {
      if (attempt === 4) throw new Error(`${key} did not open the quick input`);
    }
  }
}

/**
 * Runs a command by its exact palette label, e.g. "View: Reopen Editor With...". The palette lists
 * only commands enabled when it opens, so it is reopened while a context key catches up.
 */
async function runCommand(page, label, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const input = await openQuickInput(page, 'F1');
    await input.fill(`>${label}`);
    try {
      await pickRow(page, label, 3000);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the command palette does not offer "${label}": ${err.message}`);
    }
  }
}

/**
 * Opens a workspace file the way a user does: Quick Open (Ctrl+P), type the path, Enter on the row
 * with that exact file name. Results arrive in batches (history, then file search) and reorder, so
 * Enter is pressed only once the focused row has been the right one for two reads in a row, and the
 * active tab is checked afterwards. It opens in the editor registered as default for that name.
 */
async function quickOpen(page, relPath) {
  const base = relPath.split('/').pop();
  const focusedLabel = () =>
    page.evaluate(() => (document.querySelector('.quick-input-widget .monaco-list-row.focused .label-name')?.textContent ?? '').trim());
  let last = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const input = await openQuickInput(page, 'Control+P');
    await input.fill(relPath);
    const deadline = Date.now() + 15_000;
    let streak = 0;
    while (streak < 2 && Date.now() < deadline) {
      await sleep(200);
      last = await focusedLabel();
      streak = last === base ? streak + 1 : 0;
    }
    if (streak < 2) continue;
    await page.keyboard.press('Enter');
    const tabDeadline = Date.now() + 5000;
    while (Date.now() < tabDeadline) {
      const tab = ((await page.locator('.tabs-container .tab.active').first().textContent().catch(() => '')) ?? '').trim();
      if (tab.includes(base)) return;
      await sleep(150);
    }
  }
  throw new Error(`Quick Open did not open ${relPath} (focused row: "${last}")`);
}

async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await sleep(300);
}

module.exports = { launchBrowser, openWorkbench, focusWorkbench, pickRow, framesWith, waitForFrameWith, runCommand, quickOpen, closeAllEditors, chromiumPath };
