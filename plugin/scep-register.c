/* scep-register.c — Simple Certificate Enrollment Protocol (SCEP, RFC 8894) for Wireshark:
 * registration and hand-off. The filter fields, subtrees, expert infos and preferences are
 * defined here; plugin/README.md lists the fields and says which of them are stable.
 *
 * Glue only: libscepdec decodes, the plugin renders its result structs as a protocol tree.
 * The plugin's files, one concern each:
 *   scep-dispatch.c  recognition (first pass) and dispatch of each SCEP message of a frame
 *   scep-http.c      a frame's HTTP messages (bodies, method, target, status), gathered in
 *                    the first pass without HTTP's tree and kept per frame
 *   scep-pki.c       the pkiMessage tree: attributes, signer, envelope, recipients
 *   scep-bundle.c    certificate bundles and GetCACaps
 *   scep-certs.c     one certificate's subtree
 *   scep-crypto.c    signature checks, private keys, decryption, decrypted request content
 *   scep-cms.c       the CMS dissector's view of a pkiMessage
 *   scep-track.c     request/response tracking, Info column, tap, -z scep,tree
 *   scep-render.c    spans to tree items, library errors to expert infos
 *   scep-int.h       what they share */

#include "scep-int.h"

#include <epan/prefs.h>

#include "scep-register.h"

int proto_scep = -1;

/* Filter fields (plugin/README.md): extended, never renamed. */
int hf_scep_operation = -1;
int hf_scep_ca_ident = -1;
int hf_scep_message = -1;
int hf_scep_message_forms = -1;
int hf_scep_message_type = -1;
int hf_scep_pki_status = -1;
int hf_scep_fail_info = -1;
int hf_scep_fail_info_text = -1;
int hf_scep_transaction_id = -1;
int hf_scep_sender_nonce = -1;
int hf_scep_recipient_nonce = -1;
int hf_scep_signing_time = -1;
int hf_scep_digest_algorithm = -1;
int hf_scep_signature_algorithm = -1;
int hf_scep_content_encryption_algorithm = -1;
int hf_scep_signer = -1;
int hf_scep_signer_issuer = -1;
int hf_scep_signer_serial = -1;
int hf_scep_signer_ski = -1;
int hf_scep_envelope = -1;
int hf_scep_envelope_iv = -1;
int hf_scep_envelope_encrypted_length = -1;
int hf_scep_recipient = -1;
int hf_scep_recipient_issuer = -1;
int hf_scep_recipient_serial = -1;
int hf_scep_recipient_ski = -1;
int hf_scep_recipient_key_encryption_algorithm = -1;
int hf_scep_certificate_count = -1;
int hf_scep_crl_count = -1;
int hf_scep_certificate = -1;
int hf_scep_certificate_subject = -1;
int hf_scep_certificate_issuer = -1;
int hf_scep_certificate_serial = -1;
int hf_scep_certificate_not_before = -1;
int hf_scep_certificate_not_after = -1;
int hf_scep_certificate_public_key_algorithm = -1;
int hf_scep_certificate_public_key_bits = -1;
int hf_scep_certificate_signature_algorithm = -1;
int hf_scep_certificate_role = -1;
int hf_scep_certificate_key_usage = -1;
int hf_scep_certificate_is_ca = -1;
int hf_scep_certificate_self_issued = -1;
int hf_scep_bundle_kind = -1;
int hf_scep_capability = -1;
int hf_scep_indefinite_lengths = -1;
int hf_scep_content_chunks = -1;
int hf_scep_truncated = -1;
int hf_scep_response_in = -1;
int hf_scep_response_to = -1;
int hf_scep_response_time = -1;
int hf_scep_http_status = -1;
int hf_scep_check_message_digest = -1;
int hf_scep_check_signature = -1;
int hf_scep_decrypted = -1;
int hf_scep_csr = -1;
int hf_scep_csr_subject = -1;
int hf_scep_csr_public_key_algorithm = -1;
int hf_scep_csr_challenge_password = -1;
int hf_scep_csr_challenge_password_length = -1;
int hf_scep_csr_extension_request = -1;
int hf_scep_csr_signature_algorithm = -1;
int hf_scep_content = -1;
int hf_scep_content_issuer = -1;
int hf_scep_content_subject = -1;
int hf_scep_content_serial = -1;
int hf_scep_diagnosis = -1;

