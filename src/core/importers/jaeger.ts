// Jaeger JSON in all the shapes users save (see the corpus FORMATS.md §2):
//   - query API response `{data: [trace...], total, limit, offset, errors}`
//   - one trace `{traceID, spans, processes}` (also inside jaeger-ui's redux `{id, state, data: trace}`)
//   - a bare array of spans with inline `process` (anonymizer output), or of traces
//   - one Elasticsearch span document (inline `process`, every tag value a string, binary as hex)
//   - api_v2 protobuf JSON `{spans, processMap?}` (base64 ids, RFC 3339 start, Duration strings)
//   - a Thrift Batch as JSON `{process, spans: [{traceIdLow, spanId, …}]}` (./jaegerThrift.ts)
// Semantics follow Jaeger's own OTLP translator (span.kind / error / otel.* tags become kind,
// status and scope) and jaeger-ui's tree (parent = first same-trace CHILD_OF reference, else the
// first same-trace reference of any type; every reference is also kept as a link).
import { ImportError } from '../model/errors';
import { idProblemKind, jaegerIdProblem, normalizeId, normalizeParentId, quoteId } from '../model/ids';
import { isObject } from './json';
import type { Attribute, Resource, Span, SpanEvent, SpanLink, SpanStatus, TraceFile } from '../model/model';
import { SpanKind, StatusCode } from '../model/model';
import { microsToNanos, parseDurationNanos, parseRfc3339Nanos } from '../model/time';
import { assembleTraceFile } from '../model/trace';
import { formatAttrValue, UNKNOWN_SERVICE } from '../model/attributes';
import { BinaryEncoding, convertTags, TagContext } from './jaegerTags';
import { isJaegerThriftBatch, thriftBatchesToJaegerJson } from './jaegerThrift';
import { ResourceInterner, ScopeInterner } from './sharedObjects';
import { childPath, describeValue, WarningCollector } from './warningCollector';

const FORMAT = 'jaeger-json';

/** A group of spans that share a process table (one trace, or one loose list). */
interface SpanBatch {
  readonly spans: readonly unknown[];
  /** When set, only these indexes of `spans` are read (a list mixing traces and loose spans). */
  readonly indexes?: readonly number[];
  readonly path: string;
  /** The document is one span (no list): its path is `path` itself. */
  readonly single?: boolean;
  /** processID -> process object (`processes` map or api_v2 `processMap` list). */
  readonly processes: ReadonlyMap<string, unknown>;
  readonly processesPath: string;
  /** The enclosing trace's id, for spans that omit their own. */
  readonly traceId?: unknown;
  readonly binary: BinaryEncoding;
}

class JaegerReader implements TagContext {
  readonly warnings = new WarningCollector();
  binary: BinaryEncoding = 'base64';
  private readonly resources = new ResourceInterner();
  private readonly scopes = new ScopeInterner();
  private readonly processResources = new Map<unknown, Resource>();
  readonly spans: Span[] = [];
  private firstSkip?: { message: string; path: string };

  readBatch(batch: SpanBatch): void {
    this.binary = batch.binary;
    const n = batch.indexes ? batch.indexes.length : batch.spans.length;
    for (let k = 0; k < n; k++) {
      const i = batch.indexes ? batch.indexes[k] : k;
      const span = this.readSpan(batch.spans[i], batch.single ? batch.path : childPath(batch.path, i), batch);
      if (span) this.spans.push(span);
    }
  }

  /** A span that cannot be identified is left out, and said so (never silently). */
  private skip(message: string, path: string): undefined {
    this.firstSkip ??= { message, path };
    this.warnings.add('skipped-records', 'span', `span left out: ${message}`, path);
    return undefined;
  }

  failIfNothingRead(): void {
    if (this.spans.length > 0) return;
    if (this.firstSkip) {
      throw new ImportError(`no usable Jaeger span: ${this.firstSkip.message}`, { path: this.firstSkip.path }, FORMAT);
    }
    throw new ImportError('the Jaeger file contains no spans', { path: '$' }, FORMAT);
  }

