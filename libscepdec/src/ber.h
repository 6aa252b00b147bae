/* ber.h — a bounds-checked cursor over BER and DER, in the style of BoringSSL's CBS.
 *
 * A cursor is a window {data, len} on caller bytes plus the window's offset in its source
 * buffer, so every element read from it knows where it sits. Readers either succeed and
 * advance, or fail and leave the cursor as it was. Nothing allocates; nothing reads a byte
 * outside the window. Internal to libscepdec. */
#ifndef SCEPDEC_BER_H
#define SCEPDEC_BER_H

#include "scepdec.h"

/* BER_HOT marks the few readers every element goes through: always inlined (GCC and Clang), so
 * that each call site folds its constant tag and no call is paid per element. */
#define BER_HOT static inline __attribute__((always_inline))

typedef struct {
    const uint8_t *data;
    size_t len;
    size_t offset;      /* offset of data[0] in the source buffer */
    uint8_t source;     /* scep_source */
    uint8_t depth;      /* nesting level of the elements this cursor yields */
    bool at_input_end;  /* the window ends where the input ends: an overrun is a truncation,
                         * not a bad length */
} ber_cursor;

/* Tags are compared as one word: the identifier's class and constructed bits in the top
 * byte, the tag number below. */
#define BER_CLASS_UNIVERSAL 0x00u
#define BER_CLASS_APPLICATION 0x40u
#define BER_CLASS_CONTEXT 0x80u
#define BER_CLASS_PRIVATE 0xC0u
#define BER_CONSTRUCTED 0x20u
#define BER_TAG(bits, number) ((uint32_t)(bits) << 24 | (uint32_t)(number))

#define BER_BOOLEAN BER_TAG(0, 1)
#define BER_INTEGER BER_TAG(0, 2)
#define BER_BIT_STRING BER_TAG(0, 3)
#define BER_OCTET_STRING BER_TAG(0, 4)
#define BER_OCTET_STRING_CONS BER_TAG(BER_CONSTRUCTED, 4)
#define BER_NULL BER_TAG(0, 5)
#define BER_OID BER_TAG(0, 6)
#define BER_UTF8_STRING BER_TAG(0, 12)
#define BER_PRINTABLE_STRING BER_TAG(0, 19)
#define BER_T61_STRING BER_TAG(0, 20)
#define BER_IA5_STRING BER_TAG(0, 22)
#define BER_UTC_TIME BER_TAG(0, 23)
#define BER_GENERALIZED_TIME BER_TAG(0, 24)
#define BER_UNIVERSAL_STRING BER_TAG(0, 28)
#define BER_BMP_STRING BER_TAG(0, 30)
#define BER_SEQUENCE BER_TAG(BER_CONSTRUCTED, 16)
#define BER_SET BER_TAG(BER_CONSTRUCTED, 17)
#define BER_CONTEXT(n) BER_TAG(BER_CLASS_CONTEXT, n)
#define BER_CONTEXT_CONS(n) BER_TAG(BER_CLASS_CONTEXT | BER_CONSTRUCTED, n)

typedef struct {
    uint32_t tag;         /* BER_TAG(class | constructed, number) */
    size_t offset;        /* offset of the identifier octet in the source buffer */
    size_t header_len;    /* identifier and length octets */
    bool indefinite;      /* length form 0x80, contents end at a matching 00 00 */
    bool truncated;       /* the contents run past the input: |contents| is clipped to it */
    ber_cursor contents;  /* contents octets, without the end-of-contents octets */
    size_t total_len;     /* bytes of the element present: header, contents, end-of-contents */
} ber_elem;

/* What went wrong, where. */
typedef struct {
    scep_error_code code;
    size_t offset;
} ber_fault;

/* ber_init points |c| at |len| bytes at |data|, which sit at |offset| in buffer |source|. The
 * window is taken to end where the input ends. */
static inline void ber_init(ber_cursor *c, const uint8_t *data, size_t len, size_t offset,
                            uint8_t source)
{
    c->data = data;
    c->len = len;
    c->offset = offset;
    c->source = source;
    c->depth = 0;
    c->at_input_end = true;
}

