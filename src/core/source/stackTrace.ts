// Parses the stack-trace text found in `exception.stacktrace` and `code.stacktrace` into frames.
// One pass over the lines, each line tried against every runtime's shape, so a trace holding
// several runtimes' stacks (or a Node error wrapping a Python message) still yields every frame.
//
// Frame order is always innermost first (the throwing / capturing frame at index 0): V8, Java, Go
// and .NET print that order; Python prints the opposite ("most recent call last") and is reversed.
// Lines and columns are 1-based, as every one of these runtimes prints them.
import { isAbsolutePath, normalizePath, stripLocationScheme, urlScheme } from './paths';

export type StackFormat = 'v8' | 'python' | 'java' | 'go' | 'dotnet';

export interface StackFrame {
  /** Function as printed, without argument lists ("OrderService.placeOrder", "main.(*S).run"). */
  readonly function?: string;
  /**
   * Path as recorded: a file-system path (file:// URLs already decoded), or for Java the package
   * directory plus the file name ("com/acme/Orders.java") since Java prints only the file name.
   */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based, when the runtime prints one (V8 only). */
  readonly column?: number;
  /** The line of text the frame came from (Go: the function line and the file line). */
  readonly raw: string;
  readonly format: StackFormat;
  /** V8 `at async f (...)`: the frame is an await continuation. */
  readonly async?: boolean;
  /** Library or runtime code (node_modules, node:internal, site-packages, java.*, GOROOT...). */
  readonly library: boolean;
}

export interface ParsedStack {
  /** First line that is not a frame, e.g. "TypeError: x is undefined" (Python: the last such line). */
  readonly message?: string;
  readonly frames: readonly StackFrame[];
}

// V8: "    at fn (loc)", "    at loc", "    at async fn (loc)", "    at new X (loc)", "at fn [as alias] (loc)"
const V8_RE = /^\s*at\s+(?:(async)\s+)?(?:(.*?)\s+\((.*)\)|(.*))\s*$/;
const V8_LOC_RE = /^(.*?):(\d+)(?::(\d+))?$/;
// eval: "eval at outer (file:///x.js:3:9), <anonymous>:1:1" -> the location of the eval call
const V8_EVAL_RE = /\(([^()]+:\d+(?::\d+)?)\)/;
// Python: '  File "/app/x.py", line 3, in handler'
const PY_RE = /^\s*File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;
// Java: "\tat com.acme.Orders.place(Orders.java:42)", "at java.base/java.lang.Thread.run(Thread.java:833)"
const JAVA_RE = /^\s*at\s+((?:[^\s(/]*\/)*)([\w$.<>\-]+)\.([\w$<>\-]+)\(([^():]+):(\d+)\)\s*$/;
// .NET: "   at Acme.Orders.Place(Int32 id) in C:\src\Orders.cs:line 42"
const DOTNET_RE = /^\s*at\s+(.+?)\s+in\s+(.+?):line\s+(\d+)\s*$/;
// Go: "\t/home/u/app/main.go:12 +0x1d" following the function line "main.main()" or "main.(*S).run(0xc0, {0x1})"
const GO_FILE_RE = /^\t(.+\.go):(\d+)(?:\s+\+0x[0-9a-f]+)?\s*$/;

const MAX_FRAME_LINE = 2000;

/** Parses a stack trace of any of the supported runtimes. Never throws; unknown lines are skipped. */
export function parseStackTrace(text: string): ParsedStack {
  const lines = text.split(/\r?\n/);
  const frames: StackFrame[] = [];
  // Python prints each traceback outermost-first; collect per traceback block and reverse.
  let pyBlocks: StackFrame[][] = [];
  let pyCurrent: StackFrame[] | undefined;
  let message: string | undefined;
  let lastNonFrame: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // No frame line is this long; the frame regexes would backtrack for a long time on one.
    if (!line.trim() || line.length > MAX_FRAME_LINE) continue;
    if (/^Traceback \(most recent call last\):/.test(line.trim())) {
      pyCurrent = [];
      pyBlocks.push(pyCurrent);
      continue;
    }
    const py = PY_RE.exec(line);
    if (py) {
      const f: StackFrame = { function: py[3], file: py[1], line: Number(py[2]), raw: line.trim(), format: 'python', library: isLibraryPath(py[1]) };
      if (!pyCurrent) {
        pyCurrent = [];
        pyBlocks.push(pyCurrent);
      }
      pyCurrent.push(f);
      i = skipPythonSourceLines(lines, i);
      continue;
    }
    const frame = parseDotnet(line) ?? parseJava(line) ?? parseV8(line) ?? parseGo(lines, i);
    if (frame) {
      frames.push(frame);
      if (frame.format === 'go') i++; // consumed the file line too
      continue;
    }
    const t = line.trim();
    if (!isNoise(t)) {
      lastNonFrame = t;
      if (message === undefined && !frames.length && !pyBlocks.length) message = t;
      if (pyCurrent) pyCurrent = undefined; // the exception line ends a Python traceback block
    }
  }
  if (pyBlocks.length) {
    // Python chains exceptions oldest first; the last block is the one that escaped: list it first.
    pyBlocks = pyBlocks.filter((b) => b.length).reverse();
    const pyFrames = pyBlocks.flatMap((b) => b.slice().reverse());
    return { message: lastNonFrame ?? message, frames: [...pyFrames, ...frames] };
  }
  return { message, frames };
}

