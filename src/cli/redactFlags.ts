// The redaction flags shared by `convert`, `fetch` and `collect --out`, parsed in one place so the
// three commands accept the same spelling and fail the same way on a bad pattern.
import { randomBytes } from 'crypto';
import { createRedactor, formatRedactionCounts, RedactionPatternError, type Redactor, type RedactorOptions } from '../core/redaction';

/** parseArgs option specs; spread into each command's own options. */
export const REDACT_ARG_OPTIONS = {
  redact: { type: 'boolean' },
  'redact-hash': { type: 'boolean' },
  'redact-pattern': { type: 'string', multiple: true },
  'redact-key': { type: 'string', multiple: true },
  'redact-allow': { type: 'string', multiple: true },
} as const;

export const REDACT_USAGE = '[--redact [--redact-hash]] [--redact-pattern REGEX]... [--redact-key KEY]... [--redact-allow KEY]...';

export const REDACT_HELP = `redaction (before anything is written):
  --redact               mask tokens, keys, passwords, cookies, e-mail addresses and card numbers
  --redact-hash          mask as <redacted:RULE:HASH> (HMAC-SHA256, a new random key per run): equal values stay equal
  --redact-pattern REGEX also mask what this JavaScript regex matches (repeatable; implies --redact)
  --redact-key KEY       also mask the whole value of this attribute key; * is a wildcard (repeatable; implies --redact)
  --redact-allow KEY     never mask this attribute key (repeatable)
  the counts per rule go to stderr`;

export interface RedactFlagValues {
  readonly redact?: boolean;
  readonly 'redact-hash'?: boolean;
  readonly 'redact-pattern'?: readonly string[];
  readonly 'redact-key'?: readonly string[];
  readonly 'redact-allow'?: readonly string[];
}

/** A usage problem with the redaction flags (exit code 1); the message is one line. */
export class RedactFlagError extends Error {}

/** Whether any redaction flag was given (commands that do not redact refuse them). */
export function hasRedactFlags(v: RedactFlagValues): boolean {
  return !!(v.redact || v['redact-hash'] || v['redact-pattern']?.length || v['redact-key']?.length || v['redact-allow']?.length);
}

/** The run's redactor, or undefined when redaction was not asked for. Throws RedactFlagError. */
export function redactorFromFlags(v: RedactFlagValues): Redactor | undefined {
  const options = redactionFromFlags(v);
  return options && createRedactor(options);
}

/**
 * The run's redaction options (plain data, for a collector in its own thread), or undefined when
 * redaction was not asked for. Throws RedactFlagError, also for a pattern that does not compile.
 */
export function redactionFromFlags(v: RedactFlagValues): RedactorOptions | undefined {
  const patterns = v['redact-pattern'] ?? [];
  const keys = v['redact-key'] ?? [];
  const allow = v['redact-allow'] ?? [];
  const on = !!(v.redact || v['redact-hash'] || patterns.length || keys.length);
  if (!on) {
    if (allow.length) throw new RedactFlagError('--redact-allow needs --redact');
    return undefined;
  }
  if (keys.some((k) => !k.trim()) || allow.some((k) => !k.trim())) throw new RedactFlagError('--redact-key and --redact-allow take a non-empty KEY');
  // A fresh key per run: hashes match within one export and cannot be compared across exports.
  const options: RedactorOptions = { patterns, keys, allow, hmacKey: v['redact-hash'] ? new Uint8Array(randomBytes(32)) : undefined };
  try {
    createRedactor(options);
  } catch (e) {
    if (e instanceof RedactionPatternError) throw new RedactFlagError(`--redact-pattern "${e.pattern}" is not a valid regex: ${e.reason}`);
    throw e;
  }
  return options;
}

/** The stderr line after a redacted write. */
export function redactionCountsLine(counts: Redactor | Readonly<Record<string, number>>): string {
  const map = 'counts' in counts && counts.counts instanceof Map ? counts.counts : new Map(Object.entries(counts as Record<string, number>));
  return `spanlens: ${formatRedactionCounts(map as ReadonlyMap<string, number>)}\n`;
}
