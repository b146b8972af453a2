// Shared shapes for talking to trace backends (Jaeger, Tempo, Zipkin). Pure: no vscode, no I/O here.
import type { TraceFile } from '../model/model';

export type BackendType = 'jaeger' | 'tempo' | 'zipkin';
export const BACKEND_TYPES: readonly BackendType[] = ['jaeger', 'tempo', 'zipkin'];

/** One entry of the `spanlens.backends` setting. Never holds a secret: those come from SecretStorage / env. */
export interface BackendConfig {
  readonly name: string;
  readonly type: BackendType;
  /** Base URL, e.g. http://localhost:16686 (a path prefix such as /jaeger is kept). */
  readonly url: string;
  /** Extra non-secret headers (e.g. X-Scope-OrgID for multi-tenant Tempo). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Accept a self-signed / untrusted TLS certificate. Off unless the user opts in for this backend. */
  readonly allowSelfSigned?: boolean;
}

/** A secret supplied by the caller (SecretStorage in the editor, SPANLENS_TOKEN in the CLI). */
export type BackendCredentials =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'header'; readonly header: string; readonly value: string };

export interface RequestOptions {
  /** Per-request timeout; the request is aborted when it elapses. */
  readonly timeoutMs?: number;
  /** Cancellation from the caller (progress notification, Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** The search form: the same fields in the view and on the command line. Unset fields are not sent. */
export interface SearchQuery {
  readonly service?: string;
  readonly operation?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly minDurationNs?: number;
  readonly maxDurationNs?: number;
  /** Epoch milliseconds. Default: end = now, start = end - lookback. */
  readonly startMs?: number;
  readonly endMs?: number;
  /** Used when startMs is absent; default one hour. */
  readonly lookbackMs?: number;
  readonly limit?: number;
  /** TraceQL (Tempo only). */
  readonly traceql?: string;
}

/** One search hit, whatever the backend. Counts are undefined when the backend does not report them. */
export interface TraceSummary {
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount?: number;
  readonly errorCount?: number;
}

export interface FetchedTrace {
  readonly traceId: string;
  readonly file: TraceFile;
  /** Set when the backend said the trace is incomplete (Tempo PARTIAL). */
  readonly partial?: string;
  /** The URL the trace came from (no credentials in it). */
  readonly source: string;
  /** The response as received: saving it keeps what the importer reports (e.g. Tempo PARTIAL) on reopen. */
  readonly body: Uint8Array;
}

export interface BackendClient {
  readonly config: BackendConfig;
  services(opts?: RequestOptions): Promise<string[]>;
  operations(service: string, opts?: RequestOptions): Promise<string[]>;
  search(query: SearchQuery, opts?: RequestOptions): Promise<TraceSummary[]>;
  getTrace(traceId: string, opts?: RequestOptions): Promise<FetchedTrace>;
  /** Tag names to suggest in the search form (Tempo /api/search/tags); [] where unsupported. */
  tagNames(opts?: RequestOptions): Promise<string[]>;
}

export type BackendErrorKind = 'unreachable' | 'tls' | 'timeout' | 'cancelled' | 'auth' | 'not-found' | 'server' | 'http' | 'parse' | 'config';

/** A failure talking to a backend, with a message fit to show a user as is (already redacted). */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly kind: BackendErrorKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}
