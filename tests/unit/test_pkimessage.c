/* test_pkimessage — scep_decode_pki_message on micromdm's real PKCSReq (DER), on the same
 * message re-encoded the iOS way (BER: indefinite lengths, chunked eContent; crafted by
 * tests/tools/der2ber.c), on every prefix of both, and on the field case: a PKIOperation URL
 * cut off mid-message.
 *
 * Expected values come from OpenSSL, not from scepdec:
 *   openssl cms -cmsout -print -inform DER -in vectors/micromdm/PKCSReq.der
 *   openssl asn1parse -inform DER -in vectors/micromdm/PKCSReq.der -i
 *   openssl asn1parse -inform DER -in vectors/micromdm/PKCSReq.der -strparse 58 -i
 *   date -u -d "2016-05-31 11:30:13" +%s   (the UTCTIME 160531113013Z) */
#include <stdint.h>

#include "b64_encode.h"
#include "check.h"
#include "scepdec.h"

static const uint8_t OID_SHA1[] = {0x2b, 0x0e, 0x03, 0x02, 0x1a};
static const uint8_t OID_RSA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t OID_DES3[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07};
static const uint8_t OID_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};

#define CHECK_OID(span, oid) \
    CHECK((span).length == sizeof(oid) && memcmp((span).data, oid, sizeof(oid)) == 0)

static char name_buf[512];
static const char *name_of(scep_span s)
{
    scep_name_format(s.data, s.length, name_buf, sizeof name_buf);
    return name_buf;
}

/* The envelope facts, as `-strparse 58` shows them. */
static void check_envelope(const scep_envelope *env)
{
    CHECK_INT(env->version, 0);
    CHECK_INT(env->recipient_count, 1);
    const scep_recipient *r = &env->recipients[0];
    CHECK_INT(r->kind, SCEP_RECIP_KTRI);
    CHECK_INT(r->rid.kind, SCEP_ID_ISSUER_SERIAL);
    CHECK_STR(name_of(r->rid.issuer), "OU=CA,O=etcd-ca,C=USA");
    CHECK_SPAN_HEX(r->rid.serial, "01");
    CHECK_OID(r->key_encryption_algorithm.oid, OID_RSA);
    CHECK_INT(r->encrypted_key.length, 512);
    CHECK_OID(env->content_type, OID_DATA);
    CHECK_OID(env->content_encryption_algorithm.oid, OID_DES3);
    CHECK_SPAN_HEX(env->iv, "d8dd963245c1f561");
    CHECK_INT(env->encrypted_length, 432);
}

/* The signer's facts, as `openssl cms -cmsout -print` shows them. */
static void check_signer(const scep_signed_data *sd)
{
    const scep_signer *s = &sd->signer;
    CHECK_INT(sd->version, 1);
    CHECK_INT(sd->digest_algorithm_count, 1);
    CHECK_OID(sd->digest_algorithms[0].oid, OID_SHA1);
    CHECK_OID(sd->encap_content_type, OID_DATA);
    CHECK_INT(sd->encap_content.length, 1093);
    CHECK_INT(sd->certificate_count, 1);
    CHECK_STR(name_of(sd->certificates[0].subject), "C=US,CN=MDM SCEP SIGNER");
    CHECK_INT(sd->signer_count, 1);
    CHECK_INT(s->sid.kind, SCEP_ID_ISSUER_SERIAL);
    CHECK_STR(name_of(s->sid.issuer), "C=US,CN=MDM SCEP SIGNER");
    CHECK_SPAN_HEX(s->sid.serial, "01");
    CHECK_OID(s->digest_algorithm.oid, OID_SHA1);
    CHECK_OID(s->signature_algorithm.oid, OID_RSA);
    CHECK_INT(s->signature.length, 256);
    CHECK(s->message_type.present && s->message_type.numeric);
    CHECK_INT(s->message_type.value, SCEP_MSG_PKCS_REQ);
    CHECK(!s->pki_status.present);
    CHECK(!s->fail_info.present);
    CHECK_SPAN_STR(s->transaction_id, "A13090761A30F66664F85D37433D2065E1112BA1");
    CHECK_SPAN_HEX(s->sender_nonce, "ae7fe8816cc6bedd");
    CHECK(!scep_span_present(s->recipient_nonce));
    CHECK_OID(s->content_type, OID_DATA);
    CHECK_SPAN_HEX(s->message_digest, "48a85e346d0ac0f71bfa755d6a6ff0fc0df02801");
    CHECK(s->has_signing_time);
    CHECK_INT(s->signing_time, 1464694213);
    CHECK_INT(s->attribute_count, 6);
}

