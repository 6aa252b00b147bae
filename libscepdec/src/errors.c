/* errors.c — the result error lists (scep_errors): recording an error, or a BER fault, and
 * the names of error codes and decode statuses. */
#include "ber.h"
#include "name_list.h"

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

static const char *const error_code_names[] = {
    "none",      "truncated", "bad-tag",    "bad-length",    "too-deep", "unexpected-tag",
    "bad-value", "capacity",  "bad-base64", "trailing-data", "missing",  "unsupported",
};
NAME_LIST_CHECK(error_code_names, SCEP_ERR_UNSUPPORTED);

const char *scep_error_code_name(scep_error_code code)
{
    const char *name = NAME_LIST_AT(error_code_names, code);
    return name ? name : "unknown";
}

static const char *const status_names[] = {"ok", "partial", "none"};
NAME_LIST_CHECK(status_names, SCEP_DECODE_NONE);

const char *scep_status_name(scep_status status) { return NAME_LIST_AT(status_names, status); }
