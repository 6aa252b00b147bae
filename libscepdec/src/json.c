/* json.c renders decoded SCEP results as JSON objects, the keys and their meanings as
 * docs/interfaces.md (and the man page scepdec(1), section JSON) documents them: the keys are a
 * contract. It walks result structs only (never the bytes behind them beyond the spans they
 * name), writes into the caller's buffer and allocates nothing: like snprintf, it counts what
 * the whole object needs and stores what fits. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "scepdec.h"

/* Room for one rendered distinguished name; longer names are cut by scep_name_format with
 * "..." at the end, which is what a reader of a log wants anyway. */
#define JSON_NAME_MAX 1024
#define JSON_OID_MAX 128

/* A writer over the caller's buffer. |len| counts every byte the object needs, stored or
 * not; |comma| says whether the next value or key in the current container needs a ','. */
typedef struct {
    char *out;
    size_t cap;
    size_t len;
    bool comma;
} json_writer;

static void jw_init(json_writer *w, char *out, size_t cap)
{
    w->out = out;
    w->cap = out ? cap : 0;
    w->len = 0;
    w->comma = false;
}

/* jw_finish NUL-terminates what fits and returns the length the whole object needs. */
static size_t jw_finish(json_writer *w)
{
    if (w->cap > 0)
        w->out[w->len < w->cap ? w->len : w->cap - 1] = '\0';
    return w->len;
}

static void jw_bytes(json_writer *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (w->len + 1 < w->cap)
            w->out[w->len] = s[i];
        w->len++;
    }
}

static void jw_cstr(json_writer *w, const char *s) { jw_bytes(w, s, strlen(s)); }

static void jw_separate(json_writer *w)
{
    if (w->comma)
        jw_bytes(w, ",", 1);
    w->comma = false;
}

static void jw_open(json_writer *w, char bracket)
{
    jw_separate(w);
    jw_bytes(w, &bracket, 1);
    w->comma = false;
}

static void jw_close(json_writer *w, char bracket)
{
    jw_bytes(w, &bracket, 1);
    w->comma = true;
}

/* utf8_sequence_length returns the length of the well-formed UTF-8 sequence at |s| (at most
 * |n| bytes), or 0 when it is not one: overlong forms, surrogates and code points above
 * U+10FFFF are not well-formed (RFC 3629). */
static size_t utf8_sequence_length(const uint8_t *s, size_t n)
{
    uint8_t c = s[0];
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF; /* bounds of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

/* jw_string_bytes writes |s|/|n| as a JSON string: quote, backslash and control characters
 * escaped, invalid UTF-8 replaced by U+FFFD one byte at a time. */
static void jw_string_bytes(json_writer *w, const uint8_t *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    jw_separate(w);
    jw_bytes(w, "\"", 1);
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            jw_bytes(w, esc, 2);
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            switch (c) {
            case '\b': jw_bytes(w, "\\b", 2); break;
            case '\f': jw_bytes(w, "\\f", 2); break;
            case '\n': jw_bytes(w, "\\n", 2); break;
            case '\r': jw_bytes(w, "\\r", 2); break;
            case '\t': jw_bytes(w, "\\t", 2); break;
            default: jw_bytes(w, esc, 6); break;
            }
            i++;
        } else {
            size_t k = utf8_sequence_length(s + i, n - i);
            if (k == 0) {
                jw_bytes(w, "\\ufffd", 6);
                i++;
            } else {
                jw_bytes(w, (const char *)s + i, k);
                i += k;
            }
        }
    }
    jw_bytes(w, "\"", 1);
    w->comma = true;
}

static void jw_string(json_writer *w, const char *s)
{
    jw_string_bytes(w, (const uint8_t *)s, strlen(s));
}

static void jw_key(json_writer *w, const char *key)
{
    jw_string(w, key);
    jw_bytes(w, ":", 1);
    w->comma = false;
}

static void jw_uint(json_writer *w, uint64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%" PRIu64, v);
    jw_separate(w);
    jw_bytes(w, buf, (size_t)n);
    w->comma = true;
}

