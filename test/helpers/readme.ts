// The README's two commands, read from the README itself, so that the tests run what users copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('../../..', import.meta.url).pathname;

/** The shell blocks under "## The two commands": [main job, test command]. */
export function readmeCommands(): [string, string] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The two commands'), readme.indexOf('\n## ', readme.indexOf('## The two commands') + 5));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)\n```/g)].map((m) => m[1]!.trim());
  if (blocks.length !== 2) throw new Error(`README "The two commands" has ${blocks.length} shell blocks, not 2`);
  return [blocks[0]!, blocks[1]!];
}

/** Splits a command line the way sh does for the quoting the README uses ('…', "…", \x). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && /["\\$`]/.test(line[j + 1] ?? '')) j++;
        cur += line[j];
      }
      if (j >= line.length) throw new Error(`unterminated " in: ${line}`);
      i = j;
      inWord = true;
    } else if (c === '\\') {
      cur += line[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out;
}

/** The kubetest arguments of the README's main job (what follows `node dist/src/cli/main.js`). */
export function readmeMainJobArgs(): string[] {
  const [main] = readmeCommands();
  const words = shellWords(main);
  const at = words.indexOf('dist/src/cli/main.js');
  if (at < 0 || words[at - 1] !== 'node') throw new Error(`README main job does not run node dist/src/cli/main.js: ${main}`);
  return words.slice(at + 1);
}
