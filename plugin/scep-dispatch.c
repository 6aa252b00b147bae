/* scep-dispatch.c — recognition and dispatch of SCEP messages.
 *
 * SCEP rides on HTTP, but its requests often carry a wrong content type (micromdm POSTs
 * application/octet-stream) or no body at all (GET with the pkiMessage in the URI), and
 * HTTP 4.0 tells a media_type subdissector neither the request URI nor the method. So SCEP
 * is a postdissector: in the first pass it gathers every HTTP message of the frame
 * (scep-http.c: bodies noted as HTTP hands them on, method, target and status from HTTP's
 * own records), asks the library (scep_classify_http; its rules are written in scepdec.h
 * and plugin/README.md, "What is recognised") whether it is SCEP, what the operation is
 * and what its body holds, and keeps the answer with the frame. Every pass then adds a
 * "Simple Certificate Enrollment Protocol" tree per SCEP message from what was kept,
 * without touching HTTP's own tree; HTTP inside TLS works when Wireshark decrypts it.
 *
 * Spans. Fields highlight the HTTP body, the request URI, or a data source of their own:
 * "Decoded PKIOperation message" (a GET's base64 message), "Decoded base64 body", and the
 * reassembled and decrypted pkcsPKIEnvelope (scep-pki.c, scep-crypto.c). */

#include "scep-int.h"

#include <string.h>

/* One SCEP message of a frame, kept with the frame from the first pass (see scep-http.h):
 * HTTP's facts, the library's classification of them and the message's record (kept here,
 * next to the rest, rather than in an index of its own). */
typedef struct {
    scep_http_facts http;
    scep_http_class cls;
    scep_record record;
} scep_message_memo;

/* Allocated with room for |count| items only: most frames hold one SCEP message, and memory
 * kept for every frame of a capture is memory first written, and missed in cache, once each. */
typedef struct {
    guint count;
    scep_message_memo items[];
} scep_frame_memo;

static gboolean bytes_of(packet_info *pinfo, const scep_tvb_ref *ref, scep_bytes *out)
{
    out->tvb = scep_tvb_ref_resolve(pinfo, ref);
    out->offset = ref->offset;
    out->length = ref->length;
    return out->tvb != NULL;
}

scep_record *request_record(guint32 frame)
{
    scep_frame_memo *memo = frame != 0 ? (scep_frame_memo *)scep_frame_kept(frame) : NULL;
    for (guint i = 0; memo != NULL && i < memo->count; i++) {
        scep_record *r = &memo->items[i].record;
        if (r->frame != 0 && r->is_request)
            return r;
    }
    return NULL;
}

