/* fuzz_targets.h — the fuzz targets of libscepdec and the invariants they check.
 *
 * Each fuzz_target_* function feeds one input to one public decoder (sometimes several times,
 * with different buffer sizes) and checks what the library promises of every result:
 *  - every span lies inside the buffer its |source| names (the input, or the caller's content
 *    buffer), and spans nested in a certificate lie inside the certificate;
 *  - error lists hold at most SCEP_MAX_ERRORS entries, each with a known code, a buffer that
 *    exists and an offset inside it;
 *  - counts stay within their capacities;
 *  - the returned status agrees with the errors and the truncated flag;
 *  - rendered JSON is well-formed, NUL-terminated, and cut like snprintf when the buffer is
 *    small;
 *  - decoding is deterministic and does not depend on the content buffer when no chunked
 *    content needs it.
 *
 * Used by the libFuzzer harnesses (fuzz_entry.c, one executable per target) and by the unit
 * test that replays the corpora without libFuzzer (tests/unit/test_regressions.c). A broken
 * invariant calls FUZZ_FAIL(text): abort() by default, so libFuzzer keeps the input; the unit
 * test defines FUZZ_FAIL to count and continue. Header-only on purpose: both builds compile it
 * against the public header, with no library internals. */
#ifndef SCEPDEC_FUZZ_TARGETS_H
#define SCEPDEC_FUZZ_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scepdec.h"

