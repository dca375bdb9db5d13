export { encodePayload, decodePayload, COSIGN_SIGNATURE_TYPE, type SignaturePayload } from './payload.ts';
export {
  buildSignatureImage,
  signatureLayer,
  parseSignatureManifest,
  signatureTag,
  SIGNATURE_ANNOTATION,
  MAX_SIGNATURES,
  type SignatureEntry,
  type SignatureLayer,
  type SignatureImage,
} from './sig-image.ts';
export { judgeSignatures, type VerifyingKey, type FoundSignature, type Expectation, type Verdict } from './verify.ts';
