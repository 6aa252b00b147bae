#!/bin/bash
# cli_ber_equivalence.sh — the acceptance target: `scepdec --json` reports the same
# messageType, transactionID and senderNonce for
#   (a) micromdm's real PKCSReq POSTed as DER (a saved HTTP POST request),
#   (b) the same message re-encoded as iOS does: BER indefinite lengths and a chunked
#       (constructed) OCTET STRING — the crafted vector tests/vectors/crafted/PKCSReq-ios-ber.der,
#       plus fresh re-encodings with other chunk sizes when the der2ber tool is built,
#   (c) a GET URL carrying it in unescaped base64, as the iOS debug log prints it;
# and the BER forms are reported as such (indefinite_lengths, content_chunks).
# usage: bash cli_ber_equivalence.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
SCEPDEC=$BUILD/scepdec
DER=$SRC/tests/vectors/micromdm/PKCSReq.der
BER=$SRC/tests/vectors/crafted/PKCSReq-ios-ber.der
[ -x "$SCEPDEC" ] || { echo "no $SCEPDEC: skipped"; exit 77; }
[ -f "$BER" ] || { echo "no crafted BER vector: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

json_get() { # FILE KEY -> value, "ABSENT", or "INVALID-JSON"
    if command -v jq >/dev/null; then
        jq -e . "$1" >/dev/null 2>&1 || { echo "INVALID-JSON"; return; }
        jq -r --arg k "$2" 'if has($k) then .[$k] | tostring else "ABSENT" end' "$1"
    else
        python3 -c '
import json, sys
try:
    obj = json.load(open(sys.argv[1]))
except Exception:
    print("INVALID-JSON"); sys.exit()
v = obj.get(sys.argv[2], "ABSENT")
print(str(v).lower() if isinstance(v, bool) else v)' "$1" "$2"
    fi
}

# The BER vector really is BER: indefinite-length outer SEQUENCE and a constructed OCTET
# STRING (checked on the bytes, independently of scepdec).
[ "$(head -c 2 "$BER" | od -An -tx1 | tr -d ' \n')" = 3080 ] || fail "crafted vector does not start 30 80"
od -An -tx1 -v "$BER" | tr -d '\n' | grep -q '24 80 04 82' || fail "crafted vector has no constructed OCTET STRING"

LEN=$(stat -c %s "$DER")
{ printf 'POST /scep?operation=PKIOperation HTTP/1.1\r\nHost: ca.example.com\r\n'
  printf 'Content-Type: application/x-pki-message\r\nContent-Length: %d\r\n\r\n' "$LEN"
  cat "$DER"; } > "$TMP/post.http"
B64=$(base64 -w 0 "$DER")
URL="https://ca.example.com/scep?operation=PKIOperation&message=$B64"
BER_URL="https://ca.example.com/scep?operation=PKIOperation&message=$(base64 -w 0 "$BER")"

run() { # NAME ARGS... -> $TMP/NAME.json, exit status checked to be 0
    local name=$1
    shift
    "$SCEPDEC" --json "$@" > "$TMP/$name.json" 2> "$TMP/$name.err"
    local status=$?
    [ "$status" = 0 ] || fail "$name: exit status $status: $(cat "$TMP/$name.err")"
    [ "$(json_get "$TMP/$name.json" truncated)" = false ] || fail "$name: not decoded whole"
}
run post "$TMP/post.http"
run ber "$BER"
run get "$URL"
run ber_get "$BER_URL"
variants="post ber get ber_get"

if [ -x "$BUILD/tests/der2ber" ]; then
    # As iOS does: only the long encapsulated content is chunked (signed attributes stay DER,
    # since they are signed as DER); chunk sizes from 1 octet to one chunk for everything.
    for chunk in 1 7 100 1093; do
        "$BUILD/tests/der2ber" -d 8 -c "$chunk" "$DER" "$TMP/ber-$chunk.der" || fail "der2ber -c $chunk"
        run "ber_c$chunk" "$TMP/ber-$chunk.der"
        variants="$variants ber_c$chunk"
    done
else
    echo "note: $BUILD/tests/der2ber not built; only the committed BER vector is used"
fi

for key in message_type transaction_id sender_nonce signing_time digest_algorithm \
           content_encryption_algorithm encrypted_content_length; do
    want=$(json_get "$TMP/post.json" "$key")
    [ "$want" != ABSENT ] && [ "$want" != INVALID-JSON ] || fail "post: $key: $want"
    same=yes
    for v in $variants; do
        got=$(json_get "$TMP/$v.json" "$key")
        [ "$got" = "$want" ] || { fail "$v: $key: expected $want (as POSTed DER), got $got"; same=no; }
    done
    [ "$same" = yes ] && echo "ok: $key = $want in all of: $variants"
done
[ "$(json_get "$TMP/post.json" message_type)" = 19 ] || fail "messageType is not PKCSReq"
[ "$(json_get "$TMP/post.json" transaction_id)" = A13090761A30F66664F85D37433D2065E1112BA1 ] ||
    fail "transactionID differs from openssl's"
[ "$(json_get "$TMP/post.json" sender_nonce)" = ae7fe8816cc6bedd ] || fail "senderNonce differs from openssl's"

# The BER encodings are reported for what they are; DER is not.
[ "$(json_get "$TMP/post.json" indefinite_lengths)" = false ] || fail "DER reported as indefinite"
[ "$(json_get "$TMP/post.json" content_chunks)" = ABSENT ] || fail "DER reported as chunked"
[ "$(json_get "$TMP/ber.json" indefinite_lengths)" = true ] || fail "BER: indefinite_lengths not reported"
[ "$(json_get "$TMP/ber.json" content_chunks)" = 3 ] || fail "BER: content_chunks: expected 3 (512+512+69), got $(json_get "$TMP/ber.json" content_chunks)"
[ "$(json_get "$TMP/get.json" operation)" = PKIOperation ] || fail "GET URL: operation"
grep -q '"raw-plus-slash"' "$TMP/get.json" || fail "GET URL: unescaped base64 form not reported"
"$SCEPDEC" "$BER" > "$TMP/ber.txt"
grep -q "indefinite lengths" "$TMP/ber.txt" || fail "text report of BER does not mention indefinite lengths"
grep -q "chunked" "$TMP/ber.txt" || fail "text report of BER does not mention the chunked content"

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all passed"
