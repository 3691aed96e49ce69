// kubetest-e2e: what `go run hack/e2e.go -- <args>` is in kubernetes/kubernetes (../shared/reference/kubetest.md §13).
//   kubetest-e2e [--get=true] [--old=24h] [-v=true] -- <kubetest flags>
// It updates kubetest at most once per --old (when --get and an update command is set), then runs it
// with --verbose-commands=<v> first, passes stdio through, forwards signals, and exits 1 if kubetest failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseGoDuration } from '../util/duration.js';
import { parseGoArgs, parseGoBool, UsageError } from '../cli/goflags.js';
import { entryScript } from '../util/entrypoints.js';

export interface WrapperArgs {
  get: boolean;
  oldMs: number;
  verbose: boolean;
  rest: string[];
}

export function parseWrapperArgs(argv: string[]): WrapperArgs {
  const dash = argv.indexOf('--');
  let own = dash >= 0 ? argv.slice(0, dash) : argv;
  let rest = dash >= 0 ? argv.slice(dash + 1) : [];
  const shapes: Record<string, 'bool' | 'value'> = { get: 'bool', v: 'bool', old: 'value', h: 'bool', help: 'bool' };
  // Like hack/e2e.go: kubetest flags given without `--` are forwarded from the first one we do not know.
  const firstForeign = own.findIndex((a) => a.startsWith('-') && !shapes[a.replace(/^--?/, '').split('=')[0]!]);
  if (firstForeign >= 0) {
    process.stderr.write(
      `kubetest-e2e: NOTICE: ${own[firstForeign]} is a kubetest flag; put kubetest flags after "--". Forwarding from ` +
        `there.\n`,
    );
    rest = [...own.slice(firstForeign), ...rest];
    own = own.slice(0, firstForeign);
  }
  const parsed = parseGoArgs(own, (n) => shapes[n]);
  if (parsed.positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positional[0])}`);
  const out: WrapperArgs = { get: true, oldMs: 24 * 3600_000, verbose: true, rest };
  for (const f of parsed.flags) {
    if (f.name === 'h' || f.name === 'help')
      throw new UsageError('usage: kubetest-e2e [--get=true] [--old=24h] [-v=true] -- <kubetest flags>');
    if (f.name === 'old') out.oldMs = parseGoDuration(f.value ?? '');
    else {
      const b = f.value === undefined ? true : parseGoBool(f.value);
      if (b === undefined) throw new UsageError(`invalid value ${JSON.stringify(f.value)} for -${f.name}`);
      if (f.name === 'get') out.get = b;
      else out.verbose = b;
    }
  }
  return out;
}

/** The update marker's mtime is the last update (hack/e2e.go touched the kubetest binary). */
function maybeUpdate(a: WrapperArgs, env: NodeJS.ProcessEnv): void {
  const cmd = env['KUBETEST_E2E_UPDATE_CMD'];
  if (!a.get || !cmd) return;
  const marker = join(env['KUBETEST_CACHE_DIR'] || join(homedir(), '.cache', 'kubetest'), 'kubetest-e2e.updated');
  if (existsSync(marker) && Date.now() - statSync(marker).mtimeMs < a.oldMs) return;
  process.stderr.write(`kubetest-e2e: updating kubetest: ${cmd}\n`);
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit', env });
  if (r.status !== 0) process.stderr.write('kubetest-e2e: update failed; running the installed kubetest\n');
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, '');
}

export function run(): void {
  let a: WrapperArgs;
  try {
    a = parseWrapperArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`kubetest-e2e: ${(e as Error).message}\n`);
    process.exit(2);
  }
  maybeUpdate(a, process.env);
  const child = spawn(process.execPath, [entryScript('kubetest'), `--verbose-commands=${a.verbose}`, ...a.rest], {
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  child.on('close', (code, signal) => {
    if (code === 0) process.exit(0);
    process.stderr.write(`kubetest-e2e: kubetest failed (${signal ?? `exit ${code}`})\n`);
    process.exit(1);
  });
}
