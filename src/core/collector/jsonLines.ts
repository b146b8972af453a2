// OTLP JSON Lines for the output file (one TracesData per received batch) and for export (one per
// trace, as the Collector's file exporter writes), both through the project's OTLP JSON exporter so
// that every line reopens with importTraceFile.
import type { Span, Trace, TraceFile } from '../model/model';
import { serializeOtlpJson, toOtlpJsonLines } from '../exporters/otlpJson';

/**
 * One received batch as one OTLP JSON line (no trailing newline). The exporter takes a file, traces
 * or a trace; a batch is none of these, so it is handed over as a trace-shaped holder of its spans
 * (the exporter only reads `spans` from a Trace: ResourceSpans/ScopeSpans are regrouped by the
 * shared Resource/Scope objects, in first-seen order).
 */
export function batchToJsonLine(spans: readonly Span[]): string {
  return serializeOtlpJson({ spans } as unknown as Trace);
}

/** A TraceFile as OTLP JSON Lines, one TracesData per trace. */
export function traceFileToJsonLines(file: TraceFile): string {
  return toOtlpJsonLines(file);
}
