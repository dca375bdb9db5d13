/**
 * Tests for src/engine/connection.ts modemOptions: how a resolved endpoint becomes docker-modem options (unix
 * socket, tcp over http/https with our own agent, ssh through `ssh … docker system dial-stdio` as docker/cli
 * cli/connhelper does), and that every option docker-modem would otherwise take from the environment is set.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { modemOptions, type ModemOptions } from '../../src/engine/connection.ts';
import { DockerodeEngine } from '../../src/engine/dockerode-engine.ts';
import type { Endpoint } from '../../src/engine/endpoint.ts';
import { SshDialStdioAgent } from '../../src/engine/ssh-agent.ts';
import { throwsWithCode } from '../kit/index.ts';

const UA = 'trustext/test';
const CA = Buffer.from('CA PEM');
const CERT = Buffer.from('CERT PEM');
const KEY = Buffer.from('KEY PEM');

const ep = (host: string, extra: Partial<Endpoint> = {}): Endpoint => ({ contextName: 'default', host, ...extra });

/** The options with nothing specific to an endpoint kind. */
const BASE: ModemOptions = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  protocol: 'http',
  pathPrefix: undefined,
  version: undefined,
  agent: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
  sshOptions: {},
  timeout: undefined,
  headers: { 'User-Agent': UA },
};

describe('modemOptions: unix and plain tcp (exact options)', () => {
  const rows: { name: string; endpoint: Endpoint; expected: Partial<ModemOptions> }[] = [
    { name: 'default unix socket', endpoint: ep('unix:///var/run/docker.sock'), expected: { socketPath: '/var/run/docker.sock' } },
    { name: 'other unix socket', endpoint: ep('unix:///home/u/.docker/run/docker.sock'), expected: { socketPath: '/home/u/.docker/run/docker.sock' } },
    { name: 'tcp without TLS', endpoint: ep('tcp://h:2375'), expected: { host: 'h', port: '2375' } },
    { name: 'tcp IPv4', endpoint: ep('tcp://192.168.1.5:2375'), expected: { host: '192.168.1.5', port: '2375' } },
    { name: 'tcp IPv6 loses its brackets', endpoint: ep('tcp://[::1]:2375'), expected: { host: '::1', port: '2375' } },
    { name: 'tcp with a path prefix', endpoint: ep('tcp://h:2375/prefix'), expected: { host: 'h', port: '2375', pathPrefix: '/prefix', version: 'prefix' } },
    { name: 'tcp with a lone trailing slash has no prefix', endpoint: ep('tcp://h:2375/'), expected: { host: 'h', port: '2375' } },
    { name: 'apiVersion 1.41 → v1.41', endpoint: ep('unix:///s', { apiVersion: '1.41' }), expected: { socketPath: '/s', version: 'v1.41' } },
    { name: 'apiVersion v1.41 is not doubled', endpoint: ep('tcp://h:1', { apiVersion: 'v1.41' }), expected: { host: 'h', port: '1', version: 'v1.41' } },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(modemOptions(row.endpoint, UA), { ...BASE, ...row.expected }));
  }
});

describe('modemOptions: tcp with TLS', () => {
  const rows: { name: string; tls: NonNullable<Endpoint['tls']>; agentOptions: Record<string, unknown> }[] = [
    {
      name: 'verified, with CA, cert and key',
      tls: { ca: CA, cert: CERT, key: KEY, skipVerify: false },
      agentOptions: { rejectUnauthorized: true, ca: CA, cert: CERT, key: KEY },
    },
    {
      name: 'skipVerify → rejectUnauthorized false',
      tls: { ca: CA, cert: CERT, key: KEY, skipVerify: true },
      agentOptions: { rejectUnauthorized: false, ca: CA, cert: CERT, key: KEY },
    },
    { name: 'no material, unverified', tls: { skipVerify: true }, agentOptions: { rejectUnauthorized: false } },
    { name: 'CA only, verified', tls: { ca: CA, skipVerify: false }, agentOptions: { rejectUnauthorized: true, ca: CA } },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const got = modemOptions(ep('tcp://secure:2376/p', { tls: row.tls }), UA);
      assert.ok(got.agent instanceof HttpsAgent, 'an https.Agent');
      assert.deepEqual(got, { ...BASE, host: 'secure', port: '2376', protocol: 'https', pathPrefix: '/p', version: 'p', agent: got.agent });
      const options = (got.agent as HttpsAgent).options as Record<string, unknown>;
      assert.equal(options.rejectUnauthorized, !row.tls.skipVerify);
      for (const [k, v] of Object.entries(row.agentOptions)) assert.deepEqual(options[k], v, `agent option ${k}`);
      for (const k of ['ca', 'cert', 'key']) {
        assert.equal(k in options, k in row.agentOptions, `agent option ${k} present only when given`);
      }
      assert.equal(options.keepAlive, true);
    });
  }

  it('each TLS endpoint gets its own agent', () => {
    const endpoint = ep('tcp://h:2376', { tls: { skipVerify: false } });
    assert.notEqual(modemOptions(endpoint, UA).agent, modemOptions(endpoint, UA).agent);
  });
});

