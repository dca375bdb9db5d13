/**
 * Table-driven tests for src/cli/global-options.ts splitGlobalOptions: docker's global flags (cli/flags/options.go,
 * parsed by pflag) as they stand before `trustext` when the docker CLI runs the plugin, or before the command when
 * `docker-trustext` is run directly.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitGlobalOptions, type GlobalOptions } from '../../src/cli/global-options.ts';
import { throwsWithCode } from '../kit/index.ts';

/** The options object with nothing set. */
const NONE: GlobalOptions = { debug: false, hosts: [] };
const opts = (o: Partial<GlobalOptions>): GlobalOptions => ({ ...NONE, ...o });

type Row = { name: string; argv: string[]; options: GlobalOptions; args: string[] };

function check(rows: Row[]): void {
  for (const row of rows) {
    it(row.name, () => {
      const input = [...row.argv];
      const got = splitGlobalOptions(input);
      assert.deepEqual(got, { options: row.options, args: row.args });
      assert.deepEqual(input, row.argv, 'argv must not be mutated');
    });
  }
}

describe('splitGlobalOptions: value flags', () => {
  check([
    { name: '--config X', argv: ['--config', 'X', 'trustext', 'push'], options: opts({ configDir: 'X' }), args: ['push'] },
    { name: '--config=X', argv: ['--config=X', 'trustext', 'push'], options: opts({ configDir: 'X' }), args: ['push'] },
    { name: '--config= (empty value)', argv: ['--config=', 'push'], options: opts({ configDir: '' }), args: ['push'] },
    {
      name: '--config takes the next word even if it looks like a flag (pflag)',
      argv: ['--config', '--debug', 'push'],
      options: opts({ configDir: '--debug' }),
      args: ['push'],
    },
    {
      name: '--config keeps quotes (only TLS paths are quotedString)',
      argv: ['--config', "'/x'", 'push'],
      options: opts({ configDir: "'/x'" }),
      args: ['push'],
    },
    { name: '-c ctx', argv: ['-c', 'ctx', 'trustext', 'push'], options: opts({ context: 'ctx' }), args: ['push'] },
    { name: '-cctx', argv: ['-cctx', 'trustext', 'push'], options: opts({ context: 'ctx' }), args: ['push'] },
    { name: '-c=ctx', argv: ['-c=ctx', 'trustext', 'push'], options: opts({ context: 'ctx' }), args: ['push'] },
    { name: '--context ctx', argv: ['--context', 'ctx', 'push'], options: opts({ context: 'ctx' }), args: ['push'] },
    { name: '--context=ctx', argv: ['--context=ctx', 'trustext', 'push'], options: opts({ context: 'ctx' }), args: ['push'] },
    { name: '--context=a=b keeps everything after the first =', argv: ['--context=a=b', 'push'], options: opts({ context: 'a=b' }), args: ['push'] },
    { name: '-l debug', argv: ['-l', 'debug', 'trustext', 'push'], options: opts({ logLevel: 'debug' }), args: ['push'] },
    { name: '-ldebug', argv: ['-ldebug', 'push'], options: opts({ logLevel: 'debug' }), args: ['push'] },
    { name: '--log-level=warn', argv: ['--log-level=warn', 'trustext', 'push'], options: opts({ logLevel: 'warn' }), args: ['push'] },
    { name: '--log-level warning', argv: ['--log-level', 'warning', 'push'], options: opts({ logLevel: 'warning' }), args: ['push'] },
    { name: '--log-level=trace', argv: ['--log-level=trace'], options: opts({ logLevel: 'trace' }), args: [] },
    { name: 'the last of repeated value flags wins', argv: ['-c', 'a', '--context', 'b', 'push'], options: opts({ context: 'b' }), args: ['push'] },
  ]);
});

