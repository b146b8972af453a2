#!/usr/bin/env node
// Regenerates test/demo-workspace (the sample traces used by `npm start` and by the integration and UI
// tests) and test/harness/demo-expectations.json (what a user must see for each of them).
//
// The OTLP files are produced by the real OpenTelemetry JS SDK and its OTLP serializers, not written by
// hand, so they are exactly what an instrumented service exports. Ids and times come from a seeded
// generator so a rerun gives the same bytes. Jaeger, Zipkin and Chrome samples are copied (unmodified)
// from the shared corpus; only Apache-2.0/MIT files, never the AGPL ones.
//
// The outputs are committed: tests do not need the corpus. Run: node test/harness/generate-demo.js
'use strict';
const fs = require('fs');
const path = require('path');
const api = require('@opentelemetry/api');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { JsonTraceSerializer, ProtobufTraceSerializer } = require('@opentelemetry/otlp-transformer');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test', 'demo-workspace');
const EXPECTATIONS = path.join(__dirname, 'demo-expectations.json');
const CORPUS = process.env.SPANLENS_CORPUS || path.resolve(ROOT, '..', 'shared', 'corpus');

/** Deterministic ids: mulberry32 seeded per scenario, so reruns reproduce the committed files. */
function seededIdGenerator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0).toString(16).padStart(8, '0');
  };
  return { generateTraceId: () => next() + next() + next() + next(), generateSpanId: () => next() + next() };
}

/** One TracerProvider per service (each service has its own resource), all exporting to one memory exporter. */
function makeServices(names, seed) {
  const exporter = new InMemorySpanExporter();
  const idGenerator = seededIdGenerator(seed);
  const tracers = {};
  for (const name of names) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': name,
        'service.version': '1.4.2',
        'deployment.environment.name': 'demo',
        'telemetry.sdk.language': 'nodejs',
        'telemetry.sdk.name': 'opentelemetry',
      }),
      idGenerator,
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    tracers[name] = provider.getTracer(`${name}-instrumentation`, '0.9.0');
  }
  return { exporter, tracers };
}

/**
 * Records a span tree. A node: {svc, name, kind, at, dur (ms from t0), attrs, events, error, children}.
 * Parents are passed explicitly through the context, since no context manager is registered.
 */
function record(tracers, node, t0, parentCtx = api.ROOT_CONTEXT) {
  const span = tracers[node.svc].startSpan(
    node.name,
    { kind: node.kind ?? api.SpanKind.INTERNAL, attributes: node.attrs ?? {}, startTime: t0 + node.at },
    parentCtx,
  );
  for (const ev of node.events ?? []) span.addEvent(ev.name, ev.attrs ?? {}, t0 + ev.at);
  if (node.error) span.setStatus({ code: api.SpanStatusCode.ERROR, message: node.error });
  else if (node.ok) span.setStatus({ code: api.SpanStatusCode.OK });
  const ctx = api.trace.setSpan(parentCtx, span);
  for (const child of node.children ?? []) record(tracers, child, t0, ctx);
  span.end(t0 + node.at + node.dur);
}

const { SERVER, CLIENT, INTERNAL } = api.SpanKind;