static void test_der(void)
{
    size_t len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &len);
    static uint8_t content[4096];
    static scep_pki_message msg;
    CHECK_INT(scep_decode_pki_message(der, len, content, sizeof content, &msg), SCEP_DECODE_OK);
    CHECK_INT(msg.errors.count, 0);
    CHECK(!msg.truncated);
    CHECK(!msg.signed_data.indefinite_lengths);
    CHECK_INT(msg.signed_data.encap_content_chunks, 0);
    /* A primitive eContent is a span into the input: the OCTET STRING at 58, contents at 62. */
    CHECK_INT(msg.signed_data.encap_content.source, SCEP_SRC_INPUT);
    CHECK_INT(msg.signed_data.encap_content.offset, 62);
    check_signer(&msg.signed_data);
    CHECK(msg.has_envelope);
    check_envelope(&msg.envelope);
    /* Offsets land in the input: the recipient's serial INTEGER sits at 62 + 86, its
     * contents one header on; transactionID's PrintableString contents at 2144 + 2. */
    CHECK_INT(msg.envelope.recipients[0].rid.serial.offset, 62 + 86 + 2);
    CHECK_INT(msg.signed_data.signer.transaction_id.offset, 2146);
    free(der);
}

static void test_ber(void)
{
    size_t len;
    uint8_t *ber = read_file("vectors/crafted/PKCSReq-ios-ber.der", &len);
    static uint8_t content[4096];
    static scep_pki_message msg;
    CHECK_INT(scep_decode_pki_message(ber, len, content, sizeof content, &msg), SCEP_DECODE_OK);
    CHECK_INT(msg.errors.count, 0);
    CHECK(!msg.truncated);
    CHECK(msg.signed_data.indefinite_lengths);
    /* 1093 octets in 512-octet chunks: 512 + 512 + 69. */
    CHECK_INT(msg.signed_data.encap_content_chunks, 3);
    CHECK_INT(msg.signed_data.encap_content.source, SCEP_SRC_CONTENT);
    CHECK(msg.signed_data.encap_content.data == content);
    check_signer(&msg.signed_data);
    CHECK(msg.has_envelope);
    check_envelope(&msg.envelope);
    /* The envelope now lives in the joined buffer, at the same offsets as in the DER
     * eContent: serial contents at 86 + 2. */
    CHECK_INT(msg.envelope.recipients[0].rid.serial.source, SCEP_SRC_CONTENT);
    CHECK_INT(msg.envelope.recipients[0].rid.serial.offset, 88);

    /* Without room to join the chunks the signer still decodes; the envelope cannot. */
    CHECK_INT(scep_decode_pki_message(ber, len, NULL, 0, &msg), SCEP_DECODE_PARTIAL);
    CHECK_INT(msg.errors.items[0].code, SCEP_ERR_CAPACITY);
    CHECK_SPAN_STR(msg.signed_data.signer.transaction_id, "A13090761A30F66664F85D37433D2065E1112BA1");
    free(ber);
}

/* Every proper prefix decodes without a crash (the sanitizer build watches) and is flagged
 * truncated with an error at or before its end. */
static void test_prefixes(const char *path)
{
    size_t len;
    uint8_t *whole = read_file(path, &len);
    static uint8_t content[4096];
    static scep_pki_message msg;
    int unflagged = 0;
    for (size_t n = 0; n < len; n++) {
        /* A copy of exactly n bytes, so an overread past the prefix is caught by ASan. */
        uint8_t *prefix = malloc(n ? n : 1);
        memcpy(prefix, whole, n);
        scep_status st = scep_decode_pki_message(prefix, n, content, sizeof content, &msg);
        bool ok = st != SCEP_DECODE_OK && msg.truncated && msg.errors.count > 0 &&
                  msg.errors.items[0].code == SCEP_ERR_TRUNCATED;
        if (!ok && unflagged++ < 5)
            fprintf(stderr, "%s: prefix %zu: status %d truncated %d errors %zu\n", path, n,
                    (int)st, msg.truncated, msg.errors.count);
        free(prefix);
    }
    CHECK_INT(unflagged, 0);
    free(whole);
}