static void jw_int(json_writer *w, long v)
{
    char buf[24];
    int n = snprintf(buf, sizeof buf, "%ld", v);
    jw_separate(w);
    jw_bytes(w, buf, (size_t)n);
    w->comma = true;
}

static void jw_bool(json_writer *w, bool v)
{
    jw_separate(w);
    jw_cstr(w, v ? "true" : "false");
    w->comma = true;
}

static void jw_null(json_writer *w)
{
    jw_separate(w);
    jw_cstr(w, "null");
    w->comma = true;
}

static void jw_hex(json_writer *w, scep_span s)
{
    static const char hex[] = "0123456789abcdef";
    jw_separate(w);
    jw_bytes(w, "\"", 1);
    for (size_t i = 0; i < s.length; i++) {
        char pair[2] = {hex[s.data[i] >> 4], hex[s.data[i] & 15]};
        jw_bytes(w, pair, 2);
    }
    jw_bytes(w, "\"", 1);
    w->comma = true;
}

/* Keyed helpers: each writes nothing when the value is absent. */

static void jw_key_span_string(json_writer *w, const char *key, scep_span s)
{
    if (!scep_span_present(s))
        return;
    jw_key(w, key);
    jw_string_bytes(w, s.data, s.length);
}

static void jw_key_span_hex(json_writer *w, const char *key, scep_span s)
{
    if (!scep_span_present(s))
        return;
    jw_key(w, key);
    jw_hex(w, s);
}

static void jw_key_string(json_writer *w, const char *key, const char *value)
{
    if (!value)
        return;
    jw_key(w, key);
    jw_string(w, value);
}

static void jw_key_time(json_writer *w, const char *key, int64_t seconds)
{
    char text[32];
    if (scep_format_time(seconds, text, sizeof text) < sizeof text)
        jw_key_string(w, key, text);
}

/* jw_key_name writes the Name element |name| formatted as RFC 4514 text. A Name the formatter
 * cannot read is written as hex under "<key>_der" so the fact is not lost. */
static void jw_key_name(json_writer *w, const char *key, scep_span name)
{
    char text[JSON_NAME_MAX];
    if (!scep_span_present(name))
        return;
    if (scep_name_format(name.data, name.length, text, sizeof text) != SCEP_FORMAT_INVALID) {
        jw_key_string(w, key, text);
        return;
    }
    char der_key[64];
    snprintf(der_key, sizeof der_key, "%s_der", key);
    jw_key_span_hex(w, der_key, name);
}

/* jw_key_oid writes the dotted OID under |key| and its table name under "<key>_name". */
static void jw_key_oid(json_writer *w, const char *key, scep_span oid)
{
    char dotted[JSON_OID_MAX];
    if (!scep_span_present(oid))
        return;
    if (scep_oid_to_dotted(oid.data, oid.length, dotted, sizeof dotted) < sizeof dotted)
        jw_key_string(w, key, dotted);
    else {
        char der_key[64];
        snprintf(der_key, sizeof der_key, "%s_der", key);
        jw_key_span_hex(w, der_key, oid);
        return;
    }
    const scep_oid_info *info = scep_oid_lookup(oid.data, oid.length);
    if (info && info->name) {
        char name_key[64];
        snprintf(name_key, sizeof name_key, "%s_name", key);
        jw_key_string(w, name_key, info->name);
    }
}

/* jw_key_number writes a numeric SCEP attribute: the number and its name, or the text as sent
 * when it is not a decimal number. */
static void jw_key_number(json_writer *w, const char *key, const scep_number_attr *attr,
                          const char *(*name_of)(long))
{
    char sub_key[64];
    if (!attr->present)
        return;
    if (attr->numeric) {
        jw_key(w, key);
        jw_int(w, attr->value);
        snprintf(sub_key, sizeof sub_key, "%s_name", key);
        jw_key_string(w, sub_key, name_of(attr->value));
    } else {
        snprintf(sub_key, sizeof sub_key, "%s_raw", key);
        jw_key(w, sub_key);
        jw_string_bytes(w, attr->text.data, attr->text.length);
    }
}

