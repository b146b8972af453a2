// Reading a trace file for the catalog: streamed from disk with progress, cancellable.
import * as fs from 'fs';
import * as path from 'path';
import * as importFile from '../importers/importFile';
import type { TraceFile } from '../model/model';

export interface LoadProgressInfo {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly spans?: number;
}

export interface LoadOptions {
  readonly maxFileSizeMB?: number;
  readonly onProgress?: (p: LoadProgressInfo) => void;
  readonly isCancelled?: () => boolean;
}

export class LoadCancelled extends Error {
  constructor() {
    super('the load was cancelled');
    this.name = 'ImportCancelled';
  }
}

export function isCancellation(e: unknown): boolean {
  return e instanceof Error && e.name === 'ImportCancelled';
}

export async function loadTraceFile(filePath: string, opts: LoadOptions = {}): Promise<TraceFile> {
  const fileName = path.basename(filePath);
  // TEMP until the streaming importer lands: the whole file, then the import.
  const streaming = (importFile as unknown as Record<string, unknown>).importTraceFilePath as
    | ((p: string, o: object) => Promise<TraceFile>)
    | undefined;
  if (streaming) return streaming(filePath, { fileName, ...opts });
  const bytes = await fs.promises.readFile(filePath);
  if (opts.isCancelled?.()) throw new LoadCancelled();
  opts.onProgress?.({ bytesDone: bytes.length, bytesTotal: bytes.length });
  return importFile.importTraceFile(bytes, { fileName });
}
