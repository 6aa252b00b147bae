/* test_classify: scep_classify_http, the one policy the CLI and the Wireshark plugin share for
 * "is this HTTP message SCEP, which operation, how is its body decoded". Expectations follow
 * RFC 8894 sections 4.1-4.6 (operations, media types of the answers) and the traffic of the
 * real peers in captures/: the targets below are those stock tshark shows as
 * http.request.uri in captures/scepclient-*.pcapng, certmonger-*.pcapng and
 * strongswan-*.pcapng (micromdm scepclient POSTs with application/octet-stream; certmonger
 * GETs with the message in the target). */
#include <scepdec.h>

#include "b64_encode.h"
#include "check.h"

/* classify classifies |m| twice: as it stands, and with its target decoded by the caller
 * (scep_decode_query into a buffer that holds the whole message, as the Wireshark plugin keeps
 * it) and handed over as |target_query|. The class must not depend on who decoded the target:
 * both must agree field for field. Returns the first. */
static scep_http_class classify(const scep_http_message *m)
{
    scep_http_class c, with_query;
    scep_classify_http(m, &c);
    if (m->target == NULL)
        return c;
    static uint8_t message[8192];
    scep_query q;
    scep_decode_query(m->target, m->target_len, message, sizeof message, &q);
    scep_http_message given = *m;
    given.target_query = &q;
    scep_classify_http(&given, &with_query);
    CHECK(with_query.is_scep == c.is_scep);
    CHECK(with_query.interim == c.interim);
    CHECK_INT(with_query.operation, c.operation);
    CHECK_INT(with_query.operation_source, c.operation_source);
    CHECK(with_query.operation_text.data == c.operation_text.data);
    CHECK_INT(with_query.operation_text.offset, c.operation_text.offset);
    CHECK_INT(with_query.operation_text.length, c.operation_text.length);
    CHECK(with_query.message_in_target == c.message_in_target);
    CHECK_INT(with_query.payload, c.payload);
    return c;
}

static scep_http_class classify_request(const char *target, const char *type,
                                        const uint8_t *body, size_t body_len)
{
    scep_http_message m = {0};
    m.target = target;
    m.target_len = target ? strlen(target) : 0;
    m.content_type = type;
    m.content_type_len = type ? strlen(type) : 0;
    m.body = body;
    m.body_len = body_len;
    return classify(&m);
}

static scep_http_class classify_response(unsigned status, const char *request_target,
                                         scep_operation request_operation, const char *type,
                                         const char *body, bool assume_scep)
{
    scep_http_message m = {0};
    m.is_response = true;
    m.status_code = status;
    m.target = request_target;
    m.target_len = request_target ? strlen(request_target) : 0;
    m.request_operation = request_operation;
    m.content_type = type;
    m.content_type_len = type ? strlen(type) : 0;
    m.body = (const uint8_t *)body;
    m.body_len = body ? strlen(body) : 0;
    m.assume_scep = assume_scep;
    return classify(&m);
}

static void test_requests(const uint8_t *der, size_t der_len)
{
    /* scepclient: GetCACert with its CA identifier, GetCACaps, POSTed PKIOperation. */
    scep_http_class c = classify_request("/scep?operation=GetCACert&message=ca", NULL, NULL, 0);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_GET_CA_CERT);
    CHECK_INT(c.operation_source, SCEP_OPFROM_TARGET);
    CHECK(c.message_in_target);
    CHECK_INT(c.payload, SCEP_PAYLOAD_NONE);

    c = classify_request("/scep?operation=GetCACaps", NULL, NULL, 0);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_GET_CA_CAPS);
    CHECK(!c.message_in_target);

    c = classify_request("/scep?operation=PKIOperation", "application/octet-stream", der, der_len);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_PKI_OPERATION);
    CHECK_INT(c.payload, SCEP_PAYLOAD_PKI_MESSAGE);

    /* NDES's path, the operation in another case (some clients send that). */
    c = classify_request("/certsrv/mscep/mscep.dll/pkiclient.exe?operation=pkioperation",
                         "application/x-pki-message", der, der_len);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_PKI_OPERATION);

    /* The same pkiMessage POSTed as base64 text. */
    static char text[8192];
    encode_b64(der, der_len, text);
    c = classify_request("/scep?operation=PKIOperation", "text/plain", (const uint8_t *)text,
                         strlen(text));
    CHECK_INT(c.payload, SCEP_PAYLOAD_PKI_MESSAGE_BASE64);

    /* No operation parameter, but the body's type is SCEP's. */
    c = classify_request("/enroll", "Application/X-PKI-Message; charset=binary", der, der_len);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_PKI_OPERATION);
    CHECK_INT(c.operation_source, SCEP_OPFROM_CONTENT_TYPE);
    CHECK_INT(c.payload, SCEP_PAYLOAD_PKI_MESSAGE);
}

