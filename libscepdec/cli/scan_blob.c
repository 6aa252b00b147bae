/* scan_blob.c finds messages pasted into a log whole: PEM blocks (-----BEGIN PKCS7----- …,
 * possibly behind a log prefix on every line, or on one line with literal "\n"s as JSON logs
 * write them) and runs of base64 that start like a DER SEQUENCE ("MI…"), on one line or
 * wrapped at a fixed width over several. What they decode to is judged by scan_emit. */
#include <string.h>

#include "scan.h"

/* A run shorter than this on a single line is not taken for a message (words such as
 * "MIME" start like one). */
#define MIN_RUN 100

/* find_text: |needle| in |s|/|len|, found by its first byte with memchr (glibc's memmem sets
 * up a two-way search on every call, which costs more than a short log line). */
static const char *find_text(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle), from = 0;
    while (from + n <= len) {
        const char *p = memchr(s + from, needle[0], len - from - n + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, n) == 0)
            return p;
        from = (size_t)(p - s) + 1;
    }
    return NULL;
}

static bool is_b64(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}

static void trim(const char **s, size_t *len)
{
    while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' || (*s)[*len - 1] == '\r'))
        (*len)--;
}

/* last_word: the line's last blank-separated word (PEM lines behind a log prefix). */
static void last_word(const char *s, size_t len, const char **w, size_t *n)
{
    trim(&s, &len);
    size_t i = len;
    while (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t')
        i--;
    *w = s + i;
    *n = len - i;
}

static void append(blob_state *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) /* the rest of a block longer than the window is dropped */
        n = b->cap - b->len;
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

static void emit(scanner *s, scan_source source)
{
    static scan_hit hit;
    blob_state *b = &s->blob;
    memset(&hit, 0, sizeof hit);
    hit.line = b->first_line;
    hit.source = source;
    memcpy(hit.time, b->time, sizeof hit.time);
    hit.text = b->buf;
    hit.text_len = b->len;
    b->in_pem = b->in_base64 = false;
    scan_emit(s, &hit, NULL);
    b->len = 0;
}

static void start(scanner *s, const char *line, size_t len)
{
    blob_state *b = &s->blob;
    b->first_line = s->line_no;
    b->len = 0;
    scan_find_time(line, len, b->time, sizeof b->time);
}

/* one_line_pem: BEGIN and END on one line; literal "\n" (a JSON or escaped log) ends lines. */
static void one_line_pem(scanner *s, const char *begin, const char *end_of_block)
{
    blob_state *b = &s->blob;
    for (const char *p = begin; p < end_of_block; p++) {
        if (p[0] == '\\' && p + 1 < end_of_block && p[1] == 'n') {
            append(b, "\n", 1);
            p++;
        } else {
            append(b, p, 1);
        }
    }
    append(b, "\n", 1);
    emit(s, SCAN_SRC_PEM);
}

static bool pem_line(scanner *s, const char *line, size_t len)
{
    blob_state *b = &s->blob;
    const char *w;
    size_t n;
    const char *end = find_text(line, len, "-----END ");
    if (end) {
        const char *stop = find_text(end + 9, (size_t)(line + len - end - 9), "-----");
        size_t upto = stop ? (size_t)(stop + 5 - end) : (size_t)(line + len - end);
        append(b, end, upto);
        append(b, "\n", 1);
        emit(s, SCAN_SRC_PEM);
        return true;
    }
    last_word(line, len, &w, &n);
    append(b, w, n);
    append(b, "\n", 1);
    return true;
}

/* base64_run finds a run of base64 starting "MI" after a blank, quote, ':' or '>' (not
 * after '=': a URL's message parameter is the URL recogniser's). */
static bool base64_run(const char *line, size_t len, size_t *start, size_t *run)
{
    size_t from = 0;
    while (from + 2 <= len) {
        const char *m = find_text(line + from, len - from, "MI");
        if (!m)
            return false;
        size_t i = (size_t)(m - line), j = i;
        unsigned char before = i > 0 ? (unsigned char)line[i - 1] : ' ';
        while (j < len && is_b64((unsigned char)line[j]))
            j++;
        if ((before <= ' ' || before == '"' || before == '\'' || before == ':' || before == '>') &&
            j - i >= 64) {
            *start = i;
            *run = j - i;
            return true;
        }
        from = j > i + 2 ? j : i + 2;
    }
    return false;
}

static bool base64_continues(scanner *s, const char *line, size_t len)
{
    blob_state *b = &s->blob;
    const char *w;
    size_t n, first = 0;
    last_word(line, len, &w, &n);
    while (first < len && (line[first] == ' ' || line[first] == '\t'))
        first++;
    /* The line is one word of base64, no longer than the width: the run goes on. */
    bool part = n > 0 && n <= b->width && w == line + first;
    for (size_t i = 0; i < n && part; i++)
        part = is_b64((unsigned char)w[i]);
    if (!part) {
        emit(s, SCAN_SRC_BASE64);
        return false;
    }
    append(b, w, n);
    if (n < b->width || w[n - 1] == '=')
        emit(s, SCAN_SRC_BASE64);
    return true;
}

bool scan_blob_line(scanner *s, const char *line, size_t len)
{
    blob_state *b = &s->blob;
    if (b->in_pem)
        return pem_line(s, line, len);
    if (b->in_base64 && base64_continues(s, line, len))
        return true;
    const char *begin = find_text(line, len, "-----BEGIN ");
    if (begin) {
        start(s, line, len);
        const char *end = find_text(begin, (size_t)(line + len - begin), "-----END ");
        if (end) {
            const char *stop = find_text(end + 9, (size_t)(line + len - end - 9), "-----");
            one_line_pem(s, begin, stop ? stop + 5 : line + len);
            return true;
        }
        b->in_pem = true;
        append(b, begin, (size_t)(line + len - begin));
        append(b, "\n", 1);
        return true;
    }
    size_t at, run;
    if (!memchr(line, 'M', len) || !base64_run(line, len, &at, &run))
        return false;
    const char *rest = line + at + run;
    size_t rest_len = len - at - run;
    trim(&rest, &rest_len);
    start(s, line, len);
    append(b, line + at, run);
    if (rest_len == 0 && (run == 64 || run == 76) && line[at + run - 1] != '=') {
        b->in_base64 = true; /* wrapped: the next lines continue it */
        b->width = run;
        return true;
    }
    if (run < MIN_RUN) {
        b->len = 0;
        return false;
    }
    emit(s, SCAN_SRC_BASE64);
    return true;
}

void scan_blob_end(scanner *s)
{
    if (s->blob.in_pem)
        emit(s, SCAN_SRC_PEM);
    else if (s->blob.in_base64)
        emit(s, SCAN_SRC_BASE64);
}
