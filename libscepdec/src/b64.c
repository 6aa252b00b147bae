/* b64.c — one tolerant base64 decoder for every way a pkiMessage travels in a URL.
 *
 * Clients disagree on how to put base64 into a query string (escaped, raw,
 * url-safe, without padding, broken into lines: scepdec.h lists them at SCEP_B64_*),
 * and a log line may mix forms or stop anywhere. So the decoder accepts all forms at once in
 * one linear pass, records which ones it saw, and stops only at a character no form explains. */
#include "scepdec.h"

#include <string.h>
#include "b64.h"
#include "hex.h"

/* The fast path: whole quanta of four plain characters (either alphabet, no '=', no line
 * break, no space; sent as they are or as "%XX" escapes), decoded by table. Each character's
 * table entry holds its six bits already shifted to its place in the quantum, and flags in the
 * top byte: one for a character that is not plain (the slow path below takes it), one each
 * for the forms '+' '/' and '-' '_' show, one for an escape. OR-ing the four entries gives the
 * three bytes and the flags at once. */
#define B64_NOT_PLAIN 0x80000000u
#define B64_RAW_FLAG 0x01000000u
#define B64_URL_FLAG 0x02000000u
#define B64_ESCAPED_FLAG 0x04000000u

/* PLAIN_VALUE is the value of a plain character, or -1. */
#define PLAIN_VALUE(ch)                                                                        \
    ((ch) >= 'A' && (ch) <= 'Z'   ? (ch) - 'A'                                                 \
     : (ch) >= 'a' && (ch) <= 'z' ? (ch) - 'a' + 26                                            \
     : (ch) >= '0' && (ch) <= '9' ? (ch) - '0' + 52                                            \
     : (ch) == '+' || (ch) == '-' ? 62                                                         \
     : (ch) == '/' || (ch) == '_' ? 63                                                         \
                                  : -1)
#define PLAIN_FLAGS(ch)                                                                        \
    ((ch) == '+' || (ch) == '/' ? B64_RAW_FLAG : (ch) == '-' || (ch) == '_' ? B64_URL_FLAG : 0u)
#define ENTRY(ch, shift)                                                                       \
    (PLAIN_VALUE(ch) < 0 ? B64_NOT_PLAIN : (uint32_t)PLAIN_VALUE(ch) << (shift) | PLAIN_FLAGS(ch))
#define ENTRIES4(ch, shift)                                                                    \
    ENTRY(ch, shift), ENTRY((ch) + 1, shift), ENTRY((ch) + 2, shift), ENTRY((ch) + 3, shift)
#define ENTRIES16(ch, shift)                                                                   \
    ENTRIES4(ch, shift), ENTRIES4((ch) + 4, shift), ENTRIES4((ch) + 8, shift),                 \
        ENTRIES4((ch) + 12, shift)
#define ENTRIES64(ch, shift)                                                                   \
    ENTRIES16(ch, shift), ENTRIES16((ch) + 16, shift), ENTRIES16((ch) + 32, shift),            \
        ENTRIES16((ch) + 48, shift)
#define TABLE(shift)                                                                           \
    {ENTRIES64(0, shift), ENTRIES64(64, shift), ENTRIES64(128, shift), ENTRIES64(192, shift)}

static const uint32_t plain_table[4][256] = {TABLE(18), TABLE(12), TABLE(6), TABLE(0)};

/* Value of one base64 character in either alphabet, -1 when it is in neither: the last
 * quantum table holds the plain characters' values unshifted. ' ' is '+' after form decoding
 * turned it into a space; it is classified separately for the flags. */
static int b64_value(unsigned char ch)
{
    uint32_t entry = plain_table[3][ch];
    if (!(entry & B64_NOT_PLAIN))
        return (int)(entry & 0x3Fu);
    return ch == ' ' ? 62 : -1;
}

/* quantum_entry: the four characters at |p| OR-ed through the tables. */
static inline uint32_t quantum_entry(const unsigned char *p)
{
    return plain_table[0][p[0]] | plain_table[1][p[1]] | plain_table[2][p[2]] |
           plain_table[3][p[3]];
}

/* escaped_quantum reads the quantum at |p|[|i|] whose characters are each plain or a "%XX"
 * escape (hex in either case) of a plain character, as %2B and %2F are in URLs. Returns its
 * entry, B64_NOT_PLAIN when it is not such a quantum (a line break, padding, an escape of
 * anything else or cut short, the end of the text), and sets |*next| past it. An escaped
 * character carries B64_ESCAPED_FLAG, not B64_RAW_FLAG: '+' and '/' sent escaped are not the
 * raw form. */
