// Entry of the vendored BLS bundle (scripts/build-bls.sh): drand's G1 signatures, G2 public keys.
import { bls12_381 } from "@noble/curves/bls12-381.js";

const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
const bytes = (hex) => Uint8Array.from(hex.match(/../g) || [], (h) => parseInt(h, 16));

// True iff `signatureHex` (48-byte compressed G1) is the signature of `message` under `publicKeyHex`
// (96-byte compressed G2); false for any malformed point (off curve, not in the subgroup, infinity).
export function verifyG1Signature(signatureHex, message, publicKeyHex) {
  try {
    const sigs = bls12_381.shortSignatures;
    return sigs.verify(bytes(signatureHex), sigs.hash(message, DST), bytes(publicKeyHex));
  } catch {
    return false;
  }
}
export const VERSION = "@noble/curves 2.4.0";