describe('splitGlobalOptions: -H/--host (list)', () => {
  check([
    { name: '-H a', argv: ['-H', 'a', 'trustext', 'push'], options: opts({ hosts: ['a'] }), args: ['push'] },
    { name: '-H a -H b keeps both, in order', argv: ['-H', 'a', '-H', 'b', 'trustext', 'push'], options: opts({ hosts: ['a', 'b'] }), args: ['push'] },
    { name: '--host=x', argv: ['--host=x', 'trustext', 'push'], options: opts({ hosts: ['x'] }), args: ['push'] },
    { name: '--host x', argv: ['--host', 'tcp://h:2375', 'push'], options: opts({ hosts: ['tcp://h:2375'] }), args: ['push'] },
    { name: '-Hx', argv: ['-Hunix:///s', 'push'], options: opts({ hosts: ['unix:///s'] }), args: ['push'] },
    { name: '-H=x', argv: ['-H=x', 'push'], options: opts({ hosts: ['x'] }), args: ['push'] },
  ]);
});

describe('splitGlobalOptions: boolean flags', () => {
  check([
    { name: '-D', argv: ['-D', 'trustext', 'push'], options: opts({ debug: true }), args: ['push'] },
    { name: '--debug', argv: ['--debug', 'trustext', 'push'], options: opts({ debug: true }), args: ['push'] },
    { name: '--debug=false', argv: ['--debug=false', 'push'], options: opts({ debug: false }), args: ['push'] },
    { name: '-D=false', argv: ['-D=false', 'push'], options: opts({ debug: false }), args: ['push'] },
    { name: 'a bool flag never takes the next word', argv: ['--debug', 'false', 'push'], options: opts({ debug: true }), args: ['false', 'push'] },
    { name: '--tls', argv: ['--tls', 'trustext', 'push'], options: opts({ tls: true }), args: ['push'] },
    { name: '--tls=false', argv: ['--tls=false', 'trustext', 'push'], options: opts({ tls: false }), args: ['push'] },
    { name: '--tls=0', argv: ['--tls=0', 'push'], options: opts({ tls: false }), args: ['push'] },
    { name: '--tls=T', argv: ['--tls=T', 'push'], options: opts({ tls: true }), args: ['push'] },
    { name: '--tlsverify', argv: ['--tlsverify', 'push'], options: opts({ tlsVerify: true }), args: ['push'] },
    { name: '--tlsverify=false is recorded as false, not undefined', argv: ['--tlsverify=false', 'push'], options: opts({ tlsVerify: false }), args: ['push'] },
    { name: '--tlsverify=FALSE', argv: ['--tlsverify=FALSE', 'push'], options: opts({ tlsVerify: false }), args: ['push'] },
    { name: '--tlsverify=1', argv: ['--tlsverify=1', 'push'], options: opts({ tlsVerify: true }), args: ['push'] },
  ]);

  it('--tlsverify=false leaves an own tlsVerify property equal to false', () => {
    const { options } = splitGlobalOptions(['--tlsverify=false', 'push']);
    assert.equal(Object.hasOwn(options, 'tlsVerify'), true);
    assert.equal(options.tlsVerify, false);
  });

  it('without TLS flags, tls and tlsVerify are absent (undefined), not false', () => {
    const { options } = splitGlobalOptions(['push']);
    assert.equal(Object.hasOwn(options, 'tls'), false);
    assert.equal(Object.hasOwn(options, 'tlsVerify'), false);
  });
});

describe('splitGlobalOptions: TLS paths (docker quotedString trims one pair of matching quotes)', () => {
  check([
    { name: '--tlscacert "\'/a b\'"', argv: ['--tlscacert', "'/a b'", 'push'], options: opts({ tlsCaCert: '/a b' }), args: ['push'] },
    { name: '--tlscacert \'"/a b"\'', argv: ['--tlscacert', '"/a b"', 'push'], options: opts({ tlsCaCert: '/a b' }), args: ['push'] },
    { name: '--tlscert="\'/c.pem\'"', argv: ["--tlscert='/c.pem'", 'push'], options: opts({ tlsCert: '/c.pem' }), args: ['push'] },
    { name: '--tlskey \'"/k.pem"\'', argv: ['--tlskey', '"/k.pem"', 'push'], options: opts({ tlsKey: '/k.pem' }), args: ['push'] },
    { name: 'mismatched quotes are kept', argv: ['--tlscacert', `'/a b"`, 'push'], options: opts({ tlsCaCert: `'/a b"` }), args: ['push'] },
    { name: 'a lone quote is kept', argv: ['--tlscacert', "'", 'push'], options: opts({ tlsCaCert: "'" }), args: ['push'] },
    { name: 'only one pair is trimmed', argv: ['--tlscacert', `''/a''`, 'push'], options: opts({ tlsCaCert: `'/a'` }), args: ['push'] },
    { name: 'unquoted path as is', argv: ['--tlscacert=/certs/ca.pem', 'push'], options: opts({ tlsCaCert: '/certs/ca.pem' }), args: ['push'] },
  ]);
});

