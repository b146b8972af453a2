// Maps a position in compiled JavaScript to the original source through the file's source map
// (`//# sourceMappingURL=` naming a file next to it, or an inline data: URL), with `source-map`
// 0.7. A missing or broken map never stops anything: the JS position comes back with a note, and
// a warning is raised once per map. Guards follow vscode-js-debug: reject maps of another version,
// mappings that throw, and positions past the end of the file they point into.
//
// Line/column conventions at each boundary:
//   - this module's API: lines and columns 1-based (stack traces, code.* attributes, editors' UI);
//   - source-map: lines 1-based, columns 0-based (converted in `lookup`).
//
// source-map 0.7 parses mappings in WebAssembly. In node its `initialize()` is a no-op: it reads
// `mappings.wasm` from the directory of the script that bundles it (esbuild.js copies the file to
// dist/ next to extension.js and cli.js). Only non-node hosts (a web extension) need the bytes or
// URL passed in, which `initSourceMaps` does.
import { SourceMapConsumer } from 'source-map';
import type { BasicSourceMapConsumer, IndexedSourceMapConsumer, NullableMappedPosition, SourceMappings } from 'source-map';
import { BoundedCache } from './boundedCache';
import { baseName, dirName, fileUrlToPath, isAbsolutePath, joinPath, normalizePath, pathToFileUrl, stripLocationScheme, urlScheme } from './paths';

/** Reads files for the source-map layer. The host passes a vscode.workspace.fs reader, the CLI node's fs. */
export interface SourceReader {
  /** The file's bytes, or undefined when it does not exist or cannot be read. Must not throw. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Whether a file exists, without reading it (falls back to readFile). Must not throw. */
  exists?(path: string): Promise<boolean>;
}

export interface GeneratedPosition {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based; undefined = the first mapping on the line. */
  readonly column?: number;
}

export interface OriginalPosition {
  /** Absolute path of the original source, or of the generated file when not mapped. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column?: number;
  /** The original identifier at that position, when the map names one. */
  readonly name?: string;
  readonly mapped: boolean;
  /** When mapped: the compiled position it came from. */
  readonly generated?: GeneratedPosition;
  /** The map used: a path, or "inline map in <file>". */
  readonly sourceMap?: string;
  /** The source is not on disk but the map embeds it (`sourcesContent`): open it from here. */
  readonly hasEmbeddedContent?: boolean;
  /** Why the compiled position was returned (no map, broken map, unmapped line...). */
  readonly note?: string;
}

export type SourceMapWarningKind = 'broken-map' | 'missing-map' | 'missing-source' | 'out-of-range' | 'wasm';

export interface SourceMapWarning {
  readonly kind: SourceMapWarningKind;
  /** The map (or generated file) the warning is about; warnings are raised once per map and kind. */
  readonly map: string;
  readonly message: string;
}

export interface SourceMapResolverOptions {
  /** Consumers kept alive (each holds wasm memory). Default 32. */
  readonly maxConsumers?: number;
  /** Called once per map and kind. */
  readonly onWarning?: (w: SourceMapWarning) => void;
  /**
   * Resolves a source that is not readable where the map says: a `webpack://`-style path (project
   * relative, scheme removed) or an absolute path from the build machine. The host/CLI wire this to
   * PathResolver so such sources land on workspace files. Returns an absolute path or undefined.
   */
  readonly resolveSourcePath?: (sourcePath: string, mapFile: string) => string | undefined | Promise<string | undefined>;
  /** Compiled files that are checked for a map. Default: .js .mjs .cjs .jsx. */
  readonly isCompiled?: (path: string) => boolean;
}

type Consumer = BasicSourceMapConsumer | IndexedSourceMapConsumer;

interface LoadedMap {
  readonly ok: true;
  readonly consumer: Consumer;
  /** Where the map came from, for messages. */
  readonly label: string;
  alive: boolean;
}
interface BrokenMap {
  readonly ok: false;
  readonly label: string;
  /** The user-facing sentence (also the warning). */
  readonly message: string;
}

