import { parseGoBool } from '../shared/go-bool.ts';

/**
 * Whether content trust is on for a `DOCKER_CONTENT_TRUST` value, exactly as docker/cli cli/trust Enabled():
 * unset or empty is off, a value Go parses as false is off, a value that parses true or fails to parse is on.
 */
export function contentTrustEnabled(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  return parseGoBool(value) !== false;
}
