// Go's time.ParseDuration and Duration.String, so `--timeout=320m`, `1h30m`, `90s`, `1.5h` mean what
// they mean to kubetest.

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5
  μs: 1e3, // U+03BC
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Parses a Go duration string; returns milliseconds. Throws with Go's error text. */
export function parseGoDuration(input: string): number {
  const quoted = JSON.stringify(input);
  let s = input;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`time: invalid duration ${quoted}`);
  let totalNs = 0;
  while (s !== '') {
    const num = /^([0-9]*)(\.([0-9]*))?/.exec(s);
    const whole = num?.[1] ?? '';
    const frac = num?.[3] ?? '';
    const hasDot = num?.[2] !== undefined;
    if (whole === '' && frac === '') throw new Error(`time: invalid duration ${quoted}`);
    s = s.slice((num?.[0] ?? '').length);
    const unitMatch = /^[^0-9.]+/.exec(s);
    if (!unitMatch) throw new Error(`time: missing unit in duration ${quoted}`);
    const unit = unitMatch[0];
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    s = s.slice(unit.length);
    const value = Number(`${whole || '0'}${hasDot ? '.' + (frac || '0') : ''}`);
    totalNs += value * scale;
  }
  if (totalNs > 2 ** 63) throw new Error(`time: invalid duration ${quoted}`);
  const ms = totalNs / 1e6;
  return neg ? -ms : ms;
}

/** Formats milliseconds the way Go's Duration.String does ("5m0s", "168h0m0s", "1.5s", "0s"). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let ns = Math.round(Math.abs(ms) * 1e6);
  let out: string;
  if (ns < 1e9) {
    // Sub-second: Go picks ns, µs or ms with a fractional part.
    if (ns < 1e3) out = `${ns}ns`;
    else if (ns < 1e6) out = `${trimFloat(ns / 1e3)}µs`;
    else out = `${trimFloat(ns / 1e6)}ms`;
  } else {
    const h = Math.floor(ns / 3600e9);
    ns -= h * 3600e9;
    const m = Math.floor(ns / 60e9);
    ns -= m * 60e9;
    const sec = trimFloat(ns / 1e9);
    out = h > 0 ? `${h}h${m}m${sec}s` : m > 0 ? `${m}m${sec}s` : `${sec}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(n: number): string {
  return String(Number(n.toFixed(9)));
}
