import * as assert from 'assert';
import { parseTextQuery, searchTrace } from '../../src/core/view/search';
import { buildWaterfall } from '../../src/core/view/waterfall';
import type { SearchQuery } from '../../src/shared/protocol';
import { span, trace } from '../support/spanFactory';

//  rows: 0 GET /checkout (front)   1 SELECT orders (db, error)   2 charge card (payments)   3 HTTP POST (payments)
const t = trace([
  span({
    id: '00f067aa0ba902b7',
    name: 'GET /checkout',
    service: 'front',
    start: 0,
    end: 10_000_000,
    attrs: [
      { key: 'http.method', value: 'GET' },
      { key: 'http.status_code', value: 200n },
      { key: 'http.url', value: 'http://shop.example/checkout?cart=42' },
    ],
    resourceAttrs: [{ key: 'host.name', value: 'Web-01' }],
  }),
  span({
    id: '1111111111111111',
    parent: '00f067aa0ba902b7',
    name: 'SELECT orders',
    service: 'db',
    start: 1_000_000,
    end: 2_000_000,
    error: true,
    attrs: [
      { key: 'db.statement', value: 'SELECT * FROM orders WHERE id = "7"' },
      { key: 'retry', value: true },
    ],
    events: [{ name: 'exception', at: 1_500_000, attrs: [{ key: 'exception.type', value: 'TimeoutError' }] }],
  }),
  span({
    id: '2222222222222222',
    parent: '00f067aa0ba902b7',
    name: 'charge card',
    service: 'payments',
    start: 3_000_000,
    end: 9_000_000,
    attrs: [{ key: 'amount', value: 12.5 }, { key: 'http.status_code', value: 200 }],
  }),
  span({
    id: '3333333333333333',
    parent: '2222222222222222',
    name: 'HTTP POST',
    service: 'payments',
    start: 4_000_000,
    end: 8_000_000,
    error: true,
    attrs: [{ key: 'http.method', value: 'POST' }, { key: 'http.status_code', value: 502n }],
  }),
]);
const wf = buildWaterfall(t, 0);
const rows = (q: SearchQuery) => Array.from(searchTrace(t, wf, q).rows);
const desc = (q: SearchQuery) => searchTrace(t, wf, q).description;

describe('search: free text', () => {
  it('matches names case-insensitively', () => {
    assert.deepStrictEqual(rows({ text: 'select' }), [1]);
    assert.deepStrictEqual(rows({ text: 'HTTP post' }), [3]);
  });
  it('matches service, span id, attribute keys and values, resource attributes and events', () => {
    assert.deepStrictEqual(rows({ text: 'PAYMENTS' }), [2, 3]);
    assert.deepStrictEqual(rows({ text: '0ba902' }), [0]);
    assert.deepStrictEqual(rows({ text: 'db.statement' }), [1]);
    assert.deepStrictEqual(rows({ text: 'from orders' }), [1]);
    assert.deepStrictEqual(rows({ text: 'web-01' }), [0]);
    assert.deepStrictEqual(rows({ text: 'exception' }), [1]);
    assert.deepStrictEqual(rows({ text: 'timeouterror' }), [1]);
    assert.deepStrictEqual(rows({ text: '502' }), [3]);
  });
  it('does not match across field boundaries', () => {
    // "GET /checkout" followed by the span id: the join is not searchable text.
    assert.deepStrictEqual(rows({ text: 'checkout00f0' }), []);
  });
  it('keeps text that merely contains "=" (URLs, sentences) as free text', () => {
    assert.deepStrictEqual(parseTextQuery('http://shop.example/checkout?cart=42'), { kind: 'text', needle: 'http://shop.example/checkout?cart=42' });
    assert.deepStrictEqual(rows({ text: 'checkout?cart=42' }), [0]);
    assert.deepStrictEqual(rows({ text: 'id = "7"' }).length, 0); // understood as attribute id, which no span has
    assert.match(desc({ text: 'id = "7"' }), /attribute id = "7"/);
  });
  it('describes what it searched for', () => {
    assert.strictEqual(desc({ text: '  Select ' }), 'text contains "select" (any case)');
  });
});

