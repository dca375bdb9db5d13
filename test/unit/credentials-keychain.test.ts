/**
 * dockerKeychain against docker's lookup (docker/cli cli/config/configfile/file.go GetAuthConfig, native_store.go,
 * file_store.go; docker-credential-helpers client.Get), with an in-memory HelperRunner standing in for the helpers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DockerConfigFile } from '../../src/docker-config/index.ts';
import { DOCKER_HUB_AUTH_KEY, dockerKeychain, type HelperResult, type HelperRunner } from '../../src/credentials/index.ts';
import type { RegistryCredentials } from '../../src/http/keychain.ts';

const HUB = DOCKER_HUB_AUTH_KEY;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const NOT_FOUND: HelperResult = { code: 1, stdout: 'credentials not found in native keychain\n', stderr: '' };
const reply = (Username: unknown, Secret: unknown, ServerURL = 'ignored'): HelperResult => ({
  code: 0,
  stdout: `${JSON.stringify({ ServerURL, Username, Secret })}\n`,
  stderr: '',
});

/** Helper replies by program and stdin; anything else is "credentials not found". Records every call. */
function fakeHelpers(replies: Record<string, Record<string, HelperResult | Error>> = {}) {
  const calls: string[] = [];
  const run: HelperRunner = async (program, args, stdin) => {
    calls.push(`${program} ${args.join(' ')} <${stdin}`);
    const r = replies[program]?.[stdin];
    if (r instanceof Error) throw r;
    return r ?? NOT_FOUND;
  };
  return { run, calls };
}

interface Row {
  name: string;
  config: DockerConfigFile;
  helpers?: Record<string, Record<string, HelperResult | Error>>;
  host: string;
  expected: RegistryCredentials | undefined;
  calls?: string[];
}

