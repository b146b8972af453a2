// Builds the tree index of a trace and flags structural problems. Every importer ends here, so
// orphans, duplicate ids, clock skew, cycles and bad durations are detected once, the same way.
import {
  FormatId,
  ImportWarning,
  Span,
  SpanIssue,
  StatusCode,
  Trace,
  TraceFile,
} from './model';

export function buildTrace(traceId: string, spans: readonly Span[]): Trace {
  const n = spans.length;
  const issues = new Uint8Array(n);
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = spans[i].spanId;
    const first = byId.get(id);
    if (first === undefined) byId.set(id, i);
    else {
      issues[first] |= SpanIssue.DuplicateId;
      issues[i] |= SpanIssue.DuplicateId;
    }
  }

  const parentIndex = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    // A start of 0 is a missing timestamp (the views draw such spans at the trace start), even with an end.
    if (s.endTimeUnixNano <= s.startTimeUnixNano || s.startTimeUnixNano <= 0n) issues[i] |= SpanIssue.NonPositiveDuration;
    const pid = s.parentSpanId;
    // A span naming itself as its parent is a root: OTLP's rule is "no parent = root", and a parent
    // link to itself carries no parent (issue 10; not a cycle, not an orphan).
    if (pid === undefined || pid === s.spanId) continue;
    const p = byId.get(pid);
    if (p === undefined || p === i) issues[i] |= SpanIssue.Orphan;
    else parentIndex[i] = p;
  }

  const children = buildChildren(spans, parentIndex);
  breakCycles(spans, parentIndex, children, issues);

  for (let i = 0; i < n; i++) {
    const p = parentIndex[i];
    if (p < 0) continue;
    const s = spans[i];
    const ps = spans[p];
    if (issues[i] & SpanIssue.NonPositiveDuration || issues[p] & SpanIssue.NonPositiveDuration) continue;
    if (s.startTimeUnixNano < ps.startTimeUnixNano || s.endTimeUnixNano > ps.endTimeUnixNano) issues[i] |= SpanIssue.OutsideParent;
  }

  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (parentIndex[i] < 0) roots.push(i);
  // True roots (no parent id at all) come before orphans; each group by start time.
  roots.sort((a, b) => {
    const ra = isTrueRoot(spans[a]) ? 0 : 1;
    const rb = isTrueRoot(spans[b]) ? 0 : 1;
    return ra - rb || compareStart(spans, a, b);
  });

  let start: bigint | undefined;
  let end: bigint | undefined;
  let errorCount = 0;
  const services = new Set<string>();
  for (const s of spans) {
    if (s.startTimeUnixNano > 0n && (start === undefined || s.startTimeUnixNano < start)) start = s.startTimeUnixNano;
    if (end === undefined || s.endTimeUnixNano > end) end = s.endTimeUnixNano;
    if (s.status.code === StatusCode.Error) errorCount++;
    services.add(s.resource.serviceName);
  }
  start ??= 0n;
  end ??= start;
  if (end < start) end = start;

  const root = roots.length ? spans[roots[0]] : undefined;
  return {
    traceId,
    spans,
    parentIndex,
    children,
    roots,
    issues,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationNs: Number(end - start),
    rootName: root?.name ?? '',
    rootService: root?.resource.serviceName ?? '',
    services: [...services].sort(),
    errorCount,
    warnings: summariseIssues(traceId, spans, issues),
  };
}

/** No parent id, or the span's own id as its parent (see buildTrace). */
function isTrueRoot(s: Span): boolean {
  return s.parentSpanId === undefined || s.parentSpanId === s.spanId;
}

/** By start time, then file order. Compared, not subtracted: a bigint difference allocates. */
function compareStart(spans: readonly Span[], a: number, b: number): number {
  const sa = spans[a].startTimeUnixNano;
  const sb = spans[b].startTimeUnixNano;
  return sa < sb ? -1 : sa > sb ? 1 : a - b;
}

/** Shared by every leaf: most spans have no children, and 100k empty arrays cost GC time. */
const NO_CHILDREN: number[] = [];

function buildChildren(spans: readonly Span[], parentIndex: Int32Array): number[][] {
  const children: number[][] = new Array(spans.length).fill(NO_CHILDREN);
  for (let i = 0; i < spans.length; i++) {
    const p = parentIndex[i];
    if (p < 0) continue;
    if (children[p] === NO_CHILDREN) children[p] = [i];
    else children[p].push(i);
  }
  for (const c of children) if (c.length > 1) c.sort((a, b) => compareStart(spans, a, b));
  return children;
}

/**
 * Spans unreachable from any root sit on a parent cycle (A -> B -> A). Cut each cycle at one span,
 * which becomes a root flagged Cycle, so the waterfall still shows every span exactly once.
 */
function breakCycles(spans: readonly Span[], parentIndex: Int32Array, children: number[][], issues: Uint8Array): void {
  const n = spans.length;
  const seen = new Uint8Array(n);
  const stack: number[] = [];
  const visitFrom = (r: number) => {
    stack.push(r);
    seen[r] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      for (const c of children[i]) {
        if (!seen[c]) {
          seen[c] = 1;
          stack.push(c);
        }
      }
    }
  };
  for (let i = 0; i < n; i++) if (parentIndex[i] < 0) visitFrom(i);
  for (let i = 0; i < n; i++) {
    if (seen[i]) continue;
    const p = parentIndex[i];
    const siblings = children[p];
    siblings.splice(siblings.indexOf(i), 1);
    parentIndex[i] = -1;
    issues[i] |= SpanIssue.Cycle;
    visitFrom(i);
  }
}

const ISSUE_TEXT: [SpanIssue, ImportWarning['code'], string][] = [
  [SpanIssue.Orphan, 'orphan', 'span(s) whose parent is not in the trace (orphans), shown as extra roots'],
  [SpanIssue.DuplicateId, 'duplicate-span-id', 'span(s) share a span id with another span'],
  [SpanIssue.OutsideParent, 'clock-skew', 'span(s) start before or end after their parent (clock skew?)'],
  [SpanIssue.NonPositiveDuration, 'non-positive-duration', 'span(s) have a zero or negative duration, or no timestamps'],
  [SpanIssue.Cycle, 'cycle', 'span(s) are their own ancestor (parent cycle), cut and shown as roots'],
];

function summariseIssues(traceId: string, spans: readonly Span[], issues: Uint8Array): ImportWarning[] {
  const out: ImportWarning[] = [];
  for (const [flag, code, text] of ISSUE_TEXT) {
    let count = 0;
    let firstSpan: string | undefined;
    for (let i = 0; i < issues.length; i++) {
      if (issues[i] & flag) {
        if (count === 0) firstSpan = spans[i].spanId;
        count++;
      }
    }
    if (count) {
      out.push({ code, count, traceId, spanId: firstSpan, message: `Trace ${traceId}: ${count} ${text} (first: span ${firstSpan}).` });
    }
  }
  return out;
}

/** Groups spans by trace id (first-seen order) and builds every trace. The end of every importer. */
export function assembleTraceFile(format: FormatId, spans: readonly Span[], warnings: readonly ImportWarning[] = []): TraceFile {
  const groups = new Map<string, Span[]>();
  for (const s of spans) {
    let g = groups.get(s.traceId);
    if (!g) groups.set(s.traceId, (g = []));
    g.push(s);
  }
  const traces: Trace[] = [];
  for (const [id, group] of groups) traces.push(buildTrace(id, group));
  return { format, traces, spanCount: spans.length, warnings };
}
