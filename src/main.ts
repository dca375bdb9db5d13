/**
 * Entry point of docker-trustext. The docker CLI runs `docker-trustext docker-cli-plugin-metadata` on every
 * `docker` invocation that resolves plugins, so that answer comes first, before any other module is loaded;
 * everything else is imported on demand. This is the only place that calls process.exit.
 */
import { PLUGIN_METADATA } from './shared/product.ts';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === 'docker-cli-plugin-metadata') {
  process.stdout.write(`${JSON.stringify(PLUGIN_METADATA, null, 2)}\n`);
} else {
  const exit = (code: number) => process.exit(code);
  import('./cli/index.ts')
    .then(({ run }) => run(argv, exit))
    .then(exit, (err: unknown) => {
      process.stderr.write(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      exit(1);
    });
}
