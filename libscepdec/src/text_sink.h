/* text_sink.h — the writer behind the library's text formatters (scep_*_format,
 * scep_oid_to_dotted): it follows the header's one rule for text buffers. Text is offered in
 * units (a number, a hex pair, a character) that are stored whole or not at all; once one does
 * not fit, nothing more is stored, and |needed| goes on counting the whole text's length. */
#ifndef SCEPDEC_TEXT_SINK_H
#define SCEPDEC_TEXT_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    char *out;     /* NULL: count only */
    size_t cap;    /* bytes of |out|, NUL included */
    size_t len;    /* bytes stored */
    size_t needed; /* length of the whole text */
    bool stopped;  /* a unit did not fit */
} text_sink;

/* text_init starts a sink over |out|/|cap| and writes "" there when there is room. */
static inline void text_init(text_sink *s, char *out, size_t cap)
{
    s->out = cap > 0 ? out : NULL;
    s->cap = cap;
    s->len = s->needed = 0;
    s->stopped = false;
    if (s->out)
        s->out[0] = '\0';
}

static inline void text_put(text_sink *s, const char *unit, size_t n)
{
    s->needed += n;
    if (!s->out || s->stopped)
        return;
    if (s->len + n + 1 > s->cap) {
        s->stopped = true;
        return;
    }
    memcpy(s->out + s->len, unit, n);
    s->len += n;
}

static inline void text_str(text_sink *s, const char *text) { text_put(s, text, strlen(text)); }

static inline void text_u64(text_sink *s, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    text_put(s, digits + sizeof digits - n, n);
}

/* text_finish NUL-terminates what was stored and returns the whole text's length. */
static inline size_t text_finish(text_sink *s)
{
    if (s->out)
        s->out[s->len] = '\0';
    return s->needed;
}

#endif