describe('modemOptions: ssh', () => {
  const rows: { url: string; command: string[] }[] = [
    {
      url: 'ssh://user@host:2222',
      command: ['ssh', '-o', 'ConnectTimeout=30', '-T', '-l', 'user', '-p', '2222', '--', 'host', 'docker', 'system', 'dial-stdio'],
    },
    { url: 'ssh://host', command: ['ssh', '-o', 'ConnectTimeout=30', '-T', '--', 'host', 'docker', 'system', 'dial-stdio'] },
    { url: 'ssh://user@host', command: ['ssh', '-o', 'ConnectTimeout=30', '-T', '-l', 'user', '--', 'host', 'docker', 'system', 'dial-stdio'] },
    { url: 'ssh://host/', command: ['ssh', '-o', 'ConnectTimeout=30', '-T', '--', 'host', 'docker', 'system', 'dial-stdio'] },
    {
      url: 'ssh://user@host/var/run/docker.sock',
      command: ['ssh', '-o', 'ConnectTimeout=30', '-T', '-l', 'user', '--', 'host', 'docker', '--host=unix:///var/run/docker.sock', 'system', 'dial-stdio'],
    },
  ];
  for (const row of rows) {
    it(row.url, () => {
      const got = modemOptions(ep(row.url, { apiVersion: '1.44' }), UA);
      assert.ok(got.agent instanceof SshDialStdioAgent, 'an SshDialStdioAgent');
      assert.deepEqual(got.agent.command, row.command);
      assert.deepEqual(got, { ...BASE, host: 'docker.invalid', port: '80', version: 'v1.44', agent: got.agent });
    });
  }

  // docker/cli connhelper quotes every part of the remote command (syntax.Quote) because ssh runs it in the remote
  // shell; ssh joins its trailing arguments with spaces, so compare the remote command line as ssh will send it.
  it('the socket path is quoted for the remote shell', () => {
    const agent = new SshDialStdioAgent('ssh://host/x;id');
    const remote = agent.command.slice(agent.command.indexOf('--') + 2).join(' ');
    assert.equal(remote, "docker '--host=unix:///x;id' system dial-stdio");
  });

  it('an IPv6 host is given to ssh without brackets (url.Hostname())', () => {
    const agent = new SshDialStdioAgent('ssh://user@[::1]:22');
    assert.deepEqual(agent.command, ['ssh', '-o', 'ConnectTimeout=30', '-T', '-l', 'user', '-p', '22', '--', '::1', 'docker', 'system', 'dial-stdio']);
  });
});

describe('modemOptions: unsupported schemes', () => {
  for (const host of ['npipe://x', 'npipe:////./pipe/docker_engine', 'fd://', 'fd://3']) {
    it(`${host} → ENGINE_UNREACHABLE`, () => {
      const proto = host.slice(0, host.indexOf('://'));
      throwsWithCode(() => modemOptions(ep(host), UA), 'ENGINE_UNREACHABLE', `engine host ${host}: the ${proto}:// scheme is not supported on this platform`);
    });
  }
});

describe('modemOptions: every env-defaulted key is an own property', () => {
  // docker-modem's Modem does Object.assign({}, defaultOpts(), options): only own keys override env defaults.
  const KEYS = ['socketPath', 'host', 'port', 'protocol', 'ca', 'cert', 'key', 'sshOptions', 'version', 'agent', 'pathPrefix', 'timeout'];
  const endpoints: Endpoint[] = [
    ep('unix:///var/run/docker.sock'),
    ep('tcp://h:2375'),
    ep('tcp://h:2376', { tls: { ca: CA, skipVerify: false } }),
    ep('ssh://u@h:22'),
  ];
  for (const endpoint of endpoints) {
    it(endpoint.host + (endpoint.tls ? ' (TLS)' : ''), () => {
      const got = modemOptions(endpoint, UA);
      assert.deepEqual(
        KEYS.filter((k) => !Object.hasOwn(got, k)),
        [],
      );
      const merged = Object.assign(
        {},
        {
          socketPath: '/env.sock',
          host: 'envhost',
          port: '2376',
          protocol: 'https',
          ca: 'envca',
          cert: 'envcert',
          key: 'envkey',
          pathPrefix: '/',
          timeout: 5,
          version: 'v1.0',
          agent: 'envagent',
          sshOptions: { agent: 'x' },
        },
        got,
      );
      for (const k of KEYS)
        assert.equal((merged as Record<string, unknown>)[k], (got as unknown as Record<string, unknown>)[k], `env default for ${k} overridden`);
    });
  }
});

describe('modemOptions through dockerode: the request that reaches the engine', () => {
  let server: Server;
  let port: number;
  const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ Version: '27.0.0', ApiVersion: '1.47', Os: 'linux', Arch: 'amd64' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('tcp: API version in the path and our User-Agent', async () => {
    seen.length = 0;
    const engine = new DockerodeEngine({ endpoint: ep(`tcp://127.0.0.1:${port}`, { apiVersion: '1.41' }), userAgent: UA });
    assert.deepEqual(await engine.version(), { version: '27.0.0', apiVersion: '1.47', os: 'linux', arch: 'amd64' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, '/v1.41/version');
    assert.equal(seen[0]!.headers['user-agent'], UA);
  });

  // The docker client keeps the path of tcp://host:port/path as a base path (moby client WithHost: basePath).
  it('tcp: a path prefix is kept in the request path', async () => {
    seen.length = 0;
    const engine = new DockerodeEngine({ endpoint: ep(`tcp://127.0.0.1:${port}/prefix`, { apiVersion: '1.41' }), userAgent: UA });
    await engine.version();
    assert.equal(seen[0]?.url, '/prefix/v1.41/version');
  });
});

describe('ssh engine hosts: what docker/cli connhelper/ssh ParseURL refuses', () => {
  for (const [host, why] of [
    ['ssh://user:secret@host', /plain-text password is not supported/],
    ['ssh://host?x=1', /extra query after the host: "x=1"/],
    ['ssh://host#frag', /extra fragment after the host: "frag"/],
  ] as const) {
    it(`${host} → CONFIG_INVALID`, () => {
      throwsWithCode(() => new SshDialStdioAgent(host), 'CONFIG_INVALID', why);
    });
  }
});
