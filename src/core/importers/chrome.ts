// STUB: replaced by the Chrome importer work.
import { ImportError } from '../errors';
import type { TraceFile } from '../model';
export function parseChromeText(_text: string): unknown | undefined { return undefined; }
export function importChrome(_value: unknown): TraceFile { throw new ImportError('Chrome import not implemented yet', {}, 'chrome'); }