#ifndef FUZZ_FAIL
#define FUZZ_FAIL(what)                                                                  \
    (fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", (what), __FILE__, __LINE__), \
     abort())
#endif

#define INVARIANT(cond)              \
    do {                             \
        if (!(cond))                 \
            FUZZ_FAIL(#cond);        \
    } while (0)

/* fuzz_alloc: malloc of exactly |n| bytes (1 for 0), so that AddressSanitizer sees any byte
 * written or read past the size the caller announced. Aborts when out of memory. */
static inline void *fuzz_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

/* ---------------------------------------------------------------------------------------
 * Spans, errors, status
 * ------------------------------------------------------------------------------------- */

/* The buffers a result's spans may point into, indexed by scep_source. */
/* The walkers also fold every span and count they visit into |digest|, so that two results
 * can be compared without comparing struct padding. */
typedef struct {
    const uint8_t *base[2];
    size_t len[2];
    uint64_t digest;
} fuzz_bounds;

static inline fuzz_bounds fuzz_bounds_of(const uint8_t *input, size_t input_len,
                                         const uint8_t *content, size_t content_len)
{
    fuzz_bounds b = {{input, content}, {input_len, content ? content_len : 0}, 14695981039346656037u};
    return b;
}

static inline void fuzz_mix(fuzz_bounds *b, uint64_t v)
{
    b->digest = (b->digest ^ v) * 1099511628211u;
}

/* fuzz_span_ok: is |s| absent (no data, no length), or inside the buffer its source names? */
static inline bool fuzz_span_ok(fuzz_bounds *b, scep_span s)
{
    fuzz_mix(b, (uint64_t)(uintptr_t)s.data);
    fuzz_mix(b, s.offset);
    fuzz_mix(b, s.length);
    fuzz_mix(b, s.source);
    if (s.data == NULL)
        return s.length == 0;
    if (s.source > SCEP_SRC_CONTENT || b->base[s.source] == NULL)
        return false;
    size_t blen = b->len[s.source];
    if (s.offset > blen || s.length > blen - s.offset)
        return false;
    return s.data == b->base[s.source] + s.offset;
}

/* fuzz_span_within: is |inner| (when present) inside |outer| (when present)? */
static inline bool fuzz_span_within(scep_span inner, scep_span outer)
{
    if (inner.data == NULL || outer.data == NULL)
        return true;
    if (inner.source != outer.source || inner.offset < outer.offset)
        return false;
    size_t rel = inner.offset - outer.offset;
    return rel <= outer.length && inner.length <= outer.length - rel;
}

#define CHECK_SPAN(b, s)                                      \
    do {                                                      \
        if (!fuzz_span_ok((b), (s)))                          \
            FUZZ_FAIL("span outside its buffer: " #s);        \
    } while (0)

#define CHECK_SPAN_IN(b, s, outer)                            \
    do {                                                      \
        CHECK_SPAN(b, s);                                     \
        if (!fuzz_span_within((s), (outer)))                  \
            FUZZ_FAIL("span outside its element: " #s);       \
    } while (0)

static inline void fuzz_check_errors(fuzz_bounds *b, const scep_errors *e)
{
    INVARIANT(e->count <= SCEP_MAX_ERRORS);
    INVARIANT(e->dropped == 0 || e->count == SCEP_MAX_ERRORS);
    fuzz_mix(b, e->count);
    fuzz_mix(b, e->dropped);
    for (size_t i = 0; i < e->count && i < SCEP_MAX_ERRORS; i++) {
        const scep_error *err = &e->items[i];
        fuzz_mix(b, err->code);
        fuzz_mix(b, err->source);
        fuzz_mix(b, err->offset);
        fuzz_mix(b, (uint64_t)(uintptr_t)err->message);
        INVARIANT(err->code > SCEP_ERR_NONE && err->code <= SCEP_ERR_UNSUPPORTED);
        INVARIANT(strcmp(scep_error_code_name(err->code), "unknown") != 0);
        INVARIANT(err->source <= SCEP_SRC_CONTENT);
        if (err->source > SCEP_SRC_CONTENT)
            continue;
        INVARIANT(b->base[err->source] != NULL);
        INVARIANT(err->offset <= b->len[err->source]);
        INVARIANT(err->message != NULL && err->message[0] != '\0');
    }
}

static inline bool fuzz_has_error(const scep_errors *e, scep_error_code code)
{
    for (size_t i = 0; i < e->count && i < SCEP_MAX_ERRORS; i++)
        if (e->items[i].code == code)
            return true;
    return false;
}

/* fuzz_check_status: OK means no error and no truncation; PARTIAL means some; a truncated
 * result says where with a "truncated" error (unless the list was full). */
static inline void fuzz_check_status(scep_status st, const scep_errors *e, bool truncated)
{
    INVARIANT(st == SCEP_DECODE_OK || st == SCEP_DECODE_PARTIAL || st == SCEP_DECODE_NONE);
    if (st == SCEP_DECODE_OK)
        INVARIANT(e->count == 0 && !truncated);
    if (st == SCEP_DECODE_PARTIAL)
        INVARIANT(e->count > 0 || truncated);
    if (truncated)
        INVARIANT(fuzz_has_error(e, SCEP_ERR_TRUNCATED) || e->dropped > 0);
}

/* ---------------------------------------------------------------------------------------
 * Result walkers
 * ------------------------------------------------------------------------------------- */

static inline void fuzz_check_algorithm(fuzz_bounds *b, const scep_algorithm *a)
{
    CHECK_SPAN(b, a->oid);
    CHECK_SPAN(b, a->params);
}

static inline void fuzz_check_identifier(fuzz_bounds *b, const scep_identifier *id)
{
    INVARIANT(id->kind <= SCEP_ID_SKI);
    CHECK_SPAN(b, id->issuer);
    CHECK_SPAN(b, id->serial);
    CHECK_SPAN(b, id->ski);
}

static inline void fuzz_check_certificate(fuzz_bounds *b, const scep_certificate *c)
{
    scep_span all = c->span;
    CHECK_SPAN(b, all);
    CHECK_SPAN_IN(b, c->serial, all);
    CHECK_SPAN_IN(b, c->signature_algorithm.oid, all);
    CHECK_SPAN_IN(b, c->signature_algorithm.params, all);
    CHECK_SPAN_IN(b, c->issuer, all);
    CHECK_SPAN_IN(b, c->subject, all);
    CHECK_SPAN_IN(b, c->not_before_text, all);
    CHECK_SPAN_IN(b, c->not_after_text, all);
    CHECK_SPAN_IN(b, c->public_key_algorithm.oid, all);
    CHECK_SPAN_IN(b, c->public_key_algorithm.params, all);
    CHECK_SPAN_IN(b, c->subject_key_id, all);
    fuzz_mix(b, (uint64_t)c->version << 32 | c->key_usage << 8 | c->role);
    fuzz_mix(b, (uint64_t)c->not_before ^ (uint64_t)c->not_after << 1 ^ c->public_key_bits);
    INVARIANT(c->version >= 0 && c->version <= 3);
    INVARIANT(c->role <= SCEP_ROLE_END_ENTITY);
    INVARIANT(scep_cert_role_name(c->role) != NULL);
    INVARIANT(c->key_usage < (1u << 9));
    INVARIANT(c->path_len >= -1);
    INVARIANT(!c->is_ca || c->has_basic_constraints);
}

static inline void fuzz_check_number(fuzz_bounds *b, const scep_number_attr *n)
{
    CHECK_SPAN(b, n->text);
    fuzz_mix(b, (uint64_t)n->value << 2 | (uint64_t)n->present << 1 | n->numeric);
    if (!n->present)
        INVARIANT(!n->numeric && !scep_span_present(n->text));
    if (n->numeric)
        INVARIANT(n->value >= 0 && n->value <= 999999999L);
}

static inline void fuzz_check_signer(fuzz_bounds *b, const scep_signer *s)
{
    fuzz_check_identifier(b, &s->sid);
    fuzz_check_algorithm(b, &s->digest_algorithm);
    fuzz_check_algorithm(b, &s->signature_algorithm);
    CHECK_SPAN(b, s->signed_attrs);
    fuzz_mix(b, (uint64_t)s->version << 32 | s->attribute_count);
    fuzz_mix(b, (uint64_t)s->signing_time);
    INVARIANT(s->attribute_count <= SCEP_MAX_ATTRIBUTES);
    for (size_t i = 0; i < s->attribute_count && i < SCEP_MAX_ATTRIBUTES; i++) {
        CHECK_SPAN_IN(b, s->attributes[i].oid, s->signed_attrs);
        CHECK_SPAN_IN(b, s->attributes[i].value, s->signed_attrs);
    }
    CHECK_SPAN(b, s->signature);
    fuzz_check_number(b, &s->message_type);
    fuzz_check_number(b, &s->pki_status);
    fuzz_check_number(b, &s->fail_info);
    CHECK_SPAN(b, s->fail_info_text);
    CHECK_SPAN(b, s->transaction_id);
    CHECK_SPAN(b, s->sender_nonce);
    CHECK_SPAN(b, s->recipient_nonce);
    CHECK_SPAN(b, s->content_type);
    CHECK_SPAN(b, s->message_digest);
    CHECK_SPAN(b, s->signing_time_text);
}

static inline void fuzz_check_signed_data(fuzz_bounds *b, const scep_signed_data *sd)
{
    CHECK_SPAN(b, sd->span);
    CHECK_SPAN(b, sd->content_type);
    fuzz_mix(b, (uint64_t)sd->version << 48 ^ sd->certificate_count << 32 ^ sd->crl_count << 16 ^
                    sd->signer_count ^ sd->digest_algorithm_count << 24);
    fuzz_mix(b, sd->encap_content_chunks << 1 | sd->indefinite_lengths);
    INVARIANT(sd->digest_algorithm_count <= SCEP_MAX_DIGEST_ALGORITHMS);
    for (size_t i = 0; i < sd->digest_algorithm_count && i < SCEP_MAX_DIGEST_ALGORITHMS; i++)
        fuzz_check_algorithm(b, &sd->digest_algorithms[i]);
    CHECK_SPAN(b, sd->encap_content_type);
    CHECK_SPAN(b, sd->encap_content);
    INVARIANT(sd->encap_content_chunks <= SCEP_MAX_CHUNKS);
    INVARIANT(sd->certificate_count <= SCEP_MAX_CERTIFICATES);
    for (size_t i = 0; i < sd->certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
        fuzz_check_certificate(b, &sd->certificates[i]);
    INVARIANT(sd->crl_count <= SCEP_MAX_CRLS);
    for (size_t i = 0; i < sd->crl_count && i < SCEP_MAX_CRLS; i++)
        CHECK_SPAN(b, sd->crls[i]);
    fuzz_check_signer(b, &sd->signer);
}

static inline void fuzz_check_envelope(fuzz_bounds *b, const scep_envelope *env)
{
    CHECK_SPAN(b, env->span);
    fuzz_mix(b, (uint64_t)env->version << 32 | env->recipient_count);
    fuzz_mix(b, env->encrypted_length);
    INVARIANT(env->recipient_count <= SCEP_MAX_RECIPIENTS);
    for (size_t i = 0; i < env->recipient_count && i < SCEP_MAX_RECIPIENTS; i++) {
        const scep_recipient *r = &env->recipients[i];
        INVARIANT(r->kind <= SCEP_RECIP_OTHER);
        fuzz_check_identifier(b, &r->rid);
        fuzz_check_algorithm(b, &r->key_encryption_algorithm);
        CHECK_SPAN(b, r->encrypted_key);
    }
    CHECK_SPAN(b, env->content_type);
    fuzz_check_algorithm(b, &env->content_encryption_algorithm);
    CHECK_SPAN(b, env->iv);
    CHECK_SPAN(b, env->encrypted_content);
    /* Ciphertext octets are counted from the chunks present, without their headers. */
    INVARIANT(env->encrypted_length <= env->encrypted_content.length);
}

/* fuzz_check_pki_result: spans, counts and errors of a decoded pkiMessage. */
static inline void fuzz_check_pki_result(fuzz_bounds *b, const scep_pki_message *m)
{
    fuzz_check_signed_data(b, &m->signed_data);
    fuzz_mix(b, (uint64_t)m->has_envelope << 1 | m->truncated);
    if (m->has_envelope)
        fuzz_check_envelope(b, &m->envelope);
    fuzz_check_errors(b, &m->errors);
}

static inline void fuzz_check_pki_message(fuzz_bounds *b, const scep_pki_message *m,
                                          scep_status st)
{
    fuzz_check_pki_result(b, m);
    fuzz_mix(b, st);
    fuzz_check_status(st, &m->errors, m->truncated);
}

/* fuzz_check_bundle_result: spans, counts and errors of a decoded certificate bundle. */
static inline void fuzz_check_bundle_result(fuzz_bounds *b, const scep_cert_bundle *bundle)
{
    INVARIANT(bundle->kind <= SCEP_BUNDLE_SIGNED);
    fuzz_mix(b, (uint64_t)bundle->kind << 32 | bundle->certificate_count << 8 |
                    bundle->crl_count << 1 | bundle->truncated);
    INVARIANT(bundle->certificate_count <= SCEP_MAX_CERTIFICATES);
    for (size_t i = 0; i < bundle->certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
        fuzz_check_certificate(b, &bundle->certificates[i]);
    INVARIANT(bundle->crl_count <= SCEP_MAX_CRLS);
    for (size_t i = 0; i < bundle->crl_count && i < SCEP_MAX_CRLS; i++)
        CHECK_SPAN(b, bundle->crls[i]);
    fuzz_check_signed_data(b, &bundle->outer);
    fuzz_check_errors(b, &bundle->errors);
}

static inline void fuzz_check_bundle(fuzz_bounds *b, const scep_cert_bundle *bundle,
                                     scep_status st)
{
    fuzz_check_bundle_result(b, bundle);
    fuzz_mix(b, st);
    fuzz_check_status(st, &bundle->errors, bundle->truncated);
    if (st == SCEP_DECODE_NONE)
        INVARIANT(bundle->certificate_count == 0 || bundle->kind != SCEP_BUNDLE_NONE);
}

static inline bool fuzz_is_blank(uint8_t ch) { return ch == ' ' || ch == '\t'; }

static inline void fuzz_check_caps(const uint8_t *text, size_t len, const scep_caps *caps,
                                   scep_status st)
{
    fuzz_bounds b = fuzz_bounds_of(text, len, NULL, 0);
    INVARIANT(caps->count <= SCEP_MAX_CAPABILITIES);
    for (size_t i = 0; i < caps->count && i < SCEP_MAX_CAPABILITIES; i++) {
        scep_span s = caps->items[i].text;
        CHECK_SPAN(&b, s);
        INVARIANT(s.data != NULL && s.length > 0);
        if (!s.data || s.length == 0)
            continue;
        INVARIANT(!fuzz_is_blank(s.data[0]) && !fuzz_is_blank(s.data[s.length - 1]));
        for (size_t k = 0; k < s.length; k++)
            INVARIANT(s.data[k] >= 0x20 && s.data[k] < 0x7F);
        INVARIANT(caps->items[i].id <= SCEP_CAP_UPDATE);
        if (caps->items[i].id != SCEP_CAP_UNKNOWN)
            INVARIANT(scep_capability_name(caps->items[i].id) != NULL);
    }
    fuzz_check_errors(&b, &caps->errors);
    INVARIANT(st == SCEP_DECODE_OK || st == SCEP_DECODE_PARTIAL || st == SCEP_DECODE_NONE);
    if (st == SCEP_DECODE_OK)
        INVARIANT(caps->count > 0 && caps->errors.count == 0);
    if (st == SCEP_DECODE_NONE)
        INVARIANT(caps->count == 0 && caps->errors.count == 0);
    if (st == SCEP_DECODE_PARTIAL)
        INVARIANT(caps->errors.count > 0);
    /* Reference count: lines are separated by CR or LF (blank ones skipped, so CRLF's empty
     * middle does not matter); without errors, every non-blank line is a capability. */
    size_t lines = 0;
    bool nonblank = false;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '\r' || text[i] == '\n') {
            lines += nonblank;
            nonblank = false;
        } else if (!fuzz_is_blank(text[i])) {
            nonblank = true;
        }
    }
    INVARIANT(caps->count <= lines);
    if (caps->errors.count == 0)
        INVARIANT(caps->count == lines);
}

static inline void fuzz_check_query(const uint8_t *target, size_t len, const scep_query *q,
                                    scep_status st, size_t msg_cap)
{
    fuzz_bounds b = fuzz_bounds_of(target, len, NULL, 0);
    CHECK_SPAN(&b, q->path);
    CHECK_SPAN(&b, q->query);
    CHECK_SPAN_IN(&b, q->operation_text, q->query);
    CHECK_SPAN_IN(&b, q->message_text, q->query);
    INVARIANT(q->operation <= SCEP_OP_NDES_GET_CA_CERT_THUMBPRINT);
    INVARIANT((scep_span_present(q->operation_text) || q->operation_inferred) ==
              (q->operation != SCEP_OP_NONE));
    if (q->operation_inferred)
        INVARIANT(q->operation == SCEP_OP_PKI_OPERATION && scep_span_present(q->message_text));
    INVARIANT(q->message_len <= msg_cap);
    INVARIANT((q->message_forms & ~0x7Fu) == 0);
    if (q->operation != SCEP_OP_PKI_OPERATION)
        INVARIANT(q->message_forms == 0);
    if (!scep_span_present(q->message_text))
        INVARIANT(q->message_len == 0);
    fuzz_check_errors(&b, &q->errors);
    INVARIANT(st == SCEP_DECODE_OK || st == SCEP_DECODE_PARTIAL || st == SCEP_DECODE_NONE);
    INVARIANT((st == SCEP_DECODE_NONE) == (q->operation == SCEP_OP_NONE));
    if (st == SCEP_DECODE_OK)
        INVARIANT(q->errors.count == 0 && !q->truncated);
    if (st == SCEP_DECODE_PARTIAL)
        INVARIANT(q->errors.count > 0 || q->truncated);
}

/* ---------------------------------------------------------------------------------------
 * JSON: a small RFC 8259 validator and the snprintf-like contract of scep_json_*
 * ------------------------------------------------------------------------------------- */

typedef struct {
    const char *p, *end;
    int depth;
} fuzz_json;

static inline void fj_ws(fuzz_json *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static inline bool fj_literal(fuzz_json *j, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
        return false;
    j->p += n;
    return true;
}

static inline bool fj_digits(fuzz_json *j)
{
    const char *start = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
    return j->p > start;
}

static inline bool fj_number(fuzz_json *j)
{
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (j->p < j->end && *j->p == '0')
        j->p++;
    else if (!fj_digits(j))
        return false;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (!fj_digits(j))
            return false;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (!fj_digits(j))
            return false;
    }
    return true;
}

/* fuzz_utf8_length: length of the well-formed UTF-8 sequence at |s| (RFC 3629), 0 if none. */
static inline size_t fuzz_utf8_length(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

static inline bool fuzz_utf8_valid(const char *s, size_t n)
{
    const uint8_t *u = (const uint8_t *)s;
    for (size_t i = 0; i < n;) {
        size_t k = fuzz_utf8_length(u + i, n - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

static inline bool fj_string(fuzz_json *j, const char **start, size_t *len)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    j->p++;
    *start = j->p;
    while (j->p < j->end && *j->p != '"') {
        uint8_t c = (uint8_t)*j->p;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end)
                return false;
            char e = *j->p++;
            if (e == 'u') {
                for (int i = 0; i < 4; i++, j->p++) {
                    if (j->p >= j->end)
                        return false;
                    char h = *j->p;
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return false;
                }
            } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                return false;
            }
            continue;
        }
        size_t k = fuzz_utf8_length((const uint8_t *)j->p, (size_t)(j->end - j->p));
        if (k == 0)
            return false;
        j->p += k;
    }
    if (j->p >= j->end)
        return false;
    *len = (size_t)(j->p - *start);
    j->p++;
    return true;
}

static inline bool fj_value(fuzz_json *j);

static inline bool fj_object(fuzz_json *j)
{
    /* Keys must be unique within an object: remember the first 64. */
    const char *keys[64];
    size_t key_lens[64], nkeys = 0;
    j->p++;
    fj_ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
        return true;
    }
    for (;;) {
        const char *key;
        size_t key_len;
        fj_ws(j);
        if (!fj_string(j, &key, &key_len))
            return false;
        for (size_t i = 0; i < nkeys; i++)
            if (key_lens[i] == key_len && memcmp(keys[i], key, key_len) == 0)
                return false; /* duplicate key */
        if (nkeys < 64) {
            keys[nkeys] = key;
            key_lens[nkeys++] = key_len;
        }
        fj_ws(j);
        if (j->p >= j->end || *j->p != ':')
            return false;
        j->p++;
        if (!fj_value(j))
            return false;
        fj_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            return true;
        }
        return false;
    }
}

static inline bool fj_array(fuzz_json *j)
{
    j->p++;
    fj_ws(j);
    if (j->p < j->end && *j->p == ']') {
        j->p++;
        return true;
    }
    for (;;) {
        if (!fj_value(j))
            return false;
        fj_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            return true;
        }
        return false;
    }
}

static inline bool fj_value(fuzz_json *j)
{
    fj_ws(j);
    if (j->p >= j->end || j->depth > 32)
        return false;
    bool ok;
    const char *s;
    size_t n;
    switch (*j->p) {
    case '{':
        j->depth++;
        ok = fj_object(j);
        j->depth--;
        return ok;
    case '[':
        j->depth++;
        ok = fj_array(j);
        j->depth--;
        return ok;
    case '"':
        return fj_string(j, &s, &n);
    case 't':
        return fj_literal(j, "true");
    case 'f':
        return fj_literal(j, "false");
    case 'n':
        return fj_literal(j, "null");
    default:
        return fj_number(j);
    }
}

/* fuzz_json_valid: is |text|/|len| exactly one JSON object? */
static inline bool fuzz_json_valid(const char *text, size_t len)
{
    fuzz_json j = {text, text + len, 0};
    fj_ws(&j);
    if (j.p >= j.end || *j.p != '{' || !fj_value(&j))
        return false;
    fj_ws(&j);
    return j.p == j.end;
}

/* A renderer under test: writes the JSON of |ctx| into |out|/|cap| and returns the length the
 * whole object needs. */
typedef size_t (*fuzz_render_fn)(const void *ctx, char *out, size_t cap);

/* fuzz_check_json renders into no buffer, a zero-capacity buffer, a buffer of exactly the
 * size needed, and a small one of |small_cap| bytes: each call must report the same length,
 * never write past its capacity, and the cut output must be a NUL-terminated prefix. */
static inline void fuzz_check_json(fuzz_render_fn render, const void *ctx, size_t small_cap)
{
    size_t need = render(ctx, NULL, 0);
    INVARIANT(need >= 2);
    char canary = 'x';
    INVARIANT(render(ctx, &canary, 0) == need);
    INVARIANT(canary == 'x');
    char *big = fuzz_alloc(need + 1);
    INVARIANT(render(ctx, big, need + 1) == need);
    INVARIANT(strlen(big) == need);
    if (!fuzz_json_valid(big, need)) {
        fprintf(stderr, "invalid JSON: %.*s\n", (int)(need < 4000 ? need : 4000), big);
        FUZZ_FAIL("rendered JSON is not one well-formed object with unique keys");
    }
    if (small_cap == 0)
        small_cap = 1;
    if (small_cap > need)
        small_cap = need;
    char *small = fuzz_alloc(small_cap);
    INVARIANT(render(ctx, small, small_cap) == need);
    INVARIANT(strlen(small) == small_cap - 1);
    INVARIANT(memcmp(small, big, small_cap - 1) == 0);
    free(small);
    free(big);
}

typedef struct {
    const scep_pki_message *msg;
    scep_operation operation;
} fuzz_json_pki_ctx;

static inline size_t fuzz_render_pki(const void *ctx, char *out, size_t cap)
{
    const fuzz_json_pki_ctx *c = ctx;
    return scep_json_pki_message(c->msg, c->operation, out, cap);
}

typedef struct {
    const scep_cert_bundle *bundle;
    scep_operation operation;
} fuzz_json_bundle_ctx;

static inline size_t fuzz_render_bundle(const void *ctx, char *out, size_t cap)
{
    const fuzz_json_bundle_ctx *c = ctx;
    return scep_json_cert_bundle(c->bundle, c->operation, out, cap);
}

static inline size_t fuzz_render_caps(const void *ctx, char *out, size_t cap)
{
    return scep_json_caps(ctx, out, cap);
}

typedef struct {
    const scep_query *query;
    const uint8_t *message;
    const scep_pki_message *msg;
} fuzz_json_query_ctx;

static inline size_t fuzz_render_query(const void *ctx, char *out, size_t cap)
{
    const fuzz_json_query_ctx *c = ctx;
    return scep_json_query(c->query, c->message, c->msg, out, cap);
}

/* ---------------------------------------------------------------------------------------
 * The targets
 * ------------------------------------------------------------------------------------- */

/* Request targets: with a buffer that always suffices (no capacity error may appear), a small
 * one and none; the parse of the target itself must not depend on the buffer. */
static inline int fuzz_target_query(const uint8_t *data, size_t len)
{
    const char *target = (const char *)data;
    scep_query *q = fuzz_alloc(sizeof *q), *q2 = fuzz_alloc(sizeof *q2);
    uint8_t *buf = fuzz_alloc(len);
    scep_status st = scep_decode_query(target, len, buf, len, q);
    fuzz_check_query(data, len, q, st, len);
    INVARIANT(!fuzz_has_error(&q->errors, SCEP_ERR_CAPACITY));

    size_t small = len / 8;
    uint8_t *small_buf = fuzz_alloc(small);
    scep_status st2 = scep_decode_query(target, len, small_buf, small, q2);
    fuzz_check_query(data, len, q2, st2, small);
    INVARIANT(q2->operation == q->operation);
    INVARIANT(q2->message_text.data == q->message_text.data);
    INVARIANT(q2->message_len <= q->message_len);
    INVARIANT(memcmp(small_buf, buf, q2->message_len) == 0);

    st2 = scep_decode_query(target, len, NULL, 0, q2);
    fuzz_check_query(data, len, q2, st2, 0);
    INVARIANT(q2->message_len == 0);
    INVARIANT(q2->operation == q->operation);
    free(small_buf);
    free(buf);
    free(q2);
    free(q);
    return 0;
}

/* fuzz_b64_encode writes standard, padded base64 of |in| into |out| (4 * ceil(n / 3) bytes). */
static inline size_t fuzz_b64_encode(const uint8_t *in, size_t n, char *out)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? alphabet[v & 63] : '=';
    }
    return o;
}

