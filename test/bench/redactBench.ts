// Redaction cost (issue 13): exporting a 100k-span trace as OTLP JSON with redaction against the
// plain export of the same imported file. Target: redact + export ≤ 1.5× the plain export.
// The trace comes from the real OTel SDK (test/support/generate.ts); 1% of spans get a URL with an
// api_key and 1% an Authorization header, so the rules also run on real matches.
// Run: node esbuild.js --tests && node dist/test/bench/redactBench.js   (also part of npm run bench)
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { serializeOtlpJson } from '../../src/core/exporters/otlpJson';
import { importTraceFile } from '../../src/core/importers/importFile';
import { createRedactor, formatRedactionCounts, redactTraceFile } from '../../src/core/redaction';
import { generateSpans, toOtlpJsonBytes } from '../support/generate';

const SPANS = Number(process.env.SPANLENS_BENCH_SPANS ?? 100_000);
const RUNS = Number(process.env.SPANLENS_BENCH_RUNS ?? 5);

const ms = (v: number) => `${v.toFixed(0)} ms`;
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function plant(spans: ReadableSpan[]): void {
  spans.forEach((s, i) => {
    const attrs = s.attributes as Record<string, unknown>;
    if (i % 100 === 7) attrs['url.full'] = `https://api.example.com/v1/items/${i}?api_key=k${i}abcdef&lang=en`;
    if (i % 100 === 42) attrs['http.request.header.authorization'] = [`Bearer tok-${i}-0123456789abcdef`];
  });
}

function main(): void {
  const spans = generateSpans({ spans: SPANS, attributesPerSpan: 10, services: 6 });
  plant(spans);
  const file = importTraceFile(toOtlpJsonBytes(spans));
  const plain: number[] = [];
  const redacted: number[] = [];
  const redactOnly: number[] = [];
  let counts = '';
  let bytes = [0, 0];
  // Alternated, so both see the same heap and JIT state; the first pair warms up and is dropped.
  for (let i = 0; i <= RUNS; i++) {
    let t0 = performance.now();
    const a = serializeOtlpJson(file);
    const tPlain = performance.now() - t0;
    t0 = performance.now();
    const r = createRedactor();
    const safe = redactTraceFile(file, r);
    const tRedact = performance.now() - t0;
    const b = serializeOtlpJson(safe);
    const tBoth = performance.now() - t0;
    if (i === 0) continue;
    plain.push(tPlain);
    redacted.push(tBoth);
    redactOnly.push(tRedact);
    counts = formatRedactionCounts(r.counts);
    bytes = [a.length, b.length];
  }
  const p = median(plain);
  const q = median(redacted);
  const rows = [
    ['baseline: serializeOtlpJson (plain export)', ms(p), '—'],
    ['Spanlens: redactTraceFile + serializeOtlpJson', ms(q), `${(q / p).toFixed(2)}× (target ≤ 1.5×)`],
    ['of which redactTraceFile', ms(median(redactOnly)), `${(median(redactOnly) / p).toFixed(2)}× of the plain export`],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), 8));
  console.log(`Redacted export of ${file.spanCount} spans (~10 attributes each), median of ${RUNS} runs; ${(bytes[0] / 1e6).toFixed(1)} MB of OTLP JSON`);
  console.log(`| ${'measure'.padEnd(widths[0])} | ${'time'.padEnd(widths[1])} | ${'ratio'.padEnd(widths[2])} |`);
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
  console.log(counts);
}

main();
