// npm run bench [-- name...]: runs the side-by-side benchmarks in bench/ (compiled to dist/bench).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'dist', 'bench');
const wanted = process.argv.slice(2);
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .map((f) => f.replace('.bench.js', ''));
const run = wanted.length ? wanted : all.filter((n) => n !== 'build');
if (!wanted.length) console.error('(the cold build benchmark takes ~20 minutes: run it with `npm run bench -- build`)');
for (const name of run) {
  console.error(`\n== ${name}`);
  const r = spawnSync(process.execPath, [join(dir, `${name}.bench.js`)], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
