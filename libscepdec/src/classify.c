/* classify.c — decides whether an HTTP message is SCEP, which operation it carries or answers,
 * and how its body is to be decoded. One policy for the CLI and the Wireshark plugin, so
 * that a capture and a saved message are read alike. */
#include "ascii.h"
#include "scepdec.h"

#include <string.h>

/* media_type_is: does the Content-Type value |ct|/|len| name the media type |want| (lowercase),
 * ignoring case, blanks before it and parameters after it? */
static bool media_type_is(const char *ct, size_t len, const char *want)
{
    if (ct == NULL)
        return false;
    size_t i = 0;
    while (i < len && (ct[i] == ' ' || ct[i] == '\t'))
        i++;
    size_t n = strlen(want);
    if (!ascii_starts_nocase(ct + i, len - i, want))
        return false;
    return len - i == n || ct[i + n] == ';' || ct[i + n] == ' ' || ct[i + n] == '\t';
}

scep_operation scep_media_type_operation(const char *type, size_t len)
{
    static const struct {
        const char *type;
        scep_operation op;
    } types[] = {
        {"application/x-pki-message", SCEP_OP_PKI_OPERATION},
        {"application/x-x509-ca-cert", SCEP_OP_GET_CA_CERT},
        {"application/x-x509-ca-ra-cert", SCEP_OP_GET_CA_CERT},
        {"application/x-x509-next-ca-cert", SCEP_OP_GET_NEXT_CA_CERT},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (media_type_is(type, len, types[i].type))
            return types[i].op;
    return SCEP_OP_NONE;
}

/* A media type only SCEP uses: its answer is SCEP even when the request is not known. */
static bool scep_specific_type(const char *ct, size_t len)
{
    return media_type_is(ct, len, "application/x-pki-message") ||
           media_type_is(ct, len, "application/x-x509-ca-ra-cert") ||
           media_type_is(ct, len, "application/x-x509-next-ca-cert");
}

/* path_looks_like_scep: does the path name a SCEP endpoint (/scep, /cgi-bin/pkiclient.exe,
 * /certsrv/mscep/mscep.dll)? */
static bool path_looks_like_scep(scep_span path)
{
    static const char *const hints[] = {"scep", "pkiclient", "mscep"};
    for (size_t h = 0; h < sizeof hints / sizeof hints[0]; h++) {
        size_t n = strlen(hints[h]);
        for (size_t i = 0; i + n <= path.length; i++) {
            size_t k = 0;
            while (k < n && ascii_lower(path.data[i + k]) == (unsigned char)hints[h][k])
                k++;
            if (k == n)
                return true;
        }
    }
    return false;
}

/* starts_like_pki_message: do |der|/|len| begin a ContentInfo whose content type is
 * signedData (1.2.840.113549.1.7.2), in DER or BER (definite or indefinite outer length)? */
static bool starts_like_pki_message(const uint8_t *der, size_t len)
{
    static const uint8_t signed_data_oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                              0xf7, 0x0d, 0x01, 0x07, 0x02};
    if (len < 2 || der[0] != 0x30)
        return false;
    size_t header = 2;
    if (der[1] > 0x80)
        header += der[1] & 0x7f;
    if (header > 6 || len < header + sizeof signed_data_oid)
        return false;
    return memcmp(der + header, signed_data_oid, sizeof signed_data_oid) == 0;
}

/* message_is_pki_message: does the message parameter's text (still URL-escaped) decode to the
 * start of a pkiMessage? Only its first characters are decoded. */
static bool message_is_pki_message(scep_span text)
{
    uint8_t start[48];
    size_t n = 0;
    size_t take = text.length < 64 ? text.length : 64;
    scep_base64_decode((const char *)text.data, take, start, sizeof start, &n, NULL, NULL);
    return starts_like_pki_message(start, n);
}

/* body_is_base64_pki_message: a body of base64 text whose first characters decode to the
 * start of a pkiMessage ("MI..."), as some clients POST instead of DER. */
static bool body_is_base64_pki_message(const uint8_t *body, size_t len)
{
    if (len < 16 || body[0] != 'M')
        return false;
    scep_span text = {body, 0, len, SCEP_SRC_INPUT};
    return message_is_pki_message(text);
}

