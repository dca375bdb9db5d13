/**
 * End-to-end harness: the real docker CLI (28.x, with DCT built in) → dist/docker-trustext → the test bed's real
 * dockerd and registries. scripts/test.sh starts the test bed and exports its endpoints (TESTBED_*); every test
 * gets its own DOCKER_CONFIG so nothing touches ~/.docker.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { getManifest, putManifest } from './raw-registry.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BINARY = join(ROOT, 'dist', 'docker-trustext');
/** The docker CLI used as the plugin host and interop oracle: 28.x, which still has DCT. */
export const DOCKER = process.env.TRUSTEXT_DOCKER_CLI ?? (existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker');

/** The test bed's endpoints, as scripts/testbed.sh exports them. */
export interface Testbed {
  dir: string;
  dockerHost: string;
  registry: string;
  authRegistry: string;
  registryUser: string;
  registryPassword: string;
  notary: string;
  tlsHost: string;
  tlsCertPath: string;
  image: string;
  image2: string;
  /** A name for 127.0.0.1 that is not loopback by its spelling (proxied; insecure only once resolved). */
  hostname: string;
  /** The open registry by that name (host:port), and the notary-server (https URL). */
  registryByName: string;
  notaryByName: string;
}

/** Reads the running test bed from the environment; fails (never skips) when it is not there. */
export function testbed(): Testbed {
  const e = process.env;
  const need = (k: string) => {
    const v = e[k];
    if (!v) throw new Error(`${k} is not set: run the suite with scripts/test.sh, which starts the test bed`);
    return v;
  };
  return {
    dir: need('TESTBED_DIR'),
    dockerHost: need('DOCKER_HOST'),
    registry: need('TESTBED_REGISTRY'),
    authRegistry: need('TESTBED_AUTH_REGISTRY'),
    registryUser: need('TESTBED_REGISTRY_USER'),
    registryPassword: need('TESTBED_REGISTRY_PASSWORD'),
    notary: need('TESTBED_NOTARY'),
    tlsHost: need('TESTBED_TLS_HOST'),
    tlsCertPath: need('TESTBED_TLS_CERT_PATH'),
    image: need('TESTBED_IMAGE'),
    image2: need('TESTBED_IMAGE_2'),
    hostname: need('TESTBED_HOSTNAME'),
    registryByName: need('TESTBED_REGISTRY_BY_NAME'),
    notaryByName: need('TESTBED_NOTARY_BY_NAME'),
  };
}

const temps: string[] = [];
/** The key store every test process uses unless a test gives its own: never the user's real one. */
const KEYS_DIR = join(tmpdir(), `trustext-e2e-keys-${process.pid}`);
temps.push(KEYS_DIR);
after(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temporary directory, removed after the test file. */
export async function tempDir(prefix = 'trustext-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * A fresh DOCKER_CONFIG. By default the docker CLI finds the plugin through `cliPluginsExtraDirs` pointing at
 * dist/ (so the binary under test is the one just built); `plugin: false` leaves it out.
 */
export async function dockerConfig(opts: { plugin?: boolean; config?: Record<string, unknown> } = {}): Promise<string> {
  const dir = await tempDir('trustext-config-');
  await mkdir(dir, { recursive: true });
  const config = { ...(opts.plugin === false ? {} : { cliPluginsExtraDirs: [join(ROOT, 'dist')] }), ...opts.config };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

/** A clean environment for docker and the plugin: PATH and HOME, the test bed's engine, the given config, a temporary key store. */
export function baseEnv(configDir: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DOCKER_HOST: testbed().dockerHost,
    DOCKER_CONFIG: configDir,
    TRUSTEXT_KEYS_DIR: KEYS_DIR,
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (killed after `timeoutMs`), capturing its output; never throws on failure. */
export function run(
  cmd: string,
  args: readonly string[],
  opts: { env: Record<string, string>; timeoutMs?: number; onSpawn?: (pid: number) => void },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('spawn', () => opts.onSpawn?.(child.pid!));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** `docker ARGS` with the given environment. */
export function docker(args: readonly string[], env: Record<string, string>, timeoutMs?: number): Promise<RunResult> {
  return run(DOCKER, args, { env, ...(timeoutMs && { timeoutMs }) });
}

/** `dist/docker-trustext ARGS` run directly. */
export function plugin(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  return run(BINARY, args, { env });
}

/** Formats a result for assertion messages. */
export function show(r: RunResult): string {
  return `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** GETs a manifest from a test bed registry (plain http, loopback): status, and the sha256 of the bytes served. */
export async function registryManifest(registry: string, repository: string, reference: string): Promise<{ status: number; digest?: string }> {
  const res = await fetch(`http://${registry}/v2/${repository}/manifests/${reference}`, { headers: { Accept: MANIFEST_TYPES } });
  if (res.status !== 200) return { status: res.status };
  const { createHash } = await import('node:crypto');
  return {
    status: 200,
    digest: `sha256:${createHash('sha256')
      .update(Buffer.from(await res.arrayBuffer()))
      .digest('hex')}`,
  };
}

/** Runs docker with `args` and asserts exit 0, with the output in the failure message. */
export async function ok(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  const r = await docker(args, env);
  assert.equal(r.code, 0, show(r));
  return r;
}

/** The image id `ref` names in the engine, or undefined when it names none. */
export async function imageId(ref: string, env: Record<string, string>): Promise<string | undefined> {
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', ref], env);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** `s` with every RegExp metacharacter escaped, to embed a host, repository or reference in a pattern. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE trustEnv sets. */
export const PASSPHRASE = 'trustext e2e passphrase';

/**
 * Content trust on with registry signatures: a fresh DOCKER_CONFIG (its config.json `config`, when given), a fresh
 * trustext key store and PASSPHRASE; `extra` last, so it may override any of them.
 */
export async function trustEnv(extra: Record<string, string> = {}, config?: Record<string, unknown>): Promise<Record<string, string>> {
  return baseEnv(await dockerConfig(config ? { config } : {}), {
    DOCKER_CONTENT_TRUST: '1',
    DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: PASSPHRASE,
    TRUSTEXT_KEYS_DIR: join(await tempDir(), 'keys'),
    ...extra,
  });
}

/** Tags `image` (the test bed's image by default) as `ref` and pushes it with `docker trustext push [args] ref`; asserts both exit 0. */
export async function signedPush(env: Record<string, string>, ref: string, options: { image?: string; args?: readonly string[] } = {}): Promise<RunResult> {
  const tag = await docker(['tag', options.image ?? testbed().image, ref], env);
  assert.equal(tag.code, 0, show(tag));
  return ok(['trustext', 'push', ...(options.args ?? []), ref], env);
}

/** signedPush as `repo:tag` on the test bed's registry; also returns the reference and the digest the registry then holds. */
export async function signedPushRepo(
  env: Record<string, string>,
  repo: string,
  tag: string,
  options: { image?: string; args?: readonly string[] } = {},
): Promise<{ ref: string; digest: string; push: RunResult }> {
  const registry = testbed().registry;
  const ref = `${registry}/${repo}:${tag}`;
  const push = await signedPush(env, ref, options);
  return { ref, digest: (await getManifest(registry, repo, tag)).digest, push };
}

/** Asserts `r` printed exactly one line on stderr (as the CLI prints an error), matching `why`. */
export function assertOneLine(r: RunResult, why: RegExp): void {
  assert.equal(r.stderr.trim().split('\n').length, 1, show(r));
  assert.match(r.stderr.trim(), why);
}

/** Asserts `r` is a refusal: exit 1 and one stderr line matching `why`. */
export function assertRefused(r: RunResult, why: RegExp): RunResult {
  assert.equal(r.code, 1, show(r));
  assertOneLine(r, why);
  return r;
}

/** A trusted pull that must be refused: removes `ref`, runs `docker trustext pull [args] ref`, asserts the refusal and that nothing was pulled or tagged. */
export async function refusedPull(env: Record<string, string>, ref: string, why: RegExp, args: readonly string[] = []): Promise<RunResult> {
  await docker(['rmi', ref], env);
  const r = assertRefused(await docker(['trustext', 'pull', ...args, ref], env), why);
  assert.equal(await imageId(ref, env), undefined, 'nothing pulled or tagged');
  return r;
}

/** A repository name no other test uses, so tests stay independent. */
export function uniqueRepo(prefix: string): string {
  return `e2e/${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A throwaway password store for the real docker-credential-pass: a gpg key and `pass init` under a temporary
 * HOME/GNUPGHOME/PASSWORD_STORE_DIR (never the user's), holding the given entries as `docker login` would.
 * Returns the environment those processes need, and a stop function for the gpg-agent.
 */
export async function passStore(entries: readonly { server: string; username: string; secret: string }[]) {
  const { spawnSync } = await import('node:child_process');
  const root = await tempDir('trustext-pass-');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(root, 'home'),
    GNUPGHOME: join(root, 'gnupg'),
    PASSWORD_STORE_DIR: join(root, 'password-store'),
  };
  await mkdir(env.HOME!);
  await mkdir(env.GNUPGHOME!, { mode: 0o700 });
  const must = (cmd: string, args: string[], input?: string): string => {
    const r = spawnSync(cmd, args, { env, input, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${r.error ?? ''}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  must('gpg', [
    '--batch',
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--quick-gen-key',
    'trustext-test@example.invalid',
    'default',
    'default',
    'never',
  ]);
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(must('gpg', ['--batch', '--with-colons', '--list-secret-keys']))?.[1];
  if (!fingerprint) throw new Error('no fingerprint for the generated gpg key');
  must('pass', ['init', fingerprint]);
  const store = (server: string, username: string, secret: string) =>
    must('docker-credential-pass', ['store'], JSON.stringify({ ServerURL: server, Username: username, Secret: secret }));
  for (const e of entries) store(e.server, e.username, e.secret);
  return {
    env,
    dir: env.PASSWORD_STORE_DIR!,
    store,
    stop: () => {
      spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env });
    },
  };
}

/**
 * An environment for stock DCT and trustext alike: a fresh DOCKER_CONFIG with the test bed's notary CA in tls/,
 * content trust on against the test bed's notary-server, DCT passphrases, and a fresh trustext key store.
 */
export async function dctEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const { cp } = await import('node:fs/promises');
  const tb = testbed();
  const config = await dockerConfig();
  await cp(join(tb.dir, 'docker-config', 'tls'), join(config, 'tls'), { recursive: true });
  return baseEnv(config, {
    DOCKER_CONTENT_TRUST: '1',
    DOCKER_CONTENT_TRUST_SERVER: tb.notary,
    TRUSTEXT_KEYS_DIR: join(await tempDir(), 'keys'),
    DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'dct root passphrase',
    DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'dct repo passphrase',
    ...extra,
  });
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * An index assembled in the test bed's registry from its two images pushed as platform manifests (linux/amd64:
 * the first image, linux/arm64: the second), tagged `multi` in a new repository.
 */
export async function indexRepo(env: Record<string, string>) {
  const tb = testbed();
  const repo = uniqueRepo('multi');
  const children = [];
  for (const [tag, image, architecture] of [
    ['amd', tb.image, 'amd64'],
    ['arm', tb.image2, 'arm64'],
  ] as const) {
    const ref = `${tb.registry}/${repo}:${tag}`;
    await docker(['tag', image, ref], env);
    assert.equal((await docker(['push', ref], { ...env, DOCKER_CONTENT_TRUST: '0' })).code, 0);
    const m = await getManifest(tb.registry, repo, tag);
    children.push({ mediaType: m.contentType, digest: m.digest, size: m.bytes.length, platform: { os: 'linux', architecture } });
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: children }));
  assert.equal(await putManifest(tb.registry, repo, 'multi', index, OCI_INDEX), 201);
  return {
    repo,
    ref: `${tb.registry}/${repo}:multi`,
    index: (await getManifest(tb.registry, repo, 'multi')).digest,
    amd: children[0]!.digest,
    arm: children[1]!.digest,
  };
}
