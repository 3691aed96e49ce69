// Bad input: exit 2, exactly one line on stderr, nothing on stdout, nothing created (real child processes).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BASE_ENV, runChild } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const cases: Array<[string, string[], RegExp]> = [
  [
    'unknown flag, with the closest known flag',
    ['--timout=5m'],
    /^kubetest: unknown flag: --timout \(did you mean --timeout\?\)$/,
  ],
  [
    'unknown flag with underscore/dash confusion',
    ['--test-args=--ginkgo.focus=x'],
    /^kubetest: unknown flag: --test-args \(did you mean --test_args\?\)$/,
  ],
  ['bad duration', ['--timeout=abc'], /^kubetest: invalid value "abc" for --timeout: time: invalid duration "abc"/],
  ['duration without unit', ['--timeout=90'], /missing unit in duration "90"/],
  ['bad bool', ['--up=maybe'], /^kubetest: invalid value "maybe" for --up: want true or false$/],
  [
    '3x --extract',
    ['--extract=v1.36.3', '--extract=v1.35.4', '--extract=ci/latest'],
    /^kubetest: --extract given 3 times: at most 2/,
  ],
  [
    'unknown extraction strategy',
    ['--extract=latest'],
    /^kubetest: invalid value "latest" for --extract: unknown extraction strategy/,
  ],
  ['--extract-source without --extract', ['--extract-source'], /^kubetest: --extract-source needs --extract$/],
  [
    '--image-family without --image-project',
    ['--image-family=cos-121-lts'],
    /^kubetest: --image-family and --image-project go together/,
  ],
  ['positional argument', ['--up', 'now'], /^kubetest: unexpected argument "now": --up takes its value only after "="/],
  [
    'bare-form flag followed by a value',
    ['--build', 'quick'],
    /^kubetest: unexpected argument "quick": --build takes its value only after "=", as in --build=quick$/,
  ],
  ['stray word', ['foo'], /^kubetest: unexpected argument "foo": kubetest takes only flags/],
  ['bad --build', ['--build=fast'], /^kubetest: invalid value "fast" for --build: want one of quick, release/],
  [
    'bad --stage',
    ['--stage=gs://bucket/prod'],
    /^kubetest: invalid value "gs:\/\/bucket\/prod" for --stage: want gs:\/\/BUCKET\/ci/,
  ],
  ['--ginkgo-parallel=0', ['--ginkgo-parallel=0'], /^kubetest: invalid value "0" for --ginkgo-parallel: must be >= 1$/],
  ['--ginkgo-parallel=abc', ['--ginkgo-parallel=abc'], /want an integer/],
  ['unknown deployment', ['--deployment=magic'], /^kubetest: invalid value "magic" for --deployment: want one of bash/],
  [
    'bad --build-version',
    ['--build=module', '--build-version=1.36'],
    /^kubetest: invalid value "1.36" for --build-version/,
  ],
  ['missing value at the end', ['--timeout'], /^kubetest: flag needs an argument: --timeout$/],
  ['gke without --cluster', ['--deployment=gke', '--up'], /^kubetest: --deployment=gke needs --cluster$/],
  ['bad --dry-run', ['--dry-run=yaml'], /^kubetest: invalid value "yaml" for --dry-run: want text or json$/],
  ['bad --local-nodes', ['--deployment=local', '--local-nodes=0'], /^kubetest: --local-nodes must be at least 1$/],
  [
    'too many --local-nodes',
    ['--deployment=local', '--local-nodes=100000'],
    /^kubetest: --local-nodes=100000: at most 1000 kwok nodes on one machine$/,
  ],
  [
    'too many ginkgo nodes',
    ['--ginkgo-parallel=100000'],
    /^kubetest: invalid value "100000" for --ginkgo-parallel: at most 256 ginkgo nodes$/,
  ],
  [
    'bad --local-apiserver-port',
    ['--deployment=local', '--local-apiserver-port=70000'],
    /^kubetest: --local-apiserver-port=70000: want a port number \(0: any\)$/,
  ],
];

describe('bad input', () => {
  for (const [name, argv, re] of cases) {
    it(name, async () => {
      const dir = tempDir('bad');
      const r = await runChild(['--dump=out', ...argv], {
        cwd: dir,
        env: { ...BASE_ENV, ARTIFACTS: join(dir, 'artifacts') },
      }).done;
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, `one line expected:\n${r.stderr}`);
      assert.match(lines[0]!, re);
      assert.deepEqual(readdirSync(dir), [], 'nothing may be created');
    });
  }
});
