import { join } from 'node:path';

/**
 * The docker CLI configuration directory, resolved as docker does: `--config` > `$DOCKER_CONFIG` > `~/.docker`
 * (docker/cli cli/config/config.go Dir()). Pure: the caller passes the flag, DOCKER_CONFIG and the home folder.
 */
export function resolveConfigDir(flag: string | undefined, dockerConfig: string | undefined, home: string): string {
  if (flag) return flag;
  if (dockerConfig) return dockerConfig;
  return join(home, '.docker');
}
