/* cert.c — decodes X.509 certificates (RFC 5280) far enough to say who they name, what they
 * are for and how long they live; and the AlgorithmIdentifier and IssuerAndSerialNumber
 * shapes CMS shares with them. BER is accepted: iOS sends certificates inside indefinite
 * lengths. */
#include "cert.h"

#include <limits.h>
#include <string.h>

#include "oids.h"

/* Named curves whose field size we report (RFC 5480). */
#define OID_CURVE_P192 OID_BYTES(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01)
#define OID_CURVE_P224 OID_BYTES(0x2b, 0x81, 0x04, 0x00, 0x21)
#define OID_CURVE_P256 OID_BYTES(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07)
#define OID_CURVE_P384 OID_BYTES(0x2b, 0x81, 0x04, 0x00, 0x22)
#define OID_CURVE_P521 OID_BYTES(0x2b, 0x81, 0x04, 0x00, 0x23)
#define OID_CURVE_SECP256K1 OID_BYTES(0x2b, 0x81, 0x04, 0x00, 0x0a)

/* Faults go through decode.h, as in every decoder of the library: one context for the whole
 * message, so a cut certificate adds no second "truncated" error to the one its enclosing
 * structure recorded where the data ends. Every reader below returns false at the first
 * fault, keeping the fields decoded before it. */

/* is_sequence: is |e| a SEQUENCE? Records the fault, naming |what|, when it is not. */
static bool is_sequence(decode_ctx *ctx, const ber_elem *e, const char *what)
{
    if (e->tag == BER_SEQUENCE)
        return true;
    decode_error(ctx, SCEP_ERR_UNEXPECTED_TAG, &e->contents, e->offset, what);
    return false;
}

bool cert_decode_algorithm_walk(decode_ctx *ctx, const ber_elem *e, scep_algorithm *out)
{
    scep_span none = {0};
    out->oid = out->params = none;
    if (!is_sequence(ctx, e, "AlgorithmIdentifier is not a SEQUENCE"))
        return false;
    ber_cursor c = e->contents;
    ber_elem oid, params;
    if (!decode_take_value(ctx, &c, BER_OID, &oid, "AlgorithmIdentifier algorithm"))
        return false;
    out->oid = ber_span(&oid, false);
    if (!ber_empty(&c)) {
        if (!decode_take_value(ctx, &c, 0, &params, "AlgorithmIdentifier parameters"))
            return false;
        out->params = ber_span(&params, true);
    }
    return decode_end(ctx, e, &c, "AlgorithmIdentifier");
}

/* take_name reads a Name and keeps the whole element. A Name cut short is a fault here, but
 * its span still covers what is present so that what is there can be shown. */
BER_HOT bool take_name(decode_ctx *ctx, ber_cursor *c, scep_span *out, const char *what)
{
    ber_elem name;
    if (!decode_take(ctx, c, BER_SEQUENCE, &name, what))
        return false;
    *out = ber_span(&name, true);
    return !name.truncated;
}

bool cert_decode_issuer_serial(decode_ctx *ctx, const ber_elem *e, scep_identifier *out)
{
    memset(out, 0, sizeof *out);
    out->kind = SCEP_ID_ISSUER_SERIAL;
    if (!is_sequence(ctx, e, "IssuerAndSerialNumber is not a SEQUENCE"))
        return false;
    ber_cursor c = e->contents;
    ber_elem serial;
    if (!take_name(ctx, &c, &out->issuer, "IssuerAndSerialNumber issuer") ||
        !decode_take_value(ctx, &c, BER_INTEGER, &serial, "IssuerAndSerialNumber serialNumber"))
        return false;
    out->serial = ber_integer_magnitude(&serial);
    return decode_end(ctx, e, &c, "IssuerAndSerialNumber");
}

/* rsa_modulus_bits: the size of the modulus in an RSAPublicKey, or 0 when unreadable. */
static unsigned rsa_modulus_bits(const uint8_t *der, size_t len, size_t offset, uint8_t source)
{
    ber_cursor c;
    ber_elem key, modulus;
    ber_fault fault;
    ber_init(&c, der, len, offset, source);
    if (!ber_next_tagged(&c, BER_SEQUENCE, &key, &fault) ||
        !ber_next_tagged(&key.contents, BER_INTEGER, &modulus, &fault) || modulus.truncated)
        return 0;
    const uint8_t *p = modulus.contents.data;
    size_t n = modulus.contents.len;
    while (n > 0 && p[0] == 0) {
        p++;
        n--;
    }
    if (n == 0 || n > UINT_MAX / 8)
        return 0;
    unsigned bits = (unsigned)(n - 1) * 8;
    for (uint8_t top = p[0]; top != 0; top >>= 1)
        bits++;
    return bits;
}

