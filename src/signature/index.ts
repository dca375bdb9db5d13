export { encodePayload, decodePayload, COSIGN_SIGNATURE_TYPE, type SignaturePayload } from './payload.ts';
export {
  buildSignatureImage,
  signatureLayer,
  parseSignatureManifest,
  signatureTag,
  OCI_CONFIG,
  SIMPLESIGNING,
  SIGNATURE_ANNOTATION,
  MAX_SIGNATURES,
  type SignatureEntry,
  type SignatureLayer,
  type SignatureImage,
} from './sig-image.ts';
export { judgeSignatures, type VerifyingKey, type FoundSignature, type Expectation, type Verdict } from './verify.ts';
export { parseStrictJson } from './strict-json.ts';
/** The media type of a `.sig` manifest. */
export { OCI_MANIFEST } from '../manifest/index.ts';
