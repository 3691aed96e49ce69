// A run with a fake deployer and no signal handlers, for engine tests that need no real process.
import { Writable } from 'node:stream';
import type { Deployer } from '../../src/api/deployer.js';
import { parseCommandLine } from '../../src/cli/config.js';
import { createRunContext, type RunContext } from '../../src/run/context.js';
import { RunControl } from '../../src/run/control.js';
import { stderrLogger } from '../../src/run/logger.js';
import { tempDir } from './tmp.js';

export const fakeDeployer = (): Deployer => ({
  name: 'fake',
  up: async () => undefined,
  isUp: async () => undefined,
  dumpClusterLogs: async () => undefined,
  testSetup: async () => undefined,
  down: async () => undefined,
});

export interface FakeRun {
  ctx: RunContext;
  control: RunControl;
  dump: string;
  log: string[];
}

export function fakeRun(args: string[] = [], o: { cleanupGraceMs?: number } = {}): FakeRun {
  const dir = tempDir('engine');
  const dump = `${dir}/artifacts`;
  const cfg = parseCommandLine(['--deployment=none', `--dump=${dump}`, ...args], { env: {}, cwd: dir });
  const control = new RunControl({ timeoutMs: 0, cleanupGraceMs: o.cleanupGraceMs ?? 5000, signals: [] });
  const log: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      log.push(String(chunk));
      cb();
    },
  });
  const ctx = createRunContext(cfg, control, stderrLogger(sink), fakeDeployer(), {});
  return { ctx, control, dump, log };
}
