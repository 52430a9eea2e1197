#!/usr/bin/env bash
# Rebuild site_templates/theme/assets/noble-bls12-381.js, the vendored BLS12-381 verifier of the
# in-browser draw check (protocol §3: drand G1 signatures, G2 keys), from npm — pinned versions,
# tarballs checked against pinned sha512 integrity before anything is installed. No CDN at run time:
# the built file is committed. Needs node + npm (Debian packages) and access to the npm registry.
#
# Audited library: @noble/curves (Paul Miller, MIT; independent audits listed in its README, "Security":
# Cure53 2024, Kudelski 2023, Trail of Bits 2023). Bundled with esbuild into one ES module exporting verifyG1Signature (scripts/bls/entry.js).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../site_templates/theme/assets/noble-bls12-381.js"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

declare -A INTEGRITY=(
  ["@noble/curves@2.4.0"]="P4/62zrgfH33CneE3Dn4WhJVA22YUU0eR51wKIan4NVRvwsA0YnPTwWGpNbpuacSujmSFLvyzpyuR30+fbq2Ew=="
  ["@noble/hashes@2.4.0"]="X5XaVWZIBCT7HHZGm5I7ZQXDwLG+bGXuSrMQAW+7Zvl87h1kmc1ZB1VSRJcpUfoUrGQp4Fkoxm5kZ+Ms+aW+eA=="
  ["esbuild@0.28.2"]="HKVLS8dvII+xoKW9kmqxbRKrnWEXfJJr/FZhhJmiqIB0e053QNYFqOBouTMO/k5sID4MvCiUCvv8b9M4h32wIA=="
)
cd "$work"
echo '{"name":"bls-build","private":true,"type":"module"}' > package.json
tarballs=()
for spec in "${!INTEGRITY[@]}"; do
  file="$(npm pack "$spec" --silent)"
  got="$(openssl dgst -sha512 -binary "$file" | base64 -w0)"
  if [[ "$got" != "${INTEGRITY[$spec]}" ]]; then
    echo "integrity mismatch for $spec: $got" >&2
    exit 1
  fi
  tarballs+=("./$file")
done
npm install --no-audit --no-fund --no-save "${tarballs[@]}" >/dev/null
cp "$here/bls/entry.js" entry.js
node_modules/.bin/esbuild entry.js --bundle --format=esm --minify --legal-comments=inline --outfile=bundle.js
{
  echo "// Vendored: @noble/curves 2.4.0 + @noble/hashes 2.4.0 (MIT License, (c) 2022 Paul Miller), bundled by"
  echo "// scripts/build-bls.sh with esbuild 0.28.2 from scripts/bls/entry.js; tarball integrity pinned there."
  echo "// Exports verifyG1Signature(signatureHex, message, publicKeyHex) for drand quicknet-scheme beacons."
  cat bundle.js
} > "$out"
echo "wrote $out ($(wc -c < "$out") bytes)"
