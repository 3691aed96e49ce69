// "did you mean --timeout?" for unknown flags.
import { closest, distance } from 'fastest-levenshtein';
import { FLAGS } from './flags.js';

export function suggestion(name: string): string {
  const names = FLAGS.filter((f) => !f.hidden).map((f) => f.name);
  const norm = (n: string) => n.toLowerCase().replace(/_/g, '-');
  const exact = names.find((n) => norm(n) === norm(name));
  if (exact) return ` (did you mean --${exact}?)`;
  const best = closest(name, names);
  if (best && distance(norm(name), norm(best)) <= Math.max(2, Math.floor(name.length / 3)))
    return ` (did you mean --${best}?)`;
  const prefixed = names.filter((n) => n.startsWith(norm(name)));
  if (prefixed.length === 1) return ` (did you mean --${prefixed[0]}?)`;
  return '';
}
