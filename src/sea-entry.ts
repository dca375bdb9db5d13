/**
 * Entry of the single executable (SEA main, CommonJS). It answers the docker CLI's metadata probe without
 * compiling anything else: the application bundle is embedded as a string (scanning a string literal is far
 * cheaper than V8 compiling a megabyte of code) and compiled only when a real command runs.
 * `__TRUSTEXT_APP__` is defined at build time (scripts/build.ts) as the bundle of src/main.ts.
 */
import { PLUGIN_METADATA } from './shared/product.ts';

declare const __TRUSTEXT_APP__: string;
declare const module: unknown;
declare const exports: unknown;
declare const require: (id: string) => unknown;

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === 'docker-cli-plugin-metadata') {
  process.stdout.write(`${JSON.stringify(PLUGIN_METADATA, null, 2)}\n`);
} else {
  const vm = require('node:vm') as typeof import('node:vm');
  const app = vm.compileFunction(__TRUSTEXT_APP__, ['require', 'module', 'exports', '__filename', '__dirname'], {
    filename: 'docker-trustext.js',
  });
  app(require, module, exports, process.execPath, process.execPath.replace(/\/[^/]*$/, ''));
}
