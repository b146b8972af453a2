// The collector's public shapes: options, ports, stats and change events. Everything here crosses
// the worker boundary (structured clone), so it is plain data: no classes, no functions.
import type { RedactorOptions } from '../redaction';
import type { ForwarderStats } from './forwarder';

export interface CollectorOptions {
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** OTLP/HTTP port; 0 picks a free port; null disables the receiver. Default 4318. */
  readonly httpPort?: number | null;
  /** OTLP/gRPC port; 0 picks a free port; null disables the receiver. Default 4317. */
  readonly grpcPort?: number | null;
  /** Zipkin v2 port; 0 picks a free port; null disables the receiver. Default 9411. */
  readonly zipkinPort?: number | null;
  /** Largest request accepted, counted after decompression (HTTP bodies and gRPC messages). Default 64 MiB. */
  readonly maxRequestBytes?: number;
  /** Spans kept in memory; past it the least recently updated traces are evicted whole. Default 200 000. */
  readonly maxSpans?: number;
  /** Log records kept in memory (OTLP /v1/logs, LogsService); past it the oldest are evicted. Default 100 000. */
  readonly maxLogs?: number;
  /** When set, every accepted batch is appended to this file as one OTLP JSON line (TracesData, or LogsData for logs). */
  readonly outputFile?: string;
  /** When set, the lines written to outputFile are redacted with these rules (and only the redacted text is ever written). */
  readonly outputRedaction?: RedactorOptions;
  /** When set, every accepted batch is also sent on to this OTLP/HTTP endpoint (./forwarder.ts). */
  readonly forwardTo?: string;
  /** Origins allowed to export from a browser (CORS), e.g. "http://localhost:3000"; "*" allows any. */
  readonly corsAllowedOrigins?: readonly string[];
  /** Minimum interval between change events, ms. Default 100. */
  readonly changeIntervalMs?: number;
}

export const COLLECTOR_DEFAULTS = {
  host: '127.0.0.1',
  httpPort: 4318,
  grpcPort: 4317,
  zipkinPort: 9411,
  maxRequestBytes: 64 * 1024 * 1024,
  maxSpans: 200_000,
  maxLogs: 100_000,
  changeIntervalMs: 100,
} as const;

export type ReceiverName = 'otlpHttp' | 'otlpGrpc' | 'zipkin';

export const RECEIVER_LABELS: Record<ReceiverName, string> = {
  otlpHttp: 'OTLP/HTTP',
  otlpGrpc: 'OTLP/gRPC',
  zipkin: 'Zipkin',
};

/** The ports actually bound (a requested 0 is replaced by the chosen port); absent = disabled. */
export interface CollectorPorts {
  readonly host: string;
  readonly otlpHttp?: number;
  readonly otlpGrpc?: number;
  readonly zipkin?: number;
}

/** Why a request (or part of one) was refused. Counted in stats, printed by the CLI summary. */
export type RejectReason =
  | 'undecodable' // 400 / INVALID_ARGUMENT
  | 'too-large' // 413 / RESOURCE_EXHAUSTED
  | 'unsupported-media-type' // 415
  | 'method-not-allowed' // 405
  | 'not-found' // 404
  | 'cors-origin' // 403 preflight from an origin not in corsAllowedOrigins
  | 'shutting-down' // 503 / UNAVAILABLE
  | 'aborted' // client went away mid-request
  | 'output-failed'; // 503: the output file could not be written

export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  undecodable: 'undecodable payload',
  'too-large': 'over the size limit',
  'unsupported-media-type': 'unsupported content type or encoding',
  'method-not-allowed': 'wrong HTTP method',
  'not-found': 'unknown path',
  'cors-origin': 'CORS origin not allowed',
  'shutting-down': 'collector shutting down',
  aborted: 'client aborted',
  'output-failed': 'output file not writable',
};

export interface CollectorStats {
  /** Spans accepted (stored and, with an output file, written). */
  readonly spansReceived: number;
  /** Spans refused inside otherwise accepted requests (partial success: bad ids...). */
  readonly spansRejected: number;
  /** Accepted spans per second over the last ~2 s. */
  readonly spansPerSecond: number;
  /** Trace ids that became new in the store (an evicted trace that receives more spans counts again). */
  readonly tracesReceived: number;
  /** Accepted trace requests per receiver. */
  readonly requests: Readonly<Record<ReceiverName, number>>;
  /** Refused requests by reason. */
  readonly rejected: Readonly<Partial<Record<RejectReason, number>>>;
  /** OTLP logs requests accepted (their records are stored); metrics requests accepted and discarded. */
  readonly logsRequests: number;
  readonly metricsRequests: number;
  /** Log records accepted, and those the log store holds now (bounded by maxLogs, oldest evicted). */
  readonly logsReceived: number;
  readonly logsStored: number;
  readonly maxLogs: number;
  readonly evictedLogs: number;
  /** What the store holds now. */
  readonly storedTraces: number;
  readonly storedSpans: number;
  readonly maxSpans: number;
  /** True once the store first evicted (until cleared). */
  readonly evicting: boolean;
  readonly evictedTraces: number;
  readonly evictedSpans: number;
  readonly outputFile?: { readonly path: string; readonly lines: number; readonly bytes: number; readonly error?: string; /** Values redacted per rule, with outputRedaction. */ readonly redacted?: Readonly<Record<string, number>> };
  /** Forwarding to `forwardTo`, when set. */
  readonly forward?: ForwarderStats;
}

/** One change event: which traces changed (new or grown) and which were evicted or cleared. */
export interface CollectorChange {
  readonly changed: readonly string[];
  readonly evicted: readonly string[];
  /** Trace ids that received OTLP log records (c.store.logsForTrace gives them); may name traces with no spans yet. */
  readonly logsChanged: readonly string[];
  /** The store was cleared before these changes. */
  readonly cleared: boolean;
  /** Set on the event in which the store first had to evict. */
  readonly evictionStarted: boolean;
  readonly stats: CollectorStats;
}

/** A row of the live traces list. Plain data, newest (most recently updated) first. */
export interface LiveTraceSummary {
  readonly traceId: string;
  readonly rootName: string;
  readonly rootService: string;
  readonly services: readonly string[];
  /** False while no span without a parent has arrived: rootName is then the earliest span's. */
  readonly hasRoot: boolean;
  readonly spanCount: number;
  readonly errorCount: number;
  /** Epoch nanoseconds as a decimal string (exact). */
  readonly startTimeUnixNano: string;
  /** Epoch ms of the trace start, for display and sorting. */
  readonly startMs: number;
  readonly durationNs: number;
  /** Wall clock (epoch ms) when the first / latest span of this trace arrived. */
  readonly firstReceivedMs: number;
  readonly lastReceivedMs: number;
}

/** A collector error the host can act on (offer a free port, say which receiver failed...). */
export interface CollectorFailure {
  readonly code: 'port-in-use' | 'bind-failed' | 'output-file' | 'bad-options' | 'worker-failed';
  readonly message: string;
  readonly receiver?: ReceiverName;
  readonly host?: string;
  readonly port?: number;
}
