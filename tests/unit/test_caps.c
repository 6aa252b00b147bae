/* test_caps.c — scep_decode_caps on GetCACaps bodies as servers send them: RFC 8894's
 * keywords (section 3.5.2), CRLF or LF, blank lines, any case, blanks around names, unknown
 * keywords, no final newline, more lines than fit. */
#include "check.h"
#include "scepdec.h"

static scep_status decode(const char *body, scep_caps *caps)
{
    return scep_decode_caps(body, strlen(body), caps);
}

static void test_names(void)
{
    CHECK_STR(scep_capability_name(SCEP_CAP_AES), "AES");
    CHECK_STR(scep_capability_name(SCEP_CAP_DES3), "DES3");
    CHECK_STR(scep_capability_name(SCEP_CAP_GET_NEXT_CA_CERT), "GetNextCACert");
    CHECK_STR(scep_capability_name(SCEP_CAP_POST_PKI_OPERATION), "POSTPKIOperation");
    CHECK_STR(scep_capability_name(SCEP_CAP_RENEWAL), "Renewal");
    CHECK_STR(scep_capability_name(SCEP_CAP_SHA1), "SHA-1");
    CHECK_STR(scep_capability_name(SCEP_CAP_SHA256), "SHA-256");
    CHECK_STR(scep_capability_name(SCEP_CAP_SHA512), "SHA-512");
    CHECK_STR(scep_capability_name(SCEP_CAP_SCEP_STANDARD), "SCEPStandard");
    CHECK_STR(scep_capability_name(SCEP_CAP_UPDATE), "Update");
    CHECK(scep_capability_name(SCEP_CAP_UNKNOWN) == NULL);
    CHECK(scep_capability_name((scep_capability)77) == NULL);
}

/* micromdm's scepserver answers GetCACaps with this body (LF-separated, no final newline). */
static void test_micromdm_body(void)
{
    const char *body = "Renewal\nSHA-1\nSHA-256\nAES\nDES3\nSCEPStandard\nPOSTPKIOperation";
    static const scep_capability want[] = {
        SCEP_CAP_RENEWAL, SCEP_CAP_SHA1,          SCEP_CAP_SHA256,
        SCEP_CAP_AES,     SCEP_CAP_DES3,          SCEP_CAP_SCEP_STANDARD,
        SCEP_CAP_POST_PKI_OPERATION,
    };
    scep_caps caps;
    CHECK_INT(decode(body, &caps), SCEP_DECODE_OK);
    CHECK_INT(caps.count, 7);
    for (size_t i = 0; i < 7 && i < caps.count; i++)
        CHECK_INT(caps.items[i].id, want[i]);
    CHECK_SPAN_STR(caps.items[6].text, "POSTPKIOperation");
    CHECK_INT(caps.items[6].text.offset, 44);
    CHECK_INT(caps.items[6].text.source, SCEP_SRC_INPUT);
    CHECK_INT(caps.errors.count, 0);
}

static void test_line_forms(void)
{
    scep_caps caps;
    /* CRLF, a blank line, blanks around names, lowercase, final CRLF. */
    const char *body = "GetNextCACert\r\n\r\n  sha-512 \r\npostpkioperation\t\r\nUPDATE\r\n";
    CHECK_INT(decode(body, &caps), SCEP_DECODE_OK);
    CHECK_INT(caps.count, 4);
    CHECK_INT(caps.items[0].id, SCEP_CAP_GET_NEXT_CA_CERT);
    CHECK_INT(caps.items[1].id, SCEP_CAP_SHA512);
    CHECK_SPAN_STR(caps.items[1].text, "sha-512"); /* as sent, blanks trimmed */
    CHECK_INT(caps.items[1].text.offset, 19);
    CHECK_INT(caps.items[2].id, SCEP_CAP_POST_PKI_OPERATION);
    CHECK_SPAN_STR(caps.items[2].text, "postpkioperation");
    CHECK_INT(caps.items[3].id, SCEP_CAP_UPDATE);

    /* Mixed LF and CRLF; a lone CR ends a line too. */
    body = "AES\nDES3\r\nRenewal\rSHA-1";
    CHECK_INT(decode(body, &caps), SCEP_DECODE_OK);
    CHECK_INT(caps.count, 4);
    CHECK_INT(caps.items[2].id, SCEP_CAP_RENEWAL);
    CHECK_INT(caps.items[3].id, SCEP_CAP_SHA1);
    CHECK_SPAN_STR(caps.items[3].text, "SHA-1");

    /* The dashless hash spellings some servers send. */
    body = "SHA1\nsha256\nSha512\n";
    CHECK_INT(decode(body, &caps), SCEP_DECODE_OK);
    CHECK_INT(caps.count, 3);
    CHECK_INT(caps.items[0].id, SCEP_CAP_SHA1);
    CHECK_INT(caps.items[1].id, SCEP_CAP_SHA256);
    CHECK_INT(caps.items[2].id, SCEP_CAP_SHA512);
    CHECK_SPAN_STR(caps.items[1].text, "sha256");
}

