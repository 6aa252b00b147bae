/* test_names.c — the OID table, dotted OIDs and SCEP's value names. OID encodings come from
 * OpenSSL (`openssl asn1parse -genstr OID:<dotted> -out o.der`, contents octets of o.der), so
 * the table's dotted strings and our encoder/decoder are checked against an independent
 * encoder. */
#include "check.h"
#include "scepdec.h"

#include <stdint.h>
#include <string.h>

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (; hex[0] && hex[1] && n < cap; hex += 2) {
        unsigned v;
        if (sscanf(hex, "%2x", &v) != 1)
            break;
        out[n++] = (uint8_t)v;
    }
    return n;
}

/* dotted_of converts hex contents octets to dotted text in a static buffer. */
static const char *dotted_of(const char *hex, size_t *ret)
{
    static char text[160];
    uint8_t der[64];
    size_t n = unhex(hex, der, sizeof der);
    *ret = scep_oid_to_dotted(der, n, text, sizeof text);
    return text;
}

static const scep_oid_info *lookup_hex(const char *hex)
{
    uint8_t der[64];
    size_t n = unhex(hex, der, sizeof der);
    return scep_oid_lookup(der, n);
}

/* Every OID of names.c's table, encoded by OpenSSL. Generated with:
 *   for o in $(grep -oE '^\s*\{"[0-9.]+"' libscepdec/src/names.c | grep -oE '[0-9.]+'); do
 *     openssl asn1parse -genstr "OID:$o" -out o.der; xxd -p -s 2 o.der; done */