/* Base64 text: the documented sufficient capacity never runs out, a smaller one yields a
 * prefix, and what was decoded survives a round trip through a strict encoder. */
static inline int fuzz_target_base64(const uint8_t *data, size_t len)
{
    const char *text = (const char *)data;
    size_t cap = len * 3 / 4 + 3, n = 0;
    uint8_t *out = fuzz_alloc(cap);
    unsigned forms = 0;
    scep_error err;
    scep_status st = scep_base64_decode(text, len, out, cap, &n, &forms, &err);
    INVARIANT(st == SCEP_DECODE_OK || st == SCEP_DECODE_PARTIAL || st == SCEP_DECODE_NONE);
    INVARIANT(n <= cap);
    INVARIANT((st == SCEP_DECODE_NONE) == (n == 0));
    INVARIANT((forms & ~0x7Fu) == 0);
    INVARIANT(err.code != SCEP_ERR_CAPACITY);
    INVARIANT(err.code == SCEP_ERR_NONE || err.code == SCEP_ERR_BAD_BASE64);
    if (err.code != SCEP_ERR_NONE)
        INVARIANT(err.offset < len && err.message != NULL);
    if (st == SCEP_DECODE_OK)
        INVARIANT(err.code == SCEP_ERR_NONE && !(forms & SCEP_B64_TRUNCATED));
    /* 4 characters at most make 3 bytes */
    INVARIANT(n <= (len / 4) * 3 + 2);

    /* A smaller buffer: the same bytes, cut. */
    size_t small_cap = n / 2, small_n = 0;
    uint8_t *small = fuzz_alloc(small_cap);
    scep_error small_err;
    scep_status small_st = scep_base64_decode(text, len, small, small_cap, &small_n, NULL, &small_err);
    INVARIANT(small_n <= small_cap);
    INVARIANT(memcmp(small, out, small_n) == 0);
    if (small_cap < n)
        INVARIANT(small_st != SCEP_DECODE_OK);

    /* Round trip: our strict encoding of the output decodes to the same bytes, cleanly. */
    char *again = fuzz_alloc((n + 2) / 3 * 4);
    size_t again_len = fuzz_b64_encode(out, n, again);
    uint8_t *back = fuzz_alloc(again_len * 3 / 4 + 3);
    size_t back_n = 0;
    unsigned back_forms = 0;
    scep_status back_st = scep_base64_decode(again, again_len, back, again_len * 3 / 4 + 3,
                                             &back_n, &back_forms, NULL);
    INVARIANT(back_n == n && memcmp(back, out, n) == 0);
    INVARIANT(n == 0 || back_st == SCEP_DECODE_OK);
    INVARIANT((back_forms & ~(unsigned)SCEP_B64_RAW_PLUS_SLASH) == 0);
    free(back);
    free(again);
    free(small);
    free(out);
    return 0;
}

