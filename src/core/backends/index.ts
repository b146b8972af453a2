// Entry point of the backend clients: one factory, the shared types, the id parser and redaction.
import { JaegerClient } from './jaeger';
import { TempoClient } from './tempo';
import { ZipkinClient } from './zipkin';
import { BackendError, BACKEND_TYPES, type BackendClient, type BackendConfig, type BackendCredentials } from './types';

export * from './types';
export { parseTraceIdInput, findTraceIds, decodeTraceIdToken } from './traceId';
export { redact, redactHeaders, secretValues, isSecretHeader, REDACTED } from './redact';
export { JaegerClient, TempoClient, ZipkinClient };

export function createBackendClient(config: BackendConfig, creds?: BackendCredentials): BackendClient {
  switch (config.type) {
    case 'jaeger':
      return new JaegerClient(config, creds);
    case 'tempo':
      return new TempoClient(config, creds);
    case 'zipkin':
      return new ZipkinClient(config, creds);
    default:
      throw new BackendError(`backend "${config.name}": unknown type "${String(config.type)}" (expected ${BACKEND_TYPES.join(', ')})`, 'config');
  }
}

/** Validates one entry of `spanlens.backends`; returns a message for the user when it is unusable. */
export function checkBackendConfig(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return 'each entry of spanlens.backends must be an object {name, type, url}';
  const c = v as Record<string, unknown>;
  if (typeof c.name !== 'string' || !c.name) return 'a backend needs a "name"';
  if (!BACKEND_TYPES.includes(c.type as never)) return `backend "${c.name}": "type" must be one of ${BACKEND_TYPES.join(', ')}`;
  if (typeof c.url !== 'string' || !/^https?:\/\//i.test(c.url)) return `backend "${c.name}": "url" must start with http:// or https://`;
  return undefined;
}
export { parseDurationArg, parseTimeArg, parseTagsText, describeQuery } from './queryText';
