/* decode.c turns one input into library results: it detects the input's form (HTTP message,
 * URL/query, PEM, DER, GetCACaps text, base64 text, in that order), unwraps the transport and
 * asks libscepdec what the bytes are. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void note(decoded *d, const char *text)
{
    if (d->note_count < MAX_NOTES)
        d->notes[d->note_count++] = text;
}

static bool has_scep_attributes(const scep_pki_message *m)
{
    const scep_signer *s = &m->signed_data.signer;
    return s->message_type.present || s->pki_status.present || s->fail_info.present ||
           scep_span_present(s->transaction_id) || scep_span_present(s->sender_nonce) ||
           scep_span_present(s->recipient_nonce);
}

/* decode_der decides between a pkiMessage and a certificate bundle by asking the library:
 * a SignedData with SCEP attributes or an envelope is a pkiMessage; one with neither but with
 * certificates (certs-only, GetNextCACert) or a bare certificate is a bundle. */
static void decode_der(decoded *d, const uint8_t *der, size_t len, bool prefer_bundle)
{
    /* A request may be decoded twice (a message in the target that came to nothing, then the
     * body): the second decode replaces the first. */
    free(d->content_buf);
    free(d->pki);
    free(d->bundle);
    d->der = der;
    d->der_len = len;
    d->content_buf = malloc(len ? len : 1);
    d->pki = calloc(1, sizeof *d->pki);
    d->bundle = calloc(1, sizeof *d->bundle);
    if (!d->content_buf || !d->pki || !d->bundle) {
        d->kind = RESULT_NONE;
        d->status = SCEP_DECODE_NONE;
        return;
    }
    scep_status ps = SCEP_DECODE_NONE;
    if (!prefer_bundle) {
        ps = scep_decode_pki_message(der, len, d->content_buf, len, d->pki);
        if (ps != SCEP_DECODE_NONE && (has_scep_attributes(d->pki) || d->pki->has_envelope)) {
            d->kind = RESULT_PKI;
            d->status = ps;
            return;
        }
    }
    /* A bundle's content is joined into its own buffer: the pkiMessage's spans must survive
     * in case it is the better answer after all. */
    uint8_t *bundle_buf = malloc(len ? len : 1);
    if (!bundle_buf)
        return;
    scep_status bs = scep_decode_cert_bundle(der, len, bundle_buf, len, d->bundle);
    if (bs != SCEP_DECODE_NONE &&
        (d->bundle->certificate_count > 0 || d->bundle->crl_count > 0 || ps == SCEP_DECODE_NONE)) {
        free(d->content_buf);
        d->content_buf = bundle_buf;
        d->kind = RESULT_BUNDLE;
        d->status = bs;
        return;
    }
    free(bundle_buf);
    if (prefer_bundle) {
        ps = scep_decode_pki_message(der, len, d->content_buf, len, d->pki);
    }
    if (ps != SCEP_DECODE_NONE) {
        d->kind = RESULT_PKI;
        d->status = ps;
        return;
    }
    /* Neither: report what the pkiMessage decoder found (its errors say where it stopped). */
    d->kind = RESULT_PKI;
    d->status = SCEP_DECODE_NONE;
}

/* decode_caps_text decodes GetCACaps lines. Unless the transport said so (|expected|), text
 * counts as GetCACaps only when at least one line is a capability the library knows: any
 * other text would otherwise "decode" as a list of unknown capabilities. */
static void decode_caps_text(decoded *d, const uint8_t *text, size_t len, bool expected)
{
    free(d->caps);
    d->caps = calloc(1, sizeof *d->caps);
    if (!d->caps)
        return;
    d->der = text;
    d->der_len = len;
    d->status = scep_decode_caps((const char *)text, len, d->caps);
    size_t known = 0;
    for (size_t i = 0; i < d->caps->count && i < SCEP_MAX_CAPABILITIES; i++)
        known += d->caps->items[i].id != SCEP_CAP_UNKNOWN;
    if (d->status == SCEP_DECODE_NONE || (!expected && known == 0)) {
        d->kind = RESULT_NONE;
        d->status = SCEP_DECODE_NONE;
        if (d->form == FORM_CAPS)
            d->form = FORM_NONE;
        return;
    }
    d->kind = RESULT_CAPS;
}

/* base64_is_der: does base64 text decode, without stopping early, to something that starts
 * like a DER SEQUENCE? Tells a base64 body from GetCACaps lines, which are printable too. */
