/* der_build.c — see der_build.h. */
#include "der_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(der_buf *b, size_t n)
{
    if (b->cap - b->len >= n)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n)
        cap *= 2;
    uint8_t *grown = realloc(b->data, cap);
    if (grown == NULL) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    b->data = grown;
    b->cap = cap;
}

void der_put(der_buf *b, const void *bytes, size_t n)
{
    reserve(b, n);
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
}

void der_put_byte(der_buf *b, uint8_t byte) { der_put(b, &byte, 1); }

static void put_header(der_buf *b, uint8_t tag, size_t n)
{
    der_put_byte(b, tag);
    if (n < 0x80) {
        der_put_byte(b, (uint8_t)n);
        return;
    }
    uint8_t digits[sizeof n];
    int count = 0;
    for (size_t v = n; v; v >>= 8)
        digits[count++] = (uint8_t)v;
    der_put_byte(b, (uint8_t)(0x80 | count));
    while (count)
        der_put_byte(b, digits[--count]);
}

void der_put_tlv(der_buf *b, uint8_t tag, const void *content, size_t n)
{
    put_header(b, tag, n);
    der_put(b, content, n);
}

void der_wrap(der_buf *b, uint8_t tag, int indefinite)
{
    der_buf outer = {0};
    if (indefinite) {
        der_put_byte(&outer, tag);
        der_put_byte(&outer, 0x80);
        der_put(&outer, b->data, b->len);
        der_put(&outer, "\0\0", 2);
    } else {
        der_put_tlv(&outer, tag, b->data, b->len);
    }
    free(b->data);
    *b = outer;
}

void der_free(der_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
