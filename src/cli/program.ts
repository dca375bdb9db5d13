import { Command, type CommanderError } from 'commander';
import { PLUGIN_METADATA } from '../shared/product.ts';
import { registerInspect } from './commands/index.ts';
import { registerInstall } from './commands/index.ts';
import { registerKey } from './commands/index.ts';
import { registerMigrate } from './commands/index.ts';
import { registerPolicy } from './commands/index.ts';
import { registerPull } from './commands/index.ts';
import { registerPush } from './commands/index.ts';
import { registerRevoke } from './commands/index.ts';
import { registerSign } from './commands/index.ts';
import { registerSigner } from './commands/index.ts';
import { registerVerify } from './commands/index.ts';
import { registerVersion } from './commands/index.ts';
import type { CliContext } from './context.ts';

const GLOBAL_HELP = `
Global options (before the command, as for docker):
      --config string      location of client config files (default $DOCKER_CONFIG or ~/.docker)
  -c, --context string     name of the context to use to connect to the daemon
  -D, --debug              enable debug mode (print error causes)
  -H, --host string        daemon socket to connect to
  -l, --log-level string   set the logging level
      --tls, --tlsverify, --tlscacert, --tlscert, --tlskey   engine TLS, as for docker

Environment:
  DOCKER_CONTENT_TRUST     on (any value but unset, empty, 0 or false): push signs, pull verifies
  DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE   passphrase of the signing key (else asked on the terminal)
  TRUSTEXT_KEYS_DIR        key store (default: ~/.local/share/trustext/keys; not under DOCKER_CONFIG)
  TRUSTEXT_POLICY          trust policy file (must exist when set; default: policy.json in the key store)
  TRUSTEXT_HTTP_TIMEOUT    deadline of each registry/Notary request, retries included, and of credential
                           helpers (a duration such as 90s or 5m; default 2m, helpers 60s)
  TRUSTEXT_HTTP_MIN_RATE   fail a response that arrives slower than this many bytes/s over 30 s (default 1024; 0: off)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY   proxies, read as docker reads them (loopback is never proxied)

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
