/* scep-diagnosis.c — scep.diagnosis: the likely cause of a failure, found from a message and
 * its context, as "<code>: <sentence>" with an expert info of the same text. The codes, their
 * evidence and their sentences are specified in docs/diagnosis.md; this file implements
 * challenge, clock-skew, url-too-long, server-error, nonce-mismatch, nonce-reused,
 * signature-invalid, unanswered and pending-unpolled. Codes that need a later frame
 * (unanswered, pending-unpolled) appear from the second pass on. */

#include <stdarg.h>
#include <string.h>

#include "scep-int.h"

#define SCEP_CLOCK_SKEW_LIMIT 300  /* seconds between signingTime and the frame's time */
#define SCEP_QUERY_LIMIT 2048      /* IIS's default maxQueryString, in bytes */

static void add_diagnosis(proto_tree *tree, packet_info *pinfo, expert_field *severity,
                          const char *format, ...) G_GNUC_PRINTF(4, 5);

static void add_diagnosis(proto_tree *tree, packet_info *pinfo, expert_field *severity,
                          const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *text = wmem_strdup_vprintf(pinfo->pool, format, ap);
    va_end(ap);
    proto_item *item = proto_tree_add_string(tree, hf_scep_diagnosis, NULL, 0, 0, text);
    proto_item_set_generated(item);
    expert_add_info_format(pinfo, item, severity, "%s", text);
}

/* "2 h 0 min", "3 min 12 s", "41 s" */
static char *duration_text(wmem_allocator_t *scope, gint64 seconds)
{
    if (seconds < 0)
        seconds = -seconds;
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

static void diagnose_request(proto_tree *tree, packet_info *pinfo, const scep_summary *sum,
                             const scep_diag_http *http, const scep_record *self)
{
    gsize query = query_length(http->target);
    if (http->method != NULL && strcmp(http->method, "GET") == 0 && sum->operation == SCEP_OP_PKI_OPERATION &&
        query > SCEP_QUERY_LIMIT)
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_warning,
                      "url-too-long: this GET carries a %" G_GSIZE_FORMAT "-byte query string; IIS (NDES) "
                      "refuses more than %d bytes by default (maxQueryString: 404.15) unless its request "
                      "limits were raised", query, SCEP_QUERY_LIMIT);
    if (sum->has_signing_time) {
        gint64 skew = sum->signing_time - (gint64)pinfo->abs_ts.secs;
        if (skew > SCEP_CLOCK_SKEW_LIMIT || skew < -SCEP_CLOCK_SKEW_LIMIT)
            add_diagnosis(tree, pinfo, &ei_scep_diagnosis_warning,
                          "clock-skew: the request was signed at %s, %s %s it was captured; the client's "
                          "clock is %s: correct the device's time (or the capturing host's).",
                          utc_text(pinfo->pool, sum->signing_time), duration_text(pinfo->pool, skew),
                          skew < 0 ? "before" : "after", skew < 0 ? "behind" : "ahead");
    }
    if (PINFO_FD_VISITED(pinfo) && self != NULL && self->peer_frame == 0)
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_warning,
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

static void diagnose_certrep(proto_tree *tree, packet_info *pinfo, const scep_summary *sum,
                             const scep_record *req)
{
    if (sum->pki_status == SCEP_STATUS_FAILURE && sum->fail_info == SCEP_FAIL_BAD_REQUEST && req != NULL &&
        (req->message_type == SCEP_MSG_PKCS_REQ || req->message_type == SCEP_MSG_RENEWAL_REQ))
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_warning,
                      "challenge: the CA refused the request (FAILURE badRequest)%s%s%s; with NDES/Intune and "
                      "micromdm this is most often a wrong, reused or expired challenge password.",
                      sum->fail_info_text ? ": \"" : "", sum->fail_info_text ? sum->fail_info_text : "",
                      sum->fail_info_text ? "\"" : "");
    if (sum->pki_status == SCEP_STATUS_FAILURE && sum->fail_info == SCEP_FAIL_BAD_TIME)
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_warning,
                      "clock-skew: the CA answered badTime: it found the request's time too far from its "
                      "own clock.");
    if (req == NULL)
        return;
    if (sum->recipient_nonce != NULL && req->sender_nonce != NULL &&
        !scep_nonce_equal(sum->recipient_nonce, sum->recipient_nonce_len, req->sender_nonce, req->sender_nonce_len))
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_error,
                      "nonce-mismatch: this CertRep's recipientNonce %s is not the request's senderNonce %s "
                      "(frame %u); a client that checks it rejects the answer (a proxy or load balancer "
                      "may have mixed two exchanges).",
                      hex_text(pinfo->pool, sum->recipient_nonce, sum->recipient_nonce_len),
                      hex_text(pinfo->pool, req->sender_nonce, req->sender_nonce_len), req->frame);
    else if (sum->transaction_id != NULL && req->transaction_id != NULL &&
             strcmp(sum->transaction_id, req->transaction_id) != 0)
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_error,
                      "nonce-mismatch: this CertRep's transactionID %s is not the request's %s (frame %u); "
                      "a client that checks it rejects the answer (a proxy or load balancer may have "
                      "mixed two exchanges).", sum->transaction_id, req->transaction_id, req->frame);
    if (scep_nonce_equal(sum->sender_nonce, sum->sender_nonce_len, req->sender_nonce, req->sender_nonce_len))
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_note,
                      "nonce-reused: this CertRep's senderNonce repeats the request's (frame %u) instead of a "
                      "fresh one (RFC 8894); micromdm scepserver does this; clients rarely check it.",
                      req->frame);
    if (sum->pki_status == SCEP_STATUS_PENDING && PINFO_FD_VISITED(pinfo) && sum->transaction_id != NULL &&
        last_request_frame(sum->transaction_id) < pinfo->num)
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_warning,
                      "pending-unpolled: the CA answered PENDING and the client did not poll: no CertPoll "
                      "with this transactionID follows in the capture; approve the request at the CA, or "
                      "check the client's polling.");
}

void diagnose_message(proto_tree *tree, packet_info *pinfo, const scep_summary *sum,
                      const scep_diag_http *http, const scep_record *self, const scep_record *req)
{
    if (sum->is_request)
        diagnose_request(tree, pinfo, sum, http, self);
    else if (sum->http_status >= 400)
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_error,
                      "server-error: the server answered HTTP %u instead of %s%s%s%s.", sum->http_status,
                      expected_answer(sum->operation), sum->http_complaint ? ": \"" : "",
                      sum->http_complaint ? sum->http_complaint : "", sum->http_complaint ? "\"" : "");
    else if (sum->message_type == SCEP_MSG_CERT_REP)
        diagnose_certrep(tree, pinfo, sum, req);
    if (sum->failed_check != NULL)
        add_diagnosis(tree, pinfo, &ei_scep_diagnosis_error,
                      "signature-invalid: the %s signature does not verify (%s check failed); the message "
                      "was altered in transit, or the signer used another key than its certificate's.",
                      sum->message_type >= 0 && scep_message_type_name(sum->message_type)
                          ? scep_message_type_name(sum->message_type) : "message",
                      sum->failed_check);
}
