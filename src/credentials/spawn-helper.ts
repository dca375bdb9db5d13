import { spawn } from 'node:child_process';
import { CredentialsError } from '../shared/errors.ts';
import { formatMs } from '../shared/http-env.ts';
import { HTTP_TIMEOUT_ENV } from '../settings/index.ts';
import type { HelperResult, HelperRunner } from './helper-runner.ts';

/** Options for the process-spawning helper runner. */
export interface SpawnHelperOptions {
  /** The helper's whole environment (PATH also finds the program); the current process's when omitted. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Kill the helper after this long; default 60 s (gpg may be waiting for a passphrase), TRUSTEXT_HTTP_TIMEOUT when set. */
  readonly timeoutMs?: number;
  /** Kill the helper once stdout or stderr grows past this many bytes; default 256 KiB. */
  readonly maxOutputBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;

/**
 * A HelperRunner that spawns the helper without a shell, as docker-credential-helpers' client does
 * (client/command.go: exec.Command). Adds what docker lacks: a timeout, an output limit and cancellation.
 */
export function spawnHelper(options: SpawnHelperOptions = {}): HelperRunner {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const env = options.env && Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined));

  return (program, args, stdin, signal) =>
    new Promise<HelperResult>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, ...(env && { env }) });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const sizes = { out: 0, err: 0 };
      let settled = false;

      const finish = (failure: unknown, result?: HelperResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (failure === undefined) {
          resolve(result!);
          return;
        }
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        // Grandchildren (gpg under pass) may hold the pipes open; let go of them rather than wait.
        child.stdin.destroy();
        child.stdout.destroy();
        child.stderr.destroy();
        reject(failure);
      };
      const onAbort = () => finish(signal!.reason);
      const timer = setTimeout(
        () => finish(new CredentialsError(`credential helper ${program} did not finish within ${formatMs(timeoutMs)} (${HTTP_TIMEOUT_ENV})`)),
        timeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });

      const collect = (chunks: Buffer[], which: 'out' | 'err') => (chunk: Buffer) => {
        sizes[which] += chunk.length;
        if (sizes[which] > maxBytes) {
          finish(new CredentialsError(`credential helper ${program} printed more than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      };
      child.stdout.on('data', collect(out, 'out'));
      child.stderr.on('data', collect(err, 'err'));
      child.on('error', (e: NodeJS.ErrnoException) => {
        const reason = e.code === 'ENOENT' ? 'not found in PATH' : `cannot be run: ${e.code ?? e.message}`;
        finish(new CredentialsError(`credential helper ${program} ${reason}`, { cause: e }));
      });
      child.on('close', (code) => {
        finish(undefined, { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
      // A helper may exit without reading its input (EPIPE); its exit status tells what happened.
      child.stdin.on('error', () => {});
      child.stdin.end(stdin);
    });
}
