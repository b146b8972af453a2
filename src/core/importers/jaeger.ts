// STUB: replaced by the Jaeger importer work.
import { ImportError } from '../errors';
import type { TraceFile } from '../model';
export function importJaeger(_value: unknown): TraceFile { throw new ImportError('Jaeger import not implemented yet', {}, 'jaeger-json'); }
