#!/bin/bash
# cli_forms.sh — `scepdec` on micromdm's real PKCSReq in every input form a user has: DER file,
# PEM (CMS and PKCS7 armor), wrapped base64 text, stdin, URL with escaped / unescaped /
# url-safe / form-decoded base64, a saved HTTP POST (Content-Length and chunked), a GET request.
# Expected values come from OpenSSL (`openssl cms -cmsout -print`), never from scepdec.
# usage: bash cli_forms.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
SCEPDEC=$BUILD/scepdec
VECTOR=$SRC/tests/vectors/micromdm/PKCSReq.der
[ -x "$SCEPDEC" ] || { echo "no $SCEPDEC: skipped"; exit 77; }
command -v openssl >/dev/null || { echo "openssl not installed: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# json_get FILE KEY: the top-level string or number KEY of the JSON object in FILE, after
# checking the file is valid JSON (jq, else python3).
json_get() {
    if command -v jq >/dev/null; then
        jq -e . "$1" >/dev/null 2>&1 || { echo "INVALID-JSON"; return; }
        jq -r --arg k "$2" 'if has($k) then .[$k] | tostring else "ABSENT" end' "$1"
    else
        python3 - "$1" "$2" <<'EOF'
import json, sys
try:
    obj = json.load(open(sys.argv[1]))
except Exception:
    print("INVALID-JSON"); sys.exit()
v = obj.get(sys.argv[2], "ABSENT")
print(str(v).lower() if isinstance(v, bool) else v)
EOF
    fi
}

# Expected values, from OpenSSL's own print of the message.
openssl cms -cmsout -print -inform DER -in "$VECTOR" > "$TMP/openssl.txt" || { fail "openssl cms"; exit 1; }
attr_line() { # the printed value line after the attribute OID $1
    awk -v oid="($1)" 'index($0, oid) { found = 1; next } found && /set:/ { getline; print; exit }' "$TMP/openssl.txt"
}
WANT_TYPE=$(attr_line 2.16.840.1.113733.1.9.2 | sed 's/.*PRINTABLESTRING://')
WANT_TID=$(attr_line 2.16.840.1.113733.1.9.7 | sed 's/.*PRINTABLESTRING://')
WANT_NONCE=$(awk 'index($0, "(2.16.840.1.113733.1.9.5)") { f = 1; next }
    f && /OCTET STRING:/ { g = 1; next }
    g && /^ *[0-9a-f][0-9a-f][0-9a-f][0-9a-f] - / { sub(/^ *[0-9a-f][0-9a-f][0-9a-f][0-9a-f] - /, ""); s = substr($0, 1, 48); gsub(/[^0-9a-f]/, "", s); out = out s; next }
    g { print out; exit }' "$TMP/openssl.txt")
echo "openssl says: messageType=$WANT_TYPE transactionID=$WANT_TID senderNonce=$WANT_NONCE"
[ "$WANT_TYPE" = 19 ] && [ -n "$WANT_TID" ] && [ -n "$WANT_NONCE" ] || { fail "could not read expected values from openssl"; exit 1; }

# check NAME WANT_EXIT ARGS...: run scepdec --json ARGS, compare exit status and the three
# attributes with OpenSSL's.
check() {
    local name=$1 want_exit=$2
    shift 2
    "$SCEPDEC" --json "$@" > "$TMP/out.json" 2> "$TMP/err.txt"
    local status=$?
    [ "$status" = "$want_exit" ] || fail "$name: exit status: expected $want_exit, got $status ($(cat "$TMP/err.txt"))"
    local got
    got=$(json_get "$TMP/out.json" message_type)
    [ "$got" = "$WANT_TYPE" ] || fail "$name: message_type: expected $WANT_TYPE, got $got"
    got=$(json_get "$TMP/out.json" transaction_id)
    [ "$got" = "$WANT_TID" ] || fail "$name: transaction_id: expected $WANT_TID, got $got"
    got=$(json_get "$TMP/out.json" sender_nonce)
    [ "$got" = "$WANT_NONCE" ] || fail "$name: sender_nonce: expected $WANT_NONCE, got $got"
    got=$(json_get "$TMP/out.json" truncated)
    [ "$got" = false ] || fail "$name: truncated: expected false, got $got"
    echo "ok: $name"
}

check "DER file" 0 "$VECTOR"
check "stdin" 0 - < "$VECTOR"

openssl cms -cmsout -inform DER -outform PEM -in "$VECTOR" -out "$TMP/msg-cms.pem"
check "PEM (CMS armor)" 0 "$TMP/msg-cms.pem"
openssl pkcs7 -inform DER -outform PEM -in "$VECTOR" -out "$TMP/msg-pkcs7.pem"
grep -q 'BEGIN PKCS7' "$TMP/msg-pkcs7.pem" || fail "openssl pkcs7 did not write PKCS7 armor"
check "PEM (PKCS7 armor)" 0 "$TMP/msg-pkcs7.pem"
{ echo "saved from the MDM console:"; cat "$TMP/msg-pkcs7.pem"; } > "$TMP/msg-text.pem"
check "PEM after a line of text" 0 "$TMP/msg-text.pem"

base64 -w 64 "$VECTOR" > "$TMP/msg.b64"
check "base64 text, 64-column lines" 0 "$TMP/msg.b64"
base64 -w 76 "$VECTOR" | sed 's/$/\r/' > "$TMP/msg-crlf.b64"
check "base64 text, CRLF lines" 0 "$TMP/msg-crlf.b64"
check "base64 text on stdin" 0 - < "$TMP/msg.b64"

B64=$(base64 -w 0 "$VECTOR")
ESCAPED=$(printf %s "$B64" | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')
URLSAFE=$(printf %s "$B64" | tr '+/' '-_' | tr -d '=')
SPACES=$(printf %s "$B64" | tr '+' ' ')
case "$B64" in *+*) ;; *) fail "vector's base64 has no '+': the space-as-plus case tests nothing" ;; esac
check "URL, unescaped base64" 0 "https://ca.example.com/scep?operation=PKIOperation&message=$B64"
check "URL, percent-escaped base64" 0 "http://ca.example.com/certsrv/mscep/mscep.dll/pkiclient.exe?operation=PKIOperation&message=$ESCAPED"
check "URL, url-safe unpadded base64" 0 "https://ca.example.com/scep?operation=PKIOperation&message=$URLSAFE"
check "URL, '+' form-decoded to ' '" 0 "https://ca.example.com/scep?operation=PKIOperation&message=$SPACES"
check "origin-form target" 0 "/cgi-bin/pkiclient.exe?operation=PKIOperation&message=$ESCAPED"
check "bare query" 0 "operation=PKIOperation&message=$B64"
printf '2026-03-01 02:13:07 mdmclient[412]: GET %s HTTP/1.1\n' \
    "https://ca.example.com/scep?operation=PKIOperation&message=$B64" > "$TMP/device.log"
check "URL inside a device log line (file)" 0 "$TMP/device.log"

# The URL's base64 form is reported.
"$SCEPDEC" --json "https://ca.example.com/scep?operation=PKIOperation&message=$ESCAPED" > "$TMP/forms.json"
grep -q '"base64_forms":\["percent-escaped"\]' "$TMP/forms.json" || fail "escaped URL: base64_forms: $(cat "$TMP/forms.json")"
grep -q '"operation":"PKIOperation"' "$TMP/forms.json" || fail "escaped URL: operation missing"

LEN=$(stat -c %s "$VECTOR")
{ printf 'POST /scep?operation=PKIOperation HTTP/1.1\r\nHost: ca.example.com:8080\r\n'
  printf 'User-Agent: Go-http-client/1.1\r\nContent-Length: %d\r\n' "$LEN"
  printf 'Content-Type: application/octet-stream\r\n\r\n'
  cat "$VECTOR"; } > "$TMP/post.http"
check "saved HTTP POST request (Content-Length)" 0 "$TMP/post.http"
grep -q '"operation":"PKIOperation"' "$TMP/out.json" || fail "POST: operation missing"

# The same body in chunked transfer-encoding, in three chunks of uneven size.
{ printf 'POST /cgi-bin/pkiclient.exe?operation=PKIOperation HTTP/1.1\r\nHost: ca\r\n'
  printf 'Transfer-Encoding: chunked\r\n\r\n'
  printf '%x\r\n' 1000; head -c 1000 "$VECTOR"; printf '\r\n'
  printf '%x;ext=1\r\n' 1; tail -c +1001 "$VECTOR" | head -c 1; printf '\r\n'
  printf '%X\r\n' $((LEN - 1001)); tail -c +1002 "$VECTOR"; printf '\r\n'
  printf '0\r\n\r\n'; } > "$TMP/post-chunked.http"
check "saved HTTP POST request (chunked)" 0 "$TMP/post-chunked.http"

{ printf 'GET /scep?operation=PKIOperation&message=%s HTTP/1.1\r\nHost: ca\r\n\r\n' "$ESCAPED"; } > "$TMP/get.http"
check "saved HTTP GET request" 0 "$TMP/get.http"

# A saved response carrying the message as application/x-pki-message.
{ printf 'HTTP/1.1 200 OK\r\nContent-Type: application/x-pki-message\r\nContent-Length: %d\r\n\r\n' "$LEN"
  cat "$VECTOR"; } > "$TMP/response.http"
check "saved HTTP response" 0 "$TMP/response.http"

# The text report names what a person needs.
"$SCEPDEC" "$VECTOR" > "$TMP/report.txt"
for want in "PKCSReq (19)" "$WANT_TID" "$WANT_NONCE" "2016-05-31T11:30:13Z" "sha1 (1.3.14.3.2.26)" \
            "des-ede3-cbc (1.2.840.113549.3.7)" "IV 8 bytes" "CN=MDM SCEP SIGNER" "O=etcd-ca" \
            "rsaEncryption" "digitalSignature" "decoded cleanly"; do
    grep -qF -- "$want" "$TMP/report.txt" || fail "text report lacks \"$want\""
done
"$SCEPDEC" --text "$TMP/post-chunked.http" > "$TMP/report-chunked.txt"
grep -q "chunked" "$TMP/report-chunked.txt" || fail "text report of a chunked POST does not say chunked"

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all passed"
