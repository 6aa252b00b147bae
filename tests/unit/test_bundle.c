/* test_bundle — scep_decode_cert_bundle on every bundle kind SCEP servers send. Vectors and
 * the OpenSSL commands whose output gave the expected values: vectors/bundles/README.md and
 * vectors/certs/README.md. */
#include "check.h"
#include "scepdec.h"

static char text[512];
static const char *name_of(scep_span s)
{
    scep_name_format(s.data, s.length, text, sizeof text);
    return text;
}

/* `openssl pkcs7 -inform DER -in ra-bundle.der -print_certs -noout`, and `openssl x509 -serial
 * -ext keyUsage,basicConstraints` on each of ../certs/{ca-rsa2048,ra-sign,ra-encrypt}.der. */
static void test_ra_bundle(void)
{
    size_t len;
    uint8_t *der = read_file("vectors/bundles/ra-bundle.der", &len);
    static scep_cert_bundle b;
    CHECK_INT(scep_decode_cert_bundle(der, len, NULL, 0, &b), SCEP_DECODE_OK);
    CHECK_INT(b.kind, SCEP_BUNDLE_CERTS_ONLY);
    CHECK_INT(b.certificate_count, 3);
    CHECK_INT(b.outer.signer_count, 0);
    CHECK_STR(name_of(b.certificates[0].subject), "CN=scepdec Test CA,O=scepdec tests,C=US");
    CHECK_SPAN_HEX(b.certificates[0].serial, "1001");
    CHECK_INT(b.certificates[0].role, SCEP_ROLE_CA);
    CHECK_STR(name_of(b.certificates[1].subject), "CN=scepdec Test RA sign,OU=RA,O=scepdec tests,C=US");
    CHECK_STR(name_of(b.certificates[1].issuer), "CN=scepdec Test CA,O=scepdec tests,C=US");
    CHECK_SPAN_HEX(b.certificates[1].serial, "0102");
    CHECK_INT(b.certificates[1].role, SCEP_ROLE_RA_SIGNING);
    CHECK_STR(name_of(b.certificates[2].subject), "CN=scepdec Test RA encrypt,OU=RA,O=scepdec tests,C=US");
    CHECK_SPAN_HEX(b.certificates[2].serial, "0103");
    CHECK_INT(b.certificates[2].role, SCEP_ROLE_RA_ENCRYPTION);
    free(der);
}

/* `openssl cms -verify -noverify` on next-ca.der, then `-print_certs` on the inner bytes:
 * one certificate, the scepdec Test CA; the outer signer is "scepdec test current CA". */
static void test_next_ca(const char *path, size_t want_chunks)
{
    size_t len;
    uint8_t *data = read_file(path, &len);
    static uint8_t content[8192];
    static scep_cert_bundle b;
    CHECK_INT(scep_decode_cert_bundle(data, len, content, sizeof content, &b), SCEP_DECODE_OK);
    CHECK_INT(b.kind, SCEP_BUNDLE_SIGNED);
    CHECK_INT(b.certificate_count, 1);
    CHECK_STR(name_of(b.certificates[0].subject), "CN=scepdec Test CA,O=scepdec tests,C=US");
    CHECK_INT(b.outer.signer_count, 1);
    CHECK_STR(name_of(b.outer.signer.sid.issuer), "CN=scepdec test current CA");
    CHECK_SPAN_HEX(b.outer.signer.sid.serial, "52919e26cbacdf1672254c97ad089ec654698c23");
    CHECK_INT(b.outer.certificate_count, 1);
    CHECK_STR(name_of(b.outer.certificates[0].subject), "CN=scepdec test current CA");
    CHECK_INT(b.outer.encap_content_chunks, want_chunks);
    free(data);
}

/* A single DER certificate (application/x-x509-ca-cert): micromdm's CA. `openssl x509
 * -in vectors/micromdm/ca.pem -noout -subject -serial -nameopt RFC2253`. */
static void test_single(void)
{
    size_t len;
    uint8_t *der = read_file("vectors/certs/micromdm-ca.der", &len);
    static scep_cert_bundle b;
    CHECK_INT(scep_decode_cert_bundle(der, len, NULL, 0, &b), SCEP_DECODE_OK);
    CHECK_INT(b.kind, SCEP_BUNDLE_CERTIFICATE);
    CHECK_INT(b.certificate_count, 1);
    CHECK_STR(name_of(b.certificates[0].subject), "OU=CA,O=etcd-ca,C=USA");
    CHECK_SPAN_HEX(b.certificates[0].serial, "01");

    /* Every prefix: never a crash, always flagged. */
    int unflagged = 0;
    for (size_t n = 0; n < len; n++) {
        uint8_t *prefix = malloc(n ? n : 1);
        memcpy(prefix, der, n);
        scep_status st = scep_decode_cert_bundle(prefix, n, NULL, 0, &b);
        if (st == SCEP_DECODE_OK || !b.truncated)
            unflagged++;
        free(prefix);
    }
    CHECK_INT(unflagged, 0);
    free(der);
}

/* A pkiMessage is not a bundle of any kind the caller asked for, but decoding one as a bundle
 * must still be safe and say what it saw: a SignedData with an envelope inside. */
static void test_not_a_bundle(void)
{
    static const uint8_t garbage[] = {0x04, 0x03, 0x01, 0x02, 0x03};
    static scep_cert_bundle b;
    CHECK_INT(scep_decode_cert_bundle(garbage, sizeof garbage, NULL, 0, &b), SCEP_DECODE_NONE);
    CHECK(b.errors.count > 0);
    CHECK_INT(scep_decode_cert_bundle(garbage, 0, NULL, 0, &b), SCEP_DECODE_NONE);
    CHECK(b.truncated);
}

int main(void)
{
    test_ra_bundle();
    test_next_ca("vectors/bundles/next-ca.der", 0);
    test_next_ca("vectors/bundles/next-ca-ber.der", 4); /* 915 octets in 300s */
    test_single();
    test_not_a_bundle();
    return check_report("test_bundle");
}
