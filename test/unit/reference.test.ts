/**
 * Table-driven tests for src/reference, harvested from distribution/reference's normalize_test.go and
 * reference_test.go (ParseNormalizedNamed, ParseDockerRef, FamiliarName/FamiliarString) plus go-digest.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  familiarName,
  familiarString,
  formatReference,
  isDigest,
  isTag,
  parseDockerRef,
  parseReference,
  repositoryName,
  withDefaultTag,
  withoutTagOrDigest,
  type Reference,
} from '../../src/reference/index.ts';
import { throwsWithCode } from '../kit/index.ts';

const F64 = 'f'.repeat(64);
const SHA = `sha256:${F64}`;
const SHA512 = `sha512:${'f'.repeat(128)}`;
const HEX64 = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';
const BUSY = 'sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
const E66 = 'sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';
const NS256 = Array(4).fill('this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255').join('_');

/** [input, domain, path, tag, digest, familiar string] */
type Valid = [string, string, string, string | undefined, string | undefined, string];
const valid: Valid[] = [
  ['busybox', 'docker.io', 'library/busybox', undefined, undefined, 'busybox'],
  ['docker/docker', 'docker.io', 'docker/docker', undefined, undefined, 'docker/docker'],
  ['library/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'],
  ['docker.io/docker/docker', 'docker.io', 'docker/docker', undefined, undefined, 'docker/docker'],
  ['docker.io/library/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'],
  ['docker.io/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'],
  ['index.docker.io/docker/docker', 'docker.io', 'docker/docker', undefined, undefined, 'docker/docker'],
  ['index.docker.io/library/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'],
  ['index.docker.io/debian', 'docker.io', 'library/debian', undefined, undefined, 'debian'],
  ['127.0.0.1:5000/docker/docker', '127.0.0.1:5000', 'docker/docker', undefined, undefined, '127.0.0.1:5000/docker/docker'],
  ['127.0.0.1:5000/library/debian', '127.0.0.1:5000', 'library/debian', undefined, undefined, '127.0.0.1:5000/library/debian'],
  ['127.0.0.1:5000/debian', '127.0.0.1:5000', 'debian', undefined, undefined, '127.0.0.1:5000/debian'],
  ['192.168.0.1', 'docker.io', 'library/192.168.0.1', undefined, undefined, '192.168.0.1'],
  ['192.168.0.1:80', 'docker.io', 'library/192.168.0.1', '80', undefined, '192.168.0.1:80'],
  ['192.168.0.1:8/debian', '192.168.0.1:8', 'debian', undefined, undefined, '192.168.0.1:8/debian'],
  ['192.168.0.2:25000/debian', '192.168.0.2:25000', 'debian', undefined, undefined, '192.168.0.2:25000/debian'],
  [
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    'docker.io',
    'library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
    undefined,
    undefined,
    'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
  ],
  ['[fc00::1]:5000/docker', '[fc00::1]:5000', 'docker', undefined, undefined, '[fc00::1]:5000/docker'],
  ['[fc00::1]:5000/docker/docker', '[fc00::1]:5000', 'docker/docker', undefined, undefined, '[fc00::1]:5000/docker/docker'],
  ['[fc00:1:2:3:4:5:6:7]:5000/library/debian', '[fc00:1:2:3:4:5:6:7]:5000', 'library/debian', undefined, undefined, '[fc00:1:2:3:4:5:6:7]:5000/library/debian'],
  [`docker.io/${HEX64}`, 'docker.io', `library/${HEX64}`, undefined, undefined, HEX64],
  ['Docker/docker', 'Docker', 'docker', undefined, undefined, 'Docker/docker'],
  ['DOCKER/docker', 'DOCKER', 'docker', undefined, undefined, 'DOCKER/docker'],
  ['docker-rules/docker', 'docker.io', 'docker-rules/docker', undefined, undefined, 'docker-rules/docker'],
  ['docker---rules/docker', 'docker.io', 'docker---rules/docker', undefined, undefined, 'docker---rules/docker'],
  ['d/docker', 'docker.io', 'd/docker', undefined, undefined, 'd/docker'],
  ['jess/t', 'docker.io', 'jess/t', undefined, undefined, 'jess/t'],
  ['dock__er/docker', 'docker.io', 'dock__er/docker', undefined, undefined, 'dock__er/docker'],
  ['other/library', 'docker.io', 'other/library', undefined, undefined, 'other/library'],
  ['library/foo/bar', 'docker.io', 'library/foo/bar', undefined, undefined, 'library/foo/bar'],
  ['store/foo/bar', 'docker.io', 'store/foo/bar', undefined, undefined, 'store/foo/bar'],
  ['ubuntu-12.04-base', 'docker.io', 'library/ubuntu-12.04-base', undefined, undefined, 'ubuntu-12.04-base'],
  ['example.com:8000/private/moonbase', 'example.com:8000', 'private/moonbase', undefined, undefined, 'example.com:8000/private/moonbase'],
  ['example.com/privatebase', 'example.com', 'privatebase', undefined, undefined, 'example.com/privatebase'],
  ['test_com/foo', 'docker.io', 'test_com/foo', undefined, undefined, 'test_com/foo'],
  ['test-com:8080/foo', 'test-com:8080', 'foo', undefined, undefined, 'test-com:8080/foo'],
  ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo', undefined, undefined, 'xn--n3h.com:18080/foo'],
  ['localhost/foo', 'localhost', 'foo', undefined, undefined, 'localhost/foo'],
  ['localhost:5000/foo:1.0', 'localhost:5000', 'foo', '1.0', undefined, 'localhost:5000/foo:1.0'],
  ['localhost', 'docker.io', 'library/localhost', undefined, undefined, 'localhost'],
  ['ghcr.io/user/app:v1', 'ghcr.io', 'user/app', 'v1', undefined, 'ghcr.io/user/app:v1'],
  ['gcr.io/library/busybox', 'gcr.io', 'library/busybox', undefined, undefined, 'gcr.io/library/busybox'],
  ['test.com:tag', 'docker.io', 'library/test.com', 'tag', undefined, 'test.com:tag'],
  ['test.com:5000', 'docker.io', 'library/test.com', '5000', undefined, 'test.com:5000'],
  [`test:5000/repo:tag@${SHA}`, 'test:5000', 'repo', 'tag', SHA, `test:5000/repo:tag@${SHA}`],
  [`test:5000/repo@${SHA}`, 'test:5000', 'repo', undefined, SHA, `test:5000/repo@${SHA}`],
  ['lowercase:Uppercase', 'docker.io', 'library/lowercase', 'Uppercase', undefined, 'lowercase:Uppercase'],
  [
    'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
    'sub-dom1.foo.com',
    'bar/baz/quux',
    'some-long-tag',
    undefined,
    'sub-dom1.foo.com/bar/baz/quux:some-long-tag',
  ],
  [
    'b.gcr.io/test.example.com/my-app:test.example.com',
    'b.gcr.io',
    'test.example.com/my-app',
    'test.example.com',
    undefined,
    'b.gcr.io/test.example.com/my-app:test.example.com',
  ],
  [`xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`, 'xn--7o8h.com', 'myimage', 'xn--7o8h.com', SHA512, `xn--7o8h.com/myimage:xn--7o8h.com@${SHA512}`],
  ['foo_bar.com:8080', 'docker.io', 'library/foo_bar.com', '8080', undefined, 'foo_bar.com:8080'],
  ['foo/foo_bar.com:8080', 'docker.io', 'foo/foo_bar.com', '8080', undefined, 'foo/foo_bar.com:8080'],
  ['[2001:db8::1]/repo', '[2001:db8::1]', 'repo', undefined, undefined, '[2001:db8::1]/repo'],
  ['[2001:db8:1:2:3:4:5:6]/repo:tag', '[2001:db8:1:2:3:4:5:6]', 'repo', 'tag', undefined, '[2001:db8:1:2:3:4:5:6]/repo:tag'],
  [`[2001:db8::1]:5000/repo:tag@${SHA}`, '[2001:db8::1]:5000', 'repo', 'tag', SHA, `[2001:db8::1]:5000/repo:tag@${SHA}`],
  ['[::1]:5000/repo', '[::1]:5000', 'repo', undefined, undefined, '[::1]:5000/repo'],
  [`busybox:latest@${BUSY}`, 'docker.io', 'library/busybox', 'latest', BUSY, `busybox:latest@${BUSY}`],
  [`redis@${E66}`, 'docker.io', 'library/redis', undefined, E66, `redis@${E66}`],
  [
    `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
    'docker.io',
    `${'a/'.repeat(127)}a`,
    'tag-puts-this-over-max',
    undefined,
    `${'a/'.repeat(127)}a:tag-puts-this-over-max`,
  ],
  [`busybox:${'T'.repeat(128)}`, 'docker.io', 'library/busybox', 'T'.repeat(128), undefined, `busybox:${'T'.repeat(128)}`],
  // docker quirk: a dotted first element that is not a valid host becomes part of a domain-less path
  ['a_b.c/foo', '', 'a_b.c/foo', undefined, undefined, 'a_b.c/foo'],
];

const INVALID = 'invalid reference format';
const TOO_LONG = 'repository name must not be more than 255 characters';
const invalid: [string, string][] = [
  ['', INVALID],
  ['https://github.com/docker/docker', INVALID],
  ['docker/Docker', 'invalid reference format: repository name (docker/Docker) must be lowercase'],
  ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
  ['Uppercase:tag', 'invalid reference format: repository name (library/Uppercase) must be lowercase'],
  ['docker.io/docker/Docker', 'invalid reference format: repository name (docker/Docker) must be lowercase'],
  ['test:5000/Uppercase/lowercase:tag', 'invalid reference format: repository name (Uppercase/lowercase) must be lowercase'],
  ['A_b.c/foo', 'repository name must be lowercase'],
  ['-docker', INVALID],
  ['-docker/docker', INVALID],
  ['-docker.io/docker/docker', INVALID],
  ['docker///docker', INVALID],
  ['docker.io/docker///docker', INVALID],
  ['[fc00::1]', INVALID],
  ['[fc00::1]:5000', INVALID],
  ['fc00::1:5000/debian', INVALID],
  ['[fe80::1%eth0]:5000/debian', INVALID],
  ['[fe80::1%@invalidzone]:5000/repo', INVALID],
  ['[2001:db8:3:4::192.0.2.33]:5000/debian', INVALID],
  ['[2001:db8::1]:tag', INVALID],
  [HEX64, `invalid repository name (${HEX64}), cannot specify 64-byte hexadecimal strings`],
  ['docker-/docker', INVALID],
  ['-docker-/docker', INVALID],
  ['____/____', INVALID],
  ['_docker/_docker', INVALID],
  ['dock..er/docker', INVALID],
  ['dock_.er/docker', INVALID],
  ['dock-.er/docker', INVALID],
  ['docker/', INVALID],
  [`${NS256}/docker`, TOO_LONG],
  [`${'a/'.repeat(128)}a:tag`, TOO_LONG],
  [':justtag', INVALID],
  [`@${SHA}`, INVALID],
  ['aa/asdf$$^/aa', INVALID],
  ['busybox:-tag', INVALID],
  [`busybox:${'a'.repeat(129)}`, INVALID],
  ['busybox@sha256:abc', INVALID],
  [`repo@sha256:${'f'.repeat(34)}`, 'invalid checksum digest length'],
  [`busybox@sha384:${F64}`, 'invalid checksum digest length'],
  [`busybox@sha256:${'F'.repeat(64)}`, 'invalid checksum digest format'],
  [`busybox@SHA256:${F64}`, 'invalid reference format: repository name (library/busybox@SHA256) must be lowercase'],
  [`busybox:1@SHA256:${F64}`, 'invalid checksum digest format'],
  [`validname@invaliddigest:${F64}`, 'unsupported digest algorithm'],
  [' busybox', INVALID],
  ['busybox\n', INVALID],
];

function expected(domain: string, path: string, tag?: string, digest?: string): Reference {
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

describe('parseReference: valid references (normalize_test.go, reference_test.go)', () => {
  for (const [input, domain, path, tag, digest, familiar] of valid) {
    it(input.length > 80 ? `${input.slice(0, 77)}...` : input, () => {
      const ref = parseReference(input);
      assert.deepEqual({ ...ref }, expected(domain, path, tag, digest));
      const name = domain === '' ? path : `${domain}/${path}`;
      assert.equal(repositoryName(ref), name);
      assert.equal(formatReference(ref), name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : ''));
      assert.equal(familiarString(ref), familiar);
      // The familiar and fully qualified forms parse back to the same reference (a familiar
      // 64-hex name does not: docker refuses it as an image ID).
      if (familiar !== HEX64) assert.deepEqual(parseReference(familiarString(ref)), ref);
      assert.deepEqual(parseReference(formatReference(ref)), ref);
    });
  }
});

describe('parseReference: invalid references', () => {
  for (const [input, message] of invalid) {
    it(`${JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input)} -> ${message}`, () => {
      assert.equal(throwsWithCode(() => parseReference(input), 'REFERENCE_INVALID', message).input, input);
    });
  }
});

describe('familiarName (normalize_test.go TestParseRepositoryInfo)', () => {
  const cases: [string, string][] = [
    ['index.docker.io/fooo/bar', 'fooo/bar'],
    ['docker.io/library/ubuntu', 'ubuntu'],
    ['docker.io/nonlibrary/ubuntu', 'nonlibrary/ubuntu'],
    ['docker.io/library/foo/bar', 'library/foo/bar'],
    ['127.0.0.1:8000/privatebase:tag', '127.0.0.1:8000/privatebase'],
    [`example.com:8000/privatebasee@${SHA}`, 'example.com:8000/privatebasee'],
    ['FOO/bar', 'FOO/bar'],
  ];
  for (const [input, name] of cases) it(input, () => assert.equal(familiarName(parseReference(input)), name));
});

describe('parseDockerRef (normalize_test.go TestParseDockerRef)', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:latest', 'docker.io/library/busybox:latest'],
    [`busybox@${E66}`, `docker.io/library/busybox@${E66}`],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['docker.io/busybox:latest', 'docker.io/library/busybox:latest'],
    ['library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['gcr.io/library/busybox', 'gcr.io/library/busybox:latest'],
    [`gcr.io/library/busybox:latest@${E66}`, `gcr.io/library/busybox@${E66}`],
  ];
  for (const [input, want] of cases) it(input, () => assert.equal(formatReference(parseDockerRef(input)), want));
});

describe('withDefaultTag / withoutTagOrDigest (TagNameOnly / TrimNamed)', () => {
  it('adds latest only to a bare name, keeping tag, digest or both', () => {
    assert.equal(formatReference(withDefaultTag(parseReference('busybox'))), 'docker.io/library/busybox:latest');
    assert.equal(familiarString(withDefaultTag(parseReference('busybox:1.36'))), 'busybox:1.36');
    assert.equal(familiarString(withDefaultTag(parseReference(`busybox@${E66}`))), `busybox@${E66}`);
    assert.equal(familiarString(withDefaultTag(parseReference(`busybox:1@${E66}`))), `busybox:1@${E66}`);
    assert.equal(familiarString(withoutTagOrDigest(parseReference(`user/app:1@${E66}`))), 'user/app');
  });
});

describe('isDigest (go-digest v1.0.0) and isTag', () => {
  const digests: [string, boolean][] = [
    [SHA, true],
    [E66, true],
    [SHA512, true],
    [`sha384:${'0'.repeat(96)}`, true],
    [`sha256:${'F'.repeat(64)}`, false],
    [`sha256:${'f'.repeat(63)}`, false],
    [`sha512:${F64}`, false],
    [`md5:${F64}`, false],
    [`SHA256:${F64}`, false],
    ['sha256:', false],
    [':abc', false],
    [F64, false],
    ['', false],
  ];
  for (const [s, ok] of digests) it(`isDigest(${JSON.stringify(s)}) === ${ok}`, () => assert.equal(isDigest(s), ok));
  const tags: [string, boolean][] = [
    ['latest', true],
    ['1.36.1-musl', true],
    ['_x', true],
    ['A'.repeat(128), true],
    ['', false],
    ['-x', false],
    ['.x', false],
    ['a'.repeat(129), false],
    ['a/b', false],
    ['a:b', false],
  ];
  for (const [s, ok] of tags) it(`isTag(${JSON.stringify(s.length > 20 ? `${s.slice(0, 10)}...` : s)}) === ${ok}`, () => assert.equal(isTag(s), ok));
});
