// The one normalised trace model every importer produces and every view consumes.
//
// Time representation: absolute times are epoch nanoseconds as `bigint`. A nanosecond epoch
// (~1.7e18) does not fit a double exactly (2^53 ≈ 9e15), and a bigint keeps OTLP round trips exact.
// Durations and offsets inside one trace are plain `number` nanoseconds: they stay exact below
// 2^53 ns (104 days), and the layout and statistics maths on them stays fast.
//
// The model is immutable by contract (readonly types); importers build it once and nobody mutates it.

import type { LogRecord } from './logs';

/** OTLP span kinds, same numbering as the proto enum. */
export const enum SpanKind {
  Unspecified = 0,
  Internal = 1,
  Server = 2,
  Client = 3,
  Producer = 4,
  Consumer = 5,
}

/** OTLP status codes, same numbering as the proto enum. */
export const enum StatusCode {
  Unset = 0,
  Ok = 1,
  Error = 2,
}

export const SPAN_KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
export const STATUS_CODE_NAMES = ['UNSET', 'OK', 'ERROR'] as const;

/**
 * An attribute value, mirroring OTLP's AnyValue:
 * string, boolean, `number` for doubleValue, `bigint` for intValue (int64 stays exact),
 * `Uint8Array` for bytesValue, arrays, key/value lists, and `null` for an empty AnyValue.
 */
export type AttrValue =
  | string
  | boolean
  | number
  | bigint
  | Uint8Array
  | null
  | readonly AttrValue[]
  | KeyValueList;

/** kvlistValue: kept as an ordered list so duplicate keys and order survive a round trip. */
export interface KeyValueList {
  readonly kvlist: readonly Attribute[];
}

export interface Attribute {
  readonly key: string;
  readonly value: AttrValue;
}

export type Attributes = readonly Attribute[];

export interface Resource {
  readonly attributes: Attributes;
  /** `service.name`, or "unknown_service" when absent (as the OTel SDKs default). */
  readonly serviceName: string;
  readonly droppedAttributesCount?: number;
  readonly schemaUrl?: string;
}

export interface Scope {
  readonly name: string;
  readonly version?: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount?: number;
  readonly schemaUrl?: string;
}

export interface SpanEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount?: number;
}

export interface SpanLink {
  /** Lower-case hex when the source id decoded; otherwise the raw string as given. */
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState?: string;
  readonly attributes: Attributes;
  readonly droppedAttributesCount?: number;
  readonly flags?: number;
  /** Jaeger reference type or similar, when the link came from a non-OTLP reference. */
  readonly refType?: string;
}

export interface SpanStatus {
  readonly code: StatusCode;
  readonly message?: string;
}

export interface Span {
  /** Lower-case hex (raw string kept when the id is not hex, e.g. Jaeger test ids like "trace-123"). */
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root. Empty or all-zero parents are normalised to undefined by importers. */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKind;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly status: SpanStatus;
  /** Shared by reference between spans of one batch: do not copy per span. */
  readonly resource: Resource;
  readonly scope: Scope;
  readonly traceState?: string;
  readonly flags?: number;
  readonly droppedAttributesCount?: number;
  readonly droppedEventsCount?: number;
  readonly droppedLinksCount?: number;
}

/** Per-span structural problems, flagged (never dropped). Bit flags so a span can carry several. */
export const enum SpanIssue {
  None = 0,
  /** parentSpanId names a span that is not in the trace. */
  Orphan = 1 << 0,
  /** Another span in the trace has the same span id. */
  DuplicateId = 1 << 1,
  /** Starts before or ends after its parent (clock skew between hosts). */
  OutsideParent = 1 << 2,
  /** end <= start, or no timestamps at all. */
  NonPositiveDuration = 1 << 3,
  /** Parent chain loops back on itself (A -> B -> A; a span that is its own parent is a root). */
  Cycle = 1 << 4,
}

/**
 * A trace with its tree index. `spans` is in import order; the index arrays are parallel to it.
 * Built only through `buildTrace` (src/core/trace.ts), which computes every derived field.
 */
export interface Trace {
  readonly traceId: string;
  readonly spans: readonly Span[];
  /** Index into spans of each span's parent, or -1 for roots and orphans. */
  readonly parentIndex: Int32Array;
  /** Children of each span, sorted by start time. */
  readonly children: readonly (readonly number[])[];
  /** Spans with no parent in the trace (true roots first, then orphans), sorted by start time. */
  readonly roots: readonly number[];
  /** SpanIssue flags per span. */
  readonly issues: Uint8Array;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  /** end - start in nanoseconds. */
  readonly durationNs: number;
  /** Root span name: the earliest true root, else the earliest orphan. */
  readonly rootName: string;
  readonly rootService: string;
  /** Sorted unique service names. */
  readonly services: readonly string[];
  readonly errorCount: number;
  readonly warnings: readonly ImportWarning[];
}

export type FormatId =
  | 'otlp-json'
  | 'otlp-jsonl'
  | 'otlp-proto'
  | 'otlp-proto-framed'
  | 'tempo'
  | 'jaeger-json'
  | 'jaeger-v3'
  | 'zipkin-v2'
  | 'zipkin-v1'
  | 'chrome';

export const FORMAT_LABELS: Record<FormatId, string> = {
  'otlp-json': 'OTLP JSON',
  'otlp-jsonl': 'OTLP JSON Lines',
  'otlp-proto': 'OTLP protobuf',
  'otlp-proto-framed': 'OTLP protobuf (length-framed file exporter)',
  tempo: 'Tempo API response',
  'jaeger-json': 'Jaeger JSON',
  'jaeger-v3': 'Jaeger api/v3 (OTLP)',
  'zipkin-v2': 'Zipkin v2 JSON',
  'zipkin-v1': 'Zipkin v1 JSON',
  chrome: 'Chrome Trace Event',
};

export type WarningCode =
  | 'orphan'
  | 'duplicate-span-id'
  | 'clock-skew'
  | 'non-positive-duration'
  | 'cycle'
  | 'skipped-lines'
  | 'skipped-records'
  | 'unmatched-event'
  | 'invalid-value'
  /** A trace, span or parent id its format does not allow (not hex, wrong length, all zeros). */
  | 'invalid-id'
  | 'precision'
  /** The file was not UTF-8 (UTF-16) and was decoded. */
  | 'encoding';

/** A problem that did not stop the import. Shown in the view, not only logged. */
export interface ImportWarning {
  readonly code: WarningCode;
  readonly message: string;
  readonly traceId?: string;
  readonly spanId?: string;
  /** How many occurrences this warning summarises (warnings of one kind are aggregated). */
  readonly count?: number;
}

/** Where in the input a problem is. Whatever is known is filled in. */
export interface SourceLocation {
  /** 1-based line. */
  readonly line?: number;
  /** 1-based column. */
  readonly column?: number;
  /** 0-based byte (or character, for text) offset. */
  readonly offset?: number;
  /** JSON path such as `$.resourceSpans[0].scopeSpans[1].spans[3].startTimeUnixNano`. */
  readonly path?: string;
}

/** The result of importing one file: one or more traces. */
export interface TraceFile {
  readonly format: FormatId;
  readonly traces: readonly Trace[];
  readonly spanCount: number;
  /** File-level warnings (skipped lines, unmatched events...). Per-trace ones live on each Trace. */
  readonly warnings: readonly ImportWarning[];
  /** Log records read with the traces (OTLP resourceLogs, mixed JSON Lines), in file order. */
  readonly logs?: readonly LogRecord[];
}
