// Option checking and defaults, in one place so the host, the CLI and the worker agree.
import { forwardTracesUrl } from './forwarder';
import { COLLECTOR_DEFAULTS, CollectorOptions } from './types';
import type { RedactorOptions } from '../redaction';

export interface ResolvedOptions {
  readonly host: string;
  readonly httpPort: number | null;
  readonly grpcPort: number | null;
  readonly zipkinPort: number | null;
  readonly maxRequestBytes: number;
  readonly maxSpans: number;
  readonly maxLogs: number;
  readonly outputFile?: string;
  readonly outputRedaction?: RedactorOptions;
  readonly forwardTo?: string;
  readonly corsAllowedOrigins: readonly string[];
  readonly changeIntervalMs: number;
}

export class CollectorOptionsError extends Error {}

function port(name: string, v: number | null | undefined, dflt: number): number | null {
  if (v === null) return null;
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new CollectorOptionsError(`${name} must be a port number from 0 to 65535 (0 picks a free port), got ${v}`);
  return v;
}

export function resolveOptions(o: CollectorOptions = {}): ResolvedOptions {
  const maxSpans = o.maxSpans ?? COLLECTOR_DEFAULTS.maxSpans;
  if (!Number.isInteger(maxSpans) || maxSpans < 1) throw new CollectorOptionsError(`maxSpans must be a whole number of at least 1, got ${maxSpans}`);
  const maxLogs = o.maxLogs ?? COLLECTOR_DEFAULTS.maxLogs;
  if (!Number.isInteger(maxLogs) || maxLogs < 1) throw new CollectorOptionsError(`maxLogs must be a whole number of at least 1, got ${maxLogs}`);
  const maxRequestBytes = o.maxRequestBytes ?? COLLECTOR_DEFAULTS.maxRequestBytes;
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1024) throw new CollectorOptionsError(`maxRequestBytes must be at least 1024, got ${maxRequestBytes}`);
  const host = (o.host ?? COLLECTOR_DEFAULTS.host).trim();
  if (!host) throw new CollectorOptionsError('host must not be empty');
  const r: ResolvedOptions = {
    host,
    httpPort: port('httpPort', o.httpPort, COLLECTOR_DEFAULTS.httpPort),
    grpcPort: port('grpcPort', o.grpcPort, COLLECTOR_DEFAULTS.grpcPort),
    zipkinPort: port('zipkinPort', o.zipkinPort, COLLECTOR_DEFAULTS.zipkinPort),
    maxRequestBytes,
    maxSpans,
    maxLogs,
    outputFile: o.outputFile || undefined,
    outputRedaction: o.outputFile ? o.outputRedaction : undefined,
    forwardTo: o.forwardTo?.trim() ? forwardTracesUrl(o.forwardTo).toString() : undefined,
    corsAllowedOrigins: [...(o.corsAllowedOrigins ?? [])],
    changeIntervalMs: Math.max(10, o.changeIntervalMs ?? COLLECTOR_DEFAULTS.changeIntervalMs),
  };
  if (r.httpPort === null && r.grpcPort === null && r.zipkinPort === null) throw new CollectorOptionsError('every receiver is disabled: enable at least one port');
  const used = [r.httpPort, r.grpcPort, r.zipkinPort].filter((p): p is number => p !== null && p !== 0);
  const dup = used.find((p, i) => used.indexOf(p) !== i);
  if (dup !== undefined) throw new CollectorOptionsError(`port ${dup} is given to two receivers`);
  return r;
}
