/**
 * The pure parts of src/credentials: docker's lookup keys (getAuthConfigKey, ConvertToHostname), the engine's
 * X-Registry-Auth form (toRegistryAuth).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOCKER_HUB_AUTH_KEY, authConfigKey, toRegistryAuth } from '../../src/credentials/index.ts';
import { convertToHostname } from '../../src/credentials/config-key.ts';
import type { RegistryAuth } from '../../src/engine/index.ts';
import type { RegistryCredentials } from '../../src/http/keychain.ts';

describe('authConfigKey', () => {
  const rows: [string, string][] = [
    ['docker.io', DOCKER_HUB_AUTH_KEY],
    ['index.docker.io', DOCKER_HUB_AUTH_KEY],
    ['registry-1.docker.io', DOCKER_HUB_AUTH_KEY],
    ['ghcr.io', 'ghcr.io'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['Docker.io', 'Docker.io'],
    ['docker.io:443', 'docker.io:443'],
  ];
  for (const [host, key] of rows) it(`${host} → ${key}`, () => assert.equal(authConfigKey(host), key));
});

describe('convertToHostname (docker/cli credentials.ConvertToHostname)', () => {
  const rows: [string, string][] = [
    ['myreg:5000', 'myreg:5000'],
    ['myreg:5000/v2/', 'myreg:5000'],
    ['https://myreg:5000', 'myreg:5000'],
    ['http://myreg:5000/v2/', 'myreg:5000'],
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['https://user:pw@myreg:5000/x', 'myreg:5000'],
    ['https://[::1]:5000/v2/', '[::1]:5000'],
    ['https://[::1]/', '::1'],
    ['https://MyReg:443', 'MyReg:443'],
    ['https://myreg?x=1', 'myreg'],
    ['https://myreg#frag', 'myreg'],
    // url.Parse fails on these; docker falls back to cutting after "://".
    ['https://my reg/v2', 'my reg'],
    ['https://myreg:port/v2', 'myreg:port'],
    ['https://fe80::1:abc/', 'fe80::1:abc'],
    ['1https://myreg/', 'myreg'],
    ['https://', 'https:'],
  ];
  for (const [input, host] of rows) it(`${input} → ${host}`, () => assert.equal(convertToHostname(input), host));
});

describe('toRegistryAuth', () => {
  const rows: { name: string; host: string; creds: RegistryCredentials | undefined; expected: RegistryAuth }[] = [
    {
      name: 'password credentials',
      host: 'myreg:5000',
      creds: { username: 'u', password: 'p' },
      expected: { username: 'u', password: 'p', serveraddress: 'myreg:5000' },
    },
    {
      name: 'Docker Hub uses the index URL',
      host: 'docker.io',
      creds: { username: 'u', password: 'p' },
      expected: { username: 'u', password: 'p', serveraddress: DOCKER_HUB_AUTH_KEY },
    },
    {
      name: 'index.docker.io too',
      host: 'index.docker.io',
      creds: { username: 'u', password: 'p' },
      expected: { username: 'u', password: 'p', serveraddress: DOCKER_HUB_AUTH_KEY },
    },
    { name: 'identity token', host: 'r', creds: { identityToken: 't' }, expected: { identitytoken: 't', serveraddress: 'r' } },
    {
      name: 'identity token with username',
      host: 'r',
      creds: { username: 'u', identityToken: 't' },
      expected: { username: 'u', identitytoken: 't', serveraddress: 'r' },
    },
    { name: 'anonymous', host: 'r', creds: undefined, expected: {} },
    { name: 'empty credentials are anonymous', host: 'r', creds: {}, expected: {} },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(toRegistryAuth(row.host, row.creds), row.expected));
});
