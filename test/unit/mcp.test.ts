// `spanlens mcp` as an assistant runs it: the built dist/cli.js spawned by the MCP SDK's own Client
// and StdioClientTransport. The four tools and their schemas, the right traces and critical path,
// an unreadable file listed as a source with an error, no planted secret in any answer, the output
// budget on a 100k-span trace file, nothing but protocol messages on stdout (the client reports
// anything else as an error), no stack trace on stderr, and live traces from --collect.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AI_RESULT_MAX_CHARS, AI_TOOLS } from '../../src/core/ai/tools';
import { criticalPath } from '../../src/core/analysis/criticalPath';
import { importTraceFile } from '../../src/core/importers/importFile';
import { generateSpans, toOtlpJsonBytes } from '../support/generate';
import { exportSpans, makeExporter, makeSdkSpans } from '../support/otelSend';
import { FIXTURES, readBytes, REPO_ROOT } from '../support/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const AI = path.join(FIXTURES, 'ai');
const SECRETS_FILE = path.join(AI, 'secrets.otlp.json');
const TS_APP_TRACE = path.join(FIXTURES, 'ts-app', 'traces', 'app.otlp.json');
const SECRET_TRACE = '5b8efff798038103d269b633813fc60c';

/** What test/fixtures/ai/secrets.otlp.json plants (see aiTools.test.ts). */
const PLANTED_SECRETS = [
  'ghp_R4nd0mT0k3nF0rT3st1ngPurp0s3s0nly123',
  'R4nd0mT0k3nF0rT3st1ng',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  'alice.smith@example.com',
  'bob.jones@example.org',
  'carol@example.net',
  'sk_live_51HxYzAbCdEfGhIjKlMnOp',
];

interface Server {
  readonly client: Client;
  /** Errors the client saw on the wire (a non-protocol line on stdout is one). */
  readonly errors: Error[];
  stderr(): string;
  call(name: string, args?: Record<string, unknown>): Promise<{ text: string; json: any; isError: boolean }>;
  close(): Promise<void>;
}

async function start(args: string[]): Promise<Server> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...args], stderr: 'pipe', cwd: REPO_ROOT });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'spanlens-test', version: '1.0.0' });
  const errors: Error[] = [];
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  return {
    client,
    errors,
    stderr: () => stderr,
    async call(name, a = {}) {
      const r = (await client.callTool({ name, arguments: a })) as { content: { type: string; text: string }[]; isError?: boolean };
      assert.strictEqual(r.content.length, 1, `${name}: one content item`);
      assert.strictEqual(r.content[0].type, 'text');
      const text = r.content[0].text;
      return { text, json: JSON.parse(text), isError: !!r.isError };
    },
    close: () => client.close(),
  };
}