static inline bool ber_empty(const ber_cursor *c) { return c->len == 0; }

static inline bool ber_constructed(const ber_elem *e) { return (e->tag >> 24) & BER_CONSTRUCTED; }

static inline uint32_t ber_tag_number(const ber_elem *e) { return e->tag & 0xFFFFFFu; }

/* ber_next reads the element at |c| into |e| and advances |c| past it. Indefinite lengths are
 * resolved by scanning to the matching end-of-contents (iteratively, depth-limited). When the
 * contents run past an input that ends there, |e->truncated| is set, |e->contents| is clipped
 * and |c| is left empty: the caller may still descend. Returns false, fills |fault| and leaves
 * |c| unchanged when no element can be read: an empty cursor, an end-of-contents marker, a
 * malformed or cut header, a length overrunning an enclosing definite element, or nesting
 * beyond SCEP_MAX_DEPTH. |fault| is untouched on success.
 *
 * The common case (a one-octet identifier other than end-of-contents, a definite length of at
 * most two octets, contents inside the window) is read inline; everything else, errors
 * included, by ber_next_general. */
bool ber_next_general(ber_cursor *c, ber_elem *e, ber_fault *fault);

/* ber_short_length reads the length octets after the identifier octet at |p| (|avail| >= 2
 * bytes there) when they are the common form: definite, at most two octets. Sets the header's
 * length and the contents' length; returns false for any other form. */
BER_HOT bool ber_short_length(const uint8_t *p, size_t avail, size_t *header_len,
                             size_t *length)
{
    if (p[1] < 0x80) {
        *header_len = 2;
        *length = p[1];
    } else if (p[1] == 0x82 && avail >= 4) {
        *header_len = 4;
        *length = (size_t)p[2] << 8 | p[3];
    } else if (p[1] == 0x81 && avail >= 3) {
        *header_len = 3;
        *length = p[2];
    } else {
        return false;
    }
    return true;
}

BER_HOT bool ber_next(ber_cursor *c, ber_elem *e, ber_fault *fault)
{
    const uint8_t *p = c->data;
    const size_t avail = c->len;
    if (avail < 2 || p[0] == 0 || (p[0] & 0x1Fu) == 0x1Fu || c->depth >= SCEP_MAX_DEPTH)
        return ber_next_general(c, e, fault);
    size_t header_len, length;
    if (!ber_short_length(p, avail, &header_len, &length) || length > avail - header_len)
        return ber_next_general(c, e, fault);
    e->tag = BER_TAG(p[0] & 0xE0u, p[0] & 0x1Fu);
    e->offset = c->offset;
    e->header_len = header_len;
    e->indefinite = false;
    e->truncated = false;
    /* One struct assignment, not six field stores: callers copy |e->contents| whole, and a
     * wide load right after narrow stores to the same bytes stalls the CPU. */
    ber_cursor contents = {p + header_len, length, c->offset + header_len, c->source,
                           (uint8_t)(c->depth + 1u), false};
    e->contents = contents;
    e->total_len = header_len + length;
    c->data += e->total_len;
    c->len -= e->total_len;
    c->offset += e->total_len;
    return true;
}

/* ber_peek_tag stores the tag of the next element in |*tag| without consuming it. Returns
 * false when the cursor is empty or the identifier cannot be read, or when the length octets
 * that follow it are malformed (a cut length still yields a short-form tag). The common case
 * is inline; ber_peek_tag_general takes the rest. */
bool ber_peek_tag_general(const ber_cursor *c, uint32_t *tag);

static inline bool ber_peek_tag(const ber_cursor *c, uint32_t *tag)
{
    const uint8_t *p = c->data;
    if (c->len >= 2 && (p[0] & 0x1Fu) != 0x1Fu && (p[1] < 0x80 || p[1] == 0x81 || p[1] == 0x82)) {
        *tag = BER_TAG(p[0] & 0xE0u, p[0] & 0x1Fu);
        return true;
    }
    return ber_peek_tag_general(c, tag);
}

