import * as assert from 'assert';
import { PathResolver, WorkspaceFileIndex } from '../../src/core/source/pathResolver';
import { fileUrlToPath, joinPath, normalizePath, pathToFileUrl, stripLocationScheme } from '../../src/core/source/paths';

const WS = '/home/me/shop';
const FILES = [
  'src/server.ts',
  'src/orders.ts',
  'dist/server.js',
  'dist/orders.js',
  'packages/a/src/index.ts',
  'packages/b/src/index.ts',
  'lib/util.ts',
  'README.md',
].map((f) => `${WS}/${f}`);

function resolver(opts: { mappings?: Record<string, string>; existing?: string[]; files?: string[] } = {}) {
  const existsCalls: string[] = [];
  const existing = new Set(opts.existing ?? []);
  const index = new WorkspaceFileIndex(opts.files ?? FILES);
  const r = new PathResolver(index, {
    folders: [{ name: 'shop', path: WS }],
    mappings: opts.mappings,
    fs: {
      exists: async (p) => {
        existsCalls.push(p);
        return existing.has(p);
      },
    },
  });
  return { r, index, existsCalls };
}

const paths = (res: { candidates: readonly { path: string }[] }) => res.candidates.map((c) => c.path);

describe('path resolution: recorded path -> workspace file', () => {
  it('matches container, CI, file:// URL, Windows and relative paths by longest path suffix', async () => {
    const { r } = resolver();
    const cases: [string, string, number][] = [
      ['/app/src/server.ts', 'src/server.ts', 2],
      ['/home/runner/work/shop/shop/src/server.ts', 'src/server.ts', 3],
      ['/usr/src/app/dist/orders.js', 'dist/orders.js', 2],
      ['file:///app/dist/orders.js', 'dist/orders.js', 2],
      ['C:\\build\\shop\\src\\orders.ts', 'src/orders.ts', 3],
      ['src/orders.ts', 'src/orders.ts', 2],
      ['./lib/../lib/util.ts', 'lib/util.ts', 2],
      ['webpack://shop/./src/server.ts', 'src/server.ts', 2],
      [`${WS}/src/server.ts`, 'src/server.ts', 5],
    ];
    for (const [recorded, rel, segments] of cases) {
      const res = await r.resolve(recorded);
      assert.deepStrictEqual(paths(res), [`${WS}/${rel}`], recorded);
      assert.strictEqual(res.candidates[0].matchedSegments, segments, recorded);
      assert.strictEqual(res.candidates[0].relativePath, rel);
      assert.strictEqual(res.candidates[0].outsideWorkspace, false);
      assert.strictEqual(res.ambiguous, false);
    }
  });

  it('returns every file of an equal longest suffix as a tie, and a deeper suffix breaks it', async () => {
    const { r } = resolver();
    const tie = await r.resolve('/app/src/index.ts');
    assert.deepStrictEqual(paths(tie), [`${WS}/packages/a/src/index.ts`, `${WS}/packages/b/src/index.ts`]);
    assert.strictEqual(tie.ambiguous, true);
    const one = await r.resolve('/app/packages/b/src/index.ts');
    assert.deepStrictEqual(paths(one), [`${WS}/packages/b/src/index.ts`]);
    assert.strictEqual(one.ambiguous, false);
  });

  it('finds nothing when no workspace file has the recorded file name', async () => {
    const { r } = resolver();
    const res = await r.resolve('/app/src/missing.ts');
    assert.deepStrictEqual(res.candidates, []);
  });

  it('pathMappings win over the suffix heuristic, most specific key first', async () => {
    const { r } = resolver({
      mappings: {
        '/app/*': '${workspaceFolder}/packages/b/*',
        '/app/vendor/*': '${workspaceFolder:shop}/lib/*',
      },
    });
    const viaMapping = await r.resolve('/app/src/index.ts');
    assert.deepStrictEqual(paths(viaMapping), [`${WS}/packages/b/src/index.ts`]);
    assert.strictEqual(viaMapping.candidates[0].via, 'mapping');
    assert.strictEqual(viaMapping.candidates[0].mapping, '/app/*');
    assert.strictEqual(viaMapping.ambiguous, false);
    const specific = await r.resolve('/app/vendor/util.ts');
    assert.deepStrictEqual(paths(specific), [`${WS}/lib/util.ts`]);
    assert.strictEqual(specific.candidates[0].mapping, '/app/vendor/*');
  });

  it('a mapping whose target does not exist falls back to the heuristic and says why', async () => {
    const { r } = resolver({ mappings: { '/app/*': '${workspaceFolder}/nowhere/*' } });
    const res = await r.resolve('/app/src/orders.ts');
    assert.deepStrictEqual(paths(res), [`${WS}/src/orders.ts`]);
    assert.strictEqual(res.candidates[0].via, 'suffix');
    assert.match(res.note ?? '', /spanlens\.pathMappings maps it \(via "\/app\/\*"\) to \/home\/me\/shop\/nowhere\/src\/orders\.ts, which is not a workspace file/);
  });

  it('flags results outside the workspace folders (mapping targets and existing recorded paths)', async () => {
    const outside = '/opt/shared/lib/format.ts';
    const { r } = resolver({ mappings: { '/app/shared/*': '/opt/shared/*' }, existing: [outside, '/usr/lib/node_modules/tool/cli.js'] });
    const mapped = await r.resolve('/app/shared/lib/format.ts');
    assert.deepStrictEqual(mapped.candidates.map((c) => [c.path, c.via, c.outsideWorkspace]), [[outside, 'mapping', true]]);
    assert.strictEqual(mapped.candidates[0].folder, undefined);
    const abs = await r.resolve('/usr/lib/node_modules/tool/cli.js');
    assert.deepStrictEqual(abs.candidates.map((c) => [c.path, c.via, c.outsideWorkspace]), [['/usr/lib/node_modules/tool/cli.js', 'absolute', true]]);
    // Not on disk and not in the workspace: nothing, rather than a dead path.
    assert.deepStrictEqual((await r.resolve('/usr/lib/other.js')).candidates, []);
  });

  it('caches results: the file system is asked once per recorded path', async () => {
    const { r, existsCalls } = resolver();
    for (let i = 0; i < 5; i++) await r.resolve('/usr/lib/x/orders.js');
    assert.deepStrictEqual(existsCalls, ['/usr/lib/x/orders.js']);
    assert.strictEqual(r.resolveInIndex('/app/dist/orders.js'), r.resolveInIndex('/app/dist/orders.js'));
  });

  it('follows index changes after invalidate()', async () => {
    const { r, index } = resolver();
    assert.deepStrictEqual(paths(await r.resolve('/app/src/new.ts')), []);
    index.add(`${WS}/src/new.ts`);
    r.invalidate();
    assert.deepStrictEqual(paths(await r.resolve('/app/src/new.ts')), [`${WS}/src/new.ts`]);
    index.remove(`${WS}/src/new.ts`);
    r.invalidate();
    assert.deepStrictEqual(paths(await r.resolve('/app/src/new.ts')), []);
    assert.strictEqual(index.size, FILES.length);
  });

  it('handles a Windows workspace case-insensitively, keeping the host\'s spelling', async () => {
    const files = ['C:\\Users\\me\\Shop\\src\\Orders.ts', 'C:\\Users\\me\\Shop\\dist\\orders.js'];
    const index = new WorkspaceFileIndex(files, true);
    const r = new PathResolver(index, { folders: [{ path: 'C:\\Users\\me\\Shop' }], ignoreCase: true, mappings: { '/APP/*': '${workspaceFolder}/*' } });
    const res = r.resolveInIndex('/srv/shop/SRC/orders.ts');
    assert.deepStrictEqual(paths(res), ['C:\\Users\\me\\Shop\\src\\Orders.ts']);
    assert.strictEqual(res.candidates[0].relativePath, 'src/Orders.ts');
    const mapped = r.resolveInIndex('/app/dist/orders.js');
    assert.deepStrictEqual(mapped.candidates.map((c) => [c.path, c.via]), [['C:\\Users\\me\\Shop\\dist\\orders.js', 'mapping']]);
  });

  it('multi-root workspaces: files of every folder, relative to the innermost folder', async () => {
    const index = new WorkspaceFileIndex(['/ws/api/src/a.ts', '/ws/web/src/b.ts']);
    const r = new PathResolver(index, { folders: [{ name: 'api', path: '/ws/api' }, { name: 'web', path: '/ws/web' }] });
    const res = r.resolveInIndex('/app/src/b.ts');
    assert.deepStrictEqual(res.candidates.map((c) => [c.path, c.folder?.name, c.relativePath]), [['/ws/web/src/b.ts', 'web', 'src/b.ts']]);
  });

  it('indexes 20k files and resolves them all to themselves from container paths', () => {
    const files: string[] = [];
    for (let i = 0; i < 20_000; i++) files.push(`/ws/packages/p${i % 50}/src/module${i}/index.ts`);
    const index = new WorkspaceFileIndex(files);
    const r = new PathResolver(index, { folders: [{ path: '/ws' }] });
    assert.strictEqual(index.size, 20_000);
    for (let i = 0; i < 20_000; i += 997) {
      assert.deepStrictEqual(paths(r.resolveInIndex(`/app/packages/p${i % 50}/src/module${i}/index.ts`)), [files[i]]);
    }
    // The bare file name matches all 20k: the tie list is capped for the quick pick.
    assert.strictEqual(r.resolveInIndex('/app/x/index.ts').candidates.length, 50);
  });
});

