/**
 * Go's strconv.ParseBool, which the docker CLI uses for boolean flags and DOCKER_CONTENT_TRUST: the only spellings
 * Go reads as booleans. Returns undefined for anything else (a parse error in Go).
 */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return undefined;
}
