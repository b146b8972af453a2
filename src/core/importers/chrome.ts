// Chrome Trace Event Format (chrome://tracing, Perfetto, DevTools "Save profile", Hermes, many
// build tools) into the span model.
//
// The format has no span or parent ids: spans are X (complete) events and B/E pairs, nested by
// time containment on one thread (pid, tid). Mapping choices:
// - Processes (pid) are resources: service.name = process_name metadata, else "pid N". An event
//   without a tid is on thread pid (as Perfetto reads it), one without a pid in process 0.
// - Threads are not spans: every slice carries thread.id and thread.name (thread_name metadata),
//   and a thread's top-level tasks are roots of the trace. Only events in the file become spans,
//   so a file with N X events has N spans, and exports write N spans. The waterfall keeps a
//   thread's roots together (grouped by process and thread.id, see view/waterfall.ts), which reads
//   like Perfetto's tracks: process (service) > thread > the thread's nested events.
// - Times: `ts` is microseconds on an arbitrary monotonic clock (e.g. 895158070542), NOT the Unix
//   epoch. We keep it as nanoseconds since that clock (startTimeUnixNano = ts * 1000), so a
//   Chrome trace shows dates near 1970; durations and offsets, which are what matter, are exact.
// - Span ids are a counter (0000000000000001, ...) in the order spans are listed. The trace id
//   is a hash of the file's events, so two different files never share a trace id in one session
//   and reopening a file gives the same id.
// - Instant events (I, i, R) become span events on the innermost span of their thread holding
//   their time: a mark is a point on a bar, not a span of its own. One outside every span of its
//   thread (and a process- or global-scoped one) goes on the nearest top-level span of its thread,
//   else of its process, else of the trace.
// - Nestable async b/e pairs (same category and id) become spans, roots of the trace at the top,
//   nested among themselves; n (async instant) becomes an event on the async span holding it.
// - Pairing problems (E without B, B without E, overlapping events that do not nest) are
//   'unmatched-event' warnings, never fatal.
// - Not imported, but counted in one warning: legacy async S/T/F/p, flows s/t/f, samples P,
//   object snapshots N/O/D, counters C, memory dumps, and the `samples`/`stackFrames` CPU profile.
import { fromPlain, serviceNameOf } from '../model/attributes';
import { ImportError } from '../model/errors';
import { isObject } from './json';
import {
  SpanKind,
  StatusCode,
  type Attribute,
  type ImportWarning,
  type Resource,
  type Scope,
  type Span,
  type SpanEvent,
  type SpanStatus,
  type TraceFile,
  type WarningCode,
} from '../model/model';
import { microsToNanos } from '../model/time';
import { assembleTraceFile } from '../model/trace';
import { nestIntervals, pairBeginEnd } from './chromeNesting';

/**
 * Marked the synthetic thread root spans older versions made up. None are made any more (threads
 * are attributes, not spans); the exporter still skips spans carrying it.
 */
export const SYNTHETIC_ATTR = 'spanlens.synthetic';
export const SYNTHETIC_THREAD = 'chrome-thread';
/** Why a span's end is a guess (no E event, no dur). */
export const INCOMPLETE_ATTR = 'spanlens.incomplete';
export const ASYNC_ID_ATTR = 'chrome.async_id';
/** 'local' when the async id was process-scoped (id2.local); absent for global ids. */
export const ASYNC_SCOPE_ATTR = 'chrome.async_scope';
/** Set by our exporter so a round trip keeps absolute times (Chrome `ts` are relative there). */
export const TIME_ORIGIN_KEY = 'spanlensTimeOriginNs';
/** Chrome args that name the source location, and the OTel attributes they become. */
export const SOURCE_ARGS: ReadonlyArray<readonly [string, string]> = [
  ['src_file', 'code.file.path'],
  ['src_func', 'code.function.name'],
];

