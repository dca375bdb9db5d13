/**
 * Options several commands declare alike, with commander's own validation (`.choices()`, `.argParser()`), so a bad
 * value is a usage error (exit 125) that names the allowed values before any work starts.
 */
import { InvalidArgumentError, Option } from 'commander';
import { TRUST_STORES } from '../app/index.ts';
import { parseDuration } from '../shared/duration.ts';
import { UsageError } from '../shared/errors.ts';

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

/** Collects a repeatable flag's values. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Collects repeated `-a KEY=VALUE` claims. */
export function collectClaim(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid claim "${value}": expected KEY=VALUE`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Parses --expires DURATION into the moment the signatures expire. */
function parseExpires(value: string): Date {
  const ms = parseDuration(value);
  const at = ms === undefined ? undefined : new Date(Date.now() + ms);
  // A duration past Go's limit, or a moment past what a date can hold, would write a signature that never verifies.
  if (at === undefined || Number.isNaN(at.getTime()))
    throw new UsageError(`invalid --expires "${value}": use a duration such as 720h, 30d or 1h30m (at most 292 years)`);
  return at;
}

/** -a/--annotation KEY=VALUE (repeatable): claims in the signature payload. */
export function claimOption(): Option {
  return new Option('-a, --annotation <key=value>', 'claim to put in the signature payload (repeatable)').argParser(collectClaim).default({}, 'none');
}

/** --expires DURATION: when the signatures stop verifying. */
export function expiresOption(): Option {
  return new Option('--expires <duration>', 'signatures stop verifying after this long (e.g. 720h, 30d)').argParser(parseExpires);
}

/** --force: replace a `.sig` that cannot be read or merged. */
export function forceOption(): Option {
  return new Option('--force', 'replace a signature manifest that cannot be read or merged (the signatures in it are lost)');
}
