// Collects import warnings of one kind into a single entry with a count and the first location,
// so a file with 10 000 odd values shows one line, not 10 000.
import type { ImportWarning, WarningCode } from '../model/model';

interface Pending {
  code: WarningCode;
  text: string;
  count: number;
  firstAt?: string;
}

export class WarningSink {
  private readonly byKey = new Map<string, Pending>();
  private readonly fixed: ImportWarning[] = [];

  /**
   * Counts one occurrence. `text` must read after a count ("3 attribute value(s) are ...");
   * occurrences with the same code and text are merged. `at` is a JSON path or byte offset.
   */
  add(code: WarningCode, text: string, at?: string): void {
    const key = `${code}\u0000${text}`;
    const p = this.byKey.get(key);
    if (p) p.count++;
    else this.byKey.set(key, { code, text, count: 1, firstAt: at });
  }

  /** A warning with its own complete message (not aggregated). */
  push(w: ImportWarning): void {
    this.fixed.push(w);
  }

  /** Adds everything `other` collected, as if its occurrences had been added here in order. */
  absorb(other: WarningSink): void {
    for (const w of other.fixed) this.fixed.push(w);
    for (const [key, p] of other.byKey) {
      const mine = this.byKey.get(key);
      if (mine) mine.count += p.count;
      else this.byKey.set(key, { ...p });
    }
  }

  get size(): number {
    return this.byKey.size + this.fixed.length;
  }

  list(): ImportWarning[] {
    const out = [...this.fixed];
    for (const p of this.byKey.values()) {
      out.push({ code: p.code, count: p.count, message: `${p.count} ${p.text}${p.firstAt ? ` (first at ${p.firstAt})` : ''}.` });
    }
    return out;
  }
}
