// The README's flag table, generated from the flag definitions (a test keeps README in step).
import { formatGoDuration, parseGoDuration } from '../util/duration.js';
import { FLAGS, helpSections } from './flags.js';

export function flagTableMarkdown(): string {
  const out: string[] = [];
  for (const [g, title] of helpSections()) {
    const flags = FLAGS.filter((f) => f.group === g && !f.hidden);
    if (!flags.length) continue;
    out.push(`**${title}**`, '', '| flag | default | env | what it does |', '|---|---|---|---|');
    for (const f of flags) {
      let def = '';
      if (f.kind === 'bool') def = f.def === true ? 'true' : 'false';
      else if (f.kind === 'duration') def = formatGoDuration(parseGoDuration(String(f.def ?? '0s')));
      else if (f.def !== undefined && f.def !== '') def = String(f.def);
      if (f.bare !== undefined) def += `${def ? '; ' : ''}bare: ${f.bare}`;
      const name = `\`--${f.name}\`${f.ours ? ' (new)' : ''}`;
      out.push(
        `| ${name} | ${def ? `\`${def.replace(/\|/g, '\\|')}\`` : ''} | ${f.env ? `\`${f.env}\`` : ''} | ` +
          `${f.help.replace(/\|/g, '\\|')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

if (process.argv[1]?.endsWith('flagtable.js')) process.stdout.write(flagTableMarkdown());
