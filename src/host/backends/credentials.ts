// Backend secrets live in VS Code's SecretStorage (the OS keychain), keyed by backend name. They
// never go to settings, the output channel or a message.
import * as vscode from 'vscode';
import type { BackendConfig, BackendCredentials } from '../../core/backends';
import { notify, pick } from '../userMessages';
import { readBackendSettings } from './config';

const KEY_PREFIX = 'spanlens.backend.credentials:';

export class BackendCredentialStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(backendName: string): Promise<BackendCredentials | undefined> {
    const raw = await this.secrets.get(KEY_PREFIX + backendName);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as BackendCredentials;
    } catch {
      return undefined;
    }
  }

  async set(backendName: string, creds: BackendCredentials | undefined): Promise<void> {
    if (creds) await this.secrets.store(KEY_PREFIX + backendName, JSON.stringify(creds));
    else await this.secrets.delete(KEY_PREFIX + backendName);
  }
}

type Kind = BackendCredentials['kind'] | 'remove';

/**
 * "Spanlens: Set Backend Credentials…". Arguments (for tests and scripts): (backendName, credentials)
 * stores without prompting; credentials null removes them.
 */
export async function setBackendCredentials(store: BackendCredentialStore, nameArg?: unknown, credsArg?: unknown): Promise<void> {
  const { backends } = readBackendSettings();
  let backend: BackendConfig | undefined;
  if (typeof nameArg === 'string') backend = backends.find((b) => b.name === nameArg);
  else if (backends.length === 1) backend = backends[0];
  else if (backends.length > 1) {
    const chosen = await pick(
      backends.map((b) => ({ label: b.name, description: `${b.type} · ${b.url}`, backend: b })),
      { title: 'Set credentials for which backend?' },
    );
    backend = chosen?.backend;
    if (!chosen) return;
  }
  if (!backend) {
    notify('warning', typeof nameArg === 'string' ? `no backend named "${nameArg}" in the spanlens.backends setting` : 'no backend is configured: add one to the spanlens.backends setting first', ['Open Settings'], () =>
      void vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.backends'),
    );
    return;
  }
  if (credsArg !== undefined) {
    await store.set(backend.name, (credsArg as BackendCredentials | null) ?? undefined);
    notify('info', credsArg ? `credentials for ${backend.name} stored in the system keychain` : `credentials for ${backend.name} removed`);
    return;
  }
  const kind = await pick<vscode.QuickPickItem & { choice: Kind }>(
    [
      { label: 'Bearer token', description: 'Authorization: Bearer …', choice: 'bearer' },
      { label: 'Basic auth', description: 'user name and password', choice: 'basic' },
      { label: 'API key header', description: 'a header such as X-Api-Key', choice: 'header' },
      { label: 'Remove credentials', choice: 'remove' },
    ],
    { title: `Credentials for ${backend.name}` },
  );
  if (!kind) return;
  let creds: BackendCredentials | undefined;
  if (kind.choice === 'bearer') {
    const token = await vscode.window.showInputBox({ title: `Bearer token for ${backend.name}`, password: true, ignoreFocusOut: true });
    if (!token) return;
    creds = { kind: 'bearer', token };
  } else if (kind.choice === 'basic') {
    const username = await vscode.window.showInputBox({ title: `User name for ${backend.name}`, ignoreFocusOut: true });
    if (!username) return;
    const password = await vscode.window.showInputBox({ title: `Password for ${username} at ${backend.name}`, password: true, ignoreFocusOut: true });
    if (password === undefined) return;
    creds = { kind: 'basic', username, password };
  } else if (kind.choice === 'header') {
    const header = await vscode.window.showInputBox({ title: `Header name for ${backend.name}`, value: 'X-Api-Key', ignoreFocusOut: true, validateInput: (v) => (/^[A-Za-z0-9-]+$/.test(v) ? undefined : 'a header name (letters, digits, -)') });
    if (!header) return;
    const value = await vscode.window.showInputBox({ title: `${header} value for ${backend.name}`, password: true, ignoreFocusOut: true });
    if (!value) return;
    creds = { kind: 'header', header, value };
  }
  await store.set(backend.name, creds);
  notify('info', creds ? `credentials for ${backend.name} stored in the system keychain` : `credentials for ${backend.name} removed`);
}
