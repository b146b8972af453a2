// Everything the detail pane shows about one span, as a DTO: attributes rendered once here (so the
// pane, the CLI and copy-as-text agree), offsets relative to the trace, self time, links resolved to
// spans in the same file, and structural issues as sentences.
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES, SpanIssue, type Attributes, type Span, type Trace, type TraceFile } from '../model/model';
import { attrType, formatAttrValue } from '../model/attributes';
import { formatDurationNs, formatEpochNanos } from '../model/time';
import { traceArrays } from '../model/traceArrays';
import { selfTimeNs } from '../analysis/selfTime';
import type { AttributeDto, SpanDetailDto, SpanLinkDto, StackDto } from '../../shared/protocol';
import { spanCodeInfo } from '../source/codeLocation';
import { maskedText, toAttributeDtos, type ScreenMask } from './detailMask';
import { genAiDetail } from './genAiDetail';
import { findSpan } from '../model/lookup';
import { withLoggedExceptions } from '../logs/exceptions';
import { spanLogRecords, spanLogsDetail } from './logView';

/** `mask`: when masking on screen is on, values a redaction rule matches are masked (originals kept for Reveal). */
export function spanDetail(file: TraceFile, traceIndex: number, spanIndex: number, opts: { mask?: ScreenMask } = {}): SpanDetailDto {
  const trace = file.traces[traceIndex];
  if (!trace) throw new RangeError(`no trace #${traceIndex} in this file (it has ${file.traces.length})`);
  const s = trace.spans[spanIndex];
  if (!s) throw new RangeError(`no span #${spanIndex} in trace ${trace.traceId} (it has ${trace.spans.length})`);
  const t0 = trace.startTimeUnixNano;
  const noStart = s.startTimeUnixNano <= 0n;
  const attrs = (a: Attributes) => toAttributeDtos(a, opts.mask);
  const statusMasked = s.status.message && opts.mask ? maskedText(opts.mask, s.status.message) : undefined;
  // Exceptions logged on the span are stacks of it too, mapped like its exception events.
  const codeSpan = withLoggedExceptions(s, spanLogRecords(file, traceIndex, spanIndex));

  return {
    traceIndex,
    spanIndex,
    name: s.name,
    traceId: s.traceId,
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    kind: SPAN_KIND_NAMES[s.kind] ?? 'UNSPECIFIED',
    statusCode: STATUS_CODE_NAMES[s.status.code] ?? 'UNSET',
    statusMessage: statusMasked ? statusMasked.text : s.status.message || undefined,
    ...(statusMasked ? { statusMessageMasked: statusMasked.masked } : {}),
    ...(opts.mask ? { masking: true } : {}),
    startTime: formatEpochNanos(s.startTimeUnixNano),
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    // Without a start timestamp the span is drawn at the trace start with no width; say the same here.
    offsetNs: noStart ? 0 : Number(s.startTimeUnixNano - t0),
    durationNs: noStart ? 0 : Number(s.endTimeUnixNano - s.startTimeUnixNano),
    selfTimeNs: selfTimeNs(trace, spanIndex),
    service: s.resource.serviceName,
    attributes: attrs(s.attributes),
    resource: attrs(s.resource.attributes),
    scope: { name: s.scope.name, version: s.scope.version, attributes: attrs(s.scope.attributes) },
    events: s.events.map((ev) => ({
      name: ev.name,
      offsetNs: Number(ev.timeUnixNano - t0),
      attributes: attrs(ev.attributes),
    })),
    links: s.links.map((l): SpanLinkDto => {
      const target = findSpan(file, l.traceId || trace.traceId, l.spanId);
      return {
        traceId: l.traceId,
        spanId: l.spanId,
        refType: l.refType,
        attributes: attrs(l.attributes),
        ...(target ? { target } : {}),
      };
    }),
    issues: issueTexts(trace, spanIndex),
    stacks: stackDtos(codeSpan, opts.mask),
    ...codeLocationFields(codeSpan),
    ...spanLogsDetail(file, traceIndex, spanIndex, opts.mask),
    ...genAiField(trace, spanIndex, opts.mask),
  };
}

