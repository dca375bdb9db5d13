/**
 * Bearer token auth (distribution's token spec, docker's OAuth refresh-token flow). The test bed has no token
 * server (its registries are open and htpasswd/Basic, which test/e2e/registry.test.ts covers), so the flow is
 * tested here against an in-process registry that challenges with Bearer and an in-process token realm: the scope
 * strings, the service parameter, Basic auth to the realm, tokens cached per (host, scope) and reused, the
 * identity-token POST with its GET fallback, expiry, refusals, and that no secret reaches a message.
 */
import type { RegistryErrorCode } from '../../src/shared/errors.ts';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { Authenticator } from '../../src/http/authenticator.ts';
import { registryEndpoint } from '../../src/http/endpoint.ts';
import { OCI_MANIFEST } from '../../src/manifest/index.ts';
import { RegistryClient, sha256Digest } from '../../src/registry/index.ts';
import { createNodeTransport, type Keychain, type RegistryCredentials, type Transport } from '../../src/http/index.ts';
import { OAUTH_CLIENT_ID } from '../../src/http/token.ts';
import { rejectsWithCode } from '../kit/index.ts';

interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: Received, res: ServerResponse) => void;

const servers: { close(): void }[] = [];
after(() => {
  for (const s of servers) s.close();
});

async function serve(handler: Handler): Promise<{ host: string; origin: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += String(c);
    const r = { method: req.method!, url: new URL(req.url!, 'http://x'), headers: req.headers, body };
    received.push(r);
    handler(r, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  });
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, origin: `http://${host}`, received };
}

const USER = 'alice';
const PASSWORD = 'correct horse battery';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] }));

/**
 * A token realm that issues `tok-<n>` for GET with the right Basic auth (or anonymously, when `anonymous`), and
 * for POST with grant_type=refresh_token when `postStatus` is 200; and a registry that accepts exactly the tokens
 * issued for a scope covering the request, challenging otherwise with `scope` as distribution does.
 */
