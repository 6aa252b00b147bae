/* ber.c — the BER/DER cursor: headers, indefinite lengths, constructed strings. */
#include "ber.h"

#include <string.h>

/* The identifier and length octets at |p|/|avail|. |length| is meaningless when |indefinite|. */
typedef struct {
    uint32_t tag;
    size_t header_len;
    size_t length;
    bool indefinite;
} ber_header;

/* read_header decodes identifier and length octets. Returns SCEP_ERR_NONE or the fault. */
static scep_error_code read_header(const uint8_t *p, size_t avail, ber_header *h)
{
    size_t pos = 0;
    if (avail < 1)
        return SCEP_ERR_TRUNCATED;
    uint8_t id = p[pos++];
    uint32_t number = id & 0x1Fu;
    if (number == 0x1Fu) {
        /* Long-form tag: base-128 digits, high bit set on all but the last. Tag numbers past
         * 2^24 do not fit our tag word and occur nowhere in SCEP. */
        number = 0;
        for (;;) {
            if (pos >= avail)
                return SCEP_ERR_TRUNCATED;
            uint8_t b = p[pos++];
            if (number == 0 && b == 0x80)
                return SCEP_ERR_BAD_TAG; /* leading zero digit */
            number = number << 7 | (b & 0x7Fu);
            if (number > 0xFFFFFFu)
                return SCEP_ERR_BAD_TAG;
            if (!(b & 0x80))
                break;
        }
    }
    h->tag = BER_TAG(id & 0xE0u, number);
    if (pos >= avail)
        return SCEP_ERR_TRUNCATED;
    uint8_t lb = p[pos++];
    h->indefinite = false;
    if (lb < 0x80) {
        h->length = lb;
    } else if (lb == 0x80) {
        if (!(id & BER_CONSTRUCTED))
            return SCEP_ERR_BAD_LENGTH; /* indefinite length only for constructed forms */
        h->indefinite = true;
        h->length = 0;
    } else {
        size_t n = lb & 0x7Fu;
        if (n == 0x7F)
            return SCEP_ERR_BAD_LENGTH; /* reserved */
        size_t length = 0;
        for (size_t i = 0; i < n; i++) {
            if (pos >= avail)
                return SCEP_ERR_TRUNCATED;
            if (length > (SIZE_MAX >> 9))
                return SCEP_ERR_BAD_LENGTH; /* more than any input can hold */
            length = length << 8 | p[pos++];
        }
        h->length = length;
    }
    h->header_len = pos;
    return SCEP_ERR_NONE;
}

/* definite_extent: the whole size of the element at |p| (|avail| bytes there) when it is of
 * the common form, a one-octet identifier other than 00, a definite length of at most two
 * octets, contents within |avail|; else 0, and read_header takes it. */
static inline size_t definite_extent(const uint8_t *p, size_t avail)
{
    size_t header_len, length;
    if (avail < 2 || p[0] == 0 || (p[0] & 0x1Fu) == 0x1Fu ||
        !ber_short_length(p, avail, &header_len, &length))
        return 0;
    return length <= avail - header_len ? header_len + length : 0;
}

/* short_indefinite_header: is the element at |p| (|avail| bytes there) of the common
 * indefinite form, a one-octet constructed identifier and the length octet 0x80, as every
 * nested indefinite element of a BER pkiMessage is? Then fills |h| as read_header would. */
static inline bool short_indefinite_header(const uint8_t *p, size_t avail, ber_header *h)
{
    if (avail < 2 || p[1] != 0x80 || !(p[0] & BER_CONSTRUCTED) || (p[0] & 0x1Fu) == 0x1Fu)
        return false;
    h->tag = BER_TAG(p[0] & 0xE0u, p[0] & 0x1Fu);
    h->header_len = 2;
    h->length = 0;
    h->indefinite = true;
    return true;
}

/* read_any_header: read_header, with the common indefinite form read inline. */
static inline scep_error_code read_any_header(const uint8_t *p, size_t avail, ber_header *h)
{
    return short_indefinite_header(p, avail, h) ? SCEP_ERR_NONE : read_header(p, avail, h);
}

/* scan_indefinite finds the end-of-contents matching an indefinite-length element whose
 * contents start at |p| with |avail| bytes available. Nested indefinite elements are tracked
 * with a level counter, so the scan is iterative and linear. On success stores the contents
 * length (without the 00 00) in |*contents_len|; when the input ends first, stores |avail|
 * and sets |*truncated| (only when |at_input_end|, else it is a bad length). */
