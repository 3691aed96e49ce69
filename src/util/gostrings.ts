// Go's string helpers that kubetest's behaviour depends on.

/** strings.Fields: split on runs of whitespace, no empty fields. */
export function splitFields(s: string): string[] {
  return s.split(/\s+/).filter((x) => x !== '');
}

/** os.ExpandEnv: $VAR and ${VAR}; unset variables expand to "". */
export function expandEnv(value: string, env: Readonly<NodeJS.ProcessEnv>): string {
  return value.replace(
    /\$\{([^}]*)\}|\$([A-Za-z0-9_]+|[*#$@!?0-9-])/g,
    (_m, braced: string | undefined, bare: string | undefined) => {
      const key = braced ?? bare ?? '';
      return env[key] ?? '';
    },
  );
}

/** Byte order of strings, as Go's sort.Strings and encoding/json's map keys (not the locale's collation). */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
