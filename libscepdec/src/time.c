/* time.c — times both ways: ASN.1 UTCTime and GeneralizedTime read into seconds since the
 * epoch (ber_parse_time), and seconds written as ISO 8601 UTC (scep_format_time). Both sides
 * use Howard Hinnant's civil-calendar algorithms, in int64 so that any input is defined
 * behaviour. */
#include <inttypes.h>
#include <stdio.h>

#include "ber.h"
#include "text_sink.h"

static bool read_digits(const uint8_t *p, size_t n, int *value)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *value = v;
    return true;
}

/* days_from_civil: days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * well-known algorithm, written out from its description). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

bool ber_parse_time(const ber_elem *e, int64_t *seconds)
{
    const uint8_t *p = e->contents.data;
    size_t n = e->contents.len, pos = 0;
    int year, month, day, hour, minute, second = 0;
    if (ber_constructed(e))
        return false;
    if (e->tag == BER_UTC_TIME) {
        if (n < 10 || !read_digits(p, 2, &year))
            return false;
        year += year < 50 ? 2000 : 1900; /* RFC 5280 4.1.2.5.1 */
        pos = 2;
    } else if (e->tag == BER_GENERALIZED_TIME) {
        if (n < 12 || !read_digits(p, 4, &year))
            return false;
        pos = 4;
    } else {
        return false;
    }
    if (!read_digits(p + pos, 2, &month) || !read_digits(p + pos + 2, 2, &day) ||
        !read_digits(p + pos + 4, 2, &hour) || !read_digits(p + pos + 6, 2, &minute))
        return false;
    pos += 8;
    if (pos + 2 <= n && p[pos] >= '0' && p[pos] <= '9') {
        if (!read_digits(p + pos, 2, &second))
            return false;
        pos += 2;
    }
    if (pos < n && (p[pos] == '.' || p[pos] == ',') && e->tag == BER_GENERALIZED_TIME) {
        pos++;
        while (pos < n && p[pos] >= '0' && p[pos] <= '9')
            pos++;
    }
    int offset_minutes = 0;
    if (pos < n && p[pos] == 'Z') {
        pos++;
    } else if (pos + 5 <= n && (p[pos] == '+' || p[pos] == '-')) {
        int oh, om;
        if (!read_digits(p + pos + 1, 2, &oh) || !read_digits(p + pos + 3, 2, &om))
            return false;
        offset_minutes = (oh * 60 + om) * (p[pos] == '-' ? -1 : 1);
        pos += 5;
    } else if (e->tag == BER_UTC_TIME) {
        return false; /* UTCTime always names its zone */
    }
    static const int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (pos != n || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60 ||
        day > days_in_month[month - 1] + (month == 2 && leap))
        return false;
    *seconds = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 +
               minute * 60 + second - offset_minutes * 60;
    return true;
}

size_t scep_format_time(int64_t seconds, char *out, size_t cap)
{
    /* Civil date from days since the epoch (Howard Hinnant's algorithm), in int64 so that any
     * input is defined behaviour. */
    int64_t days = seconds / 86400, rem = seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t year = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    if (month <= 2)
        year++;
    char text[64]; /* 21 digits of year at most: always enough */
    int n = snprintf(text, sizeof text, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64
                     ":%02" PRId64 ":%02" PRId64 "Z",
                     year, month, day, rem / 3600, rem / 60 % 60, rem % 60);
    text_sink s;
    text_init(&s, out, cap);
    if (n > 0 && n < (int)sizeof text)
        text_put(&s, text, (size_t)n); /* one unit: a time is shown whole or not at all */
    return text_finish(&s);
}
