/* envelope.c — EnvelopedData, SCEP's pkcsPKIEnvelope: who can open it and with which cipher. */
#include <string.h>

#include "cms.h"
#include "oids.h"

/* decode_ktri reads a KeyTransRecipientInfo: the form SCEP uses (RSA key transport). */
static void decode_ktri(decode_ctx *ctx, const ber_elem *ri, scep_recipient *r)
{
    ber_cursor c = ri->contents;
    ber_elem e;
    r->kind = SCEP_RECIP_KTRI;
    if (!cms_decode_version(ctx, &c, &r->version, "KeyTransRecipientInfo version") ||
        !cms_take_identifier(ctx, &c, &r->rid, "KeyTransRecipientInfo rid") ||
        !cms_decode_algorithm(ctx, &c, &r->key_encryption_algorithm, "keyEncryptionAlgorithm"))
        return;
    if (decode_take(ctx, &c, 0, &e, "encryptedKey"))
        r->encrypted_key = ber_span(&e, e.tag != BER_OCTET_STRING);
}

/* iv_of finds the IV in a content-encryption algorithm's parameters: an OCTET STRING for the
 * CBC ciphers, or the first OCTET STRING inside a SEQUENCE (RC2's {version, iv}, GCM's
 * {nonce, icvLen}). */
static scep_span iv_of(const scep_algorithm *alg, uint8_t source)
{
    scep_span none = {0};
    if (!scep_span_present(alg->params))
        return none;
    ber_cursor c;
    ber_init(&c, alg->params.data, alg->params.length, alg->params.offset, source);
    c.at_input_end = false;
    ber_elem e;
    ber_fault fault;
    if (!ber_next(&c, &e, &fault))
        return none;
    if (e.tag == BER_OCTET_STRING)
        return ber_span(&e, false);
    if (e.tag == BER_SEQUENCE) {
        ber_cursor inner = e.contents;
        while (!ber_empty(&inner) && ber_next(&inner, &e, &fault))
            if (e.tag == BER_OCTET_STRING)
                return ber_span(&e, false);
    }
    return none;
}

static void decode_encrypted_content_info(decode_ctx *ctx, const ber_elem *eci, scep_envelope *env)
{
    ber_cursor c = eci->contents;
    ber_elem e;
    if (!decode_take(ctx, &c, BER_OID, &e, "encryptedContentInfo contentType"))
        return;
    env->content_type = ber_span(&e, false);
    if (!cms_decode_algorithm(ctx, &c, &env->content_encryption_algorithm, "contentEncryptionAlgorithm"))
        return;
    env->iv = iv_of(&env->content_encryption_algorithm, c.source);
    if (ber_empty(&c))
        return; /* encryptedContent is OPTIONAL */
    if (!decode_take(ctx, &c, 0, &e, "encryptedContent"))
        return;
    if (e.tag != BER_CONTEXT(0) && e.tag != BER_CONTEXT_CONS(0)) {
        decode_error(ctx, SCEP_ERR_UNEXPECTED_TAG, &c, e.offset, "encryptedContent is not [0]");
        return;
    }
    env->encrypted_content = ber_span(&e, true);
    size_t total = 0;
    ber_fault fault;
    if (!ber_octets_length(&e, &total, NULL, &fault))
        ber_record(ctx->errors, &c, &fault, "encryptedContent chunks");
    env->encrypted_length = total;
}

