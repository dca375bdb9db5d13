/**
 * The house style's import boundaries, checked on the real import graph: esbuild parses every file under a source
 * tree (static imports, re-exports, dynamic `import()`), and each edge between two files of the tree is judged.
 *   - pure folders import only pure folders and shared/ (their I/O bans are biome's noRestrictedImports);
 *   - cli/ imports only app/, shared/ and itself; nothing but the entry points imports cli/;
 *   - adapters never import app/ (wiring happens only there);
 *   - no deep imports: a file of another folder is reached only through that folder's index.ts (a folder's own
 *     subfolders see its files; shared/ is a set of leaf modules imported one by one, so that a pure core importing
 *     errors.ts does not also load the lock files' I/O).
 * `node scripts/import-rules.ts [SRC]` prints one line per violation and exits 1 when there is any.
 */
import { build, type Metafile } from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const PURE = ['encoding', 'reference', 'trust', 'signature', 'manifest', 'keys/format', 'notary/tuf', 'net', 'settings', 'proxy/classify'];
export const ADAPTERS = [
  'engine',
  'docker-config',
  'http',
  'registry',
  'notary/client',
  'credentials',
  'proxy',
  'policy-store',
  'tag-history',
  'keys/store',
  'systemd',
];

/** One import that breaks a rule: importer and target relative to the source root, and the rule it breaks. */
export interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: string;
}

function* tsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* tsFiles(join(dir, e.name));
    else if (e.name.endsWith('.ts')) yield join(dir, e.name);
  }
}

/** The folder (relative to src, '' for src itself) a file is in. */
const folder = (file: string): string => dirname(file).replace(/^\.$/, '');
const top = (file: string): string => file.split('/').slice(0, -1)[0] ?? '';
const within = (file: string, dirs: readonly string[]): boolean => dirs.some((d) => file.startsWith(`${d}/`));

/** The rule an import from `from` to `to` (both relative to src) breaks, or undefined. */
export function judge(from: string, to: string): string | undefined {
  if (within(from, PURE) && !within(to, PURE) && top(to) !== 'shared') return 'a pure folder imports only pure folders and shared/';
  if (top(from) === 'cli' && !['cli', 'app', 'shared'].includes(top(to))) return 'cli/ imports only app/, shared/ and itself';
  if (top(to) === 'cli' && top(from) !== 'cli' && top(from) !== '') return 'only the entry points import cli/';
  if (within(from, ADAPTERS) && top(to) === 'app') return 'adapters never import app/';
  const home = folder(to);
  const visible = home === folder(from) || folder(from).startsWith(`${home}/`) || home === 'shared' || to.endsWith('/index.ts');
  if (!visible) return `another folder is reached through its index.ts, not ${to}`;
  return undefined;
}

/** Every import edge between files of `src` that breaks a rule. */
export async function importViolations(src: string): Promise<Violation[]> {
  const root = resolve(src);
  const entryPoints = [...tsFiles(root)];
  const { metafile } = await build({
    entryPoints,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: '/nonexistent',
    logLevel: 'silent',
  });
  const out: Violation[] = [];
  for (const [path, input] of Object.entries((metafile as Metafile).inputs)) {
    const from = relative(root, resolve(path));
    if (from.startsWith('..')) continue;
    for (const edge of input.imports) {
      if (edge.external) continue;
      const to = relative(root, resolve(edge.path));
      if (to.startsWith('..')) continue;
      const rule = judge(from, to);
      if (rule) out.push({ from, to, rule });
    }
  }
  return out.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

if (import.meta.main) {
  const found = await importViolations(process.argv[2] ?? resolve(import.meta.dirname, '..', 'src'));
  for (const v of found) console.error(`${v.from} imports ${v.to}: ${v.rule}`);
  process.exitCode = found.length > 0 ? 1 : 0;
}
