/* cli.h — the scepdec command's internal interfaces: input detection and transport unwrapping
 * (detect.c), decoding one input into library results (decode.c), and rendering them as text
 * (report.c) or JSON (main.c, through the library's scep_json_*). The CLI never parses ASN.1:
 * it unwraps transport (HTTP framing, PEM armor, base64 text) and hands bytes to libscepdec. */
#ifndef SCEPDEC_CLI_H
#define SCEPDEC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scepdec.h"

/* ---- detect.c: what the bytes are, and transport unwrapping ---- */

/* The form an input was recognised as, in detection order. */
typedef enum {
    FORM_NONE = 0,
    FORM_HTTP_REQUEST,  /* "GET /scep?operation=... HTTP/1.1", headers, body */
    FORM_HTTP_RESPONSE, /* "HTTP/1.1 200 OK", headers, body */
    FORM_QUERY,         /* a URL, origin-form target or bare query string */
    FORM_PEM,           /* -----BEGIN PKCS7----- / CERTIFICATE / CMS ... */
    FORM_DER,           /* binary, first byte 0x30 */
    FORM_CAPS,          /* GetCACaps text: printable lines */
    FORM_BASE64,        /* base64 text, possibly wrapped, of a DER element */
} input_form;

const char *input_form_name(input_form form);

/* A parsed HTTP message. Spans point into the input, except |body|, which is a heap copy when
 * the body was chunked (|body_owned|) and points into the input otherwise. */
typedef struct {
    bool is_request;
    const char *method;        /* request: "GET", "POST", ... */
    size_t method_len;
    const char *target;        /* request target as sent */
    size_t target_len;
    int status;                /* response: status code */
    const char *reason;        /* response: reason phrase */
    size_t reason_len;
    const char *content_type;  /* Content-Type value, NULL when absent */
    size_t content_type_len;
    bool has_content_length;
    size_t content_length;
    bool chunked;              /* Transfer-Encoding: chunked */
    size_t chunk_count;        /* data chunks joined */
    bool headers_complete;     /* the blank line ending the headers was found */
    bool body_truncated;       /* fewer body bytes than the framing announced */
    size_t body_offset;        /* where the body starts in the input */
    const uint8_t *body;
    size_t body_len;
    uint8_t *body_owned;       /* free() this */
    size_t consumed;           /* bytes of input this message spans */
} http_message;

/* looks_like_http: does |buf| start with an HTTP request line ("METHOD target HTTP/x") or a
 * status line ("HTTP/x nnn")? */
bool looks_like_http(const uint8_t *buf, size_t len);

/* http_parse parses the message at |buf| into |out|. Returns false when |buf| is not HTTP, or
 * on allocation failure. A cut message parses as far as it goes (|body_truncated|). */
bool http_parse(const uint8_t *buf, size_t len, http_message *out);

void http_free(http_message *msg);

/* find_query_text finds in text |buf| a request target carrying "operation=": the whole of a
 * one-line argument, or, in a text file such as a log excerpt, the URL on the first line that
 * has one, from its start ("http", "/" or "operation=") to the end of the line (without a
 * trailing " HTTP/1.1"). Returns false when there is none. */
bool find_query_text(const uint8_t *buf, size_t len, const char **start, size_t *qlen);

/* pem_find finds the first PEM block; stores its label (e.g. "PKCS7", NUL-terminated, cut to
 * |label_cap|) and the base64 text between the armor lines. */
bool pem_find(const uint8_t *buf, size_t len, char *label, size_t label_cap, const char **b64,
              size_t *b64_len);

/* is_text: every byte is printable ASCII or whitespace (what caps and base64 text are). */
bool is_text(const uint8_t *buf, size_t len);

/* base64_text_decode decodes base64 text (any form the library accepts, whitespace ignored)
 * into a new heap buffer. Returns NULL when nothing decodes or on allocation failure. */
uint8_t *base64_text_decode(const char *text, size_t len, size_t *out_len, unsigned *forms,
                            scep_status *status);

/* ---- decode.c: one input, decoded ---- */

typedef enum {
    RESULT_NONE = 0,
    RESULT_QUERY_ONLY, /* a request target without a pkiMessage (GetCACert, GetCACaps, ...) */
    RESULT_PKI,
    RESULT_BUNDLE,
    RESULT_CAPS,
} result_kind;

#define MAX_NOTES 16

/* Everything known about one decoded message; heap buffers are owned by it. */
typedef struct {
    input_form form;
    char pem_label[32];
    bool has_http;
    http_message http;
    bool has_query;
    scep_query query;
    uint8_t *query_buf;            /* scep_decode_query's msg_buf */
    scep_operation operation;      /* known from the request, the content type or --operation */
    bool operation_from_request;
    result_kind kind;
    scep_status status;
    const uint8_t *der;            /* the bytes decoded (pkiMessage, bundle or caps text) */
    size_t der_len;
    uint8_t *der_owned;
    uint8_t *content_buf;
    scep_pki_message *pki;
    scep_cert_bundle *bundle;
    scep_caps *caps;
    unsigned base64_forms;         /* forms seen in base64 text or PEM bodies */
    const char *problem;           /* a fault the library cannot see (a request without its
                                    * message, cut HTTP headers): static text, or NULL */
    const char *notes[MAX_NOTES];  /* transport notes, static strings */
    size_t note_count;
    /* open.c: checks and, with --key, the envelope's contents */
    bool verified;
    scep_verification verification;
    bool decrypt_attempted;
    scep_error decrypt_error;      /* why decryption failed, when it did */
    uint8_t *plain;                /* the decrypted content */
    size_t plain_len;
    scep_request_content *request; /* a request's decrypted content */
    scep_cert_bundle *issued;      /* a CertRep's decrypted content: the issued certificates */
    uint8_t *issued_buf;
} decoded;

/* decode_input decodes |buf|/|len| (the whole file, stdin, or an argument string when
 * |is_argument|) into |out|, which it zeroes first. |forced| is the --operation given, or
 * SCEP_OP_NONE. |consumed| receives how much of |buf| this message used (an HTTP stream may
 * hold more than one message). */
void decode_input(const uint8_t *buf, size_t len, bool is_argument, scep_operation forced,
                  decoded *out, size_t *consumed);

void decoded_free(decoded *d);

/* decoded_exit_status: 0 decoded cleanly, 1 decoded with errors or truncation, 2 nothing. */
int decoded_exit_status(const decoded *d);

/* ---- open.c: checks and decryption (the library's OpenSSL part) ---- */

/* The recipient's key and certificate from --key / --cert, read whole (PEM or DER). */
typedef struct {
    uint8_t *key;
    size_t key_len;
    uint8_t *cert;
    size_t cert_len;
} key_material;

/* open_message checks a decoded pkiMessage's messageDigest and signature and, when |keys| has
 * a key, decrypts its envelope and decodes what it holds: a request's CSR or identifiers, or
 * a CertRep's issued certificates. Does nothing for other results. */
void open_message(decoded *d, const key_material *keys);

/* ---- report.c and json output ---- */

/* report_text writes the human-readable report of |d|; |source| names the input. */
void report_text(FILE *out, const decoded *d, const char *source);

/* report_json writes |d| as one JSON object and a newline. Returns false on allocation failure. */
bool report_json(FILE *out, const decoded *d);

#endif
