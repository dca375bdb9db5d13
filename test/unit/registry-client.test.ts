/**
 * RegistryClient wiring, with an injected transport that answers without a network: which URL a call goes to
 * (docker.io → registry-1.docker.io over https, insecure hosts over http), the headers it carries, that bad names
 * are refused before anything is sent, and the local checks on what we are asked to upload. Also certs.d reading.
 */
import assert from 'node:assert/strict';
import type { ErrorCode } from '../../src/shared/errors.ts';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadHostTls } from '../../src/http/certs-dir.ts';
import { OCI_MANIFEST } from '../../src/manifest/index.ts';
import { DEFAULT_MANIFEST_ACCEPT, RegistryClient, sha256Digest } from '../../src/registry/index.ts';
import type { TransportRequest, TransportResponse } from '../../src/http/index.ts';
import { rejectsWithCode } from '../kit/index.ts';

const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST }));

/** A transport that records requests and answers every one with `status` and `body`. */
function fake(status = 200, body: Buffer = manifest, headers: Record<string, string> = { 'content-type': OCI_MANIFEST }) {
  const sent: TransportRequest[] = [];
  const transport = async (req: TransportRequest): Promise<TransportResponse> => {
    sent.push(req);
    return {
      status,
      header: (n) => headers[n.toLowerCase()],
      body: (async function* () {
        yield body;
      })(),
      cancel: () => {},
    };
  };
  return { sent, transport };
}

