/* b64_encode.h — the tests' own standard base64 encoder (RFC 4648 section 4, padded), so tests
 * can put vectors into URLs without using the decoder under test. test_b64 checks it against
 * coreutils' `base64` output before the other tests rely on it. */
#ifndef SCEPDEC_TEST_B64_ENCODE_H
#define SCEPDEC_TEST_B64_ENCODE_H

#include <stddef.h>
#include <stdint.h>

/* encode_b64 writes the encoding of |data|/|len| and a NUL to |out| (4 * ceil(len / 3) + 1
 * bytes) and returns its length. */
static inline size_t encode_b64(const uint8_t *data, size_t len, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        out[n++] = alphabet[v >> 18 & 63];
        out[n++] = alphabet[v >> 12 & 63];
        out[n++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
        out[n++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[n] = 0;
    return n;
}

#endif
