/* format.c — small formatters a renderer needs beside the decoded facts: hex and SCEP's
 * number attributes (names: names.c; times: time.c). Every formatter follows the header's
 * rule for text buffers (the whole length returned, like snprintf). */
#include <stdio.h>

#include "scepdec.h"
#include "text_sink.h"

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

