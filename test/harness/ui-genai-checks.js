// GenAI spans as a user sees them in the real workbench (issue 12): the demo workspace's agent trace
// (genai-agent.jaeger.json, Jaeger UI's own GenAI test trace) opens with the trace's token totals in
// the header, icons on model, tool, agent and retrieval rows, and a GenAI section in the detail of
// a model call. Expected figures are those `spanlens inspect --json` gives for the file (checked
// against a sum of the raw tags in test/unit/genai.test.ts).
//
// Usage (from the harness's UI phase): await genAiUiChecks({ page, check })
'use strict';
const assert = require('assert');
const { sleep } = require('./code-server');
const { openTrace, ensureWaterfall } = require('./ui-checks');

async function genAiUiChecks({ page, check }) {
  let frame;
  await check('UI GenAI: the agent trace shows its token totals in the header and an icon on model, tool and agent rows, none on ordinary spans', async () => {
    frame = await openTrace(page, 'genai-agent.jaeger.json', 'default');
    await ensureWaterfall(frame);
    const tokens = (await frame.locator('#sl-trace-tokens').textContent())?.trim();
    assert.strictEqual(tokens, '· 8,280 input / 1,180 output tokens');
    const icons = await frame.evaluate(() =>
      [...document.querySelectorAll('.sl-row')]
        .filter((r) => r.getClientRects().length > 0)
        .map((r) => [r.querySelector('.sl-name')?.textContent, (r.querySelector('.sl-genai')?.textContent ?? '').trim()]),
    );
    const iconOf = (prefix) => icons.find(([n]) => n && n.startsWith(prefix))?.[1];
    assert.ok(iconOf('chat'), `no icon on the chat row: ${JSON.stringify(icons.slice(0, 8))}`);
    assert.ok(iconOf('invoke_agent') && iconOf('execute_tool'), JSON.stringify(icons.slice(0, 8)));
    assert.strictEqual(iconOf('POST /api/graphql'), '', 'an ordinary span got an icon');
    assert.notStrictEqual(iconOf('chat'), iconOf('execute_tool'), 'model and tool spans share an icon');
  });

  await check('UI GenAI: a model call\'s detail has a GenAI section with its model and tokens', async () => {
    assert.ok(frame, 'the trace did not open');
    await frame.locator('.sl-row').filter({ has: frame.locator('.sl-name').getByText('chat model-a', { exact: true }) }).first().click();
    const deadline = Date.now() + 10_000;
    let text = '';
    for (;;) {
      text = ((await frame.locator('#sl-detail').textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ');
      if (text.includes('GenAI')) break;
      if (Date.now() > deadline) throw new Error(`no GenAI section; #sl-detail reads: ${text.slice(0, 500)}`);
      await sleep(150);
    }
    for (const s of ['model-a', '1,840']) assert.ok(text.includes(s), `"${s}" missing from the GenAI section: ${text.slice(0, 800)}`);
  });
}

module.exports = { genAiUiChecks };
