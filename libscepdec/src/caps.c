/* caps.c — parses a GetCACaps response body into capabilities.
 *
 * RFC 8894 section 3.5.2 asks for one keyword a line and says clients should match them
 * case-insensitively; servers in the field also end lines with LF or CRLF alike, pad them with
 * blanks, add blank lines, and spell the hash capabilities without the dash. */
#include "ascii.h"
#include "ber.h"
#include "scepdec.h"

#include <string.h>

/* Every spelling of a capability keyword this version knows: RFC 8894's (section 3.5.2)
 * first, which scep_capability_name gives, then the others servers are known to send. */
static const keyword capability_spellings[] = {
    {"AES", SCEP_CAP_AES},
    {"DES3", SCEP_CAP_DES3},
    {"GetNextCACert", SCEP_CAP_GET_NEXT_CA_CERT},
    {"POSTPKIOperation", SCEP_CAP_POST_PKI_OPERATION},
    {"Renewal", SCEP_CAP_RENEWAL},
    {"SHA-1", SCEP_CAP_SHA1},
    {"SHA-256", SCEP_CAP_SHA256},
    {"SHA-512", SCEP_CAP_SHA512},
    {"SCEPStandard", SCEP_CAP_SCEP_STANDARD},
    {"Update", SCEP_CAP_UPDATE},
    /* other spellings */
    {"SHA1", SCEP_CAP_SHA1},
    {"SHA256", SCEP_CAP_SHA256},
    {"SHA512", SCEP_CAP_SHA512},
};

#define SPELLING_COUNT (sizeof capability_spellings / sizeof capability_spellings[0])

const char *scep_capability_name(scep_capability cap)
{
    return keyword_spelling(capability_spellings, SPELLING_COUNT, (int)cap);
}

static scep_capability caps_match(const char *text, size_t len)
{
    return (scep_capability)keyword_match(capability_spellings, SPELLING_COUNT, text, len,
                                          SCEP_CAP_UNKNOWN);
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
