import type { Environment, Session } from '../app/index.ts';
import type { GlobalOptions } from './global-options.ts';
import type { Io } from './io.ts';

/** What every command receives: streams, docker's global options, the process environment, cancellation. */
export interface CliContext {
  readonly io: Io;
  readonly globals: GlobalOptions;
  readonly environment: Environment;
  readonly signal: AbortSignal;
  /** The session for the global options, opened on first use. */
  session(): Promise<Session>;
}
