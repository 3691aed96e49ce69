// Bundles the compiled tree (dist/src, from tsc) into dist/bin: the executables kubetest, kubetest-e2e, the
// kubelet nodes' forwarder and the Boskos heartbeat, with what each loads lazily split into chunks that stay
// lazy. A few files to read and compile instead of ~60 modules to resolve is most of what separates kubetest's
// startup from node's (bench/RESULTS.md, startup). dist/src/util/entrypoints.js finds the entries by
// KUBETEST_BUNDLE.
//
// Two passes. esbuild bundles (the X.509 library from CommonJS, minified, KUBETEST_BUNDLE defined), but splits
// only ES output, and splits a module into its own chunk for every distinct set of lazy imports that reach it: a
// dry run read 34 files. rollup then re-chunks that output per executable: a module the executable already
// loaded at start stays in its first chunk even when a lazy import reaches it too, and chunks under 20 kB
// without side effects are merged into one loaded under the same conditions: a dry run reads 8 files, --help one.
//
// rollup writes CommonJS (dist/bin/package.json says so to Node; a lazy import becomes a require() in a
// promise). Node's ES module loader was most of what startup still cost over `node -e 0`: it starts, reads
// each chunk asynchronously, and builds an ES facade for every builtin imported (node:fs's reads every export,
// whose lazy getters load the stream machinery), where require() reads a chunk at once and a builtin's exports
// are read where used. So the entries use no top-level await, and the externals load by require(): a dual
// package as its CommonJS build (interop below), an ES-only one is bundled (require(esm) is Node >= 20.19).
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
// p-retry is ES only: bundled, require() could not load it before Node 20.19.
const BUNDLED = new Set(['@peculiar/x509', 'reflect-metadata', 'p-retry']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = Object.keys(dependencies).filter((d) => !BUNDLED.has(d));

// rollup's CommonJS has no import.meta: what our code reads of it (a URL for createRequire, the entry dir in
// util/entrypoints.ts) comes from __filename; anything else is a build error, not an undefined at run time.
const importMetaFromFilename = {
  name: 'import-meta-from-filename',
  resolveImportMeta(prop, { moduleId }) {
    if (prop === 'url') return "require('node:url').pathToFileURL(__filename).href";
    if (prop === 'dirname') return '__dirname';
    if (prop === 'filename') return '__filename';
    throw new Error(`${moduleId}: import.meta${prop === null ? '' : `.${prop}`} has no CommonJS equivalent here`);
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
});
// One graph per executable: shared with another executable, a module would be split off again.
for (const name of Object.keys(entries)) {
  const bundle = await rollup({
    input: { [name]: join(firstPass, `${name}.js`) },
    external: (id) => !id.startsWith('.') && !isAbsolute(id),
    logLevel: 'warn',
    onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(w)),
    plugins: [importMetaFromFilename],
  });
  await bundle.write({
    dir: outdir,
    format: 'cjs',
    // require() takes a dual package's CommonJS build: a default import is module.exports unless that says
    // __esModule (fast-xml-builder's is { default: Builder }), the same value as the ES build Node imports.
    interop: 'auto',
    generatedCode: 'es2015',
    chunkFileNames: '[name]-[hash].js',
    experimentalMinChunkSize: 20_000,
  });
  await bundle.close();
  chmodSync(join(outdir, `${name}.js`), 0o755);
}
rmSync(firstPass, { recursive: true, force: true });
// The package is "type": "module"; dist/bin keeps the .js names package.json's bin and the tests use.
writeFileSync(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
