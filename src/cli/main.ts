#!/usr/bin/env node
// The kubetest executable.
import { main } from './app.js';

let finished = false;
// Should a bug ever leave the run waiting on nothing, Node would exit 0: never report success by accident.
process.exitCode = 70;
process.on('beforeExit', () => {
  if (!finished) {
    process.stderr.write(
      'kubetest: internal error: the run stopped before it finished (please report this); exit 70\n',
    );
    process.exit(70);
  }
});

main(process.argv.slice(2)).then(
  (code) => {
    finished = true;
    // Stray handles (HTTP keep-alive, SDK timers) must not keep a finished run alive; stderr to a pipe
    // or a file is written synchronously on Linux, so nothing is lost.
    process.exit(code);
  },
  (e) => {
    finished = true;
    process.stderr.write(`kubetest: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  },
);
