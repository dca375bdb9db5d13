/**
 * Credentials kept by a docker-credential helper, fetched as docker's native store does
 * (docker/cli cli/config/credentials/native_store.go, docker-credential-helpers client/client.go Get):
 * `docker-credential-<name> get` with the server URL on stdin; a failing helper whose output is exactly
 * "credentials not found in native keychain" means anonymous; otherwise the reply is {ServerURL, Username, Secret}
 * and the Username "<token>" marks Secret as an identity token.
 */
import type { RegistryCredentials } from '../http/keychain.ts';
import { CredentialsError, TrustExtError } from '../shared/errors.ts';
import { credentialsOf } from './auth-config.ts';
import type { HelperResult, HelperRunner } from './helper-runner.ts';

/** credentials/error.go errCredentialsNotFoundMessage, compared after trimming whitespace. */
const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';
/** native_store.go tokenUsername. */
const TOKEN_USERNAME = '<token>';
/** native_store.go remoteCredentialsPrefix. */
const PROGRAM_PREFIX = 'docker-credential-';
/** Longest piece of a helper's message quoted in an error. */
const MAX_MESSAGE = 300;

/** Asks helper `helper` for the credentials of `serverURL`; undefined when it has none. */
export async function nativeStoreGet(helper: string, serverURL: string, run: HelperRunner, signal?: AbortSignal): Promise<RegistryCredentials | undefined> {
  const program = PROGRAM_PREFIX + helper;
  let result: HelperResult;
  try {
    result = await run(program, ['get'], serverURL, signal);
  } catch (err) {
    if (signal?.aborted || err instanceof TrustExtError) throw err;
    throw new CredentialsError(`credential helper ${program} cannot be run: ${(err as Error).message}`, { cause: err });
  }
  if (result.code !== 0) {
    if (result.stdout.trim() === NOT_FOUND_MESSAGE) return undefined;
    const status = result.code === null ? 'was killed' : `exited with status ${result.code}`;
    throw new CredentialsError(`getting credentials for ${serverURL} from ${program}: ${status}${helperMessage(result)}`);
  }
  return parseReply(program, serverURL, result.stdout);
}

/**
 * The reply, decoded like Go's encoding/json into credentials.Credentials (field names match case-insensitively,
 * null leaves a field empty). Errors never quote the reply: it may hold the secret.
 */
function parseReply(program: string, serverURL: string, stdout: string): RegistryCredentials | undefined {
  const fail = (what: string) => new CredentialsError(`getting credentials for ${serverURL} from ${program}: ${what}`);
  let reply: unknown;
  try {
    reply = JSON.parse(stdout);
  } catch {
    throw fail('the reply is not JSON');
  }
  if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) throw fail('the reply is not a JSON object');
  const field = (name: string): string => {
    // Go assigns every key that folds to the field name, so the last one in the object wins.
    const value = Object.entries(reply).findLast(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw fail(`"${name}" in the reply is not a string`);
    return value;
  };
  const username = field('Username');
  const secret = field('Secret');
  if (username === TOKEN_USERNAME) return credentialsOf({ username: '', password: '', identityToken: secret });
  return credentialsOf({ username, password: secret, identityToken: '' });
}

/**
 * ": <message>" from a failed helper: its stdout (where helpers print errors), else its stderr, on one line and
 * cut short. Output that parses as JSON is withheld, since a reply may carry the secret.
 */
function helperMessage(result: HelperResult): string {
  const text = result.stdout.trim() || result.stderr.trim();
  if (text === '') return '';
  try {
    JSON.parse(text);
    return ': (reply withheld)';
  } catch {
    // not JSON: a message
  }
  const line = text.replace(/\s+/g, ' ');
  return `: ${line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line}`;
}