/**
 * The Chrome JSON Array Format may legally lack its closing `]` (a tracer killed mid-run), with
 * a trailing comma or white space. Tracers also leave a comma before a closing `]` or `}` (which
 * Perfetto reads: its test_json_trailing_comma). Called only after JSON.parse of the whole text
 * failed: returns the parsed events (or `{traceEvents}` document) of such a trace, or undefined
 * when the text is anything else.
 */
export function parseChromeText(text: string): unknown | undefined {
  const head = text.trimStart();
  if (head.startsWith('[')) {
    // The caller's JSON.parse of the text itself failed already; the stripped text may parse whole.
    const v = parseUnterminated(text, false) ?? (hasTrailingComma(text) ? parseUnterminated(stripTrailingCommas(text), true) : undefined);
    if (v !== undefined) return v;
  }
  if (!head.startsWith('{') || !hasTrailingComma(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(stripTrailingCommas(text));
  } catch {
    return undefined;
  }
  return isObject(value) && Array.isArray(value.traceEvents) ? value : undefined;
}

function parseUnterminated(text: string, tryWhole: boolean): unknown[] | undefined {
  let value: unknown;
  try {
    if (!tryWhole) throw new Error('not closed');
    value = JSON.parse(text);
  } catch {
    let body = text.trimEnd();
    if (body.endsWith(',')) body = body.slice(0, -1);
    try {
      value = JSON.parse(body + ']');
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(value)) return undefined;
  const sample = value.find((x) => x !== null && x !== undefined);
  return isObject(sample) && 'ph' in sample ? value : undefined;
}

const TRAILING_COMMA = /,\s*[\]}]/;
function hasTrailingComma(text: string): boolean {
  return TRAILING_COMMA.test(text);
}

