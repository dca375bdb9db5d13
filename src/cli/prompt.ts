import { openSync, closeSync } from 'node:fs';
import { ReadStream } from 'node:tty';

/**
 * Asks a question on the controlling terminal (/dev/tty, so it works while stdin or stdout are redirected, as
 * the docker CLI's passphrase prompts do) and reads the answer without echoing it. Resolves undefined when the
 * process has no terminal. Ctrl-C rejects.
 */
export function terminalPrompt(stderr: { write(s: string): unknown }): ((question: string) => Promise<string>) | undefined {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r');
  } catch {
    return undefined;
  }
  closeSync(fd);
  return (question) =>
    new Promise<string>((resolve, reject) => {
      const ttyFd = openSync('/dev/tty', 'r');
      const input = new ReadStream(ttyFd);
      let answer = '';
      const done = (err?: Error) => {
        input.setRawMode(false);
        input.removeAllListeners('data');
        input.destroy();
        stderr.write('\n');
        if (err) reject(err);
        else resolve(answer);
      };
      // Echo off before the question appears: an answer typed or pasted the moment it shows must not be echoed.
      input.setRawMode(true);
      stderr.write(question);
      input.setEncoding('utf8');
      input.on('data', (chunk: string) => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
          if (ch === '\u0003') return done(new Error('passphrase prompt interrupted'));
          if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
          else answer += ch;
        }
      });
    });
}
