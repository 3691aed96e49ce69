// --rerun-failed (issue 26, item 5): a focus built from the exact names of the failed specs. RE2 and
// JavaScript agree on what an escaped metacharacter and (?:…) mean, so a JavaScript RegExp checks here that
// the focus matches each failed spec's text and nothing near it; the integration test runs it through
// upstream e2e.test itself.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInProcess } from '../../test/helpers/cli.js';
import type { SpecResult } from '../report/e2e-junit.js';
import { focusFor, quoteMeta, specText, withoutFocus } from './rerun.js';

const SUITE = 'Kubernetes e2e suite';
const NAMES = [
  '[It] [sig-node] Probing container should *not* be restarted with a /healthz http liveness probe [Conformance]',
  "[It] [sig-node] Containers should be able to override the image's default arguments (container cmd) [Conformance]",
  '[It] [sig-auth] mount trust bundles by signer+labels should start if it matches nothing + optional=true',
  '[It] [sig-cli] a|b pipes in a name, a \\s that is no whitespace class, $HOME, ^caret, {1,2} and a.dot?',
];
const spec = (name: string, suite = SUITE): SpecResult => ({
  name,
  suite,
  status: 'failed',
  seconds: 1,
  suiteNode: false,
  file: 'junit_01.xml',
});

describe('rerun-failed focus', () => {
  it('quotes every RE2 metacharacter as Go regexp.QuoteMeta does', () => {
    assert.equal(quoteMeta('[a](b)|c\\s.*+?{1}^$'), '\\[a\\]\\(b\\)\\|c\\\\s\\.\\*\\+\\?\\{1\\}\\^\\$');
    assert.equal(quoteMeta('plain text - with: punctuation, #1'), 'plain text - with: punctuation, #1');
  });

  it('matches exactly the failed specs as ginkgo sees them ("<suite> <text>")', () => {
    const re = new RegExp(focusFor(NAMES.map((n) => spec(n))));
    for (const n of NAMES) assert.ok(re.test(`${SUITE} ${specText(n)}`), n);
    for (const n of NAMES) {
      const text = specText(n);
      assert.equal(re.test(`${SUITE} ${text} [Serial]`), false, 'a longer name is another spec');
      assert.equal(re.test(`${SUITE} ${text.slice(1)}`), false, 'a shorter name is another spec');
      assert.equal(re.test(`Other suite ${text}`), false, 'the same text in another suite');
      assert.equal(re.test(`${SUITE} ${text.replace(/ /, '  ')}`), false);
    }
    assert.equal(re.test(`${SUITE} [sig-cli] a`), false, 'a "|" in a name is not an alternation');
  });

  it('drops the [It] prefix of the junit name only', () => {
    assert.equal(specText('[It] [sig-node] x'), '[sig-node] x');
    assert.equal(specText('[sig-node] x'), '[sig-node] x');
  });

  it('groups by suite; one entry per text', () => {
    const f = focusFor([spec('[It] a'), spec('[It] a'), spec('[It] b', 'Suite 2')]);
    assert.equal(f, '^(?:Kubernetes e2e suite (?:a)|Suite 2 (?:b))$');
  });

  it('replaces the focus of --test_args and keeps the rest', () => {
    assert.deepEqual(
      withoutFocus([
        '--ginkgo.focus=x',
        '-ginkgo.focus',
        'y',
        '--ginkgo.skip=\\[Serial\\]',
        '--ginkgo.focus',
        'z',
        '-v',
      ]),
      ['--ginkgo.skip=\\[Serial\\]', '-v'],
    );
  });
});