describe('splitGlobalOptions: several flags together', () => {
  check([
    {
      name: 'docker plugin argv with every kind of flag',
      argv: ['--config', '/cfg', '-D', '-l', 'info', '--tls', '--tlsverify=false', '--tlscacert', '/ca.pem', '-H', 'tcp://h:2376', 'trustext', 'push', 'img'],
      options: { configDir: '/cfg', debug: true, logLevel: 'info', tls: true, tlsVerify: false, tlsCaCert: '/ca.pem', hosts: ['tcp://h:2376'] },
      args: ['push', 'img'],
    },
    {
      name: 'typed directly: docker-trustext --context x pull img',
      argv: ['--context', 'x', 'pull', 'img'],
      options: opts({ context: 'x' }),
      args: ['pull', 'img'],
    },
  ]);
});

describe('splitGlobalOptions: the plugin name', () => {
  check([
    { name: 'trustext alone', argv: ['trustext'], options: NONE, args: [] },
    { name: 'trustext push img', argv: ['trustext', 'push', 'img'], options: NONE, args: ['push', 'img'] },
    { name: 'removed only once', argv: ['trustext', 'trustext', 'push'], options: NONE, args: ['trustext', 'push'] },
    { name: 'not removed after the command', argv: ['push', 'trustext'], options: NONE, args: ['push', 'trustext'] },
    { name: 'not removed as a command argument', argv: ['trustext', 'push', 'trustext'], options: NONE, args: ['push', 'trustext'] },
    { name: 'not removed as a flag value', argv: ['--context', 'trustext', 'push'], options: opts({ context: 'trustext' }), args: ['push'] },
    { name: 'global flags after trustext are still global', argv: ['trustext', '-D', 'push'], options: opts({ debug: true }), args: ['push'] },
    { name: 'no command at all', argv: [], options: NONE, args: [] },
  ]);
});

describe('splitGlobalOptions: help', () => {
  check([
    { name: 'help trustext push → help push', argv: ['help', 'trustext', 'push'], options: NONE, args: ['help', 'push'] },
    { name: 'help trustext → help', argv: ['help', 'trustext'], options: NONE, args: ['help'] },
    { name: 'flags before help trustext', argv: ['--config', 'X', 'help', 'trustext', 'push'], options: opts({ configDir: 'X' }), args: ['help', 'push'] },
    { name: 'help push untouched', argv: ['help', 'push'], options: NONE, args: ['help', 'push'] },
    { name: 'trustext help push', argv: ['trustext', 'help', 'push'], options: NONE, args: ['help', 'push'] },
    { name: 'help push trustext untouched', argv: ['help', 'push', 'trustext'], options: NONE, args: ['help', 'push', 'trustext'] },
  ]);
});

