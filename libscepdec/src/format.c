/* format.c — small formatters and names a renderer needs beside the decoded facts: times,
 * hex, SCEP's number attributes, and the names of the library's status and kind values. Every
 * formatter follows the header's rule for text buffers (the whole length returned, like
 * snprintf). */
#include <inttypes.h>
#include <stdio.h>

#include "scepdec.h"
#include "text_sink.h"

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

size_t scep_hex_format(const uint8_t *data, size_t len, char *out, size_t cap)
{
    static const char digits[] = "0123456789abcdef";
    text_sink s;
    text_init(&s, out, cap);
    for (size_t i = 0; data && i < len; i++) {
        char pair[2] = {digits[data[i] >> 4], digits[data[i] & 15]};
        text_put(&s, pair, 2);
    }
    return text_finish(&s);
}

size_t scep_number_attr_format(const scep_number_attr *attr, const char *(*name_of)(long),
                               char *out, size_t cap)
{
    text_sink s;
    text_init(&s, out, cap);
    if (!attr || !attr->present)
        return text_finish(&s);
    if (attr->numeric) {
        const char *name = name_of ? name_of(attr->value) : NULL;
        char number[24];
        snprintf(number, sizeof number, "%ld", attr->value);
        text_str(&s, name ? name : "unknown value");
        text_str(&s, " (");
        text_str(&s, number);
        text_str(&s, ")");
        return text_finish(&s);
    }
    static const char digits[] = "0123456789abcdef";
    text_str(&s, "\"");
    for (size_t i = 0; i < attr->text.length; i++) {
        uint8_t c = attr->text.data[i];
        char unit[4] = {'\\', 'x', digits[c >> 4], digits[c & 15]};
        if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\')
            text_put(&s, unit, 4);
        else
            text_put(&s, (const char *)&c, 1);
    }
    text_str(&s, "\" (not a decimal number)");
    return text_finish(&s);
}

const char *scep_status_name(scep_status status)
{
    switch (status) {
    case SCEP_DECODE_OK: return "ok";
    case SCEP_DECODE_PARTIAL: return "partial";
    case SCEP_DECODE_NONE: return "none";
    }
    return NULL;
}