static inline uint32_t escaped_quantum(const unsigned char *p, size_t i, size_t len,
                                       size_t *next)
{
    uint32_t entry = 0;
    for (int k = 0; k < 4; k++) {
        if (i == len)
            return B64_NOT_PLAIN;
        if (p[i] != '%') {
            entry |= plain_table[k][p[i++]];
            continue;
        }
        int hi = len - i >= 3 ? hex_value(p[i + 1]) : -1;
        int lo = hi >= 0 ? hex_value(p[i + 2]) : -1;
        if (lo < 0)
            return B64_NOT_PLAIN;
        entry |= (plain_table[k][hi << 4 | lo] & ~B64_RAW_FLAG) | B64_ESCAPED_FLAG;
        i += 3;
    }
    *next = i;
    return entry;
}

/* decode_plain_quanta decodes whole plain quanta from |p|[|i|] on, while at least |cap| -
 * |*n| >= 3 bytes of room remain, and returns the index of the first character it did not
 * take. ORs the quanta's flags into |*flags|. */
static size_t decode_plain_quanta(const unsigned char *p, size_t i, size_t len, uint8_t *out,
                                  size_t cap, size_t *n, uint32_t *flags)
{
    size_t o = *n;
    uint32_t seen = 0;
    /* Two quanta a round while there is room for both: fewer branches per byte. */
    while (len - i >= 8 && cap - o >= 6) {
        uint32_t first = quantum_entry(p + i), second = quantum_entry(p + i + 4);
        if ((first | second) & B64_NOT_PLAIN)
            break;
        seen |= first | second;
        out[o] = (uint8_t)(first >> 16);
        out[o + 1] = (uint8_t)(first >> 8);
        out[o + 2] = (uint8_t)first;
        out[o + 3] = (uint8_t)(second >> 16);
        out[o + 4] = (uint8_t)(second >> 8);
        out[o + 5] = (uint8_t)second;
        o += 6;
        i += 8;
    }
    if (len - i >= 4 && cap - o >= 3) {
        uint32_t entry = quantum_entry(p + i);
        if (!(entry & B64_NOT_PLAIN)) {
            seen |= entry;
            out[o] = (uint8_t)(entry >> 16);
            out[o + 1] = (uint8_t)(entry >> 8);
            out[o + 2] = (uint8_t)entry;
            o += 3;
            i += 4;
        }
    }
    *flags |= seen;
    *n = o;
    return i;
}

/* decode_quanta decodes whole quanta of plain or escaped plain characters from |p|[|i|] on,
 * while at least |cap| - |*n| >= 3 bytes of room remain, and returns the index of the first
 * character it did not take. Adds the forms seen to |*seen|. The caller is at a quantum
 * boundary, before padding. Same bytes and forms as the character-by-character path gives
 * for those quanta. */
static size_t decode_quanta(const unsigned char *p, size_t i, size_t len, uint8_t *out,
                            size_t cap, size_t *n, unsigned *seen)
{
    uint32_t flags = 0;
    for (;;) {
        i = decode_plain_quanta(p, i, len, out, cap, n, &flags);
        size_t next;
        uint32_t entry;
        if (len - i < 4 || cap - *n < 3 ||
            ((entry = escaped_quantum(p, i, len, &next)) & B64_NOT_PLAIN))
            break;
        flags |= entry;
        out[*n] = (uint8_t)(entry >> 16);
        out[*n + 1] = (uint8_t)(entry >> 8);
        out[*n + 2] = (uint8_t)entry;
        *n += 3;
        i = next;
    }
    if (flags & B64_RAW_FLAG)
        *seen |= SCEP_B64_RAW_PLUS_SLASH;
    if (flags & B64_URL_FLAG)
        *seen |= SCEP_B64_URL_SAFE;
    if (flags & B64_ESCAPED_FLAG)
        *seen |= SCEP_B64_PERCENT_ESCAPED;
    return i;
}

static void set_error(scep_error *error, scep_error_code code, size_t offset, const char *message)
{
    if (error) {
        error->code = code;
        error->source = SCEP_SRC_INPUT;
        error->offset = offset;
        error->message = message;
    }
}

