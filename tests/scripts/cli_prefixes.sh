#!/bin/bash
# cli_prefixes.sh — `scepdec` on every cut of real inputs, as device logs and captures cut
# them: each prefix of the DER message, of the iOS-style BER vector, of a chunked HTTP POST
# and of a GET URL must end with exit status 0, 1 or 2 (never a crash or a hang), and every
# --json output must be valid JSON with "truncated" set for a cut message. Most useful in a
# -DSCEPDEC_SANITIZE=ON build.
# usage: bash cli_prefixes.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
SCEPDEC=$BUILD/scepdec
DER=$SRC/tests/vectors/micromdm/PKCSReq.der
BER=$SRC/tests/vectors/crafted/PKCSReq-ios-ber.der
[ -x "$SCEPDEC" ] || { echo "no $SCEPDEC: skipped"; exit 77; }
if command -v jq >/dev/null; then validate() { jq -e . "$1" >/dev/null 2>&1; }
else validate() { python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$1" 2>/dev/null; }
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

LEN=$(stat -c %s "$DER")
{ printf 'POST /scep?operation=PKIOperation HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'
  printf '%x\r\n' 1000; head -c 1000 "$DER"; printf '\r\n'
  printf '%x\r\n' $((LEN - 1000)); tail -c +1001 "$DER"; printf '\r\n0\r\n\r\n'; } > "$TMP/chunked.http"
printf 'https://ca.example.com/scep?operation=PKIOperation&message=%s' "$(base64 -w 0 "$DER")" > "$TMP/url.txt"

REQUEST_LINE=$(head -n 1 "$TMP/chunked.http" | wc -c)
STEP=${CLI_PREFIX_STEP:-11}
runs=0
for input in "$DER" "$BER" "$TMP/chunked.http" "$TMP/url.txt"; do
    [ -f "$input" ] || continue
    size=$(stat -c %s "$input")
    for ((n = 0; n <= size; n += STEP)); do
        head -c "$n" "$input" > "$TMP/cut"
        timeout 20 "$SCEPDEC" --json "$TMP/cut" > "$TMP/out" 2> "$TMP/err"
        status=$?
        runs=$((runs + 1))
        if [ "$status" -gt 2 ]; then
            fail "$(basename "$input") cut at $n: exit status $status: $(head -c 500 "$TMP/err")"
            continue
        fi
        if [ -s "$TMP/out" ]; then
            validate "$TMP/out" || fail "$(basename "$input") cut at $n: invalid JSON"
            if [ "$status" = 0 ] && [ "$n" -lt "$size" ] && [ "$input" != "$TMP/url.txt" ] &&
               { [ "$input" != "$TMP/chunked.http" ] ||
                 { [ "$n" -ge "$REQUEST_LINE" ] && [ "$n" -lt $((size - 2)) ]; }; }; then
                # A strict prefix of a message is never a whole message (except a URL or a
                # request line cut inside the operation name: "operation=PKIOp" is a valid,
                # unknown operation, or a chunked body whose last-chunk came but not the CRLF
                # that closes the empty trailer section).
                fail "$(basename "$input") cut at $n: decoded cleanly"
            fi
        fi
        timeout 20 "$SCEPDEC" "$TMP/cut" > /dev/null 2>&1
        status=$?
        [ "$status" -le 2 ] || fail "$(basename "$input") cut at $n: text report: exit status $status"
    done
done
echo "$runs cuts decoded"
if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all passed"
