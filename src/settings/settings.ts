/**
 * What the environment tells trustext, typed: every variable of variables.ts as the code that acts on it wants
 * it. Built once per process by readSettings (read-settings.ts) from the injected environment and handed down; no
 * other module reads a variable.
 */

/** The proxy variables as Go's httpproxy.FromEnvironment reads them (golang.org/x/net/http/httpproxy Config). */
export interface ProxyEnvironment {
  /** HTTP_PROXY, else http_proxy: the proxy for http URLs. */
  readonly httpProxy: string;
  /** HTTPS_PROXY, else https_proxy: the proxy for https URLs. */
  readonly httpsProxy: string;
  /** NO_PROXY, else no_proxy: comma-separated hosts, domains, IPs and prefixes never proxied; `*` for all. */
  readonly noProxy: string;
  /** REQUEST_METHOD is set: we run as a CGI handler, where HTTP_PROXY may come from a client (golang.org/s/cgihttpproxy). */
  readonly cgi: boolean;
}

/** The engine endpoint variables, as docker/cli reads them (cli/flags/options.go, cli/command/cli.go). */
export interface DockerEnvironment {
  /** DOCKER_HOST, when not empty. */
  readonly host?: string;
  /** DOCKER_CONTEXT, when not empty. */
  readonly context?: string;
  /** DOCKER_TLS is not empty. */
  readonly tls: boolean;
  /** DOCKER_TLS_VERIFY is not empty. */
  readonly tlsVerify: boolean;
  /** DOCKER_CERT_PATH, when not empty. */
  readonly certPath?: string;
  /** DOCKER_API_VERSION, when not empty: pins the API version instead of negotiating. */
  readonly apiVersion?: string;
}

/** TRUSTEXT_HTTP_TIMEOUT and TRUSTEXT_HTTP_MIN_RATE, when set (the http module holds the defaults). */
export interface HttpEnvironment {
  /** Each exchange's deadline, retries included, and the credential helpers'. */
  readonly timeoutMs?: number;
  /** The lowest transfer rate a response body may arrive at, in bytes per second; 0 turns the rule off. */
  readonly minRateBytesPerSecond?: number;
}

/** Passphrases from the environment: the DCT ones when set and not empty (docker's rule). Never logged. */
export interface Passphrases {
  /** DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: the signing key, DCT targets and delegation keys. */
  readonly repository?: string;
  /** DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: a DCT root key. */
  readonly root?: string;
  /** COSIGN_PASSWORD: a cosign key file; set and empty counts, as cosign's os.LookupEnv takes it (an empty password). */
  readonly cosign?: string;
}

export interface Settings {
  /** DOCKER_CONTENT_TRUST, as docker/cli cli/trust Enabled() reads it. */
  readonly contentTrust: boolean;
  /**
   * DOCKER_CONTENT_TRUST_SERVER as a URL, undefined when unset or empty. Throws CONFIG_INVALID (docker's text) when
   * it is not an https URL with a host: checked when trust data is about to be used, as DCT does, so a broken value
   * does not stop commands that never look at a trust server.
   */
  trustServer(): URL | undefined;
  readonly passphrases: Passphrases;
  /** The key store: TRUSTEXT_KEYS_DIR, else the per-user data directory (never under DOCKER_CONFIG). */
  readonly keysDir: string;
  /** TRUSTEXT_POLICY, when not empty: the policy file, which must then exist. */
  readonly policyFile?: string;
  /** The HTTP limits; throws USAGE, naming the variable and the value, for one we cannot use. */
  http(): HttpEnvironment;
  readonly proxy: ProxyEnvironment;
  /** NO_COLOR is set and not empty (https://no-color.org). */
  readonly noColor: boolean;
  /** DOCKER_CONFIG, when not empty. */
  readonly dockerConfig?: string;
  readonly docker: DockerEnvironment;
  /** DOCKER_CLI_PLUGIN_SOCKET, when not empty: the docker CLI closes it to cancel the command. */
  readonly pluginSocket?: string;
  /** XDG_RUNTIME_DIR: where the Engine API proxy keeps its socket, pid file and log by default. */
  readonly runtimeDir?: string;
}
