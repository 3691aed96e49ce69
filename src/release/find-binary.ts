// Where a release or build tree keeps a binary (kubetest's findBinary).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { goArch } from '../util/platform.js';

export const PLATFORM = `${process.platform}/${goArch()}`;

/** kubetest's findBinary: the newest of the usual places in a release or build tree. */
export function findReleaseBinary(kubeRoot: string, name: string): string | undefined {
  const candidates = [
    `_output/bin/${name}`,
    `_output/dockerized/bin/${PLATFORM}/${name}`,
    `_output/local/bin/${PLATFORM}/${name}`,
    `platforms/${PLATFORM}/${name}`,
    `test/bin/${name}`,
    `client/bin/${name}`,
    `server/bin/${name}`,
  ].map((p) => join(kubeRoot, p));
  let best: { path: string; mtime: number } | undefined;
  for (const c of candidates) {
    try {
      const st = statSync(c);
      if (st.isFile() && (!best || st.mtimeMs > best.mtime)) best = { path: c, mtime: st.mtimeMs };
    } catch {
      // not there
    }
  }
  return best?.path;
}
