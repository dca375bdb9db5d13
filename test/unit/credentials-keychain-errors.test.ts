/**
 * dockerKeychain failures and lifecycle: malformed config.json entries and helper failures become
 * CredentialsError without the secret anywhere in the message or cause chain; lookups are cached per key; an
 * aborted signal rejects with its reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DockerConfigFile } from '../../src/docker-config/index.ts';
import { dockerKeychain, type HelperResult, type HelperRunner } from '../../src/credentials/index.ts';
import { CredentialsError } from '../../src/shared/errors.ts';
import { rejectsWithCode } from '../kit/index.ts';

const SECRET = 'hunter2-s3cret';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const helperSays =
  (r: HelperResult | Error): HelperRunner =>
  async () => {
    if (r instanceof Error) throw r;
    return r;
  };

/** Every message and stack along the cause chain, for "the secret is nowhere" checks. */
function chainText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 10; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e));
  }
  return parts.join('\n');
}

interface ErrorRow {
  name: string;
  config: DockerConfigFile;
  helper?: HelperResult | Error;
  message: RegExp;
  /** Text that must not appear anywhere in the error. */
  secret?: string;
}

const auth = (value: unknown): DockerConfigFile => ({ auths: { r: { auth: value } } }) as DockerConfigFile;

const rows: ErrorRow[] = [
  { name: 'auth with characters outside base64', config: auth(`${SECRET}!!`), message: /"auth" is not valid base64/, secret: SECRET },
  { name: 'auth without padding (Go requires it)', config: auth(b64('u:pw').replace(/=+$/, '')), message: /"auth" is not valid base64/ },
  { name: 'auth with padding in the middle', config: auth('dQ==dQ=='), message: /"auth" is not valid base64/ },
  { name: 'auth without a colon', config: auth(b64(SECRET)), message: /does not hold "username:password"/, secret: SECRET },
  { name: 'auth with an empty username', config: auth(b64(`:${SECRET}`)), message: /does not hold "username:password"/, secret: SECRET },
  { name: 'auth that is not a string', config: auth(42), message: /"auth" is not a string/ },
  { name: 'auths entry that is not an object', config: { auths: { r: 'user:pw' } } as never, message: /entry for r is not an object/ },
  { name: 'auths that is not an object', config: { auths: ['r'] } as never, message: /"auths" is not an object/ },
  { name: 'credsStore that is not a string', config: { credsStore: 7 } as never, message: /"credsStore" is not a string/ },
  { name: 'credHelpers that is not an object', config: { credHelpers: 'pass' } as never, message: /"credHelpers" is not an object/ },
  {
    name: 'helper failure carries the helper message',
    config: { credsStore: 's' },
    helper: { code: 1, stdout: 'pass store is uninitialized\n', stderr: '' },
    message: /^getting credentials for r from docker-credential-s: exited with status 1: pass store is uninitialized$/,
  },
  {
    name: 'helper failure falls back to stderr',
    config: { credsStore: 's' },
    helper: { code: 2, stdout: '', stderr: 'gpg: decryption failed: No secret key\n' },
    message: /exited with status 2: gpg: decryption failed: No secret key$/,
  },
  {
    name: 'helper failure printing a JSON reply withholds it',
    config: { credsStore: 's' },
    helper: { code: 1, stdout: JSON.stringify({ ServerURL: 'r', Username: 'u', Secret: SECRET }), stderr: '' },
    message: /exited with status 1: \(reply withheld\)$/,
    secret: SECRET,
  },
  {
    name: 'helper killed by a signal',
    config: { credsStore: 's' },
    helper: { code: null, stdout: '', stderr: '' },
    message: /docker-credential-s: was killed$/,
  },
  {
    name: '"credentials not found" with exit 0 is a bad reply, as in docker',
    config: { credsStore: 's' },
    helper: { code: 0, stdout: 'credentials not found in native keychain', stderr: '' },
    message: /the reply is not JSON/,
  },
  {
    name: 'truncated JSON reply is not quoted',
    config: { credsStore: 's' },
    helper: { code: 0, stdout: `{"Username":"u","Secret":"${SECRET}"`, stderr: '' },
    message: /the reply is not JSON$/,
    secret: SECRET,
  },
  {
    name: 'a JSON reply that is not an object',
    config: { credsStore: 's' },
    helper: { code: 0, stdout: `["${SECRET}"]`, stderr: '' },
    message: /not a JSON object$/,
    secret: SECRET,
  },
  {
    name: 'a Secret that is not a string',
    config: { credsStore: 's' },
    helper: { code: 0, stdout: '{"Username":"u","Secret":{"value":"x"}}', stderr: '' },
    message: /"Secret" in the reply is not a string/,
  },
  {
    name: 'a runner that throws a plain error is wrapped',
    config: { credsStore: 's' },
    helper: new Error('spawn EACCES'),
    message: /docker-credential-s cannot be run: spawn EACCES/,
  },
  {
    name: 'a runner CredentialsError passes through',
    config: { credsStore: 's' },
    helper: new CredentialsError('credential helper docker-credential-s not found in PATH'),
    message: /^credential helper docker-credential-s not found in PATH$/,
  },
];

describe('dockerKeychain failures', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const keychain = dockerKeychain({ config: row.config, runHelper: helperSays(row.helper ?? new Error('no helper expected')) });
      const err = await rejectsWithCode(keychain('r'), 'CREDENTIALS_FAILED', row.message);
      if (row.secret) assert.ok(!chainText(err).includes(row.secret), `secret leaked: ${chainText(err)}`);
    });
  }
});

describe('dockerKeychain lifecycle', () => {
  it('asks the helper once per key, Hub aliases included', async () => {
    let calls = 0;
    const run: HelperRunner = async () => {
      calls++;
      return { code: 0, stdout: '{"Username":"u","Secret":"p"}', stderr: '' };
    };
    const keychain = dockerKeychain({ config: { credsStore: 's' }, runHelper: run });
    const results = await Promise.all([keychain('docker.io'), keychain('index.docker.io'), keychain('registry-1.docker.io')]);
    assert.deepEqual(results, Array(3).fill({ username: 'u', password: 'p' }));
    assert.equal(calls, 1);
    await keychain('other');
    assert.equal(calls, 2);
  });

  it('does not cache failures', async () => {
    const replies: HelperResult[] = [
      { code: 1, stdout: 'agent not running', stderr: '' },
      { code: 0, stdout: '{"Username":"u","Secret":"p"}', stderr: '' },
    ];
    const keychain = dockerKeychain({ config: { credsStore: 's' }, runHelper: async () => replies.shift()! });
    await rejectsWithCode(keychain('r'), 'CREDENTIALS_FAILED');
    assert.deepEqual(await keychain('r'), { username: 'u', password: 'p' });
  });

  it('rejects with the abort reason, unwrapped, and hands the signal to the runner', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    let seen: AbortSignal | undefined;
    const run: HelperRunner = (_p, _a, _i, signal) => {
      seen = signal;
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
    };
    const keychain = dockerKeychain({ config: { credsStore: 's' }, runHelper: run, signal: controller.signal });
    const pending = keychain('r');
    controller.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
    assert.equal(seen, controller.signal);
  });

  it('reads nothing until asked', () => {
    let calls = 0;
    dockerKeychain({
      config: { credsStore: 's' },
      runHelper: async () => {
        calls++;
        return { code: 0, stdout: '{}', stderr: '' };
      },
    });
    assert.equal(calls, 0);
  });
});
