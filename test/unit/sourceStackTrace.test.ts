import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { parseStackTrace } from '../../src/core/source/stackTrace';
import { importTraceFile } from '../../src/core/importers/importFile';
import { getAttr } from '../../src/core/model/attributes';
import { corpusFile, HAS_CORPUS } from '../support/paths';

const brief = (text: string) => parseStackTrace(text).frames.map((f) => [f.function, f.file, f.line, f.column]);

describe('stack traces: Node / V8', () => {
  it('parses named, anonymous, async, constructor, alias, Windows and file:// frames', () => {
    const text = [
      "TypeError: Cannot read properties of undefined (reading 'total')",
      '    at OrderService.placeOrder (/app/dist/orders.js:31:28)',
      '    at /app/dist/server.js:15:28',
      '    at async Promise.all (index 0)',
      '    at async handleRequest (/app/dist/server.js:12:5)',
      '    at new Repository (file:///app/dist/repo.mjs:4:11)',
      '    at Object.query [as q] (C:\\app\\dist\\db.js:9:3)',
      '    at Object.<anonymous> (/app/dist/main.js:1:1)',
      '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
      '    at callErrorFromStatus (/app/node_modules/@grpc/grpc-js/build/src/call.js:31:19)',
      '    at file:///home/me/proj/x%20y.mjs:2:3',
    ].join('\n');
    const st = parseStackTrace(text);
    assert.strictEqual(st.message, "TypeError: Cannot read properties of undefined (reading 'total')");
    assert.deepStrictEqual(brief(text), [
      ['OrderService.placeOrder', '/app/dist/orders.js', 31, 28],
      [undefined, '/app/dist/server.js', 15, 28],
      ['handleRequest', '/app/dist/server.js', 12, 5],
      ['new Repository', '/app/dist/repo.mjs', 4, 11],
      ['Object.query', 'C:\\app\\dist\\db.js', 9, 3],
      ['Object.<anonymous>', '/app/dist/main.js', 1, 1],
      ['Module._compile', 'node:internal/modules/cjs/loader', 1554, 14],
      ['process.processTicksAndRejections', 'node:internal/process/task_queues', 105, 5],
      ['callErrorFromStatus', '/app/node_modules/@grpc/grpc-js/build/src/call.js', 31, 19],
      [undefined, '/home/me/proj/x y.mjs', 2, 3],
    ]);
    assert.strictEqual(st.frames[2].async, true);
    assert.deepStrictEqual(
      st.frames.map((f) => f.library),
      [false, false, false, false, false, false, true, true, true, false],
    );
  });

  it('takes the eval call site for eval frames', () => {
    const text = 'Error: x\n    at eval (eval at run (file:///app/dist/plugin.js:3:9), <anonymous>:1:1)\n    at eval (eval at <anonymous> (eval at load (/app/dist/a.js:7:2)), <anonymous>:2:2)';
    assert.deepStrictEqual(brief(text), [
      ['eval', '/app/dist/plugin.js', 3, 9],
      ['eval', '/app/dist/a.js', 7, 2],
    ]);
  });

  it('parses a real stack captured here, innermost first, with async frames', async () => {
    class Widget {
      stack: string;
      constructor() {
        this.stack = new Error('real').stack!;
      }
    }
    function innerFn(): string {
      return new Widget().stack;
    }
    function outerFn(): string {
      return innerFn();
    }
    const st = parseStackTrace(outerFn());
    assert.strictEqual(st.message, 'Error: real');
    assert.deepStrictEqual(st.frames.slice(0, 3).map((f) => f.function), ['new Widget', 'innerFn', 'outerFn']);
    for (const f of st.frames.slice(0, 3)) {
      assert.strictEqual(f.file, __filename);
      assert.ok(f.line > 0 && (f.column ?? 0) > 0);
    }
    assert.ok(st.frames[1].line > st.frames[0].line, 'innerFn is declared below the Widget class');

    async function thrower(): Promise<never> {
      await new Promise((r) => setTimeout(r, 1));
      throw new Error('async');
    }
    async function awaiter(): Promise<void> {
      await thrower();
    }
    const asyncStack = await awaiter().then(
      () => '',
      (e: Error) => e.stack!,
    );
    const frames = parseStackTrace(asyncStack).frames;
    assert.strictEqual(frames[0].function, 'thrower');
    const awaiterFrame = frames.find((f) => f.function === 'awaiter');
    assert.ok(awaiterFrame?.async, `an "at async awaiter" frame in:\n${asyncStack}`);

    // eslint-disable-next-line no-eval
    const evalStack: string = (0, eval)('new Error("e").stack');
    const evalFrames = parseStackTrace(evalStack).frames;
    assert.strictEqual(evalFrames[0].file, __filename, evalStack);
  });
});