async function bed(opts: { anonymous?: boolean; postStatus?: number; refreshToken?: string; extraChallengeScope?: string } = {}) {
  const issued = new Map<string, string>(); // token → space-joined scopes
  let n = 0;
  const realm = await serve((req, res) => {
    const issue = (scopes: string, field: 'token' | 'access_token') => {
      const token = `tok-${++n}`;
      issued.set(token, scopes);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ [field]: token, expires_in: 300 }));
    };
    if (req.method === 'POST') {
      const form = new URLSearchParams(req.body);
      if (opts.postStatus !== 200) {
        res.writeHead(opts.postStatus ?? 404);
        res.end();
        return;
      }
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== opts.refreshToken) {
        res.writeHead(401);
        res.end('{"error":"invalid_grant"}');
        return;
      }
      issue(form.get('scope') ?? '', 'access_token');
      return;
    }
    if (req.headers.authorization !== BASIC && !opts.anonymous) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ details: `incorrect username or password for ${req.headers.authorization ?? 'nobody'}` }));
      return;
    }
    issue(req.url.searchParams.getAll('scope').join(' '), 'token');
  });
  const registry = await serve((req, res) => {
    const repo = /^\/v2\/(.+)\/(manifests|blobs|tags)\//.exec(req.url.pathname)?.[1] ?? '';
    const need = `repository:${repo}:${req.method === 'GET' || req.method === 'HEAD' ? 'pull' : 'pull,push'}`;
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const granted = token ? (issued.get(token)?.split(' ') ?? []) : [];
    if (!granted.includes(need)) {
      const scope = [need, opts.extraChallengeScope].filter(Boolean).join(' ');
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="${realm.origin}/token",service="fake-registry",scope="${scope}"`,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `token ${token ?? 'none'} rejected` }] }));
      return;
    }
    if (req.method === 'PUT') {
      res.writeHead(201, { 'docker-content-digest': sha256Digest(manifest) });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': OCI_MANIFEST });
    res.end(manifest);
  });
  return { realm, registry, issued };
}

const keychainFor =
  (host: string, creds: RegistryCredentials): Keychain =>
  async (h) =>
    h === host ? creds : undefined;

describe('bearer token flow', { timeout: 60_000 }, () => {
  it('gets a token with Basic auth, the service and the scope, then reuses it per (host, scope)', async () => {
    const { realm, registry } = await bed();
    let asked = 0;
    const keychain: Keychain = async (h) => {
      asked++;
      return h === registry.host ? { username: USER, password: PASSWORD } : undefined;
    };
    const client = new RegistryClient({ keychain, userAgent: 'trustext/test' });
    const repo = { domain: registry.host, path: 'team/app' };

    assert.equal((await client.getManifest(repo, 'v1')).digest, sha256Digest(manifest));
    assert.equal(realm.received.length, 1);
    const tokenReq = realm.received[0]!;
    assert.equal(tokenReq.method, 'GET');
    assert.equal(tokenReq.url.pathname, '/token');
    assert.equal(tokenReq.url.searchParams.get('service'), 'fake-registry');
    assert.deepEqual(tokenReq.url.searchParams.getAll('scope'), ['repository:team/app:pull']);
    assert.equal(tokenReq.url.searchParams.get('account'), USER);
    assert.equal(tokenReq.headers.authorization, BASIC);
    assert.equal(tokenReq.headers['user-agent'], 'trustext/test');
    assert.deepEqual(
      registry.received.map((r) => r.headers.authorization),
      [undefined, 'Bearer tok-1'],
    );

    await client.getManifest(repo, 'v2');
    await client.headManifest(repo, 'v3');
    assert.equal(realm.received.length, 1, 'the cached token is reused');
    assert.deepEqual(
      registry.received.slice(2).map((r) => r.headers.authorization),
      ['Bearer tok-1', 'Bearer tok-1'],
    );

    await client.putManifest(repo, 'v1', manifest, OCI_MANIFEST);
    assert.equal(realm.received.length, 2, 'push needs another scope, so another token');
    assert.deepEqual(realm.received[1]!.url.searchParams.getAll('scope'), ['repository:team/app:pull,push']);
    assert.equal(registry.received.at(-1)!.headers.authorization, 'Bearer tok-2');

    await client.getManifest(repo, 'v1');
    await client.getManifest({ domain: registry.host, path: 'team/other' }, 'v1');
    assert.equal(realm.received.length, 3, 'pull on team/app reuses tok-1; team/other needs its own token');
    assert.deepEqual(realm.received[2]!.url.searchParams.getAll('scope'), ['repository:team/other:pull']);
    assert.equal(asked, 1, 'the keychain is asked once per registry');
  });

  it('asks anonymously (no Authorization, no account) when the keychain has nothing', async () => {
    const { realm, registry } = await bed({ anonymous: true });
    const client = new RegistryClient({ keychain: async () => undefined, userAgent: 'ua' });
    await client.getManifest({ domain: registry.host, path: 'pub/lic' }, 'v1');
    assert.equal(realm.received.length, 1);
    assert.equal(realm.received[0]!.headers.authorization, undefined);
    assert.equal(realm.received[0]!.url.searchParams.get('account'), null);
  });

  it('adds the scopes the challenge names to its own (a mount source, say)', async () => {
    const { realm, registry } = await bed({ extraChallengeScope: 'repository:other/src:pull' });
    const client = new RegistryClient({ keychain: keychainFor(registry.host, { username: USER, password: PASSWORD }), userAgent: 'ua' });
    await client.getManifest({ domain: registry.host, path: 'team/app' }, 'v1');
    assert.deepEqual(realm.received[0]!.url.searchParams.getAll('scope'), ['repository:team/app:pull', 'repository:other/src:pull']);
  });

  it('sends an identity token as an OAuth2 refresh-token POST', async () => {
    const { realm, registry } = await bed({ postStatus: 200, refreshToken: 'refresh-xyz' });
    const client = new RegistryClient({ keychain: keychainFor(registry.host, { username: '<token>', identityToken: 'refresh-xyz' }), userAgent: 'ua' });
    await client.putManifest({ domain: registry.host, path: 'team/app' }, 'v1', manifest, OCI_MANIFEST);
    assert.equal(realm.received.length, 1);
    const post = realm.received[0]!;
    assert.equal(post.method, 'POST');
    assert.equal(post.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(post.headers.authorization, undefined);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(post.body)), {
      grant_type: 'refresh_token',
      refresh_token: 'refresh-xyz',
      client_id: OAUTH_CLIENT_ID,
      service: 'fake-registry',
      scope: 'repository:team/app:pull,push',
    });
    assert.equal(registry.received.at(-1)!.headers.authorization, 'Bearer tok-1');
  });

  for (const status of [404, 405]) {
    it(`falls back to GET when the realm answers the POST with ${status}`, async () => {
      const { realm, registry } = await bed({ postStatus: status, anonymous: true });
      const client = new RegistryClient({ keychain: keychainFor(registry.host, { identityToken: 'refresh-xyz' }), userAgent: 'ua' });
      await client.getManifest({ domain: registry.host, path: 'team/app' }, 'v1');
      assert.deepEqual(
        realm.received.map((r) => r.method),
        ['POST', 'GET'],
      );
      assert.deepEqual(realm.received[1]!.url.searchParams.getAll('scope'), ['repository:team/app:pull']);
    });
  }

  it('reports a refused password as REGISTRY_UNAUTHORIZED without echoing it', async () => {
    const { registry } = await bed();
    const wrong = 'wrong-password-42';
    const client = new RegistryClient({ keychain: keychainFor(registry.host, { username: USER, password: wrong }), userAgent: 'ua' });
    const err = await rejectsWithCode(
      client.getManifest({ domain: registry.host, path: 'team/app' }, 'v1'),
      'REGISTRY_UNAUTHORIZED',
      /^getting manifest 127\.0\.0\.1:\d+\/team\/app:v1: getting a token from http:\/\/127\.0\.0\.1:\d+\/token: 401 unauthorized$/,
    );
    assert.equal(err.status, 401);
    assert.ok(!err.message.includes(wrong));
  });

  it('refuses a rejected identity token, and does not retry forever when the registry refuses the token', async () => {
    const { registry: r1 } = await bed({ postStatus: 200, refreshToken: 'right' });
    const c1 = new RegistryClient({ keychain: keychainFor(r1.host, { identityToken: 'wrong-refresh-token' }), userAgent: 'ua' });
    const refused = await rejectsWithCode(c1.getManifest({ domain: r1.host, path: 'a/b' }, 'v1'), 'REGISTRY_UNAUTHORIZED');
    assert.ok(!refused.message.includes('wrong-refresh-token'), refused.message);

    const realm = await serve((_req, res) => {
      res.writeHead(200);
      res.end('{"token":"tok-useless-1234"}');
    });
    const registry = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.origin}/t"` });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"token tok-useless-1234 has expired"}]}');
    });
    const c2 = new RegistryClient({ keychain: async () => undefined, userAgent: 'ua' });
    const err = await rejectsWithCode(c2.getManifest({ domain: registry.host, path: 'a/b' }, 'v1'), 'REGISTRY_UNAUTHORIZED', /token \[redacted\] has expired/);
    assert.deepEqual(err.registryCodes, ['UNAUTHORIZED']);
    assert.ok(!err.message.includes('tok-useless-1234'), err.message);
    assert.equal(registry.received.length, 2, 'one anonymous try and one retry with the token');
  });

  const malformed: { name: string; body: string; code: RegistryErrorCode }[] = [
    { name: 'not json', body: 'here is your token', code: 'REGISTRY_INVALID_RESPONSE' },
    { name: 'no token', body: '{"expires_in":60}', code: 'REGISTRY_INVALID_RESPONSE' },
    { name: 'a token with a line break', body: '{"token":"a\\r\\nX-Evil: 1"}', code: 'REGISTRY_INVALID_RESPONSE' },
  ];
  for (const row of malformed) {
    it(`refuses a token response with ${row.name}`, async () => {
      const realm = await serve((_req, res) => {
        res.writeHead(200);
        res.end(row.body);
      });
      const registry = await serve((_req, res) => {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.origin}/t"` });
        res.end();
      });
      const client = new RegistryClient({ keychain: async () => undefined, userAgent: 'ua' });
      await rejectsWithCode(client.getManifest({ domain: registry.host, path: 'a/b' }, 'v1'), row.code);
    });
  }

  it('never sends credentials to a token realm over plain http on a non-loopback host', async () => {
    const registry = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://auth.example.com/token",service="s"' });
      res.end();
    });
    const hosts: string[] = [];
    const inner = createNodeTransport();
    const transport: Transport = (req) => {
      hosts.push(req.url.origin);
      return inner(req);
    };
    const client = new RegistryClient({ keychain: keychainFor(registry.host, { username: USER, password: PASSWORD }), userAgent: 'ua', transport });
    await rejectsWithCode(
      client.getManifest({ domain: registry.host, path: 'a/b' }, 'v1'),
      'REGISTRY_UNAUTHORIZED',
      /refusing to send credentials to http:\/\/auth\.example\.com\/token over plain http/,
    );
    assert.deepEqual(hosts, [`https://${registry.host}`, registry.origin], 'the https probe and the request; nothing went to the realm');
  });
});