/* The slow path's state: one character at a time, any form. */
typedef struct {
    uint8_t *out;
    size_t cap;
    size_t n;              /* bytes written */
    unsigned seen;         /* SCEP_B64_* forms */
    uint32_t acc;          /* bits of the current quantum, 6 per character */
    unsigned have;         /* characters in the current quantum */
    bool padding;          /* an '=' was seen: only more '=' and line breaks may follow */
    unsigned pads_missing;
    bool stopped;          /* a character no form explains, or no room */
    bool cut;              /* the text ends inside a percent escape */
    scep_error *error;
} b64_state;

static void stop(b64_state *s, scep_error_code code, size_t at, const char *message)
{
    set_error(s->error, code, at, message);
    s->stopped = true;
}

/* is_field_end: does |ch| end a URL query parameter ('&' the next one, '#' the fragment)? */
static inline bool is_field_end(unsigned char ch) { return ch == '&' || ch == '#'; }

/* read_char reads the character at |p|[|*i|] (|*len| bytes in all), unescaping "%XX" into
 * |*ch| and |*escaped|, and advances |*i|. Returns false when the text ends inside an escape
 * (|s->cut|) or a '%' escapes nothing (an error). With |field|, a '&' or '#' in the two
 * characters after a '%' ends the text there, and |*len| is set to it. */
static bool read_char(b64_state *s, const unsigned char *p, size_t *len, bool field, size_t *i,
                      unsigned char *ch, bool *escaped)
{
    *ch = p[*i];
    *escaped = false;
    if (*ch != '%') {
        *i += 1;
        return true;
    }
    size_t avail = *len - *i;
    if (field && avail >= 2 && is_field_end(p[*i + 1]))
        avail = 1;
    else if (field && avail >= 3 && is_field_end(p[*i + 2]))
        avail = 2;
    if (avail < 3 && (avail < 2 || hex_value(p[*i + 1]) >= 0)) {
        /* A log line cut inside an escape: the text ends, nothing is wrong with it. */
        *len = *i + avail;
        s->cut = true;
        return false;
    }
    int hi = avail >= 3 ? hex_value(p[*i + 1]) : -1;
    int lo = avail >= 3 ? hex_value(p[*i + 2]) : -1;
    if (hi < 0 || lo < 0) {
        stop(s, SCEP_ERR_BAD_BASE64, *i, "base64: '%' not followed by two hex digits");
        return false;
    }
    *ch = (unsigned char)(hi << 4 | lo);
    *escaped = true;
    *i += 3;
    return true;
}

/* take_padding takes an '=' found at |at|. Returns false when no padding belongs there. */
static bool take_padding(b64_state *s, size_t at, bool escaped)
{
    /* '=' completes a quantum of two or three characters; anywhere else it is not padding
     * but a character out of place. */
    if (s->padding ? s->pads_missing == 0 : s->have < 2) {
        stop(s, SCEP_ERR_BAD_BASE64, at, "base64: '=' where no padding belongs");
        return false;
    }
    if (escaped)
        s->seen |= SCEP_B64_PERCENT_ESCAPED;
    if (!s->padding) {
        s->padding = true;
        s->pads_missing = 4 - s->have;
    }
    s->pads_missing--;
    return true;
}

/* take_char takes one character (unescaped already) found at |at|. Returns false when the
 * decoder must stop there. */
static bool take_char(b64_state *s, size_t at, unsigned char ch, bool escaped)
{
    if (ch == '\r' || ch == '\n') {
        s->seen |= SCEP_B64_LINE_BREAKS;
        return true;
    }
    if (ch == '=')
        return take_padding(s, at, escaped);
    int v = b64_value(ch);
    if (v < 0 || s->padding) {
        stop(s, SCEP_ERR_BAD_BASE64, at,
             v < 0 ? "base64: character outside every alphabet" : "base64: data after the padding");
        return false;
    }
    if (ch == ' ')
        s->seen |= SCEP_B64_SPACE_AS_PLUS;
    else if (escaped)
        s->seen |= SCEP_B64_PERCENT_ESCAPED;
    else if (ch == '+' || ch == '/')
        s->seen |= SCEP_B64_RAW_PLUS_SLASH;
    if (ch == '-' || ch == '_')
        s->seen |= SCEP_B64_URL_SAFE;

    s->acc = s->acc << 6 | (uint32_t)v;
    if (++s->have < 4)
        return true;
    s->have = 0;
    if (s->cap - s->n < 3) {
        /* Keep what fits so the caller sees as much as the buffer allows. */
        for (unsigned k = 0; k < 3 && s->n < s->cap; k++)
            s->out[s->n++] = (uint8_t)(s->acc >> (16 - 8 * k));
        stop(s, SCEP_ERR_CAPACITY, at, "base64: output buffer too small");
        return false;
    }
    s->out[s->n++] = (uint8_t)(s->acc >> 16);
    s->out[s->n++] = (uint8_t)(s->acc >> 8);
    s->out[s->n++] = (uint8_t)s->acc;
    s->acc = 0;
    return true;
}