/* pkiMessages: with a content buffer that always suffices, a half-size one and none. Without
 * chunked content the buffer must not matter; decoding twice gives the same result. */
static inline int fuzz_target_pki_message(const uint8_t *data, size_t len)
{
    scep_pki_message *m = fuzz_alloc(sizeof *m), *m2 = fuzz_alloc(sizeof *m2);
    uint8_t *content = fuzz_alloc(len);
    fuzz_bounds b = fuzz_bounds_of(data, len, content, len);
    scep_status st = scep_decode_pki_message(data, len, content, len, m);
    fuzz_check_pki_message(&b, m, st);
    INVARIANT(m->signed_data.encap_content.length <= len);

    fuzz_bounds b2 = fuzz_bounds_of(data, len, content, len);
    scep_status st2 = scep_decode_pki_message(data, len, content, len, m2);
    fuzz_check_pki_message(&b2, m2, st2);
    INVARIANT(st2 == st && b2.digest == b.digest);

    fuzz_bounds none = fuzz_bounds_of(data, len, NULL, 0);
    st2 = scep_decode_pki_message(data, len, NULL, 0, m2);
    fuzz_check_pki_message(&none, m2, st2);
    if (m->signed_data.encap_content.source == SCEP_SRC_INPUT)
        INVARIANT(st2 == st && none.digest == b.digest);

    size_t half = len / 2;
    uint8_t *half_buf = fuzz_alloc(half);
    fuzz_bounds hb = fuzz_bounds_of(data, len, half_buf, half);
    st2 = scep_decode_pki_message(data, len, half_buf, half, m2);
    fuzz_check_pki_message(&hb, m2, st2);
    free(half_buf);
    free(content);
    free(m2);
    free(m);
    return 0;
}