function assertCleanStderr(s: Server): void {
  assert.deepStrictEqual(s.errors.map((e) => e.message), [], 'the client saw only protocol messages');
  assert.doesNotMatch(s.stderr(), /^\s+at .+[:(]\d+/m, `a stack trace on stderr:\n${s.stderr()}`);
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('spanlens mcp (MCP over stdio, the SDK client)', function () {
  this.timeout(120_000);
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.js" first`);
  });

  describe('over fixture files and a directory', () => {
    let s: Server;
    const missing = path.join(AI, 'missing.otlp.json');
    before(async () => {
      s = await start([AI, TS_APP_TRACE, missing, '--root', FIXTURES]);
    });
    after(async () => {
      assertCleanStderr(s);
      await s.close();
    });

    it('lists the four tools with the schemas of src/core/ai', async () => {
      const { tools } = await s.client.listTools();
      assert.deepStrictEqual(
        tools.map((t) => t.name),
        AI_TOOLS.map((t) => t.name),
      );
      for (const def of AI_TOOLS) {
        const t = tools.find((x) => x.name === def.name)!;
        assert.strictEqual(t.description, def.description);
        assert.deepStrictEqual(Object.keys(t.inputSchema.properties ?? {}), Object.keys(def.inputSchema.properties), def.name);
        assert.deepStrictEqual(t.inputSchema.required ?? [], def.inputSchema.required ?? [], def.name);
        const props = t.inputSchema.properties as Record<string, { type?: string }>;
        for (const [k, p] of Object.entries(def.inputSchema.properties)) assert.strictEqual(props[k].type, p.type, `${def.name}.${k}`);
        assert.strictEqual(t.annotations?.readOnlyHint, true);
      }
    });

    it('list_traces: the traces of every readable file, and each unreadable one as a source with an error', async () => {
      const { json, isError } = await s.call('list_traces');
      assert.strictEqual(isError, false);
      const app = importTraceFile(readBytes(TS_APP_TRACE)).traces;
      assert.deepStrictEqual(
        json.traces.map((t: { traceId: string; rootName: string; source: string; spanCount: number }) => [t.traceId, t.rootName, t.source, t.spanCount]).sort(),
        [[SECRET_TRACE, 'GET /checkout', 'ai/secrets.otlp.json', 7], ...app.map((t) => [t.traceId, t.rootName, 'ts-app/traces/app.otlp.json', t.spans.length])].sort(),
      );
      const sources = new Map<string, { traceCount?: number; error?: string }>(json.sources.map((x: { source: string }) => [x.source, x]));
      assert.deepStrictEqual([...sources.keys()].sort(), ['ai/broken.otlp.json', 'ai/missing.otlp.json', 'ai/secrets.otlp.json', 'ts-app/traces/app.otlp.json']);
      assert.match(sources.get('ai/broken.otlp.json')!.error!, /invalid JSON/);
      assert.match(sources.get('ai/missing.otlp.json')!.error!, /no such file/);
      assert.strictEqual(sources.get('ai/secrets.otlp.json')!.traceCount, 1);
      // not-a-trace.json in the directory was skipped by the sniff, not reported as broken.
      assert.ok(!json.sources.some((x: { source: string }) => /not-a-trace/.test(x.source)));
    });

    it('get_trace: the critical path of criticalPath.ts, the errors, code locations mapped to the .ts source', async () => {
      const trace = importTraceFile(readBytes(SECRETS_FILE)).traces[0];
      const { json } = await s.call('get_trace', { traceId: SECRET_TRACE });
      assert.deepStrictEqual([json.traceId, json.rootName, json.spanCount, json.errorCount], [SECRET_TRACE, 'GET /checkout', 7, 2]);
      assert.deepStrictEqual(
        json.criticalPath.map((x: { spanId: string }) => x.spanId),
        criticalPath(trace).map((x) => trace.spans[x.spanIndex].spanId),
      );
      assert.deepStrictEqual(json.errors.map((e: { name: string }) => e.name), ['charge card', 'POST https://api.acme-pay.example/v1/charges']);
      assert.strictEqual(typeof json.omitted, 'string');

      // ts-app was recorded in a container (/app/dist/*.js): its locations come back as ts-app/src/*.ts lines.
      const truth = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'ts-app', 'truth.json'), 'utf8')) as { functions: { file: string; function: string; spanName: string; spanLine: number }[] };
      const app = importTraceFile(readBytes(TS_APP_TRACE)).traces;
      const failing = app.find((t) => t.errorCount > 0)!;
      const r = (await s.call('get_trace', { traceId: failing.traceId })).json;
      assert.deepStrictEqual(
        r.criticalPath.map((x: { spanId: string }) => x.spanId),
        criticalPath(failing).map((x) => failing.spans[x.spanIndex].spanId),
      );
      const located = [...r.criticalPath, ...r.slowest, ...r.errors].filter((x: { code?: string }) => x.code);
      assert.ok(located.length > 3, JSON.stringify(r));
      for (const x of located) {
        const fn = truth.functions.find((f) => f.spanName === x.name);
        if (fn) assert.strictEqual(x.code, `ts-app/${fn.file}:${fn.spanLine}`, JSON.stringify(x));
        else assert.match(x.code, /^ts-app\/src\/\w+\.ts:\d+$/);
      }
    });

    it('get_spans and function_stats answer too; bad input is an error result', async () => {
      const spans = (await s.call('get_spans', { traceId: SECRET_TRACE, query: 'db.system=postgresql' })).json;
      assert.deepStrictEqual(spans.spans.map((x: { name: string }) => x.name), ['SELECT orders']);
      const stats = (await s.call('function_stats', { file: 'orders.ts' })).json;
      assert.ok(stats.functions.length >= 2, JSON.stringify(stats));
      for (const f of stats.functions) assert.deepStrictEqual([f.file, typeof f.line, typeof f.p50Ms], ['ts-app/src/orders.ts', 'number', 'number']);
      const bad = await s.call('get_trace', { traceId: 'ffffffffffffffffffffffffffffffff' });
      assert.strictEqual(bad.isError, true);
      assert.match(bad.json.error, /no trace "ffff/);
    });

    it('no answer holds a planted secret', async () => {
      const spanIds = importTraceFile(readBytes(SECRETS_FILE)).traces[0].spans.map((x) => x.spanId);
      for (const [name, input] of [
        ['list_traces', {}],
        ['get_trace', { traceId: SECRET_TRACE }],
        ['get_spans', { traceId: SECRET_TRACE, spanIds }],
        ['get_spans', { traceId: SECRET_TRACE, errorsOnly: true }],
        ['get_spans', { traceId: SECRET_TRACE, query: 'alice' }],
        ['function_stats', {}],
      ] as const) {
        const { text } = await s.call(name, input);
        for (const secret of PLANTED_SECRETS) assert.ok(!text.includes(secret), `${name} leaks ${secret}`);
        assert.ok(text.length <= AI_RESULT_MAX_CHARS);
      }
      assert.ok(!s.stderr().includes('ghp_') && !s.stderr().includes('alice.smith'), 'nor does stderr');
    });
  });

  it('get_trace on a 100k-span trace file stays within 32,000 characters', async function () {
    this.timeout(240_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-mcp-'));
    const file = path.join(dir, 'big.otlp.json');
    fs.writeFileSync(file, toOtlpJsonBytes(generateSpans({ spans: 100_000, services: 5, seed: 9 })));
    const s = await start([file, '--root', dir]);
    try {
      const list = (await s.call('list_traces')).json;
      assert.strictEqual(list.traces.length, 1);
      assert.deepStrictEqual([list.traces[0].spanCount, list.traces[0].source], [100_000, 'big.otlp.json']);
      const { text, json } = await s.call('get_trace', { traceId: list.traces[0].traceId });
      assert.ok(text.length <= 32_000, `${text.length} characters`);
      assert.strictEqual(json.spanCount, 100_000);
      assert.ok(json.criticalPath.length >= 1 && json.slowest.length === 10);
      assert.match(json.omitted, /error groups \(same service, name and message\) left out/);
      const spans = await s.call('get_spans', { traceId: list.traces[0].traceId, errorsOnly: true });
      assert.ok(spans.text.length <= 32_000 && spans.json.spans.length === 20);
      assertCleanStderr(s);
    } finally {
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--collect: a span sent with the OTel SDK exporter shows in list_traces as source "collector"', async () => {
    const s = await start(['--collect', '--http-port', '0', '--grpc-port', '0', '--zipkin-port', '0']);
    try {
      const port = await until('the collector line on stderr', async () => {
        const m = /OTLP\/HTTP 127\.0\.0\.1:(\d+)/.exec(s.stderr());
        return m ? Number(m[1]) : undefined;
      });
      const sent = makeSdkSpans(1, 4, 'mcp-live');
      await exportSpans(makeExporter('http/json', { otlpHttp: port }), sent);
      const traceId = sent[0].spanContext().traceId;
      const row = await until('the trace in list_traces', async () => {
        const { json } = await s.call('list_traces');
        return json.traces.find((t: { traceId: string }) => t.traceId === traceId);
      });
      assert.deepStrictEqual([row.source, row.rootService, row.spanCount, row.rootName], ['collector', 'mcp-live', 4, 'GET /cart/0']);
      const sources = (await s.call('list_traces')).json.sources;
      assert.deepStrictEqual(sources, [{ source: 'collector', traceCount: 1 }]);
      const t = (await s.call('get_trace', { traceId })).json;
      assert.deepStrictEqual([t.source, t.spanCount, t.rootName], ['collector', 4, 'GET /cart/0']);
      assert.ok(t.criticalPath.length >= 1);
      assertCleanStderr(s);
    } finally {
      await s.close();
    }
  });

  it('refuses bad arguments with one line and the usage on stderr, exit code 1', async () => {
    const { spawnSync } = await import('child_process');
    for (const args of [['--redact-pattern', '('], ['--http-port', '1'], []]) {
      const r = spawnSync(process.execPath, [CLI, 'mcp', ...args], { encoding: 'utf8', input: '' });
      assert.strictEqual(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, /^spanlens: .+\nusage: spanlens mcp/);
    }
  });
});
