/**
 * Table-driven tests for src/engine/endpoint.ts: context selection (docker/cli cli/command/cli.go
 * resolveContextName) and endpoint resolution (resolveDefaultDockerEndpoint, getServerHost, cli/flags/options.go
 * SetDefaultOptions, cli/context TLSDataFromFiles), with every source injected.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CONTEXT,
  resolveContextName,
  resolveEndpoint,
  type ClientOptions,
  type Endpoint,
  type EndpointSources,
  type StoredContext,
} from '../../src/engine/endpoint.ts';
import { ConfigError } from '../../src/shared/errors.ts';
import { rejectsWithCode, settingsFrom, throwsWithCode } from '../kit/index.ts';

const CA = Buffer.from('CA PEM');
const CERT = Buffer.from('CERT PEM');
const KEY = Buffer.from('KEY PEM');
const CTX_CA = Buffer.from('CONTEXT CA PEM');

type Env = Record<string, string | undefined>;

interface Fixture {
  opts?: Partial<ClientOptions>;
  env?: Env;
  configDir?: string;
  currentContext?: string;
  contexts?: Record<string, StoredContext>;
  files?: Record<string, Buffer>;
}

/** Builds the sources from a fixture and records what they were asked for. */
function setup(f: Fixture) {
  const loaded: string[] = [];
  const read: string[] = [];
  const files = new Map(Object.entries(f.files ?? {}));
  const sources: EndpointSources = {
    docker: settingsFrom(f.env ?? {}).docker,
    defaultCertDir: f.configDir ?? '/home/u/.docker',
    currentContext: f.currentContext,
    loadContext: async (name) => {
      loaded.push(name);
      const c = f.contexts?.[name];
      if (!c) throw new ConfigError('CONTEXT_NOT_FOUND', `context "${name}" does not exist`);
      return c;
    },
    readFile: async (path) => {
      read.push(path);
      return files.get(path);
    },
  };
  const opts: ClientOptions = { hosts: [], ...f.opts };
  return { opts, sources, loaded, read };
}

describe('resolveContextName', () => {
  const rows: { name: string; opts?: Partial<ClientOptions>; env?: Env; current?: string; expected: string }[] = [
    { name: 'nothing set → default', expected: 'default' },
    { name: 'config currentContext', current: 'cur', expected: 'cur' },
    { name: 'DOCKER_CONTEXT beats currentContext', env: { DOCKER_CONTEXT: 'envctx' }, current: 'cur', expected: 'envctx' },
    { name: 'DOCKER_HOST beats DOCKER_CONTEXT', env: { DOCKER_HOST: 'tcp://h:1', DOCKER_CONTEXT: 'envctx' }, current: 'cur', expected: 'default' },
    { name: '-H beats DOCKER_CONTEXT', opts: { hosts: ['tcp://h:1'] }, env: { DOCKER_CONTEXT: 'envctx' }, current: 'cur', expected: 'default' },
    {
      name: '--context beats everything',
      opts: { context: 'flag' },
      env: { DOCKER_HOST: 'tcp://h:1', DOCKER_CONTEXT: 'envctx' },
      current: 'cur',
      expected: 'flag',
    },
    { name: '--context default', opts: { context: 'default' }, current: 'cur', expected: 'default' },
    { name: 'empty DOCKER_HOST counts as unset', env: { DOCKER_HOST: '', DOCKER_CONTEXT: 'envctx' }, expected: 'envctx' },
    { name: 'empty DOCKER_CONTEXT counts as unset', env: { DOCKER_CONTEXT: '' }, current: 'cur', expected: 'cur' },
    { name: 'empty --context counts as unset', opts: { context: '' }, current: 'cur', expected: 'cur' },
    { name: 'empty currentContext → default', current: '', expected: 'default' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      assert.equal(resolveContextName({ hosts: [], ...row.opts }, settingsFrom(row.env ?? {}).docker, row.current), row.expected);
    });
  }

  it('DEFAULT_CONTEXT is "default"', () => assert.equal(DEFAULT_CONTEXT, 'default'));

  it('--context with -H is a usage error', () => {
    throwsWithCode(
      () => resolveContextName({ context: 'x', hosts: ['tcp://h:1'] }, settingsFrom({}).docker, undefined),
      'USAGE',
      'conflicting options: cannot specify both --host and --context',
    );
  });
});

