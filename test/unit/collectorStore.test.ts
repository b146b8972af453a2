// The live store (assembly by trace id, lazy rebuilds, bounded memory with whole-trace eviction)
// and the output-file appender, without any server.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LiveStore } from '../../src/core/collector/store';
import { LineAppender } from '../../src/core/collector/appender';
import { SpanIssue } from '../../src/core/model/model';
import { span } from '../support/spanFactory';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

function spansOf(traceId: string, n: number, service = 'svc') {
  return Array.from({ length: n }, (_, i) => span({ traceId, id: `${traceId.slice(0, 1)}${String(i).padStart(15, '0')}`, parent: i ? `${traceId.slice(0, 1)}${'0'.repeat(15)}` : undefined, start: i * 10, end: 1000 - i, service }));
}

describe('collector live store', () => {
  it('assembles a trace from batches of several services arriving out of order', () => {
    const store = new LiveStore(1000);
    const root = span({ traceId: A, id: 'r', start: 0, end: 100, name: 'GET /', service: 'frontend' });
    const mid = span({ traceId: A, id: 'm', parent: 'r', start: 10, end: 90, service: 'cart' });
    const leaf = span({ traceId: A, id: 'l', parent: 'm', start: 20, end: 30, service: 'db' });
    store.add([leaf]);
    assert.strictEqual(store.getTrace(A)!.issues[0] & SpanIssue.Orphan, SpanIssue.Orphan, 'while its parent is missing the leaf shows as an orphan');
    store.add([span({ traceId: B, id: 'x', start: 0, end: 5 })]);
    store.add([mid]);
    store.add([root]);
    const t = store.getTrace(A)!;
    assert.strictEqual(t.spans.length, 3);
    assert.strictEqual(t.rootName, 'GET /');
    assert.deepStrictEqual(t.services, ['cart', 'db', 'frontend']);
    assert.ok(t.issues.every((f) => f === 0), 'no orphans once every span arrived');
    assert.strictEqual(store.spanCount, 4);
    assert.strictEqual(store.traceCount, 2);
  });

  it('rebuilds a trace only when it changed', () => {
    const store = new LiveStore(1000);
    store.add(spansOf(A, 3));
    store.add(spansOf(B, 2));
    const a1 = store.getTrace(A);
    const b1 = store.getTrace(B);
    store.add([span({ traceId: B, id: 'extra', parent: 'b000000000000000', start: 1, end: 2 })]);
    assert.strictEqual(store.getTrace(A), a1, 'A did not change: same object');
    const b2 = store.getTrace(B)!;
    assert.notStrictEqual(b2, b1);
    assert.strictEqual(b2.spans.length, 3);
    assert.strictEqual(b1!.spans.length, 2, 'an earlier snapshot keeps its own spans');
  });

  it('keeps every span while under maxSpans', () => {
    const store = new LiveStore(500);
    const all = [...spansOf(A, 200), ...spansOf(B, 150), ...spansOf(C, 150)];
    // Interleaved batches of 7, in reverse order.
    const rev = all.slice().reverse();
    for (let i = 0; i < rev.length; i += 7) store.add(rev.slice(i, i + 7));
    assert.strictEqual(store.spanCount, 500);
    assert.strictEqual(store.evicting, false);
    assert.strictEqual(store.toTraceFile().spanCount, 500);
    assert.deepStrictEqual(
      store.toTraceFile().traces.map((t) => [t.traceId, t.spans.length]).sort(),
      [
        [A, 200],
        [B, 150],
        [C, 150],
      ],
    );
  });

  it('evicts the least recently updated traces whole past maxSpans, and says when eviction starts', () => {
    const store = new LiveStore(10);
    store.add(spansOf(A, 4));
    store.add(spansOf(B, 4));
    store.takeChanges();
    // A receives a span: B is now the least recently updated.
    store.add([span({ traceId: A, id: 'late', parent: 'a000000000000000', start: 5, end: 6 })]);
    const evicted = store.add(spansOf(C, 4));
    assert.deepStrictEqual(evicted, [B]);
    assert.strictEqual(store.spanCount, 9);
    assert.ok(!store.has(B) && store.has(A) && store.has(C));
    assert.strictEqual(store.getTrace(A)!.spans.length, 5, 'the surviving trace is whole');
    assert.strictEqual(store.evicting, true);
    assert.strictEqual(store.evictedTraces, 1);
    assert.strictEqual(store.evictedSpans, 4);
    const changes = store.takeChanges();
    assert.strictEqual(changes.evictionStarted, true);
    assert.deepStrictEqual(changes.evicted, [B]);
    assert.deepStrictEqual(changes.changed.sort(), [A, C]);
    store.add(spansOf('d'.repeat(32), 4));
    assert.strictEqual(store.takeChanges().evictionStarted, false, 'reported once');
  });

  it('a trace larger than maxSpans on its own is evicted too (the bound is strict)', () => {
    const store = new LiveStore(5);
    store.add(spansOf(A, 6));
    assert.strictEqual(store.spanCount, 0);
    assert.strictEqual(store.evictedSpans, 6);
  });

  it('lists summaries newest first and reports changes since the last call', () => {
    const store = new LiveStore(100);
    store.add(spansOf(A, 2, 'one'), 1000);
    store.add(spansOf(B, 3, 'two'), 2000);
    const s = store.summaries();
    assert.deepStrictEqual(
      s.map((x) => [x.traceId, x.spanCount, x.rootService, x.lastReceivedMs]),
      [
        [B, 3, 'two', 2000],
        [A, 2, 'one', 1000],
      ],
    );
    assert.deepStrictEqual(store.takeChanges().changed.sort(), [A, B]);
    assert.strictEqual(store.hasChanges, false);
    store.clear();
    assert.strictEqual(store.takeChanges().cleared, true);
    assert.strictEqual(store.summaries().length, 0);
  });
});

