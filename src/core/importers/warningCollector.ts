// Collects the non-fatal problems an importer meets and folds repeats into one warning each, so a
// file with 10 000 bad timestamps yields one readable line ("10000× ..., first at $[3].timestamp")
// instead of 10 000.
import type { ImportWarning, WarningCode } from '../model/model';

interface Entry {
  code: WarningCode;
  message: string;
  path: string;
  count: number;
  traceId?: string;
  spanId?: string;
}

export class WarningCollector {
  private readonly entries = new Map<string, Entry>();

  /**
   * Records one occurrence. `kind` groups occurrences (one warning per code+kind); the message and
   * path of the first occurrence are the ones shown.
   */
  add(code: WarningCode, kind: string, message: string, path: string, ids: { traceId?: string; spanId?: string } = {}): void {
    const key = `${code}\u0000${kind}`;
    const e = this.entries.get(key);
    if (e) e.count++;
    else this.entries.set(key, { code, message, path, count: 1, ...ids });
  }

  get size(): number {
    return this.entries.size;
  }

  toWarnings(): ImportWarning[] {
    const out: ImportWarning[] = [];
    for (const e of this.entries.values()) {
      const where = e.count === 1 ? `at ${e.path}` : `${e.count} times, first at ${e.path}`;
      out.push({ code: e.code, count: e.count, message: `${e.message} (${where}).`, traceId: e.traceId, spanId: e.spanId });
    }
    return out;
  }
}

/** Short, single-line rendering of a JSON value for messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

const IDENTIFIER_RE = /^[A-Za-z_$][\w$]*$/;
/** Field names repeat on every span: remember which are plain identifiers. */
const plainKeys = new Map<string, boolean>();

/** `$.a` + `b` -> `$.a.b`; `$` + 3 -> `$[3]`; odd keys quoted: `$["a b"]`. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  let plain = plainKeys.get(key);
  if (plain === undefined) {
    plain = IDENTIFIER_RE.test(key);
    if (plainKeys.size < 1000) plainKeys.set(key, plain);
  }
  return plain ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
