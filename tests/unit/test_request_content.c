/* test_request_content — the decrypted content of requests.
 *
 * micromdm's PKCSReq, decrypted with its CA key, holds a PKCS#10 request. Expected values from
 *   openssl cms -decrypt -inform DER -in env.der -inkey vectors/micromdm/ca.key -passin pass: \
 *     -binary -out csr.der      (env.der: asn1parse -strparse 58 of PKCSReq.der)
 *   openssl req -inform DER -in csr.der -noout -text
 * → Version "Unknown (2)", Subject CN=com.apple.security.scep.063D7953-…, rsaEncryption
 *   1024 bit, Requested Extensions (keyUsage), sha1WithRSAEncryption, no challengePassword.
 * GetCert's IssuerAndSerialNumber is built here from vectors/certs/ra-sign.der's issuer
 * (`openssl x509 -issuer -serial`: CN=scepdec Test CA,O=scepdec tests,C=US, serial 0102). */
#include "check.h"
#include "scepdec.h"

static const uint8_t OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t OID_SHA1_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05};

static char text[512];
static const char *name_of(scep_span s)
{
    scep_name_format(s.data, s.length, text, sizeof text);
    return text;
}

static void test_csr(void)
{
    size_t len, key_len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &len);
    uint8_t *key = read_file("vectors/micromdm/ca.key", &key_len);
    static uint8_t content[4096], plain[4096];
    static scep_pki_message msg;
    static scep_request_content rc;
    scep_decode_pki_message(der, len, content, sizeof content, &msg);
    size_t plain_len = 0;
    CHECK_INT(scep_decrypt_envelope(&msg, key, key_len, NULL, 0, plain, sizeof plain, &plain_len, NULL),
              SCEP_DECODE_OK);
    CHECK_INT(scep_decode_request_content(plain, plain_len, SCEP_MSG_PKCS_REQ, &rc), SCEP_DECODE_OK);
    CHECK_INT(rc.kind, SCEP_CONTENT_CSR);
    CHECK_INT(rc.version, 2);
    CHECK_STR(name_of(rc.subject), "CN=com.apple.security.scep.063D7953-1338-4BF0-8F99-913382996224");
    CHECK(rc.public_key_algorithm.oid.length == sizeof OID_RSA &&
          memcmp(rc.public_key_algorithm.oid.data, OID_RSA, sizeof OID_RSA) == 0);
    CHECK_INT(rc.public_key_bits, 1024);
    CHECK(scep_span_present(rc.extension_request));
    CHECK(!scep_span_present(rc.challenge_password));
    CHECK_INT(rc.attribute_count, 1);
    CHECK(rc.signature_algorithm.oid.length == sizeof OID_SHA1_RSA &&
          memcmp(rc.signature_algorithm.oid.data, OID_SHA1_RSA, sizeof OID_SHA1_RSA) == 0);

    /* Every prefix is flagged, never OK. */
    int unflagged = 0;
    for (size_t n = 0; n < plain_len; n++) {
        uint8_t *prefix = malloc(n ? n : 1);
        memcpy(prefix, plain, n);
        if (scep_decode_request_content(prefix, n, SCEP_MSG_PKCS_REQ, &rc) == SCEP_DECODE_OK || !rc.truncated)
            unflagged++;
        free(prefix);
    }
    CHECK_INT(unflagged, 0);
    free(key);
    free(der);
}

static void test_issuer_and_serial(void)
{
    size_t len;
    uint8_t *cert = read_file("vectors/certs/ra-sign.der", &len);
    static scep_cert_bundle b;
    scep_decode_cert_bundle(cert, len, NULL, 0, &b);
    scep_span issuer = b.certificates[0].issuer;
    /* SEQUENCE { issuer, INTEGER 01 02 } */
    uint8_t buf[512];
    size_t body = issuer.length + 4;
    CHECK(body < 128 && issuer.length + 6 <= sizeof buf);
    buf[0] = 0x30;
    buf[1] = (uint8_t)body;
    memcpy(buf + 2, issuer.data, issuer.length);
    memcpy(buf + 2 + issuer.length, "\x02\x02\x01\x02", 4);
    static scep_request_content rc;
    CHECK_INT(scep_decode_request_content(buf, body + 2, SCEP_MSG_GET_CERT, &rc), SCEP_DECODE_OK);
    CHECK_INT(rc.kind, SCEP_CONTENT_ISSUER_AND_SERIAL);
    CHECK_STR(name_of(rc.issuer), "CN=scepdec Test CA,O=scepdec tests,C=US");
    CHECK_SPAN_HEX(rc.serial, "0102");
    /* A CertRep carries no request content. */
    CHECK_INT(scep_decode_request_content(buf, body + 2, SCEP_MSG_CERT_REP, &rc), SCEP_DECODE_NONE);
    free(cert);
}

int main(void)
{
    test_csr();
    test_issuer_and_serial();
    return check_report("test_request_content");
}
