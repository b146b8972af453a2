// Builds the collector's worker bundle (and the `spanlens` CLI beside it) for tests and the
// benchmark. `node esbuild.js --tests` bundles only tests, so the product's dist/collector.worker.js
// may be missing or stale; building it here from the current sources keeps tests honest.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

export const COLLECTOR_TEST_DIST = path.join(REPO_ROOT, 'dist', 'test', 'collector');

let built: { workerScript: string; collectCli: string } | undefined;

/** Builds once per process; returns the worker script and the CLI (`node <collectCli> collect [args]`). */
export function buildCollectorBundles(): { workerScript: string; collectCli: string } {
  if (built) return built;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const esbuild = require('esbuild') as typeof import('esbuild');
  fs.mkdirSync(COLLECTOR_TEST_DIST, { recursive: true });
  const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node20', sourcemap: 'inline' as const, logLevel: 'error' as const, external: ['vscode'] };
  const workerScript = path.join(COLLECTOR_TEST_DIST, 'collector.worker.js');
  esbuild.buildSync({ ...common, entryPoints: [path.join(REPO_ROOT, 'src/core/workers/collector.worker.ts')], outfile: workerScript });
  // The real CLI entry (src/cli/main.ts dispatches `collect` to runCollect), next to the worker
  // bundle as dist/cli.js sits next to dist/collector.worker.js. Run it as `node <cli> collect ...`.
  const collectCli = path.join(COLLECTOR_TEST_DIST, 'cli.js');
  esbuild.buildSync({ ...common, entryPoints: [path.join(REPO_ROOT, 'src/cli/main.ts')], outfile: collectCli });
  built = { workerScript, collectCli };
  return built;
}
