// Temp dirs for tests, removed when the test process exits (also after a failure).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  if (process.env['KUBETEST_KEEP_TMP']) return;
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `kubetest-${prefix}-`));
  made.push(d);
  return d;
}
