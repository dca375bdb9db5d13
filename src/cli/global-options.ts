import { UsageError } from '../shared/errors.ts';
import { parseGoBool } from '../shared/go-bool.ts';

/** docker's global options (cli/flags/options.go) as they may stand before `trustext`. */
export interface GlobalOptions {
  configDir?: string;
  context?: string;
  debug: boolean;
  hosts: string[];
  logLevel?: string;
  tls?: boolean;
  tlsVerify?: boolean;
  tlsCaCert?: string;
  tlsCert?: string;
  tlsKey?: string;
}

/** The plugin name the docker CLI leaves in argv after the global options. */
export const PLUGIN_NAME = 'trustext';

type Spec = { key: keyof GlobalOptions; kind: 'value' | 'bool' | 'list' };
const LONG: Record<string, Spec> = {
  config: { key: 'configDir', kind: 'value' },
  context: { key: 'context', kind: 'value' },
  debug: { key: 'debug', kind: 'bool' },
  host: { key: 'hosts', kind: 'list' },
  'log-level': { key: 'logLevel', kind: 'value' },
  tls: { key: 'tls', kind: 'bool' },
  tlsverify: { key: 'tlsVerify', kind: 'bool' },
  tlscacert: { key: 'tlsCaCert', kind: 'value' },
  tlscert: { key: 'tlsCert', kind: 'value' },
  tlskey: { key: 'tlsKey', kind: 'value' },
};
const SHORT: Record<string, string> = { c: 'context', D: 'debug', H: 'host', l: 'log-level' };
const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'panic']);

/** docker's quotedString: strips one pair of matching quotes around TLS paths. */
function trimQuotes(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0] ? v.slice(1, -1) : v;
}

function assign(out: GlobalOptions, name: string, spec: Spec, value: string | undefined): void {
  if (spec.kind === 'bool') {
    const b = value === undefined ? true : parseGoBool(value);
    if (b === undefined) throw new UsageError(`invalid argument "${value}" for "--${name}" flag: parse error`);
    (out as unknown as Record<string, unknown>)[spec.key] = b;
  } else if (spec.kind === 'list') {
    out.hosts.push(value!);
  } else {
    (out as unknown as Record<string, unknown>)[spec.key] = spec.key.startsWith('tls') ? trimQuotes(value!) : value;
  }
}

/** Takes one `--name[=value]` global option; returns how many argv entries it used (0: not a global option). */
function takeLong(out: GlobalOptions, arg: string, next: string | undefined): number {
  const body = arg.slice(2);
  const eq = body.indexOf('=');
  const name = eq >= 0 ? body.slice(0, eq) : body;
  const spec = LONG[name];
  if (!spec) return 0;
  if (spec.kind === 'bool' || eq >= 0) {
    assign(out, name, spec, eq >= 0 ? body.slice(eq + 1) : undefined);
    return 1;
  }
  if (next === undefined) throw new UsageError(`flag needs an argument: --${name}`);
  assign(out, name, spec, next);
  return 2;
}

/**
 * Takes `-X`, `-Xvalue`, `-X=value` or chained booleans like `-Dl debug` (pflag shorthand rules); returns how
 * many argv entries it used, 0 when the first letter is not a global option.
 */
function takeShorts(out: GlobalOptions, arg: string, next: string | undefined): number {
  for (let j = 1; j < arg.length; j++) {
    const name = SHORT[arg[j]!];
    if (name === undefined) {
      if (j === 1) return 0;
      throw new UsageError(`unknown shorthand flag: '${arg[j]}' in ${arg}`);
    }
    const spec = LONG[name]!;
    const rest = arg.slice(j + 1);
    if (spec.kind === 'bool') {
      if (rest.startsWith('=')) {
        assign(out, name, spec, rest.slice(1));
        return 1;
      }
      assign(out, name, spec, undefined);
      continue;
    }
    if (rest !== '') {
      assign(out, name, spec, rest.startsWith('=') ? rest.slice(1) : rest);
      return 1;
    }
    if (next === undefined) throw new UsageError(`flag needs an argument: '${arg[j]}' in -${arg[j]}`);
    assign(out, name, spec, next);
    return 2;
  }
  return 1;
}

/**
 * Splits argv as the docker CLI hands it to a plugin (`[global options] trustext COMMAND …`) or as a user types
 * it (`docker-trustext [global options] COMMAND …`): the global options, and the remaining arguments with the
 * plugin name removed. `help trustext …` (from `docker help trustext`) becomes `help …`.
 */
export function splitGlobalOptions(argv: readonly string[]): { options: GlobalOptions; args: string[] } {
  const options: GlobalOptions = { debug: false, hosts: [] };
  const args = [...argv];
  const i = 0;
  let sawPlugin = false;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === '--') {
      args.splice(i, 1);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === PLUGIN_NAME && !sawPlugin) {
        args.splice(i, 1);
        sawPlugin = true;
        continue;
      }
      break;
    }
    const consumed = arg.startsWith('--') ? takeLong(options, arg, args[i + 1]) : takeShorts(options, arg, args[i + 1]);
    if (consumed === 0) break; // not a global option: the command's own flag (or an unknown one) for commander to judge
    args.splice(i, consumed);
  }
  if (args[0] === 'help' && args[1] === PLUGIN_NAME) args.splice(1, 1);
  // logrus.ParseLevel ignores case; an empty level means info (cli/flags SetLogLevel).
  if (options.logLevel !== undefined && options.logLevel !== '' && !LOG_LEVELS.has(options.logLevel.toLowerCase())) {
    throw new UsageError(`unable to parse logging level: ${options.logLevel}`);
  }
  return { options, args };
}
