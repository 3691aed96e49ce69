// The command-line grammar of Go's `flag` package, which is what kubetest job configs are written in:
//   -flag  --flag  -flag=value  --flag=value  -flag value (non-boolean flags only)  --  (end of flags)
// Boolean flags (and flags with a bare form, like `--build`) take a value only after `=`.

import { UsageError } from '../api/errors.js';

export { UsageError };
export { expandEnv } from '../util/gostrings.js';

export type FlagShape = 'bool' | 'value' | 'optional';

export interface FlagShapeLookup {
  (name: string): FlagShape | undefined;
}

export interface RawFlag {
  name: string;
  /** The value as written, or undefined for a bare `--flag`. */
  value: string | undefined;
  /** The token(s) as written, for error messages. */
  token: string;
}

export interface ParsedArgs {
  flags: RawFlag[];
  positional: string[];
}

export class UnknownFlagError extends UsageError {
  constructor(
    readonly flag: string,
    readonly token: string,
  ) {
    super(`unknown flag: --${flag}`);
  }
}

/** An unknown flag (or config key); the message gets its "did you mean" from suggest.ts, loaded only then. */
export class UnknownFlagUsageError extends UsageError {
  constructor(
    readonly flag: string,
    readonly written: string,
    message = `unknown flag: ${written}`,
  ) {
    super(message);
  }
}

export function parseGoArgs(argv: readonly string[], shapeOf: FlagShapeLookup): ParsedArgs {
  const flags: RawFlag[] = [];
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (token.length < 2 || token[0] !== '-') {
      // Go stops parsing flags before the first non-flag argument ("-" is one).
      positional.push(...argv.slice(i));
      break;
    }
    const body = token.startsWith('--') ? token.slice(2) : token.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      throw new UsageError(`bad flag syntax: ${token}`);
    }
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const inline = eq >= 0 ? body.slice(eq + 1) : undefined;
    const shape = shapeOf(name);
    if (shape === undefined) throw new UnknownFlagError(name, token);
    if (inline !== undefined || shape !== 'value') {
      flags.push({ name, value: inline, token });
      continue;
    }
    if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${token}`);
    const value = argv[++i]!;
    flags.push({ name, value, token: `${token} ${value}` });
  }
  return { flags, positional };
}

/** strconv.ParseBool */
export function parseGoBool(value: string): boolean | undefined {
  switch (value) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}

/** strconv.ParseInt(s, 0, 64): decimal, 0x/0o/0b prefixes, a leading 0 for octal, `_` separators. */
export function parseGoInt(value: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(value);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  let digits = m[2]!;
  if (digits.includes('__') || digits.endsWith('_')) return undefined;
  digits = digits.replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(digits)) n = parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) n = parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) n = parseInt(digits.slice(2), 2);
  else if (digits.length > 1 && digits.startsWith('0')) n = parseInt(digits.slice(1), 8);
  else n = parseInt(digits, 10);
  if (!Number.isSafeInteger(n)) return undefined;
  return sign * n;
}
