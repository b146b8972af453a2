// `spanlens convert --redact` as a user runs it (the built dist/cli.js), on a real corpus file with
// secrets planted in every kind of field (test/fixtures/redaction/README.md): none of them, in any
// encoding, may reach the output, and the output must be the same trace.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCollect } from '../../src/cli/collect';
import { runFetch } from '../../src/cli/fetch';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { TraceFile } from '../../src/core/model/model';
import { FIXTURES, REPO_ROOT } from '../support/paths';
import { startRecordedServer } from '../support/recordedBackend';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const FIXTURE = path.join(FIXTURES, 'redaction', 'planted-secrets.otlp.json');
const PLANTED: { secrets: Record<string, string>; keep: Record<string, string> } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'redaction', 'planted-secrets.json'), 'utf8'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The forms a secret can take in output text: as is, JSON-escaped, URL-encoded, base64. */
function forms(secret: string): string[] {
  const out = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
  // The PEM body and the cookie's session value are secrets on their own, not only the whole text.
  for (const part of secret.split(/[\n;= ]/)) if (part.length >= 16 && !/^-+(BEGIN|END)/.test(part)) out.add(part);
  return [...out];
}

/** Every span's structure: what redaction must never change. */
function structure(file: TraceFile) {
  return file.traces.map((t) => ({
    traceId: t.traceId,
    spans: t.spans.map((s) => [s.spanId, s.parentSpanId, s.kind, String(s.startTimeUnixNano), String(s.endTimeUnixNano), s.status.code, s.events.map((e) => String(e.timeUnixNano)), s.links.map((l) => l.traceId + '/' + l.spanId)]),
    parentIndex: [...t.parentIndex],
  }));
}

const original = () => importTraceFile(new Uint8Array(fs.readFileSync(FIXTURE)));

