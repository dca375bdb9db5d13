/**
 * certs.d in the node transport against the test bed's real TLS endpoints: the notary-server (server TLS from the
 * test bed CA) and dockerd's tcp listener (mutual TLS, --tlsverify). The test bed's registries are plain http on
 * loopback, and the client speaks http to loopback, so per-host CAs and client certificates are checked here at
 * the transport, which is where they apply.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RegistryClient } from '../../src/registry/index.ts';
import { createNodeTransport, DEFAULT_RETRY, type TransportResponse } from '../../src/http/index.ts';
import type { RegistryError } from '../../src/shared/errors.ts';
import { tempDir, testbed } from './harness.ts';

const tb = testbed();
const notary = new URL(tb.notary);
const engine = new URL(tb.tlsHost.replace(/^tcp:/, 'https:'));

/** A certs.d directory with the given files from the test bed's engine-client folder, under `host`. */
async function certsDir(host: string, files: Record<string, string>): Promise<string> {
  const dir = await tempDir('trustext-certs.d-');
  await mkdir(join(dir, host), { recursive: true });
  for (const [to, from] of Object.entries(files)) await copyFile(join(tb.tlsCertPath, from), join(dir, host, to));
  return dir;
}

async function text(res: TransportResponse): Promise<string> {
  let out = '';
  for await (const chunk of res.body) out += Buffer.from(chunk).toString();
  return out;
}

const get = (url: URL) => ({ method: 'GET', url, headers: { 'user-agent': 'trustext/test' } });

describe('certs.d: per-host CAs and client certificates', { timeout: 60_000 }, () => {
  it('trusts the notary-server with the CA from <dir>/<host:port>/ca.crt, and not without it', async () => {
    const health = new URL('/_notary_server/health', notary);
    const dir = await certsDir(notary.host, { 'ca.crt': 'ca.pem' });
    const res = await createNodeTransport({ certsDirs: [dir] })(get(health));
    assert.equal(res.status, 200, await text(res));

    await assert.rejects(createNodeTransport()(get(health)), (err: NodeJS.ErrnoException) => /CERT|VERIFY|SELF_SIGNED|ISSUER/.test(err.code ?? ''));
    const elsewhere = await certsDir('127.0.0.1:1', { 'ca.crt': 'ca.pem' });
    await assert.rejects(createNodeTransport({ certsDirs: [elsewhere] })(get(health)), (err: NodeJS.ErrnoException) =>
      /CERT|VERIFY|SELF_SIGNED|ISSUER/.test(err.code ?? ''),
    );
  });

  it('presents client.cert/client.key to dockerd’s mutual-TLS listener', async () => {
    const ping = new URL('/_ping', engine);
    const dir = await certsDir(engine.host, { 'ca.crt': 'ca.pem', 'client.cert': 'cert.pem', 'client.key': 'key.pem' });
    const res = await createNodeTransport({ certsDirs: [dir] })(get(ping));
    assert.equal(res.status, 200);
    assert.equal(await text(res), 'OK');

    const caOnly = await certsDir(engine.host, { 'ca.crt': 'ca.pem' });
    const outcome = await createNodeTransport({ certsDirs: [caOnly] })(get(ping)).then(
      async (r) => `answered ${r.status} ${await text(r)}`,
      (err: NodeJS.ErrnoException) => `failed ${err.code ?? err.message}`,
    );
    assert.match(outcome, /^failed /, 'without a client certificate dockerd refuses the connection');
  });
});

describe('certificates of insecure registries are not checked, as docker does; everyone else’s are', { timeout: 60_000 }, () => {
  // The notary-server stands in for an https registry whose CA nobody trusts: it answers 404 to registry paths.
  const byName = new URL(tb.notaryByName).host;
  const attempt = (domain: string, insecure: string[]) =>
    new RegistryClient({ keychain: async () => undefined, userAgent: 'trustext/test', insecure, http: { retry: { ...DEFAULT_RETRY, attempts: 1 } } })
      .getManifest({ domain, path: 'x/y' }, 'v1')
      .then(
        () => 'found',
        (err: RegistryError) => `${err.code} ${String((err.cause as NodeJS.ErrnoException | undefined)?.code ?? '')}`,
      );

  it('refuses an untrusted certificate of a registry that is not insecure', async () => {
    assert.match(
      await attempt(byName, []),
      /^REGISTRY_UNREACHABLE (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
    );
  });

  it('speaks unverified https to an insecure registry (by name, or loopback) that answers over TLS', async () => {
    assert.equal(await attempt(byName, [byName]), 'REGISTRY_NOT_FOUND ');
    assert.equal(await attempt(notary.host, []), 'REGISTRY_NOT_FOUND ');
  });
});