describe('collector live store: bodies instead of span objects', () => {
  /** A store whose bodies are keys into a registry, counting how often it decodes. */
  function bodyStore(maxSpans: number) {
    const registry = new Map<Buffer, ReturnType<typeof spansOf>>();
    let decodes = 0;
    const store = new LiveStore(maxSpans, (b) => {
      decodes++;
      return registry.get(b.bytes)!.map((s) => ({ ...s })); // a fresh decode gives new objects
    });
    const add = (spans: ReturnType<typeof spansOf>) => {
      const bytes = Buffer.alloc(100 * spans.length);
      registry.set(bytes, spans);
      return store.add(spans, Date.now(), { kind: 'fake', bytes });
    };
    return { store, add, decodes: () => decodes };
  }

  it('summarises at ingest, decodes bodies only to build a trace, and only the new ones as it grows', () => {
    const { store, add, decodes } = bodyStore(1000);
    const a = spansOf(A, 6);
    add([...a.slice(0, 3), ...spansOf(B, 2)]);
    add(a.slice(3));
    const [sa] = store.summaries().filter((x) => x.traceId === A);
    assert.deepStrictEqual([sa.spanCount, sa.rootName, sa.hasRoot, decodes()], [6, 'a000000000000000', true, 0], 'summaries need no decoding');
    const t1 = store.getTrace(A)!;
    assert.strictEqual(t1.spans.length, 6);
    assert.strictEqual(decodes(), 2);
    add([span({ traceId: A, id: 'late', parent: 'a000000000000000', start: 1, end: 2 })]);
    const t2 = store.getTrace(A)!;
    assert.strictEqual(t2.spans.length, 7);
    assert.strictEqual(decodes(), 3, 'only the new body was decoded');
    assert.deepStrictEqual(
      t2.spans.map((x) => x.spanId),
      [...a.map((x) => x.spanId), 'late'],
    );
  });

  it('drops a body once every trace with spans in it is evicted', () => {
    const { store, add } = bodyStore(10);
    add([...spansOf(A, 4), ...spansOf(B, 2)]);
    add(spansOf(C, 2));
    assert.strictEqual(store.bodyCount, 2);
    add(spansOf('d'.repeat(32), 4)); // 12 > 10: A (4) goes; B still holds the first body
    assert.deepStrictEqual([store.has(A), store.has(B), store.bodyCount], [false, true, 3]);
    add(spansOf('e'.repeat(32), 3)); // 8 -> 11: B goes, and with it the first body
    assert.deepStrictEqual([store.has(B), store.bodyCount, store.bodyBytes], [false, 3, 100 * 2 + 100 * 4 + 100 * 3]);
  });

  it('names the earliest span while no root has arrived', () => {
    const store = new LiveStore(100);
    store.add([span({ traceId: A, id: 'c2', parent: 'p', start: 50, end: 60, name: 'late child' }), span({ traceId: A, id: 'c1', parent: 'p', start: 10, end: 20, name: 'early child', service: 'api' })]);
    const s = store.summary(A)!;
    assert.deepStrictEqual([s.hasRoot, s.rootName, s.rootService, s.durationNs], [false, 'early child', 'api', 50]);
  });
});

describe('collector output appender', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-appender-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes lines in append order, each resolved once written, and flushes on close', async () => {
    const file = path.join(dir, 'out.jsonl');
    fs.writeFileSync(file, '{"existing":true}\n');
    const a = await LineAppender.open(file);
    const writes = Array.from({ length: 500 }, (_, i) => a.append(JSON.stringify({ i })));
    await writes[0];
    await a.close();
    await Promise.all(writes);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.strictEqual(lines.length, 501);
    assert.deepStrictEqual(lines.slice(1).map((l) => JSON.parse(l).i), Array.from({ length: 500 }, (_, i) => i));
    assert.strictEqual(a.lines, 500);
  });

  it('names the path when the file cannot be opened', async () => {
    await assert.rejects(LineAppender.open(path.join(dir, 'no', 'such', 'dir', 'x.jsonl')), /cannot open output file .*x\.jsonl/);
  });
});
