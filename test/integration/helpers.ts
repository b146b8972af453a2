// Shared helpers for the integration tests: where the sample traces are, how to open one in the
// Spanlens editor and wait for what the panel shows.
import * as path from 'path';
import * as vscode from 'vscode';
import type { PanelInfo } from '../../src/host/traceEditorProvider';
import { REPO_ROOT } from '../support/paths';
import expectations from '../harness/demo-expectations.json';
import pkg from '../../package.json';

export type { PanelInfo };
export const EXPECTATIONS = expectations;
export const PACKAGE_JSON = pkg as unknown as {
  name: string;
  publisher: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    customEditors: { viewType: string; priority?: string; selector: { filenamePattern: string }[] }[];
  };
};
export const EXTENSION_ID = `${PACKAGE_JSON.publisher}.${PACKAGE_JSON.name}`;
export const VIEW_TYPE = 'spanlens.traceViewer';

/** The folder of sample traces (the harness passes it; the repository copy otherwise). */
export const DEMO = process.env.SPANLENS_DEMO_WORKSPACE ?? path.join(REPO_ROOT, 'test', 'demo-workspace');

export function demoUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(DEMO, rel));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function panelInfo(): Promise<PanelInfo | undefined> {
  return vscode.commands.executeCommand<PanelInfo | undefined>('spanlens._test.panelInfo');
}

/**
 * Waits until the Spanlens panel for `uri` has finished loading (state 'loaded' or 'error').
 * The host leaves 'loading' only after the webview said it is ready, so this also proves the
 * webview booted.
 */
export async function waitForPanel(uri: vscode.Uri, timeoutMs = 30_000): Promise<PanelInfo> {
  const deadline = Date.now() + timeoutMs;
  let last: PanelInfo | undefined;
  for (;;) {
    last = await panelInfo();
    if (last && isPanelFor(last, uri) && last.state !== 'loading') {
      recordMetrics(uri, last.metrics);
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the Spanlens panel for ${path.basename(uri.fsPath)} did not finish loading in ${timeoutMs} ms; ` +
          `last panel info: ${JSON.stringify(last)}`,
      );
    }
    await sleep(50);
  }
}

function isPanelFor(info: PanelInfo, uri: vscode.Uri): boolean {
  return info.uri ? info.uri === uri.toString() : info.fileName === path.basename(uri.fsPath);
}

/** Opens the file in the Spanlens editor (explicit view type) and waits for the result. */
export async function openInSpanlens(uri: vscode.Uri): Promise<PanelInfo> {
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  return waitForPanel(uri);
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** What the active tab is: a custom editor (with its view type) or a text editor, and for which file. */
export function activeTab(): { kind: 'custom' | 'text' | 'other'; viewType?: string; uri?: string } {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom) return { kind: 'custom', viewType: input.viewType, uri: input.uri.toString() };
  if (input instanceof vscode.TabInputText) return { kind: 'text', uri: input.uri.toString() };
  return { kind: 'other' };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Kept on globalThis because every test file is its own bundle; index.ts writes them to the results. */
function recordMetrics(uri: vscode.Uri, metrics: Record<string, number> | undefined): void {
  if (!metrics || Object.keys(metrics).length === 0) return;
  const g = globalThis as Record<string, unknown>;
  const all = (g.__spanlensMetrics ??= {}) as Record<string, Record<string, number>>;
  const rel = path.relative(DEMO, uri.fsPath);
  all[rel.startsWith('..') ? path.basename(uri.fsPath) : rel] = { ...metrics };
}
