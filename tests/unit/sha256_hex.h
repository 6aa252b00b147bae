/* sha256_hex.h — the SHA-256 of a buffer as lowercase hex (65 bytes with the NUL), for tests
 * that compare decrypted content with digests `openssl cms -decrypt | sha256sum` printed. */
#ifndef SCEPDEC_TEST_SHA256_HEX_H
#define SCEPDEC_TEST_SHA256_HEX_H

#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>

static void sha256_hex(const uint8_t *data, size_t len, char *hex)
{
    unsigned char digest[32];
    unsigned int n = 0;
    EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < n; i++)
        sprintf(hex + 2 * i, "%02x", digest[i]);
}

#endif
