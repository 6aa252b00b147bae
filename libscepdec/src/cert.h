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
 * decode_take) into |out|: serial, algorithms, issuer, subject, validity, public key, key
 * usage, basic constraints, subject key identifier, self-issued flag and role. Faults are
 * recorded in |ctx| with the offset of the offending element; fields decoded before a fault
 * stay in |out|. Returns false when the certificate could not be decoded to its end
 * (truncated or malformed). */
bool cert_decode(decode_ctx *ctx, const ber_elem *e, scep_certificate *out);

/* cert_decode_algorithm decodes an AlgorithmIdentifier SEQUENCE. */
bool cert_decode_algorithm(decode_ctx *ctx, const ber_elem *e, scep_algorithm *out);

/* cert_decode_issuer_serial decodes an IssuerAndSerialNumber SEQUENCE into |out|
 * (kind SCEP_ID_ISSUER_SERIAL). */
bool cert_decode_issuer_serial(decode_ctx *ctx, const ber_elem *e, scep_identifier *out);

/* cert_decode_spki decodes a SubjectPublicKeyInfo SEQUENCE: its algorithm, and the key size
 * in bits when known (RSA modulus, named EC curve; else 0). */
bool cert_decode_spki(decode_ctx *ctx, const ber_elem *spki, scep_algorithm *alg, unsigned *bits);

#endif
