// A bad input is reported as an ImportError: what was wrong and where. Importers throw it; the host,
// the CLI and the collector catch it and show `message` plus the location, never a stack trace.
import type { FormatId, SourceLocation } from './model';

export class ImportError extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation = {},
    /** The format that was being read, or undefined when detection itself failed. */
    readonly format?: FormatId,
    /** Formats that were tried when none matched. */
    readonly tried: readonly FormatId[] = [],
    /** Set when the failure was not anticipated by an importer (a bug): kept for tests and logs. */
    readonly unexpected?: unknown,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/** A file that is readable but holds no spans (empty file, list or envelope): said the same way in every format. */
export class NoSpansError extends ImportError {
  constructor(message: string, location: SourceLocation = {}, format?: FormatId, tried: readonly FormatId[] = []) {
    super(message, location, format, tried);
    this.name = 'NoSpansError';
  }
}

/** "line 3, column 7 (byte 52), at $.spans[2].startTime" — only the parts that are known. */
export function formatLocation(loc: SourceLocation): string {
  const parts: string[] = [];
  if (loc.line !== undefined) parts.push(loc.column !== undefined ? `line ${loc.line}, column ${loc.column}` : `line ${loc.line}`);
  if (loc.offset !== undefined) parts.push(parts.length ? `(byte ${loc.offset})` : `byte ${loc.offset}`);
  if (loc.path) parts.push(`at ${loc.path}`);
  return parts.join(' ');
}

/** One line for a user: "<file>: <message> (<where>)". Works for any thrown value, without a stack. */
export function describeError(err: unknown, fileName?: string): string {
  const prefix = fileName ? `${fileName}: ` : '';
  if (err instanceof ImportError) {
    const where = formatLocation(err.location);
    return `${prefix}${err.message}${where ? ` (${where})` : ''}`;
  }
  if (err instanceof Error) return `${prefix}${err.message}`;
  return `${prefix}${String(err)}`;
}
