/** The commands, one file each: every `register*` adds its command (flags, help, action) to the program. */
export { registerEnforce } from './enforce.ts';
export { registerInspect } from './inspect.ts';
export { registerInstall } from './install.ts';
export { registerKey } from './key.ts';
export { registerMigrate } from './migrate.ts';
export { registerPolicy } from './policy.ts';
export { registerProxy } from './proxy.ts';
export { registerPull } from './pull.ts';
export { registerPush } from './push.ts';
export { registerRevoke } from './revoke.ts';
export { registerSign } from './sign.ts';
export { registerSigner } from './signer.ts';
export { registerVerify } from './verify.ts';
export { registerVersion } from './version.ts';