  private readSpan(raw: unknown, path: string, batch: SpanBatch): Span | undefined {
    if (!isObject(raw)) return this.skip(`expected a span object, got ${describeValue(raw)}`, path);
    const traceKey = 'traceId' in raw ? 'traceId' : 'traceID';
    const spanKey = 'spanId' in raw ? 'spanId' : 'spanID';
    const rawTrace = raw[traceKey] ?? batch.traceId;
    const rawSpan = raw[spanKey];
    if (typeof rawTrace !== 'string' || rawTrace === '') {
      return this.skip(`traceID should be a non-empty string, got ${describeValue(rawTrace)}`, childPath(path, traceKey));
    }
    if (typeof rawSpan !== 'string' || rawSpan === '') {
      return this.skip(`spanID should be a non-empty string, got ${describeValue(rawSpan)}`, childPath(path, spanKey));
    }
    const traceId = normalizeId(rawTrace, 16);
    const spanId = normalizeId(rawSpan, 8);
    const ids = { traceId, spanId };

    const start = this.readTime(raw.startTime, childPath(path, 'startTime'), ids, 'startTime');
    // A bad duration is reported even when the start is missing: both are worth fixing.
    const duration = start === undefined && (raw.duration === undefined || raw.duration === null) ? undefined : this.readDuration(raw.duration, childPath(path, 'duration'), ids);
    const startTimeUnixNano = start ?? 0n;
    const endTimeUnixNano = startTimeUnixNano + (duration ?? 0n);

    const tags = convertTags(raw.tags, childPath(path, 'tags'), this);
    const special = extractSpecialTags(tags);
    const { parentSpanId, links } = this.readReferences(raw, path, traceId);
    this.checkId(traceKey, traceId, 32, raw[traceKey] === undefined ? path : childPath(path, traceKey), ids);
    this.checkId(spanKey, spanId, 16, childPath(path, spanKey), ids);
    if (parentSpanId !== undefined) this.checkId('parentSpanId', parentSpanId, 16, childPath(path, 'parentSpanID' in raw || 'parentSpanId' in raw ? ('parentSpanID' in raw ? 'parentSpanID' : 'parentSpanId') : 'references'), ids);

    return {
      traceId,
      spanId,
      parentSpanId,
      name: typeof raw.operationName === 'string' ? raw.operationName : '',
      kind: special.kind,
      startTimeUnixNano,
      endTimeUnixNano,
      attributes: special.attributes,
      events: this.readLogs(raw.logs, childPath(path, 'logs'), startTimeUnixNano),
      links,
      status: special.status,
      resource: this.resourceFor(raw, path, batch),
      scope: this.scopes.get(special.scopeName, special.scopeVersion),
      ...(special.traceState !== undefined ? { traceState: special.traceState } : {}),
    };
  }

  /** Names an id Jaeger itself would refuse (not hex, too long) in an 'invalid-id' warning; the id is kept. */
  private checkId(field: string, id: string, maxChars: 32 | 16, path: string, ids: { traceId: string; spanId: string }): void {
    const why = jaegerIdProblem(id, maxChars);
    if (why === undefined) return;
    this.warnings.add('invalid-id', `${field} ${idProblemKind(why)}`, `span(s) have an invalid ${field} (Jaeger ids are 1 to ${maxChars} hex digits), kept as given: ${quoteId(id)} is ${why}`, path, ids);
  }

  /** Absolute times: µs since the epoch (number or decimal string), or RFC 3339 in api_v2 JSON. */
  private readTime(v: unknown, path: string, ids: { traceId: string; spanId: string }, field: string): bigint | undefined {
    const t = parseJaegerTime(v);
    if (t !== undefined) return t;
    if (v === undefined || v === null) {
      this.warnings.add('invalid-value', `missing-${field}`, `a span has no ${field}; it is shown without timing`, path, ids);
    } else {
      this.warnings.add('invalid-value', `bad-${field}`, `${field} should be microseconds since the epoch (a number) or an RFC 3339 time, got ${describeValue(v)}; the span is shown without timing`, path, ids);
    }
    return undefined;
  }

  private readDuration(v: unknown, path: string, ids: { traceId: string; spanId: string }): bigint | undefined {
    const d = parseJaegerDuration(v);
    if (d !== undefined) return d;
    const what = v === undefined || v === null ? 'a span has no duration' : `duration should be microseconds (a number) or a protobuf Duration such as "5000ns", got ${describeValue(v)}`;
    this.warnings.add('invalid-value', v === undefined || v === null ? 'missing-duration' : 'bad-duration', `${what}; the span is shown with zero length`, path, ids);
    return undefined;
  }

