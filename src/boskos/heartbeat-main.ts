// The detached heartbeat (heartbeat.ts): node heartbeat-main.js '<DetachedHeartbeatSpec as JSON>'.
// Beats until the run state no longer names this lease and this process (a later --down took over), until
// Boskos refuses a beat (written to the status file), or until the spec's deadline (then it releases the
// lease dirty itself: a lease nobody came back for must not be held for ever). SIGTERM: exit, no release.
import { existsSync } from 'node:fs';
import { readRunState } from '../run/runstate.js';
import { writeFileAtomic } from '../util/atomic.js';
import { sleep } from '../util/sleep.js';
import { BoskosClient, LeaseLostError } from './client.js';
import { parseHeartbeatSpec } from './heartbeat.js';

const spec = parseHeartbeatSpec(process.argv[2]);
const client = new BoskosClient({ url: spec.url, owner: spec.owner });
const say = (m: string) => process.stdout.write(`${new Date().toISOString()} ${m}\n`);
const runDir = spec.stateFile.replace(/\/kubetest-run\.json$/, '');

function stillOurs(): boolean {
  if (!existsSync(spec.stateFile)) return false;
  try {
    const s = readRunState(runDir);
    return s?.lease.name === spec.name && s.heartbeat?.pid === process.pid;
  } catch {
    return false;
  }
}

process.on('SIGTERM', () => {
  say('SIGTERM: stopping (the invocation that stopped us releases the lease)');
  process.exit(0);
});

// A function, not top-level await: the bundle is CommonJS (hack/bundle.mjs). A rejection still ends the process.
async function hold(): Promise<void> {
  for (;;) {
    await sleep(Math.min(spec.intervalMs, Math.max(0, spec.untilMs - Date.now())));
    if (!stillOurs()) {
      say('the run state no longer names this heartbeat: stopping');
      break;
    }
    if (Date.now() >= spec.untilMs) {
      say(`nobody took the lease back by ${new Date(spec.untilMs).toISOString()}: releasing ${spec.name} dirty`);
      await client.release(spec.name, 'dirty').catch((e: Error) => say(`release failed: ${e.message}`));
      writeFileAtomic(spec.statusFile, JSON.stringify({ releasedAtMs: Date.now(), message: 'lease TTL reached' }));
      break;
    }
    try {
      await client.update(spec.name, 'busy');
    } catch (e) {
      if (e instanceof LeaseLostError) {
        say(e.message);
        writeFileAtomic(spec.statusFile, JSON.stringify({ lostAtMs: Date.now(), message: e.message }));
        break;
      }
      say(`beat failed (will retry): ${(e as Error).message}`);
    }
  }
}

say(`holding ${spec.name} for ${spec.owner} at ${spec.url}, every ${spec.intervalMs} ms`);
void hold();
