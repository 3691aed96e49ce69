// The logger a run passes down: human lines on stderr, tagged with the step name.

export interface Logger {
  info(msg: string, step?: string): void;
  warn(msg: string, step?: string): void;
  /** Raw child output when --verbose-commands streams it. */
  stream: NodeJS.WritableStream;
}
