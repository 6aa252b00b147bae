/* scep-http.c — gathers a frame's HTTP messages in the first pass without HTTP's tree, and
 * finds their bytes again in later passes (see scep-http.h for why and how). */
#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif
#include <ws_version.h>

#include <epan/packet.h>
#include <epan/conversation.h>
#include <epan/proto_data.h>
#include <epan/wmem_scopes.h>
#include <epan/dissectors/packet-http.h>

#include <string.h>

#include "scep-http.h"

/* From Wireshark 4.2 on HTTP keeps the method, target and status code in each
 * request/response record; 4.0 keeps them in the conversation, for the message being
 * dissected. */
#if WIRESHARK_VERSION_MAJOR > 4 || (WIRESHARK_VERSION_MAJOR == 4 && WIRESHARK_VERSION_MINOR >= 2)
#define SCEP_HTTP_FACTS_PER_RECORD 1
#endif

/* What a heuristic dissector returns: gboolean in Wireshark 4.0, bool later. Taken from
 * heur_dissector_t itself (the operand is not evaluated) rather than guessed by release. */
typedef __typeof__(((heur_dissector_t)NULL)(NULL, NULL, NULL, NULL)) scep_heur_result;

/* The media types SCEP's bodies travel as, in the field: RFC 8894's, the PKCS#7 ones some
 * servers send, micromdm's octet-stream requests, base64 POSTed as a form, and the text of
 * GetCACaps and of error pages. Their dissectors are wrapped: SCEP notes the body, then calls
 * the original. A type no dissector claims reaches the heuristic watcher instead. */
static const char *const watched_media_types[] = {
    "application/x-pki-message",  "application/x-x509-ca-cert",  "application/x-x509-ca-ra-cert",
    "application/x-x509-next-ca-cert", "application/pkcs7-mime", "application/pkcs7-signature",
    "application/pkix-cert",      "application/octet-stream",    "application/x-www-form-urlencoded",
    "text/plain",                 "text/html",                   "text/xml",
    "application/xml",
};

static int proto_http = -1;
/* The dissector each watched media type had before (NULL: none), by its index in
 * watched_media_types; the types' lengths, to compare few bytes per body. */
static dissector_handle_t wrapped_handles[G_N_ELEMENTS(watched_media_types)];
static size_t watched_lengths[G_N_ELEMENTS(watched_media_types)];
static dissector_handle_t media_handle;

/* The bodies noted in the frame being dissected (first pass): HTTP hands them on before the
 * postdissector reads them, and frames are dissected one at a time. Kept here rather than as
 * packet-scope proto data, which costs an allocation and a list insert per body; |frame| says
 * whose they are (0: nobody's), and its strings are that frame's packet scope. */
static struct {
    guint32 frame;
    scep_http_frame bodies;
} noted;

/* http_record_of returns HTTP's request/response record of the message being dissected (or,
 * after the frame, of its last message) when it belongs to this frame. */
static http_req_res_t *http_record_of(packet_info *pinfo)
{
    if (proto_http <= 0)
        return NULL;
    http_req_res_t *rr = (http_req_res_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_http, 0);
    if (rr == NULL || (rr->req_framenum != pinfo->num && rr->res_framenum != pinfo->num))
        return NULL;
    return rr;
}

#ifndef SCEP_HTTP_FACTS_PER_RECORD
/* Wireshark 4.0: HTTP's conversation data, found from the message's request/response record.
 * Looking the conversation up by addresses and ports costs about a thousand instructions a
 * message, a tenth of what SCEP adds to a summary pass. A record belongs to one conversation
 * for good, and chains to the one before it on its connection, so a small direct-mapped cache
 * of record -> conversation data answers a response whose request was seen, and each further
 * request on a kept-alive connection. Emptied whenever a capture is opened: records are file
 * scope, and their addresses may come again in the next file. */
#define CONV_CACHE_SLOTS 256

typedef struct {
    const http_req_res_t *record;
    http_conv_t *conv_data;
} conv_cache_slot;

static conv_cache_slot conv_cache[CONV_CACHE_SLOTS];

static conv_cache_slot *conv_slot_of(const http_req_res_t *record)
{
    guint hash = (guint)((uintptr_t)record >> 4) * 2654435761u; /* Knuth's multiplicative hash */
    return &conv_cache[hash >> 24];
}

static http_conv_t *cached_conv_data(const http_req_res_t *record)
{
    const conv_cache_slot *slot = conv_slot_of(record);
    return record != NULL && slot->record == record ? slot->conv_data : NULL;
}