/* The request part of the rules (a request, or the request a response answers). */
static void classify_target(const scep_http_message *m, scep_http_class *out)
{
    scep_query decoded;
    uint8_t buf[48]; /* only the start of a message is looked at */
    if (m->target == NULL || m->target_len == 0)
        return;
    const scep_query *q = m->target_query;
    if (q == NULL) {
        scep_decode_query(m->target, m->target_len, buf, sizeof buf, &decoded);
        q = &decoded;
    }
    bool pki_type = media_type_is(m->content_type, m->content_type_len,
                                  "application/x-pki-message") && !m->is_response;
    if (q->operation_inferred) {
        /* scep_decode_query saw the message start a pkiMessage where no operation (or one a
         * cut ended) was named: the same inference as below. */
        out->is_scep = true;
        out->operation = SCEP_OP_PKI_OPERATION;
        out->operation_source = SCEP_OPFROM_MESSAGE;
        out->operation_text = q->operation_text;
        out->message_in_target = !m->is_response;
        return;
    }
    if (q->operation != SCEP_OP_NONE && q->operation != SCEP_OP_UNKNOWN) {
        out->is_scep = true;
    } else if (q->operation == SCEP_OP_UNKNOWN) {
        out->is_scep = path_looks_like_scep(q->path) || pki_type;
    } else if (scep_span_present(q->message_text) && message_is_pki_message(q->message_text)) {
        out->is_scep = true;
        out->operation = SCEP_OP_PKI_OPERATION;
        out->operation_source = SCEP_OPFROM_MESSAGE;
        out->message_in_target = !m->is_response;
        return;
    }
    if (!out->is_scep)
        return;
    out->operation = q->operation;
    out->operation_source = SCEP_OPFROM_TARGET;
    out->operation_text = q->operation_text;
    out->message_in_target = !m->is_response && scep_span_present(q->message_text);
}

/* payload_of: how the body of a SCEP message is decoded. */
static scep_payload payload_of(const scep_http_message *m, scep_operation op)
{
    const char *ct = m->content_type;
    size_t ct_len = m->content_type_len;
    if (m->body == NULL || m->body_len == 0)
        return SCEP_PAYLOAD_NONE;
    if (m->is_response && m->status_code != 0 && (m->status_code < 200 || m->status_code >= 300))
        return SCEP_PAYLOAD_ERROR_TEXT;
    if (op == SCEP_OP_NONE || op == SCEP_OP_UNKNOWN)
        op = scep_media_type_operation(ct, ct_len);
    bool text = ascii_starts_nocase(ct, ct_len, "text/");
    switch (op) {
    case SCEP_OP_PKI_OPERATION:
        if (body_is_base64_pki_message(m->body, m->body_len))
            return SCEP_PAYLOAD_PKI_MESSAGE_BASE64;
        /* A text answer to PKIOperation is a server's complaint (micromdm answers 200 with
         * text on some errors), never a pkiMessage. */
        return (m->is_response && text) ? SCEP_PAYLOAD_NONE : SCEP_PAYLOAD_PKI_MESSAGE;
    case SCEP_OP_GET_CA_CERT:
    case SCEP_OP_GET_NEXT_CA_CERT:
        return SCEP_PAYLOAD_CERT_BUNDLE;
    case SCEP_OP_GET_CA_CAPS:
        return m->is_response ? SCEP_PAYLOAD_CAPS : SCEP_PAYLOAD_NONE;
    default:
        break;
    }
    if (!m->assume_scep)
        return SCEP_PAYLOAD_NONE;
    if (m->body[0] == 0x30)
        return SCEP_PAYLOAD_DER;
    if (body_is_base64_pki_message(m->body, m->body_len))
        return SCEP_PAYLOAD_PKI_MESSAGE_BASE64;
    return media_type_is(ct, ct_len, "text/plain") ? SCEP_PAYLOAD_CAPS : SCEP_PAYLOAD_NONE;
}

/* infer_operation: the operation of a message whose target says none. */
static void infer_operation(const scep_http_message *m, scep_http_class *out)
{
    scep_operation by_type = scep_media_type_operation(m->content_type, m->content_type_len);
    if (by_type != SCEP_OP_NONE) {
        out->operation = by_type;
        out->operation_source = SCEP_OPFROM_CONTENT_TYPE;
    } else if (m->assume_scep && m->body != NULL && starts_like_pki_message(m->body, m->body_len)) {
        out->operation = SCEP_OP_PKI_OPERATION;
        out->operation_source = SCEP_OPFROM_BODY;
    } else if (m->assume_scep && m->is_response &&
               media_type_is(m->content_type, m->content_type_len, "text/plain")) {
        out->operation = SCEP_OP_GET_CA_CAPS;
        out->operation_source = SCEP_OPFROM_CONTENT_TYPE;
    }
}

void scep_classify_http(const scep_http_message *m, scep_http_class *out)
{
    memset(out, 0, sizeof *out);
    if (m->is_response && m->status_code >= 100 && m->status_code < 200) {
        out->interim = true;
        return;
    }
    if (m->is_response && m->request_operation != SCEP_OP_NONE) {
        out->is_scep = true;
        out->operation = m->request_operation;
        out->operation_source = SCEP_OPFROM_REQUEST;
    } else {
        classify_target(m, out);
    }
    const char *ct = m->content_type;
    size_t ct_len = m->content_type_len;
    if (!out->is_scep) {
        if (m->is_response)
            out->is_scep = scep_specific_type(ct, ct_len) ||
                           m->assume_scep;
        else
            out->is_scep = media_type_is(ct, ct_len, "application/x-pki-message") ||
                           m->assume_scep;
        if (!out->is_scep)
            return;
    }
    if (out->operation == SCEP_OP_NONE)
        infer_operation(m, out);
    out->payload = payload_of(m, out->operation);
}
