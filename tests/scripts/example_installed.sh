#!/usr/bin/env bash
# examples/decode_any.c built as a user builds it: from the installed package (cmake --install
# --component dev into a scratch prefix), with plain `pkg-config --cflags --libs scepdec-core`
# (no OpenSSL). Then one call each on DER, PEM, base64 text and a cut relay-order URL.
# Expected values come from OpenSSL and coreutils, not from us:
#  - `openssl cms -cmsout -print -inform DER -in tests/vectors/micromdm/PKCSReq.der`:
#    messageType 19, transactionID A13090761A30F66664F85D37433D2065E1112BA1;
#    its envelope (asn1parse -strparse 58, then cms -cmsout -print): recipient issuer
#    C=USA, O=etcd-ca, OU=CA, serial 1;
#  - `openssl x509 -in tests/vectors/micromdm/ca.pem -noout -subject -nameopt RFC2253`:
#    OU=CA,O=etcd-ca,C=USA;
#  - the base64 text and the URL are made by coreutils' base64 (and tr for the url-safe
#    alphabet scepclient uses), the URL cut at 2000 characters as a log line cuts it.
set -euo pipefail
build=$1 src=$2
command -v jq >/dev/null && command -v base64 >/dev/null || exit 77
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component dev >/dev/null
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/$(gcc -print-multiarch 2>/dev/null || true)/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -o "$work/decode_any" "$src/examples/decode_any.c" \
    $(pkg-config --cflags --libs scepdec-core)
fail=0
check() { # what expected got
    if [ "$2" != "$3" ]; then echo "FAIL $1: expected [$2], got [$3]"; fail=1; else echo "ok   $1"; fi
}
json() { "$work/decode_any" "$@" | grep '^{'; }
vec=$src/tests/vectors/micromdm

check "DER" "PKIOperation 19 A13090761A30F66664F85D37433D2065E1112BA1" \
    "$(json "$vec/PKCSReq.der" | jq -r '"\(.operation) \(.message_type) \(.transaction_id)"')"
check "PEM certificate" "certificate OU=CA,O=etcd-ca,C=USA" \
    "$(json "$vec/ca.pem" | jq -r '"\(.bundle) \(.certificates[0].subject)"')"
base64 -w 64 "$vec/PKCSReq.der" >"$work/pkcsreq.b64"
check "base64 text" "19 A13090761A30F66664F85D37433D2065E1112BA1" \
    "$(json "$work/pkcsreq.b64" | jq -r '"\(.message_type) \(.transaction_id)"')"
url="/scep?message=$(base64 -w 0 "$vec/PKCSReq.der" | tr '+/' '-_' | tr -d '=')&operation=PKIOperation"
check "cut relay-order URL" "PKIOperation true true OU=CA,O=etcd-ca,C=USA 01" \
    "$(json "${url:0:2000}" | jq -r '"\(.operation) \(.operation_inferred) \(.truncated) \(.recipients[0].issuer) \(.recipients[0].serial)"')"
check "its first line" "form: URL / query string, kind: pki_message, operation: PKIOperation (inferred), status: partial" \
    "$("$work/decode_any" "${url:0:2000}" | head -1)"
"$work/decode_any" --sizes
exit $fail
