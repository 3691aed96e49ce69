// Errors every layer may throw and the CLI maps to exit codes.

/** Bad input from the user: one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
