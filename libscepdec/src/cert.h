/* cert.h — X.509 certificates and the identifiers CMS uses to point at them. Internal. */
#ifndef SCEPDEC_CERT_H
#define SCEPDEC_CERT_H

#include "ber.h"

/* cert_decode decodes the Certificate element |e| (already read from its cursor) into |out|:
 * serial, algorithms, issuer, subject, validity, public key, key usage, basic constraints,
 * subject key identifier, self-issued flag and role. Faults are recorded in |errors| with the
 * offset of the offending element; fields decoded before a fault stay in |out|. Returns false
 * when the certificate could not be decoded to its end (truncated or malformed). */
bool cert_decode(const ber_elem *e, scep_certificate *out, scep_errors *errors);

/* cert_decode_algorithm decodes an AlgorithmIdentifier SEQUENCE. */
bool cert_decode_algorithm(const ber_elem *e, scep_algorithm *out, scep_errors *errors);

/* cert_decode_issuer_serial decodes an IssuerAndSerialNumber SEQUENCE into |out|
 * (kind SCEP_ID_ISSUER_SERIAL). */
bool cert_decode_issuer_serial(const ber_elem *e, scep_identifier *out, scep_errors *errors);

/* cert_decode_spki decodes a SubjectPublicKeyInfo SEQUENCE: its algorithm, and the key size
 * in bits when known (RSA modulus, named EC curve; else 0). */
bool cert_decode_spki(const ber_elem *spki, scep_algorithm *alg, unsigned *bits, scep_errors *errors);

#endif
