/* cert.h — X.509 certificates and the identifiers CMS uses to point at them. Internal.
 *
 * Every decoder here records its faults through the caller's decode_ctx (decode.h), with its
 * truncation policy: a cut input is reported once, where the data ends, by the read that
 * first meets the end; each decoder returns false at its first fault and keeps the fields it
 * decoded before it. */
#ifndef SCEPDEC_CERT_H
#define SCEPDEC_CERT_H

#include "decode.h"

/* cert_decode decodes the Certificate element |e| (already read from its cursor, e.g. by
 * decode_take; its contents cursor is walked in place, so read |e| no further) into |out|: serial, algorithms, issuer, subject, validity, public key, key
 * usage, basic constraints, subject key identifier, self-issued flag and role. Faults are
 * recorded in |ctx| with the offset of the offending element; fields decoded before a fault
 * stay in |out|. Returns false when the certificate could not be decoded to its end
 * (truncated or malformed). */
bool cert_decode(decode_ctx *ctx, ber_elem *e, scep_certificate *out);

/* cert_decode_algorithm_walk decodes an AlgorithmIdentifier element by element: any shape,
 * any fault. cert_decode_algorithm below is the entry point. */
bool cert_decode_algorithm_walk(decode_ctx *ctx, const ber_elem *e, scep_algorithm *out);

/* cert_algorithm_in_place reads the usual AlgorithmIdentifier, a complete DER SEQUENCE of an
 * OID with a short length followed by nothing or by NULL (05 00), straight from its octets:
 * no element is walked. Returns false for any other shape, which cert_decode_algorithm_walk
 * reads to the same result. */
static inline bool cert_algorithm_in_place(const ber_elem *e, scep_algorithm *out)
{
    const ber_cursor *c = &e->contents;
    const uint8_t *p = c->data;
    size_t len = c->len;
    if (e->tag != BER_SEQUENCE || e->truncated || c->depth >= SCEP_MAX_DEPTH || len < 2 ||
        p[0] != 0x06 || p[1] >= 0x80 || p[1] > len - 2)
        return false;
    size_t oid_len = p[1], rest = len - 2 - oid_len;
    if (rest != 0 && (rest != 2 || p[2 + oid_len] != 0x05 || p[3 + oid_len] != 0))
        return false;
    scep_span oid = {p + 2, c->offset + 2, oid_len, c->source};
    scep_span null = {p + 2 + oid_len, c->offset + 2 + oid_len, 2, c->source}, none = {0};
    out->oid = oid;
    out->params = rest ? null : none;
    return true;
}

/* cert_decode_algorithm decodes an AlgorithmIdentifier SEQUENCE: inline for the usual shape,
 * walked otherwise. */
static inline bool cert_decode_algorithm(decode_ctx *ctx, const ber_elem *e, scep_algorithm *out)
{
    return cert_algorithm_in_place(e, out) || cert_decode_algorithm_walk(ctx, e, out);
}

/* cert_decode_issuer_serial decodes an IssuerAndSerialNumber SEQUENCE into |out|
 * (kind SCEP_ID_ISSUER_SERIAL). */
bool cert_decode_issuer_serial(decode_ctx *ctx, const ber_elem *e, scep_identifier *out);

/* cert_decode_spki decodes a SubjectPublicKeyInfo SEQUENCE: its algorithm, and the key size
 * in bits when known (RSA modulus, named EC curve; else 0). |spki|'s contents are walked in
 * place, as cert_decode's. */
bool cert_decode_spki(decode_ctx *ctx, ber_elem *spki, scep_algorithm *alg, unsigned *bits);

#endif