describe('stack traces: Python', () => {
  const chained = `Traceback (most recent call last):
  File "/usr/src/app/recommendation_server.py", line 71, in ListRecommendations
    prod_list = get_product_list(request.product_ids)
                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/usr/src/app/recommendation_server.py", line 98, in get_product_list
    raise KeyError(pid)
KeyError: 'OLJCESPC7Z'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/usr/local/lib/python3.12/site-packages/grpc/_server.py", line 555, in _call_behavior
    response_or_iterator = behavior(argument, context)
  File "/usr/src/app/recommendation_server.py", line 75, in ListRecommendations
    raise ValueError("no products") from None
ValueError: no products`;

  it('reverses each traceback to innermost first, the escaping exception first', () => {
    const st = parseStackTrace(chained);
    assert.strictEqual(st.message, 'ValueError: no products');
    assert.deepStrictEqual(brief(chained), [
      ['ListRecommendations', '/usr/src/app/recommendation_server.py', 75, undefined],
      ['_call_behavior', '/usr/local/lib/python3.12/site-packages/grpc/_server.py', 555, undefined],
      ['get_product_list', '/usr/src/app/recommendation_server.py', 98, undefined],
      ['ListRecommendations', '/usr/src/app/recommendation_server.py', 71, undefined],
    ]);
    assert.deepStrictEqual(parseStackTrace(chained).frames.map((f) => f.library), [false, true, false, false]);
  });

  const python = spawnSync('python3', ['-c', 'import traceback\ndef inner():\n  raise RuntimeError("boom")\ndef outer():\n  inner()\ntry:\n  outer()\nexcept Exception:\n  print(traceback.format_exc(), end="")'], { encoding: 'utf8' });
  (python.status === 0 ? it : it.skip)(`parses a real Python traceback${python.status === 0 ? '' : ' (python3 is not installed)'}`, () => {
    const st = parseStackTrace(python.stdout);
    assert.strictEqual(st.message, 'RuntimeError: boom');
    assert.deepStrictEqual(brief(python.stdout), [
      ['inner', '<string>', 3, undefined],
      ['outer', '<string>', 5, undefined],
      ['<module>', '<string>', 7, undefined],
    ]);
  });
});