static const struct {
    const char *hex;
    const char *dotted;
} table_oids[] = {
    {"2a864886f70d010701", "1.2.840.113549.1.7.1"},
    {"2a864886f70d010702", "1.2.840.113549.1.7.2"},
    {"2a864886f70d010703", "1.2.840.113549.1.7.3"},
    {"2a864886f70d010704", "1.2.840.113549.1.7.4"},
    {"2a864886f70d010705", "1.2.840.113549.1.7.5"},
    {"2a864886f70d010706", "1.2.840.113549.1.7.6"},
    {"2a864886f70d0109100102", "1.2.840.113549.1.9.16.1.2"},
    {"2a864886f70d0109100109", "1.2.840.113549.1.9.16.1.9"},
    {"2a864886f70d0109100117", "1.2.840.113549.1.9.16.1.23"},
    {"2a864886f70d010903", "1.2.840.113549.1.9.3"},
    {"2a864886f70d010904", "1.2.840.113549.1.9.4"},
    {"2a864886f70d010905", "1.2.840.113549.1.9.5"},
    {"2a864886f70d010906", "1.2.840.113549.1.9.6"},
    {"2a864886f70d010907", "1.2.840.113549.1.9.7"},
    {"2a864886f70d01090e", "1.2.840.113549.1.9.14"},
    {"2a864886f70d01090f", "1.2.840.113549.1.9.15"},
    {"2a864886f70d010934", "1.2.840.113549.1.9.52"},
    {"2b0601040182370d0203", "1.3.6.1.4.1.311.13.2.3"},
    {"2b0601040182371514", "1.3.6.1.4.1.311.21.20"},
    {"6086480186f845010902", "2.16.840.1.113733.1.9.2"},
    {"6086480186f845010903", "2.16.840.1.113733.1.9.3"},
    {"6086480186f845010904", "2.16.840.1.113733.1.9.4"},
    {"6086480186f845010905", "2.16.840.1.113733.1.9.5"},
    {"6086480186f845010906", "2.16.840.1.113733.1.9.6"},
    {"6086480186f845010907", "2.16.840.1.113733.1.9.7"},
    {"6086480186f845010908", "2.16.840.1.113733.1.9.8"},
    {"2b06010505071801", "1.3.6.1.5.5.7.24.1"},
    {"2a864886f70d0202", "1.2.840.113549.2.2"},
    {"2a864886f70d0205", "1.2.840.113549.2.5"},
    {"2b0e03021a", "1.3.14.3.2.26"},
    {"608648016503040201", "2.16.840.1.101.3.4.2.1"},
    {"608648016503040202", "2.16.840.1.101.3.4.2.2"},
    {"608648016503040203", "2.16.840.1.101.3.4.2.3"},
    {"608648016503040204", "2.16.840.1.101.3.4.2.4"},
    {"608648016503040205", "2.16.840.1.101.3.4.2.5"},
    {"608648016503040206", "2.16.840.1.101.3.4.2.6"},
    {"608648016503040207", "2.16.840.1.101.3.4.2.7"},
    {"608648016503040208", "2.16.840.1.101.3.4.2.8"},
    {"608648016503040209", "2.16.840.1.101.3.4.2.9"},
    {"60864801650304020a", "2.16.840.1.101.3.4.2.10"},
    {"60864801650304020b", "2.16.840.1.101.3.4.2.11"},
    {"60864801650304020c", "2.16.840.1.101.3.4.2.12"},
    {"2a864886f70d010102", "1.2.840.113549.1.1.2"},
    {"2a864886f70d010104", "1.2.840.113549.1.1.4"},
    {"2a864886f70d010105", "1.2.840.113549.1.1.5"},
    {"2b0e03021d", "1.3.14.3.2.29"},
    {"2a864886f70d01010a", "1.2.840.113549.1.1.10"},
    {"2a864886f70d01010b", "1.2.840.113549.1.1.11"},
    {"2a864886f70d01010c", "1.2.840.113549.1.1.12"},
    {"2a864886f70d01010d", "1.2.840.113549.1.1.13"},
    {"2a864886f70d01010e", "1.2.840.113549.1.1.14"},
    {"2a864886f70d01010f", "1.2.840.113549.1.1.15"},
    {"2a864886f70d010110", "1.2.840.113549.1.1.16"},
    {"60864801650304030d", "2.16.840.1.101.3.4.3.13"},
    {"60864801650304030e", "2.16.840.1.101.3.4.3.14"},
    {"60864801650304030f", "2.16.840.1.101.3.4.3.15"},
    {"608648016503040310", "2.16.840.1.101.3.4.3.16"},
    {"2a8648ce3d0401", "1.2.840.10045.4.1"},
    {"2a8648ce3d040301", "1.2.840.10045.4.3.1"},
    {"2a8648ce3d040302", "1.2.840.10045.4.3.2"},
    {"2a8648ce3d040303", "1.2.840.10045.4.3.3"},
    {"2a8648ce3d040304", "1.2.840.10045.4.3.4"},
    {"608648016503040309", "2.16.840.1.101.3.4.3.9"},
    {"60864801650304030a", "2.16.840.1.101.3.4.3.10"},
    {"60864801650304030b", "2.16.840.1.101.3.4.3.11"},
    {"60864801650304030c", "2.16.840.1.101.3.4.3.12"},
    {"2b6570", "1.3.101.112"},
    {"2b6571", "1.3.101.113"},
    {"2a8648ce380403", "1.2.840.10040.4.3"},
    {"608648016503040301", "2.16.840.1.101.3.4.3.1"},
    {"608648016503040302", "2.16.840.1.101.3.4.3.2"},
    {"2a864886f70d010101", "1.2.840.113549.1.1.1"},
    {"2a864886f70d010107", "1.2.840.113549.1.1.7"},
    {"2a8648ce3d0201", "1.2.840.10045.2.1"},
    {"2a8648ce380401", "1.2.840.10040.4.1"},
    {"2b656e", "1.3.101.110"},
    {"2b656f", "1.3.101.111"},
    {"2a864886f70d010108", "1.2.840.113549.1.1.8"},
    {"2a864886f70d010109", "1.2.840.113549.1.1.9"},
    {"2a8648ce3d030101", "1.2.840.10045.3.1.1"},
    {"2b81040021", "1.3.132.0.33"},
    {"2a8648ce3d030107", "1.2.840.10045.3.1.7"},
    {"2b81040022", "1.3.132.0.34"},
    {"2b81040023", "1.3.132.0.35"},
    {"2b8104000a", "1.3.132.0.10"},
    {"2b0e030207", "1.3.14.3.2.7"},
    {"2a864886f70d0307", "1.2.840.113549.3.7"},
    {"2a864886f70d0302", "1.2.840.113549.3.2"},
    {"2a864886f70d0304", "1.2.840.113549.3.4"},
    {"608648016503040102", "2.16.840.1.101.3.4.1.2"},
    {"608648016503040116", "2.16.840.1.101.3.4.1.22"},
    {"60864801650304012a", "2.16.840.1.101.3.4.1.42"},
    {"608648016503040106", "2.16.840.1.101.3.4.1.6"},
    {"60864801650304011a", "2.16.840.1.101.3.4.1.26"},
    {"60864801650304012e", "2.16.840.1.101.3.4.1.46"},
    {"608648016503040107", "2.16.840.1.101.3.4.1.7"},
    {"60864801650304011b", "2.16.840.1.101.3.4.1.27"},
    {"60864801650304012f", "2.16.840.1.101.3.4.1.47"},
    {"608648016503040105", "2.16.840.1.101.3.4.1.5"},
    {"608648016503040119", "2.16.840.1.101.3.4.1.25"},
    {"60864801650304012d", "2.16.840.1.101.3.4.1.45"},
    {"550403", "2.5.4.3"},
    {"550404", "2.5.4.4"},
    {"550405", "2.5.4.5"},
    {"550406", "2.5.4.6"},
    {"550407", "2.5.4.7"},
    {"550408", "2.5.4.8"},
    {"550409", "2.5.4.9"},
    {"55040a", "2.5.4.10"},
    {"55040b", "2.5.4.11"},
    {"55040c", "2.5.4.12"},
    {"55040d", "2.5.4.13"},
    {"55040f", "2.5.4.15"},
    {"550411", "2.5.4.17"},
    {"550414", "2.5.4.20"},
    {"550429", "2.5.4.41"},
    {"55042a", "2.5.4.42"},
    {"55042b", "2.5.4.43"},
    {"55042c", "2.5.4.44"},
    {"55042d", "2.5.4.45"},
    {"55042e", "2.5.4.46"},
    {"550441", "2.5.4.65"},
    {"550461", "2.5.4.97"},
    {"0992268993f22c640101", "0.9.2342.19200300.100.1.1"},
    {"0992268993f22c640119", "0.9.2342.19200300.100.1.25"},
    {"2a864886f70d010901", "1.2.840.113549.1.9.1"},
    {"2a864886f70d010902", "1.2.840.113549.1.9.2"},
    {"2a864886f70d010908", "1.2.840.113549.1.9.8"},
    {"551d0e", "2.5.29.14"},
    {"551d0f", "2.5.29.15"},
    {"551d11", "2.5.29.17"},
    {"551d12", "2.5.29.18"},
    {"551d13", "2.5.29.19"},
    {"551d14", "2.5.29.20"},
    {"551d15", "2.5.29.21"},
    {"551d1e", "2.5.29.30"},
    {"551d1f", "2.5.29.31"},
    {"551d20", "2.5.29.32"},
    {"551d23", "2.5.29.35"},
    {"551d24", "2.5.29.36"},
    {"551d25", "2.5.29.37"},
    {"551d36", "2.5.29.54"},
    {"2b06010505070101", "1.3.6.1.5.5.7.1.1"},
    {"2b0601040182371402", "1.3.6.1.4.1.311.20.2"},
    {"2b0601040182371507", "1.3.6.1.4.1.311.21.7"},
    {"2b06010505070301", "1.3.6.1.5.5.7.3.1"},
    {"2b06010505070302", "1.3.6.1.5.5.7.3.2"},
    {"2b06010505070304", "1.3.6.1.5.5.7.3.4"},
    {"2b06010505070309", "1.3.6.1.5.5.7.3.9"},
    {"2b06010505080202", "1.3.6.1.5.5.8.2.2"},
};

