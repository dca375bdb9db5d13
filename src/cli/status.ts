import type { Ora } from 'ora';
import type { Io } from './io.ts';

/** A step that takes a while: an ora spinner on a terminal, one plain line otherwise, nothing when quiet. */
export interface Status {
  start(text: string): void;
  succeed(text: string): void;
  fail(): void;
}

/**
 * Creates the status display on stdout, where docker prints trust messages (cli/trust/trust_push.go). ora is
 * imported only when a spinner will really be shown: loading it (string-width's tables) costs ~70 ms.
 */
export async function status(io: Io, quiet: boolean): Promise<Status> {
  if (quiet) return { start: () => {}, succeed: () => {}, fail: () => {} };
  // ora needs the terminal's width: with 0 columns (a pty nobody sized, as script(1) makes) it computes an
  // endless number of lines to clear and never stops writing. Without a usable terminal, plain lines.
  if (!io.stdout.isTTY || !(io.stdout.columns && io.stdout.columns > 0)) {
    return { start: (t) => io.stdout.write(`${t}\n`), succeed: (t) => io.stdout.write(`${t}\n`), fail: () => {} };
  }
  const { default: ora } = await import('ora');
  const make = (text = '') => ora({ text, stream: io.stdout as NodeJS.WritableStream, color: io.color ? 'cyan' : (false as never) });
  let spinner: Ora | undefined;
  return {
    start: (t) => {
      spinner = make(t).start();
    },
    succeed: (t) => {
      (spinner ?? make()).succeed(t);
      spinner = undefined;
    },
    fail: () => {
      spinner?.stop();
      spinner = undefined;
    },
  };
}
