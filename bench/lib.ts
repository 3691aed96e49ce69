// Small timing helpers for side-by-side benchmarks.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

export function timeCommand(argv: string[], opts: SpawnSyncOptions = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status})`);
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Alternates the two commands so that machine noise hits both alike. */
export function sideBySide(a: string[], b: string[], runs: number, opts: SpawnSyncOptions = {}): { a: number[]; b: number[] } {
  const ta: number[] = [];
  const tb: number[] = [];
  timeCommand(a, opts);
  timeCommand(b, opts);
  for (let i = 0; i < runs; i++) {
    ta.push(timeCommand(a, opts));
    tb.push(timeCommand(b, opts));
  }
  return { a: ta, b: tb };
}

export function report(title: string, rows: Array<[string, string]>): void {
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(44)} ${v}`);
}
