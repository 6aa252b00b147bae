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

/* A walk through one structure: the first fault is recorded and ends the walk, so a cut
 * certificate yields one "truncated" error at the element where it stops, not one per level. */
typedef struct {
    scep_errors *errors;
    bool failed;
} walk;

static void walk_fault(walk *w, const ber_cursor *c, scep_error_code code, size_t offset,
                       const char *what)
{
    if (w->failed)
        return;
    scep_errors_add(w->errors, code, c->source, offset, what);
    w->failed = true;
}

/* take reads the next element of |c|, which must have |tag| (any tag when 0). A primitive
 * element cut by the input's end is a fault too: its value is unusable. */
BER_HOT bool take(walk *w, ber_cursor *c, uint32_t tag, ber_elem *e, const char *what)
{
    ber_fault fault;
    if (w->failed)
        return false;
    bool ok = tag ? ber_next_tagged(c, tag, e, &fault) : ber_next(c, e, &fault);
    if (!ok) {
        walk_fault(w, c, fault.code, fault.offset, what);
        return false;
    }
    if (e->truncated && !ber_constructed(e)) {
        walk_fault(w, c, SCEP_ERR_TRUNCATED, e->contents.offset + e->contents.len, what);
        return false;
    }
    return true;
}

/* peek: is the next element of |c| tagged |tag|? */
static inline bool peek(const ber_cursor *c, uint32_t tag)
{
    uint32_t found;
    return !ber_empty(c) && ber_peek_tag(c, &found) && found == tag;
}

/* finish checks that a complete constructed element held nothing more than was read. */
static inline bool finish(walk *w, const ber_elem *e, const ber_cursor *rest, const char *what)
{
    if (w->failed)
        return false;
    if (e->truncated) {
        /* The input ended inside |e| but after its last complete child: the cut is here. */
        walk_fault(w, rest, SCEP_ERR_TRUNCATED, rest->offset + rest->len, what);
        return false;
    }
    if (!ber_empty(rest)) {
        walk_fault(w, rest, SCEP_ERR_TRAILING_DATA, rest->offset, what);
        return false;
    }
    return true;
}

static bool decode_algorithm(walk *w, const ber_elem *e, scep_algorithm *out)
{
    memset(out, 0, sizeof *out);
    if (e->tag != BER_SEQUENCE) {
        walk_fault(w, &e->contents, SCEP_ERR_UNEXPECTED_TAG, e->offset,
                   "AlgorithmIdentifier is not a SEQUENCE");
        return false;
    }
    ber_cursor c = e->contents;
    ber_elem oid, params;
    if (!take(w, &c, BER_OID, &oid, "AlgorithmIdentifier algorithm"))
        return false;
    out->oid = ber_span(&oid, false);
    if (!ber_empty(&c)) {
        if (!take(w, &c, 0, &params, "AlgorithmIdentifier parameters"))
            return false;
        out->params = ber_span(&params, true);
    }
    return finish(w, e, &c, "AlgorithmIdentifier");
}

bool cert_decode_algorithm(const ber_elem *e, scep_algorithm *out, scep_errors *errors)
{
    walk w = {errors, false};
    return decode_algorithm(&w, e, out);
}

/* take_name reads a Name and keeps the whole element. A Name cut short is a fault here, but
 * its span still covers what is present so that what is there can be shown. */
static bool take_name(walk *w, ber_cursor *c, scep_span *out, const char *what)
{
    ber_elem name;
    if (!take(w, c, BER_SEQUENCE, &name, what))
        return false;
    *out = ber_span(&name, true);
    if (name.truncated) {
        walk_fault(w, c, SCEP_ERR_TRUNCATED, name.contents.offset + name.contents.len, what);
        return false;
    }
    return true;
}

