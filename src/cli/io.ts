/** A writable text stream, and whether it is a terminal. */
export interface Out {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * The streams a command prints to, by one rule: stdout takes data (what a script reads: JSON, keys, lists) and the
 * success line of a command; stderr takes progress, prompts, notices, warnings and errors — except where docker's own
 * command prints a line elsewhere (push/pull progress and DCT's `Tagging … as …` follow docker).
 */
export interface Io {
  readonly stdout: Out;
  readonly stderr: Out;
  /** NO_COLOR set (and not empty) or not a terminal: no ANSI colour. */
  readonly color: boolean;
}

/** Builds the Io for the real process streams, honouring NO_COLOR (https://no-color.org). */
export function processIo(noColor: boolean): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    color: Boolean(process.stderr.isTTY) && !noColor,
  };
}

/** Writes one line to stdout. */
export function println(io: Io, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Writes one line to stderr. */
export function eprintln(io: Io, line = ''): void {
  io.stderr.write(`${line}\n`);
}
