/* test_json.c — the JSON renderers: escaping, absent keys, snprintf-like cutting, times, and
 * the shape of each object, on result structs filled by hand (no decoder involved). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "scepdec.h"

static scep_span span_of(const void *data, size_t length)
{
    scep_span s = {(const uint8_t *)data, 0, length, SCEP_SRC_INPUT};
    return s;
}

/* CHECK_CONTAINS: |haystack| holds |needle|. */
#define CHECK_CONTAINS(haystack, needle)                                                  \
    do {                                                                                  \
        check_count++;                                                                    \
        if (strstr((haystack), (needle)) == NULL) {                                       \
            check_failures++;                                                             \
            fprintf(stderr, "%s:%d: expected %s in %s\n", __FILE__, __LINE__, (needle),   \
                    (haystack));                                                          \
        }                                                                                 \
    } while (0)

#define CHECK_LACKS(haystack, needle)                                                     \
    do {                                                                                  \
        check_count++;                                                                    \
        if (strstr((haystack), (needle)) != NULL) {                                       \
            check_failures++;                                                             \
            fprintf(stderr, "%s:%d: did not expect %s in %s\n", __FILE__, __LINE__,       \
                    (needle), (haystack));                                                \
        }                                                                                 \
    } while (0)

static scep_pki_message msg; /* large: static, zeroed */

static void test_empty_message_has_no_absent_keys(void)
{
    char out[512];
    memset(&msg, 0, sizeof msg);
    size_t n = scep_json_pki_message(&msg, SCEP_OP_NONE, out, sizeof out);
    CHECK_STR(out, "{\"indefinite_lengths\":false,\"truncated\":false,\"errors\":[]}");
    CHECK_INT(n, strlen(out));
    CHECK_LACKS(out, "null");
}

static void test_string_escaping(void)
{
    /* quote, backslash, newline, tab, control 0x01, DEL, a lone 0xff, a valid 2-byte é, an
     * overlong '/', a UTF-16 surrogate encoded in UTF-8, a valid 4-byte emoji, a cut 3-byte
     * sequence at the end. */
    static const char tid[] = "a\"b\\c\n\t\x01\x7f\xff\xc3\xa9\xc0\xaf\xed\xa0\x80"
                              "\xf0\x9f\x98\x80\xe2\x82";
    char out[1024];
    memset(&msg, 0, sizeof msg);
    msg.signed_data.signer.transaction_id = span_of(tid, sizeof tid - 1);
    scep_json_pki_message(&msg, SCEP_OP_NONE, out, sizeof out);
    CHECK_CONTAINS(out, "\"transaction_id\":\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\\ufffd\xc3\xa9"
                        "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\xf0\x9f\x98\x80\\ufffd\\ufffd\"");

    /* An embedded NUL is a control character like any other. */
    static const char with_nul[] = {'x', 0, 'y'};
    memset(&msg, 0, sizeof msg);
    msg.signed_data.signer.fail_info_text = span_of(with_nul, sizeof with_nul);
    scep_json_pki_message(&msg, SCEP_OP_NONE, out, sizeof out);
    CHECK_CONTAINS(out, "\"fail_info_text\":\"x\\u0000y\"");
}

