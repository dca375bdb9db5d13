/**
 * Table-driven tests for src/engine/host.ts parseDockerHost, against docker/cli opts/hosts.go ParseHost and the
 * cases of opts/hosts_test.go (TestParseHost, TestParseDockerDaemonHost, TestParseInvalidUnixAddrInvalid).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_UNIX_SOCKET, parseDockerHost } from '../../src/engine/host.ts';
import { throwsWithCode } from '../kit/index.ts';

type Valid = { input: string; tls?: boolean; expected: string };

function checkValid(rows: Valid[]): void {
  for (const row of rows) {
    const name = `${JSON.stringify(row.input)}${row.tls ? ' (TLS)' : ''} → ${row.expected}`;
    it(name, () => {
      assert.equal(parseDockerHost(row.tls ?? false, row.input), row.expected);
    });
  }
}

type Invalid = { input: string; message?: string };

function checkInvalid(rows: Invalid[]): void {
  for (const row of rows) {
    it(`${JSON.stringify(row.input)} is rejected${row.message ? `: ${row.message}` : ''}`, () => {
      throwsWithCode(() => parseDockerHost(false, row.input), 'USAGE', row.message);
    });
  }
}

describe('parseDockerHost: defaults', () => {
  it('the default socket is /var/run/docker.sock', () => assert.equal(DEFAULT_UNIX_SOCKET, '/var/run/docker.sock'));
  checkValid([
    { input: '', expected: 'unix:///var/run/docker.sock' },
    { input: ' ', expected: 'unix:///var/run/docker.sock' },
    { input: '  ', expected: 'unix:///var/run/docker.sock' },
    { input: '', tls: true, expected: 'tcp://localhost:2376' },
    { input: ' ', tls: true, expected: 'tcp://localhost:2376' },
    // defaultToTLS only changes what an empty value means.
    { input: 'tcp://', tls: true, expected: 'tcp://localhost:2375' },
    { input: 'unix:///x.sock', tls: true, expected: 'unix:///x.sock' },
    { input: 'tcp://h', tls: true, expected: 'tcp://h:2375' },
  ]);
});

describe('parseDockerHost: unix and npipe', () => {
  checkValid([
    { input: 'unix://', expected: 'unix:///var/run/docker.sock' },
    { input: 'unix:///run/docker.sock', expected: 'unix:///run/docker.sock' },
    { input: 'unix://path/to/socket', expected: 'unix://path/to/socket' },
    { input: ' unix:///x.sock ', expected: 'unix:///x.sock' },
    { input: 'npipe://', expected: 'npipe:////./pipe/docker_engine' },
    { input: 'npipe:////./pipe/foo', expected: 'npipe:////./pipe/foo' },
    // parseSimpleProtoAddr trims one more "unix://" before looking for "://".
    { input: 'unix://unix:///x', expected: 'unix:///x' },
  ]);
  checkInvalid([
    { input: 'unix://tcp://x', message: 'invalid proto, expected unix: tcp://x' },
    { input: 'unix://tcp://127.0.0.1', message: 'invalid proto, expected unix: tcp://127.0.0.1' },
  ]);
});

describe('parseDockerHost: a value without a scheme is tcp (docker/cli parseDockerDaemonHost)', () => {
  checkValid([
    { input: '0.0.0.1:', expected: 'tcp://0.0.0.1:2375' },
    { input: '0.0.0.1:5555', expected: 'tcp://0.0.0.1:5555' },
    { input: '0.0.0.1:5555/path', expected: 'tcp://0.0.0.1:5555/path' },
    { input: '[::1]:', expected: 'tcp://[::1]:2375' },
    { input: '[::1]:5555/path', expected: 'tcp://[::1]:5555/path' },
    { input: 'localhost:', expected: 'tcp://localhost:2375' },
    { input: 'localhost:5555', expected: 'tcp://localhost:5555' },
    { input: 'localhost:5555/path', expected: 'tcp://localhost:5555/path' },
    { input: 'somehost', expected: 'tcp://somehost:2375' },
    { input: ':6666', expected: 'tcp://localhost:6666' },
    { input: ':6666/path', expected: 'tcp://localhost:6666/path' },
    { input: '[0:0:0:0:0:0:0:1]:', expected: 'tcp://[0:0:0:0:0:0:0:1]:2375' },
    { input: '[0:0:0:0:0:0:0:1]:5555/path', expected: 'tcp://[0:0:0:0:0:0:0:1]:5555/path' },
    // docker has no bare-path rule: url.Parse("tcp:///path/sock") has an empty host, so it becomes localhost:2375
    // with the path kept. src turns bare paths into unix:// addresses instead.
    { input: '/path/sock', expected: 'unix:///path/sock' } /* docker/cli v29+; 28.x gave tcp://localhost:2375/path/sock */,
    { input: './sock', expected: 'unix://./sock' } /* docker/cli v29+ */,
  ]);
});