describe('stack traces: Java, Go, .NET', () => {
  it('Java: package path + file, module prefixes, native frames skipped, Caused by', () => {
    const text = `java.lang.IllegalStateException: Order 42 not found
\tat com.acme.shop.orders.OrderService.find(OrderService.java:87)
\tat com.acme.shop.orders.OrderController$Routes.lambda$get$0(OrderController.java:31)
\tat app//com.acme.shop.Main.main(Main.java:12)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.Thread.run(Native Method)
Caused by: java.sql.SQLException: connection reset
\tat com.acme.shop.db.Pool.borrow(Pool.kt:12)
\t... 5 more`;
    assert.deepStrictEqual(brief(text), [
      ['com.acme.shop.orders.OrderService.find', 'com/acme/shop/orders/OrderService.java', 87, undefined],
      ['com.acme.shop.orders.OrderController$Routes.lambda$get$0', 'com/acme/shop/orders/OrderController.java', 31, undefined],
      ['com.acme.shop.Main.main', 'com/acme/shop/Main.java', 12, undefined],
      ['jdk.internal.reflect.DirectMethodHandleAccessor.invoke', 'jdk/internal/reflect/DirectMethodHandleAccessor.java', 103, undefined],
      ['com.acme.shop.db.Pool.borrow', 'com/acme/shop/db/Pool.kt', 12, undefined],
    ]);
    assert.deepStrictEqual(parseStackTrace(text).frames.map((f) => f.library), [false, false, false, true, false]);
  });

  it('Go: function line + tab-indented file line, receivers and arguments', () => {
    const text = `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f4b6]

goroutine 7 [running]:
main.(*OrderStore).Get(0x0, {0x4b5a2c, 0x5})
\t/home/runner/work/shop/shop/internal/store/orders.go:42 +0x16
main.handler({0x4e3d60, 0xc0000a6000}, 0xc0000b2000)
\t/home/runner/work/shop/shop/cmd/server/main.go:27 +0x45
net/http.HandlerFunc.ServeHTTP(0x4c2f18, {0x4e3d60, 0xc0000a6000}, 0xc0000b2000)
\t/usr/local/go/src/net/http/server.go:2136 +0x29
main.main.func1(...)
\t/home/runner/work/shop/shop/cmd/server/main.go:14
created by net/http.(*Server).Serve in goroutine 1
\t/usr/local/go/src/net/http/server.go:3285 +0x4b4`;
    assert.deepStrictEqual(brief(text), [
      ['main.(*OrderStore).Get', '/home/runner/work/shop/shop/internal/store/orders.go', 42, undefined],
      ['main.handler', '/home/runner/work/shop/shop/cmd/server/main.go', 27, undefined],
      ['net/http.HandlerFunc.ServeHTTP', '/usr/local/go/src/net/http/server.go', 2136, undefined],
      ['main.main.func1', '/home/runner/work/shop/shop/cmd/server/main.go', 14, undefined],
      ['net/http.(*Server).Serve', '/usr/local/go/src/net/http/server.go', 3285, undefined],
    ]);
    assert.strictEqual(parseStackTrace(text).message, 'panic: runtime error: invalid memory address or nil pointer dereference');
    assert.deepStrictEqual(parseStackTrace(text).frames.map((f) => f.library), [false, false, true, false, true]);
  });

  it('.NET: frames with " in FILE:line N", frames without a file skipped', () => {
    const text = `System.InvalidOperationException: Sequence contains no elements
   at System.Linq.ThrowHelper.ThrowNoElementsException()
   at System.Linq.Enumerable.First[TSource](IEnumerable\`1 source)
   at Acme.Shop.Orders.OrderService.GetAsync(Int32 id) in C:\\src\\Shop\\Orders\\OrderService.cs:line 42
   at Acme.Shop.Api.OrdersController.<Get>d__3.MoveNext() in /src/Shop.Api/Controllers/OrdersController.cs:line 18
--- End of stack trace from previous location ---
   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute(ActionContext context)`;
    assert.deepStrictEqual(brief(text), [
      ['Acme.Shop.Orders.OrderService.GetAsync', 'C:\\src\\Shop\\Orders\\OrderService.cs', 42, undefined],
      ['Acme.Shop.Api.OrdersController.<Get>d__3.MoveNext', '/src/Shop.Api/Controllers/OrdersController.cs', 18, undefined],
    ]);
  });

  it('never throws on garbage and returns no frames for plain text', () => {
    for (const t of ['', 'just a message', 'at', '   at (', '\t:12 +0x1', 'File "x", line', '\u0000\u0001'.repeat(100), 'at x ('.repeat(10_000)]) {
      assert.deepStrictEqual(parseStackTrace(t).frames, [], JSON.stringify(t.slice(0, 20)));
    }
  });
});

(HAS_CORPUS ? describe : describe.skip)(`stack traces in the shared corpus${HAS_CORPUS ? '' : ' (corpus absent: skipped)'}`, () => {
  it('every exception.stacktrace of the OTel demo capture yields frames with files and lines', () => {
    const file = corpusFile('otlp-json/otel-tui-test_data-traces-only.jsonl');
    if (!fs.existsSync(file)) return;
    const tf = importTraceFile(new Uint8Array(fs.readFileSync(file)), { fileName: file });
    let stacks = 0;
    const formats = new Set<string>();
    for (const t of tf.traces) {
      for (const s of t.spans) {
        for (const ev of s.events) {
          const st = getAttr(ev.attributes, 'exception.stacktrace');
          if (typeof st !== 'string') continue;
          stacks++;
          const parsed = parseStackTrace(st);
          assert.ok(parsed.frames.length > 0, `no frames in:\n${st.slice(0, 300)}`);
          for (const f of parsed.frames) {
            assert.ok(f.file && f.line > 0, f.raw);
            formats.add(f.format);
          }
        }
      }
    }
    assert.ok(stacks >= 30, `found ${stacks} stack traces`);
    assert.deepStrictEqual([...formats].sort(), ['python', 'v8']);
  });
});
