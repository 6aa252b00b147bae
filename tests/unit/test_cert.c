/* test_cert.c — X.509 decoding. Expected values were read from OpenSSL:
 *   openssl x509 -inform DER -in F -noout -subject -issuer -nameopt RFC2253,-esc_msb
 *   openssl x509 -inform DER -in F -noout -serial -dates -ext keyUsage,basicConstraints,subjectKeyIdentifier
 *   openssl x509 -inform DER -in F -noout -text   (version, key size, algorithms)
 * and validity dates converted with `date -u -d '<date> UTC' +%s`. */
#include "cert.h"
#include "check.h"
#include "scepdec.h"

typedef struct {
    const char *path;
    size_t offset;       /* where the certificate starts in the file */
    int version;
    const char *serial;  /* openssl -serial, lowercase, sign byte dropped */
    const char *subject;
    const char *issuer;
    int64_t not_before, not_after;
    const char *not_after_text;
    const char *signature_oid; /* dotted */
    const char *key_oid;
    unsigned key_bits;
    bool has_key_usage;
    unsigned key_usage;
    bool has_basic_constraints, is_ca;
    int path_len;
    const char *ski;     /* openssl's Subject Key Identifier, lowercase, or "" */
    bool self_issued;
    scep_cert_role role;
} cert_expect;

static const cert_expect expectations[] = {
    {"vectors/certs/ca-rsa2048.der", 0, 3, "1001", "CN=scepdec Test CA,O=scepdec tests,C=US",
     "CN=scepdec Test CA,O=scepdec tests,C=US",
     1795653765 /* Nov 26 00:42:45 2026 GMT */, 2111013765 /* Nov 23 00:42:45 2036 GMT */,
     "361123004245Z", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1", 2048, true,
     SCEP_KU_KEY_CERT_SIGN | SCEP_KU_CRL_SIGN, true, true, 1,
     "8fb943d99d94b7cd4274536621608e9488bbf193", true, SCEP_ROLE_CA},
    {"vectors/certs/ra-sign.der", 0, 3, "0102", "CN=scepdec Test RA sign,OU=RA,O=scepdec tests,C=US",
     "CN=scepdec Test CA,O=scepdec tests,C=US",
     1795653765 /* Nov 26 00:42:45 2026 GMT */, 1858725765 /* Nov 25 00:42:45 2028 GMT */,
     "281125004245Z", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1", 2048, true,
     SCEP_KU_DIGITAL_SIGNATURE, true, false, -1, "57525de35a127206adc2f8cf34642be03a121f54",
     false, SCEP_ROLE_RA_SIGNING},
    {"vectors/certs/ra-encrypt.der", 0, 3, "0103",
     "CN=scepdec Test RA encrypt,OU=RA,O=scepdec tests,C=US",
     "CN=scepdec Test CA,O=scepdec tests,C=US",
     1795653765 /* Nov 26 00:42:45 2026 GMT */, 1858725765 /* Nov 25 00:42:45 2028 GMT */,
     "281125004245Z", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1", 2048, true,
     SCEP_KU_KEY_ENCIPHERMENT, true, false, -1, "a7784fcc3a6c988ef8abfb7dd0ec01a8493334e3",
     false, SCEP_ROLE_RA_ENCRYPTION},
    /* openssl -serial prints 8899AABBCCDDEEFF01; the DER INTEGER carries a 00 sign byte */
    {"vectors/certs/ec-p256.der", 0, 1, "8899aabbccddeeff01", "O=scepdec tests,CN=scepdec EC client",
     "O=scepdec tests,CN=scepdec EC client",
     1795653765 /* Nov 26 00:42:45 2026 GMT */, 1827189765 /* Nov 26 00:42:45 2027 GMT */,
     "271126004245Z", "1.2.840.10045.4.3.2", "1.2.840.10045.2.1", 256, false, 0, false, false,
     -1, "", true, SCEP_ROLE_END_ENTITY},
    /* notAfter in 2067: a GeneralizedTime (openssl asn1parse) */
    {"vectors/certs/names-utf8.der", 0, 3, "05",
     "emailAddress=zoe@example.com,CN=\\ spaced out\\ ,OU=\\#hash\\;semi\\<lt\\>gt\\\\back\\=eq"
     "+UID=zoe,O=Zoë & Søn\\, \\\"Ltd\\\",DC=example,DC=com",
     "emailAddress=zoe@example.com,CN=\\ spaced out\\ ,OU=\\#hash\\;semi\\<lt\\>gt\\\\back\\=eq"
     "+UID=zoe,O=Zoë & Søn\\, \\\"Ltd\\\",DC=example,DC=com",
     1795653765 /* Nov 26 00:42:45 2026 GMT */, 3091653765 /* Dec 21 00:42:45 2067 GMT */,
     "20671221004245Z", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1", 2048, false, 0, true,
     true, -1, "4a95f128ca4fb7d55b1dc0f6b0a84c225f96af30", true, SCEP_ROLE_CA},
    {"vectors/certs/micromdm-ca.der", 0, 3, "01", "OU=CA,O=etcd-ca,C=USA", "OU=CA,O=etcd-ca,C=USA",
     1464529625 /* May 29 13:47:05 2016 GMT */, 1780062428 /* May 29 13:47:08 2026 GMT */,
     "260529134708Z", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.1", 4096, true,
     SCEP_KU_KEY_CERT_SIGN, true, true, -1, "fa5c3fcf05a57b19b1449f13a6dce27775e6a693", true,
     SCEP_ROLE_CA},
    /* The signer certificate inside micromdm's PKCSReq (offset 1159, openssl asn1parse -i);
     * read with `dd bs=1 skip=1159 count=759 | openssl x509 -inform DER ...`. A self-signed
     * client certificate with digitalSignature only: role "RA signing" by the rules. */
    {"vectors/micromdm/PKCSReq.der", 1159, 3, "01", "C=US,CN=MDM SCEP SIGNER",
     "C=US,CN=MDM SCEP SIGNER", 1464694213 /* May 31 11:30:13 2016 GMT */,
     1496230213 /* May 31 11:30:13 2017 GMT */, "170531113013Z", "1.2.840.113549.1.1.11",
     "1.2.840.113549.1.1.1", 2048, true, SCEP_KU_DIGITAL_SIGNATURE, false, false, -1, "", true,
     SCEP_ROLE_RA_SIGNING},
};

