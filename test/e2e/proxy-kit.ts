/**
 * The enforcing Engine API proxy as the e2e tests start it: `serveProxy` (what `docker trustext proxy` runs) with a
 * session over a test environment, in front of the test bed's dockerd, its decisions collected; and raw requests
 * to its socket, for what no client would send.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { openSession, serveProxy, type EnforcementMode, type ServingProxy } from '../../src/app/index.ts';
import { environmentFrom } from '../kit/index.ts';
import { baseEnv, dockerConfig, tempDir, testbed } from './harness.ts';

/** A running enforcing proxy, the lines it logged, and a docker environment that talks through it. */
export interface TestProxy {
  readonly proxy: ServingProxy;
  readonly log: string[];
  /** A fresh DOCKER_CONFIG (no plugin, no trust variables) with DOCKER_HOST at the proxy. */
  readonly client: Record<string, string>;
  readonly socket: string;
}

/**
 * Starts an enforcing proxy whose trust (key store, policy, credentials) is `env`'s, in front of the test bed's
 * engine on its unix socket, or (`resolved`) of the engine docker's own resolution of `env` gives.
 */
export async function startTestProxy(env: Record<string, string>, mode: EnforcementMode = 'enforce', opts: { resolved?: boolean } = {}): Promise<TestProxy> {
  const session = await openSession({ hosts: [] }, environmentFrom(env));
  const socket = join(await tempDir('trustext-proxy-'), 'proxy.sock');
  const log: string[] = [];
  const upstream = opts.resolved ? {} : { upstream: testbed().dockerHost };
  const proxy = await serveProxy(session, { listen: `unix://${socket}`, ...upstream, mode, log: (line) => log.push(line) });
  const client = baseEnv(await dockerConfig({ plugin: false }), { DOCKER_HOST: `unix://${socket}` });
  return { proxy, log, client, socket };
}

/** One request on the proxy socket: the status and body. */
export function rawRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' },
): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ socketPath, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}
