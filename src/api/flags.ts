// Flag declarations (Go flag syntax; see cli/goflags.ts) and the typed view a plug-in reads them through.

export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'list';

export interface FlagDef {
  name: string;
  kind: FlagKind;
  /** Help section; cli/flags.ts orders the known ones, a plug-in's own section comes before "Other". */
  group: string;
  help: string;
  /** Default as a typed value; bool defaults to false, string to "", list to []. */
  def?: string | number | boolean;
  /** Value given by the bare form (`--build` ⇒ "quick"). Makes a non-bool flag take values only after `=`. */
  bare?: string;
  /** Environment variable read when the flag is absent. */
  env?: string;
  /** Flags this project added (not in kubetest). */
  ours?: boolean;
  /** Hidden from --help (aliases). */
  hidden?: boolean;
}

export const boolFlag = (name: string, group: string, help: string, def = false): FlagDef => ({
  name,
  kind: 'bool',
  group,
  help,
  def,
});
export const stringFlag = (name: string, group: string, help: string, def = '', env?: string): FlagDef => ({
  name,
  kind: 'string',
  group,
  help,
  def,
  ...(env ? { env } : {}),
});
export const intFlag = (name: string, group: string, help: string, def = 0): FlagDef => ({
  name,
  kind: 'int',
  group,
  help,
  def,
});
export const durationFlag = (name: string, group: string, help: string, def = '0s'): FlagDef => ({
  name,
  kind: 'duration',
  group,
  help,
  def,
});

/** Parsed flag values after env fallbacks, read by name with the flag's own type. */
export interface FlagValues {
  str(name: string): string;
  bool(name: string): boolean;
  int(name: string): number;
  list(name: string): string[];
  /** The flag was on the command line or in --config (not a default, not an env fallback). */
  given(name: string): boolean;
}
