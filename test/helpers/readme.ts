// The README's two commands, read from the README itself, so that the tests run what users copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'shell-quote';

const repo = new URL('../../..', import.meta.url).pathname;

/** The shell blocks under "## The two commands": [main job, test command]. */
export function readmeCommands(): [string, string] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const start = readme.indexOf('## The two commands');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)\n```/g)].map((m) => m[1]!.trim());
  if (blocks.length !== 2) throw new Error(`README "The two commands" has ${blocks.length} shell blocks, not 2`);
  return [blocks[0]!, blocks[1]!];
}

/** The words of a command line as sh splits them (operators such as && are dropped). */
export function shellWords(line: string): string[] {
  return parse(line).filter((w): w is string => typeof w === 'string');
}

/** The kubetest arguments of the README's main job (what follows `node dist/bin/kubetest.js`). */
export function readmeMainJobArgs(): string[] {
  const [main] = readmeCommands();
  const words = shellWords(main);
  const at = words.indexOf('dist/bin/kubetest.js');
  if (at < 0 || words[at - 1] !== 'node')
    throw new Error(`README main job does not run node dist/bin/kubetest.js: ${main}`);
  return words.slice(at + 1);
}
