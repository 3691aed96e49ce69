// Bundles the compiled tree (dist/src, from tsc) into dist/bin: the executables kubetest, kubetest-e2e, the
// kubelet nodes' forwarder and the Boskos heartbeat, with what each loads lazily split into chunks that stay
// lazy. One file to read and compile instead of ~60 modules to resolve is most of what separates kubetest's
// startup from node's (bench/RESULTS.md, startup). dist/src/util/entrypoints.js finds the entries by
// KUBETEST_BUNDLE.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
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

// Libraries stay external (node_modules), except the X.509 one: it is ~50 CommonJS files that Node resolves and
// loads one by one, a quarter of a second of every local Up; bundled into the lazy chunk that uses it, once.
const BUNDLED = new Set(['@peculiar/x509', 'reflect-metadata']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies).filter((d) => !BUNDLED.has(d));

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
  external: [...external, ...external.map((d) => `${d}/*`)],
  define: { KUBETEST_BUNDLE: 'true' },
  // Smaller to read and parse; names are kept, so stack traces still name our functions.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
for (const name of Object.keys(entries)) chmodSync(join(outdir, `${name}.js`), 0o755);
