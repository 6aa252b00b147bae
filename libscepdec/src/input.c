/* input.c — scep_decode_input: one input, whatever its form, decoded. It detects the form
 * (HTTP message, URL/query, PEM, DER, GetCACaps text, base64 text, in that order), unwraps
 * the transport (detect.c) and asks the decoders what the bytes are. An HTTP message is
 * classified by scep_classify_http, the policy the Wireshark plugin uses too. */
#include <string.h>

#include "ber.h"
#include "input.h"

typedef struct {
    scep_input *in;
    work_arena arena;
    bool out_of_room;
} input_ctx;

static void note(scep_input *in, const char *text)
{
    if (in->note_count < SCEP_INPUT_MAX_NOTES)
        in->notes[in->note_count++] = text;
}

/* take_work hands out |n| bytes of the work area, recording when there is no more. */
static uint8_t *take_work(input_ctx *x, size_t n)
{
    uint8_t *p = arena_take(&x->arena, n);
    if (!p)
        x->out_of_room = true;
    return p;
}

static bool has_scep_attributes(const scep_pki_message *m)
{
    const scep_signer *s = &m->signed_data.signer;
    return s->message_type.present || s->pki_status.present || s->fail_info.present ||
           scep_span_present(s->transaction_id) || scep_span_present(s->sender_nonce) ||
           scep_span_present(s->recipient_nonce);
}

/* decode_der decides between a pkiMessage and a certificate bundle by asking the decoders:
 * a SignedData with SCEP attributes or an envelope is a pkiMessage; one with neither but with
 * certificates or CRLs (certs-only, GetNextCACert), or a bare certificate, is a bundle. */
static void decode_der(input_ctx *x, const uint8_t *der, size_t len, bool prefer_bundle)
{
    scep_input *in = x->in;
    uint8_t *content = take_work(x, len), *bundle_content = take_work(x, len);
    in->der = der;
    in->der_len = len;
    in->kind = SCEP_INPUT_NONE;
    in->status = SCEP_DECODE_NONE;
    if (!content || !bundle_content)
        return;
    in->content = content;
    scep_status ps = SCEP_DECODE_NONE;
    if (!prefer_bundle) {
        ps = scep_decode_pki_message(der, len, content, len, &in->pki);
        if (ps != SCEP_DECODE_NONE && (has_scep_attributes(&in->pki) || in->pki.has_envelope)) {
            in->kind = SCEP_INPUT_PKI_MESSAGE;
            in->status = ps;
            return;
        }
    }
    /* The bundle joins its content into a buffer of its own: the pkiMessage's spans must
     * survive in case it is the better answer after all. */
    scep_status bs = scep_decode_cert_bundle(der, len, bundle_content, len, &in->bundle);
    if (bs != SCEP_DECODE_NONE &&
        (in->bundle.certificate_count > 0 || in->bundle.crl_count > 0 || ps == SCEP_DECODE_NONE)) {
        in->content = bundle_content;
        in->kind = SCEP_INPUT_BUNDLE;
        in->status = bs;
        return;
    }
    if (prefer_bundle)
        ps = scep_decode_pki_message(der, len, content, len, &in->pki);
    /* A pkiMessage, or neither: then the pkiMessage decoder's errors say where it stopped. */
    in->kind = SCEP_INPUT_PKI_MESSAGE;
    in->status = ps;
}

/* decode_caps_text decodes GetCACaps lines. Unless the operation says so (|expected|), text
 * counts as GetCACaps only when at least one line is a capability the library knows: any
 * other text would otherwise "decode" as a list of unknown capabilities. */
static void decode_caps_text(scep_input *in, const uint8_t *text, size_t len, bool expected)
{
    in->der = text;
    in->der_len = len;
    in->status = scep_decode_caps((const char *)text, len, &in->caps);
    size_t known = 0;
    for (size_t i = 0; i < in->caps.count && i < SCEP_MAX_CAPABILITIES; i++)
        known += in->caps.items[i].id != SCEP_CAP_UNKNOWN;
    if (in->status == SCEP_DECODE_NONE || (!expected && known == 0)) {
        in->kind = SCEP_INPUT_NONE;
        in->status = SCEP_DECODE_NONE;
        if (in->form == SCEP_FORM_CAPS)
            in->form = SCEP_FORM_NONE;
        return;
    }
    in->kind = SCEP_INPUT_CAPS;
}

