/* test_dn.c — RFC 4514 rendering of distinguished names. Expected strings come from
 * `openssl x509 -inform DER -in F -noout -subject -nameopt RFC2253,-esc_msb` on the
 * certificates in vectors/certs/ and on copies of ca-rsa2048.der whose subject was replaced by
 * the hand-made Names below (the signature then no longer verifies, which `x509 -subject`
 * does not check). Where OpenSSL cannot load a Name (strings it refuses to decode, non-string
 * values), the expectation follows RFC 4514 and the encoding is explained beside it. */
#include "check.h"
#include "scepdec.h"

#include <stdint.h>

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

static char text[1024];

static const char *format_hex(const char *hex)
{
    uint8_t der[256];
    size_t n = unhex(hex, der, sizeof der);
    size_t len = scep_name_format(der, n, text, sizeof text);
    if (len != strlen(text)) {
        fprintf(stderr, "length %zu does not match the text \"%s\"\n", len, text);
        check_failures++;
    }
    return text;
}

/* subject_of formats the Name at |offset| (from `openssl asn1parse -i`) of a vector. */
static const char *subject_of(const char *path, size_t offset, size_t name_len)
{
    size_t len;
    unsigned char *der = read_file(path, &len);
    text[0] = '\0';
    if (offset + name_len <= len &&
        scep_name_format(der + offset, name_len, text, sizeof text) != strlen(text)) {
        fprintf(stderr, "%s: the length returned does not match the text\n", path);
        check_failures++;
    }
    free(der);
    return text;
}

static void test_certificate_names(void)
{
    /* Subject offsets and lengths from `openssl asn1parse -inform DER -in F -i` (the fourth
     * d=2 SEQUENCE: header + length). */
    CHECK_STR(subject_of("vectors/certs/ca-rsa2048.der", 129, 2 + 63),
              "CN=scepdec Test CA,O=scepdec tests,C=US");
    CHECK_STR(subject_of("vectors/certs/micromdm-ca.der", 110, 2 + 45), "OU=CA,O=etcd-ca,C=USA");
    CHECK_STR(subject_of("vectors/certs/names-bmp.der", 135, 2 + 75),
              "CN=Ärger Σ,O=Müller ✓ GmbH,C=DE");
    CHECK_STR(subject_of("vectors/certs/names-t61.der", 113, 2 + 53),
              "CN=Ärger ©,O=Müller GmbH,C=DE");
    /* OpenSSL prints "...gt\\back=eq+UID=zoe...": it leaves '=' alone, which RFC 4514 allows;
     * we escape it (also allowed: "other characters may be escaped"), so that naive parsers
     * splitting on '=' do not stumble. Everything else is OpenSSL's text. The multi-valued
     * RDN is encoded UID first (DER sorts the SET); OpenSSL prints its values reversed. */
    CHECK_STR(subject_of("vectors/certs/names-utf8.der", 252, 3 + 184),
              "emailAddress=zoe@example.com,CN=\\ spaced out\\ ,"
              "OU=\\#hash\\;semi\\<lt\\>gt\\\\back\\=eq+UID=zoe,"
              "O=Zoë & Søn\\, \\\"Ltd\\\",DC=example,DC=com");
}

