// One measurement in a fresh process, so peak memory belongs to one job only:
//   node importChild.js FILE json|import|import-touch|proto-decode
// Prints one JSON line: {ms, peakRssBytes, heapUsedBytes, spans}.
import * as fs from 'fs';
import { importTraceFile } from '../../src/core/importers/importFile';
import { decodeTraceRequest } from '../../src/core/otlp/codec';

function main(): void {
  const [file, mode] = process.argv.slice(2);
  const bytes = new Uint8Array(fs.readFileSync(file));
  const baseRss = process.memoryUsage().rss;
  const t0 = performance.now();
  let spans = 0;
  let keep: unknown;
  if (mode === 'json') {
    keep = JSON.parse(new TextDecoder().decode(bytes));
  } else if (mode === 'proto-decode') {
    keep = decodeTraceRequest(bytes);
  } else {
    const f = importTraceFile(bytes, { fileName: file });
    if (mode === 'import-touch') for (const t of f.traces) for (const s of t.spans) keep = s.attributes;
    spans = f.spanCount;
    keep = f;
  }
  const ms = performance.now() - t0;
  const heapUsedBytes = process.memoryUsage().heapUsed;
  // maxRSS is in KiB and covers the whole process life, which is this one job.
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ ms, peakRssBytes, baseRssBytes: baseRss, heapUsedBytes, spans, kept: keep !== undefined }) + '\n');
}

main();