static inline int fuzz_target_envelope(const uint8_t *data, size_t len)
{
    scep_pki_envelope *alone = fuzz_alloc(sizeof *alone);
    fuzz_bounds b = fuzz_bounds_of(data, len, NULL, 0);
    scep_status st = scep_decode_pki_envelope(data, len, alone);
    fuzz_check_envelope(&b, &alone->envelope);
    fuzz_check_errors(&b, &alone->errors);
    fuzz_check_status(st, &alone->errors, alone->truncated);
    /* The out-parameter form, with and without its truncated flag. */
    scep_envelope *env = fuzz_alloc(sizeof *env);
    scep_errors errors;
    bool truncated = true;
    st = scep_decode_envelope(data, len, env, &errors, &truncated);
    fuzz_check_envelope(&b, env);
    fuzz_check_errors(&b, &errors);
    fuzz_check_status(st, &errors, truncated);
    st = scep_decode_envelope(data, len, env, &errors, NULL);
    fuzz_check_envelope(&b, env);
    fuzz_check_errors(&b, &errors);
    free(env);
    free(alone);
    return 0;
}

static inline int fuzz_target_cert_bundle(const uint8_t *data, size_t len)
{
    scep_cert_bundle *bundle = fuzz_alloc(sizeof *bundle), *again = fuzz_alloc(sizeof *again);
    uint8_t *content = fuzz_alloc(len);
    fuzz_bounds b = fuzz_bounds_of(data, len, content, len);
    scep_status st = scep_decode_cert_bundle(data, len, content, len, bundle);
    fuzz_check_bundle(&b, bundle, st);

    fuzz_bounds b2 = fuzz_bounds_of(data, len, content, len);
    scep_status st2 = scep_decode_cert_bundle(data, len, content, len, again);
    fuzz_check_bundle(&b2, again, st2);
    INVARIANT(st2 == st && b2.digest == b.digest);

    fuzz_bounds none = fuzz_bounds_of(data, len, NULL, 0);
    st2 = scep_decode_cert_bundle(data, len, NULL, 0, again);
    fuzz_check_bundle(&none, again, st2);
    if (bundle->outer.encap_content.source == SCEP_SRC_INPUT)
        INVARIANT(st2 == st && none.digest == b.digest);
    free(content);
    free(again);
    free(bundle);
    return 0;
}

