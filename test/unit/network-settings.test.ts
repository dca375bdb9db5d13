/**
 * The network settings the session builds (src/app/session/network.ts) from the variables settings/ reads: TRUSTEXT_HTTP_TIMEOUT and
 * TRUSTEXT_HTTP_MIN_RATE with their defaults, the credential helpers' timeout, the proxy variables, and one-line
 * usage errors (exit 125) for values we cannot use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_HELPER_TIMEOUT_MS, networkSettings } from '../../src/app/session/network.ts';
import { DEFAULT_HTTP } from '../../src/http/index.ts';
import { settingsFrom, throwsWithCode } from '../kit/index.ts';

describe('network settings from the environment', () => {
  it('defaults: 2 min per exchange, 1 KiB/s over 30 s, ggcr retries, helpers 60 s, no proxy', () => {
    const s = networkSettings(settingsFrom({}));
    assert.deepEqual(s.http, DEFAULT_HTTP);
    assert.equal(s.http.timeoutMs, 120_000);
    assert.deepEqual(s.http.minRate, { bytesPerSecond: 1024, windowMs: 30_000 });
    assert.equal(s.helperTimeoutMs, DEFAULT_HELPER_TIMEOUT_MS);
    assert.equal(s.http.proxy, undefined);
  });

  const rows: { env: Record<string, string>; timeoutMs?: number; helperMs?: number; rate?: number }[] = [
    { env: { TRUSTEXT_HTTP_TIMEOUT: '90s' }, timeoutMs: 90_000, helperMs: 90_000 },
    { env: { TRUSTEXT_HTTP_TIMEOUT: '5m' }, timeoutMs: 300_000, helperMs: 300_000 },
    { env: { TRUSTEXT_HTTP_TIMEOUT: '1m30s' }, timeoutMs: 90_000, helperMs: 90_000 },
    { env: { TRUSTEXT_HTTP_TIMEOUT: '' }, timeoutMs: 120_000, helperMs: 60_000 },
    { env: { TRUSTEXT_HTTP_MIN_RATE: '0' }, rate: 0 },
    { env: { TRUSTEXT_HTTP_MIN_RATE: '65536' }, rate: 65_536 },
  ];
  for (const row of rows) {
    it(JSON.stringify(row.env), () => {
      const s = networkSettings(settingsFrom(row.env));
      if (row.timeoutMs !== undefined) assert.equal(s.http.timeoutMs, row.timeoutMs);
      if (row.helperMs !== undefined) assert.equal(s.helperTimeoutMs, row.helperMs);
      if (row.rate !== undefined) assert.deepEqual(s.http.minRate, { bytesPerSecond: row.rate, windowMs: 30_000 });
    });
  }

  const bad: [Record<string, string>, string][] = [
    [{ TRUSTEXT_HTTP_TIMEOUT: '90' }, 'invalid TRUSTEXT_HTTP_TIMEOUT "90": want a positive duration such as 90s or 2m'],
    [{ TRUSTEXT_HTTP_TIMEOUT: '0s' }, 'invalid TRUSTEXT_HTTP_TIMEOUT "0s": want a positive duration such as 90s or 2m'],
    [{ TRUSTEXT_HTTP_TIMEOUT: 'soon' }, 'invalid TRUSTEXT_HTTP_TIMEOUT "soon": want a positive duration such as 90s or 2m'],
    [{ TRUSTEXT_HTTP_MIN_RATE: '1k' }, 'invalid TRUSTEXT_HTTP_MIN_RATE "1k": want a number of bytes per second such as 1024 (0 turns the check off)'],
    [{ TRUSTEXT_HTTP_MIN_RATE: '-5' }, 'invalid TRUSTEXT_HTTP_MIN_RATE "-5": want a number of bytes per second such as 1024 (0 turns the check off)'],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} as a usage error`, () => {
      throwsWithCode(() => networkSettings(settingsFrom(env)), 'USAGE', message);
    });
  }

  it('takes the proxy variables as Go does (upper case first)', () => {
    const s = networkSettings(settingsFrom({ HTTPS_PROXY: 'http://u:p@proxy:3128', https_proxy: 'ignored', no_proxy: '.internal' }));
    assert.deepEqual(s.http.proxy, { httpProxy: '', httpsProxy: 'http://u:p@proxy:3128', noProxy: '.internal', cgi: false });
  });
});
