/**
 * The tooling that keeps the layout as the house style wants it, and proof that it fails on a violation:
 * scripts/import-rules.ts (one-way layers, no deep imports, judged on esbuild's parse of the import graph) holds for
 * src/, and reports each kind of violation planted in a scratch tree; biome (run by the test command) refuses
 * unformatted code, and I/O or process.env in a pure core, with the repository's own biome.json.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { importViolations, PURE } from '../../scripts/import-rules.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'trustext-house-rules-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `files` (path → text) under a new folder of the scratch directory and returns it. */
function tree(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('import rules', () => {
  it('hold for src/', async () => {
    assert.deepEqual(await importViolations(join(ROOT, 'src')), []);
  });

  it('report every kind of violation, and nothing in a tree that keeps them', async () => {
    const clean = {
      'main.ts': "import './cli/index.ts';\n",
      'cli/index.ts': "import { useCase } from '../app/index.ts';\nexport const run = useCase;\n",
      'app/index.ts': "import { get } from '../registry/index.ts';\nexport const useCase = get;\n",
      'registry/index.ts': "import { parse } from '../reference/index.ts';\nexport { get } from './client.ts';\nexport const p = parse;\n",
      'registry/client.ts': "import { fail } from '../shared/errors.ts';\nexport const get = fail;\n",
      'reference/index.ts': "import { fail } from '../shared/errors.ts';\nexport const parse = fail;\n",
      'shared/errors.ts': 'export const fail = 1;\n',
    };
    assert.deepEqual(await importViolations(tree('clean', clean)), []);
    const bad = tree('bad', {
      ...clean,
      'reference/index.ts': "import { get } from '../registry/index.ts';\nexport const parse = get;\n",
      'cli/index.ts': "import { get } from '../registry/index.ts';\nexport const run = get;\n",
      'registry/client.ts': "import { useCase } from '../app/index.ts';\nexport const get = useCase;\n",
      'app/index.ts': "import { get } from '../registry/client.ts';\nimport '../cli/index.ts';\nexport const useCase = get;\n",
    });
    const found = (await importViolations(bad)).map((v) => `${v.from} -> ${v.to}: ${v.rule}`);
    assert.deepEqual(found, [
      'app/index.ts -> cli/index.ts: only the entry points import cli/',
      'app/index.ts -> registry/client.ts: another folder is reached through its index.ts, not registry/client.ts',
      'cli/index.ts -> registry/index.ts: cli/ imports only app/, shared/ and itself',
      'reference/index.ts -> registry/index.ts: a pure folder imports only pure folders and shared/',
      'registry/client.ts -> app/index.ts: adapters never import app/',
    ]);
  });
});

describe('biome', () => {
  const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
  /** Runs the test command's `biome check` over a scratch tree with the repository's biome.json. */
  function check(name: string, files: Record<string, string>): { status: number | null; output: string } {
    const dir = tree(name, files);
    copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['check', '--vcs-enabled=false', '--error-on-warnings', '--colors=off', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { status: r.status, output: r.stdout + r.stderr };
  }

  it('bans I/O and process.env in exactly the pure folders the import rules know', () => {
    const banned = config.overrides.find((o: any) => o.linter?.rules?.style?.noRestrictedImports);
    assert.deepEqual(
      banned.includes,
      PURE.map((p) => `src/${p}/**`),
    );
  });

  it('passes a clean tree and fails on unformatted code, a pure core reading a file and a pure core reading process.env', () => {
    assert.equal(check('lint-clean', { 'src/reference/ok.ts': 'export const ok = 1;\n' }).status, 0);
    const unformatted = check('lint-format', { 'src/app/x.ts': 'export const x  =  1\n' });
    assert.equal(unformatted.status, 1);
    assert.match(unformatted.output, /src\/app\/x\.ts format/);
    const io = check('lint-io', { 'src/reference/x.ts': "import { readFileSync } from 'node:fs';\n\nexport const x = readFileSync('f');\n" });
    assert.equal(io.status, 1);
    assert.match(io.output, /lint\/style\/noRestrictedImports/);
    const env = check('lint-env', { 'src/trust/x.ts': 'export const x = process.env.HOME;\n' });
    assert.equal(env.status, 1);
    assert.match(env.output, /lint\/style\/noProcessEnv/);
    assert.equal(check('lint-env-adapter', { 'src/engine/x.ts': 'export const x = process.env.HOME;\n' }).status, 0);
  });
});
