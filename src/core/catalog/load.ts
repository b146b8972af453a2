// Reading a trace file for the catalog: streamed from disk with progress, cancellable.
import * as path from 'path';
import { ImportCancelled, importTraceFilePath, type ReadProgress } from '../importers/importFile';
import type { TraceFile } from '../model/model';

export interface LoadOptions {
  readonly maxFileSizeMB?: number;
  readonly onProgress?: (p: ReadProgress) => void;
  readonly isCancelled?: () => boolean;
}

export { ImportCancelled as LoadCancelled };

export function isCancellation(e: unknown): boolean {
  return e instanceof ImportCancelled;
}

export function loadTraceFile(filePath: string, opts: LoadOptions = {}): Promise<TraceFile> {
  return importTraceFilePath(filePath, { fileName: path.basename(filePath), ...opts });
}
