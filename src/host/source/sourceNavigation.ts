// Jump to code: from a span (double-click, Enter, "Go to source") or one of its stack frames to the
// source, through the window's SourceLocator (path mappings, suffix heuristic, source maps). Every
// outcome the user can meet is handled here: one target, a tie (quick pick), a file outside the
// workspace (ask first), nothing matching (say which paths and how to map them), and no location
// recorded at all (say what is missing, then offer workspace symbols as guesses).
import * as path from 'path';
import * as vscode from 'vscode';
import type { Span } from '../../core/model/model';
import { HOW_TO_GET_LOCATIONS, LocationResolution, SourceTarget, SpanResolution, spanCodeInfo } from '../../core/source';
import { displayText } from '../../shared/format';
import { log } from '../log';
import { SourceEditor } from './sourceEditor';
import type { TraceEditorProvider, TracePanel } from '../traceEditorProvider';
import { ask, notify, pick } from '../userMessages';
import type { WorkspaceSource } from './workspaceSource';

const MAX_GUESSES = 30;

interface JumpContext {
  /** The view the jump started from (a waterfall, the diff view): the file opens beside it. */
  readonly panel?: { readonly viewColumn?: vscode.ViewColumn };
  /** For messages: 'span "charge card"' or 'frame 2 of the exception stack'. */
  readonly what: string;
}

export class SourceNavigator {
  constructor(
    private readonly provider: TraceEditorProvider,
    private readonly source: WorkspaceSource,
    private readonly editor: SourceEditor,
  ) {}

  /** spanlens.goToSpanSource(traceFileUri, traceIndex, spanIndex). */
  async goToSpan(uri: unknown, traceIndex: unknown, spanIndex: unknown): Promise<void> {
    const found = await this.findSpan(uri, traceIndex, spanIndex);
    if (found) await this.jumpToSpan(found.span, found.panel);
  }

  /** Go to source for a span of a session that no waterfall shows (the trace comparison view). */
  async goToSessionSpan(session: { span(traceIndex: number, spanIndex: number): Promise<Span> }, traceIndex: number, spanIndex: number, from?: { readonly viewColumn?: vscode.ViewColumn }): Promise<void> {
    const span = await session.span(traceIndex, spanIndex).catch(() => undefined);
    if (span) await this.jumpToSpan(span, from);
    else notify('error', `No span #${spanIndex} in trace #${traceIndex}.`);
  }

  private async jumpToSpan(span: Span, panel: JumpContext['panel']): Promise<void> {
    await this.source.ready();
    let r = await this.source.locator.resolveSpan(span);
    if (r.status === 'not-found' && r.candidate && (await this.source.refreshFor(path.basename(r.candidate.file.replace(/\\/g, '/'))))) {
      r = await this.source.locator.resolveSpan(span);
    }
    log()?.info(`Go to source for span "${span.name}": ${r.status}: ${r.message}`);
    const what = `span "${displayText(clipName(span.name))}"`;
    if (r.status === 'missing') return this.noLocation(r, span, { panel, what });
    await this.openResolution(r, { panel, what });
  }

  /** spanlens.openSpanFrame(traceFileUri, traceIndex, spanIndex, stackIndex, frameIndex). */
  async openFrame(uri: unknown, traceIndex: unknown, spanIndex: unknown, stackIndex: unknown, frameIndex: unknown): Promise<void> {
    const found = await this.findSpan(uri, traceIndex, spanIndex);
    if (!found) return;
    const { panel, span } = found;
    const stacks = spanCodeInfo(span).stacks;
    const st = typeof stackIndex === 'number' ? stacks[stackIndex] : undefined;
    const frame = st && typeof frameIndex === 'number' ? st.stack.frames[frameIndex] : undefined;
    if (!st || !frame) {
      notify('error', `Span "${span.name}" has no stack frame #${String(frameIndex)} in stack #${String(stackIndex)}.`);
      return;
    }
    const what = `frame ${Number(frameIndex) + 1} of the ${st.attribute} (${frame.file}:${frame.line})`;
    await this.source.ready();
    let r = await this.source.locator.resolveLocation(frame);
    if (r.status === 'not-found' && (await this.source.refreshFor(path.basename(frame.file.replace(/\\/g, '/'))))) r = await this.source.locator.resolveLocation(frame);
    log()?.info(`Open ${what}: ${r.status}: ${r.message}`);
    if (r.status === 'not-found' && frame.library) {
      notify('info', `${what[0].toUpperCase()}${what.slice(1)} is library or runtime code that is not in the workspace (${r.message}).`);
      return;
    }
    await this.openResolution(r, { panel, what });
  }

