// Log records (OTLP LogRecord), the second signal Spanlens reads (issue 12). Semantic conventions
// v1.40 moved exceptions from span events to log records, so a viewer that reads only spans loses
// them. Records live beside the traces of a file (TraceFile.logs) and are joined to spans by id.
import type { Attributes, AttrValue, Resource, Scope } from './model';

/** OTLP SeverityNumber ranges (logs data model): 1–4 TRACE … 21–24 FATAL, 0 unspecified. */
export const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

export interface LogRecord {
  /** `timeUnixNano`, or `observedTimeUnixNano` when the record has no time of its own (0n when neither). */
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano?: bigint;
  /** 0–24 as the proto enum; 0 when absent. */
  readonly severityNumber: number;
  readonly severityText?: string;
  /** The AnyValue body; undefined when the record has none. */
  readonly body?: AttrValue;
  readonly attributes: Attributes;
  /** Lower-case hex, 32 digits, when present and valid (importers drop empty/all-zero ids). */
  readonly traceId?: string;
  /** Lower-case hex, 16 digits, when present and valid. */
  readonly spanId?: string;
  readonly flags?: number;
  /** OTLP `eventName` (proto field 12): events such as `exception` or `http.client.request.exception`. */
  readonly eventName?: string;
  /** Shared by reference between the records of one batch. */
  readonly resource: Resource;
  readonly scope: Scope;
  readonly droppedAttributesCount?: number;
}

/** The coarse severity a number falls in (TRACE for 1–4 … FATAL for 21–24). */
export function severityName(n: number): SeverityName {
  if (!(n >= 1 && n <= 24)) return 'UNSPECIFIED';
  return SEVERITY_NAMES[Math.ceil(n / 4)];
}