/* base64_text: base64_text_decode into the work area, noting when the area is too small. */
static uint8_t *base64_text(input_ctx *x, const char *text, size_t len, size_t *out_len,
                            unsigned *forms, scep_status *st)
{
    size_t need = 2 * (len ? len : 1);
    if (x->arena.cap - x->arena.used < need) {
        x->out_of_room = true;
        *out_len = 0;
        *st = SCEP_DECODE_NONE;
        return NULL;
    }
    return base64_text_decode(text, len, &x->arena, out_len, forms, st);
}

/* try_base64: does text decode, without stopping early, to something that starts like a DER
 * SEQUENCE? Tells a base64 body from GetCACaps lines, which are printable too. */
static const uint8_t *try_base64(input_ctx *x, const uint8_t *text, size_t len, size_t *out_len)
{
    scep_status st;
    unsigned forms = 0;
    size_t mark = x->arena.used;
    uint8_t *der = base64_text(x, (const char *)text, len, out_len, &forms, &st);
    if (!der)
        return NULL;
    if (der[0] != 0x30 || *out_len < 2 || (st != SCEP_DECODE_OK && *out_len < 16)) {
        x->arena.used = mark;
        return NULL;
    }
    x->in->base64_forms |= forms;
    return der;
}

/* decode_pem decodes the PEM block at |b64|; a CERTIFICATE is a bundle of one. */
static void decode_pem(input_ctx *x, const char *label, const char *b64, size_t b64_len,
                       bool prefer_bundle)
{
    scep_input *in = x->in;
    scep_status st;
    size_t der_len;
    if (in->form == SCEP_FORM_NONE)
        in->form = SCEP_FORM_PEM;
    memcpy(in->pem_label, label, sizeof in->pem_label);
    note(in, "PEM armor removed");
    const uint8_t *der = base64_text(x, b64, b64_len, &der_len, &in->base64_forms, &st);
    if (!der) {
        in->kind = SCEP_INPUT_NONE;
        return;
    }
    in->der_from_text = true;
    decode_der(x, der, der_len, prefer_bundle || strstr(label, "CERTIFICATE") != NULL);
}

/* decode_body decodes bytes whose form is not known yet: PEM, DER, caps text or base64. */
static void decode_body(input_ctx *x, const uint8_t *buf, size_t len, bool prefer_bundle,
                        bool prefer_caps)
{
    scep_input *in = x->in;
    char label[sizeof in->pem_label] = {0};
    const char *b64;
    size_t b64_len, der_len;
    in->kind = SCEP_INPUT_NONE;
    if (len == 0)
        return;
    if (pem_find(buf, len, label, sizeof label, &b64, &b64_len)) {
        decode_pem(x, label, b64, b64_len, prefer_bundle);
        return;
    }
    if (buf[0] == 0x30 && !prefer_caps) {
        if (in->form == SCEP_FORM_NONE)
            in->form = SCEP_FORM_DER;
        decode_der(x, buf, len, prefer_bundle);
        return;
    }
    if (is_text(buf, len)) {
        const uint8_t *der = prefer_caps ? NULL : try_base64(x, buf, len, &der_len);
        if (der) {
            if (in->form == SCEP_FORM_NONE)
                in->form = SCEP_FORM_BASE64;
            note(in, "base64 text decoded");
            in->der_from_text = true;
            decode_der(x, der, der_len, prefer_bundle);
            return;
        }
        if (in->form == SCEP_FORM_NONE)
            in->form = SCEP_FORM_CAPS;
        decode_caps_text(in, buf, len, prefer_caps);
        return;
    }
    if (buf[0] == 0x30) /* binary after all, though caps were expected */
        decode_der(x, buf, len, prefer_bundle);
}