describe('parseDockerHost: tcp', () => {
  checkValid([
    { input: 'tcp://', expected: 'tcp://localhost:2375' },
    { input: 'tcp://host', expected: 'tcp://host:2375' },
    { input: 'tcp://host:', expected: 'tcp://host:2375' },
    { input: 'tcp://0.0.0.0:8080', expected: 'tcp://0.0.0.0:8080' },
    { input: 'tcp://192.168.0.0:12000', expected: 'tcp://192.168.0.0:12000' },
    { input: 'tcp://192.168:8080', expected: 'tcp://192.168:8080' },
    { input: 'tcp://docker.com:2375', expected: 'tcp://docker.com:2375' },
    { input: 'tcp://[::1]:2375', expected: 'tcp://[::1]:2375' },
    { input: 'tcp://[::1]:', expected: 'tcp://[::1]:2375' },
    { input: 'tcp://host:2375/path', expected: 'tcp://host:2375/path' },
    { input: 'tcp://host/path', expected: 'tcp://host:2375/path' },
    { input: 'tcp://host:2375/', expected: 'tcp://host:2375/' },
    { input: 'tcp://host:0', expected: 'tcp://host:0' },
    { input: 'tcp://:7777', expected: 'tcp://localhost:7777' },
    { input: 'tcp://:7777/path', expected: 'tcp://localhost:7777/path' },
    { input: 'tcp://:2375', expected: 'tcp://localhost:2375' },
    { input: 'tcp://:2376', expected: 'tcp://localhost:2376' },
    { input: ' tcp://:7777/path ', expected: 'tcp://localhost:7777/path' },
    { input: 'tcp://0.0.0.0:1234567890', expected: 'tcp://0.0.0.0:1234567890' }, // docker only checks the port is numeric
    { input: 'tcp://tcp://host', expected: 'tcp://host:2375' },
  ]);
  checkInvalid([
    { input: 'tcp://unix:///x' },
    { input: 'tcp://unix:///run/docker.sock' },
    {
      input: 'tcp://unix:///run/docker.sock',
      message: 'invalid proto, expected tcp: unix:///run/docker.sock',
    },
    { input: 'tcp://:port' },
    { input: 'tcp://invalid:port' },
    { input: 'tcp:a.b.c.d' },
    { input: 'tcp:a.b.c.d/path' },
    { input: 'something with spaces' },
    { input: 'host:-1' },
  ]);
});

describe('parseDockerHost: ssh and fd pass through', () => {
  checkValid([
    { input: 'ssh://user@host', expected: 'ssh://user@host' },
    { input: 'ssh://user@host:2222/var/run/docker.sock', expected: 'ssh://user@host:2222/var/run/docker.sock' },
    { input: 'ssh://host', expected: 'ssh://host' },
    { input: 'fd://', expected: 'fd://' },
    { input: 'fd://something', expected: 'fd://something' },
  ]);
});

describe('parseDockerHost: unknown schemes', () => {
  checkInvalid([
    { input: 'udp://x', message: 'invalid bind address format: udp://x' },
    { input: 'udp://127.0.0.1', message: 'invalid bind address format: udp://127.0.0.1' },
    { input: 'udp://127.0.0.1:2375', message: 'invalid bind address format: udp://127.0.0.1:2375' },
    { input: 'http://host:2375', message: 'invalid bind address format: http://host:2375' },
    { input: '://', message: 'invalid bind address format: ://' },
    { input: 'unknown://', message: 'invalid bind address format: unknown://' },
  ]);
});
