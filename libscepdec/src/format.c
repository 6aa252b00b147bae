/* format.c — small formatters and names a renderer needs beside the decoded facts: hex,
 * SCEP's number attributes, and the names of the library's kind values (times: time.c). Every
 * formatter follows the header's rule for text buffers (the whole length returned, like
 * snprintf). */
#include <stdio.h>

#include "name_list.h"
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

/* The kinds' names, as JSON spells them (NULL for the NONE values). */
static const char *const bundle_kinds[] = {NULL, "certificate", "certs-only", "signed"};
static const char *const content_kinds[] = {NULL, "csr", "issuer_and_subject", "issuer_and_serial"};
static const char *const recipient_kinds[] = {"ktri", "kari", "kekri", "pwri", "other"};
static const char *const input_kinds[] = {NULL, "request", "pki_message", "bundle", "caps"};
NAME_LIST_CHECK(bundle_kinds, SCEP_BUNDLE_SIGNED);
NAME_LIST_CHECK(content_kinds, SCEP_CONTENT_ISSUER_AND_SERIAL);
NAME_LIST_CHECK(recipient_kinds, SCEP_RECIP_OTHER);
NAME_LIST_CHECK(input_kinds, SCEP_INPUT_CAPS);

const char *scep_bundle_kind_name(scep_bundle_kind kind) { return NAME_LIST_AT(bundle_kinds, kind); }

const char *scep_content_kind_name(scep_content_kind kind)
{
    return NAME_LIST_AT(content_kinds, kind);
}

const char *scep_recipient_kind_name(scep_recipient_kind kind)
{
    return NAME_LIST_AT(recipient_kinds, kind);
}

const char *scep_input_kind_name(scep_input_kind kind) { return NAME_LIST_AT(input_kinds, kind); }
