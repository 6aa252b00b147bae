/* test_query.c — scep_decode_query on every request-target form seen in the field (full URL, origin form, bare query,
 * any parameter order, cut). The
 * pkiMessage forms all carry micromdm's real PKCSReq: it is base64-encoded here (by an encoder
 * checked against coreutils' `base64 -w0`), rewritten into each form a client or a log
 * produces, and must decode back to the file's exact bytes. */
#include "b64_encode.h"
#include "check.h"
#include "scepdec.h"

#include <stdint.h>

static uint8_t *der;
static size_t der_len;
static char *b64;        /* standard alphabet, padded */
static size_t b64_len;


/* The forms a client or a log gives the base64 text. */
typedef enum {
    FORM_RAW,            /* iOS: '+' and '/' unescaped */
    FORM_ESCAPED,        /* %2B %2F %3D */
    FORM_ESCAPED_LOWER,  /* %2b %2f %3d */
    FORM_SPACE_FOR_PLUS, /* a form decoder turned '+' into ' ' */
    FORM_URL_SAFE,       /* '-' '_' without padding: micromdm's client */
    FORM_NO_PADDING,     /* standard alphabet, '=' dropped */
    FORM_ESCAPED_LF64,   /* escaped, %0A every 64 characters (older NDES clients) */
    FORM_RAW_CRLF64,     /* raw, \r\n every 64 characters */
} b64_form;

/* build_target writes |prefix|, the base64 text in |form|, and |suffix| into a new string. */
static char *build_target(const char *prefix, b64_form form, const char *suffix)
{
    char *t = malloc(strlen(prefix) + b64_len * 3 + b64_len / 64 * 6 + strlen(suffix) + 1);
    size_t n = strlen(prefix);
    memcpy(t, prefix, n);
    for (size_t i = 0; i < b64_len; i++) {
        char ch = b64[i];
        if (i > 0 && i % 64 == 0 && form == FORM_ESCAPED_LF64)
            n += (size_t)sprintf(t + n, "%%0A");
        if (i > 0 && i % 64 == 0 && form == FORM_RAW_CRLF64)
            n += (size_t)sprintf(t + n, "\r\n");
        bool escape = form == FORM_ESCAPED || form == FORM_ESCAPED_LOWER || form == FORM_ESCAPED_LF64;
        if (escape && (ch == '+' || ch == '/' || ch == '=')) {
            const char *upper = ch == '+' ? "%2B" : ch == '/' ? "%2F" : "%3D";
            const char *lower = ch == '+' ? "%2b" : ch == '/' ? "%2f" : "%3d";
            n += (size_t)sprintf(t + n, "%s", form == FORM_ESCAPED_LOWER ? lower : upper);
        } else if (form == FORM_SPACE_FOR_PLUS && ch == '+') {
            t[n++] = ' ';
        } else if (form == FORM_URL_SAFE && (ch == '+' || ch == '/')) {
            t[n++] = ch == '+' ? '-' : '_';
        } else if ((form == FORM_URL_SAFE || form == FORM_NO_PADDING) && ch == '=') {
            continue;
        } else {
            t[n++] = ch;
        }
    }
    strcpy(t + n, suffix);
    return t;
}

static void check_encoder(void)
{
    /* base64 -w0 vectors/micromdm/PKCSReq.der | head -c 80 ; ... | tail -c 40 ; ... | wc -c */
    CHECK_INT(b64_len, 3284);
    CHECK(memcmp(b64, "MIIJmQYJKoZIhvcNAQcCoIIJijCCCYYCAQExCzAJBgUrDgMCGgUAMIIEWAYJKoZIhvcNAQcBoIIESQSC",
                 80) == 0);
    CHECK(memcmp(b64 + b64_len - 40, "1WZwS2VrE0i25GrM+77RN1QTtn4rayXHtryLNA==", 40) == 0);
    /* The forms below only mean something if the text has every character they rewrite. */
    CHECK(strchr(b64, '+') != NULL && strchr(b64, '/') != NULL && strchr(b64, '=') != NULL);
}

