/** trustServerFor over DOCKER_CONTENT_TRUST_SERVER as settings/ reads it: docker/cli's trust.Server rules, table-driven. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trustServerFor } from '../../src/notary/client/index.ts';
import { settingsFrom, throwsWithCode } from '../kit/index.ts';

describe('trustServerFor', () => {
  const ok: [string, Record<string, string | undefined>, string][] = [
    ['docker.io', {}, 'https://notary.docker.io/'],
    ['index.docker.io', {}, 'https://notary.docker.io/'],
    ['127.0.0.1:5000', {}, 'https://127.0.0.1:5000/'],
    ['registry.example.com', {}, 'https://registry.example.com/'],
    ['localhost:5000', {}, 'https://localhost:5000/'],
    ['[::1]:5000', {}, 'https://[::1]:5000/'],
    ['ghcr.io', { DOCKER_CONTENT_TRUST_SERVER: '' }, 'https://ghcr.io/'],
    ['docker.io', { DOCKER_CONTENT_TRUST_SERVER: 'https://notary.example.com:4443' }, 'https://notary.example.com:4443/'],
    ['127.0.0.1:5000', { DOCKER_CONTENT_TRUST_SERVER: 'https://127.0.0.1:4443/prefix/' }, 'https://127.0.0.1:4443/prefix/'],
    ['ghcr.io', { DOCKER_CONTENT_TRUST_SERVER: 'HTTPS://Notary.Example.com' }, 'https://notary.example.com/'],
  ];
  for (const [registry, env, want] of ok) {
    it(`${registry} with ${JSON.stringify(env)} → ${want}`, () => {
      assert.equal(trustServerFor(registry, settingsFrom(env).trustServer()).href, want);
    });
  }

  const bad = ['http://notary.example.com', 'notary.example.com', 'notary.example.com:4443', 'ftp://x', 'https://', '://x', 'https//x'];
  for (const value of bad) {
    it(`refuses DOCKER_CONTENT_TRUST_SERVER=${value} with docker's text`, () => {
      throwsWithCode(
        () => trustServerFor('docker.io', settingsFrom({ DOCKER_CONTENT_TRUST_SERVER: value }).trustServer()),
        'CONFIG_INVALID',
        `valid https URL required for trust server, got ${value}`,
      );
    });
  }
});
