/**
 * Signed push and verified pull, measured in one run against:
 *   plain     docker push / docker pull (no trust)
 *   dct       DOCKER_CONTENT_TRUST=1 docker push / pull (docker CLI 28's built-in DCT, against the test bed's notary-server)
 *   trustext  DOCKER_CONTENT_TRUST=1 docker trustext push / pull --store registry (cosign signatures in the registry)
 * in two scenarios: "cached" (layers already in the registry / on the engine: trust overhead dominates) and
 * "fresh" (a new 64 MiB layer each run: transfer dominates). Each tool has its own repositories; runs alternate
 * between tools so machine noise hits all alike. Prints medians (ms) and ratios.
 * Notary mode: both tools publish Docker Content Trust metadata to the same notary-server (`docker push` with
 * DCT vs `docker trustext push --store notary`), each into its own already initialized repository, then pull the
 * new tag back through it (`docker pull` with DCT vs `docker trustext pull --store notary`).
 *   node bench/trust.ts [RUNS]   (default 5; starts and stops its own test bed; needs dist/ built)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKER, dockerVersion, median, startBench } from './kit.ts';

const runs = Number(process.argv[2] ?? 5);
const { tbEnv, registry, work, env, docker, timed, stop } = startBench();

type Tool = 'plain' | 'dct' | 'trustext';
const TOOLS: Tool[] = ['plain', 'dct', 'trustext'];
const trust = (t: Tool) => (t === 'plain' ? '0' : '1');
const cmd = (t: Tool, verb: 'push' | 'pull', ref: string, store = 'registry') => (t === 'trustext' ? ['trustext', verb, '--store', store, ref] : [verb, ref]);

/** A new image with one layer of `mib` MiB of random bytes (not timed). */
function freshImage(ref: string, mib: number): void {
  const dir = join(work, 'rootfs');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'blob'), execFileSync('head', ['-c', `${mib}M`, '/dev/urandom'], { maxBuffer: (mib + 1) << 20 }));
  execFileSync('bash', ['-c', `tar -C ${dir} -c . | ${DOCKER} import - ${ref}`], { env, stdio: 'ignore' });
}

const results: Record<string, number[]> = {};
const record = (key: string, ms: number) => (results[key] ??= []).push(ms);
try {
  // Cached: one small image, already in each tool's repository; every run pushes a new tag and pulls it back.
  for (const t of TOOLS) {
    docker(['tag', tbEnv.TESTBED_IMAGE!, `${registry}/bench/${t}:warm`]);
    docker(cmd(t, 'push', `${registry}/bench/${t}:warm`), { DOCKER_CONTENT_TRUST: trust(t) });
  }
  for (let i = 0; i < runs; i++) {
    for (const t of TOOLS) {
      const ref = `${registry}/bench/${t}:cached-${i}`;
      docker(['tag', tbEnv.TESTBED_IMAGE!, ref]);
      record(`cached push ${t}`, timed(cmd(t, 'push', ref), { DOCKER_CONTENT_TRUST: trust(t) }));
      docker(['rmi', ref]);
      record(`cached pull ${t}`, timed(cmd(t, 'pull', ref), { DOCKER_CONTENT_TRUST: trust(t) }));
    }
  }
  // Fresh: a new 64 MiB layer per run and tool, pushed, then removed from the engine and pulled back.
  for (let i = 0; i < runs; i++) {
    for (const t of TOOLS) {
      const ref = `${registry}/bench/${t}-fresh-${i}:v`;
      freshImage(ref, 64);
      record(`fresh64 push ${t}`, timed(cmd(t, 'push', ref), { DOCKER_CONTENT_TRUST: trust(t) }));
      docker(['rmi', ref]);
      record(`fresh64 pull ${t}`, timed(cmd(t, 'pull', ref), { DOCKER_CONTENT_TRUST: trust(t) }));
      docker(['rmi', ref]);
    }
  }
  // Notary mode: each tool's repository is initialized first; every run publishes a new tag and pulls it back.
  const notaryTools = ['dct', 'trustext'] as const;
  for (const t of notaryTools) {
    docker(['tag', tbEnv.TESTBED_IMAGE!, `${registry}/bench/notary-${t}:warm`]);
    docker(cmd(t, 'push', `${registry}/bench/notary-${t}:warm`, 'notary'), { DOCKER_CONTENT_TRUST: '1' });
  }
  for (let i = 0; i < runs; i++) {
    for (const t of notaryTools) {
      const ref = `${registry}/bench/notary-${t}:v${i}`;
      docker(['tag', tbEnv.TESTBED_IMAGE!, ref]);
      record(`notary push ${t}`, timed(cmd(t, 'push', ref, 'notary'), { DOCKER_CONTENT_TRUST: '1' }));
      docker(['rmi', ref]);
      record(`notary pull ${t}`, timed(cmd(t, 'pull', ref, 'notary'), { DOCKER_CONTENT_TRUST: '1' }));
    }
  }
} finally {
  stop();
}

console.log(`signed push / verified pull, ${runs} runs each, medians in ms (docker CLI ${dockerVersion()})`);
console.log(
  `${'scenario'.padEnd(14)} ${'plain'.padStart(8)} ${'dct'.padStart(8)} ${'trustext'.padStart(9)}  ${'trustext/plain'.padStart(14)} ${'trustext/dct'.padStart(12)}`,
);
for (const scenario of ['cached push', 'cached pull', 'fresh64 push', 'fresh64 pull']) {
  const [p, d, x] = TOOLS.map((t) => median(results[`${scenario} ${t}`]!));
  console.log(
    `${scenario.padEnd(14)} ${p!.toFixed(0).padStart(8)} ${d!.toFixed(0).padStart(8)} ${x!.toFixed(0).padStart(9)}  ${(x! / p!).toFixed(2).padStart(13)}x ${(x! / d!).toFixed(2).padStart(11)}x`,
  );
}
for (const scenario of ['notary push', 'notary pull']) {
  const [d, x] = (['dct', 'trustext'] as const).map((t) => median(results[`${scenario} ${t}`]!));
  console.log(
    `${scenario.padEnd(14)} ${'-'.padStart(8)} ${d!.toFixed(0).padStart(8)} ${x!.toFixed(0).padStart(9)}  ${'-'.padStart(14)} ${(x! / d!).toFixed(2).padStart(11)}x`,
  );
}
