// Small timing helpers for side-by-side benchmarks. Commands run asynchronously, so a server hosted in
// the benchmark process itself keeps serving while they run.
import { spawn, type SpawnOptions } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export function timeCommand(argv: string[], opts: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', ...opts });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${argv.join(' ')} failed (${code})`));
      else resolve(ms);
    });
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Alternates the two commands so that machine noise hits both alike. */
export async function sideBySide(
  a: string[],
  b: string[],
  runs: number,
  opts: SpawnOptions = {},
): Promise<{ a: number[]; b: number[] }> {
  const ta: number[] = [];
  const tb: number[] = [];
  await timeCommand(a, opts);
  await timeCommand(b, opts);
  for (let i = 0; i < runs; i++) {
    ta.push(await timeCommand(a, opts));
    tb.push(await timeCommand(b, opts));
  }
  return { a: ta, b: tb };
}

/** Prints a result table; under `npm run bench` (BENCH_RESULTS_FILE) also records it for bench/RESULTS.md. */
export function report(title: string, rows: Array<[string, string]>): void {
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(48)} ${v}`);
  const file = process.env['BENCH_RESULTS_FILE'];
  if (file) appendFileSync(file, `${JSON.stringify({ title, rows })}\n`);
}
