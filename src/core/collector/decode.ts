// Request bodies -> model spans for the receivers, with the OTLP rule for bad spans: a span that is
// individually invalid is rejected (counted in partial_success) and the rest of the request kept;
// only a body that cannot be decoded at all fails the whole request (400 / INVALID_ARGUMENT).
//
// What "individually invalid" means here, from the comments of opentelemetry-proto trace.proto:
// trace_id must be 16 bytes and span_id 8 bytes, neither all zeros ("considered invalid", "required");
// parent_span_id is empty for a root or 8 bytes. Everything else a span can get wrong (empty name,
// missing or reversed timestamps, unknown kind) is kept and flagged in the view, as the importers do:
// the data is still useful to a developer and the spec does not call it invalid.
import type { Span } from '../model/model';
import { decodeTraceRequest, ProtoDecodeError } from '../otlp/codec';
import { BYTES_IDS, spansFromOtlp } from '../otlp/toModel';
import type { OtlpResourceSpans, OtlpSpan, OtlpTracesData } from '../otlp/types';
import { WarningSink } from '../otlp/warnings';
import { ImportError, describeError } from '../model/errors';
import type { StoredBody } from './store';

export interface TraceBatch {
  readonly spans: Span[];
  /** Spans refused (bad ids); they are not in `spans`. */
  readonly rejected: number;
  /** Why, for partial_success.error_message. */
  readonly rejectMessage?: string;
  /**
   * The body itself as one OTLP JSON line, when it can be appended to an output file verbatim
   * (an OTLP JSON body with no rejected spans and no line breaks): saves re-encoding.
   */
  readonly jsonLine?: string;
  /** The body to keep in the store (re-decoding it gives `spans` back); absent for spans made in memory. */
  readonly stored?: StoredBody;
}

/**
 * The body as an exact-size buffer of its own: a view into a larger socket or pool buffer would
 * keep all of that alive for as long as the store holds the body.
 */
export function ownBytes(body: Uint8Array): Buffer {
  if (Buffer.isBuffer(body) && body.byteOffset === 0 && body.buffer.byteLength === body.length) return body;
  const copy = Buffer.allocUnsafeSlow(body.length);
  copy.set(body);
  return copy;
}

/** The whole body is unusable: the message says what was wrong and where. */
export class BatchDecodeError extends Error {}

/** Validity of an id as decoded (bytes from protobuf, normalised strings from JSON). */
interface IdRules<Id> {
  /** Problem with a trace/span id, or undefined when it is fine. */
  idProblem(raw: Id, byteLength: 8 | 16): string | undefined;
  parentProblem(raw: Id): string | undefined;
}

const BYTE_RULES: IdRules<Uint8Array> = {
  idProblem(raw, n) {
    if (raw.length !== n) return raw.length === 0 ? 'is missing' : `is ${raw.length} bytes, not ${n}`;
    for (let i = 0; i < n; i++) if (raw[i] !== 0) return undefined;
    return 'is all zeros';
  },
  parentProblem(raw) {
    return raw.length === 0 || raw.length === 8 ? undefined : `is ${raw.length} bytes, not 8 (or empty for a root)`;
  },
};

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const ZEROS = /^0+$/;

export const STRING_RULES: IdRules<string> = {
  idProblem(raw, n) {
    if (raw === '') return 'is missing';
    if (!(n === 16 ? HEX32 : HEX16).test(raw)) return `"${raw.length > 40 ? raw.slice(0, 40) + '…' : raw}" is not ${n} bytes of hex`;
    return ZEROS.test(raw) ? 'is all zeros' : undefined;
  },
  parentProblem(raw) {
    return raw === '' || HEX16.test(raw) ? undefined : `"${raw.length > 40 ? raw.slice(0, 40) + '…' : raw}" is not 8 bytes of hex (or empty for a root)`;
  },
};

/**
 * Drops invalid spans from `data` (copying only the lists that change). Returns the kept data, the
 * number dropped and a message naming the first problem and where it was.
 */
export function rejectInvalidSpans<Id>(data: OtlpTracesData<Id>, rules: IdRules<Id>): { data: OtlpTracesData<Id>; rejected: number; message?: string } {
  let rejected = 0;
  let first: string | undefined;
  let changed = false;
  const resourceSpans: OtlpResourceSpans<Id>[] = [];
  data.resourceSpans.forEach((rs, r) => {
    let rsChanged = false;
    const scopeSpans = rs.scopeSpans.map((ss, c) => {
      let kept: OtlpSpan<Id>[] | undefined;
      ss.spans.forEach((s, i) => {
        const problem =
          prefix('trace_id', rules.idProblem(s.traceId, 16)) ?? prefix('span_id', rules.idProblem(s.spanId, 8)) ?? prefix('parent_span_id', rules.parentProblem(s.parentSpanId));
        if (problem === undefined) {
          kept?.push(s);
          return;
        }
        rejected++;
        first ??= `resource_spans[${r}].scope_spans[${c}].spans[${i}]: ${problem}`;
        kept ??= ss.spans.slice(0, i);
      });
      if (!kept) return ss;
      rsChanged = true;
      return { ...ss, spans: kept };
    });
    if (rsChanged) changed = true;
    resourceSpans.push(rsChanged ? { ...rs, scopeSpans } : rs);
  });
  if (!changed) return { data, rejected: 0 };
  const message = `${rejected} span(s) rejected: invalid ids (trace_id must be 16 bytes and span_id 8 bytes, not all zeros); first: ${first}`;
  return { data: { resourceSpans }, rejected, message };
}

function prefix(field: string, problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : `${field} ${problem}`;
}

/** Binary ExportTraceServiceRequest -> batch. Throws BatchDecodeError when it is not one. */
export function decodeOtlpProtoBatch(body: Uint8Array): TraceBatch {
  const bytes = ownBytes(body);
  let req: OtlpTracesData<Uint8Array>;
  try {
    req = decodeTraceRequest(bytes);
  } catch (e) {
    if (e instanceof ProtoDecodeError) throw new BatchDecodeError(`the body is not a protobuf ExportTraceServiceRequest: ${e.message}`);
    throw new BatchDecodeError(`the body is not a protobuf ExportTraceServiceRequest: ${describeError(e)}`);
  }
  const { data, rejected, message } = rejectInvalidSpans(req, BYTE_RULES);
  const spans = spansFromOtlp(data, BYTES_IDS, new WarningSink(), []);
  return { spans, rejected, rejectMessage: message, stored: { kind: 'otlp-proto', bytes } };
}

export function importErrorText(e: unknown): string {
  return e instanceof ImportError ? describeError(e) : e instanceof Error ? e.message : String(e);
}