/** Drops commas followed (after white space) by `]` or `}`, outside strings. */
function stripTrailingCommas(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x2c) {
      let k = i + 1;
      while (k < text.length && /\s/.test(text[k])) k++;
      if (text[k] === ']' || text[k] === '}') {
        out += text.slice(from, i);
        from = i + 1;
      }
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

type Raw = Record<string, unknown>;

interface Thread {
  readonly key: string;
  readonly pid: unknown;
  readonly tid: unknown;
  readonly order: number;
  readonly process: Process;
  name?: string;
  /** Latest time anything happened on the thread: where unfinished events are closed. */
  lastT: number;
  readonly begins: Ev[];
  readonly ends: Ev[];
  readonly completes: Ev[];
  readonly instants: Ev[];
  attrs?: Attribute[];
  /** Instants outside every span of the thread, and process/global-scoped ones: placed last. */
  readonly strays: Ev[];
}

interface Process {
  readonly pid: unknown;
  name?: string;
  resource?: Resource;
}

/** A timed event. It is also the Mark the pairing reads (order, t, name). */
interface Ev {
  readonly order: number;
  readonly ph: string;
  readonly raw: Raw;
  readonly name: string | undefined;
  /** `ts` in microseconds, as a number: exact for integers, and one allocation less than a bigint. */
  readonly us: number;
  /** ns from the trace's first event; set once the base is known. */
  t: number;
  readonly thread: Thread;
}

interface AsyncTrack {
  readonly id: string;
  readonly local: boolean;
  readonly begins: Ev[];
  readonly ends: Ev[];
  readonly instants: Ev[];
}

/** A span before ids are assigned. */
interface Draft {
  readonly order: number;
  readonly name: string;
  start: number;
  end: number;
  readonly thread: Thread;
  readonly begin?: Ev;
  readonly endEv?: Ev;
  parent?: Draft;
  incomplete?: string;
  asyncTrack?: AsyncTrack;
  readonly events: Ev[];
  spanId?: string;
}

const SPAN_PHASES = new Set(['X', 'B', 'E', 'b', 'e', 'n', 'I', 'i', 'R']);
const PHASE_LABELS: Record<string, string> = {
  S: 'legacy async', T: 'legacy async', F: 'legacy async', p: 'legacy async',
  s: 'flow', t: 'flow', f: 'flow',
  P: 'sample', C: 'counter', N: 'object snapshot', O: 'object snapshot', D: 'object snapshot',
  V: 'memory dump', v: 'memory dump', c: 'clock sync', '(': 'context', ')': 'context',
};

/** Imports a parsed Chrome trace: an array of events or `{traceEvents: [...]}`. */
export function importChrome(value: unknown): TraceFile {
  return new ChromeImporter(value).run();
}

class ChromeImporter {
  private readonly events: readonly unknown[];
  private readonly path: string;
  private readonly tally = new Tally();
  private readonly processes = new Map<string, Process>();
  private readonly threads = new Map<string, Thread>();
  private readonly asyncTracks = new Map<string, AsyncTrack>();
  private readonly scopes = new Map<string, Scope>();
  private readonly skippedPhases = new Map<string, number>();
  private readonly timed: Ev[] = [];
  private originNs: bigint | undefined;

  constructor(value: unknown) {
    if (Array.isArray(value)) {
      this.events = value;
      this.path = '$';
    } else if (isObject(value) && 'traceEvents' in value) {
      if (!Array.isArray(value.traceEvents)) {
        throw new ImportError(`traceEvents is ${describe(value.traceEvents)}, expected an array of trace events`, { path: '$.traceEvents' }, 'chrome');
      }
      this.events = value.traceEvents;
      this.path = '$.traceEvents';
      this.noteProfile(value);
      if (isObject(value.otherData) && typeof value.otherData[TIME_ORIGIN_KEY] === 'string' && /^-?\d+$/.test(value.otherData[TIME_ORIGIN_KEY] as string)) {
        this.originNs = BigInt(value.otherData[TIME_ORIGIN_KEY] as string);
      }
    } else {
      throw new ImportError(`not a Chrome trace: ${describe(value)}; expected an array of trace events or an object with a traceEvents array`, { path: '$' }, 'chrome');
    }
  }

  run(): TraceFile {
    this.readEvents();
    if (this.timed.length === 0) {
      // An empty waterfall would look like a Spanlens bug; say what the file holds instead.
      const profile = this.skippedPhases.has('P') || this.warnings().some((w) => /CPU profile/.test(w.message));
      throw new ImportError(
        profile
          ? 'the Chrome trace file contains no spans: it holds only a CPU profile (samples/stackFrames) and no span events (X, B/E, b/e); open it in a profiler such as speedscope or Chrome DevTools'
          : 'the Chrome trace file contains no spans: it has no span events (X, B/E, b/e) or instant events',
        { path: this.path },
        'chrome',
      );
    }
    let first = this.timed[0];
    for (const e of this.timed) if (e.us < first.us) first = e;
    // Offsets from the first event in whole ns: exact for integer µs, and for fractional µs the
    // double error (~1e-4 µs at today's clock values) is far below the 1 ns rounding.
    const baseUs = first.us;
    for (const e of this.timed) e.t = Math.round((e.us - baseUs) * 1000);
    const base = microsToNanos(first.raw.ts)!;
    // Absolute time of the first event. The model reads a start <= 0 as "no timestamp", and
    // Chrome clocks (and hand-written files) often start at ts 0: shift those by whole seconds,
    // so the sub-second digits still read as the file's own microseconds.
    let zero = base + (this.originNs ?? 0n);
    if (zero <= 0n) zero += (-zero / SECOND + 1n) * SECOND;

    const drafts: Draft[] = [];
    for (const th of this.threads.values()) this.buildThread(th, drafts);
    let lastT = 0;
    for (const e of this.timed) lastT = Math.max(lastT, e.t, e.thread.lastT);
    for (const track of this.asyncTracks.values()) this.buildAsync(track, lastT, drafts);

    if (drafts.length === 0) {
      throw new ImportError(
        `the Chrome trace file contains no spans: it has only instant events (${this.timed.length}), no span events (X, B/E, b/e)`,
        { path: this.path },
        'chrome',
      );
    }
    this.placeStrays(drafts);
    drafts.sort((a, b) => a.order - b.order);
    const spans = this.toSpans(drafts, zero);
    return assembleTraceFile('chrome', spans, this.warnings());
  }

  // ---- pass 1: read and classify events ----

  private readEvents(): void {
    const events = this.events;
    for (let i = 0; i < events.length; i++) {
      const raw = events[i];
      if (!isObject(raw) || typeof raw.ph !== 'string') {
        this.tally.add('skipped-records', 'trace event(s) are not objects with a "ph" phase and were skipped', `${this.path}[${i}]`);
        continue;
      }
      const ph = raw.ph;
      if (ph === 'M') {
        this.readMetadata(raw);
        continue;
      }
      if (!SPAN_PHASES.has(ph)) {
        this.skippedPhases.set(ph, (this.skippedPhases.get(ph) ?? 0) + 1);
        continue;
      }
      const us = micros(raw.ts);
      if (Number.isNaN(us)) {
        this.tally.add('invalid-value', `trace event(s) have no valid "ts" (microseconds) and were skipped`, `${this.path}[${i}].ts = ${JSON.stringify(raw.ts) ?? 'missing'}`);
        continue;
      }
      const thread = this.threadOf(raw.pid, raw.tid, i);
      const ev: Ev = { order: i, ph, raw, name: nameOf(raw), us, t: 0, thread };
      this.timed.push(ev);
      switch (ph) {
        case 'X':
          thread.completes.push(ev);
          break;
        case 'B':
          thread.begins.push(ev);
          break;
        case 'E':
          thread.ends.push(ev);
          break;
        case 'I':
        case 'i':
        case 'R':
          thread.instants.push(ev);
          break;
        default: {
          const track = this.asyncTrackOf(raw, thread);
          if (!track) {
            this.tally.add('skipped-records', 'async event(s) (b/e/n) have no id or id2 and were skipped', `${this.path}[${i}]`);
            continue;
          }
          (ph === 'b' ? track.begins : ph === 'e' ? track.ends : track.instants).push(ev);
        }
      }
    }
  }

  private readMetadata(raw: Raw): void {
    const name = isObject(raw.args) ? raw.args.name : undefined;
    if (typeof name !== 'string' || name === '') return;
    if (raw.name === 'process_name') this.processOf(raw.pid).name = name;
    else if (raw.name === 'thread_name') this.threadOf(raw.pid, raw.tid, Number.MAX_SAFE_INTEGER).name = name;
  }

  private processOf(pid: unknown): Process {
    const key = String(pid ?? 0);
    let p = this.processes.get(key);
    if (!p) this.processes.set(key, (p = { pid: pid ?? 0 }));
    return p;
  }

  private threadOf(pid: unknown, rawTid: unknown, order: number): Thread {
    // An event without a tid is on its process's main thread (tid = pid), as Perfetto reads it.
    const tid = rawTid ?? pid ?? 0;
    const key = `${String(pid ?? 0)}\u0000${String(tid)}`;
    let th = this.threads.get(key);
    if (!th) {
      th = { key, pid: pid ?? 0, tid, order, process: this.processOf(pid), lastT: 0, begins: [], ends: [], completes: [], instants: [], strays: [] };
      this.threads.set(key, th);
    } else if (order < th.order) {
      (th as { order: number }).order = order;
    }
    return th;
  }

  private asyncTrackOf(raw: Raw, thread: Thread): AsyncTrack | undefined {
    let id: unknown;
    let local = false;
    if (isObject(raw.id2)) {
      if (raw.id2.local !== undefined) {
        id = raw.id2.local;
        local = true;
      } else id = raw.id2.global;
    } else id = raw.id;
    if (id === undefined || id === null || typeof id === 'object') return undefined;
    const cat = typeof raw.cat === 'string' ? raw.cat : '';
    const scope = typeof raw.scope === 'string' ? raw.scope : '';
    const key = [cat, scope, local ? `pid ${String(thread.pid)}` : '', String(id)].join('\u0000');
    let track = this.asyncTracks.get(key);
    if (!track) this.asyncTracks.set(key, (track = { id: String(id), local, begins: [], ends: [], instants: [] }));
    return track;
  }

  private noteProfile(doc: Record<string, unknown>): void {
    const samples = Array.isArray(doc.samples) ? doc.samples.length : 0;
    if (samples || isObject(doc.stackFrames)) {
      this.tally.add(
        'skipped-records',
        'CPU profile samples (the file\'s "samples"/"stackFrames") are not shown: Spanlens shows spans; open the file in a profiler such as speedscope for them',
        `${samples} sample(s)`,
        samples || 1,
      );
    }
  }

  // ---- pass 2: threads ----

  private buildThread(th: Thread, out: Draft[]): void {
    let lastT = 0;
    for (const list of [th.begins, th.ends, th.instants]) for (const e of list) if (e.t > lastT) lastT = e.t;
    const durs = th.completes.map((x) => {
      const d = micros(x.raw.dur);
      const end = Number.isNaN(d) ? undefined : x.t + Math.round(d * 1000);
      lastT = Math.max(lastT, x.t, end ?? x.t);
      return end;
    });
    th.lastT = lastT;

    const intervals: Draft[] = [];
    th.completes.forEach((x, i) => {
      const d = this.draft(x, undefined, durs[i] ?? NaN, th);
      if (durs[i] === undefined) {
        d.incomplete = 'X event without dur (still running when tracing stopped?): closed with the event around it, or at the last event of its thread';
        this.tally.add('unmatched-event', `X event(s) have no "dur" (still running when tracing stopped?); ${CLOSED_AT}`, this.where(x));
      }
      intervals.push(d);
    });

    const pairing = pairBeginEnd(th.begins, th.ends);
    for (const i of pairing.unmatchedEnds) {
      this.tally.add('unmatched-event', 'E event(s) had no open B event of the same name on their thread and were ignored', this.where(th.ends[i]));
    }
    th.begins.forEach((b, i) => {
      const endPos = pairing.endOf[i];
      const endEv = endPos >= 0 ? th.ends[endPos] : undefined;
      const d = this.draft(b, endEv, endEv ? endEv.t : NaN, th);
      if (!endEv) {
        d.incomplete = 'B event without a matching E event: closed with the event around it, or at the last event of its thread';
        this.tally.add('unmatched-event', `B event(s) had no matching E event; ${CLOSED_AT}`, this.where(b));
      }
      intervals.push(d);
    });
    closeUnfinished(intervals, lastT);

    // Process- and global-scoped instants (s: "p" / "g") mark the whole process, not the task
    // running on this thread: they go on a top-level span (placeStrays).
    const inTask = th.instants.filter((e) => e.raw.s !== 'p' && e.raw.s !== 'g');
    const nesting = nestIntervals(intervals, inTask.map((e) => e.t));
    this.reportOverlaps(intervals, nesting.overlapping);
    intervals.forEach((d, i) => {
      if (nesting.parent[i] >= 0) d.parent = intervals[nesting.parent[i]];
    });
    for (const e of th.instants) if (e.raw.s === 'p' || e.raw.s === 'g') th.strays.push(e);
    inTask.forEach((e, i) => {
      const owner = nesting.probeOwner[i];
      if (owner >= 0) intervals[owner].events.push(e);
      else th.strays.push(e);
    });
    for (const d of intervals) out.push(d);
  }

  private buildAsync(track: AsyncTrack, lastT: number, out: Draft[]): void {
    const pairing = pairBeginEnd(track.begins, track.ends);
    for (const i of pairing.unmatchedEnds) {
      this.tally.add('unmatched-event', 'async e event(s) had no open b event with the same category, id and name and were ignored', this.where(track.ends[i]));
    }
    const drafts = track.begins.map((b, i) => {
      const endPos = pairing.endOf[i];
      const endEv = endPos >= 0 ? track.ends[endPos] : undefined;
      const d = this.draft(b, endEv, endEv ? endEv.t : NaN, b.thread);
      d.asyncTrack = track;
      if (!endEv) {
        d.incomplete = 'async b event without a matching e event: closed with the async event around it, or at the last event of the trace';
        this.tally.add('unmatched-event', 'async b event(s) had no matching e event; each was closed when the enclosing async event with the same id ends, else at the last timestamp of the trace', this.where(b));
      }
      return d;
    });
    closeUnfinished(drafts, lastT);
    const nesting = nestIntervals(drafts, track.instants.map((e) => e.t));
    this.reportOverlaps(drafts, nesting.overlapping);
    drafts.forEach((d, i) => {
      // Top-level async spans are roots, on the thread that began them.
      if (nesting.parent[i] >= 0) d.parent = drafts[nesting.parent[i]];
    });
    track.instants.forEach((e, i) => {
      const owner = nesting.probeOwner[i];
      if (owner >= 0) drafts[owner].events.push(e);
      else e.thread.strays.push(e);
    });
    for (const d of drafts) out.push(d);
  }

  private reportOverlaps(drafts: readonly Draft[], overlapping: readonly number[]): void {
    for (const i of overlapping) {
      const d = drafts[i];
      this.tally.add(
        'unmatched-event',
        'event(s) start inside an earlier event on the same thread but end after it (they overlap without nesting); each was placed under the nearest event that contains it',
        d.begin ? this.where(d.begin) : d.name,
      );
    }
  }

  private draft(begin: Ev, endEv: Ev | undefined, end: number, thread: Thread): Draft {
    return { order: begin.order, name: begin.name ?? '(unnamed)', start: begin.t, end, thread, begin, endEv, events: [] };
  }

  /**
   * Puts each stray instant on the nearest top-level span (by time: the last one starting at or
   * before it, else the first after it) of its thread, else of its process, else of the trace.
   */
  private placeStrays(drafts: readonly Draft[]): void {
    const byStart = (a: Draft, b: Draft) => a.start - b.start || a.order - b.order;
    const top = drafts.filter((d) => !d.parent).sort(byStart);
    const perThread = new Map<Thread, Draft[]>();
    const perProcess = new Map<Process, Draft[]>();
    for (const d of top) {
      let l = perThread.get(d.thread);
      if (!l) perThread.set(d.thread, (l = []));
      l.push(d);
      let p = perProcess.get(d.thread.process);
      if (!p) perProcess.set(d.thread.process, (p = []));
      p.push(d);
    }
    for (const th of this.threads.values()) {
      if (!th.strays.length) continue;
      const list = perThread.get(th) ?? perProcess.get(th.process) ?? top;
      for (const e of th.strays) nearest(list, e.t).events.push(e);
    }
  }

  // ---- pass 3: spans ----

  private toSpans(ordered: Draft[], originNs: bigint): Span[] {
    const traceId = contentTraceId(this.events);
    ordered.forEach((d, i) => (d.spanId = (i + 1).toString(16).padStart(16, '0')));
    const spans: Span[] = new Array(ordered.length);
    for (let i = 0; i < ordered.length; i++) {
      const d = ordered[i];
      const attributes: Attribute[] = [];
      let status: SpanStatus = UNSET;
      if (d.begin) {
        const args = mergeArgs(d.begin.raw.args, d.endEv?.raw.args);
        status = argsToAttributes(args, attributes);
        if (d.asyncTrack) {
          attributes.push({ key: ASYNC_ID_ATTR, value: d.asyncTrack.id });
          if (d.asyncTrack.local) attributes.push({ key: ASYNC_SCOPE_ATTR, value: 'local' });
        }
        if (d.incomplete) attributes.push({ key: INCOMPLETE_ATTR, value: d.incomplete });
      }
      for (const a of this.threadAttrs(d.thread)) attributes.push(a);
      spans[i] = {
        traceId,
        spanId: d.spanId!,
        parentSpanId: d.parent?.spanId,
        name: d.name,
        kind: SpanKind.Internal,
        startTimeUnixNano: originNs + BigInt(d.start),
        endTimeUnixNano: originNs + BigInt(d.end),
        attributes,
        events: sortedEvents(d.events).map((e) => toSpanEvent(e, originNs)),
        links: [],
        status,
        resource: this.resourceOf(d.thread.process),
        scope: this.scopeOf(d.begin ? d.begin.raw.cat : undefined),
      };
    }
    return spans;
  }

  private threadAttrs(th: Thread): Attribute[] {
    if (!th.attrs) {
      th.attrs = [{ key: 'thread.id', value: intOrString(th.tid) }];
      const name = th.name ?? (isNameLike(th.tid) ? th.tid : undefined);
      if (name) th.attrs.push({ key: 'thread.name', value: name });
    }
    return th.attrs;
  }

  private resourceOf(p: Process): Resource {
    if (!p.resource) {
      const attributes: Attribute[] = [
        // A pid that is not a number names the process, as Perfetto reads it (test_string_pid_tid).
        { key: 'service.name', value: p.name ?? (isNameLike(p.pid) ? p.pid : `pid ${String(p.pid)}`) },
        { key: 'process.pid', value: intOrString(p.pid) },
      ];
      p.resource = { attributes, serviceName: serviceNameOf(attributes) };
    }
    return p.resource;
  }

  /** Chrome categories ("toplevel", "blink,devtools.timeline") name the instrumentation: the scope. */
  private scopeOf(cat: unknown): Scope {
    const name = typeof cat === 'string' ? cat : '';
    let s = this.scopes.get(name);
    if (!s) this.scopes.set(name, (s = { name, attributes: [] }));
    return s;
  }

  private where(e: Ev): string {
    const name = nameOf(e.raw);
    return `${e.ph}${name !== undefined ? ` "${name}"` : ''} at ts ${String(e.raw.ts)} µs, pid ${String(e.thread.pid)} tid ${String(e.thread.tid)}, ${this.path}[${e.order}]`;
  }

  private warnings(): ImportWarning[] {
    if (this.skippedPhases.size) {
      const parts: string[] = [];
      let total = 0;
      for (const [ph, n] of [...this.skippedPhases].sort((a, b) => b[1] - a[1])) {
        parts.push(`${n} ${ph} (${PHASE_LABELS[ph] ?? 'unknown phase'})`);
        total += n;
      }
      this.tally.add('skipped-records', 'trace event(s) are not spans and were not imported', parts.join(', '), total);
    }
    return this.tally.list();
  }
}

// ---- helpers ----

const UNSET: SpanStatus = { code: StatusCode.Unset };
const SECOND = 1_000_000_000n;
const SOURCE_ATTR_FOR_ARG = new Map(SOURCE_ARGS);
const CLOSED_AT = 'each was closed when the event around it ends, else at the last timestamp of its thread';

/**
 * Gives unfinished events (end NaN: a B without E, an X without dur) an end. The most cautious
 * guess that keeps the nesting valid: when the innermost finished event holding the start ends
 * (a properly nested event cannot outlive it), else at the track's last timestamp.
 */
function closeUnfinished(drafts: Draft[], lastT: number): void {
  const open = drafts.filter((d) => Number.isNaN(d.end));
  if (!open.length) return;
  const finished = drafts.filter((d) => !Number.isNaN(d.end));
  const owner = nestIntervals(finished, open.map((d) => d.start)).probeOwner;
  open.forEach((d, i) => (d.end = owner[i] >= 0 ? finished[owner[i]].end : Math.max(lastT, d.start)));
}


/** The last of `list` (sorted by start) starting at or before t, else the first. */
function nearest(list: readonly Draft[], t: number): Draft {
  let lo = 0;
  let hi = list.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= t) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return list[best];
}