static void test_pkcsreq_forms(void)
{
    static const struct {
        b64_form form;
        unsigned forms;
    } cases[] = {
        {FORM_RAW, SCEP_B64_RAW_PLUS_SLASH},
        {FORM_ESCAPED, SCEP_B64_PERCENT_ESCAPED},
        {FORM_ESCAPED_LOWER, SCEP_B64_PERCENT_ESCAPED},
        {FORM_SPACE_FOR_PLUS, SCEP_B64_SPACE_AS_PLUS | SCEP_B64_RAW_PLUS_SLASH},
        {FORM_URL_SAFE, SCEP_B64_URL_SAFE | SCEP_B64_NO_PADDING},
        {FORM_NO_PADDING, SCEP_B64_RAW_PLUS_SLASH | SCEP_B64_NO_PADDING},
        {FORM_ESCAPED_LF64, SCEP_B64_PERCENT_ESCAPED | SCEP_B64_LINE_BREAKS},
        {FORM_RAW_CRLF64, SCEP_B64_RAW_PLUS_SLASH | SCEP_B64_LINE_BREAKS},
    };
    static const char *const prefixes[] = {
        "operation=PKIOperation&message=",
        "/scep?operation=PKIOperation&message=",
        "/cgi-bin/pkiclient.exe?operation=PKIOperation&message=",
        "http://ndes.example.com/certsrv/mscep/mscep.dll/pkiclient.exe?operation=PKIOperation&message=",
    };
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char *target = build_target(prefixes[p], cases[i].form, "");
            size_t target_len = strlen(target);
            uint8_t *buf = malloc(target_len);
            scep_query q;
            scep_status st = scep_decode_query(target, target_len, buf, target_len, &q);
            if (st != SCEP_DECODE_OK || q.message_forms != cases[i].forms)
                fprintf(stderr, "prefix %zu, form %zu\n", p, i);
            CHECK_INT(st, SCEP_DECODE_OK);
            CHECK_INT(q.operation, SCEP_OP_PKI_OPERATION);
            CHECK_SPAN_STR(q.operation_text, "PKIOperation");
            CHECK_INT(q.message_len, der_len);
            CHECK(q.message_len == der_len && memcmp(buf, der, der_len) == 0);
            CHECK_INT(q.message_forms, cases[i].forms);
            CHECK(!q.truncated);
            CHECK_INT(q.errors.count, 0);
            size_t msg_off = strlen(prefixes[p]);
            CHECK_INT(q.message_text.offset, msg_off);
            CHECK_INT(q.message_text.length, target_len - msg_off);
            CHECK(q.message_text.data == (const uint8_t *)target + msg_off);
            CHECK_INT(q.message_text.source, SCEP_SRC_INPUT);
            free(target);
            free(buf);
        }
    }
}

/* A device log cuts the URL anywhere; whatever is complete must decode to the file's first
 * bytes, and the result must say it is cut. */
static void test_pkcsreq_truncated(void)
{
    const char *prefix = "https://mdm.example.com/certsrv/mscep/mscep.dll?operation=PKIOperation&message=";
    char *full = build_target(prefix, FORM_RAW, "");
    size_t prefix_len = strlen(prefix);
    uint8_t *buf = malloc(strlen(full));
    /* Cut after 1000 base64 characters and each of the three next: every quantum position. */
    for (size_t chars = 1000; chars < 1004; chars++) {
        size_t whole = chars / 4 * 3 + (chars % 4 >= 2 ? chars % 4 - 1 : 0);
        scep_query q;
        CHECK_INT(scep_decode_query(full, prefix_len + chars, buf, strlen(full), &q),
                  SCEP_DECODE_PARTIAL);
        CHECK_INT(q.operation, SCEP_OP_PKI_OPERATION);
        CHECK_INT(q.message_len, whole);
        CHECK(memcmp(buf, der, whole) == 0);
        CHECK(q.truncated);
        CHECK_INT(q.message_forms & SCEP_B64_TRUNCATED, chars % 4 == 1 ? SCEP_B64_TRUNCATED : 0);
        CHECK_INT(q.errors.count, 1);
        CHECK_INT(q.errors.items[0].code, SCEP_ERR_TRUNCATED);
        CHECK_INT(q.errors.items[0].offset, prefix_len + chars);
    }
    free(full);

    /* The iOS log line: escaped, cut inside "%2B". Find an escape and cut after its '%2'. */
    full = build_target(prefix, FORM_ESCAPED, "");
    const char *esc = strstr(full + prefix_len + 500, "%2");
    size_t cut = (size_t)(esc - full) + 2;
    size_t chars_before = 0; /* base64 characters before the cut escape */
    for (size_t i = prefix_len; i < (size_t)(esc - full); i++)
        if (full[i] != '%')
            chars_before++;
        else
            chars_before++, i += 2;
    size_t whole = chars_before / 4 * 3 + (chars_before % 4 >= 2 ? chars_before % 4 - 1 : 0);
    scep_query q;
    CHECK_INT(scep_decode_query(full, cut, buf, strlen(full), &q), SCEP_DECODE_PARTIAL);
    CHECK(q.truncated);
    CHECK_INT(q.message_len, whole);
    CHECK(memcmp(buf, der, whole) == 0);
    CHECK(q.message_forms & SCEP_B64_TRUNCATED);
    CHECK(q.message_forms & SCEP_B64_PERCENT_ESCAPED);
    free(full);
    free(buf);
}

