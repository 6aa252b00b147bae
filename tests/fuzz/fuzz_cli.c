/* fuzz_cli.c — the scepdec command's input detection and transport unwrapping (detect.c),
 * decoding (decode.c) and both renderers (report.c, JSON), driven as main.c's process() drives
 * them: an input may hold several HTTP messages, each decoded in turn.
 *
 * Invariants: the exit status is 0, 1 or 2; each message consumes no more than is left; the
 * library results the CLI keeps point into the bytes it decoded (d->der, d->content_buf). */
#include "../../libscepdec/cli/cli.h"
#include "fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

static bool only_whitespace(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static void check_decoded(const decoded *d)
{
    int status = decoded_exit_status(d);
    INVARIANT(status >= 0 && status <= 2);
    INVARIANT(d->note_count <= MAX_NOTES);
    INVARIANT(d->pem_label[sizeof d->pem_label - 1] == '\0');
    /* decode_der joins chunked content into a buffer as large as the bytes decoded. */
    fuzz_bounds b = fuzz_bounds_of(d->der, d->der_len, d->content_buf, d->der_len);
    /* d->status merges the request's status with the message's: check the results alone. */
    if (d->kind == RESULT_PKI && d->pki)
        fuzz_check_pki_result(&b, d->pki);
    else if (d->kind == RESULT_BUNDLE && d->bundle)
        fuzz_check_bundle_result(&b, d->bundle);
    if (d->has_http) {
        INVARIANT(d->http.body_len == 0 || d->http.body != NULL);
        INVARIANT(!d->http.is_request || d->http.target != NULL);
    }
}

static void process(const uint8_t *buf, size_t len, scep_operation forced)
{
    size_t offset = 0;
    static decoded d;
    do {
        size_t consumed = 0;
        decode_input(buf + offset, len - offset, false, forced, &d, &consumed);
        INVARIANT(consumed <= len - offset);
        check_decoded(&d);
        report_text(sink, &d, "fuzz");
        INVARIANT(report_json(sink, &d));
        decoded_free(&d);
        offset += consumed ? consumed : len - offset;
        while (offset < len && (buf[offset] == '\r' || buf[offset] == '\n'))
            offset++;
    } while (offset < len && !only_whitespace(buf + offset, len - offset) &&
             scep_looks_like_http(buf + offset, len - offset));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sink) {
        sink = fopen("/dev/null", "w");
        if (!sink)
            abort();
    }
    process(data, size, SCEP_OP_NONE);
    /* --operation changes what a body is taken for: try the one the size picks. */
    static const scep_operation forced[] = {SCEP_OP_GET_CA_CAPS, SCEP_OP_GET_CA_CERT,
                                            SCEP_OP_GET_NEXT_CA_CERT};
    process(data, size, forced[size % 3]);
    /* An argument on the command line is decoded as a URL even without "operation=". */
    if (size > 0 && size < 4096 && memchr(data, 0, size) == NULL) {
        static decoded d;
        size_t consumed;
        decode_input(data, size, true, SCEP_OP_NONE, &d, &consumed);
        check_decoded(&d);
        report_text(sink, &d, "argument");
        INVARIANT(report_json(sink, &d));
        decoded_free(&d);
    }
    return 0;
}
