// e2e progress from ginkgo's output (issue 24, item 1): counts from the banner, the dots and the failure
// markers, whatever the chunking; a live line on a terminal, periodic lines otherwise.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { StepContext } from '../api/context.js';
import { finalLine, GinkgoProgress, progressLine, RecentPace, watchProgress } from './ginkgo-progress.js';

// ginkgo v2.28 as e2e.test v1.36.3 printed it in this repo's local-cluster run (spec blocks shortened).
const OUTPUT = `Conformance test: not doing test setup.
Running Suite: Kubernetes e2e suite - /tmp/exp1/kubernetes/platforms/linux/amd64
================================================================================
Random Seed: 1796428006 - will randomize all specs

Will run 4 of 7579 specs
SSSSSSSSSS•SSSSSSSS
------------------------------
• [FAILED] [2.078 seconds]
[sig-node] Pods [It] should support remote command execution over websockets [NodeConformance] [Conformance]
  [FAILED] Failed to open websocket to wss://127.0.0.1:35943/api/v1/namespaces/pods-2644/...
------------------------------
SSSS•SSSS•
------------------------------
• [PANICKED] [0.010 seconds]
[sig-cli] a spec that panicked
------------------------------
SSSS

Summarizing 2 Failures:
  [FAIL] [sig-node] Pods [It] should support remote command execution over websockets
  [PANICKED] [sig-cli] a spec that panicked

Ran 5 of 7579 Specs in 5.025 seconds
FAIL! -- 3 Passed | 2 Failed | 0 Pending | 7574 Skipped
`;

function feedInChunks(text: string, size: number): GinkgoProgress {
  const p = new GinkgoProgress();
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += size) p.feed(buf.subarray(i, i + size));
  return p;
}

describe('ginkgo progress', () => {
  it('counts the banner, finished specs and failures; "Ran X of Y" has the last word', () => {
    const p = new GinkgoProgress();
    const cut = OUTPUT.indexOf('SSSS•SSSS•');
    p.feed(OUTPUT.slice(0, cut));
    assert.deepEqual(p.snapshot, { planned: 4, suite: 7579, done: 2, failed: 1, finished: false });
    p.feed(OUTPUT.slice(cut));
    assert.deepEqual(p.snapshot, { planned: 4, suite: 7579, done: 5, failed: 2, finished: true });
  });

  it('does not depend on where the output is cut (multi-byte "•" split across chunks)', () => {
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      assert.deepEqual(feedInChunks(OUTPUT, size).snapshot, {
        planned: 4,
        suite: 7579,
        done: 5,
        failed: 2,
        finished: true,
      });
    }
  });

  it('takes the first banner of a parallel run, and ignores colours', () => {
    const p = new GinkgoProgress();
    p.feed('Running in parallel across 4 processes\nWill run 56 of 7579 specs\nWill run 56 of 7579 specs\n');
    p.feed('\x1b[38;5;10m•\x1b[0m\x1b[38;5;9m• [FAILED]\x1b[0m [1 seconds]\n');
    assert.deepEqual(p.snapshot, { planned: 56, suite: 7579, done: 2, failed: 1, finished: false });
  });

  it('counts the dots of a parallel run, which share one line until the suite ends', () => {
    const p = new GinkgoProgress();
    p.feed('Will run 446 of 7579 specs\nRunning in parallel across 6 processes\n\x1b[38;5;10m•\x1b[0m••');
    assert.equal(p.snapshot.done, 3);
    p.feed('•\n\nRan 4 of 7579 Specs in 9.1 seconds\n');
    assert.deepEqual(p.snapshot, { planned: 446, suite: 7579, done: 4, failed: 0, finished: true });
  });

  it('keeps the pace of the last minutes: nothing before a minute of samples, then the window', () => {
    const pace = new RecentPace(5 * 60_000);
    assert.equal(pace.add(0, 0), undefined);
    assert.equal(pace.add(30_000, 10), undefined);
    assert.deepEqual(pace.add(60_000, 20), { specs: 20, ms: 60_000 });
    for (let t = 90_000; t <= 600_000; t += 30_000) pace.add(t, 20 + Math.floor(t / 60_000));
    assert.deepEqual(pace.add(630_000, 31), { specs: 31 - (20 + 5), ms: 630_000 - 330_000 });
  });

  it('formats a progress line with an estimate, and the final line', () => {
    assert.equal(progressLine(new GinkgoProgress().snapshot, 4000), 'e2e starting (4.0s)');
    const c = { planned: 56, suite: 7579, done: 37, failed: 1, finished: false };
    assert.equal(progressLine(c, 74_000), '37/56 specs, 1 failed, ~38.0s left');
    assert.equal(progressLine({ ...c, done: 2 }, 4000), '2/56 specs, 1 failed', 'no estimate from 2 specs');
    // 416 of 446 in 17 minutes, then 2 specs in the last 5: the [Serial] tail is estimated at its own pace.
    const serial = { planned: 446, suite: 7579, done: 430, failed: 2, finished: false };
    assert.equal(
      progressLine(serial, 20 * 60_000, { specs: 2, ms: 5 * 60_000 }),
      '430/446 specs, 2 failed, ~40m0s left',
    );
    assert.equal(
      progressLine(serial, 20 * 60_000, { specs: 0, ms: 5 * 60_000 }),
      '430/446 specs, 2 failed, ~45.0s left',
    );
    assert.equal(
      finalLine({ ...c, done: 56, finished: true }, 123_000),
      'e2e: ran 56 of 7579 specs, 1 failed, in 2m3s',
    );
  });
});

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

function fakeStep(): { sc: StepContext; stream: Capture; lines: string[] } {
  const stream = new Capture();
  const lines: string[] = [];
  const sc = {
    stepName: 'Test',
    logger: { info: () => undefined, warn: () => undefined, stream },
    log: (m: string) => lines.push(m),
  } as unknown as StepContext;
  return { sc, stream, lines };
}

describe('progress while e2e runs', () => {
  it('without a terminal: a line every interval, then the final counts', async () => {
    const { sc, stream, lines } = fakeStep();
    const w = watchProgress(sc, { tty: false, everyMs: 100, streamed: true });
    w.feed(Buffer.from('Will run 3 of 10 specs\n•\n'));
    await new Promise((r) => setTimeout(r, 250));
    w.feed(Buffer.from('• [FAILED] [1 seconds]\n'));
    w.stop();
    assert.ok(lines.length >= 3, lines.join('\n'));
    assert.equal(lines[0], '1/3 specs, 0 failed');
    assert.match(lines[lines.length - 1]!, /^e2e: ran 2 of 10 specs, 1 failed, in \d+ms$/);
    assert.equal(stream.text, '', 'no terminal control characters');
  });

  it('on a terminal: a live line, cleared before streamed child output and at the end', async () => {
    const { sc, stream, lines } = fakeStep();
    const w = watchProgress(sc, { tty: true, everyMs: 30_000, streamed: true });
    w.feed(Buffer.from('Will run 3 of 10 specs\n•\n'));
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(stream.text, '\r\x1b[2K[Test] 1/3 specs, 0 failed');
    w.feed(Buffer.from('partial line without newline'));
    assert.equal(stream.text.endsWith('\r\x1b[2K'), true, 'cleared before the child output');
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((stream.text.match(/\[Test\]/g) ?? []).length, 1, 'not drawn in the middle of a child line');
    w.stop();
    assert.deepEqual(lines.length, 1);
    assert.match(lines[0]!, /^e2e: ran 1 of 10 specs, 0 failed/);
  });
});
