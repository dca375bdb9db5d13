/**
 * A separate process that dies by SIGKILL in the middle of a key store change, as `kill -9` would:
 * `node store-crash-worker.ts DIR OP K MODE` runs OP (rotate | add | remove) on the store in DIR with a writer that
 * kills the process at its K-th write, either after writing the temporary file and before renaming it
 * (MODE temp) or right after the write completed (MODE after). Exits 0 when OP finished before the K-th write.
 */
import { writeFile } from 'node:fs/promises';
import { FileKeyStore, writeFileAtomic, type AtomicWriter } from '../../../src/keys/index.ts';
import { tempPathFor } from '../../../src/shared/temp-files.ts';

const [dir, op, k, mode] = process.argv.slice(2);
let n = 0;
const write: AtomicWriter = async (path, data, options) => {
  if (++n === Number(k)) {
    if (mode === 'temp') await writeFile(tempPathFor(path), data, { mode: 0o600 });
    else await writeFileAtomic(path, data, options);
    process.kill(process.pid, 'SIGKILL');
  }
  return writeFileAtomic(path, data, options);
};
const store = new FileKeyStore(dir!, { write });
const PASS = 'crash test passphrase';
if (op === 'rotate') await store.rotate('release', PASS, PASS);
else if (op === 'add') await store.create('fresh', PASS, { scopes: ['reg.example/app'] });
else if (op === 'remove') await store.remove('release');