static void test_attributes(void)
{
    static const uint8_t nonce[] = {0xae, 0x7f, 0xe8, 0x81, 0x6c, 0xc6, 0xbe, 0xdd};
    static const uint8_t sha1[] = {0x2b, 0x0e, 0x03, 0x02, 0x1a};
    char out[2048];
    memset(&msg, 0, sizeof msg);
    scep_signer *s = &msg.signed_data.signer;
    s->message_type = (scep_number_attr){true, true, 19, span_of("19", 2)};
    s->pki_status = (scep_number_attr){true, false, 0, span_of("ok", 2)};
    s->sender_nonce = span_of(nonce, sizeof nonce);
    s->transaction_id = span_of("A13090761A", 10);
    s->has_signing_time = true;
    s->signing_time = 1464694213;
    s->digest_algorithm.oid = span_of(sha1, sizeof sha1);
    msg.truncated = true;
    msg.errors.count = 1;
    msg.errors.items[0] = (scep_error){SCEP_ERR_TRUNCATED, SCEP_SRC_INPUT, 42, "input ends"};

    scep_json_pki_message(&msg, SCEP_OP_PKI_OPERATION, out, sizeof out);
    CHECK_CONTAINS(out, "{\"operation\":\"PKIOperation\",");
    CHECK_CONTAINS(out, "\"message_type\":19,\"message_type_name\":\"PKCSReq\"");
    /* Not a number: shown as sent, never as a made-up 0. */
    CHECK_CONTAINS(out, "\"pki_status_raw\":\"ok\"");
    CHECK_LACKS(out, "\"pki_status\":");
    CHECK_LACKS(out, "fail_info");
    CHECK_LACKS(out, "recipient_nonce");
    CHECK_CONTAINS(out, "\"sender_nonce\":\"ae7fe8816cc6bedd\"");
    CHECK_CONTAINS(out, "\"transaction_id\":\"A13090761A\"");
    CHECK_CONTAINS(out, "\"signing_time\":\"2016-05-31T11:30:13Z\"");
    CHECK_CONTAINS(out, "\"digest_algorithm\":\"1.3.14.3.2.26\"");
    CHECK_CONTAINS(out, "\"truncated\":true");
    CHECK_CONTAINS(out, "\"offset\":42");
    CHECK_CONTAINS(out, "\"message\":\"input ends\"");
    CHECK_LACKS(out, "recipients"); /* no envelope */
}

static void test_cutting_is_like_snprintf(void)
{
    char full[512], small[16];
    memset(&msg, 0, sizeof msg);
    msg.signed_data.signer.transaction_id = span_of("0123456789abcdef", 16);
    size_t need = scep_json_pki_message(&msg, SCEP_OP_NONE, full, sizeof full);
    size_t got = scep_json_pki_message(&msg, SCEP_OP_NONE, small, sizeof small);
    CHECK_INT(got, need);
    CHECK_INT(strlen(small), sizeof small - 1);
    CHECK(memcmp(small, full, sizeof small - 1) == 0);
    CHECK_INT(scep_json_pki_message(&msg, SCEP_OP_NONE, NULL, 0), need);
}

static void test_caps(void)
{
    static scep_caps caps;
    char out[512];
    memset(&caps, 0, sizeof caps);
    caps.count = 3;
    caps.items[0].id = SCEP_CAP_AES;
    caps.items[0].text = span_of("AES", 3);
    caps.items[1].id = SCEP_CAP_SHA256;
    caps.items[1].text = span_of("SHA-256", 7);
    caps.items[2].id = SCEP_CAP_UNKNOWN;
    caps.items[2].text = span_of("Frobnicate\"", 11);
    scep_json_caps(&caps, out, sizeof out);
    CHECK_STR(out, "{\"operation\":\"GetCACaps\",\"capabilities\":[\"AES\",\"SHA-256\","
                   "\"Frobnicate\\\"\"],\"unknown_capabilities\":[\"Frobnicate\\\"\"],"
                   "\"truncated\":false,\"errors\":[]}");
}

