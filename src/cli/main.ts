// The `spanlens` command-line tool: the same core as the extension, without VS Code.
// Errors are one line on stderr (what and where), never a stack trace; exit code 2 for bad input.
import * as fs from 'fs';
import { parseArgs } from 'util';
import { describeError } from '../core/model/errors';
import { ImportCancelled, importTraceFilePath } from '../core/importers/importFile';
import { DEFAULT_MAX_FILE_MB } from '../core/importers/limits';
import { FORMAT_LABELS, Trace, TraceFile } from '../core/model/model';
import { criticalPath } from '../core/analysis/criticalPath';
import { fileLogIndex } from '../core/logs/join';
import { traceGenAiTotals } from '../core/genai/totals';
import { formatDurationNs } from '../core/model/time';
import { serializeOtlpJson, toOtlpJsonLines } from '../core/exporters/otlpJson';
import { toChromeTrace } from '../core/exporters/chrome';
import { runCollect } from './collect';
import { runDiff } from './diff';
import { runFetch } from './fetch';
import { runStats } from './stats';
import { runMcp } from './mcp';
import { REDACT_ARG_OPTIONS, REDACT_USAGE, hasRedactFlags, redactionCountsLine, redactorFromFlags } from './redactFlags';
import { redactTraceFile } from '../core/redaction';

const USAGE = `usage:
  spanlens inspect FILE [--json] [--max-file-mb N]
  spanlens convert FILE --to otlp-json|otlp-jsonl|chrome [-o OUT] [--max-file-mb N] ${REDACT_USAGE}
  spanlens stats FILE... [--root DIR] [--json] [--path-map FROM=TO]
  spanlens diff BASELINE CANDIDATE [--root DIR] [--path-map FROM=TO]... [--json] [--threshold 20%] [--min-delta 1ms] [--fail-on-regression]
  spanlens collect [--host 127.0.0.1] [--http-port 4318] [--grpc-port 4317] [--zipkin-port 9411] [--out FILE.jsonl [--redact...]] [--max-spans N] [--max-logs N]
  spanlens fetch --backend jaeger|tempo|zipkin --url URL TRACE_ID [-o FILE] [--redact...]   (token from $SPANLENS_TOKEN)
  spanlens fetch --backend ... --url URL --search [--service S] [--operation O] [--tag k=v]... [--limit N] ...
  spanlens mcp [FILE|DIR]... [--root DIR] [--collect [--http-port P] [--grpc-port P]] [--redact-pattern REGEX]... [--redact-key KEY]... [--redact-allow KEY]...
  (spanlens fetch --help lists every search field, headers and credentials)`;

/** Exit codes: 0 ok, 1 usage, 2 unreadable input, 3 cannot write output. */
class CliError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
  }
}

/**
 * Streams the file from disk (OTLP JSON, JSON Lines and protobuf of any size; the other formats up
 * to --max-file-mb). Ctrl+C cancels a long read cleanly.
 */
