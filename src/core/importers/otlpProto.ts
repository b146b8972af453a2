// STUB: replaced by the OTLP protobuf importer work.
import { ImportError } from '../errors';
import type { TraceFile } from '../model';
export function looksLikeOtlpProto(_bytes: Uint8Array): boolean { return false; }
export function importOtlpProto(_bytes: Uint8Array): TraceFile { throw new ImportError('OTLP protobuf import not implemented yet', {}, 'otlp-proto'); }
