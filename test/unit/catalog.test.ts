// The trace catalog in its real worker thread (dist/spanlens.worker.js): one copy per source,
// views answered by the worker, the statistics' counting rule, cancelling a load, a worker that
// dies, and the dev collector living next to the catalog.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CatalogCallError, CatalogClient, WorkerStoppedError } from '../../src/core/catalog/client';
import { LIVE_SOURCE } from '../../src/core/catalog/liveFeed';
import { startCollector } from '../../src/core/collector';
import type { RawCodeSite } from '../../src/core/source';
import { generateSpans, toOtlpJsonBytes } from '../support/generate';
import { exportSpans, makeExporter, makeSdkSpans } from '../support/otelSend';
import { REPO_ROOT } from '../support/paths';
import type { SearchResultDto, SpanDetailDto } from '../../src/shared/protocol';

const WORKER = path.join(REPO_ROOT, 'dist', 'spanlens.worker.js');
const DEMO = path.join(REPO_ROOT, 'test', 'demo-workspace');

/** Resolves every recorded site to itself, so each span with a code.* location is counted. */
const host = { resolveSite: async (s: RawCodeSite) => ({ file: s.file ?? 'unknown', line: s.line, function: s.function ?? s.spanName }) };
const fileSpec = (file: string, key = `file://${file}`) => ({ kind: 'file' as const, path: file, fileName: path.basename(file), key });

