// The spanlens.collector.* settings as collector start options. Workspace Trust: in an untrusted
// workspace the collector binds to loopback whatever the host setting says (a workspace must not
// be able to open the developer's machine to the network), and autoStart is ignored.
import * as path from 'path';
import * as vscode from 'vscode';
import { COLLECTOR_DEFAULTS, CollectorOptions } from '../../core/collector';

export const LOOPBACK = '127.0.0.1';

export interface CollectorSettings {
  readonly options: CollectorOptions;
  readonly autoStart: boolean;
  /** The host setting asked for something else, and the untrusted workspace forced loopback. */
  readonly hostForcedToLoopback?: string;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function portSetting(c: vscode.WorkspaceConfiguration, key: string, dflt: number): number {
  const v = c.get<number>(key, dflt);
  return typeof v === 'number' && Number.isInteger(v) ? v : dflt;
}

/** "${workspaceFolder}/x", "~/x" and relative paths (to the first workspace folder) -> absolute. */
export function resolveOutputFile(raw: string | undefined): string | undefined {
  const v = raw?.trim();
  if (!v) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let p = v.replace(/\$\{workspaceFolder\}/g, folder ?? '.');
  if (p.startsWith('~/')) p = path.join(process.env.HOME ?? process.env.USERPROFILE ?? '', p.slice(2));
  return path.isAbsolute(p) ? p : path.resolve(folder ?? process.cwd(), p);
}

export function readCollectorSettings(trusted = vscode.workspace.isTrusted): CollectorSettings {
  const c = vscode.workspace.getConfiguration('spanlens.collector');
  const wantedHost = (c.get<string>('host', LOOPBACK) || LOOPBACK).trim();
  const host = trusted || isLoopback(wantedHost) ? wantedHost : LOOPBACK;
  const origins = c.get<unknown>('corsAllowedOrigins', []);
  const options: CollectorOptions = {
    host,
    httpPort: portSetting(c, 'httpPort', COLLECTOR_DEFAULTS.httpPort),
    grpcPort: portSetting(c, 'grpcPort', COLLECTOR_DEFAULTS.grpcPort),
    zipkinPort: portSetting(c, 'zipkinPort', COLLECTOR_DEFAULTS.zipkinPort),
    maxSpans: c.get<number>('maxSpans', COLLECTOR_DEFAULTS.maxSpans),
    maxLogs: c.get<number>('maxLogs', COLLECTOR_DEFAULTS.maxLogs),
    maxRequestBytes: c.get<number>('maxRequestBytes', COLLECTOR_DEFAULTS.maxRequestBytes),
    outputFile: resolveOutputFile(c.get<string>('outputFile')),
    corsAllowedOrigins: Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [],
    forwardTo: c.get<string>('forwardTo')?.trim() || undefined,
  };
  return {
    options,
    autoStart: trusted && c.get<boolean>('autoStart', false) === true,
    ...(host !== wantedHost ? { hostForcedToLoopback: wantedHost } : {}),
  };
}
