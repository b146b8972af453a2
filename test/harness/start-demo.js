#!/usr/bin/env node
// `npm start`: VS Code in the browser (code-server on 127.0.0.1) with Spanlens loaded from this working
// tree and test/demo-workspace (one sample trace per format) open. Runs until Ctrl+C.
// `npm start` builds first; run this file directly with --build to build here.
// Env: PORT (default 8080; a free port is used when it is taken).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { REPO_ROOT, startCodeServer, portInUse, freePort } = require('./code-server');
const { ensureLargeSample } = require('./large-sample');

const DEMO = path.join(REPO_ROOT, 'test', 'demo-workspace');

async function main() {
  if (process.argv.includes('--build') || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    const r = spawnSync('node', ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const large = ensureLargeSample(20_000); // a big trace to scroll, made by the OpenTelemetry SDK
  const wanted = Number(process.env.PORT ?? 8080);
  const port = (await portInUse(wanted)) ? await freePort() : wanted;
  if (port !== wanted) console.log(`port ${wanted} is in use; using ${port}`);

  const srv = await startCodeServer({ workspace: DEMO, port, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  const url = srv.url({ payload: [['extensionDevelopmentPath', srv.remoteUri(REPO_ROOT)], ['skipWelcome', 'true']] });
  console.log(`
Spanlens demo: VS Code (code-server) with the extension loaded from ${REPO_ROOT}
and the sample traces of test/demo-workspace open. Open this URL in a browser:

  ${url}

(The URL carries the extensionDevelopmentPath as a vscode-remote://127.0.0.1:${port} URI: open it with
that exact host and port; the plain ${srv.baseUrl}/ has no Spanlens.)
Files named *.otlp.json / *.otlp.jsonl / *.otlp.binpb / *.jaeger.json / *.zipkin.json open in the
waterfall; for other .json files use "Reopen Editor With…" or the explorer's "Open with Spanlens".
${large.rel} holds ${large.spanCount} generated spans.
After a rebuild (npm run build), reload the page. Server log: ${srv.logFile}
Ctrl+C stops the server.`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server...');
    await srv.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Keep running; report if the server dies on its own.
  const timer = setInterval(() => {
    if (srv.hasExited() && !stopping) {
      console.error(`code-server exited; see ${srv.logFile}`);
      clearInterval(timer);
      process.exit(1);
    }
  }, 1000);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
