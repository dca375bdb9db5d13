/**
 * The one reader of the environment: readSettings turns the injected variables into Settings. Empty values count
 * as unset, as Go's `os.Getenv(...) != ""` checks do, except where the program we mirror says otherwise.
 */
import { join } from 'node:path';
import { parseDuration } from '../shared/duration.ts';
import { ConfigError, UsageError } from '../shared/errors.ts';
import { contentTrustEnabled } from './content-trust.ts';
import type { HttpEnvironment, Settings } from './settings.ts';
import {
  CONTENT_TRUST_ENV,
  COSIGN_PASSWORD_ENV,
  HTTP_MIN_RATE_ENV,
  HTTP_TIMEOUT_ENV,
  KEYS_DIR_ENV,
  PASSPHRASE_ENV,
  POLICY_ENV,
  ROOT_PASSPHRASE_ENV,
  TRUST_SERVER_ENV,
} from './variables.ts';

export type EnvRecord = Readonly<Record<string, string | undefined>>;

/** What readSettings needs besides the variables: the user's home and the platform (for the default key store). */
export interface HostFacts {
  readonly home: string;
  readonly platform: string;
}

/**
 * The default key store, where env-paths('trustext', {suffix: ''}).data puts a program's data (sindresorhus/env-paths
 * index.js), plus keys/: `$XDG_DATA_HOME/trustext/keys` or `~/.local/share/trustext/keys` on Linux,
 * `~/Library/Application Support/trustext/keys` on macOS, `%LOCALAPPDATA%\trustext\Data\keys` on Windows.
 */
function defaultKeysDir(get: (name: string) => string | undefined, host: HostFacts): string {
  if (host.platform === 'darwin') return join(host.home, 'Library', 'Application Support', 'trustext', 'keys');
  if (host.platform === 'win32') return join(get('LOCALAPPDATA') ?? join(host.home, 'AppData', 'Local'), 'trustext', 'Data', 'keys');
  return join(get('XDG_DATA_HOME') ?? join(host.home, '.local', 'share'), 'trustext', 'keys');
}

/**
 * DOCKER_CONTENT_TRUST_SERVER as docker/cli trust.Server checks it (cli/trust/trust.go): an https URL with a host,
 * else CONFIG_INVALID with docker's text.
 */
function trustServerUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.host === '') throw new ConfigError('CONFIG_INVALID', `valid https URL required for trust server, got ${value}`);
  return url;
}

/** TRUSTEXT_HTTP_TIMEOUT (a Go duration such as 90s or 2m) and TRUSTEXT_HTTP_MIN_RATE (whole bytes per second). */
function httpEnvironment(get: (name: string) => string | undefined): HttpEnvironment {
  const timeoutText = get(HTTP_TIMEOUT_ENV)?.trim();
  const timeoutMs = timeoutText ? parseDuration(timeoutText) : undefined;
  if (timeoutText && timeoutMs === undefined) {
    throw new UsageError(`invalid ${HTTP_TIMEOUT_ENV} ${JSON.stringify(timeoutText.slice(0, 40))}: want a positive duration such as 90s or 2m`);
  }
  const rateText = get(HTTP_MIN_RATE_ENV)?.trim();
  if (rateText && !/^\d{1,12}$/.test(rateText)) {
    throw new UsageError(
      `invalid ${HTTP_MIN_RATE_ENV} ${JSON.stringify(rateText.slice(0, 40))}: want a number of bytes per second such as 1024 (0 turns the check off)`,
    );
  }
  return { ...(timeoutMs !== undefined && { timeoutMs }), ...(rateText && { minRateBytesPerSecond: Number(rateText) }) };
}

/** Reads every variable trustext honours from `env`. Never throws: the values that can be wrong are checked when used. */
export function readSettings(env: EnvRecord, host: HostFacts): Settings {
  const get = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const first = (...names: string[]): string => names.map(get).find((v) => v !== undefined) ?? '';
  const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
  const trustServer = get(TRUST_SERVER_ENV);
  let http: HttpEnvironment | undefined;
  return {
    contentTrust: contentTrustEnabled(env[CONTENT_TRUST_ENV]),
    trustServer: () => (trustServer === undefined ? undefined : trustServerUrl(trustServer)),
    passphrases: {
      ...optional('repository', get(PASSPHRASE_ENV)),
      ...optional('root', get(ROOT_PASSPHRASE_ENV)),
      ...optional('cosign', env[COSIGN_PASSWORD_ENV]),
    },
    keysDir: get(KEYS_DIR_ENV) ?? defaultKeysDir(get, host),
    ...optional('policyFile', get(POLICY_ENV)),
    http: () => (http ??= httpEnvironment(get)),
    // Go's FromEnvironment: upper-case names win over lower-case ones.
    proxy: {
      httpProxy: first('HTTP_PROXY', 'http_proxy'),
      httpsProxy: first('HTTPS_PROXY', 'https_proxy'),
      noProxy: first('NO_PROXY', 'no_proxy'),
      cgi: get('REQUEST_METHOD') !== undefined,
    },
    noColor: get('NO_COLOR') !== undefined,
    ...optional('dockerConfig', get('DOCKER_CONFIG')),
    docker: {
      ...optional('host', get('DOCKER_HOST')),
      ...optional('context', get('DOCKER_CONTEXT')),
      tls: get('DOCKER_TLS') !== undefined,
      tlsVerify: get('DOCKER_TLS_VERIFY') !== undefined,
      ...optional('certPath', get('DOCKER_CERT_PATH')),
      ...optional('apiVersion', get('DOCKER_API_VERSION')),
    },
    ...optional('pluginSocket', get('DOCKER_CLI_PLUGIN_SOCKET')),
    ...optional('runtimeDir', get('XDG_RUNTIME_DIR')),
  };
}
