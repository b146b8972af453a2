// `spanlens fetch`: one trace by id from Jaeger, Tempo or Zipkin as OTLP JSON, or `--search`, one JSON
// line per matching trace. The secret comes from the environment (SPANLENS_TOKEN), never from a flag,
// so it stays out of shell history and process listings.
import * as fs from 'fs';
import { parseArgs } from 'util';
import { BACKEND_TYPES, BackendError, createBackendClient, parseTraceIdInput, redact, secretValues, type BackendConfig, type BackendCredentials, type BackendType, type SearchQuery, type TraceSummary } from '../core/backends';
import { serializeOtlpJson } from '../core/exporters/otlpJson';
import { parseDurationArg, parseTimeArg } from '../core/backends/queryText';
import { redactTraceFile, type Redactor } from '../core/redaction';
import { REDACT_ARG_OPTIONS, REDACT_HELP, REDACT_USAGE, RedactFlagError, redactionCountsLine, redactorFromFlags } from './redactFlags';

export const FETCH_USAGE = `usage:
  spanlens fetch --backend jaeger|tempo|zipkin --url URL TRACE_ID [-o FILE] ${REDACT_USAGE}
  spanlens fetch --backend jaeger|tempo|zipkin --url URL --search [--service S] [--operation OP]
                 [--tag KEY=VALUE]... [--min-duration 100ms] [--max-duration 2s]
                 [--start TIME] [--end TIME] [--limit N] [--query TRACEQL]
  common: [--header NAME=VALUE]... [--timeout SECONDS] [--insecure]
  TRACE_ID: hex, base64, a W3C traceparent, or a log line holding one.
  TIME: ISO 8601 (2024-05-01T10:00:00Z), epoch milliseconds, or a duration ago (15m, 2h, 1d).
  credentials come from the environment, never from flags:
    SPANLENS_TOKEN=...               sent as "Authorization: Bearer ..."
    SPANLENS_TOKEN_HEADER=X-Api-Key  send SPANLENS_TOKEN in this header instead
    SPANLENS_BASIC_AUTH=user:pass    HTTP basic auth
${REDACT_HELP}
  exit codes: 0 ok, 1 usage, 2 backend or trace error, 3 cannot write output`;

export interface FetchIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

class UsageError extends Error {}

