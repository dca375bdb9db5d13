export { contentTrustEnabled, parseGoBool } from './content-trust.ts';