static unsigned ec_curve_bits(scep_span params)
{
    if (!params.data || params.length < 2 || params.data[0] != 0x06 ||
        params.data[1] != params.length - 2)
        return 0; /* not a short-form namedCurve OID (explicit parameters, implicitCA) */
    scep_span oid = {params.data + 2, params.offset + 2, params.length - 2, params.source};
    if (OID_IS(oid, OID_CURVE_P256) || OID_IS(oid, OID_CURVE_SECP256K1))
        return 256;
    if (OID_IS(oid, OID_CURVE_P384))
        return 384;
    if (OID_IS(oid, OID_CURVE_P521))
        return 521;
    if (OID_IS(oid, OID_CURVE_P224))
        return 224;
    if (OID_IS(oid, OID_CURVE_P192))
        return 192;
    return 0;
}

bool cert_decode_spki(decode_ctx *ctx, ber_elem *spki, scep_algorithm *alg, unsigned *bits)
{
    ber_elem alg_elem, key;
    ber_cursor *inner = &spki->contents;
    if (!decode_take(ctx, inner, BER_SEQUENCE, &alg_elem, "subjectPublicKeyInfo algorithm") ||
        !cert_decode_algorithm(ctx, &alg_elem, alg) ||
        !decode_take_value(ctx, inner, BER_BIT_STRING, &key, "subjectPublicKey"))
        return false;
    if (OID_IS(alg->oid, OID_RSA_ENCRYPTION) && key.contents.len > 1 && key.contents.data[0] == 0)
        *bits = rsa_modulus_bits(key.contents.data + 1, key.contents.len - 1,
                                 key.contents.offset + 1, key.contents.source);
    else if (OID_IS(alg->oid, OID_EC_PUBLIC_KEY))
        *bits = ec_curve_bits(alg->params);
    return decode_end(ctx, spki, inner, "subjectPublicKeyInfo");
}

/* decode_key_usage reads the KeyUsage BIT STRING: bit 0 (digitalSignature) is the most
 * significant bit of the first octet after the unused-bits count. */
static bool decode_key_usage(decode_ctx *ctx, ber_cursor *c, scep_certificate *out)
{
    ber_elem bits;
    if (!decode_take_value(ctx, c, BER_BIT_STRING, &bits, "keyUsage"))
        return false;
    const uint8_t *p = bits.contents.data;
    size_t n = bits.contents.len;
    if (n == 0 || p[0] > 7 || (n == 1 && p[0] != 0)) {
        decode_error(ctx, SCEP_ERR_BAD_VALUE, c, bits.offset, "keyUsage unused-bits count");
        return false;
    }
    size_t bit_count = (n - 1) * 8 - p[0];
    uint16_t flags = 0;
    for (size_t i = 0; i < bit_count && i <= 8; i++) {
        if (p[1 + i / 8] & (0x80u >> (i % 8)))
            flags |= (uint16_t)(1u << i);
    }
    out->has_key_usage = true;
    out->key_usage = flags;
    return true;
}

static bool decode_basic_constraints(decode_ctx *ctx, ber_cursor *c, scep_certificate *out)
{
    ber_elem seq, ca, path;
    if (!decode_take(ctx, c, BER_SEQUENCE, &seq, "basicConstraints"))
        return false;
    ber_cursor *inner = &seq.contents;
    out->has_basic_constraints = true;
    out->is_ca = false; /* cA BOOLEAN DEFAULT FALSE */
    if (decode_peek_is(inner, BER_BOOLEAN)) {
        if (!decode_take_value(ctx, inner, BER_BOOLEAN, &ca, "basicConstraints cA"))
            return false;
        if (ca.contents.len != 1) {
            decode_error(ctx, SCEP_ERR_BAD_VALUE, inner, ca.offset, "basicConstraints cA");
            return false;
        }
        out->is_ca = ca.contents.data[0] != 0; /* BER: any non-zero octet is TRUE */
    }
    if (decode_peek_is(inner, BER_INTEGER)) {
        long v;
        if (!decode_take_value(ctx, inner, BER_INTEGER, &path, "basicConstraints pathLenConstraint"))
            return false;
        if (!ber_read_small_int(&path, &v) || v < 0 || v > INT_MAX) {
            decode_error(ctx, SCEP_ERR_BAD_VALUE, inner, path.offset,
                         "basicConstraints pathLenConstraint");
            return false;
        }
        out->path_len = (int)v;
    }
    return decode_end(ctx, &seq, inner, "basicConstraints");
}