static void test_crafted_names(void)
{
    /* Each Name is one RDN unless said otherwise; built by a short Python script as
     * SEQUENCE { SET { SEQUENCE { OID, value } } }. */

    /* CN UniversalString "A" U+1F600 "z" (UCS-4: 00000041 0001f600 0000007a) */
    CHECK_STR(format_hex("30173115301306035504031c0c000000410001f6000000007a"), "CN=A😀z");
    /* CN UTF8String "a\nb\x7f": control characters as \XX */
    CHECK_STR(format_hex("300f310d300b06035504030c04610a627f"), "CN=a\\0Ab\\7F");
    /* CN UTF8String " ": a lone space is both leading and trailing */
    CHECK_STR(format_hex("300c310a300806035504030c0120"), "CN=\\ ");
    /* 1.2.3.4 UTF8String "abc": a dotted type's value is #hex of its BER (RFC 4514 2.4) */
    CHECK_STR(format_hex("300e310c300a06032a03040c03616263"), "1.2.3.4=#0C03616263");
    /* CN T61String 41 e9 0d: Latin-1 to UTF-8, CR escaped */
    CHECK_STR(format_hex("300e310c300a0603550403140341e90d"), "CN=Aé\\0D");
    /* CN PrintableString "a#b  c": '#' only escaped in front, inner spaces not at all */
    CHECK_STR(format_hex("3011310f300d06035504031306612362202063"), "CN=a#b  c");
    /* RDN 1 = {CN=x, OU=y, 1.2.3.4=z}, RDN 2 = {CN=w} */
    CHECK_STR(format_hex("302c311e300806035504030c01783008060355040b0c0179300806032a03040c017a"
                         "310a300806035504030c0177"),
              "CN=w,1.2.3.4=#0C017A+OU=y+CN=x");

    /* OpenSSL refuses to load these; expectations per RFC 4514 and the string's encoding: */
    /* OU BMPString "A" U+1F600 "z" as UTF-16BE with a surrogate pair: 0041 d83d de00 007a
     * (Python: 'A\U0001F600z'.encode('utf-16-be')) */
    CHECK_STR(format_hex("30133111300f060355040b1e080041d83dde00007a"), "OU=A😀z");
    /* 1.2.3.4 OCTET STRING 01 02 ff: not a string, #hex of the whole TLV */
    CHECK_STR(format_hex("300e310c300a06032a030404030102ff"), "1.2.3.4=#04030102FF");
    /* CN INTEGER 5: known type, non-string value */
    CHECK_STR(format_hex("300c310a30080603550403020105"), "CN=#020105");
    /* CN BMPString of odd length 00 41 0a: not UTF-16, shown as hex */
    CHECK_STR(format_hex("300e310c300a06035504031e0300410a"), "CN=#1E0300410A");
    /* CN BMPString with a lone high surrogate d83d then 0041 */
    CHECK_STR(format_hex("300f310d300b06035504031e04d83d0041"), "CN=#1E04D83D0041");
    /* CN UTF8String 61 ff 62: invalid UTF-8 */
    CHECK_STR(format_hex("300e310c300a06035504030c0361ff62"), "CN=#0C0361FF62");
    /* CN PrintableString with a byte >= 0x80: not a PrintableString character */
    CHECK_STR(format_hex("300d310b3009060355040313026180"), "CN=#13026180");

    /* BER: indefinite lengths at every level, CN UTF8String "A" */
    CHECK_STR(format_hex("30803180308006035504030c0141000000000000"), "CN=A");
    /* An empty Name renders as "" */
    CHECK_STR(format_hex("3000"), "");
}

static void test_not_a_name(void)
{
    char out[32];
    uint8_t der[64];
    const char *bad[] = {
        "0403010203",                         /* an OCTET STRING */
        "30023100",                           /* an empty RDN */
        "3005040301 0203",                    /* a SEQUENCE holding no SET (hex cut by space) */
        "300531030403 01",                    /* a SET holding no SEQUENCE */
        "3009310730050603550403",             /* an AttributeTypeAndValue without value */
        "300e310c300a0403550403 0c03616263",  /* a type that is not an OID */
        "300e310c300a0603550403 0c0141 0500", /* a value followed by something more */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* unhex stops at the first space: rebuild without spaces */
        char compact[128];
        size_t k = 0;
        for (const char *p = bad[i]; *p && k + 1 < sizeof compact; p++)
            if (*p != ' ')
                compact[k++] = *p;
        compact[k] = '\0';
        size_t n = unhex(compact, der, sizeof der);
        memset(out, 'x', sizeof out);
        size_t len = scep_name_format(der, n, out, sizeof out);
        if (len != SCEP_FORMAT_INVALID || out[0] != '\0')
            fprintf(stderr, "case %zu (%s) rendered \"%s\"\n", i, bad[i], out);
        CHECK(len == SCEP_FORMAT_INVALID);
        CHECK_STR(out, "");
    }
    CHECK(scep_name_format(NULL, 0, out, sizeof out) == SCEP_FORMAT_INVALID);
    CHECK(scep_name_format(der, 0, out, sizeof out) == SCEP_FORMAT_INVALID);
    /* The empty Name (RDNSequence of none, RFC 4514 section 2.1: "") is a Name. */
    static const uint8_t empty[] = {0x30, 0x00};
    memset(out, 'x', sizeof out);
    CHECK_INT(scep_name_format(empty, sizeof empty, out, sizeof out), 0);
    CHECK_STR(out, "");
    CHECK_INT(scep_name_format(empty, sizeof empty, NULL, 0), 0);
}