bool cms_decode_enveloped_data(decode_ctx *ctx, ber_cursor *c, scep_envelope *env)
{
    ber_elem outer, e;
    if (!decode_take(ctx, c, BER_SEQUENCE, &outer, "pkcsPKIEnvelope"))
        return false;
    env->span = ber_span(&outer, true);
    ber_cursor body = outer.contents;
    if (decode_peek_is(&body, BER_OID)) {
        /* A ContentInfo around the EnvelopedData, as RFC 8894 prescribes. */
        static const cms_content_names names = {"pkcsPKIEnvelope contentType",
                                                 "pkcsPKIEnvelope is not EnvelopedData",
                                                 "pkcsPKIEnvelope content", "EnvelopedData"};
        scep_span type;
        ber_elem inner;
        cms_content found = cms_open_content(ctx, &body, OID_PKCS7_ENVELOPED_DATA, &names, &type,
                                             &inner);
        if (found != CMS_CONTENT_OK)
            return found == CMS_CONTENT_CUT;
        body = inner.contents;
    }
    if (!cms_decode_version(ctx, &body, &env->version, "EnvelopedData version"))
        return true;
    if (decode_peek_is(&body, BER_CONTEXT_CONS(0)) &&
        !decode_take(ctx, &body, BER_CONTEXT_CONS(0), &e, "originatorInfo"))
        return true;
    if (!decode_take(ctx, &body, BER_SET, &e, "recipientInfos"))
        return true;
    ber_cursor ris = e.contents;
    ber_elem ri;
    while (!ber_empty(&ris) && decode_take(ctx, &ris, 0, &ri, "RecipientInfo")) {
        if (env->recipient_count == SCEP_MAX_RECIPIENTS) {
            decode_error(ctx, SCEP_ERR_CAPACITY, &ris, ri.offset, "more recipients than SCEP_MAX_RECIPIENTS");
            break;
        }
        scep_recipient *r = &env->recipients[env->recipient_count++];
        memset(r, 0, sizeof *r);
        if (ri.tag == BER_SEQUENCE)
            decode_ktri(ctx, &ri, r);
        else if (ri.tag == BER_CONTEXT_CONS(1))
            r->kind = SCEP_RECIP_KARI;
        else if (ri.tag == BER_CONTEXT_CONS(2))
            r->kind = SCEP_RECIP_KEKRI;
        else if (ri.tag == BER_CONTEXT_CONS(3))
            r->kind = SCEP_RECIP_PWRI;
        else
            r->kind = SCEP_RECIP_OTHER;
    }
    if (!decode_take(ctx, &body, BER_SEQUENCE, &e, "encryptedContentInfo"))
        return true;
    decode_encrypted_content_info(ctx, &e, env);
    return true;
}

/* decode_alone decodes a pkcsPKIEnvelope given on its own into the parts of a result. */
static scep_status decode_alone(const uint8_t *data, size_t len, scep_envelope *out,
                                scep_errors *errors, bool *truncated)
{
    cms_reset_envelope(out);
    memset(errors, 0, sizeof *errors);
    decode_ctx ctx = {errors, false, false};
    ber_cursor c;
    ber_init(&c, data, len, 0, SCEP_SRC_INPUT);
    bool decoded = cms_decode_enveloped_data(&ctx, &c, out);
    *truncated = ctx.truncated;
    if (!decoded)
        return SCEP_DECODE_NONE;
    return errors->count || ctx.truncated ? SCEP_DECODE_PARTIAL : SCEP_DECODE_OK;
}

scep_status scep_decode_pki_envelope(const uint8_t *data, size_t len, scep_pki_envelope *out)
{
    return decode_alone(data, len, &out->envelope, &out->errors, &out->truncated);
}

scep_status scep_decode_envelope(const uint8_t *data, size_t len, scep_envelope *out,
                                 scep_errors *errors, bool *truncated)
{
    bool cut;
    scep_status status = decode_alone(data, len, out, errors, &cut);
    if (truncated)
        *truncated = cut;
    return status;
}

_Static_assert(offsetof(scep_envelope, recipients) < offsetof(scep_envelope, recipient_count),
               "scep_envelope field order");

void cms_reset_envelope(scep_envelope *env)
{
    unsigned char *base = (unsigned char *)env;
    memset(base, 0, offsetof(scep_envelope, recipients));
    memset(base + offsetof(scep_envelope, recipient_count), 0,
           sizeof *env - offsetof(scep_envelope, recipient_count));
}
