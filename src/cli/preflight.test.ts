// Issue 22, item 4: directories the run writes to are checked before any step: one line, exit 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInProcess } from '../../test/helpers/cli.js';
import { unusableDirReason } from './preflight.js';

const dir = mkdtempSync(join(tmpdir(), 'kubetest-preflight-'));
const file = join(dir, 'a-file');
writeFileSync(file, 'x');

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const marker = join(dir, `ran-${Math.random()}`);
  const r = await runInProcess(
    ['--deployment=none', '--test-cmd=/bin/sh', '--test-cmd-args=-c', `--test-cmd-args=touch ${marker}`, ...argv],
    { cwd: dir, env: { PATH: process.env['PATH'], ...env } },
  );
  return { code: r.code, out: r.stdout, err: r.stderr, ran: existsSync(marker) };
}

describe('preflight of --dump, $ARTIFACTS and the cache dir', () => {
  it('reasons', () => {
    assert.equal(unusableDirReason(dir), undefined);
    assert.equal(unusableDirReason(join(dir, 'new', 'deeper')), undefined);
    assert.equal(unusableDirReason(file), 'is a file, not a directory');
    assert.match(unusableDirReason(join(file, 'sub'))!, /cannot be created: .*a-file is a file/);
    assert.match(unusableDirReason('/proc/x')!, /under \/proc, a kernel pseudo-filesystem/);
    assert.match(unusableDirReason('/sys/kernel/x')!, /under \/sys/);
  });

  // Root writes everywhere, so as root the check runs in a child with nobody's uid.
  it('unwritable', () => {
    const base = mkdtempSync(join(tmpdir(), 'kubetest-preflight-ro-'));
    chmodSync(base, 0o755);
    const ro = join(base, 'ro');
    mkdirSync(ro, { mode: 0o555 });
    const probe = (p: string): string | undefined => {
      if (process.getuid?.() !== 0) return unusableDirReason(p);
      // A copy beside the probed dirs: the checkout may sit under a dir nobody cannot enter (mktemp -d).
      const module = join(base, 'preflight.mjs');
      copyFileSync(new URL('./preflight.js', import.meta.url), module);
      const code =
        `const m = await import(${JSON.stringify(module)});\n` +
        `process.stdout.write(JSON.stringify(m.unusableDirReason(${JSON.stringify(p)}) ?? null));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) ?? undefined;
    };
    assert.equal(probe(ro), 'is not writable (permission denied)');
    assert.match(probe(join(ro, 'x'))!, /cannot be created: .* is not writable/);
    assert.equal(probe(base), process.getuid?.() === 0 ? 'is not writable (permission denied)' : undefined);
  });

  for (const [name, argv, env, re] of [
    ['--dump that is a file', [`--dump=${file}`], {}, /^kubetest: --dump=.*a-file is a file, not a directory\n$/],
    ['--dump under /proc', ['--dump=/proc/x'], {}, /^kubetest: --dump=\/proc\/x is under \/proc/],
    [
      '$ARTIFACTS under /proc',
      [],
      { ARTIFACTS: '/proc/self/x' },
      /^kubetest: \$ARTIFACTS=\/proc\/self\/x is under \/proc/,
    ],
    [
      'KUBETEST_CACHE_DIR under /proc',
      [],
      { KUBETEST_CACHE_DIR: '/proc/1/x' },
      /^kubetest: KUBETEST_CACHE_DIR=\/proc\/1\/x is under/,
    ],
    ['--cache-dir that is a file', [`--cache-dir=${file}`], {}, /^kubetest: --cache-dir=.* is a file/],
  ] as const) {
    it(`${name}: one line, exit 2, before any step`, async () => {
      const t0 = Date.now();
      const r = await run([...argv], env);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, re);
      assert.equal(r.err.split('\n').length, 2, 'one line');
      assert.equal(r.ran, false, 'no step ran');
      assert.ok(Date.now() - t0 < 2000);
    });
  }

  it('a good --dump passes and the run goes on', async () => {
    const r = await run([`--dump=${join(dir, 'dump')}`]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.ran, true);
  });
});
