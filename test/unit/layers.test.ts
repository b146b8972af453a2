// The layer fence: src/core is pure (no vscode, host, webview or CLI), the webview reaches the host
// only through src/shared, the CLI never reaches into the VS Code layer.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { layerViolations } from '../support/layerFence';
import { REPO_ROOT } from '../support/paths';

function plant(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-layers-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('layer fence', () => {
  it('the repository keeps every layer rule', () => {
    const v = layerViolations(REPO_ROOT);
    assert.deepStrictEqual(v.map((x) => `${x.file}:${x.line} imports ${x.specifier}: ${x.rule}`), []);
  });

  it('flags each forbidden import, with file and line', () => {
    const dir = plant({
      'src/core/a.ts': "import * as vscode from 'vscode';\nimport { x } from '../host/y';\n",
      'src/core/model/m.ts': "import type { AttrType } from '../../shared/protocol';\n",
      'src/core/b.ts': "const w = require('../../webview/main');\nexport const c = import('../cli/main');\n",
      'src/cli/c.ts': "export { p } from '../host/extension';\n",
      'webview/v.ts': "import { importTraceFile } from '../src/core/importers/importFile';\nimport 'lodash';\n",
      'webview/w.ts': "import { provideVSCodeDesignSystem } from '@vscode/webview-ui-toolkit';\n",
      'src/shared/s.ts': "import { Span } from '../core/model/model';\n",
    });
    try {
      const got = layerViolations(dir).map((v) => `${v.file}:${v.line} ${v.specifier}`);
      assert.deepStrictEqual(got.sort(), [
        'src/cli/c.ts:1 ../host/extension',
        'src/core/a.ts:1 vscode',
        'src/core/a.ts:2 ../host/y',
        'src/core/b.ts:1 ../../webview/main',
        'src/core/b.ts:2 ../cli/main',
        'src/core/model/m.ts:1 ../../shared/protocol',
        'src/shared/s.ts:1 ../core/model/model',
        'webview/v.ts:1 ../src/core/importers/importFile',
        'webview/v.ts:2 lodash',
        'webview/w.ts:1 @vscode/webview-ui-toolkit',
      ].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('allows what the layers may use', () => {
    const dir = plant({
      'src/core/view/w.ts': "import type { WaterfallDto } from '../../shared/protocol';\nimport * as fs from 'fs';\n",
      'src/host/h.ts': "import * as vscode from 'vscode';\nimport { x } from '../core/view/w';\n",
      'webview/toolkit.ts': "import { provideVSCodeDesignSystem } from '@vscode/webview-ui-toolkit';\n",
      'webview/main.ts': "import { RowFlag } from '../src/shared/protocol';\nimport './toolkit';\n",
      'src/cli/main.ts': "import { importTraceFile } from '../core/importers/importFile';\n",
    });
    try {
      assert.deepStrictEqual(layerViolations(dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
