// What a span says about where in the source it came from, as an ordered list of candidates, each
// naming the attributes it was read from so the UI can explain itself. Pure: reads the span only;
// mapping a recorded path to a workspace file is pathResolver's job, and choosing among candidates
// (the first one that lands in the workspace) is resolve.ts's.
//
// Lines and columns here are 1-based, as the semantic conventions, stack traces and editors' status
// bars count them. Convert to 0-based only at the VS Code boundary (vscode.Position).
import { getAttr } from '../model/attributes';
import type { AttrValue, Attributes, Span } from '../model/model';
import { ParsedStack, parseStackTrace, StackFrame, isFileLike } from './stackTrace';

export type LocationSource =
  /** code.file.path / code.line.number / code.column.number / code.function.name */
  | 'code'
  /** code.filepath / code.lineno / code.column / code.function + code.namespace */
  | 'code-deprecated'
  | 'code.stacktrace'
  | 'exception.stacktrace'
  /** `error.stack` (Datadog and OpenTracing tag) */
  | 'error.stack'
  /** _dd.code_origin.frames.N.{file,line,column,method,type} */
  | 'datadog-code-origin';

export interface CodeLocationCandidate {
  readonly source: LocationSource;
  /** The attribute keys this candidate was read from, for "from code.filepath + code.lineno". */
  readonly attributes: readonly string[];
  /** The path as recorded (file:// URLs decoded); not yet mapped to the workspace. */
  readonly file: string;
  /** 1-based; undefined when only a file was recorded. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  /** Fully qualified when the source gives it ("OrderService.placeOrder", "com.acme.Orders.place"). */
  readonly function?: string;
  /** Stack candidates: the frame, its index in `stacks[stackIndex].stack.frames`. */
  readonly frame?: StackFrame;
  readonly stackIndex?: number;
  readonly frameIndex?: number;
  /** Library/runtime code (node_modules, site-packages, node:internal...): tried after user code. */
  readonly library: boolean;
}

/** A stack trace found on the span, with every frame parsed (the detail pane lists them all). */
export interface SpanStack {
  readonly source: 'code.stacktrace' | 'exception.stacktrace' | 'error.stack';
  /** Index into span.events for exception events; undefined for span attributes. */
  readonly eventIndex?: number;
  readonly attribute: string;
  readonly stack: ParsedStack;
}

/** What to search the workspace symbols for when no location was recorded. Matches are guesses. */
export interface SymbolQuery {
  /** The short name to search for ("placeOrder"). */
  readonly name: string;
  /** As recorded ("OrderService.placeOrder", or the span name). */
  readonly fullName: string;
  readonly from: 'code.function.name' | 'code.function' | '_dd.code_origin' | 'span name';
}

/** Why there is no location, for the "cannot jump" message. */
export interface MissingLocation {
  /** One line: what was missing on this span. */
  readonly message: string;
  /** Every attribute Spanlens looked for, in the order it tries them. */
  readonly lookedFor: readonly string[];
  /** How to get locations recorded, one hint per line. */
  readonly howToGet: readonly string[];
}

export interface SpanCodeInfo {
  /** Candidates with a file, in order of preference. May be empty. */
  readonly candidates: readonly CodeLocationCandidate[];
  /** Every stack trace on the span (code.stacktrace, exception events, error.stack). */
  readonly stacks: readonly SpanStack[];
  /** Best function name known, fully qualified, even when no file was recorded. */
  readonly function?: string;
  /** For the workspace-symbol fallback; undefined when neither a function nor an identifier-like span name exists. */
  readonly symbolQuery?: SymbolQuery;
  /** Set when no candidate has a file. */
  readonly missing?: MissingLocation;
}

export const CODE_ATTRS = {
  filePath: 'code.file.path',
  lineNumber: 'code.line.number',
  columnNumber: 'code.column.number',
  functionName: 'code.function.name',
  stacktrace: 'code.stacktrace',
} as const;

export const DEPRECATED_CODE_ATTRS = {
  filepath: 'code.filepath',
  lineno: 'code.lineno',
  column: 'code.column',
  function: 'code.function',
  namespace: 'code.namespace',
} as const;

export const LOOKED_FOR: readonly string[] = [
  'code.file.path + code.line.number (+ code.column.number, code.function.name)',
  'code.filepath + code.lineno (+ code.column, code.function, code.namespace) — deprecated names',
  'code.stacktrace',
  'exception.stacktrace on "exception" events',
  'error.stack',
  '_dd.code_origin.frames.N.file/line/column/method (Datadog)',
];

