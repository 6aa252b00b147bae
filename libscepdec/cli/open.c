/* open.c — what the CLI learns beyond decoding: whether a pkiMessage's messageDigest and
 * signature hold, and, given the recipient's key, what its envelope holds. All of it through
 * the library; nothing is parsed here. */
#include <stdlib.h>

#include "cli.h"

static const scep_pki_message *message_of(const decoded *d)
{
    if (d->pki && (d->kind == RESULT_PKI || d->kind == RESULT_QUERY_ONLY) &&
        d->pki->signed_data.signer_count > 0)
        return d->pki;
    return NULL;
}

static void decode_plaintext(decoded *d, long message_type)
{
    if (message_type == SCEP_MSG_CERT_REP) {
        d->issued = calloc(1, sizeof *d->issued);
        d->issued_buf = malloc(d->plain_len ? d->plain_len : 1);
        if (d->issued && d->issued_buf)
            scep_decode_cert_bundle(d->plain, d->plain_len, d->issued_buf, d->plain_len, d->issued);
        return;
    }
    d->request = calloc(1, sizeof *d->request);
    if (d->request)
        scep_decode_request_content(d->plain, d->plain_len, message_type, d->request);
}

void open_message(decoded *d, const key_material *keys)
{
    const scep_pki_message *m = message_of(d);
    if (!m)
        return;
    d->verified = true;
    scep_verify_pki_message(d->der, d->der_len, m, NULL, 0, &d->verification);
    if (!keys->key || !m->has_envelope)
        return;
    d->decrypt_attempted = true;
    /* The plaintext is never longer than the ciphertext. */
    size_t cap = m->envelope.encrypted_length + 64;
    d->plain = malloc(cap);
    if (!d->plain)
        return;
    if (scep_decrypt_envelope(m, keys->key, keys->key_len, keys->cert, keys->cert_len, d->plain,
                              cap, &d->plain_len, &d->decrypt_error) != SCEP_DECODE_OK) {
        free(d->plain);
        d->plain = NULL;
        d->plain_len = 0;
        return;
    }
    const scep_number_attr *type = &m->signed_data.signer.message_type;
    decode_plaintext(d, type->numeric ? type->value : -1);
}
