/* test_input — scep_decode_input, one call per input form, against values OpenSSL prints:
 *   micromdm/PKCSReq.der: `openssl cms -cmsout -print -inform DER` shows messageType 19,
 *     transactionID A13090761A30F66664F85D37433D2065E1112BA1, and (asn1parse -strparse 58 then
 *     cms -cmsout -print) the envelope's recipient issuer C=USA, O=etcd-ca, OU=CA, serial 1;
 *   micromdm/ca.pem: `openssl x509 -noout -subject -nameopt RFC2253` OU=CA,O=etcd-ca,C=USA;
 *   bundles/ra-bundle.der: `openssl pkcs7 -inform DER -print_certs -noout`, 3 certificates.
 * The HTTP messages, base64 text and URLs around those bytes are built here (crafted). */
#include "b64_encode.h"
#include "check.h"
#include "scepdec.h"

static uint8_t *pkcsreq;
static size_t pkcsreq_len;
static char *pkcsreq_b64;
static size_t pkcsreq_b64_len;

/* decode runs scep_decode_input with a work area of the documented size. */
static scep_status decode(const void *data, size_t len, const scep_input_hints *hints,
                          scep_input *in)
{
    static uint8_t *work;
    free(work);
    work = malloc(SCEP_INPUT_WORK_SIZE(len));
    return scep_decode_input(data, len, hints, work, SCEP_INPUT_WORK_SIZE(len), in);
}

static void check_pkcsreq(const scep_input *in)
{
    CHECK_INT(in->kind, SCEP_INPUT_PKI_MESSAGE);
    CHECK_INT(in->pki.signed_data.signer.message_type.value, 19);
    CHECK_SPAN_STR(in->pki.signed_data.signer.transaction_id,
                   "A13090761A30F66664F85D37433D2065E1112BA1");
    CHECK_INT(in->operation, SCEP_OP_PKI_OPERATION);
}

static void test_der_base64_pem(void)
{
    static scep_input in;
    CHECK_INT(decode(pkcsreq, pkcsreq_len, NULL, &in), SCEP_DECODE_OK);
    CHECK_INT(in.form, SCEP_FORM_DER);
    check_pkcsreq(&in);
    CHECK(in.der == pkcsreq);

    /* base64 text wrapped at 64 characters with CRLF */
    char *wrapped = malloc(pkcsreq_b64_len * 2);
    size_t n = 0;
    for (size_t i = 0; i < pkcsreq_b64_len; i++) {
        if (i > 0 && i % 64 == 0)
            wrapped[n++] = '\r', wrapped[n++] = '\n';
        wrapped[n++] = pkcsreq_b64[i];
    }
    CHECK_INT(decode(wrapped, n, NULL, &in), SCEP_DECODE_OK);
    CHECK_INT(in.form, SCEP_FORM_BASE64);
    CHECK(in.der_from_text);
    check_pkcsreq(&in);
    CHECK_INT(in.der_len, pkcsreq_len);
    CHECK(memcmp(in.der, pkcsreq, pkcsreq_len) == 0);
    free(wrapped);

    size_t pem_len;
    uint8_t *pem = read_file("vectors/micromdm/ca.pem", &pem_len);
    CHECK_INT(decode(pem, pem_len, NULL, &in), SCEP_DECODE_OK);
    CHECK_INT(in.form, SCEP_FORM_PEM);
    CHECK_STR(in.pem_label, "CERTIFICATE");
    CHECK_INT(in.kind, SCEP_INPUT_BUNDLE);
    CHECK_INT(in.bundle.certificate_count, 1);
    char name[128];
    scep_name_format(in.bundle.certificates[0].subject.data,
                     in.bundle.certificates[0].subject.length, name, sizeof name);
    CHECK_STR(name, "OU=CA,O=etcd-ca,C=USA");
    free(pem);

    size_t bundle_len;
    uint8_t *bundle = read_file("vectors/bundles/ra-bundle.der", &bundle_len);
    CHECK_INT(decode(bundle, bundle_len, NULL, &in), SCEP_DECODE_OK);
    CHECK_INT(in.kind, SCEP_INPUT_BUNDLE);
    CHECK_INT(in.bundle.kind, SCEP_BUNDLE_CERTS_ONLY);
    CHECK_INT(in.bundle.certificate_count, 3);
    free(bundle);
}

