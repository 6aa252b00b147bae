#!/usr/bin/env bash
# Makes the certificate-bundle vectors from the certificates in ../certs (crafted with the
# OpenSSL command line; the keys are TEST-ONLY).
set -euo pipefail
cd "$(dirname "$0")"
certs=../certs
for c in ca-rsa2048 ra-sign ra-encrypt; do openssl x509 -inform DER -in $certs/$c.der -out /tmp/$c.pem; done
# GetCACert with an RA, as NDES answers it: a degenerate certs-only SignedData.
openssl crl2pkcs7 -nocrl -certfile /tmp/ca-rsa2048.pem -certfile /tmp/ra-sign.pem \
  -certfile /tmp/ra-encrypt.pem -outform DER -out ra-bundle.der
# GetNextCACert: SignedData (content type data) over a certs-only SignedData, signed by a
# stand-in for the current CA.
openssl req -x509 -newkey rsa:2048 -nodes -keyout signer.key -out signer.pem -days 3650 \
  -subj "/CN=scepdec test current CA" -sha256 2>/dev/null
openssl crl2pkcs7 -nocrl -certfile /tmp/ca-rsa2048.pem -outform DER -out next-ca-inner.der
openssl cms -sign -nodetach -binary -md sha256 -in next-ca-inner.der -signer signer.pem \
  -inkey signer.key -outform DER -out next-ca.der
rm -f next-ca-inner.der
# The same in BER (indefinite lengths, eContent in 300-octet chunks): tests/tools/der2ber.c.
"${DER2BER:-der2ber}" -m 512 -c 300 next-ca.der next-ca-ber.der
