// Secrets must never reach a log line, an error message or the output channel. Every message a
// backend client builds passes through redact() with the secrets of that request.
import type { BackendConfig, BackendCredentials } from './types';

export const REDACTED = '[REDACTED]';

/** Header names whose values are always treated as secret, wherever they come from. */
const SECRET_HEADER_RE = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|x-auth-token|x-access-token)$|token|secret|password|api[-_]?key/i;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER_RE.test(name);
}

/** The literal strings that must not appear anywhere: the secret itself and its encoded forms. */
export function secretValues(creds: BackendCredentials | undefined, config?: Pick<BackendConfig, 'headers'>): string[] {
  const out: string[] = [];
  if (creds?.kind === 'bearer') out.push(creds.token);
  if (creds?.kind === 'basic') out.push(creds.password, Buffer.from(`${creds.username}:${creds.password}`).toString('base64'));
  if (creds?.kind === 'header') out.push(creds.value);
  for (const [k, v] of Object.entries(config?.headers ?? {})) if (isSecretHeader(k)) out.push(v);
  // Very short values would redact ordinary words; they are still covered by the header patterns below.
  return out.filter((s) => s.length >= 4);
}

/**
 * Replaces every known secret and anything that looks like a credential (Authorization header
 * values, Bearer/Basic tokens, user:password@ in URLs) with [REDACTED].
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s) out = out.split(s).join(REDACTED);
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`);
  out = out.replace(/((?:proxy-)?authorization|x-api-key|api-key|x-auth-token|cookie)(["']?\s*[:=]\s*["']?)([^"'\s,;}]+(?:\s+[^"'\s,;}]+)?)/gi, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  out = out.replace(/(\/\/[^/\s:@]+):[^/\s@]+@/g, `$1:${REDACTED}@`);
  return out;
}

/** A copy of `headers` fit to log: secret header values replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>, secretNames: readonly string[] = []): Record<string, string> {
  const lower = new Set(secretNames.map((n) => n.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretHeader(k) || lower.has(k.toLowerCase()) ? REDACTED : v;
  return out;
}
