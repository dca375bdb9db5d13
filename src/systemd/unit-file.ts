/**
 * A systemd service unit as text (systemd.service(5), systemd.exec(5)), quoted per systemd.syntax(7): every
 * ExecStart= word and Environment= assignment in double quotes, `\` and `"` escaped, `%` doubled (specifiers are
 * expanded in both), `$` doubled in ExecStart= (variables are expanded there). Values systemd cannot hold on one
 * line (newlines, other control characters) are refused. Pure.
 */
import { ConfigError } from '../shared/errors.ts';

/** What the unit runs and how. */
export interface ServiceSpec {
  readonly description: string;
  /** The program and its arguments. */
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** Seconds systemd waits after SIGTERM before SIGKILL. */
  readonly stopTimeoutSec: number;
}

function quoted(what: string, value: string, dollar: boolean): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new ConfigError('CONFIG_INVALID', `cannot write ${what} into a systemd unit: it holds a control character`);
  let s = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%');
  if (dollar) s = s.replace(/\$/g, '$$$$');
  return `"${s}"`;
}

/** The unit file's text: a simple service restarted on failure, started with the user's default target. */
export function serviceUnit(spec: ServiceSpec): string {
  const exec = spec.command.map((word, i) => quoted(i === 0 ? 'the program path' : `argument ${JSON.stringify(word)}`, word, true)).join(' ');
  const env = Object.entries(spec.environment).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new ConfigError('CONFIG_INVALID', `cannot write the variable ${JSON.stringify(name)} into a systemd unit`);
    return `Environment=${quoted(name, `${name}=${value}`, false)}`;
  });
  return [
    '# Written by docker trustext enforce on; removed by docker trustext enforce off.',
    '[Unit]',
    `Description=${spec.description.replace(/%/g, '%%')}`,
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...env,
    'UMask=0077',
    'Restart=on-failure',
    'RestartSec=1',
    `TimeoutStopSec=${spec.stopTimeoutSec}`,
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}
