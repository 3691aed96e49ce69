// Reading ginkgo's junit: statuses, entities, suite nodes, bounds and hostile files.
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findE2eJunits, readE2eJunit, readE2eResults } from './e2e-junit.js';

const dir = mkdtempSync(join(tmpdir(), 'kubetest-e2e-junit-'));
const write = (name: string, body: string) => {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
};

const GINKGO = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="5" disabled="0" errors="0" failures="2" time="3.2">
  <testsuite name="Kubernetes e2e suite" package="/x" tests="5" skipped="1" failures="2" time="3.2">
    <testcase name="[SynchronizedBeforeSuite]" classname="Kubernetes e2e suite" status="passed" time="0.5"></testcase>
    <testcase name="[It] [sig-node] Containers should override the image&#39;s args (container cmd)"
      classname="Kubernetes e2e suite" status="failed" time="2.25">
      <failure message="" type="failed">[FAILED] Timed out &lt;pod&gt;&#xA;In [It] at: pods.go:578</failure>
      <system-err>&gt; Enter [It]&#xA;STEP: creating the pod&#xA;[FAILED] Timed out</system-err>
    </testcase>
    <testcase name="[It] [sig-cli] Kubectl panics" classname="Kubernetes e2e suite" status="panicked" time="0.1">
      <error message="runtime error" type="panicked">[PANICKED] nil map</error>
    </testcase>
    <testcase name="[It] [sig-api-machinery] passes" classname="Kubernetes e2e suite" status="passed" time="0.3">
    </testcase>
    <testcase name="[It] [sig-storage] skipped one" classname="Kubernetes e2e suite" status="skipped" time="0">
      <skipped message="skipped"></skipped>
    </testcase>
  </testsuite>
</testsuites>
`;

describe('e2e junit', () => {
  it('reads statuses, messages, logs and decodes entities', () => {
    const cases = readE2eJunit(write('junit_01.xml', GINKGO));
    assert.deepEqual(
      cases.map((c) => [c.name, c.status, c.seconds, c.suiteNode]),
      [
        ['[SynchronizedBeforeSuite]', 'passed', 0.5, true],
        ["[It] [sig-node] Containers should override the image's args (container cmd)", 'failed', 2.25, false],
        ['[It] [sig-cli] Kubectl panics', 'failed', 0.1, false],
        ['[It] [sig-api-machinery] passes', 'passed', 0.3, false],
        ['[It] [sig-storage] skipped one', 'skipped', 0, false],
      ],
    );
    assert.equal(cases[1]!.message, '[FAILED] Timed out <pod>\nIn [It] at: pods.go:578');
    assert.equal(cases[1]!.log, '> Enter [It]\nSTEP: creating the pod\n[FAILED] Timed out');
    assert.equal(cases[1]!.suite, 'Kubernetes e2e suite');
    assert.equal(cases[2]!.message, '[PANICKED] nil map');
    assert.equal(cases[3]!.message, undefined, 'passed specs carry no message');
  });

  it('reads a bare <testsuite> root too', () => {
    const f = write(
      'junit_bare.xml',
      '<testsuite name="s"><testcase name="[It] a" classname="s" time="1"/></testsuite>',
    );
    assert.deepEqual(
      readE2eJunit(f).map((c) => c.status),
      ['passed'],
    );
  });

  it('finds junit*.xml of this run only, never junit_runner.xml', () => {
    const sub = mkdtempSync(join(tmpdir(), 'kubetest-e2e-find-'));
    writeFileSync(join(sub, 'junit_runner.xml'), '<testsuite/>');
    writeFileSync(join(sub, 'junit_01.xml'), GINKGO);
    writeFileSync(join(sub, 'junit_old.xml'), GINKGO);
    writeFileSync(join(sub, 'report.xml'), GINKGO);
    utimesSync(join(sub, 'junit_old.xml'), new Date(1000), new Date(1000));
    assert.deepEqual(
      findE2eJunits(sub, Date.now() - 60_000).map((f) => f.slice(sub.length + 1)),
      ['junit_01.xml'],
    );
    assert.deepEqual(
      findE2eJunits(sub).map((f) => f.slice(sub.length + 1)),
      ['junit_old.xml', 'junit_01.xml'],
    );
    assert.deepEqual(findE2eJunits(join(sub, 'missing')), []);
  });

  it('reports a broken or hostile file as a problem and reads the others', () => {
    const sub = mkdtempSync(join(tmpdir(), 'kubetest-e2e-bad-'));
    writeFileSync(join(sub, 'junit_01.xml'), GINKGO);
    writeFileSync(join(sub, 'junit_02.xml'), '<testsuite><testcase name="x"');
    writeFileSync(
      join(sub, 'junit_03.xml'),
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><testsuite/>',
    );
    writeFileSync(join(sub, 'junit_04.xml'), '<html><body>not junit</body></html>');
    const r = readE2eResults(sub);
    assert.equal(r.files.length, 1);
    assert.equal(r.cases.length, 5);
    assert.deepEqual(
      r.problems.map((p) => p.split(':')[0]),
      ['junit_02.xml', 'junit_03.xml', 'junit_04.xml'],
    );
    assert.match(r.problems[1]!, /DOCTYPE \(refused: entity expansion\)/);
    assert.match(r.problems[2]!, /no <testsuite> in it/);
  });

  it('bounds what one failed spec keeps (message head, log tail)', () => {
    const big = 'x'.repeat(200_000);
    const f = write(
      'junit_big.xml',
      `<testsuite><testcase name="[It] big" classname="s" status="failed"><failure>${big}</failure>` +
        `<system-err>${big}END</system-err></testcase></testsuite>`,
    );
    const [c] = readE2eJunit(f);
    assert.ok(c!.message!.length < 9000 && c!.message!.includes('more characters'));
    assert.ok(c!.log!.length < 70_000 && c!.log!.endsWith('END'));
  });
});