static bool oid_is_dotted(scep_span oid, const char *want)
{
    char dotted[128];
    scep_oid_to_dotted(oid.data, oid.length, dotted, sizeof dotted);
    return strcmp(dotted, want) == 0;
}

static bool name_is(scep_span name, const char *want)
{
    char text[256];
    scep_name_format(name.data, name.length, text, sizeof text);
    return strcmp(text, want) == 0;
}

static void check_certificate(const cert_expect *x)
{
    size_t len;
    unsigned char *der = read_file(x->path, &len);
    ber_cursor c;
    ber_elem e;
    ber_fault fault;
    ber_init(&c, der + x->offset, len - x->offset, x->offset, SCEP_SRC_INPUT);
    CHECK(ber_next(&c, &e, &fault));
    scep_certificate cert;
    scep_errors errors = {0};
    decode_ctx ctx = {&errors, false, false};
    bool ok = cert_decode(&ctx, &e, &cert);
    if (!ok || errors.count)
        fprintf(stderr, "%s: %zu errors, first %s at %zu\n", x->path, errors.count,
                errors.count ? scep_error_code_name(errors.items[0].code) : "-",
                errors.count ? errors.items[0].offset : 0);
    CHECK(ok);
    CHECK_INT(errors.count, 0);
    CHECK_INT(cert.span.offset, x->offset);
    CHECK_INT(cert.span.length, e.total_len);
    CHECK_INT(cert.version, x->version);
    CHECK_SPAN_HEX(cert.serial, x->serial);
    char name[512], dotted[128];
    scep_name_format(cert.subject.data, cert.subject.length, name, sizeof name);
    CHECK_STR(name, x->subject);
    scep_name_format(cert.issuer.data, cert.issuer.length, name, sizeof name);
    CHECK_STR(name, x->issuer);
    CHECK_INT(cert.not_before, x->not_before);
    CHECK_INT(cert.not_after, x->not_after);
    CHECK_SPAN_STR(cert.not_after_text, x->not_after_text);
    scep_oid_to_dotted(cert.signature_algorithm.oid.data, cert.signature_algorithm.oid.length,
                       dotted, sizeof dotted);
    CHECK_STR(dotted, x->signature_oid);
    scep_oid_to_dotted(cert.public_key_algorithm.oid.data, cert.public_key_algorithm.oid.length,
                       dotted, sizeof dotted);
    CHECK_STR(dotted, x->key_oid);
    CHECK_INT(cert.public_key_bits, x->key_bits);
    CHECK_INT(cert.has_key_usage, x->has_key_usage);
    CHECK_INT(cert.key_usage, x->key_usage);
    CHECK_INT(cert.has_basic_constraints, x->has_basic_constraints);
    CHECK_INT(cert.is_ca, x->is_ca);
    CHECK_INT(cert.path_len, x->path_len);
    if (x->ski[0])
        CHECK_SPAN_HEX(cert.subject_key_id, x->ski);
    else
        CHECK(!scep_span_present(cert.subject_key_id));
    CHECK_INT(cert.self_issued, x->self_issued);
    CHECK_INT(cert.role, x->role);
    free(der);
}

