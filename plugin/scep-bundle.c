/* scep-bundle.c — the answers that are not pkiMessages: certificate bundles (GetCACert,
 * GetNextCACert, and the certs-only content of a decrypted CertRep) and GetCACaps's list of
 * capabilities. */

#include "scep-int.h"

/* add_bundle_signer: the signer of a signed PKCS#7 over a certs-only bundle (GetNextCACert),
 * with the certificates it signs with. */
static void add_bundle_signer(proto_tree *tree, const span_sources *src, const scep_cert_bundle *b)
{
    const scep_signer *signer = &b->outer.signer;
    proto_tree *stree = add_signer(tree, src, signer, NULL);
    if (signer->has_signing_time)
        add_span_time(stree, hf_scep_signing_time, src, signer->signing_time_text, signer->signing_time);
    add_certificates(stree, src, b->outer.certificates, b->outer.certificate_count, "Signing certificates",
                     FALSE);
}

void dissect_cert_bundle(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base, gint length,
                         scep_summary *sum)
{
    decoder_input in = decoder_input_open(pinfo, input, base, length);
    scep_status st;
    const uint8_t *content_buf = NULL;
    const scep_cert_bundle *b = tree == NULL ? reuse_bundle(pinfo, in.data, in.length, &content_buf, &st) : NULL;
    if (b == NULL) {
        scep_cert_bundle *decoded = DECODER_RESULT(pinfo, scep_cert_bundle);
        content_buf = in.content_buf;
        st = scep_decode_cert_bundle(in.data, in.length, in.content_buf, in.cap, decoded);
        b = decoded;
    }
    sum->bundle = b;
    in.src.content = join_content(pinfo, input, content_buf, in.cap, &b->outer, "Reassembled certificates");
    if (decoder_rejected(tree, &in, st, b->errors.count, "Not a certificate or PKCS#7 certificate bundle", sum))
        return;
    const span_sources *src = &in.src;
    const char *kind = scep_bundle_kind_text(b->kind);
    if (kind != NULL && tree != NULL) {
        proto_item *k = proto_tree_add_string(tree, hf_scep_bundle_kind, input, base, length, kind);
        proto_item_set_generated(k);
    }
    add_certificates(tree, src, b->certificates, b->certificate_count, "Certificates",
                     sum->message_type != SCEP_MSG_CERT_REP);
    sum->certificate_count = (gint)b->certificate_count;
    if (b->crl_count > 0)
        add_generated_uint(tree, hf_scep_crl_count, (guint32)b->crl_count);
    if (b->kind == SCEP_BUNDLE_SIGNED)
        add_bundle_signer(tree, src, b);
    if (b->truncated)
        mark_truncated(tree, sum);
    add_decoder_errors(tree, src, &b->errors, sum);
}

/* caps_list: the capabilities as sent, comma separated, in one allocation. */
static const char *caps_list(wmem_allocator_t *pool, const scep_caps *caps)
{
    gsize length = 0;
    for (size_t i = 0; i < caps->count; i++)
        length += (i > 0 ? 2 : 0) + caps->items[i].text.length;
    char *list = (char *)wmem_alloc(pool, length + 1), *at = list;
    for (size_t i = 0; i < caps->count; i++) {
        if (i > 0) {
            memcpy(at, ", ", 2);
            at += 2;
        }
        memcpy(at, caps->items[i].text.data, caps->items[i].text.length);
        at += caps->items[i].text.length;
    }
    *at = 0;
    return list;
}

void dissect_caps(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base, gint length,
                  scep_summary *sum)
{
    const char *text = (const char *)tvb_get_ptr(input, base, length);
    span_sources src = { pinfo, input, base, NULL };
    const scep_caps *caps = tree == NULL ? reuse_caps(pinfo, text, (gsize)length) : NULL;
    if (caps == NULL) {
        scep_caps *decoded = wmem_new(pinfo->pool, scep_caps); /* scep_decode_caps clears it */
        scep_decode_caps(text, (size_t)length, decoded);
        caps = decoded;
    }
    sum->caps_decoded = caps;
    sum->caps = caps_list(pinfo->pool, caps);
    for (size_t i = 0; tree != NULL && i < caps->count; i++) {
        proto_item *ci = add_span_item(tree, hf_scep_capability, &src, caps->items[i].text, ENC_ASCII);
        if (scep_capability_name(caps->items[i].id) == NULL)
            proto_item_append_text(ci, " " SCEP_WORDS_UNKNOWN_CAPABILITY);
    }
    add_decoder_errors(tree, &src, &caps->errors, sum);
}
