import { formatGoDuration, parseGoDuration } from '../util/duration.js';
import { FLAGS, helpSections, type FlagDef } from './flags.js';

function typeLabel(f: FlagDef): string {
  switch (f.kind) {
    case 'bool':
      return '';
    case 'int':
      return ' int';
    case 'duration':
      return ' duration';
    case 'list':
      return ' value (repeatable)';
    default:
      return f.bare !== undefined ? `[=${f.bare}]` : ' string';
  }
}

function defaultLabel(f: FlagDef): string {
  if (f.kind === 'bool') return f.def === true ? ' (default true)' : '';
  if (f.kind === 'duration') {
    const ms = parseGoDuration(String(f.def ?? '0s'));
    return ms ? ` (default ${formatGoDuration(ms)})` : '';
  }
  if (f.def === undefined || f.def === '' || f.def === 0) return '';
  return ` (default ${JSON.stringify(f.def)})`;
}

const LIFECYCLE = 'build → stage → extract → up → test → dump → down';

export function helpText(): string {
  const out: string[] = [
    'Usage: kubetest [flags]',
    '',
    `Runs the Kubernetes e2e lifecycle: ${LIFECYCLE}, each step by flag,`,
    'under one --timeout. Flags use Go syntax: --flag=value, -flag value, --bool, --bool=false.',
    'Every flag also works with a single dash. Exit codes: 0 ok, 1 a step failed, 2 usage, 130/143 signals.',
    '',
  ];
  for (const [g, title] of helpSections()) {
    const flags = FLAGS.filter((f) => f.group === g && !f.hidden);
    if (flags.length === 0) continue;
    out.push(`${title}:`);
    for (const f of flags) {
      const head = `  --${f.name}${typeLabel(f)}`;
      const tail = `${f.help}${defaultLabel(f)}${f.env ? ` [$${f.env}]` : ''}${f.ours ? ' (new)' : ''}`;
      out.push(head.length < 34 ? `${head.padEnd(34)}${tail}` : `${head}\n${' '.repeat(34)}${tail}`);
    }
    out.push('');
  }
  return out.join('\n');
}