/* Every prefix of a certificate decodes without fault beyond one "truncated" error, keeping
 * what came before the cut. Subject and serial sit at fixed offsets (openssl asn1parse). */
static void test_truncation(void)
{
    size_t len;
    unsigned char *der = read_file("vectors/certs/ra-sign.der", &len);
    /* openssl asn1parse -inform DER -in ra-sign.der -i: serial INTEGER at 13 (2 + 2 bytes),
     * subject at 129 (2 + 81), SPKI at 212, extensions [3] at 506, signatureAlgorithm at 604 */
    for (size_t cut = 0; cut < len; cut++) {
        ber_cursor c;
        ber_elem e;
        ber_fault fault;
        ber_init(&c, der, cut, 0, SCEP_SRC_INPUT);
        if (!ber_next(&c, &e, &fault)) {
            CHECK(cut < 4); /* only a cut header cannot be read at all */
            continue;
        }
        scep_certificate cert;
        scep_errors errors = {0};
        decode_ctx ctx = {&errors, false, false};
        bool ok = cert_decode(&ctx, &e, &cert);
        if (ok || errors.count != 1 || errors.items[0].code != SCEP_ERR_TRUNCATED ||
            errors.items[0].offset > cut) {
            fprintf(stderr, "cut at %zu: ok=%d errors=%zu code=%s offset=%zu\n", cut, ok,
                    errors.count, errors.count ? scep_error_code_name(errors.items[0].code) : "-",
                    errors.count ? errors.items[0].offset : 0);
            CHECK(false);
        }
        if (cut >= 13 + 2 + 2)
            CHECK_SPAN_HEX(cert.serial, "0102");
        else
            CHECK(!scep_span_present(cert.serial));
        if (cut >= 212) {
            char name[256];
            scep_name_format(cert.subject.data, cert.subject.length, name, sizeof name);
            CHECK_STR(name, "CN=scepdec Test RA sign,OU=RA,O=scepdec tests,C=US");
        }
        if (cut <= 506)
            CHECK_INT(cert.role, SCEP_ROLE_UNKNOWN);
        if (cut >= 604)
            CHECK_INT(cert.role, SCEP_ROLE_RA_SIGNING);
    }
    free(der);
}

