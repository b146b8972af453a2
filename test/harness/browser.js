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
        if (await frame.locator(selector).first().isVisible()) return frame;
      } catch {
        /* detached */
      }
    }
    if (Date.now() > deadline) throw new Error(`no visible ${selector} in any frame after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Runs a command by its palette title (F1, type, Enter on the exact match). */
async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

/**
 * Opens a workspace file the way a user does: Quick Open (Ctrl+P), type the path, pick the row
 * whose file name matches exactly. It opens in the editor registered as default for that name.
 */
async function quickOpen(page, relPath) {
  const base = relPath.split('/').pop();
  await page.keyboard.press('Escape');
  // Focus the workbench (not a webview iframe, which would swallow the shortcut).
  await page.locator('.monaco-workbench .part.statusbar').click({ position: { x: 5, y: 5 } }).catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(relPath);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    const n = await rows.count();
    for (let i = 0; i < n; i++) {
      const name = (await rows.nth(i).locator('.label-name').first().textContent().catch(() => ''))?.trim();
      if (name === base) {
        await rows.nth(i).click();
        return;
      }
    }
    if (Date.now() > deadline) throw new Error(`Quick Open did not list ${relPath}`);
    await sleep(250);
  }
}

async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await sleep(300);
}

module.exports = { launchBrowser, openWorkbench, framesWith, waitForFrameWith, runCommand, quickOpen, closeAllEditors, chromiumPath };
