#!/bin/sh
# gen.sh — regenerates the test certificates in this folder with the openssl command line.
# Keys are thrown away; only the DER certificates are kept. Validity dates and keys change on
# every run, so the expected values in tests/unit/test_cert.c and test_dn.c must be re-read
# with the commands in README.md after regenerating.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. RSA 2048 CA: basicConstraints cA:TRUE pathlen 1, keyUsage keyCertSign+cRLSign, SKI.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -sha256 -days 3650 \
  -subj "/C=US/O=scepdec tests/CN=scepdec Test CA" -set_serial 0x1001 \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:1" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -out "$tmp/ca.pem"
openssl x509 -in "$tmp/ca.pem" -outform DER -out ca-rsa2048.der

# 2. and 3. RA certificates issued by that CA: signing only, encryption only.
for kind in sign encrypt; do
  if [ $kind = sign ]; then ku=digitalSignature; serial=0x0102; else ku=keyEncipherment; serial=0x0103; fi
  openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/ra-$kind.key" \
    -subj "/C=US/O=scepdec tests/OU=RA/CN=scepdec Test RA $kind" -out "$tmp/ra-$kind.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,%s\nsubjectKeyIdentifier=hash\n' $ku \
    > "$tmp/ra-$kind.ext"
  openssl x509 -req -in "$tmp/ra-$kind.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -sha256 \
    -days 730 -set_serial $serial -extfile "$tmp/ra-$kind.ext" -outform DER -out ra-$kind.der
done

# 4. EC P-256 self-signed, no extensions at all (a version 1 certificate), a serial whose top
#    bit is set (DER adds a 00 sign octet).
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/ec.key" \
  -subj "/CN=scepdec EC client/O=scepdec tests" -out "$tmp/ec.csr"
openssl x509 -req -in "$tmp/ec.csr" -key "$tmp/ec.key" -sha256 -days 365 \
  -set_serial 0x8899AABBCCDDEEFF01 -outform DER -out ec-p256.der

# 5. UTF-8 names with characters RFC 4514 escapes, a multi-valued RDN, a DC chain, and a
#    validity running past 2050 (notAfter as GeneralizedTime).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/utf8.key" -sha256 -days 15000 -utf8 \
  -subj '/DC=com/DC=example/O=Zoë & Søn, \"Ltd\"/OU=#hash;semi<lt>gt\\back=eq+UID=zoe/CN= spaced out /emailAddress=zoe@example.com' \
  -set_serial 5 -out "$tmp/utf8.pem"
openssl x509 -in "$tmp/utf8.pem" -outform DER -out names-utf8.der

# 6.-7. The same kind of name in legacy string types, chosen with OpenSSL's string_mask:
#    BMPString (0x0800), T61String (0x0004).
for t in bmp:0x0800 t61:0x0004; do
  name=${t%%:*}; mask=${t#*:}
  printf '[req]\ndistinguished_name=dn\nstring_mask=MASK:%s\nutf8=yes\n[dn]\n' $mask > "$tmp/$name.cnf"
  case $name in
    bmp) subj='/C=DE/O=Müller ✓ GmbH/CN=Ärger Σ' ;;
    t61) subj='/C=DE/O=Müller GmbH/CN=Ärger ©' ;;
  esac
  openssl req -x509 -config "$tmp/$name.cnf" -newkey rsa:2048 -nodes -keyout "$tmp/$name.key" \
    -sha256 -days 365 -set_serial 7 -subj "$subj" -out "$tmp/$name.pem"
  openssl x509 -in "$tmp/$name.pem" -outform DER -out names-$name.der
done

# 8. micromdm's CA (../micromdm/ca.crt, PEM) in DER.
openssl x509 -in ../micromdm/ca.crt -outform DER -out micromdm-ca.der

# 9. An empty subject and issuer (the Name 30 00): how every renderer says "(empty name)".
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/empty.key" \
  -sha256 -days 365 -subj "/" -outform DER -out empty-name.der
