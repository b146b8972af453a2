// `spanlens collect`: the dev collector without VS Code (devcontainers, CI). One ready line naming
// the ports, OTLP JSON Lines appended to --out (one TracesData per received batch), and on
// SIGINT/SIGTERM a flush, a summary and exit code 0.
import { parseArgs } from 'util';
import { REDACT_ARG_OPTIONS, REDACT_USAGE, RedactFlagError, redactionCountsLine, redactionFromFlags } from './redactFlags';
import { CollectorStartError, REJECT_REASON_TEXT, RejectReason, startCollector, type CollectorHandle, type CollectorStats, type StartOptions } from '../core/collector';

export const COLLECT_USAGE =
  'usage: spanlens collect [--host 127.0.0.1] [--http-port 4318] [--grpc-port 4317] [--zipkin-port 9411] [--out FILE.jsonl] [--max-spans N] [--max-logs N] [--max-request-mb N]\n' +
  `  with --out: ${REDACT_USAGE}`;

/** Exit codes: 0 stopped by a signal, 1 usage, 3 the output file could not be written, 4 cannot listen. */
export const CollectExit = { Ok: 0, Usage: 1, Output: 3, Listen: 4 } as const;

export interface CollectIo {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** Stops the collector like SIGTERM does (tests, embedding). */
  readonly signal?: AbortSignal;
  /** Extra collector options (worker script location, in-process mode). */
  readonly collector?: Partial<StartOptions>;
}

class UsageError extends Error {}

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

export function parseCollectArgs(args: string[]): StartOptions {
  return parseCollectCommand(args).options;
}

/** The collector's options; with --redact (which needs --out) they say how to redact the --out lines. */
export function parseCollectCommand(args: string[]): { options: StartOptions } {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      'http-port': { type: 'string' },
      'grpc-port': { type: 'string' },
      'zipkin-port': { type: 'string' },
      out: { type: 'string', short: 'o' },
      'max-spans': { type: 'string' },
      'max-logs': { type: 'string' },
      'max-request-mb': { type: 'string' },
      ...REDACT_ARG_OPTIONS,
    },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const maxMb = intOption('max-request-mb', values['max-request-mb'], 1, 2048);
  const outputRedaction = redactionFromFlags(values);
  if (outputRedaction && !values.out) throw new UsageError('--redact applies to the --out file: give --out FILE.jsonl');
  const options: StartOptions = {
    host: values.host,
    httpPort: intOption('http-port', values['http-port'], 0, 65535),
    grpcPort: intOption('grpc-port', values['grpc-port'], 0, 65535),
    zipkinPort: intOption('zipkin-port', values['zipkin-port'], 0, 65535),
    outputFile: values.out,
    outputRedaction,
    maxSpans: intOption('max-spans', values['max-spans'], 1, 100_000_000),
    maxLogs: intOption('max-logs', values['max-logs'], 1, 100_000_000),
    maxRequestBytes: maxMb === undefined ? undefined : maxMb * 1024 * 1024,
  };
  return { options };
}

