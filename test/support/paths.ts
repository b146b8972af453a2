// Where tests find the repository, its fixtures and the shared corpus, from any bundle location.
import * as fs from 'fs';
import * as path from 'path';

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'esbuild.js'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${start}`);
    dir = up;
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
/** The shared corpus (real files from other projects). Absent in a user's clone: tests say so. */
export const CORPUS = process.env.SPANLENS_CORPUS ?? path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const HAS_CORPUS = fs.existsSync(CORPUS);

export function corpusFile(rel: string): string {
  return path.join(CORPUS, rel);
}

export function readBytes(file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(file));
}