describe('where requests go', { timeout: 60_000 }, () => {
  // https first everywhere (moby lookupV2Endpoints); an insecure or loopback registry that does not answer the
  // https probe (GET /v2/) is spoken to over plain http from then on.
  const rows: { name: string; domain: string; insecure?: string[]; tls?: boolean; want: string[] }[] = [
    { name: 'Docker Hub', domain: 'docker.io', want: ['https://registry-1.docker.io/v2/library/busybox/manifests/latest'] },
    { name: 'a registry with a port', domain: 'registry.example.com:5000', want: ['https://registry.example.com:5000/v2/library/busybox/manifests/latest'] },
    {
      name: 'an insecure registry without TLS',
      domain: 'registry.example.com:5000',
      insecure: ['registry.example.com:5000'],
      tls: false,
      want: ['https://registry.example.com:5000/v2/', 'http://registry.example.com:5000/v2/library/busybox/manifests/latest'],
    },
    {
      name: 'an insecure registry with TLS',
      domain: 'registry.example.com:5000',
      insecure: ['registry.example.com:5000'],
      want: ['https://registry.example.com:5000/v2/', 'https://registry.example.com:5000/v2/library/busybox/manifests/latest'],
    },
    {
      name: 'a secure registry without TLS is not tried over http',
      domain: 'registry.example.com:5000',
      tls: false,
      want: ['https://registry.example.com:5000/v2/library/busybox/manifests/latest'],
    },
    {
      name: 'loopback',
      domain: 'localhost:5000',
      tls: false,
      want: ['https://localhost:5000/v2/', 'http://localhost:5000/v2/library/busybox/manifests/latest'],
    },
    { name: 'IPv6 loopback', domain: '[::1]:5000', tls: false, want: ['https://[::1]:5000/v2/', 'http://[::1]:5000/v2/library/busybox/manifests/latest'] },
    {
      name: 'a registry on port 443 keeps its port over http',
      domain: 'reg.example:443',
      insecure: ['reg.example:443'],
      tls: false,
      want: ['https://reg.example/v2/', 'http://reg.example:443/v2/library/busybox/manifests/latest'],
    },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.want.join(' then ')}`, async () => {
      const { sent, transport: answer } = fake();
      // A TLS handshake with a plain http server fails the way node reports it (EPROTO, wrong version number).
      const transport = async (req: TransportRequest): Promise<TransportResponse> => {
        if (row.tls === false && req.url.protocol === 'https:') {
          sent.push(req);
          throw Object.assign(new Error('wrong version number'), { code: 'EPROTO' });
        }
        return answer(req);
      };
      const client = new RegistryClient({
        keychain: async () => undefined,
        userAgent: 'trustext/9',
        transport,
        ...(row.insecure && { insecure: row.insecure }),
      });
      await client.getManifest({ domain: row.domain, path: 'library/busybox' }, 'latest').catch(() => {});
      await client.getManifest({ domain: row.domain, path: 'library/busybox' }, 'latest').catch(() => {});
      const once = sent.slice(0, row.want.length);
      assert.deepEqual(
        once.map((r) => r.url.href),
        row.want,
      );
      assert.deepEqual(
        sent.slice(row.want.length).map((r) => r.url.href),
        [row.want.at(-1)],
        'decided once per client: the second call goes straight there',
      );
      const last = once.at(-1)!;
      assert.equal(last.method, 'GET');
      assert.equal(last.headers['user-agent'], 'trustext/9');
      assert.equal(last.headers.accept, DEFAULT_MANIFEST_ACCEPT.join(', '));
      assert.equal(last.headers.authorization, undefined);
    });
  }

  it('asks the keychain by docker’s name for the registry (docker.io), not the API host', async () => {
    const asked: string[] = [];
    let first = true;
    const transport = async (req: TransportRequest): Promise<TransportResponse> => {
      const challenge = first;
      first = false;
      return challenge
        ? { status: 401, header: (n) => (n === 'www-authenticate' ? 'Basic realm="hub"' : undefined), body: (async function* () {})(), cancel: () => {} }
        : fake().transport(req);
    };
    const client = new RegistryClient({
      keychain: async (h) => {
        asked.push(h);
        return { username: 'u', password: 'p' };
      },
      userAgent: 'ua',
      transport,
    });
    await client.getManifest({ domain: 'docker.io', path: 'library/busybox' }, 'latest');
    assert.deepEqual(asked, ['docker.io']);
  });
});

describe('refused before sending', { timeout: 60_000 }, () => {
  const good = { domain: 'r.example.com', path: 'a/b' };
  const digest = sha256Digest(manifest);
  const calls: { name: string; call: (c: RegistryClient) => Promise<unknown>; code: ErrorCode }[] = [
    { name: 'unnormalised Docker Hub path', call: (c) => c.getManifest({ domain: 'docker.io', path: 'busybox' }, 'latest'), code: 'REFERENCE_INVALID' },
    { name: 'path with ..', call: (c) => c.getBlob({ domain: 'r.example.com', path: 'a/../../v2' }, digest), code: 'REFERENCE_INVALID' },
    { name: 'tag with a slash', call: (c) => c.getManifest(good, 'a/b'), code: 'REFERENCE_INVALID' },
    { name: 'digest that is not one', call: (c) => c.getBlob(good, 'sha256:1234'), code: 'REFERENCE_INVALID' },
    { name: 'delete by tag', call: (c) => c.deleteManifest(good, 'latest'), code: 'REFERENCE_INVALID' },
    { name: 'mount from a bad repository', call: (c) => c.uploadBlob(good, manifest, digest, { mountFrom: 'A/B' }), code: 'REFERENCE_INVALID' },
    {
      name: 'PUT by a digest the bytes do not have',
      call: (c) => c.putManifest(good, sha256Digest(Buffer.from('x')), manifest, OCI_MANIFEST),
      code: 'REGISTRY_FAILED',
    },
    { name: 'PUT without a media type', call: (c) => c.putManifest(good, 'v1', manifest, ''), code: 'REGISTRY_FAILED' },
    {
      name: 'upload of bytes that do not have the digest',
      call: (c) => c.uploadBlob(good, Buffer.from('x'), digest),
      code: 'REGISTRY_FAILED',
    },
  ];
  for (const row of calls) {
    it(row.name, async () => {
      const { sent, transport } = fake();
      const client = new RegistryClient({ keychain: async () => undefined, userAgent: 'ua', transport });
      await rejectsWithCode(row.call(client), row.code);
      assert.equal(sent.length, 0);
    });
  }
});

describe('certs.d', { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  async function certsDir(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'trustext-certs-'));
    dirs.push(dir);
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    return dir;
  }

  it('collects CAs from every directory and the first client pair', async () => {
    const a = await certsDir({ 'reg:5000/ca.crt': 'CA-A', 'reg:5000/client.cert': 'CERT-A', 'reg:5000/client.key': 'KEY-A', 'other/ca.crt': 'NO' });
    const b = await certsDir({ 'reg:5000/extra.crt': 'CA-B', 'reg:5000/z.cert': 'CERT-B', 'reg:5000/z.key': 'KEY-B' });
    const tls = await loadHostTls([a, b], 'reg:5000');
    assert.deepEqual(tls, { ca: ['CA-A', 'CA-B'], cert: Buffer.from('CERT-A'), key: Buffer.from('KEY-A') });
  });

  it('has nothing for a host without a directory', async () => {
    const a = await certsDir({ 'reg:5000/ca.crt': 'CA' });
    assert.equal(await loadHostTls([a, join(a, 'missing')], 'reg:5001'), undefined);
    assert.equal(await loadHostTls([], 'reg:5000'), undefined);
  });

  for (const [name, files, message] of [
    ['a certificate without its key', { 'h/client.cert': 'C' }, /missing key client\.key for client certificate client\.cert/],
    ['a key without its certificate', { 'h/client.key': 'K' }, /missing client certificate client\.cert for key client\.key/],
  ] as const) {
    it(`refuses ${name} as docker does`, async () => {
      const dir = await certsDir(files);
      await rejectsWithCode(loadHostTls([dir], 'h'), 'CONFIG_INVALID', message);
    });
  }
});
