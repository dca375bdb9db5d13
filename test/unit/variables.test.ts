/**
 * The one list of environment variables (src/shared/variables.ts) against what reads them and what describes them:
 * every variable src/ reads by name is listed, the README's Environment table is the list, and `--help` shows the
 * listed variables that are trustext's to set, with their descriptions.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { environmentHelp } from '../../src/cli/program.ts';
import { VARIABLE_NAMES, VARIABLES } from '../../src/shared/variables.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

function* tsFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) yield* tsFiles(join(dir, e.name));
    else if (e.name.endsWith('.ts')) yield join(dir, e.name);
  }
}

/** The variable names a source text reads: `env.NAME`, `env['NAME']`, `'NAME' in env`, `*_ENV = 'NAME'`. */
export function namesRead(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const patterns = [
    /(?<![\w-])env\??\.([A-Za-z_][A-Za-z0-9_]*)/g,
    /(?<![\w-])env\[['"]([A-Za-z_][A-Za-z0-9_]*)['"]\]/g,
    /['"]([A-Za-z_][A-Za-z0-9_]*)['"] in env\b/g,
    /_ENV = ['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((p) => [...code.matchAll(p)].map((m) => m[1]!));
}

describe('environment variables', () => {
  it('lists every variable src/ reads by name', () => {
    const unlisted: string[] = [];
    for (const file of tsFiles(join(ROOT, 'src'))) {
      for (const name of namesRead(readFileSync(file, 'utf8'))) {
        if (!VARIABLE_NAMES.has(name)) unlisted.push(`${file.slice(ROOT.length + 1)}: ${name}`);
      }
    }
    assert.deepEqual(unlisted, []);
  });

  it('finds reads in each form the check knows (so an unlisted one fails it)', () => {
    assert.deepEqual(namesRead("a = env.NEW_VAR; b = env?.OTHER; c = env['THIRD']; if ('FOURTH' in env) {}\nconst X_ENV = 'FIFTH';"), [
      'NEW_VAR',
      'OTHER',
      'THIRD',
      'FOURTH',
      'FIFTH',
    ]);
    assert.equal(VARIABLE_NAMES.has('NEW_VAR'), false);
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
