import { join } from 'node:path';

/**
 * The docker CLI configuration directory, resolved as docker does: `--config` > `$DOCKER_CONFIG` > `~/.docker`
 * (docker/cli cli/config/config.go Dir()). Pure: the caller passes the flag, the environment and the home folder.
 */
export function resolveConfigDir(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, home: string): string {
  if (flag) return flag;
  const fromEnv = env.DOCKER_CONFIG;
  if (fromEnv) return fromEnv;
  return join(home, '.docker');
}
