/* errors.c — the result error lists (scep_errors): recording an error, or a BER fault, and
 * the names of error codes and decode statuses. */
#include "ber.h"

void scep_errors_add(scep_errors *errors, scep_error_code code, uint8_t source, size_t offset,
                     const char *message)
{
    if (errors->count < SCEP_MAX_ERRORS) {
        scep_error *err = &errors->items[errors->count++];
        err->code = code;
        err->source = source;
        err->offset = offset;
        err->message = message;
    } else {
        errors->dropped++;
    }
}

void ber_record(scep_errors *errors, const ber_cursor *c, const ber_fault *fault,
                const char *message)
{
    scep_errors_add(errors, fault->code, c->source, fault->offset, message);
}

const char *scep_error_code_name(scep_error_code code)
{
    static const char *const names[] = {
        [SCEP_ERR_NONE] = "none",
        [SCEP_ERR_TRUNCATED] = "truncated",
        [SCEP_ERR_BAD_TAG] = "bad-tag",
        [SCEP_ERR_BAD_LENGTH] = "bad-length",
        [SCEP_ERR_TOO_DEEP] = "too-deep",
        [SCEP_ERR_UNEXPECTED_TAG] = "unexpected-tag",
        [SCEP_ERR_BAD_VALUE] = "bad-value",
        [SCEP_ERR_CAPACITY] = "capacity",
        [SCEP_ERR_BAD_BASE64] = "bad-base64",
        [SCEP_ERR_TRAILING_DATA] = "trailing-data",
        [SCEP_ERR_MISSING] = "missing",
        [SCEP_ERR_UNSUPPORTED] = "unsupported",
    };
    if ((unsigned)code < sizeof names / sizeof names[0] && names[code])
        return names[code];
    return "unknown";
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
