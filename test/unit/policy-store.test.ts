/** The policy file adapter against a real temp directory: path, load, atomic save, validated update. */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPolicy, policyLocation, savePolicy, updatePolicy } from '../../src/policy-store/index.ts';
import { addSignerKey, emptyPolicy, policySetRule, serializePolicy, type Policy } from '../../src/trust/index.ts';
import { rejectsWithCode, settingsFrom } from '../kit/index.ts';

const A = 'a'.repeat(64);
let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'trustext-policy-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('policyLocation', () => {
  it('prefers TRUSTEXT_POLICY (named explicitly), else <keysDir>/policy.json', () => {
    const named = (env: Record<string, string>) => settingsFrom(env).policyFile;
    assert.deepEqual(policyLocation(named({ TRUSTEXT_POLICY: '/etc/p.json' }), '/k'), { path: '/etc/p.json', namedBy: 'TRUSTEXT_POLICY' });
    assert.deepEqual(policyLocation(named({}), '/k'), { path: '/k/policy.json' });
    assert.deepEqual(policyLocation(named({ TRUSTEXT_POLICY: '' }), '/k'), { path: '/k/policy.json' });
  });
});

describe('loadPolicy', () => {
  it('reads a missing file as the empty policy', async () => {
    assert.deepEqual(await loadPolicy(join(root, 'absent', 'policy.json')), emptyPolicy());
  });

  it('refuses a missing file that a variable named explicitly, in one line naming the variable', async () => {
    const path = join(root, 'absent', 'named.json');
    await rejectsWithCode(
      loadPolicy(path, { namedBy: 'TRUSTEXT_POLICY' }),
      'POLICY_STORE_FAILED',
      new RegExp(
        `^policy file ${path.replace(/[.]/g, '\\.')} \\(TRUSTEXT_POLICY\\) does not exist: create it with docker trustext policy set, or unset TRUSTEXT_POLICY to use the default policy$`,
      ),
    );
    await writeFile(join(root, 'named.json'), '{"version":2}');
    assert.deepEqual(await loadPolicy(join(root, 'named.json'), { namedBy: 'TRUSTEXT_POLICY' }), emptyPolicy());
  });

  it('passes on the parser error naming the file and line', async () => {
    const path = join(root, 'bad.json');
    await writeFile(path, '{\n  "version": 3\n}\n');
    await rejectsWithCode(loadPolicy(path), 'POLICY_INVALID', new RegExp(`^${path.replace(/[.]/g, '\\.')}:2: version: must be 1 or 2`));
  });

  it('refuses invalid UTF-8 and reports I/O failures as POLICY_STORE_FAILED', async () => {
    const path = join(root, 'latin1.json');
    await writeFile(path, Buffer.from([0x7b, 0xff, 0x7d]));
    await rejectsWithCode(loadPolicy(path), 'POLICY_INVALID', /not valid UTF-8/);
    await mkdir(join(root, 'dir.json'));
    await rejectsWithCode(loadPolicy(join(root, 'dir.json')), 'POLICY_STORE_FAILED', /^reading policy /);
  });
});

describe('savePolicy', () => {
  it('creates the directory 0700 and the file 0600 with the canonical text, leaving no temp files', async () => {
    const dir = join(root, 'keys');
    const path = join(dir, 'policy.json');
    const policy = addSignerKey(emptyPolicy(), 'alice', A);
    await savePolicy(path, policy);
    assert.equal(await readFile(path, 'utf8'), serializePolicy(policy));
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['policy.json']);
    assert.deepEqual(await loadPolicy(path), policy);
  });

  it('writes nothing for an invalid policy, and fails cleanly where the directory cannot exist', async () => {
    const path = join(root, 'never', 'policy.json');
    const bad: Policy = { ...emptyPolicy(), rules: [{ repositories: 'nohost' }] };
    await rejectsWithCode(savePolicy(path, bad), 'POLICY_INVALID', /^invalid policy: rules\[0\]\.repositories: invalid repository glob/);
    await assert.rejects(stat(join(root, 'never')), /ENOENT/);
    await writeFile(join(root, 'file'), 'x');
    await rejectsWithCode(savePolicy(join(root, 'file', 'policy.json'), emptyPolicy()), 'POLICY_STORE_FAILED', /^writing policy /);
  });
});

describe('updatePolicy', () => {
  it('reads, changes and writes, starting from the empty policy', async () => {
    const path = join(root, 'upd', 'policy.json');
    const next = await updatePolicy(path, (p) => policySetRule(addSignerKey(p, 'alice', A), 'r.io/**', { signers: ['alice'] }));
    assert.deepEqual(next.rules, [{ repositories: 'r.io/**', signers: ['alice'] }]);
    assert.deepEqual(await loadPolicy(path), next);
  });

  it('leaves the file byte-identical when the change throws or yields an invalid policy', async () => {
    const path = join(root, 'keep', 'policy.json');
    await savePolicy(path, addSignerKey(emptyPolicy(), 'alice', A));
    const before = await readFile(path);
    await assert.rejects(
      updatePolicy(path, () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    await rejectsWithCode(
      updatePolicy(path, (p) => ({ ...p, rules: [{ repositories: 'r.io/**', signers: ['alice'], threshold: 2 }] })),
      'POLICY_INVALID',
      /^invalid policy: rules\[0\]\.threshold: must be an integer from 1 to 1/,
    );
    assert.deepEqual(await readFile(path), before);
    assert.deepEqual(await readdir(join(root, 'keep')), ['policy.json']);
  });
});
