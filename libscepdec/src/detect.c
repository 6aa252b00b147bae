/* detect.c recognises what form an input has and unwraps its transport for scep_decode_input:
 * HTTP framing (request or status line, headers, Content-Length or chunked body), PEM armor,
 * base64 text, a URL in a line of text. It never looks inside ASN.1. Nothing here allocates:
 * what must be rewritten (a chunked body joined, base64 text compacted and decoded) goes into
 * the caller's work area. */
#include <string.h>

#include "ascii.h"
#include "input.h"

const char *scep_input_form_name(scep_input_form form)
{
    switch (form) {
    case SCEP_FORM_HTTP_REQUEST: return "HTTP request";
    case SCEP_FORM_HTTP_RESPONSE: return "HTTP response";
    case SCEP_FORM_QUERY: return "URL / query string";
    case SCEP_FORM_PEM: return "PEM";
    case SCEP_FORM_DER: return "DER/BER";
    case SCEP_FORM_CAPS: return "GetCACaps text";
    case SCEP_FORM_BASE64: return "base64 text";
    case SCEP_FORM_NONE: break;
    }
    return "unrecognised";
}

uint8_t *arena_take(work_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (a->base == NULL || n > a->cap - a->used)
        return NULL;
    uint8_t *p = a->base + a->used;
    a->used += n;
    return p;
}

/* find_nocase returns the offset of |needle| in |s|/|len|, or |len| when absent. */
static size_t find_nocase(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (ascii_starts_nocase(s + i, len - i, needle))
            return i;
    return len;
}

static size_t line_end(const char *s, size_t len, size_t from)
{
    while (from < len && s[from] != '\n')
        from++;
    return from;
}

/* trim_end strips a CR and blanks from the end of s[start, *end). */
static void trim_end(const char *s, size_t start, size_t *end)
{
    while (*end > start && (s[*end - 1] == '\r' || s[*end - 1] == ' ' || s[*end - 1] == '\t'))
        (*end)--;
}

/* skip_past_blank_line: the position after the first blank line at or after |pos| (header or
 * trailer fields end there), or |len| when there is none. */
static size_t skip_past_blank_line(const char *s, size_t len, size_t pos)
{
    while (pos < len) {
        size_t end = line_end(s, len, pos), trimmed = end;
        trim_end(s, pos, &trimmed);
        bool blank = trimmed == pos;
        pos = end < len ? end + 1 : len;
        if (blank)
            break;
    }
    return pos;
}

static bool is_http_version(const char *s, size_t len)
{
    return len >= 6 && memcmp(s, "HTTP/", 5) == 0 && s[5] >= '0' && s[5] <= '9';
}

bool scep_looks_like_http(const uint8_t *buf, size_t len)
{
    const char *s = (const char *)buf;
    size_t end = line_end(s, len, 0);
    trim_end(s, 0, &end);
    if (is_http_version(s, end))
        return true;
    /* METHOD SP target SP HTTP/x */
    size_t i = 0;
    while (i < end && s[i] >= 'A' && s[i] <= 'Z')
        i++;
    if (i == 0 || i > 16 || i >= end || s[i] != ' ')
        return false;
    size_t last_space = end;
    while (last_space > i && s[last_space - 1] != ' ')
        last_space--;
    return last_space > i + 1 && is_http_version(s + last_space, end - last_space);
}

static size_t parse_size(const char *s, size_t len, int base, bool *ok)
{
    size_t v = 0;
    size_t i = 0;
    *ok = false;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    for (; i < len; i++) {
        int d;
        char c = (char)ascii_lower((unsigned char)s[i]);
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            break;
        if (v > (SIZE_MAX - (size_t)d) / (size_t)base)
            return 0; /* overflow: not a usable size */
        v = v * (size_t)base + (size_t)d;
        *ok = true;
    }
    return v;
}

/* dechunk joins a chunked body at |s|/|len| into a new buffer. */
static bool dechunk(const char *s, size_t len, work_arena *arena, scep_http_parsed *out,
                    size_t *used)
{
    uint8_t *joined = arena_take(arena, len);
    size_t n = 0, pos = 0;
    bool done = false;
    out->body = joined;
    if (!joined) {
        *used = len;
        return false;
    }
    while (pos < len) {
        size_t eol = line_end(s, len, pos);
        if (eol == len) { /* the size line itself is cut */
            out->body_truncated = true;
            pos = len;
            break;
        }
        bool ok;
        size_t size = parse_size(s + pos, eol - pos, 16, &ok);
        pos = eol + 1;
        if (!ok) {
            out->body_truncated = true;
            break;
        }
        if (size == 0) {
            pos = skip_past_blank_line(s, len, pos); /* trailer fields */
            done = true;
            break;
        }
        size_t avail = len - pos;
        size_t take = size < avail ? size : avail;
        memcpy(joined + n, s + pos, take);
        n += take;
        out->chunk_count++;
        pos += take;
        if (take < size) {
            out->body_truncated = true;
            break;
        }
        /* The CRLF after the chunk data. */
        if (pos < len && s[pos] == '\r')
            pos++;
        if (pos < len && s[pos] == '\n')
            pos++;
    }
    if (!done)
        out->body_truncated = true;
    out->body_len = n;
    *used = pos;
    return true;
}

