// The vscode-free parts of the editor's span <-> source features: the openFrame message validation,
// the stack frames in the span detail, the CodeLens / hover text, and placing a span on the function
// that encloses it in a document-symbol tree.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { FunctionStats } from '../../src/core/source';
import { spanDetail } from '../../src/core/view/spanDetail';
import { enclosingFunction, functionDeclaredAt, SymbolKinds, SymbolNode } from '../../src/host/source/functionSymbols';
import { escapeMarkdown, histogramText, hoverMarkdown, isSlow, lensTitle, parseFigures } from '../../src/host/source/latencyFormat';
import { parseWebviewMessage } from '../../src/shared/protocol';
import { FIXTURES } from '../support/paths';

describe('protocol: openFrame message', () => {
  it('accepts four non-negative integer indices and keeps only them', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'openFrame', traceIndex: 1, spanIndex: 2, stackIndex: 0, frameIndex: 3, extra: '<img>' }), {
      type: 'openFrame',
      traceIndex: 1,
      spanIndex: 2,
      stackIndex: 0,
      frameIndex: 3,
    });
  });

  it('rejects missing, negative, fractional, string and huge indices', () => {
    const ok = { type: 'openFrame', traceIndex: 0, spanIndex: 0, stackIndex: 0, frameIndex: 0 };
    for (const key of ['traceIndex', 'spanIndex', 'stackIndex', 'frameIndex']) {
      for (const bad of [undefined, -1, 1.5, '1', 2 ** 31, NaN, null]) {
        assert.strictEqual(parseWebviewMessage({ ...ok, [key]: bad }), undefined, `${key} = ${String(bad)}`);
      }
    }
  });
});

describe('span detail: stack traces (ts-app fixture)', () => {
  const file = importTraceFile(new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'ts-app', 'traces', 'app.otlp.json'))), { fileName: 'app.otlp.json' });
  const find = (pred: (name: string, hasEvents: boolean) => boolean) => {
    for (let t = 0; t < file.traces.length; t++) {
      const i = file.traces[t].spans.findIndex((s) => pred(s.name, s.events.length > 0));
      if (i >= 0) return { t, i };
    }
    throw new Error('span not found');
  };

  it('lists every frame of the exception event, innermost first, with file, line and column', () => {
    const { t, i } = find((n, ev) => n === 'charge card' && ev);
    const d = spanDetail(file, t, i);
    assert.strictEqual(d.stacks?.length, 1);
    const st = d.stacks![0];
    assert.strictEqual(st.source, 'exception.stacktrace');
    assert.strictEqual(st.eventName, 'exception');
    assert.strictEqual(st.message, 'PaymentDeclinedError: card ending 0000 declined');
    assert.deepStrictEqual(
      st.frames.slice(0, 3).map((f) => [f.file, f.line, f.column]),
      [
        ['/app/dist/payment.js', 16, 25],
        ['/app/dist/orders.js', 31, 28],
        ['/app/dist/server.js', 15, 28],
      ],
    );
    assert.strictEqual(st.frames[0].text, 'at /app/dist/payment.js:16:25');
    assert.ok(st.frames.some((f) => f.function === 'main'), JSON.stringify(st.frames));
  });

  it('is empty for a span without stacks', () => {
    const { t, i } = find((n) => n === 'db.query');
    assert.deepStrictEqual(spanDetail(file, t, i).stacks, []);
  });
});

function stats(over: Partial<FunctionStats> = {}): FunctionStats {
  return {
    key: 'k',
    file: '/ws/src/orders.ts',
    line: 37,
    function: 'OrderService.placeOrder',
    count: 132,
    errors: 3,
    p50Ns: 4_100_000,
    p95Ns: 12_000_000,
    p99Ns: 20_000_000,
    maxNs: 31_000_000,
    minNs: 1_000_000,
    meanNs: 5_000_000,
    selfP50Ns: 850_000,
    selfP95Ns: 900_000,
    topCallers: [{ caller: 'handleRequest', count: 130 }],
    approximate: false,
    ...over,
  };
}

describe('latency CodeLens text', () => {
  it('reads "p50 4.1 ms · p95 12 ms · 132 calls · 3 errors" with the default figures', () => {
    assert.strictEqual(lensTitle(stats(), parseFigures(undefined)), 'p50 4.1 ms · p95 12 ms · 132 calls · 3 errors');
  });

  it('shows the configured figures in order, singular counts, and no "0 errors"', () => {
    assert.strictEqual(lensTitle(stats({ count: 1, errors: 0 }), parseFigures(['count', 'errors', 'self', 'p99'])), '1 call · self 850 µs · p99 20 ms');
    assert.strictEqual(lensTitle(stats({ errors: 1 }), parseFigures(['errors'])), '1 error');
  });

  it('falls back to the default figures for junk settings and drops unknown names', () => {
    assert.deepStrictEqual(parseFigures('p50'), ['p50', 'p95', 'count', 'errors']);
    assert.deepStrictEqual(parseFigures([]), ['p50', 'p95', 'count', 'errors']);
    assert.deepStrictEqual(parseFigures(['p99', 'mean', 'p99', 3]), ['p99']);
  });

  it('marks a function slow when its p95 reaches the threshold, never with threshold 0', () => {
    assert.ok(lensTitle(stats(), ['p50'], 12).startsWith('$(warning) slow · p50'));
    assert.strictEqual(lensTitle(stats(), ['p50'], 13), 'p50 4.1 ms');
    assert.strictEqual(isSlow(stats(), 0), false);
  });
});

