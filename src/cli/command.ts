/** One CLI command: `vmbus-spec <name> …`. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Runs the command; resolves to the process exit code. Throw `UsageError` for bad arguments. */
  readonly run: (argv: readonly string[]) => Promise<number>;
}
