/**
 * The enforcing Engine API proxy (`docker trustext proxy`), measured in one run against going to the engine
 * directly, with the real docker CLI 28 and the test bed's dockerd:
 *   pull   cached-layer `docker pull` of a signed image: through the proxy (verified, by digest, then tagged) vs
 *          plain `docker pull` direct vs DCT (`DOCKER_CONTENT_TRUST=1 docker pull`, the test bed's notary-server)
 *   run    `docker run --rm IMAGE /bin/busybox true` through the proxy (create and start checked) vs direct
 *   save   `docker save` of a ~512 MiB image to /dev/null through the proxy vs direct, in MiB/s
 * and the proxy's RSS after start, after the first round and at the end. Runs alternate so noise hits all alike;
 * medians and ratios, with the targets of issue #11.
 *   node bench/proxy.ts [RUNS]   (default 5; starts and stops its own test bed; needs dist/ built)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DOCKER, dockerVersion, median, ROOT, startBench } from './kit.ts';

const runs = Number(process.argv[2] ?? 5);
const { tbEnv, registry, work, env, docker, timed, stop } = startBench();
const socket = join(work, 'proxy.sock');
const viaProxy = { DOCKER_HOST: `unix://${socket}` };

/** `docker save IMAGE` into /dev/null; milliseconds. */
function timedSave(image: string, extra: Record<string, string> = {}): number {
  const start = process.hrtime.bigint();
  execFileSync('bash', ['-c', `${DOCKER} save ${image} >/dev/null`], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const results: Record<string, number[]> = {};
const record = (key: string, v: number) => (results[key] ??= []).push(v);
const rss: [string, number][] = [];
let proxy: ReturnType<typeof spawn> | undefined;
let saveMiB = 0;
try {
  // A signed image for the proxy (registry signatures) and one for DCT (the notary-server), both local.
  const signed = `${registry}/bench/proxy:signed`;
  const dct = `${registry}/bench/dct:signed`;
  docker(['tag', tbEnv.TESTBED_IMAGE!, signed]);
  docker(['trustext', 'push', '--store', 'registry', signed], { DOCKER_CONTENT_TRUST: '1' });
  docker(['tag', tbEnv.TESTBED_IMAGE!, dct]);
  docker(['push', dct], { DOCKER_CONTENT_TRUST: '1' });
  // A ~512 MiB image (random bytes: nothing compresses) for save, which the proxy streams without a decision.
  const big = `${registry}/bench/big:512`;
  const dir = join(work, 'rootfs');
  mkdirSync(dir, { recursive: true });
  execFileSync('bash', ['-c', `head -c 512M /dev/urandom > ${dir}/blob && tar -C ${dir} -c . | ${DOCKER} import - ${big}`], { env, stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
  saveMiB = 512;

  proxy = spawn(join(ROOT, 'dist', 'docker-trustext'), ['trustext', 'proxy', '--listen', `unix://${socket}`, '--upstream', env.DOCKER_HOST!], {
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  for (let i = 0; i < 200 && spawnSync(DOCKER, ['version'], { env: { ...env, ...viaProxy } }).status !== 0; i++) spawnSync('sleep', ['0.05']);
  rss.push(['after start', rssMiB(proxy.pid!)]);
  // Warm-up (not counted): the first verification fills the proxy's cache, as a first pull would.
  docker(['pull', signed], viaProxy);
  docker(['run', '--rm', signed, '/bin/busybox', 'true'], viaProxy);
  for (let i = 0; i < runs; i++) {
    record('pull proxy', timed(['pull', signed], viaProxy));
    record('pull plain', timed(['pull', signed]));
    record('pull dct', timed(['pull', dct], { DOCKER_CONTENT_TRUST: '1' }));
    record('run proxy', timed(['run', '--rm', signed, '/bin/busybox', 'true'], viaProxy));
    record('run direct', timed(['run', '--rm', signed, '/bin/busybox', 'true']));
    record('save proxy', timedSave(big, viaProxy));
    record('save direct', timedSave(big));
    if (i === 0) rss.push(['after round 1', rssMiB(proxy.pid!)]);
  }
  rss.push([`after ${runs} rounds`, rssMiB(proxy.pid!)]);
} finally {
  proxy?.kill('SIGTERM');
  stop();
}

const m = (k: string) => median(results[k]!);
const line = (what: string, value: string, target: string) => console.log(`${what.padEnd(34)} ${value.padStart(22)}   ${target}`);
console.log(`Engine API proxy, ${runs} runs each, medians (docker CLI ${dockerVersion()})`);
line('pull: proxy / plain / dct (ms)', `${m('pull proxy').toFixed(0)} / ${m('pull plain').toFixed(0)} / ${m('pull dct').toFixed(0)}`, '');
line('pull: proxy/dct', `${(m('pull proxy') / m('pull dct')).toFixed(2)}x`, 'target <= 0.8x');
line('pull: proxy/plain', `${(m('pull proxy') / m('pull plain')).toFixed(2)}x`, 'target <= 1.3x');
line('run: proxy / direct (ms)', `${m('run proxy').toFixed(0)} / ${m('run direct').toFixed(0)}`, '');
line('run: proxy/direct', `${(m('run proxy') / m('run direct')).toFixed(2)}x`, 'target <= 1.2x');
const rate = (k: string) => saveMiB / (m(k) / 1000);
line('save 512 MiB: proxy / direct (MiB/s)', `${rate('save proxy').toFixed(0)} / ${rate('save direct').toFixed(0)}`, '');
line('save: proxy/direct throughput', `${(rate('save proxy') / rate('save direct')).toFixed(2)}x`, 'target >= 0.8x');
line('proxy RSS (MiB)', rss.map(([, v]) => v.toFixed(0)).join(' / '), `${rss.map(([k]) => k).join(' / ')}; target < 120, not growing`);