describe('spanlens convert --redact (planted secrets in a real file)', function () {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "node esbuild.js" first`);
  });
  const CUSTOM = ['--redact-pattern', 'EMP-\\d{4}-\\d{4}'];

  it('the fixture really holds every planted secret (so the checks below can fail)', () => {
    const r = run('convert', FIXTURE, '--to', 'otlp-json');
    assert.strictEqual(r.code, 0, r.stderr);
    for (const [name, secret] of Object.entries(PLANTED.secrets)) assert.ok(r.stdout.includes(JSON.stringify(secret).slice(1, -1)), `${name} present without --redact`);
  });

  for (const to of ['otlp-json', 'otlp-jsonl', 'chrome']) {
    it(`--to ${to}: no planted secret in any form, look-alikes kept`, () => {
      const r = run('convert', FIXTURE, '--to', to, '--redact', ...CUSTOM);
      assert.strictEqual(r.code, 0, r.stderr);
      for (const [name, secret] of Object.entries(PLANTED.secrets)) {
        for (const form of forms(secret)) assert.ok(!r.stdout.includes(form), `${name} leaked as ${JSON.stringify(form)}`);
      }
      for (const [name, value] of Object.entries(PLANTED.keep)) assert.ok(r.stdout.includes(value), `look-alike ${name} (${value}) kept`);
      assert.ok(r.stdout.includes('<redacted:secret-key>'));
      assert.match(r.stderr, /^spanlens: redacted \d+ values: /m);
    });
  }

  it('the redacted OTLP JSON re-imports to the same traces, ids, parents and times', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-redact-'));
    try {
      for (const to of ['otlp-json', 'otlp-jsonl']) {
        const out = path.join(dir, `out.${to}`);
        const r = run('convert', FIXTURE, '--to', to, '--redact', '-o', out);
        assert.strictEqual(r.code, 0, r.stderr);
        const back = importTraceFile(new Uint8Array(fs.readFileSync(out)));
        const orig = original();
        assert.strictEqual(back.spanCount, orig.spanCount);
        assert.deepStrictEqual(structure(back), structure(orig), to);
        assert.deepStrictEqual(back.traces.map((t) => t.services), orig.traces.map((t) => t.services));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the Chrome export keeps every span', () => {
    const r = run('convert', FIXTURE, '--to', 'chrome', '--redact');
    assert.strictEqual(r.code, 0, r.stderr);
    const events = (JSON.parse(r.stdout) as { traceEvents: { ph: string }[] }).traceEvents.filter((e) => e.ph === 'X');
    assert.strictEqual(events.length, original().spanCount);
  });

  it('prints the counts per rule on stderr, one line', () => {
    const r = run('convert', FIXTURE, '--to', 'otlp-json', '--redact', ...CUSTOM);
    assert.strictEqual(r.code, 0, r.stderr);
    assert.strictEqual(
      r.stderr,
      'spanlens: redacted 18 values: secret-key 5, private-key 1, github-token 1, gitlab-token 1, slack-token 1, google-api-key 1, ' +
        'auth-header 1, cookie 1, url-password 1, secret-param 1, email 1, card 2, custom:1 1\n',
    );
  });

  it('--redact-key and --redact-allow change what is masked; --redact-hash keeps equal values equal', () => {
    const r = run('convert', FIXTURE, '--to', 'otlp-json', '--redact-key', 'peer.service', '--redact-allow', 'url.full');
    assert.strictEqual(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('service-y'), '--redact-key implies --redact and masks the key');
    assert.ok(r.stdout.includes(`password=${PLANTED.secrets.urlPassword}`), 'an allowed key is left alone');
    assert.match(r.stderr, /custom-key 4/);
    const h = run('convert', FIXTURE, '--to', 'otlp-json', '--redact-hash', '--redact-key', 'peer.service');
    assert.strictEqual(h.code, 0, h.stderr);
    const hashes = [...h.stdout.matchAll(/<redacted:custom-key:([0-9a-f]{12})>/g)].map((m) => m[1]);
    assert.strictEqual(hashes.length, 4);
    assert.strictEqual(new Set(hashes).size, 1, 'the same value hashes the same within one export');
  });

  it('a bad --redact-pattern exits 1 with one line naming the pattern', () => {
    const r = run('convert', FIXTURE, '--to', 'otlp-json', '--redact-pattern', 'ok', '--redact-pattern', '(unclosed');
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /--redact-pattern "\(unclosed" is not a valid regex/);
  });

  it('--redact-allow alone is a usage error; the usage text lists the flags', () => {
    const r = run('convert', FIXTURE, '--to', 'otlp-json', '--redact-allow', 'x');
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /--redact-allow needs --redact/);
    assert.match(run('--help').stdout, /convert FILE .*--redact.*--redact-pattern REGEX.*--redact-key KEY.*--redact-allow KEY/);
  });
});

/** No planted secret in `text`, in any form. */
function assertNoSecrets(text: string, what: string): void {
  for (const [name, secret] of Object.entries(PLANTED.secrets)) {
    for (const form of forms(secret)) assert.ok(!text.includes(form), `${what}: ${name} leaked as ${JSON.stringify(form)}`);
  }
}

describe('spanlens fetch --redact and collect --out --redact', function () {
  this.timeout(30_000);
  const TRACE = '00000000000000010000000000000000';

  it('fetch --redact writes the fetched trace redacted and prints the counts', async () => {
    const body = `{"trace": ${fs.readFileSync(FIXTURE, 'utf8')}}`;
    const s = await startRecordedServer([{ path: `/api/v2/traces/${TRACE}`, body, contentType: 'application/json' }]);
    try {
      let out = '';
      let err = '';
      const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t), env: {} };
      assert.strictEqual(await runFetch(['--backend', 'tempo', '--url', s.url, TRACE], io), 0, err);
      assert.ok(out.includes(PLANTED.secrets.github), 'without --redact the secrets come through');
      out = err = '';
      assert.strictEqual(await runFetch(['--backend', 'tempo', '--url', s.url, TRACE, '--redact', '--redact-pattern', 'EMP-\\d{4}-\\d{4}'], io), 0, err);
      assertNoSecrets(out, 'fetch');
      assert.match(err, /^spanlens: redacted \d+ values: secret-key \d+, /m);
      assert.strictEqual(importTraceFile(new TextEncoder().encode(out)).spanCount, original().traces.find((t) => t.traceId === TRACE)!.spans.length);
      err = '';
      assert.strictEqual(await runFetch(['--backend', 'tempo', '--url', s.url, TRACE, '--redact-pattern', '['], io), 1);
      assert.match(err, /^spanlens: --redact-pattern "\[" is not a valid regex: .*\n$/);
    } finally {
      await s.close();
    }
  });

  it('collect --out --redact writes one redacted line per received batch, and the counts at the end', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-redact-collect-'));
    const outFile = path.join(dir, 'out.jsonl');
    const ac = new AbortController();
    let stdout = '';
    let stderr = '';
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const done = runCollect(['--http-port', '0', '--grpc-port', '0', '--zipkin-port', '0', '--out', outFile, '--redact', '--redact-pattern', 'EMP-\\d{4}-\\d{4}'], {
      stdout: (t) => {
        stdout += t;
        if (stdout.includes('\n')) ready();
      },
      stderr: (t) => (stderr += t),
      signal: ac.signal,
      collector: { inProcess: true },
    });
    try {
      await Promise.race([isReady, done.then((c) => Promise.reject(new Error(`collect exited ${c}: ${stderr}`)))]);
      const m = /OTLP\/HTTP 127\.0\.0\.1:(\d+).*appending to (.*) \(Ctrl/.exec(stdout);
      assert.ok(m, stdout);
      assert.strictEqual(m[2], outFile, 'the ready line names --out');
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`http://127.0.0.1:${m[1]}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fs.readFileSync(FIXTURE) });
        assert.strictEqual(res.status, 200, await res.text());
      }
      ac.abort();
      assert.strictEqual(await done, 0, stderr);
      const text = fs.readFileSync(outFile, 'utf8');
      assertNoSecrets(text, 'collect --out');
      const lines = text.split('\n').filter(Boolean);
      assert.strictEqual(lines.length, 2, 'one line per batch');
      for (const line of lines) assert.deepStrictEqual(structure(importTraceFile(new TextEncoder().encode(line))), structure(original()));
      assert.match(stderr, /^spanlens: redacted 36 values: secret-key 10, private-key 2, .* custom:1 2$/m);
      assert.match(stdout, new RegExp(`Wrote 2 batches \\(\\d+ bytes\\) to ${outFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      ac.abort();
      await done.catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collect --redact without --out is a usage error', async () => {
    let err = '';
    assert.strictEqual(await runCollect(['--redact'], { stderr: (t) => (err += t), stdout: () => undefined }), 1);
    assert.match(err, /--redact applies to the --out file/);
  });
});