static void test_unknown_and_foreign(void)
{
    /* An operation RFC 8894 does not name: SCEP on a SCEP path, shown as sent. */
    scep_http_class c = classify_request("/cgi-bin/pkiclient.exe?operation=GetCRLDistPoint",
                                         NULL, NULL, 0);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_UNKNOWN);
    CHECK_SPAN_STR(c.operation_text, "GetCRLDistPoint");

    /* A web application's own "operation" and "message" parameters are not SCEP. */
    c = classify_request("/api/items?operation=delete&id=4", NULL, NULL, 0);
    CHECK(!c.is_scep);
    c = classify_request("/search?message=hello%20world", NULL, NULL, 0);
    CHECK(!c.is_scep);
    c = classify_request("/index.html", "text/html", (const uint8_t *)"<p>", 3);
    CHECK(!c.is_scep);
    c = classify_request(NULL, NULL, NULL, 0);
    CHECK(!c.is_scep);
}

/* scepclient relays as /scep?message=MIIJ...&operation=PKIOperation; a log cut at 2 000
 * characters loses the operation: the message itself says PKIOperation. */
static void test_cut_relay_order(const uint8_t *der, size_t der_len)
{
    static char target[16384];
    strcpy(target, "/scep?message=");
    encode_b64(der, der_len, target + strlen(target));
    strcat(target, "&operation=PKIOperation");
    scep_http_class c = classify_request(target, NULL, NULL, 0);
    CHECK_INT(c.operation_source, SCEP_OPFROM_TARGET);
    CHECK_INT(c.operation, SCEP_OP_PKI_OPERATION);

    target[2000] = 0;
    c = classify_request(target, NULL, NULL, 0);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_PKI_OPERATION);
    CHECK_INT(c.operation_source, SCEP_OPFROM_MESSAGE);
    CHECK(c.message_in_target);
}

static void test_responses(void)
{
    /* GetCACaps: text/plain is SCEP only as the answer to a SCEP request. */
    scep_http_class c = classify_response(200, NULL, SCEP_OP_GET_CA_CAPS, "text/plain",
                                          "POSTPKIOperation\nSHA-256\n", false);
    CHECK(c.is_scep);
    CHECK_INT(c.operation_source, SCEP_OPFROM_REQUEST);
    CHECK_INT(c.payload, SCEP_PAYLOAD_CAPS);
    c = classify_response(200, "/scep?operation=GetCACaps", SCEP_OP_NONE, "text/plain",
                          "AES\n", false);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_GET_CA_CAPS);
    CHECK_INT(c.payload, SCEP_PAYLOAD_CAPS);
    c = classify_response(200, NULL, SCEP_OP_NONE, "text/plain", "hello\n", false);
    CHECK(!c.is_scep);

    /* A bare CA certificate is also what browsers fetch for AIA: SCEP only with a SCEP
     * request, or when the caller says so. */
    c = classify_response(200, NULL, SCEP_OP_NONE, "application/x-x509-ca-cert", "\x30\x82", false);
    CHECK(!c.is_scep);
    c = classify_response(200, "/scep?operation=GetCACert", SCEP_OP_NONE,
                          "application/x-x509-ca-cert", "\x30\x82", false);
    CHECK(c.is_scep);
    CHECK_INT(c.payload, SCEP_PAYLOAD_CERT_BUNDLE);
    c = classify_response(200, NULL, SCEP_OP_NONE, "application/x-x509-ca-cert", "\x30\x82", true);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_GET_CA_CERT);
    CHECK_INT(c.operation_source, SCEP_OPFROM_CONTENT_TYPE);

    /* Types only SCEP uses identify the answer without its request. */
    c = classify_response(200, NULL, SCEP_OP_NONE, "application/x-x509-ca-ra-cert", "\x30\x80", false);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_GET_CA_CERT);
    CHECK_INT(c.payload, SCEP_PAYLOAD_CERT_BUNDLE);
    c = classify_response(200, NULL, SCEP_OP_NONE, "application/x-x509-next-ca-cert", "\x30\x80", false);
    CHECK_INT(c.operation, SCEP_OP_GET_NEXT_CA_CERT);
    c = classify_response(200, NULL, SCEP_OP_NONE, "application/x-pki-message", "\x30\x80", false);
    CHECK_INT(c.operation, SCEP_OP_PKI_OPERATION);
    CHECK_INT(c.payload, SCEP_PAYLOAD_PKI_MESSAGE);

    /* micromdm answers a PKIOperation it rejects with HTTP 500 and a line of text. */
    c = classify_response(500, NULL, SCEP_OP_PKI_OPERATION, "text/plain",
                          "failed to decrypt\n", false);
    CHECK(c.is_scep);
    CHECK_INT(c.payload, SCEP_PAYLOAD_ERROR_TEXT);
    /* A text answer with status 200 to PKIOperation is no pkiMessage. */
    c = classify_response(200, NULL, SCEP_OP_PKI_OPERATION, "text/plain", "pending\n", false);
    CHECK_INT(c.payload, SCEP_PAYLOAD_NONE);
    /* 100 Continue is HTTP's business. */
    c = classify_response(100, NULL, SCEP_OP_PKI_OPERATION, NULL, NULL, false);
    CHECK(!c.is_scep);
    CHECK(c.interim);
    /* An empty answer has nothing to decode. */
    c = classify_response(200, NULL, SCEP_OP_GET_CA_CERT, "application/x-x509-ca-cert", NULL, false);
    CHECK(c.is_scep);
    CHECK_INT(c.payload, SCEP_PAYLOAD_NONE);
}