/* jw_key_flags writes the names of the flags set in |flags| as an array under |key|, in bit
 * order; |name_of| names one flag, and a bit it has no name for is left out (a JSON value is
 * a name or nothing). */
static void jw_key_flags(json_writer *w, const char *key, unsigned flags,
                         const char *(*name_of)(unsigned))
{
    jw_key(w, key);
    jw_open(w, '[');
    for (unsigned rest = flags, flag; (flag = scep_flag_next(&rest)) != 0;)
        if (name_of(flag) != NULL)
            jw_string(w, name_of(flag));
    jw_close(w, ']');
}

/* jw_identifier writes the members of a signer or recipient identifier. */
static void jw_identifier(json_writer *w, const scep_identifier *id)
{
    if (id->kind == SCEP_ID_ISSUER_SERIAL) {
        jw_key_name(w, "issuer", id->issuer);
        jw_key_span_hex(w, "serial", id->serial);
    } else if (id->kind == SCEP_ID_SKI) {
        jw_key_span_hex(w, "subject_key_identifier", id->ski);
    }
}

static void jw_certificate(json_writer *w, const scep_certificate *c)
{
    jw_open(w, '{');
    jw_key_name(w, "subject", c->subject);
    jw_key_name(w, "issuer", c->issuer);
    jw_key_span_hex(w, "serial", c->serial);
    if (scep_span_present(c->not_before_text))
        jw_key_time(w, "not_before", c->not_before);
    if (scep_span_present(c->not_after_text))
        jw_key_time(w, "not_after", c->not_after);
    jw_key_string(w, "role", scep_cert_role_name(c->role));
    if (c->version > 0) {
        jw_key(w, "version");
        jw_int(w, c->version);
    }
    jw_key_oid(w, "signature_algorithm", c->signature_algorithm.oid);
    jw_key_oid(w, "public_key_algorithm", c->public_key_algorithm.oid);
    if (c->public_key_bits > 0) {
        jw_key(w, "public_key_bits");
        jw_uint(w, c->public_key_bits);
    }
    if (c->has_key_usage)
        jw_key_flags(w, "key_usage", c->key_usage, scep_key_usage_name);
    if (c->has_basic_constraints) {
        jw_key(w, "is_ca");
        jw_bool(w, c->is_ca);
        if (c->path_len >= 0) {
            jw_key(w, "path_len");
            jw_int(w, c->path_len);
        }
    }
    jw_key_span_hex(w, "subject_key_identifier", c->subject_key_id);
    jw_key(w, "self_issued");
    jw_bool(w, c->self_issued);
    jw_close(w, '}');
}

static void jw_certificates(json_writer *w, const scep_certificate *certs, size_t count)
{
    if (count == 0)
        return;
    jw_key(w, "certificates");
    jw_open(w, '[');
    for (size_t i = 0; i < count && i < SCEP_MAX_CERTIFICATES; i++)
        jw_certificate(w, &certs[i]);
    jw_close(w, ']');
}

/* jw_error_items writes the members of an errors array (without the brackets). Offsets into
 * the input are labelled with |input_source| when it is not NULL. */
static void jw_error_items(json_writer *w, const scep_errors *errors, const char *input_source)
{
    for (size_t i = 0; i < errors->count && i < SCEP_MAX_ERRORS; i++) {
        const scep_error *e = &errors->items[i];
        jw_open(w, '{');
        const char *code = scep_error_code_name(e->code);
        if (code)
            jw_key_string(w, "code", code);
        else {
            jw_key(w, "code");
            jw_int(w, (long)e->code);
        }
        jw_key(w, "offset");
        jw_uint(w, e->offset);
        if (e->source == SCEP_SRC_CONTENT)
            jw_key_string(w, "source", "content");
        else if (input_source)
            jw_key_string(w, "source", input_source);
        jw_key_string(w, "message", e->message ? e->message : "");
        jw_close(w, '}');
    }
}

/* jw_tail writes "truncated", "errors" and, when errors were dropped, "errors_dropped". The
 * |second| list's input offsets are into the message decoded from the first's input. */