/* parse_start_line reads the request or status line ending at |end| (blanks trimmed). */
static void parse_start_line(const char *s, size_t end, scep_http_parsed *out)
{
    if (is_http_version(s, end)) {
        size_t sp = 0;
        while (sp < end && s[sp] != ' ')
            sp++;
        bool ok;
        out->status = (int)parse_size(s + sp, end - sp, 10, &ok);
        size_t r = sp + 1;
        while (r < end && s[r] == ' ')
            r++;
        while (r < end && s[r] != ' ')
            r++;
        if (r < end)
            r++;
        out->reason = s + r;
        out->reason_len = end > r ? end - r : 0;
        return;
    }
    /* scep_looks_like_http saw "METHOD SP target SP HTTP/x": both spaces exist. */
    out->is_request = true;
    size_t sp = 0;
    while (s[sp] != ' ')
        sp++;
    out->method = s;
    out->method_len = sp;
    size_t last_space = end;
    while (s[last_space - 1] != ' ')
        last_space--;
    size_t t = sp + 1, te = last_space - 1;
    while (t < te && s[t] == ' ')
        t++;
    while (te > t && s[te - 1] == ' ')
        te--;
    out->target = s + t;
    out->target_len = te - t;
}

/* parse_header_field notes the fields that frame or type the body. */
static void parse_header_field(const char *h, size_t hlen, scep_http_parsed *out)
{
    size_t colon = 0;
    while (colon < hlen && h[colon] != ':')
        colon++;
    if (colon == hlen)
        return;
    const char *v = h + colon + 1;
    size_t vlen = hlen - colon - 1;
    while (vlen > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    if (colon == 12 && ascii_starts_nocase(h, colon, "content-type")) {
        out->content_type = v;
        out->content_type_len = vlen;
    } else if (colon == 14 && ascii_starts_nocase(h, colon, "content-length")) {
        bool ok;
        out->content_length = parse_size(v, vlen, 10, &ok);
        out->has_content_length = ok;
    } else if (colon == 17 && ascii_starts_nocase(h, colon, "transfer-encoding")) {
        out->chunked = find_nocase(v, vlen, "chunked") < vlen;
    }
}

/* parse_headers reads header fields from |pos| up to the blank line; returns where the body
 * starts (|len| when the headers are cut). */
static size_t parse_headers(const char *s, size_t len, size_t pos, scep_http_parsed *out)
{
    while (pos < len) {
        size_t hl_end = line_end(s, len, pos), he = hl_end;
        trim_end(s, pos, &he);
        if (he == pos) {
            out->headers_complete = true;
            return hl_end < len ? hl_end + 1 : len;
        }
        parse_header_field(s + pos, he - pos, out);
        pos = hl_end < len ? hl_end + 1 : len;
    }
    return pos;
}

/* take_body frames the body at |pos| by the fields read. */
static bool take_body(const char *s, size_t len, size_t pos, work_arena *arena,
                      scep_http_parsed *out)
{
    const char *body = s + pos;
    size_t avail = len - pos;
    if (out->chunked) {
        size_t used = 0;
        if (!dechunk(body, avail, arena, out, &used))
            return false;
        out->consumed = pos + used;
    } else if (out->has_content_length) {
        size_t take = out->content_length < avail ? out->content_length : avail;
        out->body = (const uint8_t *)body;
        out->body_len = take;
        out->body_truncated = take < out->content_length;
        out->consumed = pos + take;
    } else if (out->is_request) {
        /* A request without Content-Length or chunking has no body (RFC 9112 6.3); a saved
         * request may still carry one: take it, unless another message follows. */
        size_t take = avail;
        for (size_t i = 0; i < avail; i++)
            if ((i == 0 || body[i - 1] == '\n') &&
                scep_looks_like_http((const uint8_t *)body + i, avail - i)) {
                take = i;
                break;
            }
        out->body = (const uint8_t *)body;
        out->body_len = take;
        out->consumed = pos + take;
    } else {
        out->body = (const uint8_t *)body; /* response: until the connection closes */
        out->body_len = avail;
        out->consumed = len;
    }
    return true;
}

bool http_parse(const uint8_t *buf, size_t len, work_arena *arena, scep_http_parsed *out)
{
    const char *s = (const char *)buf;
    memset(out, 0, sizeof *out);
    if (!scep_looks_like_http(buf, len))
        return false;
    size_t eol = line_end(s, len, 0), end = eol;
    trim_end(s, 0, &end);
    parse_start_line(s, end, out);
    size_t pos = parse_headers(s, len, eol < len ? eol + 1 : len, out);
    out->body_offset = pos;
    if (!out->headers_complete) {
        /* A request or status line alone is what logs print; header lines without the blank
         * line that ends them are a cut message. */
        if (eol < len && pos > eol + 1)
            out->body_truncated = true;
        out->body = (const uint8_t *)s + pos;
        out->body_len = 0;
        out->consumed = len;
        return true;
    }
    return take_body(s, len, pos, arena, out);
}

/* find_message_parameter: the offset of "message=" right after a '?' or '&' in |s|, or |len|:
 * a URL whose operation a log cut off still has its message. */
static size_t find_message_parameter(const char *s, size_t len)
{
    for (size_t at = 0; at < len;) {
        size_t hit = at + find_nocase(s + at, len - at, "message=");
        if (hit == len)
            return len;
        if (hit > 0 && (s[hit - 1] == '?' || s[hit - 1] == '&'))
            return hit;
        at = hit + 1;
    }
    return len;
}

bool find_query_text(const uint8_t *buf, size_t len, const char **start, size_t *qlen)
{
    const char *s = (const char *)buf;
    size_t at = find_nocase(s, len, "operation=");
    if (at == len)
        at = find_message_parameter(s, len);
    if (at == len)
        return false;
    size_t ls = at;
    while (ls > 0 && s[ls - 1] != '\n')
        ls--;
    size_t le = line_end(s, len, at);
    trim_end(s, ls, &le);
    /* Where the URL starts: a scheme, else the path's '/', else the query itself. A space
     * between there and "operation=" would be part of the log line, not the URL, so the
     * search is limited to the whitespace-delimited word holding "operation=". */
    size_t word = at;
    while (word > ls && s[word - 1] != ' ' && s[word - 1] != '\t' && s[word - 1] != '"' &&
           s[word - 1] != '\'')
        word--;
    /* A word such as "url=https://..." or "[...]https://" keeps only the URL. */
    size_t scheme = find_nocase(s + word, at - word, "http");
    size_t from = scheme < at - word ? word + scheme : word;
    if (scheme == at - word) {
        size_t slash = word;
        while (slash < at && s[slash] != '/')
            slash++;
        from = slash < at ? slash : word;
    }
    /* Drop a trailing " HTTP/1.1" of a logged request line, and closing quotes. */
    size_t http = find_nocase(s + at, le - at, " HTTP/");
    if (http < le - at)
        le = at + http;
    while (le > from && (s[le - 1] == '"' || s[le - 1] == '\''))
        le--;
    *start = s + from;
    *qlen = le - from;
    return true;
}

bool pem_find(const uint8_t *buf, size_t len, char *label, size_t label_cap, const char **b64,
              size_t *b64_len)
{
    const char *s = (const char *)buf;
    static const char begin[] = "-----BEGIN ";
    size_t at = find_nocase(s, len, begin);
    if (at == len)
        return false;
    size_t l = at + sizeof begin - 1, le = l;
    while (le < len && s[le] != '-' && s[le] != '\n')
        le++;
    if (le + 5 > len || memcmp(s + le, "-----", 5) != 0)
        return false;
    size_t n = le - l < label_cap - 1 ? le - l : label_cap - 1;
    memcpy(label, s + l, n);
    label[n] = '\0';
    size_t body = line_end(s, len, le);
    body = body < len ? body + 1 : len;
    size_t end = body + find_nocase(s + body, len - body, "-----END ");
    /* Skip RFC 1421 headers ("Proc-Type: ...") if any: they end with a blank line. */
    size_t first_end = line_end(s, end, body);
    if (memchr(s + body, ':', first_end - body) != NULL) {
        body = skip_past_blank_line(s, end, body);
    }
    *b64 = s + body;
    *b64_len = end - body;
    return true;
}

bool is_text(const uint8_t *buf, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = buf[i];
        if (!((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t'))
            return false;
    }
    return true;
}

uint8_t *base64_text_decode(const char *text, size_t len, work_arena *arena, size_t *out_len,
                            unsigned *forms, scep_status *status)
{
    /* Line ends and indentation are transport here (wrapped, indented lines): drop them so the
     * library sees one base64 run. A blank inside a line stays: in text copied from a
     * form-decoded URL it stands for '+', which the library understands. */
    size_t mark = arena->used;
    char *compact = (char *)arena_take(arena, len);
    size_t cap = len;                   /* base64 never decodes to more bytes than it has */
    uint8_t *out = arena_take(arena, cap);
    *status = SCEP_DECODE_NONE;
    *out_len = 0;
    if (!compact || !out) {
        arena->used = mark;
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\r' || c == '\n')
            continue;
        if (c == ' ' || c == '\t') {
            bool line_start = i == 0 || text[i - 1] == '\n' || text[i - 1] == '\r';
            size_t j = i;
            while (j < len && (text[j] == ' ' || text[j] == '\t'))
                j++;
            bool line_end = j == len || text[j] == '\r' || text[j] == '\n';
            if (line_start || line_end) {
                i = j - 1; /* the whole run of blanks is indentation or trailing space */
                continue;
            }
        }
        compact[n++] = c;
    }
    scep_error err;
    unsigned seen = 0;
    *status = scep_base64_decode(compact, n, out, cap, out_len, &seen, &err);
    if (forms)
        *forms |= seen;
    if (*status == SCEP_DECODE_NONE || *out_len == 0) {
        arena->used = mark;
        return NULL;
    }
    return out;
}
