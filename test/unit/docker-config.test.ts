/**
 * Tests for src/docker-config: the config directory (docker/cli cli/config Dir()), config.json loading, and the
 * context store layout written by `docker context create` (cli/context/store: meta/<sha256(name)>/meta.json and
 * tls/<sha256(name)>/docker/{ca,cert,key}.pem). Uses real temporary directories.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contextDirId, loadConfigFile, loadContextEndpoint, resolveConfigDir } from '../../src/docker-config/index.ts';
import { rejectsWithCode, settingsFrom } from '../kit/index.ts';

let root: string;
let n = 0;
/** A fresh empty directory under the suite's temp root. */
async function freshDir(): Promise<string> {
  const dir = join(root, `d${n++}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'trustext-docker-config-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveConfigDir', () => {
  const rows: { name: string; flag: string | undefined; env: Record<string, string | undefined>; expected: string }[] = [
    { name: '--config wins', flag: '/flag', env: { DOCKER_CONFIG: '/env' }, expected: '/flag' },
    { name: 'DOCKER_CONFIG when no flag', flag: undefined, env: { DOCKER_CONFIG: '/env' }, expected: '/env' },
    { name: 'home/.docker when neither', flag: undefined, env: {}, expected: '/home/u/.docker' },
    { name: 'empty flag falls through', flag: '', env: { DOCKER_CONFIG: '/env' }, expected: '/env' },
    { name: 'empty DOCKER_CONFIG falls through', flag: undefined, env: { DOCKER_CONFIG: '' }, expected: '/home/u/.docker' },
    { name: 'the flag is returned as given', flag: 'rel/dir', env: {}, expected: 'rel/dir' },
  ];
  for (const row of rows) {
    it(row.name, () => assert.equal(resolveConfigDir(row.flag, settingsFrom(row.env).dockerConfig, '/home/u'), row.expected));
  }
});

describe('loadConfigFile', () => {
  it('a missing file is an empty config', async () => {
    assert.deepEqual(await loadConfigFile(await freshDir()), {});
  });

  it('a missing directory is an empty config', async () => {
    assert.deepEqual(await loadConfigFile(join(root, 'does-not-exist')), {});
  });

  const empties: [string, string][] = [
    ['empty file', ''],
    ['whitespace only', ' \n\t\n'],
  ];
  for (const [name, text] of empties) {
    it(`${name} is an empty config`, async () => {
      const dir = await freshDir();
      await writeFile(join(dir, 'config.json'), text);
      assert.deepEqual(await loadConfigFile(dir), {});
    });
  }

  it('reads the fields docker writes and keeps unknown ones', async () => {
    const dir = await freshDir();
    const content = {
      auths: { 'https://index.docker.io/v1/': { auth: 'dTpw' } },
      credsStore: 'desktop',
      currentContext: 'remote',
      cliPluginsExtraDirs: ['/opt/plugins'],
      psFormat: 'table {{.ID}}',
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(content, null, '\t'));
    assert.deepEqual(await loadConfigFile(dir), content);
  });

  const invalid: { name: string; text: string; mentions: string }[] = [
    { name: 'invalid JSON', text: '{"auths": ', mentions: 'is not valid JSON' },
    { name: 'a JSON array', text: '[{"currentContext":"x"}]', mentions: 'must hold a JSON object' },
    { name: 'JSON null', text: 'null', mentions: 'must hold a JSON object' },
    { name: 'a JSON string', text: '"x"', mentions: 'must hold a JSON object' },
    { name: 'a JSON number', text: '42', mentions: 'must hold a JSON object' },
  ];
  for (const row of invalid) {
    it(`${row.name} is CONFIG_INVALID naming the file`, async () => {
      const dir = await freshDir();
      const file = join(dir, 'config.json');
      await writeFile(file, row.text);
      const m = (await rejectsWithCode(loadConfigFile(dir), 'CONFIG_INVALID')).message;
      assert.ok(m.includes(file), `message should name ${file}: ${m}`);
      assert.ok(m.includes(row.mentions), `message should say "${row.mentions}": ${m}`);
    });
  }

  it('a config.json that is a directory is CONFIG_INVALID naming the file', async () => {
    const dir = await freshDir();
    const file = join(dir, 'config.json');
    await mkdir(file);
    const m = (await rejectsWithCode(loadConfigFile(dir), 'CONFIG_INVALID')).message;
    assert.ok(m.startsWith(`cannot read docker config file ${file}: `), m);
  });
});

describe('contextDirId', () => {
  it('sha256("default") is the known value', () => {
    assert.equal(contextDirId('default'), '37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f');
  });
  for (const name of ['default', 'remote', 'my-ctx', 'ctx with spaces', 'ünïcode', '']) {
    it(`matches sha256 hex of ${JSON.stringify(name)}`, () => {
      const expected = createHash('sha256').update(name, 'utf8').digest('hex');
      assert.equal(contextDirId(name), expected);
      assert.match(contextDirId(name), /^[0-9a-f]{64}$/);
    });
  }
});

/** Writes a context the way `docker context create` lays it out; returns the config dir. */
async function writeContext(name: string, meta: unknown, tlsFiles: Partial<Record<'ca.pem' | 'cert.pem' | 'key.pem', string>> = {}): Promise<string> {
  const dir = await freshDir();
  const id = createHash('sha256').update(name).digest('hex');
  const metaDir = join(dir, 'contexts', 'meta', id);
  await mkdir(metaDir, { recursive: true });
  await writeFile(join(metaDir, 'meta.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
  const entries = Object.entries(tlsFiles);
  if (entries.length > 0) {
    const tlsDir = join(dir, 'contexts', 'tls', id, 'docker');
    await mkdir(tlsDir, { recursive: true });
    for (const [file, content] of entries) await writeFile(join(tlsDir, file), content);
  }
  return dir;
}

const metaFor = (name: string, host: string, skip: boolean) => ({
  Name: name,
  Metadata: {},
  Endpoints: { docker: { Host: host, SkipTLSVerify: skip } },
});

describe('loadContextEndpoint', () => {
  it('reads a context as docker context create writes it', async () => {
    const dir = await writeContext('x', { Name: 'x', Metadata: {}, Endpoints: { docker: { Host: 'unix:///x.sock', SkipTLSVerify: false } } });
    assert.deepEqual(await loadContextEndpoint(dir, 'x'), { name: 'x', host: 'unix:///x.sock', skipTLSVerify: false, tls: undefined });
  });

  it('SkipTLSVerify true', async () => {
    const dir = await writeContext('insecure', metaFor('insecure', 'tcp://h:2376', true));
    assert.deepEqual(await loadContextEndpoint(dir, 'insecure'), { name: 'insecure', host: 'tcp://h:2376', skipTLSVerify: true, tls: undefined });
  });

  it('SkipTLSVerify missing or not a boolean true is false', async () => {
    const dir = await writeContext('s', { Name: 's', Metadata: {}, Endpoints: { docker: { Host: 'tcp://h:2376', SkipTLSVerify: 'true' } } });
    assert.equal((await loadContextEndpoint(dir, 's')).skipTLSVerify, false);
  });

  it('loads all three TLS files', async () => {
    const dir = await writeContext('secure', metaFor('secure', 'tcp://h:2376', false), { 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' });
    assert.deepEqual(await loadContextEndpoint(dir, 'secure'), {
      name: 'secure',
      host: 'tcp://h:2376',
      skipTLSVerify: false,
      tls: { ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: Buffer.from('KEY') },
    });
  });

  const partial: { name: string; files: Partial<Record<'ca.pem' | 'cert.pem' | 'key.pem', string>>; tls: Record<string, Buffer> }[] = [
    { name: 'CA only', files: { 'ca.pem': 'CA' }, tls: { ca: Buffer.from('CA') } },
    { name: 'cert and key only', files: { 'cert.pem': 'CERT', 'key.pem': 'KEY' }, tls: { cert: Buffer.from('CERT'), key: Buffer.from('KEY') } },
    { name: 'key only', files: { 'key.pem': 'KEY' }, tls: { key: Buffer.from('KEY') } },
  ];
  for (const row of partial) {
    it(`loads only the TLS files present: ${row.name}`, async () => {
      const dir = await writeContext('p', metaFor('p', 'tcp://h:2376', false), row.files);
      const got = await loadContextEndpoint(dir, 'p');
      assert.deepEqual(got.tls, row.tls);
      assert.deepEqual(Object.keys(got.tls ?? {}).sort(), Object.keys(row.tls).sort());
    });
  }

  it('a context name with characters unsafe in paths', async () => {
    const name = 'team/prod:east';
    const dir = await writeContext(name, metaFor(name, 'ssh://u@h', false));
    assert.deepEqual(await loadContextEndpoint(dir, name), { name, host: 'ssh://u@h', skipTLSVerify: false, tls: undefined });
  });

  it('another context’s files are not used', async () => {
    const dir = await writeContext('a', metaFor('a', 'tcp://a:1', false));
    const m = (await rejectsWithCode(loadContextEndpoint(dir, 'b'), 'CONTEXT_NOT_FOUND')).message;
    assert.ok(m.includes('"b"'), m);
  });

  it('a missing context is CONTEXT_NOT_FOUND naming the context and meta file', async () => {
    const dir = await freshDir();
    const metaFile = join(dir, 'contexts', 'meta', contextDirId('nope'), 'meta.json');
    await rejectsWithCode(loadContextEndpoint(dir, 'nope'), 'CONTEXT_NOT_FOUND', `context "nope" does not exist (no ${metaFile}); see 'docker context ls'`);
  });

  const broken: { name: string; meta: unknown; message: (file: string) => string }[] = [
    {
      name: 'no docker endpoint',
      meta: { Name: 'k8s', Metadata: {}, Endpoints: { kubernetes: { Host: 'https://k' } } },
      message: (f) => `context "c" has no docker endpoint (${f})`,
    },
    { name: 'no Endpoints at all', meta: { Name: 'c', Metadata: {} }, message: (f) => `context "c" has no docker endpoint (${f})` },
    { name: 'empty Host', meta: metaFor('c', '', false), message: (f) => `context "c" has no docker endpoint (${f})` },
    { name: 'Host not a string', meta: { Name: 'c', Endpoints: { docker: { Host: 42 } } }, message: (f) => `context "c" has no docker endpoint (${f})` },
    { name: 'invalid JSON', meta: '{"Name":', message: (f) => `context "c": ${f} is not valid JSON` },
    { name: 'Endpoints null', meta: { Name: 'c', Endpoints: null }, message: (f) => `context "c" has no docker endpoint (${f})` },
  ];
  for (const row of broken) {
    it(`${row.name} is CONFIG_INVALID`, async () => {
      const dir = await writeContext('c', row.meta);
      const metaFile = join(dir, 'contexts', 'meta', contextDirId('c'), 'meta.json');
      await rejectsWithCode(loadContextEndpoint(dir, 'c'), 'CONFIG_INVALID', row.message(metaFile));
    });
  }

  it('meta.json holding JSON null is CONFIG_INVALID', async () => {
    const dir = await writeContext('c', 'null');
    const metaFile = join(dir, 'contexts', 'meta', contextDirId('c'), 'meta.json');
    await rejectsWithCode(loadContextEndpoint(dir, 'c'), 'CONFIG_INVALID', `context "c" has no docker endpoint (${metaFile})`);
  });
});
