#!/bin/bash
# cli_cases.sh — `scepdec` exit statuses (0 clean, 1 errors or truncation, 2 nothing or bad
# usage), truncated inputs that still show what they hold, garbage, usage, and the other
# message kinds: GetCACaps, GetCACert (URL, certificate, certs-only PKCS#7), JSON escaping, a
# saved HTTP stream with request and response. Expected values from OpenSSL where it has them.
# usage: bash cli_cases.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=${1:?build dir}
SRC=${2:?source dir}
SCEPDEC=$BUILD/scepdec
VECTORS=$SRC/tests/vectors/micromdm
DER=$VECTORS/PKCSReq.der
[ -x "$SCEPDEC" ] || { echo "no $SCEPDEC: skipped"; exit 77; }
command -v openssl >/dev/null || { echo "openssl not installed: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

json_valid() { # every line of FILE is one valid JSON object
    if command -v jq >/dev/null; then
        jq -e . "$1" >/dev/null 2>&1
    else
        python3 -c '
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$1" 2>/dev/null
    fi
}
json_get() { # FILE KEY -> value of the first object, "ABSENT" or "INVALID-JSON"
    json_valid "$1" || { echo "INVALID-JSON"; return; }
    if command -v jq >/dev/null; then
        head -n 1 "$1" | jq -r --arg k "$2" 'if has($k) then .[$k] | tostring else "ABSENT" end'
    else
        head -n 1 "$1" | python3 -c '
import json, sys
v = json.load(sys.stdin).get(sys.argv[1], "ABSENT")
print(str(v).lower() if isinstance(v, bool) else v)' "$2"
    fi
}

# expect NAME WANT_EXIT ARGS...: run scepdec ARGS into $TMP/out, $TMP/err; check the status.
expect() {
    local name=$1 want=$2
    shift 2
    "$SCEPDEC" "$@" > "$TMP/out" 2> "$TMP/err"
    local status=$?
    if [ "$status" = "$want" ]; then echo "ok: $name (exit $status)"
    else fail "$name: exit status: expected $want, got $status; stderr: $(head -c 300 "$TMP/err")"; fi
}
field_is() { # NAME KEY WANT: the JSON in $TMP/out has KEY = WANT
    local got
    got=$(json_get "$TMP/out" "$2")
    [ "$got" = "$3" ] || fail "$1: $2: expected $3, got $got"
}

# ---- usage ----
expect "--help" 0 --help
grep -q "usage: scepdec" "$TMP/out" || fail "--help prints no usage"
grep -q "Exit status" "$TMP/out" || fail "--help does not document the exit status"
expect "--version" 0 --version
VERSION=$(sed -n 's/^#define SCEPDEC_VERSION "\(.*\)"/\1/p' "$SRC/libscepdec/include/scepdec.h")
grep -qx "scepdec $VERSION" "$TMP/out" || fail "--version: expected scepdec $VERSION, got $(cat "$TMP/out")"
expect "no input" 2
expect "unknown option" 2 --frobnicate "$DER"
[ -s "$TMP/err" ] || fail "unknown option: nothing on stderr"
expect "missing file" 2 "$TMP/no-such-file"
grep -q "no-such-file" "$TMP/err" || fail "missing file: stderr does not name it"
expect "bad --operation" 2 --operation Frob "$DER"

# ---- nothing decodable ----
head -c 512 /dev/urandom > "$TMP/random"
printf '\x01\x02garbage' | cat - "$TMP/random" > "$TMP/garbage.bin"
expect "binary garbage" 2 --json "$TMP/garbage.bin"
[ -s "$TMP/err" ] || fail "garbage: no message on stderr"
[ -s "$TMP/out" ] && fail "garbage: something on stdout with --json: $(head -c 200 "$TMP/out")"
printf 'hello, world\nnothing to see here\n' > "$TMP/prose.txt"
expect "plain prose" 2 "$TMP/prose.txt"
: > "$TMP/empty"
expect "empty file" 2 "$TMP/empty"
printf '\x30\x03\x02\x01\x05' > "$TMP/not-scep.der"   # a DER SEQUENCE that is no SCEP message
expect "DER that is no SCEP message" 2 --json "$TMP/not-scep.der"

# ---- truncation: exit 1, truncated:true, and still the fields that were there ----
B64=$(base64 -w 0 "$DER")
expect "URL cut after the certificates" 1 --json "https://ca.example.com/scep?operation=PKIOperation&message=${B64:0:3200}"
field_is "cut URL" truncated true
field_is "cut URL" operation PKIOperation
field_is "cut URL" message_type 19
field_is "cut URL" transaction_id A13090761A30F66664F85D37433D2065E1112BA1
field_is "cut URL" content_encryption_algorithm 1.2.840.113549.3.7
expect "URL cut inside the envelope" 1 --json "https://ca.example.com/scep?operation=PKIOperation&message=${B64:0:1001}"
field_is "URL cut early" truncated true
field_is "URL cut early" operation PKIOperation
[ "$(json_get "$TMP/out" errors)" != "[]" ] || fail "URL cut early: no error recorded"
expect "URL cut in the middle of a base64 quantum" 1 --json "https://ca.example.com/scep?operation=PKIOperation&message=${B64:0:3203}"
field_is "URL cut mid-quantum" truncated true
grep -q '"truncated"' "$TMP/out" || fail "URL cut mid-quantum: no truncated form"
head -c 2000 "$DER" > "$TMP/cut.der"
expect "DER file cut at 2000 bytes" 1 --json "$TMP/cut.der"
field_is "cut DER" truncated true
expect "DER file cut, text report" 1 "$TMP/cut.der"
grep -q "TRUNCATED" "$TMP/out" || fail "cut DER: text report does not say TRUNCATED"
grep -q "^error: truncated at offset [0-9]*" "$TMP/out" || fail "cut DER: no 'error: truncated at offset N' line"
LEN=$(stat -c %s "$DER")
{ printf 'POST /scep?operation=PKIOperation HTTP/1.1\r\nContent-Length: %d\r\n\r\n' "$LEN"
  head -c 1500 "$DER"; } > "$TMP/cut-post.http"
expect "HTTP POST cut short of its Content-Length" 1 --json "$TMP/cut-post.http"
field_is "cut POST" truncated true

# ---- GetCACaps ----
printf 'AES\r\nPOSTPKIOperation\r\nSHA-256\r\nRenewal\r\nSCEPStandard\r\nX-Vendor-Thing\r\n' > "$TMP/caps.txt"
expect "GetCACaps body" 0 --json "$TMP/caps.txt"
field_is "caps" operation GetCACaps
grep -q '"capabilities":\["AES","POSTPKIOperation","SHA-256","Renewal","SCEPStandard","X-Vendor-Thing"\]' "$TMP/out" ||
    fail "caps: capabilities: $(cat "$TMP/out")"
{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n'
  printf 'AES\nDES3\nFoo\n'; } > "$TMP/caps.http"
expect "GetCACaps HTTP response" 0 --json "$TMP/caps.http"
grep -q '"capabilities":\["AES","DES3","Foo"\]' "$TMP/out" || fail "caps response: $(cat "$TMP/out")"

# ---- GetCACert ----
expect "GetCACert URL" 0 --json "http://ca/cgi-bin/pkiclient.exe?operation=GetCACert&message=Example%20CA"
field_is "GetCACert URL" operation GetCACert
field_is "GetCACert URL" ca_ident "Example CA"
WANT_SUBJECT=$(openssl x509 -in "$VECTORS/ca.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
WANT_SERIAL=$(openssl x509 -in "$VECTORS/ca.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f')
cert_check() { # NAME: certificates[0] in $TMP/out is the micromdm CA
    if command -v jq >/dev/null; then
        local subject serial
        subject=$(jq -r '.certificates[0].subject' "$TMP/out")
        serial=$(jq -r '.certificates[0].serial' "$TMP/out")
        [ "$subject" = "$WANT_SUBJECT" ] || fail "$1: subject: expected $WANT_SUBJECT, got $subject"
        [ "$serial" = "$WANT_SERIAL" ] || fail "$1: serial: expected $WANT_SERIAL, got $serial"
    else
        grep -qF "\"subject\":\"$WANT_SUBJECT\"" "$TMP/out" || fail "$1: subject"
    fi
}
expect "CA certificate, PEM" 0 --json "$VECTORS/ca.pem"
cert_check "CA certificate, PEM"
openssl x509 -in "$VECTORS/ca.pem" -outform DER -out "$TMP/ca.der"
expect "CA certificate, DER" 0 --json "$TMP/ca.der"
cert_check "CA certificate, DER"
{ printf 'HTTP/1.1 200 OK\r\nContent-Type: application/x-x509-ca-cert\r\nContent-Length: %d\r\n\r\n' \
      "$(stat -c %s "$TMP/ca.der")"; cat "$TMP/ca.der"; } > "$TMP/cacert.http"
expect "GetCACert HTTP response" 0 --json "$TMP/cacert.http"
field_is "GetCACert response" operation GetCACert
cert_check "GetCACert response"
openssl crl2pkcs7 -nocrl -certfile "$VECTORS/ca.pem" -outform DER -out "$TMP/certs.p7b"
expect "certs-only PKCS#7" 0 --json "$TMP/certs.p7b"
field_is "certs-only" bundle certs-only
cert_check "certs-only"
expect "certificate text report" 0 "$VECTORS/ca.pem"
grep -qF "$WANT_SUBJECT" "$TMP/out" || fail "certificate report lacks the subject"
grep -q "keyCertSign" "$TMP/out" || fail "certificate report lacks the key usage"

# ---- JSON escaping end to end ----
expect "CA identifier with quote, backslash, control and invalid UTF-8" 0 --json \
    'https://ca/scep?operation=GetCACert&message=a%22b%5Cc%01d%FFe%C3%A9'
json_valid "$TMP/out" || fail "escaping: invalid JSON: $(cat "$TMP/out")"
grep -qF '"ca_ident":"a\"b\\c\u0001d\ufffde'"$(printf '\xc3\xa9')"'"' "$TMP/out" || fail "escaping: $(cat "$TMP/out")"
expect "unknown operation kept as sent" 0 --json 'https://ca/scep?operation=Frobnicate'
field_is "unknown operation" operation Frobnicate

# ---- a saved HTTP stream: request and response, one JSON object each ----
{ printf 'GET /scep?operation=GetCACaps HTTP/1.1\r\nHost: ca\r\n\r\n'
  printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nAES\r\nDES3'; } > "$TMP/stream.http"
expect "HTTP stream with request and response" 0 --json "$TMP/stream.http"
[ "$(wc -l < "$TMP/out")" = 2 ] || fail "stream: expected 2 JSON objects, got: $(cat "$TMP/out")"
json_valid "$TMP/out" || fail "stream: invalid JSON"

# ---- several inputs: the worst status wins ----
expect "clean + cut inputs" 1 --json "$DER" "$TMP/cut.der"
[ "$(wc -l < "$TMP/out")" = 2 ] || fail "two inputs: expected 2 JSON objects"
expect "clean + missing inputs" 2 --json "$DER" "$TMP/no-such-file"

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "all passed"
