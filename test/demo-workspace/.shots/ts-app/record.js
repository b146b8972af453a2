#!/usr/bin/env node
// Records test/fixtures/ts-app/traces/app.otlp.json and truth.json by RUNNING the compiled app
// (dist/, built with `npx tsc -p test/fixtures/ts-app`) under the real OpenTelemetry JS SDK.
//
// - A span processor captures each span's code location from a real stack frame at span start
//   (the first frame in dist/ outside the tracing helper), alternating the current semconv names
//   (code.file.path, code.line.number as int, code.column.number, code.function.name) and the
//   deprecated ones (code.filepath, code.lineno as a string, code.column, code.function + code.namespace).
// - Spans are exported with the in-memory exporter and serialised by otlp-transformer's
//   JsonTraceSerializer, the same bytes an OTLP/HTTP JSON exporter sends.
// - Every local path is rewritten to /app/... as if the app had run in a container from /app.
// - truth.json: for each instrumented function, the .ts file, its declaration line and the line of
//   its withSpan call (from "// @fn NAME" markers in src/, not from source maps), and the span
//   count and error count the exporter actually received.
//
// Usage: npx tsc -p test/fixtures/ts-app && node test/fixtures/ts-app/record.js
'use strict';
const fs = require('fs');
const path = require('path');
const { AsyncLocalStorage } = require('async_hooks');
const api = require('@opentelemetry/api');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { JsonTraceSerializer } = require('@opentelemetry/otlp-transformer');

const APP = __dirname;
const DIST = path.join(APP, 'dist') + path.sep;
const SRC = path.join(APP, 'src');
const CONTAINER_ROOT = '/app';
// The SDK's own frames sit above the app's at span start: keep enough of the stack.
Error.stackTraceLimit = 50;

