/* query.c — parses an HTTP request target into SCEP's operation and message.
 *
 * The target comes from a capture or a device log, so it may be a full URL, an origin form or
 * just the query, may differ in case from RFC 8894's spelling, and may be cut anywhere. Every
 * value is kept as a span into the target, so renderers can show what was sent, and decoded
 * next to it. */
#include "ber.h"
#include "scepdec.h"

#include <string.h>
#include "hex.h"

/* The names of SCEP_OP_GET_CA_CERT and the operations after it, in the enum's order, as
 * RFC 8894 and Microsoft NDES spell them. */
#define FIRST_NAMED_OPERATION SCEP_OP_GET_CA_CERT
static const char *const operation_names[] = {"GetCACert", "GetCACaps", "GetNextCACert",
    "PKIOperation", "NDESGenerateChallenge", "NDESGetCACertThumbprint"};
#define OPERATION_COUNT (sizeof operation_names / sizeof operation_names[0])
_Static_assert(SCEP_OP_NDES_GET_CA_CERT_THUMBPRINT - FIRST_NAMED_OPERATION + 1 == OPERATION_COUNT,
               "operation_names follows scep_operation");

const char *scep_operation_name(scep_operation op)
{
    size_t i = (size_t)op - FIRST_NAMED_OPERATION;
    return op >= FIRST_NAMED_OPERATION && i < OPERATION_COUNT ? operation_names[i] : NULL;
}

static unsigned char ascii_lower(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (unsigned char)(ch - 'A' + 'a') : ch;
}

/* form_decode_char reads one character of a form-encoded value at |p|[|*i|] (|len| bytes in
 * all): "%XX" is its byte, '+' is a space, anything else itself, including a '%' that starts
 * no valid escape (kept, since a CA identifier is free text). Advances |*i|. */
static unsigned char form_decode_char(const unsigned char *p, size_t len, size_t *i)
{
    unsigned char ch = p[*i];
    if (ch == '%' && len - *i >= 3) {
        int hi = hex_value(p[*i + 1]), lo = hex_value(p[*i + 2]);
        if (hi >= 0 && lo >= 0) {
            *i += 3;
            return (unsigned char)(hi << 4 | lo);
        }
    }
    *i += 1;
    return ch == '+' ? ' ' : ch;
}

/* form_decode writes the decoded value |p|/|len| into |out| (at most |cap| bytes). Returns the
 * bytes written; |*complete| is false when the value did not fit. */
static size_t form_decode(const unsigned char *p, size_t len, uint8_t *out, size_t cap,
                          bool *complete)
{
    size_t n = 0, i = 0;
    *complete = true;
    while (i < len) {
        if (n == cap) {
            *complete = false;
            break;
        }
        out[n++] = form_decode_char(p, len, &i);
    }
    return n;
}

/* name_is compares a form-encoded parameter name with the lowercase |want|, ignoring case. */
static bool name_is(const unsigned char *p, size_t len, const char *want)
{
    size_t i = 0, k = 0, wlen = strlen(want);
    while (i < len) {
        if (k == wlen || ascii_lower(form_decode_char(p, len, &i)) != (unsigned char)want[k])
            return false;
        k++;
    }
    return k == wlen;
}

/* match_operation finds the operation the decoded |name| denotes: RFC 8894's exact spelling
 * first, then any case, since some clients send "pkioperation". */
static scep_operation match_operation(const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        const char *want = operation_names[i];
        if (strlen(want) == len && memcmp(want, name, len) == 0)
            return (scep_operation)(FIRST_NAMED_OPERATION + i);
    }
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        const char *want = operation_names[i];
        if (strlen(want) != len)
            continue;
        size_t k = 0;
        while (k < len && ascii_lower(name[k]) == ascii_lower((unsigned char)want[k]))
            k++;
        if (k == len)
            return (scep_operation)(FIRST_NAMED_OPERATION + i);
    }
    return SCEP_OP_UNKNOWN;
}

static scep_span input_span(const char *target, size_t offset, size_t length)
{
    scep_span s = {(const uint8_t *)target + offset, offset, length, SCEP_SRC_INPUT};
    return s;
}