describe('Authenticator token cache', { timeout: 60_000 }, () => {
  it('stops using a token 10 s before it expires, and answers a rejection with a fresh token', async () => {
    let now = 1_000_000;
    let issued = 0;
    const transport: Transport = async (req) => {
      assert.equal(req.url.host, 'auth.example.com');
      const body = Buffer.from(JSON.stringify({ token: `t${++issued}`, expires_in: 60 }));
      return {
        status: 200,
        header: () => undefined,
        body: (async function* () {
          yield body;
        })(),
        cancel: () => {},
      };
    };
    const auth = new Authenticator({ keychain: async () => undefined, transport, userAgent: 'ua', insecure: [], errorBodyBytes: 1024, now: () => now });
    const ep = registryEndpoint('registry.example.com');
    const scopes = ['repository:a/b:pull'];
    const challenge = 'Bearer realm="https://auth.example.com/token",service="registry.example.com"';
    assert.equal(await auth.current(ep, scopes), undefined, 'nothing before the first challenge');
    assert.equal(await auth.answer(ep, scopes, challenge, undefined, 'x'), 'Bearer t1');
    assert.equal(await auth.current(ep, scopes), 'Bearer t1');
    assert.equal(await auth.current(ep, ['repository:a/b:pull,push']), undefined, 'tokens are per scope');
    assert.equal(await auth.current(registryEndpoint('other.example.com'), scopes), undefined, 'and per host');
    now += 49_000;
    assert.equal(await auth.current(ep, scopes), 'Bearer t1');
    now += 2_000;
    assert.equal(await auth.current(ep, scopes), undefined, 'expired (60 s less the 10 s margin)');
    assert.equal(await auth.answer(ep, scopes, challenge, undefined, 'x'), 'Bearer t2');
    assert.equal(await auth.answer(ep, scopes, challenge, 'Bearer t1', 'x'), 'Bearer t2', 'another request already replaced t1');
    assert.equal(await auth.answer(ep, scopes, challenge, 'Bearer t2', 'x'), 'Bearer t3', 'the rejected token is not handed out again');
    assert.deepEqual(auth.secrets, ['t1', 't2', 't3']);
  });
});
