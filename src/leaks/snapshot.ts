// Resource listings in kubetest's format (../shared/reference/kubetest.md §12): `[ group resource ]` headers,
// one resource per line below. The verdict compares Before with After only, as kubetest's `diff -sw -U0`
// does: a line of After that Before does not have (whitespace ignored, within its group) is a leak;
// resources that went away are not.

export type Listing = Map<string, string[]>;

const HEADER = /^\[.*\]$/;

export function parseListing(text: string): Listing {
  const out: Listing = new Map();
  let group = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    if (HEADER.test(line.trim())) {
      group = line.trim();
      if (!out.has(group)) out.set(group, []);
      continue;
    }
    const list = out.get(group) ?? [];
    list.push(line);
    out.set(group, list);
  }
  return out;
}

export function formatListing(l: Listing): string {
  const out: string[] = [];
  for (const [group, lines] of l) {
    if (group) out.push(group);
    out.push(...lines);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** What After has that Before had not, by group. */
export function leaked(before: Listing, after: Listing): Listing {
  const out: Listing = new Map();
  for (const [group, lines] of after) {
    const had = new Set((before.get(group) ?? []).map(squash));
    const added = lines.filter((l) => !had.has(squash(l)));
    if (added.length) out.set(group, added);
  }
  return out;
}

export function countLines(l: Listing): number {
  let n = 0;
  for (const lines of l.values()) n += lines.length;
  return n;
}
