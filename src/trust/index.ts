export { contentTrustEnabled } from './content-trust.ts';
