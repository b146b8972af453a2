// OTLP trace messages as they are on the wire (see ./schema.ts), kept apart from the view model
// (src/core/model.ts) the way opentelemetry-js keeps otlp-transformer types apart from the SDK's:
// the codec speaks these, `./toModel.ts` turns them into model spans, and a collector can decode,
// inspect and answer with them without touching the model.
//
// Decoded messages carry every scalar field with its proto3 default (0, '', empty bytes), so
// readers never test for undefined; only message-typed fields (resource, scope, status, value,
// partialSuccess) may be absent, as in proto3. 64-bit integers are exact `bigint`s.
//
// `Id` is how trace/span ids are held: raw bytes from protobuf, or already-normalised strings
// from the JSON reader (whose ids may be hex, base64 or junk kept verbatim), so both paths share
// one conversion to the model.
import type { AttrValue, Attribute } from '../model/model';

/**
 * AnyValue is held as the model's AttrValue, which mirrors it one to one: string_value -> string,
 * bool_value -> boolean, int_value -> bigint, double_value -> number, bytes_value -> Uint8Array,
 * array_value -> array, kvlist_value -> { kvlist }, no field set -> null. Sharing the type lets the
 * importers hand decoded attribute lists to the model without copying them (attributes are most
 * of a trace's objects, and copying them doubled the decode time in garbage collection).
 */
export type OtlpAnyValue = AttrValue;

/** KeyValue (key = 1, value = 2); an unset value reads as null, like an empty AnyValue. */
export type OtlpKeyValue = Attribute;

export interface OtlpInstrumentationScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
}

export interface OtlpEntityRef {
  readonly schemaUrl: string;
  readonly type: string;
  readonly idKeys: readonly string[];
  readonly descriptionKeys: readonly string[];
}

export interface OtlpResource {
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
  readonly entityRefs: readonly OtlpEntityRef[];
}

export interface OtlpStatus {
  readonly message: string;
  /** StatusCode: 0 unset, 1 ok, 2 error (other values pass through as received). */
  readonly code: number;
  /** Removed field 1 (deprecated_code), read for senders older than OTLP 0.10; 0 when absent. */
  readonly deprecatedCode: number;
}

export interface OtlpEvent {
  readonly timeUnixNano: bigint;
  readonly name: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
}

export interface OtlpLink<Id = Uint8Array> {
  readonly traceId: Id;
  readonly spanId: Id;
  readonly traceState: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
}

export interface OtlpSpan<Id = Uint8Array> {
  readonly traceId: Id;
  readonly spanId: Id;
  readonly traceState: string;
  readonly parentSpanId: Id;
  readonly flags: number;
  readonly name: string;
  /** SpanKind: 0..5 (other values pass through as received). */
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
  readonly events: readonly OtlpEvent[];
  readonly droppedEventsCount: number;
  readonly links: readonly OtlpLink<Id>[];
  readonly droppedLinksCount: number;
  readonly status?: OtlpStatus;
}

export interface OtlpScopeSpans<Id = Uint8Array> {
  readonly scope?: OtlpInstrumentationScope;
  readonly spans: readonly OtlpSpan<Id>[];
  readonly schemaUrl: string;
}

export interface OtlpResourceSpans<Id = Uint8Array> {
  readonly resource?: OtlpResource;
  readonly scopeSpans: readonly OtlpScopeSpans<Id>[];
  readonly schemaUrl: string;
}

/** ExportTraceServiceRequest and TracesData have the same single field (resource_spans = 1). */
export interface OtlpTracesData<Id = Uint8Array> {
  readonly resourceSpans: readonly OtlpResourceSpans<Id>[];
}

export type OtlpExportTraceServiceRequest = OtlpTracesData<Uint8Array>;

export interface OtlpExportTracePartialSuccess {
  readonly rejectedSpans: bigint;
  readonly errorMessage: string;
}

export interface OtlpExportTraceServiceResponse {
  /** Absent means full success (the empty message). */
  readonly partialSuccess?: OtlpExportTracePartialSuccess;
}

// ---------------------------------------------------------------- logs (opentelemetry-proto logs/v1)

export interface OtlpLogRecord<Id = Uint8Array> {
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  /** SeverityNumber 0..24 (other values pass through as received). */
  readonly severityNumber: number;
  readonly severityText: string;
  /** Absent when the record has no body (an unset AnyValue message is null). */
  readonly body?: OtlpAnyValue;
  readonly attributes: readonly OtlpKeyValue[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
  readonly traceId: Id;
  readonly spanId: Id;
  readonly eventName: string;
}

export interface OtlpScopeLogs<Id = Uint8Array> {
  readonly scope?: OtlpInstrumentationScope;
  readonly logRecords: readonly OtlpLogRecord<Id>[];
  readonly schemaUrl: string;
}

export interface OtlpResourceLogs<Id = Uint8Array> {
  readonly resource?: OtlpResource;
  readonly scopeLogs: readonly OtlpScopeLogs<Id>[];
  readonly schemaUrl: string;
}

/** ExportLogsServiceRequest and LogsData have the same single field (resource_logs = 1). */
export interface OtlpLogsData<Id = Uint8Array> {
  readonly resourceLogs: readonly OtlpResourceLogs<Id>[];
}
