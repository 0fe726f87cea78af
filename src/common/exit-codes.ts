// Stable exit codes (k6's where they overlap): scripts and CI jobs rely on them. They sit at the
// bottom of the layers because every layer may raise a usage error, and only the CLI maps an
// outcome to a process exit code.
export const ExitCode = {
  ok: 0,
  internalError: 1,
  usage: 2,
  /** The server refused the run's preparation (seeding): PreparationFailure. */
  preparationFailed: 3,
  thresholdsFailed: 99,
  /** Ctrl-C or SIGTERM at any moment: never reported as an internal error. */
  interrupted: 130,
} as const;

/** A user-facing error: printed as one line (no stack trace) and mapped to an exit code. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
}

/**
 * The server refused or failed what preparing the run needs (seeding teams, users, posts) after
 * the transient answers were retried: a finding about the server, not a bug of mmdrill and not a
 * bad configuration. Printed as one line naming the request, status, message and component;
 * exit code 3 (the run never reached its load, so there is no verdict on thresholds).
 */
export class PreparationFailure extends Error {
  override readonly name = 'PreparationFailure';
  readonly exitCode = ExitCode.preparationFailed;
  constructor(
    readonly step: string,
    readonly detail: string,
  ) {
    super(`preparation failed: ${step}: ${detail}`);
  }
}
