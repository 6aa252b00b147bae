/* pkimessage.c — scep_decode_pki_message: the SignedData, the envelope it carries, and the
 * checks RFC 8894 makes of the attributes. */
#include <string.h>

#include "cms.h"

/* only_padding: are the bytes after the message nothing but the NULs or line ends some HTTP
 * stacks append? Those are not worth an error. */
static bool only_padding(const ber_cursor *c)
{
    for (size_t i = 0; i < c->len; i++)
        if (c->data[i] != 0 && c->data[i] != '\r' && c->data[i] != '\n')
            return false;
    return true;
}

scep_status scep_decode_pki_message(const uint8_t *data, size_t len, uint8_t *content_buf,
                                    size_t content_cap, scep_pki_message *out)
{
    cms_reset_signed_data(&out->signed_data);
    cms_reset_envelope(&out->envelope);
    out->has_envelope = false;
    out->truncated = false;
    out->errors.count = 0; /* entries past the count are unspecified: not cleared */
    out->errors.dropped = 0;
    decode_ctx ctx = {&out->errors, false, false};
    ber_cursor c;
    ber_init(&c, data, len, 0, SCEP_SRC_INPUT);
    scep_signed_data *sd = &out->signed_data;
    bool content_complete = false;
    if (!cms_decode_signed_data(&ctx, &c, sd, content_buf, content_cap, &content_complete)) {
        out->truncated = ctx.truncated;
        return SCEP_DECODE_NONE;
    }
    if (!ber_empty(&c) && !only_padding(&c))
        scep_errors_add(&out->errors, SCEP_ERR_TRAILING_DATA, SCEP_SRC_INPUT, c.offset,
                        "bytes after the pkiMessage");

    if (scep_span_present(sd->encap_content) && sd->encap_content.length > 0) {
        ber_cursor env;
        ber_init(&env, sd->encap_content.data, sd->encap_content.length,
                 sd->encap_content.offset, sd->encap_content.source);
        /* Content cut by the input's end is a truncation; complete content that ends early
         * is a malformed envelope. */
        env.at_input_end = !content_complete;
        out->has_envelope = cms_decode_enveloped_data(&ctx, &env, &out->envelope);
    }
    if (sd->signer_count > 0 && !ctx.truncated) {
        scep_span where = scep_span_present(sd->signer.signed_attrs) ? sd->signer.signed_attrs : sd->span;
        cms_check_scep_attributes(&ctx, &sd->signer, where);
    } else if (sd->signer_count == 0 && !ctx.truncated) {
        scep_errors_add(&out->errors, SCEP_ERR_MISSING, SCEP_SRC_INPUT, sd->span.offset,
                        "pkiMessage has no SignerInfo");
    }
    sd->indefinite_lengths = ctx.indefinite;
    out->truncated = ctx.truncated;
    return out->errors.count || ctx.truncated ? SCEP_DECODE_PARTIAL : SCEP_DECODE_OK;
}
