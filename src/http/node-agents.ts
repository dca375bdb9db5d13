/**
 * The keep-alive agents of one node transport: plain http, one shared https agent for hosts without certs.d
 * entries, one per host that has them (its CAs added to the default roots, its client certificate presented) or
 * whose certificate is not verified (docker's insecure registries), and each of those again per proxy. Proxying
 * is node's own agent support (http.Agent `proxyEnv`: absolute-form requests for http, a CONNECT tunnel and TLS
 * to the origin for https, Proxy-Authorization from the URL's credentials); which proxy, if any, is decided
 * beforehand by proxy-from-env.ts, so node's NO_PROXY rules never apply.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { createSecureContext, getCACertificates } from 'node:tls';
import { loadHostTls } from './certs-dir.ts';

/** What the agents are built from. */
export interface AgentSettings {
  readonly certsDirs: readonly string[];
  /** Hosts (host[:port]) whose certificate is not verified, as docker does for insecure registries. */
  readonly skipVerify: (host: string) => boolean;
}

/** Hands out agents per scheme, host and proxy; each is created once and reused for the transport's lifetime. */
export class Agents {
  readonly #settings: AgentSettings;
  readonly #agents = new Map<string, HttpAgent>();
  readonly #tls = new Map<string, Promise<AgentOptions | undefined>>();

  constructor(settings: AgentSettings) {
    this.#settings = settings;
  }

  /** The agent for plain http requests, direct or through `proxy`. */
  http(proxy: URL | undefined): HttpAgent {
    return this.#agent(`http ${proxy?.href ?? ''}`, () => new HttpAgent({ keepAlive: true, ...(proxy && { proxyEnv: { HTTP_PROXY: proxy.href } }) }));
  }

  /** The agent for https requests to `host`, direct or through `proxy`; certs.d is read on first use of the host. */
  async https(host: string, proxy: URL | undefined): Promise<HttpsAgent> {
    const tls = await this.#tlsFor(host);
    return this.#agent(
      `https ${tls ? host : ''} ${proxy?.href ?? ''}`,
      () =>
        new HttpsAgent({
          keepAlive: true,
          ...tls,
          ...(proxy && { proxyEnv: { HTTPS_PROXY: proxy.href } }),
        }),
    ) as HttpsAgent;
  }

  #agent(key: string, create: () => HttpAgent): HttpAgent {
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = create();
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** The host's own TLS options, or undefined when the defaults apply. */
  #tlsFor(host: string): Promise<AgentOptions | undefined> {
    let tls = this.#tls.get(host);
    if (!tls) {
      const skip = this.#settings.skipVerify(host);
      tls = loadHostTls(this.#settings.certsDirs, host).then((found) => {
        if (!found && !skip) return undefined;
        // One secure context per host, built once: passing `ca` instead makes node parse the ~150 default roots
        // again for every new connection, and fold them into every request's agent pool name.
        const secureContext =
          found &&
          createSecureContext({
            ca: [...getCACertificates('default'), ...found.ca],
            ...(found.cert && { cert: found.cert }),
            ...(found.key && { key: found.key }),
          });
        return { ...(secureContext && { secureContext }), ...(skip && { rejectUnauthorized: false }) };
      });
      tls.catch(() => this.#tls.delete(host));
      this.#tls.set(host, tls);
    }
    return tls;
  }
}
