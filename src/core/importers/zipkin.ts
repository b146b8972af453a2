// STUB: replaced by the Zipkin importer work.
import { ImportError } from '../errors';
import type { TraceFile } from '../model';
export function importZipkin(_value: unknown): TraceFile { throw new ImportError('Zipkin import not implemented yet', {}, 'zipkin-v2'); }