static void test_whole_table_round_trips(void)
{
    for (size_t i = 0; i < sizeof table_oids / sizeof table_oids[0]; i++) {
        size_t ret;
        const char *text = dotted_of(table_oids[i].hex, &ret);
        CHECK_STR(text, table_oids[i].dotted);
        CHECK_INT(ret, strlen(table_oids[i].dotted));
        const scep_oid_info *info = lookup_hex(table_oids[i].hex);
        CHECK(info != NULL);
        if (info) {
            CHECK_STR(info->dotted, table_oids[i].dotted);
            CHECK(info->name != NULL && info->name[0] != '\0');
        }
    }
}

static void expect_oid(const char *hex, const char *name, scep_oid_kind kind, bool deprecated)
{
    const scep_oid_info *info = lookup_hex(hex);
    CHECK(info != NULL);
    if (!info) {
        fprintf(stderr, "  lookup of %s failed (wanted %s)\n", hex, name);
        return;
    }
    CHECK_STR(info->name, name);
    CHECK_INT(info->kind, kind);
    CHECK_INT(info->deprecated, deprecated);
}

static void test_names_kinds_and_deprecation(void)
{
    /* SCEP attributes: 2.16.840.1.113733.1.9.2..7, failInfoText 1.3.6.1.5.5.7.24.1 */
    expect_oid("6086480186f845010902", "messageType", SCEP_OID_ATTRIBUTE, false);
    expect_oid("6086480186f845010903", "pkiStatus", SCEP_OID_ATTRIBUTE, false);
    expect_oid("6086480186f845010904", "failInfo", SCEP_OID_ATTRIBUTE, false);
    expect_oid("6086480186f845010905", "senderNonce", SCEP_OID_ATTRIBUTE, false);
    expect_oid("6086480186f845010906", "recipientNonce", SCEP_OID_ATTRIBUTE, false);
    expect_oid("6086480186f845010907", "transactionID", SCEP_OID_ATTRIBUTE, false);
    expect_oid("2b06010505071801", "failInfoText", SCEP_OID_ATTRIBUTE, false);
    expect_oid("2a864886f70d010907", "challengePassword", SCEP_OID_ATTRIBUTE, false);
    expect_oid("2a864886f70d01090e", "extensionRequest", SCEP_OID_ATTRIBUTE, false);
    /* Content types */
    expect_oid("2a864886f70d010702", "signedData", SCEP_OID_CONTENT_TYPE, false);
    expect_oid("2a864886f70d010703", "envelopedData", SCEP_OID_CONTENT_TYPE, false);
    expect_oid("2a864886f70d0109100117", "authEnvelopedData", SCEP_OID_CONTENT_TYPE, false);
    /* Digests and signatures: MD5 and SHA-1 and what builds on them are deprecated */
    expect_oid("2a864886f70d0205", "md5", SCEP_OID_DIGEST, true);
    expect_oid("2b0e03021a", "sha1", SCEP_OID_DIGEST, true);
    expect_oid("608648016503040201", "sha256", SCEP_OID_DIGEST, false);
    expect_oid("608648016503040203", "sha512", SCEP_OID_DIGEST, false);
    expect_oid("2a864886f70d010105", "sha1WithRSAEncryption", SCEP_OID_SIGNATURE, true);
    expect_oid("2a864886f70d010104", "md5WithRSAEncryption", SCEP_OID_SIGNATURE, true);
    expect_oid("2a864886f70d01010b", "sha256WithRSAEncryption", SCEP_OID_SIGNATURE, false);
    expect_oid("2a864886f70d01010a", "RSASSA-PSS", SCEP_OID_SIGNATURE, false);
    expect_oid("2a8648ce3d0401", "ecdsa-with-SHA1", SCEP_OID_SIGNATURE, true);
    expect_oid("2a8648ce3d040302", "ecdsa-with-SHA256", SCEP_OID_SIGNATURE, false);
    expect_oid("2a8648ce380403", "dsa-with-SHA1", SCEP_OID_SIGNATURE, true);
    expect_oid("2b6570", "ED25519", SCEP_OID_SIGNATURE, false);
    /* Keys and key transport */
    expect_oid("2a864886f70d010101", "rsaEncryption", SCEP_OID_PUBLIC_KEY, false);
    expect_oid("2a864886f70d010107", "RSAES-OAEP", SCEP_OID_PUBLIC_KEY, false);
    expect_oid("2a8648ce3d0201", "id-ecPublicKey", SCEP_OID_PUBLIC_KEY, false);
    /* Ciphers: DES, 3DES and RC2 deprecated, AES not */
    expect_oid("2b0e030207", "des-cbc", SCEP_OID_CIPHER, true);
    expect_oid("2a864886f70d0307", "des-ede3-cbc", SCEP_OID_CIPHER, true);
    expect_oid("2a864886f70d0302", "rc2-cbc", SCEP_OID_CIPHER, true);
    expect_oid("60864801650304012a", "aes256-cbc", SCEP_OID_CIPHER, false);
    expect_oid("60864801650304012e", "aes256-gcm", SCEP_OID_CIPHER, false);
    /* DN attributes with RFC 4514 short names */
    expect_oid("550403", "CN", SCEP_OID_DN_ATTRIBUTE, false);
    expect_oid("550406", "C", SCEP_OID_DN_ATTRIBUTE, false);
    expect_oid("550409", "STREET", SCEP_OID_DN_ATTRIBUTE, false);
    expect_oid("0992268993f22c640119", "DC", SCEP_OID_DN_ATTRIBUTE, false);
    expect_oid("0992268993f22c640101", "UID", SCEP_OID_DN_ATTRIBUTE, false);
    expect_oid("2a864886f70d010901", "emailAddress", SCEP_OID_DN_ATTRIBUTE, false);
    /* Extensions */
    expect_oid("551d13", "basicConstraints", SCEP_OID_EXTENSION, false);
    expect_oid("551d0f", "keyUsage", SCEP_OID_EXTENSION, false);
    expect_oid("2b06010505070101", "authorityInfoAccess", SCEP_OID_EXTENSION, false);
}