/* A file handed to a SCEP decoder: its content decides. */
static void test_assume_scep(const uint8_t *der, size_t der_len)
{
    scep_http_message m = {0};
    m.body = der;
    m.body_len = der_len;
    m.assume_scep = true;
    scep_http_class c;
    scep_classify_http(&m, &c);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_PKI_OPERATION);
    CHECK_INT(c.operation_source, SCEP_OPFROM_BODY);
    CHECK_INT(c.payload, SCEP_PAYLOAD_PKI_MESSAGE);

    c = classify_response(200, NULL, SCEP_OP_NONE, "text/plain", "AES\r\nSHA-256\r\n", true);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_GET_CA_CAPS);
    CHECK_INT(c.payload, SCEP_PAYLOAD_CAPS);

    static const uint8_t cert_start[] = {0x30, 0x82, 0x03, 0x00, 0x30, 0x82, 0x02, 0x00};
    m.body = cert_start;
    m.body_len = sizeof cert_start;
    scep_classify_http(&m, &c);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_NONE);
    CHECK_INT(c.payload, SCEP_PAYLOAD_DER);
}

static void test_media_types(void)
{
    CHECK_INT(scep_media_type_operation("application/x-pki-message", 25), SCEP_OP_PKI_OPERATION);
    CHECK_INT(scep_media_type_operation(" APPLICATION/X-X509-CA-RA-CERT;x=y", 34), SCEP_OP_GET_CA_CERT);
    CHECK_INT(scep_media_type_operation("application/x-x509-ca-certificate", 33), SCEP_OP_NONE);
    CHECK_INT(scep_media_type_operation("application/x-pki", 17), SCEP_OP_NONE);
    CHECK_INT(scep_media_type_operation(NULL, 0), SCEP_OP_NONE);
}

/* The contract of |target_query|: the caller's decode is what classification reads (here a
 * decode of another target, so that reading |target| again would show). */
static void test_target_query_is_read(void)
{
    static const char caps[] = "/scep?operation=GetCACaps";
    uint8_t message[64];
    scep_query q;
    scep_decode_query(caps, sizeof caps - 1, message, sizeof message, &q);
    scep_http_message m = {0};
    m.target = "/scep?operation=GetCACert";
    m.target_len = strlen(m.target);
    m.target_query = &q;
    scep_http_class c;
    scep_classify_http(&m, &c);
    CHECK(c.is_scep);
    CHECK_INT(c.operation, SCEP_OP_GET_CA_CAPS);
    CHECK_INT(c.operation_source, SCEP_OPFROM_TARGET);
}

int main(void)
{
    size_t der_len;
    uint8_t *der = read_file("vectors/micromdm/PKCSReq.der", &der_len);
    test_requests(der, der_len);
    test_unknown_and_foreign();
    test_cut_relay_order(der, der_len);
    test_responses();
    test_assume_scep(der, der_len);
    test_media_types();
    test_target_query_is_read();
    free(der);
    return check_report("test_classify");
}