describe('latency hover text', () => {
  const hist = { edgesNs: [1e6, 2e6, 4e6, 8e6], counts: [2, 10, 0] };

  it('has the percentiles, self time, error rate, a block-character histogram and the callers', () => {
    const md = hoverMarkdown(stats(), hist, 'the loaded traces');
    for (const s of ['4.1 ms', '12 ms', '20 ms', '31 ms', '850 µs', '3 (2.3%)', 'handleRequest ×130', '▂█', '1 ms – 2 ms']) assert.ok(md.includes(s), `${s} in\n${md}`);
  });

  it('escapes Markdown and links in trace text', () => {
    const evil = stats({ function: '[x](command:workbench.action.quit) **b** <img src=x>', topCallers: [{ caller: '`code` _i_\nnext', count: 1 }] });
    const md = hoverMarkdown(evil, hist, 'x');
    assert.ok(!md.includes('](command:'), md);
    assert.ok(md.includes('\\[x\\]\\(command\\:workbench\\.action\\.quit\\)'), md);
    assert.ok(md.includes('\\<img src=x\\>'), md);
    assert.ok(md.includes('\\`code\\` \\_i\\_ next'), md);
    assert.strictEqual(escapeMarkdown('a\r\nb'), 'a b');
  });

  it('draws the tallest bucket as a full block and empty buckets as blanks', () => {
    const text = histogramText(hist);
    const [spark, ...rows] = text.split('\n');
    assert.strictEqual(spark, '▂█ ');
    assert.strictEqual(rows.length, 3);
    assert.ok(rows[1].endsWith('█  10'), rows[1]);
    assert.ok(rows[2].endsWith('   0'), rows[2]);
    assert.strictEqual(histogramText({ edgesNs: [], counts: [] }), '');
  });
});

// A reduced copy of what TypeScript's outline reports for test/fixtures/ts-app/src/orders.ts and
// payment.ts (0-based lines): classes, methods, the withSpan callbacks, an arrow function const.
function sym(name: string, kind: number, start: [number, number], end: [number, number], children: SymbolNode[] = [], selectionLine = start[0]): SymbolNode {
  return { name, kind, startLine: start[0], startCharacter: start[1], endLine: end[0], endCharacter: end[1], selectionLine, children };
}
const ORDERS: SymbolNode[] = [
  sym('OrderService', SymbolKinds.Class, [23, 0], [51, 1], [
    sym('placed', SymbolKinds.Property, [24, 2], [24, 19]),
    sym('validate', SymbolKinds.Method, [26, 2], [34, 3], [sym("withSpan('validate order') callback", SymbolKinds.Function, [27, 32], [33, 5])]),
    sym('placeOrder', SymbolKinds.Method, [36, 2], [46, 3], [sym("withSpan('place order') callback", SymbolKinds.Function, [37, 34], [45, 5], [sym('total', SymbolKinds.Constant, [38, 12], [38, 45])])]),
    sym('placedCount', SymbolKinds.Property, [48, 2], [50, 3]),
  ]),
];
const PAYMENT: SymbolNode[] = [
  sym('PaymentDeclinedError', SymbolKinds.Class, [4, 0], [6, 1]),
  sym('chargeCard', SymbolKinds.Constant, [8, 13], [23, 1], [sym("withSpan('charge card') callback", SymbolKinds.Function, [11, 4], [20, 5])], 8),
];

describe('enclosing function from document symbols', () => {
  it('places a span created on a method\'s withSpan line on the method declaration', () => {
    // the recorded (source-mapped) position is the withSpan call: line 38, column 12
    assert.deepStrictEqual(enclosingFunction(ORDERS, 38, 12), { name: 'OrderService.placeOrder', line: 37 });
    assert.deepStrictEqual(enclosingFunction(ORDERS, 28, 5), { name: 'OrderService.validate', line: 27 });
  });

  it('looks through callbacks to the named function, with or without a column', () => {
    assert.deepStrictEqual(enclosingFunction(ORDERS, 40, 7), { name: 'OrderService.placeOrder', line: 37 });
    assert.deepStrictEqual(enclosingFunction(ORDERS, 38), { name: 'OrderService.placeOrder', line: 37 });
  });

  it('treats a multi-line const (arrow function) as a function, a one-line one not', () => {
    assert.deepStrictEqual(enclosingFunction(PAYMENT, 16, 21), { name: 'chargeCard', line: 9 });
    assert.deepStrictEqual(enclosingFunction(ORDERS, 39, 20), { name: 'OrderService.placeOrder', line: 37 });
  });

  it('finds nothing outside functions (class body, other lines)', () => {
    assert.strictEqual(enclosingFunction(ORDERS, 25, 5), undefined);
    assert.strictEqual(enclosingFunction(ORDERS, 5), undefined);
    assert.strictEqual(enclosingFunction([], 1), undefined);
  });

  it('qualifies flat SymbolInformation lists by their container name', () => {
    const flat: SymbolNode[] = [{ ...sym('run', SymbolKinds.Method, [9, 2], [20, 3]), containerName: 'Worker' }];
    assert.deepStrictEqual(enclosingFunction(flat, 12, 4), { name: 'Worker.run', line: 10 });
  });

  it('names the function declared on a line (the cursor on a declaration)', () => {
    assert.deepStrictEqual(functionDeclaredAt(ORDERS, 37), { name: 'OrderService.placeOrder', line: 37 });
    assert.deepStrictEqual(functionDeclaredAt(PAYMENT, 9), { name: 'chargeCard', line: 9 });
    assert.strictEqual(functionDeclaredAt(ORDERS, 38), undefined);
  });
});
