/* packet-scep.c — Simple Certificate Enrollment Protocol (SCEP, RFC 8894) for Wireshark.
 *
 * Glue only: libscepdec decodes, this file renders its result structs as a protocol tree.
 *
 * Recognition. SCEP rides on HTTP, but its requests often carry a wrong content type
 * (micromdm POSTs application/octet-stream) or no body at all (GET with the pkiMessage in
 * the URI), and HTTP 4.0 tells a media_type subdissector neither the request URI nor the
 * method. So this is a postdissector: after HTTP has run, it looks at every HTTP message of
 * the frame (request URI, method, content type, body, request_in, response_for.uri, which
 * it asks for with set_postdissector_wanted_hfids) and adds a "Simple Certificate Enrollment
 * Protocol" tree when the message is SCEP:
 *   - a request whose URI has operation=<a SCEP operation> (GET or POST, any content type);
 *     an operation this file does not know counts only on a SCEP-looking path (scep,
 *     pkiclient.exe, mscep) or with an application/x-pki-message body, so that unrelated
 *     web applications with an "operation" parameter stay untouched;
 *   - a request whose body is application/x-pki-message;
 *   - a response to such a request (found through http.request_in), whatever its type;
 *   - a response whose request is not in the capture, when its type is SCEP-specific
 *     (x-pki-message, x-x509-ca-ra-cert, x-x509-next-ca-cert). A bare x-x509-ca-cert is
 *     also what browsers fetch for AIA, so it counts only when the request was SCEP.
 * Nothing of HTTP's own tree changes; HTTP inside TLS works when Wireshark decrypts it.
 *
 * Spans. Every field highlights the bytes it came from: the HTTP body, the request URI, the
 * "Decoded PKIOperation message" data source (a GET's base64 message) or the "Reassembled
 * pkcsPKIEnvelope" data source (a chunked BER OCTET STRING joined by the library).
 *
 * Tracking. Requests and CertReps are linked over the whole capture by transactionID plus
 * nonce (request senderNonce == CertRep recipientNonce), across TCP connections and CertPoll
 * rounds; operations without a transaction (GetCACert, GetCACaps, ...) and CertReps whose
 * nonce matches nothing are linked through HTTP's own request/response pairing. */

#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif
#include <ws_version.h>

#include <epan/packet.h>
#include <epan/proto_data.h>
#include <epan/proto.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <epan/stats_tree.h>
#include <epan/exceptions.h>
#include <epan/wmem_scopes.h>
#include <epan/oids.h>
#include <epan/dissectors/packet-ber.h>

#include <stdbool.h>
#include <string.h>

#include <scepdec.h>

#include "packet-scep.h"
#include "scep-http.h"


#define SCEP_NAME_CAP 1024   /* RFC 4514 text of one Name; the library cuts with "..." */

static int proto_scep = -1;
static int scep_tap = -1;

/* The contract fields (DESIGN.md) and additions. */
static int hf_scep_operation = -1;
static int hf_scep_ca_ident = -1;
static int hf_scep_message = -1;
static int hf_scep_message_forms = -1;
static int hf_scep_message_type = -1;
static int hf_scep_pki_status = -1;
static int hf_scep_fail_info = -1;
static int hf_scep_fail_info_text = -1;
static int hf_scep_transaction_id = -1;
static int hf_scep_sender_nonce = -1;
static int hf_scep_recipient_nonce = -1;
static int hf_scep_signing_time = -1;
static int hf_scep_digest_algorithm = -1;
static int hf_scep_signature_algorithm = -1;
static int hf_scep_content_encryption_algorithm = -1;
static int hf_scep_signer = -1;
static int hf_scep_signer_issuer = -1;
static int hf_scep_signer_serial = -1;
static int hf_scep_signer_ski = -1;
static int hf_scep_envelope = -1;
static int hf_scep_envelope_iv = -1;
static int hf_scep_envelope_encrypted_length = -1;
static int hf_scep_recipient = -1;
static int hf_scep_recipient_issuer = -1;
static int hf_scep_recipient_serial = -1;
static int hf_scep_recipient_ski = -1;
static int hf_scep_recipient_key_encryption_algorithm = -1;
static int hf_scep_certificate_count = -1;
static int hf_scep_crl_count = -1;
static int hf_scep_certificate = -1;
static int hf_scep_certificate_subject = -1;
static int hf_scep_certificate_issuer = -1;
static int hf_scep_certificate_serial = -1;
static int hf_scep_certificate_not_before = -1;
static int hf_scep_certificate_not_after = -1;
static int hf_scep_certificate_public_key_algorithm = -1;
static int hf_scep_certificate_public_key_bits = -1;
static int hf_scep_certificate_signature_algorithm = -1;
static int hf_scep_certificate_role = -1;
static int hf_scep_certificate_key_usage = -1;
static int hf_scep_certificate_is_ca = -1;
static int hf_scep_certificate_self_issued = -1;
static int hf_scep_bundle_kind = -1;
static int hf_scep_capability = -1;
static int hf_scep_indefinite_lengths = -1;
static int hf_scep_content_chunks = -1;
static int hf_scep_truncated = -1;
static int hf_scep_response_in = -1;
static int hf_scep_response_to = -1;
static int hf_scep_response_time = -1;
static int hf_scep_http_status = -1;
static int hf_scep_check_message_digest = -1;
static int hf_scep_check_signature = -1;
static int hf_scep_decrypted = -1;
static int hf_scep_csr = -1;
static int hf_scep_csr_subject = -1;
static int hf_scep_csr_public_key_algorithm = -1;
static int hf_scep_csr_challenge_password = -1;
static int hf_scep_csr_challenge_password_length = -1;
static int hf_scep_csr_extension_request = -1;
static int hf_scep_csr_signature_algorithm = -1;
static int hf_scep_content = -1;
static int hf_scep_content_issuer = -1;
static int hf_scep_content_subject = -1;
static int hf_scep_content_serial = -1;

static gint ett_scep = -1;
static gint ett_scep_signer = -1;
static gint ett_scep_envelope = -1;
static gint ett_scep_recipient = -1;
static gint ett_scep_certificate = -1;
static gint ett_scep_certificates = -1;
static gint ett_scep_decrypted = -1;
static gint ett_scep_content = -1;

static expert_field ei_scep_failure = EI_INIT;
static expert_field ei_scep_pending = EI_INIT;
static expert_field ei_scep_malformed = EI_INIT;
static expert_field ei_scep_truncated = EI_INIT;
static expert_field ei_scep_missing = EI_INIT;
static expert_field ei_scep_unsupported = EI_INIT;
static expert_field ei_scep_capacity = EI_INIT;
static expert_field ei_scep_nonce_mismatch = EI_INIT;
static expert_field ei_scep_nonce_reused = EI_INIT;
static expert_field ei_scep_tid_mismatch = EI_INIT;
static expert_field ei_scep_unknown_operation = EI_INIT;
static expert_field ei_scep_unknown_message_type = EI_INIT;
static expert_field ei_scep_deprecated_algorithm = EI_INIT;
static expert_field ei_scep_http_error = EI_INIT;
static expert_field ei_scep_not_numeric = EI_INIT;
static expert_field ei_scep_cms_incomplete = EI_INIT;
static expert_field ei_scep_base64_body = EI_INIT;
static expert_field ei_scep_check_failed = EI_INIT;
static expert_field ei_scep_not_decrypted = EI_INIT;

static dissector_handle_t scep_handle;
static dissector_handle_t cms_handle;
static dissector_handle_t envelope_cms_handle;
static dissector_handle_t attribute_value_handle;

/* Boolean preferences: prefs_register_bool_preference took a gboolean * up to Wireshark 4.2
 * and takes a bool * from 4.4 on. Which one is read off the function's own type, so the
 * same source builds on every release without version numbers. */
#define SCEP_PREFS_TAKE_BOOL                                                                  \
    _Generic(&prefs_register_bool_preference,                                                \
             void (*)(module_t *, const char *, const char *, const char *, bool *): 1,       \
             default: 0)

typedef struct {
    gboolean as_gboolean;
    bool as_bool;
} scep_bool_pref;

#define SCEP_BOOL_PREF(value) { (value), (value) }

static gboolean pref_on(const scep_bool_pref *p)
{
    return SCEP_PREFS_TAKE_BOOL ? p->as_bool : p->as_gboolean;
}

/* The storage to hand prefs_register_bool_preference. */
static void *pref_storage(scep_bool_pref *p)
{
    return SCEP_PREFS_TAKE_BOOL ? (void *)&p->as_bool : (void *)&p->as_gboolean;
}

static scep_bool_pref pref_call_cms = SCEP_BOOL_PREF(TRUE);
static scep_bool_pref pref_verify = SCEP_BOOL_PREF(TRUE);
static const char *pref_key_files = "";
static scep_bool_pref pref_show_challenge = SCEP_BOOL_PREF(FALSE);

/* Named numbers, filled from the library's name functions at registration so that one table
 * serves the library, the CLI and the plugin. */
#define SCEP_VALS_CAP 64
static value_string vals_message_type[SCEP_VALS_CAP + 1];
static value_string vals_pki_status[SCEP_VALS_CAP + 1];
static value_string vals_fail_info[SCEP_VALS_CAP + 1];

static void fill_vals(value_string *vals, const char *(*name_of)(long))
{
    size_t n = 0;
    for (long v = 0; v < 256 && n < SCEP_VALS_CAP; v++) {
        const char *name = name_of(v);
        if (name != NULL) {
            vals[n].value = (guint32)v;
            vals[n].strptr = name;
            n++;
        }
    }
    vals[n].value = 0;
    vals[n].strptr = NULL;
}