/* The field case: an iOS debug-log line printing the PKIOperation URL with the BER message
 * unescaped, cut after 1000 base64 characters (750 octets: past the recipient, inside the
 * encrypted content). */
static void test_cut_url(void)
{
    size_t len;
    uint8_t *ber = read_file("vectors/crafted/PKCSReq-ios-ber.der", &len);
    static char url[8192];
    int n = snprintf(url, sizeof url,
                     "https://ndes.example.com/certsrv/mscep/mscep.dll/pkiclient.exe?operation=PKIOperation&message=");
    size_t full = encode_b64(ber, len, url + n);
    CHECK(full > 1000);
    size_t cut = (size_t)n + 1000;
    static uint8_t message[8192], content[8192];
    static scep_query query;
    static scep_pki_message msg;
    scep_decode_query(url, cut, message, sizeof message, &query);
    CHECK_INT(query.operation, SCEP_OP_PKI_OPERATION);
    CHECK_INT(query.message_len, 750);
    CHECK_INT(scep_decode_pki_message(message, query.message_len, content, sizeof content, &msg),
              SCEP_DECODE_PARTIAL);
    CHECK(msg.truncated);
    CHECK_INT(msg.signed_data.digest_algorithm_count, 1);
    CHECK_OID(msg.signed_data.digest_algorithms[0].oid, OID_SHA1);
    CHECK(msg.has_envelope);
    CHECK_INT(msg.envelope.recipient_count, 1);
    CHECK_STR(name_of(msg.envelope.recipients[0].rid.issuer), "OU=CA,O=etcd-ca,C=USA");
    CHECK_SPAN_HEX(msg.envelope.recipients[0].rid.serial, "01");
    CHECK_OID(msg.envelope.recipients[0].key_encryption_algorithm.oid, OID_RSA);
    /* The signer comes after the envelope: it is gone, and no attribute is invented. */
    CHECK(!msg.signed_data.signer.message_type.present);
    free(ber);
}

/* The pkcsPKIEnvelope on its own: the eContent of micromdm's PKCSReq, the bytes
 * `openssl asn1parse -strparse 58` reads (contents of the OCTET STRING at 58, from 62 on, 1093
 * bytes). Whole, it decodes to the same facts; cut, it says so in its result, and the old
 * out-parameter form agrees. */
static void test_envelope_alone(void)
{
    size_t len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &len);
    const uint8_t *env = der + 62;
    size_t env_len = 1093;
    static scep_pki_envelope alone;
    CHECK_INT(scep_decode_pki_envelope(env, env_len, &alone), SCEP_DECODE_OK);
    check_envelope(&alone.envelope);
    CHECK(!alone.truncated);
    CHECK_INT(alone.errors.count, 0);
    CHECK_INT(alone.envelope.span.offset, 0);

    CHECK_INT(scep_decode_pki_envelope(env, 500, &alone), SCEP_DECODE_PARTIAL);
    CHECK(alone.truncated);
    CHECK(alone.errors.count > 0);
    CHECK_INT(alone.errors.items[0].code, SCEP_ERR_TRUNCATED);
    CHECK_INT(alone.envelope.recipient_count, 1);
    static scep_envelope old;
    scep_errors old_errors;
    bool old_truncated = false;
    CHECK_INT(scep_decode_envelope(env, 500, &old, &old_errors, &old_truncated), SCEP_DECODE_PARTIAL);
    CHECK(old_truncated);
    CHECK_INT(old_errors.count, alone.errors.count);
    CHECK_INT(old_errors.items[0].offset, alone.errors.items[0].offset);

    CHECK_INT(scep_decode_pki_envelope(der, 0, &alone), SCEP_DECODE_NONE);
    CHECK(alone.truncated);
    free(der);
}

int main(void)
{
    test_der();
    test_envelope_alone();
    test_ber();
    test_prefixes("vectors/micromdm/PKCSReq.der");
    test_prefixes("vectors/crafted/PKCSReq-ios-ber.der");
    test_cut_url();
    return check_report("test_pkimessage");
}
