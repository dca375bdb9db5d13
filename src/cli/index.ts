/** The command line: `run(argv, exit)` parses, runs one use case and prints (the entry point loads it on demand). */
export { run } from './run.ts';