interface GeneratedFileInfo {
  readonly lineCount: number;
  /** Key into the consumer cache, or undefined when the file has no source map (no comment, no FILE.map beside it). */
  readonly mapKey?: string;
  readonly mapLabel?: string;
  readonly mapPath?: string;
  /** Inline map JSON (data: URL), decoded. */
  readonly inlineJson?: string;
}

interface SourceFileInfo {
  readonly path?: string;
  readonly lineCount?: number;
  readonly embedded: boolean;
}

const JS_RE = /\.(m|c)?jsx?$/i;
const SOURCE_MAPPING_URL_RE = /^(?:\/\/|\/\*)[#@]\s*sourceMappingURL\s*=\s*(\S+?)\s*(?:\*\/\s*)?$/;

/**
 * A promise plus its settled value, so warm lookups read caches synchronously: each `await` costs
 * a microtask turn, which dominated repeated lookups (see test/bench/sourceBench.ts).
 */
interface Cell<T> {
  readonly promise: Promise<T>;
  done: boolean;
  value?: T;
}

function cell<T>(p: Promise<T>): Cell<T> {
  const c: Cell<T> = { promise: p, done: false };
  void p.then((v) => {
    c.done = true;
    c.value = v;
  });
  return c;
}

/** A computation step either finishes or names the cell it waits for. */
type Step<T> = { readonly value: T } | { readonly wait: Cell<unknown> };

let wasmOption: string | ArrayBuffer | undefined;
let wasmCell: Cell<string | undefined> | undefined;

/**
 * Where source-map finds `lib/mappings.wasm` outside node (web extension host, browser tests): its
 * URL or bytes. In node it is read from the bundle's directory and this only needs to run if you
 * want the load checked up front. Call before the first lookup; later calls replace the option.
 * Resolves to an error message when the wasm cannot be loaded.
 */
export function initSourceMaps(wasm?: string | ArrayBuffer | Uint8Array): Promise<string | undefined> {
  if (wasm instanceof Uint8Array) wasm = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer;
  wasmOption = wasm;
  wasmCell = undefined;
  return ensureWasm().promise;
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

/** Loads the wasm once with a trivial map. Settles to an error message when it cannot be loaded. */
function ensureWasm(): Cell<string | undefined> {
  if (!wasmCell) {
    if (!isNode() && wasmOption !== undefined) {
      // Typed on the instance in source-map's d.ts, but it is a static method.
      (SourceMapConsumer as unknown as { initialize(m: SourceMappings): void }).initialize({ 'lib/mappings.wasm': wasmOption });
    }
    let c: Cell<string | undefined> | undefined = undefined;
    c = cell(
      (async () => {
        try {
          const probe = await new SourceMapConsumer({ version: 3, sources: [], names: [], mappings: '', file: '' });
          probe.destroy();
          return undefined;
        } catch (e) {
          if (wasmCell === c) wasmCell = undefined; // a later lookup (after the file is copied) retries
          return (
            `source maps are unavailable: source-map could not load its mappings.wasm (${errorText(e)}). ` +
            'It must sit next to the bundle that runs (esbuild.js copies it to dist/).'
          );
        }
      })(),
    );
    wasmCell = c;
  }
  return wasmCell;
}

export class SourceMapResolver {
  private readonly consumers = new Map<string, Cell<LoadedMap | BrokenMap>>();
  private lastConsumerKey: string | undefined;
  private readonly generated = new BoundedCache<string, Cell<GeneratedFileInfo | undefined>>(2_500);
  /** Map key -> source URL -> where that source is. */
  private readonly sources = new BoundedCache<string, Map<string, Cell<SourceFileInfo>>>(2_500);
  /** file -> numeric (line, column) key -> result; dropped wholesale past RESULT_LIMIT entries. */
  private readonly results = new Map<string, Map<number, Cell<OriginalPosition>>>();
  private resultCount = 0;
  private readonly warned = new Set<string>();
  private readonly allWarnings: SourceMapWarning[] = [];
  private readonly maxConsumers: number;
  private readonly isCompiled: (path: string) => boolean;
  private disposed = false;

  constructor(
    private readonly reader: SourceReader,
    private readonly opts: SourceMapResolverOptions = {},
  ) {
    this.maxConsumers = Math.max(1, opts.maxConsumers ?? 32);
    this.isCompiled = opts.isCompiled ?? ((p: string) => JS_RE.test(p));
  }

  /** Every warning raised so far (each map and kind once). */
  get warnings(): readonly SourceMapWarning[] {
    return this.allWarnings;
  }

  /** Maps one compiled position to the original source. Never throws; cached. */
  originalPosition(pos: GeneratedPosition): Promise<OriginalPosition> {
    let r = this.cachedResult(pos);
    if (!r) {
      r = cell(this.run(pos));
      this.cacheResult(pos, r);
    }
    return r.promise;
  }

  /**
   * The same answer without waiting, when everything it needs is already loaded (the map, the
   * file's line count...); undefined otherwise — then use originalPosition. For hot paths.
   */
  originalPositionSync(pos: GeneratedPosition): OriginalPosition | undefined {
    const r = this.cachedResult(pos);
    if (r) return r.done ? r.value : undefined;
    const step = this.step(pos);
    if (!('value' in step)) return undefined;
    this.cacheResult(pos, { promise: Promise.resolve(step.value), done: true, value: step.value });
    return step.value;
  }

  private cachedResult(pos: GeneratedPosition): Cell<OriginalPosition> | undefined {
    const k = positionKey(pos);
    return k < 0 ? undefined : this.results.get(pos.file)?.get(k);
  }

  private cacheResult(pos: GeneratedPosition, c: Cell<OriginalPosition>): void {
    const k = positionKey(pos);
    if (k < 0) return;
    if (++this.resultCount > RESULT_LIMIT) {
      this.results.clear();
    this.resultCount = 0;
      this.resultCount = 1;
    }
    let perFile = this.results.get(pos.file);
    if (!perFile) this.results.set(pos.file, (perFile = new Map()));
    perFile.set(k, c);
  }

  /** Stack frames map the same way; results parallel the input. */
  mapFrames(frames: readonly GeneratedPosition[]): Promise<OriginalPosition[]> {
    return Promise.all(frames.map((f) => this.originalPosition(f)));
  }

  /** The embedded `sourcesContent` for a mapped position whose file is not on disk. */
  async sourceContent(pos: GeneratedPosition, originalFile: string): Promise<string | undefined> {
    const info = await this.generatedInfo(pos.file).promise;
    if (!info?.mapKey) return undefined;
    let map: LoadedMap | BrokenMap;
    for (;;) {
      const st = this.consumerStep(info);
      if ('value' in st) {
        map = st.value;
        break;
      }
      await st.wait.promise;
    }
    if (!map.ok) return undefined;
    const c = map.consumer;
    for (const s of c.sources) {
      if (normalizePath(sourceUrlToPath(s)) === normalizePath(originalFile) || s === originalFile) return c.sourceContentFor(s, true) ?? undefined;
    }
    return undefined;
  }

  /** Files changed on disk: forget what was read (consumers are destroyed). */
  clear(): void {
    for (const c of this.consumers.values()) void c.promise.then((m) => destroy(m));
    this.consumers.clear();
    this.lastConsumerKey = undefined;
    this.generated.clear();
    this.sources.clear();
    this.results.clear();
    this.resultCount = 0;
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
  }

  /** Runs `step` until it no longer waits for anything. */
  private async run(pos: GeneratedPosition): Promise<OriginalPosition> {
    // Consumers this lookup waited for: used even if evicted meanwhile (until destroyed).
    const pins = new Map<string, Cell<LoadedMap | BrokenMap>>();
    for (let guard = 0; guard < 50; guard++) {
      const st = this.step(pos, pins);
      if ('value' in st) return st.value;
      await st.wait.promise;
    }
    return unmapped(pos, 'source map lookup did not settle');
  }

  /** One pass of the lookup over the caches: the answer, or the first thing still loading. */
  private step(pos: GeneratedPosition, pins?: Map<string, Cell<LoadedMap | BrokenMap>>): Step<OriginalPosition> {
    if (this.disposed) return { value: unmapped(pos) };
    const g = this.generatedInfo(pos.file);
    if (!g.done) return { wait: g };
    const info = g.value;
    if (!info) return { value: unmapped(pos) };
    if (pos.line > info.lineCount) {
      const msg = `${pos.file} has ${info.lineCount} lines but the trace points at line ${pos.line}: the workspace copy is not the code that ran`;
      this.warn('out-of-range', pos.file, msg);
      return { value: unmapped(pos, msg) };
    }
    if (!info.mapKey) return { value: unmapped(pos) };
    const w = ensureWasm();
    if (!w.done) return { wait: w };
    if (w.value) {
      this.warn('wasm', 'mappings.wasm', w.value);
      return { value: unmapped(pos, w.value) };
    }
    const cs = this.consumerStep(info, pins);
    if (!('value' in cs)) return cs;
    const map = cs.value;
    if (!map.ok) return { value: unmapped(pos, map.message) };

    let hit: NullableMappedPosition;
    try {
      hit = lookup(map.consumer, pos.line, pos.column);
    } catch (e) {
      // A map can still throw on a lookup (e.g. a mapping naming a source index that does not exist).
      return { value: unmapped(pos, this.markBroken(info, map, `a lookup failed: ${errorText(e)}`)) };
    }
    if (hit.source === null || hit.line === null) return { value: unmapped(pos, `line ${pos.line} of ${baseName(pos.file)} has no source mapping (generated code)`) };

    const sc = this.sourceInfo(map, info, hit.source);
    if (!sc.done) return { wait: sc };
    const src = sc.value!;
    if (!src.path) {
      const msg = `source map ${map.label} points at ${hit.source}, which is neither in the workspace nor embedded in the map (no sourcesContent)`;
      this.warn('missing-source', `${info.mapKey}\n${hit.source}`, msg);
      return { value: unmapped(pos, msg) };
    }
    if (src.lineCount !== undefined && hit.line > src.lineCount) {
      const msg = `source map ${map.label} maps line ${pos.line} to line ${hit.line} of ${src.path}, which has ${src.lineCount} lines: the map does not match the sources`;
      this.warn('out-of-range', info.mapKey, msg);
      return { value: unmapped(pos, msg) };
    }
    return {
      value: {
        file: src.path,
        line: hit.line,
        column: hit.column === null ? undefined : hit.column + 1,
        ...(hit.name ? { name: hit.name } : {}),
        mapped: true,
        generated: { file: pos.file, line: pos.line, column: pos.column },
        sourceMap: map.label,
        ...(src.embedded ? { hasEmbeddedContent: true } : {}),
      },
    };
  }

  private generatedInfo(file: string): Cell<GeneratedFileInfo | undefined> {
    let c = this.generated.get(file);
    if (!c) {
      c = this.isCompiled(file) ? cell(this.readGeneratedInfo(file)) : { promise: Promise.resolve(undefined), done: true, value: undefined };
      this.generated.set(file, c);
    }
    return c;
  }

  private async fileExists(path: string): Promise<boolean> {
    return this.reader.exists ? this.reader.exists(path) : (await this.reader.readFile(path)) !== undefined;
  }

  private async readGeneratedInfo(file: string): Promise<GeneratedFileInfo | undefined> {
    const bytes = await this.reader.readFile(file);
    if (!bytes) return undefined;
    const text = decode(bytes);
    const lineCount = countLines(text);
    const url = findSourceMappingUrl(text);
    if (!url) {
      // No comment, but FILE.js.map beside it: esbuild's sourcemap 'external' and webpack's
      // hidden-source-map write exactly that, for maps meant for tools and not for browsers.
      const hidden = `${file}.map`;
      return (await this.fileExists(hidden)) ? { lineCount, mapKey: hidden, mapLabel: hidden, mapPath: hidden } : { lineCount };
    }
    if (/^data:/i.test(url)) {
      const json = decodeDataUrl(url);
      const label = `inline map in ${file}`;
      if (json === undefined) {
        this.warn('broken-map', label, `the inline source map of ${file} is not a readable data: URL; showing compiled locations`);
        return { lineCount };
      }
      return { lineCount, mapKey: `inline:${file}`, mapLabel: label, inlineJson: json };
    }
    const scheme = urlScheme(url);
    let mapPath: string;
    if (scheme === 'file') mapPath = fileUrlToPath(url);
    else if (scheme) {
      this.warn('missing-map', file, `${file} names its source map by URL (${url}); only files and inline maps are read`);
      return { lineCount };
    } else {
      let rel = url;
      try {
        rel = decodeURIComponent(url);
      } catch {
        /* keep */
      }
      mapPath = isAbsolutePath(rel) ? normalizePath(rel) : joinPath(dirName(file), rel);
    }
    return { lineCount, mapKey: mapPath, mapLabel: mapPath, mapPath };
  }

  /** The consumer for a map, loaded once; an LRU of `maxConsumers`, evicted consumers destroyed. */
  private consumerStep(info: GeneratedFileInfo, pins?: Map<string, Cell<LoadedMap | BrokenMap>>): Step<LoadedMap | BrokenMap> {
    const key = info.mapKey!;
    const pinned = pins?.get(key);
    if (pinned?.done && (!pinned.value!.ok || pinned.value!.alive)) return { value: pinned.value! };
    let c = this.consumers.get(key);
    if (c && c.done && c.value!.ok && !c.value!.alive) {
      // Evicted (and destroyed) while a lookup waited for it: load it again.
      this.consumers.delete(key);
      c = undefined;
    }
    if (!c) {
      c = cell(this.loadConsumer(info));
      this.consumers.set(key, c);
      while (this.consumers.size > this.maxConsumers) {
        const oldest = this.consumers.keys().next().value!;
        const victim = this.consumers.get(oldest)!;
        this.consumers.delete(oldest);
        // Destroyed on a later macrotask, so lookups already waiting for it (microtasks) still use it.
        void victim.promise.then((m) => setTimeout(() => destroy(m), 0));
      }
    } else if (this.lastConsumerKey !== key) {
      // LRU refresh (skipped for the common run of lookups into one map).
      this.consumers.delete(key);
      this.consumers.set(key, c);
    }
    this.lastConsumerKey = key;
    if (c.done) return { value: c.value! };
    pins?.set(key, c);
    return { wait: c };
  }

  private async loadConsumer(info: GeneratedFileInfo): Promise<LoadedMap | BrokenMap> {
    const label = info.mapLabel!;
    const broken = (kind: SourceMapWarningKind, reason: string): BrokenMap => {
      const message = kind === 'missing-map' ? `source map ${label} ${reason}; showing compiled locations` : `source map ${label} is broken: ${reason}; showing compiled locations`;
      this.warn(kind, label, message);
      return { ok: false, label, message };
    };
    let json = info.inlineJson;
    if (json === undefined) {
      const bytes = await this.reader.readFile(info.mapPath!);
      if (!bytes) return broken('missing-map', 'does not exist or cannot be read');
      json = decode(bytes);
    }
    let raw: unknown;
    try {
      // ")]}'" is an XSSI guard some servers prefix; the spec says to skip that first line.
      raw = JSON.parse(json.replace(/^\)\]\}'[^\n]*\n/, ''));
    } catch (e) {
      return broken('broken-map', `not valid JSON (${errorText(e)})`);
    }
    const problem = validateRawMap(raw);
    if (problem) return broken('broken-map', problem);
    const mapUrl = info.mapPath ? pathToFileUrl(info.mapPath) : pathToFileUrl(info.mapKey!.slice('inline:'.length));
    try {
      const consumer = (await new SourceMapConsumer(raw as never, mapUrl)) as Consumer;
      const loaded: LoadedMap = { ok: true, consumer, label, alive: true };
      try {
        // Parse the mappings now (they are parsed lazily) so a corrupt map is reported once, here.
        consumer.originalPositionFor({ line: 1, column: 0 });
      } catch (e) {
        destroy(loaded);
        return broken('broken-map', `its mappings cannot be parsed: ${errorText(e)}`);
      }
      return loaded;
    } catch (e) {
      return broken('broken-map', errorText(e));
    }
  }

  private markBroken(info: GeneratedFileInfo, map: LoadedMap, reason: string): string {
    const message = `source map ${map.label} is broken: ${reason}; showing compiled locations`;
    const broken: BrokenMap = { ok: false, label: map.label, message };
    this.consumers.set(info.mapKey!, { promise: Promise.resolve(broken), done: true, value: broken });
    destroy(map);
    this.warn('broken-map', map.label, message);
    return message;
  }

  /** Where an original source is, and how many lines it has (for the out-of-range guard). */
  private sourceInfo(map: LoadedMap, info: GeneratedFileInfo, source: string): Cell<SourceFileInfo> {
    let perMap = this.sources.get(info.mapKey!);
    if (!perMap) {
      perMap = new Map();
      this.sources.set(info.mapKey!, perMap);
    }
    let c = perMap.get(source);
    if (!c) {
      c = cell(this.findSource(map, info, source));
      perMap.set(source, c);
    }
    return c;
  }

  private async findSource(map: LoadedMap, info: GeneratedFileInfo, source: string): Promise<SourceFileInfo> {
    const tried = new Set<string>();
    const tryPath = async (p: string | undefined): Promise<SourceFileInfo | undefined> => {
      if (!p || tried.has(p)) return undefined;
      tried.add(p);
      const bytes = await this.reader.readFile(p);
      return bytes ? { path: p, lineCount: countLines(decode(bytes)), embedded: false } : undefined;
    };
    const mapFile = info.mapPath ?? info.mapKey!.slice('inline:'.length);
    const scheme = urlScheme(source);
    const asPath = sourceUrlToPath(source);
    if (scheme === 'file' || scheme === undefined) {
      const direct = await tryPath(asPath);
      if (direct) return direct;
    }
    if (this.opts.resolveSourcePath) {
      const viaHook = await tryPath(await this.opts.resolveSourcePath(asPath, mapFile));
      if (viaHook) return viaHook;
    }
    if (scheme && scheme !== 'file' && !isAbsolutePath(asPath)) {
      // webpack://app/./src/x.ts is relative to the project root; the map usually sits one or two
      // levels below it (dist/, dist/js/).
      for (const up of ['.', '..', '../..']) {
        const found = await tryPath(joinPath(dirName(mapFile), up, asPath));
        if (found) return found;
      }
    }
    let embedded: string | null = null;
    try {
      embedded = map.alive ? map.consumer.sourceContentFor(source, true) : null;
    } catch {
      embedded = null;
    }
    if (embedded !== null) return { path: isAbsolutePath(asPath) ? asPath : joinPath(dirName(mapFile), asPath), lineCount: countLines(embedded), embedded: true };
    return { embedded: false };
  }

  private warn(kind: SourceMapWarningKind, map: string, message: string): void {
    const key = `${kind}\n${map}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const w: SourceMapWarning = { kind, map, message };
    this.allWarnings.push(w);
    this.opts.onWarning?.(w);
  }
}

/** The position's mapping; falls back from the closest mapping at or before the column to the next one. */
function lookup(c: Consumer, line: number, column: number | undefined): NullableMappedPosition {
  if (column === undefined) {
    return c.originalPositionFor({ line, column: 0, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
  }
  const col0 = Math.max(0, column - 1);
  const hit = c.originalPositionFor({ line, column: col0, bias: SourceMapConsumer.GREATEST_LOWER_BOUND });
  if (hit.source !== null) return hit;
  return c.originalPositionFor({ line, column: col0, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
}

/** Version 3, string mappings, array sources, or an index map with sections (as js-debug checks). */
export function validateRawMap(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const m = raw as Record<string, unknown>;
  if (m.version !== 3) return `unsupported version ${JSON.stringify(m.version)} (only version 3 maps exist in practice)`;
  if (Array.isArray(m.sections)) {
    for (const s of m.sections) {
      if (typeof s !== 'object' || s === null) return 'a section is not an object';
      const sec = s as Record<string, unknown>;
      if ('url' in sec) return 'index map sections with "url" are not supported';
      const inner = validateRawMap(sec.map);
      if (inner) return `a section's map: ${inner}`;
    }
    return undefined;
  }
  if (typeof m.mappings !== 'string') return '"mappings" is not a string';
  if (!Array.isArray(m.sources)) return '"sources" is not an array';
  if (m.sources.some((s) => s !== null && typeof s !== 'string')) return '"sources" holds non-strings';
  if (m.names !== undefined && !Array.isArray(m.names)) return '"names" is not an array';
  if (m.sourcesContent !== undefined && m.sourcesContent !== null && !Array.isArray(m.sourcesContent)) return '"sourcesContent" is not an array';
  return undefined;
}

