// Synthetic traces for the webview dev page, built directly as protocol DTOs (WaterfallDto,
// TraceSummaryDto, SpanDetailDto, SearchResultDto) so the page does not depend on src/core.
// Deterministic: the same (seed, rows) always gives the same trace.
'use strict';
(function (global) {
  const RowFlag = { Error: 1, HasEvents: 2, Issue: 4, CriticalPath: 8, HasChildren: 16 };
  const XSS = '<img src=x onerror=alert(1)>';
  const SERVICES = ['frontend', 'checkout', 'cart', 'payment', 'inventory-db', 'shipping', 'email', 'recommendation'];
  const OPS = [
    ['GET /', 'POST /api/checkout', 'GET /api/products/{id}', 'render page'],
    ['PlaceOrder', 'checkout.validate', 'checkout.total'],
    ['GetCart', 'AddItem', 'redis GET', 'redis SET'],
    ['Charge', 'fraud.check', 'POST https://pay.example/v1/charges'],
    ['SELECT orders', 'UPDATE stock', 'INSERT order_items', 'pg.connect'],
    ['GetQuote', 'ShipOrder', 'compute.distance'],
    ['SendOrderConfirmation', 'smtp.send', 'template.render'],
    ['ListRecommendations', 'model.predict', 'cache.lookup'],
  ];
  const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];

  function rng(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function hex(n, width) {
    let s = '';
    let x = n >>> 0;
    for (let i = 0; i < width; i++) {
      s = '0123456789abcdef'[(x + i * 7) & 15] + s;
      x = Math.imul(x ^ (x >>> 13), 0x5bd1e995) >>> 0;
    }
    return s;
  }

  /** Builds one trace of `rows` spans: a random tree, times nested in parents, ~3% errors. */
  function makeTrace(traceIndex, rows, opts) {
    opts = opts || {};
    const rand = rng(1234 + traceIndex * 7919);
    const n = Math.max(1, rows | 0);
    const parent = new Int32Array(n).fill(-1);
    const depthOf = new Uint16Array(n);
    const start = new Float64Array(n);
    const dur = new Float64Array(n);
    const svc = new Uint16Array(n);
    const MAX_DEPTH = opts.maxDepth || 24;
    const totalNs = opts.durationNs || 2_400_000_000;
    dur[0] = totalNs;
    for (let i = 1; i < n; i++) {
      // Mostly attach to a recent span (deep, realistic call chains), sometimes to an early one (fan-out).
      let p = rand() < 0.8 ? i - 1 - Math.floor(Math.pow(rand(), 2) * Math.min(i, 40)) : Math.floor(rand() * Math.min(i, 8));
      while (depthOf[p] >= MAX_DEPTH) p = parent[p];
      parent[i] = p;
      depthOf[i] = depthOf[p] + 1;
      const off = rand() * 0.6 * dur[p];
      start[i] = start[p] + off;
      dur[i] = Math.max(1000, (dur[p] - off) * (0.05 + rand() * 0.9));
      svc[i] = rand() < 0.5 ? svc[p] : Math.floor(rand() * SERVICES.length);
    }
    if (opts.skew && n > 3) start[3] = start[parent[3]] - 5_000_000; // a clock-skewed child
    // Children by start time, then depth-first order.
    const kids = new Array(n);
    for (let i = 0; i < n; i++) kids[i] = null;
    for (let i = 1; i < n; i++) (kids[parent[i]] || (kids[parent[i]] = [])).push(i);
    for (let i = 0; i < n; i++) if (kids[i]) kids[i].sort((a, b) => start[a] - start[b]);
    const order = new Int32Array(n);
    const rowOf = new Int32Array(n);
    const subtreeEnd = new Int32Array(n);
    let k = 0;
    // Iterative DFS recording pre-order; subtreeEnd filled when a node's subtree is done.
    const iter = [[0, 0]];
    while (iter.length) {
      const top = iter[iter.length - 1];
      const node = top[0];
      if (top[1] === 0) {
        rowOf[node] = k;
        order[k++] = node;
      }
      const c = kids[node];
      if (c && top[1] < c.length) {
        iter.push([c[top[1]++], 0]);
      } else {
        subtreeEnd[rowOf[node]] = k;
        iter.pop();
      }
    }

    // Interned like the host's: row r is named nameTable[nameIndex[r]].
    const nameTable = [];
    const nameIds = new Map();
    const nameIndex = new Uint32Array(n);
    const spanIndex = new Int32Array(n);
    const depth = new Uint16Array(n);
    const startNs = new Float64Array(n);
    const durationNsByRow = new Float64Array(n);
    const service = new Uint16Array(n);
    const flags = new Uint8Array(n);
    const eventRow = [];
    const eventNs = [];
    for (let r = 0; r < n; r++) {
      const s = order[r];
      spanIndex[r] = s;
      depth[r] = depthOf[s];
      startNs[r] = start[s];
      durationNsByRow[r] = dur[s];
      service[r] = svc[s];
      const ops = OPS[svc[s]];
      const name = s === 0 ? 'GET /checkout' : opts.xss !== false && s === 1 ? XSS : ops[s % ops.length];
      let id = nameIds.get(name);
      if (id === undefined) {
        nameIds.set(name, (id = nameTable.length));
        nameTable.push(name);
      }
      nameIndex[r] = id;
      let f = 0;
      if (subtreeEnd[r] > r + 1) f |= RowFlag.HasChildren;
      if (s > 0 && (s % 37 === 5 || (s > 2 && rand() < 0.02))) f |= RowFlag.Error;
      if (s % 97 === 11) f |= RowFlag.Issue;
      if (s % 9 === 2) {
        f |= RowFlag.HasEvents;
        const m = 1 + (s % 3);
        for (let e = 0; e < m; e++) {
          eventRow.push(r);
          eventNs.push(start[s] + ((e + 1) / (m + 1)) * dur[s]);
        }
      }
      flags[r] = f;
    }
    if (opts.skew && n > 3) flags[rowOf[3]] |= RowFlag.Issue;

    // Critical path: from the root follow the child that ends last; each node on the path owns
    // the parts of its time not covered by that child.
    const critRow = [];
    const critStart = [];
    const critEnd = [];
    let node = 0;
    let guard = 0;
    while (node >= 0 && guard++ < 10000) {
      const r = rowOf[node];
      flags[r] |= RowFlag.CriticalPath;
      const c = kids[node];
      let best = -1;
      if (c) for (const ch of c) if (best < 0 || start[ch] + dur[ch] > start[best] + dur[best]) best = ch;
      if (best < 0) {
        critRow.push(r); critStart.push(start[node]); critEnd.push(start[node] + dur[node]);
      } else {
        if (start[best] > start[node]) { critRow.push(r); critStart.push(start[node]); critEnd.push(start[best]); }
        const endBest = Math.min(start[best] + dur[best], start[node] + dur[node]);
        if (start[node] + dur[node] > endBest) { critRow.push(r); critStart.push(endBest); critEnd.push(start[node] + dur[node]); }
      }
      node = best;
    }

    const traceId = hex(traceIndex * 31 + 7, 16) + hex(traceIndex * 17 + 3, 16);
    const usedServices = SERVICES.slice();
    if (opts.xss !== false) usedServices[7] = 'recommendation<b>bold</b>';
    const waterfall = {
      traceIndex,
      traceId,
      startTimeUnixNano: String(BigInt(1_700_000_000_000 + traceIndex * 60_000) * 1_000_000n),
      durationNs: totalNs,
      services: usedServices,
      rowCount: n,
      spanIndex,
      depth,
      startNs,
      durationNsByRow,
      subtreeEnd,
      service,
      flags,
      nameTable,
      nameIndex,
      eventRow: Int32Array.from(eventRow),
      eventNs: Float64Array.from(eventNs),
      criticalRow: Int32Array.from(critRow),
      criticalStartNs: Float64Array.from(critStart),
      criticalEndNs: Float64Array.from(critEnd),
      warnings: opts.skew ? ['1 span starts before its parent (clock skew); shown as is'] : [],
    };
    return { waterfall, parentOfSpan: parent, rowOf };
  }

  function nameOf(w, r) {
    return w.nameTable[w.nameIndex[r]];
  }

  function summaryOf(trace) {
    const w = trace.waterfall;
    let errors = 0;
    for (let r = 0; r < w.rowCount; r++) if (w.flags[r] & RowFlag.Error) errors++;
    return {
      traceIndex: w.traceIndex,
      traceId: w.traceId,
      rootName: nameOf(w, 0),
      rootService: w.services[w.service[0]],
      startTimeUnixNano: w.startTimeUnixNano,
      startMs: Number(BigInt(w.startTimeUnixNano) / 1_000_000n),
      durationNs: w.durationNs,
      spanCount: w.rowCount,
      errorCount: errors,
      services: w.services,
      warningCount: w.warnings.length,
    };
  }

  function attr(key, value, type) {
    return { key, value: String(value), type: type || 'string' };
  }

  function spanDetail(trace, spanIndex, allTraces) {
    const w = trace.waterfall;
    const r = trace.rowOf[spanIndex];
    const p = trace.parentOfSpan[spanIndex];
    const isErr = (w.flags[r] & RowFlag.Error) !== 0;
    const startNs = BigInt(w.startTimeUnixNano) + BigInt(Math.round(w.startNs[r]));
    const ms = Number(startNs / 1_000_000n);
    const micros = Number((startNs / 1000n) % 1000n);
    const iso = new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, d) => `.${d}${String(micros).padStart(3, '0')}Z`);
    let childCover = 0;
    for (let c = r + 1; c < w.subtreeEnd[r]; c++) if (w.depth[c] === w.depth[r] + 1) childCover += w.durationNsByRow[c];
    const events = [];
    for (let i = 0; i < w.eventRow.length; i++) {
      if (w.eventRow[i] === r) {
        events.push({
          name: i % 2 ? 'exception' : 'cache miss',
          offsetNs: w.eventNs[i],
          attributes: i % 2 ? [attr('exception.type', 'TimeoutError'), attr('exception.message', 'deadline exceeded after 250ms')] : [],
        });
      }
    }
    const links = [];
    if (spanIndex % 5 === 0 && w.rowCount > 3) {
      const targetSpan = Math.floor(w.rowCount / 2);
      links.push({ traceId: w.traceId, spanId: hex(targetSpan * 977, 16), refType: 'FOLLOWS_FROM', attributes: [attr('link.reason', 'retry')], target: { traceIndex: w.traceIndex, spanIndex: targetSpan } });
      if (allTraces && allTraces.length > 1) {
        const other = (w.traceIndex + 1) % allTraces.length;
        links.push({ traceId: allTraces[other].traceId, spanId: hex(1, 16), attributes: [], target: { traceIndex: other, spanIndex: 1 } });
      }
      links.push({ traceId: 'f'.repeat(32), spanId: 'e'.repeat(16), attributes: [] });
    }
    return {
      traceIndex: w.traceIndex,
      spanIndex,
      name: nameOf(w, r),
      traceId: w.traceId,
      spanId: hex(spanIndex * 977, 16),
      parentSpanId: p >= 0 ? hex(p * 977, 16) : undefined,
      kind: ['SERVER', 'CLIENT', 'INTERNAL', 'PRODUCER', 'CONSUMER'][spanIndex % 5],
      statusCode: isErr ? 'ERROR' : spanIndex % 3 === 0 ? 'OK' : 'UNSET',
      statusMessage: isErr ? 'upstream returned 503 Service Unavailable' : undefined,
      startTime: iso,
      startTimeUnixNano: String(startNs),
      offsetNs: w.startNs[r],
      durationNs: w.durationNsByRow[r],
      selfTimeNs: Math.max(0, w.durationNsByRow[r] - childCover),
      service: w.services[w.service[r]],
      attributes: [
        attr('http.method', METHODS[spanIndex % 4]),
        attr('http.route', '/api/orders/{id}'),
        attr('http.status_code', isErr ? 503 : 200, 'int'),
        attr('retry', spanIndex % 2 === 0, 'bool'),
        attr('db.statement', 'SELECT o.id, o.customer_id, o.total, li.sku, li.quantity, li.price FROM orders o JOIN line_items li ON li.order_id = o.id WHERE o.customer_id = $1 AND o.created_at > now() - interval \'30 days\' ORDER BY o.created_at DESC LIMIT 100'),
        attr('user.comment', XSS),
        attr('empty.value', '', 'empty'),
        attr('tags', '["a","b","c"]', 'array'),
      ],
      resource: [attr('service.name', w.services[w.service[r]]), attr('host.name', 'ip-10-0-3-17'), attr('telemetry.sdk.language', 'go'), attr('telemetry.sdk.version', '1.28.0')],
      scope: { name: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp', version: '0.53.0', attributes: [] },
      events,
      links,
      issues: w.flags[r] & RowFlag.Issue ? ['Orphan: parent span 0badc0ffee000000 is not in the file', 'Starts 5 ms before its parent (clock skew)'] : [],
    };
  }

  function search(trace, query) {
    const w = trace.waterfall;
    const out = [];
    const text = (query.text || '').trim();
    let key, value;
    const kv = /^([\w.]+)\s*=\s*(.*)$/.exec(text);
    if (kv) {
      key = kv[1];
      value = kv[2].replace(/^"|"$/g, '');
    }
    const needle = text.toLowerCase();
    for (let r = 0; r < w.rowCount; r++) {
      const s = w.spanIndex[r];
      if (query.service && w.services[w.service[r]] !== query.service) continue;
      if (query.minDurationNs !== undefined && w.durationNsByRow[r] < query.minDurationNs) continue;
      if (query.errorsOnly && !(w.flags[r] & RowFlag.Error)) continue;
      if (text) {
        if (key === 'http.method') {
          if (METHODS[s % 4] !== value) continue;
        } else if (key) {
          continue;
        } else if (!nameOf(w, r).toLowerCase().includes(needle) && !w.services[w.service[r]].toLowerCase().includes(needle)) continue;
      }
      out.push(r);
    }
    const parts = [];
    if (text) parts.push(key ? `attribute ${key} = "${value}"` : `text "${text}"`);
    if (query.service) parts.push(`service ${query.service}`);
    if (query.minDurationNs !== undefined) parts.push(`duration ≥ ${query.minDurationNs} ns`);
    if (query.errorsOnly) parts.push('errors only');
    return { rows: Int32Array.from(out), description: parts.join(' and ') };
  }

  global.SpanlensSynthetic = { makeTrace, summaryOf, spanDetail, search, RowFlag, XSS };
})(typeof window !== 'undefined' ? window : globalThis);
