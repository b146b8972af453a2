// Every message, question and quick pick the source features show goes through here: one place
// that logs it to the Spanlens channel, and keeps the last few so the integration tests can check
// what the user was told (spanlens._test.lastMessages) and answer prompts without clicking.
import * as vscode from 'vscode';
import { log } from './log';

export type Severity = 'info' | 'warning' | 'error';

export interface ShownMessage {
  readonly kind: 'message' | 'prompt' | 'pick';
  readonly severity: Severity;
  /** The message, or the quick pick's title. */
  readonly text: string;
  /** Buttons, or the quick pick's item labels (with their description). */
  readonly items: readonly string[];
  readonly modal?: boolean;
}

const HISTORY = 50;
const history: ShownMessage[] = [];
/** Test hook: answers for the next prompts / picks (a label, "#<index>" for picks, or "" to cancel). */
const queuedAnswers: string[] = [];

function record(m: ShownMessage): void {
  history.push(m);
  if (history.length > HISTORY) history.shift();
}

function logIt(severity: Severity, text: string): void {
  const l = log();
  if (severity === 'error') l?.error(text);
  else if (severity === 'warning') l?.warn(text);
  else l?.info(text);
}

function show(severity: Severity, text: string, options: vscode.MessageOptions, items: string[]): Thenable<string | undefined> {
  const full = `Spanlens: ${text}`;
  if (severity === 'error') return vscode.window.showErrorMessage(full, options, ...items);
  if (severity === 'warning') return vscode.window.showWarningMessage(full, options, ...items);
  return vscode.window.showInformationMessage(full, options, ...items);
}

/**
 * A non-modal notification; does not wait for it to be dismissed. Buttons run `onItem`.
 */
export function notify(severity: Severity, text: string, items: string[] = [], onItem?: (item: string) => void): void {
  logIt(severity, text);
  record({ kind: 'message', severity, text, items });
  void Promise.resolve(show(severity, text, {}, items)).then((picked) => {
    if (picked && onItem) onItem(picked);
  });
}

/** A question with buttons (modal or not). Resolves to the chosen button, undefined when dismissed. */
export async function ask(severity: Severity, text: string, opts: { modal: boolean; detail?: string }, ...items: string[]): Promise<string | undefined> {
  logIt(severity, `${text}${opts.detail ? ` ${opts.detail}` : ''}`);
  record({ kind: 'prompt', severity, text: opts.detail ? `${text}\n${opts.detail}` : text, items, modal: opts.modal });
  if (queuedAnswers.length) {
    const a = queuedAnswers.shift()!;
    return items.includes(a) ? a : undefined;
  }
  return show(severity, text, { modal: opts.modal, ...(opts.detail ? { detail: opts.detail } : {}) }, items);
}

/** A quick pick, recorded with its items; `activeItem` is pre-selected. */
export async function pick<T extends vscode.QuickPickItem>(
  items: readonly T[],
  opts: { title: string; placeHolder?: string; activeItem?: T },
): Promise<T | undefined> {
  record({
    kind: 'pick',
    severity: 'info',
    text: opts.title,
    items: items.map((i) => (i.description ? `${i.label} — ${i.description}` : i.label)),
  });
  if (queuedAnswers.length) {
    const a = queuedAnswers.shift()!;
    const m = /^#(\d+)$/.exec(a);
    return m ? items[Number(m[1])] : items.find((i) => i.label === a);
  }
  const qp = vscode.window.createQuickPick<T>();
  qp.title = opts.title;
  qp.placeholder = opts.placeHolder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = items;
  if (opts.activeItem) qp.activeItems = [opts.activeItem];
  return new Promise<T | undefined>((resolve) => {
    let done = false;
    const finish = (v: T | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    qp.onDidAccept(() => finish(qp.selectedItems[0] ?? qp.activeItems[0]));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

// ── test hooks ───────────────────────────────────────────────────────────────────────────────────

export function lastMessages(): ShownMessage[] {
  return history.slice();
}

export function clearMessages(): void {
  history.length = 0;
}

export function queueAnswers(answers: readonly string[]): void {
  queuedAnswers.length = 0;
  queuedAnswers.push(...answers);
}