describe('resolveEndpoint: default context, no TLS', () => {
  const rows: { name: string; f: Fixture; expected: Endpoint }[] = [
    { name: 'nothing set → default unix socket', f: {}, expected: { contextName: 'default', host: 'unix:///var/run/docker.sock' } },
    { name: 'DOCKER_HOST is used', f: { env: { DOCKER_HOST: 'tcp://h:2375' } }, expected: { contextName: 'default', host: 'tcp://h:2375' } },
    { name: 'DOCKER_HOST is normalised', f: { env: { DOCKER_HOST: 'tcp://h' } }, expected: { contextName: 'default', host: 'tcp://h:2375' } },
    { name: '-H is used', f: { opts: { hosts: ['unix:///x.sock'] } }, expected: { contextName: 'default', host: 'unix:///x.sock' } },
    {
      name: '-H beats DOCKER_HOST',
      f: { opts: { hosts: ['tcp://a:1'] }, env: { DOCKER_HOST: 'tcp://b:2' } },
      expected: { contextName: 'default', host: 'tcp://a:1' },
    },
    {
      name: 'empty -H means the default socket',
      f: { opts: { hosts: [''] }, env: { DOCKER_HOST: 'tcp://b:2' } },
      expected: { contextName: 'default', host: 'unix:///var/run/docker.sock' },
    },
    {
      name: '--context default still reads DOCKER_HOST',
      f: { opts: { context: 'default' }, env: { DOCKER_HOST: 'tcp://b:2' } },
      expected: { contextName: 'default', host: 'tcp://b:2' },
    },
    {
      name: 'DOCKER_HOST wins over currentContext',
      f: { env: { DOCKER_HOST: 'tcp://b:2' }, currentContext: 'remote' },
      expected: { contextName: 'default', host: 'tcp://b:2' },
    },
    { name: 'ssh host passes through', f: { env: { DOCKER_HOST: 'ssh://u@h:2222' } }, expected: { contextName: 'default', host: 'ssh://u@h:2222' } },
    {
      name: 'DOCKER_API_VERSION → apiVersion',
      f: { env: { DOCKER_API_VERSION: '1.41' } },
      expected: { contextName: 'default', host: 'unix:///var/run/docker.sock', apiVersion: '1.41' },
    },
    {
      name: 'empty DOCKER_API_VERSION is ignored',
      f: { env: { DOCKER_API_VERSION: '' } },
      expected: { contextName: 'default', host: 'unix:///var/run/docker.sock' },
    },
    {
      name: '--tls=false beats DOCKER_TLS',
      f: { opts: { tls: false }, env: { DOCKER_TLS: '1' } },
      expected: { contextName: 'default', host: 'unix:///var/run/docker.sock' },
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { opts, sources, loaded, read } = setup(row.f);
      assert.deepEqual(await resolveEndpoint(opts, sources), row.expected);
      assert.deepEqual(loaded, [], 'no context is loaded for the default context');
      assert.deepEqual(read, [], 'no TLS file is read without TLS');
    });
  }

  it('two -H are a usage error', async () => {
    const { opts, sources } = setup({ opts: { hosts: ['tcp://a:1', 'tcp://b:2'] } });
    await rejectsWithCode(resolveEndpoint(opts, sources), 'USAGE', 'specify only one -H');
  });

  it('--context with -H is a usage error', async () => {
    const { opts, sources, loaded } = setup({
      opts: { context: 'remote', hosts: ['tcp://a:1'] },
      contexts: { remote: { host: 'tcp://r:1', skipTLSVerify: false, tls: undefined } },
    });
    await rejectsWithCode(resolveEndpoint(opts, sources), 'USAGE', 'conflicting options: cannot specify both --host and --context');
    assert.deepEqual(loaded, []);
  });

  it('an invalid DOCKER_HOST is a usage error', async () => {
    const { opts, sources } = setup({ env: { DOCKER_HOST: 'udp://x' } });
    await rejectsWithCode(resolveEndpoint(opts, sources), 'USAGE', 'invalid bind address format: udp://x');
  });
});

