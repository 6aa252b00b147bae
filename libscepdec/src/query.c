/* query.c — parses an HTTP request target into SCEP's operation and message.
 *
 * The target comes from a capture or a device log, so it may be a full URL, an origin form or
 * just the query, may differ in case from RFC 8894's spelling, and may be cut anywhere. Every
 * value is kept as a span into the target, so renderers can show what was sent, and decoded
 * next to it. */
#include "ber.h"
#include "scepdec.h"

#include <stddef.h>
#include <string.h>
#include "b64.h"
#include "hex.h"

/* The names of SCEP_OP_GET_CA_CERT and the operations after it, in the enum's order, as
 * RFC 8894 and Microsoft NDES spell them. */
#define FIRST_NAMED_OPERATION SCEP_OP_GET_CA_CERT
#define OPERATIONS(NAME)                                                                       \
    NAME("GetCACert") NAME("GetCACaps") NAME("GetNextCACert") NAME("PKIOperation")             \
    NAME("NDESGenerateChallenge") NAME("NDESGetCACertThumbprint")
#define OPERATION_TEXT(text) text,
#define OPERATION_LENGTH(text) sizeof text - 1,
static const char *const operation_names[] = {OPERATIONS(OPERATION_TEXT)};
static const uint8_t operation_name_lengths[] = {OPERATIONS(OPERATION_LENGTH)};
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

/* fold_diff32 and fold_diff64 compare the 4 or 8 bytes at |p| with those at |want|, lowercase
 * letters, ignoring case: zero when they match. For a lowercase letter w, (c | 0x20) == w holds
 * for c = w and c = w - 0x20 (its uppercase) and no other byte, so one OR folds a whole word
 * exactly. Both sides are loaded the same way, so byte order does not matter. */
static inline uint32_t fold_diff32(const unsigned char *p, const char *want)
{
    uint32_t got, expect;
    memcpy(&got, p, sizeof got);
    memcpy(&expect, want, sizeof expect);
    return (got | 0x20202020u) ^ expect;
}

static inline uint64_t fold_diff64(const unsigned char *p, const char *want)
{
    uint64_t got, expect;
    memcpy(&got, p, sizeof got);
    memcpy(&expect, want, sizeof expect);
    return (got | 0x2020202020202020u) ^ expect;
}

/* letters_equal_fold: do the |n| bytes at |p| (4 <= |n| <= 16) spell |want|, all lowercase
 * letters, in any case? Two words cover them, overlapping when |n| is not twice a word; only
 * the |n| bytes are read. */
static inline bool letters_equal_fold(const unsigned char *p, const char *want, size_t n)
{
    if (n >= 8)
        return (fold_diff64(p, want) | fold_diff64(p + n - 8, want + n - 8)) == 0;
    return (fold_diff32(p, want) | fold_diff32(p + n - 4, want + n - 4)) == 0;
}

/* match_operation finds the operation the decoded |name| denotes: RFC 8894's exact spelling
 * first, then any case, since some clients send "pkioperation". */
static scep_operation match_operation(const uint8_t *name, size_t len)
{
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        const char *want = operation_names[i];
        if (operation_name_lengths[i] == len && memcmp(want, name, len) == 0)
            return (scep_operation)(FIRST_NAMED_OPERATION + i);
    }
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        const char *want = operation_names[i];
        if (operation_name_lengths[i] != len)
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

/* What a character of a query is to the scans below. */
enum {
    QC_NAME_END = 1u << 0,  /* '=': a parameter's name ends */
    QC_PARAM_END = 1u << 1, /* '&' or '#': the parameter ends, at the next one or the fragment */
    QC_ESCAPE = 1u << 2,    /* '%' or '+': text that form decoding changes */
};
static const uint8_t query_class[256] = {
    ['='] = QC_NAME_END, ['&'] = QC_PARAM_END, ['#'] = QC_PARAM_END,
    ['%'] = QC_ESCAPE,   ['+'] = QC_ESCAPE,
};

/* Names and operation values are short: a scan looks at this many characters one by one, and
 * leaves what is left of a longer one to memchr. */
#define SHORT_SCAN 32

/* scan_long: scan_query's end for a long text: the first '&' or '#' (and '=' when |stops| has
 * QC_NAME_END) in |p|[from, to), or |to|. */
static size_t scan_long(const char *p, size_t from, size_t to, unsigned stops)
{
    size_t end = find(p, from, find(p, from, to, '&'), '#');
    return (stops & QC_NAME_END) ? find(p, from, end, '=') : end;
}