static scep_error_code scan_indefinite(const uint8_t *p, size_t avail, unsigned depth,
                                       bool at_input_end, size_t *contents_len, bool *truncated,
                                       size_t *fault_pos)
{
    unsigned level = 1;
    size_t pos = 0;
    *truncated = false;
    for (;;) {
        if (avail - pos >= 2 && p[pos] == 0 && p[pos + 1] == 0) {
            if (--level == 0) {
                *contents_len = pos;
                return SCEP_ERR_NONE;
            }
            pos += 2;
            continue;
        }
        if (pos == avail) {
            if (!at_input_end) {
                *fault_pos = pos;
                return SCEP_ERR_BAD_LENGTH;
            }
            *contents_len = avail;
            *truncated = true;
            return SCEP_ERR_NONE;
        }
        size_t skip = definite_extent(p + pos, avail - pos);
        if (skip) {
            pos += skip;
            continue;
        }
        ber_header h;
        scep_error_code code = read_any_header(p + pos, avail - pos, &h);
        if (code == SCEP_ERR_TRUNCATED && at_input_end) {
            *contents_len = avail;
            *truncated = true;
            return SCEP_ERR_NONE;
        }
        if (code != SCEP_ERR_NONE) {
            *fault_pos = pos;
            return code == SCEP_ERR_TRUNCATED ? SCEP_ERR_BAD_LENGTH : code;
        }
        if (h.tag == 0) {
            *fault_pos = pos; /* a tag-0 element other than 00 00 */
            return SCEP_ERR_BAD_TAG;
        }
        if (h.indefinite) {
            /* This element sits at depth (depth - 1 + level): the same limit ber_next
             * applies to definite lengths. */
            if (depth + level > SCEP_MAX_DEPTH) {
                *fault_pos = pos;
                return SCEP_ERR_TOO_DEEP;
            }
            level++;
            pos += h.header_len;
            continue;
        }
        size_t room = avail - pos - h.header_len;
        if (h.length > room) {
            if (!at_input_end) {
                *fault_pos = pos;
                return SCEP_ERR_BAD_LENGTH;
            }
            *contents_len = avail;
            *truncated = true;
            return SCEP_ERR_NONE;
        }
        pos += h.header_len + h.length;
    }
}

/* ber_peek_tag_general: ber_peek_tag for every case its inline part does not take. */
bool ber_peek_tag_general(const ber_cursor *c, uint32_t *tag)
{
    ber_header h;
    scep_error_code code = read_header(c->data, c->len, &h);
    if (code != SCEP_ERR_NONE && !(code == SCEP_ERR_TRUNCATED && c->len >= 1)) {
        return false;
    }
    if (code == SCEP_ERR_TRUNCATED) {
        /* Identifier read but the length is cut: the tag is still known when short-form. */
        if ((c->data[0] & 0x1Fu) == 0x1Fu)
            return false;
        *tag = BER_TAG(c->data[0] & 0xE0u, c->data[0] & 0x1Fu);
        return true;
    }
    *tag = h.tag;
    return true;
}

/* ber_next_general: every element ber_next does not read inline: long-form tags, indefinite
 * and long lengths, truncation, errors. Same contract as ber_next. */
bool ber_next_general(ber_cursor *c, ber_elem *e, ber_fault *fault)
{
    ber_header h;
    fault->offset = c->offset;
    if (c->len == 0) {
        fault->code = c->at_input_end ? SCEP_ERR_TRUNCATED : SCEP_ERR_MISSING;
        return false;
    }
    if (c->depth >= SCEP_MAX_DEPTH) {
        fault->code = SCEP_ERR_TOO_DEEP;
        return false;
    }
    scep_error_code code = read_any_header(c->data, c->len, &h);
    if (code != SCEP_ERR_NONE) {
        fault->code = (code == SCEP_ERR_TRUNCATED && !c->at_input_end) ? SCEP_ERR_BAD_LENGTH : code;
        if (fault->code == SCEP_ERR_TRUNCATED)
            fault->offset = c->offset + c->len; /* a cut is reported where the data ends */
        return false;
    }
    if (h.tag == 0) {
        /* Universal tag 0 is reserved for end-of-contents: 00 00 where an element was due is
         * out of place, anything else with tag 0 is malformed (as the indefinite scan says). */
        fault->code = (!h.indefinite && h.length == 0) ? SCEP_ERR_UNEXPECTED_TAG : SCEP_ERR_BAD_TAG;
        return false;
    }
    const uint8_t *body = c->data + h.header_len;
    size_t room = c->len - h.header_len;
    size_t contents_len, eoc_len = 0;
    bool truncated = false;
    if (h.indefinite) {
        size_t fault_pos = 0;
        code = scan_indefinite(body, room, c->depth + 1u, c->at_input_end, &contents_len,
                               &truncated, &fault_pos);
        if (code != SCEP_ERR_NONE) {
            fault->code = code;
            fault->offset = c->offset + h.header_len + fault_pos;
            return false;
        }
        eoc_len = truncated ? 0 : 2;
    } else if (h.length > room) {
        if (!c->at_input_end) {
            fault->code = SCEP_ERR_BAD_LENGTH;
            return false;
        }
        contents_len = room;
        truncated = true;
    } else {
        contents_len = h.length;
    }

    e->tag = h.tag;
    e->offset = c->offset;
    e->header_len = h.header_len;
    e->indefinite = h.indefinite;
    e->truncated = truncated;
    e->contents.data = body;
    e->contents.len = contents_len;
    e->contents.offset = c->offset + h.header_len;
    e->contents.source = c->source;
    e->contents.depth = (uint8_t)(c->depth + 1u);
    /* Contents clipped by the input's end keep running to it; complete contents are bounded
     * by their own length, so an overrun inside them is a bad length. */
    e->contents.at_input_end = truncated;
    e->total_len = h.header_len + contents_len + eoc_len;

    c->data += e->total_len;
    c->len -= e->total_len;
    c->offset += e->total_len;
    return true;
}

