import { createConnection } from 'node:net';
import { CancelledError } from '../shared/errors.ts';

/** Signals that cancel a running command. */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** docker gives up and kills after three signals (cmd/docker/docker.go exitLimit); so do we. */
const FORCE_AFTER = 3;
const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/** The exit code docker uses for a signal: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 1);
}

/**
 * Turns SIGINT/SIGTERM, and the docker CLI closing DOCKER_CLI_PLUGIN_SOCKET (what it does on a signal when
 * stdout is not a terminal), into an aborted signal whose reason is a CancelledError. A third signal calls
 * `forceExit`, as docker does for stuck plugins.
 */
export function setupCancellation(pluginSocket: string | undefined, forceExit: (code: number) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const handlers = SIGNALS.map((sig) => {
    const handler = () => {
      count++;
      if (!controller.signal.aborted) controller.abort(new CancelledError(sig));
      if (count >= FORCE_AFTER) forceExit(signalExitCode(sig));
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  const socket = pluginSocket ? createConnection({ path: pluginSocket.startsWith('@') ? `\0${pluginSocket.slice(1)}` : pluginSocket }) : undefined;
  if (socket) {
    socket.on('error', () => {}); // no CLI listening (run directly with a stale variable): nothing to watch
    socket.on('end', () => {
      if (!controller.signal.aborted) controller.abort(new CancelledError('SIGINT', { cause: 'the docker CLI closed the plugin socket' }));
    });
    socket.resume();
    socket.unref();
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [sig, handler] of handlers) process.off(sig, handler);
      socket?.destroy();
    },
  };
}