static void jw_tail(json_writer *w, bool truncated, const scep_errors *first,
                    const scep_errors *second)
{
    jw_key(w, "truncated");
    jw_bool(w, truncated);
    jw_key(w, "errors");
    jw_open(w, '[');
    if (first)
        jw_error_items(w, first, NULL);
    if (second)
        jw_error_items(w, second, "message");
    jw_close(w, ']');
    size_t dropped = (first ? first->dropped : 0) + (second ? second->dropped : 0);
    if (dropped > 0) {
        jw_key(w, "errors_dropped");
        jw_uint(w, dropped);
    }
}

static void jw_operation(json_writer *w, scep_operation operation)
{
    jw_key_string(w, "operation", scep_operation_name(operation));
}

/* jw_scep_attributes writes SCEP's attributes of a signer (or of facts a log states). */
static void jw_scep_attributes(json_writer *w, const scep_signer *signer)
{
    jw_key_number(w, "message_type", &signer->message_type, scep_message_type_name);
    jw_key_number(w, "pki_status", &signer->pki_status, scep_pki_status_name);
    jw_key_number(w, "fail_info", &signer->fail_info, scep_fail_info_name);
    jw_key_span_string(w, "fail_info_text", signer->fail_info_text);
    jw_key_span_string(w, "transaction_id", signer->transaction_id);
    jw_key_span_hex(w, "sender_nonce", signer->sender_nonce);
    jw_key_span_hex(w, "recipient_nonce", signer->recipient_nonce);
}

/* jw_digest_algorithms writes the SignedData's digestAlgorithms set: it precedes the
 * encapsulated content, so a message cut inside its envelope (an iOS log line) still names
 * the digest its signer announced. */