  private readReferences(raw: Record<string, unknown>, path: string, traceId: string): { parentSpanId?: string; links: SpanLink[] } {
    const refs = raw.references;
    const links: SpanLink[] = [];
    let childOf: string | undefined;
    let anySameTrace: string | undefined;
    if (Array.isArray(refs)) {
      for (let i = 0; i < refs.length; i++) {
        const r = refs[i];
        const rPath = childPath(childPath(path, 'references'), i);
        if (!isObject(r)) {
          this.warnings.add('invalid-value', 'reference-shape', `a reference should be an object {refType, traceID, spanID}, got ${describeValue(r)}; ignored`, rPath);
          continue;
        }
        const rSpan = r.spanID ?? r.spanId;
        const rTrace = r.traceID ?? r.traceId;
        if (typeof rSpan !== 'string' || rSpan === '') {
          this.warnings.add('invalid-value', 'reference-span', `a reference has no usable spanID (${describeValue(rSpan)}); ignored`, rPath);
          continue;
        }
        // proto3 JSON omits the zero enum value, and CHILD_OF is 0.
        const refType = typeof r.refType === 'string' ? r.refType.toUpperCase() : r.refType === 1 ? 'FOLLOWS_FROM' : 'CHILD_OF';
        const linkTrace = typeof rTrace === 'string' && rTrace !== '' ? normalizeId(rTrace, 16) : traceId;
        const linkSpan = normalizeId(rSpan, 8);
        links.push({ traceId: linkTrace, spanId: linkSpan, attributes: [], refType });
        if (linkTrace !== traceId || normalizeParentId(rSpan) === undefined) continue; // other trace: a link only
        if (refType === 'CHILD_OF' && childOf === undefined) childOf = linkSpan;
        anySameTrace ??= linkSpan;
      }
    } else if (refs !== undefined && refs !== null) {
      this.warnings.add('invalid-value', 'references-not-array', `references should be a list, got ${describeValue(refs)}; ignored`, childPath(path, 'references'));
    }
    // Older Jaeger JSON carried the parent directly.
    const legacyParent = raw.parentSpanID ?? raw.parentSpanId;
    const legacy = typeof legacyParent === 'string' ? normalizeParentId(legacyParent) : undefined;
    return { parentSpanId: childOf ?? anySameTrace ?? legacy, links };
  }

  private readLogs(raw: unknown, path: string, spanStart: bigint): SpanEvent[] {
    if (raw === null || raw === undefined) return [];
    if (!Array.isArray(raw)) {
      this.warnings.add('invalid-value', 'logs-not-array', `logs should be a list, got ${describeValue(raw)}; ignored`, path);
      return [];
    }
    const events: SpanEvent[] = [];
    for (let i = 0; i < raw.length; i++) {
      const log = raw[i];
      const lPath = childPath(path, i);
      if (!isObject(log)) {
        this.warnings.add('invalid-value', 'log-shape', `a log should be an object {timestamp, fields}, got ${describeValue(log)}; ignored`, lPath);
        continue;
      }
      let time = parseJaegerTime(log.timestamp);
      if (time === undefined) {
        this.warnings.add('invalid-value', 'log-timestamp', `a log timestamp should be microseconds since the epoch, got ${describeValue(log.timestamp)}; placed at the span start`, childPath(lPath, 'timestamp'));
        time = spanStart;
      }
      const fields = convertTags(log.fields, childPath(lPath, 'fields'), this);
      // By OpenTracing convention the `event` field names the log (as Jaeger's OTLP translator does).
      const nameIndex = fields.findIndex((f) => f.key === 'event');
      let name = 'log';
      if (nameIndex >= 0) {
        name = formatAttrValue(fields[nameIndex].value);
        fields.splice(nameIndex, 1);
      }
      events.push({ timeUnixNano: time, name, attributes: fields });
    }
    return events;
  }

  private resourceFor(raw: Record<string, unknown>, path: string, batch: SpanBatch): Resource {
    const pid = raw.processID ?? raw.processId;
    if (typeof pid === 'string' && batch.processes.has(pid)) {
      // Table entries are shared objects: cache by identity to skip re-reading their tags.
      const process = batch.processes.get(pid);
      let r = this.processResources.get(process);
      if (!r) {
        r = this.resources.get(this.processAttributes(process, childPath(batch.processesPath, pid)));
        this.processResources.set(process, r);
      }
      return r;
    }
    if (raw.process === undefined && typeof pid === 'string') {
      this.warnings.add('invalid-value', 'unknown-process', `processID ${JSON.stringify(pid)} is not in the processes table; service shown as ${UNKNOWN_SERVICE}`, childPath(path, 'processID'));
    }
    return this.resources.get(this.processAttributes(raw.process, childPath(path, 'process')));
  }

