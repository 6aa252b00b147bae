/* scep-http.h — the HTTP messages of a frame, as the SCEP dissector needs them in every pass.
 *
 * Why this exists: the GUI, sharkd and tshark's second pass dissect frames again for the
 * packet list, refiltering, colouring and summaries, and a plain tshark run builds no tree at
 * all, so HTTP's fields cannot be the source. (Asking for them as a postdissector's wanted
 * fields makes every front end build a tree for every frame: a sixth more time on a SCEP
 * capture, before SCEP does anything.) Instead the first pass gathers each message's facts
 * from what HTTP leaves in every pass:
 *   - its bodies, handed to the media types SCEP travels as (this file wraps their
 *     dissectors, then calls the original one) or, for a type no dissector claims, to HTTP's
 *     heuristic list, where SCEP looks and declines;
 *   - the request/response record HTTP keeps per frame (method, target, status code, the
 *     request's frame; in Wireshark 4.0 the method, target and code sit in HTTP's
 *     conversation instead, as they were when the message was dissected).
 * The facts are kept with the frame (file scope); every pass, the first included, then
 * dissects SCEP from them alone. Bytes are not copied: a body or a request target is kept as
 * a reference to the data source (frame, reassembled TCP, de-chunked body) it lies in,
 * found again by position in the frame's list of data sources, which every dissection of the
 * frame rebuilds in the same order.
 *
 * Limits: one bodyless message per frame (the last; pipelined GETs in one segment give only
 * the last), and a body whose media type has a dissector this file does not wrap (say
 * application/json) is not seen. */
#ifndef SCEP_HTTP_H
#define SCEP_HTTP_H

#include <epan/packet.h>

#define SCEP_MAX_HTTP_MESSAGES 4 /* HTTP messages of one frame considered */

/* Bytes in one of the frame's data sources. */
typedef struct {
    gboolean present;
    guint source_index; /* position in pinfo->data_src */
    guint source_length; /* that source's length, to notice a different source */
    gint offset;
    gint length;
} scep_tvb_ref;

/* One HTTP message, as HTTP dissected it in the first pass. Strings are HTTP's own, not
 * copies: the method and target in file scope, the media type in packet scope. They hold
 * until the frame's dissection ends; the SCEP dissector copies those it keeps. */
typedef struct {
    gboolean is_request;
    gboolean has_status;
    guint status_code;
    const char *method;          /* request; NULL when unknown */
    const char *content_type;    /* media type, lowercase, without parameters (as HTTP looks
                                  * it up); NULL when absent or not known */
    const char *target;          /* request: its target; response: its request's target;
                                  * NULL when unknown */
    scep_tvb_ref body_ref;       /* the entity body (de-chunked, decompressed) */
    guint32 request_frame;       /* response: http.request_in; 0 when unknown */
} scep_http_facts;

typedef struct {
    scep_http_facts items[SCEP_MAX_HTTP_MESSAGES];
    guint count;
} scep_http_frame;

/* scep_http_handoff wraps the media types' dissectors and registers the heuristic body
 * watcher (call at handoff, after anything that looks up those media types' handles). */
void scep_http_handoff(int proto_scep);

/* scep_http_init forgets what was learnt of the previous capture (an init routine). */
void scep_http_init(void);

/* scep_http_read_frame (first pass, once per frame, after HTTP) returns the frame's HTTP
 * messages in |out| (strings valid until the frame's dissection ends): the number found. */
guint scep_http_read_frame(packet_info *pinfo, scep_http_frame *out);

/* scep_http_target_ref finds a request's |target| among the bytes of the frame being
 * dissected (any pass): only to highlight spans, so callers ask only when a tree is built. */
scep_tvb_ref scep_http_target_ref(packet_info *pinfo, const char *target);

/* scep_tvb_ref_resolve returns the data source |ref| names in the frame being dissected, and
 * the offset of the bytes in it; NULL when |ref| is absent or the frame's data sources
 * differ from the first pass's. */
tvbuff_t *scep_tvb_ref_resolve(packet_info *pinfo, const scep_tvb_ref *ref);

#endif
