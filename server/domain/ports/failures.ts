/**
 * How adapters say that the world outside the process failed, in words the runtime can answer with
 * (server/runtime/main.ts turns them into the envelope): the domain throws AppError for business
 * outcomes; adapters throw these for everything that is not the caller's doing.
 */

/**
 * A service the function depends on (database, bank, SMS provider) could not answer now — a
 * timeout, a refused connection, a 5xx, credentials the platform did not provide. Retrying later
 * may succeed. Answered as `UNAVAILABLE`.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    /** Which dependency: `cloudbase`, `sms`, … — logged, never shown. */
    readonly dependency: string,
    /** A short machine-readable reason: `timeout`, `credentials`, `http_503`, … */
    readonly reason: string,
  ) {
    super(`${dependency} unavailable: ${reason}`);
    this.name = 'DependencyUnavailableError';
  }
}

/**
 * The deployment is wrong (a missing secret, no gateway chosen, an unknown setting): nothing a
 * retry will fix until an operator acts. Answered as `INTERNAL`; the log line says what to fix.
 */
export class MisconfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MisconfiguredError';
  }
}
