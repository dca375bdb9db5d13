import { Command, type CommanderError } from 'commander';
import { PLUGIN_METADATA } from '../shared/product.ts';
import {
  registerEnforce,
  registerInspect,
  registerInstall,
  registerKey,
  registerMigrate,
  registerPolicy,
  registerProxy,
  registerPull,
  registerPush,
  registerRevoke,
  registerSign,
  registerSigner,
  registerVerify,
  registerVersion,
} from './commands/index.ts';
import type { CliContext } from './context.ts';
import { VARIABLES } from '../app/index.ts';

/** The help's Environment section, from the one list of variables: `  NAME   description`, wrapped under the column. */
export function environmentHelp(width = 118): string {
  const column = 27;
  return VARIABLES.filter((v) => v.inHelp)
    .map((v) => {
      const name = `  ${v.names.join(', ')}`;
      const words = v.description.split(' ');
      const lines: string[] = [];
      let line = name.length + 2 > column ? `${name}   ` : name.padEnd(column);
      let empty = true;
      for (const w of words) {
        if (!empty && line.length + 1 + w.length > width) {
          lines.push(line);
          line = ' '.repeat(column);
          empty = true;
        }
        line += empty ? w : ` ${w}`;
        empty = false;
      }
      lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}

const GLOBAL_HELP = `
Global options (before the command, as for docker):
      --config string      location of client config files (default $DOCKER_CONFIG or ~/.docker)
  -c, --context string     name of the context to use to connect to the daemon
  -D, --debug              enable debug mode (print error causes)
  -H, --host string        daemon socket to connect to
  -l, --log-level string   set the logging level
      --tls, --tlsverify, --tlscacert, --tlscert, --tlskey   engine TLS, as for docker

Environment:
${environmentHelp()}

Run 'docker trustext COMMAND --help' for more information on a command.`;

/** Builds the commander program for `docker trustext`; parse errors surface as CommanderError (exit 125). */
export function createProgram(ctx: CliContext, onCommand?: (cmd: Command) => void): Command {
  const program = new Command('docker trustext')
    .usage('[OPTIONS] COMMAND')
    .description(PLUGIN_METADATA.ShortDescription)
    .helpOption('-h, --help', 'print usage')
    .helpCommand('help [command]', 'help about a command')
    .addHelpText('after', GLOBAL_HELP)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .exitOverride();
  registerVersion(program, ctx);
  registerPush(program, ctx);
  registerPull(program, ctx);
  registerSign(program, ctx);
  registerVerify(program, ctx);
  registerInspect(program, ctx);
  registerRevoke(program, ctx);
  registerKey(program, ctx);
  registerSigner(program, ctx);
  registerPolicy(program, ctx);
  registerMigrate(program, ctx);
  registerProxy(program, ctx);
  registerEnforce(program, ctx);
  registerInstall(program, ctx);
  program.showHelpAfterError(helpHint(program));
  for (const cmd of subcommands(program)) {
    cmd.helpOption('-h, --help', 'print usage').showHelpAfterError(helpHint(cmd)).exitOverride();
  }
  if (onCommand) {
    for (const cmd of [program, ...subcommands(program)]) cmd.hook('preSubcommand', (_parent, sub) => onCommand(sub));
  }
  return program;
}

function* subcommands(cmd: Command): Generator<Command> {
  for (const sub of cmd.commands) {
    yield sub;
    yield* subcommands(sub);
  }
}

/** docker's hint after a usage error, naming the command's own help: `See 'docker trustext key generate --help'.` */
export function helpHint(cmd: Command | undefined): string {
  const names: string[] = [];
  for (let c = cmd; c; c = c.parent ?? undefined) names.unshift(c.name());
  return `See '${names.length > 0 ? names.join(' ') : 'docker trustext'} --help'.`;
}

/** True for the CommanderErrors that mean "help or version was shown", which exit 0. */
export function isInformational(err: CommanderError): boolean {
  return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0;
}