static inline int fuzz_target_caps(const uint8_t *data, size_t len)
{
    scep_caps *caps = fuzz_alloc(sizeof *caps);
    scep_status st = scep_decode_caps((const char *)data, len, caps);
    fuzz_check_caps(data, len, caps, st);
    free(caps);
    return 0;
}

/* fuzz_strnlen: strlen that stops at |cap| (strnlen is POSIX, not C11). */
static inline size_t fuzz_strnlen(const char *s, size_t cap)
{
    size_t n = 0;
    while (n < cap && s[n] != '\0')
        n++;
    return n;
}

/* fuzz_name_once: the formatter's output contract for one capacity (scepdec.h's text rule):
 * the return is the whole length or SCEP_FORMAT_INVALID; what is stored is NUL-terminated,
 * valid UTF-8, and all of the text when the return is below |cap|. */
static inline size_t fuzz_name_once(const uint8_t *data, size_t len, char *out, size_t cap)
{
    memset(out, 'Z', cap);
    size_t n = scep_name_format(data, len, out, cap);
    size_t stored = fuzz_strnlen(out, cap);
    INVARIANT(stored < cap);
    INVARIANT(n == SCEP_FORMAT_INVALID ? stored == 0 : n < cap ? stored == n : stored < cap);
    INVARIANT(fuzz_utf8_valid(out, stored));
    return n;
}

