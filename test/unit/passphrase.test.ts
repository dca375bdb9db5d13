/**
 * Where passphrases come from, for trustext's signing keys and for DCT keys: the variable, else the terminal (twice
 * for a new key, at least 8 characters), else a refusal naming the variable. Prompts are docker's wording.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notaryPassphrase, passphraseFor } from '../../src/app/session/passphrase.ts';
import type { Environment } from '../../src/app/session/session.ts';
import { environmentFrom, rejectsWithCode } from '../kit/index.ts';

const ID = 'abcdef0123456789'.repeat(4);

/** An environment whose terminal answers `answers` in turn and records the questions. */
function env(vars: Record<string, string>, answers?: string[]): { environment: Environment; asked: string[] } {
  const asked: string[] = [];
  const queue = [...(answers ?? [])];
  const environment: Environment = environmentFrom(vars, {
    ...(answers && {
      prompt: async (q: string) => {
        asked.push(q);
        return queue.shift() ?? '';
      },
    }),
  });
  return { environment, asked };
}

describe('passphrases', () => {
  it('take the variable first: the repository one for signing and repository keys, the root one for root keys', async () => {
    const vars = { DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'repo-secret', DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'root-secret' };
    const { environment, asked } = env(vars, []);
    assert.equal(await passphraseFor(environment, 'default', true), 'repo-secret');
    assert.equal(await notaryPassphrase(environment, 'repository', ID, true), 'repo-secret');
    assert.equal(await notaryPassphrase(environment, 'root', ID, false), 'root-secret');
    assert.deepEqual(asked, []);
  });

  it("ask once for an existing key and twice for a new one, in docker's words", async () => {
    const a = env({}, ['existing']);
    assert.equal(await passphraseFor(a.environment, 'default', false), 'existing');
    assert.deepEqual(a.asked, ['Enter passphrase for signing key "default": ']);
    const b = env({}, ['long enough', 'long enough']);
    assert.equal(await notaryPassphrase(b.environment, 'root', ID, true), 'long enough');
    assert.deepEqual(b.asked, ['Enter passphrase for new root key with ID abcdef0: ', 'Repeat passphrase for new root key with ID abcdef0: ']);
  });

  it('refuse a short new passphrase, a repetition that differs, and a missing one without a terminal', async () => {
    await rejectsWithCode(passphraseFor(env({}, ['short']).environment, 'default', true), 'PASSPHRASE_REQUIRED', /too short/);
    await rejectsWithCode(notaryPassphrase(env({}, ['long enough', 'other one']).environment, 'repository', ID, true), 'PASSPHRASE_MISMATCH', /do not match/);
    await rejectsWithCode(
      passphraseFor(env({}).environment, 'default', true),
      'PASSPHRASE_REQUIRED',
      /^no passphrase for signing key "default": set DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE, or run in a terminal/,
    );
    await rejectsWithCode(
      notaryPassphrase(env({}).environment, 'root', ID, true),
      'PASSPHRASE_REQUIRED',
      /^no passphrase for new root key with ID abcdef0: set DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE/,
    );
  });

  it('refuse a short new passphrase from the variable too (an existing key still opens with one)', async () => {
    const vars = { DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'seven77', DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'x' };
    await rejectsWithCode(
      passphraseFor(env(vars).environment, 'default', true),
      'PASSPHRASE_REQUIRED',
      /^DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE is too short for signing key "default": use at least 8 characters$/,
    );
    await rejectsWithCode(
      notaryPassphrase(env(vars).environment, 'root', ID, true),
      'PASSPHRASE_REQUIRED',
      /DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE is too short/,
    );
    assert.equal(await passphraseFor(env(vars).environment, 'default', false), 'seven77');
    assert.equal(await passphraseFor(env({ DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'eight888' }).environment, 'default', true), 'eight888');
  });
});