static void test_query(void)
{
    static scep_query query;
    static const char target[] = "/scep?operation=GetCACert&message=My%20CA";
    static const uint8_t ident[] = "My CA";
    char out[512];
    memset(&query, 0, sizeof query);
    query.operation = SCEP_OP_GET_CA_CERT;
    query.operation_text = span_of(target + 16, 9);
    query.message_text = span_of(target + 34, 8);
    query.message_len = 5;
    scep_json_query(&query, ident, NULL, out, sizeof out);
    CHECK_STR(out, "{\"operation\":\"GetCACert\",\"ca_ident\":\"My CA\",\"truncated\":false,"
                   "\"errors\":[]}");

    memset(&query, 0, sizeof query);
    query.operation = SCEP_OP_UNKNOWN;
    query.operation_text = span_of("Frob", 4);
    scep_json_query(&query, NULL, NULL, out, sizeof out);
    CHECK_STR(out, "{\"operation\":\"Frob\",\"truncated\":false,\"errors\":[]}");

    memset(&query, 0, sizeof query);
    memset(&msg, 0, sizeof msg);
    query.operation = SCEP_OP_PKI_OPERATION;
    query.message_forms = SCEP_B64_RAW_PLUS_SLASH | SCEP_B64_TRUNCATED;
    query.message_len = 100;
    query.truncated = true;
    query.errors.count = 1;
    query.errors.items[0] = (scep_error){SCEP_ERR_TRUNCATED, SCEP_SRC_INPUT, 7, "query"};
    msg.errors.count = 1;
    msg.errors.items[0] = (scep_error){SCEP_ERR_TRUNCATED, SCEP_SRC_CONTENT, 99, "message"};
    msg.signed_data.signer.transaction_id = span_of("T", 1);
    scep_json_query(&query, NULL, &msg, out, sizeof out);
    CHECK_CONTAINS(out, "\"base64_forms\":[\"raw-plus-slash\",\"truncated\"]");
    CHECK_CONTAINS(out, "\"transaction_id\":\"T\"");
    CHECK_CONTAINS(out, "\"truncated\":true");
    CHECK_CONTAINS(out, "\"offset\":7,\"message\":\"query\"");
    msg.errors.count = 2;
    msg.errors.items[1] = (scep_error){SCEP_ERR_BAD_TAG, SCEP_SRC_INPUT, 5, "tag"};
    scep_json_query(&query, NULL, &msg, out, sizeof out);
    CHECK_CONTAINS(out, "\"offset\":5,\"source\":\"message\",\"message\":\"tag\"");
    CHECK_CONTAINS(out, "\"offset\":99,\"source\":\"content\",\"message\":\"message\"");
}

static void test_format_time(void)
{
    char text[32];
    CHECK_INT(scep_format_time(0, text, sizeof text), 20);
    CHECK_STR(text, "1970-01-01T00:00:00Z");
    scep_format_time(1464694213, text, sizeof text);
    CHECK_STR(text, "2016-05-31T11:30:13Z");
    scep_format_time(-1, text, sizeof text);
    CHECK_STR(text, "1969-12-31T23:59:59Z");
    scep_format_time(951782400, text, sizeof text); /* leap day */
    CHECK_STR(text, "2000-02-29T00:00:00Z");
    scep_format_time(253402300799, text, sizeof text);
    CHECK_STR(text, "9999-12-31T23:59:59Z");
    CHECK_INT(scep_format_time(0, text, 10), 20); /* too small: the length needed, and "" */
    CHECK_INT(scep_format_time(0, NULL, 0), 20);
    CHECK_STR(text, "");
    /* Any int64 is defined behaviour, whatever it prints. */
    CHECK(scep_format_time(INT64_MIN, text, sizeof text) < sizeof text);
    CHECK(scep_format_time(INT64_MAX, text, sizeof text) < sizeof text);
}

static void test_flag_names(void)
{
    CHECK_STR(scep_key_usage_name(SCEP_KU_DIGITAL_SIGNATURE), "digitalSignature");
    CHECK_STR(scep_key_usage_name(SCEP_KU_DECIPHER_ONLY), "decipherOnly");
    CHECK(scep_key_usage_name(SCEP_KU_CRL_SIGN | SCEP_KU_KEY_CERT_SIGN) == NULL);
    CHECK(scep_key_usage_name(0) == NULL);
    CHECK_STR(scep_base64_form_name(SCEP_B64_URL_SAFE), "url-safe");
    CHECK(scep_base64_form_name(1u << 7) == NULL);
}


/* A log record: where first (absent ones left out), then the message. jscep's CertRep in
 * words: pkiStatus FAILURE and failInfo badRequest as numbers with names, no other key. */
