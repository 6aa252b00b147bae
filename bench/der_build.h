/* der_build.h — a growing byte buffer and the few DER/BER writers the scaling section needs
 * to build its crafted messages. Bench-only. */
#ifndef SCEPDEC_BENCH_DER_BUILD_H
#define SCEPDEC_BENCH_DER_BUILD_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *data;
    size_t len, cap;
} der_buf;

void der_put(der_buf *b, const void *bytes, size_t n);
void der_put_byte(der_buf *b, uint8_t byte);
/* der_put_tlv writes |tag| (one identifier octet), a definite length and |content|. */
void der_put_tlv(der_buf *b, uint8_t tag, const void *content, size_t n);
/* der_wrap replaces the contents of |b| with |tag| and a definite length around them, or an
 * indefinite length and end-of-contents when |indefinite|. */
void der_wrap(der_buf *b, uint8_t tag, int indefinite);
void der_free(der_buf *b);

#endif
