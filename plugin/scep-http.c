/* scep-http.c — reads a frame's HTTP messages from HTTP's fields in the first pass and finds
 * their bytes again in later passes (see scep-http.h for why). */
#ifndef WS_BUILD_DLL
#define WS_BUILD_DLL
#endif
#include <ws_version.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/wmem_scopes.h>

#include <string.h>

#include "scep-http.h"

/* field_info.value is an fvalue_t in Wireshark 4.0 and a pointer to one in later releases:
 * select by type rather than guess the release. */
#define SCEP_FI_VALUE(fi) _Generic((fi)->value, fvalue_t *: (fi)->value, default: &(fi)->value)

static int proto_http = -1;
static int hf_http_request = -1;
static int hf_http_response = -1;
static int hf_http_request_method = -1;
static int hf_http_request_uri = -1;
static int hf_http_response_code = -1;
static int hf_http_content_type = -1;
static int hf_http_file_data = -1;
static int hf_http_request_in = -1;
static int hf_http_response_for_uri = -1;

GArray *scep_http_register_fields(void)
{
    proto_http = proto_get_id_by_filter_name("http");
    hf_http_request = proto_registrar_get_id_byname("http.request");
    hf_http_response = proto_registrar_get_id_byname("http.response");
    hf_http_request_method = proto_registrar_get_id_byname("http.request.method");
    hf_http_request_uri = proto_registrar_get_id_byname("http.request.uri");
    hf_http_response_code = proto_registrar_get_id_byname("http.response.code");
    hf_http_content_type = proto_registrar_get_id_byname("http.content_type");
    hf_http_file_data = proto_registrar_get_id_byname("http.file_data");
    hf_http_request_in = proto_registrar_get_id_byname("http.request_in");
    hf_http_response_for_uri = proto_registrar_get_id_byname("http.response_for.uri");

    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    const int ids[] = { proto_http, hf_http_request, hf_http_response, hf_http_request_method,
                        hf_http_request_uri, hf_http_response_code, hf_http_content_type,
                        hf_http_file_data, hf_http_request_in, hf_http_response_for_uri };
    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++)
        if (ids[i] > 0)
            g_array_append_val(wanted, ids[i]);
    return wanted;
}

/* The fields of one HTTP message, as found under its protocol item. */
typedef struct {
    field_info *request, *response, *method, *uri, *response_code, *content_type, *file_data,
        *request_in, *response_for_uri;
} http_fields;

static field_info **slot_of(http_fields *m, int id)
{
    if (id == hf_http_request) return &m->request;
    if (id == hf_http_response) return &m->response;
    if (id == hf_http_request_method) return &m->method;
    if (id == hf_http_request_uri) return &m->uri;
    if (id == hf_http_response_code) return &m->response_code;
    if (id == hf_http_content_type) return &m->content_type;
    if (id == hf_http_file_data) return &m->file_data;
    if (id == hf_http_request_in) return &m->request_in;
    if (id == hf_http_response_for_uri) return &m->response_for_uri;
    return NULL;
}

static void collect_fields(proto_node *node, gpointer data)
{
    http_fields *m = (http_fields *)data;
    field_info *fi = PNODE_FINFO(node);
    if (fi != NULL && fi->hfinfo != NULL) {
        field_info **slot = slot_of(m, fi->hfinfo->id);
        if (slot != NULL && *slot == NULL)
            *slot = fi;
    }
    proto_tree_children_foreach(node, collect_fields, data);
}

typedef struct {
    http_fields items[SCEP_MAX_HTTP_MESSAGES];
    guint count;
} http_field_list;

static void collect_messages(proto_node *node, gpointer data)
{
    http_field_list *list = (http_field_list *)data;
    field_info *fi = PNODE_FINFO(node);
    if (fi == NULL || fi->hfinfo == NULL || fi->hfinfo->id != proto_http)
        return;
    if (list->count >= SCEP_MAX_HTTP_MESSAGES)
        return;
    http_fields *m = &list->items[list->count++];
    memset(m, 0, sizeof *m);
    proto_tree_children_foreach(node, collect_fields, m);
}

/* ref_of records where |fi|'s bytes lie among the frame's data sources. */
static scep_tvb_ref ref_of(packet_info *pinfo, field_info *fi)
{
    scep_tvb_ref ref;
    memset(&ref, 0, sizeof ref);
    if (fi == NULL || fi->ds_tvb == NULL || fi->length <= 0 ||
        !tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length))
        return ref;
    guint index = 0;
    for (GSList *s = pinfo->data_src; s != NULL; s = s->next, index++) {
        if (get_data_source_tvb((struct data_source *)s->data) == fi->ds_tvb) {
            ref.present = TRUE;
            ref.source_index = index;
            ref.source_length = tvb_captured_length(fi->ds_tvb);
            ref.offset = fi->start;
            ref.length = fi->length;
            break;
        }
    }
    return ref;
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

/* The text of a string field: its bytes in the packet when it has some, else its value. */
static const char *field_text(wmem_allocator_t *scope, field_info *fi)
{
    if (fi == NULL)
        return NULL;
    if (fi->ds_tvb != NULL && fi->length > 0 && tvb_bytes_exist(fi->ds_tvb, fi->start, fi->length)) {
        char *text = (char *)wmem_alloc(scope, (size_t)fi->length + 1);
        tvb_memcpy(fi->ds_tvb, text, fi->start, (size_t)fi->length);
        text[fi->length] = 0;
        return text;
    }
    const char *value = fvalue_get_string(SCEP_FI_VALUE(fi));
    return value != NULL ? wmem_strdup(scope, value) : NULL;
}

static const char *field_value_text(wmem_allocator_t *scope, field_info *fi)
{
    if (fi == NULL)
        return NULL;
    const char *value = fvalue_get_string(SCEP_FI_VALUE(fi));
    return value != NULL ? wmem_strdup(scope, value) : NULL;
}

static guint32 field_uint(field_info *fi)
{
    return fi != NULL ? fvalue_get_uinteger(SCEP_FI_VALUE(fi)) : 0;
}

static void facts_of(packet_info *pinfo, const http_fields *m, scep_http_facts *f)
{
    memset(f, 0, sizeof *f);
    f->is_request = m->request != NULL || (m->uri != NULL && m->response == NULL);
    f->has_status = !f->is_request && m->response_code != NULL;
    f->status_code = field_uint(m->response_code);
    f->method = field_value_text(pinfo->pool, m->method);
    f->content_type = field_value_text(pinfo->pool, m->content_type);
    if (f->is_request) {
        /* The target's own bytes: HTTP's value may be cut or escaped for display. */
        f->target = field_text(pinfo->pool, m->uri);
        f->target_ref = ref_of(pinfo, m->uri);
    } else {
        f->target = field_value_text(pinfo->pool, m->response_for_uri);
        f->request_frame = field_uint(m->request_in);
    }
    f->body_ref = ref_of(pinfo, m->file_data);
}

guint scep_http_read_tree(packet_info *pinfo, proto_tree *tree, scep_http_frame *out)
{
    http_field_list list;
    list.count = 0;
    out->count = 0;
    if (tree == NULL)
        return 0;
    proto_tree_children_foreach(tree, collect_messages, &list);
    for (guint i = 0; i < list.count; i++)
        facts_of(pinfo, &list.items[i], &out->items[out->count++]);
    return out->count;
}

static const char *keep(const char *s)
{
    return s != NULL ? wmem_strdup(wmem_file_scope(), s) : NULL;
}

void scep_http_facts_keep(scep_http_facts *f)
{
    f->method = keep(f->method);
    f->content_type = keep(f->content_type);
    f->target = keep(f->target);
}