static void test_urls(void)
{
    static scep_input in;
    /* scepclient's relay order, url-safe alphabet, cut at 2000 characters by a log line. */
    char *url = malloc(pkcsreq_b64_len + 64);
    int n = sprintf(url, "/scep?message=");
    for (size_t i = 0; i < pkcsreq_b64_len; i++)
        url[n++] = pkcsreq_b64[i] == '+' ? '-' : pkcsreq_b64[i] == '/' ? '_' : pkcsreq_b64[i];
    strcpy(url + n, "&operation=PKIOperation");
    CHECK_INT(decode(url, 2000, NULL, &in), SCEP_DECODE_PARTIAL);
    CHECK_INT(in.form, SCEP_FORM_QUERY);
    CHECK_INT(in.kind, SCEP_INPUT_PKI_MESSAGE);
    CHECK(in.query.operation_inferred);
    CHECK(!in.operation_from_request);
    CHECK(in.pki.truncated);
    CHECK_INT(in.pki.envelope.recipient_count, 1);
    char issuer[64];
    scep_identifier rid = in.pki.envelope.recipients[0].rid;
    scep_name_format(rid.issuer.data, rid.issuer.length, issuer, sizeof issuer);
    CHECK_STR(issuer, "OU=CA,O=etcd-ca,C=USA");
    CHECK_SPAN_HEX(rid.serial, "01");

    /* The same URL inside a log line. */
    char *line = malloc(2100);
    int k = sprintf(line, "2026-11-29 10:00:00 GET https://mdm.example.com");
    memcpy(line + k, url, 2000);
    CHECK_INT(decode(line, (size_t)k + 2000, NULL, &in), SCEP_DECODE_PARTIAL);
    CHECK_INT(in.kind, SCEP_INPUT_PKI_MESSAGE);
    CHECK_SPAN_STR(in.query.path, "/scep");
    free(line);
    free(url);

    const char *getcacert = "https://ca.example.com/cgi-bin/pkiclient.exe?operation=GetCACert&message=CA1";
    CHECK_INT(decode(getcacert, strlen(getcacert), NULL, &in), SCEP_DECODE_OK);
    CHECK_INT(in.kind, SCEP_INPUT_REQUEST);
    CHECK_INT(in.operation, SCEP_OP_GET_CA_CERT);
    CHECK(in.operation_from_request);
    CHECK_INT(in.query.message_len, 3);
    CHECK(memcmp(in.query_message, "CA1", 3) == 0);
}

static void test_http(void)
{
    static scep_input in;
    /* micromdm's client: POST with application/octet-stream */
    char head[256];
    int n = sprintf(head, "POST /scep?operation=PKIOperation HTTP/1.1\r\nHost: ca\r\n"
                          "Content-Type: application/octet-stream\r\nContent-Length: %zu\r\n\r\n",
                    pkcsreq_len);
    uint8_t *msg = malloc((size_t)n + pkcsreq_len + 256);
    memcpy(msg, head, (size_t)n);
    memcpy(msg + n, pkcsreq, pkcsreq_len);
    const char *caps = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 31\r\n\r\n"
                       "POSTPKIOperation\nSHA-256\nAES\n";
    size_t total = (size_t)n + pkcsreq_len;
    memcpy(msg + total, caps, strlen(caps));
    CHECK_INT(decode(msg, total + strlen(caps), NULL, &in), SCEP_DECODE_OK);
    CHECK_INT(in.form, SCEP_FORM_HTTP_REQUEST);
    CHECK(in.http_class.is_scep);
    CHECK_INT(in.http_class.payload, SCEP_PAYLOAD_PKI_MESSAGE);
    check_pkcsreq(&in);
    CHECK(in.der == msg + n);
    CHECK_INT(in.consumed, total);
    CHECK(scep_looks_like_http(msg + in.consumed, strlen(caps)));
    /* the stream's second message: the GetCACaps answer */
    CHECK_INT(decode(msg + total, strlen(caps), NULL, &in), SCEP_DECODE_OK);
    CHECK_INT(in.form, SCEP_FORM_HTTP_RESPONSE);
    CHECK_INT(in.kind, SCEP_INPUT_CAPS);
    CHECK_INT(in.operation, SCEP_OP_GET_CA_CAPS);
    CHECK_INT(in.caps.count, 3);
    CHECK_INT(in.caps.items[2].id, SCEP_CAP_AES);
    free(msg);

    /* The caller knows the operation: a bundle file is decoded as one. */
    size_t pem_len;
    uint8_t *pem = read_file("vectors/micromdm/ca.pem", &pem_len);
    scep_input_hints hints = {.operation = SCEP_OP_GET_CA_CERT};
    CHECK_INT(decode(pem, pem_len, &hints, &in), SCEP_DECODE_OK);
    CHECK_INT(in.kind, SCEP_INPUT_BUNDLE);
    CHECK_INT(in.operation, SCEP_OP_GET_CA_CERT);
    free(pem);
}

static void test_small_work_area(void)
{
    /* The rule for byte buffers: as long as the input suffices (here for base64). */
    uint8_t *exact = malloc(pkcsreq_b64_len);
    size_t n = 0;
    CHECK_INT(scep_base64_decode(pkcsreq_b64, pkcsreq_b64_len, exact, pkcsreq_b64_len, &n, NULL,
                                 NULL),
              SCEP_DECODE_OK);
    CHECK_INT(n, pkcsreq_len);
    free(exact);

    static scep_input in;
    static uint8_t work[64];
    CHECK_INT(scep_decode_input((const uint8_t *)pkcsreq_b64, pkcsreq_b64_len, NULL, work,
                                sizeof work, &in),
              SCEP_DECODE_NONE);
    CHECK(in.pki.errors.count == 1 && in.pki.errors.items[0].code == SCEP_ERR_CAPACITY);
    CHECK_INT(scep_decode_input(NULL, 0, NULL, NULL, 0, &in), SCEP_DECODE_NONE);
    CHECK_INT(in.kind, SCEP_INPUT_NONE);
}

int main(void)
{
    pkcsreq = read_file("vectors/micromdm/PKCSReq.der", &pkcsreq_len);
    pkcsreq_b64 = malloc(pkcsreq_len * 2 + 8);
    pkcsreq_b64_len = encode_b64(pkcsreq, pkcsreq_len, pkcsreq_b64);
    test_der_base64_pem();
    test_urls();
    test_http();
    test_small_work_area();
    free(pkcsreq);
    free(pkcsreq_b64);
    printf("sizeof scep_input %zu\n", sizeof(scep_input));
    return check_report("test_input");
}
