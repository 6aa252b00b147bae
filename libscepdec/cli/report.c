/* report.c renders one decoded input as a text report for people (what a PKI admin needs to
 * see at 2 a.m.: what the message is, who sent it to whom, what went wrong, where the bytes
 * stop). It walks the library's result structs only; the JSON object is report_json.c's. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define LABEL_WIDTH 24

static void label(FILE *out, int indent, const char *name)
{
    int pad = LABEL_WIDTH - indent - (int)strlen(name) - 1;
    fprintf(out, "%*s%s:%*s", indent, "", name, pad > 0 ? pad : 1, "");
}

/* print_text prints bytes from the message, replacing what a terminal should not see. */
static void print_text(FILE *out, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c < 0x20 || c == 0x7F)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
}

static void print_span_text(FILE *out, scep_span s) { print_text(out, s.data, s.length); }

static void print_hex(FILE *out, scep_span s)
{
    for (size_t i = 0; i < s.length; i++)
        fprintf(out, "%02x", s.data[i]);
}

/* print_name prints a Name in the words the plugin shows too (scep_name_text); an unreadable
 * one is followed by its bytes, for whoever has to find out what it is. */
static void print_name(FILE *out, scep_span name)
{
    char text[1024];
    if (!scep_span_present(name)) {
        fputs(SCEP_WORDS_ABSENT, out);
        return;
    }
    scep_name_text(name.data, name.length, text, sizeof text);
    print_text(out, (const uint8_t *)text, strlen(text)); /* a long one is cut, ends "..." */
    if (scep_name_format(name.data, name.length, NULL, 0) == SCEP_FORMAT_INVALID) {
        fputs(" DER ", out);
        print_hex(out, name);
    }
}

static void print_time(FILE *out, int64_t t)
{
    char text[32];
    if (scep_format_time(t, text, sizeof text) < sizeof text)
        fputs(text, out);
    else
        fputs("(unrepresentable time)", out);
}

/* print_oid prints "name (dotted)", flagging algorithms built on DES, MD5 or SHA-1. */
static void print_oid(FILE *out, scep_span oid)
{
    char dotted[128];
    if (!scep_span_present(oid)) {
        fputs("(absent)", out);
        return;
    }
    if (scep_oid_to_dotted(oid.data, oid.length, dotted, sizeof dotted) >= sizeof dotted)
        snprintf(dotted, sizeof dotted, "invalid OID");
    const scep_oid_info *info = scep_oid_lookup(oid.data, oid.length);
    if (info && info->name)
        fprintf(out, "%s (%s)", info->name, dotted);
    else
        fprintf(out, "%s", dotted);
    if (info && info->deprecated)
        fputs("  [deprecated/weak]", out);
}

static void print_number_attr(FILE *out, const char *name, const scep_number_attr *a,
                              const char *(*name_of)(long))
{
    char text[256];
    if (!a->present)
        return;
    label(out, 2, name);
    scep_number_attr_format(a, name_of, text, sizeof text); /* a long one is cut */
    fprintf(out, "%s\n", text);
}

/* What each failInfo means for the person who has to fix it. */
static const char *fail_info_advice(long fail_info)
{
    switch (fail_info) {
    case SCEP_FAIL_BAD_ALG:
        return "the CA does not accept the digest or cipher the client used (compare GetCACaps)";
    case SCEP_FAIL_BAD_MESSAGE_CHECK:
        return "signature check or decryption failed at the CA: wrong RA/CA certificate used "
               "for the envelope, or a corrupted message";
    case SCEP_FAIL_BAD_REQUEST:
        return "the CA refused the transaction: challenge password, template or policy";
    case SCEP_FAIL_BAD_TIME:
        return "signingTime too far from the CA's clock: check the device's time";
    case SCEP_FAIL_BAD_CERT_ID:
        return "no certificate matches the given issuer/serial (GetCert, CertPoll)";
    }
    return NULL;
}

static void print_identifier(FILE *out, int indent, const char *what, const scep_identifier *id)
{
    label(out, indent, what);
    switch (id->kind) {
    case SCEP_ID_ISSUER_SERIAL:
        fputs("issuer ", out);
        print_name(out, id->issuer);
        fputs(", serial ", out);
        print_hex(out, id->serial);
        fputs("\n", out);
        break;
    case SCEP_ID_SKI:
        fputs("subject key identifier ", out);
        print_hex(out, id->ski);
        fputs("\n", out);
        break;
    case SCEP_ID_NONE:
        fputs("(not identified)\n", out);
        break;
    }
}

