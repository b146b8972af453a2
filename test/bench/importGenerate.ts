// Generates the import benchmark's files once (real OTel JS SDK + serializers) into a cache dir:
//   node importGenerate.js DIR
// 100k spans in one trace and 10k traces of 10 spans (OTLP JSON and protobuf), and, unless
// SPANLENS_BENCH_MILLION=0, one trace of a million spans as one OTLP JSON document and as JSON Lines
// (serialised 50k spans at a time: one document of that size is past V8's string limit).
import * as fs from 'fs';
import * as path from 'path';
import { generateSpans, toOtlpJsonBytes, toOtlpProtoBytes } from '../support/generate';

const PREFIX = Buffer.from('{"resourceSpans":[');
const SUFFIX = Buffer.from(']}');

function main(): void {
  const dir = process.argv[2];
  const million = process.argv[3] !== 'no-million';
  fs.mkdirSync(dir, { recursive: true });
  const shapes: [string, number, number][] = [
    ['one-trace-100k', 100_000, 1],
    ['traces-10k-x10', 100_000, 10_000],
  ];
  for (const [name, spans, traces] of shapes) {
    const json = path.join(dir, `${name}.otlp.json`);
    const proto = path.join(dir, `${name}.otlp.binpb`);
    if (fs.existsSync(json) && fs.existsSync(proto)) continue;
    const s = generateSpans({ spans, traces, attributesPerSpan: 10, services: 6 });
    fs.writeFileSync(proto, toOtlpProtoBytes(s));
    fs.writeFileSync(json, toOtlpJsonBytes(s));
    console.log(`generated ${name}`);
  }
  if (!million) return;
  const doc = path.join(dir, 'million.otlp.json');
  const jsonl = path.join(dir, 'million.otlp.jsonl');
  if (fs.existsSync(doc) && fs.existsSync(jsonl)) return;
  const all = generateSpans({ spans: 1_000_000, traces: 1, attributesPerSpan: 8, services: 6 });
  const fdDoc = fs.openSync(doc + '.tmp', 'w');
  const fdLines = fs.openSync(jsonl + '.tmp', 'w');
  fs.writeSync(fdDoc, PREFIX);
  for (let i = 0; i < all.length; i += 50_000) {
    const bytes = Buffer.from(toOtlpJsonBytes(all.slice(i, i + 50_000)));
    if (!bytes.subarray(0, PREFIX.length).equals(PREFIX) || !bytes.subarray(bytes.length - 2).equals(SUFFIX)) throw new Error('unexpected serializer output');
    if (i > 0) fs.writeSync(fdDoc, ',');
    fs.writeSync(fdDoc, bytes.subarray(PREFIX.length, bytes.length - SUFFIX.length));
    fs.writeSync(fdLines, bytes);
    fs.writeSync(fdLines, '\n');
  }
  fs.writeSync(fdDoc, SUFFIX);
  fs.closeSync(fdDoc);
  fs.closeSync(fdLines);
  fs.renameSync(doc + '.tmp', doc);
  fs.renameSync(jsonl + '.tmp', jsonl);
  console.log('generated the million-span files');
}

main();