describe('splitGlobalOptions: where the scan stops', () => {
  check([
    { name: 'unknown long flag stops the scan and stays', argv: ['--quiet', 'trustext', 'push'], options: NONE, args: ['--quiet', 'trustext', 'push'] },
    { name: 'unknown short flag stops the scan and stays', argv: ['-q', '-D', 'push'], options: NONE, args: ['-q', '-D', 'push'] },
    {
      name: 'flags before an unknown flag are taken',
      argv: ['-D', '--quiet', '-c', 'x', 'push'],
      options: opts({ debug: true }),
      args: ['--quiet', '-c', 'x', 'push'],
    },
    { name: '--help is left for the command parser', argv: ['--help'], options: NONE, args: ['--help'] },
    { name: 'a lone - is an argument', argv: ['-', 'push'], options: NONE, args: ['-', 'push'] },
    { name: 'command flags after the command are untouched', argv: ['trustext', 'push', '-q', 'img'], options: NONE, args: ['push', '-q', 'img'] },
    {
      name: 'global-looking flags after the command are untouched',
      argv: ['trustext', 'push', '-D', '--config', 'X', 'img'],
      options: NONE,
      args: ['push', '-D', '--config', 'X', 'img'],
    },
    { name: '-- ends the global flags and is removed', argv: ['--config', 'X', '--', 'push', '-q'], options: opts({ configDir: 'X' }), args: ['push', '-q'] },
    { name: 'flags after -- are not global', argv: ['--', '--config', 'X', 'push'], options: NONE, args: ['--config', 'X', 'push'] },
    { name: 'trustext -- push', argv: ['trustext', '--', 'push'], options: NONE, args: ['push'] },
    { name: 'only the first -- is removed', argv: ['trustext', '--', 'push', '--', 'x'], options: NONE, args: ['push', '--', 'x'] },
    { name: 'a -- after the command is the command’s', argv: ['trustext', 'push', '--', 'img'], options: NONE, args: ['push', '--', 'img'] },
  ]);
});

describe('splitGlobalOptions: usage errors', () => {
  const rows: [string, string[], string][] = [
    ['--config at the end', ['--config'], 'flag needs an argument: --config'],
    ['-c at the end', ['-c'], "flag needs an argument: 'c' in -c"],
    ['-H at the end', ['-H'], "flag needs an argument: 'H' in -H"],
    ['--tlscacert at the end', ['-D', '--tlscacert'], 'flag needs an argument: --tlscacert'],
    ['-l at the end', ['-l'], "flag needs an argument: 'l' in -l"],
    ['invalid log level', ['-l', 'verbose', 'trustext', 'push'], 'unable to parse logging level: verbose'],
    ['invalid --log-level=', ['--log-level=loud', 'push'], 'unable to parse logging level: loud'],
    ['--tlsverify=notabool', ['--tlsverify=notabool', 'push'], 'invalid argument "notabool" for "--tlsverify" flag: parse error'],
    ['--tls=yes', ['--tls=yes', 'push'], 'invalid argument "yes" for "--tls" flag: parse error'],
    ['--debug=on', ['--debug=on'], 'invalid argument "on" for "--debug" flag: parse error'],
  ];
  for (const [name, argv, message] of rows) {
    it(name, () => {
      throwsWithCode(() => splitGlobalOptions(argv), 'USAGE', message);
    });
  }
});

// pflag shorthand chaining and logrus level parsing, as docker does them.
describe('splitGlobalOptions: pflag and logrus details', () => {
  it('log levels are case-insensitive (logrus.ParseLevel uses EqualFold)', () => {
    assert.deepEqual(splitGlobalOptions(['-l', 'DEBUG', 'push']), { options: opts({ logLevel: 'DEBUG' }), args: ['push'] });
  });
  it('an empty log level means info, not an error', () => {
    assert.deepEqual(splitGlobalOptions(['--log-level=', 'push']), { options: opts({ logLevel: '' }), args: ['push'] });
  });
  it('combined short flags -Dl debug (pflag shorthand chaining)', () => {
    assert.deepEqual(splitGlobalOptions(['-Dl', 'debug', 'push']), { options: opts({ debug: true, logLevel: 'debug' }), args: ['push'] });
  });
  it('a value glued to a chained shorthand: -DHunix:///x.sock', () => {
    assert.deepEqual(splitGlobalOptions(['-DHunix:///x.sock', 'version']), { options: opts({ debug: true, hosts: ['unix:///x.sock'] }), args: ['version'] });
  });
  it('an unknown letter after a global shorthand is a usage error', () => {
    throwsWithCode(() => splitGlobalOptions(['-Dq', 'push']), 'USAGE', /unknown shorthand flag: 'q' in -Dq/);
  });
});
