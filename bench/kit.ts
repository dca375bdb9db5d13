/**
 * What the benches share: their own test bed (scripts/testbed.sh, torn down by `stop`), a docker config that finds
 * the plugin in dist/, an environment for the real docker CLI 28 against it, timing of docker commands, medians.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const DOCKER = '/usr/local/bin/docker';

/** A started test bed: its exports, the registry, a scratch directory, and the docker environment. */
export interface Bench {
  readonly tbEnv: Record<string, string>;
  readonly registry: string;
  readonly work: string;
  readonly env: Record<string, string>;
  /** `docker ARGS` (throws on failure). */
  docker(args: string[], extra?: Record<string, string>): void;
  /** `docker ARGS`, in milliseconds. */
  timed(args: string[], extra?: Record<string, string>): number;
  stop(): void;
}

/** Starts a test bed and returns the environment to measure in. */
export function startBench(): Bench {
  const tb = mkdtempSync(join(tmpdir(), 'trustext-bench-tb.'));
  execFileSync('bash', [join(ROOT, 'scripts', 'testbed.sh'), 'up', tb], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tbEnv = Object.fromEntries([...readFileSync(join(tb, 'env.sh'), 'utf8').matchAll(/^export (\w+)='(.*)'$/gm)].map((m) => [m[1]!, m[2]!]));
  const config = tbEnv.DOCKER_CONFIG!;
  writeFileSync(join(config, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [join(ROOT, 'dist')] }));
  const work = mkdtempSync(join(tmpdir(), 'trustext-bench-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    DOCKER_HOST: tbEnv.DOCKER_HOST!,
    DOCKER_CONFIG: config,
    DOCKER_CONTENT_TRUST_SERVER: tbEnv.TESTBED_NOTARY!,
    DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'bench-root-passphrase',
    DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'bench-repository-passphrase',
    TRUSTEXT_KEYS_DIR: join(work, 'keys'),
  };
  const docker = (args: string[], extra: Record<string, string> = {}) => {
    const r = spawnSync(DOCKER, args, { env: { ...env, ...extra }, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  };
  return {
    tbEnv,
    registry: tbEnv.TESTBED_REGISTRY!,
    work,
    env,
    docker,
    timed: (args, extra = {}) => {
      const start = process.hrtime.bigint();
      docker(args, extra);
      return Number(process.hrtime.bigint() - start) / 1e6;
    },
    stop: () => {
      execFileSync('bash', [join(ROOT, 'scripts', 'testbed.sh'), 'down', tb], { stdio: 'ignore' });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The docker CLI's version, for the heading. */
export const dockerVersion = () => spawnSync(DOCKER, ['version', '--format', '{{.Client.Version}}'], { encoding: 'utf8' }).stdout.trim();
