// source-map 0.7 reads mappings.wasm from the directory of the bundle that contains it (its node
// build ignores SourceMapConsumer.initialize). esbuild.js copies the file to dist/ for the product
// bundles; test bundles live in dist/test/<suite>/, so put a copy next to them before any lookup.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

export function ensureSourceMapWasm(): void {
  const target = path.join(__dirname, 'mappings.wasm');
  if (fs.existsSync(target)) return;
  fs.copyFileSync(path.join(REPO_ROOT, 'node_modules', 'source-map', 'lib', 'mappings.wasm'), target);
}