/* ---------------------------------------------------------------------------------------
 * Request/response tracking (file scope)
 * ------------------------------------------------------------------------------------- */

/* One SCEP message as remembered for the whole capture. Key in scep_records: frame number
 * times SCEP_MAX_HTTP_MESSAGES plus the message's index within the frame. */
typedef struct {
    guint32 frame;
    nstime_t ts;
    gboolean is_request;
    scep_operation operation;
    const char *operation_text; /* as sent, for unknown operations */
    gint message_type;          /* -1 when absent */
    const char *transaction_id; /* NULL when absent */
    const guint8 *sender_nonce;
    gsize sender_nonce_len;
    guint32 peer_frame;         /* response_in for a request, response_to for a response */
    gboolean linked_by_nonce;
} scep_record;

static wmem_map_t *scep_records;      /* record key -> scep_record */
static wmem_map_t *scep_transactions; /* "tid\x1fhex(nonce)" -> record key of the request */

static guint record_key(guint32 frame, guint index)
{
    return frame * SCEP_MAX_HTTP_MESSAGES + index;
}

static scep_record *record_lookup(guint32 frame, guint index)
{
    return (scep_record *)wmem_map_lookup(scep_records, GUINT_TO_POINTER(record_key(frame, index)));
}

/* request_record: the request remembered in |frame| (0: none), NULL when there is none. */
static scep_record *request_record(guint32 frame)
{
    for (guint i = 0; frame != 0 && i < SCEP_MAX_HTTP_MESSAGES; i++) {
        scep_record *r = record_lookup(frame, i);
        if (r != NULL && r->is_request)
            return r;
    }
    return NULL;
}

static char *transaction_key(wmem_allocator_t *scope, const char *tid, const guint8 *nonce,
                             gsize nonce_len)
{
    static const char hex[] = "0123456789abcdef";
    wmem_strbuf_t *key = wmem_strbuf_new(scope, tid);
    wmem_strbuf_append_c(key, '\x1f');
    for (gsize i = 0; i < nonce_len; i++) {
        wmem_strbuf_append_c(key, hex[nonce[i] >> 4]);
        wmem_strbuf_append_c(key, hex[nonce[i] & 15]);
    }
    return wmem_strbuf_finalize(key);
}

static void scep_init_tracking(void)
{
    scep_records = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    scep_transactions = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
}

/* ---------------------------------------------------------------------------------------
 * Rendering helpers: spans to tree items
 * ------------------------------------------------------------------------------------- */

/* Where the library's spans point: SCEP_SRC_INPUT spans are offsets from |input_base| in
 * |input|; SCEP_SRC_CONTENT spans are offsets in |content| (NULL when nothing was joined). */
typedef struct {
    packet_info *pinfo;
    tvbuff_t *input;
    gint input_base;
    tvbuff_t *content;
} span_sources;

static gboolean span_locate(const span_sources *src, scep_span span, tvbuff_t **tvb, gint *offset,
                            gint *length)
{
    if (!scep_span_present(span))
        return FALSE;
    tvbuff_t *t = span.source == SCEP_SRC_CONTENT ? src->content : src->input;
    gint base = span.source == SCEP_SRC_CONTENT ? 0 : src->input_base;
    if (t == NULL || span.offset > G_MAXINT32 / 2 || span.length > G_MAXINT32 / 2)
        return FALSE;
    gint off = base + (gint)span.offset;
    gint len = (gint)span.length;
    if (!tvb_bytes_exist(t, off, len))
        return FALSE;
    *tvb = t;
    *offset = off;
    *length = len;
    return TRUE;
}

/* The library's names of the flags set in |flags|, comma separated. */
static const char *flag_names(wmem_allocator_t *scope, unsigned flags, const char *(*name_of)(unsigned))
{
    wmem_strbuf_t *names = wmem_strbuf_new(scope, "");
    for (unsigned bit = 0; bit < 32; bit++) {
        if (!(flags & (1u << bit)))
            continue;
        const char *name = name_of(1u << bit);
        if (wmem_strbuf_get_len(names) > 0)
            wmem_strbuf_append(names, ", ");
        if (name != NULL)
            wmem_strbuf_append(names, name);
        else
            wmem_strbuf_append_printf(names, "bit %u", bit);
    }
    return wmem_strbuf_get_str(names);
}

/* A field read from its bytes (bytes, strings). Falls back to the span's own copy. */
static proto_item *add_span_item(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                                 guint encoding)
{
    tvbuff_t *tvb;
    gint offset, length;
    if (!scep_span_present(span))
        return NULL;
    if (span_locate(src, span, &tvb, &offset, &length))
        return proto_tree_add_item(tree, hf, tvb, offset, length, encoding);
    header_field_info *hfi = proto_registrar_get_nth(hf);
    if (hfi != NULL && hfi->type == FT_BYTES)
        return proto_tree_add_bytes_with_length(tree, hf, NULL, 0, 0, span.data, (gint)span.length);
    return proto_tree_add_string(tree, hf, NULL, 0, 0,
                                 wmem_strndup(src->pinfo->pool, (const char *)span.data, span.length));
}

static proto_item *add_span_string(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                                   const char *value)
{
    tvbuff_t *tvb = NULL;
    gint offset = 0, length = 0;
    span_locate(src, span, &tvb, &offset, &length);
    return proto_tree_add_string(tree, hf, tvb, offset, length, value);
}

static proto_item *add_span_uint(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                                 guint32 value)
{
    tvbuff_t *tvb = NULL;
    gint offset = 0, length = 0;
    span_locate(src, span, &tvb, &offset, &length);
    return proto_tree_add_uint(tree, hf, tvb, offset, length, value);
}

static proto_item *add_span_time(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                                 gint64 seconds)
{
    tvbuff_t *tvb = NULL;
    gint offset = 0, length = 0;
    nstime_t t;
    t.secs = (time_t)seconds;
    t.nsecs = 0;
    span_locate(src, span, &tvb, &offset, &length);
    return proto_tree_add_time(tree, hf, tvb, offset, length, &t);
}

static const char *format_name(const span_sources *src, scep_span name)
{
    if (!scep_span_present(name))
        return NULL;
    char *out = (char *)wmem_alloc(src->pinfo->pool, SCEP_NAME_CAP);
    if (scep_name_format(name.data, name.length, out, SCEP_NAME_CAP) == 0)
        return "(not a Name)";
    return out;
}

static proto_item *add_name(proto_tree *tree, int hf, const span_sources *src, scep_span name)
{
    const char *text = format_name(src, name);
    if (text == NULL)
        return NULL;
    return add_span_string(tree, hf, src, name, text);
}

/* An algorithm OID; flags the deprecated ones (DES, MD5, SHA-1) and names what Wireshark's
 * own OID table may not know. */
static proto_item *add_algorithm(proto_tree *tree, int hf, const span_sources *src,
                                 const scep_algorithm *alg)
{
    if (!scep_span_present(alg->oid))
        return NULL;
    tvbuff_t *tvb;
    gint offset, length;
    proto_item *item;
    if (span_locate(src, alg->oid, &tvb, &offset, &length))
        item = proto_tree_add_item(tree, hf, tvb, offset, length, ENC_NA);
    else
        item = proto_tree_add_oid(tree, hf, NULL, 0, 0, alg->oid.data);
    const scep_oid_info *info = scep_oid_lookup(alg->oid.data, alg->oid.length);
    if (info != NULL) {
        proto_item_append_text(item, " [%s]", info->name);
        if (info->deprecated)
            expert_add_info_format(src->pinfo, item, &ei_scep_deprecated_algorithm,
                                   "Deprecated algorithm: %s", info->name);
    }
    return item;
}

static void add_errors(proto_tree *tree, const span_sources *src, const scep_errors *errors)
{
    for (size_t i = 0; i < errors->count; i++) {
        const scep_error *e = &errors->items[i];
        expert_field *ei;
        switch (e->code) {
        case SCEP_ERR_TRUNCATED: ei = &ei_scep_truncated; break;
        case SCEP_ERR_MISSING: ei = &ei_scep_missing; break;
        case SCEP_ERR_UNSUPPORTED: ei = &ei_scep_unsupported; break;
        case SCEP_ERR_CAPACITY: ei = &ei_scep_capacity; break;
        default: ei = &ei_scep_malformed; break;
        }
        tvbuff_t *tvb = e->source == SCEP_SRC_CONTENT ? src->content : src->input;
        gint base = e->source == SCEP_SRC_CONTENT ? 0 : src->input_base;
        gint offset = 0, length = 0;
        if (tvb != NULL && e->offset < G_MAXINT32 / 2) {
            gint end = (gint)tvb_captured_length(tvb);
            offset = base + (gint)e->offset;
            if (offset > end)
                offset = end;
            /* A truncation covers the unfinished element to the end; any other fault points
             * at the first byte of the offending element. */
            length = e->code == SCEP_ERR_TRUNCATED ? end - offset : (offset < end ? 1 : 0);
        } else {
            tvb = NULL;
        }
        const char *code_name = scep_error_code_name(e->code);
        /* Wireshark 4.0's proto_tree_add_expert_format asks the tvb its length even for a
         * zero-length item: with no tvb to point into, the fault goes on the tree's item. */
        if (tvb != NULL)
            proto_tree_add_expert_format(tree, src->pinfo, ei, tvb, offset, length, "%s: %s",
                                         code_name ? code_name : "error",
                                         e->message ? e->message : "(no message)");
        else
            expert_add_info_format(src->pinfo, proto_tree_get_parent(tree), ei, "%s: %s",
                                   code_name ? code_name : "error",
                                   e->message ? e->message : "(no message)");
    }
    if (errors->dropped > 0)
        expert_add_info_format(src->pinfo, proto_tree_get_parent(tree), &ei_scep_malformed,
                               "%zu further errors not listed", errors->dropped);
}