/** Minimal AsyncLocalStorage context manager (what @opentelemetry/context-async-hooks provides). */
class AlsContextManager {
  constructor() {
    this.als = new AsyncLocalStorage();
  }
  active() {
    return this.als.getStore() ?? api.ROOT_CONTEXT;
  }
  with(ctx, fn, thisArg, ...args) {
    return this.als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind(ctx, target) {
    if (typeof target !== 'function') return target;
    const self = this;
    return function (...args) {
      return self.with(ctx, () => target.apply(this, args));
    };
  }
  enable() {
    return this;
  }
  disable() {
    this.als.disable();
    return this;
  }
}

const V8_FRAME_RE = /^\s*at (?:async )?(?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/;

/** The first stack frame in the app's compiled code, excluding the tracing helper itself. */
function appFrame() {
  const lines = new Error().stack.split('\n').slice(1);
  for (const line of lines) {
    const m = V8_FRAME_RE.exec(line);
    if (!m) continue;
    const file = m[2];
    if (!file.startsWith(DIST) || path.basename(file) === 'tracing.js') continue;
    return { fn: m[1], file, line: Number(m[3]), column: Number(m[4]) };
  }
  return undefined;
}

/** Captures code.* at span start; half the spans get the new names, half the deprecated ones. */
class CodeLocationProcessor {
  constructor() {
    this.n = 0;
    this.byFunction = new Map();
  }
  onStart(span) {
    const f = appFrame();
    if (!f) return;
    const useNew = this.n++ % 2 === 0;
    if (useNew) {
      span.setAttribute('code.file.path', f.file);
      span.setAttribute('code.line.number', f.line);
      span.setAttribute('code.column.number', f.column);
      if (f.fn) span.setAttribute('code.function.name', f.fn);
    } else {
      span.setAttribute('code.filepath', f.file);
      span.setAttribute('code.lineno', String(f.line)); // as Python's logging handler records it
      span.setAttribute('code.column', f.column);
      if (f.fn) {
        const dot = f.fn.lastIndexOf('.');
        if (dot > 0) span.setAttribute('code.namespace', f.fn.slice(0, dot));
        span.setAttribute('code.function', dot > 0 ? f.fn.slice(dot + 1) : f.fn);
      }
    }
    this.byFunction.set(span.name, f.fn);
  }
  onEnd() {}
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

/** "// @fn NAME" markers: declaration line, the withSpan call line and the span name after it. */
function readMarkers() {
  const out = [];
  let throwSite;
  for (const name of fs.readdirSync(SRC).sort()) {
    const lines = fs.readFileSync(path.join(SRC, name), 'utf8').split('\n');
    lines.forEach((text, i) => {
      const m = /\/\/ @fn (\S+)/.exec(text);
      if (m) {
        const j = lines.findIndex((l, k) => k >= i && l.includes('withSpan('));
        const spanName = /'([^']+)'/.exec(lines.slice(j, j + 3).join('\n'))[1];
        out.push({ file: `src/${name}`, function: m[1], spanName, declarationLine: i + 1, spanLine: j + 1 });
      }
      if (/\/\/ @throw/.test(text)) throwSite = { file: `src/${name}`, line: i + 1 };
    });
  }
  return { functions: out, throwSite };
}

/** Local paths -> /app paths, in the serialised JSON text (stack traces included). */
function rewritePaths(text) {
  const repo = path.resolve(APP, '..', '..', '..');
  const esc = (s) => JSON.stringify(s).slice(1, -1);
  return text
    .split(esc(APP)).join(CONTAINER_ROOT)
    .split(esc(path.join(repo, 'node_modules'))).join(`${CONTAINER_ROOT}/node_modules`)
    .split(esc(repo)).join(CONTAINER_ROOT);
}

async function record() {
  const exporter = new InMemorySpanExporter();
  const codeLocations = new CodeLocationProcessor();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'ts-app', 'service.version': '1.0.0' }),
    spanProcessors: [codeLocations, new SimpleSpanProcessor(exporter)],
  });
  api.context.setGlobalContextManager(new AlsContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);

  const { main } = require('./dist/main.js');
  // One span from the recorder itself: it has no app frame, so no code.* (an "unresolved" span).
  // Then one trace per request, as a server would produce.
  api.trace.getTracer('ts-app-recorder').startSpan('warm up').end();
  const responses = await main(24, 4);
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();

  const markers = readMarkers();
  const functions = markers.functions.map((m) => {
    const mine = spans.filter((s) => s.name === m.spanName);
    const recordedFn = codeLocations.byFunction.get(m.spanName);
    if (recordedFn !== m.function) throw new Error(`span "${m.spanName}": stack frame says function ${recordedFn}, marker says ${m.function}`);
    return { ...m, count: mine.length, errors: mine.filter((s) => s.status.code === api.SpanStatusCode.ERROR).length };
  });
  const withCode = spans.filter((s) => s.attributes['code.file.path'] !== undefined || s.attributes['code.filepath'] !== undefined);
  const newNames = spans.filter((s) => s.attributes['code.file.path'] !== undefined).length;
  const exceptionSpans = spans.filter((s) => s.events.some((e) => e.name === 'exception'));
  if (exceptionSpans.length !== 1) throw new Error(`expected exactly one span with an exception event, got ${exceptionSpans.length}`);
  const covered = functions.reduce((a, f) => a + f.count, 0);
  if (covered !== withCode.length) throw new Error(`markers cover ${covered} spans, but ${withCode.length} spans carry code.*`);

  const json = rewritePaths(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));
  const leftover = [APP, path.resolve(APP, '..', '..', '..')].find((p) => json.includes(p));
  if (leftover) throw new Error(`a local path survived the rewrite: ${leftover}`);
  fs.mkdirSync(path.join(APP, 'traces'), { recursive: true });
  fs.writeFileSync(path.join(APP, 'traces', 'app.otlp.json'), json + '\n');

  const truth = {
    comment:
      'Generated by record.js from what the run actually did. Lines are 1-based, from "// @fn" markers in src/ ' +
      '(declarationLine: the function; spanLine: its withSpan call, which is where the recorded stack frame maps to). ' +
      'count/errors: spans the exporter received. unresolved: spans without code.* (the recorder\'s own "warm up" span).',
    recordedAs: `${CONTAINER_ROOT}/dist/*.js`,
    spans: spans.length,
    spansWithNewNames: newNames,
    spansWithDeprecatedNames: withCode.length - newNames,
    unresolved: spans.length - withCode.length,
    responses: responses.map((r) => r.status),
    functions: functions.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.spanLine - b.spanLine)),
    exception: { spanName: exceptionSpans[0].name, throwSite: markers.throwSite },
  };
  fs.writeFileSync(path.join(APP, 'truth.json'), JSON.stringify(truth, null, 2) + '\n');
  await provider.shutdown();
  return truth;
}

record().then(
  (t) => process.stdout.write(`recorded ${t.spans} spans (${t.spansWithNewNames} new names, ${t.spansWithDeprecatedNames} deprecated, ${t.unresolved} without code.*)\n`),
  (e) => {
    process.stderr.write(`record.js: ${e.stack || e}\n`);
    process.exitCode = 1;
  },
);
