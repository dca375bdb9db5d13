/**
 * Usage errors as docker reports them (cli/cobra.go FlagErrorFunc): one line saying what is wrong, then the hint
 * naming the command's own help, exit 125, and nothing run — no session is opened. The values are checked by
 * commander's own `.choices()`, `.argParser()` and `.conflicts()`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CliContext } from '../../src/cli/context.ts';
import { runCommand } from '../../src/cli/run.ts';
import { environmentFrom } from '../kit/index.ts';

/** Runs `args` with captured streams and a session that must not be opened. */
async function usage(args: string[]): Promise<{ code: number; stdout: string; stderr: string; opened: boolean }> {
  const out = { stdout: '', stderr: '', opened: false };
  const ctx = {
    io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, color: false },
    globals: { debug: false, hosts: [] },
    environment: environmentFrom({}, { notice: () => {} }),
    signal: new AbortController().signal,
    session: () => {
      out.opened = true;
      return Promise.reject(new Error('no session in a usage test'));
    },
  } as unknown as CliContext;
  const code = await runCommand(ctx, args);
  return { code, ...out };
}

describe('usage errors', () => {
  const cases: [string[], RegExp, string][] = [
    [['pull', '--store', 'bogus', 'r.test/a'], /argument 'bogus' is invalid\. Allowed choices are registry, notary, both\./, 'pull'],
    [['verify', '--format', 'xml', 'r.test/a'], /argument 'xml' is invalid\. Allowed choices are pretty, json\./, 'verify'],
    [['signer', 'add', '--store', 'x', '--key', 'k.pub', 'n', 'r.test/a'], /Allowed choices are registry, notary, both/, 'signer add'],
    [['policy', 'set', 'r.test/*', '--threshold', '1.5'], /argument '1\.5' is invalid\. Expected a whole number\./, 'policy set'],
    [['policy', 'set', 'r.test/*', '--mode', 'lax'], /Allowed choices are enforce, warn, off\./, 'policy set'],
    [['key', 'export', '--public', '--cosign', 'k'], /option '--public' cannot be used with option '--cosign'/, 'key export'],
    [['key', 'export', 'k'], /^key export needs one of --public and --cosign$/m, 'key export'],
    [['key', 'generate', 'BAD'], /^key name "BAD" must start with lowercase/m, 'key generate'],
    [['push', '-a', 'novalue', 'r.test/a'], /^invalid claim "novalue": expected KEY=VALUE$/m, 'push'],
    [['sign', '--expires', '99999999999d', 'r.test/a:1'], /^invalid --expires "99999999999d"/m, 'sign'],
    [['bogus'], /unknown command 'bogus'/, ''],
  ];
  for (const [args, message, command] of cases) {
    it(`${args.join(' ')}: 125, the reason, then the hint for ${command || 'the plugin'}`, async () => {
      const r = await usage(args);
      assert.equal(r.code, 125, r.stderr);
      assert.match(r.stderr, message);
      const hint = `See 'docker trustext${command ? ` ${command}` : ''} --help'.`;
      assert.equal(r.stderr.trimEnd().split('\n').at(-1), hint);
      assert.equal(r.stdout, '');
      assert.equal(r.opened, false);
    });
  }

  it('accepts the allowed values (the session is reached)', async () => {
    const r = await usage(['verify', '--store', 'notary', '--format', 'json', 'r.test/a']);
    assert.equal(r.opened, true);
    assert.equal(r.code, 1);
  });
});
