// Property-based tests of the Go flag grammar (src/cli/goflags.ts) with kubetest's real flag table: any flag
// line written in one of Go's legal forms parses back to the same flags and values; integers written in any
// of strconv.ParseInt's bases parse back; random argv never fails with anything but a UsageError.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FLAGS } from '../../src/cli/flags.js';
import { parseGoArgs, parseGoBool, parseGoInt, UsageError, type FlagShape } from '../../src/cli/goflags.js';

const shapeOf = (name: string): FlagShape | undefined => {
  const f = FLAGS.find((x) => x.name === name);
  if (!f) return undefined;
  return f.kind === 'bool' ? 'bool' : f.bare !== undefined ? 'optional' : 'value';
};
const NAMES = FLAGS.map((f) => f.name);

interface Flag {
  name: string;
  value: string | undefined;
}

/** One flag and the tokens that write it, in a form Go accepts for its shape. */
const flagLine: fc.Arbitrary<{ flag: Flag; tokens: string[] }> = fc
  .record({
    name: fc.constantFrom(...NAMES),
    value: fc.string({ maxLength: 12 }),
    dashes: fc.constantFrom('-', '--'),
    form: fc.constantFrom('inline', 'bare', 'separate'),
  })
  .map(({ name, value, dashes, form }) => {
    const shape = shapeOf(name)!;
    if (form === 'bare' && shape !== 'value') return { flag: { name, value: undefined }, tokens: [`${dashes}${name}`] };
    if (form === 'separate' && shape === 'value') return { flag: { name, value }, tokens: [`${dashes}${name}`, value] };
    return { flag: { name, value }, tokens: [`${dashes}${name}=${value}`] };
  });

describe('Go flag grammar: properties', () => {
  it('a generated flag line parses back to the same flags, values and positional arguments', () => {
    fc.assert(
      fc.property(
        fc.array(flagLine, { maxLength: 12 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        (lines, rest) => {
          const argv = [...lines.flatMap((l) => l.tokens), ...(rest.length ? ['--', ...rest] : [])];
          const parsed = parseGoArgs(argv, shapeOf);
          assert.deepEqual(
            parsed.flags.map((f) => ({ name: f.name, value: f.value })),
            lines.map((l) => l.flag),
          );
          assert.deepEqual(parsed.positional, rest);
          // The token recorded for errors is what was written.
          assert.deepEqual(
            parsed.flags.map((f) => f.token),
            lines.map((l) => l.tokens.join(' ')),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the first non-flag token ends the flags: everything after it is positional', () => {
    fc.assert(
      fc.property(
        fc.array(flagLine, { maxLength: 5 }),
        fc.stringMatching(/^[a-z0-9][a-z0-9=.-]{0,6}$/),
        fc.array(flagLine, { maxLength: 3 }),
        (before, word, after) => {
          const tail = after.flatMap((l) => l.tokens);
          const parsed = parseGoArgs([...before.flatMap((l) => l.tokens), word, ...tail], shapeOf);
          assert.equal(parsed.flags.length, before.length);
          assert.deepEqual(parsed.positional.slice(0, 1), [word]);
        },
      ),
    );
  });

  it('random argv: parses or fails with a one-line UsageError, never anything else', () => {
    const token = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(...NAMES).map((n) => `--${n}`),
      fc.constantFrom('-', '--', '---x', '-=', '--=v', '--up=', '-h'),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 8 }), (argv) => {
        try {
          parseGoArgs(argv, shapeOf);
        } catch (e) {
          assert.ok(e instanceof UsageError, String(e));
          assert.ok(!e.message.includes('\n'));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("integers written in any of ParseInt's bases (with _ separators) parse back", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.constantFrom('dec', 'hex', 'HEX', 'oct', 'oldoct', 'bin'),
        fc.boolean(),
        (n, base, underscores) => {
          const abs = Math.abs(n);
          const sign = n < 0 ? '-' : '';
          const sep = (d: string) => (underscores && d.length > 1 ? `${d[0]}_${d.slice(1)}` : d);
          const text = {
            dec: sep(String(abs)),
            hex: `0x_${abs.toString(16)}`,
            HEX: `0X${abs.toString(16).toUpperCase()}`,
            oct: `0o${sep(abs.toString(8))}`,
            oldoct: `0${abs.toString(8)}`,
            bin: `0b${sep(abs.toString(2))}`,
          }[base];
          assert.equal(parseGoInt(`${sign}${text}`), n === 0 ? 0 : n, `${sign}${text}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('ParseBool accepts exactly its 12 spellings', () => {
    const yes = ['1', 't', 'T', 'TRUE', 'true', 'True'];
    const no = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...yes, ...no), fc.string({ maxLength: 6 })), (s) => {
        const want = yes.includes(s) ? true : no.includes(s) ? false : undefined;
        assert.equal(parseGoBool(s), want);
      }),
    );
  });
});