// A small source tree the checkout spans point into (code.filepath / code.lineno / code.function), so
// `npm start` shows the latency CodeLens on these functions and jump to code lands in them. The spans
// record a container path (/usr/src/shop/app/...), resolved to the workspace by its path suffix.
const DEMO_APP = {
  'app/checkoutHandler.ts': `// The checkout service of the demo traces: its spans record code.* locations in this file.
import { charge } from './paymentGateway';

interface Tracer {
  startActiveSpan<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
declare const tracer: Tracer;
declare function getCart(cartId: string): Promise<{ items: number; totalUsd: number }>;
declare function sql(text: string, values: unknown[]): Promise<void>;

export async function placeOrder(orderId: string, cartId: string): Promise<number> {
  return tracer.startActiveSpan('checkout.PlaceOrder', async () => {
    const cart = await getCart(cartId);
    await charge(orderId, cart.totalUsd);
    await saveOrder(orderId, cart.totalUsd);
    return cart.totalUsd;
  });
}

export async function saveOrder(orderId: string, totalUsd: number): Promise<void> {
  await tracer.startActiveSpan('INSERT orders', () => sql('INSERT INTO orders (id, total) VALUES ($1, $2)', [orderId, totalUsd]));
}
`,
  'app/paymentGateway.ts': `// The payment service of the demo traces: its spans record code.* locations in this file.
interface Tracer {
  startActiveSpan<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
declare const tracer: Tracer;

export async function charge(orderId: string, amountUsd: number): Promise<string> {
  return tracer.startActiveSpan('payment.Charge', async () => {
    try {
      return await callBank(orderId, amountUsd);
    } catch {
      // The bank answers 503 now and then: one retry.
      return callBank(orderId, amountUsd);
    }
  });
}

export async function callBank(orderId: string, amountUsd: number): Promise<string> {
  return tracer.startActiveSpan('POST https://bank.example/charge', async () => {
    const res = await fetch('https://bank.example/charge', { method: 'POST', body: JSON.stringify({ orderId, amountUsd }) });
    if (!res.ok) throw new Error(\`bank answered \${res.status} \${res.statusText}\`);
    return res.text();
  });
}
`,
};
const DEMO_APP_PREFIX = '/usr/src/shop/';

/** code.* attributes for the span started with `tracer.startActiveSpan('<spanName>'` in `rel`. */
function codeAttrs(rel, fn, spanName) {
  const lines = DEMO_APP[rel].split('\n');
  const i = lines.findIndex((l) => l.includes(`tracer.startActiveSpan('${spanName}'`));
  if (i < 0) throw new Error(`no span "${spanName}" in ${rel}`);
  return { 'code.filepath': DEMO_APP_PREFIX + rel, 'code.lineno': i + 1, 'code.function': fn };
}

/** Where each demo function is declared (1-based), for demo-expectations.json. */
function demoFunctions() {
  const out = [];
  for (const [rel, text] of Object.entries(DEMO_APP)) {
    text.split('\n').forEach((l, i) => {
      const m = /^export async function (\w+)/.exec(l);
      if (m) out.push({ file: rel, function: m[1], declarationLine: i + 1 });
    });
  }
  return out;
}

