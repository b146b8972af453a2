// OTLP log wire messages (./types.ts, string ids from either reader) -> model LogRecords. Shared by
// the file importers and the collector so both apply the same id rule, which is the one
// opentelemetry-proto logs.proto gives receivers: an empty, all-zero or wrong-length id means "not
// associated with a trace", so the record is kept and only the id dropped (with a warning naming
// the field and the value, since a wrong-length id is a sender bug worth seeing).
import type { LogRecord } from '../model/logs';
import { quoteId } from '../model/ids';
import { attributesFromOtlp, resourceFromOtlp, scopeFromOtlp } from './toModel';
import type { OtlpLogRecord, OtlpLogsData } from './types';
import type { WarningSink } from './warnings';

const HEX = /^[0-9a-f]*$/;
const ZEROS = /^0*$/;

/** A valid id, or undefined; warns when the id was present but not OTLP's `chars` hex digits. */
function idOf(raw: string, chars: 32 | 16, field: string, warnings: WarningSink, at: () => string): string | undefined {
  if (ZEROS.test(raw)) return undefined;
  if (raw.length === chars && HEX.test(raw)) return raw;
  const why = HEX.test(raw) ? `${raw.length} hex digits, expected ${chars}` : 'not hex';
  warnings.add('invalid-id', `log record(s) have an invalid ${field} (OTLP wants ${chars} hex digits), read as not part of a trace`, `${at()}.${field} = ${quoteId(raw)}: ${why}`);
  return undefined;
}

function recordFromOtlp(r: OtlpLogRecord<string>, resource: LogRecord['resource'], scope: LogRecord['scope'], warnings: WarningSink, at: () => string): LogRecord {
  let severityNumber = r.severityNumber;
  if (!(Number.isInteger(severityNumber) && severityNumber >= 0 && severityNumber <= 24)) {
    warnings.add('invalid-value', 'severity number(s) outside 0..24, read as unspecified', `${at()}.severityNumber = ${severityNumber}`);
    severityNumber = 0;
  }
  const out: {
    -readonly [K in keyof LogRecord]: LogRecord[K];
  } = {
    // A record without its own time is placed at the time the SDK or collector saw it.
    timeUnixNano: r.timeUnixNano || r.observedTimeUnixNano,
    severityNumber,
    attributes: attributesFromOtlp(r.attributes),
    resource,
    scope,
  };
  if (r.observedTimeUnixNano) out.observedTimeUnixNano = r.observedTimeUnixNano;
  if (r.severityText) out.severityText = r.severityText;
  if (r.body !== undefined && r.body !== null) out.body = r.body;
  const traceId = idOf(r.traceId, 32, 'traceId', warnings, at);
  if (traceId) out.traceId = traceId;
  const spanId = idOf(r.spanId, 16, 'spanId', warnings, at);
  if (spanId) out.spanId = spanId;
  if (r.flags) out.flags = r.flags;
  if (r.eventName) out.eventName = r.eventName;
  if (r.droppedAttributesCount) out.droppedAttributesCount = r.droppedAttributesCount;
  return out;
}

/**
 * Appends the records of `data` to `out` in wire order. One Resource object per ResourceLogs and one
 * Scope per ScopeLogs, shared by their records (the exporter regroups by that identity).
 * `pathPrefix` names `data` in warnings (e.g. "$" or "line 3: $").
 */
export function logsFromOtlp(data: OtlpLogsData<string>, warnings: WarningSink, out: LogRecord[], pathPrefix = '$'): LogRecord[] {
  const rls = data.resourceLogs;
  for (let r = 0; r < rls.length; r++) {
    const rl = rls[r];
    const resource = resourceFromOtlp(rl.resource, rl.schemaUrl);
    for (let c = 0; c < rl.scopeLogs.length; c++) {
      const sl = rl.scopeLogs[c];
      const scope = scopeFromOtlp(sl.scope, sl.schemaUrl);
      const records = sl.logRecords;
      for (let i = 0; i < records.length; i++) {
        const at = () => `${pathPrefix}.resourceLogs[${r}].scopeLogs[${c}].logRecords[${i}]`;
        out.push(recordFromOtlp(records[i], resource, scope, warnings, at));
      }
    }
  }
  return out;
}
