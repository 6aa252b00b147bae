/* scep-reuse.c — a decoder's result kept for the next input with the same bytes, when no
 * tree is built (tshark's summary pass, the GUI's first pass), and for the classification of
 * every first pass. Captures of many enrollments repeat the same GetCACaps answer, GetCACert
 * answer and GET request targets: decoding each once, and comparing bytes after that, spares
 * the decoders and their cold code.
 *
 * The result's spans point into the slot's own copy of the input, at the same offsets as in
 * the packet: without a tree, and in classification, only their offsets and bytes are read. A slot is emptied for new
 * input only by a later frame than the last that used it, so what a frame got from it (and
 * data sources made over its buffers) stays valid for the whole frame. */

#include "scep-int.h"

#include <string.h>

typedef struct {
    guint32 frame;    /* the last frame that used it */
    void *result;     /* NULL when empty; one block with |input| and |work| */
    guint8 *input;    /* the input's copy, which the result's spans point into */
    gsize length;
    uint8_t *work;    /* the decoder's own buffer (content or message buffer) */
    scep_status status; /* what the decoder returned */
} reuse_slot;

static reuse_slot caps_slot, bundle_slot;

/* Request targets take turns (GetCACaps, GetCACert, PKIOperation, again for the next client):
 * a few are kept. Longer ones carry a message of their own (a GET PKIOperation): not kept. */
#define REUSE_TARGETS 4
#define REUSE_MAX_TARGET 256
static reuse_slot query_slots[REUSE_TARGETS];

static void slot_clear(reuse_slot *slot)
{
    g_free(slot->result);
    memset(slot, 0, sizeof *slot);
}

void scep_reuse_cleanup(void)
{
    slot_clear(&caps_slot);
    slot_clear(&bundle_slot);
    for (size_t i = 0; i < REUSE_TARGETS; i++)
        slot_clear(&query_slots[i]);
}

/* slot_lookup: the result kept for |input|/|length|, now in use by this frame; NULL when the
 * slot holds another input's. */
static void *slot_lookup(reuse_slot *slot, packet_info *pinfo, const void *input, gsize length)
{
    if (slot->result == NULL || slot->length != length || memcmp(slot->input, input, length) != 0)
        return NULL;
    slot->frame = pinfo->num;
    return slot->result;
}

/* slot_make empties the slot for |input|/|length| (copied) and returns room for a result of
 * |result_size| bytes, with a work buffer of |work_size|, for the caller to decode the copy
 * into; NULL when this frame still uses what the slot holds. */
static void *slot_make(reuse_slot *slot, packet_info *pinfo, const void *input, gsize length, gsize result_size,
                       gsize work_size)
{
    if (slot->result != NULL && slot->frame == pinfo->num)
        return NULL;
    slot_clear(slot);
    /* One block: the result first (malloc's alignment), then bytes only. */
    slot->result = g_malloc(result_size + length + work_size);
    slot->input = (guint8 *)slot->result + result_size;
    slot->work = slot->input + length;
    memcpy(slot->input, input, length);
    slot->length = length;
    slot->frame = pinfo->num;
    return slot->result;
}

const scep_caps *reuse_caps(packet_info *pinfo, const char *text, gsize length)
{
    scep_caps *caps = (scep_caps *)slot_lookup(&caps_slot, pinfo, text, length);
    if (caps != NULL)
        return caps;
    caps = (scep_caps *)slot_make(&caps_slot, pinfo, text, length, sizeof *caps, 0);
    if (caps != NULL)
        scep_decode_caps((const char *)caps_slot.input, length, caps);
    return caps;
}

const scep_cert_bundle *reuse_bundle(packet_info *pinfo, const guint8 *data, gsize length,
                                     const uint8_t **content_buf, scep_status *status)
{
    scep_cert_bundle *b = (scep_cert_bundle *)slot_lookup(&bundle_slot, pinfo, data, length);
    if (b == NULL) {
        b = (scep_cert_bundle *)slot_make(&bundle_slot, pinfo, data, length, sizeof *b, length + 1);
        if (b == NULL)
            return NULL;
        bundle_slot.status = scep_decode_cert_bundle(bundle_slot.input, length, bundle_slot.work, length + 1, b);
    }
    *content_buf = bundle_slot.work;
    *status = bundle_slot.status;
    return b;
}

const scep_query *reuse_query(packet_info *pinfo, const char *target, gsize length, const uint8_t **message)
{
    if (length > REUSE_MAX_TARGET)
        return NULL;
    reuse_slot *oldest = &query_slots[0];
    for (size_t i = 0; i < REUSE_TARGETS; i++) {
        scep_query *q = (scep_query *)slot_lookup(&query_slots[i], pinfo, target, length);
        if (q != NULL) {
            *message = query_slots[i].work;
            return q;
        }
        if (query_slots[i].frame < oldest->frame)
            oldest = &query_slots[i];
    }
    scep_query *q = (scep_query *)slot_make(oldest, pinfo, target, length, sizeof *q, length + 1);
    if (q == NULL)
        return NULL;
    scep_decode_query((const char *)oldest->input, length, oldest->work, length + 1, q);
    *message = oldest->work;
    return q;
}
