// Issue 22: what the command line does at its edges — plans without credentials (item 9), refused features
// (item 7), shell-quoted plans (item 6), GINKGO_PARALLEL (item 8), no arguments (item 11), and the kubectl
// checks that never fail on a version skew (item 1).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runInProcess } from '../../test/helpers/cli.js';
import { helpText } from './help.js';

const dir = mkdtempSync(join(tmpdir(), 'kubetest-app-'));

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await runInProcess(argv, { cwd: dir, env: { PATH: process.env['PATH'], HOME: dir, ...env } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const plan = async (argv: string[]) => {
  const r = await run([...argv, '--dry-run=json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as {
    steps: string[];
    lease: { type: string } | null;
    commands: { step: string; argv: string[] }[];
  };
};

describe('plans need no credentials and no lease (item 9)', () => {
  it('gke without --gcp-project: the Boskos lease of a gke-project comes first', async () => {
    const p = await plan(['--deployment=gke', '--provider=gke', '--cluster=c', '--gcp-zone=z', '--up', '--down']);
    assert.deepEqual(p.lease?.type, 'gke-project');
    assert.equal(p.steps[0], 'Boskos Acquire');
    assert.equal(p.steps.at(-1), 'Boskos Release');
    assert.ok(p.steps.includes('Up'));
    const create = p.commands.find((c) => c.step === 'Up')!.argv;
    assert.ok(create.includes('--project=<leased project>'), create.join(' '));
  });
  it('gce (bash) and kops on gce without --gcp-project; --gcp-project-type picks the type', async () => {
    assert.equal((await plan(['--provider=gce', '--up'])).lease?.type, 'gce-project');
    const k = await plan(['--deployment=kops', '--provider=gce', '--cluster=c', '--up', '--gcp-project-type=x']);
    assert.equal(k.lease?.type, 'x');
    assert.equal((await plan(['--provider=gce', '--gcp-project=p', '--up'])).lease, null);
  });
  it('--soak, --deployment=aksengine and --kops-publish are accepted as plans', async () => {
    assert.ok((await plan(['--soak', '--deployment=none', '--test'])).steps.includes('Test'));
    assert.ok((await plan(['--deployment=aksengine', '--up', '--down'])).steps.includes('Up'));
    const kops = [
      '--deployment=kops',
      '--cluster=c',
      '--kops-state=s3://b',
      '--kops-publish=gs://b/latest.txt',
      '--up',
    ];
    assert.ok((await plan(kops)).steps.includes('Up'));
  });
  it('but a run of them is refused in one line (exit 2)', async () => {
    for (const argv of [['--soak'], ['--deployment=aksengine', '--up']]) {
      const r = await run(argv);
      assert.equal(r.code, 2);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });
});

describe('--check-leaked-resources plans its listings where kubetest lists', () => {
  it('gcp: list-resources.sh Before, Up, Down, After, then the diff', async () => {
    const p = await plan(['--check-leaked-resources', '--provider=gce', '--gcp-project=p', '--up', '--down']);
    const at = (n: string) => p.steps.indexOf(n);
    assert.ok(at('TearDown Previous') < at('listResources Before') && at('listResources Before') < at('Up'));
    assert.ok(at('Up') < at('listResources Up') && at('listResources Down') < at('TearDown'));
    assert.ok(at('TearDown') < at('listResources After') && at('listResources After') < at('diffResources'));
    const lists = p.commands.filter((c) => c.step.startsWith('listResources')).map((c) => c.argv.join(' '));
    assert.deepEqual(new Set(lists), new Set(['./cluster/gce/list-resources.sh']));
  });
  it('--help describes both listers', () => {
    assert.match(helpText(), /--check-leaked-resources\s[^\n]*list-resources\.sh/);
  });
});

describe('Boskos flags are checked before anything runs', () => {
  it('a URL with credentials, a query or another scheme; a heartbeat or TTL under 1s: exit 2, one line', async () => {
    for (const [arg, msg] of [
      ['--boskos-url=http://user:pw@b:8080', /--boskos-url: want http\(s\)/],
      ['--boskos-url=ftp://b', /--boskos-url: want http\(s\)/],
      ['--boskos-url=http://b/?x=1', /--boskos-url: want http\(s\)/],
      ['--boskos-heartbeat=1ms', /--boskos-heartbeat must be 0 \(no heartbeat\) or at least 1s/],
      ['--boskos-heartbeat=-1s', /--boskos-heartbeat must be 0/],
      ['--boskos-lease-ttl=0', /--boskos-lease-ttl must be at least 1s/],
    ] as const) {
      const r = await run(['--provider=gce', '--up', arg, '--dry-run']);
      assert.equal(r.code, 2, arg);
      assert.match(r.err, msg);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
    assert.equal((await run(['--provider=gce', '--up', '--boskos-heartbeat=0', '--dry-run'])).code, 0);
  });
});

describe('--dry-run text quotes argv as a shell would (item 6)', () => {
  it('an argument with a space is one quoted word', async () => {
    const r = await run([
      '--deployment=none',
      '--test-cmd=/bin/echo',
      '--test-cmd-args=a',
      '--test-cmd-args=b c',
      "--test-cmd-args=it's",
      '--dry-run',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\$ \/bin\/echo a 'b c' 'it'\\''s'\n/);
  });
});

describe('GINKGO_PARALLEL=y (item 8)', () => {
  it('means 25 nodes, and children do not see it (kubetest unsets it)', async () => {
    const out = join(dir, 'env.txt');
    const r = await run(
      [
        '--deployment=none',
        '--test-cmd=/bin/sh',
        '--test-cmd-args=-c',
        `--test-cmd-args=echo "\${GINKGO_PARALLEL-unset} $GINKGO_PARALLEL_NODES" > ${out}`,
      ],
      { GINKGO_PARALLEL: 'Y' },
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(readFileSync(out, 'utf8'), 'unset 25\n');
  });
  it('GINKGO_PARALLEL=n is passed through untouched', async () => {
    const out = join(dir, 'env2.txt');
    await run(
      [
        '--deployment=none',
        '--test-cmd=/bin/sh',
        '--test-cmd-args=-c',
        `--test-cmd-args=echo "$GINKGO_PARALLEL" > ${out}`,
      ],
      {
        GINKGO_PARALLEL: 'n',
      },
    );
    assert.equal(readFileSync(out, 'utf8'), 'n\n');
  });
});

describe('no arguments (item 11)', () => {
  it('says nothing is selected, hints at --help and the main job, exits 0 as kubetest does', async () => {
    const r = await run([]);
    assert.equal(r.code, 0);
    assert.match(r.err, /no step selected/);
    assert.match(r.err, /kubetest --help/);
    assert.match(r.err, /--build=module --extract=local --deployment=local/);
  });
});

describe('kubectl checks never fail on a version skew (item 1)', () => {
  it('list nodes and kubectl version: --match-server-version=false; $KUBECTL keeps the skew check', async () => {
    const p = await plan(['--deployment=none', '--kubeconfig=/k', '--up', '--test', '--dump=/d']);
    const kubectl = p.commands.filter((c) => c.argv[0] === './cluster/kubectl.sh' || c.argv[0] === 'kubectl');
    assert.ok(kubectl.length >= 3);
    for (const c of kubectl) assert.equal(c.argv[1], '--match-server-version=false', c.argv.join(' '));
  });
});
