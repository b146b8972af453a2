// Which function encloses a source position, from a document's symbol tree (what
// vscode.executeDocumentSymbolProvider returns, reduced to plain data so this stays testable
// without VS Code). A span's recorded line is the line that *created* the span (a withSpan call,
// a tracer.startActiveSpan...), somewhere inside the function; the CodeLens belongs on the
// function's declaration, so statistics are keyed by the enclosing function, not the raw line.

/** vscode.SymbolKind values used here (the enum is numeric and stable). */
export const SymbolKinds = {
  Module: 1,
  Namespace: 2,
  Package: 3,
  Class: 4,
  Method: 5,
  Property: 6,
  Field: 7,
  Constructor: 8,
  Interface: 10,
  Function: 11,
  Variable: 12,
  Constant: 13,
  Object: 18,
  Struct: 22,
} as const;

export interface SymbolNode {
  readonly name: string;
  readonly kind: number;
  /** 0-based, as vscode.Range. */
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  /** 0-based line of the symbol's name (its declaration line). */
  readonly selectionLine: number;
  /** For flat SymbolInformation lists: the container's name. */
  readonly containerName?: string;
  readonly children: readonly SymbolNode[];
}

export interface EnclosingFunction {
  /** Qualified by its containers: "OrderService.placeOrder". */
  readonly name: string;
  /** 1-based line of the declaration (the function's name). */
  readonly line: number;
}

const FUNCTION_KINDS = new Set<number>([SymbolKinds.Method, SymbolKinds.Constructor, SymbolKinds.Function]);
/** `const f = () => {...}` / `handler: async () => {...}` are reported as variables or properties. */
const VALUE_KINDS = new Set<number>([SymbolKinds.Property, SymbolKinds.Field, SymbolKinds.Variable, SymbolKinds.Constant]);
const CONTAINER_KINDS = new Set<number>([
  SymbolKinds.Module,
  SymbolKinds.Namespace,
  SymbolKinds.Package,
  SymbolKinds.Class,
  SymbolKinds.Interface,
  SymbolKinds.Object,
  SymbolKinds.Struct,
]);

/**
 * Callbacks passed to calls ("withSpan('place order') callback" in TypeScript's outline) and
 * anonymous functions: the span belongs to the named function around them.
 */
export function isTransparentSymbol(name: string): boolean {
  return / callback$/.test(name) || /^<.*>$/.test(name) || /^\(anonymous/.test(name) || name === '';
}

function contains(s: SymbolNode, line0: number, char0: number | undefined): boolean {
  if (line0 < s.startLine || line0 > s.endLine) return false;
  if (char0 === undefined) return true;
  if (line0 === s.startLine && char0 < s.startCharacter) return false;
  if (line0 === s.endLine && char0 > s.endCharacter) return false;
  return true;
}

/**
 * The innermost named function containing the position (1-based line and column; without a column
 * only lines are compared). Variables and properties count as functions when they span several
 * lines (an arrow function or function expression assigned to them).
 */
export function enclosingFunction(symbols: readonly SymbolNode[], line: number, column?: number): EnclosingFunction | undefined {
  const line0 = line - 1;
  const char0 = column !== undefined ? column - 1 : undefined;
  let best: { node: SymbolNode; name: string; depth: number } | undefined;

  const visit = (nodes: readonly SymbolNode[], chain: readonly string[], depth: number) => {
    for (const n of nodes) {
      if (!contains(n, line0, char0)) continue;
      if (isTransparentSymbol(n.name)) {
        visit(n.children, chain, depth + 1);
        continue;
      }
      const prefix = chain.length ? chain : n.containerName ? [n.containerName] : [];
      const qualified = [...prefix, n.name];
      const isFunction = FUNCTION_KINDS.has(n.kind) || (VALUE_KINDS.has(n.kind) && n.endLine > n.startLine);
      if (isFunction && (!best || depth > best.depth || (depth === best.depth && n.startLine >= best.node.startLine))) {
        best = { node: n, name: qualified.join('.'), depth };
      }
      if (isFunction || CONTAINER_KINDS.has(n.kind) || VALUE_KINDS.has(n.kind)) visit(n.children, qualified, depth + 1);
    }
  };
  visit(symbols, [], 0);
  if (!best) return undefined;
  return { name: best.name, line: best.node.selectionLine + 1 };
}

/** The symbol that is declared on a 1-based line (for "the function at the cursor" on its name). */
export function functionDeclaredAt(symbols: readonly SymbolNode[], line: number): EnclosingFunction | undefined {
  let found: EnclosingFunction | undefined;
  const visit = (nodes: readonly SymbolNode[], chain: readonly string[]) => {
    for (const n of nodes) {
      if (isTransparentSymbol(n.name)) {
        visit(n.children, chain);
        continue;
      }
      const qualified = [...(chain.length ? chain : n.containerName ? [n.containerName] : []), n.name];
      const isFunction = FUNCTION_KINDS.has(n.kind) || (VALUE_KINDS.has(n.kind) && n.endLine > n.startLine);
      if (isFunction && n.selectionLine === line - 1) found ??= { name: qualified.join('.'), line };
      visit(n.children, qualified);
    }
  };
  visit(symbols, []);
  return found;
}
