// Span <-> source code: the pure core behind "jump to code", stack-frame links, the per-function
// latency CodeLens/hover and `spanlens stats`. No vscode import; every file-system access goes
// through the small reader interfaces below, so the host passes vscode.workspace.fs-backed ones
// and the CLI/tests node's fs (src/cli/nodeFs.ts).
//
// ── Conventions ───────────────────────────────────────────────────────────────────────────────
// * Lines and columns are 1-based everywhere in this API (as code.* attributes, stack traces and
//   the status bar count). At the VS Code boundary: new vscode.Position(line - 1, (column ?? 1) - 1).
//   (source-map's 0-based columns are converted inside sourceMaps.ts and never leak out.)
// * Paths are absolute file-system paths (`uri.fsPath`); forward or back slashes both accepted.
//   Paths we compute (mapped sources) use forward slashes, which vscode.Uri.file accepts on Windows.
//
// ── Host setup (once per window; rebuild on workspace-folder or setting changes) ───────────────
//   const index = new WorkspaceFileIndex(allFiles.map(u => u.fsPath), /*ignoreCase*/ process.platform !== 'linux');
//     - allFiles: workspace.findFiles('**/*', excludeGlob). Keep it current from a FileSystemWatcher
//       with index.add(path) / index.remove(path), then locator.invalidate().
//   const paths = new PathResolver(index, {
//     folders: workspace.workspaceFolders.map(f => ({ name: f.name, path: f.uri.fsPath })),
//     mappings: config.get('spanlens.pathMappings'),      // {"/app/*": "${workspaceFolder}/*"}
//     fs: { exists: p => workspace.fs.stat(Uri.file(p)).then(s => s.type === FileType.File, () => false) },
//     ignoreCase });
//   const maps = new SourceMapResolver(
//     { readFile: p => workspace.fs.readFile(Uri.file(p)).then(b => b, () => undefined) },
//     { onWarning: w => showWarningOnce(w.message),   // already once per map and kind
//       resolveSourcePath: p => paths.resolveInIndex(p).candidates[0]?.path });  // webpack:// sources
//   const locator = new SourceLocator({ paths, sourceMaps: maps });
//   Dispose: maps.dispose() (frees source-map's wasm memory). pathMappings changed: paths.setMappings(m).
//   Node hosts need nothing else for source-map's wasm: it is read from dist/mappings.wasm next to
//   extension.js. A web extension host calls initSourceMaps(urlOrBytes) first.
//
// ── Jump to code (issue §2) ─────────────────────────────────────────────────────────────────────
//   const r = await locator.resolveSpan(span);            // SpanResolution
//   switch (r.status) {
//     'resolved'          -> open r.targets[0] (path, line, column)
//     'ambiguous'         -> quick pick over r.targets (all equally good path-suffix matches)
//     'outside-workspace' -> ask first ("<path> is outside the workspace. Open?"), then open r.targets[0]
//     'not-found'         -> show r.message (names the recorded paths; suggests spanlens.pathMappings)
//     'missing'           -> show r.info.missing.message + howToGet; then, if r.info.symbolQuery,
//                            search vscode.executeWorkspaceSymbolProvider for symbolQuery.name and
//                            offer matches marked as guesses (SourceTarget.guess = true)
//   }
//   r.message says where the location came from ("code.filepath + code.lineno /app/dist/x.js:12:
//   /ws/src/x.ts:15 (found by path suffix (2 segments) via source map ...)"); r.notes holds
//   source-map fallback reasons (broken/missing map -> the compiled JS location is returned).
//   A SourceTarget with embeddedSource: the original file is not on disk, only in the map's
//   sourcesContent: maps.sourceContent(target.generated, target.path) returns the text.
//   Hot paths (hovers over many frames): maps.originalPositionSync(pos) answers without awaiting
//   once the map and sources are loaded, undefined otherwise (then await originalPosition).
//
// ── Stack traces in the detail pane ─────────────────────────────────────────────────────────────
//   spanCodeInfo(span).stacks  -> every code.stacktrace / exception.stacktrace / error.stack, parsed
//     (frames innermost first; Node, Python, Java, Go, .NET); locator.resolveStack(stack) gives one
//     LocationResolution per frame, each mapped through source maps like spans are.
//   parseStackTrace(text) for any other text.
//
// ── CodeLens / hover statistics (issue §3) ──────────────────────────────────────────────────────
//   const stats = new LatencyIndex(async raw => {            // called once per distinct raw site
//     if (!raw.file) return undefined;                       // (or a symbol search on raw.function)
//     const r = await locator.resolveLocation({ file: raw.file, line: raw.line, column: raw.column });
//     const t = r.targets.find(t => !t.outsideWorkspace); if (!t) return undefined;
//     const decl = enclosingFunction(await executeDocumentSymbolProvider(Uri.file(t.path)), t.line);
//     return { file: t.path, line: decl.line, function: raw.function ?? decl.name };
//   });
//   await stats.add(trace, traceFileUri)   // as traces load / arrive from the collector
//   provideCodeLenses(doc): stats.functionsInFile(doc.uri.fsPath) -> FunctionStats[] (cached
//     summaries; O(functions in the file), no span scan): p50Ns/p95Ns/count/errors, line = the
//     declaration line you returned. stats.version changes on every add: debounce
//     onDidChangeCodeLenses on it. Lens click: slowestSpans(key) (slowest first, with `source`).
//   Hover: get(key) for p50/p95/p99/max, selfP50Ns, errors/count, topCallers; histogram(key, bins).
//   "Only the selected trace" toggle: a second LatencyIndex with just that trace.
//   Removing traces: clear() and add the remaining ones (1M spans rebuild in ~1-2 s, see bench).
//
// Source locations of a span, in order of preference (codeLocation.ts): code.file.path/
// code.line.number/code.column.number/code.function.name; the deprecated code.filepath/code.lineno/
// code.column/code.function+code.namespace (line/column as int, double or string); code.stacktrace;
// exception.stacktrace on events; error.stack; Datadog _dd.code_origin.frames.N.{file,line,column,method,type}.
export {
  CODE_ATTRS,
  DEPRECATED_CODE_ATTRS,
  HOW_TO_GET_LOCATIONS,
  LOOKED_FOR,
  positiveInt,
  shortFunctionName,
  spanCodeInfo,
  spanCodeSite,
} from './codeLocation';
export type { CodeLocationCandidate, LocationSource, MissingLocation, RawCodeSite, SpanCodeInfo, SpanStack, SymbolQuery } from './codeLocation';
export { isLibraryPath, parseStackTrace } from './stackTrace';
export type { ParsedStack, StackFormat, StackFrame } from './stackTrace';
export { PathResolver, WorkspaceFileIndex } from './pathResolver';
export type { PathExistence, PathResolution, PathResolverOptions, ResolvedPath, WorkspaceFolderRef } from './pathResolver';
export { initSourceMaps, SourceMapResolver } from './sourceMaps';
export { BoundedCache } from './boundedCache';
export type { GeneratedPosition, OriginalPosition, SourceMapResolverOptions, SourceMapWarning, SourceMapWarningKind, SourceReader } from './sourceMaps';
export { describeCandidate, SourceLocator } from './resolve';
export type { LocationResolution, RecordedLocation, ResolutionStatus, SourceLocatorOptions, SourceTarget, SpanResolution } from './resolve';
export { LatencyIndex, LatencySketch, siteKey } from './stats';
export type { AddResult, FunctionStats, LatencyHistogram, LatencyIndexOptions, ResolvedSite, SiteResolver, SpanRef } from './stats';
