// STUB: replaced by the OTLP JSON importer work.
import { ImportError } from '../errors';
import type { TraceFile } from '../model';
export function importOtlpJson(_value: unknown, format: 'otlp-json' | 'tempo' | 'jaeger-v3'): TraceFile { throw new ImportError('OTLP JSON import not implemented yet', {}, format); }
export function importOtlpJsonLines(_text: string): TraceFile { throw new ImportError('OTLP JSON Lines import not implemented yet', {}, 'otlp-jsonl'); }
