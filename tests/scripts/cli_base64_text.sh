#!/usr/bin/env bash
# scepdec on base64 text files as people paste them: wrapped and indented (an e-mail, a YAML
# file), and with '+' turned into spaces (copied from a form-decoded URL). Expected values:
# the transactionID and messageType that `openssl cms -cmsout -print` shows for the DER.
set -euo pipefail
build=$1 src=$2
command -v openssl >/dev/null && command -v jq >/dev/null && command -v base64 >/dev/null || exit 77
der=$src/tests/vectors/micromdm/PKCSReq.der
want_tid=$(openssl cms -cmsout -print -inform DER -in "$der" | sed -n 's/^ *PRINTABLESTRING:\([0-9A-F]\{40\}\)$/\1/p')
want=$(printf '[19,"%s"]' "$want_tid")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
base64 -w 64 "$der" | sed 's/^/    /; s/$/  /' > "$work/indented.txt"
base64 -w 0 "$der" | tr '+' ' ' > "$work/spaces.txt"
for f in indented spaces; do
    got=$("$build/scepdec" --json "$work/$f.txt" | jq -c '[.message_type, .transaction_id]')
    if [ "$got" = "$want" ]; then echo "ok   $f"; else echo "FAIL $f: expected $want, got $got"; fail=1; fi
done
exit $fail