  private async findSpan(uri: unknown, traceIndex: unknown, spanIndex: unknown): Promise<{ panel: TracePanel; span: Span } | undefined> {
    const target = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
    const panel = target ? this.provider.panelsFor(target)[0] : this.provider.activePanel();
    const session = panel?.getSession();
    if (!panel || !session) {
      notify('error', 'Open the trace file in Spanlens first: no loaded waterfall shows it.');
      return undefined;
    }
    const span = typeof traceIndex === 'number' && typeof spanIndex === 'number' ? await session.span(traceIndex, spanIndex).catch(() => undefined) : undefined;
    if (!span) {
      notify('error', `No span #${String(spanIndex)} in trace #${String(traceIndex)} of ${panel.document.fileName}.`);
      return undefined;
    }
    return { panel, span };
  }

  /** Opens a resolved location, asking where it has to. */
  private async openResolution(r: LocationResolution, ctx: JumpContext): Promise<void> {
    switch (r.status) {
      case 'resolved':
        return this.openTarget(r.targets[0], ctx);
      case 'ambiguous': {
        const tied = r.targets.filter((t) => !t.outsideWorkspace);
        const items = tied.map((t) => ({ label: this.relative(t.path), description: t.line !== undefined ? `line ${t.line}` : '', detail: describeVia(t), target: t }));
        const chosen = await pick(items, { title: `Spanlens: ${tied.length} workspace files match the ${ctx.what}`, placeHolder: 'Choose the file to open (spanlens.pathMappings can settle this for good)' });
        if (chosen) await this.openTarget(chosen.target, ctx);
        return;
      }
      case 'outside-workspace': {
        const t = r.targets[0];
        // The first button is the dialog's default (Enter): make it the safe one. VS Code keeps its own
        // Cancel (Escape) whatever the order, so "Don't Open" comes first as a plain button.
        const answer = await ask('warning', `The ${ctx.what} points at ${t.path}, which is outside the workspace folders. Open it?`, { modal: true, detail: r.message }, "Don't Open", 'Open');
        if (answer === 'Open') await this.openTarget(t, ctx);
        return;
      }
      case 'not-found':
        notify('warning', `Cannot open the ${ctx.what}: ${r.message}`, ['Open Settings'], () => {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'spanlens.pathMappings');
        });
        return;
      case 'missing':
        notify('warning', `Cannot open the ${ctx.what}: ${r.message}`);
        return;
    }
  }

  private async openTarget(t: SourceTarget, ctx: JumpContext): Promise<void> {
    let uri = vscode.Uri.file(t.path);
    if (t.embeddedSource) {
      const content = t.generated ? await this.source.locator.sourceMaps?.sourceContent({ file: t.generated.path, line: t.generated.line ?? 1, column: t.generated.column }, t.path) : undefined;
      if (content === undefined) {
        notify('warning', `The source map embeds ${t.path} but its content could not be read; opening the compiled file instead.`);
        if (t.generated) {
          await this.editor.open(vscode.Uri.file(t.generated.path), { line: t.generated.line, column: t.generated.column, besideColumn: ctx.panel?.viewColumn });
        }
        return;
      }
      uri = this.editor.embeddedUri(t.path, content);
      vscode.window.setStatusBarMessage(`Spanlens: ${path.basename(t.path)} is not on disk; showing the copy embedded in the source map (read-only)`, 6000);
    } else if (t.note) {
      // A missing or broken map: the compiled location is shown (the warning was raised once per map).
      vscode.window.setStatusBarMessage(`Spanlens: showing the compiled location: ${t.note}`, 8000);
    }
    try {
      await this.editor.open(uri, { line: t.line, column: t.column, besideColumn: ctx.panel?.viewColumn });
    } catch (e) {
      notify('error', `Could not open ${t.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * The span records no location: say what was missing and how to get it, then offer workspace
   * symbols named like its function (or its span name) as guesses.
   */
  private async noLocation(r: SpanResolution, span: Span, ctx: JumpContext): Promise<void> {
    const missing = r.info.missing;
    const q = r.info.symbolQuery;
    const base = missing?.message ?? `Span "${span.name}" records no source location.`;
    const how = `To record locations: ${HOW_TO_GET_LOCATIONS[0]} ${HOW_TO_GET_LOCATIONS[1]}`;
    log()?.info(`Looked for: ${(missing?.lookedFor ?? []).join('; ')}`);
    let guesses: vscode.SymbolInformation[] = [];
    if (q) {
      const found = (await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', q.name)) ?? [];
      guesses = found
        .filter((s) => symbolMatches(s, q.name) && s.location.uri.scheme === 'file')
        .sort((a, b) => guessRank(a) - guessRank(b) || a.location.uri.fsPath.length - b.location.uri.fsPath.length)
        .slice(0, MAX_GUESSES);
    }
    // The toast stays one short line; the full explanation goes to the log ("Show Log").
    log()?.info(`${base}${q ? ` Workspace symbols named "${q.name}": ${guesses.length}.` : ''} ${how}`);
    const short = `Span "${displayText(clipName(span.name))}" records no source location (no code.file.path / code.filepath, no stack trace). To record one: code.* at span start or OTEL_SEMCONV_STABILITY_OPT_IN=code; details in the log.`;
    if (!guesses.length) {
      notify('warning', short, ['Show Log'], () => log()?.show(true));
      return;
    }
    notify('info', short, ['Show Log'], () => log()?.show(true));
    const items = guesses.map((s) => ({
      label: `$(symbol-${symbolIcon(s.kind)}) ${s.name}`,
      description: `guess${s.containerName ? ` · ${s.containerName}` : ''}`,
      detail: `${this.relative(s.location.uri.fsPath)}:${s.location.range.start.line + 1}`,
      symbol: s,
    }));
    const chosen = await pick(items, {
      title: `Spanlens: no location recorded for span "${span.name}"; workspace symbols named "${q!.name}" (guesses)`,
      placeHolder: 'A guess by name only: pick the function that created the span',
    });
    if (!chosen) return;
    const start = chosen.symbol.location.range.start;
    await this.editor.open(chosen.symbol.location.uri, { line: start.line + 1, column: start.character + 1, besideColumn: ctx.panel?.viewColumn });
  }

  private relative(p: string): string {
    return vscode.workspace.asRelativePath(p, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  }
}

/** A span name as messages quote it: one line, at most 80 characters. */
function clipName(name: string): string {
  const one = name.replace(/\s+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
}

function describeVia(t: SourceTarget): string {
  const via = t.pathVia === 'mapping' ? 'spanlens.pathMappings' : t.pathVia === 'absolute' ? 'recorded path' : `path suffix, ${t.matchedSegments} segment(s)`;
  return t.generated ? `${via}, then the source map of ${path.basename(t.generated.path)}` : via;
}

/** Hand-written source before build output (the same function also lives in dist/*.js). */
function guessRank(s: vscode.SymbolInformation): number {
  const p = s.location.uri.path;
  return /\/(dist|out|build|lib|\.next)\//.test(p) || /\.min\.js$/.test(p) ? 1 : 0;
}

/** "placeOrder" matches placeOrder, placeOrder(), OrderService.placeOrder. */
function symbolMatches(s: vscode.SymbolInformation, name: string): boolean {
  const n = s.name.replace(/\(.*$/, '').trim();
  return n === name || n.endsWith(`.${name}`);
}

function symbolIcon(kind: vscode.SymbolKind): string {
  switch (kind) {
    case vscode.SymbolKind.Method:
      return 'method';
    case vscode.SymbolKind.Class:
      return 'class';
    case vscode.SymbolKind.Variable:
    case vscode.SymbolKind.Constant:
      return 'variable';
    default:
      return 'function';
  }
}
