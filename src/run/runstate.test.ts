import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readRunState, removeRunState, runStateFile, writeRunState, type RunState } from './runstate.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kubetest-runstate-'));
const good: RunState = {
  version: 1,
  lease: { url: 'http://b', owner: 'job', name: 'p', type: 'gce-project', acquiredAtMs: 1 },
  heartbeat: { pid: 10, startTime: 5, logFile: '/x/log', statusFile: '/x/status', untilMs: 9 },
};

describe('run state', () => {
  it('round-trips, is private (0600), and is gone after remove', async () => {
    const d = dir();
    assert.equal(readRunState(d), undefined);
    writeRunState(d, good);
    assert.deepEqual(readRunState(d), good);
    const { statSync } = await import('node:fs');
    assert.equal(statSync(runStateFile(d)).mode & 0o777, 0o600);
    removeRunState(d);
    assert.equal(readRunState(d), undefined);
  });

  it('a hostile or broken file is an error naming it, never "no lease"', () => {
    for (const [body, why] of [
      ['{', /not valid JSON/],
      ['[]', /no lease/],
      ['{"version":2}', /unknown version/],
      [JSON.stringify({ ...good, lease: { ...good.lease, name: '' } }), /lease.name missing/],
      [JSON.stringify({ ...good, heartbeat: { ...good.heartbeat, pid: -1 } }), /heartbeat.pid missing/],
      ['x'.repeat(70_000), /larger than 64 KiB/],
    ] as const) {
      const d = dir();
      writeFileSync(runStateFile(d), body);
      assert.throws(
        () => readRunState(d),
        (e: Error) => why.test(e.message) && e.message.includes(runStateFile(d)),
      );
    }
  });
});
