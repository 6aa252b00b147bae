/* test_crypto — messageDigest and signature checks, and envelope decryption, on micromdm's
 * real PKCSReq and its iOS-style BER re-encoding.
 *
 * Expected values come from OpenSSL's command line:
 *   openssl cms -verify -noverify -inform DER -in vectors/micromdm/PKCSReq.der   (succeeds;
 *     the same for vectors/crafted/PKCSReq-ios-ber.der)
 *   openssl asn1parse -inform DER -in vectors/micromdm/PKCSReq.der -strparse 58 -noout -out env.der
 *   openssl cms -decrypt -inform DER -in env.der -inkey vectors/micromdm/ca.key -passin pass: \
 *     -binary -out csr.der   → 428 bytes, sha256 e14be4f4…, subject
 *     CN=com.apple.security.scep.063D7953-1338-4BF0-8F99-913382996224 */
#include <openssl/evp.h>

#include "check.h"
#include "sha256_hex.h"
#include "scepdec.h"

static void check_message(const char *path)
{
    size_t len, key_len;
    uint8_t *data = read_file(path, &len);
    uint8_t *key = read_file("vectors/micromdm/ca.key", &key_len);
    static uint8_t content[4096], plain[4096];
    static scep_pki_message msg;
    CHECK_INT(scep_decode_pki_message(data, len, content, sizeof content, &msg), SCEP_DECODE_OK);

    scep_verification v;
    scep_verify_pki_message(data, len, &msg, NULL, 0, &v);
    CHECK_INT(v.message_digest, SCEP_CHECK_OK);
    CHECK_INT(v.signature, SCEP_CHECK_OK);

    size_t plain_len = 0;
    scep_error err = {0};
    CHECK_INT(scep_decrypt_envelope(&msg, key, key_len, NULL, 0, plain, sizeof plain, &plain_len, &err),
              SCEP_DECODE_OK);
    CHECK_INT(plain_len, 428);
    char hex[65] = "";
    sha256_hex(plain, plain_len, hex);
    CHECK_STR(hex, "e14be4f45b58155f2d1f81a46123af1c8acceb23e338c063226bf1c270b5e370");

    /* A changed eContent octet must fail the digest check; the signature over the attributes
     * still holds (it does not cover the content directly). */
    uint8_t *copy = malloc(len);
    memcpy(copy, data, len);
    size_t at = msg.signed_data.encap_content.source == SCEP_SRC_INPUT
                    ? msg.signed_data.encap_content.offset + 100
                    : len / 4; /* BER: somewhere in the first chunk */
    copy[at] ^= 0x01;
    static scep_pki_message tampered;
    scep_decode_pki_message(copy, len, content, sizeof content, &tampered);
    scep_verify_pki_message(copy, len, &tampered, NULL, 0, &v);
    CHECK_INT(v.message_digest, SCEP_CHECK_FAILED);
    CHECK(v.detail != NULL);

    /* The wrong key fails with an error, not random plaintext. */
    size_t other_len;
    uint8_t *other = read_file("vectors/crafted/other.key", &other_len);
    CHECK_INT(scep_decrypt_envelope(&msg, other, other_len, NULL, 0, plain, sizeof plain, &plain_len, &err),
              SCEP_DECODE_NONE);
    CHECK(err.message != NULL);
    free(other);
    free(copy);
    free(key);
    free(data);
}

int main(void)
{
    check_message("vectors/micromdm/PKCSReq.der");
    check_message("vectors/crafted/PKCSReq-ios-ber.der");
    return check_report("test_crypto");
}
