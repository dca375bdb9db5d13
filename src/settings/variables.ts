/**
 * Every environment variable trustext honours, in one place, each with the one line that describes it. Only
 * read-settings.ts reads them (from the injected environment); messages that name a variable take its name from
 * here; `--help`'s Environment section and the README's table are generated from this list
 * (test/unit/variables.test.ts holds them together, and fails when src/ reads a variable anywhere else).
 */

/** One variable (or a group read together), as help and the README describe it. */
export interface Variable {
  readonly names: readonly string[];
  readonly description: string;
  /** Listed in `docker trustext --help` (the rest are docker's own, read as docker reads them). */
  readonly inHelp: boolean;
}

export const CONTENT_TRUST_ENV = 'DOCKER_CONTENT_TRUST';
export const TRUST_SERVER_ENV = 'DOCKER_CONTENT_TRUST_SERVER';
export const PASSPHRASE_ENV = 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE';
export const ROOT_PASSPHRASE_ENV = 'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE';
export const COSIGN_PASSWORD_ENV = 'COSIGN_PASSWORD';
export const KEYS_DIR_ENV = 'TRUSTEXT_KEYS_DIR';
export const POLICY_ENV = 'TRUSTEXT_POLICY';
/** Overall deadline of each registry or Notary exchange (retries included) and of each credential helper run. */
export const HTTP_TIMEOUT_ENV = 'TRUSTEXT_HTTP_TIMEOUT';
/** The lowest transfer rate (bytes per second, over a 30 s window) a response body may arrive at. */
export const HTTP_MIN_RATE_ENV = 'TRUSTEXT_HTTP_MIN_RATE';

export const VARIABLES: readonly Variable[] = [
  { names: [CONTENT_TRUST_ENV], description: 'on (any value but unset, empty, 0 or false): push signs, pull verifies', inHelp: true },
  {
    names: [TRUST_SERVER_ENV],
    description: 'the Notary trust server (https only); when set, --store defaults to both',
    inHelp: true,
  },
  { names: [PASSPHRASE_ENV], description: 'passphrase of the signing key, and of DCT targets and delegation keys (else asked on the terminal)', inHelp: true },
  { names: [ROOT_PASSPHRASE_ENV], description: 'passphrase of the DCT root key, for a new Notary repository (else asked on the terminal)', inHelp: true },
  {
    names: [COSIGN_PASSWORD_ENV],
    description: 'passphrase of a cosign key file, for key load/import/export --cosign (else the signing key passphrase)',
    inHelp: true,
  },
  { names: [KEYS_DIR_ENV], description: 'key store (default: ~/.local/share/trustext/keys; not under DOCKER_CONFIG)', inHelp: true },
  { names: [POLICY_ENV], description: 'trust policy file (must exist when set; default: policy.json in the key store)', inHelp: true },
  {
    names: [HTTP_TIMEOUT_ENV],
    description:
      'deadline of each registry/Notary request, retries included, and of credential helpers (a duration such as 90s or 5m; default 2m, helpers 60s)',
    inHelp: true,
  },
  { names: [HTTP_MIN_RATE_ENV], description: 'fail a response that arrives slower than this many bytes/s over 30 s (default 1024; 0: off)', inHelp: true },
  {
    names: ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'],
    description: 'proxies, read as docker reads them (Go’s ProxyFromEnvironment; lower-case forms too; loopback is never proxied)',
    inHelp: true,
  },
  { names: ['REQUEST_METHOD'], description: 'set (run as a CGI handler): an HTTP_PROXY is refused, as Go refuses it', inHelp: false },
  { names: ['NO_COLOR'], description: 'set and not empty: no colour (https://no-color.org)', inHelp: true },
  {
    names: ['XDG_DATA_HOME', 'LOCALAPPDATA'],
    description: 'where the default key store lives on Linux ($XDG_DATA_HOME/trustext/keys) and Windows (%LOCALAPPDATA%/trustext/Data/keys)',
    inHelp: false,
  },
  {
    names: ['XDG_RUNTIME_DIR'],
    description:
      'where the Engine API proxy keeps its socket, pid file and log ($XDG_RUNTIME_DIR/trustext; else /run/trustext as root, /tmp/trustext-UID otherwise)',
    inHelp: false,
  },
  { names: ['DOCKER_CONFIG'], description: 'the docker CLI’s configuration directory (config.json, contexts, trust/; default ~/.docker)', inHelp: false },
  {
    names: ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_TLS', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION'],
    description: 'the engine endpoint, as docker resolves it',
    inHelp: false,
  },
  { names: ['DOCKER_CLI_PLUGIN_SOCKET'], description: 'set by the docker CLI: when it closes, the command is cancelled', inHelp: false },
];

/** Every variable name, lower-case proxy forms included. */
export const VARIABLE_NAMES: ReadonlySet<string> = new Set(
  VARIABLES.flatMap((v) => v.names).flatMap((n) => (n.endsWith('_PROXY') ? [n, n.toLowerCase()] : [n])),
);