function isNoise(t: string): boolean {
  return /^(\.\.\. \d+ more|--- End of (inner exception )?stack trace|goroutine \d+ \[|\^+$|~+\^*$)/.test(t);
}

/** Python prints the source line (and from 3.11 a caret line) under each frame. */
function skipPythonSourceLines(lines: string[], i: number): number {
  let j = i;
  while (j + 1 < lines.length) {
    const next = lines[j + 1];
    if (/^\s{4,}\S/.test(next) && !PY_RE.test(next) && !/^\s*at\s/.test(next)) j++;
    else break;
  }
  return j;
}

function parseV8(line: string): StackFrame | undefined {
  const m = V8_RE.exec(line);
  if (!m) return undefined;
  const isAsync = m[1] === 'async';
  let fn: string | undefined = m[2];
  let loc = m[3] ?? m[4];
  if (loc === undefined) return undefined;
  if (loc.startsWith('eval at ')) {
    const evalM = V8_EVAL_RE.exec(loc); // innermost "(file:line:col)" = where eval was called
    if (!evalM) return undefined;
    loc = evalM[1];
  }
  const lm = V8_LOC_RE.exec(loc.trim());
  if (!lm) return undefined; // "at Promise.all (index 0)", "at <anonymous>", "at native"
  const rawFile = lm[1];
  if (!rawFile || rawFile === '<anonymous>' || rawFile === 'native') return undefined;
  if (fn !== undefined) {
    fn = fn.replace(/\s+\[as [^\]]+\]$/, ''); // "fn [as alias]"
    if (fn === '<anonymous>') fn = undefined;
  }
  const file = urlScheme(rawFile) === 'file' ? stripLocationScheme(rawFile).path : rawFile;
  return {
    function: fn || undefined,
    file,
    line: Number(lm[2]),
    column: lm[3] !== undefined ? Number(lm[3]) : undefined,
    raw: line.trim(),
    format: 'v8',
    ...(isAsync ? { async: true } : {}),
    library: isLibraryPath(file),
  };
}

function parseJava(line: string): StackFrame | undefined {
  const m = JAVA_RE.exec(line);
  if (!m) return undefined;
  const cls = m[2];
  const fileName = m[4];
  if (fileName === 'Native Method' || fileName === 'Unknown Source') return undefined;
  // Java prints only the file name; its package gives the directory ("com.acme.Orders$Inner" -> com/acme/).
  const pkg = cls.split('.').slice(0, -1);
  const file = [...pkg, fileName].join('/');
  const module = m[1];
  return {
    function: `${cls}.${m[3]}`,
    file,
    line: Number(m[5]),
    raw: line.trim(),
    format: 'java',
    library: /^(java|javax|jdk|sun|com\.sun|kotlin|scala)\./.test(cls) || /^java\.|^jdk\./.test(module),
  };
}

function parseDotnet(line: string): StackFrame | undefined {
  const m = DOTNET_RE.exec(line);
  if (!m) return undefined;
  const fn = m[1].replace(/\(.*\)$/, '');
  return { function: fn, file: m[2].trim(), line: Number(m[3]), raw: line.trim(), format: 'dotnet', library: /^(System|Microsoft)\./.test(fn) };
}

function parseGo(lines: string[], i: number): StackFrame | undefined {
  const fnLine = lines[i];
  const fileLine = lines[i + 1];
  if (fileLine === undefined || /^\s/.test(fnLine)) return undefined;
  const lm = GO_FILE_RE.exec(fileLine);
  if (!lm) return undefined;
  const fn = goFunctionName(fnLine.trim());
  return {
    function: fn,
    file: lm[1],
    line: Number(lm[2]),
    raw: `${fnLine.trim()}\n${fileLine.trim()}`,
    format: 'go',
    library: /\/(go\/)?src\/runtime\/|\/usr\/local\/go\/|\/pkg\/mod\//.test(lm[1]) || /^(runtime|net\/http|testing)\./.test(fn ?? ''),
  };
}

/** "main.(*Server).handle(0xc000010000, {0x1})" -> "main.(*Server).handle"; "created by main.main in goroutine 1" -> "main.main". */
function goFunctionName(line: string): string | undefined {
  let t = line.replace(/^created by\s+/, '').replace(/\s+in goroutine \d+$/, '');
  if (t.endsWith(')')) {
    // Strip the final balanced "(...)" (the arguments); a receiver like "(*Server)" is never last.
    let depth = 0;
    for (let k = t.length - 1; k >= 0; k--) {
      const ch = t[k];
      if (ch === ')') depth++;
      else if (ch === '(' && --depth === 0) {
        t = t.slice(0, k);
        break;
      }
    }
  }
  return t || undefined;
}

const LIBRARY_RE =
  /(^|[\\/])(node_modules|site-packages|dist-packages|bower_components|\.yarn|\.pnpm|vendor[\\/]bundle|lib[\\/]python\d[\d.]*)([\\/]|$)|^node:|^internal[\\/]|^<frozen |^<string>|^\[eval\]|^(webpack|turbopack):\/\/\/?\(webpack\)/;

/** Library and runtime code: skipped when looking for "the first frame in the user's code". */
export function isLibraryPath(file: string): boolean {
  return LIBRARY_RE.test(file);
}

/** Whether a frame's path is something a file system could hold (not "<anonymous>", "node:fs"). */
export function isFileLike(file: string): boolean {
  if (/^node:|^<|^\[/.test(file)) return false;
  const scheme = urlScheme(file);
  return scheme === undefined || scheme === 'file' || isAbsolutePath(normalizePath(file)) || /^(webpack|turbopack)$/.test(scheme);
}
