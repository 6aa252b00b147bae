/* decode.h — reading structures with error recording: the glue between the BER cursor and a
 * result's error list. A decoder reads each expected element with decode_take; on a fault the
 * error is recorded once (a truncation is reported at the first place the input runs out, not
 * again at every enclosing level) and the decoder stops descending, keeping what it has.
 * Internal. */
#ifndef SCEPDEC_DECODE_H
#define SCEPDEC_DECODE_H

#include "ber.h"

typedef struct {
    scep_errors *errors;
    bool truncated;        /* the input ran out somewhere */
    bool indefinite;       /* an indefinite length was seen */
} decode_ctx;

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
        if (fault.code == SCEP_ERR_TRUNCATED) {
            if (!ctx->truncated)
                ber_record(ctx->errors, c, &fault, what);
            ctx->truncated = true;
        } else {
            ber_record(ctx->errors, c, &fault, what);
        }
        return false;
    }
    if (e->truncated) {
        if (!ctx->truncated) {
            ber_fault cut = {SCEP_ERR_TRUNCATED, e->contents.offset + e->contents.len};
            ber_record(ctx->errors, c, &cut, what);
        }
        ctx->truncated = true;
    }
    if (e->indefinite)
        ctx->indefinite = true;
    return true;
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

#endif
