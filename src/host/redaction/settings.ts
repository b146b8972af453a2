// The spanlens.redaction.* settings, read in one place, and kept in the catalog worker: it masks span
// details and redacts exports and chat tool results with them. Sent when a worker starts (a new one
// knows nothing) and when they change; open waterfalls then ask for their span details again.
import * as vscode from 'vscode';
import type { CatalogClient } from '../../core/catalog/client';
import type { RedactionRules } from '../../core/redaction';
import { log } from '../log';
import { notify } from '../userMessages';

export interface RedactionSettings {
  readonly rules: RedactionRules;
  /** Mask matched values in the detail pane (default on; off for local debugging). */
  readonly maskOnScreen: boolean;
}

function strings(c: vscode.WorkspaceConfiguration, key: string): string[] {
  const v = c.get<unknown>(key, []);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : [];
}

export function readRedactionSettings(): RedactionSettings {
  const c = vscode.workspace.getConfiguration('spanlens.redaction');
  return {
    rules: { patterns: strings(c, 'patterns'), keys: strings(c, 'keys'), allow: strings(c, 'allow') },
    maskOnScreen: c.get<boolean>('maskOnScreen', true) !== false,
  };
}

/** Keeps the worker's redaction settings current; `onChanged` runs after a change reached it. */
export function registerRedactionSettings(context: vscode.ExtensionContext, catalog: CatalogClient, onChanged: () => void): void {
  const send = () => {
    const s = readRedactionSettings();
    return catalog.call('setRedaction', s.rules, s.maskOnScreen).catch((e: unknown) => {
      const why = e instanceof Error ? e.message : String(e);
      log()?.warn(`Redaction settings not applied: ${why}`);
      notify('error', `the "spanlens.redaction" settings are not valid: ${why}`);
    });
  };
  if (catalog.thread) void send(); // started already (the collector's autoStart)
  context.subscriptions.push(
    // Called as the worker starts, before the call that started it is posted: it goes first.
    catalog.onDidStart(() => void send()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('spanlens.redaction')) return;
      // No worker yet: it gets the settings when it starts.
      if (catalog.thread) void send().then(onChanged);
    }),
  );
}