/* find returns the index of the first |ch| in |p|[from, to), or |to|. */
static size_t find(const char *p, size_t from, size_t to, char ch)
{
    const char *hit = from < to ? memchr(p + from, ch, to - from) : NULL;
    return hit ? (size_t)(hit - p) : to;
}

/* split_target locates the path and the query in |target|/|len| (a fragment already cut off).
 * A target with '?' has both; without one it is a bare query when it contains '=' and looks
 * like neither a URL nor a path, else a path alone. A full URL's path starts after its
 * authority. */
static void split_target(const char *target, size_t len, scep_query *out)
{
    size_t qmark = find(target, 0, len, '?');
    size_t path_start = 0;
    size_t scheme_end = 0;
    /* "scheme://" before any '/' or '?' marks a full URL. */
    for (size_t i = 0; i + 2 < qmark; i++) {
        if (target[i] == '/')
            break;
        if (target[i] == ':' && target[i + 1] == '/' && target[i + 2] == '/') {
            scheme_end = i + 3;
            break;
        }
    }
    if (scheme_end > 0)
        path_start = find(target, scheme_end, qmark, '/');

    if (qmark < len) {
        out->path = input_span(target, path_start, qmark - path_start);
        out->query = input_span(target, qmark + 1, len - qmark - 1);
        return;
    }
    bool looks_like_path = scheme_end > 0 || (len > 0 && target[0] == '/');
    if (!looks_like_path && find(target, 0, len, '=') < len) {
        out->query = input_span(target, 0, len);
        return;
    }
    out->path = input_span(target, path_start, len - path_start);
}

/* decode_pki_message base64-decodes the PKIOperation message value (at |value_off|, |value_len|
 * bytes of |target|) into |buf| and records its forms, truncation and errors in |out|. */
static void decode_pki_message(const char *target, size_t value_off, size_t value_len,
                               uint8_t *buf, size_t cap, scep_query *out)
{
    scep_error err;
    unsigned forms = 0;
    size_t n = 0;
    scep_base64_decode(target + value_off, value_len, buf, cap, &n, &forms, &err);
    out->message_len = n;
    out->message_forms = forms;
    if (err.code != SCEP_ERR_NONE) {
        scep_errors_add(&out->errors, err.code, SCEP_SRC_INPUT, value_off + err.offset,
                        err.message);
        if (err.code == SCEP_ERR_CAPACITY)
            out->truncated = true;
        return;
    }
    if (forms & SCEP_B64_TRUNCATED) {
        out->truncated = true;
        scep_errors_add(&out->errors, SCEP_ERR_TRUNCATED, SCEP_SRC_INPUT, value_off + value_len,
                        "message: base64 text stops mid-quantum");
        return;
    }
    /* A log line cut on a quantum boundary decodes cleanly; the pkiMessage's own outer length
     * is what shows the cut. */
    if (n > 0 && buf[0] == 0x30) {
        ber_cursor c;
        ber_elem e;
        ber_fault fault;
        ber_init(&c, buf, n, 0, SCEP_SRC_CONTENT);
        bool read = ber_next(&c, &e, &fault);
        if ((read && e.truncated) || (!read && fault.code == SCEP_ERR_TRUNCATED)) {
            out->truncated = true;
            scep_errors_add(&out->errors, SCEP_ERR_TRUNCATED, SCEP_SRC_INPUT,
                            value_off + value_len,
                            "message: text ends before the pkiMessage does");
        }
    }
}

/* message_starts_pki_message: does the base64 message text at |text|/|len| start with what
 * every pkiMessage starts with, a SEQUENCE (any length form) whose first element is the OID
 * signedData (1.2.840.113549.1.7.2)? Only the first characters are decoded. */
static bool message_starts_pki_message(const char *text, size_t len)
{
    static const uint8_t signed_data_oid[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                              0xF7, 0x0D, 0x01, 0x07, 0x02};
    uint8_t head[48];
    size_t n = 0;
    scep_error err;
    /* 64 characters give at least 16 bytes even when every one is a %XX escape of three. */
    scep_base64_decode(text, len < 64 ? len : 64, head, sizeof head, &n, NULL, &err);
    if (n < 2 || head[0] != 0x30)
        return false;
    size_t at = 2; /* short form or indefinite (0x80) */
    if (head[1] > 0x80 && head[1] <= 0x84)
        at += head[1] & 0x7Fu;
    return n >= at + sizeof signed_data_oid &&
           memcmp(head + at, signed_data_oid, sizeof signed_data_oid) == 0;
}