  private processAttributes(process: unknown, path: string): Attribute[] {
    if (!isObject(process)) return [];
    const attrs: Attribute[] = [];
    if (typeof process.serviceName === 'string' && process.serviceName !== '') attrs.push({ key: 'service.name', value: process.serviceName });
    for (const t of convertTags(process.tags, childPath(path, 'tags'), this)) if (t.key !== 'service.name' || attrs.length === 0) attrs.push(t);
    return attrs;
  }
}

const MICROS_RE = /^-?\d+(?:\.\d+)?$/;

function parseMicros(v: unknown): bigint | undefined {
  return typeof v === 'number' || (typeof v === 'string' && MICROS_RE.test(v)) ? microsToNanos(v) : undefined;
}

/** Epoch µs (number or decimal string) or an RFC 3339 timestamp (api_v2 JSON) -> epoch ns. */
export function parseJaegerTime(v: unknown): bigint | undefined {
  return parseMicros(v) ?? (typeof v === 'string' ? parseRfc3339Nanos(v) : undefined);
}

/** µs (number or decimal string) or a protobuf Duration string ("5000ns", "0.005s") -> ns. */
export function parseJaegerDuration(v: unknown): bigint | undefined {
  return parseMicros(v) ?? (typeof v === 'string' ? parseDurationNanos(v) : undefined);
}

const KIND_BY_TAG: Record<string, SpanKind> = {
  client: SpanKind.Client,
  server: SpanKind.Server,
  producer: SpanKind.Producer,
  consumer: SpanKind.Consumer,
  internal: SpanKind.Internal,
};

interface SpecialTags {
  attributes: Attribute[];
  kind: SpanKind;
  status: SpanStatus;
  scopeName?: string;
  scopeVersion?: string;
  traceState?: string;
}

/**
 * Turns the tags that encode OTLP fields back into those fields and drops them from the
 * attributes, as Jaeger's own Jaeger->OTLP translator does, so a span converted by Jaeger from
 * OTLP reads the same as the original.
 */
function extractSpecialTags(tags: Attribute[]): SpecialTags {
  let kind = SpanKind.Unspecified;
  let errorTag = false;
  let otelCode: string | undefined;
  let description: string | undefined;
  let scopeName: string | undefined;
  let scopeVersion: string | undefined;
  let traceState: string | undefined;
  const attributes: Attribute[] = [];
  for (const t of tags) {
    const v = t.value;
    const s = typeof v === 'string' ? v : undefined;
    switch (t.key) {
      case 'span.kind':
        if (s !== undefined && s.toLowerCase() in KIND_BY_TAG) {
          kind = KIND_BY_TAG[s.toLowerCase()];
          continue;
        }
        break;
      case 'error':
        // jaeger-ui marks a span as failed for error=true and error="true".
        if (v === true || s?.toLowerCase() === 'true') {
          errorTag = true;
          continue;
        }
        break;
      case 'otel.status_code':
        otelCode = s?.toUpperCase() ?? formatAttrValue(v);
        continue;
      case 'otel.status_description':
        if (s !== undefined) {
          description = s;
          continue;
        }
        break;
      case 'otel.scope.name':
      case 'otel.library.name':
        if (s !== undefined) {
          scopeName ??= s;
          continue;
        }
        break;
      case 'otel.scope.version':
      case 'otel.library.version':
        if (s !== undefined) {
          scopeVersion ??= s;
          continue;
        }
        break;
      case 'w3c.tracestate':
        if (s !== undefined) {
          traceState = s;
          continue;
        }
        break;
    }
    attributes.push(t);
  }
  let code = StatusCode.Unset;
  if (errorTag || otelCode === 'ERROR' || otelCode === 'STATUS_CODE_ERROR' || otelCode === '2') code = StatusCode.Error;
  else if (otelCode === 'OK' || otelCode === 'STATUS_CODE_OK' || otelCode === '1') code = StatusCode.Ok;
  if (description !== undefined && code === StatusCode.Unset) attributes.push({ key: 'otel.status_description', value: description });
  const status: SpanStatus = description !== undefined && code !== StatusCode.Unset ? { code, message: description } : { code };
  return { attributes, kind, status, scopeName, scopeVersion, traceState };
}

// ---- shapes -------------------------------------------------------------------------------------

function processTable(trace: Record<string, unknown>, path: string): { processes: Map<string, unknown>; processesPath: string } {
  const processes = new Map<string, unknown>();
  if (isObject(trace.processes)) {
    for (const [k, p] of Object.entries(trace.processes)) processes.set(k, p);
    return { processes, processesPath: childPath(path, 'processes') };
  }
  if (Array.isArray(trace.processMap)) {
    // api_v2: [{processId, process}]
    for (const entry of trace.processMap) {
      if (isObject(entry) && typeof entry.processId === 'string') processes.set(entry.processId, entry.process);
    }
  }
  return { processes, processesPath: childPath(path, 'processMap') };
}

