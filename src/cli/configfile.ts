// --config=file.yaml: flags as keys (the same names as on the command line), lists for repeatable flags.
// The file is validated as a whole before anything runs: an unknown key or a value of the wrong type is a
// usage error naming the key. YAML loads only when --config is given (startup stays small).
import { createRequire } from 'node:module';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type * as Yaml from 'yaml';
import { parseGoBool, parseGoInt, UnknownFlagUsageError, UsageError } from './goflags.js';
import { findFlag, HELP_NAMES, type FlagDef } from './flags.js';
import { parseGoDuration } from '../util/duration.js';

export type ConfigValue = string | number | boolean | string[];

export const MAX_CONFIG_BYTES = 1024 * 1024;

function readBounded(path: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`${what}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${what}: not a regular file`);
    if (st.size > MAX_CONFIG_BYTES) throw new UsageError(`${what}: larger than ${MAX_CONFIG_BYTES} bytes`);
    const buf = Buffer.alloc(st.size);
    const n = readSync(fd, buf, 0, st.size, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** One key's value as the flag's type, or a UsageError naming the key. */
function convertValue(def: FlagDef, key: string, v: unknown, what: string): ConfigValue {
  const bad = (want: string) => new UsageError(`${what}: key "${key}": want ${want}, got ${describe(v)}`);
  const scalar = (x: unknown): string | undefined =>
    typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : undefined;
  switch (def.kind) {
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && parseGoBool(v) !== undefined) return parseGoBool(v)!;
      throw bad('true or false');
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && parseGoInt(v) !== undefined) return parseGoInt(v)!;
      throw bad('an integer');
    case 'duration': {
      if (typeof v !== 'string') throw bad('a duration such as 45m or 1h30m');
      try {
        parseGoDuration(v);
      } catch {
        throw bad('a duration such as 45m or 1h30m');
      }
      return v;
    }
    case 'list': {
      const items = Array.isArray(v) ? v : [v];
      const out = items.map(scalar);
      if (out.some((x) => x === undefined)) throw bad('a string or a list of strings');
      return out as string[];
    }
    default: {
      // String flags: numbers and booleans read as the text a command line would carry (gcp-nodes: 3).
      const s = typeof v === 'boolean' ? String(v) : scalar(v);
      if (s === undefined) throw bad('a string');
      return s;
    }
  }
}

/** The flags a config file sets, in file order, validated against the flag table. */
export function readConfigFile(path: string, shown = path): Array<[string, ConfigValue]> {
  const what = `--config=${shown}`;
  const text = readBounded(path, what);
  const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof Yaml;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const message = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new UsageError(`${what}:${line ? ` line ${line}:` : ''} ${message}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UsageError(`${what}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return [];
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${what}: want a mapping of flag names to values (up: true), got ${describe(data)}`);
  }
  const out: Array<[string, ConfigValue]> = [];
  for (const [key, v] of Object.entries(data as Record<string, unknown>)) {
    const name = key.replace(/^--?/, '');
    if (name === 'config') throw new UsageError(`${what}: key "${key}": a config file cannot name another one`);
    const def = HELP_NAMES.has(name) ? undefined : findFlag(name);
    if (!def) throw new UnknownFlagUsageError(name, key, `${what}: unknown key "${key}": keys are flag names`);
    out.push([def.name, convertValue(def, key, v, what)]);
  }
  return out;
}