/* ber_next_tagged reads the next element only when its tag is |tag|. Returns false (cursor
 * unchanged, fault SCEP_ERR_UNEXPECTED_TAG at the element when it is another one) otherwise. */
BER_HOT bool ber_next_tagged(ber_cursor *c, uint32_t tag, ber_elem *e, ber_fault *fault)
{
    /* A short-form tag is its identifier octet: with |tag| a constant, one comparison. */
    if ((tag & 0xFFFFFFu) < 0x1Fu && c->len >= 2 && c->data[0] == (uint8_t)(tag >> 24 | tag))
        return ber_next(c, e, fault);
    uint32_t found;
    if (c->len > 0 && ber_peek_tag(c, &found) && found != tag) {
        fault->code = SCEP_ERR_UNEXPECTED_TAG;
        fault->offset = c->offset;
        return false;
    }
    return ber_next(c, e, fault);
}

/* ber_span makes a public span of the element's contents (|whole| false) or of the whole
 * element as present in the input (|whole| true). */
static inline scep_span ber_span(const ber_elem *e, bool whole)
{
    scep_span s;
    if (whole) {
        s.data = e->contents.data - e->header_len;
        s.offset = e->offset;
        s.length = e->total_len;
    } else {
        s.data = e->contents.data;
        s.offset = e->contents.offset;
        s.length = e->contents.len;
    }
    s.source = e->contents.source;
    return s;
}

/* ber_cursor_span makes a span of what remains in |c|. */
static inline scep_span ber_cursor_span(const ber_cursor *c)
{
    scep_span s = {c->data, c->offset, c->len, c->source};
    return s;
}

/* ber_join_octets copies the octets of a string element, primitive or constructed (chunks
 * nested to any depth, joined in order), into |out| (at most |cap| bytes). Sets |*out_len| to
 * the octets present and |*chunks| (may be NULL) to the primitive chunks joined (0 for a
 * primitive element). Returns false with |fault| on a malformed chunk, more than
 * SCEP_MAX_CHUNKS chunks, or too little room (SCEP_ERR_CAPACITY); what was joined before
 * stays in |out|. A truncated element joins what is present and returns true. */
bool ber_join_octets(const ber_elem *e, uint8_t *out, size_t cap, size_t *out_len,
                     size_t *chunks, ber_fault *fault);

/* ber_octets_length adds up the octets of a string element without copying them, walking
 * chunks as ber_join_octets does. */
bool ber_octets_length(const ber_elem *e, size_t *total, size_t *chunks, ber_fault *fault);

/* ber_read_small_int reads an INTEGER's contents as a long when it fits. */
bool ber_read_small_int(const ber_elem *e, long *value);

/* ber_integer_magnitude returns the INTEGER's contents without a leading 0x00 sign octet. */
scep_span ber_integer_magnitude(const ber_elem *e);

/* ber_parse_time reads a UTCTime or GeneralizedTime element into seconds since the epoch (UTC).
 * Accepts the DER forms, plus BER's optional seconds and +hhmm/-hhmm offsets, and fractional
 * seconds of GeneralizedTime (ignored). */
bool ber_parse_time(const ber_elem *e, int64_t *seconds);

/* BER_COLD marks what runs only for faulty input: GCC and Clang then lay the paths that lead
 * there out of the way of the readers' common path, which keeps the decoders' hot code dense
 * in the instruction cache. */
#define BER_COLD __attribute__((cold))

/* Recording errors into a result's list: keeps the first SCEP_MAX_ERRORS, counts the rest. */
BER_COLD void scep_errors_add(scep_errors *errors, scep_error_code code, uint8_t source,
                              size_t offset, const char *message);

/* Shorthand: record |fault| with |message| against |c|'s source. */
BER_COLD void ber_record(scep_errors *errors, const ber_cursor *c, const ber_fault *fault,
                         const char *message);

#endif