/* Names: the text is valid UTF-8 within its capacity; a smaller capacity cuts the same text
 * and marks the cut with (up to three) dots; every capacity, and none, agrees on the length. */
static inline int fuzz_target_name(const uint8_t *data, size_t len)
{
    enum { BIG = 16384 };
    char *big = fuzz_alloc(BIG);
    size_t n = fuzz_name_once(data, len, big, BIG);
    size_t small_cap = 1 + len % 96;
    char *small = fuzz_alloc(small_cap);
    size_t k_len = fuzz_name_once(data, len, small, small_cap);
    INVARIANT(k_len == n);
    size_t k = strlen(small);
    if (n < BIG) { /* the big text is whole */
        if (n < small_cap) {
            INVARIANT(k == n && memcmp(small, big, n) == 0);
        } else if (n > 0) {
            size_t dots = 0;
            while (dots < 3 && dots < k && small[k - 1 - dots] == '.')
                dots++;
            bool prefix = false;
            for (size_t d = 0; d <= dots && !prefix; d++)
                prefix = memcmp(small, big, k - d) == 0;
            INVARIANT(prefix);
            if (small_cap >= 4)
                INVARIANT(k >= 3 && memcmp(small + k - 3, "...", 3) == 0);
        }
    }
    INVARIANT(scep_name_format(data, len, NULL, 0) == n);
    free(small);
    free(big);
    return 0;
}

/* fuzz_oid_put appends |v| base 128, high bit on all digits but the last. */
static inline bool fuzz_oid_put(uint64_t v, uint8_t *out, size_t cap, size_t *o)
{
    uint8_t digits[10];
    size_t n = 0;
    do {
        digits[n++] = (uint8_t)(v & 0x7F);
        v >>= 7;
    } while (v);
    while (n > 0) {
        if (*o == cap)
            return false;
        n--;
        out[(*o)++] = (uint8_t)(digits[n] | (n ? 0x80 : 0));
    }
    return true;
}

/* fuzz_oid_encode encodes dotted |text| back into contents octets. Returns the length, or 0
 * when the text is not dotted decimal with at least two arcs, or does not fit |cap|. */
static inline size_t fuzz_oid_encode(const char *text, uint8_t *out, size_t cap)
{
    size_t count = 0, o = 0;
    uint64_t first = 0;
    const char *p = text;
    while (*p) {
        if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
            return 0;
        uint64_t v = 0;
        while (*p >= '0' && *p <= '9')
            v = v * 10 + (uint64_t)(*p++ - '0');
        if (count == 0) {
            if (v > 2)
                return 0;
            first = v;
        } else if (count == 1) {
            if (first < 2 && v >= 40)
                return 0;
            if (!fuzz_oid_put(first * 40 + v, out, cap, &o))
                return 0;
        } else if (!fuzz_oid_put(v, out, cap, &o)) {
            return 0;
        }
        count++;
        if (*p == '.')
            p++;
        else if (*p)
            return 0;
    }
    return count >= 2 ? o : 0;
}

/* OIDs: the dotted text is digits and dots, encodes back to exactly the input, fits the
 * documented worst case for 32 arcs, and the table lookup agrees with it. */