static void test_unknown_and_invalid_lookups(void)
{
    /* 1.3.6.1.4.1.99999.1 (openssl asn1parse -genstr): valid, not in the table */
    CHECK(lookup_hex("2b06010401868d1f01") == NULL);
    /* a prefix of sha256's encoding, and sha256 with one more arc */
    CHECK(lookup_hex("6086480165030402") == NULL);
    CHECK(lookup_hex("60864801650304020100") == NULL);
    /* CN (2.5.4.3) with its last subidentifier padded, 80 03: not minimal (X.690 8.19.2) */
    CHECK(lookup_hex("55048003") == NULL);
    /* 2.5.4.3 cut inside a subidentifier: 55 04 83 */
    CHECK(lookup_hex("550483") == NULL);
    CHECK(scep_oid_lookup(NULL, 0) == NULL);
    uint8_t empty[1] = {0};
    CHECK(scep_oid_lookup(empty, 0) == NULL);
}

static void test_to_dotted(void)
{
    size_t ret;
    /* Encodings from `openssl asn1parse -genstr OID:<dotted>` */
    CHECK_STR(dotted_of("8837", &ret), "2.999");            /* first subidentifier 1079 */
    CHECK_INT(ret, 5);
    CHECK_STR(dotted_of("883703", &ret), "2.999.3");
    CHECK_STR(dotted_of("00", &ret), "0.0");
    CHECK_STR(dotted_of("4f", &ret), "1.39");
    CHECK_STR(dotted_of("0992268993f22c640119", &ret), "0.9.2342.19200300.100.1.25");
    /* arcs up to 2^64 - 1 */
    CHECK_STR(dotted_of("2a81ffffffffffffffff7f", &ret), "1.2.18446744073709551615");
    CHECK_INT(ret, strlen("1.2.18446744073709551615"));
    CHECK_STR(dotted_of("81ffffffffffffffff7f", &ret), "2.18446744073709551535");
    /* 1.2.18446744073709551616: one past 64 bits, refused */
    CHECK_STR(dotted_of("2a82808080808080808000", &ret), "");
    CHECK(ret == SCEP_FORMAT_INVALID);
    /* leading 0x80 digit (non-minimal), in the first and in a later subidentifier */
    CHECK_STR(dotted_of("802a", &ret), "");
    CHECK(ret == SCEP_FORMAT_INVALID);
    CHECK_STR(dotted_of("2a80860d", &ret), "");
    CHECK(ret == SCEP_FORMAT_INVALID);
    /* the last subidentifier cut: its last octet still has the continuation bit */
    CHECK_STR(dotted_of("2a864886f7", &ret), "");
    CHECK(ret == SCEP_FORMAT_INVALID);
    CHECK_STR(dotted_of("86", &ret), "");
    CHECK(ret == SCEP_FORMAT_INVALID);

    /* Output bounds (scepdec.h's text rule): exactly enough room, then short of it: the
     * length needed is returned, the text is cut between arcs. */
    uint8_t der[] = {0x55, 0x04, 0x03}; /* 2.5.4.3 */
    char out[8];
    CHECK_INT(scep_oid_to_dotted(der, sizeof der, out, 8), 7);
    CHECK_STR(out, "2.5.4.3");
    memset(out, 'x', sizeof out);
    CHECK_INT(scep_oid_to_dotted(der, sizeof der, out, 7), 7);
    CHECK_STR(out, "2.5.4.");
    CHECK_INT(scep_oid_to_dotted(der, sizeof der, out, 6), 7);
    CHECK_STR(out, "2.5.4");
    CHECK_INT(scep_oid_to_dotted(der, sizeof der, out, 1), 7);
    CHECK_STR(out, "");
    CHECK(scep_oid_to_dotted(der, 0, out, sizeof out) == SCEP_FORMAT_INVALID);
    CHECK_STR(out, "");
    CHECK_INT(scep_oid_to_dotted(der, sizeof der, out, 0), 7);
    CHECK_INT(scep_oid_to_dotted(der, sizeof der, NULL, 0), 7);

    /* The header's promise: 128 bytes suffice for 32 arcs of realistic size. */
    uint8_t many[64];
    char big[128];
    many[0] = 0x2a; /* 1.2 */
    for (size_t i = 1; i < 31; i++)
        many[i] = 0x7f; /* .127 */
    CHECK_INT(scep_oid_to_dotted(many, 31, big, sizeof big), 3 + 30 * 4);
}

