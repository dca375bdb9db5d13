/**
 * Options several commands declare alike, with commander's own validation (`.choices()`, `.argParser()`), so a bad
 * value is a usage error (exit 125) that names the allowed values before any work starts.
 */
import { InvalidArgumentError, Option } from 'commander';
import { TRUST_STORES } from '../app/index.ts';

/** --store, with the command's own words for what it selects. */
export function storeOption(what: string): Option {
  return new Option('--store <store>', `${what} (default: both with DOCKER_CONTENT_TRUST_SERVER, else registry)`).choices(TRUST_STORES);
}

/** -f/--format pretty|json, default pretty. */
export function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format').choices(['pretty', 'json']).default('pretty');
}

/** A whole number (commander's parser for a flag's value). */
export function wholeNumber(value: string): number {
  if (!/^-?[0-9]+$/.test(value)) throw new InvalidArgumentError('Expected a whole number.');
  return Number(value);
}
