// The mount table (/proc/self/mountinfo): mount points at or below some dirs, with the kernel's octal escapes
// (\040 for a space, ...) decoded, in mount order (a point mounted twice is listed twice: unmount it twice).
import { readFileSync } from 'node:fs';

export function mountPointsUnder(...dirs: string[]): string[] {
  const roots = dirs.map((d) => d.replace(/\/+$/, ''));
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mp = line.split(' ')[4];
    if (!mp) continue;
    const path = mp.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (roots.some((r) => path === r || path.startsWith(`${r}/`))) out.push(path);
  }
  return out;
}
