/* decode.h — reading structures with error recording: the glue between the BER cursor and a
 * result's error list, shared by every decoder of the library. A decoder reads each expected
 * element with decode_take; on a fault the error is recorded and the decoder stops descending,
 * keeping what it has.
 *
 * Truncation policy: an input cut short is reported once per context, as SCEP_ERR_TRUNCATED at
 * the offset where the data ends, by whichever read first runs into the end (not again at
 * every enclosing level, nor by a nested decoder sharing the context). What was read before
 * the cut stays decoded. A constructed element cut short is returned clipped, to descend into;
 * a primitive one is returned clipped by decode_take (a span of what is present) and refused
 * by decode_take_value, for values that mean nothing cut (an OID, a serial, a time).
 * Internal. */
#ifndef SCEPDEC_DECODE_H
#define SCEPDEC_DECODE_H

#include "ber.h"

typedef struct {
    scep_errors *errors;
    bool truncated;        /* the input ran out somewhere */
    bool indefinite;       /* an indefinite length was seen */
} decode_ctx;

/* decode_truncated records that the input ends at |offset| (in |where|'s source), unless the
 * context has already said so. */
static inline void decode_truncated(decode_ctx *ctx, const ber_cursor *where, size_t offset,
                                    const char *what)
{
    if (!ctx->truncated)
        scep_errors_add(ctx->errors, SCEP_ERR_TRUNCATED, where->source, offset, what);
    ctx->truncated = true;
}

/* decode_take reads the next element of |c|, which must carry |tag| (0 accepts any tag), into
 * |e|. Records what went wrong, naming |what|, and returns false when it cannot. A truncated
 * element is returned (clipped) and marks the context truncated. Always inlined: with |tag| a
 * constant at each call site, the cursor's tag check folds to one comparison. */
BER_HOT bool decode_take(decode_ctx *ctx, ber_cursor *c, uint32_t tag, ber_elem *e,
                         const char *what)
{
    ber_fault fault;
    bool ok = tag ? ber_next_tagged(c, tag, e, &fault) : ber_next(c, e, &fault);
    if (!ok) {
        if (fault.code == SCEP_ERR_TRUNCATED)
            decode_truncated(ctx, c, fault.offset, what);
        else
            ber_record(ctx->errors, c, &fault, what);
        return false;
    }
    if (e->truncated)
        decode_truncated(ctx, c, e->contents.offset + e->contents.len, what);
    if (e->indefinite)
        ctx->indefinite = true;
    return true;
}

/* decode_take_value is decode_take for an element whose value is useless cut short: a
 * truncated primitive element is recorded as decode_take records it, and refused. */
BER_HOT bool decode_take_value(decode_ctx *ctx, ber_cursor *c, uint32_t tag, ber_elem *e,
                               const char *what)
{
    return decode_take(ctx, c, tag, e, what) && (!e->truncated || ber_constructed(e));
}

/* decode_peek_is: is the next element of |c| tagged |tag|? */
static inline bool decode_peek_is(const ber_cursor *c, uint32_t tag)
{
    uint32_t found;
    return !ber_empty(c) && ber_peek_tag(c, &found) && found == tag;
}

/* decode_error records a fault found by the decoder itself (a bad value, a missing part). */
static inline void decode_error(decode_ctx *ctx, scep_error_code code, const ber_cursor *where,
                                size_t offset, const char *what)
{
    scep_errors_add(ctx->errors, code, where->source, offset, what);
}

/* decode_end closes the constructed element |e| whose contents were read through |rest|:
 * true when it was complete and nothing is left in |rest|. Otherwise records the fault and
 * returns false: the input ended inside |e| after its last complete child (a truncation, where
 * the data ends), or bytes follow what the structure holds (trailing data). */
static inline bool decode_end(decode_ctx *ctx, const ber_elem *e, const ber_cursor *rest,
                              const char *what)
{
    if (e->truncated) {
        decode_truncated(ctx, rest, rest->offset + rest->len, what);
        return false;
    }
    if (!ber_empty(rest)) {
        decode_error(ctx, SCEP_ERR_TRAILING_DATA, rest, rest->offset, what);
        return false;
    }
    return true;
}

#endif
