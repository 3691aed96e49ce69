// The engine with fake steps: order, abort on failure, cleanup after an interrupt, the contingency teardown,
// junit after every step, outputs merged (and never written by a step), final steps after terminate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CommandError, StepFailure } from '../../src/process/errors.js';
import { executePlan } from '../../src/run/engine.js';
import type { Step } from '../../src/run/step.js';
import { fakeRun } from '../helpers/fake-run.js';

const step = (id: string, run: Step['run'] = async () => undefined, extra: Partial<Step> = {}): Step => ({
  id,
  name: id,
  run,
  ...extra,
});
const fail = async () => {
  throw new Error('boom');
};

describe('engine', () => {
  it('runs steps in order and exits 0 when all pass', async () => {
    const { ctx, control } = fakeRun();
    const seen: string[] = [];
    const r = await executePlan(
      ctx,
      ['a', 'b', 'c'].map((id) => step(id, async () => void seen.push(id))),
    );
    control.dispose();
    assert.deepEqual(seen, ['a', 'b', 'c']);
    assert.equal(r.exitCode, 0);
    assert.deepEqual(
      r.cases.map((c) => [c.name, c.failure]),
      [
        ['a', undefined],
        ['b', undefined],
        ['c', undefined],
      ],
    );
  });

  it('an abortOnFailure step skips later ordinary steps, but cleanup steps run', async () => {
    const { ctx, control } = fakeRun();
    const seen: string[] = [];
    const r = await executePlan(ctx, [
      step('up', fail, { abortOnFailure: true }),
      step('test', async () => void seen.push('test')),
      step('down', async () => void seen.push('down'), { cleanup: true }),
    ]);
    control.dispose();
    assert.deepEqual(seen, ['down']);
    assert.equal(r.exitCode, 1);
    assert.equal(r.cases.find((c) => c.name === 'up')?.failure, 'boom');
  });

  it('after an interrupt only cleanup steps run; the rest are reported skipped', async () => {
    const { ctx, control } = fakeRun();
    const seen: string[] = [];
    const r = await executePlan(ctx, [
      step('test', async (sc) => {
        control.interrupt('SIGINT');
        assert.ok(sc.signal.aborted, 'the step signal aborts at the interrupt');
      }),
      step('post', async () => void seen.push('post')),
      step('dump', async () => void seen.push('dump'), { cleanup: true }),
    ]);
    control.dispose();
    assert.deepEqual(seen, ['dump']);
    assert.equal(r.exitCode, 130);
    assert.match(r.cases.find((c) => c.name === 'post')?.skipped ?? '', /interrupted \(SIGINT\)/);
    assert.ok(r.cases.find((c) => c.name === 'test')?.failure);
  });

  it("a failure's log tail is shown once: a daemon's always, a command's only when it was not streamed", async () => {
    for (const verbose of [true, false]) {
      const { ctx, control, log } = fakeRun([`--verbose-commands=${verbose}`]);
      const cmd = { argv: ['x'], exitCode: 1, signal: null, interrupted: false, terminated: false, timedOut: false };
      await executePlan(ctx, [
        step('up', async () => {
          throw new StepFailure('kube-apiserver exited before it became ready', 'bind: address already in use');
        }),
        step('test', async () => {
          throw new CommandError({ ...cmd, tail: 'e2e said this' });
        }),
      ]);
      control.dispose();
      const text = log.join('');
      assert.match(text, /bind: address already in use/, `verbose=${verbose}`);
      assert.equal(/e2e said this/.test(text), !verbose, `verbose=${verbose}`);
    }
  });

  it('the contingency teardown runs only when TearDown failed', async () => {
    for (const teardownFails of [false, true]) {
      const { ctx, control } = fakeRun();
      let retried = 0;
      await executePlan(ctx, [
        step('teardown', teardownFails ? fail : async () => undefined, { cleanup: true }),
        step('deferred', async () => void retried++, {
          cleanup: true,
          contingency: true,
          when: (s) => s.results.get('teardown')?.status === 'failed',
        }),
      ]);
      control.dispose();
      assert.equal(retried, teardownFails ? 1 : 0);
    }
  });

  it('junit_runner.xml is written after every step', async () => {
    const { ctx, control, dump } = fakeRun();
    let seenByB = '';
    await executePlan(ctx, [
      step('a'),
      step('b', async () => {
        seenByB = readFileSync(join(dump, 'junit_runner.xml'), 'utf8');
      }),
    ]);
    control.dispose();
    assert.match(seenByB, /<testcase[^>]*name="a"/);
    assert.doesNotMatch(seenByB, /name="b"/);
  });

  it('merges what steps return; a step cannot write into the run', async () => {
    const { ctx, control } = fakeRun();
    let seen: string | undefined;
    let writeError: unknown;
    await executePlan(ctx, [
      step('a', async () => ({ env: { FOO: 'x' }, kubeconfig: '/k/config' })),
      step('b', async (sc) => {
        seen = `${sc.env['FOO']} ${sc.env['KUBECONFIG']}`;
        try {
          (sc.env as NodeJS.ProcessEnv)['BAR'] = 'y';
        } catch (e) {
          writeError = e;
        }
      }),
    ]);
    control.dispose();
    assert.equal(seen, 'x /k/config');
    assert.ok(writeError instanceof TypeError, 'the env a step sees is frozen');
    assert.equal(ctx.env['BAR'], undefined);
  });

  it('a final step runs even after kubetest was terminated', async () => {
    const { ctx, control } = fakeRun();
    const seen: string[] = [];
    const r = await executePlan(ctx, [
      step('test', async () => control.terminate()),
      step('down', async () => void seen.push('down'), { cleanup: true }),
      step('finish', async (sc) => void seen.push(`finish aborted=${sc.signal.aborted}`), {
        cleanup: true,
        final: 'always',
      }),
    ]);
    control.dispose();
    assert.deepEqual(seen, ['finish aborted=false']);
    assert.match(r.cases.find((c) => c.name === 'down')?.skipped ?? '', /terminated/);
  });

  it("TearDown ('unless-killed') runs after the grace ran out, not after a second signal", async () => {
    for (const by of ['grace', 'signal'] as const) {
      const { ctx, control } = fakeRun();
      const seen: string[] = [];
      await executePlan(ctx, [
        step('dump', async () => control.terminate(by), { cleanup: true }),
        step('teardown', async () => void seen.push('teardown'), { cleanup: true, final: 'unless-killed' }),
      ]);
      control.dispose();
      assert.deepEqual(seen, by === 'grace' ? ['teardown'] : [], by);
    }
  });
});