static bool decode_subject_key_id(decode_ctx *ctx, ber_cursor *c, scep_certificate *out)
{
    ber_elem id;
    if (!decode_take_value(ctx, c, BER_OCTET_STRING, &id, "subjectKeyIdentifier"))
        return false;
    out->subject_key_id = ber_span(&id, false);
    return true;
}

/* decode_extension reads one Extension SEQUENCE and interprets the three we know. */
static bool decode_extension(decode_ctx *ctx, ber_elem *ext, scep_certificate *out)
{
    ber_cursor *fields = &ext->contents;
    ber_elem oid, critical, value;
    if (!decode_take_value(ctx, fields, BER_OID, &oid, "extension extnID"))
        return false;
    if (decode_peek_is(fields, BER_BOOLEAN) &&
        !decode_take_value(ctx, fields, BER_BOOLEAN, &critical, "extension critical"))
        return false;
    if (!decode_take_value(ctx, fields, 0, &value, "extension extnValue"))
        return false;
    if (value.tag != BER_OCTET_STRING) {
        decode_error(ctx, SCEP_ERR_UNEXPECTED_TAG, fields, value.offset, "extension extnValue");
        return false;
    }
    /* The value's octets hold one element; each reader below takes it from |inner|, walked in
     * place, and the value must hold nothing after it. */
    scep_span id = ber_span(&oid, false);
    ber_cursor *inner = &value.contents;
    const char *name = NULL;
    bool ok = true;
    if (OID_IS(id, OID_EXT_KEY_USAGE))
        ok = decode_key_usage(ctx, inner, out), name = "keyUsage";
    else if (OID_IS(id, OID_EXT_BASIC_CONSTRAINTS))
        ok = decode_basic_constraints(ctx, inner, out), name = "basicConstraints";
    else if (OID_IS(id, OID_EXT_SUBJECT_KEY_ID))
        ok = decode_subject_key_id(ctx, inner, out), name = "subjectKeyIdentifier";
    if (!ok || (name && !decode_end(ctx, &value, inner, name)))
        return false;
    return decode_end(ctx, ext, fields, "extension");
}

/* decode_extensions reads the [3] EXPLICIT Extensions. */
static bool decode_extensions(decode_ctx *ctx, ber_elem *tagged, scep_certificate *out)
{
    ber_cursor *c = &tagged->contents;
    ber_elem list, ext;
    if (!decode_take(ctx, c, BER_SEQUENCE, &list, "extensions"))
        return false;
    ber_cursor *items = &list.contents;
    while (!ber_empty(items)) {
        if (!decode_take(ctx, items, BER_SEQUENCE, &ext, "extension") ||
            !decode_extension(ctx, &ext, out))
            return false;
    }
    return decode_end(ctx, &list, items, "extensions") &&
           decode_end(ctx, tagged, c, "extensions");
}

/* role_of applies scep_cert_role's rules to what the extensions said. */
static scep_cert_role role_of(const scep_certificate *cert)
{
    if (cert->is_ca || (cert->has_key_usage && (cert->key_usage & SCEP_KU_KEY_CERT_SIGN)))
        return SCEP_ROLE_CA;
    bool sign = cert->has_key_usage && (cert->key_usage & SCEP_KU_DIGITAL_SIGNATURE);
    bool encrypt = cert->has_key_usage && (cert->key_usage & SCEP_KU_KEY_ENCIPHERMENT);
    if (sign && encrypt)
        return SCEP_ROLE_RA;
    if (sign)
        return SCEP_ROLE_RA_SIGNING;
    if (encrypt)
        return SCEP_ROLE_RA_ENCRYPTION;
    return SCEP_ROLE_END_ENTITY;
}

static bool decode_validity(decode_ctx *ctx, ber_cursor *c, scep_certificate *out)
{
    ber_elem validity, time;
    if (!decode_take(ctx, c, BER_SEQUENCE, &validity, "validity"))
        return false;
    ber_cursor *inner = &validity.contents;
    int64_t *seconds[2] = {&out->not_before, &out->not_after};
    scep_span *texts[2] = {&out->not_before_text, &out->not_after_text};
    for (int i = 0; i < 2; i++) {
        const char *what = i == 0 ? "validity notBefore" : "validity notAfter";
        if (!decode_take_value(ctx, inner, 0, &time, what))
            return false;
        if (time.tag != BER_UTC_TIME && time.tag != BER_GENERALIZED_TIME) {
            decode_error(ctx, SCEP_ERR_UNEXPECTED_TAG, inner, time.offset, what);
            return false;
        }
        *texts[i] = ber_span(&time, false);
        /* An unreadable time is reported but does not hide the rest of the certificate. */
        if (!ber_parse_time(&time, seconds[i]))
            decode_error(ctx, SCEP_ERR_BAD_VALUE, inner, time.offset, what);
    }
    return decode_end(ctx, &validity, inner, "validity");
}

