/**
 * Startup benchmark. The docker CLI runs `docker-trustext docker-cli-plugin-metadata` for every plugin on each
 * `docker` command that resolves plugins, so that answer must cost no more than starting Node itself.
 * Compares, in one run and interleaved (so machine noise hits both alike):
 *   - metadata:  dist/docker-trustext docker-cli-plugin-metadata
 *   - baseline:  node -e 0, with the very Node build embedded in the binary (node_modules/node)
 *   - command:   dist/docker-trustext --help (the application compiled and run; for information)
 * Prints median and p90 of each and the metadata/baseline ratio against the 1.15x target.
 *   node bench/startup.ts [RUNS]   (default 60; build first with npm run build)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const binary = join(root, 'dist', 'docker-trustext');
const node = join(root, 'node_modules', 'node', 'bin', 'node');
const runs = Number(process.argv[2] ?? 60);
const TARGET = 1.15;
if (!existsSync(binary)) throw new Error(`${binary} is missing: run npm run build first`);

const cases = {
  metadata: [binary, 'docker-cli-plugin-metadata'],
  baseline: [node, '-e', '0'],
  command: [binary, '--help'],
} as const;
type Name = keyof typeof cases;

function once(argv: readonly string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/nonexistent' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const samples: Record<Name, number[]> = { metadata: [], baseline: [], command: [] };
for (const name of Object.keys(cases) as Name[]) for (let i = 0; i < 5; i++) once(cases[name]); // warm the page cache
for (let i = 0; i < runs; i++) for (const name of Object.keys(cases) as Name[]) samples[name].push(once(cases[name]));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
console.log(`startup, ${runs} interleaved runs each (ms)`);
console.log(`${'case'.padEnd(10)} ${'median'.padStart(8)} ${'p90'.padStart(8)}  command`);
for (const name of Object.keys(cases) as Name[]) {
  console.log(
    `${name.padEnd(10)} ${pct(samples[name], 0.5).toFixed(1).padStart(8)} ${pct(samples[name], 0.9).toFixed(1).padStart(8)}  ${cases[name].join(' ').replace(`${root}/`, '')}`,
  );
}
const ratio = pct(samples.metadata, 0.5) / pct(samples.baseline, 0.5);
const commandRatio = pct(samples.command, 0.5) / pct(samples.baseline, 0.5);
console.log(`metadata / node -e 0 (medians): ${ratio.toFixed(2)}x (target <= ${TARGET}x: ${ratio <= TARGET ? 'met' : 'NOT met'})`);
console.log(`--help / node -e 0 (medians):   ${commandRatio.toFixed(2)}x`);
