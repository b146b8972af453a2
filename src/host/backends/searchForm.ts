// The search form as a sequence of quick picks and input boxes (Escape at any step cancels).
// Tempo starts with TraceQL; an empty TraceQL falls through to the same fields as Jaeger and Zipkin.
import * as vscode from 'vscode';
import { BackendError, parseDurationArg, parseTagsText, parseTimeArg, type BackendConfig, type SearchQuery } from '../../core/backends';
import { notify } from '../userMessages';
import type { BackendService } from './service';

const ANY = '(any)';
const RANGES: { label: string; ms?: number }[] = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  { label: 'Custom range…' },
];

export async function askSearchQuery(service: BackendService, backend: BackendConfig): Promise<SearchQuery | undefined> {
  const title = `Search ${backend.name}`;
  let traceql: string | undefined;
  if (backend.type === 'tempo') {
    traceql = await vscode.window.showInputBox({ title, prompt: 'TraceQL (leave empty to search by service, operation and tags)', placeHolder: '{ resource.service.name = "checkout" && status = error }', ignoreFocusOut: true });
    if (traceql === undefined) return undefined;
  }
  let svc: string | undefined;
  let operation: string | undefined;
  let tags: Record<string, string> | undefined;
  const { client } = await service.client(backend);
  if (!traceql) {
    const services = await listOrEmpty(() => client.services({ timeoutMs: 15_000 }), backend);
    if (services.length) {
      const picked = await vscode.window.showQuickPick(backend.type === 'jaeger' ? services : [ANY, ...services], { title: `${title}: service`, ignoreFocusOut: true });
      if (picked === undefined) return undefined;
      svc = picked === ANY ? undefined : picked;
    } else {
      svc = await vscode.window.showInputBox({ title: `${title}: service`, prompt: backend.type === 'jaeger' ? 'Service name (required by Jaeger)' : 'Service name (empty for any)', ignoreFocusOut: true });
      if (svc === undefined) return undefined;
    }
    if (svc) {
      const ops = await listOrEmpty(() => client.operations(svc!, { timeoutMs: 15_000 }), backend);
      const op = ops.length
        ? await vscode.window.showQuickPick([ANY, ...ops], { title: `${title}: operation`, ignoreFocusOut: true })
        : await vscode.window.showInputBox({ title: `${title}: operation`, prompt: 'Operation / span name (empty for any)', ignoreFocusOut: true });
      if (op === undefined) return undefined;
      operation = op === ANY || op === '' ? undefined : op;
    }
    const tagHint = backend.type === 'tempo' ? (await listOrEmpty(() => client.tagNames({ timeoutMs: 15_000 }), backend)).slice(0, 8).join(', ') : '';
    const tagText = await vscode.window.showInputBox({
      title: `${title}: tags`,
      prompt: `key=value pairs separated by spaces (empty for none)${tagHint ? `; known tags: ${tagHint}` : ''}`,
      placeHolder: 'http.status_code=500 error=true',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = parseTagsText(v);
        return typeof r === 'string' ? r : undefined;
      },
    });
    if (tagText === undefined) return undefined;
    const parsed = parseTagsText(tagText);
    tags = typeof parsed === 'string' || !Object.keys(parsed).length ? undefined : parsed;
  }
  const durationBox = async (which: string) =>
    vscode.window.showInputBox({ title: `${title}: ${which} duration`, prompt: 'e.g. 100ms, 1.5s, 2m (empty for none)', ignoreFocusOut: true, validateInput: (v) => (!v.trim() || parseDurationArg(v) !== undefined ? undefined : 'a duration such as 100ms, 1.5s or 2m') });
  let minDurationNs: number | undefined;
  let maxDurationNs: number | undefined;
  if (!traceql) {
    const min = await durationBox('minimum');
    if (min === undefined) return undefined;
    const max = await durationBox('maximum');
    if (max === undefined) return undefined;
    minDurationNs = min.trim() ? parseDurationArg(min) : undefined;
    maxDurationNs = max.trim() ? parseDurationArg(max) : undefined;
  }
  const range = await vscode.window.showQuickPick(RANGES, { title: `${title}: time range`, ignoreFocusOut: true });
  if (!range) return undefined;
  let startMs: number | undefined;
  let endMs: number | undefined;
  if (range.ms === undefined) {
    const now = Date.now();
    const check = (v: string) => (parseTimeArg(v, now) !== undefined ? undefined : 'ISO 8601 (2024-05-01T10:00:00Z), epoch ms, or a duration ago (2h)');
    const s = await vscode.window.showInputBox({ title: `${title}: from`, value: '1h', ignoreFocusOut: true, validateInput: check });
    if (s === undefined) return undefined;
    const e = await vscode.window.showInputBox({ title: `${title}: to`, value: new Date(now).toISOString(), ignoreFocusOut: true, validateInput: check });
    if (e === undefined) return undefined;
    startMs = parseTimeArg(s, now);
    endMs = parseTimeArg(e, now);
  }
  const limitText = await vscode.window.showInputBox({ title: `${title}: limit`, value: '20', ignoreFocusOut: true, validateInput: (v) => (/^[1-9]\d{0,4}$/.test(v.trim()) ? undefined : 'a whole number from 1') });
  if (limitText === undefined) return undefined;
  return {
    traceql: traceql || undefined,
    service: svc || undefined,
    operation,
    tags,
    minDurationNs,
    maxDurationNs,
    startMs,
    endMs,
    lookbackMs: range.ms,
    limit: Number(limitText),
  };
}

/** Suggestions are optional: a failure is logged and the form falls back to free text. */
async function listOrEmpty(list: () => Promise<string[]>, backend: BackendConfig): Promise<string[]> {
  try {
    return await list();
  } catch (e) {
    if (e instanceof BackendError && (e.kind === 'auth' || e.kind === 'unreachable' || e.kind === 'tls')) notify('warning', e.message);
    return [];
  }
}
