/* scan_iis.c reads IIS's W3C extended log format, the log of Microsoft NDES: a "#Fields:"
 * directive names the columns (they vary with the site's logging settings), each data line
 * holds one request, fields separated by single spaces, "-" for empty. The SCEP request is
 * cs-uri-stem "?" cs-uri-query; date, time, c-ip, cs-method, sc-status and sc-substatus say
 * when, who, how and how it ended (404.15: the query string was too long for the server). */
#include <string.h>

#include "scan.h"

static bool same(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(s, name, n) == 0;
}

bool iis_fields_directive(const char *line, size_t len, iis_columns *cols)
{
    static const char directive[] = "#Fields:";
    if (len < sizeof directive - 1 || memcmp(line, directive, sizeof directive - 1) != 0)
        return false;
    iis_columns c = {true, -1, -1, -1, -1, -1, -1, -1, -1, 0};
    size_t i = sizeof directive - 1;
    while (i < len) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        if (i == start)
            break;
        const char *f = line + start;
        size_t n = i - start;
        int *slot = same(f, n, "date")           ? &c.date
                    : same(f, n, "time")         ? &c.time
                    : same(f, n, "c-ip")         ? &c.client_ip
                    : same(f, n, "cs-method")    ? &c.method
                    : same(f, n, "cs-uri-stem")  ? &c.uri_stem
                    : same(f, n, "cs-uri-query") ? &c.uri_query
                    : same(f, n, "sc-status")    ? &c.status
                    : same(f, n, "sc-substatus") ? &c.substatus
                                                 : NULL;
        if (slot)
            *slot = c.count;
        c.count++;
    }
    *cols = c;
    return true;
}

/* field: the |index|th space-separated field of the line; false when there is none or it is
 * "-" (W3C's empty value). */
static bool field(const char *line, size_t len, int index, const char **f, size_t *n)
{
    if (index < 0)
        return false;
    size_t i = 0;
    for (int k = 0; k <= index; k++) {
        while (i < len && line[i] == ' ')
            i++;
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        if (i == start)
            return false;
        if (k == index) {
            *f = line + start;
            *n = i - start;
            return !(*n == 1 && **f == '-');
        }
    }
    return false;
}

static void copy_text(char *out, size_t cap, const char *a, size_t an)
{
    size_t n = an < cap - 1 ? an : cap - 1;
    memcpy(out, a, n);
    out[n] = '\0';
}

static bool number(const char *f, size_t n, int *value)
{
    int v = 0;
    if (n == 0 || n > 6)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (f[i] < '0' || f[i] > '9')
            return false;
        v = v * 10 + (f[i] - '0');
    }
    *value = v;
    return true;
}

bool iis_record(const char *line, size_t len, const iis_columns *cols, scan_hit *hit,
                char *target, size_t cap, size_t *target_len)
{
    const char *query, *stem = "", *f;
    size_t query_len, stem_len = 0, n, d;
    if (!field(line, len, cols->uri_query, &query, &query_len) ||
        scan_find_operation(query, query_len, 0) == query_len)
        return false;
    field(line, len, cols->uri_stem, &stem, &stem_len);
    if (stem_len + 1 + query_len > cap)
        query_len = cap > stem_len + 1 ? cap - stem_len - 1 : 0;
    if (stem_len + 1 > cap)
        return false;
    memcpy(target, stem, stem_len);
    target[stem_len] = '?';
    memcpy(target + stem_len + 1, query, query_len);
    *target_len = stem_len + 1 + query_len;

    const char *date;
    if (field(line, len, cols->date, &date, &d) && field(line, len, cols->time, &f, &n) &&
        d + 1 + n < sizeof hit->time) {
        memcpy(hit->time, date, d);
        hit->time[d] = ' ';
        copy_text(hit->time + d + 1, sizeof hit->time - d - 1, f, n);
    } else if (field(line, len, cols->time, &f, &n)) {
        copy_text(hit->time, sizeof hit->time, f, n);
    }
    if (field(line, len, cols->client_ip, &f, &n))
        copy_text(hit->client, sizeof hit->client, f, n);
    if (field(line, len, cols->method, &f, &n))
        copy_text(hit->method, sizeof hit->method, f, n);
    if (field(line, len, cols->status, &f, &n))
        hit->has_http_status = number(f, n, &hit->http_status);
    if (field(line, len, cols->substatus, &f, &n))
        hit->has_http_substatus = number(f, n, &hit->http_substatus);
    return true;
}