/* decode_version reads the [0] EXPLICIT version; a bad value is reported, not fatal: the
 * fields that follow are still worth showing. */
static bool decode_version(decode_ctx *ctx, ber_cursor *t, scep_certificate *out)
{
    ber_elem version, number;
    long v;
    if (!decode_take(ctx, t, BER_CONTEXT_CONS(0), &version, "version") ||
        !decode_take_value(ctx, &version.contents, BER_INTEGER, &number, "version") ||
        !decode_end(ctx, &version, &version.contents, "version"))
        return false;
    if (ber_read_small_int(&number, &v) && v >= 0 && v <= 2) {
        out->version = (int)v + 1;
    } else {
        out->version = 0;
        decode_error(ctx, SCEP_ERR_BAD_VALUE, t, number.offset, "version");
    }
    return true;
}

/* decode_tbs_tail reads what follows the subject: the key, the unique identifiers and the
 * extensions, and settles the role. */
static bool decode_tbs_tail(decode_ctx *ctx, ber_elem *tbs, scep_certificate *out)
{
    ber_cursor *t = &tbs->contents;
    ber_elem spki, unique, tagged;
    if (!decode_take(ctx, t, BER_SEQUENCE, &spki, "subjectPublicKeyInfo") ||
        !cert_decode_spki(ctx, &spki, &out->public_key_algorithm, &out->public_key_bits))
        return false;
    /* issuerUniqueID [1] and subjectUniqueID [2] (IMPLICIT BIT STRING, rare): skipped. */
    for (uint32_t n = 1; n <= 2; n++) {
        if ((decode_peek_is(t, BER_CONTEXT(n)) || decode_peek_is(t, BER_CONTEXT_CONS(n))) &&
            !decode_take_value(ctx, t, 0, &unique, "unique identifier"))
            return false;
    }
    /* A TBS cut right after the key may have lost its extensions: the role is then unknown. */
    bool extensions_done = !tbs->truncated, faulted = false;
    if (decode_peek_is(t, BER_CONTEXT_CONS(3))) {
        extensions_done = decode_take(ctx, t, BER_CONTEXT_CONS(3), &tagged, "extensions") &&
                          decode_extensions(ctx, &tagged, out);
        faulted = !extensions_done;
    }
    /* The role is known once the extensions have been read; a CA mark seen before a cut is
     * already decisive. */
    if (extensions_done || role_of(out) == SCEP_ROLE_CA)
        out->role = role_of(out);
    return !faulted && decode_end(ctx, tbs, t, "tbsCertificate") && extensions_done;
}

bool cert_decode(decode_ctx *ctx, ber_elem *e, scep_certificate *out)
{
    memset(out, 0, sizeof *out);
    out->span = ber_span(e, true);
    out->version = 1;
    out->path_len = -1;
    out->role = SCEP_ROLE_UNKNOWN;
    if (!is_sequence(ctx, e, "Certificate is not a SEQUENCE"))
        return false;
    ber_cursor *c = &e->contents; /* walked in place: a copy of a cursor just written stalls */
    ber_elem tbs, serial, alg, outer_alg, signature;
    if (!decode_take(ctx, c, BER_SEQUENCE, &tbs, "tbsCertificate"))
        return false;
    ber_cursor *t = &tbs.contents;
    if (decode_peek_is(t, BER_CONTEXT_CONS(0)) && !decode_version(ctx, t, out))
        return false;
    if (!decode_take_value(ctx, t, BER_INTEGER, &serial, "serialNumber"))
        return false;
    out->serial = ber_integer_magnitude(&serial);
    if (!decode_take(ctx, t, BER_SEQUENCE, &alg, "signature") ||
        !cert_decode_algorithm(ctx, &alg, &out->signature_algorithm) ||
        !take_name(ctx, t, &out->issuer, "issuer") || !decode_validity(ctx, t, out) ||
        !take_name(ctx, t, &out->subject, "subject"))
        return false;
    out->self_issued = out->issuer.length == out->subject.length &&
                       memcmp(out->issuer.data, out->subject.data, out->issuer.length) == 0;
    if (!decode_tbs_tail(ctx, &tbs, out))
        return false;

    scep_algorithm outer;
    if (!decode_take(ctx, c, BER_SEQUENCE, &outer_alg, "signatureAlgorithm") ||
        !cert_decode_algorithm(ctx, &outer_alg, &outer) ||
        !decode_take_value(ctx, c, BER_BIT_STRING, &signature, "signatureValue"))
        return false;
    return decode_end(ctx, e, c, "Certificate");
}