/** Events by time (stray instants are added after the ones nested by time; ties keep file order). */
function sortedEvents(events: Ev[]): Ev[] {
  if (events.length < 2) return events;
  return events.slice().sort((a, b) => a.t - b.t || a.order - b.order);
}

/** A µs value given as a number or numeric string ("ts":"11550183666" in Hermes files); NaN if not. */
function micros(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

function nameOf(raw: Raw): string | undefined {
  const n = raw.name;
  return typeof n === 'string' ? n : typeof n === 'number' ? String(n) : undefined;
}

/** B args, then E args on top (the E's "endData" belongs to the same slice; E wins on clashes). */
function mergeArgs(begin: unknown, end: unknown): unknown {
  if (isObject(end) && Object.keys(end).length) return isObject(begin) ? { ...begin, ...end } : end;
  return begin;
}

/** Appends args as attributes; maps source-location args to OTel names and our status args back. */
function argsToAttributes(args: unknown, out: Attribute[]): SpanStatus {
  if (args === undefined || args === null) return UNSET;
  if (!isObject(args)) {
    out.push({ key: 'args', value: fromPlain(args) });
    return UNSET;
  }
  let status = UNSET;
  const source: Attribute[] = [];
  for (const [key, value] of Object.entries(args)) {
    const mapped = SOURCE_ATTR_FOR_ARG.get(key);
    if (mapped) source.push({ key: mapped, value: fromPlain(value) });
    else if (key === 'otel.status_code' && (value === 'ERROR' || value === 'OK')) {
      status = { code: value === 'ERROR' ? StatusCode.Error : StatusCode.Ok, message: typeof args['otel.status_description'] === 'string' ? args['otel.status_description'] : undefined };
    } else if (key !== 'otel.status_description' || status === UNSET) out.push({ key, value: fromPlain(value) });
  }
  if (status !== UNSET) {
    const i = out.findIndex((a) => a.key === 'otel.status_description');
    if (i >= 0) out.splice(i, 1);
  }
  for (const a of source) out.push(a);
  return status;
}

function toSpanEvent(e: Ev, originNs: bigint): SpanEvent {
  const attributes: Attribute[] = [];
  argsToAttributes(e.raw.args, attributes);
  return { timeUnixNano: originNs + BigInt(e.t), name: e.name ?? '(unnamed)', attributes };
}

/** A pid or tid given as a string that is not a number ("pid": "foo"): Perfetto uses it as the name. */
function isNameLike(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '' && !/^-?\d+$/.test(v.trim());
}

function intOrString(v: unknown): Attribute['value'] {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d{1,18}$/.test(v)) return BigInt(v);
  return String(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (isObject(v)) return `an object with keys ${Object.keys(v).slice(0, 8).join(', ') || '(none)'}`;
  return v === null ? 'null' : `a ${typeof v}`;
}

/** Per-kind warning counts with the first example, so 10 000 bad events make one line. */
class Tally {
  private readonly entries = new Map<string, { code: WarningCode; text: string; count: number; example: string }>();

  add(code: WarningCode, text: string, example: string, count = 1): void {
    const e = this.entries.get(text);
    if (e) e.count += count;
    else this.entries.set(text, { code, text, count, example });
  }

  list(): ImportWarning[] {
    return [...this.entries.values()].map((e) => ({ code: e.code, count: e.count, message: `${e.count} ${e.text} (first: ${e.example}).` }));
  }
}

/**
 * 128-bit trace id from the events (count, plus phase/ts/pid/tid/name of the first and last 2 000):
 * deterministic, and different for different files. Four FNV-1a lanes with distinct seeds, each
 * finished with murmur3's fmix32 so the lanes decorrelate.
 */
export function contentTraceId(events: readonly unknown[]): string {
  const h = new Uint32Array([0x811c9dc5, 0x01000193 ^ 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35]);
  const feed = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      for (let l = 0; l < 4; l++) h[l] = Math.imul(h[l] ^ c, 0x01000193 + l * 2);
    }
  };
  feed(String(events.length));
  const SAMPLE = 2000;
  const visit = (i: number) => {
    const e = events[i];
    if (!isObject(e)) return feed('?');
    feed(`|${String(e.ph)}|${String(e.ts)}|${String(e.pid)}|${String(e.tid)}|${String(e.name)}|${String(e.dur)}`);
  };
  for (let i = 0; i < Math.min(SAMPLE, events.length); i++) visit(i);
  for (let i = Math.max(SAMPLE, events.length - SAMPLE); i < events.length; i++) visit(i);
  let out = '';
  for (let l = 0; l < 4; l++) {
    let x = h[l];
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
