/* request_content.c — what a request's envelope holds once decrypted: the PKCS#10 request of
 * PKCSReq and RenewalReq (subject, key, challengePassword, extensionRequest), or the
 * IssuerAndSubject / IssuerAndSerialNumber that CertPoll, GetCert and GetCRL ask about. */
#include <string.h>

#include "cert.h"
#include "cms.h"
#include "oids.h"

#define OID_PKCS9_CHALLENGE_PASSWORD OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x07)
#define OID_PKCS9_EXTENSION_REQUEST OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e)

static void decode_csr_attributes(decode_ctx *ctx, const ber_elem *attrs, scep_request_content *out)
{
    ber_cursor c = attrs->contents;
    ber_elem attr;
    while (!ber_empty(&c) && decode_take(ctx, &c, BER_SEQUENCE, &attr, "CSR attribute")) {
        ber_cursor a = attr.contents;
        ber_elem oid, values, value;
        out->attribute_count++;
        if (!decode_take(ctx, &a, BER_OID, &oid, "CSR attribute type") ||
            !decode_take(ctx, &a, BER_SET, &values, "CSR attribute values"))
            continue;
        ber_cursor v = values.contents;
        if (ber_empty(&v) || !decode_take(ctx, &v, 0, &value, "CSR attribute value"))
            continue;
        scep_span type = ber_span(&oid, false);
        if (OID_IS(type, OID_PKCS9_CHALLENGE_PASSWORD) && !ber_constructed(&value))
            out->challenge_password = ber_span(&value, false);
        else if (OID_IS(type, OID_PKCS9_EXTENSION_REQUEST))
            out->extension_request = ber_span(&value, true);
    }
}

static void decode_csr(decode_ctx *ctx, const ber_elem *request, scep_request_content *out)
{
    ber_cursor c = request->contents;
    ber_elem info, e;
    out->kind = SCEP_CONTENT_CSR;
    if (!decode_take(ctx, &c, BER_SEQUENCE, &info, "certificationRequestInfo"))
        return;
    ber_cursor i = info.contents;
    if (!cms_decode_version(ctx, &i, &out->version, "CSR version"))
        return;
    if (!decode_take(ctx, &i, BER_SEQUENCE, &e, "CSR subject"))
        return;
    out->subject = ber_span(&e, true);
    if (!decode_take(ctx, &i, BER_SEQUENCE, &e, "CSR subjectPKInfo"))
        return;
    cert_decode_spki(ctx, &e, &out->public_key_algorithm, &out->public_key_bits);
    if (!ber_empty(&i) && decode_take(ctx, &i, BER_CONTEXT_CONS(0), &e, "CSR attributes"))
        decode_csr_attributes(ctx, &e, out);
    if (decode_take(ctx, &c, BER_SEQUENCE, &e, "CSR signatureAlgorithm"))
        cert_decode_algorithm(ctx, &e, &out->signature_algorithm);
}

/* decode_issuer_and_x reads SEQUENCE { issuer Name, subject Name | serialNumber INTEGER }. */
static void decode_issuer_and_x(decode_ctx *ctx, const ber_elem *seq, scep_request_content *out,
                                bool with_subject)
{
    ber_cursor c = seq->contents;
    ber_elem e;
    out->kind = with_subject ? SCEP_CONTENT_ISSUER_AND_SUBJECT : SCEP_CONTENT_ISSUER_AND_SERIAL;
    if (!decode_take(ctx, &c, BER_SEQUENCE, &e, "issuer"))
        return;
    out->issuer = ber_span(&e, true);
    if (with_subject) {
        if (decode_take(ctx, &c, BER_SEQUENCE, &e, "subject"))
            out->subject = ber_span(&e, true);
    } else if (decode_take(ctx, &c, BER_INTEGER, &e, "serialNumber")) {
        out->serial = ber_integer_magnitude(&e);
    }
}

scep_status scep_decode_request_content(const uint8_t *data, size_t len, long message_type,
                                        scep_request_content *out)
{
    memset(out, 0, sizeof *out);
    decode_ctx ctx = {&out->errors, false, false};
    ber_cursor c;
    ber_init(&c, data, len, 0, SCEP_SRC_INPUT);
    ber_elem top;
    bool csr = message_type == SCEP_MSG_PKCS_REQ || message_type == SCEP_MSG_RENEWAL_REQ ||
               message_type == SCEP_MSG_UPDATE_REQ;
    bool poll = message_type == SCEP_MSG_CERT_POLL;
    bool get = message_type == SCEP_MSG_GET_CERT || message_type == SCEP_MSG_GET_CRL;
    if (!csr && !poll && !get) {
        scep_errors_add(&out->errors, SCEP_ERR_UNSUPPORTED, SCEP_SRC_INPUT, 0,
                        "this messageType carries no request content");
        return SCEP_DECODE_NONE;
    }
    if (!decode_take(&ctx, &c, BER_SEQUENCE, &top, "request content")) {
        out->truncated = ctx.truncated;
        return SCEP_DECODE_NONE;
    }
    if (csr)
        decode_csr(&ctx, &top, out);
    else
        decode_issuer_and_x(&ctx, &top, out, poll);
    out->truncated = ctx.truncated;
    return out->errors.count || ctx.truncated ? SCEP_DECODE_PARTIAL : SCEP_DECODE_OK;
}
