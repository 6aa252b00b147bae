/* scep-pki.c — the pkiMessage tree: SCEP's signed attributes, the signer, the
 * pkcsPKIEnvelope and its recipients, the certificates of the SignedData and how the
 * message was encoded. The envelope is opened in scep-crypto.c when keys are configured. */

#include "scep-int.h"

/* The fields of one party of a message: a SignerInfo or a RecipientInfo. */
typedef struct {
    int *hf;
    gint *ett;
    const char *label;
    int *hf_issuer;
    int *hf_serial;
    int *hf_ski;
} party_fields;

static const party_fields signer_fields = {
    &hf_scep_signer, &ett_scep_signer, "Signer",
    &hf_scep_signer_issuer, &hf_scep_signer_serial, &hf_scep_signer_ski,
};

static const party_fields recipient_fields = {
    &hf_scep_recipient, &ett_scep_recipient, "Recipient",
    &hf_scep_recipient_issuer, &hf_scep_recipient_serial, &hf_scep_recipient_ski,
};

/* add_party adds "Signer: <issuer>" or "Recipient: <issuer>" with the identifier under it.
 * Returns the subtree; the item in |item_out|. */
static proto_tree *add_party(proto_tree *tree, const party_fields *pf, const span_sources *src,
                             const scep_identifier *id, proto_item **item_out)
{
    proto_item *item = proto_tree_add_none_format(tree, *pf->hf, NULL, 0, 0, "%s", pf->label);
    const char *issuer = proto_field_is_referenced(tree, *pf->hf) ? format_name(src, id->issuer) : NULL;
    if (issuer != NULL)
        proto_item_append_text(item, ": %s", issuer);
    proto_tree *sub = proto_item_add_subtree(item, *pf->ett);
    add_identifier(sub, *pf->hf_issuer, *pf->hf_serial, *pf->hf_ski, src, id);
    if (item_out != NULL)
        *item_out = item;
    return sub;
}

proto_tree *add_signer(proto_tree *tree, const span_sources *src, const scep_signer *signer,
                       proto_item **item_out)
{
    proto_tree *stree = add_party(tree, &signer_fields, src, &signer->sid, item_out);
    add_algorithm(stree, hf_scep_digest_algorithm, src, &signer->digest_algorithm);
    add_algorithm(stree, hf_scep_signature_algorithm, src, &signer->signature_algorithm);
    return stree;
}

/* add_status_expert flags a FAILURE (with its failInfo and failInfoText) or a PENDING. */
static void add_status_expert(proto_tree *tree, packet_info *pinfo, proto_item *status_item,
                              const scep_summary *sum, const char *fail_text)
{
    if (sum->pki_status == SCEP_STATUS_FAILURE) {
        const char *fi_name = sum->fail_info >= 0 ? scep_fail_info_name(sum->fail_info) : NULL;
        if (fail_text != NULL)
            EXPERT_FORMAT(tree, pinfo, status_item, &ei_scep_failure, "SCEP FAILURE: %s (%s)",
                          fi_name ? fi_name : "no failInfo", fail_text);
        else
            EXPERT_FORMAT(tree, pinfo, status_item, &ei_scep_failure, "SCEP FAILURE: %s",
                          fi_name ? fi_name : "no failInfo");
    } else if (sum->pki_status == SCEP_STATUS_PENDING) {
        EXPERT_INFO(tree, pinfo, status_item, &ei_scep_pending);
    }
}

/* add_text_attributes adds failInfoText, transactionID, the nonces and signingTime; keeps
 * them in |sum|. Returns failInfoText (NULL when absent). */
