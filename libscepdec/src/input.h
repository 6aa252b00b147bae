/* input.h — scep_decode_input's internals: the caller's work area, and transport unwrapping
 * (detect.c) for input.c. Internal. */
#ifndef SCEPDEC_INPUT_H
#define SCEPDEC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scepdec.h"

/* The caller's work area, handed out front to back. */
typedef struct {
    uint8_t *base;
    size_t cap;
    size_t used;
} work_arena;

/* arena_take returns |n| bytes (at least one) of the work area, or NULL when it is used up. */
uint8_t *arena_take(work_arena *a, size_t n);

/* http_parse parses the HTTP message at |buf| into |out|; a chunked body is joined into the
 * work area. Returns false when |buf| is not HTTP or the work area is too small. A cut message
 * parses as far as it goes (|body_truncated|). */
bool http_parse(const uint8_t *buf, size_t len, work_arena *arena, scep_http_parsed *out);

/* find_query_text finds in text |buf| a request target carrying "operation=" (or, failing
 * that, a "message=" parameter after '?' or '&'): the whole of a one-line argument, or, in a
 * text file such as a log excerpt, the URL on the first line that has one, from its start
 * ("http", "/" or the query itself) to the end of the line (without a trailing " HTTP/1.1").
 * Returns false when there is none. */
bool find_query_text(const uint8_t *buf, size_t len, const char **start, size_t *qlen);

/* pem_find finds the first PEM block; stores its label (e.g. "PKCS7", NUL-terminated, cut to
 * |label_cap|) and the base64 text between the armor lines. */
bool pem_find(const uint8_t *buf, size_t len, char *label, size_t label_cap, const char **b64,
              size_t *b64_len);

/* is_text: every byte is printable ASCII or whitespace (what caps and base64 text are). */
bool is_text(const uint8_t *buf, size_t len);

/* base64_text_decode decodes base64 text (any form the library accepts, line ends and
 * indentation ignored) into the work area. Returns NULL (and gives the area back) when nothing
 * decodes or the area is too small. */
uint8_t *base64_text_decode(const char *text, size_t len, work_arena *arena, size_t *out_len,
                            unsigned *forms, scep_status *status);

#endif
