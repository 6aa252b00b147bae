/* scan_line.c looks at one log line (or one window of a very long one): it finds every URL or
 * query string carrying "operation=", the line's time, and hands IIS, jscep and PEM/base64
 * lines to their recognisers. Nothing here decodes: hits go to scan_emit. */
#include <string.h>

#include "scan.h"

const char *scan_source_name(scan_source source)
{
    switch (source) {
    case SCAN_SRC_URL: return "url";
    case SCAN_SRC_IIS: return "iis";
    case SCAN_SRC_JSCEP: return "jscep";
    case SCAN_SRC_PEM: return "pem";
    case SCAN_SRC_BASE64: return "base64";
    }
    return "url";
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

size_t scan_find_operation(const char *s, size_t len, size_t from)
{
    static const char name[] = "operation"; /* before the '=' */
    const size_t n = sizeof name - 1;
    while (from < len) {
        const char *eq = memchr(s + from, '=', len - from);
        if (!eq)
            return len;
        size_t at = (size_t)(eq - s);
        if (at >= n) {
            size_t i = 0;
            while (i < n && lower(s[at - n + i]) == name[i])
                i++;
            if (i == n)
                return at - n;
        }
        from = at + 1;
    }
    return len;
}

/* A URL ends where a log ends it: a blank, a quote, a backslash (an escaped line end or
 * quote), '>' (an <a href> or a <URL>), or a control character (NUL, binary). */
static bool ends_url(unsigned char c)
{
    return c <= ' ' || c == '"' || c == '\'' || c == '\\' || c == '>' || c == 0x7F;
}

/* A URL's word starts after a blank, a quote or a control character; '<' and '>' may be part
 * of it (placeholders such as https://<server>/ in documentation). */
static bool before_url(unsigned char c) { return c <= ' ' || c == '"' || c == '\'' || c == 0x7F; }

/* Punctuation that a sentence puts after a URL ("request: https://…?operation=…, timeout"):
 * none of it is base64, and a query string has it escaped when it means it. */
static bool ends_sentence(const char *s, size_t len, size_t i)
{
    char c = s[i];
    return (c == ',' || c == ';' || c == '.' || c == ')' || c == ']') &&
           (i + 1 == len || (unsigned char)s[i + 1] <= ' ');
}

void scan_url_bounds(const char *s, size_t len, size_t at, size_t *start, size_t *end)
{
    size_t b = at;
    while (b > 0 && !before_url((unsigned char)s[b - 1]) && at - b < SCAN_LOOKBACK - 64)
        b--;
    /* "url=https://..." or "(https://...": start at the scheme when the word has one. */
    for (size_t i = b; i + 3 <= at; i++) {
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            size_t scheme = i;
            while (scheme > b && ((lower(s[scheme - 1]) >= 'a' && lower(s[scheme - 1]) <= 'z')))
                scheme--;
            b = scheme;
            break;
        }
    }
    size_t e = at;
    while (e < len && !ends_url((unsigned char)s[e]) && !ends_sentence(s, len, e))
        e++;
    *start = b;
    *end = e;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* time_at: does a time of day (H:MM:SS or HH:MM:SS) start at |i|? */
static bool time_at(const char *s, size_t len, size_t i)
{
    size_t h = i;
    while (h < len && h - i < 2 && is_digit(s[h]))
        h++;
    return h > i && h + 6 <= len && s[h] == ':' && is_digit(s[h + 1]) && is_digit(s[h + 2]) &&
           s[h + 3] == ':' && is_digit(s[h + 4]) && is_digit(s[h + 5]);
}

static bool date_word(const char *s, size_t len)
{
    return len >= 10 && is_digit(s[0]) && is_digit(s[3]) && (s[4] == '-' || s[4] == '/') &&
           is_digit(s[5]) && is_digit(s[6]) && s[7] == s[4] && is_digit(s[8]) && is_digit(s[9]);
}

void scan_find_time(const char *line, size_t len, char *out, size_t cap)
{
    size_t limit = len < 96 ? len : 96;
    out[0] = '\0';
    for (size_t i = 0; i < limit; i++) {
        if ((i > 0 && is_digit(line[i - 1])) || !time_at(line, len, i))
            continue;
        size_t start = i, end = i;
        while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t' &&
               line[start - 1] != '[')
            start--;
        while (end < len && line[end] != ' ' && line[end] != '\t' && line[end] != ']')
            end++;
        /* "2026-11-29 12:00:00": the date word before; "-0500" or "+01:00" after. */
        if (start >= 11 && line[start - 1] == ' ' && date_word(line + start - 11, 10))
            start -= 11;
        if (end + 5 <= len && line[end] == ' ' && (line[end + 1] == '-' || line[end + 1] == '+') &&
            is_digit(line[end + 2]) && is_digit(line[end + 3]) && is_digit(line[end + 4])) {
            end += 2;
            while (end < len && (is_digit(line[end]) || line[end] == ':'))
                end++;
        }
        size_t n = end - start < cap - 1 ? end - start : cap - 1;
        memcpy(out, line + start, n);
        out[n] = '\0';
        return;
    }
}

