// Entry point of the integration suite, loaded by the real extension host: code-server here
// (test/harness/run-code-server.js) or desktop VS Code through @vscode/test-electron
// (test/harness/run-electron.js). Both call `run()`, the extensionTestsPath contract.
//
// Results go as JSON to $SPANLENS_TEST_RESULTS (and one line per test to <that>.log as they happen),
// because the extension host's console is not visible to the harness that started the server.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
  /** Values the webview reported per file (e.g. firstRenderMs), for the harness to print. */
  metrics: Record<string, Record<string, number>>;
}

/** activation.test.js must run first: it checks that nothing activated the extension yet. */
function rank(file: string): number {
  return file.startsWith('activation.') ? 0 : file.startsWith('corpus.') ? 2 : 1;
}

export function run(): Promise<void> {
  const resultsFile = process.env.SPANLENS_TEST_RESULTS;
  const progress = (line: string) => {
    if (resultsFile) fs.appendFileSync(`${resultsFile}.log`, line + '\n');
  };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  if (process.env.SPANLENS_TEST_GREP) mocha.grep(process.env.SPANLENS_TEST_GREP);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const started = Date.now();
  const tests: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const finish = (failures: number) => {
      const results: SuiteResults = {
        passed: tests.filter((t) => t.state === 'passed').length,
        failed: tests.filter((t) => t.state === 'failed').length,
        pending: tests.filter((t) => t.state === 'pending').length,
        durationMs: Date.now() - started,
        tests,
        metrics: ((globalThis as Record<string, unknown>).__spanlensMetrics as SuiteResults['metrics']) ?? {},
      };
      if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    };
    try {
      const runner = mocha.run(finish);
      runner.on('pass', (t) => {
        tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration });
        progress(`  ok   ${t.fullTitle()}`);
      });
      runner.on('fail', (t, err: Error) => {
        tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) });
        progress(`  FAIL ${t.fullTitle()}: ${err?.message ?? err}`);
      });
      runner.on('pending', (t) => {
        tests.push({ title: t.fullTitle(), state: 'pending' });
        progress(`  skip ${t.fullTitle()}`);
      });
    } catch (err) {
      // A test file that throws while loading: report it as a failure rather than hanging the harness.
      tests.push({ title: 'loading the integration suite', state: 'failed', error: err instanceof Error ? err.stack : String(err) });
      finish(1);
    }
  });
}