/* print_certificate prints one certificate. |show_role|: the role (CA, RA signing, RA
 * encryption) only means something for the certificates a CA hands out about itself
 * (GetCACert, GetNextCACert); a client's or an issued certificate would read as an RA. */
static void print_certificate(FILE *out, size_t index, const scep_certificate *c, bool show_role)
{
    fprintf(out, "  [%zu] ", index + 1);
    print_name(out, c->subject);
    fputs("\n", out);
    label(out, 6, "issuer");
    print_name(out, c->issuer);
    if (c->self_issued)
        fputs("  (self-issued)", out);
    fputs("\n", out);
    label(out, 6, "serial");
    print_hex(out, c->serial);
    fputs("\n", out);
    label(out, 6, "valid");
    if (scep_span_present(c->not_before_text))
        print_time(out, c->not_before);
    else
        fputs("?", out);
    fputs(" to ", out);
    if (scep_span_present(c->not_after_text))
        print_time(out, c->not_after);
    else
        fputs("?", out);
    fputs("\n", out);
    if (show_role) {
        label(out, 6, "role");
        const char *role = scep_cert_role_name(c->role);
        fputs(role ? role : "unknown", out);
        if (c->has_basic_constraints && c->is_ca && c->path_len >= 0)
            fprintf(out, " (path length %d)", c->path_len);
        fputs("\n", out);
    } else if (c->has_basic_constraints && c->is_ca) {
        label(out, 6, "CA");
        fputs(c->path_len >= 0 ? "yes" : "yes\n", out);
        if (c->path_len >= 0)
            fprintf(out, " (path length %d)\n", c->path_len);
    }
    if (c->has_key_usage) {
        label(out, 6, "key usage");
        char names[256];
        scep_key_usage_format(c->key_usage, names, sizeof names);
        fprintf(out, "%s\n", names);
    }
    if (scep_span_present(c->public_key_algorithm.oid)) {
        label(out, 6, "public key");
        print_oid(out, c->public_key_algorithm.oid);
        if (c->public_key_bits)
            fprintf(out, ", %u bits", c->public_key_bits);
        fputs("\n", out);
    }
    if (scep_span_present(c->signature_algorithm.oid)) {
        label(out, 6, "signed with");
        print_oid(out, c->signature_algorithm.oid);
        fputs("\n", out);
    }
}

/* print_errors prints each error; |input_name| says what an input offset is relative to when
 * that is not the input as given (the decoded URL message, the HTTP body). */
static void print_errors(FILE *out, const scep_errors *errors, const char *input_name)
{
    for (size_t i = 0; i < errors->count && i < SCEP_MAX_ERRORS; i++) {
        const scep_error *e = &errors->items[i];
        const char *code = scep_error_code_name(e->code);
        fprintf(out, "error: %s at offset %zu%s%s: %s\n", code ? code : "error", e->offset,
                e->source == SCEP_SRC_CONTENT ? " of the joined content"
                : input_name                  ? " of "
                                              : "",
                e->source == SCEP_SRC_CONTENT ? "" : input_name ? input_name : "",
                e->message ? e->message : "");
    }
    if (errors->dropped)
        fprintf(out, "error: ... and %zu more errors not recorded\n", errors->dropped);
}

static void print_signer_section(FILE *out, const scep_signed_data *sd)
{
    const scep_signer *s = &sd->signer;
    if (s->has_signing_time) {
        label(out, 2, "signingTime");
        print_time(out, s->signing_time);
        fputs("\n", out);
    }
    if (sd->signer_count > 0) {
        print_identifier(out, 2, "signer", &s->sid);
        label(out, 2, "digest algorithm");
        print_oid(out, s->digest_algorithm.oid);
        fputs("\n", out);
        label(out, 2, "signature algorithm");
        print_oid(out, s->signature_algorithm.oid);
        fputs("\n", out);
    }
    if (sd->signer_count > 1)
        fprintf(out, "  (%zu SignerInfos; the first is shown)\n", sd->signer_count);
}

