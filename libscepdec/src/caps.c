/* caps.c — parses a GetCACaps response body into capabilities.
 *
 * RFC 8894 section 3.5.2 asks for one keyword a line and says clients should match them
 * case-insensitively; servers in the field also end lines with LF or CRLF alike, pad them with
 * blanks, add blank lines, and spell the hash capabilities without the dash. */
#include "ber.h"
#include "scepdec.h"

#include <string.h>

static const struct {
    scep_capability id;
    const char *name;
} capability_names[] = {
    {SCEP_CAP_AES, "AES"},
    {SCEP_CAP_DES3, "DES3"},
    {SCEP_CAP_GET_NEXT_CA_CERT, "GetNextCACert"},
    {SCEP_CAP_POST_PKI_OPERATION, "POSTPKIOperation"},
    {SCEP_CAP_RENEWAL, "Renewal"},
    {SCEP_CAP_SHA1, "SHA-1"},
    {SCEP_CAP_SHA256, "SHA-256"},
    {SCEP_CAP_SHA512, "SHA-512"},
    {SCEP_CAP_SCEP_STANDARD, "SCEPStandard"},
    {SCEP_CAP_UPDATE, "Update"},
};

/* Spellings other than the canonical one that servers are known to send. */
static const struct {
    scep_capability id;
    const char *name;
} capability_aliases[] = {
    {SCEP_CAP_SHA1, "SHA1"},
    {SCEP_CAP_SHA256, "SHA256"},
    {SCEP_CAP_SHA512, "SHA512"},
};

const char *scep_capability_name(scep_capability cap)
{
    for (size_t i = 0; i < sizeof capability_names / sizeof capability_names[0]; i++)
        if (capability_names[i].id == cap)
            return capability_names[i].name;
    return NULL;
}

static bool equal_ignoring_case(const char *text, size_t len, const char *name)
{
    if (strlen(name) != len)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)text[i], b = (unsigned char)name[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

static scep_capability caps_match(const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof capability_names / sizeof capability_names[0]; i++)
        if (equal_ignoring_case(text, len, capability_names[i].name))
            return capability_names[i].id;
    for (size_t i = 0; i < sizeof capability_aliases / sizeof capability_aliases[0]; i++)
        if (equal_ignoring_case(text, len, capability_aliases[i].name))
            return capability_aliases[i].id;
    return SCEP_CAP_UNKNOWN;
}

static bool is_blank(char ch) { return ch == ' ' || ch == '\t'; }

scep_status scep_decode_caps(const char *text, size_t len, scep_caps *out)
{
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return SCEP_DECODE_NONE;
    bool capacity_recorded = false;
    size_t start = 0;
    while (start < len) {
        /* A line ends at LF, CRLF, or a lone CR (old Mac-style servers). */
        size_t end = start;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        size_t next = end;
        if (next < len && text[next] == '\r')
            next++;
        if (next < len && text[next] == '\n' && (next == end || text[next - 1] == '\r'))
            next++;

        size_t first = start, last = end;
        while (first < last && is_blank(text[first]))
            first++;
        while (last > first && is_blank(text[last - 1]))
            last--;
        if (first < last) {
            size_t bad = first;
            while (bad < last && (unsigned char)text[bad] >= 0x20 && (unsigned char)text[bad] < 0x7F)
                bad++;
            if (bad < last) {
                /* Not a keyword: most likely a binary body mistaken for GetCACaps. */
                scep_errors_add(&out->errors, SCEP_ERR_BAD_VALUE, SCEP_SRC_INPUT, bad,
                                "GetCACaps: line is not printable text");
            } else if (out->count == SCEP_MAX_CAPABILITIES) {
                if (!capacity_recorded)
                    scep_errors_add(&out->errors, SCEP_ERR_CAPACITY, SCEP_SRC_INPUT, first,
                                    "GetCACaps: more capabilities than SCEP_MAX_CAPABILITIES");
                capacity_recorded = true;
            } else {
                out->items[out->count].id = caps_match(text + first, last - first);
                scep_span s = {(const uint8_t *)text + first, first, last - first, SCEP_SRC_INPUT};
                out->items[out->count].text = s;
                out->count++;
            }
        }
        start = next;
    }
    if (out->errors.count > 0 || out->errors.dropped > 0)
        return SCEP_DECODE_PARTIAL;
    return out->count > 0 ? SCEP_DECODE_OK : SCEP_DECODE_NONE;
}