describe('path helpers', () => {
  it('normalises and converts file URLs on any OS', () => {
    assert.strictEqual(normalizePath('C:\\a\\.\\b\\..\\c.ts'), 'C:/a/c.ts');
    assert.strictEqual(normalizePath('//server/share/x.ts'), '//server/share/x.ts');
    assert.strictEqual(normalizePath('a/../../b'), '../b');
    assert.strictEqual(fileUrlToPath('file:///C:/src/x%20y.ts'), 'c:/src/x y.ts');
    assert.strictEqual(fileUrlToPath('file://server/share/a.ts'), '//server/share/a.ts');
    assert.strictEqual(pathToFileUrl('/a b/c#.ts'), 'file:///a%20b/c%23.ts');
    assert.strictEqual(pathToFileUrl('C:\\a\\b.ts'), 'file:///C:/a/b.ts');
    assert.strictEqual(joinPath('/ws/dist', '..', 'src/a.ts'), '/ws/src/a.ts');
  });

  it('reduces bundler schemes to project-relative paths', () => {
    assert.deepStrictEqual(stripLocationScheme('webpack://my-app/./src/a.ts'), { path: 'src/a.ts', scheme: 'webpack' });
    assert.deepStrictEqual(stripLocationScheme('webpack:///./src/a.ts'), { path: 'src/a.ts', scheme: 'webpack' });
    assert.deepStrictEqual(stripLocationScheme('webpack:///src/a.ts'), { path: 'src/a.ts', scheme: 'webpack' });
    assert.deepStrictEqual(stripLocationScheme('webpack:////abs/a.ts'), { path: '/abs/a.ts', scheme: 'webpack' });
    assert.deepStrictEqual(stripLocationScheme('turbopack://[project]/app/page.tsx'), { path: 'app/page.tsx', scheme: 'turbopack' });
    assert.deepStrictEqual(stripLocationScheme('webpack:///./~/lodash/x.js'), { path: 'node_modules/lodash/x.js', scheme: 'webpack' });
    assert.deepStrictEqual(stripLocationScheme('webpack:///C:/a/b.ts'), { path: 'C:/a/b.ts', scheme: 'webpack' });
    assert.deepStrictEqual(stripLocationScheme('/@fs/home/me/a.ts'), { path: '/home/me/a.ts', scheme: 'vite' });
  });
});
