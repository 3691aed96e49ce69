// Bundles the compiled tree (dist/src, from tsc) into dist/bin: the executables kubetest, kubetest-e2e, the
// kubelet nodes' forwarder and the Boskos heartbeat, with what each loads lazily split into chunks that stay
// lazy. One file to read and compile instead of ~60 modules to resolve is most of what separates kubetest's
// startup from node's (bench/RESULTS.md, startup). dist/src/util/entrypoints.js finds the entries by
// KUBETEST_BUNDLE.
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'bin');
const entries = {
  kubetest: 'dist/src/cli/main.js',
  'kubetest-e2e': 'dist/src/wrapper/bin.js',
  forwarder: 'dist/src/deployers/local/nodes/kubelet/forwarder-main.js',
  heartbeat: 'dist/src/boskos/heartbeat-main.js',
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  define: { KUBETEST_BUNDLE: 'true' },
  logLevel: 'warning',
});
for (const name of Object.keys(entries)) chmodSync(join(outdir, `${name}.js`), 0o755);
