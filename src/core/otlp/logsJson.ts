// OTLP/JSON LogsData (`{"resourceLogs": [...]}`) -> wire messages (./types.ts) with string ids, in
// the same dialects as spans (./fromJson.ts): camelCase or snake_case keys, hex or base64 ids,
// severity as a number or its enum name, int64 as strings or numbers. Nothing here throws on bad
// values; they are kept as best as possible and reported with their JSON path.
import { isObject } from '../importers/json';
import { anyValue, enumField, idField, type JsonObject, JsonReadContext, keyValues, listOf, nanosField, resourceOf, scopeOf, stringField, uintField } from './fromJson';
import type { OtlpLogRecord, OtlpLogsData, OtlpResourceLogs, OtlpScopeLogs } from './types';

/** SeverityNumber names without the SEVERITY_NUMBER_ prefix: TRACE=1, TRACE2=2 … FATAL4=24. */
const SEVERITY_NAMES: Record<string, number> = { UNSPECIFIED: 0 };
['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((name, i) => {
  for (let k = 1; k <= 4; k++) SEVERITY_NAMES[k === 1 ? name : `${name}${k}`] = i * 4 + k;
});

function bodyOf(o: JsonObject, ctx: JsonReadContext): OtlpLogRecord<string>['body'] {
  const b = o.body;
  if (b === undefined || b === null) return undefined;
  ctx.path.push('body');
  const v = anyValue(b, ctx);
  ctx.path.pop();
  return v;
}

function logRecordOf(r: unknown, ctx: JsonReadContext): OtlpLogRecord<string> | undefined {
  if (!isObject(r)) {
    ctx.invalid('log record(s) are not objects, ignored');
    return undefined;
  }
  return {
    timeUnixNano: nanosField(r, 'timeUnixNano', 'time_unix_nano', ctx),
    observedTimeUnixNano: nanosField(r, 'observedTimeUnixNano', 'observed_time_unix_nano', ctx),
    severityNumber: enumField(r, 'severityNumber', 'severity_number', 'SEVERITY_NUMBER_', SEVERITY_NAMES, 'severity number', ctx),
    severityText: stringField(r, 'severityText', 'severity_text', ctx),
    body: bodyOf(r, ctx),
    attributes: keyValues(r, 'attributes', 'attributes', ctx),
    droppedAttributesCount: uintField(r, 'droppedAttributesCount', 'dropped_attributes_count', ctx),
    flags: uintField(r, 'flags', 'flags', ctx),
    traceId: idField(r, 'traceId', 'trace_id', 16, ctx),
    spanId: idField(r, 'spanId', 'span_id', 8, ctx),
    eventName: stringField(r, 'eventName', 'event_name', ctx),
  };
}

function scopeLogsOf(sl: unknown, ctx: JsonReadContext): OtlpScopeLogs<string> | undefined {
  if (!isObject(sl)) {
    ctx.invalid('scopeLogs entries are not objects, ignored');
    return undefined;
  }
  return {
    scope: scopeOf(sl, ctx),
    logRecords: listOf(sl, 'logRecords', 'log_records', ctx, logRecordOf, []),
    schemaUrl: stringField(sl, 'schemaUrl', 'schema_url', ctx),
  };
}

function resourceLogsOf(rl: unknown, ctx: JsonReadContext): OtlpResourceLogs<string> | undefined {
  if (!isObject(rl)) {
    ctx.invalid('resourceLogs entries are not objects, ignored');
    return undefined;
  }
  let scopeLogs = listOf(rl, 'scopeLogs', 'scope_logs', ctx, scopeLogsOf, []);
  // As for spans: the removed instrumentation_library_logs only when scope_logs is empty.
  if (scopeLogs.length === 0) scopeLogs = listOf(rl, 'instrumentationLibraryLogs', 'instrumentation_library_logs', ctx, scopeLogsOf, []);
  return { resource: resourceOf(rl, ctx), scopeLogs, schemaUrl: stringField(rl, 'schemaUrl', 'schema_url', ctx) };
}

/** Reads `list` (the resourceLogs array) named `key` under the context's current path. */
export function logsDataFromJson(list: unknown, key: string, ctx: JsonReadContext): OtlpLogsData<string> {
  const holder: JsonObject = { [key]: list };
  return { resourceLogs: listOf(holder, key, key, ctx, resourceLogsOf, []) };
}

/** The resourceLogs key of a parsed document, if it is a LogsData. */
export function resourceLogsKey(v: unknown): 'resourceLogs' | 'resource_logs' | undefined {
  if (!isObject(v)) return undefined;
  return 'resourceLogs' in v ? 'resourceLogs' : 'resource_logs' in v ? 'resource_logs' : undefined;
}
