import { type Command, Option } from 'commander';
import { serveProxy, type EnforcementMode } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { eprintln } from '../io.ts';

/** How long open exchanges (pulls, `logs -f`, attached sessions) may go on after SIGINT/SIGTERM. */
const GRACE_MS = 10_000;

/** `docker trustext proxy`: the enforcing Engine API proxy, in the foreground until SIGINT or SIGTERM. */
export function registerProxy(program: Command, ctx: CliContext): void {
  program
    .command('proxy')
    .description('Serve the Engine API on a unix socket, enforcing content trust for every client (docker, compose, SDKs)')
    .option('--listen <address>', 'unix:///PATH to listen on (default: docker.sock in $XDG_RUNTIME_DIR/trustext)')
    .option('--upstream <host>', 'the engine to forward to, as -H takes it: unix://, tcp:// or ssh:// (default: the engine docker itself would use)')
    .addOption(
      new Option('--mode <mode>', 'enforce: refuse what is not trusted; warn: allow it and log a warning').choices(['enforce', 'warn']).default('enforce'),
    )
    .action(async (opts: { listen?: string; upstream?: string; mode: EnforcementMode }) => {
      const proxy = await serveProxy(await ctx.session(), {
        ...(opts.listen && { listen: opts.listen }),
        ...(opts.upstream && { upstream: opts.upstream }),
        mode: opts.mode,
        log: (line) => eprintln(ctx.io, `${new Date().toISOString()} ${line}`),
      });
      eprintln(ctx.io, `${new Date().toISOString()} listening on unix://${proxy.socket}, forwarding to ${proxy.upstream}, mode ${proxy.mode}`);
      await new Promise<void>((stop) => {
        if (ctx.signal.aborted) stop();
        ctx.signal.addEventListener('abort', () => stop(), { once: true });
      });
      eprintln(ctx.io, `${new Date().toISOString()} stopping: open exchanges get ${GRACE_MS / 1000} s to finish`);
      await proxy.close(GRACE_MS);
    });
}
