/**
 * Entry of the single executable (SEA main, CommonJS), kept tiny: the docker CLI runs
 * `docker-trustext docker-cli-plugin-metadata` for every plugin on most docker commands, and that answer must
 * cost no more than starting Node. The application bundle is not in this script: scripts/build.ts appends it
 * to the end of the executable (ELF ignores trailing bytes) followed by a footer, and real commands read it back
 * from process.execPath, check its sha256, and compile it.
 *
 * Footer (48 bytes, at the very end): bundle length (uint64 LE) · sha256 of the bundle (32 bytes) · "TXAPP001".
 */
import { PLUGIN_METADATA } from './shared/product.ts';

declare const module: unknown;
declare const exports: unknown;
declare const require: (id: string) => unknown;

const FOOTER = 48;
const MAGIC = 'TXAPP001';

/** Reads the appended application bundle from the running executable; throws when it is missing or damaged. */
function readAppendedBundle(): string {
  const fs = require('node:fs') as typeof import('node:fs');
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const fd = fs.openSync(process.execPath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const footer = Buffer.alloc(FOOTER);
    fs.readSync(fd, footer, 0, FOOTER, size - FOOTER);
    const length = Number(footer.readBigUInt64LE(0));
    if (footer.subarray(40).toString('latin1') !== MAGIC || length <= 0 || length > size - FOOTER) {
      throw new Error(`${process.execPath} carries no application bundle: rebuild it with 'npm run build'`);
    }
    const bundle = Buffer.alloc(length);
    fs.readSync(fd, bundle, 0, length, size - FOOTER - length);
    if (!crypto.createHash('sha256').update(bundle).digest().equals(footer.subarray(8, 40))) {
      throw new Error(`${process.execPath} is damaged (application bundle checksum mismatch): reinstall it`);
    }
    return bundle.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === 'docker-cli-plugin-metadata') {
  process.stdout.write(`${JSON.stringify(PLUGIN_METADATA, null, 2)}\n`);
} else {
  let source: string;
  try {
    source = readAppendedBundle();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const vm = require('node:vm') as typeof import('node:vm');
  const app = vm.compileFunction(source, ['require', 'module', 'exports', '__filename', '__dirname'], { filename: 'docker-trustext.js' });
  app(require, module, exports, process.execPath, process.execPath.replace(/\/[^/]*$/, ''));
}