function genAiField(trace: Trace, spanIndex: number, mask: ScreenMask | undefined): Pick<SpanDetailDto, 'genAi'> {
  const genAi = genAiDetail(trace, spanIndex, mask);
  return genAi ? { genAi } : {};
}

/** Whether Go to source has anything to go on: the first recorded location, else a recorded function name. */
export function codeLocationFields(s: Span): Pick<SpanDetailDto, 'codeLocation' | 'codeFunction'> {
  const info = spanCodeInfo(s);
  const c = info.candidates[0];
  if (c) return { codeLocation: { file: c.file, ...(c.line !== undefined ? { line: c.line } : {}) } };
  const q = info.symbolQuery;
  return q && q.from !== 'span name' ? { codeFunction: q.fullName } : {};
}

/** Frames shown per stack; the rest are cut (indices stay those of spanCodeInfo(span).stacks). */
const MAX_FRAMES_SHOWN = 200;

/** Every stack trace on the span, in spanCodeInfo's order, so `openFrame` indices resolve on the host. */
function stackDtos(s: Span, mask: ScreenMask | undefined): StackDto[] {
  return spanCodeInfo(s).stacks.map((st) => {
    const ev = st.eventIndex !== undefined ? s.events[st.eventIndex] : undefined;
    const m = st.stack.message && mask ? maskedText(mask, st.stack.message, 'exception.message') : undefined;
    return {
      source: st.attribute,
      ...(ev ? { eventName: ev.name } : {}),
      ...(st.stack.message ? { message: m ? m.text : st.stack.message } : {}),
      ...(m ? { messageMasked: m.masked } : {}),
      frames: st.stack.frames.slice(0, MAX_FRAMES_SHOWN).map((f) => ({
        text: f.raw.trim(),
        ...(f.function ? { function: f.function } : {}),
        file: f.file,
        line: f.line,
        ...(f.column !== undefined ? { column: f.column } : {}),
        ...(f.library ? { library: true } : {}),
      })),
    };
  });
}



function issueTexts(trace: Trace, i: number): string[] {
  const issues = trace.issues[i];
  if (!issues) return [];
  const s = trace.spans[i];
  const out: string[] = [];
  if (issues & SpanIssue.Orphan) out.push(`Its parent span ${s.parentSpanId} is not in this trace, so it is shown as a root (orphan).`);
  if (issues & SpanIssue.DuplicateId) out.push(`Another span in this trace has the same span id ${s.spanId}.`);
  if (issues & SpanIssue.OutsideParent) {
    const p = trace.spans[trace.parentIndex[i]];
    const parts: string[] = [];
    if (p && s.startTimeUnixNano < p.startTimeUnixNano) parts.push(`starts ${formatDurationNs(Number(p.startTimeUnixNano - s.startTimeUnixNano))} before its parent`);
    if (p && s.endTimeUnixNano > p.endTimeUnixNano) parts.push(`ends ${formatDurationNs(Number(s.endTimeUnixNano - p.endTimeUnixNano))} after its parent`);
    out.push(`It ${parts.length ? parts.join(' and ') : 'lies outside its parent'} (clock skew between hosts?).`);
  }
  if (issues & SpanIssue.NonPositiveDuration) {
    out.push(
      s.startTimeUnixNano <= 0n
        ? 'It has no start timestamp; it is drawn at the trace start with no width.'
        : `Its end is not after its start (duration ${formatDurationNs(Number(s.endTimeUnixNano - s.startTimeUnixNano))}); it is drawn with no width.`,
    );
  }
  if (issues & SpanIssue.Cycle) out.push('Its parent chain loops back to itself; the loop was cut here and the span is shown as a root.');
  return out;
}