describe('search: key=value', () => {
  it('matches an attribute value exactly, with or without spaces around "="', () => {
    assert.deepStrictEqual(rows({ text: 'http.method=GET' }), [0]);
    assert.deepStrictEqual(rows({ text: 'http.method = POST' }), [3]);
    assert.deepStrictEqual(rows({ text: 'http.method=get' }), []); // values are exact
    assert.strictEqual(desc({ text: 'http.method = POST' }), 'attribute http.method = "POST"');
  });
  it('accepts quoted values with spaces, "=" and escaped quotes', () => {
    assert.deepStrictEqual(rows({ text: 'db.statement="SELECT * FROM orders WHERE id = \\"7\\""' }), [1]);
    assert.deepStrictEqual(rows({ text: "db.statement='SELECT * FROM orders WHERE id = \"7\"'" }), [1]);
  });
  it('compares values as their displayed text, and numbers numerically', () => {
    assert.deepStrictEqual(rows({ text: 'retry=true' }), [1]);
    assert.deepStrictEqual(rows({ text: 'amount=12.5' }), [2]);
    // 200 is an int on one span and the double 200.0 on another: both match either spelling.
    assert.deepStrictEqual(rows({ text: 'http.status_code=200' }), [0, 2]);
    assert.deepStrictEqual(rows({ text: 'http.status_code=200.0' }), [0, 2]);
    assert.deepStrictEqual(rows({ text: 'http.status_code=2e2' }), [0, 2]);
    assert.deepStrictEqual(rows({ text: 'http.status_code=20' }), []);
  });
  it('looks at resource and event attributes too', () => {
    assert.deepStrictEqual(rows({ text: 'host.name=Web-01' }), [0]);
    assert.deepStrictEqual(rows({ text: 'service.name=payments' }), [2, 3]);
    assert.deepStrictEqual(rows({ text: 'exception.type=TimeoutError' }), [1]);
  });
  it('supports presence (key=*), absence (key!=*) and inequality (key!=value)', () => {
    assert.deepStrictEqual(rows({ text: 'http.method=*' }), [0, 3]);
    assert.deepStrictEqual(rows({ text: 'http.method!=*' }), [1, 2]);
    assert.deepStrictEqual(rows({ text: 'http.method!=GET' }), [1, 2, 3]);
    assert.strictEqual(desc({ text: 'http.method=*' }), 'attribute http.method present');
    assert.strictEqual(desc({ text: 'http.method!=*' }), 'attribute http.method absent');
  });
});

describe('search: filters and combinations', () => {
  it('filters by exact service', () => {
    assert.deepStrictEqual(rows({ service: 'payments' }), [2, 3]);
    assert.deepStrictEqual(rows({ service: 'pay' }), []);
    assert.deepStrictEqual(rows({ service: 'nope' }), []);
  });
  it('filters by minimum duration (inclusive)', () => {
    assert.deepStrictEqual(rows({ minDurationNs: 4_000_000 }), [0, 2, 3]);
    assert.strictEqual(desc({ minDurationNs: 4_000_000 }), 'duration ≥ 4 ms');
  });
  it('filters errors only', () => {
    assert.deepStrictEqual(rows({ errorsOnly: true }), [1, 3]);
  });
  it('ANDs every condition and says so', () => {
    const q: SearchQuery = { text: 'http.status_code=*', service: 'payments', minDurationNs: 5_000_000, errorsOnly: false };
    assert.deepStrictEqual(rows(q), [2]);
    assert.deepStrictEqual(rows({ ...q, errorsOnly: true }), []);
    assert.deepStrictEqual(rows({ text: 'http', errorsOnly: true }), [3]);
    assert.strictEqual(desc({ text: 'http', service: 'payments', errorsOnly: true }), 'text contains "http" (any case) and service = "payments" and status ERROR');
  });
  it('an empty query matches nothing', () => {
    assert.deepStrictEqual(rows({}), []);
    assert.deepStrictEqual(rows({ text: '   ', minDurationNs: 0 }), []);
    assert.match(desc({}), /empty/);
  });
  it('returns rows ascending, in waterfall order', () => {
    assert.deepStrictEqual(rows({ text: 'http' }), [0, 2, 3]);
  });
  it('answers with waterfall rows, not span indices', () => {
    const t2 = trace([
      span({ id: 'c2', parent: 'r', start: 50, end: 60, name: 'match late' }),
      span({ id: 'r', start: 0, end: 100, name: 'root' }),
      span({ id: 'c1', parent: 'r', start: 10, end: 20, name: 'match early' }),
    ]);
    const wf2 = buildWaterfall(t2, 0);
    const res = searchTrace(t2, wf2, { text: 'match' });
    assert.deepStrictEqual(Array.from(res.rows), [1, 2]);
    assert.deepStrictEqual(Array.from(res.rows, (r) => wf2.nameTable[wf2.nameIndex[r]]), ['match early', 'match late']);
  });
});