const rows: Row[] = [
  // Precedence: credHelpers > credsStore > auths, with no fall-through once a helper is chosen.
  { name: 'empty config is anonymous', config: {}, host: 'myreg', expected: undefined, calls: [] },
  {
    name: 'auths entry by exact host',
    config: { auths: { myreg: { auth: b64('al:pw') } } },
    host: 'myreg',
    expected: { username: 'al', password: 'pw' },
    calls: [],
  },
  {
    name: 'credsStore beats auths',
    config: { credsStore: 'desktop', auths: { myreg: { auth: b64('file:file') } } },
    helpers: { 'docker-credential-desktop': { myreg: reply('store', 'store-secret') } },
    host: 'myreg',
    expected: { username: 'store', password: 'store-secret' },
    calls: ['docker-credential-desktop get <myreg'],
  },
  {
    name: 'credsStore without credentials is anonymous even when auths has an entry',
    config: { credsStore: 'desktop', auths: { myreg: { auth: b64('file:file') } } },
    host: 'myreg',
    expected: undefined,
    calls: ['docker-credential-desktop get <myreg'],
  },
  {
    name: 'credHelpers beats credsStore and auths',
    config: { credsStore: 'desktop', credHelpers: { myreg: 'ecr' }, auths: { myreg: { auth: b64('file:file') } } },
    helpers: { 'docker-credential-ecr': { myreg: reply('AWS', 'ecr-secret') }, 'docker-credential-desktop': { myreg: reply('d', 'd') } },
    host: 'myreg',
    expected: { username: 'AWS', password: 'ecr-secret' },
    calls: ['docker-credential-ecr get <myreg'],
  },
  {
    name: 'credHelpers for another host leaves credsStore in charge',
    config: { credsStore: 'desktop', credHelpers: { other: 'ecr' } },
    helpers: { 'docker-credential-desktop': { myreg: reply('d', 'd-secret') } },
    host: 'myreg',
    expected: { username: 'd', password: 'd-secret' },
    calls: ['docker-credential-desktop get <myreg'],
  },
  {
    name: 'an empty credHelpers name forces auths even with credsStore',
    config: { credsStore: 'desktop', credHelpers: { myreg: '' }, auths: { myreg: { auth: b64('file:pw') } } },
    host: 'myreg',
    expected: { username: 'file', password: 'pw' },
    calls: [],
  },
  // Docker Hub: one key for every alias, in auths, credHelpers and the helper's stdin.
  ...['docker.io', 'index.docker.io', 'registry-1.docker.io'].map(
    (host): Row => ({
      name: `${host} reads auths["${HUB}"]`,
      config: { auths: { [HUB]: { auth: b64('hub:pw') } } },
      host,
      expected: { username: 'hub', password: 'pw' },
    }),
  ),
  {
    name: 'docker.io asks credsStore for the Hub key',
    config: { credsStore: 'desktop' },
    helpers: { 'docker-credential-desktop': { [HUB]: reply('hub', 'hub-secret') } },
    host: 'docker.io',
    expected: { username: 'hub', password: 'hub-secret' },
    calls: [`docker-credential-desktop get <${HUB}`],
  },
  {
    name: 'credHelpers for Docker Hub is keyed by the Hub key',
    config: { credsStore: 'desktop', credHelpers: { [HUB]: 'hub' } },
    helpers: { 'docker-credential-hub': { [HUB]: reply('h', 'h-secret') } },
    host: 'index.docker.io',
    expected: { username: 'h', password: 'h-secret' },
    calls: [`docker-credential-hub get <${HUB}`],
  },
  {
    name: 'credHelpers["docker.io"] is not used for Docker Hub (docker ignores it too)',
    config: { credsStore: 'desktop', credHelpers: { 'docker.io': 'hub' } },
    host: 'docker.io',
    expected: undefined,
    calls: [`docker-credential-desktop get <${HUB}`],
  },
  { name: 'auths["docker.io"] is not the Hub key', config: { auths: { 'docker.io': { auth: b64('x:y') } } }, host: 'docker.io', expected: undefined },
  {
    name: 'a Hub entry does not answer for other hosts',
    config: { auths: { [HUB]: { auth: b64('hub:pw') } } },
    host: 'index.docker.io:443',
    expected: undefined,
  },
  // URL-shaped auths keys (ConvertToHostname).
  {
    name: 'https://host:port key',
    config: { auths: { 'https://myreg:5000': { auth: b64('u:p') } } },
    host: 'myreg:5000',
    expected: { username: 'u', password: 'p' },
  },
  {
    name: 'http://host:port/v2/ key',
    config: { auths: { 'http://myreg:5000/v2/': { auth: b64('u:p') } } },
    host: 'myreg:5000',
    expected: { username: 'u', password: 'p' },
  },
  {
    name: 'host/path key without scheme',
    config: { auths: { 'myreg:5000/v1/': { auth: b64('u:p') } } },
    host: 'myreg:5000',
    expected: { username: 'u', password: 'p' },
  },
  {
    name: 'URL key for another port does not match',
    config: { auths: { 'https://myreg:5000': { auth: b64('u:p') } } },
    host: 'myreg:5001',
    expected: undefined,
  },
  { name: 'URL key without port does not match a port', config: { auths: { 'https://myreg': { auth: b64('u:p') } } }, host: 'myreg:5000', expected: undefined },
  {
    name: 'the exact key wins over a URL-shaped one',
    config: { auths: { 'https://myreg:5000': { auth: b64('url:url') }, 'myreg:5000': { auth: b64('exact:exact') } } },
    host: 'myreg:5000',
    expected: { username: 'exact', password: 'exact' },
  },
  // Entry contents.
  {
    name: 'identitytoken with auth',
    config: { auths: { r: { auth: b64('u:'), identitytoken: 'idt' } } },
    host: 'r',
    expected: { username: 'u', identityToken: 'idt' },
  },
  { name: 'identitytoken alone', config: { auths: { r: { identitytoken: 'idt' } } }, host: 'r', expected: { identityToken: 'idt' } },
  {
    name: 'username/password fields without auth',
    config: { auths: { r: { username: 'u', password: 'p' } as never } },
    host: 'r',
    expected: { username: 'u', password: 'p' },
  },
  {
    name: 'auth overrides username/password fields',
    config: { auths: { r: { auth: b64('a:b'), username: 'u', password: 'p' } as never } },
    host: 'r',
    expected: { username: 'a', password: 'b' },
  },
  {
    name: 'password keeps colons, loses NULs at the ends',
    config: { auths: { r: { auth: b64('u:a:b\0\0') } } },
    host: 'r',
    expected: { username: 'u', password: 'a:b' },
  },
  {
    name: 'base64 split over lines',
    config: { auths: { r: { auth: `${b64('user:password').slice(0, 8)}\n${b64('user:password').slice(8)}` } } },
    host: 'r',
    expected: { username: 'user', password: 'password' },
  },
  { name: 'an empty entry is anonymous', config: { auths: { r: {} } }, host: 'r', expected: undefined },
  ...['constructor', '__proto__', 'toString'].map(
    (host): Row => ({
      name: `Object prototype name ${host} is not an entry`,
      config: { auths: { r: {} }, credHelpers: { r: 'x' } },
      host,
      expected: undefined,
      calls: [],
    }),
  ),
  // Helper replies.
  {
    name: '<token> means Secret is an identity token',
    config: { credsStore: 's' },
    helpers: { 'docker-credential-s': { r: reply('<token>', 'refresh') } },
    host: 'r',
    expected: { identityToken: 'refresh' },
  },
  {
    name: 'empty Username and Secret is anonymous',
    config: { credsStore: 's' },
    helpers: { 'docker-credential-s': { r: reply('', '') } },
    host: 'r',
    expected: undefined,
  },
  {
    name: 'null fields are empty',
    config: { credsStore: 's' },
    helpers: { 'docker-credential-s': { r: reply(null, 'p') } },
    host: 'r',
    expected: { password: 'p' },
  },
  {
    name: 'reply fields match case-insensitively, as Go decodes them',
    config: { credsStore: 's' },
    helpers: { 'docker-credential-s': { r: { code: 0, stdout: '{"username":"u","SECRET":"p"}', stderr: '' } } },
    host: 'r',
    expected: { username: 'u', password: 'p' },
  },
  {
    name: '"credentials not found" surrounded by whitespace',
    config: { credsStore: 's' },
    helpers: { 'docker-credential-s': { r: { code: 1, stdout: '\n  credentials not found in native keychain \n', stderr: 'noise' } } },
    host: 'r',
    expected: undefined,
  },
];

describe('dockerKeychain resolution', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const helpers = fakeHelpers(row.helpers);
      const keychain = dockerKeychain({ config: row.config, runHelper: helpers.run });
      assert.deepEqual(await keychain(row.host), row.expected);
      if (row.calls) assert.deepEqual(helpers.calls, row.calls);
    });
  }
});
