/**
 * Table-driven tests for the pure parts of src/registry: WWW-Authenticate parsing and scopes, scheme choice and
 * the docker.io API host, Link pagination, redaction, spec error bodies and their mapping to error codes, and the
 * checks on repository names, tags and digests.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeScopes, parseChallenges, pickChallenge, repositoryScope, scopeKey, type Challenge } from '../../src/http/challenge.ts';
import { sha256Digest } from '../../src/reference/index.ts';
import { bareMediaType, matchesDigest } from '../../src/registry/content.ts';
import { splitRegistryHost } from '../../src/net/index.ts';
import { apiHost, isInsecureRegistryHost, isLoopbackHost, isPermittedUrl, registryEndpoint } from '../../src/http/endpoint.ts';
import { redact, safeUrl } from '../../src/http/redact.ts';
import { checkRepository, describe as describeRef, referenceKind, repositoryUrl } from '../../src/registry/repository.ts';
import { codeFor, parseErrorBody, statusError } from '../../src/http/response-error.ts';
import { nextLink } from '../../src/registry/tags.ts';
import { throwsWithCode } from '../kit/index.ts';

describe('parseChallenges', () => {
  const rows: { header: string; want: Challenge[] }[] = [
    { header: 'Basic realm="Registry Realm"', want: [{ scheme: 'basic', params: { realm: 'Registry Realm' } }] },
    {
      header: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      want: [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } }],
    },
    { header: 'bearer Realm=https://r/t, Service=s', want: [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 's' } }] },
    {
      header: 'Bearer realm="https://r/t",service="s",error="insufficient_scope", Basic realm="x"',
      want: [
        { scheme: 'bearer', params: { realm: 'https://r/t', service: 's', error: 'insufficient_scope' } },
        { scheme: 'basic', params: { realm: 'x' } },
      ],
    },
    { header: 'Bearer realm="a \\"quoted\\" realm, with comma"', want: [{ scheme: 'bearer', params: { realm: 'a "quoted" realm, with comma' } }] },
    {
      header: '  Bearer   realm = "r" ,  scope="repository:a:pull repository:b:pull"',
      want: [{ scheme: 'bearer', params: { realm: 'r', scope: 'repository:a:pull repository:b:pull' } }],
    },
    {
      header: 'Negotiate abc123==, Basic realm=x',
      want: [
        { scheme: 'negotiate', params: {} },
        { scheme: 'basic', params: { realm: 'x' } },
      ],
    },
    { header: 'Basic', want: [{ scheme: 'basic', params: {} }] },
    { header: 'Bearer realm="unterminated', want: [{ scheme: 'bearer', params: { realm: 'unterminated' } }] },
    { header: '', want: [] },
    { header: ', ,', want: [] },
  ];
  for (const row of rows) it(JSON.stringify(row.header), () => assert.deepEqual(parseChallenges(row.header), row.want));
});

describe('pickChallenge', () => {
  const bearer = { scheme: 'bearer', params: { realm: 'r' } };
  const rows: { name: string; challenges: Challenge[]; want: Challenge | undefined }[] = [
    { name: 'Bearer over Basic', challenges: [{ scheme: 'basic', params: {} }, bearer], want: bearer },
    { name: 'Basic alone', challenges: [{ scheme: 'basic', params: {} }], want: { scheme: 'basic', params: {} } },
    { name: 'Bearer without a realm is unusable', challenges: [{ scheme: 'bearer', params: {} }], want: undefined },
    { name: 'unknown schemes only', challenges: [{ scheme: 'negotiate', params: {} }], want: undefined },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(pickChallenge(row.challenges), row.want));
});

describe('scopes', () => {
  it('repositoryScope', () => {
    assert.equal(repositoryScope('library/busybox', ['pull']), 'repository:library/busybox:pull');
    assert.equal(repositoryScope('a/b', ['pull', 'push']), 'repository:a/b:pull,push');
    assert.equal(repositoryScope('a/b', ['delete']), 'repository:a/b:delete');
  });
  const rows: { name: string; ours: string[]; scope?: string; want: string[] }[] = [
    { name: 'no challenge scope', ours: ['repository:a:pull'], want: ['repository:a:pull'] },
    { name: 'same scope is not repeated', ours: ['repository:a:pull'], scope: 'repository:a:pull', want: ['repository:a:pull'] },
    {
      name: 'extra scopes are added',
      ours: ['repository:a:pull,push'],
      scope: 'repository:b:pull repository:a:pull,push',
      want: ['repository:a:pull,push', 'repository:b:pull'],
    },
  ];
  for (const row of rows) {
    it(`mergeScopes: ${row.name}`, () => {
      const challenge = row.scope === undefined ? undefined : { scheme: 'bearer', params: { realm: 'r', scope: row.scope } };
      assert.deepEqual(mergeScopes(row.ours, challenge), row.want);
    });
  }
  it('scopeKey is per host and independent of order', () => {
    assert.equal(scopeKey('h', ['b', 'a']), scopeKey('h', ['a', 'b']));
    assert.notEqual(scopeKey('h1', ['a']), scopeKey('h2', ['a']));
    assert.notEqual(scopeKey('h', ['repository:a:pull']), scopeKey('h', ['repository:a:pull,push']));
  });
});

describe('insecure hosts and API host', () => {
  // Insecure hosts are the ones that may fall back to plain http (after https) and get credentials in clear.
  const rows: { host: string; insecure?: string[]; scheme: 'http' | 'https' }[] = [
    { host: 'localhost', scheme: 'http' },
    { host: 'localhost:5000', scheme: 'http' },
    { host: 'LOCALHOST:5000', scheme: 'http' },
    { host: '127.0.0.1:5000', scheme: 'http' },
    { host: '127.255.0.9', scheme: 'http' },
    { host: '[::1]:5000', scheme: 'http' },
    { host: '[::1]', scheme: 'http' },
    { host: '128.0.0.1:5000', scheme: 'https' },
    { host: '127.0.0.1.example.com', scheme: 'https' },
    { host: '127.0.0.256', scheme: 'https' },
    { host: 'localhost.example.com', scheme: 'https' },
    { host: 'registry.example.com', scheme: 'https' },
    { host: 'registry-1.docker.io', scheme: 'https' },
    { host: '[2001:db8::1]:5000', scheme: 'https' },
    { host: 'myreg:5000', insecure: ['myreg:5000'], scheme: 'http' },
    { host: 'MyReg:5000', insecure: ['myreg:5000'], scheme: 'http' },
    { host: 'myreg:5001', insecure: ['myreg:5000'], scheme: 'https' },
    { host: 'myreg', insecure: ['myreg:5000'], scheme: 'https' },
    { host: 'myreg:5000', insecure: ['myreg'], scheme: 'https' },
    { host: 'myreg', insecure: ['myreg'], scheme: 'http' },
    { host: '[2001:db8::1]:5000', insecure: ['[2001:db8::1]:5000'], scheme: 'http' },
  ];
  for (const row of rows) {
    it(`${row.host}${row.insecure ? ` (insecure ${row.insecure.join(',')})` : ''} → ${row.scheme === 'http' ? 'insecure' : 'secure'}`, () => {
      assert.equal(isInsecureRegistryHost(row.host, row.insecure ?? []), row.scheme === 'http');
    });
  }
  it('isLoopbackHost and splitRegistryHost', () => {
    assert.deepEqual(splitRegistryHost('[::1]:80'), { hostname: '::1', port: '80' });
    assert.deepEqual(splitRegistryHost('Host.Example:443'), { hostname: 'host.example', port: '443' });
    assert.deepEqual(splitRegistryHost('host'), { hostname: 'host', port: '' });
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('10.0.0.1'), false);
  });
  it('docker.io and index.docker.io map to registry-1.docker.io over https; other domains are their own host', () => {
    assert.equal(apiHost('docker.io'), 'registry-1.docker.io');
    assert.equal(apiHost('index.docker.io'), 'registry-1.docker.io');
    assert.equal(apiHost('ghcr.io'), 'ghcr.io');
    assert.deepEqual(registryEndpoint('docker.io'), { domain: 'docker.io', host: 'registry-1.docker.io', origin: 'https://registry-1.docker.io' });
    assert.deepEqual(
      registryEndpoint('127.0.0.1:5000'),
      { domain: '127.0.0.1:5000', host: '127.0.0.1:5000', origin: 'https://127.0.0.1:5000' },
      'https first, also for loopback',
    );
    assert.deepEqual(registryEndpoint('127.0.0.1:5000', 'http'), { domain: '127.0.0.1:5000', host: '127.0.0.1:5000', origin: 'http://127.0.0.1:5000' });
    assert.equal(registryEndpoint('Reg.Example:443').origin, 'https://reg.example', 'spelled as URL.origin, to compare with request URLs');
    assert.equal(registryEndpoint('reg.example:80', 'http').origin, 'http://reg.example');
  });
  const urls: { url: string; insecure?: string[]; ok: boolean }[] = [
    { url: 'https://storage.example.com/blob', ok: true },
    { url: 'http://storage.example.com/blob', ok: false },
    { url: 'http://127.0.0.1:9/blob', ok: true },
    { url: 'http://storage.example.com/blob', insecure: ['storage.example.com'], ok: true },
    { url: 'ftp://storage.example.com/blob', ok: false },
  ];
  for (const row of urls) it(`isPermittedUrl ${row.url} → ${row.ok}`, () => assert.equal(isPermittedUrl(new URL(row.url), row.insecure ?? []), row.ok));
});

describe('nextLink', () => {
  const base = new URL('http://r:5000/v2/a/tags/list?n=2');
  const rows: { header: string | undefined; want: string | undefined }[] = [
    { header: '</v2/a/tags/list?last=b&n=2>; rel="next"', want: 'http://r:5000/v2/a/tags/list?last=b&n=2' },
    { header: '<http://r:5000/v2/a/tags/list?last=b&n=2>; rel=next', want: 'http://r:5000/v2/a/tags/list?last=b&n=2' },
    { header: '</p?x=1>; rel="prev", </n?x=2>; rel="next"', want: 'http://r:5000/n?x=2' },
    { header: '</n>; title="t"; REL="Next Last"', want: 'http://r:5000/n' },
    { header: '</p>; rel="prev"', want: undefined },
    { header: '</n>', want: undefined },
    { header: 'garbage', want: undefined },
    { header: '', want: undefined },
    { header: undefined, want: undefined },
    { header: '<http://[bad>; rel="next"', want: undefined },
  ];
  for (const row of rows) it(String(row.header), () => assert.equal(nextLink(row.header, base)?.href, row.want));
});

describe('redaction', () => {
  const rows: { name: string; text: string; secrets?: string[]; want: string }[] = [
    { name: 'bearer values', text: 'got Bearer abc.def.ghi from server', want: 'got Bearer [redacted] from server' },
    { name: 'basic values', text: 'authorization: Basic dXNlcjpwYXNz', want: 'authorization: Basic [redacted]' },
    { name: 'JWTs', text: 'token eyJhbGciOi.eyJzdWIiOiJ4In0.sig invalid', want: 'token [redacted] invalid' },
    {
      name: 'secret query parameters',
      text: 'see https://h/p?_state=abc&digest=sha256:1&X-Amz-Signature=zz',
      want: 'see https://h/p?_state=[redacted]&digest=sha256:1&X-Amz-Signature=[redacted]',
    },
    { name: 'json token fields', text: '{"token":"s3cr3t","expires_in":60}', want: '{"token":"[redacted]","expires_in":60}' },
    { name: 'known secrets', text: 'password hunter22 rejected', secrets: ['hunter22'], want: 'password [redacted] rejected' },
    { name: 'line breaks and control characters', text: 'line1\r\nline2\u0000\u001b[31m', want: 'line1 line2 [31m' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(redact(row.text, row.secrets), row.want));
  it('cuts long text to 200 characters', () => assert.equal(redact('x'.repeat(500)), `${'x'.repeat(200)}…`));
  it('safeUrl drops user info, query and fragment', () => {
    assert.equal(safeUrl(new URL('https://u:p@h:1/a/b?token=x#f')), 'https://h:1/a/b');
  });
});

describe('spec error bodies', () => {
  const rows: { name: string; body: string; want: { code: string; message: string }[] }[] = [
    {
      name: 'one error',
      body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]}',
      want: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }],
    },
    {
      name: 'two errors, one without message',
      body: '{"errors":[{"code":"DENIED","message":"no"},{"code":"UNAUTHORIZED"}]}',
      want: [
        { code: 'DENIED', message: 'no' },
        { code: 'UNAUTHORIZED', message: '' },
      ],
    },
    { name: 'not json', body: '<html>502 Bad Gateway</html>', want: [] },
    { name: 'no errors key', body: '{"details":"incorrect username or password"}', want: [] },
    { name: 'errors not an array', body: '{"errors":"boom"}', want: [] },
    {
      name: 'entries without a string code are skipped',
      body: '{"errors":[null,1,{"code":5},{"message":"m"},{"code":"NAME_UNKNOWN","message":7}]}',
      want: [{ code: 'NAME_UNKNOWN', message: '' }],
    },
    { name: 'json null', body: 'null', want: [] },
    { name: 'empty', body: '', want: [] },
  ];
  for (const row of rows) it(`parseErrorBody: ${row.name}`, () => assert.deepEqual(parseErrorBody(Buffer.from(row.body)), row.want));

  const codes: { status: number; codes: string[]; want: string }[] = [
    { status: 401, codes: [], want: 'REGISTRY_UNAUTHORIZED' },
    { status: 403, codes: ['DENIED'], want: 'REGISTRY_UNAUTHORIZED' },
    { status: 404, codes: [], want: 'REGISTRY_NOT_FOUND' },
    { status: 400, codes: ['NAME_UNKNOWN'], want: 'REGISTRY_NOT_FOUND' },
    { status: 400, codes: ['BLOB_UNKNOWN'], want: 'REGISTRY_NOT_FOUND' },
    { status: 400, codes: ['MANIFEST_INVALID'], want: 'REGISTRY_FAILED' },
    { status: 400, codes: ['DENIED'], want: 'REGISTRY_UNAUTHORIZED' },
    { status: 429, codes: ['TOOMANYREQUESTS'], want: 'REGISTRY_FAILED' },
    { status: 500, codes: [], want: 'REGISTRY_FAILED' },
  ];
  for (const row of codes) it(`codeFor ${row.status} ${row.codes.join(',')} → ${row.want}`, () => assert.equal(codeFor(row.status, row.codes), row.want));

  it('statusError: one line with the action, status and the registry’s words, secrets redacted', () => {
    const err = statusError('getting manifest r/a:1', 404, [
      { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' },
      { code: 'X_Y', message: '' },
    ]);
    assert.equal(err.message, 'getting manifest r/a:1: 404 not found: manifest unknown; x y');
    assert.equal(err.status, 404);
    assert.deepEqual(err.registryCodes, ['MANIFEST_UNKNOWN', 'X_Y']);
    const leak = statusError('a', 401, [{ code: 'UNAUTHORIZED', message: 'bad token tok-secret-1\nsecond line' }], ['tok-secret-1']);
    assert.equal(leak.message, 'a: 401 unauthorized: bad token [redacted] second line');
  });
});

describe('names, references and content', () => {
  it('accepts normalised repositories and refuses others before any request', () => {
    checkRepository({ domain: 'docker.io', path: 'library/busybox' });
    checkRepository({ domain: '127.0.0.1:5000', path: 'a/b-c/d_e' });
    for (const bad of [
      { domain: 'docker.io', path: 'busybox' },
      { domain: 'r:5000', path: 'A/b' },
      { domain: 'r:5000', path: 'a/../b' },
      { domain: 'r:5000', path: 'a?b' },
      { domain: 'r:5000', path: 'a:tag' },
      { domain: '', path: 'a' },
      { domain: 'r:5000', path: '' },
    ]) {
      throwsWithCode(() => checkRepository(bad), 'REFERENCE_INVALID');
    }
  });
  const kinds: { ref: string; want: 'tag' | 'digest' | 'error' }[] = [
    { ref: 'latest', want: 'tag' },
    { ref: 'sha256-abc.sig', want: 'tag' },
    { ref: `sha256:${'a'.repeat(64)}`, want: 'digest' },
    { ref: `sha512:${'b'.repeat(128)}`, want: 'digest' },
    { ref: `sha256:${'A'.repeat(64)}`, want: 'error' },
    { ref: '../x', want: 'error' },
    { ref: 'a/b', want: 'error' },
    { ref: '', want: 'error' },
    { ref: 'x'.repeat(129), want: 'error' },
  ];
  for (const row of kinds) {
    it(`referenceKind ${row.ref.slice(0, 20)} → ${row.want}`, () => {
      if (row.want === 'error') throwsWithCode(() => referenceKind(row.ref), 'REFERENCE_INVALID');
      else assert.equal(referenceKind(row.ref), row.want);
    });
  }
  it('describes and locates', () => {
    const repo = { domain: 'r:5000', path: 'a/b' };
    const d = `sha256:${'c'.repeat(64)}`;
    assert.equal(describeRef(repo), 'r:5000/a/b');
    assert.equal(describeRef(repo, 'v1'), 'r:5000/a/b:v1');
    assert.equal(describeRef(repo, d), `r:5000/a/b@${d}`);
    const ep = registryEndpoint('r:5000');
    assert.equal(repositoryUrl(ep, repo, 'manifests', 'v1').href, 'https://r:5000/v2/a/b/manifests/v1');
    assert.equal(
      repositoryUrl(ep, repo, 'blobs/uploads', '', { mount: d, from: 'x/y' }).href,
      `https://r:5000/v2/a/b/blobs/uploads/?mount=${encodeURIComponent(d)}&from=x%2Fy`,
    );
    assert.equal(repositoryUrl(ep, repo, 'tags/list', '', { n: '2' }).href, 'https://r:5000/v2/a/b/tags/list?n=2');
  });
  it('digests and media types', () => {
    assert.equal(sha256Digest(Buffer.from('')), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(matchesDigest(sha256Digest(Buffer.from('a')), Buffer.from('a')), true);
    assert.equal(matchesDigest(sha256Digest(Buffer.from('a')), Buffer.from('b')), false);
    assert.equal(bareMediaType('Application/JSON; charset=utf-8'), 'application/json');
    assert.equal(bareMediaType(undefined), '');
  });
});