/** The last sourceMappingURL comment, searched from the end (inline maps make files long). */
export function findSourceMappingUrl(text: string): string | undefined {
  let end = text.length;
  // Only comments among the last lines count; a "sourceMappingURL" string inside code does not.
  for (let n = 0; n < 5 && end > 0; n++) {
    const start = text.lastIndexOf('\n', end - 1);
    const line = text.slice(start + 1, end).trim();
    end = start < 0 ? 0 : start;
    if (!line) continue;
    const m = SOURCE_MAPPING_URL_RE.exec(line);
    if (m) return m[1];
    if (!line.startsWith('//') && !line.startsWith('/*')) return undefined;
  }
  return undefined;
}

/** data:application/json;base64,xxx or data:application/json;charset=utf-8,%7B... */
export function decodeDataUrl(url: string): string | undefined {
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  try {
    if (/;base64$/i.test(meta)) return decode(base64ToBytes(payload));
    return decodeURIComponent(payload);
  } catch {
    return undefined;
  }
}

function base64ToBytes(s: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(s, 'base64'));
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A source URL as source-map returns it (file:///..., webpack://app/./src/x.ts, plain path) to a path. */
export function sourceUrlToPath(source: string): string {
  const scheme = urlScheme(source);
  if (scheme === 'file') return fileUrlToPath(source);
  if (scheme) return stripLocationScheme(source).path;
  return normalizePath(source);
}

const RESULT_LIMIT = 50_000;

/** (line, column) as one number (no string building per lookup); -1 when out of range to cache. */
function positionKey(pos: GeneratedPosition): number {
  const col = pos.column ?? 0; // 1-based, so 0 stands for "no column"
  if (pos.line >= 2 ** 26 || col >= 2 ** 27 || pos.line < 0 || col < 0) return -1;
  return col * 2 ** 26 + pos.line;
}

function unmapped(pos: GeneratedPosition, note?: string): OriginalPosition {
  return { file: pos.file, line: pos.line, column: pos.column, mapped: false, ...(note ? { note } : {}) };
}

function destroy(m: LoadedMap | BrokenMap): void {
  if (!m.ok || !m.alive) return;
  m.alive = false;
  try {
    m.consumer.destroy();
  } catch {
    /* already gone */
  }
}

function decode(bytes: Uint8Array): string {
  const t = new TextDecoder('utf-8').decode(bytes);
  return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  // A trailing newline does not start a line anyone can point at.
  return text.endsWith('\n') ? n - 1 : n;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