/* scan_query returns the index of the first character in |p|[from, to) whose class shares a
 * bit with |stops|, or |to|, and ORs the classes of the characters before it into |*seen|.
 * Past SHORT_SCAN characters memchr finds the end, and |*seen| gets QC_ESCAPE whether or not
 * there is one: the caller then form-decodes, which is right either way. */
static size_t scan_query(const char *p, size_t from, size_t to, unsigned stops, unsigned *seen)
{
    size_t direct = to - from > SHORT_SCAN ? from + SHORT_SCAN : to;
    unsigned classes = 0;
    for (size_t i = from; i < direct; i++) {
        unsigned ch_class = query_class[(unsigned char)p[i]];
        if (ch_class & stops) {
            *seen |= classes;
            return i;
        }
        classes |= ch_class;
    }
    *seen |= classes;
    if (direct == to)
        return to;
    *seen |= QC_ESCAPE;
    return scan_long(p, direct, to, stops);
}

/* param_end returns the index of the first '&' or '#' in |p|[from, to), or |to|: where a
 * parameter's value ends. */
static size_t param_end(const char *p, size_t from, size_t to)
{
    unsigned seen = 0;
    return scan_query(p, from, to, QC_PARAM_END, &seen);
}

/* split_target locates the path and the start of the query in |target|/|*len|. A target
 * with '?' (before any '#') has both; without one it is a bare query when it contains '='
 * and looks like neither a URL nor a path, else a path alone. A full URL's path starts after
 * its authority. A fragment before the query is cut off |*len| here; one inside the query is
 * found as its parameters are read. Returns the query's start, or |*len| + 1 when there is no
 * query. */
static size_t split_target(const char *target, size_t *len, scep_query *out)
{
    size_t qmark = find(target, 0, *len, '?');
    size_t hash = find(target, 0, qmark, '#');
    if (hash < qmark) /* a fragment never reaches the server */
        *len = qmark = hash;
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

    if (qmark < *len) {
        out->path = input_span(target, path_start, qmark - path_start);
        return qmark + 1;
    }
    bool looks_like_path = scheme_end > 0 || (*len > 0 && target[0] == '/');
    if (!looks_like_path && find(target, 0, *len, '=') < *len)
        return 0;
    out->path = input_span(target, path_start, *len - path_start);
    return *len + 1;
}

/* decode_pki_message base64-decodes the PKIOperation message value, which starts at
 * |value_off| in |target| and ends at the first '&' or '#' in the |avail| characters there,
 * into |buf|, and records its forms, truncation and errors in |out|. Returns the value's
 * length: its end is found by the decoder as it goes, not by a scan of its own. */
