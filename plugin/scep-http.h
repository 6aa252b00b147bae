/* scep-http.h — the HTTP messages of a frame, as the SCEP dissector needs them in every pass.
 *
 * Why this exists: the GUI, sharkd and tshark's second pass dissect frames again for the
 * packet list, refiltering, colouring and summaries without building HTTP's fields, so a
 * postdissector that reads them from the tree finds nothing there. Every front end, though,
 * runs a first pass over the file in order with the fields this plugin asks for
 * (set_postdissector_wanted_hfids). So the first pass reads each HTTP message's facts from
 * the tree once and keeps them with the frame (file scope); every pass, the first included,
 * then dissects SCEP from those facts alone. Bytes are not copied: a body or a request
 * target is kept as a reference to the data source (frame, reassembled TCP, de-chunked
 * body) it lies in, found again by position in the frame's list of data sources, which
 * every dissection of the frame rebuilds in the same order. */
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

/* One HTTP message, as HTTP dissected it in the first pass. Strings are packet scope
 * until scep_http_facts_keep moves them to file scope. */
typedef struct {
    gboolean is_request;
    gboolean has_status;
    guint status_code;
    const char *method;          /* request; NULL when unknown */
    const char *content_type;    /* Content-Type value as sent; NULL when absent */
    const char *target;          /* request: its target; response: its request's target
                                  * (http.response_for.uri); NULL when unknown */
    scep_tvb_ref target_ref;     /* a request's target in this frame */
    scep_tvb_ref body_ref;       /* the entity body (de-chunked, decompressed) */
    guint32 request_frame;       /* response: http.request_in; 0 when unknown */
} scep_http_facts;

typedef struct {
    scep_http_facts items[SCEP_MAX_HTTP_MESSAGES];
    guint count;
} scep_http_frame;

/* scep_http_register_fields looks up HTTP's field ids (call at handoff) and returns them as
 * a new array for set_postdissector_wanted_hfids. */
GArray *scep_http_register_fields(void);

/* scep_http_read_tree reads the HTTP messages of the frame being dissected from |tree| into
 * |out| (strings in packet scope). Returns the number of messages found. */
guint scep_http_read_tree(packet_info *pinfo, proto_tree *tree, scep_http_frame *out);

/* scep_tvb_ref_resolve returns the data source |ref| names in the frame being dissected, and
 * the offset of the bytes in it; NULL when |ref| is absent or the frame's data sources
 * differ from the first pass's. */
tvbuff_t *scep_tvb_ref_resolve(packet_info *pinfo, const scep_tvb_ref *ref);

/* scep_http_facts_keep copies the strings of |f| to file scope, for a message kept with its
 * frame. */
void scep_http_facts_keep(scep_http_facts *f);

#endif