static void test_value_names(void)
{
    /* RFC 8894 section 3.2.1.2-4 */
    CHECK_STR(scep_message_type_name(3), "CertRep");
    CHECK_STR(scep_message_type_name(17), "RenewalReq");
    CHECK_STR(scep_message_type_name(18), "UpdateReq");
    CHECK_STR(scep_message_type_name(19), "PKCSReq");
    CHECK_STR(scep_message_type_name(20), "CertPoll");
    CHECK_STR(scep_message_type_name(21), "GetCert");
    CHECK_STR(scep_message_type_name(22), "GetCRL");
    CHECK(scep_message_type_name(0) == NULL);
    CHECK(scep_message_type_name(4) == NULL);
    CHECK(scep_message_type_name(23) == NULL);
    CHECK(scep_message_type_name(-3) == NULL);
    CHECK(scep_message_type_name(1000000) == NULL);

    CHECK_STR(scep_pki_status_name(0), "SUCCESS");
    CHECK_STR(scep_pki_status_name(2), "FAILURE");
    CHECK_STR(scep_pki_status_name(3), "PENDING");
    CHECK(scep_pki_status_name(1) == NULL);
    CHECK(scep_pki_status_name(4) == NULL);
    CHECK(scep_pki_status_name(-1) == NULL);

    CHECK_STR(scep_fail_info_name(0), "badAlg");
    CHECK_STR(scep_fail_info_name(1), "badMessageCheck");
    CHECK_STR(scep_fail_info_name(2), "badRequest");
    CHECK_STR(scep_fail_info_name(3), "badTime");
    CHECK_STR(scep_fail_info_name(4), "badCertId");
    CHECK(scep_fail_info_name(5) == NULL);
    CHECK(scep_fail_info_name(-1) == NULL);

    CHECK_STR(scep_cert_role_name(SCEP_ROLE_CA), "CA");
    CHECK_STR(scep_cert_role_name(SCEP_ROLE_RA_SIGNING), "RA signing");
    CHECK_STR(scep_cert_role_name(SCEP_ROLE_RA_ENCRYPTION), "RA encryption");
    CHECK_STR(scep_cert_role_name(SCEP_ROLE_RA), "RA");
    CHECK_STR(scep_cert_role_name(SCEP_ROLE_END_ENTITY), "end entity");
    CHECK_STR(scep_cert_role_name(SCEP_ROLE_UNKNOWN), "unknown");
    CHECK(scep_cert_role_name((scep_cert_role)99) == NULL);
}

