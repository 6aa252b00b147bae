/* b64.h — the base64 decoder's entry for URL query parameters. Internal. */
#ifndef SCEPDEC_B64_H
#define SCEPDEC_B64_H

#include "scepdec.h"

/* b64_decode_field decodes, as scep_base64_decode does, the base64 text of a query parameter
 * that starts at |text| and ends at its first '&' or '#' (unescaped) or after |len|
 * characters, and sets |*field_len| to where it ended. Found in the same pass as the decode,
 * so the parameter's end costs no scan of its own; the result is the one scep_base64_decode
 * gives for |text|/|*field_len|. */
scep_status b64_decode_field(const char *text, size_t len, uint8_t *out, size_t cap,
                             size_t *out_len, unsigned *forms, scep_error *error,
                             size_t *field_len);

#endif