/** A checkout request through four services, with a failed then retried payment call. */
function checkoutTree(orderId) {
  return {
    svc: 'frontend', name: 'GET /checkout', kind: SERVER, at: 0, dur: 120,
    attrs: { 'http.request.method': 'GET', 'url.path': '/checkout', 'http.response.status_code': 200, 'user_agent.original': 'Mozilla/5.0' },
    children: [
      {
        svc: 'frontend', name: 'POST checkout.PlaceOrder', kind: CLIENT, at: 5, dur: 80,
        attrs: { 'rpc.system': 'grpc', 'rpc.service': 'checkout.CheckoutService', 'server.address': 'checkout' },
        children: [
          {
            svc: 'checkout', name: 'checkout.PlaceOrder', kind: SERVER, at: 7, dur: 76,
            attrs: { 'rpc.system': 'grpc', 'rpc.method': 'PlaceOrder', 'app.order.id': orderId, 'app.cart.items': 3, ...codeAttrs('app/checkoutHandler.ts', 'placeOrder', 'checkout.PlaceOrder') },
            events: [{ name: 'order placed', at: 81, attrs: { 'app.order.id': orderId, 'app.order.total_usd': 129.9 } }],
            children: [
              {
                svc: 'checkout', name: 'cart.GetCart', kind: CLIENT, at: 10, dur: 15,
                children: [
                  {
                    svc: 'cart', name: 'cart.GetCart', kind: SERVER, at: 11, dur: 13,
                    children: [
                      { svc: 'cart', name: 'redis GET', kind: CLIENT, at: 12, dur: 2, attrs: { 'db.system.name': 'redis', 'db.operation.name': 'GET', 'db.query.text': 'GET cart:42' } },
                    ],
                  },
                ],
              },
              {
                svc: 'checkout', name: 'payment.Charge', kind: CLIENT, at: 27, dur: 43,
                children: [
                  {
                    svc: 'payment', name: 'payment.Charge', kind: SERVER, at: 28, dur: 41,
                    attrs: { 'app.payment.card_type': 'visa', 'app.payment.amount_usd': 129.9, ...codeAttrs('app/paymentGateway.ts', 'charge', 'payment.Charge') },
                    children: [
                      {
                        svc: 'payment', name: 'POST https://bank.example/charge', kind: CLIENT, at: 30, dur: 15,
                        error: 'bank answered 503 Service Unavailable',
                        attrs: { 'http.request.method': 'POST', 'url.full': 'https://bank.example/charge', 'http.response.status_code': 503, 'error.type': '503', ...codeAttrs('app/paymentGateway.ts', 'callBank', 'POST https://bank.example/charge') },
                        events: [{ name: 'exception', at: 44, attrs: { 'exception.type': 'BankUnavailableError', 'exception.message': 'bank answered 503 Service Unavailable' } }],
                      },
                      {
                        svc: 'payment', name: 'POST https://bank.example/charge', kind: CLIENT, at: 47, dur: 19,
                        attrs: { 'http.request.method': 'POST', 'url.full': 'https://bank.example/charge', 'http.response.status_code': 200, 'http.request.resend_count': 1, ...codeAttrs('app/paymentGateway.ts', 'callBank', 'POST https://bank.example/charge') },
                      },
                    ],
                  },
                ],
              },
              {
                svc: 'checkout', name: 'INSERT orders', kind: CLIENT, at: 72, dur: 8,
                attrs: { 'db.system.name': 'postgresql', 'db.collection.name': 'orders', 'db.query.text': 'INSERT INTO orders (id, total) VALUES ($1, $2)', ...codeAttrs('app/checkoutHandler.ts', 'saveOrder', 'INSERT orders') },
              },
            ],
          },
        ],
      },
      { svc: 'frontend', name: 'render checkout page', kind: INTERNAL, at: 90, dur: 25, attrs: { 'template.name': 'checkout.html' } },
    ],
  };
}

/** Span names of a tree in depth-first order, children by start time (the order the waterfall shows). */
function dfsNames(node, out = []) {
  out.push(node.name);
  for (const c of [...(node.children ?? [])].sort((a, b) => a.at - b.at)) dfsNames(c, out);
  return out;
}

const SERVICES = ['frontend', 'checkout', 'cart', 'payment'];
const T0 = Date.UTC(2025, 5, 3, 14, 7, 21, 250); // fixed, so the files are reproducible

function checkoutRun(seed, runs) {
  const { exporter, tracers } = makeServices(SERVICES, seed);
  runs.forEach((r, i) => record(tracers, checkoutTree(r.orderId), T0 + i * 1500));
  return exporter.getFinishedSpans();
}

function write(rel, data) {
  const file = path.join(OUT, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

function otlpJsonText(spans, pretty) {
  const obj = JSON.parse(Buffer.from(JsonTraceSerializer.serializeRequest(spans)).toString('utf8'));
  return pretty ? JSON.stringify(obj, null, 2) + '\n' : JSON.stringify(obj);
}

function hexToBase64(hex) {
  return Buffer.from(hex, 'hex').toString('base64');
}

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Tempo's trace-by-id response: `batches` instead of resourceSpans, base64 ids, enum names (gogo jsonpb). */
function toTempo(otlp) {
  const batches = otlp.resourceSpans.map((rs) => ({
    ...rs,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      ...ss,
      spans: ss.spans.map((s) => ({
        ...s,
        traceId: hexToBase64(s.traceId),
        spanId: hexToBase64(s.spanId),
        ...(s.parentSpanId ? { parentSpanId: hexToBase64(s.parentSpanId) } : {}),
        kind: KIND_NAMES[s.kind],
        status: s.status && s.status.code ? { ...s.status, code: STATUS_NAMES[s.status.code] } : {},
      })),
    })),
  }));
  return { batches };
}

