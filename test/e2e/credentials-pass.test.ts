/**
 * dockerKeychain against the real docker-credential-pass (Debian golang-docker-credential-helpers) over a
 * throwaway gpg key and password store, and the test bed's htpasswd registry and dockerd: credentials kept only
 * in pass open the registry, and their engine form (toRegistryAuth) lets the real engine push there.
 *
 * Isolation: every process here runs with HOME, GNUPGHOME and PASSWORD_STORE_DIR under one temporary directory
 * (and PATH from the test process), so the user's keyring and password store are never touched; the gpg-agent
 * started for that GNUPGHOME is stopped at the end.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DOCKER_HUB_AUTH_KEY, dockerKeychain, toRegistryAuth } from '../../src/credentials/index.ts';
import { DockerodeEngine } from '../../src/engine/index.ts';
import type { RegistryCredentials } from '../../src/http/keychain.ts';
import { passStore, testbed, uniqueRepo, type Testbed } from './harness.ts';
import { rejectsWithCode } from '../kit/index.ts';

let tb: Testbed;
let env: Record<string, string>;
let storeDir: string;
let stopAgent: () => void = () => {};
const NO_ENTRY = 'no-entry.example.invalid';
const TOKEN_HOST = 'tokens.example.invalid';

before(async () => {
  tb = testbed();
  const pass = await passStore([
    { server: tb.authRegistry, username: tb.registryUser, secret: tb.registryPassword },
    { server: DOCKER_HUB_AUTH_KEY, username: 'hub-user', secret: 'hub-secret' },
    { server: TOKEN_HOST, username: '<token>', secret: 'identity-token-value' },
  ]);
  ({ env, dir: storeDir, stop: stopAgent } = pass);
});

after(() => stopAgent());

describe('dockerKeychain with docker-credential-pass', () => {
  it('keeps the credentials in the temporary password store only', () => {
    const entry = join(storeDir, 'docker-credential-helpers', Buffer.from(tb.authRegistry).toString('base64'), `${tb.registryUser}.gpg`);
    assert.ok(existsSync(entry), `${entry} missing`);
  });

  it('credsStore "pass" resolves stored credentials, the Hub key and identity tokens', async () => {
    const keychain = dockerKeychain({ config: { credsStore: 'pass' }, env });
    assert.deepEqual(await keychain(tb.authRegistry), { username: tb.registryUser, password: tb.registryPassword });
    assert.deepEqual(await keychain('docker.io'), { username: 'hub-user', password: 'hub-secret' });
    assert.deepEqual(await keychain(TOKEN_HOST), { identityToken: 'identity-token-value' });
  });

  it('credsStore "pass" gives a host with no entry anonymous access', async () => {
    assert.equal(await dockerKeychain({ config: { credsStore: 'pass' }, env })(NO_ENTRY), undefined);
  });

  it('credHelpers {host: "pass"} wins over credsStore and auths; other hosts keep using them', async () => {
    const wrong = Buffer.from('wrong:wrong').toString('base64');
    const keychain = dockerKeychain({
      config: { credsStore: 'trustext-absent', credHelpers: { [tb.authRegistry]: 'pass', [NO_ENTRY]: 'pass' }, auths: { [tb.authRegistry]: { auth: wrong } } },
      env,
    });
    assert.deepEqual(await keychain(tb.authRegistry), { username: tb.registryUser, password: tb.registryPassword });
    assert.equal(await keychain(NO_ENTRY), undefined);
    await rejectsWithCode(keychain('elsewhere.example.invalid'), 'CREDENTIALS_FAILED', /docker-credential-trustext-absent not found in PATH/);
  });

  it('credHelpers {host: "pass"} without credsStore leaves other hosts to auths', async () => {
    const keychain = dockerKeychain({
      config: { credHelpers: { [tb.authRegistry]: 'pass' }, auths: { 'https://other.example.invalid': { auth: Buffer.from('o:pw').toString('base64') } } },
      env,
    });
    assert.deepEqual(await keychain(tb.authRegistry), { username: tb.registryUser, password: tb.registryPassword });
    assert.deepEqual(await keychain('other.example.invalid'), { username: 'o', password: 'pw' });
  });
});

describe('credentials from pass against the htpasswd registry', () => {
  const getV2 = async (creds: RegistryCredentials | undefined) => {
    const headers: Record<string, string> = {};
    if (creds) headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    const res = await fetch(`http://${tb.authRegistry}/v2/`, { headers });
    await res.arrayBuffer();
    return res.status;
  };

  it('GET /v2/ succeeds with the resolved credentials and is refused without or with others', async () => {
    const creds = await dockerKeychain({ config: { credsStore: 'pass' }, env })(tb.authRegistry);
    assert.ok(creds?.password, 'no credentials resolved');
    assert.equal(await getV2(creds), 200);
    assert.equal(await getV2(undefined), 401);
    assert.equal(await getV2({ username: tb.registryUser, password: `${tb.registryPassword}x` }), 401);
  });

  it('the engine pushes to the registry with toRegistryAuth of those credentials, and not anonymously', async () => {
    const engine = new DockerodeEngine({ endpoint: { contextName: 'default', host: tb.dockerHost }, userAgent: 'trustext-e2e' });
    const repository = `${tb.authRegistry}/${uniqueRepo('credentials')}`;
    await engine.tag(tb.image, repository, 'latest');
    const creds = await dockerKeychain({ config: { credsStore: 'pass' }, env })(tb.authRegistry);
    const auth = toRegistryAuth(tb.authRegistry, creds);
    assert.deepEqual(auth, { username: tb.registryUser, password: tb.registryPassword, serveraddress: tb.authRegistry });
    await rejectsWithCode(
      engine.push(repository, 'latest', toRegistryAuth(tb.authRegistry, undefined), () => {}),
      'ENGINE_FAILED',
      /no basic auth credentials|unauthorized/i,
    );
    const pushed = await engine.push(repository, 'latest', auth, () => {});
    assert.match(pushed.digest, /^sha256:[0-9a-f]{64}$/);
  });
});