describe('trace catalog (worker thread)', function () {
  this.timeout(60_000);
  let tmp: string;
  let client: CatalogClient;

  before(function () {
    if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: run "node esbuild.js" first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-catalog-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => (client = new CatalogClient({ workerScript: WORKER, host })));
  afterEach(() => client.dispose());

  it('opens a file once for every view of it and answers the views from the worker', async () => {
    const file = path.join(DEMO, 'checkout.otlp.json');
    const progress: number[] = [];
    const a = await client.open(fileSpec(file), (p) => progress.push(p.bytesDone)).done;
    const b = await client.open(fileSpec(file)).done;
    assert.strictEqual(a.formatLabel, 'OTLP JSON');
    assert.strictEqual(a.spanCount, 12);
    assert.strictEqual(progress.at(-1), fs.statSync(file).size);
    assert.notStrictEqual(a.sessionId, b.sessionId);
    const wf = await client.call('waterfall', a.sessionId, 0);
    assert.strictEqual(wf.rowCount, 12);
    const detail = (await client.call('request', b.sessionId, 'spanDetail', { traceIndex: 0, spanIndex: wf.spanIndex[0] })) as SpanDetailDto;
    assert.strictEqual(detail.name, a.traces[0].rootName);
    const found = (await client.call('request', a.sessionId, 'search', { traceIndex: 0, query: { text: detail.name } })) as SearchResultDto;
    assert.ok(found.rows.length >= 1);
    // One source in the statistics, however many views show it.
    const info = await client.call('statsInfo');
    assert.deepStrictEqual(info.sources, [`file://${file}`]);
    assert.strictEqual(info.spans, 12);
    // The source goes with its last view.
    await client.call('closeSession', a.sessionId);
    assert.strictEqual((await client.call('statsInfo')).spans, 12);
    await client.call('closeSession', b.sessionId);
    assert.deepStrictEqual((await client.call('statsInfo')).sources, []);
  });

  it('a span is handed over as plain data, attributes and events decoded', async () => {
    const a = await client.open(fileSpec(path.join(DEMO, 'checkout.otlp.json'))).done;
    const s = await client.call('span', a.sessionId, 0, 0);
    assert.ok(s.attributes.length > 0 && typeof s.attributes[0].key === 'string');
    assert.strictEqual(typeof s.startTimeUnixNano, 'bigint');
    assert.ok(s.resource.serviceName);
  });

  it('counts a trace id once across sources, and gives it to the next source when its owner closes', async () => {
    const orig = path.join(DEMO, 'checkout.otlp.json');
    const copy = path.join(tmp, 'copy.otlp.json');
    fs.copyFileSync(orig, copy);
    const a = await client.open(fileSpec(orig)).done;
    const before = await client.call('statsInfo');
    const b = await client.open(fileSpec(copy)).done;
    const both = await client.call('statsInfo');
    assert.strictEqual(both.spans, before.spans, 'the copy adds no spans');
    assert.strictEqual(both.duplicateTraces, 1);
    await client.call('closeSession', a.sessionId);
    const after = await client.call('statsInfo');
    assert.strictEqual(after.spans, before.spans, 'the copy now counts the trace');
    assert.deepStrictEqual(after.sources, [`file://${copy}`]);
    await client.call('closeSession', b.sessionId);
  });

  it('names a bad file with the error view the waterfall shows', async () => {
    const bad = path.join(DEMO, 'broken', 'missing-comma.otlp.json');
    await assert.rejects(client.open(fileSpec(bad)).done, (e: unknown) => {
      assert.ok(e instanceof CatalogCallError && !e.cancelled);
      const view = e.errorView as { fileName: string; locationText: string };
      assert.strictEqual(view.fileName, 'missing-comma.otlp.json');
      assert.match(view.locationText, /line \d+/);
      return true;
    });
    assert.deepStrictEqual((await client.call('statsInfo')).sources, []);
  });

  it('cancels a load: the call says so and nothing of it stays in the catalog', async () => {
    const big = path.join(tmp, 'big.otlp.json');
    fs.writeFileSync(big, toOtlpJsonBytes(generateSpans({ spans: 20_000, seed: 3 })));
    const load = client.open(fileSpec(big));
    load.cancel();
    await assert.rejects(load.done, (e: unknown) => e instanceof CatalogCallError && e.cancelled);
    assert.deepStrictEqual((await client.call('statsInfo')).sources, []);
    // And the same file still opens afterwards.
    const again = await client.open(fileSpec(big)).done;
    assert.strictEqual(again.spanCount, 20_000);
  });

  it('survives its worker running out of memory: calls fail with a clear reason, the next call starts afresh', async () => {
    const big = path.join(tmp, 'oom.otlp.json');
    fs.writeFileSync(big, toOtlpJsonBytes(generateSpans({ spans: 60_000, seed: 4 })));
    // A heap limit the 60k spans' model does not fit in (the file's bytes are kept outside the heap).
    const small = new CatalogClient({ workerScript: WORKER, host, maxHeapMB: 32 });
    const stops: string[] = [];
    small.onDidStop((r) => stops.push(r));
    try {
      await assert.rejects(small.open(fileSpec(big)).done, (e: unknown) => e instanceof WorkerStoppedError && /memory/i.test(e.message));
      assert.strictEqual(stops.length, 1);
      const ok = await small.open(fileSpec(path.join(DEMO, 'checkout.otlp.json'))).done;
      assert.strictEqual(ok.spanCount, 12);
    } finally {
      await small.dispose();
    }
  });

  it('holds the dev collector: a collected trace opened in a view leaves the statistics as they were', async function () {
    const collector = await startCollector({ host: '127.0.0.1', httpPort: 0, grpcPort: null, zipkinPort: null, via: (port) => client.serveCollector(port) });
    try {
      await exportSpans(makeExporter('http/protobuf', collector.ports), makeSdkSpans(3, 5));
      let summaries = await collector.store.summaries();
      for (let i = 0; i < 50 && summaries.length < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
        summaries = await collector.store.summaries();
      }
      assert.strictEqual(summaries.length, 3);
      // The live feed indexes settled traces (2 s without new spans).
      let info = await client.call('statsInfo');
      for (let i = 0; i < 60 && info.spans < 15; i++) {
        await new Promise((r) => setTimeout(r, 200));
        info = await client.call('statsInfo');
      }
      assert.strictEqual(info.spans, 15);
      assert.deepStrictEqual(info.sources, [LIVE_SOURCE]);
      const id = summaries[0].traceId;
      const view = await client.open({ kind: 'collected', traceId: id, key: `collected:${id}` }).done;
      assert.strictEqual(view.spanCount, 5);
      assert.strictEqual((await client.call('waterfall', view.sessionId, 0)).rowCount, 5);
      const after = await client.call('statsInfo');
      assert.strictEqual(after.spans, 15);
      assert.strictEqual(after.version, info.version);
    } finally {
      await collector.stop();
    }
  });
});
