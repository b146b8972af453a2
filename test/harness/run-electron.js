#!/usr/bin/env node
// `npm run test:electron`: the same mocha suite (dist/test/suite/index.js) in desktop VS Code through
// @vscode/test-electron. It downloads VS Code from update.code.visualstudio.com, which machines with
// only the npm registry cannot reach; there `npm run test:integration` (code-server) runs the suite.
// Env: SPANLENS_VSCODE_EXECUTABLE=/path/to/code uses a local VS Code instead of downloading one.
// On Linux without a display, run it under xvfb-run.
'use strict';
const fs = require('fs');
const path = require('path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SUITE_ENTRY = path.join(REPO_ROOT, 'dist', 'test', 'suite', 'index.js');
const DEMO = path.join(REPO_ROOT, 'test', 'demo-workspace');
const RESULTS = path.join(REPO_ROOT, 'test-results', 'electron-results.json');

async function main() {
  if (!fs.existsSync(SUITE_ENTRY)) {
    console.error(`${SUITE_ENTRY} is missing: run node esbuild.js && node esbuild.js --tests first.`);
    return 1;
  }
  const { runTests } = require('@vscode/test-electron');
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.rmSync(RESULTS, { force: true });
  fs.rmSync(`${RESULTS}.log`, { force: true });
  const options = {
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: SUITE_ENTRY,
    // Other extensions off, no trust prompt, the sample traces as the workspace.
    launchArgs: [DEMO, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { SPANLENS_TEST_RESULTS: RESULTS, SPANLENS_DEMO_WORKSPACE: DEMO },
  };
  if (process.env.SPANLENS_VSCODE_EXECUTABLE) options.vscodeExecutablePath = process.env.SPANLENS_VSCODE_EXECUTABLE;
  else options.version = process.env.SPANLENS_VSCODE_VERSION ?? 'stable';

  let exitCode;
  try {
    exitCode = await runTests(options);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (!fs.existsSync(RESULTS) && !process.env.SPANLENS_VSCODE_EXECUTABLE && /download|fetch|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|getaddrinfo|network|socket|certificate|status code/i.test(msg)) {
      console.error(
        '\n@vscode/test-electron could not download VS Code:\n  ' + msg.split('\n')[0] +
          '\nThis machine cannot reach update.code.visualstudio.com (expected where only the npm registry is reachable).' +
          '\nRun the same suite in a real VS Code with `npm run test:integration` (code-server + Chromium),' +
          '\nor point SPANLENS_VSCODE_EXECUTABLE at an installed VS Code binary.',
      );
      return 2;
    }
    console.error(`VS Code test run failed: ${msg}`);
    exitCode = 1;
  }
  if (fs.existsSync(RESULTS)) {
    const r = JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
    for (const t of r.tests.filter((x) => x.state === 'failed')) console.log(`  FAIL  ${t.title}\n        ${(t.error ?? '').split('\n')[0]}`);
    if (r.pending) console.log(`${r.pending} skipped`);
    console.log(`${r.passed} passed, ${r.failed} failed`);
    return r.failed > 0 || exitCode !== 0 ? 1 : 0;
  }
  console.log('0 passed, 1 failed');
  return 1;
}

main().then((code) => (process.exitCode = code));