/* walk_octets visits the primitive chunks of a string element in order. With |out| it copies
 * them; without, it only counts. Chunks nest (BER allows constructed inside constructed), so
 * the walk keeps an explicit stack of cursors instead of recursing. */
static bool walk_octets(const ber_elem *e, uint8_t *out, size_t cap, size_t *out_len,
                        size_t *chunks, ber_fault *fault)
{
    size_t total = 0, count = 0;
    /* Chunks carry the string's universal tag; an implicitly tagged string ([0] IMPLICIT
     * OCTET STRING, as encryptedContent is) is chunked as OCTET STRINGs. */
    uint32_t number = (e->tag >> 24 & 0xC0u) ? 4u : ber_tag_number(e);
    if (!ber_constructed(e)) {
        size_t n = e->contents.len;
        if (out) {
            if (n > cap) {
                memcpy(out, e->contents.data, cap);
                *out_len = cap;
                fault->code = SCEP_ERR_CAPACITY;
                fault->offset = e->offset;
                return false;
            }
            memcpy(out, e->contents.data, n);
        }
        *out_len = n;
        if (chunks)
            *chunks = 0;
        return true;
    }
    ber_cursor stack[SCEP_MAX_DEPTH];
    size_t top = 0;
    stack[top++] = e->contents;
    bool ok = true;
    while (top > 0) {
        ber_cursor *c = &stack[top - 1];
        if (ber_empty(c)) {
            top--;
            continue;
        }
        ber_elem chunk;
        if (!ber_next(c, &chunk, fault)) {
            /* The input ends inside a chunk's header or an end-of-contents: the octets
             * before it are all there is, as for a chunk cut inside its contents. */
            if (fault->code == SCEP_ERR_TRUNCATED && c->at_input_end)
                break;
            ok = false;
            break;
        }
        if ((chunk.tag & 0xFFFFFFu) != number || (chunk.tag >> 24 & 0xC0u) != 0) {
            fault->code = SCEP_ERR_UNEXPECTED_TAG;
            fault->offset = chunk.offset;
            ok = false;
            break;
        }
        if (ber_constructed(&chunk)) {
            if (top == SCEP_MAX_DEPTH) {
                fault->code = SCEP_ERR_TOO_DEEP;
                fault->offset = chunk.offset;
                ok = false;
                break;
            }
            stack[top++] = chunk.contents;
            continue;
        }
        if (count == SCEP_MAX_CHUNKS) { /* |count| says how many were joined: not this one */
            fault->code = SCEP_ERR_CAPACITY;
            fault->offset = chunk.offset;
            ok = false;
            break;
        }
        count++;
        size_t n = chunk.contents.len;
        if (out) {
            if (n > cap - total) {
                memcpy(out + total, chunk.contents.data, cap - total);
                total = cap;
                fault->code = SCEP_ERR_CAPACITY;
                fault->offset = chunk.offset;
                ok = false;
                break;
            }
            memcpy(out + total, chunk.contents.data, n);
        }
        total += n;
    }
    *out_len = total;
    if (chunks)
        *chunks = count;
    return ok;
}

bool ber_join_octets(const ber_elem *e, uint8_t *out, size_t cap, size_t *out_len,
                     size_t *chunks, ber_fault *fault)
{
    if (out == NULL) {
        *out_len = 0;
        fault->code = SCEP_ERR_CAPACITY;
        fault->offset = e->offset;
        return false;
    }
    return walk_octets(e, out, cap, out_len, chunks, fault);
}

bool ber_octets_length(const ber_elem *e, size_t *total, size_t *chunks, ber_fault *fault)
{
    return walk_octets(e, NULL, 0, total, chunks, fault);
}

bool ber_read_small_int(const ber_elem *e, long *value)
{
    const uint8_t *p = e->contents.data;
    size_t n = e->contents.len;
    if (n == 0 || n > sizeof(long))
        return false;
    unsigned long v = (p[0] & 0x80) ? ~0UL : 0UL; /* sign-extend */
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    *value = (long)v;
    return true;
}

scep_span ber_integer_magnitude(const ber_elem *e)
{
    scep_span s = ber_span(e, false);
    if (s.length > 1 && s.data[0] == 0x00) {
        s.data++;
        s.offset++;
        s.length--;
    }
    return s;
}
