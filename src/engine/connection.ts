import { Agent as HttpsAgent } from 'node:https';
import type { Agent } from 'node:http';
import { unbracket } from '../net/index.ts';
import { EngineError } from '../shared/errors.ts';
import type { Endpoint } from './endpoint.ts';
import { SshDialStdioAgent } from './ssh-agent.ts';

/** docker-modem connection options, every key set so that nothing falls back to docker-modem's env defaults. */
export interface ModemOptions {
  socketPath: string | undefined;
  host: string | undefined;
  port: string | undefined;
  protocol: 'http' | 'https';
  pathPrefix: string | undefined;
  version: string | undefined;
  agent: Agent | undefined;
  ca: undefined;
  cert: undefined;
  key: undefined;
  sshOptions: Record<string, never>;
  timeout: undefined;
  headers: Record<string, string>;
}

/**
 * Turns a resolved endpoint into docker-modem options: unix sockets directly, tcp over http or https (TLS material
 * in our own agent, so verification is exactly what the endpoint says), ssh through `ssh … docker system dial-stdio`
 * as the docker CLI's connection helper does.
 */
export function modemOptions(endpoint: Endpoint, userAgent: string): ModemOptions {
  const base: ModemOptions = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: 'http',
    pathPrefix: undefined,
    version: endpoint.apiVersion ? `v${endpoint.apiVersion.replace(/^v/, '')}` : undefined,
    agent: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    sshOptions: {},
    timeout: undefined,
    headers: { 'User-Agent': userAgent },
  };
  const sep = endpoint.host.indexOf('://');
  const proto = endpoint.host.slice(0, sep);
  const rest = endpoint.host.slice(sep + 3);
  switch (proto) {
    case 'unix':
      return { ...base, socketPath: rest };
    case 'tcp': {
      const url = new URL(`tcp://${rest}`);
      const hostname = unbracket(url.hostname);
      const prefix = url.pathname.replace(/^\/+|\/+$/g, '');
      // The docker client keeps tcp://host:port/base as a base path. docker-modem resolves request paths
      // absolutely (its pathPrefix is lost) but prepends `version` verbatim, so the base path rides there.
      const tcp = {
        host: hostname,
        port: url.port,
        pathPrefix: prefix ? `/${prefix}` : undefined,
        version: [prefix, base.version].filter(Boolean).join('/') || undefined,
      };
      if (!endpoint.tls) return { ...base, ...tcp };
      const { ca, cert, key, skipVerify } = endpoint.tls;
      const agent = new HttpsAgent({ keepAlive: true, rejectUnauthorized: !skipVerify, ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) });
      return { ...base, ...tcp, protocol: 'https', agent };
    }
    case 'ssh':
      // The agent dials every connection itself; host/port only give docker-modem something to put in the URL.
      return { ...base, host: 'docker.invalid', port: '80', agent: new SshDialStdioAgent(endpoint.host) };
    default:
      throw new EngineError('ENGINE_UNREACHABLE', `engine host ${endpoint.host}: the ${proto}:// scheme is not supported on this platform`);
  }
}
