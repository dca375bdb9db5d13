/**
 * Engine API clients that are not the docker CLI, through the enforcing proxy in front of the test bed's REAL
 * dockerd: Debian's docker-compose 1.29 (docker-py underneath) brings up a two-service project of signed images
 * (its own pulls verified) and refuses a project with an unsigned one, local or not; docker-py itself is refused
 * with HTTP 403 and our reason, and no container exists after any refusal.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { baseEnv, docker, dockerConfig, ok, run, show, signedPushRepo, tempDir, testbed, trustEnv, uniqueRepo } from './harness.ts';
import { startTestProxy, type TestProxy } from './proxy-kit.ts';

const tb = testbed();
let p: TestProxy;
let direct: Record<string, string>;
let signed: string[];
let unsigned: string;
let dir: string;
const projects: string[] = [];

/** A compose file of services named s0, s1, … running `images`. */
async function composeFile(images: readonly string[]): Promise<string> {
  const services = images.map((image, i) => `  s${i}:\n    image: ${image}\n    command: ["/bin/busybox", "sleep", "60"]\n`).join('');
  const file = join(dir, `compose-${Math.random().toString(36).slice(2, 8)}.yml`);
  await writeFile(file, `version: "2.4"\nservices:\n${services}`);
  return file;
}

const compose = (env: Record<string, string>, project: string, file: string, ...args: string[]) =>
  run('docker-compose', ['-p', project, '-f', file, ...args], { env, timeoutMs: 120_000 });

const projectContainers = async (project: string) =>
  (await ok(['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${project}`], direct)).stdout.trim().split('\n').filter(Boolean);

/** docker-py's create (containers.create), through `socket`: prints `created` or `STATUS explanation`. */
const DOCKER_PY = `
import sys, docker
client = docker.DockerClient(base_url=sys.argv[1], version="1.41")
try:
    client.containers.create(sys.argv[2], ["/bin/busybox", "true"], name=sys.argv[3])
    print("created")
except docker.errors.APIError as e:
    print(e.status_code, e.explanation)
`;

before(async () => {
  dir = await tempDir('trustext-compose-');
  const signer = await trustEnv();
  signed = [];
  for (const [i, image] of [tb.image, tb.image2].entries()) {
    signed.push((await signedPushRepo(signer, uniqueRepo(`proxy-compose-${i}`), 'v1', { image })).ref);
  }
  direct = baseEnv(await dockerConfig({ plugin: false }));
  unsigned = `${tb.registry}/${uniqueRepo('proxy-compose-unsigned')}:v1`;
  await ok(['tag', tb.image2, unsigned], direct);
  await ok(['push', unsigned], direct);
  await docker(['rmi', ...signed], direct);
  p = await startTestProxy(signer);
});

after(async () => {
  for (const project of projects) {
    const ids = await projectContainers(project);
    if (ids.length) await docker(['rm', '-f', ...ids], direct);
    // Each project's network is a bridge on the host: left behind, enough of them exhaust docker's address pools.
    const label = `label=com.docker.compose.project=${project}`;
    const networks = (await ok(['network', 'ls', '-q', '--filter', label], direct)).stdout.trim().split('\n').filter(Boolean);
    if (networks.length) await docker(['network', 'rm', ...networks], direct);
  }
  await p?.proxy.close(1_000);
});

describe('docker-compose 1.29 through the enforcing proxy', { timeout: 240_000 }, () => {
  it('brings up two signed services, pulling them through the proxy (verified)', async () => {
    const project = `trustextok${process.pid}`;
    projects.push(project);
    const r = await compose(p.client, project, await composeFile(signed), 'up', '-d');
    assert.equal(r.code, 0, show(r));
    assert.equal((await projectContainers(project)).length, 2);
    for (const ref of signed)
      assert.ok(
        p.log.some((l) => l.startsWith(`allowed pull ${ref.replace(/:v1$/, '')}:v1 as sha256:`)),
        p.log.join('\n'),
      );
  });

  it('refuses a project with an unsigned service, local or not, and creates none of its containers', async () => {
    for (const local of [true, false]) {
      if (!local) await docker(['rmi', unsigned], direct);
      const project = `trustextbad${local ? 'local' : 'remote'}${process.pid}`;
      projects.push(project);
      const r = await compose(p.client, project, await composeFile([unsigned]), 'up', '-d');
      assert.notEqual(r.code, 0, show(r));
      assert.match(r.stdout + r.stderr, /remote trust data does not exist for .*: no signature for v1/, show(r));
      assert.deepEqual(await projectContainers(project), []);
    }
  });
});

describe('docker-py through the enforcing proxy', { timeout: 60_000 }, () => {
  it('is refused with 403 and our reason for an unsigned image; a signed one is created', async () => {
    await docker(['pull', unsigned], direct);
    const refused = `trustext-py-unsigned-${process.pid}`;
    const r = await run('python3', ['-c', DOCKER_PY, `unix://${p.socket}`, unsigned, refused], { env: direct });
    assert.match(r.stdout, /^403 remote trust data does not exist for /, show(r));
    assert.notEqual((await docker(['container', 'inspect', refused], direct)).code, 0, 'no container');
    const allowed = `trustext-py-signed-${process.pid}`;
    const good = await run('python3', ['-c', DOCKER_PY, `unix://${p.socket}`, signed[0]!, allowed], { env: direct });
    await docker(['rm', '-f', allowed], direct);
    assert.equal(good.stdout.trim(), 'created', show(good));
  });
});