/** Runs `spanlens fetch ARGS`; resolves to the exit code. */
export async function runFetch(args: string[], io: FetchIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const env = io.env ?? process.env;
  let secrets: string[] = [];
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        backend: { type: 'string' },
        url: { type: 'string' },
        o: { type: 'string', short: 'o' },
        out: { type: 'string' },
        search: { type: 'boolean', default: false },
        service: { type: 'string' },
        operation: { type: 'string' },
        tag: { type: 'string', multiple: true },
        'min-duration': { type: 'string' },
        'max-duration': { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        limit: { type: 'string' },
        query: { type: 'string' },
        header: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        ...REDACT_ARG_OPTIONS,
      },
    });
    if (values.help) {
      stdout(FETCH_USAGE + '\n');
      return 0;
    }
    const redactor = redactorFromFlags(values);
    const type = values.backend as BackendType | undefined;
    if (!type || !BACKEND_TYPES.includes(type)) throw new UsageError(`--backend must be one of ${BACKEND_TYPES.join(', ')}`);
    if (!values.url) throw new UsageError('--url is required (e.g. http://localhost:16686)');
    if (!/^https?:\/\/[^/]/i.test(values.url) || !URL.canParse(values.url)) throw new UsageError(`--url must be an http:// or https:// URL, got "${values.url}"`);
    const creds = credentialsFromEnv(env);
    const config: BackendConfig = { name: `${type} at ${new URL(values.url).host}`, type, url: values.url, headers: keyValues(values.header, '--header'), allowSelfSigned: values.insecure };
    secrets = secretValues(creds, config);
    const timeoutS = values.timeout !== undefined ? Number(values.timeout) : 30;
    if (!(timeoutS > 0)) throw new UsageError('--timeout takes a positive number of seconds');
    const client = createBackendClient(config, creds);
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    try {
      const opts = { timeoutMs: timeoutS * 1000, signal: ac.signal };
      if (values.search) {
        if (positionals.length) throw new UsageError('--search takes no TRACE_ID');
        const now = io.now?.() ?? Date.now();
        const query: SearchQuery = {
          service: values.service,
          operation: values.operation,
          tags: keyValues(values.tag, '--tag'),
          minDurationNs: durationArg(values['min-duration'], '--min-duration'),
          maxDurationNs: durationArg(values['max-duration'], '--max-duration'),
          startMs: timeArg(values.start, '--start', now),
          endMs: timeArg(values.end, '--end', now),
          limit: values.limit !== undefined ? positiveInt(values.limit, '--limit') : undefined,
          traceql: values.query,
        };
        for (const s of await client.search(query, opts)) stdout(JSON.stringify(redactor ? redactSummary(s, redactor) : s) + '\n');
        if (redactor) stderr(redactionCountsLine(redactor));
        return 0;
      }
      if (positionals.length !== 1) throw new UsageError('fetch takes exactly one TRACE_ID (or --search)');
      const traceId = parseTraceIdInput(positionals[0]);
      if (!traceId) throw new UsageError(`"${positionals[0]}" is not a trace id (expected 16 or 32 hex characters, base64, or a traceparent)`);
      const fetched = await client.getTrace(traceId, opts);
      if (fetched.partial) stderr(`spanlens: warning: ${fetched.partial}\n`);
      const text = serializeOtlpJson(redactor ? redactTraceFile(fetched.file, redactor) : fetched.file);
      if (redactor) stderr(redactionCountsLine(redactor));
      const out = values.o ?? values.out;
      if (!out) {
        stdout(text.endsWith('\n') ? text : text + '\n');
        return 0;
      }
      try {
        fs.writeFileSync(out, text);
      } catch (e) {
        stderr(`spanlens: ${out}: cannot write: ${(e as Error).message}\n`);
        return 3;
      }
      stderr(`wrote ${out} (${fetched.file.spanCount} spans from ${fetched.source})\n`);
      return 0;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  } catch (e) {
    if (e instanceof RedactFlagError) {
      stderr(`spanlens: ${e.message}\n`);
      return 1;
    }
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code?.startsWith?.('ERR_PARSE_ARGS') ) {
      stderr(`spanlens: ${redact((e as Error).message, secrets)}\n${FETCH_USAGE}\n`);
      return 1;
    }
    stderr(`spanlens: ${redact(e instanceof BackendError || e instanceof Error ? e.message : String(e), secrets)}\n`);
    return 2;
  }
}

/** Search results name root spans and services: the same rules as span names apply. */
function redactSummary(s: TraceSummary, r: Redactor): TraceSummary {
  return { ...s, rootName: r.string(s.rootName), rootService: r.string(s.rootService, 'service.name') };
}

function credentialsFromEnv(env: NodeJS.ProcessEnv): BackendCredentials | undefined {
  if (env.SPANLENS_BASIC_AUTH) {
    const i = env.SPANLENS_BASIC_AUTH.indexOf(':');
    if (i < 0) throw new UsageError('SPANLENS_BASIC_AUTH must be user:password');
    return { kind: 'basic', username: env.SPANLENS_BASIC_AUTH.slice(0, i), password: env.SPANLENS_BASIC_AUTH.slice(i + 1) };
  }
  if (!env.SPANLENS_TOKEN) return undefined;
  return env.SPANLENS_TOKEN_HEADER ? { kind: 'header', header: env.SPANLENS_TOKEN_HEADER, value: env.SPANLENS_TOKEN } : { kind: 'bearer', token: env.SPANLENS_TOKEN };
}

function keyValues(items: string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!items?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) throw new UsageError(`${flag} takes KEY=VALUE, got "${item}"`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

function durationArg(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const ns = parseDurationArg(text);
  if (ns === undefined) throw new UsageError(`${flag} takes a duration such as 100ms, 1.5s or 2m, got "${text}"`);
  return ns;
}

function timeArg(text: string | undefined, flag: string, now: number): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseTimeArg(text, now);
  if (ms === undefined) throw new UsageError(`${flag} takes an ISO 8601 time, epoch milliseconds or a duration ago (2h), got "${text}"`);
  return ms;
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number, got "${text}"`);
  return n;
}
