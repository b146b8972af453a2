import * as assert from 'assert';
import { decodeTraceIdToken, findTraceIds, parseTraceIdInput } from '../../src/core/backends/traceId';
import { redact, redactHeaders, secretValues, REDACTED } from '../../src/core/backends/redact';
import { describeQuery, parseDurationArg, parseTagsText, parseTimeArg } from '../../src/core/backends/queryText';

describe('backends: trace id input', () => {
  it('takes hex (128- and 64-bit), base64 and a W3C traceparent', () => {
    assert.strictEqual(parseTraceIdInput('4BF92F3577B34DA6A3CE929D0E0E4736'), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.strictEqual(parseTraceIdInput('  2ee9739529395e31\n'), '2ee9739529395e31');
    assert.strictEqual(parseTraceIdInput('Lz4M7neuXcnBet42iesuVA=='), '2f3e0cee77ae5dc9c17ade3689eb2e54');
    assert.strictEqual(parseTraceIdInput('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), '0af7651916cd43dd8448eb211c80319c');
    assert.strictEqual(parseTraceIdInput('"0af7651916cd43dd8448eb211c80319c"'), '0af7651916cd43dd8448eb211c80319c');
  });

  it('finds the id in a selection of log text', () => {
    assert.strictEqual(parseTraceIdInput('level=error msg="db timeout" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7'), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.strictEqual(parseTraceIdInput('2024-05-01T10:00:00Z INFO traceId: 2ee9739529395e31 handled'), '2ee9739529395e31');
    assert.strictEqual(parseTraceIdInput('{"level":"info","traceId":"5b8efff798038103d269b633813fc60c","msg":"ok"}'), '5b8efff798038103d269b633813fc60c');
    assert.strictEqual(parseTraceIdInput('GET /x traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'), '0af7651916cd43dd8448eb211c80319c');
    assert.strictEqual(parseTraceIdInput('otel_trace_id=Lz4M7neuXcnBet42iesuVA=='), '2f3e0cee77ae5dc9c17ade3689eb2e54');
  });

  it('refuses text with no id, wrong lengths and all-zero ids', () => {
    assert.strictEqual(parseTraceIdInput('hello world'), undefined);
    assert.strictEqual(parseTraceIdInput('abc123'), undefined);
    assert.strictEqual(parseTraceIdInput('00000000000000000000000000000000'), undefined);
    assert.strictEqual(parseTraceIdInput('00-00000000000000000000000000000000-b7ad6b7169203331-01'), undefined);
    assert.strictEqual(parseTraceIdInput('trace_id=xyz'), undefined);
    assert.strictEqual(decodeTraceIdToken('4bf92f3577b34da6a3ce929d0e0e47'), undefined); // 30 hex chars
  });

  it('gives positions of every id in a terminal line, without overlaps', () => {
    const line = 'req traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01 then trace_id=4bf92f3577b34da6a3ce929d0e0e4736';
    const found = findTraceIds(line);
    assert.deepStrictEqual(
      found.map((f) => [f.traceId, line.slice(f.index, f.index + f.length), f.kind]),
      [
        ['0af7651916cd43dd8448eb211c80319c', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'traceparent'],
        ['4bf92f3577b34da6a3ce929d0e0e4736', 'trace_id=4bf92f3577b34da6a3ce929d0e0e4736', 'field'],
      ],
    );
  });
});

describe('backends: redaction', () => {
  it('removes a bearer token, basic credentials and configured secret headers from messages', () => {
    const secrets = secretValues({ kind: 'basic', username: 'alice', password: 'hunter2-s3cret' }, { headers: { 'X-Scope-OrgID': 'tenant-1', 'X-Api-Key': 'key-abcdef' } });
    const basic = Buffer.from('alice:hunter2-s3cret').toString('base64');
    const text = `failed: Authorization: Basic ${basic}; password hunter2-s3cret; key key-abcdef; tenant tenant-1`;
    const out = redact(text, secrets);
    assert.ok(!out.includes('hunter2-s3cret') && !out.includes(basic) && !out.includes('key-abcdef'), out);
    assert.ok(out.includes('tenant-1'), 'a non-secret header value stays readable');
    assert.ok(out.includes(REDACTED));
  });

  it('removes Bearer tokens and Authorization values even when the secret is not known', () => {
    assert.strictEqual(redact('Authorization: Bearer eyJhbGciOi.abc.def'), `Authorization: ${REDACTED}`);
    assert.strictEqual(redact('sent Bearer abc.def-123'), `sent Bearer ${REDACTED}`);
    assert.strictEqual(redact('{"authorization":"Basic YWxpY2U6cHc="}'), `{"authorization":"${REDACTED}"}`);
    assert.strictEqual(redact('https://alice:pw123@tempo.example.com/api'), `https://alice:${REDACTED}@tempo.example.com/api`);
  });

  it('redacts secret header values for logging and keeps the others', () => {
    assert.deepStrictEqual(redactHeaders({ Authorization: 'Bearer x', 'X-Scope-OrgID': 't1', 'X-My-Token': 'y', Custom: 'z' }, ['custom']), {
      Authorization: REDACTED,
      'X-Scope-OrgID': 't1',
      'X-My-Token': REDACTED,
      Custom: REDACTED,
    });
  });
});

describe('backends: search field text', () => {
  it('reads key=value tags separated by spaces, commas or semicolons, with quoted values', () => {
    assert.deepStrictEqual(parseTagsText('http.status_code=500 error=true'), { 'http.status_code': '500', error: 'true' });
    assert.deepStrictEqual(parseTagsText('a=1, b=2;c="x y"'), { a: '1', b: '2', c: 'x y' });
    assert.deepStrictEqual(parseTagsText('  '), {});
    assert.strictEqual(parseTagsText('a=1 oops'), '"oops" is not key=value');
  });

  it('reads durations and times as the CLI and the search form take them', () => {
    assert.strictEqual(parseDurationArg('250ms'), 250e6);
    assert.strictEqual(parseDurationArg('1.5s'), 1.5e9);
    assert.strictEqual(parseDurationArg('2m'), 120e9);
    assert.strictEqual(parseDurationArg('soon'), undefined);
    const now = Date.UTC(2024, 0, 1, 12);
    assert.strictEqual(parseTimeArg('2h', now), Date.UTC(2024, 0, 1, 10));
    assert.strictEqual(parseTimeArg('2024-01-01T11:00:00Z', now), Date.UTC(2024, 0, 1, 11));
    assert.strictEqual(parseTimeArg('1704106800000', now), 1704106800000);
    assert.strictEqual(parseTimeArg('yesterday', now), undefined);
  });

  it('labels a search by its fields', () => {
    assert.strictEqual(describeQuery({ service: 'frontend', tags: { error: 'true' }, minDurationNs: 1e8, lookbackMs: 3_600_000, limit: 20 }), 'frontend · error=true · ≥100 ms · last 60 min · limit 20');
    assert.strictEqual(describeQuery({}), 'all traces');
  });
});