/* finish_quantum writes what a final quantum carries once the text (|len| characters) ends:
 * of two or three characters, whole bytes (one or two); of one character, six bits, less than
 * a byte: the text was cut. */
static void finish_quantum(b64_state *s, size_t len)
{
    if (s->have >= 2) {
        unsigned bytes = s->have - 1;
        uint32_t acc = s->acc << 6 * (4 - s->have);
        for (unsigned k = 0; k < bytes; k++) {
            if (s->n == s->cap) {
                if (!s->stopped)
                    stop(s, SCEP_ERR_CAPACITY, len, "base64: output buffer too small");
                s->stopped = true;
                break;
            }
            s->out[s->n++] = (uint8_t)(acc >> (16 - 8 * k));
        }
        if (!s->stopped && !s->cut && (!s->padding || s->pads_missing > 0))
            s->seen |= SCEP_B64_NO_PADDING;
    } else if (s->have == 1 && !s->stopped) {
        s->seen |= SCEP_B64_TRUNCATED;
    }
    if (s->cut)
        s->seen |= SCEP_B64_TRUNCATED;
}

/* field_end: the index of the first '&' or '#' in |p|[from, len), or |len|. */
static size_t field_end(const unsigned char *p, size_t from, size_t len)
{
    const unsigned char *amp = memchr(p + from, '&', len - from);
    size_t end = amp ? (size_t)(amp - p) : len;
    const unsigned char *hash = memchr(p + from, '#', end - from);
    return hash ? (size_t)(hash - p) : end;
}

/* decode runs the decoder over |text|/|len|; with |field|, the text ends at its first '&' or
 * '#' (a URL query parameter's end), and |*text_len| says where it ended. */
static scep_status decode(const char *text, size_t len, bool field, uint8_t *out, size_t cap,
                          size_t *out_len, unsigned *forms, scep_error *error, size_t *text_len)
{
    const unsigned char *p = (const unsigned char *)text;
    b64_state s = {out, cap, 0, 0, 0, 0, false, 0, false, false, error};
    set_error(error, SCEP_ERR_NONE, 0, NULL);
    if (text == NULL)
        len = 0;

    size_t i = 0;
    while (i < len) {
        if (s.have == 0 && !s.padding) {
            i = decode_quanta(p, i, len, out, cap, &s.n, &s.seen);
            if (i == len)
                break;
        }
        size_t at = i;
        unsigned char ch;
        bool escaped;
        if (field && is_field_end(p[i])) {
            len = i;
            break;
        }
        if (!read_char(&s, p, &len, field, &i, &ch, &escaped) || !take_char(&s, at, ch, escaped)) {
            if (field && s.stopped)
                len = field_end(p, at, len); /* the rest of the field is not decoded */
            break;
        }
    }
    finish_quantum(&s, len);

    *out_len = s.n;
    *text_len = len;
    if (forms)
        *forms |= s.seen;
    if (s.n == 0)
        return SCEP_DECODE_NONE;
    return (s.stopped || (s.seen & SCEP_B64_TRUNCATED)) ? SCEP_DECODE_PARTIAL : SCEP_DECODE_OK;
}

scep_status scep_base64_decode(const char *text, size_t len, uint8_t *out, size_t cap,
                               size_t *out_len, unsigned *forms, scep_error *error)
{
    size_t text_len;
    return decode(text, len, false, out, cap, out_len, forms, error, &text_len);
}

scep_status b64_decode_field(const char *text, size_t len, uint8_t *out, size_t cap,
                             size_t *out_len, unsigned *forms, scep_error *error,
                             size_t *field_len)
{
    return decode(text, len, true, out, cap, out_len, forms, error, field_len);
}