export const HOW_TO_GET_LOCATIONS: readonly string[] = [
  'Record code.* attributes at span start: code.file.path, code.line.number and code.function.name (some instrumentations do; a SpanProcessor.onStart that reads the caller\'s stack frame works for any).',
  'Instrumentations that still emit the old names (code.filepath, code.lineno, code.function) switch to the new ones with OTEL_SEMCONV_STABILITY_OPT_IN=code (or code/dup for both). Spanlens reads both.',
  'Datadog tracers record _dd.code_origin.frames.* with Code Origin for Spans (DD_CODE_ORIGIN_FOR_SPANS_ENABLED=true).',
  'Spans that record an exception (span.recordException) carry exception.stacktrace, which also gives a location.',
];

/** Reads every code location a span carries. Never throws. */
export function spanCodeInfo(span: Span): SpanCodeInfo {
  const candidates: CodeLocationCandidate[] = [];
  const stacks: SpanStack[] = [];
  const attrs = span.attributes;

  const current = semconvCandidate(attrs, 'code', CODE_ATTRS.filePath, CODE_ATTRS.lineNumber, CODE_ATTRS.columnNumber);
  const fnCurrent = stringAttr(attrs, CODE_ATTRS.functionName);
  const fnOld = qualifiedOldFunction(attrs);
  if (current) candidates.push({ ...current, function: fnCurrent ?? fnOld?.name, attributes: withFn(current.attributes, fnCurrent ? [CODE_ATTRS.functionName] : fnOld?.keys) });
  const old = semconvCandidate(attrs, 'code-deprecated', DEPRECATED_CODE_ATTRS.filepath, DEPRECATED_CODE_ATTRS.lineno, DEPRECATED_CODE_ATTRS.column);
  if (old && !(current && current.file === old.file && current.line === old.line)) {
    candidates.push({ ...old, function: fnOld?.name ?? fnCurrent, attributes: withFn(old.attributes, fnOld ? fnOld.keys : fnCurrent ? [CODE_ATTRS.functionName] : undefined) });
  }

  const addStack = (source: SpanStack['source'], attribute: string, text: string, eventIndex?: number) => {
    const stack = parseStackTrace(text);
    const stackIndex = stacks.push({ source, attribute, stack, ...(eventIndex !== undefined ? { eventIndex } : {}) }) - 1;
    stack.frames.forEach((frame, frameIndex) => {
      if (!isFileLike(frame.file) || frameIndex >= MAX_FRAME_CANDIDATES) return;
      candidates.push({
        source,
        attributes: [attribute],
        file: frame.file,
        line: frame.line,
        column: frame.column,
        function: frame.function,
        frame,
        stackIndex,
        frameIndex,
        library: frame.library,
      });
    });
  };
  const codeStack = stringAttr(attrs, CODE_ATTRS.stacktrace);
  if (codeStack) addStack('code.stacktrace', CODE_ATTRS.stacktrace, codeStack);
  span.events.forEach((ev, i) => {
    const st = stringAttr(ev.attributes, 'exception.stacktrace');
    if (st) addStack('exception.stacktrace', 'exception.stacktrace', st, i);
  });
  const spanException = stringAttr(attrs, 'exception.stacktrace');
  if (spanException) addStack('exception.stacktrace', 'exception.stacktrace', spanException);
  const errorStack = stringAttr(attrs, 'error.stack');
  if (errorStack) addStack('error.stack', 'error.stack', errorStack);

  const dd = datadogCandidates(attrs);
  candidates.push(...dd);

  const fn = fnCurrent ?? fnOld?.name ?? dd.find((c) => c.function)?.function;
  const symbolQuery = makeSymbolQuery(fnCurrent, fnOld?.name, dd.find((c) => c.function)?.function, span.name);
  if (candidates.length) return { candidates, stacks, function: fn, symbolQuery };
  return { candidates, stacks, function: fn, symbolQuery, missing: explainMissing(span, attrs, symbolQuery) };
}

const MAX_FRAME_CANDIDATES = 64;

/** The location that identifies the span's own function (for statistics): code.*, then Datadog, then code.stacktrace's first user frame. */
export interface RawCodeSite {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly function?: string;
  readonly spanName: string;
  readonly source?: LocationSource;
}

/**
 * The span's own code site, cheaply (no stack parsing unless code.* is absent). Exception stacks are
 * not used: they point at the throw site, which may be in a callee, not at the span's function.
 */