/* decode_query_text decodes a request target and the pkiMessage its message carries. */
static void decode_query_text(input_ctx *x, const char *text, size_t len)
{
    scep_input *in = x->in;
    uint8_t *buf = take_work(x, len + 1);
    in->has_query = true;
    in->query_message = buf;
    scep_status qs = scep_decode_query(text, len, buf, buf ? len + 1 : 0, &in->query);
    if (qs == SCEP_DECODE_NONE) {
        in->kind = SCEP_INPUT_NONE;
        in->status = SCEP_DECODE_NONE;
        return;
    }
    in->operation = in->query.operation;
    in->operation_from_request = !in->query.operation_inferred;
    in->kind = SCEP_INPUT_REQUEST;
    in->status = qs;
    if (in->query.operation != SCEP_OP_PKI_OPERATION || in->query.message_len == 0)
        return;
    decode_der(x, buf, in->query.message_len, false);
    if (in->kind == SCEP_INPUT_NONE ||
        (in->kind == SCEP_INPUT_PKI_MESSAGE && in->status == SCEP_DECODE_NONE)) {
        /* The message decoded to nothing: the request is still worth showing, with the
         * pkiMessage decoder's errors. */
        in->kind = SCEP_INPUT_REQUEST;
        in->status = SCEP_DECODE_PARTIAL;
    } else if (qs == SCEP_DECODE_PARTIAL) {
        in->status = SCEP_DECODE_PARTIAL;
    }
}

/* decode_payload decodes an HTTP body the way scep_classify_http says; falls back to
 * detecting the body's form when that yields nothing. */
static void decode_payload(input_ctx *x, const uint8_t *body, size_t len, scep_payload payload)
{
    scep_input *in = x->in;
    size_t der_len;
    switch (payload) {
    case SCEP_PAYLOAD_PKI_MESSAGE:
    case SCEP_PAYLOAD_DER:
        decode_body(x, body, len, false, false);
        break;
    case SCEP_PAYLOAD_PKI_MESSAGE_BASE64: {
        const uint8_t *der = try_base64(x, body, len, &der_len);
        if (der) {
            note(in, "base64 text decoded");
            in->der_from_text = true;
            decode_der(x, der, der_len, false);
        }
        break;
    }
    case SCEP_PAYLOAD_CERT_BUNDLE:
        decode_body(x, body, len, true, false);
        break;
    case SCEP_PAYLOAD_CAPS:
        decode_body(x, body, len, false, true);
        break;
    case SCEP_PAYLOAD_ERROR_TEXT:
        note(in, "HTTP error answer: its body is the server's complaint, not decoded");
        return;
    case SCEP_PAYLOAD_NONE:
        break;
    }
    if (in->kind == SCEP_INPUT_NONE && len > 0)
        decode_body(x, body, len, false, false);
}

/* classify asks scep_classify_http about the parsed message. */
static void classify(scep_input *in)
{
    const scep_http_parsed *h = &in->http;
    scep_http_message m = {
        .is_response = !h->is_request,
        .target = h->target,
        .target_len = h->target_len,
        .content_type = h->content_type,
        .content_type_len = h->content_type_len,
        .body = h->body,
        .body_len = h->body_len,
        .status_code = h->status > 0 ? (unsigned)h->status : 0,
        .assume_scep = true,
    };
    scep_classify_http(&m, &in->http_class);
}

/* decode_request: the target first; the body only when the target carried no pkiMessage.
 * When the body is nothing, what the target gave stands, with the bytes it came from. */
static void decode_request(input_ctx *x)
{
    scep_input *in = x->in;
    decode_query_text(x, in->http.target, in->http.target_len);
    if (in->http.body_len == 0 || in->kind == SCEP_INPUT_PKI_MESSAGE)
        return;
    scep_input_kind before = in->kind;
    scep_status status_before = in->status;
    const uint8_t *der_before = in->der, *content_before = in->content;
    size_t der_len_before = in->der_len;
    decode_payload(x, in->http.body, in->http.body_len, in->http_class.payload);
    if (in->kind == SCEP_INPUT_NONE) {
        in->kind = before;
        in->status = status_before;
        in->der = der_before;
        in->der_len = der_len_before;
        in->content = content_before;
    }
}