/* The iOS encoding (indefinite lengths, "MIAG…"): cut on a quantum boundary the base64 is
 * clean, and only the indefinite outer element, whose end-of-contents never comes, shows the
 * cut. The whole message, though, is complete. */
static void test_ios_ber(void)
{
    size_t ber_len;
    uint8_t *ber = read_file("vectors/crafted/PKCSReq-ios-ber.der", &ber_len);
    const char *prefix = "/certsrv/mscep/mscep.dll/pkiclient.exe?operation=PKIOperation&message=";
    size_t prefix_len = strlen(prefix);
    char *url = malloc(prefix_len + ber_len * 2 + 8);
    memcpy(url, prefix, prefix_len);
    size_t text_len = encode_b64(ber, ber_len, url + prefix_len);
    /* base64 -w0 vectors/crafted/PKCSReq-ios-ber.der | wc -c ; ... | head -c 40 */
    CHECK_INT(text_len, 3300);
    CHECK(memcmp(url + prefix_len, "MIAGCSqGSIb3DQEHAqCAMIACAQExgDCABgUrDgMC", 40) == 0);
    uint8_t *buf = malloc(text_len);
    scep_query q;
    CHECK_INT(scep_decode_query(url, prefix_len + text_len, buf, text_len, &q), SCEP_DECODE_OK);
    CHECK_INT(q.message_len, ber_len);
    CHECK(q.message_len == ber_len && memcmp(buf, ber, ber_len) == 0);
    CHECK(!q.truncated);

    CHECK_INT(scep_decode_query(url, prefix_len + 1000, buf, text_len, &q), SCEP_DECODE_PARTIAL);
    CHECK_INT(q.message_len, 750);
    CHECK(memcmp(buf, ber, 750) == 0);
    CHECK_INT(q.message_forms & SCEP_B64_TRUNCATED, 0);
    CHECK(q.truncated);
    CHECK_INT(q.errors.count, 1);
    CHECK_INT(q.errors.items[0].code, SCEP_ERR_TRUNCATED);

    /* Every cut on a quantum boundary, wherever it falls in the nested indefinite elements
     * (inside a header, a chunk, between end-of-contents octets), is flagged at the message
     * text's end: the outer end-of-contents is the message's last two octets. */
    size_t missed = 0;
    for (size_t chars = 4; chars < text_len; chars += 4) {
        scep_status st = scep_decode_query(url, prefix_len + chars, buf, text_len, &q);
        if (st != SCEP_DECODE_PARTIAL || !q.truncated || q.errors.count != 1 ||
            q.errors.items[0].code != SCEP_ERR_TRUNCATED ||
            q.errors.items[0].offset != prefix_len + chars || q.message_len != chars / 4 * 3) {
            fprintf(stderr, "iOS message cut after %zu characters\n", chars);
            missed++;
        }
    }
    CHECK_INT(missed, 0);
    free(ber);
    free(url);
    free(buf);
}

static void test_small_buffer(void)
{
    char *target = build_target("operation=PKIOperation&message=", FORM_RAW, "");
    uint8_t buf[100];
    scep_query q;
    CHECK_INT(scep_decode_query(target, strlen(target), buf, sizeof buf, &q), SCEP_DECODE_PARTIAL);
    CHECK(q.truncated);
    CHECK_INT(q.message_len, sizeof buf);
    CHECK(memcmp(buf, der, sizeof buf) == 0);
    CHECK_INT(q.errors.count, 1);
    CHECK_INT(q.errors.items[0].code, SCEP_ERR_CAPACITY);

    /* No buffer at all: the spans are still there. */
    CHECK_INT(scep_decode_query(target, strlen(target), NULL, 0, &q), SCEP_DECODE_PARTIAL);
    CHECK_INT(q.operation, SCEP_OP_PKI_OPERATION);
    CHECK_INT(q.message_len, 0);
    CHECK_INT(q.message_text.length, b64_len);
    free(target);
}