/* days_from_civil: days since 1970-01-01 of a proleptic Gregorian date. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool scan_time_seconds(const char *time, double *seconds)
{
    size_t len = strlen(time), i = 0;
    double days = 0;
    if (date_word(time, len)) {
        long y = (time[0] - '0') * 1000 + (time[1] - '0') * 100 + (time[2] - '0') * 10 + (time[3] - '0');
        long m = (time[5] - '0') * 10 + (time[6] - '0');
        long d = (time[8] - '0') * 10 + (time[9] - '0');
        days = (double)days_from_civil(y, m, d);
        i = 10;
    }
    while (i < len && !time_at(time, len, i))
        i++;
    if (i >= len)
        return false;
    double h = 0, frac = 0, scale = 0.1;
    while (is_digit(time[i]))
        h = h * 10 + (time[i++] - '0');
    double mi = (time[i + 1] - '0') * 10 + (time[i + 2] - '0');
    double se = (time[i + 4] - '0') * 10 + (time[i + 5] - '0');
    i += 6;
    if (time[i] == '.' || time[i] == ',')
        for (i++; is_digit(time[i]); i++, scale /= 10)
            frac += (time[i] - '0') * scale;
    *seconds = days * 86400 + h * 3600 + mi * 60 + se + frac;
    return true;
}

/* line_time: the current line's time, found in its first window when first asked for. */
static void line_time(scanner *s)
{
    if (!s->line_has_time && s->line_head) {
        scan_find_time(s->line_head, s->line_head_len, s->line_time, sizeof s->line_time);
        s->line_has_time = true;
    }
}

static void fill_hit(scanner *s, scan_hit *hit, scan_source source)
{
    memset(hit, 0, sizeof *hit);
    line_time(s);
    hit->line = s->line_no;
    hit->source = source;
    memcpy(hit->time, s->line_time, sizeof hit->time);
    if (s->line_has_status) {
        hit->has_http_status = true;
        hit->http_status = s->line_status;
    }
}

static void iis_line(scanner *s, const char *text, size_t len)
{
    static scan_hit hit;
    static char target[SCAN_WINDOW];
    size_t target_len;
    fill_hit(s, &hit, SCAN_SRC_IIS);
    if (iis_record(text, len, &s->iis, &hit, target, s->window, &target_len)) {
        hit.text = target;
        hit.text_len = target_len;
        scan_emit(s, &hit, NULL);
    }
}

/* certrep_at: does "CertRep@" occur in the line? Found by its '@', cheaper than memmem. */
static bool certrep_at(const char *s, size_t len)
{
    for (const char *p = memchr(s, '@', len); p; p = memchr(p + 1, '@', (size_t)(s + len - p - 1)))
        if (p - s >= 7 && memcmp(p - 7, "CertRep", 7) == 0)
            return true;
    return false;
}

/* first_window_recognisers: the line kinds known from the line as a whole. Returns true when
 * the line is claimed (its URLs are not looked for on their own). */
static bool first_window_recognisers(scanner *s, const char *text, size_t len, bool has_op)
{
    static scan_hit hit;
    if (scan_blob_line(s, text, len))
        return true;
    if (len > 0 && text[0] == '#') {
        iis_fields_directive(text, len, &s->iis);
        return s->iis.active;
    }
    if (s->iis.active) {
        if (has_op)
            iis_line(s, text, len);
        return true;
    }
    if (!has_op) {
        if (!certrep_at(text, len))
            return false;
        fill_hit(s, &hit, SCAN_SRC_JSCEP);
        if (jscep_certrep(text, len, &hit))
            scan_emit(s, &hit, NULL);
        return true;
    }
    int status;
    char key[SCAN_KEY_MAX];
    if (jscep_received(text, len, &status, key)) {
        if (scan_jscep_status(s, key, status))
            return true;
        s->line_has_status = true; /* no "Sending" seen: report this line's URL with it */
        s->line_status = status;
        memcpy(s->line_jscep_key, key, sizeof key);
    } else if (jscep_sending(text, len, key)) {
        memcpy(s->line_jscep_key, key, sizeof key);
    }
    return false;
}

static void emit_url(scanner *s, const char *text, size_t len)
{
    static scan_hit hit;
    bool jscep = s->line_jscep_key[0] != '\0';
    fill_hit(s, &hit, jscep ? SCAN_SRC_JSCEP : SCAN_SRC_URL);
    hit.text = text;
    hit.text_len = len;
    scan_emit(s, &hit, jscep && !s->line_has_status ? s->line_jscep_key : NULL);
}

static size_t line_piece(scanner *s, const char *text, size_t len, size_t search_from, bool first,
                         bool last, size_t *resume)
{
    *resume = 0;
    size_t at = scan_find_operation(text, len, search_from);
    if (first) {
        s->line_has_time = false;
        s->line_has_status = false;
        s->line_jscep_key[0] = '\0';
        s->line_time[0] = '\0';
        s->line_claimed = first_window_recognisers(s, text, len, at < len);
    }
    if (s->line_claimed)
        return len;
    while (at < len) {
        size_t start, end;
        scan_url_bounds(text, len, at, &start, &end);
        if (end == len && !last) {
            if (start > 0)
                return start; /* the URL runs on into the next window: searched again */
            emit_url(s, text, len); /* longer than a window: decoded as a cut line */
            return SIZE_MAX;
        }
        emit_url(s, text + start, end - start);
        at = scan_find_operation(text, len, end > at ? end : at + 1);
    }
    if (last || len <= s->lookback)
        return len;
    *resume = s->lookback;
    return len - s->lookback;
}

size_t scan_line_piece(scanner *s, const char *text, size_t len, size_t search_from, bool first,
                       bool last, size_t *resume)
{
    if (first) {
        s->line_head = text;
        s->line_head_len = len;
    }
    size_t keep = line_piece(s, text, len, search_from, first, last, resume);
    if (first && !last)
        line_time(s); /* the next windows no longer have the line's start */
    s->line_head = NULL;
    return keep;
}
