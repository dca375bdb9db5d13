/**
 * The one name rule for keys and signers: docker's `^[a-z0-9][a-z0-9\_\-]*$` (docker/cli
 * cli/command/trust/key_generate.go `validKeyName`, signer_add.go `validSignerName`), with the length bound each
 * use adds. Pure.
 */

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** Longest key name: names become file names, and `<name>.key` must fit every file system. */
export const MAX_KEY_NAME = 100;
/** Longest signer name in a trust policy. */
export const MAX_SIGNER_NAME = 64;

/** Whether `name` follows docker's key and signer name rule and has at most `max` characters. */
export function isValidName(name: string, max = Number.POSITIVE_INFINITY): boolean {
  return NAME.test(name) && name.length <= max;
}
