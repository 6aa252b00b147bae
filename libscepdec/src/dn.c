/* dn.c — renders a distinguished name as an RFC 4514 string. */
#include "ber.h"

#include <string.h>

/* A bounded text sink. Text is appended in units (one character, one escape, one #hex pair)
 * that are never split. Once a unit would reach into the last four bytes (room for "..." and
 * the NUL), |cut| remembers where the text was last whole; if the rest then does not fit, the
 * text is cut there and "..." is added. |needed| counts every unit offered, stored or not; a
 * sink without |out| only counts. */
typedef struct {
    char *out;
    size_t cap;   /* bytes of |out|, NUL included */
    size_t len;
    size_t cut;   /* length to cut back to when the text overflows; SIZE_MAX while unused */
    bool full;    /* a unit did not fit: everything after is dropped */
    size_t needed; /* length of the whole text */
} dn_sink;

static void sink_put(dn_sink *s, const char *unit, size_t n)
{
    s->needed += n;
    if (s->full || s->out == NULL)
        return;
    if (s->cut == SIZE_MAX && s->len + n + 4 > s->cap)
        s->cut = s->len; /* from here on a cut is possible */
    if (s->len + n + 1 > s->cap) {
        s->full = true;
        return;
    }
    memcpy(s->out + s->len, unit, n);
    s->len += n;
}

static void sink_str(dn_sink *s, const char *text)
{
    sink_put(s, text, strlen(text));
}

static size_t sink_finish(dn_sink *s)
{
    if (s->full) {
        size_t keep = s->cut == SIZE_MAX ? s->len : s->cut;
        /* cap >= 4 guarantees keep + 3 < cap: |cut| was taken with four bytes to spare. */
        if (s->cap < 4)
            keep = 0;
        size_t dots = s->cap - 1 - keep < 3 ? s->cap - 1 - keep : 3;
        memcpy(s->out + keep, "...", dots);
        s->len = keep + dots;
    }
    s->out[s->len] = '\0';
    return s->len;
}

static void put_hex_byte(dn_sink *s, const char *prefix, uint8_t b)
{
    static const char hex[] = "0123456789ABCDEF";
    char unit[3];
    size_t n = 0;
    if (prefix)
        unit[n++] = prefix[0];
    unit[n++] = hex[b >> 4];
    unit[n++] = hex[b & 0x0F];
    sink_put(s, unit, n);
}

/* put_code_point appends one character of a value, escaping it as RFC 4514 section 2.4 asks:
 * '"' '+' ',' ';' '<' '>' '\' anywhere, '=' too (allowed, and safer for naive parsers), '#' or
 * a space at the start, a space at the end; control characters as \XX. */