static void test_cut_names(void)
{
    /* A Name cut inside its second RDN (a truncated certificate): the whole first RDN shows.
     * ca-rsa2048's subject: C=US, then O=..., cut 5 bytes into the O RDN. */
    size_t len;
    unsigned char *der = read_file("vectors/certs/ca-rsa2048.der", &len);
    char out[128];
    CHECK_INT(scep_name_format(der + 129, 2 + 11 + 5, out, sizeof out), 4);
    CHECK_STR(out, "C=US");
    CHECK_INT(scep_name_format(der + 129, 2 + 63 - 1, out, sizeof out),
              strlen("O=scepdec tests,C=US"));
    CHECK_STR(out, "O=scepdec tests,C=US");
    free(der);
}

/* scepdec.h's text rule: every capacity returns the length of the whole text (the strings
 * above, from OpenSSL); a cut text ends in "..." and never splits a character or an escape. */
static void test_bounded_output(void)
{
    size_t len;
    unsigned char *der = read_file("vectors/certs/ca-rsa2048.der", &len);
    const uint8_t *name = der + 129;
    size_t name_len = 2 + 63;
    const char *full = "CN=scepdec Test CA,O=scepdec tests,C=US"; /* 39 characters */
    char out[64];

    CHECK_INT(scep_name_format(name, name_len, out, 40), strlen(full)); /* exactly enough */
    CHECK_STR(out, full);
    CHECK_INT(scep_name_format(name, name_len, out, 39), strlen(full)); /* one short: cut */
    CHECK_STR(out, "CN=scepdec Test CA,O=scepdec tests,...");
    CHECK_INT(scep_name_format(name, name_len, out, 20), strlen(full));
    CHECK_STR(out, "CN=scepdec Test ...");
    CHECK_INT(scep_name_format(name, name_len, out, 4), strlen(full));
    CHECK_STR(out, "...");
    CHECK_INT(scep_name_format(name, name_len, out, 2), strlen(full));
    CHECK_STR(out, ".");
    CHECK_INT(scep_name_format(name, name_len, out, 1), strlen(full));
    CHECK_STR(out, "");
    CHECK_INT(scep_name_format(name, name_len, NULL, 0), strlen(full)); /* measure only */
    free(der);

    /* Never split a UTF-8 character or an escape: "CN=Ärger Σ,..." with 8 bytes of room
     * could hold "CN=" and the first byte of "Ä" before the "...". */
    const char *bmp = "CN=Ärger Σ,O=Müller ✓ GmbH,C=DE";
    der = read_file("vectors/certs/names-bmp.der", &len);
    CHECK_INT(scep_name_format(der + 135, 2 + 75, out, 8), strlen(bmp));
    CHECK_STR(out, "CN=...");
    CHECK_INT(scep_name_format(der + 135, 2 + 75, out, 9), strlen(bmp));
    CHECK_STR(out, "CN=Ä...");
    free(der);
    /* "CN=\ spaced..." : the escape "\ " is one unit */
    const char *utf8 = "emailAddress=zoe@example.com,CN=\\ spaced out\\ ,"
                       "OU=\\#hash\\;semi\\<lt\\>gt\\\\back\\=eq+UID=zoe,"
                       "O=Zoë & Søn\\, \\\"Ltd\\\",DC=example,DC=com";
    der = read_file("vectors/certs/names-utf8.der", &len);
    CHECK_INT(scep_name_format(der + 252, 3 + 184, out, 35), strlen(utf8));
    CHECK_STR(out, "emailAddress=zoe@example.com,CN...");
    CHECK_INT(scep_name_format(der + 252, 3 + 184, out, 37), strlen(utf8));
    CHECK_STR(out, "emailAddress=zoe@example.com,CN=...");
    CHECK_INT(scep_name_format(der + 252, 3 + 184, out, 38), strlen(utf8));
    CHECK_STR(out, "emailAddress=zoe@example.com,CN=\\ ...");
    free(der);
}

int main(void)
{
    test_certificate_names();
    test_crafted_names();
    test_not_a_name();
    test_cut_names();
    test_bounded_output();
    return check_report("test_dn");
}
