/* decode.c turns one input into library results: scep_decode_input detects the input's form
 * (HTTP message, URL/query, PEM, DER, GetCACaps text, base64 text), unwraps the transport and
 * decodes; this file only keeps its result and points the renderers' shortcuts into it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* shortcuts fills the renderers' fields of |d| from the library's result. */
static void shortcuts(decoded *d)
{
    const scep_input *in = d->in;
    d->form = in->form;
    memcpy(d->pem_label, in->pem_label, sizeof d->pem_label);
    d->has_http = in->has_http;
    d->http = in->http;
    d->has_query = in->has_query;
    d->query = in->query;
    d->query_buf = in->has_query ? in->query_message : NULL;
    d->operation = in->operation;
    d->operation_from_request = in->operation_from_request;
    d->kind = (result_kind)in->kind;
    d->status = in->status;
    d->der = in->der;
    d->der_len = in->der_len;
    d->der_from_text = in->der_from_text;
    d->content_buf = in->content;
    /* The pkiMessage result is meaningful whenever a pkiMessage decode ran (its errors say
     * why a message decoded to nothing). */
    d->pki = in->kind == SCEP_INPUT_PKI_MESSAGE || (in->kind == SCEP_INPUT_REQUEST && in->content)
                 ? &in->pki
                 : NULL;
    d->bundle = in->kind == SCEP_INPUT_BUNDLE ? &in->bundle : NULL;
    d->caps = in->kind == SCEP_INPUT_CAPS ? &in->caps : NULL;
    d->base64_forms = in->base64_forms;
    d->problem = in->problem;
    d->notes = in->notes;
    d->note_count = in->note_count;
}

void decode_input(const uint8_t *buf, size_t len, bool is_argument, scep_operation forced,
                  decoded *d, size_t *consumed)
{
    memset(d, 0, sizeof *d);
    *consumed = len;
    size_t cap = SCEP_INPUT_WORK_SIZE(len);
    d->in = malloc(sizeof *d->in);
    d->work = malloc(cap);
    if (!d->in || !d->work) {
        free(d->in);
        free(d->work);
        d->in = NULL;
        d->work = NULL;
        return;
    }
    scep_input_hints hints = {.operation = forced, .is_url = is_argument};
    scep_decode_input(buf, len, &hints, d->work, cap, d->in);
    *consumed = d->in->consumed;
    shortcuts(d);
}

void decoded_free(decoded *d)
{
    free(d->in);
    free(d->work);
    free(d->plain);
    free(d->request);
    free(d->issued);
    free(d->issued_buf);
    memset(d, 0, sizeof *d);
}

int decoded_exit_status(const decoded *d)
{
    if (d->problem && d->kind != RESULT_NONE)
        return 1;
    switch (d->kind) {
    case RESULT_NONE:
        return 2;
    case RESULT_QUERY_ONLY:
        if (d->has_query && d->query.operation == SCEP_OP_PKI_OPERATION &&
            d->query.message_len > 0)
            return 1; /* a message was there but decoded to nothing */
        break;
    case RESULT_PKI:
        if (d->status == SCEP_DECODE_NONE)
            return 2;
        if (d->pki->truncated || d->pki->errors.count > 0)
            return 1;
        break;
    case RESULT_BUNDLE:
        if (d->bundle->truncated || d->bundle->errors.count > 0)
            return 1;
        break;
    case RESULT_CAPS:
        if (d->caps->errors.count > 0)
            return 1;
        break;
    }
    if (d->has_query && (d->query.truncated || d->query.errors.count > 0))
        return 1;
    if (d->has_http && d->http.body_truncated)
        return 1;
    /* A message that does not verify, or that --key could not open, is not a clean decode. */
    if (d->verified && (d->verification.message_digest == SCEP_CHECK_FAILED ||
                        d->verification.signature == SCEP_CHECK_FAILED))
        return 1;
    if (d->decrypt_attempted && !d->plain)
        return 1;
    return d->status == SCEP_DECODE_OK ? 0 : 1;
}
