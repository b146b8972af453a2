// "Redact secrets (recommended)" or "as is": the question every export other than Share Trace asks
// (Share always redacts). Redacting is the default: tests and callers that pass a target without
// saying otherwise get a redacted file, and the pick lists it first.
import type { RedactionRules } from '../../core/redaction';
import { pick } from '../userMessages';
import { readRedactionSettings } from './settings';

export const REDACT_LABEL = 'Redact secrets (recommended)';
export const AS_IS_LABEL = 'Export as is';

/**
 * The rules to export with, null for "as is", undefined when the user cancelled. `redact` (from a
 * command argument) answers without asking; `ask` false takes the default (redact) without asking.
 */
export async function chooseRedaction(what: string, redact: unknown, ask: boolean): Promise<RedactionRules | null | undefined> {
  const rules = readRedactionSettings().rules;
  if (typeof redact === 'boolean') return redact ? rules : null;
  if (!ask) return rules;
  const items = [
    { label: REDACT_LABEL, description: 'mask tokens, keys, passwords, e-mail addresses… (spanlens.redaction.*)', redact: true },
    { label: AS_IS_LABEL, description: 'every value exactly as recorded', redact: false },
  ];
  const chosen = await pick(items, { title: `${what}: redact secrets?`, activeItem: items[0] });
  return chosen ? (chosen.redact ? rules : null) : undefined;
}