function traceBatch(trace: Record<string, unknown>, path: string): SpanBatch {
  if (!Array.isArray(trace.spans)) {
    throw new ImportError(`"spans" should be a list of spans, got ${describeValue(trace.spans)}`, { path: childPath(path, 'spans') }, FORMAT);
  }
  return { spans: trace.spans, path: childPath(path, 'spans'), ...processTable(trace, path), traceId: trace.traceID ?? trace.traceId, binary: 'base64' };
}

const NO_PROCESSES = new Map<string, unknown>();

function isSpanLike(v: Record<string, unknown>): boolean {
  return 'spanID' in v || 'spanId' in v || 'operationName' in v;
}

/** Finds the span lists in any of the supported wrappers. */
function findBatches(value: unknown): SpanBatch[] {
  if (Array.isArray(value)) {
    const batches: SpanBatch[] = [];
    const loose: number[] = [];
    value.forEach((el, i) => {
      if (isObject(el) && Array.isArray(el.spans) && !isSpanLike(el)) batches.push(traceBatch(el, `$[${i}]`));
      else loose.push(i);
    });
    if (loose.length === value.length) return [{ spans: value, path: '$', processes: NO_PROCESSES, processesPath: '$', binary: 'base64' }];
    if (loose.length) batches.push({ spans: value, indexes: loose, path: '$', processes: NO_PROCESSES, processesPath: '$', binary: 'base64' });
    return batches;
  }
  if (!isObject(value)) {
    throw new ImportError(`expected a Jaeger JSON object or array, got ${describeValue(value)}`, { path: '$' }, FORMAT);
  }
  if ('data' in value) {
    const data = value.data;
    if (Array.isArray(data)) {
      const out: SpanBatch[] = [];
      data.forEach((t, i) => {
        const p = `$.data[${i}]`;
        if (t === null || t === undefined) return;
        if (!isObject(t)) throw new ImportError(`expected a trace object {traceID, spans, processes}, got ${describeValue(t)}`, { path: p }, FORMAT);
        out.push(traceBatch(t, p));
      });
      if (out.length === 0) throw new ImportError(`the Jaeger file contains no spans: the response holds no traces${apiErrors(value.errors)}`, { path: '$.data' }, FORMAT);
      return out;
    }
    if (isObject(data) && 'spans' in data) return [traceBatch(data, '$.data')]; // jaeger-ui redux state
    if (data === null || data === undefined) {
      throw new ImportError(`the Jaeger file contains no spans: the response holds no traces${apiErrors(value.errors)}`, { path: '$.data' }, FORMAT);
    }
  }
  if ('spans' in value) return [traceBatch(value, '$')];
  if (isSpanLike(value)) {
    // One Elasticsearch span document: its binary tag values are hex, not base64.
    return [{ spans: [value], single: true, path: '$', processes: NO_PROCESSES, processesPath: '$', binary: 'hex' }];
  }
  throw new ImportError(
    `not a Jaeger trace: expected {data: [trace]}, {traceID, spans, processes}, {spans, processMap} or a span with spanID; found keys ${Object.keys(value).slice(0, 8).join(', ') || '(none)'}`,
    { path: '$' },
    FORMAT,
  );
}

function apiErrors(errors: unknown): string {
  if (!Array.isArray(errors) || errors.length === 0) return '';
  const msgs = errors.map((e) => (isObject(e) ? String(e.msg ?? e.message ?? JSON.stringify(e)) : String(e)));
  return `; the query reported: ${msgs.join('; ')}`;
}

/**
 * Imports Jaeger JSON (any of the shapes above, and Thrift batches as JSON: ./jaegerThrift.ts).
 * `text`, when given, lets Thrift's numeric i64 ids be read exactly. Throws ImportError when nothing
 * usable is found.
 */
export function importJaeger(value: unknown, text?: string): TraceFile {
  const reader = new JaegerReader();
  if (isJaegerThriftBatch(value)) value = thriftBatchesToJaegerJson(value, text, reader.warnings);
  for (const batch of findBatches(value)) reader.readBatch(batch);
  reader.failIfNothingRead();
  return assembleTraceFile(FORMAT, reader.spans, reader.warnings.toWarnings());
}