static void test_operations(void)
{
    static const struct {
        const char *target;
        scep_operation op;
        const char *operation_text;
    } cases[] = {
        {"operation=GetCACert", SCEP_OP_GET_CA_CERT, "GetCACert"},
        {"operation=GetCACaps", SCEP_OP_GET_CA_CAPS, "GetCACaps"},
        {"operation=GetNextCACert", SCEP_OP_GET_NEXT_CA_CERT, "GetNextCACert"},
        {"operation=PKIOperation", SCEP_OP_PKI_OPERATION, "PKIOperation"},
        {"/certsrv/mscep/mscep.dll?operation=NDESGenerateChallenge",
         SCEP_OP_NDES_GENERATE_CHALLENGE, "NDESGenerateChallenge"},
        {"/certsrv/mscep/mscep.dll?operation=NDESGetCACertThumbprint",
         SCEP_OP_NDES_GET_CA_CERT_THUMBPRINT, "NDESGetCACertThumbprint"},
        /* Case: of the name and of the value. The text stays as sent. */
        {"OPERATION=getcacaps", SCEP_OP_GET_CA_CAPS, "getcacaps"},
        {"Operation=PKIOPERATION", SCEP_OP_PKI_OPERATION, "PKIOPERATION"},
        {"/scep?opERation=getnextcacert&message=x", SCEP_OP_GET_NEXT_CA_CERT, "getnextcacert"},
        /* Escapes in the name and the value. */
        {"%6Fperation=GetCA%43aps", SCEP_OP_GET_CA_CAPS, "GetCA%43aps"},
        /* Unknown operations are kept. */
        {"operation=GetCRL", SCEP_OP_UNKNOWN, "GetCRL"},
        {"operation=", SCEP_OP_UNKNOWN, ""},
        {"operation=GetCACertX", SCEP_OP_UNKNOWN, "GetCACertX"},
        {"operation=GetCACaps%00", SCEP_OP_UNKNOWN, "GetCACaps%00"},
        {"operation=AVeryLongOperationNameThatFitsNoBufferOfThirtyTwoBytes", SCEP_OP_UNKNOWN,
         "AVeryLongOperationNameThatFitsNoBufferOfThirtyTwoBytes"},
        /* Other parameters around it; the first operation counts. */
        {"foo=bar&operation=GetCACert&x", SCEP_OP_GET_CA_CERT, "GetCACert"},
        {"operation=GetCACaps&operation=GetCACert", SCEP_OP_GET_CA_CAPS, "GetCACaps"},
        {"operations=GetCACert&operation=GetCACaps", SCEP_OP_GET_CA_CAPS, "GetCACaps"},
        /* A fragment is not part of the query. */
        {"/scep?operation=GetCACaps#top", SCEP_OP_GET_CA_CAPS, "GetCACaps"},
        {"/scep?operation=GetCACaps&message=x#", SCEP_OP_GET_CA_CAPS, "GetCACaps"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scep_query q;
        uint8_t buf[64];
        scep_status st = scep_decode_query(cases[i].target, strlen(cases[i].target), buf,
                                           sizeof buf, &q);
        if (q.operation != cases[i].op)
            fprintf(stderr, "case %zu: %s\n", i, cases[i].target);
        CHECK_INT(st, SCEP_DECODE_OK);
        CHECK_INT(q.operation, cases[i].op);
        CHECK_SPAN_STR(q.operation_text, cases[i].operation_text);
        CHECK_INT(q.operation_text.source, SCEP_SRC_INPUT);
    }

    CHECK_STR(scep_operation_name(SCEP_OP_GET_CA_CERT), "GetCACert");
    CHECK_STR(scep_operation_name(SCEP_OP_GET_CA_CAPS), "GetCACaps");
    CHECK_STR(scep_operation_name(SCEP_OP_GET_NEXT_CA_CERT), "GetNextCACert");
    CHECK_STR(scep_operation_name(SCEP_OP_PKI_OPERATION), "PKIOperation");
    CHECK_STR(scep_operation_name(SCEP_OP_NDES_GENERATE_CHALLENGE), "NDESGenerateChallenge");
    CHECK_STR(scep_operation_name(SCEP_OP_NDES_GET_CA_CERT_THUMBPRINT), "NDESGetCACertThumbprint");
    CHECK(scep_operation_name(SCEP_OP_NONE) == NULL);
    CHECK(scep_operation_name(SCEP_OP_UNKNOWN) == NULL);
    CHECK(scep_operation_name((scep_operation)99) == NULL);
}

static void test_ca_identifier(void)
{
    static const struct {
        const char *target, *message;
    } cases[] = {
        {"/cgi-bin/pkiclient.exe?operation=GetCACert&message=MyCA", "MyCA"},
        {"operation=GetCACert&message=Example%20Issuing+CA%2C%20Inc.", "Example Issuing CA, Inc."},
        {"operation=GetCACert&MESSAGE=ca-ident", "ca-ident"},
        {"message=ca%2Did&operation=GetCACert", "ca-id"},
        {"operation=GetCACert&message=", ""},
        {"operation=GetCACert&message=100%", "100%"},     /* a '%' that escapes nothing stays */
        {"operation=GetCACert&message=a%zzb", "a%zzb"},
        {"operation=GetCACaps&message=CAIdentifier", "CAIdentifier"},
        {"operation=FancyOp&message=a+b", "a b"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scep_query q;
        uint8_t buf[64];
        memset(buf, 0, sizeof buf);
        scep_status st = scep_decode_query(cases[i].target, strlen(cases[i].target), buf,
                                           sizeof buf, &q);
        CHECK_INT(st, SCEP_DECODE_OK);
        CHECK(scep_span_present(q.message_text));
        CHECK_INT(q.message_len, strlen(cases[i].message));
        CHECK_STR((const char *)buf, cases[i].message);
        CHECK_INT(q.message_forms, 0);
    }

    /* A CA identifier longer than the buffer is cut and says so. */
    scep_query q;
    uint8_t buf[4];
    const char *t = "operation=GetCACert&message=ABCDEFG";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_PARTIAL);
    CHECK_INT(q.message_len, 4);
    CHECK(memcmp(buf, "ABCD", 4) == 0);
    CHECK(q.truncated);
    CHECK_INT(q.errors.items[0].code, SCEP_ERR_CAPACITY);
}

/* How parameters split and what their names are. Expected values follow scepdec.h's contract
 * (names case-insensitive and percent-decoded before matching, split on '&' only, the first of
 * each name counts, the query ends at '#') and the form-urlencoded rule that a name ends at its
 * first '=' and a parameter without one has an empty value (WHATWG URL, 5.1). */
static void test_parameter_edges(void)
{
    static const struct {
        const char *target;
        scep_status status;
        scep_operation op;
        const char *operation_text; /* NULL: absent */
        const char *message;        /* the decoded CA identifier; NULL: absent */
    } cases[] = {
        /* Names: any case, escaped anywhere (hex in either case), decoded before matching. */
        {"OpErAtIoN=GetCACaps&mEsSaGe=ca", SCEP_DECODE_OK, SCEP_OP_GET_CA_CAPS, "GetCACaps",
         "ca"},
        {"%6Fperation=GetCACaps&%6d%65ssage=ca", SCEP_DECODE_OK, SCEP_OP_GET_CA_CAPS, "GetCACaps",
         "ca"},
        {"operatio%6E=GetCACert&messag%65=ca", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT, "GetCACert",
         "ca"},
        {"%6F%70%65%72%61%74%69%6F%6E=GetCACert", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT,
         "GetCACert", NULL},
        {"%4F%50%45%52%41%54%49%4F%4E=GetCACert", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT,
         "GetCACert", NULL},
        /* Names that decode to something else: "operation ", "operation=", "operation%". */
        {"operation+=GetCACert", SCEP_DECODE_NONE, SCEP_OP_NONE, NULL, NULL},
        {"operation%3D=GetCACert", SCEP_DECODE_NONE, SCEP_OP_NONE, NULL, NULL},
        {"operation%=GetCACert", SCEP_DECODE_NONE, SCEP_OP_NONE, NULL, NULL},
        {"xoperation=GetCACert&message=ca", SCEP_DECODE_NONE, SCEP_OP_NONE, NULL, "ca"},
        {"operationx=GetCACert&operation=GetCACaps", SCEP_DECODE_OK, SCEP_OP_GET_CA_CAPS,
         "GetCACaps", NULL},
        {"messages=ab&message=cd&operation=GetCACert", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT,
         "GetCACert", "cd"},
        /* Long names, with and without a value, before the operation. */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=1&operation=GetCACaps", SCEP_DECODE_OK,
         SCEP_OP_GET_CA_CAPS, "GetCACaps", NULL},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&operation=GetCACaps", SCEP_DECODE_OK,
         SCEP_OP_GET_CA_CAPS, "GetCACaps", NULL},
        /* A parameter without '=' has an empty value. */
        {"operation&message=x", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "", "x"},
        {"message&operation=GetCACert", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT, "GetCACert", ""},
        /* '#' ends the query, inside a name or a value. */
        {"/scep?opera#tion=GetCACert", SCEP_DECODE_NONE, SCEP_OP_NONE, NULL, NULL},
        {"/scep?operation=GetCA#Caps", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "GetCA", NULL},
        {"/scep?operation=GetCACaps#&message=x", SCEP_DECODE_OK, SCEP_OP_GET_CA_CAPS, "GetCACaps",
         NULL},
        {"/scep?operation=PKIOperation#frag", SCEP_DECODE_OK, SCEP_OP_PKI_OPERATION,
         "PKIOperation", NULL},
        {"/scep?operation=GetCACert&message=My#CA", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT,
         "GetCACert", "My"},
        {"/scep?operation=GetCACert&mess#age=x", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT, "GetCACert",
         NULL},
        /* '=' in a value is part of it: a name ends at its first '='. */
        {"operation=GetCACert&message=a=b", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT, "GetCACert",
         "a=b"},
        {"operation=GetCACaps=x", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "GetCACaps=x", NULL},
        {"operation==GetCACaps", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "=GetCACaps", NULL},
        /* Empty parameters and names. */
        {"&&operation=GetCACaps&&message=x&&", SCEP_DECODE_OK, SCEP_OP_GET_CA_CAPS, "GetCACaps",
         "x"},
        {"=&operation=GetCACert", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT, "GetCACert", NULL},
        {"/scep?&", SCEP_DECODE_NONE, SCEP_OP_NONE, NULL, NULL},
        /* Operation values: RFC 8894's spelling, then decoded, then any case; a prefix or a
         * longer value is no operation. */
        {"operation=NDESGetCACertThumbprint&message=x", SCEP_DECODE_OK,
         SCEP_OP_NDES_GET_CA_CERT_THUMBPRINT, "NDESGetCACertThumbprint", "x"},
        {"operation=GetNextCACert#", SCEP_DECODE_OK, SCEP_OP_GET_NEXT_CA_CERT, "GetNextCACert",
         NULL},
        {"operation=PKIOperationX", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "PKIOperationX", NULL},
        {"operation=GetCA&message=x", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "GetCA", "x"},
        {"operation=GetCACert+", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "GetCACert+", NULL},
        {"operation=pkioperation", SCEP_DECODE_OK, SCEP_OP_PKI_OPERATION, "pkioperation", NULL},
        {"operation=%50KIOperation", SCEP_DECODE_OK, SCEP_OP_PKI_OPERATION, "%50KIOperation",
         NULL},
        {"operation=%50%4B%49%4F%70%65%72%61%74%69%6F%6E", SCEP_DECODE_OK, SCEP_OP_PKI_OPERATION,
         "%50%4B%49%4F%70%65%72%61%74%69%6F%6E", NULL},
        {"operation=GetCACert&operation=PKIOperation", SCEP_DECODE_OK, SCEP_OP_GET_CA_CERT,
         "GetCACert", NULL},
        /* A target cut right after "operation=PKIOp": no message says what it was. */
        {"/scep?operation=PKIOp", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "PKIOp", NULL},
        {"/scep?message=abc&operation=PKIOp", SCEP_DECODE_OK, SCEP_OP_UNKNOWN, "PKIOp", "abc"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scep_query q;
        uint8_t buf[64];
        memset(buf, 0, sizeof buf);
        scep_status st = scep_decode_query(cases[i].target, strlen(cases[i].target), buf,
                                           sizeof buf, &q);
        if (st != cases[i].status || q.operation != cases[i].op)
            fprintf(stderr, "case %zu: %s\n", i, cases[i].target);
        CHECK_INT(st, cases[i].status);
        CHECK_INT(q.operation, cases[i].op);
        CHECK(!q.operation_inferred);
        if (cases[i].operation_text)
            CHECK_SPAN_STR(q.operation_text, cases[i].operation_text);
        else
            CHECK(!scep_span_present(q.operation_text));
        if (cases[i].message) {
            CHECK(scep_span_present(q.message_text));
            CHECK_INT(q.message_len, strlen(cases[i].message));
            CHECK_STR((const char *)buf, cases[i].message);
        } else {
            CHECK(!scep_span_present(q.message_text));
        }
        CHECK_INT(q.errors.count, 0);
    }

    /* Where the query ends: at the '#'. */
    scep_query q;
    uint8_t buf[64];
    const char *t = "/scep?opera#tion=GetCACert";
    scep_decode_query(t, strlen(t), buf, sizeof buf, &q);
    CHECK_SPAN_STR(q.query, "opera");
    t = "/scep?operation=GetCACaps#&message=x";
    scep_decode_query(t, strlen(t), buf, sizeof buf, &q);
    CHECK_SPAN_STR(q.query, "operation=GetCACaps");

    /* "PKIOp" not at the target's end is no cut: a pkiMessage after it infers nothing, and is
     * decoded as the text of an unknown operation. */
    char *target = build_target("/scep?operation=PKIOp&message=", FORM_URL_SAFE, "");
    uint8_t *text = malloc(strlen(target));
    CHECK_INT(scep_decode_query(target, strlen(target), text, strlen(target), &q),
              SCEP_DECODE_OK);
    CHECK_INT(q.operation, SCEP_OP_UNKNOWN);
    CHECK(!q.operation_inferred);
    CHECK_SPAN_STR(q.operation_text, "PKIOp");
    CHECK_INT(q.message_forms, 0);
    /* Form decoding leaves url-safe base64 as it is. */
    CHECK_INT(q.message_len, q.message_text.length);
    CHECK(memcmp(text, q.message_text.data, q.message_len) == 0);
    free(text);
    free(target);
}

