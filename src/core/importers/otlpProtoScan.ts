// The lean OTLP protobuf reader: the same framing rules and checks as otlpProto.ts, but spans are
// scanned (codec.scanTraceRequestLean) instead of decoded: the eager fields become a LeanProtoSpan,
// attributes, events and links are decoded from the retained bytes on first access. Any decode
// error re-runs the exact decoder on that request, so the message (field path, byte offset) is
// the exact reader's.
import { ImportError } from '../model/errors';
import type { Span, SpanKind, TraceFile } from '../model/model';
import { LeanProtoSpan as ScannedSpan, LeanProtoVisitor, ProtoDecodeError, scanTraceRequestLean } from '../otlp/codec';
import type { OtlpInstrumentationScope, OtlpResource } from '../otlp/types';
import { HEX_IDS, kindOf, reportInvalidOtlpIds, resourceFromOtlp, scopeFromOtlp, SpanWhere, statusFromOtlp } from '../otlp/toModel';
import { isOtlpHex } from '../model/ids';
import { WarningSink } from '../otlp/warnings';
import { assembleTraceFile } from '../model/trace';
import { LazySource, LazySpan } from './lazySpan';
import { decodeInto, protoRecords, type ProtoRecord } from './otlpProto';

type ProtoFormat = 'otlp-proto' | 'otlp-proto-framed';

class Collect implements LeanProtoVisitor {
  private readonly ss: LazySpan[] = [];
  private readonly rs: LazySpan[] = [];
  private readonly where: SpanWhere;
  private r = 0;
  private c = 0;
  private i = 0;
  private readonly src: LazySource;
  constructor(
    buf: Buffer,
    private readonly out: Span[],
    private readonly warnings: WarningSink,
    pathPrefix: string,
  ) {
    this.where = new SpanWhere(pathPrefix);
    this.src = new LazySource(buf, true);
  }
  span(s: ScannedSpan): void {
    const where = this.where;
    where.r = this.r;
    where.c = this.c;
    where.i = this.i++;
    // The same order of checks as toModel's spanFromOtlp: ids, kind, then status.
    const traceId = HEX_IDS.id(s.traceId, 16);
    const spanId = HEX_IDS.id(s.spanId, 8);
    const parentSpanId = HEX_IDS.parent(s.parentSpanId);
    if (!isOtlpHex(traceId, 32) || !isOtlpHex(spanId, 16) || (parentSpanId !== undefined && !isOtlpHex(parentSpanId, 16))) {
      reportInvalidOtlpIds({ traceId, spanId, parentSpanId }, this.warnings, where.text());
    }
    const kind = kindOf(s.kind, this.warnings, where) as SpanKind;
    const status = statusFromOtlp(s.status, this.warnings, where);
    this.ss.push(
      new LazySpan(
        traceId,
        spanId,
        parentSpanId,
        s.name,
        kind,
        s.startTimeUnixNano,
        s.endTimeUnixNano,
        status,
        s.traceState || undefined,
        s.flags || undefined,
        s.droppedAttributesCount || undefined,
        s.droppedEventsCount || undefined,
        s.droppedLinksCount || undefined,
        this.src,
        s.start,
        s.end,
      ),
    );
  }
  scopeSpansEnd(scope: OtlpInstrumentationScope | undefined, schemaUrl: string): void {
    const sc = scopeFromOtlp(scope, schemaUrl);
    for (const s of this.ss) {
      s.scope = sc;
      this.rs.push(s);
    }
    this.ss.length = 0;
    this.c++;
    this.i = 0;
  }
  resourceSpansEnd(resource: OtlpResource | undefined, schemaUrl: string): void {
    const res = resourceFromOtlp(resource, schemaUrl);
    for (const s of this.rs) {
      s.resource = res;
      this.out.push(s);
    }
    this.rs.length = 0;
    this.r++;
    this.c = 0;
  }
}

/** One request bytes[start, end): its spans appended to `out`; exact errors on bad bytes. */
function* scanRequest(buf: Buffer, start: number, end: number, out: Span[], warnings: WarningSink, format: ProtoFormat, label: string): Generator<number, void> {
  const mine: Span[] = [];
  const w = new WarningSink();
  try {
    yield* scanTraceRequestLean(buf, start, end, new Collect(buf, mine, w, label ? `${label.trim()} $` : '$'));
  } catch (e) {
    if (!(e instanceof ProtoDecodeError)) throw e;
    // The exact decoder names the field path; it fails on the same bytes.
    decodeInto(buf, start, end, [], new WarningSink(), format, label);
    throw new ImportError(`invalid OTLP protobuf${label}: ${e.detail}`, { offset: e.offset }, format);
  }
  for (const s of mine) out.push(s);
  warnings.absorb(w);
}

/** The lean twin of importOtlpProto (same framing decisions, same warnings). */
export function* importOtlpProtoLean(buf: Buffer): Generator<number, TraceFile> {
  const warnings = new WarningSink();
  const spans: Span[] = [];
  let format: ProtoRecord['format'] = 'otlp-proto-framed';
  for (const r of protoRecords(buf, warnings)) {
    format = r.format;
    yield* scanRequest(buf, r.start, r.end, spans, warnings, r.format, r.label);
  }
  return assembleTraceFile(format, spans, warnings.list());
}