/* The naming layer's walk of flag sets, with RFC 5280 section 4.2.1.3's KeyUsage names in its
 * bit order (digitalSignature (0) ... decipherOnly (8)) as the independent reference. */
static void test_flag_sets(void)
{
    static const char *const rfc5280[] = {
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
        "keyAgreement",     "keyCertSign",    "cRLSign",         "encipherOnly",
        "decipherOnly",
    };
    unsigned all = 0, seen = 0;
    for (unsigned bit = 0; bit < sizeof rfc5280 / sizeof rfc5280[0]; bit++)
        all |= 1u << bit;
    for (unsigned rest = all, flag; (flag = scep_flag_next(&rest)) != 0; seen++) {
        CHECK_INT(scep_flag_bit(flag), seen); /* lowest first, one bit at a time */
        CHECK_STR(scep_key_usage_name(flag), rfc5280[seen]);
    }
    CHECK_INT(seen, 9);
    unsigned none = 0;
    CHECK_INT(scep_flag_next(&none), 0);
    CHECK_INT(scep_flag_next(NULL), 0);
    CHECK_INT(scep_flag_bit(0), 32);
    CHECK_INT(scep_flag_bit(0x6), 32);
    CHECK_INT(scep_flag_bit(0x80000000u), 31);

    char out[64];
    CHECK_INT(scep_key_usage_format(SCEP_KU_KEY_CERT_SIGN | SCEP_KU_CRL_SIGN, out, sizeof out),
              strlen("keyCertSign, cRLSign"));
    CHECK_STR(out, "keyCertSign, cRLSign");
    scep_key_usage_format(0, out, sizeof out);
    CHECK_STR(out, SCEP_WORDS_NO_KEY_USAGE);
    scep_key_usage_format(SCEP_KU_DIGITAL_SIGNATURE | 1u << 9, out, sizeof out);
    CHECK_STR(out, "digitalSignature, bit 9"); /* a bit without a name is still shown */
    scep_base64_forms_format(0, out, sizeof out);
    CHECK_STR(out, "standard");
    scep_base64_forms_format(SCEP_B64_PERCENT_ESCAPED | SCEP_B64_NO_PADDING, out, sizeof out);
    CHECK_STR(out, "percent-escaped, no-padding");
    scep_flags_format(0, scep_key_usage_name, out, sizeof out);
    CHECK_STR(out, "");
    /* Cut between names, never inside one: "keyCertSign, " does not fit in 14 bytes. */
    CHECK_INT(scep_key_usage_format(SCEP_KU_KEY_CERT_SIGN | SCEP_KU_CRL_SIGN, out, 14),
              strlen("keyCertSign, cRLSign"));
    CHECK_STR(out, "keyCertSign");
}

