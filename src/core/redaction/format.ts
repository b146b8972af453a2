// The one-line summary of a run's counts, for stderr and status messages.
import { DEFAULT_RULE_NAMES } from './rules';

/** One line for humans: "redacted 5 values: jwt 2, email 3" or "nothing to redact". */
export function formatRedactionCounts(counts: ReadonlyMap<string, number>): string {
  const entries = [...counts].filter(([, n]) => n > 0);
  if (!entries.length) return 'nothing to redact';
  // Default rules in table order, then custom rules in the order they first matched.
  const rank = (name: string) => {
    const i = DEFAULT_RULE_NAMES.indexOf(name);
    return i < 0 ? DEFAULT_RULE_NAMES.length : i;
  };
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  const total = entries.reduce((s, [, n]) => s + n, 0);
  return `redacted ${total} value${total === 1 ? '' : 's'}: ${entries.map(([name, n]) => `${name} ${n}`).join(', ')}`;
}
