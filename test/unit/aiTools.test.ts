// The AI tools (src/core/ai) on real files: the trace ids and root names the corpus' independent
// ground truth gives, the critical path criticalPath.ts computes, planted secrets that never come
// out of any tool (not even through a search), the output budget on a 100k-span trace, input
// validation, and the catalog worker's `aiTool` call giving the same answers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AI_RESULT_MAX_CHARS, AI_TOOL_NAMES, AI_TOOLS, runAiTool, type AiToolContext, type AiTraceSource } from '../../src/core/ai/tools';
import { catalogAiContext, workspaceRelativePath } from '../../src/core/ai/catalogContext';
import { criticalPath } from '../../src/core/analysis/criticalPath';
import { CatalogClient } from '../../src/core/catalog/client';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { Trace, TraceFile } from '../../src/core/model/model';
import type { FunctionStats } from '../../src/core/source/stats';
import type { RawCodeSite } from '../../src/core/source/codeLocation';
import { buildStats } from '../../src/cli/stats';
import { generateSpans, toOtlpJsonBytes } from '../support/generate';
import { CORPUS, FIXTURES, HAS_CORPUS, readBytes, REPO_ROOT } from '../support/paths';
import { ensureSourceMapWasm } from '../support/sourceMapWasm';

const SECRETS_FILE = path.join(FIXTURES, 'ai', 'secrets.otlp.json');
const TS_APP = path.join(FIXTURES, 'ts-app');
const TS_APP_TRACE = path.join(TS_APP, 'traces', 'app.otlp.json');
const WORKER = path.join(REPO_ROOT, 'dist', 'spanlens.worker.js');

/** What was planted in test/fixtures/ai/secrets.otlp.json, and pieces of it that must not leak either. */
export const PLANTED_SECRETS = [
  'ghp_R4nd0mT0k3nF0rT3st1ngPurp0s3s0nly123',
  'R4nd0mT0k3nF0rT3st1ng',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  'alice.smith@example.com',
  'bob.jones@example.org',
  'carol@example.net',
  'sk_live_51HxYzAbCdEfGhIjKlMnOp',
];

function load(file: string): TraceFile {
  return importTraceFile(readBytes(file), { fileName: path.basename(file) });
}

function context(files: { source: string; file: TraceFile }[], extra: Partial<AiToolContext> = {}): AiToolContext {
  const sources: AiTraceSource[] = files.map((f) => ({ source: f.source, traces: f.file.traces }));
  return { sources: () => sources, functionStats: () => [], relativePath: (p) => p, ...extra };
}

async function call(name: string, input: unknown, ctx: AiToolContext): Promise<any> {
  const text = await runAiTool(name, input, ctx);
  assert.ok(text.length <= AI_RESULT_MAX_CHARS, `${name} gave ${text.length} characters`);
  return JSON.parse(text);
}