/* A pkiMessage cut inside its signer certificate: the truncation is reported once, where the
 * data ends, by the first read that meets the end, and the certificate's fields before the
 * cut are decoded. (Before cert.c shared the message's decode context it added a second
 * "truncated" error of its own.) Offsets from `openssl asn1parse -inform DER -in
 * PKCSReq.der -i`: Certificate at 1159, serialNumber INTEGER 01 at 1172 (complete at 1175),
 * signature AlgorithmIdentifier at 1175 (sha256WithRSAEncryption, complete at 1190), issuer
 * Name at 1190 (complete at 1231), subject Name at 1263 (complete at 1304), SPKI at 1304,
 * extensions [3] at 1598, the TBS complete at 1642, the Certificate complete at 1918. */
static void test_truncation_in_message(void)
{
    size_t len;
    unsigned char *der = read_file("vectors/micromdm/PKCSReq.der", &len);
    static scep_pki_message msg;
    static uint8_t content[4096];
    int wrong = 0;
    for (size_t cut = 1159 + 4; cut < 1918 && cut <= len; cut++) {
        uint8_t *prefix = malloc(cut);
        memcpy(prefix, der, cut);
        scep_decode_pki_message(prefix, cut, content, sizeof content, &msg);
        const scep_certificate *cert = &msg.signed_data.certificates[0];
        bool ok = msg.truncated && msg.errors.count == 1 &&
                  msg.errors.items[0].code == SCEP_ERR_TRUNCATED &&
                  msg.errors.items[0].offset == cut && msg.signed_data.certificate_count == 1 &&
                  cert->span.offset == 1159;
        /* keyUsage digitalSignature only (openssl x509 -ext keyUsage): RA signing, known
         * once the TBS (1163 to 1642) is whole */
        ok = ok && cert->role == (cut >= 1642 ? SCEP_ROLE_RA_SIGNING : SCEP_ROLE_UNKNOWN);
        if (cut >= 1175)
            ok = ok && cert->serial.length == 1 && cert->serial.data[0] == 0x01;
        else
            ok = ok && !scep_span_present(cert->serial);
        if (cut >= 1190)
            ok = ok && oid_is_dotted(cert->signature_algorithm.oid, "1.2.840.113549.1.1.11");
        if (cut >= 1231)
            ok = ok && name_is(cert->issuer, "C=US,CN=MDM SCEP SIGNER");
        if (cut >= 1304)
            ok = ok && name_is(cert->subject, "C=US,CN=MDM SCEP SIGNER") && cert->self_issued;
        if (!ok && wrong++ < 5)
            fprintf(stderr, "cut at %zu: truncated %d, %zu errors, first %s at %zu\n", cut,
                    msg.truncated, msg.errors.count,
                    msg.errors.count ? scep_error_code_name(msg.errors.items[0].code) : "-",
                    msg.errors.count ? msg.errors.items[0].offset : 0);
        free(prefix);
    }
    CHECK_INT(wrong, 0);
    free(der);
}

/* A BER certificate: the outer SEQUENCE and the TBS with indefinite lengths, as iOS sends. */
static void test_ber_certificate(void)
{
    size_t len;
    unsigned char *der = read_file("vectors/certs/ec-p256.der", &len);
    /* ec-p256.der (openssl asn1parse): 30 82 01 58 | 30 81 xx <tbs> | sigalg | sig */
    CHECK(len == 348 && der[0] == 0x30 && der[1] == 0x82 && der[4] == 0x30 && der[5] == 0x81);
    if (len != 348 || der[5] != 0x81) {
        free(der);
        return;
    }
    uint8_t ber[400];
    size_t n = 0;
    ber[n++] = 0x30, ber[n++] = 0x80;
    ber[n++] = 0x30, ber[n++] = 0x80;
    size_t tbs_len = der[6], tbs_at = 7;
    memcpy(ber + n, der + tbs_at, tbs_len);
    n += tbs_len;
    ber[n++] = 0, ber[n++] = 0;
    memcpy(ber + n, der + tbs_at + tbs_len, len - tbs_at - tbs_len);
    n += len - tbs_at - tbs_len;
    ber[n++] = 0, ber[n++] = 0;
    ber_cursor c;
    ber_elem e;
    ber_fault fault;
    ber_init(&c, ber, n, 0, SCEP_SRC_INPUT);
    CHECK(ber_next(&c, &e, &fault));
    scep_certificate cert;
    scep_errors errors = {0};
    decode_ctx ctx = {&errors, false, false};
    CHECK(cert_decode(&ctx, &e, &cert));
    CHECK_INT(errors.count, 0);
    CHECK(ctx.indefinite); /* the TBS's indefinite length is seen by the message's context */
    CHECK_INT(cert.span.length, n);
    CHECK_SPAN_HEX(cert.serial, "8899aabbccddeeff01");
    CHECK_INT(cert.public_key_bits, 256);
    CHECK_INT(cert.not_after, 1827189765);
    CHECK(cert.self_issued);
    free(der);
}

