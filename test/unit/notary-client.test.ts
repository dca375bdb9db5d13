/**
 * NotaryClient request shapes and answers over an injected transport (the test bed's notary-server runs without
 * auth, so docker's token flow is exercised here): URLs for names and consistent names, scopes, the Bearer
 * challenge answered with the registry's credentials, https only, and each status mapped to its NotaryError.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { isVersionConflict, NotaryClient, type NotaryServerError } from '../../src/notary/client/index.ts';
import type { Keychain, Transport, TransportRequest, TransportResponse } from '../../src/http/index.ts';
import { ReferenceParseError } from '../../src/shared/errors.ts';
import { rejectsWithCode, throwsWithCode } from '../kit/index.ts';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
type Handler = (req: TransportRequest) => Reply;

function fake(handler: Handler): { transport: Transport; seen: TransportRequest[] } {
  const seen: TransportRequest[] = [];
  const transport: Transport = async (req) => {
    seen.push(req);
    const r = handler(req);
    const body = Buffer.from(r.body ?? '');
    const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const res: TransportResponse = {
      status: r.status,
      header: (name) => headers[name.toLowerCase()],
      body: (async function* () {
        if (body.length) yield body;
      })(),
      cancel: () => {},
    };
    return res;
  };
  return { transport, seen };
}

const SERVER = new URL('https://notary.example.com:4443');
const GUN = 'registry.example.com/team/app';
const ROOT = Buffer.from('{"signed":{"_type":"Root","version":1},"signatures":[]}');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const client = (transport: Transport, keychain?: Keychain) =>
  new NotaryClient({ server: SERVER, registry: 'registry.example.com', userAgent: 'trustext/test', transport, ...(keychain && { keychain }) });

describe('NotaryClient requests', () => {
  it('GETs /v2/<gun>/_trust/tuf/<role>.json, and <role>.<sha256>.json by consistent name, checking the checksum', async () => {
    const { transport, seen } = fake(() => ({ status: 200, body: ROOT }));
    const c = client(transport);
    assert.deepEqual(await c.getRole(GUN, 'root'), ROOT);
    assert.deepEqual(await c.getRole(GUN, 'targets/releases', { consistentName: sha(ROOT) }), ROOT);
    assert.deepEqual(
      seen.map((r) => `${r.method} ${r.url.href}`),
      [
        `GET https://notary.example.com:4443/v2/${GUN}/_trust/tuf/root.json`,
        `GET https://notary.example.com:4443/v2/${GUN}/_trust/tuf/targets/releases.${sha(ROOT)}.json`,
      ],
    );
    assert.equal(seen[0]!.headers['user-agent'], 'trustext/test');
    await rejectsWithCode(c.getRole(GUN, 'snapshot', { consistentName: sha(Buffer.from('other')) }), 'TRUST_DATA_INVALID', /does not match its checksum/);
    await rejectsWithCode(c.getRole(GUN, 'snapshot', { consistentName: 'ABC' }), 'TRUST_DATA_INVALID', /invalid checksum/);
    await rejectsWithCode(c.getRole(GUN, 'snapshot', { consistentName: `../../x${'a'.repeat(60)}` }), 'TRUST_DATA_INVALID');
    assert.equal(seen.length, 3, 'invalid checksums are refused before any request');
  });

  it('GETs a past version as <n>.<role>.json, and refuses a version that is not a positive integer before asking', async () => {
    const { transport, seen } = fake(() => ({ status: 200, body: ROOT }));
    const c = client(transport);
    assert.deepEqual(await c.getRole(GUN, 'root', { version: 2 }), ROOT);
    assert.deepEqual(
      seen.map((r) => r.url.pathname),
      [`/v2/${GUN}/_trust/tuf/2.root.json`],
    );
    for (const version of [0, -1, 1.5, Number.NaN]) await rejectsWithCode(c.getRole(GUN, 'root', { version }), 'TRUST_DATA_INVALID', /invalid version/);
    await rejectsWithCode(c.getRole(GUN, 'root', { version: 2, consistentName: sha(ROOT) }), 'TRUST_DATA_INVALID', /invalid version/);
    assert.equal(seen.length, 1);
  });

  it("keeps a server path as a prefix, as notary's client concatenates it", async () => {
    const { transport, seen } = fake(() => ({ status: 200, body: '{}' }));
    const c = new NotaryClient({ server: new URL('https://n.example.com/notary/'), userAgent: 'u', transport });
    await c.getRole(GUN, 'timestamp');
    await c.health();
    assert.deepEqual(
      seen.map((r) => r.url.href),
      [`https://n.example.com/notary/v2/${GUN}/_trust/tuf/timestamp.json`, 'https://n.example.com/notary/_notary_server/health'],
    );
  });

  it('refuses GUNs that are not fully qualified repository names before sending anything', async () => {
    const { transport, seen } = fake(() => ({ status: 200 }));
    for (const gun of ['busybox', '../x', 'h:5000/a/../b', 'h:5000/a?x=1', 'h:5000/a#f', 'h:5000/a:tag']) {
      await assert.rejects(client(transport).getRole(gun, 'root'), ReferenceParseError, gun);
    }
    await rejectsWithCode(client(transport).getRole(GUN, '../root'), 'TRUST_DATA_INVALID');
    assert.equal(seen.length, 0);
  });

  it('accepts only https servers, and never follows a redirect to http', async () => {
    throwsWithCode(() => new NotaryClient({ server: new URL('http://127.0.0.1:4443'), userAgent: 'u' }), 'CONFIG_INVALID');
    const { transport, seen } = fake(() => ({ status: 302, headers: { location: 'http://127.0.0.1:4443/elsewhere' } }));
    await rejectsWithCode(client(transport).getRole(GUN, 'root'), 'NOTARY_FAILED', /over plain http/);
    assert.equal(seen.length, 1);
  });

  it('POSTs publishes as multipart to /v2/<gun>/_trust/tuf/ with push,pull scope', async () => {
    const { transport, seen } = fake(() => ({ status: 200 }));
    await client(transport).publish(GUN, [{ role: 'targets', bytes: Buffer.from('{"t":1}') }]);
    const [req] = seen;
    assert.equal(req!.method, 'POST');
    assert.equal(req!.url.href, `https://notary.example.com:4443/v2/${GUN}/_trust/tuf/`);
    const form = await new Response(req!.body, { headers: { 'content-type': req!.headers['content-type']! } }).formData();
    const file = form.get('files') as File;
    assert.equal(file.name, 'targets');
    assert.equal(await file.text(), '{"t":1}');
  });

  it('returns the server-managed key and refuses anything that is not one', async () => {
    let body = '{"keytype":"ed25519","keyval":{"public":"VLprdbsJXg1UwH3skM1aKFgQvO8YBG4VbMAB7507Bvs=","private":null}}';
    const { transport, seen } = fake(() => ({ status: 200, body }));
    assert.deepEqual(await client(transport).getKey(GUN, 'timestamp'), { keytype: 'ed25519', public: 'VLprdbsJXg1UwH3skM1aKFgQvO8YBG4VbMAB7507Bvs=' });
    assert.equal(seen[0]!.url.pathname, `/v2/${GUN}/_trust/tuf/timestamp.key`);
    for (const bad of [
      'nope',
      '{}',
      '{"keytype":"ed25519","keyval":{"public":""}}',
      '{"keytype":"ed25519","keyval":{"public":"a b"}}',
      '{"keytype":7,"keyval":{"public":"AA=="}}',
    ]) {
      body = bad;
      await rejectsWithCode(client(transport).getKey(GUN, 'snapshot'), 'TRUST_DATA_INVALID');
    }
    await rejectsWithCode(client(transport).getKey(GUN, 'targets' as 'snapshot'), 'TRUST_DATA_INVALID');
  });
});

describe('NotaryClient answers', () => {
  it("maps 404 to TRUST_DATA_MISSING in docker's words", async () => {
    const { transport } = fake(() => ({
      status: 404,
      body: '{"errors":[{"code":"METADATA_NOT_FOUND","message":"You have requested metadata that does not exist.","detail":{}}]}',
    }));
    const err = await rejectsWithCode(
      client(transport).getRole(GUN, 'root'),
      'TRUST_DATA_MISSING',
      /^remote trust data does not exist for registry\.example\.com\/team\/app: notary\.example\.com:4443 does not have trust data for registry\.example\.com\/team\/app$/,
    );
    assert.deepEqual((err as NotaryServerError).serverCodes, ['METADATA_NOT_FOUND']);
    await rejectsWithCode(
      client(transport).getRole(GUN, 'targets', { consistentName: sha(ROOT) }),
      'TRUST_DATA_MISSING',
      new RegExp(`does not have targets\\.${sha(ROOT)}\\.json$`),
    );
  });

  it('maps publish refusals to NOTARY_FAILED with the message, VERSION as a retryable conflict', async () => {
    let body = '{"errors":[{"code":"VERSION","message":"A newer version of metadata is already available.","detail":{}}]}';
    const { transport } = fake(() => ({ status: 400, body }));
    const err = await rejectsWithCode(
      client(transport).publish(GUN, []),
      'NOTARY_FAILED',
      /400 bad request: A newer version of metadata is already available$/,
    );
    assert.ok(isVersionConflict(err));
    body = '{"errors":[{"code":"INVALID_GUN","message":"The server does not support this GUN.","detail":{}}]}';
    assert.equal(isVersionConflict(await rejectsWithCode(client(transport).publish(GUN, []), 'NOTARY_FAILED', /does not support this GUN/)), false);
  });

  it('maps server failures and refused credentials to NOTARY_FAILED', async () => {
    for (const status of [500, 503, 403, 401]) {
      const { transport } = fake(() => ({ status, body: 'oops' }));
      const err = await rejectsWithCode(client(transport).getRole(GUN, 'timestamp'), 'NOTARY_FAILED', new RegExp(`: ${status} `));
      assert.equal((err as NotaryServerError).status, status);
    }
  });

  it('maps a refused connection to NOTARY_UNREACHABLE ("error contacting notary server")', async () => {
    const transport: Transport = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    await rejectsWithCode(client(transport).health(), 'NOTARY_UNREACHABLE', /error contacting notary server: .*econnrefused/);
  });
});

describe('NotaryClient token auth', () => {
  const REALM = 'https://auth.example.com/token';
  const challenge = (scope: string) => `Bearer realm="${REALM}",service="notary.example.com",scope="${scope}"`;

  it("answers a Bearer challenge with a token fetched with the registry's credentials, then reuses it", async () => {
    const asked: string[] = [];
    const keychain: Keychain = async (host) => {
      asked.push(host);
      return { username: 'alice', password: 's3cret-pass' };
    };
    const { transport, seen } = fake((req) => {
      if (req.url.origin === 'https://auth.example.com') return { status: 200, body: JSON.stringify({ token: 'tok-123456', expires_in: 300 }) };
      if (req.headers.authorization !== 'Bearer tok-123456') return { status: 401, headers: { 'www-authenticate': challenge(`repository:${GUN}:pull`) } };
      return { status: 200, body: ROOT };
    });
    const c = client(transport, keychain);
    assert.deepEqual(await c.getRole(GUN, 'root'), ROOT);
    assert.deepEqual(await c.getRole(GUN, 'timestamp'), ROOT);
    assert.deepEqual(asked, ['registry.example.com'], 'credentials of the registry, asked once');
    const tokenReq = seen.find((r) => r.url.origin === 'https://auth.example.com')!;
    assert.equal(tokenReq.headers.authorization, `Basic ${Buffer.from('alice:s3cret-pass').toString('base64')}`);
    assert.equal(tokenReq.url.searchParams.get('service'), 'notary.example.com');
    assert.deepEqual(tokenReq.url.searchParams.getAll('scope'), [`repository:${GUN}:pull`]);
    assert.equal(tokenReq.url.searchParams.get('account'), 'alice');
    assert.deepEqual(
      seen.map((r) => r.url.host),
      ['notary.example.com:4443', 'auth.example.com', 'notary.example.com:4443', 'notary.example.com:4443'],
    );
  });

  it('asks for push,pull when publishing', async () => {
    const { transport, seen } = fake((req) => {
      if (req.url.origin === 'https://auth.example.com') return { status: 200, body: '{"token":"tok-push"}' };
      if (!req.headers.authorization) return { status: 401, headers: { 'www-authenticate': challenge(`repository:${GUN}:push,pull`) } };
      return { status: 200 };
    });
    await client(transport, async () => ({ username: 'u', password: 'p4ssword' })).publish(GUN, []);
    assert.deepEqual(seen[1]!.url.searchParams.getAll('scope'), [`repository:${GUN}:pull,push`, `repository:${GUN}:push,pull`]);
    assert.equal(seen[2]!.headers.authorization, 'Bearer tok-push');
  });

  it('reports a token server refusal as NOTARY_FAILED without leaking the password', async () => {
    const { transport } = fake((req) =>
      req.url.origin === 'https://auth.example.com'
        ? { status: 401, body: '{"errors":[{"code":"UNAUTHORIZED","message":"bad password s3cret-pass"}]}' }
        : { status: 401, headers: { 'www-authenticate': challenge(`repository:${GUN}:pull`) } },
    );
    const err = await rejectsWithCode(client(transport, async () => ({ username: 'alice', password: 's3cret-pass' })).getRole(GUN, 'root'), 'NOTARY_FAILED');
    assert.doesNotMatch(err.message, /s3cret-pass/);
  });
});
