// Trace and run comparison in the catalog's worker (src/core/catalog/compare.ts): the diff rows a
// view asks for, the changed-only view, the baseline's lens annotations and regressions, on the
// compare fixtures (test/fixtures/compare); plus the diff protocol's validator and the row texts.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { BaselineRun, TraceDiffs } from '../../src/core/catalog/compare';
import { DEFAULT_TOLERANCE } from '../../src/core/diff';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { Trace } from '../../src/core/model/model';
import { LatencyIndex } from '../../src/core/source';
import { baselineNote, lensTitle } from '../../src/host/source/latencyFormat';
import { parseDiffWebviewMessage } from '../../src/shared/diffProtocol';
import { deltaText } from '../../webview/diff/diffFormat';
import { FIXTURES } from '../support/paths';

const DIR = path.join(FIXTURES, 'compare');

function load(name: string): Trace {
  return importTraceFile(new Uint8Array(fs.readFileSync(path.join(DIR, name))), { fileName: name }).traces[0];
}

/** Sites as the editor resolves them, without symbols: file + function name (the recorded one). */
function index(): LatencyIndex {
  return new LatencyIndex((raw) => (raw.file ? { file: raw.file, line: 1, function: raw.function ?? raw.spanName } : undefined));
}

describe('comparison in the catalog worker', () => {
  const base = load('base.otlp.json');
  const cand = load('cand.otlp.json');

  it('serves the diff by row windows, classified and measured, and a changed-only view', () => {
    const diffs = new TraceDiffs();
    const { diffId, header } = diffs.create({ trace: base, source: 'base.otlp.json' }, { trace: cand, source: 'cand.otlp.json' }, DEFAULT_TOLERANCE);
    assert.deepStrictEqual(header.counts, { added: 3, removed: 2, slower: 3, faster: 2, unchanged: 4 });
    assert.strictEqual(header.rowCount, 14);
    assert.strictEqual(header.changedViewCount, 10);
    assert.strictEqual(header.thresholdPct, 20);
    const all = diffs.rows(diffId, false, 0, 1000);
    assert.strictEqual(all.total, 14);
    const byName = (n: string) => all.rows.filter((r) => r.name === n);
    assert.strictEqual(byName('charge card')[0].change, 'slower');
    assert.strictEqual(byName('charge card')[0].deltaNs, 40e6);
    assert.strictEqual(byName('charge card')[0].deltaPct, 100);
    assert.deepStrictEqual(byName('price item').map((r) => r.change), ['unchanged', 'unchanged', 'unchanged', 'added']);
    assert.strictEqual(byName('legacy audit')[0].candidateSpan, -1);
    assert.strictEqual(byName('legacy audit')[0].candidateNs, null);
    assert.strictEqual(byName('score order')[0].baselineSpan, -1);
    assert.strictEqual(all.rows[0].changedDescendants, 9);
    assert.ok(all.rows[0].baselineCritical && all.rows[0].candidateCritical);
    // A window in the middle, and past the end.
    assert.deepStrictEqual(diffs.rows(diffId, false, 5, 7).rows.map((r) => r.row), [5, 6]);
    assert.strictEqual(diffs.rows(diffId, false, 20, 30).rows.length, 0);
    const changed = diffs.rows(diffId, true, 0, 1000);
    assert.strictEqual(changed.total, 10);
    assert.ok(changed.rows.every((r) => r.change !== 'unchanged' || r.changedDescendants > 0), JSON.stringify(changed.rows.map((r) => [r.name, r.change])));
    assert.ok(!changed.rows.some((r) => r.name === 'load cart'));
    diffs.close(diffId);
    assert.throws(() => diffs.rows(diffId, false, 0, 1), /closed/);
  });

  it('annotates the lens figures with the baseline and lists regressions worst first', async () => {
    const run = new BaselineRun();
    const info = await run.set('base.otlp.json', 'file', [{ trace: base, source: 'file:///base.otlp.json' }], index());
    assert.strictEqual(info.traces, 1);
    assert.deepStrictEqual([...run.traceIds], [base.traceId]);
    const current = index();
    await current.add(cand, 'file:///cand.otlp.json');
    const annotated = run.annotate(current.functionsInFile('/srv/shop/src/checkout.ts'), DEFAULT_TOLERANCE);
    const f = (name: string) => annotated.find((x) => x.function === name)!;
    assert.strictEqual(f('chargeCard').vsBaseline?.change, 'regressed');
    assert.strictEqual(f('chargeCard').vsBaseline?.deltaP50Ms, 40);
    assert.strictEqual(f('loadCart').vsBaseline?.change, 'unchanged');
    assert.strictEqual(f('queryInventory').vsBaseline?.change, 'improved');
    assert.strictEqual(f('fraudCheck').vsBaseline?.change, 'added');
    assert.match(lensTitle(f('chargeCard'), ['p50', 'count']), /^p50 80 ms \(\+100% vs baseline\) · 1 call$/);
    assert.match(lensTitle(f('queryInventory'), ['p50']), /^p50 10 ms \(-67% vs baseline\)$/);
    assert.strictEqual(baselineNote(f('loadCart').vsBaseline), '(≈ baseline)');
    assert.strictEqual(baselineNote(f('fraudCheck').vsBaseline), '(new vs baseline)');
    const regressions = run.regressions(current, DEFAULT_TOLERANCE);
    assert.deepStrictEqual(regressions.map((e) => e.function), ['chargeCard', 'handleCheckout', 'GET /rates']);
    assert.strictEqual(regressions[2].kind, 'operation');
    assert.strictEqual(run.worstOf(regressions[2].key)?.traceId, base.traceId);
    assert.strictEqual(run.worstOf(regressions[0].key)?.source, 'file:///base.otlp.json');
    run.clear();
    assert.strictEqual(run.annotate(current.functionsInFile('/srv/shop/src/checkout.ts'), DEFAULT_TOLERANCE)[0].vsBaseline, undefined);
    assert.deepStrictEqual(run.regressions(current, DEFAULT_TOLERANCE), []);
  });

  it('validates the diff webview messages and formats deltas', () => {
    assert.deepStrictEqual(parseDiffWebviewMessage({ type: 'request', requestId: 3, method: 'rows', params: { changedOnly: true, start: 0, end: 200 } }), {
      type: 'request',
      requestId: 3,
      method: 'rows',
      params: { changedOnly: true, start: 0, end: 200 },
    });
    assert.strictEqual(parseDiffWebviewMessage({ type: 'request', requestId: 3, method: 'rows', params: { changedOnly: true, start: 0, end: 5000 } }), undefined);
    assert.strictEqual(parseDiffWebviewMessage({ type: 'request', requestId: 3, method: 'rows', params: { changedOnly: 'yes', start: 0, end: 1 } }), undefined);
    assert.strictEqual(parseDiffWebviewMessage({ type: 'goToSource', side: 'left', spanIndex: 1 }), undefined);
    assert.deepStrictEqual(parseDiffWebviewMessage({ type: 'goToSource', side: 'baseline', spanIndex: 1, extra: '<b>' }), { type: 'goToSource', side: 'baseline', spanIndex: 1 });
    assert.strictEqual(parseDiffWebviewMessage({ type: 'rendered', changedOnly: false, total: 1, rows: [{ row: 0, name: 1 }] }), undefined);
    assert.strictEqual(parseDiffWebviewMessage({ type: 'spanDetail' }), undefined);
    assert.strictEqual(parseDiffWebviewMessage(null), undefined);
    assert.strictEqual(deltaText({ deltaNs: 40e6, deltaPct: 100 }), '+40 ms (+100%)');
    assert.strictEqual(deltaText({ deltaNs: -20e6, deltaPct: -66.66 }), '-20 ms (-67%)');
    assert.strictEqual(deltaText({ deltaNs: 1e5, deltaPct: 2.5 }), '+100 µs (+2.5%)');
    assert.strictEqual(deltaText({ deltaNs: null, deltaPct: null }), '—');
    assert.strictEqual(deltaText({ deltaNs: 0, deltaPct: 0 }), '±0');
  });
});
