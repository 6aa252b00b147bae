/* scep-evidence.c — what the capture as a whole says, for the diagnoses: the certificates the
 * CA published (every GetCACert and GetNextCACert answer) and each server's GetCACaps
 * answers. Recorded in the first pass, in frame order, kept for the whole file; a later pass
 * sees all of it, the first pass what came before the frame. */

#include <string.h>

#include <epan/addr_resolv.h>
#include <epan/to_str.h>

#include "scep-int.h"

static wmem_array_t *published; /* scep_published_cert */
static wmem_map_t *caps_by_server; /* "address:port" -> wmem_array_t of scep_server_caps */

void scep_init_evidence(void)
{
    published = wmem_array_new(wmem_file_scope(), sizeof(scep_published_cert));
    caps_by_server = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
}

static guint8 *keep_span(scep_span s, gsize *length)
{
    *length = s.length;
    return s.data != NULL ? (guint8 *)wmem_memdup(wmem_file_scope(), s.data, s.length) : NULL;
}

static gboolean same_bytes(const guint8 *a, gsize alen, const guint8 *b, gsize blen)
{
    return a != NULL && b != NULL && alen == blen && memcmp(a, b, alen) == 0;
}

/* already_published: was a certificate with this issuer and serial published before? The
 * earliest publication is the one that counts (a frame may rely on what came before it), so
 * a CA answering every GetCACert with the same certificate keeps one entry, not thousands. */
static gboolean already_published(const scep_certificate *c)
{
    for (guint i = 0; i < wmem_array_get_count(published); i++) {
        const scep_published_cert *p = (const scep_published_cert *)wmem_array_index(published, i);
        if (same_bytes(p->issuer, p->issuer_length, c->issuer.data, c->issuer.length) &&
            same_bytes(p->serial, p->serial_length, c->serial.data, c->serial.length))
            return TRUE;
    }
    return FALSE;
}

static void publish(packet_info *pinfo, const scep_certificate *c)
{
    if (already_published(c))
        return;
    scep_published_cert p;
    memset(&p, 0, sizeof p);
    p.frame = pinfo->num;
    p.issuer = keep_span(c->issuer, &p.issuer_length);
    p.serial = keep_span(c->serial, &p.serial_length);
    p.ski = keep_span(c->subject_key_id, &p.ski_length);
    char name[1024];
    scep_name_format(c->subject.data, c->subject.length, name, sizeof name);
    p.subject = wmem_strdup(wmem_file_scope(), name);
    wmem_array_append_one(published, p);
}

void scep_record_published(packet_info *pinfo, const scep_cert_bundle *b)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    for (size_t i = 0; i < b->certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
        publish(pinfo, &b->certificates[i]);
    if (b->kind == SCEP_BUNDLE_SIGNED)
        for (size_t i = 0; i < b->outer.certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
            publish(pinfo, &b->outer.certificates[i]);
}

static char *server_key(packet_info *pinfo, wmem_allocator_t *scope, gboolean is_request)
{
    const address *server = is_request ? &pinfo->dst : &pinfo->src;
    guint32 port = is_request ? pinfo->destport : pinfo->srcport;
    return wmem_strdup_printf(scope, "%s:%u", address_to_str(pinfo->pool, server), port);
}

void scep_record_caps(packet_info *pinfo, const scep_caps *caps, const char *text)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    char *key = server_key(pinfo, pinfo->pool, FALSE);
    wmem_array_t *list = (wmem_array_t *)wmem_map_lookup(caps_by_server, key);
    if (list == NULL) {
        list = wmem_array_new(wmem_file_scope(), sizeof(scep_server_caps));
        wmem_map_insert(caps_by_server, wmem_strdup(wmem_file_scope(), key), list);
    }
    scep_server_caps c;
    memset(&c, 0, sizeof c);
    c.frame = pinfo->num;
    for (size_t i = 0; i < caps->count && i < SCEP_MAX_CAPABILITIES; i++)
        if (caps->items[i].id != SCEP_CAP_UNKNOWN)
            c.offered |= 1u << caps->items[i].id;
    c.text = wmem_strdup(wmem_file_scope(), text != NULL ? text : "");
    wmem_array_append_one(list, c);
}

const scep_server_caps *scep_caps_for_request(packet_info *pinfo)
{
    wmem_array_t *list = (wmem_array_t *)wmem_map_lookup(caps_by_server, server_key(pinfo, pinfo->pool, TRUE));
    if (list == NULL)
        return NULL;
    /* The first pass appends answers in frame order: find the first answer at or after the
     * request by bisection (a server asked before each of thousands of enrollments). */
    guint lo = 0, hi = wmem_array_get_count(list);
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (((const scep_server_caps *)wmem_array_index(list, mid))->frame < pinfo->num)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* The latest answer before the request, else (from the second pass on) the first after. */
    if (lo > 0)
        return (const scep_server_caps *)wmem_array_index(list, lo - 1);
    if (PINFO_FD_VISITED(pinfo) && lo < wmem_array_get_count(list))
        return (const scep_server_caps *)wmem_array_index(list, lo);
    return NULL;
}

/* The published certificates a frame may rely on: those before it, or all of them from the
 * second pass on. */
static gboolean usable(packet_info *pinfo, const scep_published_cert *p)
{
    return p->frame < pinfo->num || PINFO_FD_VISITED(pinfo);
}

guint scep_published_count(packet_info *pinfo)
{
    guint n = 0;
    for (guint i = 0; i < wmem_array_get_count(published); i++)
        n += usable(pinfo, (const scep_published_cert *)wmem_array_index(published, i));
    return n;
}

const scep_published_cert *scep_published_at(packet_info *pinfo, guint nth)
{
    for (guint i = 0; i < wmem_array_get_count(published); i++) {
        const scep_published_cert *p = (const scep_published_cert *)wmem_array_index(published, i);
        if (usable(pinfo, p) && nth-- == 0)
            return p;
    }
    return NULL;
}

gboolean scep_identifier_matches(const scep_identifier *id, const guint8 *issuer, gsize issuer_length,
                                 const guint8 *serial, gsize serial_length, const guint8 *ski,
                                 gsize ski_length)
{
    if (id->kind == SCEP_ID_ISSUER_SERIAL)
        return same_bytes(id->issuer.data, id->issuer.length, issuer, issuer_length) &&
               same_bytes(id->serial.data, id->serial.length, serial, serial_length);
    return id->kind == SCEP_ID_SKI && ski_length > 0 && same_bytes(id->ski.data, id->ski.length, ski, ski_length);
}

gboolean scep_identifier_published(packet_info *pinfo, const scep_identifier *id)
{
    for (guint i = 0; i < wmem_array_get_count(published); i++) {
        const scep_published_cert *p = (const scep_published_cert *)wmem_array_index(published, i);
        if (usable(pinfo, p) && scep_identifier_matches(id, p->issuer, p->issuer_length, p->serial,
                                                        p->serial_length, p->ski, p->ski_length))
            return TRUE;
    }
    return FALSE;
}
