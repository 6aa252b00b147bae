/* report_json.c renders one decoded input as the JSON object the man page documents (section
 * JSON): the library's scep_json_message writes all of it, the CLI's own keys
 * ("verification", "decrypted", "decrypt_error") included, so every string is escaped by the
 * one writer. */
#include <stdlib.h>

#include "cli.h"

bool json_message_of(const decoded *d, scep_log_message *m, scep_decrypted *decrypted)
{
    *m = (scep_log_message){.operation = d->operation};
    *decrypted = (scep_decrypted){0};
    if (d->kind == RESULT_PKI || (d->kind == RESULT_QUERY_ONLY && d->pki))
        m->pki = d->pki; /* the message itself, or the one the query carries */
    if (d->has_query && d->query.operation != SCEP_OP_NONE &&
        (d->kind == RESULT_QUERY_ONLY || d->kind == RESULT_PKI)) {
        m->query = &d->query;
        m->query_message = d->query_buf;
    }
    if (d->kind == RESULT_BUNDLE)
        m->bundle = d->bundle;
    if (d->kind == RESULT_CAPS)
        m->caps = d->caps;
    if (d->verified)
        m->verification = &d->verification;
    decrypted->request = d->request;
    decrypted->issued = d->issued;
    decrypted->failed = d->decrypt_attempted && !d->plain;
    decrypted->error = d->decrypt_error.message;
    if (decrypted->request || decrypted->issued || decrypted->failed)
        m->decrypted = decrypted;
    return m->query || d->kind == RESULT_PKI || m->bundle || m->caps;
}

bool report_json(FILE *out, const decoded *d)
{
    scep_log_message m;
    scep_decrypted decrypted;
    if (!json_message_of(d, &m, &decrypted))
        return true; /* no object to write (when nothing decoded, main.c says so on stderr) */
    size_t need = scep_json_message(&m, NULL, 0);
    char *text = malloc(need + 1);
    if (!text)
        return false;
    scep_json_message(&m, text, need + 1);
    fprintf(out, "%s\n", text);
    free(text);
    return true;
}