/* People's words: a Name (RFC 4514's rendering of CN=Example), an empty one, bytes that are
 * not a Name, and the kinds. */
static void test_words(void)
{
    static const uint8_t example[] = {0x30, 0x12, 0x31, 0x10, 0x30, 0x0e, 0x06, 0x03, 0x55, 0x04,
                                      0x03, 0x0c, 0x07, 'E',  'x',  'a',  'm',  'p',  'l',  'e'};
    static const uint8_t empty[] = {0x30, 0x00};
    static const uint8_t not_a_name[] = {0x04, 0x00};
    char out[64];
    CHECK_INT(scep_name_text(example, sizeof example, out, sizeof out), strlen("CN=Example"));
    CHECK_STR(out, "CN=Example");
    scep_name_text(empty, sizeof empty, out, sizeof out);
    CHECK_STR(out, SCEP_WORDS_EMPTY_NAME);
    CHECK_STR(out, "(empty name)");
    CHECK_INT(scep_name_text(not_a_name, sizeof not_a_name, out, sizeof out),
              strlen("(unreadable name)"));
    CHECK_STR(out, "(unreadable name)");
    scep_name_text(NULL, 0, out, sizeof out);
    CHECK_STR(out, "(absent)");
    CHECK_INT(scep_name_text(empty, sizeof empty, out, 4), strlen("(empty name)"));
    CHECK_STR(out, ""); /* a word is written whole or not at all */

    CHECK_STR(scep_bundle_kind_text(SCEP_BUNDLE_CERTIFICATE), "single certificate");
    CHECK_STR(scep_bundle_kind_text(SCEP_BUNDLE_CERTS_ONLY), "certs-only PKCS#7");
    CHECK_STR(scep_bundle_kind_text(SCEP_BUNDLE_SIGNED), "signed PKCS#7 over certs-only");
    CHECK(scep_bundle_kind_text(SCEP_BUNDLE_NONE) == NULL);
    CHECK_STR(scep_content_kind_text(SCEP_CONTENT_CSR), "PKCS#10 certificate request");
    CHECK_STR(scep_content_kind_text(SCEP_CONTENT_ISSUER_AND_SERIAL), "IssuerAndSerialNumber");
    CHECK(scep_content_kind_text(SCEP_CONTENT_NONE) == NULL);
    CHECK_STR(scep_bundle_kind_name(SCEP_BUNDLE_SIGNED), "signed");
    CHECK_STR(scep_input_kind_name(SCEP_INPUT_CAPS), "caps");
}

