// Builds the collector's worker bundle (and a tiny `spanlens collect` entry) for tests and the
// benchmark. `node esbuild.js --tests` bundles only tests, so the product's dist/collector.worker.js
// may be missing or stale; building it here from the current sources keeps tests honest.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './paths';

export const COLLECTOR_TEST_DIST = path.join(REPO_ROOT, 'dist', 'test', 'collector');

let built: { workerScript: string; collectCli: string } | undefined;

/** Builds once per process; returns the worker script and a `node <collectCli> [args]` entry. */
export function buildCollectorBundles(): { workerScript: string; collectCli: string } {
  if (built) return built;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const esbuild = require('esbuild') as typeof import('esbuild');
  fs.mkdirSync(COLLECTOR_TEST_DIST, { recursive: true });
  const common = { bundle: true, platform: 'node' as const, format: 'cjs' as const, target: 'node20', sourcemap: 'inline' as const, logLevel: 'error' as const, external: ['vscode'] };
  const workerScript = path.join(COLLECTOR_TEST_DIST, 'collector.worker.js');
  esbuild.buildSync({ ...common, entryPoints: [path.join(REPO_ROOT, 'src/core/workers/collector.worker.ts')], outfile: workerScript });
  // Until `collect` is wired into src/cli/main.ts: the same runCollect, as its own entry. It sits
  // next to the worker bundle, where runCollect looks for it.
  const collectCli = path.join(COLLECTOR_TEST_DIST, 'collect-cli.js');
  esbuild.buildSync({
    ...common,
    stdin: {
      contents: `import { runCollect } from './src/cli/collect';\nrunCollect(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`,
      resolveDir: REPO_ROOT,
      loader: 'ts',
      sourcefile: 'collect-cli.ts',
    },
    outfile: collectCli,
  });
  built = { workerScript, collectCli };
  return built;
}
