/** Settings and use-case environments built from a plain record of variables, as the CLI builds them from process.env. */
import type { Environment } from '../../src/app/session/session.ts';
import { readSettings, type EnvRecord, type Settings } from '../../src/settings/index.ts';

/** The settings `env` gives, for a Linux user whose home is /home/u unless `platform` / `home` say otherwise. */
export function settingsFrom(env: EnvRecord, host: { home?: string; platform?: string } = {}): Settings {
  return readSettings(env, { home: host.home ?? '/home/u', platform: host.platform ?? 'linux' });
}

/** A use-case environment over `env` (no terminal unless `over.prompt`), with settings read from it. */
export function environmentFrom(env: EnvRecord, over: Partial<Environment> = {}): Environment {
  return { settings: settingsFrom(env), env, home: '/home/u', execPath: process.execPath, packaged: false, ...over };
}
