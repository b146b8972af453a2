// File size policy shared by the editor and the CLI: refuse early, with the limit and the knob.
import { ImportError } from '../model/errors';

export const DEFAULT_MAX_FILE_MB = 256;

/** Throws an ImportError naming the limit and how to raise it when `size` is over `maxMb`. */
export function checkFileSize(size: number, maxMb: number, howToRaise: string): void {
  if (size <= maxMb * 1024 * 1024) return;
  const mb = (size / (1024 * 1024)).toFixed(1);
  throw new ImportError(
    `the file is ${mb} MB, over the ${maxMb} MB limit for trace files that cannot be streamed: OTLP JSON, OTLP JSON Lines ` +
      `and OTLP protobuf are read streamingly at any size; only the formats that cannot be streamed yet (Jaeger, Zipkin, Tempo, Chrome) ` +
      `are limited; raise the limit with ${howToRaise}, or convert the file to OTLP`,
    { offset: 0 },
  );
}