gint ett_scep = -1;
gint ett_scep_signer = -1;
gint ett_scep_envelope = -1;
gint ett_scep_recipient = -1;
gint ett_scep_certificate = -1;
gint ett_scep_certificates = -1;
gint ett_scep_decrypted = -1;
gint ett_scep_content = -1;

expert_field ei_scep_failure = EI_INIT;
expert_field ei_scep_pending = EI_INIT;
expert_field ei_scep_malformed = EI_INIT;
expert_field ei_scep_truncated = EI_INIT;
expert_field ei_scep_missing = EI_INIT;
expert_field ei_scep_unsupported = EI_INIT;
expert_field ei_scep_capacity = EI_INIT;
expert_field ei_scep_nonce_mismatch = EI_INIT;
expert_field ei_scep_nonce_reused = EI_INIT;
expert_field ei_scep_tid_mismatch = EI_INIT;
expert_field ei_scep_unknown_operation = EI_INIT;
expert_field ei_scep_unknown_message_type = EI_INIT;
expert_field ei_scep_deprecated_algorithm = EI_INIT;
expert_field ei_scep_http_error = EI_INIT;
expert_field ei_scep_not_numeric = EI_INIT;
expert_field ei_scep_cms_incomplete = EI_INIT;
expert_field ei_scep_base64_body = EI_INIT;
expert_field ei_scep_check_failed = EI_INIT;
expert_field ei_scep_not_decrypted = EI_INIT;
expert_field ei_scep_diagnosis_error = EI_INIT;
expert_field ei_scep_diagnosis_warning = EI_INIT;
expert_field ei_scep_diagnosis_note = EI_INIT;

static dissector_handle_t scep_handle;

/* Boolean preferences: prefs_register_bool_preference took a gboolean * up to Wireshark 4.2
 * and takes a bool * from 4.4 on. Which one is read off the function's own type, so the
 * same source builds on every release without version numbers. */
#define SCEP_PREFS_TAKE_BOOL                                                                  \
    _Generic(&prefs_register_bool_preference,                                                \
             void (*)(module_t *, const char *, const char *, const char *, bool *): 1,       \
             default: 0)

#define SCEP_BOOL_PREF(value) { (value), (value) }

gboolean pref_on(const scep_bool_pref *p)
{
    return SCEP_PREFS_TAKE_BOOL ? p->as_bool : p->as_gboolean;
}

/* The storage to hand prefs_register_bool_preference. */
static void *pref_storage(scep_bool_pref *p)
{
    return SCEP_PREFS_TAKE_BOOL ? (void *)&p->as_bool : (void *)&p->as_gboolean;
}

scep_bool_pref pref_call_cms = SCEP_BOOL_PREF(TRUE);
scep_bool_pref pref_verify = SCEP_BOOL_PREF(TRUE);
const char *pref_key_files = "";
scep_bool_pref pref_show_challenge = SCEP_BOOL_PREF(FALSE);

/* Named numbers, filled from the library's name functions at registration so that one table
 * serves the library, the CLI and the plugin. */
#define SCEP_VALS_CAP 64
static value_string vals_message_type[SCEP_VALS_CAP + 1];
static value_string vals_pki_status[SCEP_VALS_CAP + 1];
static value_string vals_fail_info[SCEP_VALS_CAP + 1];

static void fill_vals(value_string *vals, const char *(*name_of)(long))
{
    size_t n = 0;
    const char *name;
    for (long v = -1; n < SCEP_VALS_CAP && (name = scep_named_value_next(name_of, &v)) != NULL; n++) {
        vals[n].value = (guint32)v;
        vals[n].strptr = name;
    }
    vals[n].value = 0;
    vals[n].strptr = NULL;
}