static size_t decode_pki_message(const char *target, size_t value_off, size_t avail,
                                 uint8_t *buf, size_t cap, scep_query *out)
{
    scep_error err;
    unsigned forms = 0;
    size_t n = 0, value_len;
    b64_decode_field(target + value_off, avail, buf, cap, &n, &forms, &err, &value_len);
    out->message_len = n;
    out->message_forms = forms;
    if (err.code != SCEP_ERR_NONE) {
        scep_errors_add(&out->errors, err.code, SCEP_SRC_INPUT, value_off + err.offset,
                        err.message);
        if (err.code == SCEP_ERR_CAPACITY)
            out->truncated = true;
        return value_len;
    }
    if (forms & SCEP_B64_TRUNCATED) {
        out->truncated = true;
        scep_errors_add(&out->errors, SCEP_ERR_TRUNCATED, SCEP_SRC_INPUT, value_off + value_len,
                        "message: base64 text stops mid-quantum");
        return value_len;
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
    return value_len;
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


/* The parameters SCEP reads, by name. */
typedef enum { PARAM_OTHER, PARAM_OPERATION, PARAM_MESSAGE } param_kind;
#define OPERATION_PARAM "operation"
#define MESSAGE_PARAM "message"
#define PARAM_LENGTH(name) (sizeof name - 1)
_Static_assert(PARAM_LENGTH(MESSAGE_PARAM) >= 4 && PARAM_LENGTH(OPERATION_PARAM) <= 16,
               "letters_equal_fold compares 4 to 16 letters");

/* kind_of_name tells which parameter the form-encoded name |p|/|len| is, ignoring case.
 * |escaped| says the name holds a '%' or '+' and must be decoded before it is compared;
 * without one it decodes to itself. */
static param_kind kind_of_name(const unsigned char *p, size_t len, bool escaped)
{
    uint8_t decoded[PARAM_LENGTH(OPERATION_PARAM)]; /* the longer name */
    if (escaped) {
        bool complete;
        len = form_decode(p, len, decoded, sizeof decoded, &complete);
        if (!complete)
            return PARAM_OTHER; /* decodes to more than either name */
        p = decoded;
    }
    if (len == PARAM_LENGTH(OPERATION_PARAM) &&
        letters_equal_fold(p, OPERATION_PARAM, PARAM_LENGTH(OPERATION_PARAM)))
        return PARAM_OPERATION;
    if (len == PARAM_LENGTH(MESSAGE_PARAM) &&
        letters_equal_fold(p, MESSAGE_PARAM, PARAM_LENGTH(MESSAGE_PARAM)))
        return PARAM_MESSAGE;
    return PARAM_OTHER;
}

/* name_then_equals: is the parameter at |start| in |target|/|len| the letters |name| (any
 * case) followed by '='? Then it decodes to |name|, and its value starts after the '='. */
static inline bool name_then_equals(const char *target, size_t start, size_t len,
                                    const char *name, size_t name_len)
{
    return len - start > name_len && target[start + name_len] == '=' &&
           letters_equal_fold((const unsigned char *)target + start, name, name_len);
}

/* read_name reads the name of the parameter that starts at |start| in |target|/|len|, in one
 * pass to its first '=', '&' or '#', and sets |*value_off| to where the value starts: after
 * the '=', or where the parameter ends when it has none (an empty value). The two names SCEP
 * reads, spelt without escapes, are recognized in place, without that pass. */
static param_kind read_name(const char *target, size_t start, size_t len, size_t *value_off)
{
    if (name_then_equals(target, start, len, OPERATION_PARAM, PARAM_LENGTH(OPERATION_PARAM))) {
        *value_off = start + PARAM_LENGTH(OPERATION_PARAM) + 1;
        return PARAM_OPERATION;
    }
    if (name_then_equals(target, start, len, MESSAGE_PARAM, PARAM_LENGTH(MESSAGE_PARAM))) {
        *value_off = start + PARAM_LENGTH(MESSAGE_PARAM) + 1;
        return PARAM_MESSAGE;
    }
    unsigned seen = 0;
    size_t name_end = scan_query(target, start, len, QC_NAME_END | QC_PARAM_END, &seen);
    *value_off = name_end < len && target[name_end] == '=' ? name_end + 1 : name_end;
    return kind_of_name((const unsigned char *)target + start, name_end - start,
                        seen & QC_ESCAPE);
}

/* exact_operation returns the operation whose name, as RFC 8894 (or NDES) spells it, the value
 * at |target|[value_off] is, up to a '&', '#' or |len|; SCEP_OP_UNKNOWN when it is none of them.
 * Sets |*value_len| on a match. Such a value holds no '%' or '+': it is its own decoding, so
 * this is the first, case-sensitive, step of the match, taken before any scan for escapes. */
static scep_operation exact_operation(const char *target, size_t value_off, size_t len,
                                      size_t *value_len)
{
    const char *value = target + value_off;
    size_t avail = len - value_off;
    for (size_t i = 0; i < OPERATION_COUNT; i++) {
        size_t n = operation_name_lengths[i];
        if (n > avail || value[0] != operation_names[i][0] ||
            memcmp(value, operation_names[i], n) != 0)
            continue;
        if (n == avail || (query_class[(unsigned char)value[n]] & QC_PARAM_END)) {
            *value_len = n;
            return (scep_operation)(FIRST_NAMED_OPERATION + i);
        }
    }
    return SCEP_OP_UNKNOWN;
}

/* read_operation reads the operation value that starts at |value_off| in |target|/|len| into
 * out->operation_text and matches it (decoded) into out->operation. Returns where it ends. */
static size_t read_operation(const char *target, size_t value_off, size_t len, scep_query *out)
{
    size_t value_len = 0;
    scep_operation op = exact_operation(target, value_off, len, &value_len);
    if (op == SCEP_OP_UNKNOWN) {
        unsigned seen = 0;
        value_len = scan_query(target, value_off, len, QC_PARAM_END, &seen) - value_off;
        const uint8_t *value = (const uint8_t *)target + value_off;
        if (!(seen & QC_ESCAPE)) {
            op = match_operation(value, value_len); /* decodes to itself */
        } else {
            uint8_t name[32]; /* longer than every operation name */
            bool complete;
            size_t n = form_decode(value, value_len, name, sizeof name, &complete);
            op = complete ? match_operation(name, n) : SCEP_OP_UNKNOWN;
        }
    }
    out->operation_text = input_span(target, value_off, value_len);
    out->operation = op;
    return value_off + value_len;
}

/* What read_parameters found of the message parameter. */
typedef enum { MESSAGE_NONE, MESSAGE_FOUND, MESSAGE_DECODED } message_state;

/* read_message reads the message value that starts at |value_off| in |target|/|len| into
 * out->message_text and returns where it ends. After PKIOperation it is decoded into |buf| on
 * the way (MESSAGE_DECODED), its end found by the decoder; else only its span is kept
 * (MESSAGE_FOUND) and scep_decode_query decodes it once the operation is known. */
static size_t read_message(const char *target, size_t value_off, size_t len, uint8_t *buf,
                           size_t cap, scep_query *out, message_state *message)
{
    size_t value_end;
    if (out->operation == SCEP_OP_PKI_OPERATION) {
        *message = MESSAGE_DECODED;
        value_end =
            value_off + decode_pki_message(target, value_off, len - value_off, buf, cap, out);
    } else {
        *message = MESSAGE_FOUND;
        value_end = param_end(target, value_off, len);
    }
    out->message_text = input_span(target, value_off, value_end - value_off);
    return value_end;
}

/* read_parameters reads the parameters of the query that starts at |start| in |target|/|len|
 * and returns where it ends (at a '#' or at |len|). The first operation is matched at once;
 * the first message is read by read_message. */
static size_t read_parameters(const char *target, size_t start, size_t len, uint8_t *buf,
                              size_t cap, scep_query *out, message_state *message)
{
    for (;;) {
        size_t value_off, value_end;
        param_kind kind = read_name(target, start, len, &value_off);
        /* The first occurrence of each parameter counts, as in most servers' form parsing. */
        if (kind == PARAM_OPERATION && !scep_span_present(out->operation_text))
            value_end = read_operation(target, value_off, len, out);
        else if (kind == PARAM_MESSAGE && *message == MESSAGE_NONE)
            value_end = read_message(target, value_off, len, buf, cap, out, message);
        else
            value_end = param_end(target, value_off, len);
        if (value_end == len || target[value_end] == '#')
            return value_end;
        start = value_end + 1;
    }
}

/* scep_decode_query clears its result up to the error list, and the one field after it. */
_Static_assert(offsetof(scep_query, operation_inferred) > offsetof(scep_query, errors) &&
                   sizeof(scep_query) - offsetof(scep_query, operation_inferred) <=
                       _Alignof(scep_query),
               "scep_query field order");

scep_status scep_decode_query(const char *target, size_t len, uint8_t *msg_buf, size_t msg_cap,
                              scep_query *out)
{
    /* Cleared but for the error entries, which are unspecified past their count. */
    memset(out, 0, offsetof(scep_query, errors));
    out->errors.count = 0;
    out->errors.dropped = 0;
    out->operation_inferred = false;
    if (target == NULL)
        return SCEP_DECODE_NONE;
    if (msg_buf == NULL)
        msg_cap = 0;
    size_t start = split_target(target, &len, out);
    if (start > len)
        return SCEP_DECODE_NONE;
    message_state message = MESSAGE_NONE;
    size_t end = read_parameters(target, start, len, msg_buf, msg_cap, out, &message);
    out->query = input_span(target, start, end - start);
    bool have_message = message != MESSAGE_NONE;
    size_t message_off = out->message_text.offset, message_len = out->message_text.length;

    /* A log that cuts a URL whose message comes first (scepclient's relay order
     * "?message=MIIJ...&operation=PKIOperation") loses the operation: the message says it. */
    if (have_message && operation_may_be_lost(target, end, out) &&
        message_starts_pki_message(target + message_off, message_len)) {
        out->operation = SCEP_OP_PKI_OPERATION;
        out->operation_inferred = true;
    }

    if (message == MESSAGE_FOUND) {
        if (out->operation == SCEP_OP_PKI_OPERATION) {
            decode_pki_message(target, message_off, message_len, msg_buf, msg_cap, out);
        } else {
            const unsigned char *u = (const unsigned char *)target;
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