static void print_pki_message(FILE *out, const scep_pki_message *m)
{
    const scep_signed_data *sd = &m->signed_data;
    const scep_signer *s = &sd->signer;

    fputs("pkiMessage\n", out);
    print_number_attr(out, "messageType", &s->message_type, scep_message_type_name);
    print_number_attr(out, "pkiStatus", &s->pki_status, scep_pki_status_name);
    print_number_attr(out, "failInfo", &s->fail_info, scep_fail_info_name);
    if (s->fail_info.present && s->fail_info.numeric && fail_info_advice(s->fail_info.value)) {
        label(out, 2, "meaning");
        fprintf(out, "%s\n", fail_info_advice(s->fail_info.value));
    }
    if (scep_span_present(s->fail_info_text)) {
        label(out, 2, "failInfoText");
        fputs("\"", out);
        print_span_text(out, s->fail_info_text);
        fputs("\"\n", out);
    }
    if (scep_span_present(s->transaction_id)) {
        label(out, 2, "transactionID");
        print_span_text(out, s->transaction_id);
        fputs("\n", out);
    }
    if (scep_span_present(s->sender_nonce)) {
        label(out, 2, "senderNonce");
        print_hex(out, s->sender_nonce);
        fprintf(out, " (%zu bytes)%s\n", s->sender_nonce.length,
                s->sender_nonce.length != 16 ? "  [RFC 8894 nonces are 16 bytes]" : "");
    }
    if (scep_span_present(s->recipient_nonce)) {
        label(out, 2, "recipientNonce");
        print_hex(out, s->recipient_nonce);
        fprintf(out, " (%zu bytes)\n", s->recipient_nonce.length);
        if (scep_span_present(s->sender_nonce) &&
            s->sender_nonce.length == s->recipient_nonce.length &&
            memcmp(s->sender_nonce.data, s->recipient_nonce.data, s->sender_nonce.length) == 0)
            fputs("  note: senderNonce equals recipientNonce: the server reused the request's "
                  "nonce (RFC 8894 wants a fresh one; micromdm does this)\n", out);
    }
    print_signer_section(out, sd);

    if (m->has_envelope) {
        const scep_envelope *env = &m->envelope;
        fputs("envelope (pkcsPKIEnvelope, encrypted: contents need the recipient's key)\n", out);
        label(out, 2, "content cipher");
        print_oid(out, env->content_encryption_algorithm.oid);
        if (scep_span_present(env->iv))
            fprintf(out, ", IV %zu bytes", env->iv.length);
        fputs("\n", out);
        label(out, 2, "encrypted content");
        fprintf(out, "%zu bytes\n", env->encrypted_length);
        for (size_t i = 0; i < env->recipient_count && i < SCEP_MAX_RECIPIENTS; i++) {
            const scep_recipient *r = &env->recipients[i];
            char what[32];
            snprintf(what, sizeof what, "recipient %zu", i + 1);
            print_identifier(out, 2, what, &r->rid);
            label(out, 2, "  key encryption");
            print_oid(out, r->key_encryption_algorithm.oid);
            fputs("\n", out);
        }
    } else if (scep_span_present(sd->encap_content) && sd->encap_content.length > 0) {
        fprintf(out, "content: %zu bytes, not an EnvelopedData\n", sd->encap_content.length);
    } else if (sd->signer_count > 0) {
        fputs("content: none (as CertRep FAILURE and PENDING send)\n", out);
    }

    if (sd->certificate_count > 0) {
        fprintf(out, "certificates (%zu)\n", sd->certificate_count);
        for (size_t i = 0; i < sd->certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
            print_certificate(out, i, &sd->certificates[i], false);
    }
    if (sd->crl_count > 0)
        fprintf(out, "CRLs: %zu\n", sd->crl_count);
}

/* bundle_kind_hint: where each kind of bundle is met, said after its name. */
static const char *bundle_kind_hint(scep_bundle_kind kind)
{
    switch (kind) {
    case SCEP_BUNDLE_CERTIFICATE: return " (GetCACert: application/x-x509-ca-cert)";
    case SCEP_BUNDLE_CERTS_ONLY: return " (GetCACert CA/RA chain, or CertRep content)";
    case SCEP_BUNDLE_SIGNED: return " (GetNextCACert)";
    case SCEP_BUNDLE_NONE: break;
    }
    return "";
}

static void print_bundle(FILE *out, const scep_cert_bundle *b)
{
    const char *kind = scep_bundle_kind_text(b->kind);
    fprintf(out, "certificate bundle: %s%s\n", kind ? kind : "not recognised", bundle_kind_hint(b->kind));
    if (b->kind == SCEP_BUNDLE_SIGNED)
        print_signer_section(out, &b->outer);
    fprintf(out, "certificates (%zu)\n", b->certificate_count);
    for (size_t i = 0; i < b->certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
        print_certificate(out, i, &b->certificates[i], true);
    if (b->kind == SCEP_BUNDLE_SIGNED && b->outer.certificate_count > 0) {
        fprintf(out, "signing certificates (%zu)\n", b->outer.certificate_count);
        for (size_t i = 0; i < b->outer.certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
            print_certificate(out, i, &b->outer.certificates[i], false);
    }
    if (b->crl_count > 0)
        fprintf(out, "CRLs: %zu\n", b->crl_count);
}

static void print_caps(FILE *out, const scep_caps *caps)
{
    fprintf(out, "capabilities (%zu)\n", caps->count);
    for (size_t i = 0; i < caps->count && i < SCEP_MAX_CAPABILITIES; i++) {
        fputs("  ", out);
        print_span_text(out, caps->items[i].text);
        if (caps->items[i].id == SCEP_CAP_UNKNOWN)
            fputs("  " SCEP_WORDS_UNKNOWN_CAPABILITY, out);
        fputs("\n", out);
    }
}

static void print_forms(FILE *out, unsigned forms)
{
    char names[256];
    scep_base64_forms_format(forms, names, sizeof names);
    fputs(names, out);
}

static void print_transport(FILE *out, const decoded *d, const char *source)
{
    fprintf(out, "input:                  %s (%s", source, scep_input_form_name(d->form));
    if (d->form == SCEP_FORM_PEM && d->pem_label[0])
        fprintf(out, " %s", d->pem_label);
    fputs(")\n", out);
    if (d->has_http) {
        const scep_http_parsed *h = &d->http;
        if (h->is_request) {
            label(out, 0, "request");
            print_text(out, (const uint8_t *)h->method, h->method_len);
            fputs(" ", out);
            print_text(out, (const uint8_t *)h->target, h->target_len);
            fputs("\n", out);
        } else {
            label(out, 0, "response");
            fprintf(out, "%d ", h->status);
            print_text(out, (const uint8_t *)h->reason, h->reason_len);
            fputs("\n", out);
        }
        if (h->content_type) {
            label(out, 0, "content type");
            print_text(out, (const uint8_t *)h->content_type, h->content_type_len);
            fputs("\n", out);
        }
        label(out, 0, "body");
        fprintf(out, "%zu bytes", h->body_len);
        if (h->chunked)
            fprintf(out, " in %zu chunks", h->chunk_count);
        if (h->has_content_length && !h->chunked)
            fprintf(out, " (Content-Length %zu)", h->content_length);
        fputs("\n", out);
    }
    const char *op = scep_operation_name(d->operation);
    if (d->has_query && d->query.operation == SCEP_OP_UNKNOWN) {
        label(out, 0, "operation");
        fputs("\"", out);
        print_span_text(out, d->query.operation_text);
        fputs("\" (not an RFC 8894 operation)\n", out);
    } else if (op) {
        label(out, 0, "operation");
        fprintf(out, "%s%s\n", op, d->operation_from_request ? "" : " (inferred)");
    }
    if (d->has_query && scep_span_present(d->query.message_text)) {
        if (d->query.operation == SCEP_OP_PKI_OPERATION) {
            label(out, 0, "message in URL");
            fprintf(out, "%zu base64 characters -> %zu bytes; forms: ", d->query.message_text.length,
                    d->query.message_len);
            print_forms(out, d->query.message_forms);
            fputs("\n", out);
        } else if (d->query_buf) {
            /* The plugin's word too: GetNextCACert and GetCACaps (certmonger) send one as well. */
            label(out, 0, d->query.operation != SCEP_OP_UNKNOWN ? "CA identifier" : "message");
            fputs("\"", out);
            print_text(out, d->query_buf, d->query.message_len);
            fputs("\"\n", out);
        }
    }
    if (d->form == SCEP_FORM_BASE64 || d->form == SCEP_FORM_PEM) {
        label(out, 0, "base64");
        print_forms(out, d->base64_forms);
        fputs("\n", out);
    }
    for (size_t i = 0; i < d->note_count; i++) {
        label(out, 0, "encoding");
        fprintf(out, "%s\n", d->notes[i]);
    }
}

static void print_checks(FILE *out, const decoded *d)
{
    if (!d->verified)
        return;
    fputs("checks\n", out);
    label(out, 2, "messageDigest");
    fprintf(out, "%s\n", scep_check_name(d->verification.message_digest));
    label(out, 2, "signature");
    fprintf(out, "%s\n", scep_check_name(d->verification.signature));
    if (d->verification.detail) {
        label(out, 2, "why");
        fprintf(out, "%s\n", d->verification.detail);
    }
}

static void print_request_content(FILE *out, const scep_request_content *rc)
{
    if (rc->kind == SCEP_CONTENT_CSR) {
        fprintf(out, "  %s\n", scep_content_kind_text(rc->kind));
        label(out, 4, "subject");
        print_name(out, rc->subject);
        fputs("\n", out);
        label(out, 4, "public key");
        print_oid(out, rc->public_key_algorithm.oid);
        if (rc->public_key_bits)
            fprintf(out, ", %u bits", rc->public_key_bits);
        fputs("\n", out);
        label(out, 4, "challengePassword");
        if (scep_span_present(rc->challenge_password))
            fprintf(out, "present (%zu characters, not shown)\n", rc->challenge_password.length);
        else
            fputs("absent  [servers that want a challenge answer FAILURE badRequest]\n", out);
        label(out, 4, "extensionRequest");
        fputs(scep_span_present(rc->extension_request) ? "present\n" : "absent\n", out);
        label(out, 4, "signed with");
        print_oid(out, rc->signature_algorithm.oid);
        fputs("\n", out);
    } else if (rc->kind == SCEP_CONTENT_ISSUER_AND_SUBJECT || rc->kind == SCEP_CONTENT_ISSUER_AND_SERIAL) {
        fprintf(out, "  %s\n", scep_content_kind_text(rc->kind));
        label(out, 4, "issuer");
        print_name(out, rc->issuer);
        fputs("\n", out);
        label(out, 4, rc->kind == SCEP_CONTENT_ISSUER_AND_SUBJECT ? "subject" : "serial");
        if (rc->kind == SCEP_CONTENT_ISSUER_AND_SUBJECT)
            print_name(out, rc->subject);
        else
            print_hex(out, rc->serial);
        fputs("\n", out);
    }
    print_errors(out, &rc->errors, "the decrypted content");
}

static void print_decrypted(FILE *out, const decoded *d)
{
    if (!d->decrypt_attempted)
        return;
    fputs("decrypted envelope\n", out);
    if (!d->plain) {
        fprintf(out, "  not decrypted: %s\n",
                d->decrypt_error.message ? d->decrypt_error.message : "unknown reason");
        return;
    }
    label(out, 2, "content");
    fprintf(out, "%zu bytes\n", d->plain_len);
    if (d->request)
        print_request_content(out, d->request);
    if (d->issued) {
        fprintf(out, "  issued certificates (%zu)\n", d->issued->certificate_count);
        for (size_t i = 0; i < d->issued->certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
            print_certificate(out, i, &d->issued->certificates[i], false);
        if (d->issued->crl_count)
            fprintf(out, "  CRLs: %zu\n", d->issued->crl_count);
        print_errors(out, &d->issued->errors, "the decrypted content");
    }
}

void report_text(FILE *out, const decoded *d, const char *source)
{
    print_transport(out, d, source);
    const scep_errors *errors = NULL;
    bool truncated = false;
    switch (d->kind) {
    case RESULT_PKI:
        if (d->status != SCEP_DECODE_NONE)
            print_pki_message(out, d->pki);
        errors = &d->pki->errors;
        truncated = d->pki->truncated;
        break;
    case RESULT_BUNDLE:
        print_bundle(out, d->bundle);
        errors = &d->bundle->errors;
        truncated = d->bundle->truncated;
        break;
    case RESULT_CAPS:
        print_caps(out, d->caps);
        errors = &d->caps->errors;
        break;
    case RESULT_QUERY_ONLY:
        if (d->pki) {
            errors = &d->pki->errors;
            truncated = d->pki->truncated;
        }
        break;
    case RESULT_NONE:
        break;
    }
    print_checks(out, d);
    print_decrypted(out, d);
    if (d->has_query) {
        truncated = truncated || d->query.truncated;
        print_errors(out, &d->query.errors, d->has_http ? "the request target" : NULL);
    }
    const char *decoded_from = NULL;
    if (d->has_query && d->query.message_len > 0 && d->kind != RESULT_NONE &&
        d->der == d->query_buf)
        decoded_from = "the base64-decoded message";
    else if (d->has_http)
        decoded_from = "the HTTP body";
    else if (d->der_from_text)
        decoded_from = d->form == SCEP_FORM_PEM ? "the PEM-decoded bytes" : "the base64-decoded bytes";
    if (errors)
        print_errors(out, errors, decoded_from);
    if (d->problem)
        fprintf(out, "error: %s\n", d->problem);
    if (truncated || (d->has_http && d->http.body_truncated))
        fputs("TRUNCATED: the input stops before the message ends; the fields above are what "
              "was there\n", out);
    int status = decoded_exit_status(d);
    fprintf(out, "result:                 %s\n",
            status == 0 ? "decoded cleanly"
                        : status == 1 ? "decoded with errors or truncation" : "nothing decodable");
}