describe('resolveEndpoint: named contexts', () => {
  const plain: StoredContext = { host: 'tcp://remote:2375', skipTLSVerify: false, tls: undefined };
  const withTLS: StoredContext = { host: 'tcp://secure:2376', skipTLSVerify: false, tls: { ca: CTX_CA, cert: CERT, key: KEY } };
  const skipOnly: StoredContext = { host: 'tcp://insecure:2376', skipTLSVerify: true, tls: undefined };
  const skipWithCA: StoredContext = { host: 'tcp://both:2376', skipTLSVerify: true, tls: { ca: CTX_CA } };
  const contexts = { plain, withTLS, skipOnly, skipWithCA, raw: { host: 'tcp://h', skipTLSVerify: false, tls: undefined } };

  const rows: { name: string; f: Fixture; load: string; expected: Endpoint }[] = [
    { name: '--context uses the stored host', f: { opts: { context: 'plain' } }, load: 'plain', expected: { contextName: 'plain', host: 'tcp://remote:2375' } },
    { name: 'currentContext is loaded', f: { currentContext: 'plain' }, load: 'plain', expected: { contextName: 'plain', host: 'tcp://remote:2375' } },
    {
      name: 'DOCKER_CONTEXT is loaded',
      f: { env: { DOCKER_CONTEXT: 'plain' }, currentContext: 'withTLS' },
      load: 'plain',
      expected: { contextName: 'plain', host: 'tcp://remote:2375' },
    },
    {
      name: 'stored TLS files turn TLS on, verified',
      f: { opts: { context: 'withTLS' } },
      load: 'withTLS',
      expected: { contextName: 'withTLS', host: 'tcp://secure:2376', tls: { ca: CTX_CA, cert: CERT, key: KEY, skipVerify: false } },
    },
    {
      name: 'SkipTLSVerify alone turns TLS on, unverified',
      f: { opts: { context: 'skipOnly' } },
      load: 'skipOnly',
      expected: { contextName: 'skipOnly', host: 'tcp://insecure:2376', tls: { skipVerify: true } },
    },
    {
      name: 'SkipTLSVerify with a CA',
      f: { opts: { context: 'skipWithCA' } },
      load: 'skipWithCA',
      expected: { contextName: 'skipWithCA', host: 'tcp://both:2376', tls: { ca: CTX_CA, skipVerify: true } },
    },
    { name: 'the stored host is used as stored', f: { opts: { context: 'raw' } }, load: 'raw', expected: { contextName: 'raw', host: 'tcp://h' } },
    {
      name: 'TLS flags and env do not apply to a named context',
      f: { opts: { context: 'plain', tls: true, tlsVerify: true, tlsCaCert: '/ca.pem' }, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' } },
      load: 'plain',
      expected: { contextName: 'plain', host: 'tcp://remote:2375' },
    },
    {
      name: 'DOCKER_API_VERSION applies to a named context',
      f: { opts: { context: 'plain' }, env: { DOCKER_API_VERSION: '1.44' } },
      load: 'plain',
      expected: { contextName: 'plain', host: 'tcp://remote:2375', apiVersion: '1.44' },
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { opts, sources, loaded, read } = setup({ ...row.f, contexts });
      assert.deepEqual(await resolveEndpoint(opts, sources), row.expected);
      assert.deepEqual(loaded, [row.load]);
      assert.deepEqual(read, []);
    });
  }

  it('a missing context rejects with the loader’s error', async () => {
    const { opts, sources, loaded } = setup({ currentContext: 'gone', contexts });
    await rejectsWithCode(resolveEndpoint(opts, sources), 'CONTEXT_NOT_FOUND', 'context "gone" does not exist');
    assert.deepEqual(loaded, ['gone']);
  });
});

