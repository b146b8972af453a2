// Files of the shared corpus (real files from other projects) through the real editor: each must
// end in the waterfall or in an error view with a message, never stay loading or crash the host.
// The corpus is beside the repository in CI only; in a user's clone this suite says it was skipped.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CORPUS, HAS_CORPUS } from '../support/paths';
import { closeAllEditors, openInSpanlens } from './helpers';

/**
 * Every malformed file plus the three largest files of each format folder: the real host and
 * webview path (file read, import, postMessage of big waterfalls) on the heaviest real data. Each
 * open costs about a second of webview start-up, so the whole corpus (SPANLENS_CORPUS_ALL=1) is
 * left to the importer unit tests by default.
 */
function corpusFiles(): string[] {
  const all = process.env.SPANLENS_CORPUS_ALL === '1';
  const out: string[] = [];
  for (const d of fs.readdirSync(CORPUS, { withFileTypes: true }).filter((x) => x.isDirectory())) {
    const files = fs.readdirSync(path.join(CORPUS, d.name)).map((f) => ({ rel: path.join(d.name, f), size: fs.statSync(path.join(CORPUS, d.name, f)).size }));
    const picked = all || d.name === 'malformed' ? files : files.sort((a, b) => b.size - a.size).slice(0, 3);
    out.push(...picked.map((f) => f.rel));
  }
  return out.sort();
}

const title = HAS_CORPUS ? `Shared corpus through the real editor (${CORPUS})` : `Shared corpus: SKIPPED, not found at ${CORPUS}`;

describe(title, function () {
  if (!HAS_CORPUS) {
    it.skip('corpus absent');
    return;
  }
  after(closeAllEditors);

  for (const rel of corpusFiles()) {
    it(rel, async () => {
      const info = await openInSpanlens(vscode.Uri.file(path.join(CORPUS, rel)));
      if (info.state === 'loaded') {
        assert.ok((info.traceCount ?? 0) >= 1 || info.spanCount === 0, `loaded with ${info.traceCount} traces`);
      } else {
        assert.ok(info.error && info.error.message.trim(), `error view without a message: ${JSON.stringify(info)}`);
        assert.ok(rel.startsWith('malformed/'), `${rel} is a valid ${path.dirname(rel)} file but was refused: ${info.error.message} (${info.error.locationText})`);
      }
      await closeAllEditors();
    });
  }
});
