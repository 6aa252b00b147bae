/* test_format — the renderer helpers and the header's one text rule (scep_hex_format,
 * scep_number_attr_format, scep_format_time, the kind and status names), and the truncation
 * offset rule: an error SCEP_ERR_TRUNCATED says where the data ends.
 *
 * Expected values: micromdm's PKCSReq as `openssl cms -cmsout -print -inform DER -in
 * vectors/micromdm/PKCSReq.der` shows it (messageType PRINTABLESTRING 19, senderNonce
 * ae 7f e8 81 6c c6 be dd); the cut lengths are the test's own choice (what `head -c L` gives). */
#include "check.h"
#include "scepdec.h"

static void test_hex(void)
{
    static const uint8_t nonce[] = {0xae, 0x7f, 0xe8, 0x81, 0x6c, 0xc6, 0xbe, 0xdd};
    char out[17];
    CHECK_INT(scep_hex_format(nonce, sizeof nonce, out, sizeof out), 16);
    CHECK_STR(out, "ae7fe8816cc6bedd");
    CHECK_INT(scep_hex_format(nonce, sizeof nonce, out, 16), 16); /* one short: cut at a pair */
    CHECK_STR(out, "ae7fe8816cc6be");
    CHECK_INT(scep_hex_format(nonce, sizeof nonce, out, 2), 16);
    CHECK_STR(out, "");
    CHECK_INT(scep_hex_format(nonce, sizeof nonce, NULL, 0), 16);
    CHECK_INT(scep_hex_format(NULL, 0, out, sizeof out), 0);
    CHECK_STR(out, "");
}

static void test_number_attr(void)
{
    size_t len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &len);
    static uint8_t content[4096];
    static scep_pki_message msg;
    CHECK_INT(scep_decode_pki_message(der, len, content, sizeof content, &msg), SCEP_DECODE_OK);
    const scep_signer *s = &msg.signed_data.signer;
    char out[64];
    CHECK_INT(scep_number_attr_format(&s->message_type, scep_message_type_name, out, sizeof out),
              strlen("PKCSReq (19)"));
    CHECK_STR(out, "PKCSReq (19)");
    CHECK_INT(scep_number_attr_format(&s->message_type, NULL, out, sizeof out),
              strlen("unknown value (19)"));
    CHECK_STR(out, "unknown value (19)");
    CHECK_INT(scep_number_attr_format(&s->message_type, scep_message_type_name, out, 8),
              strlen("PKCSReq (19)")); /* cut between units */
    CHECK_STR(out, "PKCSReq");
    CHECK_INT(scep_number_attr_format(&s->pki_status, scep_pki_status_name, out, sizeof out), 0);
    CHECK_STR(out, ""); /* absent in a request */
    char hex[17];
    scep_hex_format(s->sender_nonce.data, s->sender_nonce.length, hex, sizeof hex);
    CHECK_STR(hex, "ae7fe8816cc6bedd");
    free(der);

    /* A value that is no decimal number (crafted), with a control character and a quote. */
    static const char text[] = "1\x01\"";
    scep_number_attr odd = {true, false, 0, {(const uint8_t *)text, 0, 3, SCEP_SRC_INPUT}};
    CHECK_INT(scep_number_attr_format(&odd, scep_pki_status_name, out, sizeof out),
              strlen("\"1\\x01\\x22\" (not a decimal number)"));
    CHECK_STR(out, "\"1\\x01\\x22\" (not a decimal number)");
}

static void test_names(void)
{
    CHECK_STR(scep_status_name(SCEP_DECODE_OK), "ok");
    CHECK_STR(scep_status_name(SCEP_DECODE_PARTIAL), "partial");
    CHECK_STR(scep_status_name(SCEP_DECODE_NONE), "none");
    CHECK_STR(scep_bundle_kind_name(SCEP_BUNDLE_CERTS_ONLY), "certs-only");
    CHECK(scep_bundle_kind_name(SCEP_BUNDLE_NONE) == NULL);
    CHECK_STR(scep_content_kind_name(SCEP_CONTENT_ISSUER_AND_SERIAL), "issuer_and_serial");
    CHECK_STR(scep_recipient_kind_name(SCEP_RECIP_KTRI), "ktri");
    char t[8];
    CHECK_INT(scep_format_time(1464694213, t, sizeof t), 20); /* the time is shown whole or not */
    CHECK_STR(t, "");
}

/* Cut micromdm's PKCSReq after every length: each truncation error about the input names the
 * cut, wherever the decoders found it (outer ContentInfo, a certificate's Name, ...). */
static void test_truncation_offsets(void)
{
    size_t len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &len);
    static uint8_t content[4096];
    static scep_pki_message msg;
    size_t checked = 0, wrong = 0;
    for (size_t cut = 1; cut < len; cut++) {
        scep_decode_pki_message(der, cut, content, sizeof content, &msg);
        if (!msg.truncated)
            wrong++;
        for (size_t i = 0; i < msg.errors.count; i++) {
            const scep_error *e = &msg.errors.items[i];
            if (e->code != SCEP_ERR_TRUNCATED || e->source != SCEP_SRC_INPUT)
                continue;
            checked++;
            if (e->offset != cut) {
                if (wrong++ < 5)
                    fprintf(stderr, "cut %zu: \"%s\" truncated at %zu\n", cut, e->message, e->offset);
            }
        }
    }
    CHECK_INT(wrong, 0);
    CHECK(checked >= len - 1);
    free(der);
}

int main(void)
{
    test_hex();
    test_number_attr();
    test_names();
    test_truncation_offsets();
    /* The sizes of the caller-owned result structs, for the README (printed, not asserted). */
    printf("sizeof scep_pki_message %zu, scep_cert_bundle %zu, scep_query %zu, scep_caps %zu, "
           "scep_request_content %zu\n",
           sizeof(scep_pki_message), sizeof(scep_cert_bundle), sizeof(scep_query),
           sizeof(scep_caps), sizeof(scep_request_content));
    return check_report("test_format");
}
