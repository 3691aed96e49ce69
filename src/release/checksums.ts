// The checksum a release publishes next to each file: F.sha512, else F.sha256 (hex digest only).
import { NotFoundError } from '../storage/index.js';
import { readSmall, type SmallReadOptions } from './markers.js';

/** A failure that downloading again will not fix. */
export class NotRetryable extends Error {}

export interface Expected {
  algo: 'sha512' | 'sha256';
  hex: string;
}

export async function publishedChecksum(url: string, o: SmallReadOptions): Promise<Expected | undefined> {
  for (const algo of ['sha512', 'sha256'] as const) {
    try {
      const text = (await readSmall(`${url}.${algo}`, o)).toString('utf8').trim();
      const hex = text.split(/\s+/)[0]?.toLowerCase() ?? '';
      const len = algo === 'sha512' ? 128 : 64;
      if (!new RegExp(`^[0-9a-f]{${len}}$`).test(hex))
        throw new NotRetryable(`${url}.${algo}: not a ${algo} digest: ${JSON.stringify(text.slice(0, 80))}`);
      return { algo, hex };
    } catch (e) {
      if (e instanceof NotFoundError) continue;
      throw e;
    }
  }
  return undefined;
}
