/**
 * Go's strconv.ParseBool: the only spellings Go reads as booleans. Anything else is a parse error.
 * Returns undefined for a parse error.
 */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}

/**
 * Whether content trust is on for a `DOCKER_CONTENT_TRUST` value, exactly as docker/cli cli/trust Enabled():
 * unset or empty is off, a value Go parses as false is off, a value that parses true or fails to parse is on.
 */
export function contentTrustEnabled(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  return parseGoBool(value) !== false;
}
