/* scep-diagnosis.c — scep.diagnosis: the likely cause of a failure, found from a message and
 * its context, as "<code>: <sentence>" with an expert info of the same text. The codes, their
 * evidence and their sentences are specified in docs/diagnosis.md; every code there is
 * implemented. Codes that need a later frame (unanswered, pending-unpolled, and the
 * capture-wide ones when the GetCACert/GetCACaps answer comes after the request) appear from
 * the second pass on. */

#include <stdarg.h>
#include <string.h>

#include "scep-int.h"

#define SCEP_CLOCK_SKEW_LIMIT 300  /* seconds between signingTime and the frame's time */
#define SCEP_QUERY_LIMIT 2048      /* IIS's default maxQueryString, in bytes */

/* Where the diagnoses of one message go: its tree, and the list of their codes. */
typedef struct {
    proto_tree *tree;
    packet_info *pinfo;
    wmem_strbuf_t *codes; /* "code code ..."; NULL until the first diagnosis */
    gboolean wanted;      /* someone reads the texts: a tree, the expert tap or SCEP's own tap */
} scep_diag_ctx;

static void add_diagnosis(scep_diag_ctx *d, expert_field *severity, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

static void add_diagnosis(scep_diag_ctx *d, expert_field *severity, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *text = wmem_strdup_vprintf(d->pinfo->pool, format, ap);
    va_end(ap);
    proto_item *item = proto_tree_add_string(d->tree, hf_scep_diagnosis, NULL, 0, 0, text);
    proto_item_set_generated(item);
    EXPERT_FORMAT(d->tree, d->pinfo, item, severity, "%s", text);
    const char *colon = strchr(text, ':');
    if (d->codes == NULL)
        d->codes = wmem_strbuf_new(d->pinfo->pool, "");
    wmem_strbuf_append_printf(d->codes, "%s%.*s", wmem_strbuf_get_len(d->codes) ? " " : "",
                              colon ? (int)(colon - text) : (int)strlen(text), text);
}

/* DIAGNOSE(d, severity, format, ...): add_diagnosis when someone reads diagnoses, else only
 * the expert info's severity (what Wireshark keeps of it then, see experts_observed); the
 * arguments, some costly to format, are evaluated only in the first case. */
#define DIAGNOSE(d, severity, ...)                                   \
    do {                                                             \
        if ((d)->wanted)                                             \
            add_diagnosis((d), (severity), __VA_ARGS__);             \
        else                                                         \
            expert_unobserved((d)->pinfo, (severity));               \
    } while (0)

/* "699 days", "2 h 0 min", "3 min 12 s", "41 s" */
static char *duration_text(wmem_allocator_t *scope, gint64 seconds)
{
    if (seconds < 0)
        seconds = -seconds;
    if (seconds >= 2 * 86400)
        return wmem_strdup_printf(scope, "%" G_GINT64_FORMAT " days", seconds / 86400);
    if (seconds >= 3600)
        return wmem_strdup_printf(scope, "%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min", seconds / 3600,
                                  seconds % 3600 / 60);
    if (seconds >= 60)
        return wmem_strdup_printf(scope, "%" G_GINT64_FORMAT " min %" G_GINT64_FORMAT " s", seconds / 60,
                                  seconds % 60);
    return wmem_strdup_printf(scope, "%" G_GINT64_FORMAT " s", seconds);
}

static char *utc_text(wmem_allocator_t *scope, gint64 seconds)
{
    GDateTime *t = g_date_time_new_from_unix_utc(seconds);
    if (t == NULL)
        return wmem_strdup(scope, "?");
    char *text = g_date_time_format(t, "%Y-%m-%d %H:%M:%S UTC");
    char *copy = wmem_strdup(scope, text);
    g_free(text);
    g_date_time_unref(t);
    return copy;
}

static char *hex_text(wmem_allocator_t *scope, const guint8 *bytes, gsize length)
{
    wmem_strbuf_t *out = wmem_strbuf_new(scope, "");
    for (gsize i = 0; i < length; i++)
        wmem_strbuf_append_printf(out, "%02x", bytes[i]);
    return wmem_strbuf_finalize(out);
}

/* The query string of a request target: the bytes after its first '?'. */
static gsize query_length(const char *target)
{
    const char *q = target != NULL ? strchr(target, '?') : NULL;
    return q != NULL ? strlen(q + 1) : 0;
}

static void diagnose_request(scep_diag_ctx *d, const scep_summary *sum,
                             const scep_diag_http *http, const scep_record *self)
{
    gsize query = query_length(http->target);
    if (http->method != NULL && strcmp(http->method, "GET") == 0 && sum->operation == SCEP_OP_PKI_OPERATION &&
        query > SCEP_QUERY_LIMIT)
        DIAGNOSE(d, &ei_scep_diagnosis_warning,
                 "url-too-long: this GET carries a %" G_GSIZE_FORMAT "-byte query string; IIS (NDES) "
                 "refuses more than %d bytes by default (maxQueryString: 404.15) unless its request "
                 "limits were raised", query, SCEP_QUERY_LIMIT);
    if (sum->has_signing_time) {
        gint64 skew = sum->signing_time - (gint64)d->pinfo->abs_ts.secs;
        if (skew > SCEP_CLOCK_SKEW_LIMIT || skew < -SCEP_CLOCK_SKEW_LIMIT)
            DIAGNOSE(d, &ei_scep_diagnosis_warning,
                     "clock-skew: the request was signed at %s, %s %s it was captured; the client's "
                     "clock is %s: correct the device's time (or the capturing host's).",
                     utc_text(d->pinfo->pool, sum->signing_time), duration_text(d->pinfo->pool, skew),
                     skew < 0 ? "before" : "after", skew < 0 ? "behind" : "ahead");
    }
    if (PINFO_FD_VISITED(d->pinfo) && self != NULL && self->peer_frame == 0)
        DIAGNOSE(d, &ei_scep_diagnosis_warning,
                 "unanswered: no HTTP response to this %s in the capture.",
                 sum->message_type >= 0 && scep_message_type_name(sum->message_type)
                     ? scep_message_type_name(sum->message_type)
                     : (sum->operation_text ? sum->operation_text : "request"));
}

/* What the failed request was asking for, for server-error's sentence. */
static const char *expected_answer(scep_operation op)
{
    switch (op) {
    case SCEP_OP_GET_CA_CERT: return "the CA certificate";
    case SCEP_OP_GET_CA_CAPS: return "its capabilities";
    case SCEP_OP_GET_NEXT_CA_CERT: return "the next CA certificate";
    case SCEP_OP_PKI_OPERATION: return "a CertRep";
    default: return "a SCEP answer";
    }
}

static void diagnose_certrep(scep_diag_ctx *d, const scep_summary *sum,
                             const scep_record *req)
{
    if (sum->pki_status == SCEP_STATUS_FAILURE && sum->fail_info == SCEP_FAIL_BAD_REQUEST && req != NULL &&
        (req->message_type == SCEP_MSG_PKCS_REQ || req->message_type == SCEP_MSG_RENEWAL_REQ))
        DIAGNOSE(d, &ei_scep_diagnosis_warning,
                 "challenge: the CA refused the request (FAILURE badRequest)%s%s%s; with NDES/Intune and "
                 "micromdm this is most often a wrong, reused or expired challenge password.",
                 sum->fail_info_text ? ": \"" : "", sum->fail_info_text ? sum->fail_info_text : "",
                 sum->fail_info_text ? "\"" : "");
    if (sum->pki_status == SCEP_STATUS_FAILURE && sum->fail_info == SCEP_FAIL_BAD_TIME)
        DIAGNOSE(d, &ei_scep_diagnosis_warning,
                 "clock-skew: the CA answered badTime: it found the request's time too far from its "
                 "own clock.");
    if (req == NULL)
        return;
    if (sum->recipient_nonce != NULL && req->sender_nonce != NULL &&
        !scep_nonce_equal(sum->recipient_nonce, sum->recipient_nonce_len, req->sender_nonce, req->sender_nonce_len))
        DIAGNOSE(d, &ei_scep_diagnosis_error,
                 "nonce-mismatch: this CertRep's recipientNonce %s is not the request's senderNonce %s "
                 "(frame %u); a client that checks it rejects the answer (a proxy or load balancer "
                 "may have mixed two exchanges).",
                 hex_text(d->pinfo->pool, sum->recipient_nonce, sum->recipient_nonce_len),
                 hex_text(d->pinfo->pool, req->sender_nonce, req->sender_nonce_len), req->frame);
    else if (sum->transaction_id != NULL && req->transaction_id != NULL &&
             strcmp(sum->transaction_id, req->transaction_id) != 0)
        DIAGNOSE(d, &ei_scep_diagnosis_error,
                 "nonce-mismatch: this CertRep's transactionID %s is not the request's %s (frame %u); "
                 "a client that checks it rejects the answer (a proxy or load balancer may have "
                 "mixed two exchanges).", sum->transaction_id, req->transaction_id, req->frame);
    if (scep_nonce_equal(sum->sender_nonce, sum->sender_nonce_len, req->sender_nonce, req->sender_nonce_len))
        DIAGNOSE(d, &ei_scep_diagnosis_note,
                 "nonce-reused: this CertRep's senderNonce repeats the request's (frame %u) instead of a "
                 "fresh one (RFC 8894); micromdm scepserver does this; clients rarely check it.",
                 req->frame);
    if (sum->pki_status == SCEP_STATUS_PENDING && PINFO_FD_VISITED(d->pinfo) && sum->transaction_id != NULL &&
        last_request_frame(sum->transaction_id) < d->pinfo->num)
        DIAGNOSE(d, &ei_scep_diagnosis_warning,
                 "pending-unpolled: the CA answered PENDING and the client did not poll: no CertPoll "
                 "with this transactionID follows in the capture; approve the request at the CA, or "
                 "check the client's polling.");
}

static char *name_text(wmem_allocator_t *scope, scep_span name)
{
    char text[1024];
    scep_name_format(name.data, name.length, text, sizeof text);
    return wmem_strdup(scope, text);
}

static char *identifier_text(wmem_allocator_t *scope, const scep_identifier *id)
{
    if (id->kind == SCEP_ID_SKI)
        return wmem_strdup_printf(scope, "key identifier %s", hex_text(scope, id->ski.data, id->ski.length));
    return wmem_strdup_printf(scope, "%s serial %s", name_text(scope, id->issuer),
                              hex_text(scope, id->serial.data, id->serial.length));
}

/* What the CA published, as "frame N published SUBJECT serial S, ...". */
static char *published_text(packet_info *pinfo)
{
    wmem_strbuf_t *out = wmem_strbuf_new(pinfo->pool, "");
    guint n = scep_published_count(pinfo);
    for (guint i = 0; i < n; i++) {
        const scep_published_cert *p = scep_published_at(pinfo, i);
        wmem_strbuf_append_printf(out, "%sGetCACert in frame %u published %s serial %s", i ? ", " : "", p->frame,
                                  p->subject, hex_text(pinfo->pool, p->serial, p->serial_length));
    }
    return wmem_strbuf_finalize(out);
}

static void diagnose_recipients(scep_diag_ctx *d, const scep_pki_message *msg)
{
    if (!msg->has_envelope || msg->envelope.recipient_count == 0 || scep_published_count(d->pinfo) == 0)
        return;
    for (size_t i = 0; i < msg->envelope.recipient_count && i < SCEP_MAX_RECIPIENTS; i++)
        if (scep_identifier_published(d->pinfo, &msg->envelope.recipients[i].rid))
            return;
    DIAGNOSE(d, &ei_scep_diagnosis_error,
             "recipient-not-published: the request is encrypted to %s, which the CA did not publish in "
             "this capture (%s); the client holds an old or wrong CA/RA certificate (e.g. after an "
             "NDES RA certificate renewal): make it fetch GetCACert again.",
             identifier_text(d->pinfo->pool, &msg->envelope.recipients[0].rid), published_text(d->pinfo));
}

static gboolean carried(const scep_signed_data *sd, const scep_identifier *id)
{
    for (size_t i = 0; i < sd->certificate_count && i < SCEP_MAX_CERTIFICATES; i++) {
        const scep_certificate *c = &sd->certificates[i];
        if (scep_identifier_matches(id, c->issuer.data, c->issuer.length, c->serial.data, c->serial.length,
                                    c->subject_key_id.data, c->subject_key_id.length))
            return TRUE;
    }
    return FALSE;
}

static void diagnose_signer(scep_diag_ctx *d, const scep_pki_message *msg)
{
    const scep_identifier *sid = &msg->signed_data.signer.sid;
    if (msg->signed_data.signer_count == 0 || sid->kind == SCEP_ID_NONE || scep_published_count(d->pinfo) == 0 ||
        carried(&msg->signed_data, sid) || scep_identifier_published(d->pinfo, sid))
        return;
    DIAGNOSE(d, &ei_scep_diagnosis_error,
             "signer-not-published: this CertRep is signed by %s, which it does not carry and the CA "
             "did not publish (%s); the client cannot verify it: publish the RA/CA signing certificate "
             "in GetCACert.", identifier_text(d->pinfo->pool, sid), published_text(d->pinfo));
}

/* certificate_expired checks each certificate against the frame's time. */
static void diagnose_validity(scep_diag_ctx *d, const scep_certificate *certs, size_t count,
                              const char *advice)
{
    gint64 now = (gint64)d->pinfo->abs_ts.secs;
    for (size_t i = 0; i < count && i < SCEP_MAX_CERTIFICATES; i++) {
        const scep_certificate *c = &certs[i];
        if (c->not_after < now)
            DIAGNOSE(d, &ei_scep_diagnosis_warning,
                     "certificate-expired: %s (serial %s, issued by %s) expired on %s, %s before this "
                     "capture; %s.", name_text(d->pinfo->pool, c->subject),
                     hex_text(d->pinfo->pool, c->serial.data, c->serial.length), name_text(d->pinfo->pool, c->issuer),
                     utc_text(d->pinfo->pool, c->not_after), duration_text(d->pinfo->pool, now - c->not_after), advice);
        else if (c->not_before > now)
            DIAGNOSE(d, &ei_scep_diagnosis_warning,
                     "certificate-expired: %s (serial %s, issued by %s) is not valid before %s, %s after "
                     "this capture; the client's clock may be wrong.", name_text(d->pinfo->pool, c->subject),
                     hex_text(d->pinfo->pool, c->serial.data, c->serial.length), name_text(d->pinfo->pool, c->issuer),
                     utc_text(d->pinfo->pool, c->not_before), duration_text(d->pinfo->pool, c->not_before - now));
    }
}

static gboolean offers(const scep_server_caps *caps, scep_capability cap)
{
    return (caps->offered & (1u << cap)) != 0;
}

/* oid_text: an algorithm's dotted form and name; the library's table has both for the OIDs it
 * knows, others are converted into |buf|. */
static void oid_text(scep_span oid, char *buf, size_t cap, const char **dotted, const char **name)
{
    const scep_oid_info *info = scep_oid_lookup(oid.data, oid.length);
    if (info != NULL) {
        *dotted = info->dotted;
        *name = info->name;
        return;
    }
    buf[0] = 0;
    scep_oid_to_dotted(oid.data, oid.length, buf, cap);
    *dotted = *name = buf;
}

/* The reasons below are formatted in |scope|; with |scope| NULL (nobody reads the diagnosis)
 * they only answer whether there is one, with a placeholder. */
static const char *not_advertised(wmem_allocator_t *scope, const char *name)
{
    return scope != NULL ? wmem_strdup_printf(scope, "%s is not advertised", name) : "not advertised";
}

/* legacy_reason: what is wrong with legacy algorithm |name|, which capability |cap|
 * advertises: not advertised, or used although |stronger| is offered (NULL: nothing is). */
static const char *legacy_reason(wmem_allocator_t *scope, const char *name, const scep_server_caps *caps,
                                 scep_capability cap, const char *stronger, gboolean *weaker)
{
    if (!offers(caps, cap))
        return not_advertised(scope, name);
    *weaker = stronger != NULL;
    if (stronger == NULL)
        return NULL;
    return scope != NULL ? wmem_strdup_printf(scope, "%s is used although %s is offered", name, stronger)
                         : "weaker";
}

/* cipher_reason: why the content cipher does not fit the capabilities, NULL when it does;
 * |*weaker| when the reason is only that a stronger one is offered. */
static const char *cipher_reason(wmem_allocator_t *scope, const char *dotted, const char *name,
                                 const scep_server_caps *caps, gboolean *weaker)
{
    gboolean aes_offered = offers(caps, SCEP_CAP_AES) || offers(caps, SCEP_CAP_SCEP_STANDARD);
    if (strcmp(dotted, "1.2.840.113549.3.7") == 0)
        return legacy_reason(scope, name, caps, SCEP_CAP_DES3, aes_offered ? "AES" : NULL, weaker);
    if (strcmp(dotted, "2.16.840.1.101.3.4.1.2") == 0 || strcmp(dotted, "2.16.840.1.101.3.4.1.22") == 0 ||
        strcmp(dotted, "2.16.840.1.101.3.4.1.42") == 0)
        return aes_offered ? NULL : not_advertised(scope, name);
    return not_advertised(scope, name); /* single DES and the rest */
}

static const char *digest_reason(wmem_allocator_t *scope, const char *dotted, const char *name,
                                 const scep_server_caps *caps, gboolean *weaker)
{
    gboolean sha2 = offers(caps, SCEP_CAP_SHA256) || offers(caps, SCEP_CAP_SCEP_STANDARD);
    if (strcmp(dotted, "1.3.14.3.2.26") == 0)
        return legacy_reason(scope, name, caps, SCEP_CAP_SHA1,
                             sha2 ? "SHA-256" : offers(caps, SCEP_CAP_SHA512) ? "SHA-512" : NULL, weaker);
    if (strcmp(dotted, "2.16.840.1.101.3.4.2.1") == 0)
        return sha2 ? NULL : not_advertised(scope, name);
    if (strcmp(dotted, "2.16.840.1.101.3.4.2.3") == 0)
        return offers(caps, SCEP_CAP_SHA512) ? NULL : not_advertised(scope, name);
    return not_advertised(scope, name);
}

static void diagnose_algorithms(scep_diag_ctx *d, const scep_pki_message *msg)
{
    const scep_server_caps *caps = scep_caps_for_request(d->pinfo);
    scep_span cipher = msg->envelope.content_encryption_algorithm.oid;
    scep_span digest = msg->signed_data.signer.digest_algorithm.oid;
    if (caps == NULL || !msg->has_envelope || !scep_span_present(cipher) || !scep_span_present(digest))
        return;
    char cipher_buf[128], digest_buf[128];
    const char *cipher_dotted, *cipher_name, *digest_dotted, *digest_name;
    oid_text(cipher, cipher_buf, sizeof cipher_buf, &cipher_dotted, &cipher_name);
    oid_text(digest, digest_buf, sizeof digest_buf, &digest_dotted, &digest_name);
    gboolean cipher_weaker = FALSE, digest_weaker = FALSE;
    wmem_allocator_t *scope = d->wanted ? d->pinfo->pool : NULL;
    const char *reasons[2] = {
        cipher_reason(scope, cipher_dotted, cipher_name, caps, &cipher_weaker),
        digest_reason(scope, digest_dotted, digest_name, caps, &digest_weaker),
    };
    if (reasons[0] == NULL && reasons[1] == NULL)
        return;
    gboolean only_weaker = (reasons[0] == NULL || cipher_weaker) && (reasons[1] == NULL || digest_weaker);
    DIAGNOSE(d, only_weaker ? &ei_scep_diagnosis_note : &ei_scep_diagnosis_warning,
             "algorithm-not-advertised: the request uses %s and %s; the CA's GetCACaps (frame %u) offers "
             "%s: %s%s%s.", cipher_name, digest_name, caps->frame, caps->text,
             reasons[0] ? reasons[0] : "", reasons[0] && reasons[1] ? "; " : "", reasons[1] ? reasons[1] : "");
}

/* is_ca_answer: an answer to GetCACert or GetNextCACert. */
static gboolean is_ca_answer(const scep_summary *sum)
{
    return !sum->is_request && (sum->operation == SCEP_OP_GET_CA_CERT || sum->operation == SCEP_OP_GET_NEXT_CA_CERT);
}

/* record_context keeps what the CA publishes (its certificates, its capabilities) for the
 * diagnoses of later frames, whether or not this one's are wanted. */
static void record_context(packet_info *pinfo, const scep_summary *sum)
{
    if (is_ca_answer(sum) && sum->bundle != NULL)
        scep_record_published(pinfo, sum->bundle);
    if (!sum->is_request && sum->operation == SCEP_OP_GET_CA_CAPS && sum->caps_decoded != NULL)
        scep_record_caps(pinfo, sum->caps_decoded, sum->caps);
}

/* diagnose_context: the capture-wide codes. */
static void diagnose_context(scep_diag_ctx *d, const scep_summary *sum)
{
    if (is_ca_answer(sum) && sum->bundle != NULL) {
        if (sum->bundle->kind == SCEP_BUNDLE_SIGNED) /* the inner set may lie in the future */
            diagnose_validity(d, sum->bundle->outer.certificates, sum->bundle->outer.certificate_count,
                              "the CA publishes an expired CA/RA certificate: renew it");
        else
            diagnose_validity(d, sum->bundle->certificates, sum->bundle->certificate_count,
                              "the CA publishes an expired CA/RA certificate: renew it");
    }
    if (sum->pki == NULL)
        return;
    if (sum->is_request) {
        diagnose_recipients(d, sum->pki);
        diagnose_algorithms(d, sum->pki);
    } else if (sum->message_type == SCEP_MSG_CERT_REP) {
        diagnose_signer(d, sum->pki);
    }
    diagnose_validity(d, sum->pki->signed_data.certificates, sum->pki->signed_data.certificate_count,
                      sum->is_request ? "the client's clock may be wrong"
                                      : "the CA issued or carries a certificate that is already expired: "
                                        "check its validity setting");
}

const char *diagnose_message(proto_tree *tree, packet_info *pinfo, const scep_summary *sum,
                             const scep_diag_http *http, const scep_record *self, const scep_record *req)
{
    scep_diag_ctx context = { tree, pinfo, NULL,
                              experts_observed(tree) || have_tap_listener(scep_tap) };
    scep_diag_ctx *d = &context;
    record_context(pinfo, sum);
    if (!d->wanted && !severity_shown(pinfo))
        return ""; /* no text read, no severity shown */
    diagnose_context(d, sum);
    if (sum->is_request)
        diagnose_request(d, sum, http, self);
    else if (sum->http_status >= 400)
        DIAGNOSE(d, &ei_scep_diagnosis_error,
                 "server-error: the server answered HTTP %u instead of %s%s%s%s.", sum->http_status,
                 expected_answer(sum->operation), sum->http_complaint ? ": \"" : "",
                 sum->http_complaint ? sum->http_complaint : "", sum->http_complaint ? "\"" : "");
    else if (sum->message_type == SCEP_MSG_CERT_REP)
        diagnose_certrep(d, sum, req);
    if (sum->failed_check != NULL)
        DIAGNOSE(d, &ei_scep_diagnosis_error,
                 "signature-invalid: the %s signature does not verify (%s check failed); the message "
                 "was altered in transit, or the signer used another key than its certificate's.",
                 sum->message_type >= 0 && scep_message_type_name(sum->message_type)
                     ? scep_message_type_name(sum->message_type) : "message",
                 sum->failed_check);
    return d->codes != NULL ? wmem_strbuf_get_str(d->codes) : "";
}
