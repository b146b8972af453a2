// The redaction engine (src/core/redaction): every default rule with real-looking secrets AND with
// the look-alikes a trace is full of (ids, hashes, timestamps, token counts), which must survive.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { importTraceFile } from '../../src/core/importers/importFile';
import type { AttrValue, Span, TraceFile } from '../../src/core/model/model';
import {
  createRedactor,
  DEFAULT_RULE_NAMES,
  formatRedactionCounts,
  isCardNumber,
  isSecretKey,
  RedactionPatternError,
  redactLogBody,
  redactTraceFile,
  redactTraces,
} from '../../src/core/redaction';
import { FIXTURES } from '../support/paths';

const fakeToken = (prefix: string, n: number) => prefix + 'Zq7Xw2Lm9Kp4Rt8Vb3Nc6'.repeat(20).slice(0, n);

/** [rule, input, expected output] — the secret part replaced, the context kept. */
const TRUE_POSITIVES: [string, string, string][] = [
  ['aws-access-key', 'key AKIAIOSFODNN7EXAMPLE in env', 'key <redacted:aws-access-key> in env'],
  ['aws-access-key', 'ASIAY34FZKBOKMUTVV7A', '<redacted:aws-access-key>'],
  ['github-token', `token=${fakeToken('ghp_', 36)}`, 'token=<redacted:github-token>'],
  ['github-token', `clone with ${fakeToken('github_pat_', 82)}`, 'clone with <redacted:github-token>'],
  ['github-token', fakeToken('ghs_', 36), '<redacted:github-token>'],
  ['gitlab-token', `PRIVATE-TOKEN ${fakeToken('glpat-', 20)}`, 'PRIVATE-TOKEN <redacted:gitlab-token>'],
  ['slack-token', 'xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', '<redacted:slack-token>'],
  ['slack-token', 'app token xapp-1-A0123456789-1234567890123-abcdef0123456789', 'app token <redacted:slack-token>'],
  ['slack-webhook', 'POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'POST https://<redacted:slack-webhook>'],
  ['stripe-key', `charge via ${fakeToken('sk_live_', 24)}`, 'charge via <redacted:stripe-key>'],
  ['stripe-key', fakeToken('rk_test_', 30), '<redacted:stripe-key>'],
  ['google-api-key', `maps?key=${fakeToken('AIza', 35)}&q=1`, 'maps?key=<redacted:google-api-key>&q=1'],
  [
    'jwt',
    'id eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c end',
    'id <redacted:jwt> end',
  ],
  ['auth-header', 'Authorization: Bearer abcDEF123456ghi', 'Authorization: Bearer <redacted:auth-header>'],
  ['auth-header', '{"authorization":"token 0123456789abcdef"}', '{"authorization":"token <redacted:auth-header>"}'],
  ['bearer', 'sent Bearer 0a1b2c3d4e5f6a7b8c9d to upstream', 'sent Bearer <redacted:bearer> to upstream'],
  ['basic-auth', 'Basic dXNlcjpwYXNzd29yZA==', 'Basic <redacted:basic-auth>'],
  ['basic-auth', 'curl -H "basic YWxhZGRpbjpvcGVuc2VzYW1l"', 'curl -H "basic <redacted:basic-auth>"'],
  ['cookie', 'Cookie: session=abc123; theme=dark', 'Cookie: <redacted:cookie>'],
  ['cookie', 'set-cookie: sid=31d4d96e407aad42; Path=/; Secure', 'set-cookie: <redacted:cookie>'],
  ['private-key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----', '<redacted:private-key>'],
  ['private-key', 'key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA (truncated', 'key: <redacted:private-key>'],
  ['url-password', 'redis://default:s3cr3tP4ss@cache:6379/0', 'redis://default:<redacted:url-password>@cache:6379/0'],
  ['secret-param', '/login?user=bob&password=hunter2&next=%2F', '/login?user=bob&password=<redacted:secret-param>&next=%2F'],
  ['secret-param', 'GET /cb?code=1&access_token=abc.def&state=2', 'GET /cb?code=1&access_token=<redacted:secret-param>&state=2'],
  ['secret-param', 'connect host=db api_key=0123abcd user=x', 'connect host=db api_key=<redacted:secret-param> user=x'],
  ['secret-param', '{"client_secret": "s3cr3t", "user": "x"}', '{"client_secret": "<redacted:secret-param>", "user": "x"}'],
  ['secret-param', 'q?passwd%3Dtopsecret', 'q?passwd%3D<redacted:secret-param>'],
  ['secret-param', 'blob?sv=2020&sig=AbC%2Bdef', 'blob?sv=2020&sig=<redacted:secret-param>'],
  ['email', 'user bob.smith+tag@mail.example.co.uk signed in', 'user <redacted:email> signed in'],
  ['card', 'card 4111 1111 1111 1111 declined', 'card <redacted:card> declined'],
  ['card', 'pan=5500-0000-0000-0004', 'pan=<redacted:card>'],
  ['card', '378282246310005', '<redacted:card>'],
  ['card', '6011111111111117', '<redacted:card>'],
];

/** Strings that look like something but are not secrets; each must come out unchanged. */
const LOOK_ALIKES: [string, string][] = [
  ['uuid', '123e4567-e89b-12d3-a456-426614174000'],
  ['digit-only uuid', '41111111-1111-1111-1111-111111111111'],
  ['trace id', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ['all-digit trace id', '41111111111111114111111111111111'],
  ['span id', '00f067aa0ba902b7'],
  ['16 digits failing Luhn', '4111111111111112'],
  ['16 digits failing Luhn, spaced', '4111 1111 1111 1112'],
  ['ISO 8601', '2024-03-01T12:00:00.123456789Z'],
  ['ISO 8601 with offset', '2024-03-01 12:00:00+01:00'],
  ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['epoch ns', '1709294400123456789'],
  ['epoch µs', '1709294400123456'],
  ['epoch ms', '1709294400123'],
  ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
  ['phone', '+1 555-123-4567'],
  ['version', 'opentelemetry-js@1.25.1'],
  ['decimal', '4111111111111111.5'],
  ['route', '/api/v1/users/{id}/tokens'],
  ['token counts in text', 'max_tokens=100 token_count=5 input_tokens: 12'],
  ['prose', 'Basic authentication failed; Bearer realm missing; cookie consent shown'],
  ['prose with a capitalised word', 'Basic ExampleService started, Bearer tokens rotate'],
  ['SQL bind parameters', 'SELECT * FROM auth.oauth_access_token WHERE oauth_token = ? AND password = $1'],
  ['templates and masks', '/reset?token={token}&password=***'],
  ['k8s secret reference', 'k8s.secret.name=db-creds'],
  ['sql', 'SELECT * FROM users WHERE id = ? AND status = ?'],
  ['host:port', 'db.internal:5432'],
  ['publishable stripe key', 'pk_live_0123456789abcdefABCDEF'],
];

describe('redaction: default rules', () => {
  for (const [rule, input, want] of TRUE_POSITIVES) {
    it(`${rule}: ${input.slice(0, 50).replace(/\n/g, '\\n')}`, () => {
      const r = createRedactor();
      assert.strictEqual(r.string(input), want);
      assert.strictEqual(r.counts.get(rule), 1, `counted as ${rule}: ${formatRedactionCounts(r.counts)}`);
      assert.strictEqual(r.total(), 1, formatRedactionCounts(r.counts));
    });
  }

  for (const [what, input] of LOOK_ALIKES) {
    it(`keeps ${what}: ${input}`, () => {
      const r = createRedactor();
      assert.strictEqual(r.string(input), input);
      assert.strictEqual(r.string(input, 'app.value'), input, 'as an attribute value');
      assert.strictEqual(r.total(), 0);
    });
  }

  it('every default rule has a true positive above', () => {
    const covered = new Set(TRUE_POSITIVES.map(([rule]) => rule));
    for (const name of DEFAULT_RULE_NAMES) if (name !== 'secret-key') assert.ok(covered.has(name), `no case for ${name}`);
  });

  it('Luhn and issuer prefixes decide what a card is', () => {
    assert.ok(isCardNumber('4111111111111111'));
    assert.ok(isCardNumber('4222222222222'), '13-digit Visa');
    assert.ok(isCardNumber('6250941006528599'), 'UnionPay');
    assert.ok(!isCardNumber('4111111111111112'), 'Luhn fails');
    assert.ok(!isCardNumber('1709294400123456789'), 'epoch ns passes no issuer check');
    assert.ok(!isCardNumber('0000000000000000'), 'no issuer 0');
  });

  it('a redacted value is not redacted again by a later rule', () => {
    const r = createRedactor();
    const out = r.string('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl');
    assert.strictEqual(out, 'Authorization: Bearer <redacted:jwt>');
    assert.deepStrictEqual([...r.counts], [['jwt', 1]]);
  });

  it('several secrets in one string are each replaced and counted', () => {
    const r = createRedactor();
    assert.strictEqual(r.string('a@example.com, b@example.org and AKIAIOSFODNN7EXAMPLE'), '<redacted:email>, <redacted:email> and <redacted:aws-access-key>');
    assert.deepStrictEqual(Object.fromEntries(r.counts), { email: 2, 'aws-access-key': 1 });
  });
});

describe('redaction: secret keys', () => {
  const SECRET_KEYS = [
    'password', 'db.password', 'user.passwd', 'mysql_pwd', 'client_secret', 'aws.secret_access_key', 'oauth.token', 'access_token',
    'api_key', 'apiKey', 'x-api-key', 'http.request.header.authorization', 'http.request.header.proxy-authorization',
    'http.request.header.cookie', 'http.response.header.set-cookie', 'http.request.header.x-auth-token', 'rpc.grpc.request.metadata.x-csrf-token',
    'basic_auth', 'session_id', 'JSESSIONID', 'app.credentials', 'app.private_key', 'payment.card_number', 'payment.cvv', 'jwt',
    'process.env.AWS_ACCESS_KEY_ID', 'http.request.header.x-goog-api-key',
  ];
  const PLAIN_KEYS = [
    'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.request.max_tokens', 'llm.token_count.prompt', 'llm.token_count.total',
    'llm.usage.token_count', 'http.request.header.content-length', 'http.request.header.content-type', 'messaging.kafka.message.key',
    'db.redis.key', 'session.id', 'k8s.secret.name', 'auth.method', 'app.token_type', 'oauth.token_url', 'password_length',
    'gen_ai.usage.prompt_tokens', 'tokenizer', 'http.route', 'url.full', 'service.name', 'code.function', 'cache.key',
  ];
  for (const key of SECRET_KEYS) it(`secret: ${key}`, () => assert.ok(isSecretKey(key)));
  for (const key of PLAIN_KEYS) it(`not secret: ${key}`, () => assert.ok(!isSecretKey(key)));

  it('masks the whole value of a secret key, each string of an array, and counts each', () => {
    const r = createRedactor();
    assert.strictEqual(r.string('hunter2', 'db.password'), '<redacted:secret-key>');
    assert.deepStrictEqual(r.value(['Bearer abc', 'Basic xyz'], 'http.request.header.authorization'), ['<redacted:secret-key>', '<redacted:secret-key>']);
    assert.strictEqual(r.string('', 'db.password'), '', 'nothing to hide in an empty string');
    assert.strictEqual(r.counts.get('secret-key'), 3);
  });

  it('token counts under token-ish keys are kept, strings and numbers alike', () => {
    const r = createRedactor();
    assert.strictEqual(r.string('1536', 'gen_ai.usage.input_tokens'), '1536');
    assert.strictEqual(r.string('42', 'llm.token_count.prompt'), '42');
    assert.strictEqual(r.value(1536n, 'gen_ai.usage.input_tokens'), 1536n);
    assert.strictEqual(r.total(), 0);
  });

  it('walks kvlists: inner keys are judged on their own, everything under a secret key is masked', () => {
    const r = createRedactor();
    const headers: AttrValue = {
      kvlist: [
        { key: 'Accept', value: 'application/json' },
        { key: 'X-Api-Key', value: 'k-123' },
        { key: 'nested', value: { kvlist: [{ key: 'password', value: 'p' }, { key: 'note', value: 'mail me at a@example.com' }] } },
      ],
    };
    assert.deepStrictEqual(r.value(headers, 'http.request.headers'), {
      kvlist: [
        { key: 'Accept', value: 'application/json' },
        { key: 'X-Api-Key', value: '<redacted:secret-key>' },
        { key: 'nested', value: { kvlist: [{ key: 'password', value: '<redacted:secret-key>' }, { key: 'note', value: 'mail me at <redacted:email>' }] } },
      ],
    });
    const under = r.value({ kvlist: [{ key: 'user', value: 'bob' }, { key: 'n', value: 3n }] }, 'credentials') as unknown as { kvlist: { value: AttrValue }[] };
    assert.deepStrictEqual(under.kvlist.map((a) => a.value), ['<redacted:secret-key>', 3n]);
  });

  it('non-strings are returned as they are, the same object when nothing changed', () => {
    const r = createRedactor();
    const bytes = new Uint8Array([1, 2, 3]);
    assert.strictEqual(r.value(bytes, 'password'), bytes);
    assert.strictEqual(r.value(true, 'password'), true);
    assert.strictEqual(r.value(null), null);
    const arr = ['a', 'b'];
    assert.strictEqual(r.value(arr, 'app.tags'), arr);
  });
});

describe('redaction: custom rules and keyed hashes', () => {
  it('patterns are named custom:N, or by a leading named group', () => {
    const r = createRedactor({ patterns: ['EMP-\\d{4}', '(?<ticket>TCK-[0-9]+)'] });
    assert.strictEqual(r.string('by EMP-0042 for TCK-77'), 'by <redacted:custom:1> for <redacted:ticket>');
    assert.deepStrictEqual(Object.fromEntries(r.counts), { 'custom:1': 1, ticket: 1 });
  });

  it('a pattern that matches the empty string replaces nothing and does not loop', () => {
    const r = createRedactor({ patterns: ['x*'] });
    assert.strictEqual(r.string('abc xx def'), 'abc <redacted:custom:1> def');
  });

  it('a bad pattern throws RedactionPatternError naming it', () => {
    assert.throws(() => createRedactor({ patterns: ['ok', '(unclosed'] }), (e: unknown) => e instanceof RedactionPatternError && e.pattern === '(unclosed' && /\(unclosed/.test(e.message));
  });

  it('keys add secret keys (names match the last segment, globs the whole key)', () => {
    const r = createRedactor({ keys: ['x-tenant', 'app.customer.*'] });
    assert.strictEqual(r.string('acme', 'http.request.header.x-tenant'), '<redacted:custom-key>');
    assert.strictEqual(r.string('Bob Smith', 'app.customer.name'), '<redacted:custom-key>');
    assert.strictEqual(r.string('acme', 'app.tenant'), 'acme');
    assert.deepStrictEqual(Object.fromEntries(r.counts), { 'custom-key': 2 });
  });

  it('allow exempts keys from every rule', () => {
    const r = createRedactor({ allow: ['http.request.header.authorization', 'support.*'] });
    assert.strictEqual(r.string('Bearer abcdef0123456789', 'http.request.header.authorization'), 'Bearer abcdef0123456789');
    assert.strictEqual(r.string('help@example.com', 'support.email'), 'help@example.com');
    assert.strictEqual(r.string('help@example.com', 'user.email'), '<redacted:email>');
    assert.strictEqual(r.total(), 1);
  });

  it('keyed hashes: equal values map equal, different values differ, another key gives other output', () => {
    const key1 = new Uint8Array(32).fill(1);
    const key2 = new Uint8Array(32).fill(2);
    const a = createRedactor({ hmacKey: key1 });
    const x1 = a.string('mail alice@example.com');
    const x2 = a.string('again alice@example.com');
    const y = a.string('mail bob@example.com');
    assert.match(x1, /^mail <redacted:email:[0-9a-f]{12}>$/);
    assert.strictEqual(x1.slice(5), x2.slice(6), 'same address, same hash');
    assert.notStrictEqual(x1, y);
    assert.match(a.string('s3cret', 'db.password'), /^<redacted:secret-key:[0-9a-f]{12}>$/);
    const b = createRedactor({ hmacKey: key2 });
    assert.notStrictEqual(b.string('mail alice@example.com'), x1);
    assert.strictEqual(createRedactor({ hmacKey: key1 }).string('mail alice@example.com'), x1, 'deterministic for one key');
  });

  it('keyed hashes: a later rule never re-redacts an earlier marker (each secret counted once)', () => {
    const r = createRedactor({ hmacKey: new Uint8Array(32).fill(3) });
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrstuv';
    assert.match(r.string('postgresql://shop:pw1234@db:5432/x'), /^postgresql:\/\/shop:<redacted:url-password:[0-9a-f]{12}>@db:5432\/x$/);
    assert.match(r.string(`https://x.example/cb?id_token=${jwt}`), /^https:\/\/x\.example\/cb\?id_token=<redacted:[a-z-]+:[0-9a-f]{12}>$/);
    assert.strictEqual(r.total(), 2);
  });

  it('match() reports what would be masked without counting', () => {
    const r = createRedactor();
    assert.deepStrictEqual(r.match('to a@example.com, card 4111111111111111'), { masked: 'to <redacted:email>, card <redacted:card>', rules: ['email', 'card'] });
    assert.deepStrictEqual(r.match('x', 'db.password'), { masked: '<redacted:secret-key>', rules: ['secret-key'] });
    assert.strictEqual(r.match('nothing here'), undefined);
    assert.strictEqual(r.total(), 0);
  });

  it('formatRedactionCounts: one line, default rules in table order', () => {
    assert.strictEqual(formatRedactionCounts(new Map()), 'nothing to redact');
    assert.strictEqual(formatRedactionCounts(new Map([['email', 3], ['jwt', 2]])), 'redacted 5 values: jwt 2, email 3');
    assert.strictEqual(formatRedactionCounts(new Map([['custom:1', 1]])), 'redacted 1 value: custom:1 1');
  });

  it('log bodies: strings and structured bodies, with the ids in the findings', () => {
    const r = createRedactor();
    assert.strictEqual(redactLogBody('login ok for a@example.com', r, { traceId: 't', spanId: 's' }), 'login ok for <redacted:email>');
    assert.deepStrictEqual(redactLogBody({ kvlist: [{ key: 'password', value: 'x' }] }, r), { kvlist: [{ key: 'password', value: '<redacted:secret-key>' }] });
    assert.deepStrictEqual(r.findings(), [
      { traceId: 't', spanId: 's', field: 'log', rule: 'email' },
      { traceId: '', spanId: '', field: 'log', key: 'password', rule: 'secret-key' },
    ]);
  });
});

describe('redaction: traces', () => {
  const fixture = path.join(FIXTURES, 'redaction', 'planted-secrets.otlp.json');
  const load = (): TraceFile => importTraceFile(new Uint8Array(fs.readFileSync(fixture)));

  it('copies spans as plain objects with ids, times, kinds, status codes and the tree unchanged', () => {
    const file = load();
    const r = createRedactor();
    const out = redactTraceFile(file, r);
    assert.strictEqual(out.spanCount, file.spanCount);
    assert.strictEqual(out.traces.length, file.traces.length);
    for (let t = 0; t < file.traces.length; t++) {
      const a = file.traces[t];
      const b = out.traces[t];
      assert.strictEqual(b.traceId, a.traceId);
      assert.deepStrictEqual([...b.parentIndex], [...a.parentIndex]);
      assert.deepStrictEqual(b.roots, a.roots);
      assert.deepStrictEqual(b.children, a.children);
      assert.deepStrictEqual([...b.issues], [...a.issues]);
      assert.strictEqual(b.durationNs, a.durationNs);
      assert.strictEqual(b.errorCount, a.errorCount);
      assert.deepStrictEqual(b.services, a.services);
      for (let i = 0; i < a.spans.length; i++) {
        const x = a.spans[i];
        const y = b.spans[i];
        assert.strictEqual(Object.getPrototypeOf(y), Object.prototype, 'plain object');
        const structural = (s: Span) => [s.traceId, s.spanId, s.parentSpanId, s.kind, s.startTimeUnixNano, s.endTimeUnixNano, s.status.code, s.traceState, s.flags, s.events.length, s.links.length, s.attributes.length];
        assert.deepStrictEqual(structural(y), structural(x));
        assert.deepStrictEqual(y.events.map((e) => e.timeUnixNano), x.events.map((e) => e.timeUnixNano));
        assert.deepStrictEqual(y.links.map((l) => [l.traceId, l.spanId]), x.links.map((l) => [l.traceId, l.spanId]));
      }
    }
    assert.ok(r.total() > 10, formatRedactionCounts(r.counts));
  });

  it('redacts one Resource and Scope object per original, shared by the spans that shared it', () => {
    const file = load();
    const spans = file.traces.flatMap((t) => t.spans);
    const r = createRedactor();
    const outSpans = redactTraces(file.traces, r).flatMap((t) => t.spans);
    const distinct = (xs: readonly object[]) => new Set(xs).size;
    assert.strictEqual(distinct(outSpans.map((s) => s.resource)), distinct(spans.map((s) => s.resource)));
    assert.strictEqual(distinct(outSpans.map((s) => s.scope)), distinct(spans.map((s) => s.scope)));
    // The resource's planted AWS key and GitHub token are counted once, not once per span.
    assert.strictEqual(r.findings().filter((f) => f.field === 'resource').length, 2);
  });

  it('records findings with trace id, span id, field and key', () => {
    const file = load();
    const r = createRedactor();
    redactTraceFile(file, r);
    const f = r.findings();
    assert.strictEqual(f.length, r.total());
    const fields = new Set(f.map((x) => x.field));
    for (const want of ['attribute', 'resource', 'scope', 'event', 'link', 'name', 'status'] as const) assert.ok(fields.has(want), `a ${want} finding`);
    const auth = f.find((x) => x.key === 'http.request.header.authorization');
    assert.deepStrictEqual(auth, { traceId: '00000000000000010000000000000000', spanId: '0000000000000002', field: 'attribute', key: 'http.request.header.authorization', rule: 'secret-key' });
    const capped = createRedactor({ maxFindings: 3 });
    redactTraceFile(file, capped);
    assert.strictEqual(capped.findings().length, 3);
    assert.strictEqual(capped.total(), r.total(), 'counting goes on past the findings cap');
  });
});
