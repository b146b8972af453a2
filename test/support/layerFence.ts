// The layer rules of the project as code: which folder may import which. A static scan of every
// import, export-from, dynamic import() and require() in src/ and webview/, resolved to a file.
import * as fs from 'fs';
import * as path from 'path';

export interface LayerViolation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly rule: string;
}

const SPECIFIER_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function listTs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(full));
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** What a specifier points at: a repository-relative path ('src/host/x'), or a package name. */
function target(root: string, fromFile: string, spec: string): { kind: 'file'; rel: string } | { kind: 'package'; name: string } {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const rel = path.relative(root, path.resolve(path.dirname(fromFile), spec)).split(path.sep).join('/');
    return { kind: 'file', rel };
  }
  const parts = spec.split('/');
  return { kind: 'package', name: spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

const under = (rel: string, dir: string) => rel === dir || rel.startsWith(dir + '/');

/** Returns the rule a single import breaks, or undefined. `rel` is the importing file, repository-relative. */
function check(rel: string, t: ReturnType<typeof target>): string | undefined {
  if (under(rel, 'src/core')) {
    if (t.kind === 'package' && t.name === 'vscode') return 'src/core must not import vscode';
    if (t.kind === 'file') {
      for (const d of ['src/host', 'webview', 'src/cli']) if (under(t.rel, d)) return `src/core must not import ${d}`;
      if (under(rel, 'src/core/model') && t.rel === 'src/shared/protocol') return 'the model (src/core/model) must not import the webview protocol: DTOs are for the view builders';
    }
  }
  if (under(rel, 'src/cli')) {
    if (t.kind === 'package' && t.name === 'vscode') return 'src/cli must not import vscode';
    if (t.kind === 'file' && under(t.rel, 'src/host')) return 'src/cli must not import src/host';
  }
  if (under(rel, 'src/shared')) {
    if (t.kind === 'package') return 'src/shared must not import packages';
    if (!under(t.rel, 'src/shared')) return 'src/shared must import only src/shared';
  }
  if (under(rel, 'webview')) {
    if (t.kind === 'package') {
      if (t.name !== '@vscode/webview-ui-toolkit') return `webview/ must not import the package ${t.name}`;
      if (rel !== 'webview/toolkit.ts') return 'only webview/toolkit.ts imports @vscode/webview-ui-toolkit';
    } else if (!under(t.rel, 'webview') && !under(t.rel, 'src/shared')) {
      return 'webview/ may import only webview/ and src/shared';
    }
  }
  return undefined;
}

/** Every import in src/ and webview/ under `root` that breaks a layer rule. */
export function layerViolations(root: string): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const file of [...listTs(path.join(root, 'src')), ...listTs(path.join(root, 'webview'))]) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER_RE)) {
      const rule = check(rel, target(root, file, m[1]));
      if (rule) out.push({ file: rel, line: text.slice(0, m.index).split('\n').length, specifier: m[1], rule });
    }
  }
  return out;
}
