/**
 * The body of notary's atomic publish, as its client builds it (storage/httpstore.go `NewMultiPartMetaRequest`
 * with Go's mime/multipart writer): one `files` part per role, filename = role, the exact metadata bytes. Pure.
 */
import { randomBytes } from 'node:crypto';
import { checkRole } from './names.ts';

/** One metadata file to publish: the role it is for and its exact bytes. */
export interface MetadataFile {
  readonly role: string;
  readonly bytes: Uint8Array;
}

/** A multipart/form-data body and the Content-Type (with its boundary) that goes with it. */
export interface MultipartBody {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Encodes `files` like Go's multipart.Writer (`--b\r\n` headers `\r\n\r\n` bytes, `\r\n--b--\r\n`; no parts is
 * just `--b--\r\n`, which notary accepts as "re-sign snapshot and timestamp"). The random boundary is redrawn in
 * the (astronomically unlikely) case that it occurs in a file. `boundary` is for tests.
 */
export function encodeMultipart(files: readonly MetadataFile[], boundary?: string): MultipartBody {
  for (const f of files) checkRole(f.role);
  let b = boundary ?? randomBytes(30).toString('hex');
  while (files.some((f) => Buffer.from(f.bytes).includes(b))) {
    if (boundary) throw new RangeError('the multipart boundary occurs in a file');
    b = randomBytes(30).toString('hex');
  }
  const parts: Buffer[] = [];
  files.forEach((f, i) => {
    const head =
      `${i === 0 ? '' : '\r\n'}--${b}\r\nContent-Disposition: form-data; name="files"; filename="${f.role}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n';
    parts.push(Buffer.from(head, 'latin1'), Buffer.from(f.bytes));
  });
  parts.push(Buffer.from(`${files.length ? '\r\n' : ''}--${b}--\r\n`, 'latin1'));
  return { contentType: `multipart/form-data; boundary=${b}`, body: Buffer.concat(parts) };
}
