/**
 * A deliberately separate, minimal registry client for tests (plain http to the test bed's loopback registry),
 * so that what trustext writes is checked by code that is not trustext's.
 */
import { createHash } from 'node:crypto';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const ACCEPT = [
  OCI_MANIFEST,
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

export const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
export const sigTag = (digest: string) => `${digest.replace(':', '-')}.sig`;

/** GET a manifest: status, bytes, content type and the sha256 of the bytes. */
export async function getManifest(registry: string, repo: string, ref: string) {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { headers: { Accept: ACCEPT } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes, contentType: res.headers.get('content-type') ?? '', digest: sha256(bytes) };
}

/** PUT a manifest; returns the HTTP status. */
export async function putManifest(registry: string, repo: string, ref: string, bytes: Uint8Array, contentType: string): Promise<number> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${ref}`, { method: 'PUT', headers: { 'Content-Type': contentType }, body: bytes });
  await res.arrayBuffer();
  return res.status;
}

/** GET a blob. */
export async function getBlob(registry: string, repo: string, digest: string): Promise<Buffer> {
  const res = await fetch(`http://${registry}/v2/${repo}/blobs/${digest}`);
  if (res.status !== 200) throw new Error(`GET blob ${digest}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Uploads a blob monolithically (POST then PUT ?digest=); returns its digest. */
export async function putBlob(registry: string, repo: string, bytes: Uint8Array): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`http://${registry}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await start.arrayBuffer();
  const location = new URL(start.headers.get('location')!, `http://${registry}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
  await put.arrayBuffer();
  if (put.status !== 201) throw new Error(`PUT blob: ${put.status}`);
  return digest;
}

/** A `.sig` manifest and its blobs, read raw. */
export async function readSig(registry: string, repo: string, digest: string) {
  const m = await getManifest(registry, repo, sigTag(digest));
  if (m.status !== 200) throw new Error(`no signature manifest for ${digest}: ${m.status}`);
  const manifest = JSON.parse(m.bytes.toString());
  const config = await getBlob(registry, repo, manifest.config.digest);
  const payloads = await Promise.all(manifest.layers.map((l: { digest: string }) => getBlob(registry, repo, l.digest)));
  return { raw: m, manifest, config, payloads };
}

/** Writes a `.sig` image (manifest object + config + payload blobs) for `digest` in `repo`. */
export async function writeSig(registry: string, repo: string, digest: string, manifest: Record<string, unknown>, blobs: Uint8Array[]): Promise<number> {
  for (const b of blobs) await putBlob(registry, repo, b);
  return putManifest(registry, repo, sigTag(digest), Buffer.from(JSON.stringify(manifest)), OCI_MANIFEST);
}

/** DELETE a manifest by digest (the test bed registries allow deletes). */
export async function deleteManifest(registry: string, repo: string, digest: string): Promise<number> {
  const res = await fetch(`http://${registry}/v2/${repo}/manifests/${digest}`, { method: 'DELETE' });
  await res.arrayBuffer();
  return res.status;
}

/** Flips one bit of the (first) cosign signature on `digest` in place, as an attacker with push rights could; returns writeSig's status. */
export async function flipSignatureBit(registry: string, repo: string, digest: string): Promise<number> {
  const sig = await readSig(registry, repo, digest);
  const ann = 'dev.cosignproject.cosign/signature';
  const bytes = Buffer.from(sig.manifest.layers[0].annotations[ann], 'base64');
  bytes[7]! ^= 0x01;
  sig.manifest.layers[0].annotations[ann] = bytes.toString('base64');
  return writeSig(registry, repo, digest, sig.manifest, []);
}
