/**
 * The house style's one-way layering (shared/reference/house-style.md), checked on every import in src/:
 * pure folders do no I/O, cli/ reaches only app/ and shared/, nothing imports cli/, adapters never import app/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');
const PURE = ['reference', 'trust', 'signature', 'manifest', 'keys/format', 'notary/tuf', 'net'];
const ADAPTERS = ['engine', 'docker-config', 'registry', 'notary', 'credentials', 'proxy', 'policy-store', 'tag-history'];
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|child_process|dns|worker_threads)$|^dockerode$/;

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* files(join(dir, e.name));
    else if (e.name.endsWith('.ts')) yield join(dir, e.name);
  }
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

/** The top folder under src/ of a file or of a relative import target ('' for src/ itself). */
function folderOf(path: string): string {
  const rel = relative(SRC, path);
  return rel.includes('/') ? rel.split('/')[0]! : '';
}

const all = [...files(SRC)].map((file) => ({
  file,
  rel: relative(SRC, file),
  folder: folderOf(file),
  specs: imports(file),
  targets: imports(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => folderOf(resolve(file, '..', s))),
}));

describe('layering', () => {
  it('finds the source files and their imports', () => {
    assert.ok(all.length > 20);
    assert.ok(all.some((f) => f.targets.includes('shared')));
  });

  it('keeps pure folders free of I/O and process.env, importing only pure folders and shared/', () => {
    for (const f of all.filter((f) => PURE.some((p) => f.rel.startsWith(`${p}/`)))) {
      for (const s of f.specs) assert.doesNotMatch(s, IO_MODULES, `${f.rel} imports ${s}`);
      for (const t of f.targets) assert.ok(t === 'shared' || PURE.some((p) => p.split('/')[0] === t), `${f.rel} imports from ${t}/`);
      assert.doesNotMatch(readFileSync(f.file, 'utf8'), /process\.env/, `${f.rel} reads process.env`);
    }
  });

  it('lets cli/ import only app/, shared/ and itself', () => {
    for (const f of all.filter((f) => f.folder === 'cli')) {
      for (const t of f.targets) assert.ok(['cli', 'app', 'shared'].includes(t), `${f.rel} imports from ${t}/`);
    }
  });

  it('lets nothing but the entry points import cli/', () => {
    for (const f of all.filter((f) => f.folder !== 'cli' && f.folder !== '')) {
      assert.ok(!f.targets.includes('cli'), `${f.rel} imports cli/`);
    }
  });

  it('keeps adapters from importing app/ (wiring happens only there)', () => {
    for (const f of all.filter((f) => ADAPTERS.includes(f.folder))) {
      assert.ok(!f.targets.includes('app') && !f.targets.includes('cli'), `${f.rel} imports app/ or cli/`);
    }
  });
});
