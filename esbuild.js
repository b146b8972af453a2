// Builds the three product bundles (extension host, webview, CLI) and, with --tests, the unit tests,
// the integration suite and the benchmarks. One script so that every bundle shares the same settings.
'use strict';
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
const root = __dirname;
const dist = path.join(root, 'dist');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
  legalComments: 'none',
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // `vscode` is provided by the extension host at run time.
  external: ['vscode'],
};

/** Recursively lists files under dir whose names end with one of the suffixes. */
function listFiles(dir, suffixes) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, suffixes));
    else if (suffixes.some((s) => entry.name.endsWith(s))) out.push(full);
  }
  return out;
}

// source-map resolves mappings.wasm next to the bundle that loads it (see src/core/sourcemap).
function copyWasmTo(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(require.resolve('source-map/lib/mappings.wasm'), path.join(dir, 'mappings.wasm'));
}

function copyWasm() {
  copyWasmTo(dist);
}

function productConfigs() {
  return [
    {
      ...nodeCommon,
      entryPoints: { extension: path.join(root, 'src/host/extension.ts') },
      outdir: dist,
    },
    {
      ...nodeCommon,
      entryPoints: { cli: path.join(root, 'src/cli/main.ts') },
      outdir: dist,
      banner: { js: '#!/usr/bin/env node' },
    },
    {
      ...nodeCommon,
      // Worker threads load their own bundle file (core code only, no vscode).
      entryPoints: listFiles(path.join(root, 'src/core/workers'), ['.worker.ts']).reduce((acc, f) => {
        acc[path.basename(f, '.ts')] = f;
        return acc;
      }, {}),
      outdir: dist,
    },
    {
      ...common,
      platform: 'browser',
      format: 'iife',
      // main: the waterfall; diff: the trace comparison (issue 11). Each gets its .js and .css.
      entryPoints: { main: path.join(root, 'webview/main.ts'), diff: path.join(root, 'webview/diff/main.ts') },
      outdir: path.join(dist, 'webview'),
      loader: { '.css': 'css' },
    },
  ].filter((c) => Object.keys(c.entryPoints).length > 0);
}

function testConfigs() {
  const unit = listFiles(path.join(root, 'test/unit'), ['.test.ts']);
  const suite = listFiles(path.join(root, 'test/integration'), ['.ts']);
  const bench = listFiles(path.join(root, 'test/bench'), ['.ts']);
  const harnessTs = listFiles(path.join(root, 'test/harness'), ['.ts']);
  const cfgs = [];
  const node = { ...nodeCommon, sourcemap: 'inline', minify: false, external: ['vscode', 'playwright-core', 'mocha', 'esbuild'] };
  if (unit.length) cfgs.push({ ...node, entryPoints: unit, outdir: path.join(dist, 'test/unit'), outbase: path.join(root, 'test/unit') });
  if (suite.length) cfgs.push({ ...node, entryPoints: suite, outdir: path.join(dist, 'test/suite'), outbase: path.join(root, 'test/integration') });
  if (bench.length) cfgs.push({ ...node, entryPoints: bench, outdir: path.join(dist, 'test/bench'), outbase: path.join(root, 'test/bench') });
  if (harnessTs.length) cfgs.push({ ...node, entryPoints: harnessTs, outdir: path.join(dist, 'test/harness'), outbase: path.join(root, 'test/harness') });
  return cfgs;
}

async function main() {
  copyWasm();
  const configs = tests ? testConfigs() : productConfigs();
  if (watch) {
    for (const c of configs) (await esbuild.context(c)).watch();
    console.log('[esbuild] watching');
    return;
  }
  await Promise.all(configs.map((c) => esbuild.build(c)));
  // source-map's node build reads mappings.wasm from the directory of the running bundle.
  if (tests) for (const c of configs) if (fs.existsSync(c.outdir)) copyWasmTo(c.outdir);
  if (!tests) fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
