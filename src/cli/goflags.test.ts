import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expandEnv,
  parseGoArgs,
  parseGoBool,
  parseGoInt,
  UnknownFlagError,
  UsageError,
  type FlagShape,
} from './goflags.js';

const shapes: Record<string, FlagShape> = {
  up: 'bool',
  down: 'bool',
  timeout: 'value',
  extract: 'value',
  build: 'optional',
  test_args: 'value',
};
const parse = (...argv: string[]) => parseGoArgs(argv, (n) => shapes[n]);

describe('Go flag grammar', () => {
  const cases: Array<[string[], Array<[string, string | undefined]>, string[]]> = [
    [['--up'], [['up', undefined]], []],
    [['-up'], [['up', undefined]], []],
    [['--up=false'], [['up', 'false']], []],
    [['-up=0'], [['up', '0']], []],
    [['--timeout=320m'], [['timeout', '320m']], []],
    [['--timeout', '1h30m'], [['timeout', '1h30m']], []],
    [['-timeout', '90s'], [['timeout', '90s']], []],
    [
      ['--extract=v1.36.3', '--extract', 'ci/latest'],
      [
        ['extract', 'v1.36.3'],
        ['extract', 'ci/latest'],
      ],
      [],
    ],
    [['--build'], [['build', undefined]], []],
    [['--build=module'], [['build', 'module']], []],
    [['--build', 'quick'], [['build', undefined]], ['quick']],
    [['--up', 'false'], [['up', undefined]], ['false']],
    [['--test_args=--ginkgo.focus=a=b c'], [['test_args', '--ginkgo.focus=a=b c']], []],
    [['--test_args', '--ginkgo.focus=x'], [['test_args', '--ginkgo.focus=x']], []],
    [['--timeout='], [['timeout', '']], []],
    [['--up', '--', '--down'], [['up', undefined]], ['--down']],
    [['-'], [], ['-']],
  ];
  for (const [argv, flags, positional] of cases) {
    it(argv.join(' '), () => {
      const r = parse(...argv);
      assert.deepEqual(
        r.flags.map((f) => [f.name, f.value]),
        flags,
      );
      assert.deepEqual(r.positional, positional);
    });
  }

  it('unknown flags name the flag as written', () => {
    assert.throws(
      () => parse('--nope=1'),
      (e: unknown) => e instanceof UnknownFlagError && e.flag === 'nope' && e.token === '--nope=1',
    );
  });
  it('bad syntax and missing values are usage errors', () => {
    assert.throws(() => parse('---up'), UsageError);
    assert.throws(() => parse('--=x'), UsageError);
    assert.throws(() => parse('--timeout'), /flag needs an argument: --timeout/);
  });
});

describe('Go values', () => {
  it('strconv.ParseBool', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true);
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(f), false);
    for (const x of ['yes', 'y', '', 'tRue', '2']) assert.equal(parseGoBool(x), undefined);
  });
  it('strconv.ParseInt base 0', () => {
    assert.equal(parseGoInt('25'), 25);
    assert.equal(parseGoInt('-3'), -3);
    assert.equal(parseGoInt('0x1f'), 31);
    assert.equal(parseGoInt('0o17'), 15);
    assert.equal(parseGoInt('017'), 15);
    assert.equal(parseGoInt('0b101'), 5);
    assert.equal(parseGoInt('1_000'), 1000);
    assert.equal(parseGoInt('abc'), undefined);
    assert.equal(parseGoInt('1.5'), undefined);
    assert.equal(parseGoInt(''), undefined);
  });
  it('os.ExpandEnv', () => {
    const env = { A: 'x', B_C: 'y' };
    assert.equal(expandEnv('$A/${B_C}/$MISSING/end', env), 'x/y//end');
    assert.equal(expandEnv('gs://b/${A}', env), 'gs://b/x');
  });
});
