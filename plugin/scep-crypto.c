/* scep-crypto.c — what needs keys or OpenSSL: the messageDigest and signature checks, the
 * private keys named in the preferences, opening a pkcsPKIEnvelope with them, and the tree
 * of what a decrypted request says. */

#include <string.h>

#include "scep-int.h"

/* The library's messageDigest and signature checks (OpenSSL), as two fields on the signer.
 * Returns the name of a check that FAILED ("messageDigest", "signature"), else NULL. */
const char *add_verification(proto_tree *tree, packet_info *pinfo, const guint8 *data, size_t length,
                      const scep_pki_message *msg, proto_item *signer_item)
{
    scep_verification v;
    const char *failed = NULL;
    memset(&v, 0, sizeof v);
    scep_verify_pki_message(data, length, msg, NULL, 0, &v);
    const struct {
        int hf;
        scep_check check;
        const char *what;
    } checks[] = {
        { hf_scep_check_message_digest, v.message_digest, "messageDigest" },
        { hf_scep_check_signature, v.signature, "signature" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(checks); i++) {
        const char *word = scep_check_name(checks[i].check);
        proto_item *ci = add_generated_string(tree, checks[i].hf, word ? word : "?");
        if (checks[i].check == SCEP_CHECK_FAILED) {
            expert_add_info_format(pinfo, ci, &ei_scep_check_failed, "%s check FAILED%s%s",
                                   checks[i].what, v.detail ? ": " : "", v.detail ? v.detail : "");
            proto_item_append_text(signer_item, " [%s FAILED]", checks[i].what);
            if (failed == NULL)
                failed = checks[i].what;
        } else if (checks[i].check != SCEP_CHECK_OK && v.detail != NULL) {
            proto_item_append_text(ci, " (%s)", v.detail);
        }
    }
    return failed;
}

/* The private keys named in the private_keys preference, read again whenever the
 * preferences change (load_keys is the preference module's apply callback). */
static GPtrArray *scep_keys; /* GBytes of each private key file that could be read */

gboolean have_keys(void)
{
    return scep_keys != NULL && scep_keys->len > 0;
}

void load_keys(void)
{
    if (scep_keys == NULL)
        scep_keys = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    g_ptr_array_set_size(scep_keys, 0);
    if (pref_key_files == NULL || *pref_key_files == '\0')
        return;
    gchar **paths = g_strsplit(pref_key_files, ";", -1);
    for (gchar **p = paths; *p != NULL; p++) {
        gchar *path = g_strstrip(*p);
        gchar *contents = NULL;
        gsize length = 0;
        if (*path != '\0' && g_file_get_contents(path, &contents, &length, NULL))
            g_ptr_array_add(scep_keys, g_bytes_new_take(contents, length));
    }
    g_strfreev(paths);
}

/* add_csr: a PKCSReq's or RenewalReq's PKCS#10 request. The challenge password is a secret:
 * its length by default, the text only when the user asks. */
static void add_csr(proto_tree *tree, const span_sources *src, tvbuff_t *plain, const scep_request_content *rc)
{
    proto_item *ci = proto_tree_add_none_format(tree, hf_scep_csr, plain, 0, (gint)tvb_captured_length(plain),
                                                "%s", scep_content_kind_text(rc->kind));
    proto_tree *ct = proto_item_add_subtree(ci, ett_scep_content);
    proto_item *subject = add_name(ct, hf_scep_csr_subject, src, rc->subject);
    if (subject != NULL)
        proto_item_append_text(ci, ": %s", format_name(src, rc->subject));
    proto_item *pk = add_algorithm(ct, hf_scep_csr_public_key_algorithm, src, &rc->public_key_algorithm);
    if (rc->public_key_bits > 0)
        proto_item_append_text(pk, ", %u bits", rc->public_key_bits);
    if (scep_span_present(rc->challenge_password)) {
        if (pref_on(&pref_show_challenge))
            add_span_item(ct, hf_scep_csr_challenge_password, src, rc->challenge_password, ENC_UTF_8);
        add_span_uint(ct, hf_scep_csr_challenge_password_length, src, rc->challenge_password,
                      (guint32)rc->challenge_password.length);
    }
    if (scep_span_present(rc->extension_request))
        add_span_item(ct, hf_scep_csr_extension_request, src, rc->extension_request, ENC_NA);
    add_algorithm(ct, hf_scep_csr_signature_algorithm, src, &rc->signature_algorithm);
}

/* What a decrypted request says: the CSR (PKCSReq, RenewalReq), IssuerAndSubject (CertPoll)
 * or IssuerAndSerialNumber (GetCert, GetCRL). */
static void add_request_content(proto_tree *tree, packet_info *pinfo, tvbuff_t *plain, gint message_type)
{
    scep_request_content *rc = wmem_new0(pinfo->pool, scep_request_content);
    gint length = (gint)tvb_captured_length(plain);
    span_sources src = { pinfo, plain, 0, NULL };
    scep_decode_request_content(tvb_get_ptr(plain, 0, length), (size_t)length, message_type, rc);
    if (rc->kind == SCEP_CONTENT_CSR) {
        add_csr(tree, &src, plain, rc);
    } else if (rc->kind != SCEP_CONTENT_NONE) {
        proto_item *ci = proto_tree_add_none_format(tree, hf_scep_content, plain, 0, length, "%s",
                                                    scep_content_kind_text(rc->kind));
        proto_tree *ct = proto_item_add_subtree(ci, ett_scep_content);
        add_name(ct, hf_scep_content_issuer, &src, rc->issuer);
        if (rc->kind == SCEP_CONTENT_ISSUER_AND_SUBJECT)
            add_name(ct, hf_scep_content_subject, &src, rc->subject);
        else
            add_span_item(ct, hf_scep_content_serial, &src, rc->serial, ENC_NA);
    }
    add_errors(tree, &src, &rc->errors);
}

/* Opens the pkcsPKIEnvelope with each configured key in turn; shows the plaintext in a data
 * source of its own and decodes it: a request's content, or a CertRep's certificates. */
void decrypt_envelope(proto_tree *tree, proto_item *envelope_item, packet_info *pinfo,
                      tvbuff_t *parent, const scep_pki_message *msg, scep_summary *sum)
{
    gsize cap = msg->envelope.encrypted_length + 64;
    uint8_t *plain = (uint8_t *)wmem_alloc(pinfo->pool, cap);
    size_t plain_len = 0;
    scep_error error;
    memset(&error, 0, sizeof error);
    gboolean opened = FALSE;
    for (guint i = 0; i < scep_keys->len && !opened; i++) {
        gsize key_len = 0;
        const uint8_t *key = (const uint8_t *)g_bytes_get_data((GBytes *)g_ptr_array_index(scep_keys, i), &key_len);
        opened = scep_decrypt_envelope(msg, key, key_len, NULL, 0, plain, cap, &plain_len, &error) ==
                 SCEP_DECODE_OK;
    }
    if (!opened) {
        EXPERT_FORMAT(tree, pinfo, envelope_item, &ei_scep_not_decrypted,
                      "Not decrypted with the configured keys: %s", error.message ? error.message : "no key fits");
        return;
    }
    proto_item_append_text(envelope_item, " [decrypted]");
    if (plain_len == 0)
        return;
    tvbuff_t *ptvb = tvb_new_child_real_data(parent, plain, (guint)plain_len, (gint)plain_len);
    add_new_data_source(pinfo, ptvb, "Decrypted pkcsPKIEnvelope");
    proto_item *di = proto_tree_add_item(tree, hf_scep_decrypted, ptvb, 0, (gint)plain_len, ENC_NA);
    proto_tree *dt = proto_item_add_subtree(di, ett_scep_decrypted);
    if (sum->message_type == SCEP_MSG_CERT_REP) {
        /* The issued certificates (or CRL) as a certs-only bundle. */
        gint saved = sum->certificate_count;
        dissect_cert_bundle(dt, pinfo, ptvb, 0, (gint)plain_len, sum);
        sum->certificate_count = saved;
    } else if (sum->message_type >= 0) {
        add_request_content(dt, pinfo, ptvb, sum->message_type);
    }
}