describe('--rerun-failed on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubetest-rerun-'));
  const junit = (file: string, cases: string) =>
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<testsuites><testsuite name="${SUITE}">${cases}</testsuite></testsuites>\n`,
    );
  const tc = (name: string, body = '', status = 'passed') =>
    `<testcase name="${name}" classname="${SUITE}" status="${status}" time="1">${body}</testcase>`;
  const run = (argv: string[]) =>
    runInProcess(['--deployment=local', '--test', '--dry-run=json', ...argv], {
      cwd: dir,
      env: { PATH: process.env['PATH'] },
    });
  const focusOf = (stdout: string) => {
    const plan = JSON.stringify(JSON.parse(stdout));
    return [...plan.matchAll(/--ginkgo\.focus=((?:[^"\\]|\\.)*)/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  };

  it('reads an artifacts dir (not junit_runner.xml, not old runs of the same dir) and sets the focus', async () => {
    const art = join(dir, 'art');
    mkdirSync(art);
    junit(
      join(art, 'junit_01.xml'),
      tc('[SynchronizedBeforeSuite]') +
        tc('[It] [sig-node] a (b) [Conformance]', '<failure message="x" type="failed">boom</failure>', 'failed') +
        tc('[It] [sig-node] passed one') +
        tc('[It] [sig-x] skipped', '<skipped message="skipped"></skipped>', 'skipped'),
    );
    writeFileSync(
      join(art, 'junit_runner.xml'),
      '<testsuite name="kubetest"><testcase name="Test"><failure/></testcase></testsuite>',
    );
    const r = await run([`--rerun-failed=${art}`, '--test_args=--ginkgo.focus=old --ginkgo.skip=\\[Serial\\]']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(focusOf(r.stdout), ['^(?:Kubernetes e2e suite (?:\\[sig-node\\] a \\(b\\) \\[Conformance\\]))$']);
    assert.match(r.stdout, /--ginkgo\.skip=\\\\\[Serial\\\\\]/);
    assert.match(r.stderr, /--rerun-failed: 1 failed spec\(s\) from .*junit_01\.xml/);
  });

  it('reads a junit file given directly, whatever its age', async () => {
    const f = join(dir, 'old-junit.xml');
    junit(f, tc('[It] x', '<error message="panic">p</error>', 'panicked'));
    utimesSync(f, new Date(0), new Date(0));
    const r = await run([`--rerun-failed=${f}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(focusOf(r.stdout), ['^(?:Kubernetes e2e suite (?:x))$']);
  });

  const bad: Array<[string, () => string, RegExp]> = [
    ['a missing path', () => join(dir, 'nope'), /nope: no such file or directory\n$/],
    ['a dir without e2e junit', () => mkdtempSync(join(dir, 'empty-')), /no junit\*\.xml from e2e in it/],
    [
      'a junit without failures',
      () => {
        const f = join(dir, 'green.xml');
        junit(f, tc('[It] a') + tc('[It] b'));
        return f;
      },
      /nothing to rerun: no spec failed there\n$/,
    ],
    [
      'a junit where only the BeforeSuite failed',
      () => {
        const f = join(dir, 'before.xml');
        junit(
          f,
          tc('[SynchronizedBeforeSuite]', '<failure message="x">y</failure>', 'failed') + tc('[It] a', '', 'skipped'),
        );
        return f;
      },
      /only \[SynchronizedBeforeSuite\] failed there, which fails every spec/,
    ],
    [
      'a file that is not XML',
      () => {
        const f = join(dir, 'junit_garbage.xml');
        writeFileSync(f, '<<<not xml');
        return f;
      },
      /junit_garbage\.xml: (not XML|no <testsuite> in it)/,
    ],
    [
      'a junit with a DOCTYPE',
      () => {
        const f = join(dir, 'laughs.xml');
        writeFileSync(
          f,
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><testsuite><testcase name="&a;"/></testsuite>',
        );
        return f;
      },
      /has a DOCTYPE \(refused: entity expansion\)/,
    ],
  ];
  for (const [what, make, re] of bad) {
    it(`refuses ${what}: one line, exit 2`, async () => {
      const r = await run([`--rerun-failed=${make()}`]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  it('needs --test', async () => {
    const r = await runInProcess(['--deployment=local', '--dry-run', `--rerun-failed=${dir}`], { cwd: dir, env: {} });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'kubetest: --rerun-failed needs --test\n');
  });
});
