/**
 * readSettings (src/settings/): each variable as the code that acts on it wants it, empty values as unset, checks
 * that wait until a value is used, and the default key store as env-paths puts it (sindresorhus/env-paths).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Settings } from '../../src/settings/index.ts';
import { settingsFrom, throwsWithCode } from '../kit/index.ts';

/** The settings as data: the checked values read. */
const plain = (s: Settings) => ({ ...s, trustServer: s.trustServer(), http: s.http() });

describe('readSettings', () => {
  it('reads nothing as everything off and unset', () => {
    const s = settingsFrom({});
    assert.equal(s.contentTrust, false);
    assert.equal(s.trustServer(), undefined);
    assert.deepEqual(s.passphrases, {});
    assert.equal(s.policyFile, undefined);
    assert.deepEqual(s.http(), {});
    assert.deepEqual(s.proxy, { httpProxy: '', httpsProxy: '', noProxy: '', cgi: false });
    assert.equal(s.noColor, false);
    assert.equal(s.dockerConfig, undefined);
    assert.deepEqual(s.docker, { tls: false, tlsVerify: false });
    assert.equal(s.pluginSocket, undefined);
  });

  it('takes every value it is given', () => {
    const s = settingsFrom({
      DOCKER_CONTENT_TRUST: '1',
      DOCKER_CONTENT_TRUST_SERVER: 'https://notary.test:4443',
      DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'repo-secret',
      DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'root-secret',
      COSIGN_PASSWORD: 'cosign-secret',
      TRUSTEXT_KEYS_DIR: '/keys',
      TRUSTEXT_POLICY: '/etc/trustext/policy.json',
      TRUSTEXT_HTTP_TIMEOUT: '90s',
      TRUSTEXT_HTTP_MIN_RATE: '0',
      NO_COLOR: '1',
      DOCKER_CONFIG: '/cfg',
      DOCKER_HOST: 'tcp://h:2376',
      DOCKER_CONTEXT: 'ctx',
      DOCKER_TLS: '1',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/certs',
      DOCKER_API_VERSION: '1.41',
      DOCKER_CLI_PLUGIN_SOCKET: '@sock',
    });
    assert.equal(s.contentTrust, true);
    assert.equal(s.trustServer()?.href, 'https://notary.test:4443/');
    assert.deepEqual(s.passphrases, { repository: 'repo-secret', root: 'root-secret', cosign: 'cosign-secret' });
    assert.equal(s.keysDir, '/keys');
    assert.equal(s.policyFile, '/etc/trustext/policy.json');
    assert.deepEqual(s.http(), { timeoutMs: 90_000, minRateBytesPerSecond: 0 });
    assert.equal(s.noColor, true);
    assert.equal(s.dockerConfig, '/cfg');
    assert.deepEqual(s.docker, { host: 'tcp://h:2376', context: 'ctx', tls: true, tlsVerify: true, certPath: '/certs', apiVersion: '1.41' });
    assert.equal(s.pluginSocket, '@sock');
  });

  it('counts empty values as unset, except COSIGN_PASSWORD (cosign takes an empty password)', () => {
    const names = [
      'DOCKER_CONTENT_TRUST',
      'DOCKER_CONTENT_TRUST_SERVER',
      'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE',
      'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE',
      'TRUSTEXT_KEYS_DIR',
      'TRUSTEXT_POLICY',
      'TRUSTEXT_HTTP_TIMEOUT',
      'TRUSTEXT_HTTP_MIN_RATE',
      'NO_COLOR',
      'DOCKER_CONFIG',
      'DOCKER_HOST',
      'DOCKER_CONTEXT',
      'DOCKER_TLS',
      'DOCKER_TLS_VERIFY',
      'DOCKER_CERT_PATH',
      'DOCKER_API_VERSION',
      'DOCKER_CLI_PLUGIN_SOCKET',
      'REQUEST_METHOD',
      'HTTPS_PROXY',
      'https_proxy',
      'HTTP_PROXY',
      'http_proxy',
      'NO_PROXY',
      'no_proxy',
    ];
    const empty = settingsFrom({ ...Object.fromEntries(names.map((n) => [n, ''])), COSIGN_PASSWORD: '' });
    const unset = settingsFrom({});
    assert.deepEqual(plain(empty), { ...plain(unset), passphrases: { cosign: '' } });
  });

  it('waits until a value is used to refuse it, so commands that never use it are not stopped', () => {
    const s = settingsFrom({ DOCKER_CONTENT_TRUST_SERVER: 'http://notary.test', TRUSTEXT_HTTP_TIMEOUT: 'soon' });
    throwsWithCode(() => s.trustServer(), 'CONFIG_INVALID', 'valid https URL required for trust server, got http://notary.test');
    throwsWithCode(() => s.http(), 'USAGE', 'invalid TRUSTEXT_HTTP_TIMEOUT "soon": want a positive duration such as 90s or 2m');
  });

  describe('the default key store (env-paths data directory + keys)', () => {
    const rows: { platform: string; env: Record<string, string>; want: string }[] = [
      { platform: 'linux', env: {}, want: join('/home/u', '.local', 'share', 'trustext', 'keys') },
      { platform: 'linux', env: { XDG_DATA_HOME: '/xdg' }, want: join('/xdg', 'trustext', 'keys') },
      { platform: 'linux', env: { XDG_DATA_HOME: '' }, want: join('/home/u', '.local', 'share', 'trustext', 'keys') },
      { platform: 'freebsd', env: { XDG_DATA_HOME: '/xdg' }, want: join('/xdg', 'trustext', 'keys') },
      { platform: 'darwin', env: { XDG_DATA_HOME: '/xdg' }, want: join('/home/u', 'Library', 'Application Support', 'trustext', 'keys') },
      { platform: 'win32', env: { LOCALAPPDATA: '/local' }, want: join('/local', 'trustext', 'Data', 'keys') },
      { platform: 'win32', env: {}, want: join('/home/u', 'AppData', 'Local', 'trustext', 'Data', 'keys') },
      { platform: 'win32', env: { LOCALAPPDATA: '' }, want: join('/home/u', 'AppData', 'Local', 'trustext', 'Data', 'keys') },
    ];
    for (const row of rows) {
      it(`${row.platform} ${JSON.stringify(row.env)}`, () => assert.equal(settingsFrom(row.env, { platform: row.platform }).keysDir, row.want));
    }
    it('is TRUSTEXT_KEYS_DIR when set, and never depends on DOCKER_CONFIG (a throwaway CI config must not lose keys)', () => {
      assert.equal(settingsFrom({ TRUSTEXT_KEYS_DIR: '/keys/here', DOCKER_CONFIG: '/tmp/ci' }).keysDir, '/keys/here');
      assert.equal(settingsFrom({ DOCKER_CONFIG: '/tmp/ci' }).keysDir, settingsFrom({}).keysDir);
    });
  });
});
