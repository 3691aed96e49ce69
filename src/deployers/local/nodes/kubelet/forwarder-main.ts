// The forwarder daemon (forwarder.ts): node forwarder-main.js <rule>...
import { serve } from './forwarder.js';

for (const rule of process.argv.slice(2)) serve(rule);
process.on('SIGTERM', () => process.exit(0));
