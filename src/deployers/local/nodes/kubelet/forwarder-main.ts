// The forwarder daemon (forwarder.ts): node forwarder-main.js <rule>...; the rule
// registry:<ip>:<port>=<index.json> serves the run's images there (images/registry.ts).
import { serve } from './forwarder.js';
import { serveRegistry } from './images/registry.js';

for (const rule of process.argv.slice(2)) {
  const r = /^registry:([\d.]+):(\d+)=(.+)$/.exec(rule);
  if (r) serveRegistry(r[1]!, Number(r[2]), r[3]!);
  else serve(rule);
}
process.on('SIGTERM', () => process.exit(0));