bool cert_decode_issuer_serial(const ber_elem *e, scep_identifier *out, scep_errors *errors)
{
    walk w = {errors, false};
    memset(out, 0, sizeof *out);
    out->kind = SCEP_ID_ISSUER_SERIAL;
    if (e->tag != BER_SEQUENCE) {
        walk_fault(&w, &e->contents, SCEP_ERR_UNEXPECTED_TAG, e->offset,
                   "IssuerAndSerialNumber is not a SEQUENCE");
        return false;
    }
    ber_cursor c = e->contents;
    ber_elem serial;
    if (!take_name(&w, &c, &out->issuer, "IssuerAndSerialNumber issuer") ||
        !take(&w, &c, BER_INTEGER, &serial, "IssuerAndSerialNumber serialNumber"))
        return false;
    out->serial = ber_integer_magnitude(&serial);
    return finish(&w, e, &c, "IssuerAndSerialNumber");
}

/* rsa_modulus_bits: the size of the modulus in an RSAPublicKey, or 0 when unreadable. */
static unsigned rsa_modulus_bits(const uint8_t *der, size_t len, size_t offset, uint8_t source)
{
    ber_cursor c, inner;
    ber_elem key, modulus;
    ber_fault fault;
    ber_init(&c, der, len, offset, source);
    if (!ber_next_tagged(&c, BER_SEQUENCE, &key, &fault))
        return 0;
    inner = key.contents;
    if (!ber_next_tagged(&inner, BER_INTEGER, &modulus, &fault) || modulus.truncated)
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

/* decode_spki reads a SubjectPublicKeyInfo element: its algorithm and key size. */
static bool decode_spki(walk *w, const ber_elem *spki, scep_algorithm *alg, unsigned *bits)
{
    ber_elem alg_elem, key;
    ber_cursor inner = spki->contents;
    if (!take(w, &inner, BER_SEQUENCE, &alg_elem, "subjectPublicKeyInfo algorithm") ||
        !decode_algorithm(w, &alg_elem, alg) ||
        !take(w, &inner, BER_BIT_STRING, &key, "subjectPublicKey"))
        return false;
    if (OID_IS(alg->oid, OID_RSA_ENCRYPTION) && key.contents.len > 1 && key.contents.data[0] == 0)
        *bits = rsa_modulus_bits(key.contents.data + 1, key.contents.len - 1,
                                 key.contents.offset + 1, key.contents.source);
    else if (OID_IS(alg->oid, OID_EC_PUBLIC_KEY))
        *bits = ec_curve_bits(alg->params);
    return finish(w, spki, &inner, "subjectPublicKeyInfo");
}

bool cert_decode_spki(const ber_elem *spki, scep_algorithm *alg, unsigned *bits, scep_errors *errors)
{
    walk w = {errors, false};
    return decode_spki(&w, spki, alg, bits);
}

static bool decode_public_key(walk *w, ber_cursor *c, scep_certificate *out)
{
    ber_elem spki;
    if (!take(w, c, BER_SEQUENCE, &spki, "subjectPublicKeyInfo"))
        return false;
    return decode_spki(w, &spki, &out->public_key_algorithm, &out->public_key_bits);
}

/* decode_key_usage reads the KeyUsage BIT STRING: bit 0 (digitalSignature) is the most
 * significant bit of the first octet after the unused-bits count. */
static bool decode_key_usage(walk *w, const ber_elem *value, scep_certificate *out)
{
    ber_cursor c = value->contents;
    ber_elem bits;
    if (!take(w, &c, BER_BIT_STRING, &bits, "keyUsage"))
        return false;
    const uint8_t *p = bits.contents.data;
    size_t n = bits.contents.len;
    if (n == 0 || p[0] > 7 || (n == 1 && p[0] != 0)) {
        walk_fault(w, &c, SCEP_ERR_BAD_VALUE, bits.offset, "keyUsage unused-bits count");
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
    return finish(w, value, &c, "keyUsage");
}

static bool decode_basic_constraints(walk *w, const ber_elem *value, scep_certificate *out)
{
    ber_cursor c = value->contents;
    ber_elem seq, ca, path;
    if (!take(w, &c, BER_SEQUENCE, &seq, "basicConstraints"))
        return false;
    ber_cursor inner = seq.contents;
    out->has_basic_constraints = true;
    out->is_ca = false; /* cA BOOLEAN DEFAULT FALSE */
    if (peek(&inner, BER_BOOLEAN)) {
        if (!take(w, &inner, BER_BOOLEAN, &ca, "basicConstraints cA"))
            return false;
        if (ca.contents.len != 1) {
            walk_fault(w, &inner, SCEP_ERR_BAD_VALUE, ca.offset, "basicConstraints cA");
            return false;
        }
        out->is_ca = ca.contents.data[0] != 0; /* BER: any non-zero octet is TRUE */
    }
    if (peek(&inner, BER_INTEGER)) {
        long v;
        if (!take(w, &inner, BER_INTEGER, &path, "basicConstraints pathLenConstraint"))
            return false;
        if (!ber_read_small_int(&path, &v) || v < 0 || v > INT_MAX) {
            walk_fault(w, &inner, SCEP_ERR_BAD_VALUE, path.offset,
                       "basicConstraints pathLenConstraint");
            return false;
        }
        out->path_len = (int)v;
    }
    return finish(w, &seq, &inner, "basicConstraints") && finish(w, value, &c, "basicConstraints");
}

static bool decode_subject_key_id(walk *w, const ber_elem *value, scep_certificate *out)
{
    ber_cursor c = value->contents;
    ber_elem id;
    if (!take(w, &c, BER_OCTET_STRING, &id, "subjectKeyIdentifier"))
        return false;
    out->subject_key_id = ber_span(&id, false);
    return finish(w, value, &c, "subjectKeyIdentifier");
}

/* decode_extensions reads the [3] EXPLICIT Extensions and the three we interpret. */
static bool decode_extensions(walk *w, const ber_elem *tagged, scep_certificate *out)
{
    ber_cursor c = tagged->contents;
    ber_elem list;
    if (!take(w, &c, BER_SEQUENCE, &list, "extensions"))
        return false;
    ber_cursor items = list.contents;
    while (!ber_empty(&items)) {
        ber_elem ext, oid, critical, value;
        if (!take(w, &items, BER_SEQUENCE, &ext, "extension"))
            return false;
        ber_cursor fields = ext.contents;
        if (!take(w, &fields, BER_OID, &oid, "extension extnID"))
            return false;
        if (peek(&fields, BER_BOOLEAN) && !take(w, &fields, BER_BOOLEAN, &critical,
                                                "extension critical"))
            return false;
        if (!take(w, &fields, 0, &value, "extension extnValue"))
            return false;
        if (value.tag != BER_OCTET_STRING) {
            walk_fault(w, &fields, SCEP_ERR_UNEXPECTED_TAG, value.offset, "extension extnValue");
            return false;
        }
        scep_span id = ber_span(&oid, false);
        bool ok = true;
        if (OID_IS(id, OID_EXT_KEY_USAGE))
            ok = decode_key_usage(w, &value, out);
        else if (OID_IS(id, OID_EXT_BASIC_CONSTRAINTS))
            ok = decode_basic_constraints(w, &value, out);
        else if (OID_IS(id, OID_EXT_SUBJECT_KEY_ID))
            ok = decode_subject_key_id(w, &value, out);
        if (!ok || !finish(w, &ext, &fields, "extension"))
            return false;
    }
    return finish(w, &list, &items, "extensions") && finish(w, tagged, &c, "extensions");
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

static bool decode_validity(walk *w, ber_cursor *c, scep_certificate *out)
{
    ber_elem validity, times[2];
    if (!take(w, c, BER_SEQUENCE, &validity, "validity"))
        return false;
    ber_cursor inner = validity.contents;
    int64_t *seconds[2] = {&out->not_before, &out->not_after};
    scep_span *texts[2] = {&out->not_before_text, &out->not_after_text};
    for (int i = 0; i < 2; i++) {
        const char *what = i == 0 ? "validity notBefore" : "validity notAfter";
        if (!take(w, &inner, 0, &times[i], what))
            return false;
        if (times[i].tag != BER_UTC_TIME && times[i].tag != BER_GENERALIZED_TIME) {
            walk_fault(w, &inner, SCEP_ERR_UNEXPECTED_TAG, times[i].offset, what);
            return false;
        }
        *texts[i] = ber_span(&times[i], false);
        if (!ber_parse_time(&times[i], seconds[i])) {
            /* An unreadable time is reported but does not hide the rest of the certificate. */
            scep_errors_add(w->errors, SCEP_ERR_BAD_VALUE, inner.source, times[i].offset, what);
        }
    }
    return finish(w, &validity, &inner, "validity");
}

bool cert_decode(const ber_elem *e, scep_certificate *out, scep_errors *errors)
{
    walk w = {errors, false};
    memset(out, 0, sizeof *out);
    out->span = ber_span(e, true);
    out->version = 1;
    out->path_len = -1;
    out->role = SCEP_ROLE_UNKNOWN;
    if (e->tag != BER_SEQUENCE) {
        walk_fault(&w, &e->contents, SCEP_ERR_UNEXPECTED_TAG, e->offset,
                   "Certificate is not a SEQUENCE");
        return false;
    }
    ber_cursor c = e->contents;
    ber_elem tbs, version, serial, alg, tagged, outer_alg, signature;
    if (!take(&w, &c, BER_SEQUENCE, &tbs, "tbsCertificate"))
        return false;
    ber_cursor t = tbs.contents;

    if (peek(&t, BER_CONTEXT_CONS(0))) {
        ber_elem number;
        long v;
        if (!take(&w, &t, BER_CONTEXT_CONS(0), &version, "version"))
            return false;
        ber_cursor vc = version.contents;
        if (!take(&w, &vc, BER_INTEGER, &number, "version") ||
            !finish(&w, &version, &vc, "version"))
            return false;
        if (ber_read_small_int(&number, &v) && v >= 0 && v <= 2) {
            out->version = (int)v + 1;
        } else {
            /* Reported, not fatal: the fields that follow are still worth showing. */
            out->version = 0;
            scep_errors_add(errors, SCEP_ERR_BAD_VALUE, t.source, number.offset, "version");
        }
    }
    if (!take(&w, &t, BER_INTEGER, &serial, "serialNumber"))
        return false;
    out->serial = ber_integer_magnitude(&serial);
    if (!take(&w, &t, BER_SEQUENCE, &alg, "signature") ||
        !decode_algorithm(&w, &alg, &out->signature_algorithm) ||
        !take_name(&w, &t, &out->issuer, "issuer") || !decode_validity(&w, &t, out) ||
        !take_name(&w, &t, &out->subject, "subject"))
        return false;
    out->self_issued = out->issuer.length == out->subject.length &&
                       memcmp(out->issuer.data, out->subject.data, out->issuer.length) == 0;
    if (!decode_public_key(&w, &t, out))
        return false;

    /* issuerUniqueID [1] and subjectUniqueID [2] (IMPLICIT BIT STRING, rare): skipped. */
    for (uint32_t n = 1; n <= 2; n++) {
        ber_elem unique;
        if ((peek(&t, BER_CONTEXT(n)) || peek(&t, BER_CONTEXT_CONS(n))) &&
            !take(&w, &t, 0, &unique, "unique identifier"))
            return false;
    }
    /* A TBS cut right after the key may have lost its extensions: the role is then unknown. */
    bool extensions_done = !tbs.truncated;
    if (peek(&t, BER_CONTEXT_CONS(3))) {
        extensions_done = take(&w, &t, BER_CONTEXT_CONS(3), &tagged, "extensions") &&
                          decode_extensions(&w, &tagged, out);
    }
    /* The role is known once the extensions have been read; a CA mark seen before a cut is
     * already decisive. */
    if (extensions_done || role_of(out) == SCEP_ROLE_CA)
        out->role = role_of(out);
    if (!finish(&w, &tbs, &t, "tbsCertificate") || !extensions_done)
        return false;

    scep_algorithm outer;
    if (!take(&w, &c, BER_SEQUENCE, &outer_alg, "signatureAlgorithm") ||
        !decode_algorithm(&w, &outer_alg, &outer) ||
        !take(&w, &c, BER_BIT_STRING, &signature, "signatureValue"))
        return false;
    return finish(&w, e, &c, "Certificate");
}