describe('AI tools (src/core/ai)', function () {
  this.timeout(120_000);

  it('defines the four tools with JSON Schema inputs', () => {
    assert.deepStrictEqual(
      AI_TOOLS.map((t) => t.name),
      [...AI_TOOL_NAMES],
    );
    for (const t of AI_TOOLS) {
      assert.ok(t.title && t.description.length > 40, t.name);
      assert.strictEqual(t.inputSchema.type, 'object');
      for (const r of t.inputSchema.required ?? []) assert.ok(r in t.inputSchema.properties, `${t.name}.${r}`);
    }
    assert.deepStrictEqual(AI_TOOLS.find((t) => t.name === 'get_trace')!.inputSchema.required, ['traceId']);
    assert.deepStrictEqual(Object.keys(AI_TOOLS.find((t) => t.name === 'get_spans')!.inputSchema.properties).slice(0, 3), ['traceId', 'spanIds', 'query']);
  });

  it('answers bad input with an error object, never a throw', async () => {
    const ctx = context([{ source: 'secrets.otlp.json', file: load(SECRETS_FILE) }]);
    const cases: [string, unknown, RegExp][] = [
      ['no_such_tool', {}, /unknown tool "no_such_tool"/],
      ['get_trace', {}, /needs \{"traceId"/],
      ['get_trace', { traceId: 42 }, /needs \{"traceId"/],
      ['get_trace', { traceId: 'ffffffffffffffffffffffffffffffff' }, /no trace "ffff.*list_traces/],
      ['get_spans', { traceId: '5b8efff798038103d269b633813fc60c', limit: 21 }, /"limit" must be a whole number from 1 to 20/],
      ['get_spans', { traceId: '5b8efff798038103d269b633813fc60c', spanIds: 'a000000000000001' }, /"spanIds" must be an array/],
      ['list_traces', [], /takes a JSON object/],
      ['list_traces', { errorsOnly: 'yes' }, /"errorsOnly" must be true or false/],
      ['function_stats', { limit: 0 }, /"limit" must be a whole number/],
      ['get_trace', { traceId: '5b8efff798038103d269b633813fc60c', source: 'nope' }, /no readable source matches "nope"/],
    ];
    for (const [name, input, re] of cases) {
      const text = await runAiTool(name, input, ctx);
      const o = JSON.parse(text);
      assert.deepStrictEqual(Object.keys(o), ['error'], `${name} ${JSON.stringify(input)}: ${text}`);
      assert.match(o.error, re);
    }
    // A unique prefix of the trace id works.
    assert.strictEqual((await call('get_trace', { traceId: '5B8EFFF798' }, ctx)).traceId, '5b8efff798038103d269b633813fc60c');
  });

  describe('on the planted-secrets fixture', () => {
    const file = load(SECRETS_FILE);
    const trace = file.traces[0];
    const ctx = context([{ source: 'ai/secrets.otlp.json', file }], { relativePath: workspaceRelativePath(['/app']) });
    const TRACE_ID = '5b8efff798038103d269b633813fc60c';

    it('the fixture really holds the secrets (so the checks below can fail)', () => {
      const raw = fs.readFileSync(SECRETS_FILE, 'utf8');
      for (const s of PLANTED_SECRETS) assert.ok(raw.includes(s), s);
      const auth = trace.spans[0].attributes.find((a) => a.key === 'http.request.header.authorization');
      assert.deepStrictEqual(auth?.value, ['Bearer ghp_R4nd0mT0k3nF0rT3st1ngPurp0s3s0nly123']);
      assert.ok(trace.spans.some((s) => s.name.includes('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9')));
    });

    it('no tool output holds a planted secret, whatever the arguments; values are marked redacted', async () => {
      const inputs: [string, object][] = [
        ['list_traces', {}],
        ['get_trace', { traceId: TRACE_ID }],
        ['get_spans', { traceId: TRACE_ID }],
        ['get_spans', { traceId: TRACE_ID, errorsOnly: true }],
        ['get_spans', { traceId: TRACE_ID, spanIds: trace.spans.map((s) => s.spanId) }],
        ['get_spans', { traceId: TRACE_ID, query: 'charge' }],
        // Input cannot switch redaction off: unknown keys are ignored.
        ['get_spans', { traceId: TRACE_ID, redact: false, rules: { allow: ['*'] } }],
        ['function_stats', {}],
      ];
      let all = '';
      for (const [name, input] of inputs) {
        const text = await runAiTool(name, input, ctx);
        assert.ok(!('error' in JSON.parse(text)), `${name}: ${text}`);
        for (const s of PLANTED_SECRETS) assert.ok(!text.includes(s), `${name} ${JSON.stringify(input)} leaks ${s}:\n${text}`);
        all += text;
      }
      for (const rule of ['github-token', 'jwt', 'email', 'stripe-key']) assert.ok(all.includes(`<redacted:${rule}`), `no ${rule} marker`);
      const spans = await call('get_spans', { traceId: TRACE_ID, spanIds: ['a000000000000001'] }, ctx);
      assert.ok(spans.redacted >= 2);
      // A secret key (authorization) is masked whole; the same token inside a message only where it is.
      assert.match(String(spans.spans[0].attributes['http.request.header.authorization']), /^<redacted:secret-key:[0-9a-f]{12}>$/);
      assert.match(spans.spans[0].attributes['user.email'], /^<redacted:email:[0-9a-f]{12}>$/);
      // Equal secrets read the same in every result (one key per process).
      const again = await call('get_spans', { traceId: TRACE_ID, spanIds: ['a000000000000001'] }, ctx);
      assert.strictEqual(again.spans[0].attributes['user.email'], spans.spans[0].attributes['user.email']);
    });

    it('a query cannot probe a redacted value', async () => {
      const probes = ['ghp_R4nd', 'R4nd0m', 'alice.smith', 'example.com', 'eyJhbGci', 'user.email=alice.smith@example.com', 'sk_live', 'carol@'];
      for (const query of probes) {
        const r = await call('get_spans', { traceId: TRACE_ID, query }, ctx);
        assert.deepStrictEqual(r.spans, [], `${query}: ${JSON.stringify(r)}`);
        assert.match(r.matched, /^0 span/);
      }
      // What is not redacted is still found: the key, and plain values.
      assert.strictEqual((await call('get_spans', { traceId: TRACE_ID, query: 'user.email=*' }, ctx)).spans.length, 1);
      assert.strictEqual((await call('get_spans', { traceId: TRACE_ID, query: 'db.system=postgresql' }, ctx)).spans[0].name, 'SELECT orders');
      assert.deepStrictEqual(
        (await call('get_spans', { traceId: TRACE_ID, query: 'charge' }, ctx)).spans.map((s: { spanId: string }) => s.spanId),
        ['c000000000000005', 'c000000000000007'],
      );
    });

    it('the user\'s rules add to the defaults; they come from the caller, not the input', async () => {
      const plain = await call('get_spans', { traceId: TRACE_ID, spanIds: ['c000000000000005'] }, ctx);
      assert.strictEqual(plain.spans[0].attributes['payment.provider'], 'acme-pay');
      const withRules = { ...ctx, rules: { keys: ['payment.provider'], patterns: ['PaymentError'] } };
      const text = await runAiTool('get_spans', { traceId: TRACE_ID, spanIds: ['c000000000000005'] }, withRules);
      assert.ok(!text.includes('acme-pay') && !text.includes('PaymentError'), text);
      for (const s of PLANTED_SECRETS) assert.ok(!text.includes(s), s);
    });

    it('get_trace: summary, critical path, errors with messages and code locations', async () => {
      const r = await call('get_trace', { traceId: TRACE_ID }, ctx);
      assert.strictEqual(r.traceId, TRACE_ID);
      assert.strictEqual(r.rootName, 'GET /checkout');
      assert.deepStrictEqual(r.services, ['checkout', 'frontend', 'payments']);
      assert.deepStrictEqual([r.spanCount, r.errorCount, r.durationMs], [7, 2, 100]);
      const want = criticalPath(trace).map((s) => ({ spanId: trace.spans[s.spanIndex].spanId, durationMs: (s.endNs - s.startNs) / 1e6 }));
      assert.deepStrictEqual(
        r.criticalPath.map((s: { spanId: string; durationMs: number }) => ({ spanId: s.spanId, durationMs: s.durationMs })),
        want,
      );
      assert.ok(want.length >= 6);
      const charge = r.criticalPath.find((s: { name: string }) => s.name === 'charge card');
      assert.deepStrictEqual([charge.service, charge.code], ['payments', 'src/payment.ts:23']);
      assert.ok(r.criticalPath.some((s: { name: string }) => /^GET \/auth\/callback\?id_token=<redacted:jwt:/.test(s.name)));
      assert.deepStrictEqual(
        r.errors.map((e: { name: string; count: number; spanIds: string[] }) => [e.name, e.count, e.spanIds]),
        [
          ['charge card', 1, ['c000000000000005']],
          ['POST https://api.acme-pay.example/v1/charges', 1, ['c000000000000007']],
        ],
      );
      assert.match(r.errors[0].message, /^card declined for <redacted:email:\w+> — PaymentError: declined \(Authorization: Bearer <redacted:/);
      assert.strictEqual(r.errors[0].code, 'src/payment.ts:23');
      assert.deepStrictEqual(r.slowest.slice(0, 3).map((s: { spanId: string }) => s.spanId), ['a000000000000001', 'a000000000000002', 'b000000000000003']);
      assert.strictEqual(r.slowest[0].code, 'src/server.ts:17');
      assert.strictEqual(typeof r.omitted, 'string');
      assert.match(r.omitted, /get_spans \{"traceId":"5b8e[0-9a-f]+","errorsOnly":true\}/);
    });

    it('get_spans: details by id, with events, and pages through a query', async () => {
      const r = await call('get_spans', { traceId: TRACE_ID, spanIds: ['c000000000000005', 'nope'] }, ctx);
      assert.strictEqual(r.spans.length, 1);
      const s = r.spans[0];
      assert.deepStrictEqual([s.name, s.service, s.kind, s.status, s.durationMs, s.parentSpanId, s.code], ['charge card', 'payments', 'INTERNAL', 'ERROR', 53, 'b000000000000003', 'src/payment.ts:23']);
      assert.strictEqual(s.events[0].name, 'exception');
      assert.match(s.events[0].attributes['exception.stacktrace'], /at chargeCard \(\/app\/dist\/payment\.js:31:11\)/);
      assert.deepStrictEqual(r.resources.payments, { 'service.name': 'payments', 'deployment.environment': 'prod' });
      assert.match(r.omitted, /span IDs not in this trace: nope/);
      const page1 = await call('get_spans', { traceId: TRACE_ID, limit: 3 }, ctx);
      assert.deepStrictEqual(page1.spans.map((x: { spanId: string }) => x.spanId), ['a000000000000001', 'a000000000000002', 'b000000000000003']);
      assert.match(page1.omitted, /4 more matching span\(s\): get_spans \{"traceId":"5b8efff798038103d269b633813fc60c","offset":3\}/);
      const page2 = await call('get_spans', { traceId: TRACE_ID, limit: 3, offset: 3 }, ctx);
      assert.strictEqual(page2.spans[0].spanId, 'b000000000000004');
    });
  });

  (HAS_CORPUS ? describe : describe.skip)(`on the shared corpus${HAS_CORPUS ? '' : ' (SKIPPED: corpus absent)'}`, () => {
    const truth: Record<string, { traces: { traceId: string; rootName: string; spanCount: number; errorCount: number }[] }> = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, 'corpus-truth.json'), 'utf8'),
    );
    const rels = ['jaeger-json/jaegerui-genaiTestTrace.json', 'otlp-json/tempo-servicegraphs-trace-with-failed-requests.json', 'otlp-json/otel-tui-test_data-traces-only.jsonl', 'jaeger-json/jaegerui-issue115-follows-from.json'];
    const files = HAS_CORPUS ? rels.map((rel) => ({ source: rel, file: load(path.join(CORPUS, rel)) })) : [];

    it('list_traces gives every trace with the ground truth\'s ID, root name, spans and errors, and pages', async () => {
      const ctx = context(files);
      const got = new Map<string, any>();
      let offset = 0;
      let first: any;
      for (let page = 0; page < 10; page++) {
        const r = await call('list_traces', { offset }, ctx);
        first ??= r;
        for (const t of r.traces) got.set(t.traceId, t);
        offset += r.traces.length;
        if (offset >= r.total) break;
        assert.match(r.omitted, new RegExp(`call list_traces with \\{"offset": ${offset}\\}`));
      }
      assert.deepStrictEqual(
        first.sources.map((s: { source: string; traceCount: number }) => [s.source, s.traceCount]),
        rels.map((rel) => [rel, truth[rel].traces.length]),
      );
      let n = 0;
      for (const rel of rels) {
        for (const w of truth[rel].traces) {
          const g = got.get(w.traceId);
          assert.ok(g, `${rel}: trace ${w.traceId} missing`);
          assert.deepStrictEqual([g.rootName, g.spanCount, g.errorCount, g.source], [w.rootName, w.spanCount, w.errorCount, rel], `${rel} ${w.traceId}`);
          n++;
        }
      }
      assert.strictEqual(got.size, n);
    });

    it('get_trace\'s critical path is criticalPath.ts\'s, span for span', async () => {
      const ctx = context(files);
      let checked = 0;
      for (const { file } of files) {
        for (const t of file.traces.slice(0, 20)) {
          const r = await call('get_trace', { traceId: t.traceId }, ctx);
          const segs = criticalPath(t);
          assert.strictEqual(r.rootName, t.rootName);
          if (segs.length <= 40) {
            assert.deepStrictEqual(
              r.criticalPath.map((s: { spanId: string; startOffsetMs: number }) => [s.spanId, s.startOffsetMs]),
              segs.map((s) => [t.spans[s.spanIndex].spanId, Math.round(s.startNs / 1e3) / 1e3]),
              t.traceId,
            );
          }
          checked++;
        }
      }
      assert.ok(checked > 20);
    });
  });

  it('function_stats: the CodeLens table, with workspace-relative file and line (ts-app fixture)', async () => {
    ensureSourceMapWasm();
    const { index } = await buildStats([TS_APP_TRACE], TS_APP);
    const rows = index.all();
    const ctx = context([{ source: 'traces/app.otlp.json', file: load(TS_APP_TRACE) }], { functionStats: () => rows });
    const r = await call('function_stats', {}, ctx);
    const truth = JSON.parse(fs.readFileSync(path.join(TS_APP, 'truth.json'), 'utf8')) as { functions: { file: string; function: string; spanLine: number; count: number; errors: number }[] };
    const key = (f: { file: string; function: string }) => `${f.file} ${f.function}`;
    assert.deepStrictEqual(
      r.functions.map((f: { file: string; line: number; function: string; count: number; errors: number }) => [key(f), f.line, f.count, f.errors]).sort(),
      truth.functions.map((f) => [key(f), f.spanLine, f.count, f.errors]).sort(),
    );
    for (const f of r.functions) {
      assert.deepStrictEqual(Object.keys(f), ['function', 'file', 'line', 'count', 'p50Ms', 'p95Ms', 'errors']);
      assert.ok(f.p50Ms > 0 && f.p50Ms <= f.p95Ms);
    }
    // Most total time first.
    const total = (f: FunctionStats) => f.count * f.meanNs;
    const byTotal = [...rows].sort((a, b) => total(b) - total(a));
    assert.strictEqual(r.functions[0].function, byTotal[0].function);
    const orders = await call('function_stats', { file: 'orders.ts' }, ctx);
    assert.ok(orders.functions.length >= 2 && orders.functions.every((f: { file: string }) => f.file === 'src/orders.ts'));
    const page = await call('function_stats', { limit: 2 }, ctx);
    assert.strictEqual(page.functions.length, 2);
    assert.match(page.omitted, /more function\(s\): call function_stats with \{"offset": 2\}/);
  });

  describe('a 100k-span trace', () => {
    let trace: Trace;
    let ctx: AiToolContext;
    before(function () {
      this.timeout(180_000);
      const file = importTraceFile(toOtlpJsonBytes(generateSpans({ spans: 100_000, services: 6, seed: 5 })), { fileName: 'big.otlp.json' });
      trace = file.traces[0];
      assert.strictEqual(trace.spans.length, 100_000);
      ctx = context([{ source: 'big.otlp.json', file }]);
    });

    it('get_trace stays within 8k tokens, says what it left out, and keeps the longest critical-path segments in time order', async () => {
      const t0 = Date.now();
      const text = await runAiTool('get_trace', { traceId: trace.traceId }, ctx);
      const elapsed = Date.now() - t0;
      assert.ok(text.length <= AI_RESULT_MAX_CHARS, `${text.length} characters`);
      const r = JSON.parse(text);
      assert.strictEqual(r.spanCount, 100_000);
      assert.ok(r.errorCount > 1000);
      const segs = criticalPath(trace);
      assert.ok(segs.length > r.criticalPath.length, `${segs.length} segments`);
      const len = (s: { startNs: number; endNs: number }) => s.endNs - s.startNs;
      const kept = segs.map((s, k) => ({ s, k })).sort((a, b) => len(b.s) - len(a.s) || a.k - b.k).slice(0, r.criticalPath.length).sort((a, b) => a.k - b.k);
      assert.deepStrictEqual(
        r.criticalPath.map((s: { spanId: string }) => s.spanId),
        kept.map(({ s }) => trace.spans[s.spanIndex].spanId),
      );
      assert.match(r.omitted, new RegExp(`criticalPath: ${segs.length - r.criticalPath.length} of ${segs.length} segments left out`));
      assert.match(r.omitted, /error groups \(same service, name and message\) left out/);
      assert.match(r.omitted, /get_spans \{"traceId":"[0-9a-f]{32}","spanIds":\["<spanId>"\]\}/);
      assert.strictEqual(r.slowest.length, 10);
      assert.ok(r.errors.length > 0 && r.errors.length <= 15);
      // Every error span is counted by operation.
      const perOp = new Map<string, number>();
      for (const sp of trace.spans) if (sp.status.code === 2) perOp.set(`${sp.resource.serviceName} ${sp.name}`, (perOp.get(`${sp.resource.serviceName} ${sp.name}`) ?? 0) + 1);
      const top = [...perOp.values()].sort((a, b) => b - a);
      assert.deepStrictEqual(r.errorsByOperation.map((o: { count: number }) => o.count), top.slice(0, r.errorsByOperation.length));
      assert.strictEqual(perOp.get(`${r.errorsByOperation[0].service} ${r.errorsByOperation[0].name}`), r.errorsByOperation[0].count);
      assert.ok(elapsed < 30_000, `${elapsed} ms`);
    });

    it('the other tools stay within the budget too', async () => {
      for (const [name, input] of [
        ['list_traces', {}],
        ['get_spans', { traceId: trace.traceId }],
        ['get_spans', { traceId: trace.traceId, query: 'boom' }],
        ['get_spans', { traceId: trace.traceId, errorsOnly: true, offset: 100 }],
        ['get_spans', { traceId: trace.traceId, query: 'app.str.0=*' }],
      ] as const) {
        const r = await call(name, input, ctx);
        assert.ok(!r.error, `${name}: ${r.error}`);
        if (name === 'get_spans') assert.strictEqual(r.spans.length, 20, `${name} ${JSON.stringify(input)}`);
      }
    });
  });

  describe('the catalog worker\'s aiTool call', () => {
    let client: CatalogClient;
    // The host's resolver: a container's /app is the workspace /ws; the span line stays.
    const resolveSite = async (s: RawCodeSite) => (s.file ? { file: s.file.replace(/^\/app\//, '/ws/'), line: s.line, function: s.function ?? s.spanName } : undefined);
    before(function () {
      if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: run "node esbuild.js" first`);
      client = new CatalogClient({ workerScript: WORKER, host: { resolveSite } });
    });
    after(() => client.dispose());

    const unhash = (t: string) => t.replace(/<redacted:([\w-]+):[0-9a-f]{12}>/g, '<redacted:$1>');

    it('answers as runAiTool does over the same sources, and lists failed sources the caller passes', async () => {
      const key = `file://${SECRETS_FILE}`;
      await client.open({ kind: 'file', path: SECRETS_FILE, fileName: 'secrets.otlp.json', key }).done;
      const options = { workspaceFolders: [FIXTURES, '/ws'], failedSources: [{ source: 'ai/broken.otlp.json', error: 'invalid JSON (line 3, column 3)' }] };
      const local = catalogAiContext(
        { sources: () => [{ key, kind: 'file', traces: load(SECRETS_FILE).traces }], liveStore: () => undefined, functionStats: async () => [], resolveSite },
        undefined,
        options,
      );
      for (const [name, input] of [
        ['list_traces', {}],
        ['get_trace', { traceId: '5b8efff798038103d269b633813fc60c' }],
        ['get_spans', { traceId: '5b8efff798038103d269b633813fc60c', query: 'charge' }],
      ] as const) {
        const remote = await client.call('aiTool', name, input, undefined, options);
        assert.strictEqual(unhash(remote), unhash(await runAiTool(name, input, local)), name);
        for (const s of PLANTED_SECRETS) assert.ok(!remote.includes(s), s);
      }
      const list = JSON.parse(await client.call('aiTool', 'list_traces', {}, undefined, options));
      // Code locations come through the host's resolver, relative to the workspace folders.
      const summary = JSON.parse(await client.call('aiTool', 'get_trace', { traceId: '5b8efff798038103d269b633813fc60c' }, undefined, options));
      assert.strictEqual(summary.errors[0].code, 'ws/src/payment.ts:23');
      assert.strictEqual(list.sources.length, 2);
      assert.deepStrictEqual(list.sources, [
        { source: 'fixtures/ai/secrets.otlp.json', traceCount: 1 },
        { source: 'ai/broken.otlp.json', error: 'invalid JSON (line 3, column 3)' },
      ]);
      assert.deepStrictEqual(JSON.parse(await client.call('aiTool', 'get_trace', {}, undefined, options)), { error: 'get_trace needs {"traceId": "<trace ID>"}; list_traces gives the IDs' });
    });
  });
});