static void test_paths_and_spans(void)
{
    scep_query q;
    uint8_t buf[64];
    const char *t;

    t = "http://ndes.example.com/certsrv/mscep/mscep.dll/pkiclient.exe?operation=GetCACaps&message=x";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_OK);
    CHECK_SPAN_STR(q.path, "/certsrv/mscep/mscep.dll/pkiclient.exe");
    CHECK_INT(q.path.offset, 23);
    CHECK_SPAN_STR(q.query, "operation=GetCACaps&message=x");
    CHECK_INT(q.query.offset, 62);
    CHECK_INT(q.operation_text.offset, 72);
    CHECK_INT(q.message_text.offset, 90);

    t = "https://scep.example.com:8443/scep?operation=GetCACert#frag";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_OK);
    CHECK_SPAN_STR(q.path, "/scep");
    CHECK_SPAN_STR(q.query, "operation=GetCACert");

    /* A URL with no path: present and empty. */
    t = "http://host?operation=GetCACaps";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_OK);
    CHECK(scep_span_present(q.path));
    CHECK_INT(q.path.length, 0);
    CHECK_INT(q.operation, SCEP_OP_GET_CA_CAPS);

    /* A bare query has no path. */
    t = "operation=GetCACaps";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_OK);
    CHECK(!scep_span_present(q.path));
    CHECK_SPAN_STR(q.query, "operation=GetCACaps");
    CHECK_INT(q.query.offset, 0);

    /* Not decodable as SCEP: NONE, with what was found. */
    t = "/scep";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_NONE);
    CHECK_SPAN_STR(q.path, "/scep");
    CHECK(!scep_span_present(q.query));
    CHECK_INT(q.operation, SCEP_OP_NONE);

    t = "https://host/scep/operation=GetCACaps";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_NONE);
    CHECK_INT(q.operation, SCEP_OP_NONE);

    t = "/scep?message=abc";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_NONE);
    CHECK_INT(q.operation, SCEP_OP_NONE);
    CHECK_SPAN_STR(q.message_text, "abc");

    t = "/scep?operation=GetCACaps"; /* the '?' is the last byte handed over */
    CHECK_INT(scep_decode_query(t, 6, buf, sizeof buf, &q), SCEP_DECODE_NONE);
    CHECK(scep_span_present(q.query));
    CHECK_INT(q.query.length, 0);

    CHECK_INT(scep_decode_query("", 0, buf, sizeof buf, &q), SCEP_DECODE_NONE);
    CHECK_INT(scep_decode_query(NULL, 0, buf, sizeof buf, &q), SCEP_DECODE_NONE);

    /* A POST's target carries no message: that is normal, not an error. */
    t = "/scep?operation=PKIOperation";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_OK);
    CHECK_INT(q.operation, SCEP_OP_PKI_OPERATION);
    CHECK(!scep_span_present(q.message_text));
    CHECK_INT(q.message_len, 0);
    CHECK(!q.truncated);
    CHECK_INT(q.errors.count, 0);
}

