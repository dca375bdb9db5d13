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

/**
 * Splits argv as the docker CLI hands it to a plugin (`[global options] trustext COMMAND …`) or as a user types
 * it (`docker-trustext [global options] COMMAND …`): the global options, and the remaining arguments with the
 * plugin name removed. `help trustext …` (from `docker help trustext`) becomes `help …`.
 */
export function splitGlobalOptions(argv: readonly string[]): { options: GlobalOptions; args: string[] } {
  const options: GlobalOptions = { debug: false, hosts: [] };
  const args = [...argv];
  let i = 0;
  let sawPlugin = false;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === '--') { args.splice(i, 1); break; }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === PLUGIN_NAME && !sawPlugin) { args.splice(i, 1); sawPlugin = true; continue; }
      break;
    }
    const long = arg.startsWith('--');
    const body = long ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    let name = long ? (eq >= 0 ? body.slice(0, eq) : body) : SHORT[body[0]!];
    let inline = long ? (eq >= 0 ? body.slice(eq + 1) : undefined) : body.length > 1 ? body.slice(body[1] === '=' ? 2 : 1) : undefined;
    const spec = name === undefined ? undefined : LONG[name];
    if (!spec) break; // not a global option: the command's own flag (or an unknown one) for commander to judge
    name = name!;
    let consumed = 1;
    if (spec.kind !== 'bool' && inline === undefined) {
      inline = args[i + 1];
      if (inline === undefined) throw new UsageError(`flag needs an argument: --${name}`);
      consumed = 2;
    }
    assign(options, name, spec, inline);
    args.splice(i, consumed);
  }
  if (args[0] === 'help' && args[1] === PLUGIN_NAME) args.splice(1, 1);
  if (options.logLevel !== undefined && !LOG_LEVELS.has(options.logLevel)) {
    throw new UsageError(`unable to parse logging level: ${options.logLevel}`);
  }
  return { options, args };
}
