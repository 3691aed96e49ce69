// Bundles the compiled tree (dist/src, from tsc) into dist/bin: the executables kubetest, kubetest-e2e, the
// kubelet nodes' forwarder and the Boskos heartbeat, with what each loads lazily split into chunks that stay
// lazy. A few files to read and compile instead of ~60 modules to resolve is most of what separates kubetest's
// startup from node's (bench/RESULTS.md, startup). dist/src/util/entrypoints.js finds the entries by
// KUBETEST_BUNDLE.
//
// Two passes. esbuild bundles (the X.509 library from CommonJS, minified, KUBETEST_BUNDLE defined), but splits
// a module into its own chunk for every distinct set of lazy imports that reach it: a dry run read 34 files.
// rollup then re-chunks that output per executable: a module the executable already loaded at start stays in
// its first chunk even when a lazy import reaches it too, and chunks under 20 kB without side effects are merged
// into one loaded under the same conditions: a dry run reads 8 files, --help one.
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { build } from 'esbuild';
import { rollup } from 'rollup';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'bin');
const firstPass = join(root, 'dist', 'bin.esbuild');
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

// An ES import of node:fs makes Node build the module's ES facade, which reads every export, and fs's lazy
// getters (ReadStream, WriteStream, promises...) then load the stream machinery: ~8 M instructions of every
// start, --help's too. Our code's imports of node:fs take the same module from require instead; each export is
// read by a pure call, dropped unless imported, so a getter no one imports stays unread.
const FS_SHIM = 'kubetest:fs';
const fsShim = {
  name: 'fs-without-facade',
  setup(b) {
    b.onResolve({ filter: /^(node:)?fs$/ }, () => ({ path: FS_SHIM, namespace: FS_SHIM }));
    b.onLoad({ filter: /.*/, namespace: FS_SHIM }, () => {
      const fs = createRequire(import.meta.url)('node:fs');
      const exports = Object.keys(fs).map((k) => `export const ${k} = /* @__PURE__ */ get(${JSON.stringify(k)});`);
      const head = [
        "import { createRequire } from 'node:module';",
        "const fs = createRequire(import.meta.url)('node:fs');",
        'const get = (k) => fs[k];',
        'export default fs;',
      ];
      return { contents: [...head, ...exports].join('\n'), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
rmSync(firstPass, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: firstPass,
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
  plugins: [fsShim],
});
// One graph per executable: shared with another executable, a module would be split off again.
for (const name of Object.keys(entries)) {
  const bundle = await rollup({
    input: { [name]: join(firstPass, `${name}.js`) },
    external: (id) => !id.startsWith('.') && !isAbsolute(id),
    logLevel: 'warn',
    onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(w)),
  });
  await bundle.write({
    dir: outdir,
    format: 'es',
    chunkFileNames: '[name]-[hash].js',
    experimentalMinChunkSize: 20_000,
  });
  await bundle.close();
  chmodSync(join(outdir, `${name}.js`), 0o755);
}
rmSync(firstPass, { recursive: true, force: true });
