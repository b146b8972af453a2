// JSON.parse with the failure position turned into a line and column a user can find.
import { ImportError } from '../model/errors';
import type { FormatId, SourceLocation } from '../model/model';

/** Line/column (1-based) of a character offset in text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset named by V8's JSON.parse message ("... at position 123" / "line 2 column 5"), if any. */
function errorOffset(text: string, message: string): number | undefined {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    let off = 0;
    for (let l = 1; l < Number(lc[1]); l++) off = text.indexOf('\n', off) + 1;
    return off + Number(lc[2]) - 1;
  }
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  // V8 omits the position for "Unexpected token" errors: find it with our own scanner.
  return findSyntaxErrorOffset(text);
}

/**
 * Offset of the first JSON syntax error, by a small iterative scanner. Only runs after JSON.parse
 * has failed, so it favours simplicity over speed (it is still linear and never recurses).
 */
export function findSyntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  // Stack of containers: '{' or '['. `expect` is what the grammar allows next.
  const stack: string[] = [];
  type Expect = 'value' | 'key' | 'colon' | 'commaOrEnd' | 'keyOrEnd' | 'valueOrEnd';
  let expect: Expect = 'value';
  const lit = /^(true|false|null)/;
  const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/;
  for (;;) {
    ws();
    if (i >= n) return stack.length || (expect as Expect) !== 'commaOrEnd' ? n : undefined;
    const c = text[i];
    const afterValue = () => {
      expect = 'commaOrEnd';
    };
    if (expect === 'value' || expect === 'valueOrEnd') {
      if (expect === 'valueOrEnd' && c === ']') {
        stack.pop();
        i++;
        afterValue();
        continue;
      }
      if (c === '{') {
        stack.push('{');
        i++;
        expect = 'keyOrEnd';
      } else if (c === '[') {
        stack.push('[');
        i++;
        expect = 'valueOrEnd';
      } else if (c === '"') {
        const end = scanString(text, i);
        if (end < 0) return -end - 1;
        i = end;
        afterValue();
      } else {
        const rest = text.slice(i, i + 400);
        const m = lit.exec(rest) || num.exec(rest);
        if (!m) return i;
        i += m[0].length;
        afterValue();
      }
    } else if (expect === 'key' || expect === 'keyOrEnd') {
      if (expect === 'keyOrEnd' && c === '}') {
        stack.pop();
        i++;
        afterValue();
        continue;
      }
      if (c !== '"') return i;
      const end = scanString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      expect = 'colon';
    } else if (expect === 'colon') {
      if (c !== ':') return i;
      i++;
      expect = 'value';
    } else {
      if (!stack.length) return i; // trailing garbage after the top-level value
      const top = stack[stack.length - 1];
      if (c === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
      } else if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        stack.pop();
        i++;
        afterValue();
      } else return i;
    }
  }
}

/** Returns the offset after the closing quote, or -(offset of the error)-1. */
function scanString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) i++;
    else if (c < 32) return -i - 1;
  }
  return -text.length - 1;
}

/** Strips V8's "in JSON at position N" suffix and the echoed source snippet. */
function cleanMessage(message: string): string {
  return message
    // V8 echoes the source around the error, quotes and newlines included: `..."a": {}},\n  oops..." is not valid JSON`.
    .replace(/,\s*(\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '')
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '')
    .trim();
}

/**
 * Parses JSON text or throws an ImportError naming the line, column and offset.
 * `lineBase` lets a JSON Lines reader report the line in the whole file.
 */
export function parseJson(text: string, opts: { format?: FormatId; lineBase?: number; offsetBase?: number } = {}): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const off = errorOffset(text, message);
    let loc: SourceLocation = {};
    if (off !== undefined) {
      const lc = lineColumnAt(text, off);
      loc = { line: lc.line + (opts.lineBase ?? 0), column: lc.column, offset: off + (opts.offsetBase ?? 0) };
    }
    throw new ImportError(`invalid JSON: ${cleanMessage(message)}`, loc, opts.format);
  }
}

/** Typed access helpers for untyped JSON. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
