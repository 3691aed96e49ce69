import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, copyFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../util/atomic.js';
import { collect } from './bounded.js';
import { NotFoundError, type ObjectStore, type ReadHandle, type ReadOptions } from './types.js';

export function filePath(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url.replace(/^file:\/\/(?!\/)/, 'file:///')) : url;
}

export class FileStore implements ObjectStore {
  readonly scheme = 'file';

  async read(url: string, _signal?: AbortSignal, opts?: ReadOptions): Promise<Buffer> {
    return collect(await this.openRead(url), url, opts);
  }

  async openRead(url: string): Promise<ReadHandle> {
    const p = filePath(url);
    if (!existsSync(p)) throw new NotFoundError(url);
    return { stream: createReadStream(p, { highWaterMark: 1 << 20 }), size: statSync(p).size };
  }

  async exists(url: string): Promise<boolean> {
    return existsSync(filePath(url));
  }

  async write(url: string, data: Buffer | string): Promise<void> {
    writeFileAtomic(filePath(url), data);
  }

  async uploadFile(url: string, path: string): Promise<void> {
    const dst = filePath(url);
    await mkdir(dirname(dst), { recursive: true });
    const tmp = `${dst}.tmp-${process.pid}`;
    await copyFile(path, tmp);
    await rename(tmp, dst);
  }

  async list(prefixUrl: string): Promise<string[]> {
    const root = filePath(prefixUrl);
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(`file://${p}`);
      }
    };
    if (existsSync(root) && statSync(root).isDirectory()) walk(root);
    return out.sort();
  }
}
