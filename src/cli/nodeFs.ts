// node fs implementations of the readers src/core/source takes by injection (the extension host
// passes vscode.workspace.fs-backed ones instead).
import * as fs from 'fs';
import * as nodePath from 'path';
import type { PathExistence } from '../core/source/pathResolver';
import type { SourceReader } from '../core/source/sourceMaps';

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(p)).isFile();
  } catch {
    return false;
  }
}

export const nodeSourceReader: SourceReader = {
  async readFile(p: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await fs.promises.readFile(p));
    } catch {
      return undefined;
    }
  },
  exists: isFile,
};

export const nodePathExistence: PathExistence = { exists: isFile };

/** Directories never worth indexing: dependencies and VCS metadata (like files.exclude + search.exclude). */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.vscode-test', '__pycache__', '.venv', 'venv', '.tox', 'target', '.gradle']);

/** Absolute paths of the files under root, skipping dependency and VCS folders; symlinked dirs not followed. */
export function listWorkspaceFiles(root: string, maxFiles = 500_000): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length && out.length < maxFiles) {
    const dir = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = nodePath.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(full);
      } else if (e.isFile()) out.push(full);
    }
  }
  return out;
}