static void add_identifier(proto_tree *tree, int hf_issuer, int hf_serial, int hf_ski,
                           const span_sources *src, const scep_identifier *id)
{
    if (id->kind == SCEP_ID_ISSUER_SERIAL) {
        add_name(tree, hf_issuer, src, id->issuer);
        add_span_item(tree, hf_serial, src, id->serial, ENC_NA);
    } else if (id->kind == SCEP_ID_SKI) {
        add_span_item(tree, hf_ski, src, id->ski, ENC_NA);
    }
}

/* add_certificate adds one certificate. |show_role|: the role (CA, RA signing, RA encryption)
 * only means something for what a CA publishes about itself (GetCACert, GetNextCACert); a
 * client's self-signed or newly issued certificate would read as an RA. */
static void add_certificate(proto_tree *tree, const span_sources *src, const scep_certificate *c,
                            gboolean show_role)
{
    tvbuff_t *tvb = NULL;
    gint offset = 0, length = 0;
    span_locate(src, c->span, &tvb, &offset, &length);
    const char *subject = format_name(src, c->subject);
    proto_item *ti = proto_tree_add_none_format(tree, hf_scep_certificate, tvb, offset, length,
                                                "Certificate: %s", subject ? subject : "(no subject)");
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
        proto_item *bits = proto_tree_add_uint(ct, hf_scep_certificate_public_key_bits, NULL, 0, 0,
                                               c->public_key_bits);
        proto_item_set_generated(bits);
    }
    add_algorithm(ct, hf_scep_certificate_signature_algorithm, src, &c->signature_algorithm);
    if (role != NULL) {
        proto_item *r = proto_tree_add_string(ct, hf_scep_certificate_role, NULL, 0, 0, role);
        proto_item_set_generated(r);
    }
    if (c->has_key_usage) {
        proto_item *ku = proto_tree_add_uint_format_value(ct, hf_scep_certificate_key_usage, NULL, 0, 0,
                                                          c->key_usage, "0x%04x (%s)", c->key_usage,
                                                          flag_names(src->pinfo->pool, c->key_usage,
                                                                     scep_key_usage_name));
        proto_item_set_generated(ku);
    }
    if (c->has_basic_constraints) {
        proto_item *ca = proto_tree_add_boolean(ct, hf_scep_certificate_is_ca, NULL, 0, 0, c->is_ca);
        proto_item_set_generated(ca);
    }
    if (c->self_issued) {
        proto_item *si = proto_tree_add_boolean(ct, hf_scep_certificate_self_issued, NULL, 0, 0, TRUE);
        proto_item_set_generated(si);
    }
}

static void add_certificates(proto_tree *tree, const span_sources *src, const scep_certificate *certs,
                             size_t count, const char *label, gboolean show_roles)
{
    proto_item *ti = proto_tree_add_uint(tree, hf_scep_certificate_count, NULL, 0, 0, (guint32)count);
    proto_item_set_generated(ti);
    if (count == 0)
        return;
    proto_item_set_text(ti, "%s: %zu", label, count);
    proto_tree *ct = proto_item_add_subtree(ti, ett_scep_certificates);
    for (size_t i = 0; i < count; i++)
        add_certificate(ct, src, &certs[i], show_roles);
}

/* ---------------------------------------------------------------------------------------
 * One SCEP message
 * ------------------------------------------------------------------------------------- */

/* What the Info column, the tap and the tracking need to know about one message. */
typedef struct {
    gboolean is_request;
    scep_operation operation;
    const char *operation_text;  /* name or as sent */
    gint message_type;           /* -1 absent */
    gint pki_status;
    gint fail_info;
    const char *transaction_id;
    const guint8 *sender_nonce;
    gsize sender_nonce_len;
    const guint8 *recipient_nonce;
    gsize recipient_nonce_len;
    proto_item *sender_nonce_item;
    proto_item *recipient_nonce_item;
    proto_item *transaction_id_item;
    gint certificate_count;      /* -1 when no certificate bundle was decoded */
    wmem_strbuf_t *caps;         /* GetCACaps response: "AES, SHA-256, ..." */
    gboolean truncated;
    gboolean malformed;
    guint http_status;           /* responses */
} scep_summary;

/* The tap's record of one message, for `-z scep,tree`. */
typedef struct {
    gboolean is_request;
    const char *operation;
    gint message_type;
    gint pki_status;
    gint fail_info;
} scep_tap_info;

static gint number_attr(proto_tree *tree, int hf, const span_sources *src, const scep_number_attr *a,
                        const char *(*name_of)(long), expert_field *unknown_ei, proto_item **item_out)
{
    proto_item *item = NULL;
    gint value = -1;
    if (!a->present)
        return -1;
    if (a->numeric && a->value >= 0 && a->value <= G_MAXINT32) {
        value = (gint)a->value;
        item = add_span_uint(tree, hf, src, a->text, (guint32)a->value);
        if (name_of(a->value) == NULL && unknown_ei != NULL)
            expert_add_info(src->pinfo, item, unknown_ei);
    } else {
        tvbuff_t *tvb = NULL;
        gint offset = 0, length = 0;
        span_locate(src, a->text, &tvb, &offset, &length);
        char *text = wmem_strndup(src->pinfo->pool, (const char *)a->text.data, a->text.length);
        if (tvb != NULL) /* see add_errors: 4.0 needs a tvb here */
            proto_tree_add_expert_format(tree, src->pinfo, &ei_scep_not_numeric, tvb, offset,
                                         length, "%s is not a decimal number: \"%s\"",
                                         proto_registrar_get_name(hf), text);
        else
            expert_add_info_format(src->pinfo, proto_tree_get_parent(tree), &ei_scep_not_numeric,
                                   "%s is not a decimal number: \"%s\"",
                                   proto_registrar_get_name(hf), text);
    }
    if (item_out != NULL)
        *item_out = item;
    return value;
}

/* The library's messageDigest and signature checks (OpenSSL), as two fields on the signer. */
static void add_verification(proto_tree *tree, packet_info *pinfo, const guint8 *data, size_t length,
                             const scep_pki_message *msg, proto_item *signer_item)
{
    scep_verification v;
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
        proto_item *ci = proto_tree_add_string(tree, checks[i].hf, NULL, 0, 0, word ? word : "?");
        proto_item_set_generated(ci);
        if (checks[i].check == SCEP_CHECK_FAILED) {
            expert_add_info_format(pinfo, ci, &ei_scep_check_failed, "%s check FAILED%s%s",
                                   checks[i].what, v.detail ? ": " : "", v.detail ? v.detail : "");
            proto_item_append_text(signer_item, " [%s FAILED]", checks[i].what);
        } else if (checks[i].check != SCEP_CHECK_OK && v.detail != NULL) {
            proto_item_append_text(ci, " (%s)", v.detail);
        }
    }
}

/* ---------------------------------------------------------------------------------------
 * Decryption with the keys named in the preferences
 * ------------------------------------------------------------------------------------- */

static GPtrArray *scep_keys; /* GBytes of each private key file that could be read */

static void load_keys(void)
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

/* What a decrypted request says: the CSR (PKCSReq, RenewalReq), IssuerAndSubject (CertPoll)
 * or IssuerAndSerialNumber (GetCert, GetCRL). */