static void jw_digest_algorithms(json_writer *w, const scep_signed_data *sd)
{
    if (sd->digest_algorithm_count == 0)
        return;
    jw_key(w, "digest_algorithms");
    jw_open(w, '[');
    for (size_t i = 0; i < sd->digest_algorithm_count && i < SCEP_MAX_DIGEST_ALGORITHMS; i++) {
        jw_open(w, '{');
        jw_key_oid(w, "algorithm", sd->digest_algorithms[i].oid);
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

/* jw_pki_fields writes every pkiMessage key except operation, truncated and errors. */
static void jw_pki_fields(json_writer *w, const scep_pki_message *msg)
{
    const scep_signed_data *sd = &msg->signed_data;
    const scep_signer *signer = &sd->signer;

    jw_scep_attributes(w, signer);
    if (signer->has_signing_time)
        jw_key_time(w, "signing_time", signer->signing_time);
    jw_key_oid(w, "digest_algorithm", signer->digest_algorithm.oid);
    jw_digest_algorithms(w, sd);
    jw_key_oid(w, "signature_algorithm", signer->signature_algorithm.oid);
    if (sd->signer_count > 0 && signer->sid.kind != SCEP_ID_NONE) {
        jw_key(w, "signer");
        jw_open(w, '{');
        jw_identifier(w, &signer->sid);
        jw_close(w, '}');
    }
    if (sd->signer_count > 1) {
        jw_key(w, "signer_count");
        jw_uint(w, sd->signer_count);
    }

    if (msg->has_envelope) {
        const scep_envelope *env = &msg->envelope;
        jw_key_oid(w, "content_encryption_algorithm", env->content_encryption_algorithm.oid);
        jw_key_span_hex(w, "content_encryption_iv", env->iv);
        jw_key(w, "encrypted_content_length");
        jw_uint(w, env->encrypted_length);
        jw_key(w, "recipients");
        jw_open(w, '[');
        for (size_t i = 0; i < env->recipient_count && i < SCEP_MAX_RECIPIENTS; i++) {
            const scep_recipient *r = &env->recipients[i];
            jw_open(w, '{');
            jw_identifier(w, &r->rid);
            jw_key_oid(w, "key_encryption_algorithm", r->key_encryption_algorithm.oid);
            jw_close(w, '}');
        }
        jw_close(w, ']');
    }

    jw_certificates(w, sd->certificates, sd->certificate_count);
    if (sd->crl_count > 0) {
        jw_key(w, "crl_count");
        jw_uint(w, sd->crl_count);
    }
    jw_key(w, "indefinite_lengths");
    jw_bool(w, sd->indefinite_lengths);
    if (sd->encap_content_chunks > 0) {
        jw_key(w, "content_chunks");
        jw_uint(w, sd->encap_content_chunks);
    }
}

/* jw_pki_members writes the members of scep_json_pki_message's object. */
static void jw_pki_members(json_writer *w, const scep_pki_message *msg, scep_operation operation)
{
    jw_operation(w, operation);
    jw_pki_fields(w, msg);
    jw_tail(w, msg->truncated, &msg->errors, NULL);
}

/* jw_bundle_members writes the members of scep_json_cert_bundle's object. */
static void jw_bundle_members(json_writer *w, const scep_cert_bundle *bundle,
                              scep_operation operation)
{
    jw_operation(w, operation);
    jw_key_string(w, "bundle", scep_bundle_kind_name(bundle->kind));
    if (bundle->kind == SCEP_BUNDLE_SIGNED) {
        const scep_signer *signer = &bundle->outer.signer;
        if (signer->has_signing_time)
            jw_key_time(w, "signing_time", signer->signing_time);
        jw_key_oid(w, "digest_algorithm", signer->digest_algorithm.oid);
        jw_key_oid(w, "signature_algorithm", signer->signature_algorithm.oid);
        if (bundle->outer.signer_count > 0 && signer->sid.kind != SCEP_ID_NONE) {
            jw_key(w, "signer");
            jw_open(w, '{');
            jw_identifier(w, &signer->sid);
            jw_close(w, '}');
        }
    }
    jw_certificates(w, bundle->certificates, bundle->certificate_count);
    if (bundle->kind == SCEP_BUNDLE_SIGNED && bundle->outer.certificate_count > 0) {
        jw_key(w, "signer_certificates");
        jw_open(w, '[');
        for (size_t i = 0; i < bundle->outer.certificate_count && i < SCEP_MAX_CERTIFICATES; i++)
            jw_certificate(w, &bundle->outer.certificates[i]);
        jw_close(w, ']');
    }
    if (bundle->crl_count > 0) {
        jw_key(w, "crl_count");
        jw_uint(w, bundle->crl_count);
    }
    if (bundle->kind == SCEP_BUNDLE_CERTS_ONLY || bundle->kind == SCEP_BUNDLE_SIGNED) {
        jw_key(w, "indefinite_lengths");
        jw_bool(w, bundle->outer.indefinite_lengths);
    }
    jw_tail(w, bundle->truncated, &bundle->errors, NULL);
}

/* jw_caps_members writes the members of scep_json_caps's object. */
static void jw_caps_members(json_writer *w, const scep_caps *caps)
{
    jw_operation(w, SCEP_OP_GET_CA_CAPS);
    jw_key(w, "capabilities");
    jw_open(w, '[');
    for (size_t i = 0; i < caps->count && i < SCEP_MAX_CAPABILITIES; i++)
        jw_string_bytes(w, caps->items[i].text.data, caps->items[i].text.length);
    jw_close(w, ']');
    /* Which of them this version knows, by canonical name, so a script need not care about
     * case or spelling variants. */
    size_t unknown = 0;
    for (size_t i = 0; i < caps->count && i < SCEP_MAX_CAPABILITIES; i++)
        unknown += caps->items[i].id == SCEP_CAP_UNKNOWN;
    if (unknown > 0) {
        jw_key(w, "unknown_capabilities");
        jw_open(w, '[');
        for (size_t i = 0; i < caps->count && i < SCEP_MAX_CAPABILITIES; i++)
            if (caps->items[i].id == SCEP_CAP_UNKNOWN)
                jw_string_bytes(w, caps->items[i].text.data, caps->items[i].text.length);
        jw_close(w, ']');
    }
    jw_tail(w, false, &caps->errors, NULL);
}

/* jw_query_members writes the members of scep_json_query's object. */
static void jw_query_members(json_writer *w, const scep_query *query, const uint8_t *message,
                             const scep_pki_message *msg)
{
    if (query->operation == SCEP_OP_UNKNOWN)
        jw_key_span_string(w, "operation", query->operation_text);
    else
        jw_operation(w, query->operation);
    if (query->operation_inferred) {
        jw_key(w, "operation_inferred");
        jw_bool(w, true);
    }
    if (query->operation != SCEP_OP_PKI_OPERATION && message && query->message_len > 0 &&
        scep_span_present(query->message_text)) {
        jw_key(w, query->operation == SCEP_OP_GET_CA_CERT ? "ca_ident" : "message");
        jw_string_bytes(w, message, query->message_len);
    }
    if (query->message_forms != 0)
        jw_key_flags(w, "base64_forms", query->message_forms, scep_base64_form_name);
    if (query->operation == SCEP_OP_PKI_OPERATION && query->message_len > 0) {
        jw_key(w, "message_length");
        jw_uint(w, query->message_len);
    }
    if (msg)
        jw_pki_fields(w, msg);
    jw_tail(w, query->truncated || (msg && msg->truncated), &query->errors,
            msg ? &msg->errors : NULL);
}

/* jw_verification writes scep_json_verification's object. */
static void jw_verification(json_writer *w, const scep_verification *v)
{
    jw_open(w, '{');
    jw_key_string(w, "message_digest", scep_check_name(v->message_digest));
    jw_key_string(w, "signature", scep_check_name(v->signature));
    if (v->detail)
        jw_key_string(w, "detail", v->detail);
    jw_close(w, '}');
}

/* jw_request_content writes scep_json_request_content's object. */
static void jw_request_content(json_writer *w, const scep_request_content *rc)
{
    jw_open(w, '{');
    jw_key_string(w, "kind", rc->kind != SCEP_CONTENT_NONE ? scep_content_kind_name(rc->kind) : "none");
    jw_key_name(w, "issuer", rc->issuer);
    jw_key_name(w, "subject", rc->subject);
    jw_key_span_hex(w, "serial", rc->serial);
    if (rc->kind == SCEP_CONTENT_CSR) {
        jw_key_oid(w, "public_key_algorithm", rc->public_key_algorithm.oid);
        if (rc->public_key_bits) {
            jw_key(w, "public_key_bits");
            jw_uint(w, rc->public_key_bits);
        }
        if (scep_span_present(rc->challenge_password)) {
            jw_key(w, "challenge_password_length");
            jw_uint(w, rc->challenge_password.length);
        }
        jw_key(w, "extension_request");
        jw_bool(w, scep_span_present(rc->extension_request));
        jw_key_oid(w, "signature_algorithm", rc->signature_algorithm.oid);
    }
    jw_tail(w, rc->truncated, &rc->errors, NULL);
    jw_close(w, '}');
}

/* jw_decrypted writes "decrypted" (and "decrypt_error") as scep_decrypted documents them. */
static void jw_decrypted(json_writer *w, const scep_decrypted *d)
{
    if (d->request) {
        jw_key(w, "decrypted");
        jw_request_content(w, d->request);
    } else if (d->issued) {
        jw_key(w, "decrypted");
        jw_open(w, '{');
        jw_bundle_members(w, d->issued, SCEP_OP_NONE);
        jw_close(w, '}');
    } else if (d->failed) {
        jw_key(w, "decrypted");
        jw_null(w);
        jw_key_string(w, "decrypt_error", d->error ? d->error : "unknown");
    }
}

/* jw_log_origin writes where in a log a message was found (scep_log_origin). */
static void jw_log_origin(json_writer *w, const scep_log_origin *origin)
{
    jw_key_string(w, "file", origin->file);
    if (origin->line > 0) {
        jw_key(w, "line");
        jw_uint(w, origin->line);
    }
    jw_key_string(w, "time", origin->time);
    jw_key_string(w, "client", origin->client);
    if (origin->has_http_status) {
        jw_key(w, "http_status");
        jw_int(w, origin->http_status);
    }
    if (origin->has_http_substatus) {
        jw_key(w, "http_substatus");
        jw_int(w, origin->http_substatus);
    }
    jw_key_string(w, "source", origin->source);
}

/* jw_message_members writes the members of scep_json_message's object. */
static void jw_message_members(json_writer *w, const scep_log_message *msg)
{
    if (msg->query && msg->query->operation != SCEP_OP_NONE) {
        jw_query_members(w, msg->query, msg->query_message, msg->pki);
    } else if (msg->pki) {
        jw_pki_members(w, msg->pki, msg->operation);
    } else if (msg->bundle) {
        jw_bundle_members(w, msg->bundle, msg->operation);
    } else if (msg->caps) {
        jw_caps_members(w, msg->caps);
    } else {
        jw_operation(w, msg->operation);
        if (msg->facts)
            jw_scep_attributes(w, msg->facts);
        jw_tail(w, false, NULL, NULL);
    }
    if (msg->verification) {
        jw_key(w, "verification");
        jw_verification(w, msg->verification);
    }
    if (msg->decrypted)
        jw_decrypted(w, msg->decrypted);
}

/* ---- The public renderers: each is one object drawn by one member writer ---- */

/* jw_render writes one object into |out|/|cap| by the text rule: |members| writes what is
 * inside the braces from |what|, or, when |brace| is false, the whole value. */
static size_t jw_render(char *out, size_t cap, bool brace,
                        void (*members)(json_writer *, const void *), const void *what)
{
    json_writer w;
    jw_init(&w, out, cap);
    if (brace)
        jw_open(&w, '{');
    members(&w, what);
    if (brace)
        jw_close(&w, '}');
    return jw_finish(&w);
}

static void message_members(json_writer *w, const void *msg) { jw_message_members(w, msg); }

size_t scep_json_message(const scep_log_message *msg, char *out, size_t cap)
{
    return jw_render(out, cap, true, message_members, msg);
}

size_t scep_json_pki_message(const scep_pki_message *msg, scep_operation operation, char *out,
                             size_t cap)
{
    scep_log_message m = {.operation = operation, .pki = msg};
    return scep_json_message(&m, out, cap);
}

size_t scep_json_cert_bundle(const scep_cert_bundle *bundle, scep_operation operation, char *out,
                             size_t cap)
{
    scep_log_message m = {.operation = operation, .bundle = bundle};
    return scep_json_message(&m, out, cap);
}

size_t scep_json_caps(const scep_caps *caps, char *out, size_t cap)
{
    scep_log_message m = {.caps = caps};
    return scep_json_message(&m, out, cap);
}

/* A query object is written whatever its operation (scep_json_message writes one only when
 * the query has an operation). */
typedef struct {
    const scep_query *query;
    const uint8_t *message;
    const scep_pki_message *msg;
} query_parts;

static void query_members(json_writer *w, const void *parts)
{
    const query_parts *q = parts;
    jw_query_members(w, q->query, q->message, q->msg);
}

size_t scep_json_query(const scep_query *query, const uint8_t *message,
                       const scep_pki_message *msg, char *out, size_t cap)
{
    query_parts parts = {query, message, msg};
    return jw_render(out, cap, true, query_members, &parts);
}

static void verification_value(json_writer *w, const void *v) { jw_verification(w, v); }

size_t scep_json_verification(const scep_verification *v, char *out, size_t cap)
{
    return jw_render(out, cap, false, verification_value, v);
}

static void request_content_value(json_writer *w, const void *rc) { jw_request_content(w, rc); }

size_t scep_json_request_content(const scep_request_content *rc, char *out, size_t cap)
{
    return jw_render(out, cap, false, request_content_value, rc);
}

/* A log record is its origin's members, then the message's. */
typedef struct {
    const scep_log_origin *origin;
    const scep_log_message *msg;
} log_record_parts;

static void log_record_members(json_writer *w, const void *parts)
{
    const log_record_parts *r = parts;
    jw_log_origin(w, r->origin);
    jw_message_members(w, r->msg);
}

size_t scep_json_log_record(const scep_log_origin *origin, const scep_log_message *msg,
                            char *out, size_t cap)
{
    log_record_parts parts = {origin, msg};
    return jw_render(out, cap, true, log_record_members, &parts);
}
