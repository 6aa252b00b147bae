/* bundle.c — certificate bundles: GetCACert's single certificate or certs-only PKCS#7,
 * GetNextCACert's SignedData over certs-only, and a CertRep's decrypted content. */
#include <string.h>

#include "cert.h"
#include "cms.h"

/* first_child_tag: the tag of the first element inside the SEQUENCE at |c|, telling a
 * Certificate (SEQUENCE tbsCertificate) from a ContentInfo (OID). Returns false with |*cut|
 * set when the input ends before that tag. */
static bool first_child_tag(const ber_cursor *c, uint32_t *tag, bool *cut)
{
    ber_cursor probe = *c;
    ber_elem e;
    ber_fault fault;
    *cut = false;
    if (!ber_next(&probe, &e, &fault)) {
        *cut = fault.code == SCEP_ERR_TRUNCATED && (c->len == 0 || c->data[0] == 0x30);
        return false;
    }
    if (e.tag != BER_SEQUENCE)
        return false;
    if (ber_peek_tag(&e.contents, tag))
        return true;
    *cut = e.truncated;
    return false;
}

static void take_certificates(scep_cert_bundle *out, const scep_signed_data *sd)
{
    memcpy(out->certificates, sd->certificates, sd->certificate_count * sizeof sd->certificates[0]);
    out->certificate_count = sd->certificate_count;
    memcpy(out->crls, sd->crls, sd->crl_count * sizeof sd->crls[0]);
    out->crl_count = sd->crl_count;
}

scep_status scep_decode_cert_bundle(const uint8_t *data, size_t len, uint8_t *content_buf,
                                    size_t content_cap, scep_cert_bundle *out)
{
    /* Cleared field by field: the certificates are copied or decoded in, up to their count. */
    out->kind = SCEP_BUNDLE_NONE;
    out->certificate_count = 0;
    out->crl_count = 0;
    memset(out->crls, 0, sizeof out->crls);
    cms_reset_signed_data(&out->outer);
    out->truncated = false;
    memset(&out->errors, 0, sizeof out->errors);
    decode_ctx ctx = {&out->errors, false, false};
    ber_cursor c;
    ber_init(&c, data, len, 0, SCEP_SRC_INPUT);
    uint32_t tag;
    bool cut;
    if (!first_child_tag(&c, &tag, &cut)) {
        scep_errors_add(&out->errors, cut ? SCEP_ERR_TRUNCATED : SCEP_ERR_UNEXPECTED_TAG,
                        SCEP_SRC_INPUT, cut ? len : 0, "certificate bundle: no Certificate or ContentInfo");
        out->truncated = cut;
        return SCEP_DECODE_NONE;
    }
    if (tag == BER_SEQUENCE) {
        ber_elem e;
        if (!decode_take(&ctx, &c, BER_SEQUENCE, &e, "Certificate"))
            return SCEP_DECODE_NONE;
        out->kind = SCEP_BUNDLE_CERTIFICATE;
        cert_decode(&ctx, &e, &out->certificates[0]);
        out->certificate_count = 1;
    } else {
        bool complete = false;
        if (!cms_decode_signed_data(&ctx, &c, &out->outer, content_buf, content_cap, &complete)) {
            out->truncated = ctx.truncated;
            return SCEP_DECODE_NONE;
        }
        const scep_span content = out->outer.encap_content;
        if (scep_span_present(content) && content.length > 0) {
            /* GetNextCACert: the certificates are in a certs-only SignedData inside. */
            scep_signed_data inner;
            cms_reset_signed_data(&inner);
            ber_cursor ic;
            ber_init(&ic, content.data, content.length, content.offset, content.source);
            ic.at_input_end = !complete;
            bool inner_complete;
            out->kind = SCEP_BUNDLE_SIGNED;
            if (cms_decode_signed_data(&ctx, &ic, &inner, NULL, 0, &inner_complete))
                take_certificates(out, &inner);
        } else {
            out->kind = SCEP_BUNDLE_CERTS_ONLY;
            take_certificates(out, &out->outer);
        }
    }
    if (!ber_empty(&c))
        scep_errors_add(&out->errors, SCEP_ERR_TRAILING_DATA, SCEP_SRC_INPUT, c.offset,
                        "bytes after the certificate bundle");
    out->outer.indefinite_lengths = ctx.indefinite;
    out->truncated = ctx.truncated;
    return out->errors.count || ctx.truncated ? SCEP_DECODE_PARTIAL : SCEP_DECODE_OK;
}
