import ora, { type Ora } from 'ora';
import type { Io } from './io.ts';

/** A step that takes a while: an ora spinner on a terminal, one plain line otherwise, nothing when quiet. */
export interface Status {
  start(text: string): void;
  succeed(text: string): void;
  fail(): void;
}

/** Creates the status display for stdout as docker prints trust messages there (cli/trust/trust_push.go). */
export function status(io: Io, quiet: boolean): Status {
  if (quiet) return { start: () => {}, succeed: () => {}, fail: () => {} };
  if (!io.stdout.isTTY) {
    return { start: (t) => io.stdout.write(`${t}\n`), succeed: (t) => io.stdout.write(`${t}\n`), fail: () => {} };
  }
  let spinner: Ora | undefined;
  return {
    start: (t) => { spinner = ora({ text: t, stream: io.stdout as NodeJS.WritableStream, color: io.color ? 'cyan' : false as never }).start(); },
    succeed: (t) => { if (spinner) spinner.succeed(t); else io.stdout.write(`${t}\n`); spinner = undefined; },
    fail: () => { spinner?.stop(); spinner = undefined; },
  };
}
