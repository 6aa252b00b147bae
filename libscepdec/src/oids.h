/* oids.h — the OIDs libscepdec matches structure against, as contents octets. Internal.
 * Names for display live in names.c's table; these are only what decoding needs. */
#ifndef SCEPDEC_OIDS_H
#define SCEPDEC_OIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OID_BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* 1.2.840.113549.1.7.x: PKCS#7 / CMS content types */
#define OID_PKCS7_DATA OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01)
#define OID_PKCS7_SIGNED_DATA OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02)
#define OID_PKCS7_ENVELOPED_DATA OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03)
/* 1.2.840.113549.1.9.x: PKCS#9 attributes */
#define OID_PKCS9_CONTENT_TYPE OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03)
#define OID_PKCS9_MESSAGE_DIGEST OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04)
#define OID_PKCS9_SIGNING_TIME OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x05)
/* 2.16.840.1.113733.1.9.x: SCEP (VeriSign) attributes */
#define OID_SCEP_ARC 0x60, 0x86, 0x48, 0x01, 0x86, 0xf8, 0x45, 0x01, 0x09
#define OID_SCEP_MESSAGE_TYPE OID_BYTES(OID_SCEP_ARC, 0x02)
#define OID_SCEP_PKI_STATUS OID_BYTES(OID_SCEP_ARC, 0x03)
#define OID_SCEP_FAIL_INFO OID_BYTES(OID_SCEP_ARC, 0x04)
#define OID_SCEP_SENDER_NONCE OID_BYTES(OID_SCEP_ARC, 0x05)
#define OID_SCEP_RECIPIENT_NONCE OID_BYTES(OID_SCEP_ARC, 0x06)
#define OID_SCEP_TRANSACTION_ID OID_BYTES(OID_SCEP_ARC, 0x07)
/* 1.3.6.1.5.5.7.24.1: failInfoText (RFC 8894) */
#define OID_SCEP_FAIL_INFO_TEXT OID_BYTES(0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x18, 0x01)
/* 2.5.29.x: certificate extensions */
#define OID_EXT_SUBJECT_KEY_ID OID_BYTES(0x55, 0x1d, 0x0e)
#define OID_EXT_KEY_USAGE OID_BYTES(0x55, 0x1d, 0x0f)
#define OID_EXT_BASIC_CONSTRAINTS OID_BYTES(0x55, 0x1d, 0x13)
/* 1.2.840.113549.1.1.1 rsaEncryption, 1.2.840.10045.2.1 id-ecPublicKey */
#define OID_RSA_ENCRYPTION OID_BYTES(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01)
#define OID_EC_PUBLIC_KEY OID_BYTES(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01)

/* oid_equal: does the span-like |data|/|len| hold exactly the OID |oid|/|oid_len|? */
static inline bool oid_equal(const uint8_t *data, size_t len, const uint8_t *oid, size_t oid_len)
{
    return data != NULL && len == oid_len && memcmp(data, oid, oid_len) == 0; /* oid_len: a constant */
}

#define OID_IS(span, OID) oid_equal((span).data, (span).length, OID)

#endif
