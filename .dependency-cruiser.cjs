// Dependency rules checked in `npm test` (npm run check). test/unit/dependency-rules.test.ts shows each one
// firing on a deliberately broken import.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules must not import each other in a circle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-cli-imports-cli',
      severity: 'error',
      comment: 'cli/ turns argv and env into typed options; nothing below it reads flags.',
      from: { path: '^src/', pathNot: '^src/(cli|wrapper)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'api-is-a-leaf',
      severity: 'error',
      comment: 'src/api holds the contracts every layer shares: it imports only itself.',
      from: { path: '^src/api/' },
      to: { path: '^src/', pathNot: '^src/api/' },
    },
    {
      name: 'util-is-a-leaf',
      severity: 'error',
      comment: 'src/util holds small pure helpers: it imports only util/ and api/.',
      from: { path: '^src/util/' },
      to: { path: '^src/', pathNot: '^src/(util|api)/' },
    },
    {
      name: 'plugins-see-api-not-the-run',
      severity: 'error',
      comment: 'Deployers and testers get a narrow context (src/api), never the run engine or its state.',
      from: { path: '^src/(deployers|testers)/' },
      to: { path: '^src/run/(engine|context|control|plan|steps/)' },
    },
    {
      name: 'lower-layers-not-run',
      severity: 'error',
      comment: 'process/, storage/ and report/ serve the run; they do not import it.',
      from: { path: '^src/(process|storage)/' },
      to: { path: '^src/(run|release|deployers|testers|report)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^dist/|^node_modules/)' },
  },
};