function copyFromCorpus(rel, dest) {
  const src = path.join(CORPUS, rel);
  if (!fs.existsSync(src)) throw new Error(`corpus file missing: ${src} (set SPANLENS_CORPUS)`);
  const bytes = fs.readFileSync(src);
  write(dest, bytes);
  return JSON.parse(bytes.toString('utf8'));
}

function main() {
  // Only what this script writes is replaced: a test run may be using the folder (its copies of
  // fixtures, the generated large sample) at the same time.
  for (const rel of ['broken', 'odd', 'app']) fs.rmSync(path.join(OUT, rel), { recursive: true, force: true });
  const files = [];
  for (const [rel, text] of Object.entries(DEMO_APP)) write(rel, text);
  const checkoutNames = dfsNames(checkoutTree('x'));

  // OTLP JSON: one request, pretty-printed as a developer would save it.
  const one = checkoutRun(101, [{ orderId: 'ord-7d2f' }]);
  write('checkout.otlp.json', otlpJsonText(one, true));
  files.push({
    file: 'checkout.otlp.json', format: 'otlp-json', formatLabel: 'OTLP JSON', defaultEditor: true,
    traceCount: 1, spanCount: one.length, rootName: 'GET /checkout', names: checkoutNames,
    search: { text: 'redis', match: 'redis GET', hidden: 'render checkout page' },
    detail: { span: 'INSERT orders', texts: ['db.query.text', 'INSERT INTO orders (id, total) VALUES ($1, $2)', 'postgresql'] },
  });

  // OTLP JSON Lines (Collector file exporter): three requests, several export batches per line.
  const three = checkoutRun(202, [{ orderId: 'ord-11a0' }, { orderId: 'ord-11a1' }, { orderId: 'ord-11a2' }]);
  const lines = [];
  for (let i = 0; i < three.length; i += 8) lines.push(otlpJsonText(three.slice(i, i + 8), false));
  write('checkout-three-requests.otlp.jsonl', lines.join('\n') + '\n');
  files.push({
    file: 'checkout-three-requests.otlp.jsonl', format: 'otlp-jsonl', formatLabel: 'OTLP JSON Lines', defaultEditor: true,
    traceCount: 3, spanCount: three.length, rootName: 'GET /checkout', names: checkoutNames,
  });

  // OTLP protobuf: the bytes the OTLP/HTTP exporter POSTs (ExportTraceServiceRequest).
  const proto = checkoutRun(303, [{ orderId: 'ord-5e19' }]);
  write('checkout.otlp.binpb', Buffer.from(ProtobufTraceSerializer.serializeRequest(proto)));
  files.push({
    file: 'checkout.otlp.binpb', format: 'otlp-proto', formatLabel: 'OTLP protobuf', defaultEditor: true,
    traceCount: 1, spanCount: proto.length, rootName: 'GET /checkout', names: checkoutNames,
  });

  // Tempo trace-by-id response. A plain *.json: Spanlens is an option for it, not the default editor.
  const tempo = checkoutRun(404, [{ orderId: 'ord-9c33' }]);
  write('tempo-trace-by-id.json', JSON.stringify(toTempo(JSON.parse(otlpJsonText(tempo, false))), null, 2) + '\n');
  files.push({
    file: 'tempo-trace-by-id.json', format: 'tempo', formatLabel: 'Tempo API response', defaultEditor: false,
    traceCount: 1, spanCount: tempo.length, rootName: 'GET /checkout', names: checkoutNames,
  });

  // Jaeger query-service JSON (Apache-2.0, jaeger-ui).
  const jaeger = copyFromCorpus('jaeger-json/jaegerui-genaiTestTrace.json', 'genai-agent.jaeger.json');
  const jaegerRoot = jaeger.spans.find((s) => !s.references || s.references.length === 0);
  files.push({
    file: 'genai-agent.jaeger.json', format: 'jaeger-json', formatLabel: 'Jaeger JSON', defaultEditor: true,
    traceCount: 1, spanCount: jaeger.spans.length, rootName: jaegerRoot.operationName,
    names: [...new Set(jaeger.spans.map((s) => s.operationName))],
  });

  // Zipkin v2 JSON (Apache-2.0, openzipkin/zipkin lens test data).
  const zipkin = copyFromCorpus('zipkin-json/zipkin-lens-messaging-kafka.json', 'kafka-messaging.zipkin.json');
  files.push({
    file: 'kafka-messaging.zipkin.json', format: 'zipkin-v2', formatLabel: 'Zipkin v2 JSON', defaultEditor: true,
    traceCount: 1, spanCount: zipkin.length, rootName: zipkin.find((s) => !s.parentId).name,
    names: [...new Set(zipkin.map((s) => s.name))],
  });

  // Chrome Trace Event Format: complete (X) events nested by time (MIT, speedscope importer tests).
  // Threads are not spans (each slice carries thread.id / thread.name, and the waterfall keeps a
  // thread's tasks together), so the spans are exactly the X events; the first one is the root.
  const chrome = copyFromCorpus('chrome-trace/speedscope-te-matching-x.json', 'nested-events.chrome.json');
  files.push({
    file: 'nested-events.chrome.json', format: 'chrome', formatLabel: 'Chrome Trace Event', defaultEditor: false,
    traceCount: 1, spanCount: chrome.filter((e) => e.ph === 'X').length, rootName: chrome[0].name,
    names: [...new Set(chrome.map((e) => e.name))],
  });
  // A real DevTools performance recording (Chrome 69, MIT, speedscope): for the demo, not counted.
  copyFromCorpus('chrome-trace/speedscope-chrome69-simple.json', 'devtools-recording.chrome.json');

  // Markup in names and values must show as text, never run.
  const markup = makeServices(['<b>svc</b>'], 505);
  record(markup.tracers, {
    svc: '<b>svc</b>', name: '<img src=x onerror=alert(1)>', kind: SERVER, at: 0, dur: 10,
    attrs: { 'html.snippet': '"><svg onload=alert(3)>', 'note': '<script>alert(4)</script>' },
    children: [{ svc: '<b>svc</b>', name: '<script>alert("child")</script>', at: 2, dur: 5 }],
  }, T0);
  write('odd/markup-in-names.otlp.json', otlpJsonText(markup.exporter.getFinishedSpans(), true));
  const markupExpect = {
    file: 'odd/markup-in-names.otlp.json', format: 'otlp-json', traceCount: 1, spanCount: 2,
    rootName: '<img src=x onerror=alert(1)>', names: ['<img src=x onerror=alert(1)>', '<script>alert("child")</script>'],
    detail: { span: '<img src=x onerror=alert(1)>', texts: ['"><svg onload=alert(3)>', '<script>alert(4)</script>'] },
  };

  // Broken files: each must give an error view that says what is wrong and where.
  const broken = [];
  const good = otlpJsonText(checkoutRun(606, [{ orderId: 'ord-0bad' }]), true).split('\n');
  const commaLine = good.findIndex((l, i) => i > 5 && /",$/.test(l)); // 0-based line whose comma we drop
  good[commaLine] = good[commaLine].replace(/,$/, '');
  write('broken/missing-comma.otlp.json', good.join('\n'));
  // The parser stops at the next token, which is on the following line (1-based: commaLine + 2).
  broken.push({ file: 'broken/missing-comma.otlp.json', line: commaLine + 2, messageIncludes: [] });
  write('broken/empty.otlp.json', '');
  broken.push({ file: 'broken/empty.otlp.json', messageIncludes: ['empty'] });
  write('broken/not-a-trace.json', JSON.stringify({ name: 'spanlens-demo', version: '1.0.0', scripts: {} }, null, 2) + '\n');
  broken.push({ file: 'broken/not-a-trace.json', messageIncludes: ['not a recognised trace format'] });

  write('NOTICE.md', noticeText());
  // The demo source tree: every function with spans (the checkout samples) and its declaration line.
  const source = { prefix: DEMO_APP_PREFIX, trace: 'checkout.otlp.json', functions: demoFunctions() };
  fs.writeFileSync(EXPECTATIONS, JSON.stringify({ files, markup: markupExpect, broken, source }, null, 2) + '\n');
  console.log(`wrote ${files.length + 4} samples to ${path.relative(ROOT, OUT)} and ${path.relative(ROOT, EXPECTATIONS)}`);
}

function noticeText() {
  return `# Sample traces: where they come from

Open any file here with Spanlens (files named \`*.otlp.json\`, \`*.otlp.jsonl\`, \`*.otlp.binpb\`,
\`*.jaeger.json\` and \`*.zipkin.json\` open in Spanlens by default; for other \`*.json\` files use
"Reopen Editor With…" → Spanlens).

Generated by \`test/harness/generate-demo.js\` with the OpenTelemetry JS SDK
(@opentelemetry/sdk-trace-base and the OTLP JSON/protobuf serializers of @opentelemetry/otlp-transformer,
Apache-2.0); the data itself is made up for this project:

| file | what |
|---|---|
| \`checkout.otlp.json\` | one checkout request through 4 services, OTLP JSON |
| \`checkout-three-requests.otlp.jsonl\` | three requests, one export batch per line (Collector file exporter) |
| \`checkout.otlp.binpb\` | one request, OTLP protobuf (ExportTraceServiceRequest) |
| \`tempo-trace-by-id.json\` | one request as Tempo's trace-by-id response (\`batches\`, base64 ids) |
| \`odd/markup-in-names.otlp.json\` | span names and attributes that contain HTML (must show as text) |
| \`app/*.ts\` | the demo's source: the checkout spans record code.filepath / code.lineno / code.function in these files (as /usr/src/shop/app/…), for the CodeLens and jump to code |
| \`broken/*\` | files that cannot be read: a missing comma, an empty file, a JSON file that is not a trace |
| \`generated/large-20000-spans.otlp.binpb\` | 20 000 spans from test/support/generate.ts, written by test/harness/large-sample.js when \`npm start\` or the UI checks run (not committed) |

Copied unmodified from other projects:

| file | origin | license |
|---|---|---|
| \`genai-agent.jaeger.json\` | jaegertracing/jaeger-ui @ c321fb32bbca0bdce9e8c2d40afb35abbf54c12b, \`packages/jaeger-ui/src/components/TracePage/TraceTimelineViewer/genaiTestTrace.json\` | Apache-2.0 |
| \`kafka-messaging.zipkin.json\` | openzipkin/zipkin @ 878ce2a1fad54ca941d17fdcf2e1d924b148eb1f, \`zipkin-lens/testdata/messaging-kafka.json\` | Apache-2.0 |
| \`nested-events.chrome.json\` | jlfwong/speedscope @ 3613918de0dd55a263d0d04f85b0c8c2039c7bee, \`sample/profiles/trace-event/matching-x.json\` | MIT |
| \`devtools-recording.chrome.json\` | jlfwong/speedscope @ 3613918de0dd55a263d0d04f85b0c8c2039c7bee, \`sample/profiles/Chrome/69/simple.json\` | MIT |

`;
}

main();
