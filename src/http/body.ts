/**
 * Reading response bodies to a limit: the declared Content-Length is checked before reading, the stream is
 * stopped as soon as the limit is passed, and nothing is ever buffered without bound.
 */
import { RegistryError } from '../shared/errors.ts';
import { TransportError } from './transport-error.ts';
import type { TransportResponse } from './transport.ts';

/**
 * Reads the whole body; a body larger than `limit` bytes (declared or actual) is a REGISTRY_INVALID_RESPONSE
 * and the connection is dropped. Rejects with the signal's reason when aborted.
 */
export async function readBody(res: TransportResponse, limit: number, action: string, signal?: AbortSignal): Promise<Buffer> {
  const declared = Number(res.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    res.cancel();
    throw tooLarge(action, limit, res.status, declared);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  await consume(res, action, signal, (chunk) => {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(action, limit, res.status);
    chunks.push(chunk);
    return true;
  });
  return Buffer.concat(chunks, total);
}

/** Reads at most `limit` bytes and discards the rest; for error bodies, which are informative only. */
export async function readPrefix(res: TransportResponse, limit: number, action: string, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    await consume(res, action, signal, (chunk) => {
      const take = Math.min(chunk.byteLength, limit - total);
      chunks.push(chunk.subarray(0, take));
      total += take;
      return total < limit;
    });
  } catch {
    if (signal?.aborted) throw signal.reason;
    // A broken error body still leaves a usable status; report what arrived.
  }
  return Buffer.concat(chunks, total);
}

/** Feeds chunks to `take` until it returns false (then cancels) or throws; wraps stream failures. */
async function consume(res: TransportResponse, action: string, signal: AbortSignal | undefined, take: (chunk: Uint8Array) => boolean): Promise<void> {
  try {
    for await (const chunk of res.body) {
      if (!take(chunk)) break;
    }
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof RegistryError) throw err;
    if (err instanceof TransportError) throw new RegistryError('REGISTRY_UNREACHABLE', `${action}: ${err.message}`, { cause: err, status: res.status });
    throw new RegistryError('REGISTRY_UNREACHABLE', `${action}: connection lost while reading the response`, { cause: err, status: res.status });
  } finally {
    res.cancel();
  }
}

function tooLarge(action: string, limit: number, status: number, declared?: number): RegistryError {
  const size = declared === undefined ? 'the response' : `the response of ${declared} bytes`;
  return new RegistryError('REGISTRY_INVALID_RESPONSE', `${action}: ${size} exceeds the limit of ${limit} bytes`, { status });
}
