import { type Command, CommanderError } from 'commander';
import { homedir } from 'node:os';
import { isSea } from 'node:sea';
import { openSession, readSettings, type Environment, type Session } from '../app/index.ts';
import { CancelledError, TrustExtError } from '../shared/errors.ts';
import { setupCancellation, signalExitCode } from './cancel.ts';
import type { CliContext } from './context.ts';
import { splitGlobalOptions } from './global-options.ts';
import { eprintln, processIo, type Io } from './io.ts';
import { createProgram, helpHint, isInformational } from './program.ts';
import { terminalPrompt } from './prompt.ts';

/** docker's exit codes: 0 ok, 1 failure, 125 usage error (cli/cobra.go FlagErrorFunc). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 125;

function causes(err: unknown): string[] {
  const out: string[] = [];
  for (let c = (err as { cause?: unknown }).cause; c !== undefined && out.length < 10; c = (c as { cause?: unknown }).cause) {
    out.push(c instanceof Error ? (c.stack ?? c.message) : String(c));
  }
  return out;
}

/** Prints a failure as one line (more with --debug) and returns its exit code. */
export function report(io: Io, err: unknown, debug: boolean, command?: Command): number {
  if (err instanceof CommanderError) return isInformational(err) ? EXIT_OK : EXIT_USAGE;
  if (err instanceof CancelledError) {
    eprintln(io, err.message);
    return signalExitCode(err.signal);
  }
  if (err instanceof TrustExtError) {
    eprintln(io, err.message);
    if (err.code === 'USAGE') eprintln(io, helpHint(command));
    if (debug) for (const c of causes(err)) eprintln(io, `caused by: ${c}`);
    return err.code === 'USAGE' ? EXIT_USAGE : EXIT_FAILURE;
  }
  eprintln(io, `unexpected error: ${err instanceof Error ? err.message : String(err)}`);
  if (debug && err instanceof Error && err.stack) eprintln(io, err.stack);
  return EXIT_FAILURE;
}

/**
 * Runs the plugin for argv as the docker CLI passes it (global options, `trustext`, command) and resolves to
 * the exit code. `forceExit` is called if a third signal arrives while a command is stuck.
 */
export async function run(argv: readonly string[], forceExit: (code: number) => void): Promise<number> {
  const env = process.env;
  const home = homedir();
  const settings = readSettings(env, { home, platform: process.platform });
  const io = processIo(settings.noColor);
  const cancellation = setupCancellation(settings.pluginSocket, forceExit);
  let debug = false;
  try {
    const { options, args } = splitGlobalOptions(argv);
    debug = options.debug;
    // Dependencies' deprecation warnings (docker-modem's url.parse) are nothing a user can act on.
    if (!debug) process.noDeprecation = true;
    const prompt = terminalPrompt(io.stderr);
    const environment: Environment = {
      settings,
      env,
      home,
      execPath: process.execPath,
      packaged: isSea(),
      selfCommand: isSea() ? [process.execPath] : [process.execPath, ...process.execArgv, process.argv[1] ?? ''],
      ...(prompt && { prompt }),
      notice: (line) => eprintln(io, `notice: ${line}`),
    };
    let session: Promise<Session> | undefined;
    const ctx: CliContext = {
      io,
      globals: options,
      environment,
      signal: cancellation.signal,
      session: () => (session ??= openSession(options, environment)),
    };
    return await runCommand(ctx, args);
  } catch (err) {
    return report(io, err, debug);
  } finally {
    cancellation.dispose();
  }
}

/** Parses and runs one command (after docker's global options) in `ctx`, and resolves to its exit code. */
export async function runCommand(ctx: CliContext, args: readonly string[]): Promise<number> {
  let command: Command | undefined;
  try {
    // A usage error points at the help of the command being parsed or run.
    const program = createProgram(ctx, (c) => {
      command = c;
    });
    if (args.length === 0) {
      program.outputHelp();
      return EXIT_OK;
    }
    await program.parseAsync(args, { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    return report(ctx.io, err, ctx.globals.debug, command);
  }
}
