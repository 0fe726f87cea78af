// Stable exit codes (k6's where they overlap): scripts and CI jobs rely on them.
export const ExitCode = {
  ok: 0,
  internalError: 1,
  usage: 2,
  thresholdsFailed: 99,
  interrupted: 130,
} as const;

/** A user-facing error: printed as one line (no stack trace) and mapped to an exit code. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
}
