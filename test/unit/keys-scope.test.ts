/**
 * Table-driven tests for repository scopes (src/keys/format/scope-glob.ts): `*` within one path segment,
 * `**` across zero or more whole segments, matched against fully qualified repository names, and the
 * validation that refuses globs that could never match a normalised name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchScope, scopeProblem, validateScope } from '../../src/keys/index.ts';
import { throwsWithCode } from '../kit/index.ts';

/** [glob, repository, matches] */
const MATCHES: [string, string, boolean][] = [
  // literal
  ['docker.io/library/busybox', 'docker.io/library/busybox', true],
  ['docker.io/library/busybox', 'docker.io/library/busybox2', false],
  ['docker.io/library/busybox', 'docker.io/library', false],
  ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app', true],
  ['127.0.0.1:5000/team/app', '127.0.0.1:5001/team/app', false],
  // * stays inside one segment
  ['docker.io/library/*', 'docker.io/library/busybox', true],
  ['docker.io/library/*', 'docker.io/library/a/b', false],
  ['docker.io/library/*', 'docker.io/library', false],
  ['127.0.0.1:5000/team/*', '127.0.0.1:5000/team/app', true],
  ['127.0.0.1:5000/team/*', '127.0.0.1:5000/other/app', false],
  ['reg.example/team/app-*', 'reg.example/team/app-web', true],
  ['reg.example/team/app-*', 'reg.example/team/app-', true],
  ['reg.example/team/app-*', 'reg.example/team/web-app', false],
  ['reg.example/team/*-svc', 'reg.example/team/auth-svc', true],
  ['reg.example/team/a*b*c', 'reg.example/team/aXbYc', true],
  ['reg.example/team/a*b*c', 'reg.example/team/abc', true],
  ['reg.example/team/a*b*c', 'reg.example/team/acb', false],
  ['reg.example/team/a*a', 'reg.example/team/a', false],
  ['reg.example/*/app', 'reg.example/team/app', true],
  ['reg.example/*/app', 'reg.example/team/sub/app', false],
  ['*.example.com/team/app', 'reg.example.com/team/app', true],
  ['*.example.com/team/app', 'example.com/team/app', false],
  ['*.example.com/team/app', 'evil.com/x.example.com/team/app', false],
  ['*/library/busybox', '127.0.0.1:5000/library/busybox', true],
  // ** spans zero or more whole segments
  ['reg.example/team/**', 'reg.example/team/app', true],
  ['reg.example/team/**', 'reg.example/team/a/b/c', true],
  ['reg.example/team/**', 'reg.example/team', true],
  ['reg.example/team/**', 'reg.example/teams/app', false],
  ['reg.example/team/**', 'other.example/team/app', false],
  ['reg.example/**/app', 'reg.example/app', true],
  ['reg.example/**/app', 'reg.example/a/b/app', true],
  ['reg.example/**/app', 'reg.example/a/b/app2', false],
  ['docker.io/**', 'docker.io/library/busybox', true],
  ['**/app', 'docker.io/team/app', true],
  ['**/app', 'docker.io/team/web', false],
  ['**', 'docker.io/library/busybox', true],
  ['**', '127.0.0.1:5000/team/app', true],
  ['reg.example/**/*-svc/**', 'reg.example/x/auth-svc/v1', true],
  // case-sensitive, no other special characters, no empty segments in the repository
  ['docker.io/library/busybox', 'docker.io/library/BusyBox', false],
  ['reg.example/team/app', 'reg.example/team//app', false],
  ['reg.example/**', 'reg.example/', false],
];

describe('matchScope', () => {
  for (const [glob, repository, expected] of MATCHES) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${repository}`, () => {
      assert.equal(matchScope(glob, repository), expected);
    });
  }

  it('stays fast with many ** segments (memoised, no exponential backtracking)', () => {
    const glob = `${Array(40).fill('**').join('/')}/x`;
    const repository = `reg.example/${Array(120).fill('a').join('/')}/y`;
    const start = Date.now();
    assert.equal(matchScope(glob, repository), false);
    assert.ok(Date.now() - start < 1000);
  });
});

/** [glob, problem pattern or undefined when valid] */
const VALIDATION: [string, RegExp | undefined][] = [
  ['docker.io/library/busybox', undefined],
  ['**', undefined],
  ['127.0.0.1:5000/team/**', undefined],
  ['localhost/app', undefined],
  ['localhost:5000/app', undefined],
  ['[::1]:5000/app', undefined],
  ['*/library/*', undefined],
  ['Registry.Example/team/app', undefined],
  ['', /1 to 512/],
  ['docker.io', /host\/path/],
  ['*', /host\/path/],
  ['library/busybox', /not a registry host.*docker\.io\/library\/busybox/],
  ['team/*', /not a registry host/],
  ['index.docker.io/library/busybox', /use "docker.io"/],
  ['docker.io/Library/busybox', /lower-case/],
  ['docker.io//busybox', /empty path segments/],
  ['docker.io/library/', /empty path segments/],
  ['/docker.io/library', /empty path segments/],
  ['docker.io/lib**/x', /whole path segment/],
  ['docker.io/***', /whole path segment/],
  ['docker.io/library/busybox:latest', /no tag or digest/],
  ['docker.io/library/busybox@sha256', /may contain only/],
  ['docker.io/library/busy box', /may contain only/],
  ['docker.io/library/bu?y', /may contain only/],
  [`docker.io/${'a'.repeat(600)}`, /1 to 512/],
];

describe('scope validation', () => {
  for (const [glob, problem] of VALIDATION) {
    it(`${JSON.stringify(glob.slice(0, 40))} is ${problem ? 'refused' : 'valid'}`, () => {
      const found = scopeProblem(glob);
      if (problem === undefined) {
        assert.equal(found, undefined);
        assert.equal(validateScope(glob), glob);
      } else {
        assert.match(found ?? '', problem);
        throwsWithCode(() => validateScope(glob), 'KEY_INVALID');
      }
    });
  }
});