static void test_bad_message(void)
{
    scep_query q;
    uint8_t buf[64];
    /* "Zm9v" is "foo"; the '!' sits at offset 41 of the target. */
    const char *t = "/scep?operation=PKIOperation&message=Zm9v!Zm9v";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_PARTIAL);
    CHECK_INT(q.message_len, 3);
    CHECK(memcmp(buf, "foo", 3) == 0);
    CHECK_INT(q.errors.count, 1);
    CHECK_INT(q.errors.items[0].code, SCEP_ERR_BAD_BASE64);
    CHECK_INT(q.errors.items[0].offset, 41);
    CHECK_INT(q.errors.items[0].source, SCEP_SRC_INPUT);
    CHECK_INT(t[q.errors.items[0].offset], '!');

    /* The message ends at '&': later parameters are not base64 faults. */
    t = "operation=PKIOperation&message=Zm9vYmFy&foo=bar";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_OK);
    CHECK_INT(q.message_len, 6);
    CHECK(memcmp(buf, "foobar", 6) == 0);

    /* Not a pkiMessage at all, but well-formed base64: decoded, no truncation claimed. */
    t = "operation=PKIOperation&message=Zm9vYmFy";
    CHECK_INT(scep_decode_query(t, strlen(t), buf, sizeof buf, &q), SCEP_DECODE_OK);
    CHECK(!q.truncated);
}

