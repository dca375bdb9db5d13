/**
 * The engine adapter builds docker-modem's Modem without its constructor, which reads DOCKER_HOST, DOCKER_CERT_PATH
 * and friends from process.env: the result must equal what the real constructor builds with an empty environment,
 * for every kind of endpoint (so a docker-modem that adds a field fails here), and must ignore the environment.
 */
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, it } from 'node:test';
import Modem from 'docker-modem';
import { modemOptions } from '../../src/engine/connection.ts';
import type { Endpoint } from '../../src/engine/index.ts';
import { modemFrom } from '../../src/engine/modem.ts';

const endpoints: Endpoint[] = [
  { contextName: 'default', host: 'unix:///run/docker.sock' },
  { contextName: 'default', host: 'tcp://127.0.0.1:2375', apiVersion: '1.41' },
  { contextName: 'prod', host: 'tcp://[::1]:2376/base', tls: { skipVerify: false } },
  { contextName: 'remote', host: 'ssh://me@host:22' },
];

/** `new Modem(opts)` with nothing in the environment (docker-modem reads process.env while constructing). */
function realModem(opts: object): Modem {
  const env = process.env;
  process.env = {};
  try {
    return new Modem(opts as never);
  } finally {
    process.env = env;
  }
}

const fields = (m: object) => Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v !== 'function'));

describe('engine modem', () => {
  for (const endpoint of endpoints) {
    it(`builds what docker-modem builds for ${endpoint.host}, reading no environment`, () => {
      const opts = modemOptions(endpoint, 'ua/1');
      const env = process.env;
      process.env = { ...env, DOCKER_HOST: 'tcp://elsewhere:1', DOCKER_CERT_PATH: '/nonexistent', DOCKER_TLS_VERIFY: '1', DOCKER_CLIENT_TIMEOUT: '5' };
      let ours: Modem;
      try {
        ours = modemFrom(opts as never);
      } finally {
        process.env = env;
      }
      assert.ok(ours instanceof Modem);
      const theirs = realModem(opts);
      const a = fields(ours);
      const b = fields(theirs);
      if (endpoint.tls || endpoint.host.startsWith('ssh')) assert.ok(a.agent instanceof Agent && a.agent === b.agent);
      assert.deepEqual(a, b);
    });
  }
});
