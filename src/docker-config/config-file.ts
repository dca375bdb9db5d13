import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors.ts';

/** The parts of docker's config.json that trustext reads. Unknown fields are kept untouched by docker; we only read. */
export interface DockerConfigFile {
  readonly currentContext?: string;
  readonly cliPluginsExtraDirs?: readonly string[];
  readonly credsStore?: string;
  readonly credHelpers?: Readonly<Record<string, string>>;
  readonly auths?: Readonly<Record<string, { auth?: string; identitytoken?: string }>>;
}

/** Largest config.json we read into memory. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Reads `<dir>/config.json`. A missing file is an empty config, as in docker; unreadable or invalid JSON is a
 * ConfigError naming the file.
 */
export async function loadConfigFile(dir: string): Promise<DockerConfigFile> {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_CONFIG_BYTES) throw new Error(`larger than ${MAX_CONFIG_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError('CONFIG_INVALID', `cannot read docker config file ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('CONFIG_INVALID', `docker config file ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('CONFIG_INVALID', `docker config file ${file} must hold a JSON object`);
  }
  return parsed as DockerConfigFile;
}