static const char *add_text_attributes(proto_tree *tree, const span_sources *src, const scep_signer *signer,
                                       scep_summary *sum)
{
    wmem_allocator_t *pool = src->pinfo->pool;
    const char *fail_text = NULL;
    if (scep_span_present(signer->fail_info_text)) {
        add_span_item(tree, hf_scep_fail_info_text, src, signer->fail_info_text, ENC_UTF_8);
        fail_text = scep_strndup(pool, (const char *)signer->fail_info_text.data, signer->fail_info_text.length);
    }
    if (scep_span_present(signer->transaction_id)) {
        sum->transaction_id_item = add_span_item(tree, hf_scep_transaction_id, src, signer->transaction_id,
                                                 ENC_ASCII);
        sum->transaction_id = scep_strndup(pool, (const char *)signer->transaction_id.data,
                                           signer->transaction_id.length);
    }
    if (scep_span_present(signer->sender_nonce)) {
        sum->sender_nonce_item = add_span_item(tree, hf_scep_sender_nonce, src, signer->sender_nonce, ENC_NA);
        sum->sender_nonce = signer->sender_nonce.data;
        sum->sender_nonce_len = signer->sender_nonce.length;
    }
    if (scep_span_present(signer->recipient_nonce)) {
        sum->recipient_nonce_item = add_span_item(tree, hf_scep_recipient_nonce, src, signer->recipient_nonce,
                                                  ENC_NA);
        sum->recipient_nonce = signer->recipient_nonce.data;
        sum->recipient_nonce_len = signer->recipient_nonce.length;
    }
    if (signer->has_signing_time) {
        add_span_time(tree, hf_scep_signing_time, src, signer->signing_time_text, signer->signing_time);
        sum->has_signing_time = TRUE;
        sum->signing_time = signer->signing_time;
    }
    sum->fail_info_text = fail_text;
    return fail_text;
}

/* add_attributes adds SCEP's signed attributes in the order RFC 8894 lists them. */
static void add_attributes(proto_tree *tree, const span_sources *src, const scep_signer *signer,
                           scep_summary *sum)
{
    proto_item *mt_item = NULL;
    sum->message_type = number_attr(tree, hf_scep_message_type, src, &signer->message_type,
                                    scep_message_type_name, &ei_scep_unknown_message_type, &mt_item);
    proto_item *status_item = NULL;
    sum->pki_status = number_attr(tree, hf_scep_pki_status, src, &signer->pki_status,
                                  scep_pki_status_name, NULL, &status_item);
    sum->fail_info = number_attr(tree, hf_scep_fail_info, src, &signer->fail_info,
                                 scep_fail_info_name, NULL, NULL);
    const char *fail_text = add_text_attributes(tree, src, signer, sum);
    add_status_expert(tree, src->pinfo, status_item, sum, fail_text);
}

/* add_envelope adds the pkcsPKIEnvelope: recipients, content cipher, IV, ciphertext length;
 * opens it when keys are configured. */
static void add_envelope(proto_tree *tree, const span_sources *src, const scep_pki_message *msg,
                         scep_summary *sum)
{
    const scep_envelope *env = &msg->envelope;
    scep_bytes at = span_bytes(src, env->span);
    proto_item *ei = proto_tree_add_none_format(tree, hf_scep_envelope, at.tvb, at.offset, at.length,
                                                "pkcsPKIEnvelope");
    proto_tree *et = proto_item_add_subtree(ei, ett_scep_envelope);
    for (size_t i = 0; i < env->recipient_count; i++) {
        const scep_recipient *r = &env->recipients[i];
        proto_tree *rt = add_party(et, &recipient_fields, src, &r->rid, NULL);
        add_algorithm(rt, hf_scep_recipient_key_encryption_algorithm, src, &r->key_encryption_algorithm);
    }
    proto_item *cea = add_algorithm(et, hf_scep_content_encryption_algorithm, src,
                                    &env->content_encryption_algorithm);
    if (cea != NULL) {
        const scep_oid_info *info = scep_oid_lookup(env->content_encryption_algorithm.oid.data,
                                                    env->content_encryption_algorithm.oid.length);
        if (info != NULL)
            proto_item_append_text(ei, ", %s", info->name);
    }
    add_span_item(et, hf_scep_envelope_iv, src, env->iv, ENC_NA);
    if (scep_span_present(env->encrypted_content)) {
        scep_bytes ct = span_bytes(src, env->encrypted_content);
        proto_tree_add_uint(et, hf_scep_envelope_encrypted_length, ct.tvb, ct.offset, ct.length,
                            (guint32)env->encrypted_length);
        proto_item_append_text(ei, ", %zu encrypted octets", env->encrypted_length);
    }
    if (have_keys())
        decrypt_envelope(et, ei, src->pinfo, src->input, msg, sum);
}

