/**
 * How a docker-credential helper is run: the seam between the helper protocol (native-store.ts) and processes
 * (spawn-helper.ts), so tests and embedders can supply their own.
 */

/** What a helper run produced: its exit status (null when killed by a signal) and its output, as text. */
export interface HelperResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `program` (looked up in PATH) with `args`, writes `stdin` to it and resolves with the result whatever the
 * exit status. Rejects when the program cannot be run or misbehaves (a CredentialsError), or with
 * `signal.reason` once `signal` aborts.
 */
export type HelperRunner = (program: string, args: readonly string[], stdin: string, signal?: AbortSignal) => Promise<HelperResult>;
