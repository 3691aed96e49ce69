// Renders the tables `npm run bench` recorded (one JSON line per report) as the newest section of
// bench/RESULTS.md, between its markers, with the date, the machine and the tool versions.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return 'not installed';
  }
}

export interface BenchRecord {
  title: string;
  rows: Array<[string, string]>;
}

export function renderSection(records: BenchRecord[], now = new Date()): string {
  const cell = (s: string) => String(s).replace(/\|/g, '\\|');
  const lines = [
    START,
    `## Latest \`npm run bench\` — ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB,` +
      ` Linux ${release()}; Node ${process.version}; ${version('go', ['version'])}.` +
      ' Written by `npm run bench` (alternating A/B, medians, the ratio pair by pair); older sections below are history.',
    '',
  ];
  for (const r of records) {
    lines.push(`**${cell(r.title)}**`, '', '| | |', '|---|---|');
    for (const [k, v] of r.rows) lines.push(`| ${cell(k)} | ${cell(v)} |`);
    lines.push('');
  }
  lines.push(END);
  return lines.join('\n');
}

/** RESULTS.md with its latest section replaced (or put first, under the title, when it has none). */
export function withLatest(md: string, section: string): string {
  const a = md.indexOf(START);
  const b = md.indexOf(END);
  if (a >= 0 && b > a) return md.slice(0, a) + section + md.slice(b + END.length);
  const firstSection = md.indexOf('\n## ');
  if (firstSection < 0) return `${md.trimEnd()}\n\n${section}\n`;
  return `${md.slice(0, firstSection + 1)}${section}\n\n${md.slice(firstSection + 1)}`;
}

export function readRecords(file: string): BenchRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as BenchRecord);
}