static uint8_t *try_base64(decoded *d, const uint8_t *text, size_t len, size_t *out_len)
{
    scep_status st;
    unsigned forms = 0;
    uint8_t *der = base64_text_decode((const char *)text, len, out_len, &forms, &st);
    if (!der)
        return NULL;
    if (der[0] != 0x30 || *out_len < 2 || (st != SCEP_DECODE_OK && *out_len < 16)) {
        free(der);
        return NULL;
    }
    d->base64_forms |= forms;
    return der;
}

/* decode_body decodes bytes whose form is not known yet: PEM, DER, caps text or base64. */
static void decode_body(decoded *d, const uint8_t *buf, size_t len, bool prefer_bundle,
                        bool prefer_caps)
{
    char label[sizeof d->pem_label] = {0};
    const char *b64;
    size_t b64_len, der_len;
    if (len == 0) {
        d->kind = RESULT_NONE;
        return;
    }
    if (pem_find(buf, len, label, sizeof label, &b64, &b64_len)) {
        if (d->form == FORM_NONE)
            d->form = FORM_PEM;
        memcpy(d->pem_label, label, sizeof label);
        note(d, "PEM armor removed");
        scep_status st;
        free(d->der_owned);
        d->der_owned = base64_text_decode(b64, b64_len, &der_len, &d->base64_forms, &st);
        if (!d->der_owned) {
            d->kind = RESULT_NONE;
            return;
        }
        bool cert = strstr(label, "CERTIFICATE") != NULL;
        decode_der(d, d->der_owned, der_len, prefer_bundle || cert);
        return;
    }
    if (buf[0] == 0x30 && !prefer_caps) {
        if (d->form == FORM_NONE)
            d->form = FORM_DER;
        decode_der(d, buf, len, prefer_bundle);
        return;
    }
    if (is_text(buf, len)) {
        uint8_t *der = prefer_caps ? NULL : try_base64(d, buf, len, &der_len);
        if (der) {
            if (d->form == FORM_NONE)
                d->form = FORM_BASE64;
            note(d, "base64 text decoded");
            free(d->der_owned);
            d->der_owned = der;
            decode_der(d, der, der_len, prefer_bundle);
            return;
        }
        if (d->form == FORM_NONE)
            d->form = FORM_CAPS;
        decode_caps_text(d, buf, len, prefer_caps);
        return;
    }
    if (buf[0] == 0x30) { /* binary after all, though caps were expected */
        decode_der(d, buf, len, prefer_bundle);
        return;
    }
    d->kind = RESULT_NONE;
}

static int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];
        char y = b[i] >= 'A' && b[i] <= 'Z' ? (char)(b[i] - 'A' + 'a') : b[i];
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

/* operation_from_content_type maps a response's media type to the operation it answers. */
static scep_operation operation_from_content_type(const char *ct, size_t len, bool *bundle,
                                                  bool *caps)
{
    static const struct {
        const char *type;
        scep_operation op;
        bool bundle, caps;
    } types[] = {
        {"application/x-x509-ca-cert", SCEP_OP_GET_CA_CERT, true, false},
        {"application/x-x509-ca-ra-cert", SCEP_OP_GET_CA_CERT, true, false},
        {"application/x-x509-next-ca-cert", SCEP_OP_GET_NEXT_CA_CERT, true, false},
        {"application/x-pki-message", SCEP_OP_PKI_OPERATION, false, false},
        {"text/plain", SCEP_OP_GET_CA_CAPS, false, true},
    };
    *bundle = *caps = false;
    if (!ct)
        return SCEP_OP_NONE;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t n = strlen(types[i].type);
        if (len >= n && strncasecmp_ascii(ct, types[i].type, n) == 0 &&
            (len == n || ct[n] == ';' || ct[n] == ' ')) {
            *bundle = types[i].bundle;
            *caps = types[i].caps;
            return types[i].op;
        }
    }
    return SCEP_OP_NONE;
}

static void decode_query_text(decoded *d, const char *text, size_t len)
{
    d->has_query = true;
    d->query_buf = malloc(len + 1);
    if (!d->query_buf) {
        d->kind = RESULT_NONE;
        return;
    }
    scep_status qs = scep_decode_query(text, len, d->query_buf, len + 1, &d->query);
    if (qs == SCEP_DECODE_NONE) {
        d->kind = RESULT_NONE;
        d->status = SCEP_DECODE_NONE;
        return;
    }
    d->operation = d->query.operation;
    d->operation_from_request = true;
    d->kind = RESULT_QUERY_ONLY;
    d->status = qs;
    if (d->query.operation == SCEP_OP_PKI_OPERATION && d->query.message_len > 0) {
        decode_der(d, d->query_buf, d->query.message_len, false);
        if (d->kind == RESULT_NONE || (d->kind == RESULT_PKI && d->status == SCEP_DECODE_NONE)) {
            /* The message decoded to nothing: the request is still worth showing, with the
             * pkiMessage decoder's errors. */
            d->kind = RESULT_QUERY_ONLY;
            d->status = SCEP_DECODE_PARTIAL;
        } else if (qs == SCEP_DECODE_PARTIAL) {
            d->status = SCEP_DECODE_PARTIAL;
        }
    }
}

