// Masking on screen (span detail DTO), Share Trace's redacted exports and the chat tools' package.json
// contribution, on the fixture with planted secrets (test/fixtures/redaction-host/secrets.otlp.json).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AI_TOOLS } from '../../src/core/ai/tools';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { TraceFile } from '../../src/core/model/model';
import { createRedactor } from '../../src/core/redaction';
import { shareTraces } from '../../src/core/share';
import { spanDetail } from '../../src/core/view/spanDetail';
import { FIXTURES, REPO_ROOT } from '../support/paths';

const SECRETS_FILE = path.join(FIXTURES, 'redaction-host', 'secrets.otlp.json');
/** The planted secrets, as they appear in the file. */
const SECRETS = ['ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', 'alice@example.com', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'hunter2-S3cret!'];

async function load(): Promise<TraceFile> {
  return importTraceFile(new Uint8Array(fs.readFileSync(SECRETS_FILE)), { fileName: 'secrets.otlp.json' });
}

describe('redaction: masking in the span detail', () => {
  it('masks each planted secret, keeps the original for Reveal and names the rule', async () => {
    const f = await load();
    const d = spanDetail(f, 0, 0, { mask: createRedactor() });
    assert.strictEqual(d.masking, true);
    const masked = Object.fromEntries(d.attributes.filter((a) => a.masked).map((a) => [a.key, a]));
    assert.deepStrictEqual(Object.keys(masked).sort(), ['http.request.header.authorization', 'url.full', 'user.email']);
    assert.strictEqual(masked['user.email'].value, '<redacted:email>');
    assert.strictEqual(masked['user.email'].masked!.original, 'alice@example.com');
    assert.deepStrictEqual(masked['user.email'].masked!.rules, ['email']);
    assert.strictEqual(masked['url.full'].value, 'https://shop.example.com/callback?id_token=<redacted:jwt>&lang=en');
    assert.deepStrictEqual(masked['url.full'].masked!.rules, ['jwt']);
    assert.strictEqual(masked['http.request.header.authorization'].type, 'array');
    assert.ok(masked['http.request.header.authorization'].masked!.original.includes(SECRETS[0]));
    for (const a of d.attributes) for (const s of SECRETS) assert.ok(!a.value.includes(s), `${a.key} shows ${s}`);
    // Values no rule matches are left alone.
    assert.deepStrictEqual(d.attributes.find((a) => a.key === 'http.request.method'), { key: 'http.request.method', value: 'GET', type: 'string' });

    const db = spanDetail(f, 0, 1, { mask: createRedactor() });
    const conn = db.attributes.find((a) => a.key === 'db.connection_string')!;
    assert.strictEqual(conn.value, 'postgresql://shop:<redacted:url-password>@db.internal:5432/shop');
    assert.deepStrictEqual(conn.masked?.rules, ['url-password']);
  });

  it('without a mask (maskOnScreen off) the DTO is as before: no masked fields', async () => {
    const f = await load();
    const d = spanDetail(f, 0, 0);
    assert.strictEqual(d.masking, undefined);
    assert.ok(d.attributes.every((a) => a.masked === undefined));
    assert.strictEqual(d.attributes.find((a) => a.key === 'user.email')?.value, 'alice@example.com');
  });

  it('masks the values of the user\'s extra keys (spanlens.redaction.keys)', async () => {
    const f = await load();
    const d = spanDetail(f, 0, 2, { mask: createRedactor({ keys: ['template'] }) });
    assert.deepStrictEqual(d.attributes[0], { key: 'template', value: '<redacted:custom-key>', type: 'string', masked: { original: 'checkout.html', rules: ['custom-key'] } });
  });
});

describe('redaction: Share Trace exports', () => {
  it('the preview counts per rule and lists each redacted value with its key, rule and span', async () => {
    const f = await load();
    const { preview, text } = shareTraces(f.traces, 'otlp-json', {}, { serialise: false });
    assert.strictEqual(text, undefined);
    assert.strictEqual(preview.redacted, 4);
    assert.deepStrictEqual(Object.fromEntries(preview.counts), { 'secret-key': 1, jwt: 1, 'url-password': 1, email: 1 });
    assert.strictEqual(preview.countsText, 'redacted 4 values: secret-key 1, jwt 1, url-password 1, email 1');
    assert.deepStrictEqual(
      preview.findings.map((x) => [x.key, x.rule, x.spanName]),
      [
        ['http.request.header.authorization', 'secret-key', 'GET /checkout'],
        ['user.email', 'email', 'GET /checkout'],
        ['url.full', 'jwt', 'GET /checkout'],
        ['db.connection_string', 'url-password', 'SELECT shop.orders'],
      ],
    );
  });

  for (const format of ['otlp-json', 'otlp-jsonl', 'chrome'] as const) {
    it(`${format}: the written text holds none of the secrets and re-imports with every span`, async () => {
      const f = await load();
      const { text } = shareTraces(f.traces, format, {}, { serialise: true });
      for (const s of SECRETS) assert.ok(!text!.includes(s), `${format} export contains ${s}`);
      assert.ok(text!.includes('<redacted:email>'));
      const back = await importTraceFile(new TextEncoder().encode(text!), { fileName: `x.${format}.json` });
      const names = back.traces.flatMap((t) => t.spans.map((s) => s.name));
      for (const n of ['GET /checkout', 'SELECT shop.orders', 'render checkout']) assert.ok(names.includes(n), `${n} after ${format} round trip: ${names}`);
      if (format !== 'chrome') assert.strictEqual(back.spanCount, 3);
    });
  }

  it('rules null exports as is', async () => {
    const f = await load();
    const { preview, text } = shareTraces(f.traces, 'otlp-json', null, { serialise: true });
    assert.strictEqual(preview.redactedExport, false);
    assert.strictEqual(preview.redacted, 0);
    assert.ok(text!.includes('alice@example.com'));
  });
});

describe('chat tools: the package.json contribution', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { languageModelTools: { name: string; toolReferenceName: string; displayName: string; modelDescription: string; canBeReferencedInPrompt: boolean; inputSchema: unknown }[] };
  };
  it('contributes each AI tool as spanlens_<name>, with its description and input schema, referenceable as #spanlens…', () => {
    const tools = pkg.contributes.languageModelTools;
    assert.deepStrictEqual(tools.map((t) => t.name), AI_TOOLS.map((t) => `spanlens_${t.name}`));
    for (const t of AI_TOOLS) {
      const c = tools.find((x) => x.name === `spanlens_${t.name}`)!;
      assert.strictEqual(c.modelDescription, t.description);
      assert.deepStrictEqual(c.inputSchema, JSON.parse(JSON.stringify(t.inputSchema)));
      assert.strictEqual(c.canBeReferencedInPrompt, true);
      assert.match(c.toolReferenceName, /^spanlens[A-Z]\w+$/);
      assert.ok(c.displayName.startsWith('Spanlens: '));
    }
  });
});