static void test_unknown(void)
{
    scep_caps caps;
    const char *body = "AES\nSHA-384\nX-Vendor Thing\nAES128\nSHA-2\n";
    CHECK_INT(decode(body, &caps), SCEP_DECODE_OK);
    CHECK_INT(caps.count, 5);
    CHECK_INT(caps.items[0].id, SCEP_CAP_AES);
    CHECK_INT(caps.items[1].id, SCEP_CAP_UNKNOWN);
    CHECK_SPAN_STR(caps.items[1].text, "SHA-384");
    CHECK_INT(caps.items[2].id, SCEP_CAP_UNKNOWN);
    CHECK_SPAN_STR(caps.items[2].text, "X-Vendor Thing"); /* inner blanks are kept */
    CHECK_INT(caps.items[3].id, SCEP_CAP_UNKNOWN);        /* a prefix is not a match */
    CHECK_INT(caps.items[4].id, SCEP_CAP_UNKNOWN);
}

static void test_empty_and_bad(void)
{
    scep_caps caps;
    CHECK_INT(decode("", &caps), SCEP_DECODE_NONE);
    CHECK_INT(caps.count, 0);
    CHECK_INT(decode("\r\n\n  \r\n\t\n", &caps), SCEP_DECODE_NONE);
    CHECK_INT(caps.count, 0);
    CHECK_INT(caps.errors.count, 0);
    CHECK_INT(scep_decode_caps(NULL, 0, &caps), SCEP_DECODE_NONE);

    /* A line with a control byte or a non-ASCII byte is no keyword: skipped, reported where
     * the byte is; the other lines still count. */
    const char body[] = "AES\nDE\x01S3\nRenewal\n\xc3\xa9t\xc3\xa9\n";
    CHECK_INT(scep_decode_caps(body, sizeof body - 1, &caps), SCEP_DECODE_PARTIAL);
    CHECK_INT(caps.count, 2);
    CHECK_INT(caps.items[0].id, SCEP_CAP_AES);
    CHECK_INT(caps.items[1].id, SCEP_CAP_RENEWAL);
    CHECK_INT(caps.errors.count, 2);
    CHECK_INT(caps.errors.items[0].code, SCEP_ERR_BAD_VALUE);
    CHECK_INT(caps.errors.items[0].offset, 6);
    CHECK_INT(caps.errors.items[1].offset, 18);

    /* An embedded NUL is counted by |len|, not a terminator. */
    const char nul[] = "AES\nSHA-256\0\nDES3";
    CHECK_INT(scep_decode_caps(nul, sizeof nul - 1, &caps), SCEP_DECODE_PARTIAL);
    CHECK_INT(caps.count, 2);
    CHECK_INT(caps.items[1].id, SCEP_CAP_DES3);
    CHECK_INT(caps.errors.items[0].offset, 11);

    /* Only |len| bytes are read. */
    CHECK_INT(scep_decode_caps("AESX", 3, &caps), SCEP_DECODE_OK);
    CHECK_INT(caps.count, 1);
    CHECK_INT(caps.items[0].id, SCEP_CAP_AES);
}

static void test_capacity(void)
{
    char body[2048];
    size_t n = 0;
    for (int i = 0; i < SCEP_MAX_CAPABILITIES + 3; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\n", i == 0 ? "AES" : "SHA-256");
    scep_caps caps;
    CHECK_INT(scep_decode_caps(body, n, &caps), SCEP_DECODE_PARTIAL);
    CHECK_INT(caps.count, SCEP_MAX_CAPABILITIES);
    CHECK_INT(caps.items[0].id, SCEP_CAP_AES);
    CHECK_INT(caps.items[SCEP_MAX_CAPABILITIES - 1].id, SCEP_CAP_SHA256);
    CHECK_INT(caps.errors.count, 1);
    CHECK_INT(caps.errors.items[0].code, SCEP_ERR_CAPACITY);
    /* "AES\n" then 31 "SHA-256\n" lines: the 33rd line starts at 4 + 31 * 8. */
    CHECK_INT(caps.errors.items[0].offset, 4 + 31 * 8);

    /* Exactly the capacity is fine. */
    CHECK_INT(scep_decode_caps(body, 4 + 31 * 8, &caps), SCEP_DECODE_OK);
    CHECK_INT(caps.count, SCEP_MAX_CAPABILITIES);
}

int main(void)
{
    test_names();
    test_micromdm_body();
    test_line_forms();
    test_unknown();
    test_empty_and_bad();
    test_capacity();
    return check_report("test_caps");
}