/* scepclient's relay order puts the message first ("/scep?message=MIIJ…&operation=…", see
 * captures/scepclient-get-relay.pcapng); a log that cuts the URL at 2000 characters loses the
 * operation. The message, starting like a pkiMessage, says what it is. Expected recipient:
 * `openssl cms -cmsout -print` of the envelope (asn1parse -strparse 58 of PKCSReq.der):
 * issuer C=USA, O=etcd-ca, OU=CA, serialNumber 1. */
static void test_relay_order_cut(void)
{
    char *full = build_target("/scep?message=", FORM_URL_SAFE, "&operation=PKIOperation");
    uint8_t *buf = malloc(strlen(full));
    scep_query q;
    CHECK_INT(scep_decode_query(full, 2000, buf, strlen(full), &q), SCEP_DECODE_PARTIAL);
    CHECK_INT(q.operation, SCEP_OP_PKI_OPERATION);
    CHECK(q.operation_inferred);
    CHECK(!scep_span_present(q.operation_text));
    CHECK(q.truncated);
    size_t chars = 2000 - strlen("/scep?message="); /* 1986: 496 quanta and 2 characters */
    CHECK_INT(q.message_len, chars / 4 * 3 + 1);
    CHECK(memcmp(buf, der, q.message_len) == 0);
    static uint8_t content[4096];
    static scep_pki_message msg;
    CHECK_INT(scep_decode_pki_message(buf, q.message_len, content, sizeof content, &msg),
              SCEP_DECODE_PARTIAL);
    CHECK(msg.truncated);
    CHECK(msg.has_envelope);
    CHECK_INT(msg.envelope.recipient_count, 1);
    char issuer[128];
    scep_identifier rid = msg.envelope.recipients[0].rid;
    scep_name_format(rid.issuer.data, rid.issuer.length, issuer, sizeof issuer);
    CHECK_STR(issuer, "OU=CA,O=etcd-ca,C=USA");
    CHECK_SPAN_HEX(rid.serial, "01");

    /* The whole URL: the operation is named, nothing inferred. */
    CHECK_INT(scep_decode_query(full, strlen(full), buf, strlen(full), &q), SCEP_DECODE_OK);
    CHECK(!q.operation_inferred);
    CHECK_INT(q.message_len, der_len);
    /* Cut inside the operation's value: a prefix of PKIOperation at the end is inferred. */
    CHECK_INT(scep_decode_query(full, strlen(full) - 7, buf, strlen(full), &q), SCEP_DECODE_OK);
    CHECK_INT(q.operation, SCEP_OP_PKI_OPERATION);
    CHECK(q.operation_inferred);
    CHECK_SPAN_STR(q.operation_text, "PKIOp");
    CHECK_INT(q.message_len, der_len);
    free(full);

    /* Another operation named, or a message that is no pkiMessage: nothing inferred. */
    full = build_target("/scep?message=", FORM_URL_SAFE, "&operation=GetCACert");
    CHECK_INT(scep_decode_query(full, strlen(full), buf, strlen(full), &q), SCEP_DECODE_OK);
    CHECK_INT(q.operation, SCEP_OP_GET_CA_CERT);
    CHECK(!q.operation_inferred);
    free(full);
    full = build_target("/scep?message=", FORM_URL_SAFE, "&operation=Other");
    CHECK_INT(scep_decode_query(full, strlen(full), buf, strlen(full), &q), SCEP_DECODE_OK);
    CHECK_INT(q.operation, SCEP_OP_UNKNOWN);
    CHECK(!q.operation_inferred);
    free(full);
    const char *t = "/scep?message=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"; /* a public key */
    CHECK_INT(scep_decode_query(t, strlen(t), buf, strlen(t), &q), SCEP_DECODE_NONE);
    CHECK(!q.operation_inferred);
    free(buf);
}

int main(void)
{
    der = read_file("vectors/micromdm/PKCSReq.der", &der_len);
    b64 = malloc(der_len * 2 + 8);
    b64_len = encode_b64(der, der_len, b64);
    check_encoder();
    test_pkcsreq_forms();
    test_pkcsreq_truncated();
    test_ios_ber();
    test_small_buffer();
    test_operations();
    test_ca_identifier();
    test_parameter_edges();
    test_paths_and_spans();
    test_bad_message();
    test_relay_order_cut();
    free(der);
    free(b64);
    return check_report("test_query");
}