/* classify_message asks the library whether HTTP message |f| is SCEP (first pass). */
static void classify_message(packet_info *pinfo, const scep_http_facts *f, scep_http_class *cls)
{
    scep_http_message m;
    memset(&m, 0, sizeof m);
    m.is_response = !f->is_request;
    m.target = f->target;
    m.target_len = f->target != NULL ? strlen(f->target) : 0;
    /* Decoded once per distinct target and kept, for this frame's dissection too. */
    const uint8_t *message;
    m.target_query = m.target_len > 0 ? reuse_query(pinfo, f->target, m.target_len, &message) : NULL;
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

/* string_size: the bytes |s| takes with its terminator; 0 for NULL. */
static gsize string_size(const char *s)
{
    return s != NULL ? strlen(s) + 1 : 0;
}

/* keep_string copies the string |*s| (|size| bytes with its terminator, string_size) to
 * |*at|, advances |*at| past it and points |*s| to the copy. */
static void keep_string(const char **s, gsize size, char **at)
{
    if (size == 0)
        return;
    memcpy(*at, *s, size);
    *s = *at;
    *at += size;
}

/* keep_memo makes the file-scope memo of the frame's SCEP messages: the messages and their
 * strings (packet scope until now) in one allocation. */
static scep_frame_memo *keep_memo(const scep_http_frame *frame, const scep_http_class *cls, guint scep_count)
{
    gsize size = sizeof(scep_frame_memo) + scep_count * sizeof(scep_message_memo);
    gsize sizes[SCEP_MAX_HTTP_MESSAGES][3]; /* method, content type, target */
    for (guint i = 0; i < frame->count; i++) {
        if (!cls[i].is_scep)
            continue;
        sizes[i][0] = string_size(frame->items[i].method);
        sizes[i][1] = string_size(frame->items[i].content_type);
        sizes[i][2] = string_size(frame->items[i].target);
        size += sizes[i][0] + sizes[i][1] + sizes[i][2];
    }
    scep_frame_memo *memo = (scep_frame_memo *)wmem_alloc(wmem_file_scope(), size);
    char *strings = (char *)&memo->items[scep_count];
    memo->count = 0;
    for (guint i = 0; i < frame->count; i++) {
        if (!cls[i].is_scep)
            continue;
        scep_message_memo *m = &memo->items[memo->count++];
        m->http = frame->items[i];
        m->cls = cls[i];
        memset(&m->record, 0, sizeof m->record);
        keep_string(&m->http.method, sizes[i][0], &strings);
        keep_string(&m->http.content_type, sizes[i][1], &strings);
        keep_string(&m->http.target, sizes[i][2], &strings);
    }
    return memo;
}

/* remember_frame (first pass) gathers the frame's HTTP messages and keeps the SCEP ones with
 * the frame. Returns NULL when the frame has none. */
static scep_frame_memo *remember_frame(packet_info *pinfo)
{
    scep_http_frame frame;
    scep_http_class cls[SCEP_MAX_HTTP_MESSAGES];
    guint scep_count = 0;
    if (scep_http_read_frame(pinfo, &frame) == 0)
        return NULL;
    for (guint i = 0; i < frame.count; i++) {
        classify_message(pinfo, &frame.items[i], &cls[i]);
        scep_count += cls[i].is_scep ? 1 : 0;
    }
    if (scep_count == 0)
        return NULL;
    scep_frame_memo *memo = keep_memo(&frame, cls, scep_count);
    scep_frame_keep(pinfo->num, memo);
    return memo;
}

/* What dissect_message works with: one message's facts, its bytes in this pass, the decoded
 * request target. */
typedef struct {
    packet_info *pinfo;
    tvbuff_t *frame_tvb;       /* the frame the postdissector was given */
    scep_message_memo *memo;   /* mutable for its record (first pass) */
    scep_bytes body;           /* tvb NULL when there is no body */
    const scep_query *query;   /* the request target, decoded (NULL when none) */
    const uint8_t *query_buf;  /* its message buffer */
    span_sources target_src;   /* spans into the target, when it is in this frame */
    proto_item *item;          /* the SCEP protocol item */
    proto_tree *tree;          /* its subtree */
    scep_summary sum;
} scep_message_ctx;

/* decode_target decodes the target of a request (or the target of a response's request,
 * for the name of an operation the library does not know: nothing else of it is used). */
static void decode_target(scep_message_ctx *x, proto_tree *tree)
{
    const scep_http_facts *f = &x->memo->http;
    if (f->target == NULL || f->target[0] == 0)
        return;
    if (!f->is_request && (x->memo->cls.operation != SCEP_OP_UNKNOWN ||
                           !scep_span_present(x->memo->cls.operation_text)))
        return;
    size_t len = strlen(f->target);
    x->query = tree == NULL ? reuse_query(x->pinfo, f->target, len, &x->query_buf) : NULL;
    if (x->query == NULL) {
        scep_query *decoded = wmem_new(x->pinfo->pool, scep_query); /* scep_decode_query clears it */
        uint8_t *message = (uint8_t *)wmem_alloc(x->pinfo->pool, len + 1);
        scep_decode_query(f->target, len, message, len + 1, decoded);
        x->query = decoded;
        x->query_buf = message;
    }
    if (tree == NULL || !f->is_request)
        return; /* where the target's bytes lie matters only to the tree's highlighting */
    scep_tvb_ref ref = scep_http_target_ref(x->pinfo, f->target);
    scep_bytes target;
    if (bytes_of(x->pinfo, &ref, &target) && (gsize)target.length == len) {
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

/* add_message_item adds the SCEP item over the message's bytes: its body, else its target.
 * Without a tree there is none, and Wireshark's tree code is not called at all. */
static proto_item *add_message_item(const scep_message_ctx *x, proto_tree *parent)
{
    if (parent == NULL)
        return NULL;
    if (x->body.tvb != NULL)
        return proto_tree_add_item(parent, proto_scep, x->body.tvb, x->body.offset, x->body.length, ENC_NA);
    if (x->target_src.input != NULL)
        return proto_tree_add_item(parent, proto_scep, x->target_src.input, x->target_src.input_base,
                                   (gint)strlen(x->memo->http.target), ENC_NA);
    return proto_tree_add_item(parent, proto_scep, NULL, 0, 0, ENC_NA);
}

/* start_message adds the SCEP item, the operation and a response's HTTP status. Returns the
 * HTTP status item (NULL for a request). */
static proto_item *start_message(scep_message_ctx *x, proto_tree *parent)
{
    const scep_http_facts *f = &x->memo->http;
    scep_summary *sum = &x->sum;
    x->item = add_message_item(x, parent);
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
            EXPERT_FORMAT(x->tree, x->pinfo, op, &ei_scep_unknown_operation, "Unknown SCEP operation \"%s\"",
                          sum->operation_text);
    }
    if (x->item != NULL)
        proto_item_append_text(x->item, ", %s%s", sum->operation_text ? sum->operation_text : "(no operation)",
                               f->is_request ? "" : " response");
    if (!f->has_status)
        return NULL;
    sum->http_status = f->status_code;
    return add_generated_uint(x->tree, hf_scep_http_status, f->status_code);
}

/* add_target_message shows a request's message parameter; a PKIOperation's decoded
 * pkiMessage becomes a data source of its own, returned in |pki|. */
static void add_target_message(scep_message_ctx *x, scep_bytes *pki)
{
    const scep_query *q = x->query;
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
    if (q->message_forms != 0)
        add_generated_flags(x->tree, hf_scep_message_forms, x->pinfo, q->message_forms, 2, scep_base64_form_name);
    if (q->message_len > 0 && x->body.tvb == NULL) {
        /* A child of the target's bytes when they were located (a tree is built), else of
         * the frame: either frees it with the packet. */
        tvbuff_t *parent = x->target_src.input != NULL ? x->target_src.input : x->frame_tvb;
        pki->tvb = tvb_new_child_real_data(parent, x->query_buf, (guint)q->message_len, (gint)q->message_len);
        add_new_data_source(x->pinfo, pki->tvb, "Decoded PKIOperation message");
        pki->offset = 0;
        pki->length = (gint)q->message_len;
    }
    if (q->truncated)
        mark_truncated(x->tree, sum);
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
    x->sum.http_complaint = complaint;
    if (complaint != NULL)
        EXPERT_FORMAT(x->tree, x->pinfo, status_item, &ei_scep_http_error,
                      "The server answered the SCEP %s request with HTTP %u: %s", op, x->sum.http_status, complaint);
    else
        EXPERT_FORMAT(x->tree, x->pinfo, status_item, &ei_scep_http_error,
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
    if (experts_observed(x->tree))
        proto_tree_add_expert(x->tree, x->pinfo, &ei_scep_base64_body, x->body.tvb, x->body.offset, x->body.length);
    else
        expert_unobserved(x->pinfo, &ei_scep_base64_body);
    return TRUE;
}

/* decode_body dissects the body as the classification says. */
static void decode_body(scep_message_ctx *x, scep_bytes *pki, proto_item *status_item)
{
    scep_summary *sum = &x->sum;
    switch (x->memo->cls.payload) {
    case SCEP_PAYLOAD_ERROR_TEXT:
        if (x->memo->http.has_status) /* not status_item: there is none without a tree */
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
    if (x->memo->http.has_status && (sum->http_status < 200 || sum->http_status >= 300))
        add_http_error(x, status_item);
}

/* finish_message: the item's summary, tracking, the CMS view, Info and the tap. */
static void finish_message(scep_message_ctx *x, const scep_bytes *pki, gboolean first)
{
    scep_summary *sum = &x->sum;
    if (x->item != NULL && sum->message_type >= 0) {
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
        track_first_pass(x->pinfo, &x->memo->record, sum, x->memo->http.request_frame);
    scep_record *record = x->memo->record.frame != 0 ? &x->memo->record : NULL;
    scep_record *request = add_tracking(x->tree, x->pinfo, record, sum);
    scep_diag_http http = { x->memo->http.method, x->memo->http.target };
    sum->diagnoses = diagnose_message(x->tree, x->pinfo, sum, &http, record, request);

    /* A cut message would only make CMS throw: what is there is shown above. */
    if (pki->tvb != NULL && !sum->truncated)
        call_cms(pki->tvb, pki->offset, pki->length, x->pinfo, x->tree);
    set_info(x->pinfo, sum, first);

    queue_tap(x->pinfo, sum, request != NULL ? request->frame : 0);
}

static void dissect_message(tvbuff_t *frame_tvb, packet_info *pinfo, proto_tree *tree,
                            scep_message_memo *memo, gboolean first)
{
    scep_message_ctx x;
    memset(&x, 0, sizeof x);
    x.pinfo = pinfo;
    x.frame_tvb = frame_tvb;
    x.memo = memo;
    x.target_src.pinfo = pinfo;
    x.sum.is_request = memo->http.is_request;
    x.sum.message_type = x.sum.pki_status = x.sum.fail_info = -1;
    x.sum.certificate_count = -1;
    if (!bytes_of(pinfo, &memo->http.body_ref, &x.body))
        x.body.tvb = NULL;
    decode_target(&x, tree);

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
int dissect_scep(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    scep_frame_memo *memo;
    if (!PINFO_FD_VISITED(pinfo))
        memo = remember_frame(pinfo);
    else
        memo = (scep_frame_memo *)scep_frame_kept(pinfo->num);
    if (memo == NULL)
        return 0;
    for (guint i = 0; i < memo->count; i++)
        dissect_message(tvb, pinfo, tree, &memo->items[i], i == 0);
    expert_flush_unobserved(pinfo);
    return (int)tvb_captured_length(tvb);
}
