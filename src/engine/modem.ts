/**
 * docker-modem's Modem built from options alone. Its constructor first runs `defaultOpts()`, which reads
 * DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH (and the cert files there) and DOCKER_CLIENT_TIMEOUT from
 * process.env (apocas/docker-modem lib/modem.js); the endpoint we resolved is the only input that counts, so the
 * instance is made without running it: the constructor's own field copies, from our options, on Modem's prototype.
 * test/unit/engine-modem.test.ts holds this to the real constructor run with an empty environment.
 */
import Modem from 'docker-modem';
import type { ModemOptions } from './connection.ts';

/** A Modem for `opts`, as `new Modem(opts)` builds it with nothing in the environment, reading no environment. */
export function modemFrom(opts: ModemOptions): Modem {
  const o = opts as ModemOptions & Record<string, unknown>;
  const modem = Object.create(Modem.prototype) as Modem & Record<string, unknown>;
  Object.assign(modem, {
    host: o.host,
    ...(!o.host && { socketPath: o.socketPath }),
    port: o.port,
    pathPrefix: o.pathPrefix,
    username: o.username,
    password: o.password,
    version: o.version,
    key: o.key,
    cert: o.cert,
    ca: o.ca,
    timeout: o.timeout,
    connectionTimeout: o.connectionTimeout,
    checkServerIdentity: o.checkServerIdentity,
    agent: o.agent,
    headers: o.headers ?? {},
    sshOptions: { ...(o.sshOptions ?? {}) },
  });
  if ((modem.sshOptions as Record<string, unknown>).agentForward === undefined) (modem.sshOptions as Record<string, unknown>).agentForward = o.agentForward;
  modem.protocol = o.protocol || (o.key && o.cert && o.ca ? 'https' : 'http');
  return modem;
}