/* add_encoding adds how the message was encoded: BER indefinite lengths, a chunked
 * pkcsPKIEnvelope, a cut message. */
static void add_encoding(proto_tree *tree, const scep_pki_message *msg, scep_summary *sum)
{
    const scep_signed_data *sd = &msg->signed_data;
    if (sd->indefinite_lengths)
        add_generated_boolean(tree, hf_scep_indefinite_lengths, TRUE);
    if (sd->encap_content_chunks > 0)
        add_generated_uint(tree, hf_scep_content_chunks, (guint32)sd->encap_content_chunks);
    if (msg->truncated && !sum->truncated)
        mark_truncated(tree, sum);
}

/* message_deprecated: whether any algorithm the walk of dissect_pki_message shows is
 * deprecated (the signer's, the envelope's, the certificates'). */
static gboolean message_deprecated(const scep_pki_message *msg)
{
    const scep_signed_data *sd = &msg->signed_data;
    if (algorithm_deprecated(&sd->signer.digest_algorithm) || algorithm_deprecated(&sd->signer.signature_algorithm))
        return TRUE;
    for (size_t i = 0; msg->has_envelope && i < msg->envelope.recipient_count; i++)
        if (algorithm_deprecated(&msg->envelope.recipients[i].key_encryption_algorithm))
            return TRUE;
    if (msg->has_envelope && algorithm_deprecated(&msg->envelope.content_encryption_algorithm))
        return TRUE;
    return certificates_deprecated(sd->certificates, sd->certificate_count);
}

/* add_parts adds the signer (and its checks), the envelope and the certificates. */
static void add_parts(proto_tree *tree, packet_info *pinfo, const decoder_input *in, const scep_pki_message *msg,
                      scep_summary *sum)
{
    const scep_signed_data *sd = &msg->signed_data;
    const span_sources *src = &in->src;
    if (sd->signer_count > 0 || sd->signer.sid.kind != SCEP_ID_NONE) {
        proto_item *si = NULL;
        proto_tree *stree = add_signer(tree, src, &sd->signer, &si);
        /* The checks cost more than the whole decode: done only when someone looks (a tree
         * being shown, or a filter or column naming their fields or scep.diagnosis). */
        gboolean wanted = proto_field_is_referenced(tree, hf_scep_check_signature) ||
                          proto_field_is_referenced(tree, hf_scep_check_message_digest) ||
                          proto_field_is_referenced(tree, hf_scep_diagnosis);
        if (pref_on(&pref_verify) && !msg->truncated && wanted)
            sum->failed_check = add_verification(stree, pinfo, in->data, in->length, msg, si);
    }
    if (msg->has_envelope)
        add_envelope(tree, src, msg, sum);
    /* Certificates carried in the SignedData (the requester's self-signed one, the CA's). */
    if (sd->certificate_count > 0)
        add_certificates(tree, src, sd->certificates, sd->certificate_count, "Certificates", FALSE);
}

void dissect_pki_message(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base, gint length,
                         scep_summary *sum)
{
    scep_pki_message *msg = DECODER_RESULT(pinfo, scep_pki_message);
    decoder_input in = decoder_input_open(pinfo, input, base, length);
    scep_status st = scep_decode_pki_message(in.data, in.length, in.content_buf, in.cap, msg);
    sum->pki = msg;
    if (decoder_rejected(tree, &in, st, msg->errors.count, "Not a pkiMessage", sum))
        return;
    const scep_signed_data *sd = &msg->signed_data;
    const scep_signer *signer = &sd->signer;
    in.src.content = join_content(pinfo, input, in.content_buf, in.cap, sd, "Reassembled pkcsPKIEnvelope");
    const span_sources *src = &in.src;

    add_attributes(tree, src, signer, sum);
    /* Unobserved and nothing to decrypt: see algorithm_deprecated. */
    if (tree == NULL && !experts_observed(tree) && !have_keys()) {
        if (severity_shown(pinfo) && message_deprecated(msg))
            flag_deprecated_unobserved(pinfo);
    } else {
        add_parts(tree, pinfo, &in, msg, sum);
    }
    add_encoding(tree, msg, sum);
    add_decoder_errors(tree, src, &msg->errors, sum);
}
