// --config=file.yaml (issue 26, item 4): any flag as a key, lists for repeatable flags, the command line
// overrides the file, the file overrides env fallbacks; unknown keys and wrong types are usage errors naming
// the key (one line, exit 2, nothing runs).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInProcess } from '../../test/helpers/cli.js';
import { parseCommandLine } from './config.js';
import { MAX_CONFIG_BYTES } from './configfile.js';

const dir = mkdtempSync(join(tmpdir(), 'kubetest-configfile-'));
let n = 0;
function file(text: string): string {
  const p = join(dir, `c${++n}.yaml`);
  writeFileSync(p, text);
  return p;
}
const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseCommandLine(argv, { env, cwd: dir });

describe('--config', () => {
  it('sets flags of every kind from their keys', () => {
    const cfg = parse([
      `--config=${file(
        [
          'deployment: local',
          'up: true',
          'down: true',
          'timeout: 45m',
          'extract: [v1.35.4, v1.36.3]',
          'test_args: --ginkgo.focus=\\[Conformance\\] --ginkgo.skip=\\[Serial\\]',
          'ginkgo-parallel: 4',
          'gcp-nodes: 3',
        ].join('\n'),
      )}`,
    ]);
    assert.equal(cfg.deployment, 'local');
    assert.equal(cfg.up, true);
    assert.equal(cfg.down, true);
    assert.equal(cfg.timeoutMs, 45 * 60_000);
    assert.equal(cfg.extract.length, 2);
    assert.deepEqual(cfg.testArgs, ['--ginkgo.focus=\\[Conformance\\]', '--ginkgo.skip=\\[Serial\\]']);
    assert.equal(cfg.ginkgoParallel, 4);
    assert.equal(cfg.flags.str('gcp-nodes'), '3');
    assert.equal(cfg.given.has('up'), true);
    assert.deepEqual(cfg.explicit['extract'], ['v1.35.4', 'v1.36.3']);
    assert.equal(cfg.explicit['config'], undefined);
  });

  it('command line > config file > env fallback > default', () => {
    const f = file('provider: gce\ncluster: from-file\ntimeout: 10m\nextract: [v1.35.4, v1.36.3]\n');
    const env = { KUBERNETES_PROVIDER: 'aws', CLUSTER_NAME: 'from-env' };
    const cfg = parse([`--config=${f}`, '--cluster=from-argv', '--extract=v1.34.0'], env);
    assert.equal(cfg.cluster, 'from-argv', 'the command line wins');
    assert.equal(cfg.provider, 'gce', 'the file wins over $KUBERNETES_PROVIDER');
    assert.equal(cfg.timeoutMs, 10 * 60_000);
    assert.equal(cfg.extract.length, 1, 'a repeatable flag on the command line replaces the list of the file');
    assert.equal(parse([], env).provider, 'aws', 'without the file the env fallback applies');
    assert.equal(parse([`--config=${file('up: false')}`, '--up']).up, true);
    assert.equal(parse(['--up', `--config=${file('up: false')}`]).up, true, 'wherever --config is on the line');
  });

  it('an empty file sets nothing; a relative path is read from the working dir', () => {
    assert.equal(parse([`--config=${file('')}`]).deployment, 'bash');
    writeFileSync(join(dir, 'rel.yaml'), 'deployment: none\n');
    assert.equal(parse(['--config=rel.yaml']).deployment, 'none');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown key', 'up: true\nuup: true\n', /^--config=.*: unknown key "uup": keys are flag names$/],
    ['bool as a word', 'up: yes\n', /key "up": want true or false, got string "yes"/],
    ['bool as a list', 'down: [true]\n', /key "down": want true or false, got a list/],
    ['duration as a number', 'timeout: 45\n', /key "timeout": want a duration such as 45m or 1h30m, got number 45/],
    ['bad duration', 'timeout: 45 minutes\n', /key "timeout": want a duration/],
    ['string as a mapping', 'cluster: {name: x}\n', /key "cluster": want a string, got a mapping/],
    ['list of mappings', 'extract: [{a: 1}]\n', /key "extract": want a string or a list of strings/],
    ['null value', 'cluster:\n', /key "cluster": want a string, got null/],
    ['nested config', 'config: other.yaml\n', /key "config": a config file cannot name another one/],
    ['a list at the top', '- up\n- down\n', /want a mapping of flag names to values \(up: true\), got a list/],
    ['a scalar at the top', 'up\n', /want a mapping of flag names to values/],
    ['YAML syntax', 'up: true\n  down: [\n', /^--config=.*: line \d+: /],
    ['duplicate keys', 'up: true\nup: false\n', /^--config=.*: line 2: .*[Mm]ap keys must be unique/],
    ['help is not a key', 'help: true\n', /unknown key "help"/],
  ];
  for (const [what, text, re] of bad) {
    it(`refuses ${what} with one line naming the key`, () => {
      assert.throws(
        () => parse([`--config=${file(text)}`]),
        (e: Error) => {
          assert.match(e.message, re);
          assert.doesNotMatch(e.message, /\n/);
          return true;
        },
      );
    });
  }

  it('refuses a missing file, a directory and a file over the size bound', () => {
    assert.throws(() => parse([`--config=${join(dir, 'nope.yaml')}`]), /nope\.yaml: cannot read it \(ENOENT\)/);
    const sub = join(dir, 'a-dir');
    mkdirSync(sub);
    assert.throws(() => parse([`--config=${sub}`]), /not a regular file/);
    const big = file(`# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    assert.throws(() => parse([`--config=${big}`]), /larger than 1048576 bytes/);
  });

  it('bounds YAML aliases (no billion laughs)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    assert.throws(() => parse([`--config=${file(lines.join('\n'))}`]), /--config=.*: .*[Ee]xcessive alias count/);
  });

  it('through the CLI: exit 2, one line, a suggestion for a mistyped key, nothing runs', async () => {
    const marker = join(dir, 'ran');
    const f = file(`deployment: none\ntest-cmd: /bin/touch\ntest-cmd-args: [${marker}]\ntimout: 1m\n`);
    const r = await runInProcess([`--config=${f}`], { cwd: dir, env: { PATH: process.env['PATH'] } });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^kubetest: --config=.*: unknown key "timout": keys are flag names \(did you mean --timeout\?\)\n$/,
    );
    assert.equal(existsSync(marker), false);
    const ok = file(`deployment: none\ntest-cmd: /bin/touch\ntest-cmd-args: [${marker}]\n`);
    const r2 = await runInProcess([`--config=${ok}`], { cwd: dir, env: { PATH: process.env['PATH'] } });
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(existsSync(marker), true, 'the test command from the file ran');
  });

  it("a config file behind a symlink is read (it is the user's own file, not an archive member)", () => {
    const target = file('deployment: none\n');
    const link = join(dir, 'link.yaml');
    symlinkSync(target, link);
    assert.equal(parse([`--config=${link}`]).deployment, 'none');
  });
});