static inline int fuzz_target_oid(const uint8_t *data, size_t len)
{
    enum { BIG = 8192 };
    char *big = fuzz_alloc(BIG);
    size_t n = scep_oid_to_dotted(data, len, big, BIG);
    INVARIANT(n == SCEP_FORMAT_INVALID || n > 0);
    INVARIANT(n == SCEP_FORMAT_INVALID || n >= BIG || strlen(big) == n);
    if (n != SCEP_FORMAT_INVALID && n < BIG) {
        size_t dots = 0;
        for (size_t i = 0; i < n; i++) {
            INVARIANT((big[i] >= '0' && big[i] <= '9') || big[i] == '.');
            dots += big[i] == '.';
        }
        uint8_t *back = fuzz_alloc(len);
        size_t back_len = fuzz_oid_encode(big, back, len);
        INVARIANT(back_len == len && memcmp(back, data, len) == 0);
        free(back);
        /* scepdec.h: 32 arcs below 2^64 need at most 671 bytes. In general each subidentifier
         * takes one octet or more and prints as at most 20 digits and a dot. */
        size_t arcs = dots + 1;
        INVARIANT(n + 1 <= 21 * len + 2);
        char worst[672];
        size_t m = scep_oid_to_dotted(data, len, worst, sizeof worst);
        INVARIANT(m == n);
        if (arcs <= 32)
            INVARIANT(memcmp(worst, big, n + 1) == 0);
        const scep_oid_info *info = scep_oid_lookup(data, len);
        if (info)
            INVARIANT(strcmp(info->dotted, big) == 0 && info->name != NULL);
    } else if (n == SCEP_FORMAT_INVALID) {
        INVARIANT(big[0] == '\0');
        INVARIANT(scep_oid_lookup(data, len) == NULL);
    }
    /* A smaller capacity: the same length, and a prefix of the text cut between arcs. */
    size_t cap = 1 + len % 40;
    char *small = fuzz_alloc(cap);
    size_t k = scep_oid_to_dotted(data, len, small, cap);
    size_t stored = fuzz_strnlen(small, cap);
    INVARIANT(k == n && stored < cap);
    if (n != SCEP_FORMAT_INVALID && n < BIG) {
        INVARIANT(memcmp(small, big, stored) == 0);
        INVARIANT(stored == n || stored == 0 || big[stored] == '.' || small[stored - 1] == '.');
    } else if (n == SCEP_FORMAT_INVALID) {
        INVARIANT(stored == 0);
    }
    INVARIANT(scep_oid_to_dotted(data, len, NULL, 0) == n);
    free(small);
    free(big);
    return 0;
}

/* JSON over decoded results. The first byte chooses the decoder and the operation named in
 * the output; the rest is the decoder's input. */
static inline int fuzz_target_json(const uint8_t *data, size_t len)
{
    if (len == 0)
        return 0;
    unsigned mode = data[0] & 3;
    scep_operation op = (scep_operation)((data[0] >> 2) % 8);
    size_t small_cap = 1 + (size_t)(data[0] >> 5) * 37 + len % 29;
    data++;
    len--;
    if (mode == 0) {
        scep_pki_message *m = fuzz_alloc(sizeof *m);
        uint8_t *content = fuzz_alloc(len);
        fuzz_bounds b = fuzz_bounds_of(data, len, content, len);
        scep_status st = scep_decode_pki_message(data, len, content, len, m);
        fuzz_check_pki_message(&b, m, st);
        fuzz_json_pki_ctx ctx = {m, op};
        fuzz_check_json(fuzz_render_pki, &ctx, small_cap);
        free(content);
        free(m);
    } else if (mode == 1) {
        scep_cert_bundle *bundle = fuzz_alloc(sizeof *bundle);
        uint8_t *content = fuzz_alloc(len);
        fuzz_bounds b = fuzz_bounds_of(data, len, content, len);
        scep_status st = scep_decode_cert_bundle(data, len, content, len, bundle);
        fuzz_check_bundle(&b, bundle, st);
        fuzz_json_bundle_ctx ctx = {bundle, op};
        fuzz_check_json(fuzz_render_bundle, &ctx, small_cap);
        free(content);
        free(bundle);
    } else if (mode == 2) {
        scep_caps *caps = fuzz_alloc(sizeof *caps);
        scep_status st = scep_decode_caps((const char *)data, len, caps);
        fuzz_check_caps(data, len, caps, st);
        fuzz_check_json(fuzz_render_caps, caps, small_cap);
        free(caps);
    } else {
        scep_query *q = fuzz_alloc(sizeof *q);
        uint8_t *buf = fuzz_alloc(len);
        scep_status st = scep_decode_query((const char *)data, len, buf, len, q);
        fuzz_check_query(data, len, q, st, len);
        scep_pki_message *m = NULL;
        uint8_t *content = NULL;
        if (q->operation == SCEP_OP_PKI_OPERATION && q->message_len > 0) {
            m = fuzz_alloc(sizeof *m);
            content = fuzz_alloc(q->message_len);
            fuzz_bounds b = fuzz_bounds_of(buf, q->message_len, content, q->message_len);
            scep_status ps = scep_decode_pki_message(buf, q->message_len, content, q->message_len, m);
            fuzz_check_pki_message(&b, m, ps);
        }
        fuzz_json_query_ctx ctx = {q, buf, m};
        fuzz_check_json(fuzz_render_query, &ctx, small_cap);
        fuzz_json_query_ctx bare = {q, NULL, NULL};
        fuzz_check_json(fuzz_render_query, &bare, small_cap);
        free(content);
        free(m);
        free(buf);
        free(q);
    }
    return 0;
}

/* The library targets, by name: the harness executables are fuzz_<name>, their corpora
 * tests/fuzz/corpus/<name>/. */
typedef struct {
    const char *name;
    int (*run)(const uint8_t *data, size_t len);
} fuzz_target;

static inline const fuzz_target *fuzz_target_list(size_t *count)
{
    static const fuzz_target targets[] = {
    {"query", fuzz_target_query},
    {"base64", fuzz_target_base64},
    {"pki_message", fuzz_target_pki_message},
    {"envelope", fuzz_target_envelope},
    {"cert_bundle", fuzz_target_cert_bundle},
    {"caps", fuzz_target_caps},
    {"name", fuzz_target_name},
    {"oid", fuzz_target_oid},
    {"json", fuzz_target_json},
    };
    *count = sizeof targets / sizeof targets[0];
    return targets;
}

#endif
