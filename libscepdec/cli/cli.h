/* cli.h — the scepdec command's internal interfaces: decoding one input (decode.c, a thin
 * user of the library's scep_decode_input, which detects the form and unwraps the transport),
 * checks and decryption (open.c), and rendering as text (report.c) or JSON (report_json.c,
 * through the library's scep_json_message). The CLI never parses a message itself. */
#ifndef SCEPDEC_CLI_H
#define SCEPDEC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scepdec.h"

/* ---- decode.c: one input, decoded ---- */

typedef enum {
    RESULT_NONE = 0,
    RESULT_QUERY_ONLY, /* a request target without a pkiMessage (GetCACert, GetCACaps, ...) */
    RESULT_PKI,
    RESULT_BUNDLE,
    RESULT_CAPS,
} result_kind;

#define MAX_NOTES SCEP_INPUT_MAX_NOTES

/* Everything known about one decoded message: scep_decode_input's result (|in|, with its
 * work area) and what open.c adds. The fields before |in| are shortcuts into it for the
 * renderers; heap buffers are owned by this struct. */
typedef struct {
    scep_input_form form;
    char pem_label[32];
    bool has_http;
    scep_http_parsed http;
    bool has_query;
    scep_query query;
    const uint8_t *query_buf;      /* scep_decode_query's message buffer */
    scep_operation operation;      /* known from the request, the content type or --operation */
    bool operation_from_request;
    result_kind kind;
    scep_status status;
    const uint8_t *der;            /* the bytes decoded (pkiMessage, bundle or caps text) */
    size_t der_len;
    bool der_from_text;            /* decoded from PEM or base64 text */
    const uint8_t *content_buf;    /* where the results' joined content lives */
    const scep_pki_message *pki;   /* into |in|, when a pkiMessage was decoded (or tried) */
    const scep_cert_bundle *bundle;
    const scep_caps *caps;
    unsigned base64_forms;         /* forms seen in base64 text or PEM bodies */
    const char *problem;           /* a fault the decoders cannot see: static text, or NULL */
    const char *const *notes;      /* transport notes, static strings */
    size_t note_count;
    scep_input *in;                /* the library's result */
    uint8_t *work;                 /* its work area */
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

/* ---- report.c: the text report ---- */

/* report_text writes the human-readable report of |d|; |source| names the input. */
void report_text(FILE *out, const decoded *d, const char *source);

/* ---- report_json.c: the JSON object, written by the library's scep_json_message ---- */

/* json_message_of fills |m| with what |d| holds for the library's JSON writer: the request
 * target, pkiMessage, bundle or capabilities, the checks and, through |decrypted| (which must
 * outlive |m|), what --key gave. Returns whether |d| has an object to write (false when
 * nothing was decoded, or a request target had no operation). */
bool json_message_of(const decoded *d, scep_log_message *m, scep_decrypted *decrypted);

/* report_json writes |d| as one JSON object and a newline (nothing when json_message_of says
 * there is no object). Returns false on allocation failure. */
bool report_json(FILE *out, const decoded *d);

#endif