/* operation_may_be_lost: the target names no operation, or one whose value a cut ended
 * ("operation=PKIOp" at the very end of the target): it may have been PKIOperation. */
static bool operation_may_be_lost(const char *target, size_t end, const scep_query *q)
{
    if (q->operation == SCEP_OP_NONE)
        return true;
    if (q->operation != SCEP_OP_UNKNOWN ||
        q->operation_text.offset + q->operation_text.length != end)
        return false;
    static const char pki[] = "pkioperation";
    size_t len = q->operation_text.length;
    if (len >= sizeof pki - 1)
        return false;
    const unsigned char *value = (const unsigned char *)target + q->operation_text.offset;
    for (size_t i = 0; i < len; i++)
        if (ascii_lower(value[i]) != (unsigned char)pki[i])
            return false;
    return true;
}


scep_status scep_decode_query(const char *target, size_t len, uint8_t *msg_buf, size_t msg_cap,
                              scep_query *out)
{
    memset(out, 0, sizeof *out);
    if (target == NULL)
        return SCEP_DECODE_NONE;
    if (msg_buf == NULL)
        msg_cap = 0;
    len = find(target, 0, len, '#'); /* a fragment never reaches the server */
    split_target(target, len, out);
    if (!scep_span_present(out->query))
        return SCEP_DECODE_NONE;

    const unsigned char *u = (const unsigned char *)target;
    size_t end = out->query.offset + out->query.length;
    bool have_message = false;
    size_t message_off = 0, message_len = 0;
    for (size_t start = out->query.offset; start <= end;) {
        size_t amp = find(target, start, end, '&');
        size_t eq = find(target, start, amp, '=');
        size_t value_off = eq < amp ? eq + 1 : amp;
        size_t value_len = amp - value_off;
        /* The first occurrence of each parameter counts, as in most servers' form parsing. */
        if (name_is(u + start, eq - start, "operation") && !scep_span_present(out->operation_text)) {
            out->operation_text = input_span(target, value_off, value_len);
        } else if (name_is(u + start, eq - start, "message") && !have_message) {
            have_message = true;
            message_off = value_off;
            message_len = value_len;
            out->message_text = input_span(target, value_off, value_len);
        }
        start = amp + 1;
    }

    if (scep_span_present(out->operation_text)) {
        uint8_t name[32];
        bool complete;
        size_t n = form_decode(u + out->operation_text.offset, out->operation_text.length, name,
                               sizeof name, &complete);
        out->operation = complete ? match_operation(name, n) : SCEP_OP_UNKNOWN;
    }

    /* A log that cuts a URL whose message comes first (scepclient's relay order
     * "?message=MIIJ...&operation=PKIOperation") loses the operation: the message says it. */
    if (have_message && operation_may_be_lost(target, end, out) &&
        message_starts_pki_message(target + message_off, message_len)) {
        out->operation = SCEP_OP_PKI_OPERATION;
        out->operation_inferred = true;
    }

    if (have_message) {
        if (out->operation == SCEP_OP_PKI_OPERATION) {
            decode_pki_message(target, message_off, message_len, msg_buf, msg_cap, out);
        } else {
            bool complete;
            out->message_len = form_decode(u + message_off, message_len, msg_buf, msg_cap,
                                           &complete);
            if (!complete) {
                out->truncated = true;
                scep_errors_add(&out->errors, SCEP_ERR_CAPACITY, SCEP_SRC_INPUT, message_off,
                                "message: buffer too small for the decoded text");
            }
        }
    }

    if (out->operation == SCEP_OP_NONE)
        return SCEP_DECODE_NONE;
    return (out->errors.count > 0 || out->truncated) ? SCEP_DECODE_PARTIAL : SCEP_DECODE_OK;
}
