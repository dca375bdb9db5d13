/**
 * The systemd unit `enforce on` writes (src/systemd/unit-file.ts): words and assignments quoted as
 * systemd.syntax(7) reads them, specifiers and variables kept literal, and what a unit line cannot hold refused.
 * (test/e2e/proxy-systemd.test.ts has a real systemd read a unit whose key store path needs all of it.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceUnit, type ServiceSpec } from '../../src/systemd/index.ts';
import { throwsWithCode } from '../kit/index.ts';

const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  description: 'proxy at 100%',
  command: ['/opt/docker-trustext', 'trustext', 'proxy'],
  environment: { HOME: '/root' },
  stopTimeoutSec: 15,
  ...over,
});

const line = (text: string, key: string) => text.split('\n').filter((l) => l.startsWith(`${key}=`));

describe('serviceUnit', () => {
  it('writes a simple service, restarted on failure, wanted by the default target', () => {
    const text = serviceUnit(spec());
    assert.deepEqual(line(text, 'ExecStart'), ['ExecStart="/opt/docker-trustext" "trustext" "proxy"']);
    assert.deepEqual(line(text, 'Environment'), ['Environment="HOME=/root"']);
    assert.deepEqual(line(text, 'Description'), ['Description=proxy at 100%%']);
    for (const l of ['Type=simple', 'Restart=on-failure', 'TimeoutStopSec=15', 'UMask=0077', 'WantedBy=default.target'])
      assert.ok(text.includes(`\n${l}\n`), l);
  });

  it('quotes backslashes and double quotes, doubles % everywhere and $ in ExecStart (expanded there, not in Environment)', () => {
    const text = serviceUnit(spec({ command: ['/a b/$HOME/%h', 'x"y\\z'], environment: { KEYS: '/k 100%h $HOME "q" \\x' } }));
    assert.deepEqual(line(text, 'ExecStart'), ['ExecStart="/a b/$$HOME/%%h" "x\\"y\\\\z"']);
    assert.deepEqual(line(text, 'Environment'), ['Environment="KEYS=/k 100%%h $HOME \\"q\\" \\\\x"']);
  });

  it('refuses values with a newline or another control character, and variable names systemd cannot assign', () => {
    throwsWithCode(
      () => serviceUnit(spec({ environment: { A: 'one\ntwo' } })),
      'CONFIG_INVALID',
      /cannot write A into a systemd unit: it holds a control character/,
    );
    throwsWithCode(() => serviceUnit(spec({ command: ['/bin/x', 'a\u0007'] })), 'CONFIG_INVALID', /control character/);
    throwsWithCode(() => serviceUnit(spec({ environment: { 'A-B': 'x' } })), 'CONFIG_INVALID', /cannot write the variable "A-B"/);
  });
});