void decode_input(const uint8_t *buf, size_t len, bool is_argument, scep_operation forced,
                  decoded *d, size_t *consumed)
{
    memset(d, 0, sizeof *d);
    *consumed = len;
    const char *qtext;
    size_t qlen;

    if (looks_like_http(buf, len)) {
        if (!http_parse(buf, len, &d->http))
            return;
        d->has_http = true;
        *consumed = d->http.consumed;
        d->form = d->http.is_request ? FORM_HTTP_REQUEST : FORM_HTTP_RESPONSE;
        if (d->http.chunked)
            note(d, "HTTP body in chunked transfer-encoding, joined");
        if (d->http.body_truncated)
            note(d, "HTTP body shorter than its framing announces (cut capture or log)");
        bool want_bundle = false, want_caps = false;
        if (d->http.is_request) {
            decode_query_text(d, d->http.target, d->http.target_len);
            if (d->http.body_len > 0 && d->kind != RESULT_PKI) {
                /* The body is tried second; when it is nothing, what the target gave stands,
                 * with the bytes it was decoded from (the body's attempt moved d->der). */
                result_kind before = d->kind;
                scep_status status_before = d->status;
                const uint8_t *der_before = d->der;
                size_t der_len_before = d->der_len;
                decode_body(d, d->http.body, d->http.body_len, false, false);
                if (d->kind == RESULT_NONE) {
                    d->kind = before;
                    d->status = status_before;
                    d->der = der_before;
                    d->der_len = der_len_before;
                }
            }
        } else {
            scep_operation op = operation_from_content_type(d->http.content_type,
                                                            d->http.content_type_len,
                                                            &want_bundle, &want_caps);
            d->operation = op;
            decode_body(d, d->http.body, d->http.body_len, want_bundle, want_caps);
        }
        if (d->http.body_truncated && d->kind == RESULT_NONE)
            d->status = SCEP_DECODE_PARTIAL;
        if (d->http.body_truncated && !d->http.headers_complete)
            d->problem = "the HTTP header fields are cut: the message stops before its body";
        else if (d->http.is_request && d->has_query &&
                 d->query.operation == SCEP_OP_PKI_OPERATION && d->query.message_len == 0 &&
                 d->http.body_len == 0 && !d->http.body_truncated)
            d->problem = "PKIOperation request without a message: none in the URL, no body";
    } else if (is_text(buf, len) && find_query_text(buf, len, &qtext, &qlen)) {
        d->form = FORM_QUERY;
        decode_query_text(d, qtext, qlen);
    } else if (is_argument) {
        /* An argument with "://" or "?" but no operation: let the library say so. */
        d->form = FORM_QUERY;
        decode_query_text(d, (const char *)buf, len);
    } else {
        bool caps = forced == SCEP_OP_GET_CA_CAPS;
        bool bundle = forced == SCEP_OP_GET_CA_CERT || forced == SCEP_OP_GET_NEXT_CA_CERT;
        decode_body(d, buf, len, bundle, caps);
    }

    if (forced != SCEP_OP_NONE)
        d->operation = forced;
    else if (d->operation == SCEP_OP_NONE && d->kind == RESULT_PKI && d->pki &&
             d->pki->signed_data.signer.message_type.present)
        d->operation = SCEP_OP_PKI_OPERATION; /* only PKIOperation carries a messageType */
    else if (d->operation == SCEP_OP_NONE && d->kind == RESULT_CAPS)
        d->operation = SCEP_OP_GET_CA_CAPS;

    if (d->kind == RESULT_PKI && d->pki->signed_data.encap_content_chunks > 0)
        note(d, "encapsulated content was a constructed (chunked) OCTET STRING, joined");
    if ((d->kind == RESULT_PKI && d->pki->signed_data.indefinite_lengths) ||
        (d->kind == RESULT_BUNDLE && d->bundle->outer.indefinite_lengths))
        note(d, "BER indefinite lengths (as iOS sends)");
}

void decoded_free(decoded *d)
{
    http_free(&d->http);
    free(d->query_buf);
    free(d->der_owned);
    free(d->content_buf);
    free(d->pki);
    free(d->bundle);
    free(d->caps);
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
