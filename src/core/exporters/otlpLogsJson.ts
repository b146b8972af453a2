// Model log records -> OTLP/JSON LogsData (`{"resourceLogs": [...]}`), spelled as ./otlpJson.ts
// writes traces (camelCase, hex ids, int64 as strings), so a line of it reopens with importTraceFile
// and the Collector's own otlpjson reader. Records are regrouped into ResourceLogs/ScopeLogs by the
// identity of their Resource and Scope objects, in first-seen order.
import type { LogRecord } from '../model/logs';
import { anyValueToJson, attributesToJson, groupByResourceAndScope, type OtlpJsonAnyValue, type OtlpJsonKeyValue, resourceToJson, scopeToJson } from './otlpJson';

export interface OtlpJsonLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpJsonAnyValue;
  attributes: OtlpJsonKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: string;
  spanId?: string;
  eventName?: string;
}

interface ScopeLogsJson {
  scope: ReturnType<typeof scopeToJson>;
  logRecords: OtlpJsonLogRecord[];
  schemaUrl?: string;
}

interface ResourceLogsJson {
  resource: ReturnType<typeof resourceToJson>;
  scopeLogs: ScopeLogsJson[];
  schemaUrl?: string;
}

export interface OtlpJsonLogsData {
  resourceLogs: ResourceLogsJson[];
}

function recordToJson(r: LogRecord): OtlpJsonLogRecord {
  const out: OtlpJsonLogRecord = {} as OtlpJsonLogRecord;
  if (r.timeUnixNano) out.timeUnixNano = r.timeUnixNano.toString();
  if (r.observedTimeUnixNano) out.observedTimeUnixNano = r.observedTimeUnixNano.toString();
  if (r.severityNumber) out.severityNumber = r.severityNumber;
  if (r.severityText) out.severityText = r.severityText;
  if (r.body !== undefined) out.body = anyValueToJson(r.body);
  out.attributes = attributesToJson(r.attributes);
  if (r.droppedAttributesCount) out.droppedAttributesCount = r.droppedAttributesCount;
  if (r.flags) out.flags = r.flags;
  if (r.traceId) out.traceId = r.traceId;
  if (r.spanId) out.spanId = r.spanId;
  if (r.eventName) out.eventName = r.eventName;
  return out;
}

/** LogsData for `records`, grouped by their shared Resource and Scope objects. */
export function toOtlpLogsJson(records: readonly LogRecord[]): OtlpJsonLogsData {
  const resourceLogs = groupByResourceAndScope(records).map((g) => {
    const rl: ResourceLogsJson = {
      resource: resourceToJson(g.resource),
      scopeLogs: g.scopes.map(({ scope, items }) => {
        const sl: ScopeLogsJson = { scope: scopeToJson(scope), logRecords: items.map(recordToJson) };
        if (scope.schemaUrl) sl.schemaUrl = scope.schemaUrl;
        return sl;
      }),
    };
    if (g.resource.schemaUrl) rl.schemaUrl = g.resource.schemaUrl;
    return rl;
  });
  return { resourceLogs };
}

/** One LogsData as a single line of JSON (no trailing newline), for JSON Lines files. */
export function logsToJsonLine(records: readonly LogRecord[]): string {
  return JSON.stringify(toOtlpLogsJson(records));
}
