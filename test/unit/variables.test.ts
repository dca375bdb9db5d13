/**
 * The one list of environment variables (src/settings/variables.ts) against what reads them and what describes them:
 * nothing outside src/settings/ reads a variable, readSettings reads exactly the listed ones, the README's
 * Environment table is the list, and `--help` shows the listed variables that are trustext's to set, with their
 * descriptions.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { environmentHelp } from '../../src/cli/program.ts';
import { readSettings, VARIABLE_NAMES, VARIABLES } from '../../src/settings/index.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

function* tsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* tsFiles(join(dir, e.name));
    else if (e.name.endsWith('.ts')) yield join(dir, e.name);
  }
}

/**
 * The places a source text reads the environment by name: `env.NAME`, `env?.NAME`, `env[...]`, `'NAME' in env`,
 * and `process.env` at all. Only src/settings/ reads variables; the CLI's entry hands process.env down whole.
 */
export function environmentReads(text: string): string[] {
  // Comments out (a `//` after `:` is a URL in a string, not a comment), then each form of read, aliases included.
  const code = text.replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, '$1');
  const patterns = [
    /(?<![\w-])env\??\.[A-Za-z_]\w*/g,
    /(?<![\w-])env\??\.?\[[^\]]*\]/g,
    /['"][A-Za-z_]\w*['"] in env\b/g,
    /process\.env\b/g,
    /\}\s*=\s*[\w.]*\benv\b/g,
    /(?<!\}\s*)=\s*(?!process\.)[\w.]*\.env\s*[;,)]/g,
  ];
  return patterns.flatMap((p) => [...code.matchAll(p)].map((m) => m[0]));
}

/** Which variables `read` asks a recording environment for (property reads and `in` checks). */
function namesAsked(read: (env: Record<string, string | undefined>) => void): Set<string> {
  const asked = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_t, name) => {
      if (typeof name === 'string') asked.add(name);
      return undefined;
    },
    has: (_t, name) => {
      if (typeof name === 'string') asked.add(name);
      return false;
    },
  });
  read(env);
  return asked;
}

describe('environment variables', () => {
  it('are read only in src/settings/ (and process.env only by the CLI, to hand it down)', () => {
    const found: string[] = [];
    for (const file of tsFiles(join(ROOT, 'src'))) {
      const rel = file.slice(ROOT.length + 1);
      if (rel.startsWith('src/settings/')) continue;
      for (const read of environmentReads(readFileSync(file, 'utf8'))) {
        if (!(rel === 'src/cli/run.ts' && read === 'process.env')) found.push(`${rel}: ${read}`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('finds reads in each form the check knows (so a stray read fails it)', () => {
    assert.deepEqual(
      environmentReads(
        "a = env.NEW_VAR; b = env?.OTHER; c = env['THIRD']; d = env[NAME_ENV]; if ('FOURTH' in env) {} e = process.env;\n" +
          "const { FIFTH } = session.environment.env;\nconst e = environment.env;\nu = 'https://x'; f = env.SIXTH;",
      ),
      [
        'env.NEW_VAR',
        'env?.OTHER',
        'env.SIXTH',
        "env['THIRD']",
        'env[NAME_ENV]',
        "'FOURTH' in env",
        'process.env',
        '} = session.environment.env',
        '= environment.env;',
      ],
    );
    assert.deepEqual(environmentReads('spawn(program, { env: environment.env }); // env.NOT_CODE'), []);
  });

  it('readSettings asks for exactly the listed variables, on every platform', () => {
    const asked = new Set<string>();
    for (const platform of ['linux', 'darwin', 'win32']) {
      for (const name of namesAsked((env) => {
        const s = readSettings(env, { home: '/home/u', platform });
        s.trustServer();
        s.http();
      }))
        asked.add(name);
    }
    assert.deepEqual([...asked].sort(), [...VARIABLE_NAMES].sort());
  });

  it('is the README’s Environment table, row for row', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Environment\n'));
    const rows = section
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '')));
    assert.deepEqual(
      rows,
      VARIABLES.map((v) => [v.names.map((n) => `\`${n}\``).join(', '), v.description]),
    );
  });

  it('puts in --help the variables that are trustext’s to set, each with its description', () => {
    const help = environmentHelp().replace(/\n {27}/g, ' ');
    for (const v of VARIABLES) {
      const line = help.split('\n').find((l) => l.trimStart().startsWith(`${v.names.join(', ')} `));
      if (!v.inHelp) assert.equal(line, undefined, v.names.join());
      else assert.equal(line?.trimStart().slice(v.names.join(', ').length).trim(), v.description, v.names.join());
    }
  });
});
