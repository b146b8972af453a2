// The `spanlens.backends` setting and the backend timeout, read fresh on every use (settings change).
import * as vscode from 'vscode';
import { checkBackendConfig, type BackendConfig } from '../../core/backends';

export interface BackendSettings {
  readonly backends: BackendConfig[];
  /** One message per unusable entry, shown once per command run. */
  readonly problems: string[];
  readonly timeoutMs: number;
}

export function readBackendSettings(): BackendSettings {
  const cfg = vscode.workspace.getConfiguration('spanlens');
  const raw = cfg.get<unknown[]>('backends') ?? [];
  const backends: BackendConfig[] = [];
  const problems: string[] = [];
  for (const entry of Array.isArray(raw) ? raw : []) {
    const problem = checkBackendConfig(entry);
    if (problem) problems.push(problem);
    else {
      const e = entry as BackendConfig;
      backends.push({ name: e.name, type: e.type, url: e.url, headers: e.headers ?? {}, allowSelfSigned: e.allowSelfSigned === true });
    }
  }
  const seconds = cfg.get<number>('backendTimeoutSeconds') ?? 30;
  return { backends, problems, timeoutMs: Math.max(1, seconds) * 1000 };
}
