#!/usr/bin/env node
// The kubetest executable.
import { main } from './app.js';

let finished = false;
// Should a bug ever leave the run waiting on nothing, Node would exit 0: never report success by accident.
process.exitCode = 70;
process.on('beforeExit', () => {
  if (!finished) {
    process.stderr.write('kubetest: internal error: the run stopped before it finished (please report this); exit 70\n');
    process.exit(70);
  }
});

main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    process.exitCode = code;
    // Stray handles (HTTP keep-alive, SDK timers) must not keep a finished run alive.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e) => {
    finished = true;
    process.stderr.write(`kubetest: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
