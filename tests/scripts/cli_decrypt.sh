#!/usr/bin/env bash
# scepdec --key: the envelope's contents against OpenSSL's own decryption of the same bytes.
#  - micromdm's real PKCSReq, opened with its CA key: the CSR subject `openssl req` reads;
#  - every CertRep SUCCESS of the real-peer captures, taken out of the capture by stock tshark
#    (--export-objects http), opened with the client key captures/README.md names: the issued
#    certificate's subject and serial as `openssl cms -decrypt | openssl pkcs7 -print_certs`
#    shows them;
#  - a wrong key: an error said, exit 1, never random plaintext.
set -euo pipefail
build=$1 src=$2
scepdec=$build/scepdec
command -v openssl >/dev/null && command -v jq >/dev/null && command -v tshark >/dev/null || exit 77
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # what expected got
    if [ "$2" != "$3" ]; then echo "FAIL $1: expected [$2], got [$3]"; fail=1; else echo "ok   $1"; fi
}

vec=$src/tests/vectors/micromdm
openssl asn1parse -inform DER -in "$vec/PKCSReq.der" -strparse 58 -noout -out "$work/env.der"
openssl cms -decrypt -inform DER -in "$work/env.der" -inkey "$vec/ca.key" -passin pass: -binary -out "$work/csr.der"
want=$(openssl req -inform DER -in "$work/csr.der" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
got=$("$scepdec" --json --key "$vec/ca.key" "$vec/PKCSReq.der" | jq -r .decrypted.subject)
check "PKCSReq CSR subject" "$want" "$got"

# capture:client key (relative to captures/keys), CertRep SUCCESS by a real micromdm server
for pair in scepclient-enroll-post:scepclient-enroll-post/client.key \
            strongswan-enroll-des3-sha256:strongswan/client.key \
            certmonger-enroll:certmonger-enroll/key.pem; do
    cap=${pair%%:*} key=$src/captures/keys/${pair#*:}
    [ -f "$src/captures/$cap.pcapng" ] && [ -f "$key" ] || { echo "skip $cap (not in captures/)"; continue; }
    out=$work/$cap; mkdir -p "$out"
    tshark -r "$src/captures/$cap.pcapng" --export-objects "http,$out" >/dev/null 2>&1
    for body in "$out"/*; do
        [ "$(head -c1 "$body" | od -An -tx1 | tr -d ' ')" = 30 ] || continue
        json=$("$scepdec" --json --key "$key" "$body" || true)
        [ "$(jq -r '.message_type // empty' <<<"$json")" = 3 ] && [ "$(jq -r '.pki_status // empty' <<<"$json")" = 0 ] || continue
        openssl cms -verify -noverify -inform DER -in "$body" -binary -out "$work/env-$cap.der" 2>/dev/null
        openssl cms -decrypt -inform DER -in "$work/env-$cap.der" -inkey "$key" -passin pass: -binary \
            -provider legacy -provider default -out "$work/certs-$cap.der"
        openssl pkcs7 -inform DER -in "$work/certs-$cap.der" -print_certs -out "$work/issued-$cap.pem"
        want=$(openssl x509 -in "$work/issued-$cap.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
        check "$cap CertRep issued subject" "$want" "$(jq -r '.decrypted.certificates[0].subject' <<<"$json")"
        want=$(openssl x509 -in "$work/issued-$cap.pem" -noout -serial | sed 's/^serial=//' | tr A-F a-f | sed 's/^0*\(..\)/\1/')
        got=$(jq -r '.decrypted.certificates[0].serial' <<<"$json" | sed 's/^0*\(..\)/\1/')
        check "$cap CertRep issued serial" "$want" "$got"
        check "$cap CertRep signature" ok "$(jq -r .verification.signature <<<"$json")"
        check "$cap CertRep messageDigest" ok "$(jq -r .verification.message_digest <<<"$json")"
    done
done

openssl genrsa -out "$work/wrong.key" 2048 2>/dev/null
set +e
json=$("$scepdec" --json --key "$work/wrong.key" "$vec/PKCSReq.der"); status=$?
set -e
check "wrong key exit status" 1 "$status"
check "wrong key says why" true "$(jq '.decrypt_error != null' <<<"$json")"
exit $fail
