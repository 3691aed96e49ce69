#!/usr/bin/env node
// The kubetest executable.
import { main } from './app.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Stray handles (HTTP keep-alive, SDK timers) must not keep a finished run alive.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e) => {
    process.stderr.write(`kubetest: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