/* The filter fields. The one function allowed over 100 lines: a table. */
static void register_fields(void)
{
    static hf_register_info hf[] = {
        { &hf_scep_operation, { "Operation", "scep.operation", FT_STRING, BASE_NONE, NULL, 0x0,
          "SCEP operation (GetCACert, GetCACaps, GetNextCACert, PKIOperation, or as sent)", HFILL } },
        { &hf_scep_ca_ident, { "CA identifier", "scep.ca_ident", FT_STRING, BASE_NONE, NULL, 0x0,
          "GetCACert/GetNextCACert message parameter", HFILL } },
        { &hf_scep_message, { "Message (base64)", "scep.message", FT_STRING, BASE_NONE, NULL, 0x0,
          "The message parameter of a GET PKIOperation, as sent", HFILL } },
        { &hf_scep_message_forms, { "Base64 forms", "scep.message_forms", FT_UINT32, BASE_HEX, NULL, 0x0,
          "Base64 variants seen in the message parameter (libscepdec SCEP_B64_* bits)", HFILL } },
        { &hf_scep_message_type, { "Message type", "scep.message_type", FT_UINT32, BASE_DEC,
          VALS(vals_message_type), 0x0, "messageType attribute", HFILL } },
        { &hf_scep_pki_status, { "PKI status", "scep.pki_status", FT_UINT32, BASE_DEC,
          VALS(vals_pki_status), 0x0, "pkiStatus attribute", HFILL } },
        { &hf_scep_fail_info, { "Fail info", "scep.fail_info", FT_UINT32, BASE_DEC,
          VALS(vals_fail_info), 0x0, "failInfo attribute", HFILL } },
        { &hf_scep_fail_info_text, { "Fail info text", "scep.fail_info_text", FT_STRING, BASE_NONE,
          NULL, 0x0, "failInfoText attribute (RFC 8894)", HFILL } },
        { &hf_scep_transaction_id, { "Transaction ID", "scep.transaction_id", FT_STRING, BASE_NONE,
          NULL, 0x0, "transactionID attribute", HFILL } },
        { &hf_scep_sender_nonce, { "Sender nonce", "scep.sender_nonce", FT_BYTES, BASE_NONE, NULL, 0x0,
          "senderNonce attribute", HFILL } },
        { &hf_scep_recipient_nonce, { "Recipient nonce", "scep.recipient_nonce", FT_BYTES, BASE_NONE,
          NULL, 0x0, "recipientNonce attribute", HFILL } },
        { &hf_scep_signing_time, { "Signing time", "scep.signing_time", FT_ABSOLUTE_TIME,
          ABSOLUTE_TIME_UTC, NULL, 0x0, "signingTime attribute", HFILL } },
        { &hf_scep_digest_algorithm, { "Digest algorithm", "scep.digest_algorithm", FT_OID, BASE_NONE,
          NULL, 0x0, "Signer's digest algorithm", HFILL } },
        { &hf_scep_signature_algorithm, { "Signature algorithm", "scep.signature_algorithm", FT_OID,
          BASE_NONE, NULL, 0x0, "Signer's signature algorithm", HFILL } },
        { &hf_scep_content_encryption_algorithm, { "Content encryption algorithm",
          "scep.content_encryption_algorithm", FT_OID, BASE_NONE, NULL, 0x0,
          "pkcsPKIEnvelope content cipher", HFILL } },
        { &hf_scep_signer, { "Signer", "scep.signer", FT_NONE, BASE_NONE, NULL, 0x0,
          "The SignerInfo", HFILL } },
        { &hf_scep_signer_issuer, { "Issuer", "scep.signer.issuer", FT_STRING, BASE_NONE, NULL, 0x0,
          "Signer certificate's issuer", HFILL } },
        { &hf_scep_signer_serial, { "Serial number", "scep.signer.serial", FT_BYTES, BASE_NONE, NULL, 0x0,
          "Signer certificate's serial number", HFILL } },
        { &hf_scep_signer_ski, { "Subject key identifier", "scep.signer.ski", FT_BYTES, BASE_NONE, NULL,
          0x0, "Signer identified by subject key identifier", HFILL } },
        { &hf_scep_envelope, { "pkcsPKIEnvelope", "scep.envelope", FT_NONE, BASE_NONE, NULL, 0x0,
          "The EnvelopedData inside the pkiMessage", HFILL } },
        { &hf_scep_envelope_iv, { "IV", "scep.envelope.iv", FT_BYTES, BASE_NONE, NULL, 0x0,
          "Content cipher's initialization vector", HFILL } },
        { &hf_scep_envelope_encrypted_length, { "Encrypted content length", "scep.envelope.encrypted_length",
          FT_UINT32, BASE_DEC, NULL, 0x0, "Ciphertext octets, chunks added up", HFILL } },
        { &hf_scep_recipient, { "Recipient", "scep.recipient", FT_NONE, BASE_NONE, NULL, 0x0,
          "A RecipientInfo of the pkcsPKIEnvelope", HFILL } },
        { &hf_scep_recipient_issuer, { "Issuer", "scep.recipient.issuer", FT_STRING, BASE_NONE, NULL,
          0x0, "Recipient certificate's issuer", HFILL } },
        { &hf_scep_recipient_serial, { "Serial number", "scep.recipient.serial", FT_BYTES, BASE_NONE,
          NULL, 0x0, "Recipient certificate's serial number", HFILL } },
        { &hf_scep_recipient_ski, { "Subject key identifier", "scep.recipient.ski", FT_BYTES, BASE_NONE,
          NULL, 0x0, "Recipient identified by subject key identifier", HFILL } },
        { &hf_scep_recipient_key_encryption_algorithm, { "Key encryption algorithm",
          "scep.recipient.key_encryption_algorithm", FT_OID, BASE_NONE, NULL, 0x0,
          "Algorithm the content key is encrypted with for this recipient", HFILL } },
        { &hf_scep_certificate_count, { "Certificates", "scep.certificate_count", FT_UINT32, BASE_DEC,
          NULL, 0x0, "Number of certificates carried", HFILL } },
        { &hf_scep_crl_count, { "CRLs", "scep.crl_count", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Number of CRLs carried", HFILL } },
        { &hf_scep_certificate, { "Certificate", "scep.certificate", FT_NONE, BASE_NONE, NULL, 0x0,
          "A certificate carried by the message", HFILL } },
        { &hf_scep_certificate_subject, { "Subject", "scep.certificate.subject", FT_STRING, BASE_NONE,
          NULL, 0x0, NULL, HFILL } },
        { &hf_scep_certificate_issuer, { "Issuer", "scep.certificate.issuer", FT_STRING, BASE_NONE,
          NULL, 0x0, NULL, HFILL } },
        { &hf_scep_certificate_serial, { "Serial number", "scep.certificate.serial", FT_BYTES, BASE_NONE,
          NULL, 0x0, NULL, HFILL } },
        { &hf_scep_certificate_not_before, { "Not before", "scep.certificate.not_before",
          FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_certificate_not_after, { "Not after", "scep.certificate.not_after",
          FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_certificate_public_key_algorithm, { "Public key algorithm",
          "scep.certificate.public_key_algorithm", FT_OID, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_certificate_public_key_bits, { "Public key size", "scep.certificate.public_key_bits",
          FT_UINT32, BASE_DEC, NULL, 0x0, "RSA modulus or EC field size in bits", HFILL } },
        { &hf_scep_certificate_signature_algorithm, { "Signature algorithm",
          "scep.certificate.signature_algorithm", FT_OID, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_certificate_role, { "Role", "scep.certificate.role", FT_STRING, BASE_NONE, NULL, 0x0,
          "What the certificate is for, from basicConstraints and keyUsage", HFILL } },
        { &hf_scep_certificate_key_usage, { "Key usage", "scep.certificate.key_usage", FT_UINT16,
          BASE_HEX, NULL, 0x0, "keyUsage bits, RFC 5280 numbering as flags (bit 0 digitalSignature)",
          HFILL } },
        { &hf_scep_certificate_is_ca, { "CA", "scep.certificate.is_ca", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "basicConstraints cA", HFILL } },
        { &hf_scep_certificate_self_issued, { "Self-issued", "scep.certificate.self_issued", FT_BOOLEAN,
          BASE_NONE, NULL, 0x0, "Issuer and subject encode identically", HFILL } },
        { &hf_scep_bundle_kind, { "Bundle", "scep.bundle_kind", FT_STRING, BASE_NONE, NULL, 0x0,
          "Form of a GetCACert/GetNextCACert/CertRep certificate bundle", HFILL } },
        { &hf_scep_capability, { "Capability", "scep.capability", FT_STRING, BASE_NONE, NULL, 0x0,
          "One GetCACaps capability, as sent", HFILL } },
        { &hf_scep_indefinite_lengths, { "BER indefinite lengths", "scep.indefinite_lengths",
          FT_BOOLEAN, BASE_NONE, NULL, 0x0, "The message uses BER indefinite lengths (iOS does)", HFILL } },
        { &hf_scep_content_chunks, { "Encapsulated content chunks", "scep.content_chunks", FT_UINT32,
          BASE_DEC, NULL, 0x0, "The pkcsPKIEnvelope came as a constructed OCTET STRING of this many chunks",
          HFILL } },
        { &hf_scep_truncated, { "Truncated", "scep.truncated", FT_BOOLEAN, BASE_NONE,
          NULL, 0x0, "The message stops before its end", HFILL } },
        { &hf_scep_response_in, { "Response in", "scep.response_in", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The response to this SCEP request is in this frame",
          HFILL } },
        { &hf_scep_response_to, { "Request in", "scep.response_to", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "This is a response to the SCEP request in this frame",
          HFILL } },
        { &hf_scep_response_time, { "Response time", "scep.response_time", FT_RELATIVE_TIME, BASE_NONE,
          NULL, 0x0, "Time from the SCEP request to this response", HFILL } },
        { &hf_scep_check_message_digest, { "messageDigest check", "scep.check.message_digest", FT_STRING,
          BASE_NONE, NULL, 0x0, "messageDigest against the encapsulated content: ok, FAILED, not done, unsupported",
          HFILL } },
        { &hf_scep_check_signature, { "Signature check", "scep.check.signature", FT_STRING, BASE_NONE,
          NULL, 0x0, "Signature over the signed attributes: ok, FAILED, not done, unsupported", HFILL } },
        { &hf_scep_decrypted, { "Decrypted content", "scep.decrypted", FT_NONE, BASE_NONE, NULL, 0x0,
          "Plaintext of the pkcsPKIEnvelope, opened with a configured key", HFILL } },
        { &hf_scep_csr, { "Certificate request", "scep.csr", FT_NONE, BASE_NONE, NULL, 0x0,
          "The PKCS#10 request of a PKCSReq or RenewalReq", HFILL } },
        { &hf_scep_csr_subject, { "Subject", "scep.csr.subject", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_csr_public_key_algorithm, { "Public key algorithm", "scep.csr.public_key_algorithm", FT_OID,
          BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_csr_challenge_password, { "Challenge password", "scep.csr.challenge_password", FT_STRING,
          BASE_NONE, NULL, 0x0, "Shown only with the show_challenge preference", HFILL } },
        { &hf_scep_csr_challenge_password_length, { "Challenge password length",
          "scep.csr.challenge_password_length", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_csr_extension_request, { "Extension request", "scep.csr.extension_request", FT_BYTES,
          BASE_NONE, NULL, 0x0, "The requested extensions (DER)", HFILL } },
        { &hf_scep_csr_signature_algorithm, { "Signature algorithm", "scep.csr.signature_algorithm", FT_OID,
          BASE_NONE, NULL, 0x0, NULL, HFILL } },
        { &hf_scep_content, { "Request content", "scep.content", FT_NONE, BASE_NONE, NULL, 0x0,
          "IssuerAndSubject (CertPoll) or IssuerAndSerialNumber (GetCert, GetCRL)", HFILL } },
        { &hf_scep_content_issuer, { "Issuer", "scep.content.issuer", FT_STRING, BASE_NONE, NULL, 0x0, NULL,
          HFILL } },
        { &hf_scep_content_subject, { "Subject", "scep.content.subject", FT_STRING, BASE_NONE, NULL, 0x0,
          NULL, HFILL } },
        { &hf_scep_content_serial, { "Serial number", "scep.content.serial", FT_BYTES, BASE_NONE, NULL, 0x0,
          NULL, HFILL } },
        { &hf_scep_http_status, { "HTTP status", "scep.http_status", FT_UINT16, BASE_DEC, NULL, 0x0,
          "HTTP status code of the response", HFILL } },
        { &hf_scep_diagnosis, { "Diagnosis", "scep.diagnosis", FT_STRING, BASE_NONE, NULL, 0x0,
          "<code>: <sentence>: a likely cause found from the message and its context (codes in "
          "docs/diagnosis.md)", HFILL } },
    };
    proto_register_field_array(proto_scep, hf, array_length(hf));
}

/* Each registered expert info's severity, by its expert id less the lowest of SCEP's: the
 * ids Wireshark gives are small integers, and a frame's severities are compared often. */
#define SCEP_MAX_EXPERTS 64
static int expert_severities[SCEP_MAX_EXPERTS];
static int first_expert_id;

int scep_expert_severity(const expert_field *ei)
{
    int at = ei->ei - first_expert_id;
    return at >= 0 && at < SCEP_MAX_EXPERTS ? expert_severities[at] : 0;
}

static void note_severities(const ei_register_info *ei, size_t count)
{
    first_expert_id = ei[0].ids->ei;
    for (size_t i = 1; i < count; i++)
        first_expert_id = MIN(first_expert_id, ei[i].ids->ei);
    for (size_t i = 0; i < count; i++) {
        int at = ei[i].ids->ei - first_expert_id;
        DISSECTOR_ASSERT(at >= 0 && at < SCEP_MAX_EXPERTS);
        expert_severities[at] = ei[i].eiinfo.severity;
    }
}

static void register_subtrees_and_experts(void)
{
    static gint *ett[] = {
        &ett_scep, &ett_scep_signer, &ett_scep_envelope, &ett_scep_recipient, &ett_scep_certificate,
        &ett_scep_certificates, &ett_scep_decrypted, &ett_scep_content,
    };

    static ei_register_info ei[] = {
        { &ei_scep_failure, { "scep.failure", PI_RESPONSE_CODE, PI_WARN, "SCEP FAILURE", EXPFILL } },
        { &ei_scep_pending, { "scep.pending", PI_RESPONSE_CODE, PI_NOTE,
          "SCEP PENDING: the client is to poll with CertPoll", EXPFILL } },
        { &ei_scep_malformed, { "scep.malformed", PI_MALFORMED, PI_ERROR, "Malformed SCEP message",
          EXPFILL } },
        { &ei_scep_truncated, { "scep.truncated.expert", PI_MALFORMED, PI_ERROR,
          "SCEP message truncated", EXPFILL } },
        { &ei_scep_missing, { "scep.missing", PI_PROTOCOL, PI_WARN,
          "Mandatory element or attribute missing", EXPFILL } },
        { &ei_scep_unsupported, { "scep.unsupported", PI_UNDECODED, PI_NOTE,
          "Structure not decoded by this version", EXPFILL } },
        { &ei_scep_capacity, { "scep.capacity", PI_UNDECODED, PI_WARN,
          "More entries than the decoder keeps; the first ones are shown", EXPFILL } },
        { &ei_scep_nonce_mismatch, { "scep.recipient_nonce.mismatch", PI_SEQUENCE, PI_WARN,
          "recipientNonce differs from the request's senderNonce", EXPFILL } },
        { &ei_scep_nonce_reused, { "scep.sender_nonce.reused", PI_PROTOCOL, PI_WARN,
          "CertRep reuses the request's senderNonce", EXPFILL } },
        { &ei_scep_tid_mismatch, { "scep.transaction_id.mismatch", PI_SEQUENCE, PI_WARN,
          "transactionID differs from the request's", EXPFILL } },
        { &ei_scep_unknown_operation, { "scep.operation.unknown", PI_PROTOCOL, PI_WARN,
          "Unknown SCEP operation", EXPFILL } },
        { &ei_scep_unknown_message_type, { "scep.message_type.unknown", PI_PROTOCOL, PI_WARN,
          "Unknown SCEP messageType", EXPFILL } },
        { &ei_scep_deprecated_algorithm, { "scep.deprecated_algorithm", PI_SECURITY, PI_WARN,
          "Deprecated algorithm", EXPFILL } },
        { &ei_scep_http_error, { "scep.http_error", PI_RESPONSE_CODE, PI_WARN,
          "HTTP error answering a SCEP request", EXPFILL } },
        { &ei_scep_not_numeric, { "scep.not_numeric", PI_PROTOCOL, PI_WARN,
          "SCEP number attribute is not a decimal number", EXPFILL } },
        { &ei_scep_cms_incomplete, { "scep.cms_incomplete", PI_UNDECODED, PI_NOTE,
          "The CMS dissector stopped early on this pkiMessage", EXPFILL } },
        { &ei_scep_not_decrypted, { "scep.not_decrypted", PI_DECRYPTION, PI_NOTE,
          "pkcsPKIEnvelope not decrypted with the configured keys", EXPFILL } },
        { &ei_scep_check_failed, { "scep.check_failed", PI_CHECKSUM, PI_ERROR,
          "messageDigest or signature check failed", EXPFILL } },
        { &ei_scep_base64_body, { "scep.base64_body", PI_PROTOCOL, PI_NOTE,
          "pkiMessage sent as base64 text in the body, not as DER", EXPFILL } },
        { &ei_scep_diagnosis_error, { "scep.diagnosis.error", PI_PROTOCOL, PI_ERROR,
          "Likely cause of a failure", EXPFILL } },
        { &ei_scep_diagnosis_warning, { "scep.diagnosis.warning", PI_PROTOCOL, PI_WARN,
          "Likely cause of a failure", EXPFILL } },
        { &ei_scep_diagnosis_note, { "scep.diagnosis.note", PI_PROTOCOL, PI_NOTE,
          "Deviation from RFC 8894", EXPFILL } },
    };

    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert = expert_register_protocol(proto_scep);
    expert_register_field_array(expert, ei, array_length(ei));
    note_severities(ei, array_length(ei));
}

static void register_prefs(void)
{
    module_t *prefs = prefs_register_protocol(proto_scep, load_keys);
    prefs_register_bool_preference(prefs, "cms_subtree", "Show the pkiMessage in the CMS dissector",
                                   "Also hand each pkiMessage to Wireshark's CMS dissector for the "
                                   "full ASN.1 view",
                                   pref_storage(&pref_call_cms));
    prefs_register_bool_preference(prefs, "verify", "Check messageDigest and signature",
                                   "Check each pkiMessage's messageDigest and signature (OpenSSL) and "
                                   "flag failures",
                                   pref_storage(&pref_verify));
    prefs_register_string_preference(prefs, "private_keys", "Private keys (PEM or DER files, ; separated)",
                                     "Unencrypted private keys to open pkcsPKIEnvelopes with: the CA's or RA's "
                                     "key for requests, the client's key for CertReps",
                                     &pref_key_files);
    prefs_register_bool_preference(prefs, "show_challenge", "Show the challenge password",
                                   "Show a decrypted CSR's challengePassword in clear (otherwise only its "
                                   "length)",
                                   pref_storage(&pref_show_challenge));
}

void proto_register_scep(void)
{
    fill_vals(vals_message_type, scep_message_type_name);
    fill_vals(vals_pki_status, scep_pki_status_name);
    fill_vals(vals_fail_info, scep_fail_info_name);

    proto_scep = proto_register_protocol("Simple Certificate Enrollment Protocol", "SCEP", "scep");
    register_fields();
    register_subtrees_and_experts();
    register_prefs();

    scep_handle = create_dissector_handle(dissect_scep, proto_scep);
    register_postdissector(scep_handle);
    register_init_routine(scep_init_tracking);
    register_init_routine(scep_init_frames);
    register_cleanup_routine(scep_reuse_cleanup);
    register_init_routine(scep_init_evidence);
    register_init_routine(scep_http_init);
    register_stats();
}

void proto_reg_handoff_scep(void)
{
    cms_handoff(); /* first: it looks up application/pkcs7-mime's own dissector */
    scep_http_handoff(proto_scep);
}
