#!/usr/bin/env node
// `npm run test:integration`: the extension in a real VS Code (code-server + Debian's Chromium).
//
//   1. suite  the mocha suite (test/integration) inside the real extension host, loaded through the
//             workbench URL payload (extensionDevelopmentPath + extensionTestsPath);
//   2. ui     Playwright as a user: Quick Open / palette, then the waterfall webview's DOM, screenshots;
//   3. vsix   `npm run package`, install the .vsix into a clean code-server, open a trace, see rows.
//
// Every check of every phase counts into the closing line `N passed, N failed` (CI reads it).
// Options: --only=suite,ui,vsix   --skip-build   --keep (keep temp dirs)   --grep=<mocha grep>
//          --ui=main,source,compare,backend,redaction,detail,logs,genai,scale,flame (which UI check groups; default all)
// Env: SPANLENS_SUITE_TIMEOUT_MS (default 600000), SPANLENS_CORPUS (shared corpus folder).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { REPO_ROOT, ensureInstalled, startCodeServer, installVsix, sleep, tailOf } = require('./code-server');
const { launchBrowser, openWorkbench } = require('./browser');
const { runUiChecks, openTrace, ensureWaterfall, visibleRows } = require('./ui-checks');
const { sourceUiChecks } = require('./ui-source-checks');
const { compareUiChecks } = require('./ui-compare-checks');
const { startRecordedBackend, backendUiChecks } = require('./ui-backend-checks');
const { scaleUiChecks } = require('./ui-scale-checks');
const { redactionUiChecks } = require('./ui-redaction-checks');
const { detailUiChecks } = require('./ui-detail-checks');
const { logsUiChecks } = require('./ui-logs-checks');
const { genAiUiChecks } = require('./ui-genai-checks');
const { flameUiChecks } = require('./ui-flame-checks');
const { Tally, phase } = require('./tally');
const { ensureLargeSample } = require('./large-sample');

const args = process.argv.slice(2);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const only = new Set((opt('only') ?? 'suite,ui,vsix').split(','));
const skipBuild = args.includes('--skip-build');
const keep = args.includes('--keep');
const uiGroups = new Set((opt('ui') ?? 'main,source,compare,backend,redaction,detail,logs,genai,scale,flame').split(','));

const DEMO = path.join(REPO_ROOT, 'test', 'demo-workspace');
const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');
const ARTIFACTS = path.join(REPO_ROOT, 'test-results');
const SUITE_ENTRY = path.join(REPO_ROOT, 'dist', 'test', 'suite', 'index.js');
const SUITE_TIMEOUT_MS = Number(process.env.SPANLENS_SUITE_TIMEOUT_MS ?? 600_000);
const expectations = require('./demo-expectations.json');

