// Masking on screen as a user sees it, in the real workbench: open the fixture with planted secrets
// (test/fixtures/redaction-host/secrets.otlp.json), select the span, read `<redacted:…>` in the
// detail pane, reach the Reveal button with the keyboard and press it, read the original; press
// again (now "Hide") and the mask is back.
//
// Usage (from the harness's UI phase, extension loaded from the working tree):
//   await redactionUiChecks({ page, workspace: DEMO, check })   // check(name, async fn) -> boolean
// The fixture is copied into the workspace for the duration of the checks (Quick Open finds only
// workspace files) and removed afterwards.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { sleep } = require('./code-server');
const { openTrace, ensureWaterfall } = require('./ui-checks');

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'redaction-host', 'secrets.otlp.json');

async function detailText(frame) {
  return ((await frame.locator('#sl-detail').textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ');
}

async function waitForDetail(frame, want, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = await detailText(frame);
    if (want(text)) return text;
    if (Date.now() > deadline) throw new Error(`${what}; #sl-detail reads: ${JSON.stringify(text.slice(0, 600))}`);
    await sleep(150);
  }
}

async function redactionUiChecks({ page, workspace, check }) {
  const dir = path.join(workspace, `.spanlens-ui-redaction-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(FIXTURE, path.join(dir, 'secrets.otlp.json'));
  await sleep(1500); // let the workbench's file watcher see the new file
  const rel = `${path.basename(dir)}/secrets.otlp.json`;
  try {
    let frame;
    await check('UI redaction: the detail pane masks planted secrets as <redacted:…> with a Reveal button per value', async () => {
      frame = await openTrace(page, rel, 'default');
      await ensureWaterfall(frame);
      await frame.locator('.sl-row').filter({ has: frame.locator('.sl-name').getByText('GET /checkout', { exact: true }) }).first().click();
      const text = await waitForDetail(frame, (t) => t.includes('<redacted:email>'), 'the e-mail address is not masked');
      for (const secret of ['alice@example.com', 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9']) {
        assert.ok(!text.includes(secret), `the pane shows ${secret}`);
      }
      assert.ok(text.includes('<redacted:jwt>'), 'the JWT in url.full is masked');
      const reveals = frame.locator('#sl-detail button.sl-reveal');
      assert.strictEqual(await reveals.count(), 3, 'Reveal buttons (authorization, user.email, url.full)');
      const labels = await reveals.evaluateAll((bs) => bs.map((b) => `${b.tagName}:${b.getAttribute('aria-label')}`));
      assert.deepStrictEqual(labels.sort(), [
        'BUTTON:Reveal the value of http.request.header.authorization',
        'BUTTON:Reveal the value of url.full',
        'BUTTON:Reveal the value of user.email',
      ]);
    });

    await check('UI redaction: Reveal (keyboard: Tab to the button, Enter) shows the original value; Hide masks it again', async () => {
      assert.ok(frame, 'the previous check did not open the file');
      const button = frame.getByRole('button', { name: 'Reveal the value of user.email' });
      // Reach it from the button before it with Tab, as a keyboard user would.
      await frame.getByRole('button', { name: 'Reveal the value of http.request.header.authorization' }).focus();
      await page.keyboard.press('Tab');
      const focused = await frame.evaluate(() => document.activeElement?.getAttribute('aria-label'));
      assert.strictEqual(focused, 'Reveal the value of user.email', 'Tab moves to the next Reveal button');
      await page.keyboard.press('Enter');
      await waitForDetail(frame, (t) => t.includes('alice@example.com'), 'Reveal did not show the original e-mail address');
      assert.ok(!(await detailText(frame)).includes('<redacted:email>'));
      // Only that value: the others stay masked.
      assert.ok((await detailText(frame)).includes('<redacted:jwt>'), 'revealing one value revealed another');
      const hide = frame.getByRole('button', { name: 'Hide the value of user.email' });
      assert.strictEqual(await hide.getAttribute('aria-pressed'), 'true');
      await hide.click();
      await waitForDetail(frame, (t) => t.includes('<redacted:email>') && !t.includes('alice@example.com'), 'Hide did not mask the value again');
      assert.strictEqual(await button.count(), 1);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { redactionUiChecks };