describe('resolveEndpoint: default context with TLS', () => {
  const certs = { '/certs/ca.pem': CA, '/certs/cert.pem': CERT, '/certs/key.pem': KEY };
  const inConfig = { '/cfg/ca.pem': CA, '/cfg/cert.pem': CERT, '/cfg/key.pem': KEY };
  const certPaths = ['/certs/ca.pem', '/certs/cert.pem', '/certs/key.pem'];
  const rows: { name: string; f: Fixture; expected: Endpoint; read: string[] }[] = [
    {
      name: 'DOCKER_TLS_VERIFY=1 → verified TLS, files from DOCKER_CERT_PATH, tcp://localhost:2376',
      f: { env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: certPaths,
    },
    {
      name: 'without DOCKER_CERT_PATH the files come from the config dir',
      f: { env: { DOCKER_TLS_VERIFY: '1' }, configDir: '/cfg', files: inConfig },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: ['/cfg/ca.pem', '/cfg/cert.pem', '/cfg/key.pem'],
    },
    {
      name: 'empty DOCKER_CERT_PATH falls back to the config dir',
      f: { env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '' }, configDir: '/cfg', files: inConfig },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: ['/cfg/ca.pem', '/cfg/cert.pem', '/cfg/key.pem'],
    },
    {
      name: 'DOCKER_TLS_VERIFY=0 still turns verification on (docker tests for non-empty)',
      f: { env: { DOCKER_TLS_VERIFY: '0', DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: certPaths,
    },
    {
      name: '--tls alone → TLS without verification',
      f: { opts: { tls: true }, env: { DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: true } },
      read: certPaths,
    },
    {
      name: 'DOCKER_TLS=1 → TLS without verification',
      f: { env: { DOCKER_TLS: '1', DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: true } },
      read: certPaths,
    },
    {
      name: '--tlsverify → verified TLS',
      f: { opts: { tlsVerify: true }, env: { DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: certPaths,
    },
    {
      name: '--tlsverify=false → TLS on, without verification',
      f: { opts: { tlsVerify: false }, env: { DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: true } },
      read: certPaths,
    },
    {
      name: '--tlsverify=false beats DOCKER_TLS_VERIFY=1',
      f: { opts: { tlsVerify: false }, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: true } },
      read: certPaths,
    },
    {
      name: '--tls=false does not turn off DOCKER_TLS_VERIFY=1',
      f: { opts: { tls: false }, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: certPaths,
    },
    {
      name: 'an explicit host keeps its own port with TLS',
      f: { opts: { hosts: ['tcp://h'] }, env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://h:2375', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: certPaths,
    },
    {
      name: 'DOCKER_HOST with TLS',
      f: { env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://h:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false } },
      read: certPaths,
    },
    {
      name: 'missing default cert and key are dropped silently',
      f: { env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: { '/certs/ca.pem': CA } },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, skipVerify: false } },
      read: certPaths,
    },
    {
      name: 'missing default key only',
      f: { opts: { tls: true }, env: { DOCKER_CERT_PATH: '/certs' }, files: { '/certs/ca.pem': CA, '/certs/cert.pem': CERT } },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, skipVerify: true } },
      read: certPaths,
    },
    {
      name: 'explicit --tlscacert/--tlscert/--tlskey replace the defaults',
      f: {
        opts: { tlsVerify: true, tlsCaCert: '/x/myca.pem', tlsCert: '/y/mycert.pem', tlsKey: '/z/mykey.pem' },
        env: { DOCKER_CERT_PATH: '/certs' },
        files: { ...certs, '/x/myca.pem': CTX_CA, '/y/mycert.pem': CERT, '/z/mykey.pem': KEY },
      },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CTX_CA, cert: CERT, key: KEY, skipVerify: false } },
      read: ['/x/myca.pem', '/y/mycert.pem', '/z/mykey.pem'],
    },
    {
      name: 'an explicit --tlscacert alone; cert and key still default',
      f: {
        opts: { tlsVerify: true, tlsCaCert: '/x/myca.pem' },
        env: { DOCKER_CERT_PATH: '/certs' },
        files: { '/x/myca.pem': CTX_CA, '/certs/cert.pem': CERT },
      },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CTX_CA, cert: CERT, skipVerify: false } },
      read: ['/x/myca.pem', '/certs/cert.pem', '/certs/key.pem'],
    },
    {
      name: 'TLS with DOCKER_API_VERSION',
      f: { opts: { tls: true }, env: { DOCKER_CERT_PATH: '/certs', DOCKER_API_VERSION: '1.41' }, files: certs },
      expected: { contextName: 'default', host: 'tcp://localhost:2376', tls: { ca: CA, cert: CERT, key: KEY, skipVerify: true }, apiVersion: '1.41' },
      read: certPaths,
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const { opts, sources, read } = setup(row.f);
      assert.deepEqual(await resolveEndpoint(opts, sources), row.expected);
      assert.deepEqual(read, row.read);
    });
  }

  const errors: { name: string; f: Fixture; message: string }[] = [
    {
      name: 'a missing default CA file is an error',
      f: { env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, files: { '/certs/cert.pem': CERT, '/certs/key.pem': KEY } },
      message: 'could not read TLS CA certificate file /certs/ca.pem: no such file',
    },
    {
      name: 'a missing CA file is an error even with --tls (no verification)',
      f: { opts: { tls: true }, configDir: '/cfg' },
      message: 'could not read TLS CA certificate file /cfg/ca.pem: no such file',
    },
    {
      name: 'a missing explicit --tlscacert is an error',
      f: { opts: { tlsVerify: true, tlsCaCert: '/x/myca.pem' }, env: { DOCKER_CERT_PATH: '/certs' }, files: certs },
      message: 'could not read TLS CA certificate file /x/myca.pem: no such file',
    },
    {
      name: 'a missing explicit --tlscert is an error',
      f: { opts: { tlsVerify: true, tlsCert: '/y/mycert.pem' }, env: { DOCKER_CERT_PATH: '/certs' }, files: certs },
      message: 'could not read TLS cert file /y/mycert.pem: no such file',
    },
    {
      name: 'a missing explicit --tlskey is an error',
      f: { opts: { tls: true, tlsKey: '/z/mykey.pem' }, env: { DOCKER_CERT_PATH: '/certs' }, files: certs },
      message: 'could not read TLS key file /z/mykey.pem: no such file',
    },
  ];
  for (const row of errors) {
    it(row.name, async () => {
      const { opts, sources } = setup(row.f);
      await rejectsWithCode(resolveEndpoint(opts, sources), 'CONFIG_INVALID', row.message);
    });
  }

  it('TLS paths are not read when TLS is off, even if given', async () => {
    const { opts, sources, read } = setup({ opts: { tlsCaCert: '/x/myca.pem', tlsCert: '/y/c.pem' } });
    assert.deepEqual(await resolveEndpoint(opts, sources), { contextName: 'default', host: 'unix:///var/run/docker.sock' });
    assert.deepEqual(read, []);
  });
});
