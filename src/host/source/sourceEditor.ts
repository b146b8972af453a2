// Opens a source location the way "jump to code" should feel: in the editor group beside the
// waterfall, cursor on the line and column, the line centred and briefly highlighted. Sources that
// exist only inside a source map (sourcesContent) open as read-only documents of that content.
import * as vscode from 'vscode';

export const EMBEDDED_SCHEME = 'spanlens-source';
const HIGHLIGHT_MS = 1500;
/** Embedded sources kept for reopening (each is one original file's text). */
const MAX_EMBEDDED = 64;

export interface OpenAt {
  /** 1-based; undefined opens at the top. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  /** The waterfall's editor group: the file opens in the group beside it. */
  readonly besideColumn?: vscode.ViewColumn;
}

export class SourceEditor implements vscode.Disposable {
  private readonly flash = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Full,
  });
  private readonly embedded = new Map<string, string>();
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      this.flash,
      vscode.workspace.registerTextDocumentContentProvider(EMBEDDED_SCHEME, {
        provideTextDocumentContent: (uri) => this.embedded.get(uri.toString()) ?? '// Spanlens: this embedded source is no longer available; jump to it again.',
      }),
    ];
  }

  /** A read-only document holding `content`, named after the original path. */
  embeddedUri(originalPath: string, content: string): vscode.Uri {
    const path = originalPath.startsWith('/') ? originalPath : `/${originalPath}`;
    const uri = vscode.Uri.from({ scheme: EMBEDDED_SCHEME, path: path.replace(/\\/g, '/') });
    this.embedded.delete(uri.toString());
    this.embedded.set(uri.toString(), content);
    while (this.embedded.size > MAX_EMBEDDED) this.embedded.delete(this.embedded.keys().next().value!);
    return uri;
  }

  async open(uri: vscode.Uri, at: OpenAt): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = Math.min(Math.max((at.line ?? 1) - 1, 0), Math.max(doc.lineCount - 1, 0));
    const text = doc.lineAt(line);
    const character = at.column !== undefined ? Math.min(at.column - 1, text.range.end.character) : text.firstNonWhitespaceCharacterIndex;
    const pos = new vscode.Position(line, Math.max(0, character));
    const editor = await vscode.window.showTextDocument(doc, {
      // Beside the waterfall (ViewColumn.Beside would be relative to whatever group is active).
      viewColumn: at.besideColumn !== undefined ? at.besideColumn + 1 : vscode.ViewColumn.Beside,
      selection: new vscode.Range(pos, pos),
      preserveFocus: false,
      preview: true,
    });
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    this.highlight(editor, line);
    return editor;
  }

  private highlight(editor: vscode.TextEditor, line: number): void {
    if (this.flashTimer) clearTimeout(this.flashTimer);
    editor.setDecorations(this.flash, [new vscode.Range(line, 0, line, 0)]);
    this.flashTimer = setTimeout(() => {
      this.flashTimer = undefined;
      editor.setDecorations(this.flash, []);
    }, HIGHLIGHT_MS);
  }

  dispose(): void {
    if (this.flashTimer) clearTimeout(this.flashTimer);
    for (const d of this.disposables) d.dispose();
    this.embedded.clear();
  }
}
