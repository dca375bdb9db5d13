import { createInterface } from 'node:readline';
import type { Io } from './io.ts';

/**
 * Asks a yes/no question the way docker's PromptForConfirmation does: the question on stdout, one line read from
 * stdin, and only "y"/"yes" (any case) means yes; end of input means no.
 */
export function confirm(io: Io, question: string, input: NodeJS.ReadableStream = process.stdin): Promise<boolean> {
  io.stdout.write(`${question} [y/N] `);
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(/^y(es)?$/i.test(line.trim()));
    });
    rl.once('close', () => {
      if (!answered) resolve(false);
    });
  });
}
