#!/usr/bin/env bash
# scepdec on scepclient's relay-order URL (`/scep?message=MIIJ...&operation=PKIOperation`, from
# captures/scepclient-get-relay.pcapng, frame 20, as stock tshark's http.request.uri shows it)
# cut at 2000 characters as a log line cuts it: the operation is lost, the message is not.
# As an argument and as a line of a log file, the JSON must say PKIOperation, inferred,
# truncated, and name the envelope's recipient as OpenSSL reads it from the whole message
# (coreutils base64 of the url-safe text, `openssl asn1parse -strparse` of the eContent,
# `openssl cms -cmsout -print` of the envelope).
set -euo pipefail
build=$1 src=$2
command -v tshark >/dev/null && command -v jq >/dev/null && command -v openssl >/dev/null || exit 77
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uri=$(tshark -r "$src/captures/scepclient-get-relay.pcapng" -Y 'frame.number == 20' \
      -T fields -e http.request.uri 2>/dev/null)
case $uri in "/scep?message="*"&operation=PKIOperation") ;; *) echo "unexpected URI: ${uri:0:60}"; exit 1;; esac
# The whole message, decoded by coreutils (url-safe alphabet, %3D for '=').
b64=${uri#/scep?message=}; b64=${b64%&operation=PKIOperation}; b64=${b64//%3D/=}
while [ $(( ${#b64} % 4 )) -ne 0 ]; do b64="$b64="; done
printf '%s' "$b64" | tr -- '-_' '+/' | base64 -d >"$work/msg.der"
openssl asn1parse -inform DER -in "$work/msg.der" >"$work/msg.txt"
offset=$(awk -F: '/OCTET STRING/ {print $1 + 0; exit}' "$work/msg.txt")
openssl asn1parse -inform DER -in "$work/msg.der" -strparse "$offset" -noout -out "$work/env.der"
openssl cms -cmsout -print -inform DER -in "$work/env.der" >"$work/env.txt"
issuer=$(sed -n '/^ *issuer: /{s///p;q}' "$work/env.txt")
serial=$(sed -n '/^ *serialNumber: /{s///p;q}' "$work/env.txt")
# OpenSSL prints "C=US, O=..., OU=..." most general first; RFC 4514 reverses it.
want_issuer=$(awk -F', ' '{for (i = NF; i > 0; i--) printf "%s%s", $i, (i > 1 ? "," : "")}' <<<"$issuer")
want="PKIOperation true true $want_issuer $(printf '%02x' "$serial")"
fail=0
check() { # what expected got
    if [ "$2" != "$3" ]; then echo "FAIL $1: expected [$2], got [$3]"; fail=1; else echo "ok   $1"; fi
}
facts='"\(.operation) \(.operation_inferred) \(.truncated) \(.recipients[0].issuer) \(.recipients[0].serial)"'
cut=${uri:0:2000}
set +e
got=$("$build/scepdec" --json "$cut" | jq -r "$facts"); status=$?
check "argument" "$want" "$got"
printf '2026-11-29T10:00:00Z scepclient GET http://127.0.0.1:19100%s\n' "$cut" >"$work/log.txt"
check "log line" "$want" "$("$build/scepdec" --json "$work/log.txt" | jq -r "$facts")"
"$build/scepdec" "$work/log.txt" >"$work/text.txt"
check "exit status (decoded with truncation)" 1 "$?"
check "text report says inferred" "1" "$(grep -c '^operation: *PKIOperation (inferred)' "$work/text.txt")"
exit $fail
