// The dependency rules of .dependency-cruiser.cjs fire: each case builds a tiny tree with one forbidden import
// and runs dependency-cruiser on it with the project's config; the clean tree passes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp.js';

const repo = process.env['KUBETEST_REPO'] ?? new URL('../../..', import.meta.url).pathname;
const depcruise = join(repo, 'node_modules', '.bin', 'depcruise');

function cruise(files: Record<string, string>): { status: number | null; out: string } {
  const dir = tempDir('deprules');
  copyFileSync(join(repo, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  // CI=true makes dependency-cruiser colour its output: ask for plain text, and strip colours anyway.
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  const r = spawnSync(depcruise, ['src', '--config', '.dependency-cruiser.cjs'], { cwd: dir, encoding: 'utf8', env });
  // eslint-disable-next-line no-control-regex
  return { status: r.status, out: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
}

const clean = {
  'src/api/deployer.ts': 'export interface Deployer { name: string }\n',
  'src/cli/app.ts': "import type { Deployer } from '../api/deployer.js';\nexport const d: Deployer[] = [];\n",
  'src/deployers/none/deployer.ts':
    "import type { Deployer } from '../../api/deployer.js';\nexport const x: Deployer[] = [];\n",
};

describe('dependency rules', () => {
  it('a tree that keeps the rules passes', () => {
    const r = cruise(clean);
    assert.equal(r.status, 0, r.out);
  });

  const cases: Array<[rule: string, files: Record<string, string>]> = [
    [
      'no-cycles',
      {
        'src/release/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/release/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
    ],
    ['only-cli-imports-cli', { 'src/release/x.ts': "import { d } from '../cli/app.js';\nexport const x = d;\n" }],
    ['api-is-a-leaf', { 'src/api/bad.ts': "import { d } from '../cli/app.js';\nexport const x = d;\n" }],
    ['util-is-a-leaf', { 'src/util/bad.ts': "import { a } from '../release/a.js';\nexport const x = a;\n" }],
    [
      'plugins-see-api-not-the-run',
      {
        'src/run/engine.ts': 'export const engine = 1;\n',
        'src/deployers/none/bad.ts': "import { engine } from '../../run/engine.js';\nexport const x = engine;\n",
      },
    ],
    ['lower-layers-not-run', { 'src/process/bad.ts': "import { a } from '../release/a.js';\nexport const x = a;\n" }],
  ];
  for (const [rule, files] of cases) {
    it(`${rule} fails on a forbidden import`, () => {
      const extra = { 'src/release/a.ts': 'export const a = 1;\n', ...files };
      const r = cruise({ ...clean, ...extra });
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, new RegExp(`error ${rule}:`));
    });
  }
});