static void test_log_record(void)
{
    char out[1024];
    static const uint8_t tid[] = "TRANSID";
    scep_signer facts;
    memset(&facts, 0, sizeof facts);
    facts.message_type = (scep_number_attr){true, true, 3, {0}};
    facts.pki_status = (scep_number_attr){true, true, 2, {0}};
    facts.fail_info = (scep_number_attr){true, true, 2, {0}};
    facts.transaction_id = (scep_span){tid, 0, 7, SCEP_SRC_INPUT};
    scep_log_origin origin = {"omadm.log", 6, "2018-02-27T05:16:28.0340000", NULL, false, 0,
                              false, 0, "jscep"};
    scep_log_message m = {.operation = SCEP_OP_PKI_OPERATION, .facts = &facts};
    size_t n = scep_json_log_record(&origin, &m, out, sizeof out);
    CHECK_STR(out, "{\"file\":\"omadm.log\",\"line\":6,\"time\":\"2018-02-27T05:16:28.0340000\","
                   "\"source\":\"jscep\",\"operation\":\"PKIOperation\",\"message_type\":3,"
                   "\"message_type_name\":\"CertRep\",\"pki_status\":2,\"pki_status_name\":"
                   "\"FAILURE\",\"fail_info\":2,\"fail_info_name\":\"badRequest\","
                   "\"transaction_id\":\"TRANSID\",\"truncated\":false,\"errors\":[]}");
    CHECK_INT(n, strlen(out));
    CHECK_INT(scep_json_log_record(&origin, &m, NULL, 0), n);

    /* An IIS line: client and both statuses; a query without a message. */
    static const char target[] = "/certsrv/mscep/mscep.dll?operation=GetCACaps";
    static scep_query query;
    uint8_t buf[sizeof target];
    CHECK_INT(scep_decode_query(target, sizeof target - 1, buf, sizeof buf, &query), SCEP_DECODE_OK);
    scep_log_origin iis = {"u_ex.log", 5, "2026-11-29 10:00:00", "192.0.2.7", true, 404, true,
                           15, "iis"};
    scep_log_message q = {.operation = SCEP_OP_NONE, .query = &query, .query_message = buf};
    scep_json_log_record(&iis, &q, out, sizeof out);
    CHECK_STR(out, "{\"file\":\"u_ex.log\",\"line\":5,\"time\":\"2026-11-29 10:00:00\",\"client\":"
                   "\"192.0.2.7\",\"http_status\":404,\"http_substatus\":15,\"source\":\"iis\","
                   "\"operation\":\"GetCACaps\",\"truncated\":false,\"errors\":[]}");
}

/* scep_json_message: a caller's own facts (checks, what decryption gave) are written by the
 * library's writer, escaped by RFC 8259's rules like every other string. */
static void test_message_extras(void)
{
    char out[512];
    memset(&msg, 0, sizeof msg);
    scep_verification v = {SCEP_CHECK_OK, SCEP_CHECK_FAILED, "bad \"sig\""};
    scep_decrypted failed = {.failed = true, .error = "a\"b\\c\n\x01\xff"};
    scep_log_message m = {.operation = SCEP_OP_PKI_OPERATION, .pki = &msg, .verification = &v,
                          .decrypted = &failed};
    size_t n = scep_json_message(&m, out, sizeof out);
    CHECK_STR(out, "{\"operation\":\"PKIOperation\",\"indefinite_lengths\":false,"
                   "\"truncated\":false,\"errors\":[],\"verification\":{\"message_digest\":"
                   "\"ok\",\"signature\":\"FAILED\",\"detail\":\"bad \\\"sig\\\"\"},"
                   "\"decrypted\":null,\"decrypt_error\":\"a\\\"b\\\\c\\n\\u0001\\ufffd\"}");
    CHECK_INT(n, strlen(out));
    CHECK_INT(scep_json_message(&m, NULL, 0), n);

    /* Nothing tried, nothing said. */
    scep_decrypted none = {0};
    m.decrypted = &none;
    scep_json_message(&m, out, sizeof out);
    CHECK_LACKS(out, "decrypt");
}

int main(void)
{
    test_empty_message_has_no_absent_keys();
    test_string_escaping();
    test_attributes();
    test_cutting_is_like_snprintf();
    test_caps();
    test_query();
    test_format_time();
    test_flag_names();
    test_log_record();
    test_message_extras();
    return check_report("test_json");
}