export function spanCodeSite(span: Span): RawCodeSite {
  // One pass over the attributes, no allocation on the common path: statistics call this per span.
  let file: AttrValue | undefined, line: AttrValue | undefined, column: AttrValue | undefined, fnName: AttrValue | undefined;
  let oFile: AttrValue | undefined, oLine: AttrValue | undefined, oColumn: AttrValue | undefined, oFn: AttrValue | undefined, oNs: AttrValue | undefined;
  let stack: AttrValue | undefined;
  let hasDd = false;
  for (const a of span.attributes) {
    const k = a.key;
    const c0 = k.charCodeAt(0);
    if (c0 === 95 /* _ */) {
      if (!hasDd && k.startsWith('_dd.code_origin.frames.')) hasDd = true;
      continue;
    }
    if (c0 !== 99 /* c */ || !k.startsWith('code.')) continue;
    switch (k) {
      case 'code.file.path': file ??= a.value; break;
      case 'code.line.number': line ??= a.value; break;
      case 'code.column.number': column ??= a.value; break;
      case 'code.function.name': fnName ??= a.value; break;
      case 'code.filepath': oFile ??= a.value; break;
      case 'code.lineno': oLine ??= a.value; break;
      case 'code.column': oColumn ??= a.value; break;
      case 'code.function': oFn ??= a.value; break;
      case 'code.namespace': oNs ??= a.value; break;
      case 'code.stacktrace': stack ??= a.value; break;
    }
  }
  const str = (v: AttrValue | undefined) => (typeof v === 'string' && v.trim() ? v : undefined);
  const fnCurrent = str(fnName);
  const fnOld = str(oFn) !== undefined ? qualify(str(oFn)!, str(oNs)) : undefined;
  const spanName = span.name;
  const f1 = str(file);
  if (f1) return { file: f1.trim(), line: positiveInt(line), column: positiveInt(column), function: fnCurrent ?? fnOld, spanName, source: 'code' };
  const f2 = str(oFile);
  if (f2) return { file: f2.trim(), line: positiveInt(oLine), column: positiveInt(oColumn), function: fnOld ?? fnCurrent, spanName, source: 'code-deprecated' };
  const fn = fnCurrent ?? fnOld;
  const dd = hasDd ? datadogCandidates(span.attributes)[0] : undefined;
  if (dd) return { file: dd.file, line: dd.line, column: dd.column, function: dd.function ?? fn, spanName, source: 'datadog-code-origin' };
  const codeStack = str(stack);
  if (codeStack) {
    const frames = parseStackTrace(codeStack).frames.filter((f) => isFileLike(f.file));
    const f = frames.find((x) => !x.library) ?? frames[0];
    if (f) return { file: f.file, line: f.line, column: f.column, function: fn ?? f.function, spanName, source: 'code.stacktrace' };
  }
  return { function: fn, spanName };
}

function qualify(fn: string, ns: string | undefined): string {
  return !ns || fn.startsWith(ns + '.') || fn.startsWith(ns + '::') ? fn : `${ns}.${fn}`;
}

function withFn(keys: readonly string[], fnKeys: readonly string[] | undefined): string[] {
  return fnKeys ? [...keys, ...fnKeys] : [...keys];
}

function semconvCandidate(
  attrs: Attributes,
  source: 'code' | 'code-deprecated',
  fileKey: string,
  lineKey: string,
  columnKey: string,
): Omit<CodeLocationCandidate, 'function'> | undefined {
  const file = stringAttr(attrs, fileKey);
  if (!file) return undefined;
  const line = positiveInt(getAttr(attrs, lineKey));
  const column = positiveInt(getAttr(attrs, columnKey));
  const keys = [fileKey];
  if (line !== undefined) keys.push(lineKey);
  if (column !== undefined) keys.push(columnKey);
  return { source, attributes: keys, file: file.trim(), line, column, library: false };
}

/** code.namespace + code.function, without doubling a namespace already in the function. */
function qualifiedOldFunction(attrs: Attributes): { name: string; keys: string[] } | undefined {
  const fn = stringAttr(attrs, DEPRECATED_CODE_ATTRS.function);
  const ns = stringAttr(attrs, DEPRECATED_CODE_ATTRS.namespace);
  if (!fn) return undefined;
  if (!ns || fn.startsWith(ns + '.') || fn.startsWith(ns + '::')) return { name: fn, keys: [DEPRECATED_CODE_ATTRS.function] };
  return { name: `${ns}.${fn}`, keys: [DEPRECATED_CODE_ATTRS.namespace, DEPRECATED_CODE_ATTRS.function] };
}

