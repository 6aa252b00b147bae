/* scep-certs.c — certificates as subtrees: subject, issuer, serial, validity, key, signature
 * algorithm and the facts the library derives (role, key usage, CA, self-issued), for the
 * certificates a pkiMessage, a certificate bundle or a decrypted CertRep carries. */

#include "scep-int.h"

/* add_key_facts adds the generated facts of |c|: its role (when |role| is not NULL), key
 * usage, basicConstraints cA and self-issuance. */
static void add_key_facts(proto_tree *ct, const span_sources *src, const scep_certificate *c,
                          const char *role)
{
    if (role != NULL)
        add_generated_string(ct, hf_scep_certificate_role, role);
    if (c->has_key_usage && c->key_usage != 0)
        add_generated_flags(ct, hf_scep_certificate_key_usage, src->pinfo, c->key_usage, 4, scep_key_usage_name);
    else if (c->has_key_usage) /* a KeyUsage with no bit set: the text report's words */
        proto_item_set_generated(proto_tree_add_uint_format_value(ct, hf_scep_certificate_key_usage, NULL, 0, 0, 0,
                                                                  "0x0000 " SCEP_WORDS_NO_KEY_USAGE));
    if (c->has_basic_constraints)
        add_generated_boolean(ct, hf_scep_certificate_is_ca, c->is_ca);
    if (c->self_issued)
        add_generated_boolean(ct, hf_scep_certificate_self_issued, TRUE);
}

/* add_certificate adds one certificate. |show_role|: the role (CA, RA signing, RA encryption)
 * only means something for what a CA publishes about itself (GetCACert, GetNextCACert); a
 * client's self-signed or newly issued certificate would read as an RA. */
static void add_certificate(proto_tree *tree, const span_sources *src, const scep_certificate *c,
                            gboolean show_role)
{
    scep_bytes at = span_bytes(src, c->span);
    /* The subject is formatted only when the item's text or the field will be seen. */
    const char *subject = proto_field_is_referenced(tree, hf_scep_certificate) ||
                                  proto_field_is_referenced(tree, hf_scep_certificate_subject)
                              ? format_name(src, c->subject)
                              : NULL;
    proto_item *ti = proto_tree_add_none_format(tree, hf_scep_certificate, at.tvb, at.offset, at.length,
                                                "Certificate: %s", subject ? subject : SCEP_WORDS_ABSENT);
    const char *role = show_role ? scep_cert_role_name(c->role) : NULL;
    if (role != NULL && c->role != SCEP_ROLE_UNKNOWN)
        proto_item_append_text(ti, " (%s)", role);
    proto_tree *ct = proto_item_add_subtree(ti, ett_scep_certificate);
    if (subject != NULL)
        add_span_string(ct, hf_scep_certificate_subject, src, c->subject, subject);
    add_name(ct, hf_scep_certificate_issuer, src, c->issuer);
    add_span_item(ct, hf_scep_certificate_serial, src, c->serial, ENC_NA);
    if (scep_span_present(c->not_before_text))
        add_span_time(ct, hf_scep_certificate_not_before, src, c->not_before_text, c->not_before);
    if (scep_span_present(c->not_after_text))
        add_span_time(ct, hf_scep_certificate_not_after, src, c->not_after_text, c->not_after);
    proto_item *pk = add_algorithm(ct, hf_scep_certificate_public_key_algorithm, src,
                                   &c->public_key_algorithm);
    if (c->public_key_bits > 0) {
        proto_item_append_text(pk, ", %u bits", c->public_key_bits);
        add_generated_uint(ct, hf_scep_certificate_public_key_bits, c->public_key_bits);
    }
    add_algorithm(ct, hf_scep_certificate_signature_algorithm, src, &c->signature_algorithm);
    add_key_facts(ct, src, c, role);
}

gboolean certificates_deprecated(const scep_certificate *certs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (algorithm_deprecated(&certs[i].public_key_algorithm) ||
            algorithm_deprecated(&certs[i].signature_algorithm))
            return TRUE;
    return FALSE;
}

void add_certificates(proto_tree *tree, const span_sources *src, const scep_certificate *certs,
                      size_t count, const char *label, gboolean show_roles)
{
    if (tree == NULL && !experts_observed(tree)) { /* see algorithm_deprecated */
        if (severity_shown(src->pinfo) && certificates_deprecated(certs, count))
            flag_deprecated_unobserved(src->pinfo);
        return;
    }
    proto_item *ti = add_generated_uint(tree, hf_scep_certificate_count, (guint32)count);
    if (count == 0)
        return;
    proto_item_set_text(ti, "%s: %zu", label, count);
    proto_tree *ct = proto_item_add_subtree(ti, ett_scep_certificates);
    for (size_t i = 0; i < count; i++)
        add_certificate(ct, src, &certs[i], show_roles);
}
