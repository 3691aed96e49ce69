import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { poll } from './poll.js';

describe('poll', () => {
  it('starts at firstIntervalMs and doubles the gap up to intervalMs', async () => {
    const at: number[] = [];
    const t0 = Date.now();
    await poll(async () => (at.push(Date.now() - t0), at.length === 6), {
      timeoutMs: 5000,
      firstIntervalMs: 10,
      intervalMs: 80,
      what: 'x',
    });
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // 10, 20, 40, 80, 80 (timers fire late, never early)
    for (const [i, want] of [10, 20, 40, 80, 80].entries()) {
      assert.ok(gaps[i]! >= want - 1 && gaps[i]! < want + 60, `gap ${i}: ${gaps[i]} ms, want ~${want}`);
    }
  });

  it('without firstIntervalMs keeps one gap; says what it last saw when time is up', async () => {
    let n = 0;
    await assert.rejects(
      poll(
        async () => {
          n++;
          throw new Error('connection refused');
        },
        { timeoutMs: 120, intervalMs: 50, what: 'etcd' },
      ),
      /etcd was not ready within 0s \(connection refused\)/,
    );
    assert.ok(n >= 2 && n <= 5, `${n} probes`);
  });

  it('stops early when the thing died', async () => {
    await assert.rejects(
      poll(async () => false, { timeoutMs: 5000, what: 'kube-apiserver', alive: () => false }),
      /kube-apiserver exited before it became ready/,
    );
  });
});