static void add_request_content(proto_tree *tree, packet_info *pinfo, tvbuff_t *plain, gint message_type)
{
    scep_request_content *rc = wmem_new0(pinfo->pool, scep_request_content);
    gint length = (gint)tvb_captured_length(plain);
    span_sources src = { pinfo, plain, 0, NULL };
    scep_decode_request_content(tvb_get_ptr(plain, 0, length), (size_t)length, message_type, rc);
    if (rc->kind == SCEP_CONTENT_CSR) {
        proto_item *ci = proto_tree_add_none_format(tree, hf_scep_csr, plain, 0, length,
                                                    "Certificate request (PKCS#10)");
        proto_tree *ct = proto_item_add_subtree(ci, ett_scep_content);
        proto_item *subject = add_name(ct, hf_scep_csr_subject, &src, rc->subject);
        if (subject != NULL)
            proto_item_append_text(ci, ": %s", format_name(&src, rc->subject));
        proto_item *pk = add_algorithm(ct, hf_scep_csr_public_key_algorithm, &src, &rc->public_key_algorithm);
        if (rc->public_key_bits > 0)
            proto_item_append_text(pk, ", %u bits", rc->public_key_bits);
        if (scep_span_present(rc->challenge_password)) {
            /* A secret: its length by default, the text only when the user asks. */
            if (pref_on(&pref_show_challenge))
                add_span_item(ct, hf_scep_csr_challenge_password, &src, rc->challenge_password, ENC_UTF_8);
            add_span_uint(ct, hf_scep_csr_challenge_password_length, &src, rc->challenge_password,
                          (guint32)rc->challenge_password.length);
        }
        if (scep_span_present(rc->extension_request))
            add_span_item(ct, hf_scep_csr_extension_request, &src, rc->extension_request, ENC_NA);
        add_algorithm(ct, hf_scep_csr_signature_algorithm, &src, &rc->signature_algorithm);
    } else if (rc->kind != SCEP_CONTENT_NONE) {
        proto_item *ci = proto_tree_add_none_format(tree, hf_scep_content, plain, 0, length,
                                                    rc->kind == SCEP_CONTENT_ISSUER_AND_SUBJECT
                                                        ? "IssuerAndSubject" : "IssuerAndSerialNumber");
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
static void dissect_cert_bundle(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base,
                                gint length, scep_summary *sum);

static void decrypt_envelope(proto_tree *tree, proto_item *envelope_item, packet_info *pinfo,
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
        expert_add_info_format(pinfo, envelope_item, &ei_scep_not_decrypted,
                               "Not decrypted with the configured keys: %s",
                               error.message ? error.message : "no key fits");
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

static void dissect_pki_message(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base,
                                gint length, scep_summary *sum)
{
    scep_pki_message *msg = wmem_new0(pinfo->pool, scep_pki_message);
    const guint8 *data = tvb_get_ptr(input, base, length);
    uint8_t *content_buf = (uint8_t *)wmem_alloc(pinfo->pool, (gsize)length + 1);
    span_sources src = { pinfo, input, base, NULL };

    scep_status st = scep_decode_pki_message(data, (size_t)length, content_buf, (size_t)length + 1, msg);
    if (st == SCEP_DECODE_NONE && msg->errors.count == 0) {
        proto_tree_add_expert_format(tree, pinfo, &ei_scep_malformed, input, base, length,
                                     "Not a pkiMessage");
        sum->malformed = TRUE;
        return;
    }
    const scep_signed_data *sd = &msg->signed_data;
    const scep_signer *signer = &sd->signer;

    /* The joined pkcsPKIEnvelope of a chunked (BER) message gets its own tab. */
    if (sd->encap_content_chunks > 0 && scep_span_present(sd->encap_content) &&
        sd->encap_content.source == SCEP_SRC_CONTENT) {
        size_t used = sd->encap_content.offset + sd->encap_content.length;
        if (used <= (size_t)length + 1 && used > 0) {
            src.content = tvb_new_child_real_data(input, content_buf, (guint)used, (gint)used);
            add_new_data_source(pinfo, src.content, "Reassembled pkcsPKIEnvelope");
        }
    }

    proto_item *mt_item = NULL;
    sum->message_type = number_attr(tree, hf_scep_message_type, &src, &signer->message_type,
                                    scep_message_type_name, &ei_scep_unknown_message_type, &mt_item);
    proto_item *status_item = NULL;
    sum->pki_status = number_attr(tree, hf_scep_pki_status, &src, &signer->pki_status,
                                  scep_pki_status_name, NULL, &status_item);
    sum->fail_info = number_attr(tree, hf_scep_fail_info, &src, &signer->fail_info,
                                 scep_fail_info_name, NULL, NULL);
    const char *fail_text = NULL;
    if (scep_span_present(signer->fail_info_text)) {
        add_span_item(tree, hf_scep_fail_info_text, &src, signer->fail_info_text, ENC_UTF_8);
        fail_text = wmem_strndup(pinfo->pool, (const char *)signer->fail_info_text.data,
                                 signer->fail_info_text.length);
    }
    if (scep_span_present(signer->transaction_id)) {
        sum->transaction_id_item = add_span_item(tree, hf_scep_transaction_id, &src,
                                                 signer->transaction_id, ENC_ASCII);
        sum->transaction_id = wmem_strndup(pinfo->pool, (const char *)signer->transaction_id.data,
                                           signer->transaction_id.length);
    }
    if (scep_span_present(signer->sender_nonce)) {
        sum->sender_nonce_item = add_span_item(tree, hf_scep_sender_nonce, &src, signer->sender_nonce,
                                               ENC_NA);
        sum->sender_nonce = signer->sender_nonce.data;
        sum->sender_nonce_len = signer->sender_nonce.length;
    }
    if (scep_span_present(signer->recipient_nonce)) {
        sum->recipient_nonce_item = add_span_item(tree, hf_scep_recipient_nonce, &src,
                                                  signer->recipient_nonce, ENC_NA);
        sum->recipient_nonce = signer->recipient_nonce.data;
        sum->recipient_nonce_len = signer->recipient_nonce.length;
    }
    if (signer->has_signing_time)
        add_span_time(tree, hf_scep_signing_time, &src, signer->signing_time_text, signer->signing_time);

    if (sum->pki_status == SCEP_STATUS_FAILURE) {
        const char *fi_name = sum->fail_info >= 0 ? scep_fail_info_name(sum->fail_info) : NULL;
        if (fail_text != NULL)
            expert_add_info_format(pinfo, status_item, &ei_scep_failure, "SCEP FAILURE: %s (%s)",
                                   fi_name ? fi_name : "no failInfo", fail_text);
        else
            expert_add_info_format(pinfo, status_item, &ei_scep_failure, "SCEP FAILURE: %s",
                                   fi_name ? fi_name : "no failInfo");
    } else if (sum->pki_status == SCEP_STATUS_PENDING) {
        expert_add_info(pinfo, status_item, &ei_scep_pending);
    }

    /* Signer. */
    if (sd->signer_count > 0 || signer->sid.kind != SCEP_ID_NONE) {
        const char *issuer = format_name(&src, signer->sid.issuer);
        proto_item *si = proto_tree_add_none_format(tree, hf_scep_signer, NULL, 0, 0, "Signer");
        if (issuer != NULL)
            proto_item_append_text(si, ": %s", issuer);
        proto_tree *stree = proto_item_add_subtree(si, ett_scep_signer);
        add_identifier(stree, hf_scep_signer_issuer, hf_scep_signer_serial, hf_scep_signer_ski, &src,
                       &signer->sid);
        add_algorithm(stree, hf_scep_digest_algorithm, &src, &signer->digest_algorithm);
        add_algorithm(stree, hf_scep_signature_algorithm, &src, &signer->signature_algorithm);
        if (pref_on(&pref_verify) && !msg->truncated)
            add_verification(stree, pinfo, data, (size_t)length, msg, si);
    }

    /* pkcsPKIEnvelope. */
    if (msg->has_envelope) {
        const scep_envelope *env = &msg->envelope;
        tvbuff_t *etvb = NULL;
        gint eoff = 0, elen = 0;
        span_locate(&src, env->span, &etvb, &eoff, &elen);
        proto_item *ei = proto_tree_add_none_format(tree, hf_scep_envelope, etvb, eoff, elen,
                                                    "pkcsPKIEnvelope");
        proto_tree *et = proto_item_add_subtree(ei, ett_scep_envelope);
        for (size_t i = 0; i < env->recipient_count; i++) {
            const scep_recipient *r = &env->recipients[i];
            const char *issuer = format_name(&src, r->rid.issuer);
            proto_item *ri = proto_tree_add_none_format(et, hf_scep_recipient, NULL, 0, 0, "Recipient");
            if (issuer != NULL)
                proto_item_append_text(ri, ": %s", issuer);
            proto_tree *rt = proto_item_add_subtree(ri, ett_scep_recipient);
            add_identifier(rt, hf_scep_recipient_issuer, hf_scep_recipient_serial,
                           hf_scep_recipient_ski, &src, &r->rid);
            add_algorithm(rt, hf_scep_recipient_key_encryption_algorithm, &src,
                          &r->key_encryption_algorithm);
        }
        proto_item *cea = add_algorithm(et, hf_scep_content_encryption_algorithm, &src,
                                        &env->content_encryption_algorithm);
        if (cea != NULL) {
            const scep_oid_info *info = scep_oid_lookup(env->content_encryption_algorithm.oid.data,
                                                        env->content_encryption_algorithm.oid.length);
            if (info != NULL)
                proto_item_append_text(ei, ", %s", info->name);
        }
        add_span_item(et, hf_scep_envelope_iv, &src, env->iv, ENC_NA);
        if (scep_span_present(env->encrypted_content)) {
            tvbuff_t *ctvb = NULL;
            gint coff = 0, clen = 0;
            span_locate(&src, env->encrypted_content, &ctvb, &coff, &clen);
            proto_tree_add_uint(et, hf_scep_envelope_encrypted_length, ctvb, coff, clen,
                                (guint32)env->encrypted_length);
            proto_item_append_text(ei, ", %zu encrypted octets", env->encrypted_length);
        }
        if (scep_keys != NULL && scep_keys->len > 0)
            decrypt_envelope(et, ei, pinfo, input, msg, sum);
    }

    /* Certificates carried in the SignedData (the requester's self-signed one, the CA's). */
    if (sd->certificate_count > 0)
        add_certificates(tree, &src, sd->certificates, sd->certificate_count, "Certificates", FALSE);

    if (sd->indefinite_lengths) {
        proto_item *il = proto_tree_add_boolean(tree, hf_scep_indefinite_lengths, NULL, 0, 0, TRUE);
        proto_item_set_generated(il);
    }
    if (sd->encap_content_chunks > 0) {
        proto_item *ch = proto_tree_add_uint(tree, hf_scep_content_chunks, NULL, 0, 0,
                                             (guint32)sd->encap_content_chunks);
        proto_item_set_generated(ch);
    }
    if (msg->truncated && !sum->truncated) {
        proto_item *tr = proto_tree_add_boolean(tree, hf_scep_truncated, NULL, 0, 0, TRUE);
        proto_item_set_generated(tr);
        sum->truncated = TRUE;
    }
    if (msg->errors.count > 0)
        sum->malformed = TRUE;
    add_errors(tree, &src, &msg->errors);
}

static void dissect_cert_bundle(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base,
                                gint length, scep_summary *sum)
{
    scep_cert_bundle *b = wmem_new0(pinfo->pool, scep_cert_bundle);
    const guint8 *data = tvb_get_ptr(input, base, length);
    uint8_t *content_buf = (uint8_t *)wmem_alloc(pinfo->pool, (gsize)length + 1);
    span_sources src = { pinfo, input, base, NULL };

    scep_status st = scep_decode_cert_bundle(data, (size_t)length, content_buf, (size_t)length + 1, b);
    if (b->outer.encap_content_chunks > 0 && scep_span_present(b->outer.encap_content) &&
        b->outer.encap_content.source == SCEP_SRC_CONTENT) {
        size_t used = b->outer.encap_content.offset + b->outer.encap_content.length;
        if (used > 0 && used <= (size_t)length + 1) {
            src.content = tvb_new_child_real_data(input, content_buf, (guint)used, (gint)used);
            add_new_data_source(pinfo, src.content, "Reassembled certificates");
        }
    }
    if (st == SCEP_DECODE_NONE && b->errors.count == 0) {
        proto_tree_add_expert_format(tree, pinfo, &ei_scep_malformed, input, base, length,
                                     "Not a certificate or PKCS#7 certificate bundle");
        sum->malformed = TRUE;
        return;
    }
    static const char *const kinds[] = { "none", "single certificate", "certs-only PKCS#7",
                                         "signed PKCS#7 over certs-only" };
    if ((size_t)b->kind < G_N_ELEMENTS(kinds)) {
        proto_item *k = proto_tree_add_string(tree, hf_scep_bundle_kind, input, base, length,
                                              kinds[b->kind]);
        proto_item_set_generated(k);
    }
    add_certificates(tree, &src, b->certificates, b->certificate_count, "Certificates",
                     sum->message_type != SCEP_MSG_CERT_REP);
    sum->certificate_count = (gint)b->certificate_count;
    if (b->crl_count > 0) {
        proto_item *c = proto_tree_add_uint(tree, hf_scep_crl_count, NULL, 0, 0, (guint32)b->crl_count);
        proto_item_set_generated(c);
    }
    if (b->kind == SCEP_BUNDLE_SIGNED) {
        const scep_signer *signer = &b->outer.signer;
        proto_item *si = proto_tree_add_none_format(tree, hf_scep_signer, NULL, 0, 0, "Signer");
        const char *issuer = format_name(&src, signer->sid.issuer);
        if (issuer != NULL)
            proto_item_append_text(si, ": %s", issuer);
        proto_tree *stree = proto_item_add_subtree(si, ett_scep_signer);
        add_identifier(stree, hf_scep_signer_issuer, hf_scep_signer_serial, hf_scep_signer_ski, &src,
                       &signer->sid);
        add_algorithm(stree, hf_scep_digest_algorithm, &src, &signer->digest_algorithm);
        add_algorithm(stree, hf_scep_signature_algorithm, &src, &signer->signature_algorithm);
        if (signer->has_signing_time)
            add_span_time(stree, hf_scep_signing_time, &src, signer->signing_time_text,
                          signer->signing_time);
        add_certificates(stree, &src, b->outer.certificates, b->outer.certificate_count,
                         "Signing certificates", FALSE);
    }
    if (b->truncated) {
        proto_item *tr = proto_tree_add_boolean(tree, hf_scep_truncated, NULL, 0, 0, TRUE);
        proto_item_set_generated(tr);
        sum->truncated = TRUE;
    }
    if (b->errors.count > 0)
        sum->malformed = TRUE;
    add_errors(tree, &src, &b->errors);
}

static void dissect_caps(proto_tree *tree, packet_info *pinfo, tvbuff_t *input, gint base, gint length,
                         scep_summary *sum)
{
    scep_caps *caps = wmem_new0(pinfo->pool, scep_caps);
    const char *text = (const char *)tvb_get_ptr(input, base, length);
    span_sources src = { pinfo, input, base, NULL };

    scep_decode_caps(text, (size_t)length, caps);
    sum->caps = wmem_strbuf_new(pinfo->pool, "");
    for (size_t i = 0; i < caps->count; i++) {
        proto_item *ci = add_span_item(tree, hf_scep_capability, &src, caps->items[i].text, ENC_ASCII);
        const char *canonical = scep_capability_name(caps->items[i].id);
        if (canonical == NULL)
            proto_item_append_text(ci, " (unknown capability)");
        wmem_strbuf_append_printf(sum->caps, "%s%.*s", i ? ", " : "", (int)caps->items[i].text.length,
                                  (const char *)caps->items[i].text.data);
    }
    if (caps->errors.count > 0)
        sum->malformed = TRUE;
    add_errors(tree, &src, &caps->errors);
}

/* The CMS dissector's full ASN.1 view of a pkiMessage, when the preference asks for it.
 *
 * CMS hands each content and attribute value to whatever the "ber.oid" table has for its OID.
 * Two of those would go wrong on a pkiMessage, so for the length of this one call (and only
 * then: the previous entries are put back whatever happens, nothing else in a capture sees
 * the change):
 *   - id-data, the eContentType of the pkcsPKIEnvelope, belongs to IMF (S/MIME bodies): it
 *     would parse the binary envelope as mail headers, fill the columns with garbage and add
 *     imf fields to SCEP frames. Here it goes back to CMS, which shows the ContentInfo of
 *     EnvelopedData it is.
 *   - SCEP's own attributes have no entry: BER would flag each as "Dissector for OID not
 *     implemented". Here BER's generic decoder shows their PrintableString/OCTET STRING. */
#define OID_ID_DATA "1.2.840.113549.1.7.1"

static const struct {
    const char *oid;
    const char *name;
} scep_attribute_oids[] = {
    { "2.16.840.1.113733.1.9.2", "id-scep-messageType" },
    { "2.16.840.1.113733.1.9.3", "id-scep-pkiStatus" },
    { "2.16.840.1.113733.1.9.4", "id-scep-failInfo" },
    { "2.16.840.1.113733.1.9.5", "id-scep-senderNonce" },
    { "2.16.840.1.113733.1.9.6", "id-scep-recipientNonce" },
    { "2.16.840.1.113733.1.9.7", "id-scep-transactionID" },
    { "1.3.6.1.5.5.7.24.1", "id-scep-failInfoText" },
    /* Not an attribute: DES-CBC parameters (the IV), which Wireshark 4.0 has no entry for. */
    { "1.3.14.3.2.7", NULL },
};

static int dissect_envelope_with_cms(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    /* micromdm sends FAILURE and PENDING with an empty eContent: CMS already says "eContent (0
     * bytes)"; claim it (BER would read a tag from the empty buffer and throw). */
    if (tvb_reported_length(tvb) == 0)
        return 1;
    return call_dissector(cms_handle, tvb, pinfo, tree);
}

static int dissect_attribute_value(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    return dissect_unknown_ber(pinfo, tvb, 0, tree);
}

typedef struct {
    const char *oid;
    dissector_handle_t previous;
    gboolean swapped;
} ber_oid_swap;

static void swap_ber_oid(dissector_table_t ber_oid, ber_oid_swap *s, const char *oid,
                         dissector_handle_t handle, gboolean only_if_unset)
{
    s->oid = oid;
    s->previous = dissector_get_string_handle(ber_oid, oid);
    s->swapped = handle != NULL && !(only_if_unset && s->previous != NULL);
    if (s->swapped)
        dissector_change_string("ber.oid", oid, handle);
}

static void restore_ber_oid(const ber_oid_swap *s)
{
    if (!s->swapped)
        return;
    if (s->previous != NULL)
        dissector_change_string("ber.oid", s->oid, s->previous);
    else
        dissector_reset_string("ber.oid", s->oid);
}

static void call_cms(tvbuff_t *tvb, gint base, gint length, packet_info *pinfo, proto_tree *tree)
{
    if (!pref_on(&pref_call_cms) || cms_handle == NULL || length <= 0)
        return;
    tvbuff_t *sub = tvb_new_subset_length(tvb, base, length);
    dissector_table_t ber_oid = find_dissector_table("ber.oid");
    ber_oid_swap swaps[1 + G_N_ELEMENTS(scep_attribute_oids)];
    guint nswaps = 0;
    if (ber_oid != NULL) {
        swap_ber_oid(ber_oid, &swaps[nswaps++], OID_ID_DATA, envelope_cms_handle, FALSE);
        for (size_t i = 0; i < G_N_ELEMENTS(scep_attribute_oids); i++)
            swap_ber_oid(ber_oid, &swaps[nswaps++], scep_attribute_oids[i].oid, attribute_value_handle,
                         TRUE);
    }
    TRY {
        call_dissector(cms_handle, sub, pinfo, tree);
    }
    CATCH_NONFATAL_ERRORS {
        /* The library has already reported the fault at its bytes (expert info above); CMS
         * giving up is noted, not turned into a second "Malformed Packet". */
        proto_tree_add_expert_format(tree, pinfo, &ei_scep_cms_incomplete, sub, 0, 0,
                                     "CMS view incomplete: %s",
                                     GET_MESSAGE ? GET_MESSAGE : "exception in the CMS dissector");
    }
    FINALLY {
        for (guint i = 0; i < nswaps; i++)
            restore_ber_oid(&swaps[i]);
    }
    ENDTRY;
}

/* ---------------------------------------------------------------------------------------
 * Tracking and Info
 * ------------------------------------------------------------------------------------- */

static gboolean nonce_equal(const guint8 *a, gsize alen, const guint8 *b, gsize blen)
{
    return a != NULL && b != NULL && alen == blen && memcmp(a, b, alen) == 0;
}

static scep_record *remember(packet_info *pinfo, guint index, const scep_summary *sum)
{
    wmem_allocator_t *fs = wmem_file_scope();
    scep_record *rec = wmem_new0(fs, scep_record);
    rec->frame = pinfo->num;
    rec->ts = pinfo->abs_ts;
    rec->is_request = sum->is_request;
    rec->operation = sum->operation;
    rec->operation_text = sum->operation_text ? wmem_strdup(fs, sum->operation_text) : NULL;
    rec->message_type = sum->message_type;
    rec->transaction_id = sum->transaction_id ? wmem_strdup(fs, sum->transaction_id) : NULL;
    if (sum->sender_nonce != NULL) {
        rec->sender_nonce = (const guint8 *)wmem_memdup(fs, sum->sender_nonce, sum->sender_nonce_len);
        rec->sender_nonce_len = sum->sender_nonce_len;
    }
    wmem_map_insert(scep_records, GUINT_TO_POINTER(record_key(pinfo->num, index)), rec);
    return rec;
}

/* First pass: remember this message and, for a response, find its request. */
static void track_first_pass(packet_info *pinfo, guint index, const scep_summary *sum,
                             guint32 http_request_frame)
{
    scep_record *rec = remember(pinfo, index, sum);
    if (sum->is_request) {
        if (sum->transaction_id != NULL && sum->sender_nonce != NULL) {
            char *key = transaction_key(wmem_file_scope(), sum->transaction_id, sum->sender_nonce,
                                        sum->sender_nonce_len);
            wmem_map_insert(scep_transactions, key, GUINT_TO_POINTER(record_key(pinfo->num, index) + 1));
        }
        return;
    }
    scep_record *req = NULL;
    if (sum->transaction_id != NULL && sum->recipient_nonce != NULL) {
        char *key = transaction_key(pinfo->pool, sum->transaction_id, sum->recipient_nonce,
                                    sum->recipient_nonce_len);
        guint k = GPOINTER_TO_UINT(wmem_map_lookup(scep_transactions, key));
        if (k != 0) {
            req = (scep_record *)wmem_map_lookup(scep_records, GUINT_TO_POINTER(k - 1));
            rec->linked_by_nonce = req != NULL;
        }
    }
    if (req == NULL)
        req = request_record(http_request_frame);
    if (req == NULL || req->frame >= pinfo->num)
        return;
    rec->peer_frame = req->frame;
    if (req->peer_frame == 0)
        req->peer_frame = pinfo->num;
}

/* Adds response_in / response_to / response_time and the nonce checks. Returns the request's
 * record for a response (NULL when unknown). */
static scep_record *add_tracking(proto_tree *tree, packet_info *pinfo, guint index, scep_summary *sum)
{
    scep_record *rec = record_lookup(pinfo->num, index);
    if (rec == NULL || rec->peer_frame == 0)
        return NULL;
    if (sum->is_request) {
        proto_item *ti = proto_tree_add_uint(tree, hf_scep_response_in, NULL, 0, 0, rec->peer_frame);
        proto_item_set_generated(ti);
        return NULL;
    }
    scep_record *req = request_record(rec->peer_frame);
    proto_item *ti = proto_tree_add_uint(tree, hf_scep_response_to, NULL, 0, 0, rec->peer_frame);
    proto_item_set_generated(ti);
    if (req != NULL) {
        nstime_t delta;
        nstime_delta(&delta, &pinfo->abs_ts, &req->ts);
        ti = proto_tree_add_time(tree, hf_scep_response_time, NULL, 0, 0, &delta);
        proto_item_set_generated(ti);
        if (sum->message_type == SCEP_MSG_CERT_REP && req->sender_nonce != NULL) {
            if (sum->recipient_nonce != NULL &&
                !nonce_equal(sum->recipient_nonce, sum->recipient_nonce_len, req->sender_nonce,
                             req->sender_nonce_len))
                expert_add_info_format(pinfo, sum->recipient_nonce_item, &ei_scep_nonce_mismatch,
                                       "recipientNonce differs from the senderNonce of the request in frame %u",
                                       req->frame);
            if (nonce_equal(sum->sender_nonce, sum->sender_nonce_len, req->sender_nonce,
                            req->sender_nonce_len))
                expert_add_info_format(pinfo, sum->sender_nonce_item, &ei_scep_nonce_reused,
                                       "senderNonce repeats the request's senderNonce (frame %u); RFC 8894 wants a fresh one",
                                       req->frame);
        }
        if (sum->transaction_id != NULL && req->transaction_id != NULL &&
            strcmp(sum->transaction_id, req->transaction_id) != 0)
            expert_add_info_format(pinfo, sum->transaction_id_item, &ei_scep_tid_mismatch,
                                   "transactionID differs from the request's (frame %u): %s",
                                   req->frame, req->transaction_id);
    }
    return req;
}

static void set_info(packet_info *pinfo, const scep_summary *sum, gboolean first)
{
    wmem_strbuf_t *info = wmem_strbuf_new(pinfo->pool, "SCEP ");
    const char *mt = sum->message_type >= 0 ? scep_message_type_name(sum->message_type) : NULL;
    if (sum->message_type >= 0) {
        if (mt != NULL)
            wmem_strbuf_append(info, mt);
        else
            wmem_strbuf_append_printf(info, "messageType %d", sum->message_type);
        if (sum->pki_status >= 0) {
            const char *ps = scep_pki_status_name(sum->pki_status);
            if (ps != NULL)
                wmem_strbuf_append_printf(info, " %s", ps);
            else
                wmem_strbuf_append_printf(info, " pkiStatus %d", sum->pki_status);
            if (sum->pki_status == SCEP_STATUS_FAILURE && sum->fail_info >= 0) {
                const char *fi = scep_fail_info_name(sum->fail_info);
                if (fi != NULL)
                    wmem_strbuf_append_printf(info, " %s", fi);
                else
                    wmem_strbuf_append_printf(info, " failInfo %d", sum->fail_info);
            }
        }
        if (sum->transaction_id != NULL)
            wmem_strbuf_append_printf(info, " tid=%s", sum->transaction_id);
    } else {
        wmem_strbuf_append(info, sum->operation_text ? sum->operation_text : "message");
        if (!sum->is_request) {
            if (sum->caps != NULL && wmem_strbuf_get_len(sum->caps) > 0)
                wmem_strbuf_append_printf(info, ": %s", wmem_strbuf_get_str(sum->caps));
            else if (sum->certificate_count >= 0)
                wmem_strbuf_append_printf(info, " response: %d certificate%s", sum->certificate_count,
                                          sum->certificate_count == 1 ? "" : "s");
            else
                wmem_strbuf_append(info, " response");
        }
    }
    if (sum->http_status != 0 && sum->http_status != 200)
        wmem_strbuf_append_printf(info, " (HTTP %u)", sum->http_status);
    if (sum->truncated)
        wmem_strbuf_append(info, " [truncated]");
    else if (sum->malformed)
        wmem_strbuf_append(info, " [malformed]");

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "SCEP");
    if (first) {
        /* HTTP fences its Info text; SCEP replaces it. */
        col_clear_fence(pinfo->cinfo, COL_INFO);
        col_clear(pinfo->cinfo, COL_INFO);
        col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(info));
    } else {
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", wmem_strbuf_get_str(info));
    }
}

/* ---------------------------------------------------------------------------------------
 * One HTTP message
 * ------------------------------------------------------------------------------------- */

/* One SCEP message of a frame, kept with the frame from the first pass (see scep-http.h):
 * HTTP's facts and the library's classification of them. */
typedef struct {
    scep_http_facts http;
    scep_http_class cls;
} scep_message_memo;

typedef struct {
    scep_message_memo items[SCEP_MAX_HTTP_MESSAGES];
    guint count;
} scep_frame_memo;

#define SCEP_MEMO_KEY 0 /* p_add_proto_data key of a frame's scep_frame_memo */

/* Bytes of a data source. */
typedef struct {
    tvbuff_t *tvb;
    gint offset;
    gint length;
} scep_bytes;

static gboolean bytes_of(packet_info *pinfo, const scep_tvb_ref *ref, scep_bytes *out)
{
    out->tvb = scep_tvb_ref_resolve(pinfo, ref);
    out->offset = ref->offset;
    out->length = ref->length;
    return out->tvb != NULL;
}

/* classify_message asks the library whether HTTP message |f| is SCEP (first pass). */
static void classify_message(packet_info *pinfo, const scep_http_facts *f, scep_http_class *cls)
{
    scep_http_message m;
    memset(&m, 0, sizeof m);
    m.is_response = !f->is_request;
    m.target = f->target;
    m.target_len = f->target != NULL ? strlen(f->target) : 0;
    m.content_type = f->content_type;
    m.content_type_len = f->content_type != NULL ? strlen(f->content_type) : 0;
    scep_bytes body;
    if (bytes_of(pinfo, &f->body_ref, &body)) {
        m.body = tvb_get_ptr(body.tvb, body.offset, body.length);
        m.body_len = (size_t)body.length;
    }
    m.status_code = f->has_status ? f->status_code : 0;
    if (!f->is_request) {
        scep_record *req = request_record(f->request_frame);
        if (req != NULL)
            m.request_operation = req->operation != SCEP_OP_NONE ? req->operation : SCEP_OP_UNKNOWN;
    }
    scep_classify_http(&m, cls);
}

/* remember_frame (first pass) reads the frame's HTTP messages from the tree and keeps the
 * SCEP ones with the frame. Returns NULL when the frame has none. */
static scep_frame_memo *remember_frame(packet_info *pinfo, proto_tree *tree)
{
    scep_http_frame frame;
    scep_frame_memo *memo = NULL;
    if (scep_http_read_tree(pinfo, tree, &frame) == 0)
        return NULL;
    for (guint i = 0; i < frame.count; i++) {
        scep_http_class cls;
        classify_message(pinfo, &frame.items[i], &cls);
        if (!cls.is_scep)
            continue;
        if (memo == NULL)
            memo = wmem_new0(wmem_file_scope(), scep_frame_memo);
        scep_message_memo *m = &memo->items[memo->count++];
        m->http = frame.items[i];
        scep_http_facts_keep(&m->http);
        m->cls = cls;
    }
    if (memo != NULL)
        p_add_proto_data(wmem_file_scope(), pinfo, proto_scep, SCEP_MEMO_KEY, memo);
    return memo;
}

/* What dissect_message works with: one message's facts, its bytes in this pass, the decoded
 * request target. */
typedef struct {
    packet_info *pinfo;
    const scep_message_memo *memo;
    guint index;
    scep_bytes body;           /* tvb NULL when there is no body */
    scep_query *query;         /* the request target, decoded (NULL when none) */
    uint8_t *query_buf;
    span_sources target_src;   /* spans into the target, when it is in this frame */
    proto_item *item;          /* the SCEP protocol item */
    proto_tree *tree;          /* its subtree */
    scep_summary sum;
} scep_message_ctx;

/* decode_target decodes the target of a request (or the target of a response's request,
 * for the operation name only). */
static void decode_target(scep_message_ctx *x)
{
    const scep_http_facts *f = &x->memo->http;
    if (f->target == NULL || f->target[0] == 0)
        return;
    size_t len = strlen(f->target);
    x->query = wmem_new0(x->pinfo->pool, scep_query);
    x->query_buf = (uint8_t *)wmem_alloc(x->pinfo->pool, len + 1);
    scep_decode_query(f->target, len, x->query_buf, len + 1, x->query);
    scep_bytes target;
    if (f->is_request && bytes_of(x->pinfo, &f->target_ref, &target) && (gsize)target.length == len) {
        x->target_src.input = target.tvb;
        x->target_src.input_base = target.offset;
    }
}

/* operation_text_of: the operation's name, or the unknown operation as sent. */
static const char *operation_text_of(scep_message_ctx *x)
{
    const scep_http_class *cls = &x->memo->cls;
    if (cls->operation_source == SCEP_OPFROM_REQUEST) {
        scep_record *req = request_record(x->memo->http.request_frame);
        if (req != NULL && req->operation_text != NULL)
            return req->operation_text;
    }
    if (cls->operation == SCEP_OP_UNKNOWN && scep_span_present(cls->operation_text) &&
        x->query != NULL && scep_span_present(x->query->operation_text))
        return wmem_strndup(x->pinfo->pool, (const char *)x->query->operation_text.data,
                            x->query->operation_text.length);
    return scep_operation_name(cls->operation);
}

/* start_message adds the SCEP item, the operation and a response's HTTP status. Returns the
 * HTTP status item (NULL for a request). */
static proto_item *start_message(scep_message_ctx *x, proto_tree *parent)
{
    const scep_http_facts *f = &x->memo->http;
    scep_summary *sum = &x->sum;
    if (x->body.tvb != NULL)
        x->item = proto_tree_add_item(parent, proto_scep, x->body.tvb, x->body.offset, x->body.length, ENC_NA);
    else if (x->target_src.input != NULL)
        x->item = proto_tree_add_item(parent, proto_scep, x->target_src.input, x->target_src.input_base,
                                      (gint)strlen(f->target), ENC_NA);
    else
        x->item = proto_tree_add_item(parent, proto_scep, NULL, 0, 0, ENC_NA);
    x->tree = proto_item_add_subtree(x->item, ett_scep);

    sum->operation = x->memo->cls.operation;
    sum->operation_text = operation_text_of(x);
    if (sum->operation_text != NULL) {
        gboolean as_sent = f->is_request && x->memo->cls.operation_source == SCEP_OPFROM_TARGET;
        proto_item *op = add_span_string(x->tree, hf_scep_operation, &x->target_src,
                                         as_sent ? x->query->operation_text : (scep_span){ 0 },
                                         sum->operation_text);
        if (!as_sent)
            proto_item_set_generated(op);
        if (sum->operation == SCEP_OP_UNKNOWN && f->is_request)
            expert_add_info_format(x->pinfo, op, &ei_scep_unknown_operation,
                                   "Unknown SCEP operation \"%s\"", sum->operation_text);
    }
    proto_item_append_text(x->item, ", %s%s", sum->operation_text ? sum->operation_text : "(no operation)",
                           f->is_request ? "" : " response");
    if (!f->has_status)
        return NULL;
    sum->http_status = f->status_code;
    proto_item *status = proto_tree_add_uint(x->tree, hf_scep_http_status, NULL, 0, 0, f->status_code);
    proto_item_set_generated(status);
    return status;
}

/* add_target_message shows a request's message parameter; a PKIOperation's decoded
 * pkiMessage becomes a data source of its own, returned in |pki|. */
static void add_target_message(scep_message_ctx *x, scep_bytes *pki)
{
    scep_query *q = x->query;
    scep_summary *sum = &x->sum;
    if (!x->memo->cls.message_in_target || q == NULL || !scep_span_present(q->message_text))
        return;
    if (x->memo->cls.operation != SCEP_OP_PKI_OPERATION) {
        if (q->operation == SCEP_OP_UNKNOWN) {
            add_span_item(x->tree, hf_scep_message, &x->target_src, q->message_text, ENC_ASCII);
        } else {
            /* GetCACert's CA identifier; certmonger sends one with GetCACaps too. */
            char *ident = wmem_strndup(x->pinfo->pool, (const char *)x->query_buf, q->message_len);
            add_span_string(x->tree, hf_scep_ca_ident, &x->target_src, q->message_text, ident);
        }
        add_errors(x->tree, &x->target_src, &q->errors);
        return;
    }
    add_span_item(x->tree, hf_scep_message, &x->target_src, q->message_text, ENC_ASCII);
    if (q->message_forms != 0) {
        proto_item *fi = proto_tree_add_uint_format_value(x->tree, hf_scep_message_forms, NULL, 0, 0,
                                                          q->message_forms, "0x%02x (%s)", q->message_forms,
                                                          flag_names(x->pinfo->pool, q->message_forms,
                                                                     scep_base64_form_name));
        proto_item_set_generated(fi);
    }
    if (q->message_len > 0 && x->body.tvb == NULL && x->target_src.input != NULL) {
        pki->tvb = tvb_new_child_real_data(x->target_src.input, x->query_buf, (guint)q->message_len,
                                           (gint)q->message_len);
        add_new_data_source(x->pinfo, pki->tvb, "Decoded PKIOperation message");
        pki->offset = 0;
        pki->length = (gint)q->message_len;
    }
    if (q->truncated) {
        proto_item *tr = proto_tree_add_boolean(x->tree, hf_scep_truncated, NULL, 0, 0, TRUE);
        proto_item_set_generated(tr);
        sum->truncated = TRUE;
    }
    add_errors(x->tree, &x->target_src, &q->errors);
}

/* add_http_error quotes the first line of an HTTP error answer: the server's complaint. */
static void add_http_error(scep_message_ctx *x, proto_item *status_item)
{
    const char *complaint = NULL;
    const char *type = x->memo->http.content_type;
    const char *op = x->sum.operation_text ? x->sum.operation_text : "";
    if (x->body.tvb != NULL && (type == NULL || g_ascii_strncasecmp(type, "text/", 5) == 0)) {
        gint line = tvb_find_line_end(x->body.tvb, x->body.offset, x->body.length, NULL, FALSE);
        if (line > 160)
            line = 160;
        if (line > 0)
            complaint = (const char *)tvb_format_text(x->pinfo->pool, x->body.tvb, x->body.offset, line);
    }
    if (complaint != NULL)
        expert_add_info_format(x->pinfo, status_item, &ei_scep_http_error,
                               "The server answered the SCEP %s request with HTTP %u: %s", op,
                               x->sum.http_status, complaint);
    else
        expert_add_info_format(x->pinfo, status_item, &ei_scep_http_error,
                               "The server answered the SCEP %s request with HTTP %u", op, x->sum.http_status);
}

/* base64_body decodes a pkiMessage POSTed as base64 text into a data source of its own. */
static gboolean base64_body(scep_message_ctx *x, scep_bytes *pki)
{
    gsize cap = (gsize)x->body.length * 3 / 4 + 3;
    uint8_t *der = (uint8_t *)wmem_alloc(x->pinfo->pool, cap);
    size_t der_len = 0;
    const char *text = (const char *)tvb_get_ptr(x->body.tvb, x->body.offset, x->body.length);
    if (scep_base64_decode(text, (size_t)x->body.length, der, cap, &der_len, NULL, NULL) == SCEP_DECODE_NONE ||
        der_len == 0)
        return FALSE;
    pki->tvb = tvb_new_child_real_data(x->body.tvb, der, (guint)der_len, (gint)der_len);
    add_new_data_source(x->pinfo, pki->tvb, "Decoded base64 body");
    pki->offset = 0;
    pki->length = (gint)der_len;
    proto_tree_add_expert(x->tree, x->pinfo, &ei_scep_base64_body, x->body.tvb, x->body.offset, x->body.length);
    return TRUE;
}

/* decode_body dissects the body as the classification says. */
static void decode_body(scep_message_ctx *x, scep_bytes *pki, proto_item *status_item)
{
    scep_summary *sum = &x->sum;
    switch (x->memo->cls.payload) {
    case SCEP_PAYLOAD_ERROR_TEXT:
        if (status_item != NULL)
            add_http_error(x, status_item);
        return;
    case SCEP_PAYLOAD_PKI_MESSAGE:
    case SCEP_PAYLOAD_DER:
        if (x->body.tvb != NULL)
            *pki = x->body;
        return;
    case SCEP_PAYLOAD_PKI_MESSAGE_BASE64:
        if (x->body.tvb != NULL && !base64_body(x, pki))
            *pki = x->body;
        return;
    case SCEP_PAYLOAD_CERT_BUNDLE:
        if (x->body.tvb != NULL)
            dissect_cert_bundle(x->tree, x->pinfo, x->body.tvb, x->body.offset, x->body.length, sum);
        return;
    case SCEP_PAYLOAD_CAPS:
        if (x->body.tvb != NULL)
            dissect_caps(x->tree, x->pinfo, x->body.tvb, x->body.offset, x->body.length, sum);
        return;
    case SCEP_PAYLOAD_NONE:
        break;
    }
    if (status_item != NULL && (sum->http_status < 200 || sum->http_status >= 300))
        add_http_error(x, status_item);
}

/* finish_message: the item's summary, tracking, the CMS view, Info and the tap. */
static void finish_message(scep_message_ctx *x, const scep_bytes *pki, gboolean first)
{
    scep_summary *sum = &x->sum;
    if (sum->message_type >= 0) {
        const char *mt = scep_message_type_name(sum->message_type);
        proto_item_append_text(x->item, ", %s", mt ? mt : "unknown messageType");
        if (sum->pki_status >= 0) {
            const char *ps = scep_pki_status_name(sum->pki_status);
            proto_item_append_text(x->item, " %s", ps ? ps : "?");
        }
        if (sum->transaction_id != NULL)
            proto_item_append_text(x->item, ", tid=%s", sum->transaction_id);
    }
    if (!PINFO_FD_VISITED(x->pinfo))
        track_first_pass(x->pinfo, x->index, sum, x->memo->http.request_frame);
    add_tracking(x->tree, x->pinfo, x->index, sum);

    /* A cut message would only make CMS throw: what is there is shown above. */
    if (pki->tvb != NULL && !sum->truncated)
        call_cms(pki->tvb, pki->offset, pki->length, x->pinfo, x->tree);
    set_info(x->pinfo, sum, first);

    scep_tap_info *tap = wmem_new0(x->pinfo->pool, scep_tap_info);
    tap->is_request = sum->is_request;
    tap->operation = sum->operation_text;
    tap->message_type = sum->message_type;
    tap->pki_status = sum->pki_status;
    tap->fail_info = sum->fail_info;
    tap_queue_packet(scep_tap, x->pinfo, tap);
}

static void dissect_message(packet_info *pinfo, proto_tree *tree, const scep_message_memo *memo,
                            guint index, gboolean first)
{
    scep_message_ctx x;
    memset(&x, 0, sizeof x);
    x.pinfo = pinfo;
    x.memo = memo;
    x.index = index;
    x.target_src.pinfo = pinfo;
    x.sum.is_request = memo->http.is_request;
    x.sum.message_type = x.sum.pki_status = x.sum.fail_info = -1;
    x.sum.certificate_count = -1;
    if (!bytes_of(pinfo, &memo->http.body_ref, &x.body))
        x.body.tvb = NULL;
    decode_target(&x);

    proto_item *status_item = start_message(&x, tree);
    scep_bytes pki = { NULL, 0, 0 };
    if (memo->http.is_request)
        add_target_message(&x, &pki);
    if (pki.tvb == NULL)
        decode_body(&x, &pki, status_item);
    if (pki.tvb != NULL)
        dissect_pki_message(x.tree, pinfo, pki.tvb, pki.offset, pki.length, &x.sum);
    finish_message(&x, &pki, first);
}

/* The postdissector. The first pass reads HTTP's fields and keeps the frame's SCEP messages;
 * every pass dissects from what was kept, so the result does not depend on the pass or the
 * front end. */
static int dissect_scep(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    scep_frame_memo *memo;
    if (!PINFO_FD_VISITED(pinfo))
        memo = remember_frame(pinfo, tree);
    else
        memo = (scep_frame_memo *)p_get_proto_data(wmem_file_scope(), pinfo, proto_scep, SCEP_MEMO_KEY);
    if (memo == NULL)
        return 0;
    for (guint i = 0; i < memo->count; i++)
        dissect_message(pinfo, tree, &memo->items[i], i, i == 0);
    return (int)tvb_captured_length(tvb);
}
/* ---------------------------------------------------------------------------------------
 * Statistics: -z scep,tree
 * ------------------------------------------------------------------------------------- */

static int st_node_messages = -1;
static int st_node_operation = -1;
static int st_node_message_type = -1;
static int st_node_pki_status = -1;
static int st_node_fail_info = -1;

static void scep_stats_tree_init(stats_tree *st)
{
    st_node_messages = stats_tree_create_node(st, "SCEP messages", 0, STAT_DT_INT, TRUE);
    st_node_operation = stats_tree_create_node(st, "Operation", st_node_messages, STAT_DT_INT, TRUE);
    st_node_message_type = stats_tree_create_node(st, "messageType", st_node_messages, STAT_DT_INT, TRUE);
    st_node_pki_status = stats_tree_create_node(st, "pkiStatus", st_node_messages, STAT_DT_INT, TRUE);
    st_node_fail_info = stats_tree_create_node(st, "failInfo", st_node_messages, STAT_DT_INT, TRUE);
}

static const char *number_label(wmem_allocator_t *scope, gint value, const char *(*name_of)(long))
{
    const char *name = name_of(value);
    return name ? wmem_strdup_printf(scope, "%s (%d)", name, value)
                : wmem_strdup_printf(scope, "Unknown (%d)", value);
}

static tap_packet_status scep_stats_tree_packet(stats_tree *st, packet_info *pinfo,
                                                epan_dissect_t *edt _U_, const void *p,
                                                tap_flags_t flags _U_)
{
    const scep_tap_info *info = (const scep_tap_info *)p;
    tick_stat_node(st, "SCEP messages", 0, TRUE);
    tick_stat_node(st, "Operation", st_node_messages, TRUE);
    char *op = wmem_strdup_printf(pinfo->pool, "%s %s", info->operation ? info->operation : "(none)",
                                  info->is_request ? "request" : "response");
    tick_stat_node(st, op, st_node_operation, FALSE);
    if (info->message_type >= 0) {
        tick_stat_node(st, "messageType", st_node_messages, TRUE);
        tick_stat_node(st, number_label(pinfo->pool, info->message_type, scep_message_type_name),
                       st_node_message_type, FALSE);
    }
    if (info->pki_status >= 0) {
        tick_stat_node(st, "pkiStatus", st_node_messages, TRUE);
        tick_stat_node(st, number_label(pinfo->pool, info->pki_status, scep_pki_status_name),
                       st_node_pki_status, FALSE);
    }
    if (info->fail_info >= 0) {
        tick_stat_node(st, "failInfo", st_node_messages, TRUE);
        tick_stat_node(st, number_label(pinfo->pool, info->fail_info, scep_fail_info_name),
                       st_node_fail_info, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

/* ---------------------------------------------------------------------------------------
 * Registration
 * ------------------------------------------------------------------------------------- */

void proto_register_scep(void)
{
    fill_vals(vals_message_type, scep_message_type_name);
    fill_vals(vals_pki_status, scep_pki_status_name);
    fill_vals(vals_fail_info, scep_fail_info_name);

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
    };

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
    };

    proto_scep = proto_register_protocol("Simple Certificate Enrollment Protocol", "SCEP", "scep");
    proto_register_field_array(proto_scep, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_module_t *expert = expert_register_protocol(proto_scep);
    expert_register_field_array(expert, ei, array_length(ei));

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

    scep_handle = create_dissector_handle(dissect_scep, proto_scep);
    register_postdissector(scep_handle);
    register_init_routine(scep_init_tracking);

    scep_tap = register_tap("scep");
    /* The postdissector reads HTTP's tree: the statistics need one built. */
    stats_tree_register("scep", "scep", "SCEP", TL_REQUIRES_PROTO_TREE, scep_stats_tree_packet,
                        scep_stats_tree_init, NULL);
}

void proto_reg_handoff_scep(void)
{
    set_postdissector_wanted_hfids(scep_handle, scep_http_register_fields());

    envelope_cms_handle = create_dissector_handle(dissect_envelope_with_cms, proto_scep);
    attribute_value_handle = create_dissector_handle(dissect_attribute_value, proto_scep);
    for (size_t i = 0; i < G_N_ELEMENTS(scep_attribute_oids); i++)
        if (scep_attribute_oids[i].name != NULL)
            oid_add_from_string(scep_attribute_oids[i].name, scep_attribute_oids[i].oid);
    cms_handle = find_dissector_add_dependency("cms", proto_scep);
    if (cms_handle == NULL) {
        dissector_table_t media = find_dissector_table("media_type");
        if (media != NULL)
            cms_handle = dissector_get_string_handle(media, "application/pkcs7-mime");
    }
}