static void put_code_point(dn_sink *s, uint32_t cp, bool first, bool last)
{
    char unit[4];
    if (cp < 0x20 || cp == 0x7F) {
        put_hex_byte(s, "\\", (uint8_t)cp);
        return;
    }
    if (cp < 0x80) {
        size_t n = 0;
        if (strchr("\"+,;<>\\=", (int)cp) || (first && (cp == '#' || cp == ' ')) ||
            (last && cp == ' '))
            unit[n++] = '\\';
        unit[n++] = (char)cp;
        sink_put(s, unit, n);
        return;
    }
    if (cp < 0x800) {
        unit[0] = (char)(0xC0 | cp >> 6);
        unit[1] = (char)(0x80 | (cp & 0x3F));
        sink_put(s, unit, 2);
    } else if (cp < 0x10000) {
        unit[0] = (char)(0xE0 | cp >> 12);
        unit[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        unit[2] = (char)(0x80 | (cp & 0x3F));
        sink_put(s, unit, 3);
    } else {
        unit[0] = (char)(0xF0 | cp >> 18);
        unit[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        unit[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        unit[3] = (char)(0x80 | (cp & 0x3F));
        sink_put(s, unit, 4);
    }
}

/* How a string type's octets map to characters. */
typedef enum { ENC_ASCII, ENC_UTF8, ENC_LATIN1, ENC_UCS2, ENC_UCS4, ENC_NONE } dn_encoding;

static dn_encoding value_encoding(const ber_elem *v)
{
    if (ber_constructed(v) || v->truncated)
        return ENC_NONE;
    switch (v->tag) {
    case BER_UTF8_STRING: return ENC_UTF8;
    case BER_PRINTABLE_STRING:
    case BER_IA5_STRING:
    case BER_TAG(0, 18): /* NumericString */
    case BER_TAG(0, 26): /* VisibleString */
        return ENC_ASCII;
    case BER_T61_STRING: return ENC_LATIN1; /* as everyone does: T.61 proper is never sent */
    case BER_BMP_STRING: return ENC_UCS2;
    case BER_UNIVERSAL_STRING: return ENC_UCS4;
    default: return ENC_NONE;
    }
}

/* utf8_decode reads one well-formed UTF-8 sequence at |p|/|n| (RFC 3629: shortest form, no
 * surrogates, at most U+10FFFF). Returns its length, or 0 when the bytes are not one. */
static size_t utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
    uint8_t b = p[0];
    size_t len;
    uint32_t v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, v = b & 0x1Fu, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, v = b & 0x0Fu, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, v = b & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* decode_char reads the character at |p|/|n| in |enc|. Returns the octets it takes, or 0 when
 * they are not a valid character of that encoding. */
static size_t decode_char(dn_encoding enc, const uint8_t *p, size_t n, uint32_t *cp)
{
    switch (enc) {
    case ENC_ASCII:
        *cp = p[0];
        return p[0] < 0x80 ? 1 : 0;
    case ENC_LATIN1:
        *cp = p[0];
        return 1;
    case ENC_UTF8:
        return utf8_decode(p, n, cp);
    case ENC_UCS2: {
        if (n < 2)
            return 0;
        uint32_t u = (uint32_t)p[0] << 8 | p[1];
        if (u >= 0xDC00 && u <= 0xDFFF)
            return 0; /* a low surrogate first */
        if (u < 0xD800 || u > 0xDBFF) {
            *cp = u;
            return 2;
        }
        if (n < 4)
            return 0;
        uint32_t low = (uint32_t)p[2] << 8 | p[3];
        if (low < 0xDC00 || low > 0xDFFF)
            return 0;
        *cp = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
        return 4;
    }
    case ENC_UCS4: {
        if (n < 4)
            return 0;
        uint32_t u = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF))
            return 0;
        *cp = u;
        return 4;
    }
    case ENC_NONE:
        break;
    }
    return 0;
}

/* string_decodes checks that every octet of |v| decodes in |enc|, so a value is either shown
 * as text or, when it does not decode, as #hex: never half and half. */
static bool string_decodes(dn_encoding enc, const ber_cursor *v)
{
    size_t pos = 0;
    while (pos < v->len) {
        uint32_t cp;
        size_t n = decode_char(enc, v->data + pos, v->len - pos, &cp);
        if (n == 0)
            return false;
        pos += n;
    }
    return true;
}

/* put_value appends the value: as text when it is a string that decodes, else (and always
 * when |as_hex|) as '#' and the hex of its whole BER encoding (RFC 4514 2.4). */
static void put_value(dn_sink *s, const ber_elem *v, bool as_hex)
{
    dn_encoding enc = value_encoding(v);
    if (as_hex || enc == ENC_NONE || !string_decodes(enc, &v->contents)) {
        scep_span whole = ber_span(v, true);
        sink_str(s, "#");
        for (size_t i = 0; i < whole.length; i++)
            put_hex_byte(s, NULL, whole.data[i]);
        return;
    }
    const uint8_t *p = v->contents.data;
    size_t n = v->contents.len, pos = 0;
    while (pos < n) {
        uint32_t cp = 0;
        size_t used = decode_char(enc, p + pos, n - pos, &cp);
        put_code_point(s, cp, pos == 0, pos + used == n);
        pos += used;
    }
}

/* put_type appends the attribute type: the short name for a known DN attribute, else dotted.
 * Returns whether it was named: RFC 4514 2.4 wants the value of a dotted type as #hex. */
static bool put_type(dn_sink *s, const ber_elem *oid)
{
    const scep_oid_info *info = scep_oid_lookup(oid->contents.data, oid->contents.len);
    if (info && info->kind == SCEP_OID_DN_ATTRIBUTE) {
        sink_str(s, info->name);
        return true;
    }
    char dotted[128];
    size_t n = scep_oid_to_dotted(oid->contents.data, oid->contents.len, dotted, sizeof dotted);
    if (n >= sizeof dotted) { /* SCEP_FORMAT_INVALID, or too long to be worth reading */
        /* Not a valid OID: show its octets, so the reader still sees something. */
        sink_str(s, "#");
        for (size_t i = 0; i < oid->contents.len; i++)
            put_hex_byte(s, NULL, oid->contents.data[i]);
        return false;
    }
    sink_str(s, dotted);
    return false;
}

/* read_atv reads one AttributeTypeAndValue from |rdn| into its type and value elements. */
static bool read_atv(ber_cursor *rdn, ber_elem *type, ber_elem *value)
{
    ber_elem atv;
    ber_fault fault;
    if (!ber_next_tagged(rdn, BER_SEQUENCE, &atv, &fault) || atv.truncated)
        return false;
    ber_cursor inner = atv.contents;
    if (!ber_next_tagged(&inner, BER_OID, type, &fault) || type->truncated ||
        type->contents.len == 0 || !ber_next(&inner, value, &fault) || value->truncated)
        return false;
    return ber_empty(&inner);
}

/* rdn_valid: is |e| a complete SET of one or more well-formed AttributeTypeAndValues? */
static bool rdn_valid(const ber_elem *e)
{
    if (e->tag != BER_SET || e->truncated || ber_empty(&e->contents))
        return false;
    ber_cursor c = e->contents;
    while (!ber_empty(&c)) {
        ber_elem type, value;
        if (!read_atv(&c, &type, &value))
            return false;
    }
    return true;
}

/* put_atv appends one "type=value". */
static void put_atv(dn_sink *s, const ber_elem *type, const ber_elem *value)
{
    bool named = put_type(s, type);
    sink_str(s, "=");
    put_value(s, value, !named);
}

/* count_rdns checks the Name |name| and counts its RDNs. A Name cut short (a truncated
 * certificate) counts the RDNs that are whole. Returns false when anything else is malformed:
 * then it is not a Name. */
static bool count_rdns(const ber_elem *name, size_t *count)
{
    ber_fault fault;
    ber_cursor c = name->contents;
    *count = 0;
    while (!ber_empty(&c)) {
        ber_elem rdn;
        if (!ber_next(&c, &rdn, &fault))
            return fault.code == SCEP_ERR_TRUNCATED;
        if (!rdn_valid(&rdn))
            return rdn.truncated;
        (*count)++;
    }
    return true;
}

/* measure_name returns the length of the whole text of the first |count| RDNs of |name|. The
 * length does not depend on their order, so one forward walk suffices. */
static size_t measure_name(const ber_elem *name, size_t count)
{
    dn_sink counter = {NULL, 0, 0, SIZE_MAX, false, 0};
    ber_cursor c = name->contents;
    ber_fault fault;
    for (size_t i = 0; i < count; i++) {
        ber_elem rdn, type, value;
        (void)ber_next(&c, &rdn, &fault); /* counted before: cannot fail */
        if (i > 0)
            sink_str(&counter, ",");
        bool first = true;
        for (ber_cursor atvs = rdn.contents; !ber_empty(&atvs) && read_atv(&atvs, &type, &value);) {
            if (!first)
                sink_str(&counter, "+");
            put_atv(&counter, &type, &value);
            first = false;
        }
    }
    return counter.needed;
}

/* render_rdn appends the values of |rdn| last first, "+"-separated, at most |most| of them. */
static void render_rdn(dn_sink *sink, const ber_elem *rdn, size_t most)
{
    size_t values = 0;
    ber_elem type, value;
    for (ber_cursor atvs = rdn->contents; !ber_empty(&atvs) && read_atv(&atvs, &type, &value);)
        values++;
    size_t shown_values = values < most ? values : most;
    ber_cursor first_value = rdn->contents;
    for (size_t i = 0; i < values - shown_values; i++)
        (void)read_atv(&first_value, &type, &value); /* checked before: cannot fail */
    for (size_t j = shown_values; j > 0 && !sink->full; j--) {
        ber_cursor atvs = first_value;
        for (size_t i = 0; i < j; i++)
            (void)read_atv(&atvs, &type, &value); /* checked before: cannot fail */
        if (j != shown_values)
            sink_str(sink, "+");
        put_atv(sink, &type, &value);
    }
}

/* render_name writes the first |count| RDNs of |name| into |out|/|cap|, cut as dn_sink says. */
static void render_name(const ber_elem *name, size_t count, char *out, size_t cap)
{
    dn_sink sink = {out, cap, 0, SIZE_MAX, false, 0};
    /* RFC 4514 writes the last RDN of the sequence first. OpenSSL, whose output users compare
     * with ours, also reverses the values inside a multi-valued RDN, so we do too: the whole
     * list of values comes out backwards. Without storage for every RDN, each is found by
     * walking forward, and the walks stop once the text is full. Every RDN and every value
     * adds at least two characters ("x="), so at most cap / 2 + 1 of them are reached: only
     * the last |shown| RDNs (and, inside one, the last |shown_values| values) can appear.
     * Skipping the others once, before the walks, keeps a huge Name linear in its length; the
     * walks cost at most |shown| squared, which |cap| bounds. */
    size_t most = cap / 2 + 1;
    size_t shown = count < most ? count : most;
    ber_fault fault;
    ber_cursor first_shown = name->contents;
    for (size_t i = 0; i < count - shown; i++) {
        ber_elem skipped;
        (void)ber_next(&first_shown, &skipped, &fault); /* read before: cannot fail */
    }
    for (size_t k = shown; k > 0 && !sink.full; k--) {
        ber_cursor walk = first_shown;
        ber_elem rdn;
        for (size_t i = 0; i < k; i++)
            (void)ber_next(&walk, &rdn, &fault); /* read before: cannot fail */
        if (k != shown)
            sink_str(&sink, ",");
        render_rdn(&sink, &rdn, most);
    }
    sink_finish(&sink);
}

size_t scep_name_format(const uint8_t *der, size_t len, char *out, size_t cap)
{
    if (out != NULL && cap > 0)
        out[0] = '\0';
    else
        out = NULL;
    if (der == NULL)
        return SCEP_FORMAT_INVALID;
    ber_cursor input;
    ber_init(&input, der, len, 0, SCEP_SRC_INPUT);
    ber_elem name;
    ber_fault fault;
    size_t count;
    if (!ber_next_tagged(&input, BER_SEQUENCE, &name, &fault) || !count_rdns(&name, &count))
        return SCEP_FORMAT_INVALID;
    size_t needed = measure_name(&name, count);
    if (out != NULL)
        render_name(&name, count, out, cap);
    return needed;
}