/* Crafted extensions: keyUsage bit order and unused bits, basicConstraints defaults. */
static void test_extension_values(void)
{
    /* A v3 TBS is too long to craft by hand; instead patch the keyUsage of ra-sign.der.
     * openssl asn1parse -strparse shows its keyUsage extnValue 03 02 07 80 (digitalSignature,
     * 7 unused bits). Find it and try other encodings of the same length. */
    size_t len;
    unsigned char *der = read_file("vectors/certs/ra-sign.der", &len);
    size_t at = 0;
    for (size_t i = 0; i + 11 < len; i++) {
        /* 06 03 55 1d 0f 01 01 ff 04 04 03 02 07 80 */
        static const uint8_t ku[] = {0x06, 0x03, 0x55, 0x1d, 0x0f, 0x01, 0x01, 0xff, 0x04, 0x04,
                                     0x03, 0x02, 0x07, 0x80};
        if (i + sizeof ku <= len && memcmp(der + i, ku, sizeof ku) == 0)
            at = i + 10;
    }
    CHECK(at != 0);
    if (at == 0) {
        free(der);
        return;
    }
    static const struct {
        uint8_t unused, bits;
        unsigned flags;
        scep_cert_role role;
        bool ok;
    } cases[] = {
        /* RFC 5280: digitalSignature(0) is 0x80, keyEncipherment(2) 0x20, keyCertSign(5) 0x04 */
        {0x07, 0x80, SCEP_KU_DIGITAL_SIGNATURE, SCEP_ROLE_RA_SIGNING, true},
        {0x05, 0xa0, SCEP_KU_DIGITAL_SIGNATURE | SCEP_KU_KEY_ENCIPHERMENT, SCEP_ROLE_RA, true},
        {0x05, 0x20, SCEP_KU_KEY_ENCIPHERMENT, SCEP_ROLE_RA_ENCRYPTION, true},
        {0x02, 0x04, SCEP_KU_KEY_CERT_SIGN, SCEP_ROLE_CA, true},
        {0x01, 0x02, SCEP_KU_CRL_SIGN, SCEP_ROLE_END_ENTITY, true},
        {0x00, 0x01, SCEP_KU_ENCIPHER_ONLY, SCEP_ROLE_END_ENTITY, true},
        /* bits flagged unused do not count */
        {0x07, 0xff, SCEP_KU_DIGITAL_SIGNATURE, SCEP_ROLE_RA_SIGNING, true},
        {0x00, 0x00, 0, SCEP_ROLE_END_ENTITY, true},
        /* more than 7 unused bits is not a BIT STRING */
        {0x08, 0x80, 0, SCEP_ROLE_UNKNOWN, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        der[at + 2] = cases[i].unused;
        der[at + 3] = cases[i].bits;
        ber_cursor c;
        ber_elem e;
        ber_fault fault;
        ber_init(&c, der, len, 0, SCEP_SRC_INPUT);
        CHECK(ber_next(&c, &e, &fault));
        scep_certificate cert;
        scep_errors errors = {0};
        decode_ctx ctx = {&errors, false, false};
        bool ok = cert_decode(&ctx, &e, &cert);
        CHECK_INT(ok, cases[i].ok);
        if (cases[i].ok) {
            CHECK_INT(cert.key_usage, cases[i].flags);
            CHECK_INT(cert.role, cases[i].role);
        } else {
            CHECK_INT(errors.count, 1);
            CHECK_INT(errors.items[0].code, SCEP_ERR_BAD_VALUE);
            CHECK_INT(errors.items[0].offset, at);
        }
    }
    free(der);
}

static void test_algorithm_and_issuer_serial(void)
{
    /* AlgorithmIdentifier sha256 with NULL, and without parameters */
    static const uint8_t with_null[] = {0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
                                        0x03, 0x04, 0x02, 0x01, 0x05, 0x00};
    static const uint8_t bare[] = {0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
                                   0x03, 0x04, 0x02, 0x01};
    ber_cursor c;
    ber_elem e;
    ber_fault fault;
    scep_algorithm alg;
    scep_errors errors = {0};
    decode_ctx ctx = {&errors, false, false};
    ber_init(&c, with_null, sizeof with_null, 0, SCEP_SRC_INPUT);
    CHECK(ber_next(&c, &e, &fault));
    CHECK(cert_decode_algorithm(&ctx, &e, &alg));
    CHECK_SPAN_HEX(alg.oid, "608648016503040201");
    CHECK_SPAN_HEX(alg.params, "0500");
    CHECK_INT(alg.params.offset, 13);
    ber_init(&c, bare, sizeof bare, 0, SCEP_SRC_INPUT);
    CHECK(ber_next(&c, &e, &fault));
    CHECK(cert_decode_algorithm(&ctx, &e, &alg));
    CHECK(!scep_span_present(alg.params));
    CHECK_INT(errors.count, 0);

    /* IssuerAndSerialNumber {Name C=US, INTEGER 00 ff}: serial without its sign byte */
    static const uint8_t ias[] = {0x30, 0x13, 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03,
                                  0x55, 0x04, 0x06, 0x13, 0x02, 0x55, 0x53, 0x02, 0x02, 0x00,
                                  0xff};
    scep_identifier id;
    ber_init(&c, ias, sizeof ias, 0, SCEP_SRC_INPUT);
    CHECK(ber_next(&c, &e, &fault));
    CHECK(cert_decode_issuer_serial(&ctx, &e, &id));
    CHECK_INT(id.kind, SCEP_ID_ISSUER_SERIAL);
    CHECK_SPAN_HEX(id.serial, "ff");
    CHECK_INT(id.issuer.offset, 2);
    CHECK_INT(id.issuer.length, 15);
    CHECK_INT(errors.count, 0);
    /* cut inside the serial */
    ber_init(&c, ias, sizeof ias - 1, 0, SCEP_SRC_INPUT);
    CHECK(ber_next(&c, &e, &fault));
    CHECK(!cert_decode_issuer_serial(&ctx, &e, &id));
    CHECK_INT(errors.count, 1);
    CHECK_INT(errors.items[0].code, SCEP_ERR_TRUNCATED);
    CHECK_INT(errors.items[0].offset, sizeof ias - 1); /* a cut is reported where the data ends */
    /* not a SEQUENCE */
    errors.count = 0;
    ber_init(&c, ias + 4, 13, 4, SCEP_SRC_INPUT);
    CHECK(ber_next(&c, &e, &fault));
    CHECK(!cert_decode_issuer_serial(&ctx, &e, &id));
    CHECK_INT(errors.items[0].code, SCEP_ERR_UNEXPECTED_TAG);
}

int main(void)
{
    for (size_t i = 0; i < sizeof expectations / sizeof expectations[0]; i++)
        check_certificate(&expectations[i]);
    test_truncation();
    test_truncation_in_message();
    test_ber_certificate();
    test_extension_values();
    test_algorithm_and_issuer_serial();
    return check_report("test_cert");
}