static void decode_http(input_ctx *x, const uint8_t *data, size_t len)
{
    scep_input *in = x->in;
    if (!http_parse(data, len, &x->arena, &in->http)) {
        x->out_of_room = true;
        return;
    }
    in->has_http = true;
    in->consumed = in->http.consumed;
    in->form = in->http.is_request ? SCEP_FORM_HTTP_REQUEST : SCEP_FORM_HTTP_RESPONSE;
    if (in->http.chunked)
        note(in, "HTTP body in chunked transfer-encoding, joined");
    if (in->http.body_truncated)
        note(in, "HTTP body shorter than its framing announces (cut capture or log)");
    classify(in);
    if (in->http.is_request) {
        decode_request(x);
    } else {
        in->operation = in->http_class.operation;
        decode_payload(x, in->http.body, in->http.body_len, in->http_class.payload);
    }
    if (in->http.body_truncated && in->kind == SCEP_INPUT_NONE)
        in->status = SCEP_DECODE_PARTIAL;
    if (in->http.body_truncated && !in->http.headers_complete)
        in->problem = "the HTTP header fields are cut: the message stops before its body";
    else if (in->http.is_request && in->has_query &&
             in->query.operation == SCEP_OP_PKI_OPERATION && in->query.message_len == 0 &&
             in->http.body_len == 0 && !in->http.body_truncated)
        in->problem = "PKIOperation request without a message: none in the URL, no body";
}

/* finish_operation: what the caller said wins; else what the content shows. */
static void finish_operation(scep_input *in, scep_operation known)
{
    if (known != SCEP_OP_NONE)
        in->operation = known;
    else if (in->operation == SCEP_OP_NONE && in->kind == SCEP_INPUT_PKI_MESSAGE &&
             in->pki.signed_data.signer.message_type.present)
        in->operation = SCEP_OP_PKI_OPERATION; /* only PKIOperation carries a messageType */
    else if (in->operation == SCEP_OP_NONE && in->kind == SCEP_INPUT_CAPS)
        in->operation = SCEP_OP_GET_CA_CAPS;
    if (in->kind == SCEP_INPUT_PKI_MESSAGE && in->pki.signed_data.encap_content_chunks > 0)
        note(in, "encapsulated content was a constructed (chunked) OCTET STRING, joined");
    if ((in->kind == SCEP_INPUT_PKI_MESSAGE && in->pki.signed_data.indefinite_lengths) ||
        (in->kind == SCEP_INPUT_BUNDLE && in->bundle.outer.indefinite_lengths))
        note(in, "BER indefinite lengths (as iOS sends)");
}

scep_status scep_decode_input(const uint8_t *data, size_t len, const scep_input_hints *hints,
                              uint8_t *work, size_t work_cap, scep_input *out)
{
    static const scep_input_hints no_hints;
    input_ctx x = {out, {work, work ? work_cap : 0, 0}, false};
    const char *qtext;
    size_t qlen;
    memset(out, 0, sizeof *out);
    out->consumed = len;
    out->status = SCEP_DECODE_NONE;
    if (!hints)
        hints = &no_hints;
    if (data == NULL)
        len = 0;
    scep_operation known = hints->operation;

    if (len > 0 && scep_looks_like_http(data, len)) {
        decode_http(&x, data, len);
    } else if (is_text(data, len) && find_query_text(data, len, &qtext, &qlen)) {
        out->form = SCEP_FORM_QUERY;
        decode_query_text(&x, qtext, qlen);
    } else if (hints->is_url && len > 0) {
        /* A URL without an operation or message: let scep_decode_query say so. */
        out->form = SCEP_FORM_QUERY;
        decode_query_text(&x, (const char *)data, len);
    } else {
        decode_body(&x, data, len,
                    known == SCEP_OP_GET_CA_CERT || known == SCEP_OP_GET_NEXT_CA_CERT,
                    known == SCEP_OP_GET_CA_CAPS);
    }
    finish_operation(out, known);
    if (x.out_of_room) {
        scep_errors *errors = out->kind == SCEP_INPUT_BUNDLE ? &out->bundle.errors
                              : out->kind == SCEP_INPUT_CAPS ? &out->caps.errors
                                                             : &out->pki.errors;
        scep_errors_add(errors, SCEP_ERR_CAPACITY, SCEP_SRC_INPUT, 0,
                        "scep_decode_input: work area too small (SCEP_INPUT_WORK_SIZE)");
        if (out->status == SCEP_DECODE_OK)
            out->status = SCEP_DECODE_PARTIAL;
    }
    return out->status;
}