static http_conv_t *http_conv_data_of(packet_info *pinfo, const http_req_res_t *record)
{
    http_conv_t *hc = cached_conv_data(record);
    if (hc == NULL)
        hc = cached_conv_data(record->prev);
    if (hc == NULL) {
        conversation_t *conv = find_conversation_pinfo(pinfo, 0);
        hc = conv != NULL ? (http_conv_t *)conversation_get_proto_data(conv, proto_http) : NULL;
    }
    if (hc != NULL)
        *conv_slot_of(record) = (conv_cache_slot){ record, hc };
    return hc;
}
#endif

void scep_http_init(void)
{
    noted.frame = 0;
#ifndef SCEP_HTTP_FACTS_PER_RECORD
    memset(conv_cache, 0, sizeof conv_cache);
#endif
}

/* http_state_of fills |f|'s method, target, status and request frame from HTTP's record of
 * the message (see SCEP_HTTP_FACTS_PER_RECORD). False when the frame holds no HTTP message. */
static gboolean http_state_of(packet_info *pinfo, scep_http_facts *f)
{
    http_req_res_t *rr = http_record_of(pinfo);
    if (rr == NULL)
        return FALSE;
    f->is_request = rr->req_framenum == pinfo->num;
    f->request_frame = f->is_request ? 0 : rr->req_framenum;
    const char *method, *target;
    guint code;
#ifdef SCEP_HTTP_FACTS_PER_RECORD
    method = rr->request_method;
    target = rr->request_uri;
    code = rr->response_code;
#else
    http_conv_t *hc = http_conv_data_of(pinfo, rr);
    if (hc == NULL)
        return FALSE;
    method = hc->request_method;
    target = hc->request_uri;
    code = hc->response_code;
#endif
    /* A response's target is its request's; a request's method is its own. HTTP keeps both in
     * file scope (every release), so they are not copied here: the first pass copies what it
     * keeps of them before the frame ends (scep-dispatch.c). */
    f->method = f->is_request ? method : NULL;
    f->target = f->is_request || f->request_frame != 0 ? target : NULL;
    f->has_status = !f->is_request && code != 0;
    f->status_code = f->has_status ? code : 0;
    return TRUE;
}

/* source_ref records where |length| bytes at |data| lie among the frame's data sources. */
static scep_tvb_ref source_ref(packet_info *pinfo, const guint8 *data, gint length)
{
    scep_tvb_ref ref;
    memset(&ref, 0, sizeof ref);
    guint index = 0;
    for (GSList *s = pinfo->data_src; s != NULL && data != NULL; s = s->next, index++) {
        tvbuff_t *tvb = get_data_source_tvb((struct data_source *)s->data);
        guint captured = tvb_captured_length(tvb);
        if (captured < (guint)length)
            continue;
        /* Compared as addresses: is the body inside this source's bytes? */
        uintptr_t base = (uintptr_t)tvb_get_ptr(tvb, 0, (gint)captured), at = (uintptr_t)data;
        if (at >= base && at - base <= captured - (guint)length) {
            ref.present = TRUE;
            ref.source_index = index;
            ref.source_length = captured;
            ref.offset = (gint)(at - base);
            ref.length = length;
            break;
        }
    }
    return ref;
}

/* A request target is found in the frame's data sources, the latest first: a reassembled
 * request lies in the last "Reassembled TCP" source. */
scep_tvb_ref scep_http_target_ref(packet_info *pinfo, const char *text)
{
    scep_tvb_ref ref;
    memset(&ref, 0, sizeof ref);
    gsize len = text != NULL ? strlen(text) : 0;
    if (len == 0)
        return ref;
    for (gint i = (gint)g_slist_length(pinfo->data_src) - 1; i >= 0; i--) {
        tvbuff_t *tvb = get_data_source_tvb((struct data_source *)g_slist_nth_data(pinfo->data_src, (guint)i));
        guint captured = tvb_captured_length(tvb);
        if (captured < len)
            continue;
        const guint8 *bytes = tvb_get_ptr(tvb, 0, (gint)captured);
        for (const guint8 *p = bytes; (p = memchr(p, text[0], captured - len + 1 - (gsize)(p - bytes))) != NULL; p++)
            if (memcmp(p, text, len) == 0)
                return source_ref(pinfo, p, (gint)len);
    }
    return ref;
}

/* frame_has_http: whether HTTP is among the frame's layers (pinfo->layers holds protocol ids).
 * proto_is_frame_protocol does the same by comparing every layer's filter name with a string,
 * at each frame; wmem_list_find walks the list in one call. */
static gboolean frame_has_http(packet_info *pinfo)
{
    return wmem_list_find(pinfo->layers, GINT_TO_POINTER(proto_http)) != NULL;
}

/* frame_bodies returns the bodies noted in the frame being dissected: an empty list, when
 * the list held another frame's. */
static scep_http_frame *frame_bodies(packet_info *pinfo)
{
    if (noted.frame != pinfo->num) {
        noted.frame = pinfo->num;
        noted.bodies.count = 0;
    }
    return &noted.bodies;
}

