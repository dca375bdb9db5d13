import type { Command } from 'commander';
import { engineVersion, pluginVersion, type EngineReport, type PluginVersion } from '../../app/index.ts';
import type { CliContext } from '../context.ts';
import { println } from '../io.ts';
import { formatOption } from '../options.ts';

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386' };

function pretty(plugin: PluginVersion, engine: EngineReport | undefined): string {
  const row = (k: string, v: string) => ` ${`${k}:`.padEnd(18)} ${v}`;
  const lines = [
    'trustext:',
    row('Version', plugin.version),
    row('Node.js version', plugin.node),
    row('OS/Arch', `${plugin.os}/${GO_ARCH[plugin.arch] ?? plugin.arch}`),
    row('Single binary', plugin.packaged ? 'yes' : 'no'),
  ];
  if (engine) {
    const api = engine.minApiVersion ? `${engine.apiVersion} (minimum version ${engine.minApiVersion})` : engine.apiVersion;
    lines.push('', 'Engine:', row('Context', engine.context), row('Host', engine.host), row('Version', engine.version), row('API version', api));
    if (engine.goVersion) lines.push(row('Go version', engine.goVersion));
    if (engine.gitCommit) lines.push(row('Git commit', engine.gitCommit));
    lines.push(row('OS/Arch', `${engine.os}/${engine.arch}`));
  }
  return lines.join('\n');
}

/** `docker trustext version`: the plugin's version and the engine's, proving the endpoint wiring. */
export function registerVersion(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .description('Show the trustext version and the version of the engine it talks to')
    .addOption(formatOption())
    .action(async (opts: { format: string }) => {
      const session = await ctx.session();
      const plugin = pluginVersion(session);
      let engine: EngineReport | undefined;
      let failure: unknown;
      try {
        engine = await engineVersion(session, ctx.signal);
      } catch (err) {
        failure = err;
      }
      if (opts.format === 'json') println(ctx.io, JSON.stringify({ Plugin: plugin, Engine: engine ?? null }));
      else println(ctx.io, pretty(plugin, engine));
      if (failure) throw failure;
    });
}
