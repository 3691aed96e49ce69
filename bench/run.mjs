// npm run bench [-- name...]: runs the side-by-side benchmarks in bench/ (compiled to dist/bench) and rewrites
// the latest section of bench/RESULTS.md with their tables (BENCH_NO_WRITE=1: print only).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords, renderSection, withLatest } from '../dist/bench/results-md.js';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'dist', 'bench');
const wanted = process.argv.slice(2);
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .map((f) => f.replace('.bench.js', ''));
const long = ['build', 'conformance'];
const run = wanted.length ? wanted : all.filter((n) => !long.includes(n));
if (!wanted.length)
  console.error(
    '(not run by default: `npm run bench -- build` ~20 minutes cold, `npm run bench -- conformance` ~1 hour)',
  );
const recordFile = join(mkdtempSync(join(tmpdir(), 'kubetest-bench-results-')), 'records.jsonl');
writeFileSync(recordFile, '');
for (const name of run) {
  console.error(`\n== ${name}`);
  const r = spawnSync(process.execPath, [join(dir, `${name}.bench.js`)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS_FILE: recordFile },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!process.env['BENCH_NO_WRITE']) {
  const results = join(root, 'bench', 'RESULTS.md');
  writeFileSync(results, withLatest(readFileSync(results, 'utf8'), renderSection(readRecords(recordFile))));
  console.error(`\nbench/RESULTS.md: latest section rewritten (${run.join(', ')})`);
}