function run(cmd, cmdArgs, what) {
  const r = spawnSync(cmd, cmdArgs, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status})`);
}

/** Phase 1: the mocha suite in the extension host. Its tests count into the tally one by one. */
async function runSuite(tally, browser) {
  if (!fs.existsSync(SUITE_ENTRY)) throw new Error(`${SUITE_ENTRY} is missing: run node esbuild.js --tests`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // Per-run names: several runs may share a working tree (test-results/integration-results.json
  // keeps a copy of the latest results).
  const resultsFile = path.join(ARTIFACTS, `integration-results.${process.pid}.json`);
  const progressFile = `${resultsFile}.log`;

  const env = { SPANLENS_TEST_RESULTS: resultsFile, SPANLENS_DEMO_WORKSPACE: DEMO };
  if (opt('grep')) env.SPANLENS_TEST_GREP = opt('grep');
  if (process.env.SPANLENS_CORPUS) env.SPANLENS_CORPUS = process.env.SPANLENS_CORPUS;
  const srv = await startCodeServer({ workspace: DEMO, env });
  let page;
  try {
    const url = srv.url({
      payload: [
        ['extensionDevelopmentPath', srv.remoteUri(REPO_ROOT)],
        ['extensionTestsPath', srv.remoteUri(SUITE_ENTRY)],
        ['skipWelcome', 'true'],
      ],
    });
    ({ page } = await openWorkbench(browser, url));
    const pageErrors = [];
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));

    // Stream the suite's progress lines while waiting for its results file.
    const deadline = Date.now() + SUITE_TIMEOUT_MS;
    let shown = 0;
    const pump = () => {
      if (!fs.existsSync(progressFile)) return;
      const lines = fs.readFileSync(progressFile, 'utf8').split('\n').filter(Boolean);
      for (; shown < lines.length; shown++) console.log(lines[shown]);
    };
    while (!fs.existsSync(resultsFile)) {
      pump();
      if (srv.hasExited()) throw new Error(`code-server exited during the suite; log:\n${tailOf(srv.logFile)}`);
      if (Date.now() > deadline) {
        await page.screenshot({ path: path.join(ARTIFACTS, 'suite-timeout.png') }).catch(() => {});
        throw new Error(
          `the integration suite wrote no results within ${SUITE_TIMEOUT_MS / 1000} s ` +
            `(screenshot: test-results/suite-timeout.png).\nLast browser console errors:\n  ${pageErrors.slice(-10).join('\n  ')}\n` +
            `code-server log:\n${tailOf(srv.logFile, 30)}`,
        );
      }
      await sleep(250);
    }
    await sleep(100); // the file is written in one call; give the last progress line a moment too
    pump();
    const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    fs.copyFileSync(resultsFile, path.join(ARTIFACTS, 'integration-results.json'));
    if (fs.existsSync(progressFile)) fs.copyFileSync(progressFile, path.join(ARTIFACTS, 'integration-results.log'));
    fs.rmSync(resultsFile, { force: true });
    fs.rmSync(progressFile, { force: true });
    console.log(`  (suite inside the extension host: ${results.passed} passed, ${results.failed} failed, ${results.pending} skipped in ${(results.durationMs / 1000).toFixed(1)} s)`);
    for (const t of results.tests) {
      if (t.state === 'passed') tally.passed++;
      else if (t.state === 'pending') tally.skipped++;
      else {
        tally.failed++;
        tally.failures.push({ name: t.title, message: (t.error ?? '').split('\n')[0] });
        console.log(`  FAIL  ${t.title}\n        ${(t.error ?? '').split('\n').slice(0, 8).join('\n        ')}`);
      }
    }
    if (results.tests.length === 0) tally.fail('integration suite', 'the suite ran no tests');
    const metrics = Object.entries(results.metrics ?? {});
    if (metrics.length) {
      console.log('  webview metrics (ms):');
      for (const [file, m] of metrics) console.log(`    ${file}: ${Object.entries(m).map(([k, v]) => `${k}=${Math.round(v)}`).join(' ')}`);
    }
  } finally {
    await page?.context().close().catch(() => {});
    await srv.stop({ keepTmp: keep });
  }
}

/** Phase 2: Playwright as a user, extension loaded from the working tree. */
async function runUi(tally, browser) {
  const large = uiGroups.has('main') ? ensureLargeSample(20_000) : undefined;
  const backend = await startRecordedBackend(REPO_ROOT);
  const srv = await startCodeServer({ workspace: DEMO, settings: { 'workbench.colorTheme': 'Default Light Modern', ...backend.settings } });
  let context;
  try {
    const url = srv.url({ payload: [['extensionDevelopmentPath', srv.remoteUri(REPO_ROOT)], ['skipWelcome', 'true']] });
    const wb = await openWorkbench(browser, url);
    context = wb.context;
    if (uiGroups.has('main')) await runUiChecks({ page: wb.page, dialogs: wb.dialogs, srv, tally, expectations, large, workspace: DEMO, screenshotsDir: SCREENSHOTS, artifactsDir: ARTIFACTS });
    // Jump to code as a user does it (test/harness/ui-source-checks.js).
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const check = async (name, fn) => {
      const ok = await tally.check(name, fn);
      if (!ok) await wb.page.screenshot({ path: path.join(ARTIFACTS, `ui-${name.replace(/[^a-z0-9.-]+/gi, '_').slice(0, 120)}.png`) }).catch(() => {});
      return ok;
    };
    if (uiGroups.has('source')) await sourceUiChecks({ page: wb.page, workspace: DEMO, check });
    // Trace comparison: Compare With…, the diff view, "Changed rows only" (test/harness/ui-compare-checks.js).
    if (uiGroups.has('compare')) await compareUiChecks({ page: wb.page, workspace: DEMO, check });
    if (uiGroups.has('backend')) await backendUiChecks({ page: wb.page, server: backend.server, check });
    // Masking on screen and Reveal (test/harness/ui-redaction-checks.js).
    if (uiGroups.has('redaction')) await redactionUiChecks({ page: wb.page, workspace: DEMO, check });
    // The detail pane and toolbar papercuts of issue 10 (test/harness/ui-detail-checks.js).
    if (uiGroups.has('detail')) await detailUiChecks({ page: wb.page, workspace: DEMO, check });
    // Logs on their spans: markers, the Logs section, find, the trace-level list (test/harness/ui-logs-checks.js).
    if (uiGroups.has('logs')) await logsUiChecks({ page: wb.page, workspace: DEMO, check, screenshotsDir: SCREENSHOTS });
    // GenAI spans: header tokens, row icons, the GenAI section (test/harness/ui-genai-checks.js).
    if (uiGroups.has('genai')) await genAiUiChecks({ page: wb.page, check });
    // The flame graph: toggle, canvas drawn, click selects, keyboard zoom, state after hiding the tab (test/harness/ui-flame-checks.js).
    if (uiGroups.has('flame')) await flameUiChecks({ page: wb.page, srv, workspace: DEMO, check, screenshotsDir: SCREENSHOTS });
  } finally {
    await context?.close().catch(() => {});
    await srv.stop({ keepTmp: keep });
    await backend.server.close();
  }
  // 300k spans: the palette answers while it loads; Cancel; in a code-server of its own (test/harness/ui-scale-checks.js).
  if (uiGroups.has('scale')) await scaleUiChecks({ browser, tally, sample: ensureLargeSample(300_000, 'json'), workspace: DEMO, artifactsDir: ARTIFACTS, keep });
}

/** Phase 3: package the .vsix, check its contents, install it into a clean code-server and use it. */
async function runVsix(tally, browser) {
  const vsix = path.join(REPO_ROOT, 'spanlens.vsix');
  const packaged = await tally.check('VSIX: npm run package builds spanlens.vsix', async () => {
    fs.rmSync(vsix, { force: true });
    run('npm', ['run', '--silent', 'package'], 'npm run package');
    if (!fs.existsSync(vsix)) throw new Error('spanlens.vsix was not written');
    console.log(`        spanlens.vsix: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB`);
  });
  if (!packaged) return;

  await tally.check('VSIX: holds only dist/ (no tests, no maps), media/, README.md, LICENSE, package.json', async () => {
    const r = spawnSync('npx', ['--no-install', 'vsce', 'ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`vsce ls failed: ${r.stderr}`);
    const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    const allowed = (f) => (/^dist\//.test(f) && !/^dist\/test\//.test(f) && !f.endsWith('.map')) || /^media\//.test(f) || ['README.md', 'LICENSE', 'LICENSE.txt', 'package.json'].includes(f);
    const extra = files.filter((f) => !allowed(f));
    if (extra.length) throw new Error(`unexpected files in the package: ${extra.join(', ')}`);
    for (const needed of ['package.json', 'dist/extension.js', 'dist/webview/main.js']) {
      if (!files.includes(needed)) throw new Error(`${needed} is not in the package (files: ${files.join(', ')})`);
    }
  });

  const extDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-vsix-ext-'));
  try {
    const installed = await tally.check('VSIX: code-server --install-extension spanlens.vsix', async () => {
      const out = installVsix(vsix, extDir);
      const pkg = require(path.join(REPO_ROOT, 'package.json'));
      const dir = fs.readdirSync(extDir).find((d) => d.startsWith(`${pkg.publisher}.${pkg.name}-`));
      if (!dir) throw new Error(`no ${pkg.publisher}.${pkg.name}-* folder in the extensions dir after install:\n${out}`);
    });
    if (!installed) return;

    // autoStart on, free ports: the collector must come up with the window, with nothing opened.
    const collectorSettings = { 'spanlens.collector.autoStart': true, 'spanlens.collector.httpPort': 0, 'spanlens.collector.grpcPort': 0, 'spanlens.collector.zipkinPort': 0 };
    const srv = await startCodeServer({ workspace: DEMO, extensionsDir: extDir, settings: collectorSettings });
    let context;
    try {
      // No payload: the extension comes only from the installed .vsix.
      const wb = await openWorkbench(browser, srv.url());
      context = wb.context;
      await tally.check('VSIX: with spanlens.collector.autoStart, the dev collector starts with the window and accepts OTLP/HTTP', async () => {
        const item = wb.page.locator('.part.statusbar .statusbar-item').filter({ hasText: /Collector :\d+/ }).first();
        await item.waitFor({ state: 'visible', timeout: 30_000 });
        const text = (await item.textContent()) ?? '';
        const port = Number(/Collector :(\d+)/.exec(text)?.[1]);
        const body = JSON.stringify({ resourceSpans: [] });
        const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (res.status !== 200) throw new Error(`POST /v1/traces on :${port} (status bar "${text.trim()}") answered ${res.status}`);
      });
      const e = expectations.files[0];
      await tally.check(`VSIX: the installed extension opens ${e.file} and shows its waterfall`, async () => {
        const frame = await openTrace(wb.page, e.file, 'default');
        await ensureWaterfall(frame);
        const rows = await visibleRows(frame);
        if (rows[0]?.name !== e.rootName) throw new Error(`first row is ${JSON.stringify(rows[0]?.name)}, expected ${e.rootName}`);
      });
    } finally {
      await context?.close().catch(() => {});
      await srv.stop({ keepTmp: keep });
    }
  } finally {
    fs.rmSync(extDir, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  const tally = new Tally();
  const timings = [];
  let browser;
  try {
    await phase('install code-server (skipped when present)', timings, async () => ensureInstalled());
    if (!skipBuild) {
      await phase('build (node esbuild.js && node esbuild.js --tests)', timings, async () => {
        run('node', ['esbuild.js'], 'node esbuild.js');
        run('node', ['esbuild.js', '--tests'], 'node esbuild.js --tests');
      });
    }
    browser = await launchBrowser();
    const phases = [
      ['suite', 'integration suite in the extension host', runSuite],
      ['ui', 'UI checks with Playwright', runUi],
      ['vsix', 'VSIX package, install and use', runVsix],
    ];
    for (const [key, title, fn] of phases) {
      if (!only.has(key)) continue;
      await phase(title, timings, async () => {
        try {
          await fn(tally, browser);
        } catch (err) {
          // The phase could not run to the end (server or browser trouble): one failure, keep going.
          tally.fail(`${title} (phase aborted)`, err);
        }
      });
    }
  } catch (err) {
    tally.fail('harness', err);
  } finally {
    await browser?.close().catch(() => {});
  }
  console.log('\nPhase timings:');
  for (const t of timings) console.log(`  ${t.name.padEnd(52)} ${t.seconds.toFixed(1).padStart(6)} s`);
  console.log(`  ${'total'.padEnd(52)} ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`);
  if (tally.failures.length) {
    console.log('\nFailures:');
    for (const f of tally.failures) console.log(`  - ${f.name}: ${f.message.split('\n')[0]}`);
  }
  if (tally.skipped) console.log(`${tally.skipped} skipped`);
  console.log(tally.summary());
  process.exitCode = tally.failed > 0 || tally.passed === 0 ? 1 : 0;
}

main();
