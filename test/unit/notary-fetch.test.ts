/**
 * notary/client fetchVerified: downloads in notary's order and judges expiry by the clock read once everything is
 * here, so a server that drips the files out until the timestamp has expired gains nothing.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fetchVerified, type NotaryClient, TrustCache } from '../../src/notary/client/index.ts';
import { rejectsWithCode } from '../kit/index.ts';
import { encode, GUN, repoSpec } from './tuf-fixtures.ts';

describe('fetchVerified', () => {
  it('reads the clock after the last download: metadata that expired meanwhile is refused', async () => {
    const spec = repoSpec();
    spec.timestamp = { ...spec.timestamp, expires: '2031-01-01T00:00:00Z' };
    const files = encode(spec);
    const fetched: string[] = [];
    const client = {
      getRole: async (_gun: string, role: string) => {
        fetched.push(role);
        const bytes = role === 'root' || role === 'timestamp' || role === 'snapshot' || role === 'targets' ? files[role] : files.delegations.get(role);
        assert.ok(bytes, role);
        return bytes;
      },
    } as unknown as NotaryClient;
    const cache = new TrustCache(await mkdtemp(join(tmpdir(), 'trustext-fetch-')));
    let readAfter = -1;
    // Before the timestamp's expiry while the first files come in, after it by the time the last one has.
    const now = () => {
      readAfter = fetched.length;
      return new Date(fetched.length < 4 ? '2030-06-01T00:00:00Z' : '2031-06-01T00:00:00Z');
    };
    await rejectsWithCode(fetchVerified({ gun: GUN, server: new URL('https://notary.test'), client, cache, now }), 'TRUST_DATA_EXPIRED');
    assert.equal(readAfter, fetched.length);
    assert.deepEqual(fetched.slice(0, 4), ['root', 'timestamp', 'snapshot', 'targets']);
  });
});
