/* scep-render.c — the library's spans as tree items: every field highlights the bytes it
 * came from (the HTTP body, the request URI, or a data source of the plugin's own: a
 * decoded base64 message, a reassembled or decrypted pkcsPKIEnvelope), and falls back to
 * an item without bytes when the span lies in no data source of this frame. Also the
 * library's error lists as expert infos, and the small generated items every renderer adds. */

#include <string.h>

#include "scep-int.h"

gboolean span_locate(const span_sources *src, scep_span span, tvbuff_t **tvb, gint *offset,
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

scep_bytes span_bytes(const span_sources *src, scep_span span)
{
    scep_bytes b = { NULL, 0, 0 };
    span_locate(src, span, &b.tvb, &b.offset, &b.length);
    return b;
}

/* The library's names of the flags set in |flags|, comma separated (scep_flags_format). */
const char *flag_names(wmem_allocator_t *scope, unsigned flags, const char *(*name_of)(unsigned))
{
    size_t need = scep_flags_format(flags, name_of, NULL, 0) + 1;
    char *names = (char *)wmem_alloc(scope, need);
    scep_flags_format(flags, name_of, names, need);
    return names;
}

/* A field read from its bytes (bytes, strings). Falls back to the span's own copy. */
proto_item *add_span_item(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                          guint encoding)
{
    tvbuff_t *tvb;
    gint offset, length;
    if (tree == NULL || !scep_span_present(span))
        return NULL; /* no tree (a plain tshark run): no item, so no need to find its bytes */
    if (span_locate(src, span, &tvb, &offset, &length))
        return proto_tree_add_item(tree, hf, tvb, offset, length, encoding);
    header_field_info *hfi = proto_registrar_get_nth(hf);
    if (hfi != NULL && hfi->type == FT_BYTES)
        return proto_tree_add_bytes_with_length(tree, hf, NULL, 0, 0, span.data, (gint)span.length);
    return proto_tree_add_string(tree, hf, NULL, 0, 0,
                                 wmem_strndup(src->pinfo->pool, (const char *)span.data, span.length));
}

proto_item *add_span_string(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                            const char *value)
{
    if (tree == NULL)
        return NULL; /* no tree: no item, and none of Wireshark's code to page in */
    scep_bytes at = span_bytes(src, span);
    return proto_tree_add_string(tree, hf, at.tvb, at.offset, at.length, value);
}

proto_item *add_span_uint(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                          guint32 value)
{
    if (tree == NULL)
        return NULL; /* no tree: no item, and none of Wireshark's code to page in */
    scep_bytes at = span_bytes(src, span);
    return proto_tree_add_uint(tree, hf, at.tvb, at.offset, at.length, value);
}

proto_item *add_span_time(proto_tree *tree, int hf, const span_sources *src, scep_span span,
                          gint64 seconds)
{
    if (tree == NULL)
        return NULL; /* no tree: no item, and none of Wireshark's code to page in */
    scep_bytes at = span_bytes(src, span);
    nstime_t t;
    t.secs = (time_t)seconds;
    t.nsecs = 0;
    return proto_tree_add_time(tree, hf, at.tvb, at.offset, at.length, &t);
}

const char *format_name(const span_sources *src, scep_span name)
{
    if (!scep_span_present(name))
        return NULL;
    /* In the text report's words (scep_name_text): "(empty name)", "(unreadable name)"; a
     * long one is cut with "..." by the library. */
    char *out = (char *)wmem_alloc(src->pinfo->pool, SCEP_NAME_CAP);
    scep_name_text(name.data, name.length, out, SCEP_NAME_CAP);
    return out;
}

proto_item *add_name(proto_tree *tree, int hf, const span_sources *src, scep_span name)
{
    /* Formatting a Name costs more than decoding it: only when the item will be seen or a
     * filter or column names the field. */
    if (!proto_field_is_referenced(tree, hf))
        return NULL;
    const char *text = format_name(src, name);
    if (text == NULL)
        return NULL;
    return add_span_string(tree, hf, src, name, text);
}

gboolean algorithm_deprecated(const scep_algorithm *alg)
{
    const scep_oid_info *info = scep_span_present(alg->oid) ? scep_oid_lookup(alg->oid.data, alg->oid.length)
                                                            : NULL;
    return info != NULL && info->deprecated;
}

void flag_deprecated_unobserved(packet_info *pinfo)
{
    expert_unobserved(pinfo, &ei_scep_deprecated_algorithm);
}

/* An algorithm OID; flags the deprecated ones (DES, MD5, SHA-1) and names what Wireshark's
 * own OID table may not know. */
proto_item *add_algorithm(proto_tree *tree, int hf, const span_sources *src, const scep_algorithm *alg)
{
    if (!scep_span_present(alg->oid))
        return NULL;
    tvbuff_t *tvb;
    gint offset, length;
    proto_item *item = NULL;
    /* Without a tree there is no item, but a deprecation is still an expert info. */
    if (tree != NULL)
        item = span_locate(src, alg->oid, &tvb, &offset, &length)
                   ? proto_tree_add_item(tree, hf, tvb, offset, length, ENC_NA)
                   : proto_tree_add_oid(tree, hf, NULL, 0, 0, alg->oid.data);
    const scep_oid_info *info = scep_oid_lookup(alg->oid.data, alg->oid.length);
    if (info != NULL) {
        proto_item_append_text(item, " [%s]", info->name);
        if (info->deprecated)
            EXPERT_FORMAT(tree, src->pinfo, item, &ei_scep_deprecated_algorithm, "Deprecated algorithm: %s",
                          info->name);
    }
    return item;
}

/* add_expert_at adds expert info |text| at |at|. Wireshark 4.0's proto_tree_add_expert_format
 * asks the tvb its length even for a zero-length item: with no tvb to point into, the
 * expert info goes on the item |tree| belongs to. */
void add_expert_at(proto_tree *tree, packet_info *pinfo, expert_field *ei, const scep_bytes *at,
                   const char *text)
{
    if (!experts_observed(tree))
        expert_unobserved(pinfo, ei);
    else if (at->tvb != NULL)
        proto_tree_add_expert_format(tree, pinfo, ei, at->tvb, at->offset, at->length, "%s", text);
    else
        expert_add_info_format(pinfo, proto_tree_get_parent(tree), ei, "%s", text);
}

static expert_field *error_expert(scep_error_code code)
{
    switch (code) {
    case SCEP_ERR_TRUNCATED: return &ei_scep_truncated;
    case SCEP_ERR_MISSING: return &ei_scep_missing;
    case SCEP_ERR_UNSUPPORTED: return &ei_scep_unsupported;
    case SCEP_ERR_CAPACITY: return &ei_scep_capacity;
    default: return &ei_scep_malformed;
    }
}

/* error_bytes: where error |e| points. A truncation covers the unfinished element to the
 * end; any other fault points at the first byte of the offending element. */
static scep_bytes error_bytes(const span_sources *src, const scep_error *e)
{
    scep_bytes at = { NULL, 0, 0 };
    tvbuff_t *tvb = e->source == SCEP_SRC_CONTENT ? src->content : src->input;
    gint base = e->source == SCEP_SRC_CONTENT ? 0 : src->input_base;
    if (tvb == NULL || e->offset >= G_MAXINT32 / 2)
        return at;
    gint end = (gint)tvb_captured_length(tvb);
    at.tvb = tvb;
    at.offset = base + (gint)e->offset;
    if (at.offset > end)
        at.offset = end;
    at.length = e->code == SCEP_ERR_TRUNCATED ? end - at.offset : (at.offset < end ? 1 : 0);
    return at;
}

void add_errors(proto_tree *tree, const span_sources *src, const scep_errors *errors)
{
    for (size_t i = 0; i < errors->count; i++) {
        const scep_error *e = &errors->items[i];
        const char *code_name = scep_error_code_name(e->code);
        scep_bytes at = error_bytes(src, e);
        add_expert_at(tree, src->pinfo, error_expert(e->code), &at,
                      wmem_strdup_printf(src->pinfo->pool, "%s: %s", code_name ? code_name : "error",
                                         e->message ? e->message : "(no message)"));
    }
    if (errors->dropped > 0)
        EXPERT_FORMAT(tree, src->pinfo, proto_tree_get_parent(tree), &ei_scep_malformed,
                      "%zu further errors not listed", errors->dropped);
}

void add_identifier(proto_tree *tree, int hf_issuer, int hf_serial, int hf_ski, const span_sources *src,
                    const scep_identifier *id)
{
    if (id->kind == SCEP_ID_ISSUER_SERIAL) {
        add_name(tree, hf_issuer, src, id->issuer);
        add_span_item(tree, hf_serial, src, id->serial, ENC_NA);
    } else if (id->kind == SCEP_ID_SKI) {
        add_span_item(tree, hf_ski, src, id->ski, ENC_NA);
    }
}

gint number_attr(proto_tree *tree, int hf, const span_sources *src, const scep_number_attr *a,
                 const char *(*name_of)(long), expert_field *unknown_ei, proto_item **item_out)
{
    proto_item *item = NULL;
    gint value = -1;
    if (!a->present)
        return -1;
    /* The text report's words for a value without a name: "unknown value (7)", "\"abc\" (not
     * a decimal number)"; formatted only for such a value. */
    char words[256];
    if (a->numeric && a->value >= 0 && a->value <= G_MAXINT32) {
        value = (gint)a->value;
        item = add_span_uint(tree, hf, src, a->text, (guint32)a->value);
        if (name_of(a->value) == NULL) {
            scep_number_attr_format(a, name_of, words, sizeof words);
            proto_item_set_text(item, "%s: %s", proto_registrar_get_name(hf), words);
            if (unknown_ei != NULL)
                EXPERT_INFO(tree, src->pinfo, item, unknown_ei);
        }
    } else {
        scep_number_attr_format(a, name_of, words, sizeof words);
        scep_bytes at = span_bytes(src, a->text);
        add_expert_at(tree, src->pinfo, &ei_scep_not_numeric, &at,
                      wmem_strdup_printf(src->pinfo->pool, "%s: %s", proto_registrar_get_name(hf), words));
    }
    if (item_out != NULL)
        *item_out = item;
    return value;
}

/* Generated items: facts the plugin derives, not bytes of the message. */
proto_item *add_generated_uint(proto_tree *tree, int hf, guint32 value)
{
    if (tree == NULL)
        return NULL; /* no tree: no item */
    proto_item *item = proto_tree_add_uint(tree, hf, NULL, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

proto_item *add_generated_boolean(proto_tree *tree, int hf, gboolean value)
{
    if (tree == NULL)
        return NULL; /* no tree: no item */
    proto_item *item = proto_tree_add_boolean(tree, hf, NULL, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

proto_item *add_generated_string(proto_tree *tree, int hf, const char *value)
{
    proto_item *item = proto_tree_add_string(tree, hf, NULL, 0, 0, value);
    proto_item_set_generated(item);
    return item;
}

void mark_truncated(proto_tree *tree, scep_summary *sum)
{
    add_generated_boolean(tree, hf_scep_truncated, TRUE);
    sum->truncated = TRUE;
}

/* join_content: the pkcsPKIEnvelope or certificates the library joined from a chunked (BER)
 * OCTET STRING into |content_buf| (|cap| bytes) become a data source named |name|, which
 * SCEP_SRC_CONTENT spans point into. Returns NULL when nothing was joined. */
tvbuff_t *join_content(packet_info *pinfo, tvbuff_t *input, const uint8_t *content_buf, size_t cap,
                       const scep_signed_data *sd, const char *name)
{
    if (sd->encap_content_chunks == 0 || !scep_span_present(sd->encap_content) ||
        sd->encap_content.source != SCEP_SRC_CONTENT)
        return NULL;
    size_t used = sd->encap_content.offset + sd->encap_content.length;
    if (used == 0 || used > cap)
        return NULL;
    tvbuff_t *content = tvb_new_child_real_data(input, content_buf, (guint)used, (gint)used);
    add_new_data_source(pinfo, content, name);
    return content;
}

decoder_input decoder_input_open(packet_info *pinfo, tvbuff_t *input, gint base, gint length)
{
    decoder_input in;
    in.data = tvb_get_ptr(input, base, length);
    in.length = (size_t)length;
    in.cap = (size_t)length + 1;
    in.content_buf = (uint8_t *)wmem_alloc(pinfo->pool, in.cap);
    in.src.pinfo = pinfo;
    in.src.input = input;
    in.src.input_base = base;
    in.src.content = NULL;
    return in;
}

gboolean decoder_rejected(proto_tree *tree, const decoder_input *p, scep_status st, size_t error_count,
                          const char *what, scep_summary *sum)
{
    if (st != SCEP_DECODE_NONE || error_count != 0)
        return FALSE;
    if (experts_observed(tree))
        proto_tree_add_expert_format(tree, p->src.pinfo, &ei_scep_malformed, p->src.input, p->src.input_base,
                                     (gint)p->length, "%s", what);
    else
        expert_unobserved(p->src.pinfo, &ei_scep_malformed);
    sum->malformed = TRUE;
    return TRUE;
}

void add_decoder_errors(proto_tree *tree, const span_sources *src, const scep_errors *errors,
                        scep_summary *sum)
{
    if (errors->count > 0)
        sum->malformed = TRUE;
    add_errors(tree, src, errors);
}

proto_item *add_generated_flags(proto_tree *tree, int hf, packet_info *pinfo, guint32 flags, int hex_digits,
                                const char *(*name_of)(unsigned))
{
    if (!proto_field_is_referenced(tree, hf))
        return NULL; /* the names are formatted only for a tree, a filter or a column */
    proto_item *item = proto_tree_add_uint_format_value(tree, hf, NULL, 0, 0, flags, "0x%0*x (%s)", hex_digits,
                                                        flags, flag_names(pinfo->pool, flags, name_of));
    proto_item_set_generated(item);
    return item;
}