const DD_RE = /^_dd\.code_origin\.frames\.(\d+)\.(file|line|column|method|type)$/;

function datadogCandidates(attrs: Attributes): CodeLocationCandidate[] {
  let frames: Map<number, Record<string, AttrValue>> | undefined;
  for (const a of attrs) {
    if (!a.key.startsWith('_dd.code_origin.frames.')) continue;
    const m = DD_RE.exec(a.key);
    if (!m) continue;
    frames ??= new Map();
    const n = Number(m[1]);
    let f = frames.get(n);
    if (!f) frames.set(n, (f = {}));
    f[m[2]] = a.value;
  }
  if (!frames) return [];
  const out: CodeLocationCandidate[] = [];
  for (const n of [...frames.keys()].sort((a, b) => a - b)) {
    const f = frames.get(n)!;
    const file = typeof f.file === 'string' ? f.file.trim() : undefined;
    if (!file) continue;
    const method = typeof f.method === 'string' ? f.method : undefined;
    const type = typeof f.type === 'string' ? f.type : undefined;
    const keys = ['file', 'line', 'column', 'method', 'type'].filter((k) => f[k] !== undefined).map((k) => `_dd.code_origin.frames.${n}.${k}`);
    out.push({
      source: 'datadog-code-origin',
      attributes: keys,
      file,
      line: positiveInt(f.line),
      column: positiveInt(f.column),
      function: method ? (type ? `${type}.${method}` : method) : undefined,
      library: false,
    });
  }
  return out;
}

function stringAttr(attrs: Attributes, key: string): string | undefined {
  const v = getAttr(attrs, key);
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/** Lines and columns arrive as int (bigint), double, or string ("42"); 0 and garbage mean "unknown". */
export function positiveInt(v: AttrValue | undefined): number | undefined {
  let n: number;
  if (typeof v === 'bigint') n = v > 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : NaN;
  else if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) n = Number(v);
  else return undefined;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The last identifier of a qualified name: "com.acme.Orders.place" -> "place", "main.(*S).run" -> "run", "A::b" -> "b". */
export function shortFunctionName(fq: string): string {
  const parts = fq.split(/::|[.#\\/]|\s+/).filter((p) => p && /[\w$]/.test(p));
  const last = parts.length ? parts[parts.length - 1] : fq;
  return last.replace(/^\(\*?|\)$/g, '').replace(/\(.*$/, '').replace(/^new\s+/, '');
}

const IDENTIFIER_PATH_RE = /^[A-Za-z_$][\w$]*(?:(?:\.|::|#|\\)[A-Za-z_$<][\w$<>]*)*$/;

function makeSymbolQuery(fnCurrent: string | undefined, fnOld: string | undefined, fnDd: string | undefined, spanName: string): SymbolQuery | undefined {
  if (fnCurrent) return { name: shortFunctionName(fnCurrent), fullName: fnCurrent, from: 'code.function.name' };
  if (fnOld) return { name: shortFunctionName(fnOld), fullName: fnOld, from: 'code.function' };
  if (fnDd) return { name: shortFunctionName(fnDd), fullName: fnDd, from: '_dd.code_origin' };
  // Span names like "OrderService.placeOrder" or "process_payment" name a function; "GET /orders" does not.
  const name = spanName.trim();
  if (IDENTIFIER_PATH_RE.test(name)) return { name: shortFunctionName(name), fullName: name, from: 'span name' };
  return undefined;
}

function explainMissing(span: Span, attrs: Attributes, q: SymbolQuery | undefined): MissingLocation {
  const present = [
    CODE_ATTRS.lineNumber,
    CODE_ATTRS.functionName,
    DEPRECATED_CODE_ATTRS.lineno,
    DEPRECATED_CODE_ATTRS.function,
    DEPRECATED_CODE_ATTRS.namespace,
  ].filter((k) => getAttr(attrs, k) !== undefined);
  let message = `Span "${span.name}" records no source location: it has no code.file.path / code.filepath, no stack trace and no _dd.code_origin frames.`;
  if (present.length) message += ` It has ${present.join(', ')}, but no file path.`;
  if (q) message += ` Searching workspace symbols for "${q.name}" (from ${q.from}) instead: a match is a guess.`;
  else message += ' Its name is not a function name either, so there is nothing to search for.';
  return { message, lookedFor: LOOKED_FOR, howToGet: HOW_TO_GET_LOCATIONS };
}