async function readTraceFile(file: string, maxMb: number): Promise<TraceFile> {
  try {
    fs.statSync(file);
  } catch (e) {
    throw new CliError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 2);
  }
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  try {
    return await importTraceFilePath(file, { fileName: file, maxFileSizeMB: maxMb, howToRaiseLimit: '--max-file-mb', isCancelled: () => interrupted });
  } catch (e) {
    if (e instanceof ImportCancelled) throw new CliError(`${file}: interrupted`, 130);
    throw new CliError(describeError(e, file), 2);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The `inspect --json` document: one object, stable field names (CI scripts read it). */
export function inspectJson(file: TraceFile): object {
  const logs = fileLogIndex(file);
  return {
    format: file.format,
    traceCount: file.traces.length,
    spanCount: file.spanCount,
    logCount: file.logs?.length ?? 0,
    traces: file.traces.map((t, i) => ({
      traceId: t.traceId,
      rootName: t.rootName,
      rootService: t.rootService,
      spanCount: t.spans.length,
      errorCount: t.errorCount,
      services: t.services,
      startTimeUnixNano: t.startTimeUnixNano.toString(),
      durationMs: t.durationNs / 1e6,
      criticalPath: criticalPathJson(t),
      // The records joined to this trace: to its spans, or to the trace alone.
      logCount: logs.traces[i]?.count ?? 0,
      ...genAiJson(t),
    })),
    warnings: [...file.warnings.map((w) => w.message), ...file.traces.flatMap((t) => t.warnings.map((w) => w.message))],
  };
}

/** Per trace with GenAI spans: its token totals, each model call counted once (see src/core/genai/totals.ts). */
function genAiJson(t: Trace): { genAi?: { inputTokens: number; outputTokens: number; models: string[] } } {
  const g = traceGenAiTotals(t);
  return g ? { genAi: { inputTokens: g.inputTokens, outputTokens: g.outputTokens, models: [...g.models] } } : {};
}

/** The critical path of every root, in time order, with absolute times as decimal strings. */
function criticalPathJson(t: Trace): Array<{ spanId: string; startTimeUnixNano: string; endTimeUnixNano: string }> {
  const at = (offsetNs: number) => (t.startTimeUnixNano + BigInt(Math.round(offsetNs))).toString();
  return criticalPath(t).map((seg) => ({ spanId: t.spans[seg.spanIndex].spanId.toLowerCase(), startTimeUnixNano: at(seg.startNs), endTimeUnixNano: at(seg.endNs) }));
}

function inspectText(name: string, file: TraceFile): string {
  const lines = [`${name}: ${FORMAT_LABELS[file.format]}, ${file.traces.length} trace(s), ${file.spanCount} span(s)${file.logs?.length ? `, ${file.logs.length} log record(s)` : ''}`];
  for (const t of file.traces) {
    lines.push(
      `  ${t.traceId}  ${t.rootName || '(no root)'} [${t.rootService}]  ${formatDurationNs(t.durationNs)}  ${t.spans.length} spans` +
        `${t.errorCount ? `, ${t.errorCount} errors` : ''}  services: ${t.services.join(', ')}`,
    );
  }
  const warnings = (inspectJson(file) as { warnings: string[] }).warnings;
  for (const w of warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

function convert(file: TraceFile, to: string): string {
  switch (to) {
    case 'otlp-json':
      return serializeOtlpJson(file);
    case 'otlp-jsonl':
      return toOtlpJsonLines(file);
    case 'chrome':
      return JSON.stringify(toChromeTrace(file));
    default:
      throw new CliError(`unknown --to format "${to}" (expected otlp-json, otlp-jsonl or chrome)`, 1);
  }
}

/** Commands that run asynchronously (servers, source maps) have their own modules. */
const ASYNC_COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  stats: runStats,
  diff: runDiff,
  collect: runCollect,
  fetch: runFetch,
  mcp: runMcp,
};

export function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command && ASYNC_COMMANDS[command]) return ASYNC_COMMANDS[command](rest);
  return runFileCommand(command, rest);
}

async function runFileCommand(command: string | undefined, rest: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        to: { type: 'string' },
        o: { type: 'string', short: 'o' },
        out: { type: 'string' },
        'max-file-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        ...REDACT_ARG_OPTIONS,
      },
    });
    if (!command || command === 'help' || command === '--help' || values.help) {
      process.stdout.write(USAGE + '\n');
      return command ? 0 : 1;
    }
    const maxMb = values['max-file-mb'] ? Number(values['max-file-mb']) : DEFAULT_MAX_FILE_MB;
    if (!Number.isFinite(maxMb) || maxMb <= 0) throw new CliError('--max-file-mb takes a positive number', 1);
    if (positionals.length !== 1) throw new CliError(`${command} takes exactly one FILE\n${USAGE}`, 1);
    const input = positionals[0];
    switch (command) {
      case 'inspect': {
        if (hasRedactFlags(values)) throw new CliError('inspect prints no values: --redact applies to convert', 1);
        const file = await readTraceFile(input, maxMb);
        process.stdout.write((values.json ? JSON.stringify(inspectJson(file)) : inspectText(input, file)) + '\n');
        return 0;
      }
      case 'convert': {
        if (!values.to) throw new CliError(`convert needs --to\n${USAGE}`, 1);
        // Flags are checked before the (maybe long) read: a bad pattern fails at once.
        const redactor = redactorFromFlags(values);
        let file = await readTraceFile(input, maxMb);
        if (redactor) file = redactTraceFile(file, redactor);
        const text = convert(file, values.to);
        if (redactor) process.stderr.write(redactionCountsLine(redactor));
        const out = values.o ?? values.out;
        if (!out) {
          process.stdout.write(text.endsWith('\n') ? text : text + '\n');
          return 0;
        }
        try {
          fs.writeFileSync(out, text);
        } catch (e) {
          throw new CliError(`${out}: cannot write: ${(e as Error).message}`, 3);
        }
        process.stderr.write(`wrote ${out} (${file.spanCount} spans)\n`);
        return 0;
      }
      default:
        throw new CliError(`unknown command "${command}"\n${USAGE}`, 1);
    }
  } catch (e) {
    const code = e instanceof CliError ? e.code : 1;
    process.stderr.write(`spanlens: ${e instanceof Error ? e.message : String(e)}\n`);
    return code;
  }
}

if (require.main === module) {
  void Promise.resolve(main(process.argv.slice(2))).then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`spanlens: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