/* note_body records an HTTP body (first pass only: later passes use what was kept).
 * |content_type| is the media type HTTP looked up, NULL when unknown. */
static void note_body(tvbuff_t *tvb, packet_info *pinfo, const char *content_type)
{
    if (PINFO_FD_VISITED(pinfo) || !frame_has_http(pinfo))
        return;
    scep_http_frame *list = frame_bodies(pinfo);
    if (list->count >= SCEP_MAX_HTTP_MESSAGES)
        return;
    scep_http_facts *f = &list->items[list->count];
    memset(f, 0, sizeof *f);
    if (!http_state_of(pinfo, f))
        return;
    gint length = (gint)tvb_captured_length(tvb);
    f->body_ref = source_ref(pinfo, tvb_get_ptr(tvb, 0, length), length);
    f->content_type = content_type; /* HTTP's, in packet scope: read before the frame ends */
    list->count++;
}

/* wrapped_handle: the dissector the watched media type |type| had before, NULL when none (or
 * when |type| is not one of them: the watcher chosen by hand in Decode As). */
static dissector_handle_t wrapped_handle(const char *type)
{
    size_t length = type != NULL ? strlen(type) : 0;
    for (size_t i = 0; length > 0 && i < G_N_ELEMENTS(watched_media_types); i++)
        if (watched_lengths[i] == length && memcmp(watched_media_types[i], type, length) == 0)
            return wrapped_handles[i];
    return NULL;
}

/* The wrapper of a watched media type's dissector: notes the body, then calls the dissector
 * the type had (or, when it had none, the generic media one, as HTTP would have). */
static int watch_media_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    const char *type = pinfo->match_string;
    note_body(tvb, pinfo, type);
    dissector_handle_t original = wrapped_handle(type);
    if (original != NULL)
        return call_dissector_only(original, tvb, pinfo, tree, data);
    if (media_handle != NULL)
        call_dissector_with_data(media_handle, tvb, pinfo, tree, data);
    return (int)tvb_captured_length(tvb);
}

/* The heuristic watcher: a body of a media type no dissector claims. HTTP has set
 * pinfo->match_string to its Content-Type when it had one; a value left by TLS's ALPN
 * ("http/1.1") is not a media type. Notes the body and declines it. */
static scep_heur_result watch_other_body(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree _U_, void *data _U_)
{
    const char *type = pinfo->match_string;
    if (type != NULL && (strchr(type, '/') == NULL || g_ascii_strncasecmp(type, "http/", 5) == 0))
        type = NULL;
    note_body(tvb, pinfo, type);
    return FALSE;
}

void scep_http_handoff(int proto_scep)
{
    proto_http = proto_get_id_by_filter_name("http");
    media_handle = find_dissector("media");
    dissector_table_t media = find_dissector_table("media_type");
    /* No protocol of its own: the watcher adds no layer to frame.protocols (HTTP bodies that
     * are not SCEP pass through it too) and keeps working when SCEP is disabled. */
    dissector_handle_t watcher = create_dissector_handle_with_name_and_description(
        watch_media_body, -1, "scep_media_watch", "The media type's own dissector, with SCEP noting the body");
    for (size_t i = 0; media != NULL && i < G_N_ELEMENTS(watched_media_types); i++) {
        wrapped_handles[i] = dissector_get_string_handle(media, watched_media_types[i]);
        watched_lengths[i] = strlen(watched_media_types[i]);
        dissector_add_string("media_type", watched_media_types[i], watcher);
    }
    heur_dissector_add("http", watch_other_body, "SCEP bodies of other media types", "scep_http_body",
                       proto_scep, HEURISTIC_ENABLE);
}

guint scep_http_read_frame(packet_info *pinfo, scep_http_frame *out)
{
    out->count = 0;
    if (!frame_has_http(pinfo))
        return 0;
    scep_http_frame *bodies = frame_bodies(pinfo);
    if (bodies->count > 0)
        *out = *bodies;
    else if (memset(&out->items[0], 0, sizeof out->items[0]), http_state_of(pinfo, &out->items[0]))
        out->count = 1; /* a message without a body: a GET, an empty answer */
    noted.frame = 0; /* read once: a later dissection of the frame starts afresh */
    return out->count;
}

tvbuff_t *scep_tvb_ref_resolve(packet_info *pinfo, const scep_tvb_ref *ref)
{
    if (!ref->present)
        return NULL;
    GSList *s = g_slist_nth(pinfo->data_src, ref->source_index);
    if (s == NULL)
        return NULL;
    tvbuff_t *tvb = get_data_source_tvb((struct data_source *)s->data);
    if (tvb == NULL || tvb_captured_length(tvb) != ref->source_length ||
        !tvb_bytes_exist(tvb, ref->offset, ref->length))
        return NULL;
    return tvb;
}