function readyLine(c: CollectorHandle, out?: string): string {
  const p = c.ports;
  const parts: string[] = [];
  if (p.otlpHttp !== undefined) parts.push(`OTLP/HTTP ${p.host}:${p.otlpHttp}`);
  if (p.otlpGrpc !== undefined) parts.push(`OTLP/gRPC ${p.host}:${p.otlpGrpc}`);
  if (p.zipkin !== undefined) parts.push(`Zipkin ${p.host}:${p.zipkin}`);
  return `spanlens collect: listening on ${parts.join(', ')}${out ? `; appending to ${out}` : ''} (Ctrl+C to stop)`;
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summaryText(s: CollectorStats): string {
  const lines: string[] = [];
  const reqs = s.requests.otlpHttp + s.requests.otlpGrpc + s.requests.zipkin;
  lines.push(
    `spanlens collect: stopped. Received ${plural(s.spansReceived, 'span')} in ${plural(s.tracesReceived, 'trace')} ` +
      `from ${plural(reqs, 'request')} (OTLP/HTTP ${s.requests.otlpHttp}, OTLP/gRPC ${s.requests.otlpGrpc}, Zipkin ${s.requests.zipkin}).`,
  );
  if (s.spansRejected) lines.push(`  ${plural(s.spansRejected, 'span')} rejected for invalid ids (partial success).`);
  const rejected = Object.entries(s.rejected).filter(([, n]) => n);
  if (rejected.length) {
    const total = rejected.reduce((a, [, n]) => a + (n ?? 0), 0);
    lines.push(`  ${plural(total, 'request')} rejected: ${rejected.map(([r, n]) => `${n} ${REJECT_REASON_TEXT[r as RejectReason]}`).join(', ')}.`);
  } else lines.push('  No requests rejected.');
  if (s.logsReceived) lines.push(`  Received ${plural(s.logsReceived, 'log record')} from ${plural(s.logsRequests, 'logs request')}.`);
  if (s.evictedLogs) lines.push(`  The in-memory store evicted ${plural(s.evictedLogs, 'log record')} past --max-logs ${s.maxLogs}.`);
  if (s.metricsRequests) lines.push(`  Discarded ${plural(s.metricsRequests, 'metrics request')} (traces and logs are kept).`);
  if (s.evictedTraces) lines.push(`  The in-memory store evicted ${plural(s.evictedTraces, 'trace')} (${plural(s.evictedSpans, 'span')}) past --max-spans ${s.maxSpans}.`);
  if (s.outputFile) {
    lines.push(`  Wrote ${plural(s.outputFile.lines, 'batch', 'batches')} (${s.outputFile.bytes} bytes) to ${s.outputFile.path}.`);
    if (s.outputFile.error) lines.push(`  Output error: ${s.outputFile.error}`);
  }
  return lines.join('\n');
}

/** Runs `spanlens collect` until SIGINT/SIGTERM (or io.signal); resolves with the exit code. */
export async function runCollect(args: string[], io: CollectIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => process.stderr.write(t));
  let options: StartOptions;
  try {
    ({ options } = parseCollectCommand(args));
  } catch (e) {
    if (e instanceof RedactFlagError) {
      stderr(`spanlens: ${e.message}\n`);
      return CollectExit.Usage;
    }
    stderr(`spanlens: ${e instanceof Error ? e.message : String(e)}\n${COLLECT_USAGE}\n`);
    return CollectExit.Usage;
  }

  const outPath = options.outputFile;
  let collector: CollectorHandle;
  try {
    collector = await startCollector({ ...options, ...io.collector });
  } catch (e) {
    if (e instanceof CollectorStartError) {
      const f = e.failure;
      const flag = f.receiver === 'otlpHttp' ? '--http-port' : f.receiver === 'otlpGrpc' ? '--grpc-port' : f.receiver === 'zipkin' ? '--zipkin-port' : undefined;
      const hint = f.code === 'port-in-use' && flag ? ` (or pass ${flag} 0)` : '';
      stderr(`spanlens: ${f.message}${hint}\n`);
      return f.code === 'output-file' ? CollectExit.Output : f.code === 'bad-options' ? CollectExit.Usage : CollectExit.Listen;
    }
    stderr(`spanlens: ${e instanceof Error ? e.message : String(e)}\n`);
    return CollectExit.Listen;
  }
  stdout(readyLine(collector, outPath) + '\n');

  let reportedOutputError = false;
  const change = collector.onDidChange((c) => {
    const err = c.stats.outputFile?.error;
    if (err && !reportedOutputError) {
      reportedOutputError = true;
      stderr(`spanlens: ${err}\n`);
    }
  });

  let onSignal: (sig: NodeJS.Signals) => void = () => undefined;
  const why = await new Promise<string>((resolve) => {
    onSignal = (sig) => resolve(sig);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (io.signal?.aborted) resolve('abort');
    io.signal?.addEventListener('abort', () => resolve('abort'), { once: true });
    collector.onDidFail((m) => resolve(`failure: ${m}`));
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // A second Ctrl+C while flushing leaves at once.
  const force = () => {
    stderr('spanlens: stopping without flushing\n');
    process.exit(130);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  try {
    const stats = collector.stopped ? collector.stats() : await collector.stop();
    change.dispose();
    stdout(summaryText(stats) + '\n');
    if (stats.outputFile?.redacted) stderr(redactionCountsLine(stats.outputFile.redacted));
    if (why.startsWith('failure: ')) {
      stderr(`spanlens: ${why.slice(9)}\n`);
      return CollectExit.Listen;
    }
    return stats.outputFile?.error ? CollectExit.Output : CollectExit.Ok;
  } finally {
    process.off('SIGINT', force);
    process.off('SIGTERM', force);
  }
}