/* Walking the named numbers: RFC 8894 section 3.2.1.2 (pkiStatus 0 SUCCESS, 2 FAILURE,
 * 3 PENDING), 3.2.1.3 (failInfo 0-4) and 3.2.1.2's messageType list (3, 17, 19, 20, 21, 22)
 * plus draft-nourse's UpdateReq (18). */
static void test_named_value_walk(void)
{
    static const long statuses[] = {0, 2, 3};
    static const long types[] = {3, 17, 18, 19, 20, 21, 22};
    long v = -1;
    size_t n = 0;
    const char *name;
    while ((name = scep_named_value_next(scep_pki_status_name, &v)) != NULL && n < 3) {
        CHECK_INT(v, statuses[n]);
        CHECK_STR(name, scep_pki_status_name(v));
        n++;
    }
    CHECK_INT(n, 3);
    CHECK(scep_named_value_next(scep_pki_status_name, &v) == NULL);
    CHECK_INT(v, 3); /* unchanged past the last one */
    n = 0;
    for (v = -1; (name = scep_named_value_next(scep_message_type_name, &v)) != NULL && n < 7; n++)
        CHECK_INT(v, types[n]);
    CHECK_INT(n, 7);
    n = 0;
    for (v = -1; scep_named_value_next(scep_fail_info_name, &v) != NULL && n < 5; n++)
        CHECK_INT(v, (long)n);
    CHECK_INT(n, 5);
    v = 0x7fffffffL;
    CHECK(scep_named_value_next(scep_fail_info_name, &v) == NULL);
    CHECK(scep_named_value_next(scep_fail_info_name, NULL) == NULL);
    v = -1;
    CHECK(scep_named_value_next(NULL, &v) == NULL);
}

int main(void)
{
    test_whole_table_round_trips();
    test_names_kinds_and_deprecation();
    test_unknown_and_invalid_lookups();
    test_to_dotted();
    test_value_names();
    test_flag_sets();
    test_words();
    test_named_value_walk();
    return check_report("test_names");
}
