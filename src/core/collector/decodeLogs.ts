// /v1/logs and LogsService/Export bodies -> model log records. Only a body that cannot be decoded
// fails the request (400 / INVALID_ARGUMENT). Unlike a span, a log record with a bad trace_id or
// span_id is not invalid: logs.proto tells receivers to treat it as not associated with a trace. So
// nothing is rejected; the ids are dropped and the request gets a partial_success with 0 rejected
// and an error_message, which the OTLP spec defines as "accepted, with warnings".
import type { LogRecord } from '../model/logs';
import { ProtoDecodeError } from '../otlp/codec';
import { JsonReadContext, quoteUnsafeIntegers } from '../otlp/fromJson';
import { decodeLogsRequestHexIds } from '../otlp/logsCodec';
import { logsDataFromJson } from '../otlp/logsJson';
import { logsFromOtlp } from '../otlp/logsToModel';
import type { OtlpLogsData } from '../otlp/types';
import { WarningSink } from '../otlp/warnings';
import { isObject, parseJson } from '../importers/json';
import { describeError } from '../model/errors';
import { BatchDecodeError, importErrorText, ownBytes } from './decode';

export interface LogBatch {
  readonly records: LogRecord[];
  /** Records refused (always 0 today, see above); kept for partial_success. */
  readonly rejected: number;
  /** Warnings for partial_success.error_message (ids dropped...), when there are any. */
  readonly warning?: string;
}

function toBatch(data: OtlpLogsData<string>, warnings: WarningSink): LogBatch {
  const records = logsFromOtlp(data, warnings, []);
  const list = warnings.list().filter((w) => w.code === 'invalid-id' || w.code === 'invalid-value');
  return { records, rejected: 0, warning: list.length ? list.map((w) => w.message).join(' ') : undefined };
}

/** Binary ExportLogsServiceRequest -> batch. Throws BatchDecodeError when it is not one. */
export function decodeOtlpProtoLogs(body: Uint8Array): LogBatch {
  let data: OtlpLogsData<string>;
  try {
    // bytes values stay views into the body: an exact-size copy, not a pooled socket buffer.
    data = decodeLogsRequestHexIds(ownBytes(body));
  } catch (e) {
    const why = e instanceof ProtoDecodeError ? e.message : describeError(e);
    throw new BatchDecodeError(`the body is not a protobuf ExportLogsServiceRequest: ${why}`);
  }
  return toBatch(data, new WarningSink());
}

/** application/json ExportLogsServiceRequest -> batch. */
export function decodeOtlpJsonLogs(body: Uint8Array): LogBatch {
  let text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = parseJson(quoteUnsafeIntegers(text));
  } catch (e) {
    throw new BatchDecodeError(`the body is not OTLP JSON: ${importErrorText(e)}`);
  }
  const what = 'the body is not an OTLP JSON ExportLogsServiceRequest';
  if (!isObject(value)) throw new BatchDecodeError(`${what}: expected an object with "resourceLogs"`);
  const key = 'resourceLogs' in value ? 'resourceLogs' : 'resource_logs' in value ? 'resource_logs' : undefined;
  if (key === undefined) {
    // {} is a valid empty request (proto3 JSON omits empty repeated fields).
    if (Object.keys(value).length === 0) return { records: [], rejected: 0 };
    const hint = 'resourceSpans' in value ? ' (this is a trace request: POST it to /v1/traces)' : '';
    throw new BatchDecodeError(`${what}: expected "resourceLogs", found ${Object.keys(value).slice(0, 5).join(', ')}${hint}`);
  }
  if (!Array.isArray(value[key])) throw new BatchDecodeError(`${what}: "${key}" is not a list`);
  const warnings = new WarningSink();
  return toBatch(logsDataFromJson(value[key], key, new JsonReadContext(warnings)), warnings);
}
