import * as assert from 'assert';
import { fromPlain } from '../../src/core/model/attributes';
import type { Span, SpanEvent } from '../../src/core/model/model';
import { positiveInt, shortFunctionName, spanCodeInfo, spanCodeSite } from '../../src/core/source/codeLocation';
import { makeSpan } from '../support/sourceSpans';

const brief = (s: Span) => spanCodeInfo(s).candidates.map((c) => [c.source, c.file, c.line, c.column, c.function]);

describe('code locations of a span', () => {
  it('reads the current semconv names (line/column as int64 bigint)', () => {
    const s = makeSpan('place order', {
      'code.file.path': '/app/dist/orders.js',
      'code.line.number': 31n,
      'code.column.number': 28n,
      'code.function.name': 'OrderService.placeOrder',
    });
    const info = spanCodeInfo(s);
    assert.deepStrictEqual(brief(s), [['code', '/app/dist/orders.js', 31, 28, 'OrderService.placeOrder']]);
    assert.deepStrictEqual(info.candidates[0].attributes, ['code.file.path', 'code.line.number', 'code.column.number', 'code.function.name']);
    assert.strictEqual(info.missing, undefined);
    assert.deepStrictEqual(info.symbolQuery, { name: 'placeOrder', fullName: 'OrderService.placeOrder', from: 'code.function.name' });
  });

  it('reads the deprecated names, with string line numbers and namespace + function', () => {
    const s = makeSpan('getAdsByCategory', {
      'code.filepath': '/usr/src/app/recommendation_server.py',
      'code.lineno': '98',
      'code.column': 5.0,
      'code.namespace': 'oteldemo.AdService',
      'code.function': 'getAdsByCategory',
    });
    assert.deepStrictEqual(brief(s), [['code-deprecated', '/usr/src/app/recommendation_server.py', 98, 5, 'oteldemo.AdService.getAdsByCategory']]);
    assert.deepStrictEqual(spanCodeInfo(s).candidates[0].attributes, ['code.filepath', 'code.lineno', 'code.column', 'code.namespace', 'code.function']);
    // A function that already carries its namespace is not doubled.
    const s2 = makeSpan('x', { 'code.filepath': 'a.py', 'code.namespace': 'pkg.mod', 'code.function': 'pkg.mod.run' });
    assert.strictEqual(spanCodeInfo(s2).candidates[0].function, 'pkg.mod.run');
  });

  it('orders current names, deprecated names, code.stacktrace, exception stacks, Datadog frames', () => {
    const exception: SpanEvent = {
      timeUnixNano: 5n,
      name: 'exception',
      attributes: [{ key: 'exception.stacktrace', value: 'Error: boom\n    at charge (/app/dist/payment.js:16:25)\n    at /app/node_modules/lib/index.js:1:1' }],
    };
    const s = makeSpan(
      'charge',
      {
        'code.file.path': '/app/src/new.ts',
        'code.line.number': '10',
        'code.filepath': '/app/src/old.ts',
        'code.lineno': 11n,
        'code.stacktrace': '    at capture (/app/dist/capture.js:3:4)',
        '_dd.code_origin.frames.1.file': '/app/second.js',
        '_dd.code_origin.frames.0.file': '/app/first.js',
        '_dd.code_origin.frames.0.line': '7',
        '_dd.code_origin.frames.0.method': 'handle',
        '_dd.code_origin.frames.0.type': 'Controller',
      },
      [exception],
    );
    const info = spanCodeInfo(s);
    assert.deepStrictEqual(brief(s), [
      ['code', '/app/src/new.ts', 10, undefined, undefined],
      ['code-deprecated', '/app/src/old.ts', 11, undefined, undefined],
      ['code.stacktrace', '/app/dist/capture.js', 3, 4, 'capture'],
      ['exception.stacktrace', '/app/dist/payment.js', 16, 25, 'charge'],
      ['exception.stacktrace', '/app/node_modules/lib/index.js', 1, 1, undefined],
      ['datadog-code-origin', '/app/first.js', 7, undefined, 'Controller.handle'],
      ['datadog-code-origin', '/app/second.js', undefined, undefined, undefined],
    ]);
    assert.deepStrictEqual(info.stacks.map((x) => [x.source, x.eventIndex, x.stack.frames.length]), [
      ['code.stacktrace', undefined, 1],
      ['exception.stacktrace', 0, 2],
    ]);
    assert.strictEqual(info.candidates[4].library, true);
    assert.deepStrictEqual(info.candidates[5].attributes, [
      '_dd.code_origin.frames.0.file',
      '_dd.code_origin.frames.0.line',
      '_dd.code_origin.frames.0.method',
      '_dd.code_origin.frames.0.type',
    ]);
  });

  it('explains a missing location, naming what it looked for and how to get it', () => {
    const s = makeSpan('GET /orders/:id', { 'http.route': '/orders/:id' });
    const info = spanCodeInfo(s);
    assert.deepStrictEqual(info.candidates, []);
    assert.ok(info.missing);
    assert.match(info.missing.message, /Span "GET \/orders\/:id" records no source location/);
    assert.match(info.missing.message, /not a function name/);
    assert.ok(info.missing.lookedFor.some((l) => l.startsWith('code.file.path')));
    assert.ok(info.missing.lookedFor.some((l) => l.startsWith('code.filepath')));
    assert.ok(info.missing.howToGet.some((h) => h.includes('OTEL_SEMCONV_STABILITY_OPT_IN=code')));
    assert.strictEqual(info.symbolQuery, undefined);
  });

  it('falls back to a symbol search by function name, else by an identifier-like span name', () => {
    const fnOnly = spanCodeInfo(makeSpan('ads', { 'code.function': 'getAds', 'code.namespace': 'oteldemo.AdService', 'code.lineno': 3n }));
    assert.deepStrictEqual(fnOnly.symbolQuery, { name: 'getAds', fullName: 'oteldemo.AdService.getAds', from: 'code.function' });
    assert.match(fnOnly.missing!.message, /It has code\.lineno, code\.function, code\.namespace, but no file path/);
    assert.match(fnOnly.missing!.message, /Searching workspace symbols for "getAds" \(from code\.function\) instead: a match is a guess/);
    const byName = spanCodeInfo(makeSpan('OrderService.placeOrder', {}));
    assert.deepStrictEqual(byName.symbolQuery, { name: 'placeOrder', fullName: 'OrderService.placeOrder', from: 'span name' });
    assert.strictEqual(spanCodeInfo(makeSpan('process_payment', {})).symbolQuery?.name, 'process_payment');
  });

  it('ignores empty, zero, negative and non-numeric line numbers', () => {
    assert.strictEqual(positiveInt(0n), undefined);
    assert.strictEqual(positiveInt(-3n), undefined);
    assert.strictEqual(positiveInt('12a'), undefined);
    assert.strictEqual(positiveInt(' 12 '), 12);
    assert.strictEqual(positiveInt(3.5), undefined);
    assert.strictEqual(positiveInt(fromPlain(42)), 42);
    const s = makeSpan('x', { 'code.file.path': '  ', 'code.filepath': '/a.py', 'code.lineno': 'n/a' });
    assert.deepStrictEqual(brief(s), [['code-deprecated', '/a.py', undefined, undefined, undefined]]);
  });

  it('shortens qualified names of several languages', () => {
    assert.strictEqual(shortFunctionName('com.acme.Orders.place'), 'place');
    assert.strictEqual(shortFunctionName('main.(*Server).handle'), 'handle');
    assert.strictEqual(shortFunctionName('App\\Http\\Controller::index'), 'index');
    assert.strictEqual(shortFunctionName('new Repository'), 'Repository');
    assert.strictEqual(shortFunctionName('handleRequest'), 'handleRequest');
  });

  it('spanCodeSite: the span\'s own site for statistics, not an exception\'s throw site', () => {
    const ev: SpanEvent = { timeUnixNano: 1n, name: 'exception', attributes: [{ key: 'exception.stacktrace', value: '    at f (/app/x.js:1:1)' }] };
    assert.deepStrictEqual(spanCodeSite(makeSpan('a', {}, [ev])), { function: undefined, spanName: 'a' });
    assert.deepStrictEqual(spanCodeSite(makeSpan('a', { 'code.filepath': '/app/x.js', 'code.lineno': '4', 'code.function': 'f' })), {
      file: '/app/x.js',
      line: 4,
      column: undefined,
      function: 'f',
      spanName: 'a',
      source: 'code-deprecated',
    });
    const viaStack = spanCodeSite(makeSpan('a', { 'code.stacktrace': '    at lib (/app/node_modules/l/i.js:1:1)\n    at mine (/app/src/m.js:9:2)' }));
    assert.deepStrictEqual([viaStack.file, viaStack.line, viaStack.function, viaStack.source], ['/app/src/m.js', 9, 'mine', 'code.stacktrace']);
  });
});
