// Document symbols through vscode.executeDocumentSymbolProvider, cached per file until it changes.
// Language servers start lazily (TypeScript's needs a few seconds and an open document), so an empty
// answer is retried briefly before it is believed, and never cached.
import * as vscode from 'vscode';
import { EnclosingFunction, enclosingFunction, functionDeclaredAt, SymbolNode } from './functionSymbols';

/** Waits between attempts while a language server may still be starting. */
const RETRY_DELAYS_MS = [250, 750, 1500, 3000];

export class DocumentSymbolCache implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<SymbolNode[]>>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.cache.delete(e.document.uri.toString());
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString())),
    ];
  }

  /** Forget a file (changed on disk). */
  invalidate(uri?: vscode.Uri): void {
    if (uri) this.cache.delete(uri.toString());
    else this.cache.clear();
  }

  symbols(uri: vscode.Uri): Promise<SymbolNode[]> {
    const key = uri.toString();
    let p = this.cache.get(key);
    if (!p) {
      p = this.fetch(uri);
      this.cache.set(key, p);
      void p.then((s) => {
        if (!s.length && this.cache.get(key) === p) this.cache.delete(key);
      });
    }
    return p;
  }

  async enclosingFunction(uri: vscode.Uri, line: number, column?: number): Promise<EnclosingFunction | undefined> {
    return enclosingFunction(await this.symbols(uri), line, column);
  }

  /** The function at a cursor: the one declared on that line, else the innermost one around it. */
  async functionAt(uri: vscode.Uri, line: number, column: number): Promise<EnclosingFunction | undefined> {
    const symbols = await this.symbols(uri);
    return functionDeclaredAt(symbols, line) ?? enclosingFunction(symbols, line, column) ?? enclosingFunction(symbols, line);
  }

  private async fetch(uri: vscode.Uri): Promise<SymbolNode[]> {
    try {
      // Opening the document activates its language extension (onLanguage) and syncs it to the server.
      await vscode.workspace.openTextDocument(uri);
    } catch {
      return [];
    }
    for (let attempt = 0; ; attempt++) {
      let result: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined;
      try {
        result = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
      } catch {
        result = undefined;
      }
      if (result?.length) return result.map(toNode);
      if (attempt >= RETRY_DELAYS_MS.length) return [];
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.cache.clear();
  }
}

function toNode(s: vscode.DocumentSymbol | vscode.SymbolInformation): SymbolNode {
  if ('children' in s && 'selectionRange' in s && s.range) {
    return {
      name: s.name,
      kind: s.kind,
      startLine: s.range.start.line,
      startCharacter: s.range.start.character,
      endLine: s.range.end.line,
      endCharacter: s.range.end.character,
      selectionLine: s.selectionRange.start.line,
      children: (s.children ?? []).map(toNode),
    };
  }
  const info = s as vscode.SymbolInformation;
  const r = info.location.range;
  return {
    name: info.name,
    kind: info.kind,
    startLine: r.start.line,
    startCharacter: r.start.character,
    endLine: r.end.line,
    endCharacter: r.end.character,
    selectionLine: r.start.line,
    ...(info.containerName ? { containerName: info.containerName } : {}),
    children: [],
  };
}
