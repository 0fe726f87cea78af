// Stable exit codes (k6's where they overlap): scripts and CI jobs rely on them. They sit at the
// bottom of the layers because every layer may raise a usage error, and only the CLI maps an
// outcome to a process exit code.
export const ExitCode = {
  ok: 0,
  internalError: 1,
  usage: 2,
  thresholdsFailed: 99,
  /** Ctrl-C or SIGTERM at any moment: never reported as an internal error. */
  interrupted: 130,
} as const;

/** A user-facing error: printed as one line (no stack trace) and mapped to an exit code. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
}
