import { type Command, Option } from 'commander';
import { enforceOff, enforceOn, enforceStatus, SERVICE_UNIT, type EnforceReport, type EnforcementMode, type ServiceKind } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { eprintln, println } from '../io.ts';
import { formatOption } from '../options.ts';

/** The caveat `status` and `on` state plainly: the proxy is a boundary only for those who cannot reach the engine. */
const BYPASS =
  'anyone who can reach the engine socket directly (the docker group, DOCKER_HOST, another context) bypasses the proxy: to close that, let only the proxy reach dockerd (dockerd -H unix:///run/docker-real.sock, the proxy on /var/run/docker.sock)';

function pretty(r: EnforceReport): string {
  const row = (k: string, v: string) => `${`${k}:`.padEnd(12)} ${v}`;
  const p = r.proxy;
  const lines = [row('Enforcement', r.on ? 'on (the docker context trustext is current)' : 'off')];
  const s = r.state;
  if (s || p) {
    lines.push(row('Proxy', p ? `up, pid ${String(p.pid)}, ${String(p.socket)}` : `down (log: ${s?.log})`));
    lines.push(row('Upstream', String(p?.upstream ?? s?.upstream)), row('Mode', String(p?.mode ?? s?.mode)));
  }
  if (s) lines.push(row('Runs as', s.service === 'systemd' ? `systemd user service ${SERVICE_UNIT} (log: ${s.log})` : `process (log: ${s.log})`));
  if (p) {
    const cache = p.cache as { entries: number; hits: number; misses: number };
    lines.push(row('Decisions', `${String(p.allowed)} allowed, ${String(p.refused)} refused, ${String(p.warned)} warned`));
    lines.push(row('Cache', `${cache.entries} entries, ${cache.hits} hits, ${cache.misses} misses`));
  }
  if (r.overridden) lines.push('Warning: DOCKER_HOST or DOCKER_CONTEXT is set here, so this shell’s docker does not use the current context');
  lines.push(`Note: ${BYPASS}`);
  return lines.join('\n');
}

/** `docker trustext enforce on|off|status`: the proxy in the background and docker's context pointed at it. */
export function registerEnforce(program: Command, ctx: CliContext): void {
  const enforce = program.command('enforce').description('Enforce content trust for every docker client through the Engine API proxy');
  enforce
    .command('on')
    .description('Start the proxy in the background and make the docker context "trustext" (pointing at it) current')
    .addOption(
      new Option('--mode <mode>', 'enforce: refuse what is not trusted; warn: allow it and log a warning').choices(['enforce', 'warn']).default('enforce'),
    )
    .option('--upstream <host>', 'the engine to forward to: unix://, tcp:// or ssh:// (default: the one docker uses now)')
    .addOption(
      new Option(
        '--service <kind>',
        `systemd: a systemd user service (${SERVICE_UNIT}); process: a detached process (default: systemd where a user manager runs)`,
      ).choices(['systemd', 'process']),
    )
    .action(async (opts: { mode: EnforcementMode; upstream?: string; service?: ServiceKind }) => {
      const r = await enforceOn(await ctx.session(), {
        mode: opts.mode,
        ...(opts.upstream && { upstream: opts.upstream }),
        ...(opts.service && { service: opts.service }),
      });
      println(ctx.io, `Content trust enforced: docker context "trustext" -> unix://${r.state!.socket} -> ${r.state!.upstream} (mode ${r.state!.mode})`);
      if (r.overridden) eprintln(ctx.io, 'warning: DOCKER_HOST or DOCKER_CONTEXT is set here, so this shell’s docker does not use the current context');
      eprintln(ctx.io, `note: ${BYPASS}`);
    });
  enforce
    .command('off')
    .description('Make the previous docker context current again and stop the proxy')
    .action(async () => {
      const r = await enforceOff(await ctx.session());
      println(ctx.io, `Content trust no longer enforced: docker context "${r.previousContext ?? 'default'}" is current${r.stopped ? ', proxy stopped' : ''}`);
    });
  enforce
    .command('status')
    .description('Show whether the proxy is up, its upstream, mode and counters')
    .addOption(formatOption())
    .action(async (opts: { format: string }) => {
      const r = await enforceStatus(await ctx.session());
      println(ctx.io, opts.format === 'json' ? JSON.stringify({ ...r, bypass: BYPASS }) : pretty(r));
    });
}
